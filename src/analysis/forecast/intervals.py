"""The prediction intervals of the occupation forecast: pure rules on the backtest's past errors,
tested on hand-made examples. :func:`analysis.forecast.backtest.forecast_at_origin` applies them at
every origin (method and figures: ``docs/forecast_method.md``).

Intervals, per horizon, asymmetric: the empirical 2.5/10/90/97.5 % quantiles of the final
forecast's own past errors at the same horizon (log scale, divided by the series' scale and by the
turbulence factor of their origin), known at the origin (expanding window), times the series'
scale, the turbulence factor now and an online (adaptive conformal) multiplier:

* turbulence factor ``sigma(o)`` (:func:`turbulence`): median |error| of the forecasts 1–3
  months ahead whose targets fell in the last three months, over the median of all such known
  errors, floored at 1 and capped at :data:`SIGMA_CAP`: when recent errors grow, every band
  widens at once (common shocks hit all series);
* adaptive multiplier ``k_h(o) = exp(ETA * sum(miss - alpha))`` over every earlier batch of
  horizon-``h`` forecasts whose targets are known at ``o`` (:func:`aci_multipliers`): a band that
  missed more often than nominal widens the next ones, and vice versa.

With fewer than :data:`MIN_CALIBRATION` known errors (the first origins) the pooled regression's
in-sample residual band is used instead.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.forecast import models

MIN_CALIBRATION = 50
"""Fewest known past errors at a horizon for the conformal intervals; else in-sample residuals."""
ETA = 0.6
"""Step of the adaptive conformal multiplier (log scale per batch), chosen on the development regions."""
SIGMA_CAP = 4.0
TURBULENCE_HORIZONS: tuple[int, ...] = (1, 2, 3)
TURBULENCE_MIN_RECENT = 5
TURBULENCE_RECENT_MONTHS = 3
"""Target months that count as recent for :func:`turbulence`: the last three (one quarter, the step
between two backtest origins)."""
LEVEL_ALPHAS: dict[int, float] = {80: 0.20, 95: 0.05}


def conformal_quantiles(z_known: np.ndarray, probs: tuple[float, ...] = models.QUANTILE_PROBS,
                        min_count: int = MIN_CALIBRATION) -> np.ndarray | None:
    """Empirical quantiles (numpy's default linear interpolation) of the known standardised
    errors; None when fewer than ``min_count`` are known (NaN ignored)."""
    z = np.asarray(z_known, dtype="float64")
    z = z[np.isfinite(z)]
    if len(z) < min_count:
        return None
    return np.quantile(z, probs)


def _columns(frame: pd.DataFrame | GrowingTable, *names: str) -> list[np.ndarray]:
    """Columns of ``frame`` as float arrays (the rules below filter them once per origin and horizon:
    numpy masks, not pandas indexing, in the backtest's inner loop)."""
    return [np.asarray(frame[n], dtype="float64") for n in names]


class GrowingTable:
    """Rows added block by block, read as numpy columns: the backtest's errors and batches while it
    runs (a data frame concatenated at every origin cost more than the rules that read it)."""

    def __init__(self, columns: list[str], dtypes: dict[str, str] | None = None) -> None:
        self.columns, self.dtypes = columns, dtypes or {}
        self._parts: dict[str, list[np.ndarray]] = {c: [] for c in columns}
        self._joined: dict[str, np.ndarray] = {}
        self._rows = 0

    def add(self, n: int, **values: object) -> None:
        """Append ``n`` rows: each value an array of ``n`` or one value for all of them."""
        for c in self.columns:
            v, dtype = values[c], self.dtypes.get(c)
            if np.ndim(v):
                self._parts[c].append(np.asarray(v))
            else:  # text as objects: numpy's own text type would cut it to one character
                self._parts[c].append(np.full(n, v, dtype=object if dtype in ("str", "object") else dtype))
        self._rows += n
        self._joined = {}

    def __len__(self) -> int:
        return self._rows

    def __getitem__(self, column: str) -> np.ndarray:
        if column not in self._joined:
            parts = self._parts[column]
            self._joined[column] = (np.concatenate(parts) if parts
                                    else np.array([], dtype=self.dtypes.get(column, "float64")))
        return self._joined[column]

    def frame(self) -> pd.DataFrame:
        """The rows as a data frame, columns in order."""
        out = pd.DataFrame({c: self[c] for c in self.columns})
        return out.astype({c: d for c, d in self.dtypes.items() if c in out})


def turbulence(errors: pd.DataFrame, origin: int, cap: float = SIGMA_CAP) -> float:
    """The turbulence factor at ``origin`` (see the module docstring): median |z| of the errors at
    horizons 1–3 whose target index is in ``(origin - 3, origin]`` over the median |z| of all known
    errors at those horizons, clipped to ``[1, cap]``; 1 with fewer than 5 recent or
    :data:`MIN_CALIBRATION` known errors."""
    if errors is None or not len(errors):
        return 1.0
    h, target, z = _columns(errors, "h", "target_idx", "z")
    known = np.isin(h, TURBULENCE_HORIZONS) & (target <= origin) & np.isfinite(z)
    z_known = np.abs(z[known])
    recent = z_known[target[known] > origin - TURBULENCE_RECENT_MONTHS]
    if len(recent) < TURBULENCE_MIN_RECENT or len(z_known) < MIN_CALIBRATION:
        return 1.0
    base = float(np.median(z_known))
    if base <= 0:
        return 1.0
    return float(np.clip(np.median(recent) / base, 1.0, cap))


def aci_multipliers(batches: pd.DataFrame, origin: int, h: int, eta: float = ETA) -> dict[int, float]:
    """Adaptive conformal multipliers ``{80: k80, 95: k95}`` at ``origin`` for horizon ``h``:
    ``exp(eta * sum(miss - alpha))`` over the batches (one per earlier origin: the share of its
    horizon-``h`` cases outside the band) whose target index is at most ``origin`` (a batch with no
    scored case, NaN, counts nothing)."""
    if batches is None or not len(batches):
        return {80: 1.0, 95: 1.0}
    hs, target = _columns(batches, "h", "target_idx")
    known = (hs == h) & (target <= origin)
    return {lv: float(np.exp(eta * float(np.nansum(_columns(batches, f"miss{lv}")[0][known] - a))))
            for lv, a in LEVEL_ALPHAS.items()}


def _known_errors(errors: pd.DataFrame, origin: int, h: int, column: str) -> np.ndarray:
    """``column`` of the errors at horizon ``h`` whose target month is at most ``origin``."""
    hs, target, values = _columns(errors, "h", "target_idx", column)
    return values[(hs == h) & (target <= origin)]


def interval_quantiles(errors: pd.DataFrame, origin: int, h: int) -> np.ndarray | None:
    """Conformal quantiles at ``origin`` for horizon ``h``: :func:`conformal_quantiles` of the
    errors at that horizon whose target month is at most ``origin``, each divided by the
    turbulence factor of its own origin (column ``zn``)."""
    if errors is None or not len(errors):
        return None
    return conformal_quantiles(_known_errors(errors, origin, h, "zn"))


def interval_offsets(errors: pd.DataFrame, batches: pd.DataFrame, origin: int, h: int, scale: np.ndarray,
                     resid_band: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool, float, dict[int, float]]:
    """Offsets (series × 4, log scale, order of :data:`models.QUANTILE_PROBS`) of the band used and
    of the plain conformal band (no turbulence factor, no multiplier), whether the conformal rule
    applied, the turbulence factor and the multipliers."""
    q = interval_quantiles(errors, origin, h)
    sigma = turbulence(errors, origin)
    k = aci_multipliers(batches, origin, h)
    kvec = np.array([k[95], k[80], k[80], k[95]])
    if q is None:
        return resid_band * kvec[None, :], resid_band, False, sigma, k
    plain = conformal_quantiles(_known_errors(errors, origin, h, "z"))
    plain_off = scale[:, None] * (plain if plain is not None else q)[None, :]
    return scale[:, None] * sigma * q[None, :] * kvec[None, :], plain_off, True, sigma, k

