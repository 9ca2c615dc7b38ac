"""Occupation-group forecasts of an area: build the panel, run (or reuse) the backtest and the forecast.

This is the entry point the presentation layer, the review and the benchmark call (a stable API):

- :func:`occupation_panel` ``(store, area_code) -> OccupationData``: the candidate series, which of
  them the forecastability rule selects at each month (data up to that month only) and their signals.
- :func:`backtest` ``(data) -> (BacktestResult, cache_hit)``: the rolling-origin backtest
  (origins 2011-01…2023-07 quarterly; scored 2015-01…), cached on disk.
- :func:`known_backtest` ``(data) -> (BacktestResult | None, cache_hit)``: the same backtest over
  the protocol origins the data hold, however few (a past period's data cut at its end): what a
  forecast made then knows of the earlier forecasts.
- :func:`forecast` ``(data, origin=None) -> (frame, cache_hit)``: the forecast made at ``origin``
  (default: the last month) from the data up to that origin only, exactly as the backtest makes it:
  the forecast a past review would have shown. One row per series selected at the origin and
  horizon: ``series_id``, ``measure``, ``level``, ``group_code``, ``origin``, ``h`` (1–12),
  ``target`` (``YYYY-MM``), ``forecast`` (the point), ``lo80``, ``hi80``, ``lo95``, ``hi95``
  (persons or jobs; never negative).
- :func:`forecast_vs_actual` ``(data, origin) -> frame``: the same rows with ``actual`` (NaN where
  the target month is not in the data yet) and ``inside80`` — the forecast made then beside what
  happened.
- :func:`accuracy_summary` ``(result, h=6) -> AccuracySummary``: figures for a manager's sentence
  from the backtest's test cases: the median absolute error in persons of the ``h``-month
  forecasts ("half of the forecasts six months ahead were within ±N persons"), the share of
  actuals inside the 80 % band, the number of cases and origins.

Caching: both results are stored under ``data/cache/forecast`` keyed on the input data (every
value and the selection mask) AND the source of the forecast modules; a review on a warm cache
reads them and never refits (``cache_hit`` is True).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from analysis import cache
from analysis.forecast import backtest as bt
from analysis.forecast import models
from analysis.indicators import skills
from analysis.schema import TOTAL, Store
from analysis.store.scope import Scope

NATIONAL = "SSS"


@dataclass(frozen=True)
class OccupationData:
    """An area's group series, which of them are forecast, and the panels the models use."""

    area_code: str
    series: pd.DataFrame  # skills.group_series of the area
    national_series: pd.DataFrame  # the same for the whole country
    forecastable: pd.DataFrame  # skills.forecastability of the area
    panel: models.Panel  # the forecast series with their signals
    extra: tuple[models.Panel, ...]  # the whole country's forecastable groups (pooled training rows)

    def key(self) -> str:
        """Cache key of the input data and the forecast code."""
        return cache.digest(
            self.area_code, self.panel.digest_bytes(), *(p.digest_bytes() for p in self.extra),
            cache.code_digest("forecast", "indicators/skills.py"),
        )


