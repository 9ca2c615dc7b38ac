"""Rolling-origin backtest of the occupation forecasts, and the forecast itself.

One code path makes every forecast: :func:`forecast_at_origin` (components of one origin,
:func:`analysis.forecast.components.origin_components`, the fixed combination, the adaptive
conformal interval of :mod:`analysis.forecast.intervals`). The backtest calls it at every origin in
time order; the live forecast and a forecast "made then" for a past review call it at their origin
with the backtest's errors known at that origin (:func:`forecast_from`). The accuracy measures and
tables of a backtest: :mod:`analysis.forecast.accuracy`. Method, what was tried and dropped, and the
figures: ``docs/forecast_method.md``.

Protocol
--------
- Origins: every third month (January, April, July, October). Reported (test) origins
  :data:`ORIGIN_FIRST` (2015-01) … :data:`ORIGIN_LAST` (2023-07); the same code also runs at the
  earlier origins from :data:`CALIBRATION_FIRST` (2011-01, the first month at which the
  forecastability rule can select a series): their errors feed the intervals of later origins,
  and those with targets before 2015-01 are the validation cases.
- At an origin only data up to and including that month are used: the series forecast (and the
  series that train the pooled regression and give interval errors) are those the
  forecastability rule selects with data up to the origin (:attr:`models.Panel.active`);
  regression coefficients are refitted at every origin; ETS parameters are those fitted at the
  latest January on data up to it (:func:`analysis.forecast.components.ets_anchor`, the same rule
  live); interval quantiles and widening use only errors whose target month is at most the origin.
- Horizons 1–12. A case is scored where the actual and every compared forecast exist.
- Relative MASE at h = mean over series of MAE_final / MAE_seasonal-naive at that horizon.

The forecast
------------
- Point: a weighted mean on the log1p scale of the pooled regression, ETS, seasonal naive and
  naive with one fixed weight vector per measure and horizon (:data:`HORIZON_WEIGHTS`), chosen on
  the six development regions (never on Keski-Pohjanmaa's test origins). Long horizons lean on the
  seasonal naive: the regression and ETS extrapolate trends that turn.
- Intervals, per horizon, asymmetric: the empirical 2.5/10/90/97.5 % quantiles of the final
  forecast's own past errors at the same horizon known at the origin, scaled by the series' scale,
  the turbulence factor and an adaptive conformal multiplier (the rules:
  :mod:`analysis.forecast.intervals`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.forecast import models
from analysis.forecast.components import all_components, origin_components
from analysis.forecast.intervals import GrowingTable, aci_multipliers, interval_offsets
from analysis.forecast.models import HORIZONS, SEASON, Features, Panel

ORIGIN_FIRST = "2015-01"
ORIGIN_LAST = "2023-07"
ORIGIN_STEP = 3
CALIBRATION_FIRST = "2011-01"
"""First backtest origin (quarterly); errors from here on feed the intervals."""
HEADLINE_H = 6
HORIZON_WEIGHTS: dict[str, dict[int, tuple[float, ...]]] = {
    "unemployed_jobseekers": {
        1: (0.2, 0.7, 0.0, 0.1), 2: (0.4, 0.5, 0.0, 0.1), 3: (0.3, 0.5, 0.1, 0.1), 4: (0.3, 0.5, 0.1, 0.1),
        5: (0.3, 0.5, 0.1, 0.1), 6: (0.2, 0.5, 0.2, 0.1), 7: (0.1, 0.6, 0.2, 0.1), 8: (0.0, 0.5, 0.4, 0.1),
        9: (0.0, 0.4, 0.5, 0.1), 10: (0.0, 0.5, 0.5, 0.0), 11: (0.0, 0.3, 0.6, 0.1), 12: (0.0, 0.0, 0.3, 0.7)},
    "open_vacancies": {
        1: (0.6, 0.3, 0.1, 0.0), 2: (0.5, 0.2, 0.0, 0.3), 3: (0.6, 0.2, 0.0, 0.2), 4: (0.8, 0.1, 0.0, 0.1),
        5: (0.6, 0.3, 0.0, 0.1), 6: (0.7, 0.1, 0.0, 0.2), 7: (0.8, 0.0, 0.1, 0.1), 8: (0.6, 0.1, 0.2, 0.1),
        9: (0.4, 0.1, 0.3, 0.2), 10: (0.8, 0.0, 0.1, 0.1), 11: (0.6, 0.0, 0.3, 0.1), 12: (0.0, 0.0, 0.3, 0.7)},
}
"""Weights (order :data:`models.COMPONENTS`: pooled, ETS, seasonal naive, naive) per measure and
horizon: the 0.1-grid vector with the lowest mean relative MASE on the six development regions'
test-origin cases of that measure (Keski-Pohjanmaa not used). Vacancies lean on the global pooled
regression, unemployed jobseekers on ETS; at h = 12 seasonal naive and naive are the same forecast."""
DEFAULT_MEASURE = "unemployed_jobseekers"
"""Whose weights a series id without a known measure gets."""


def combination_weights(ids: tuple[str, ...] | list[str], h: int) -> np.ndarray:
    """The weight matrix (series × components) at horizon ``h`` for series ids ``measure|level|group``."""
    rows = []
    for sid in ids:
        table = HORIZON_WEIGHTS.get(sid.split("|", 1)[0], HORIZON_WEIGHTS[DEFAULT_MEASURE])
        rows.append(table.get(h, models.DEFAULT_WEIGHTS))
    return np.array(rows, dtype="float64").reshape(len(rows), len(models.COMPONENTS))


COMBO_WEIGHTS: tuple[float, ...] = (0.0, 0.5, 0.5, 0.0)
"""The benchmark rival: equal-weight mean (log1p) of damped ETS and seasonal naive."""


def origins_between(months: tuple[str, ...] | list[str], first: str, last: str, step: int = ORIGIN_STEP) -> list[str]:
    """Origins from ``first`` to ``last`` every ``step`` months that are in ``months``."""
    span = pd.period_range(first, last, freq="M")[::step]
    have = set(months)
    return [str(p) for p in span if str(p) in have]


def official_origins(months: tuple[str, ...] | list[str]) -> list[str]:
    """The protocol's origins (2015-01 … 2023-07, quarterly) present in the data."""
    return origins_between(months, ORIGIN_FIRST, ORIGIN_LAST)


