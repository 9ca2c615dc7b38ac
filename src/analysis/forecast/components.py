"""The components of the occupation forecast at one origin (pooled regression, ETS, seasonal naive,
naive), shared by the backtest and the live forecast, and their computation for many origins in
forked processes. :func:`analysis.forecast.backtest.forecast_at_origin` combines them.
"""

from __future__ import annotations

import os

import numpy as np

from analysis.forecast import models
from analysis.forecast.models import HORIZONS, Features, Panel


def ets_anchor(months: tuple[str, ...] | list[str], origin: int) -> int:
    """Index of the month whose data fix the ETS parameters used at ``origin``: the latest January
    at or before the origin (the origin itself when the data hold no earlier January). The state
    is always re-filtered up to the origin; the backtest and the live forecast use this same rule."""
    for k in range(origin, -1, -1):
        if months[k].endswith("-01"):
            return k
    return origin


class EtsParams:
    """Memo of ETS parameters per (anchor month, series): fitted once on data up to the anchor."""

    def __init__(self) -> None:
        self._memo: dict[tuple[int, int], dict[str, float] | None] = {}

    def get(self, f: Features, anchor: int, i: int) -> dict[str, float] | None:
        key = (anchor, i)
        if key not in self._memo:
            self._memo[key] = models.fit_ets(f.logy[: anchor + 1, i])
        return self._memo[key]


def origin_components(panel: Panel, f: Features, extra_f: list[tuple[Panel, Features]], origin: int,
                      horizons: tuple[int, ...] = HORIZONS, ets: EtsParams | None = None
                      ) -> dict[int, dict[str, np.ndarray]]:
    """Log1p forecasts of every component from ``origin`` for every horizon (series not selected at
    the origin: NaN). Uses data up to ``origin`` only: the pooled regression is refitted on the
    series selected at the origin, ETS parameters follow :func:`ets_anchor`."""
    ets = ets or EtsParams()
    active = panel.active_at(origin)
    fit = models.fit_pooled(panel, f, origin, horizons, extra_f)
    anchor = ets_anchor(panel.months, origin)
    hmax = max(horizons)
    ets_block = np.full((hmax, len(panel.ids)), np.nan)
    for i in np.flatnonzero(active):
        ets_block[:, i] = models.predict_ets(f.logy[: origin + 1, i], ets.get(f, anchor, i), hmax)
    out = {}
    for h in horizons:
        pooled, bounds = models.predict_pooled(fit, f, origin, h)
        logs = {"pooled": pooled, "ets": ets_block[h - 1], "snaive": models.predict_snaive(f, origin, h),
                "naive": models.predict_naive(f, origin), "resid_band": bounds - pooled[:, None]}
        for key in logs:
            logs[key] = np.where(active if logs[key].ndim == 1 else active[:, None], logs[key], np.nan)
        out[h] = logs
    return out


_SHARED: tuple | None = None
"""The panel, its features and the extra panels of the backtest being run, inherited by the forked
worker processes of :func:`all_components` (not pickled for each task)."""


def _components_of_year(origins: list[tuple[int, tuple[int, ...]]]) -> dict[int, dict[int, dict[str, np.ndarray]]]:
    panel, f, extra_f = _SHARED
    ets = EtsParams()
    return {o: origin_components(panel, f, extra_f, o, hs, ets) for o, hs in origins}


def backtest_jobs() -> int:
    """Processes for a backtest's components: the machine's cores (at most 4); 1 where processes
    cannot be forked or this process may not have children (a worker of a pool that already runs
    one backtest per core). The results are the same either way."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def all_components(panel: Panel, f: Features, extra_f: list[tuple[Panel, Features]],
                   horizons_at: dict[int, tuple[int, ...]], jobs: int | None = None
                   ) -> dict[int, dict[int, dict[str, np.ndarray]]]:
    """:func:`origin_components` of every origin in ``horizons_at`` (origin -> its horizons), in
    ``jobs`` forked processes (default :func:`backtest_jobs`). Origins sharing an ETS anchor (a
    year) go to one process, which fits their ETS parameters once; each origin depends only on its
    own data, so the result equals the sequential one exactly."""
    years: dict[int, list[tuple[int, tuple[int, ...]]]] = {}
    for o in sorted(horizons_at):
        years.setdefault(ets_anchor(panel.months, o), []).append((o, horizons_at[o]))
    jobs = backtest_jobs() if jobs is None else jobs
    global _SHARED
    _SHARED = (panel, f, extra_f)
    try:
        if jobs <= 1 or len(years) <= 1:
            parts = [_components_of_year(group) for group in years.values()]
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from threadpoolctl import threadpool_limits

            # the longest years first, so the last task to start is a short one; one BLAS thread per
            # process (the children inherit it): the matrices are small, and BLAS threads in every
            # process on too few cores made the parallel run slower than the sequential one
            groups = sorted(years.values(), key=len, reverse=True)
            # imported once here and inherited by the children (each importing it made the parallel
            # run twice as slow as the sequential one)
            models.preload()
            with threadpool_limits(limits=1, user_api="blas"), ProcessPoolExecutor(
                    max_workers=min(jobs, len(groups)), mp_context=multiprocessing.get_context("fork")) as pool:
                parts = list(pool.map(_components_of_year, groups))
    finally:
        _SHARED = None
    return {o: comps for part in parts for o, comps in part.items()}