def _total_like(wide_all: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """For each series id, the total series of the same measure (columns renamed to the ids)."""
    cols = {sid: skills.series_id(skills.split_series_id(sid)[0], "total", TOTAL) for sid in ids}
    out = pd.DataFrame({sid: wide_all[col] for sid, col in cols.items()}, index=wide_all.index)
    return out


NotEnoughData = models.NotEnoughData
MIN_ORIGINS = 24
"""The protocol needs at least this many origins; fewer raise :class:`NotEnoughData`."""


def occupation_panel(store: Store, area_code: str, last_month: str | None = None,
                     series: pd.DataFrame | None = None) -> OccupationData:
    """The forecastable series of ``area_code`` (data up to ``last_month``) as a panel, with the whole
    country's same groups as signals and as extra pooled training rows. ``series``: the area's
    :func:`skills.group_series` when already computed. Raises :class:`NotEnoughData` when no series
    can be forecast."""
    series = skills.group_series(store, area_code) if series is None else series
    national = skills.group_series(store, NATIONAL) if area_code != NATIONAL else series
    if last_month is not None:
        series = series[series["period"] <= last_month]
        national = national[national["period"] <= last_month]
    fc = skills.forecastability(series)
    wide = skills.wide_values(series)
    active = skills.forecastable_at(wide)
    # candidates: every series the rule selects at some month; which of them are forecast (and
    # train the models) is decided at each origin from the data up to it (Panel.active)
    ids = [c for c in wide.columns if bool(active[c].any())]
    if not ids or not fc["forecast"].any():
        raise NotEnoughData(f"no occupation series of {area_code} has enough data to forecast")
    nat_wide = skills.wide_values(national).reindex(wide.index)
    panel = models.panel_from_wide(wide[ids], nat_wide.reindex(columns=ids), _total_like(wide, ids), active[ids])
    nat_active = skills.forecastable_at(nat_wide)
    nat_ids = [c for c in nat_wide.columns if skills.split_series_id(c)[1] == "2" and bool(nat_active[c].any())]
    extra: tuple[models.Panel, ...] = ()
    if area_code != NATIONAL and nat_ids:
        extra = (models.panel_from_wide(nat_wide[nat_ids], nat_wide[nat_ids], _total_like(nat_wide, nat_ids),
                                        nat_active[nat_ids]),)
    return OccupationData(area_code, series, national, fc, panel, extra)


def backtest(data: OccupationData, origins: list[str] | None = None, use_cache: bool = True) -> tuple[bt.BacktestResult, bool]:
    """The protocol's backtest (or one over ``origins``); ``(result, cache_hit)``. Raises
    :class:`NotEnoughData` when the data hold fewer than :data:`MIN_ORIGINS` protocol origins."""
    if origins is None:
        origins = bt.official_origins(data.panel.months)
        if len(origins) < MIN_ORIGINS:
            raise NotEnoughData(f"the data hold {len(origins)} backtest origins; the protocol needs {MIN_ORIGINS}")

    def compute() -> bt.BacktestResult:
        return bt.run_backtest(data.panel, origins, list(data.extra))

    if not use_cache:
        return compute(), False
    return cache.cached("forecast", "backtest", (data.key(), *origins), compute)


def known_backtest(data: OccupationData, use_cache: bool = True) -> tuple[bt.BacktestResult | None, bool]:
    """The backtest over the protocol origins the data hold, however few: what a forecast made at the
    data's last month knows of earlier forecasts (their errors feed its interval); ``(result,
    cache_hit)``; data that end before the first protocol origin (2015-01) get the calibration
    origins' errors and no test cases, ``(None, False)`` when they hold no origin at all.

    Every origin uses data up to itself only, so a forecast made at a past month from data cut
    there (a past period's review) equals the forecast made at that month from the full data.
    :func:`backtest` (the published accuracy) still needs :data:`MIN_ORIGINS`. Raises
    :class:`NotEnoughData` when the data hold fewer origins because they *begin* too late (after
    :data:`backtest.CALIBRATION_FIRST`), not because they end early: those are too short."""
    origins = bt.official_origins(data.panel.months)
    if len(origins) < MIN_ORIGINS and data.panel.months[0] > bt.CALIBRATION_FIRST:
        raise NotEnoughData(f"the data begin {data.panel.months[0]}, after {bt.CALIBRATION_FIRST}, and hold "
                            f"{len(origins)} backtest origins; the protocol needs {MIN_ORIGINS}")
    if not origins:
        # data that end before the first protocol origin: the calibration origins alone, whose errors
        # feed the interval exactly as in the full backtest; they are validation cases, never
        # published as accuracy (no test cases)
        calibration = bt.origins_between(data.panel.months, bt.CALIBRATION_FIRST, bt.ORIGIN_LAST)
        if not calibration:
            return None, False
        result, hit = backtest(data, origins=calibration, use_cache=use_cache)
        return dataclasses.replace(result, cases=result.cases.iloc[:0]), hit
    return backtest(data, origins=origins, use_cache=use_cache)


def forecast(data: OccupationData, origin: str | None = None, use_cache: bool = True) -> tuple[pd.DataFrame, bool]:
    """The forecast made at ``origin`` (default: the last month) from data up to that origin, with
    the series' labels added (columns in the module docstring). It uses the past errors of the
    backtest over the protocol origins the data hold (:func:`known_backtest`, cached), known at
    the origin; with none (data ending before 2015-01 or beginning after 2011-01), the pooled
    regression's residual band."""
    origin = origin or data.panel.months[-1]

    # the backtest's past errors and batches known at the origin make the forecast's interval
    try:
        result = known_backtest(data, use_cache=use_cache)[0]
    except NotEnoughData:  # data that begin late: the residual band
        result = None

    def compute() -> pd.DataFrame:
        out = bt.forecast_from(data.panel, origin, list(data.extra), result=result)
        parts = out["series_id"].str.split("|", expand=True)
        out["measure"], out["level"], out["group_code"] = parts[0], parts[1], parts[2]
        return out

    if not use_cache:
        return compute(), False
    return cache.cached("forecast", "forecast", (data.key(), origin), compute)


def forecast_vs_actual(data: OccupationData, origin: str, use_cache: bool = True) -> pd.DataFrame:
    """The forecast made at ``origin`` (see :func:`forecast`) with the actual value of each target
    month (NaN when not yet in the data) and ``inside80`` (actual within the 80 % band; NaN
    without an actual)."""
    fc, _ = forecast(data, origin, use_cache=use_cache)
    months = {m: k for k, m in enumerate(data.panel.months)}
    col = {sid: k for k, sid in enumerate(data.panel.ids)}
    actual = [data.panel.values[months[tm], col[sid]] if tm in months else float("nan")
              for tm, sid in zip(fc["target"], fc["series_id"])]
    out = fc.copy()
    out["actual"] = actual
    inside = (out["actual"] >= out["lo80"]) & (out["actual"] <= out["hi80"])
    out["inside80"] = inside.where(out["actual"].notna())
    return out


@dataclass(frozen=True)
class AccuracySummary:
    """Backtest accuracy at one horizon in units a manager reads (test origins only)."""

    h: int
    median_abs_error: float  # persons or jobs: half of the forecasts were within ± this
    median_abs_error_pct: float  # the same relative to the actual value (%), cases with actual > 0
    coverage80: float  # share of actuals inside the 80 % band
    coverage95: float
    cases: int
    origins: int
    first_origin: str
    last_origin: str


def accuracy_summary(result: bt.BacktestResult, h: int = bt.HEADLINE_H, measure: str | None = None) -> AccuracySummary:
    """:class:`AccuracySummary` of the backtest's test cases at horizon ``h`` (optionally one
    ``measure``: ``unemployed_jobseekers`` or ``open_vacancies``)."""
    cases = result.cases
    cases = cases[(cases["h"] == h) & cases["actual"].notna() & cases["final"].notna()]
    if measure is not None:
        cases = cases[cases["series_id"].str.startswith(measure + "|")]
    err = (cases["final"] - cases["actual"]).abs()
    pos = cases["actual"] > 0
    inside80 = (cases["actual"] >= cases["lo80"]) & (cases["actual"] <= cases["hi80"])
    inside95 = (cases["actual"] >= cases["lo95"]) & (cases["actual"] <= cases["hi95"])
    origins = sorted(cases["origin"].unique())
    nan = float("nan")
    return AccuracySummary(
        h=h,
        median_abs_error=float(err.median()) if len(err) else nan,
        median_abs_error_pct=float((100 * err[pos] / cases.loc[pos, "actual"]).median()) if pos.any() else nan,
        coverage80=float(inside80.mean()) if len(cases) else nan,
        coverage95=float(inside95.mean()) if len(cases) else nan,
        cases=int(len(cases)), origins=len(origins),
        first_origin=origins[0] if origins else "", last_origin=origins[-1] if origins else "")


def forecast_summary(data: OccupationData, fc: pd.DataFrame, h: int = 6) -> pd.DataFrame:
    """Per forecast series: the value at the origin, the forecast ``h`` months ahead with its 80 %
    interval, the actual value a year before the target month and the forecast change from it (%).

    Columns: series_id, measure, level, group_code, origin, origin_value, target, forecast, lo80,
    hi80, year_ago, change_pct (NaN when the year-ago value is missing or 0).
    """
    part = fc[fc["h"] == h].copy()
    months = list(data.panel.months)
    values = pd.DataFrame(data.panel.values, index=months, columns=list(data.panel.ids))
    part["origin_value"] = [values.at[o, s] if o in values.index else float("nan")
                            for o, s in zip(part["origin"], part["series_id"])]
    year_ago = [Scope.year_ago(tm) for tm in part["target"]]
    part["year_ago"] = [values.at[m, s] if m in values.index else float("nan")
                        for m, s in zip(year_ago, part["series_id"])]
    base = part["year_ago"].where(part["year_ago"] > 0)
    part["change_pct"] = 100 * (part["forecast"] / base - 1)
    cols = ["series_id", "measure", "level", "group_code", "origin", "origin_value", "target", "forecast",
            "lo80", "hi80", "year_ago", "change_pct"]
    return part[cols].reset_index(drop=True)


def not_forecast(data: OccupationData) -> pd.DataFrame:
    """Series that are not forecast, with the reason and the figures behind it."""
    fc = data.forecastable
    return fc[~fc["forecast"]].reset_index(drop=True)


def history(data: OccupationData, series_id: str) -> pd.Series:
    """The monthly values of one series (NaN = month missing by the roll-up rule)."""
    i = data.panel.ids.index(series_id)
    return pd.Series(data.panel.values[:, i], index=list(data.panel.months), name=series_id)