def _before(month: str) -> str:
    return str(pd.Period(month, freq="M") - 1)


# ---- the backtest -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Calibration:
    """The fixed rules and the adaptive state at the last origin (see the module docstring)."""

    weights: dict[str, dict[int, tuple[float, ...]]]  # measure -> horizon -> weights (order of models.COMPONENTS)
    k80: float  # the adaptive multipliers at h = 6 at the last origin (reported)
    k95: float
    validation_cases: int  # cases with origin and target before the first test origin
    window: str


@dataclass(frozen=True)
class BacktestResult:
    """Forecast cases of a backtest and how long it took."""

    # cases: series_id, origin, h, target, actual, naive, snaive, ets, pooled, mean_pe, combo, final,
    # lo80, hi80, lo95, hi95, ...
    cases: pd.DataFrame
    scales: pd.Series  # series_id -> MASE scale
    seconds: float
    cpu_seconds: float  # this process only (not the forked processes of all_components)
    errors: pd.DataFrame  # log errors of the final forecast at every origin: series_id, origin_idx, h, target_idx, z, zn
    calibration: Calibration | None = None
    validation: pd.DataFrame = field(default_factory=pd.DataFrame)  # the validation cases, same columns as ``cases``
    batches: pd.DataFrame = field(default_factory=pd.DataFrame)  # origin_idx, h, target_idx, miss80, miss95


ERROR_COLUMNS = ["series_id", "origin_idx", "h", "target_idx", "z", "zn"]
CASE_COLUMNS = ["series_id", "origin", "h", "target", "actual", "naive", "snaive", "pooled", "mean_pe", "combo",
                "final", "ets", "lo95", "lo80", "hi80", "hi95", "conformal", "sigma", "k80", "k95", "lo80_unscaled",
                "hi80_unscaled", "lo80_residual", "hi80_residual"]
BATCH_COLUMNS = ["origin_idx", "h", "target_idx", "miss80", "miss95"]


def forecast_at_origin(panel: Panel, f: Features, extra_f: list[tuple[Panel, Features]], origin: int,
                       errors: pd.DataFrame | None, batches: pd.DataFrame | None,
                       horizons: tuple[int, ...] = HORIZONS,
                       components: dict[int, dict[str, np.ndarray]] | None = None) -> dict[int, dict[str, np.ndarray]]:
    """Every forecast of one origin, per horizon: the components (log1p), ``final``, ``mean_pe``,
    ``combo`` and the bands ``band`` (used), ``band_plain`` and ``band_resid`` (series × 4, log1p),
    plus ``conformal`` (bool) and ``sigma``. ``errors``/``batches``: the backtest's, filtered here
    to what is known at the origin. Series not selected at the origin are NaN. ``components``: this
    origin's :func:`origin_components` when already computed (the backtest computes them in parallel)."""
    comps = components if components is not None else origin_components(panel, f, extra_f, origin, horizons)
    scale = f.scale[origin]
    out = {}
    for h, logs in comps.items():
        final = models.combine(combination_weights(panel.ids, h), logs)
        active = panel.active_at(origin)
        final = np.where(active, final, np.nan)
        off, plain, conformal, sigma, k = interval_offsets(errors, batches, origin, h, scale, logs["resid_band"])
        out[h] = {**logs, "final": final,
                  "mean_pe": models.combine(models.DEFAULT_WEIGHTS, logs),
                  "combo": models.combine(COMBO_WEIGHTS, logs),
                  "band": final[:, None] + off, "band_plain": final[:, None] + plain,
                  "band_resid": final[:, None] + logs["resid_band"], "conformal": conformal, "sigma": sigma,
                  "k80": k[80], "k95": k[95]}
    return out


def _miss(actual: np.ndarray, band: np.ndarray) -> tuple[float, float]:
    """Shares of the cases with an actual outside the 80 % and the 95 % band (counts)."""
    ok = np.isfinite(actual) & np.isfinite(band).all(axis=1)
    if not ok.any():
        return float("nan"), float("nan")
    a, b = actual[ok], models.to_counts(band[ok])
    miss80 = float(np.mean((a < b[:, 1]) | (a > b[:, 2])))
    miss95 = float(np.mean((a < b[:, 0]) | (a > b[:, 3])))
    return miss80, miss95



def mase_scale(values: np.ndarray) -> np.ndarray:
    """In-sample mean absolute seasonal difference per column (months × series)."""
    diff = np.abs(values[SEASON:] - values[:-SEASON])
    with np.errstate(invalid="ignore"):
        return np.nanmean(diff, axis=0) if len(diff) else np.full(values.shape[1], np.nan)



def run_backtest(panel: Panel, origins: list[str], extra: list[Panel] | None = None,
                 horizons: tuple[int, ...] = HORIZONS, calibration_first: str = CALIBRATION_FIRST,
                 jobs: int | None = None) -> BacktestResult:
    """Forecast every selected series from every origin at every horizon (see the protocol above).
    The origins' components are computed in ``jobs`` processes (:func:`all_components`); the
    intervals, which learn from earlier origins, then in time order.

    The same code also runs at the quarterly origins from ``calibration_first`` to the month before
    ``origins[0]``; their errors feed the intervals and those with targets before ``origins[0]``
    are the validation cases.
    """
    wall, cpu = time.perf_counter(), time.process_time()
    f = models.features(panel)
    extra_f = [(p, models.features(p)) for p in (extra or [])]
    idx = [panel.index_of(o) for o in origins]
    first = idx[0] if idx else len(panel.months)
    calib = ([panel.index_of(o) for o in origins_between(panel.months, calibration_first, _before(origins[0]))]
             if origins else [])
    n_months = len(panel.months)
    # an origin at the data's last month has no target inside the data: nothing to test or learn from
    run = [o for o in sorted(set(calib + idx)) if panel.active_at(o).any() and o + min(horizons) < n_months]
    horizons_at = {o: tuple(h for h in horizons if o + h < n_months) for o in run}
    components = all_components(panel, f, extra_f, horizons_at, jobs)
    errors = GrowingTable(ERROR_COLUMNS, {"series_id": "object", "origin_idx": "int64", "h": "int64",
                                          "target_idx": "int64", "z": "float64", "zn": "float64"})
    batches = GrowingTable(BATCH_COLUMNS, {"origin_idx": "int64", "h": "int64", "target_idx": "int64",
                                           "miss80": "float64", "miss95": "float64"})
    rows = GrowingTable(CASE_COLUMNS, {"origin": "str", "target": "str", "h": "int64", "conformal": "bool"})
    ids = np.array(panel.ids, dtype=object)
    for origin in run:
        out = forecast_at_origin(panel, f, extra_f, origin, errors, batches, horizons_at[origin],
                                 components=components.pop(origin))
        learned: list[dict] = []  # what this origin teaches later origins, added once it is done
        for h, fc in out.items():
            target = origin + h
            act = panel.active_at(origin)
            actual = panel.values[target]
            z = (f.logy[target] - fc["final"]) / f.scale[origin]
            sigma = fc["sigma"]
            keep = act & np.isfinite(z)
            m80, m95 = _miss(np.where(act, actual, np.nan), fc["band"])
            learned.append({"n": int(keep.sum()), "series_id": ids[keep], "origin_idx": origin, "h": h,
                            "target_idx": target, "z": z[keep], "zn": z[keep] / sigma,
                            "batch": {"origin_idx": origin, "h": h, "target_idx": target, "miss80": m80,
                                      "miss95": m95}})
            b, bp, br = fc["band"], fc["band_plain"], fc["band_resid"]
            ets_c = np.where(np.isfinite(fc["ets"]), models.to_counts(fc["ets"]), np.nan)
            rows.add(int(act.sum()), **{
                "series_id": ids[act], "origin": panel.months[origin], "h": h, "target": panel.months[target],
                "actual": actual[act],
                **{m: models.to_counts(fc[m][act]) for m in ("naive", "snaive", "pooled", "mean_pe", "combo", "final")},
                "ets": ets_c[act],
                "lo95": models.to_counts(b[act, 0]), "lo80": models.to_counts(b[act, 1]),
                "hi80": models.to_counts(b[act, 2]), "hi95": models.to_counts(b[act, 3]),
                "conformal": fc["conformal"], "sigma": fc["sigma"], "k80": fc["k80"], "k95": fc["k95"],
                "lo80_unscaled": models.to_counts(bp[act, 1]), "hi80_unscaled": models.to_counts(bp[act, 2]),
                "lo80_residual": models.to_counts(br[act, 1]), "hi80_residual": models.to_counts(br[act, 2]),
            })
        # what this origin's forecasts will teach later origins (each used only once its target is known)
        for part in learned:
            errors.add(part.pop("n"), **{c: part[c] for c in ERROR_COLUMNS})
            batches.add(1, **part["batch"])
    errors, batches = errors.frame(), batches.frame()
    allcases = rows.frame() if len(rows) else pd.DataFrame()
    if len(allcases):
        test = allcases["origin"] >= (origins[0] if origins else "9999")
        cases = allcases[test].reset_index(drop=True)
        validation = allcases[~test & (allcases["target"] < (origins[0] if origins else "9999"))].reset_index(drop=True)
    else:
        cases = validation = allcases
    errors["origin"] = [panel.months[i] for i in errors["origin_idx"]]
    last = run[-1] if run else 0
    k_last = aci_multipliers(batches, last, HEADLINE_H)
    calibration = Calibration({m: dict(w) for m, w in HORIZON_WEIGHTS.items()}, k_last[80], k_last[95],
                              int(len(validation)),
                              f"{calibration_first}..{_before(origins[0]) if origins else ''}, targets before "
                              f"{origins[0] if origins else ''}")
    scales = pd.Series(mase_scale(panel.values[:first]), index=list(panel.ids), name="scale")
    return BacktestResult(cases, scales, time.perf_counter() - wall, time.process_time() - cpu, errors,
                          calibration, validation, batches)


def forecast_from(panel: Panel, origin: str, extra: list[Panel] | None = None,
                  horizons: tuple[int, ...] = HORIZONS, result: BacktestResult | None = None) -> pd.DataFrame:
    """The final forecast with 80 % and 95 % intervals from ``origin`` for every series selected at
    that origin, made exactly as the backtest makes it (:func:`forecast_at_origin`) with the
    backtest's errors and batches known at ``origin`` (none without ``result``: the pooled
    regression's residual band). Uses data up to ``origin`` only.

    Long frame: series_id, origin, h, target (``YYYY-MM``), forecast, lo80, hi80, lo95, hi95.
    """
    f = models.features(panel)
    o = panel.index_of(origin)
    extra_f = [(p, models.features(p)) for p in (extra or [])]
    errors = result.errors if result is not None else None
    batches = result.batches if result is not None else None
    out = forecast_at_origin(panel, f, extra_f, o, errors, batches, horizons)
    act = panel.active_at(o)
    ids = np.array(panel.ids)[act]
    start = pd.Period(origin, freq="M")
    rows = []
    for h, fc in out.items():
        b = fc["band"][act]
        rows.append(pd.DataFrame({
            "series_id": ids, "origin": origin, "h": h, "target": str(start + h),
            "forecast": models.to_counts(fc["final"][act]),
            "lo95": models.to_counts(b[:, 0]), "lo80": models.to_counts(b[:, 1]),
            "hi80": models.to_counts(b[:, 2]), "hi95": models.to_counts(b[:, 3]),
        }))
    return pd.concat(rows, ignore_index=True)
