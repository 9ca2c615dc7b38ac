"""The action plan's operational scorecard (toiminnallinen mittaristo): values, change, status.

One row per metric of ``data/kpi/metrics.csv`` (the foreign-language metric has two rows, one
per component). Values come from three places:

- public data in the store: open vacancies (12r5 ``open_vacancies``), the change in long-term
  unemployed (12r5 ``long_term_unemployed``), and the foreign-language unemployment and
  employment rates (``indicators.foreign_language.kpi_values``);
- the list of reviews made (``outputs/index.json``) for the review metric;
- internal values imported from the staff workbook (``sources.workbook``).

Reference point: the last month of the reporting quarter. Monthly metrics show the latest month
up to it, quarterly metrics the quarter, annual metrics the year-to-date total (January to that
month). Change is from the previous month, the previous quarter, or the same months of the
previous year, and compares like with like: for internal metrics only the municipalities (and
months) reported in both periods, or no change with the reason (:func:`comparable_change`).
Targets are imported from the workbook's sheet ``Tavoitteet`` (one per metric, year and
municipality or the whole area). Status rule (see ``data/kpi/README.md``): with a target ``T``,
direction and tolerance ``d`` (default 10 % of ``|T|``): "higher is better" is on track when
``value ≥ T − d``, off track below; "lower is better" mirrors it. No target means no status; no
value means "no data" with the reason. A reporting period before the plan's first year
(:data:`~analysis.sources.workbook.PLAN_START_YEAR`) is the baseline (``is_baseline``).
Pure functions: no text, no HTML.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.config import ReportingPeriod, parse_period
from analysis.indicators import foreign_language, long_term
from analysis.schema import is_missing
from analysis.sources.workbook import ADDITIVE_UNITS, PLAN_START_YEAR, load_catalogue
from analysis.store.scope import Scope

ON_TRACK = "on_track"
OFF_TRACK = "off_track"
NO_TARGET = "no_target"
MISSING = "missing"
"""No data: no value for the period (``reason`` says why)."""
STATUSES: tuple[str, ...] = (ON_TRACK, OFF_TRACK, NO_TARGET, MISSING)
AT_RISK = "at_risk"
"""No longer given (a value within the tolerance is on track); :func:`status_counts` still counts it as 0
for callers written for the earlier three-band rule."""
DEFAULT_TOLERANCE_SHARE = 0.10
"""Tolerance when the catalogue gives none: 10 % of the target's absolute value."""
CHANGE_SAME = ""
CHANGE_COMMON = "common_units"
"""The change covers only the municipalities (and months) reported in both periods (``change_detail``)."""
CHANGE_NO_PREVIOUS = "no_previous"
"""No change: the previous period has no value (e.g. vacancies published for quarter-end months only)."""
CHANGE_NOT_COMPARABLE = "not_comparable"
"""No change: the two periods share no municipality or month (e.g. a whole-area figure against municipal ones)."""
TREND_POINTS: dict[str, int] = {"M": 12, "Q": 8, "A": 4}
"""How many points the trend shows: 12 months, 8 quarters or 4 years (year to date)."""

# Reasons why a value is missing (the present layer turns them into Finnish/Swedish text).
R_NOT_IN_STORE = "not_in_store"  # detail "<table>:<measure>"
R_NO_INTERNAL = "no_internal_data"
R_NO_VALUE = "no_value_in_period"
R_AREA_FIGURE = "area_figure_missing"
R_NOT_INTERNAL_AREA = "area_without_workbook"
R_REVIEW_INDEX = "review_index_unreadable"

COMPONENTS: dict[str, list[tuple[str, str | None]]] = {
    "foreign_language_rates": [("unemployment_rate", None), ("employment_rate", "higher")],
}
"""Metrics with more than one figure: component and its direction (None = the catalogue's).
The catalogue's target and tolerance apply to the first component only."""

SERIES_COLUMNS = ["metric_id", "component", "period", "value", "coverage"]
SCORECARD_COLUMNS = [
    "metric_id", "component", "section", "goal_fi", "goal_sv", "name_fi", "name_sv", "unit", "frequency",
    "direction", "source", "persons", "target", "tolerance", "period", "value", "previous_period",
    "previous_value", "change", "change_basis", "change_detail", "coverage", "effective_target", "status",
    "reason", "reason_detail", "is_example", "target_is_example", "is_baseline",
]


def status(value: float, target: float, direction: str, tolerance: float = math.nan) -> str:
    """On track / off track for ``value`` against ``target`` (see the module docstring).

    ``tolerance`` is how far the value may fall short of the target (on the worse side) and still be
    on track, in the metric's unit; NaN means 10 % of ``|target|``. No value gives ``missing`` (no
    data); a value without a target gives ``no_target``.
    """
    if is_missing(value):
        return MISSING
    if is_missing(target):
        return NO_TARGET
    band = abs(target) * DEFAULT_TOLERANCE_SHARE if is_missing(tolerance) else tolerance
    gap = value - target if direction == "higher" else target - value
    return ON_TRACK if gap >= -band else OFF_TRACK


def _empty_series() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else "str") for c in SERIES_COLUMNS})


def _series(metric_id: str, values: pd.Series, component: str = "", coverage: pd.Series | None = None
            ) -> pd.DataFrame:
    out = pd.DataFrame({"metric_id": metric_id, "component": component, "period": values.index.astype(str),
                        "value": values.to_numpy(dtype="float64")})
    out["coverage"] = "" if coverage is None else coverage.reindex(values.index).fillna("").to_numpy()
    return out[SERIES_COLUMNS]


def area_monthly(scope: Scope, measure: str, table_id: str = "12r5") -> pd.Series:
    """Monthly ``measure`` for the area, indexed by ``YYYY-MM``: :meth:`Scope.counts`.

    The sum over its members (NaN when any member is missing); when the members are exactly the
    municipalities of the area's region, a month whose sum is missing takes the region's published
    total instead (StatFin's region total includes the cells it suppresses for small municipalities).
    """
    counts = scope.counts([measure], table_id)
    return counts.set_index("period")["value"].rename(measure)


def open_vacancies_series(scope: Scope) -> tuple[pd.DataFrame, str, str]:
    """Open vacancies at the end of each month (12r5 ``open_vacancies``; a count of jobs, not persons)."""
    if not scope.store.has("open_vacancies", "12r5", [*scope.members, scope.region]):
        return _empty_series(), R_NOT_IN_STORE, "12r5:open_vacancies"
    return _series("open_vacancies", area_monthly(scope, "open_vacancies").dropna()), "", ""


def long_term_change_series(scope: Scope) -> tuple[pd.DataFrame, str, str]:
    """Change in long-term unemployed from the same month a year earlier, % (:func:`long_term.area_change`)."""
    if not long_term.is_available(scope):
        return _empty_series(), R_NOT_IN_STORE, "12r5:long_term_unemployed"
    change = long_term.area_change(scope)
    change = change.set_index("period")["change_year_pct"].dropna()
    return _series("long_term_unemployed_change_pct", change), "", ""


def foreign_language_series(scope: Scope) -> tuple[pd.DataFrame, dict[str, tuple[str, str]]]:
    """Both components of "Vieraskielisten työttömyys- ja työllisyysaste" from the foreign-language module.

    Returns the series and, per component without values, the reason.
    """
    metric = "foreign_language_rates"
    reasons: dict[str, tuple[str, str]] = {}
    values = foreign_language.kpi_values(scope)
    parts = []
    for component, _ in COMPONENTS[metric]:
        rows = values[(values.get("component") == component) & values["value"].notna()] \
            if "component" in values else values.iloc[0:0]
        if "available" in rows:
            rows = rows[rows["available"].astype(bool)]
        own = rows[rows["area_code"] == scope.area.slug] if "area_code" in rows else rows
        if own.empty and "area_code" in rows:
            own = rows[rows["area_code"].isin([scope.region] if len(scope.members) > 1 else list(scope.members))]
        if own.empty:
            detail = "12r5:unemployed_jobseekers[language]" if component == "unemployment_rate" \
                else "employment:employment_rate_pct[language]"
            reasons[component] = (R_NOT_IN_STORE, detail)
            continue
        series = own.groupby("period")["value"].first().sort_index()
        parts.append(_series(metric, series, component))
    return (pd.concat(parts, ignore_index=True) if parts else _empty_series()), reasons


def reviews_series(scope: Scope, reviews: pd.DataFrame) -> pd.DataFrame:
    """Reviews published for the area per quarter, up to the quarter before the reporting period's:
    the distinct periods reviewed (a review in fi and sv counts once; monthly reviews count in their
    quarter). Only reviews published before the one being made count: an entry for the period being
    made is left out, so a review says the same whether or not it was published before (``--force``)."""
    end = pd.Period(scope.last_month, freq="M").asfreq("Q") - 1
    quarters = [str(q) for q in pd.period_range(end - (TREND_POINTS["Q"] - 1), end, freq="Q")]
    made = set(reviews.loc[reviews["area"] == scope.area.slug, "period"]) if not reviews.empty else set()
    made.discard(scope.period.code)
    counts = pd.Series([parse_period(p).quarter for p in made], dtype="str").value_counts()
    series = pd.Series([float(counts.get(q, 0)) for q in quarters], index=quarters)
    return _series("employment_reviews", series)


def internal_series(internal: pd.DataFrame, scope: Scope, catalogue: pd.DataFrame
                    ) -> tuple[pd.DataFrame, dict[str, tuple[str, str]]]:
    """Area-level monthly series of every internal metric from imported (or example) values.

    A whole-area row is the area's value. Without one, counts and euros are the sum of the
    municipal rows, with ``coverage`` "n/N" municipalities when not all reported; shares,
    scores and averages are not summed, so their area value is missing (reason
    ``area_figure_missing``).
    """
    reasons: dict[str, tuple[str, str]] = {}
    parts = []
    values = internal[internal["area"] == scope.area.slug]
    members = [c for c in scope.members if c.startswith("KU")]
    for row in catalogue[catalogue["source"] == "internal"].itertuples(index=False):
        own = values[values["metric_id"] == row.metric_id]
        if own.empty:
            reasons[row.metric_id] = (R_NO_VALUE, "")
            continue
        whole = own[own["municipality"] == scope.area.slug].set_index("month")["value"]
        munis = own[own["municipality"] != scope.area.slug]
        coverage = pd.Series(dtype="str")
        if row.unit in ADDITIVE_UNITS and not munis.empty:
            summed = munis.groupby("month")["value"].sum()
            reported = munis.groupby("month")["municipality"].nunique()
            coverage = reported.map(lambda n: "" if n >= len(members) else f"{n}/{len(members)}")
            series = summed.where(~summed.index.isin(whole.index), whole.reindex(summed.index))
            series = pd.concat([series, whole[~whole.index.isin(series.index)]]).sort_index()
            coverage = coverage[~coverage.index.isin(whole.index)]
        else:
            series = whole.sort_index()
        if series.empty:
            reasons[row.metric_id] = (R_AREA_FIGURE, "")
            continue
        parts.append(_series(row.metric_id, series, coverage=coverage))
    return (pd.concat(parts, ignore_index=True) if parts else _empty_series()), reasons


def metric_series(scope: Scope, internal: pd.DataFrame | None,
                  *, catalogue: pd.DataFrame | None = None, reviews: pd.DataFrame | None = None,
                  ) -> tuple[pd.DataFrame, dict[tuple[str, str], tuple[str, str]]]:
    """Every metric's series (monthly ``YYYY-MM``, quarterly ``YYYYQn`` or annual ``YYYY``) and the
    reason for each (metric, component) that has none."""
    catalogue = load_catalogue() if catalogue is None else catalogue
    reasons: dict[tuple[str, str], tuple[str, str]] = {}
    parts = []
    for func in (open_vacancies_series, long_term_change_series):
        series, reason, detail = func(scope)
        if reason:
            metric = "open_vacancies" if func is open_vacancies_series else "long_term_unemployed_change_pct"
            reasons[(metric, "")] = (reason, detail)
        parts.append(series)
    series, fl_reasons = foreign_language_series(scope)
    parts.append(series)
    reasons.update({("foreign_language_rates", c): r for c, r in fl_reasons.items()})
    if reviews is None:  # the caller could not read the index of published reviews
        reasons[("employment_reviews", "")] = (R_REVIEW_INDEX, "")
    else:
        parts.append(reviews_series(scope, reviews))
    internal_ids = catalogue.loc[catalogue["source"] == "internal", "metric_id"]
    if not any(c.startswith("KU") for c in scope.members):
        reasons.update({(m, ""): (R_NOT_INTERNAL_AREA, "") for m in internal_ids})
    elif internal is None or internal.empty or not (internal["area"] == scope.area.slug).any():
        reasons.update({(m, ""): (R_NO_INTERNAL, "") for m in internal_ids})
    else:
        series, in_reasons = internal_series(internal, scope, catalogue)
        parts.append(series)
        reasons.update({(m, ""): r for m, r in in_reasons.items()})
    parts = [p for p in parts if not p.empty]
    out = pd.concat(parts, ignore_index=True) if parts else _empty_series()
    return out, reasons


def _annual_ytd(monthly: pd.DataFrame, end_month: int) -> pd.DataFrame:
    """Year-to-date totals (January to ``end_month``) of a monthly flow, one row per year."""
    months = monthly.assign(year=monthly["period"].str[:4], m=monthly["period"].str[5:7].astype(int))
    months = months[months["m"] <= end_month]
    grouped = months.groupby("year")
    out = pd.DataFrame({"value": grouped["value"].sum(min_count=1), "n": grouped["value"].count()})
    out["coverage"] = [f"{n}/{end_month}" if n < end_month else "" for n in out["n"]]
    return out


def trend(series: pd.DataFrame, frequency: str, period: ReportingPeriod) -> pd.DataFrame:
    """The points of one metric's trend up to the reporting quarter (``period``, ``value``, ``coverage``).

    Monthly: the last 12 months; quarterly: the last 8 quarters; annual: the year-to-date
    total (January to the quarter's last month) of the last 4 years.
    """
    end = period.last_month
    if series.empty:
        return pd.DataFrame(columns=["period", "value", "coverage"])
    if frequency == "M":
        held = series[series["period"] <= end].sort_values("period")
        return held.tail(TREND_POINTS["M"])[["period", "value", "coverage"]].reset_index(drop=True)
    if frequency == "Q":
        held = series[series["period"] <= period.quarter].sort_values("period")
        return held.tail(TREND_POINTS["Q"])[["period", "value", "coverage"]].reset_index(drop=True)
    held = series[series["period"] <= end]
    ytd = _annual_ytd(held, int(end[5:]))
    ytd = ytd[ytd.index <= end[:4]].tail(TREND_POINTS["A"])
    return pd.DataFrame({"period": ytd.index.astype(str), "value": ytd["value"].to_numpy(),
                         "coverage": ytd["coverage"].to_numpy()})


def points(own: pd.DataFrame, frequency: str, period: ReportingPeriod) -> pd.DataFrame:
    """Trend points of one series (see :func:`trend`); annual levels (``YYYY`` periods) are kept as they are."""
    if own.empty:
        return pd.DataFrame(columns=["period", "value", "coverage"])
    if own["period"].str.len().max() == 4:  # annual levels, e.g. the employment rate
        end_year = period.last_month[:4]
        held = own[own["period"] <= end_year].sort_values("period").tail(TREND_POINTS["A"])
        out = held[["period", "value", "coverage"]]
    else:
        out = trend(own, frequency, period)
    return out[out["value"].notna()].reset_index(drop=True)


def previous_label(latest: str) -> str:
    """The period before ``latest``: previous month (``YYYY-MM``), quarter (``YYYYQn``) or year."""
    if len(latest) == 4:
        return str(int(latest) - 1)
    if "Q" in latest:
        return str(pd.Period(latest, freq="Q") - 1)
    return str(pd.Period(latest, freq="M") - 1)


def is_baseline(scope: Scope) -> bool:
    """True when the reporting period ends before the plan's first year: the scorecard is the baseline."""
    return int(scope.last_month[:4]) < PLAN_START_YEAR


def target_of(targets: pd.DataFrame | None, metric_id: str, year: int, where: str) -> float:
    """The imported target of ``metric_id`` for ``year`` and ``where`` (a municipality code or the area's
    slug), NaN when none is set."""
    if targets is None or targets.empty:
        return math.nan
    hit = targets[(targets["metric_id"] == metric_id) & (targets["year"].astype(int) == year)
                  & (targets["municipality"] == where)]
    return float(hit["target"].iloc[-1]) if not hit.empty else math.nan


def _cells(internal: pd.DataFrame, slug: str, months: list[str], additive: bool) -> dict[tuple[int, str], float]:
    """The figures behind an internal value over ``months``: (month's position, municipality or the area's
    slug) -> value; a month with a whole-area row counts as that row only, as in :func:`internal_series`."""
    cells: dict[tuple[int, str], float] = {}
    for pos, month in enumerate(months):
        own = internal[internal["month"] == month]
        whole = own[own["municipality"] == slug]
        if not whole.empty:
            cells[(pos, slug)] = float(whole["value"].iloc[-1])
        elif additive:
            cells.update({(pos, m): float(v) for m, v in zip(own["municipality"], own["value"])})
    return cells


def _window(period: str, end_month: int) -> list[str]:
    """The months a value of ``period`` covers: the month itself, or January to ``end_month`` of a year."""
    if len(period) == 4:
        return [f"{period}-{m:02d}" for m in range(1, end_month + 1)]
    return [period] if len(period) == 7 else []


def comparable_change(internal: pd.DataFrame | None, slug: str, metric_id: str, unit: str, latest: str,
                      previous: str, end_month: int) -> tuple[float, str, str]:
    """Change of an internal metric from ``previous`` to ``latest`` over the same municipalities and months.

    Returns ``(change, basis, detail)``: basis :data:`CHANGE_SAME` when both periods hold the same
    municipalities and months (the plain change), :data:`CHANGE_COMMON` when only those in both are
    compared (``detail`` lists the municipality codes, or the area's slug), :data:`CHANGE_NOT_COMPARABLE`
    (NaN) when they share none. Today's "+7" comparing August (Kokkola only) with September (two
    municipalities) becomes the change of Kokkola alone, labelled so.
    """
    if internal is None or internal.empty or not latest or not previous:
        return math.nan, CHANGE_SAME, ""
    own = internal[(internal["area"] == slug) & (internal["metric_id"] == metric_id)]
    additive = unit in ADDITIVE_UNITS
    now = _cells(own, slug, _window(latest, end_month), additive)
    before = _cells(own, slug, _window(previous, end_month), additive)
    if not now or not before:
        return math.nan, CHANGE_SAME, ""
    common = sorted(set(now) & set(before))
    if not common:
        return math.nan, CHANGE_NOT_COMPARABLE, ""
    change = sum(now[k] for k in common) - sum(before[k] for k in common)
    if set(now) == set(before):
        return change, CHANGE_SAME, ""
    return change, CHANGE_COMMON, ",".join(sorted({m for _, m in common}))


@dataclass(frozen=True)
class _Context:
    """What every row of the scorecard shares."""

    scope: Scope
    internal: pd.DataFrame | None
    targets: pd.DataFrame | None
    example_targets: dict[str, float] | None
    is_example: bool


def _latest(pts: pd.DataFrame) -> tuple[str, float, str, str, float]:
    """Latest period, value, coverage; previous period and value (NaN when absent)."""
    if pts.empty:
        return "", math.nan, "", "", math.nan
    last = pts.iloc[-1]
    latest = str(last["period"])
    previous_period = previous_label(latest)
    match = pts[pts["period"] == previous_period]
    previous = float(match["value"].iloc[0]) if not match.empty else math.nan
    return latest, float(last["value"]), str(last["coverage"]), previous_period, previous


def _target(ctx: _Context, info, first: bool) -> tuple[float, float, bool]:
    """Target, tolerance and whether the target is an example one, for a scorecard row."""
    if not first:
        return math.nan, math.nan, False
    target = target_of(ctx.targets, info.metric_id, int(ctx.scope.last_month[:4]), ctx.scope.area.slug)
    if ctx.example_targets and info.source == "internal" and math.isnan(target) \
            and info.metric_id in ctx.example_targets:
        return float(ctx.example_targets[info.metric_id]), info.tolerance, True
    return target, info.tolerance, False


def _scorecard_row(ctx: _Context, info, component: str, own_direction: str | None, first: bool,
                   pts: pd.DataFrame, reason: tuple[str, str]) -> dict[str, object]:
    latest, value, coverage, previous_period, previous = _latest(pts)
    end_month = int(ctx.scope.last_month[5:])
    change, basis, detail = value - previous, CHANGE_SAME, ""
    if info.source == "internal":
        change, basis, detail = comparable_change(ctx.internal, ctx.scope.area.slug, info.metric_id, info.unit,
                                                  latest, previous_period, end_month)
    if basis == CHANGE_SAME and not math.isnan(value) and math.isnan(previous):
        basis = CHANGE_NO_PREVIOUS
    target, tolerance, target_is_example = _target(ctx, info, first)
    effective = target
    if info.frequency == "A" and len(latest) == 4 and not math.isnan(target):
        effective = target * end_month / 12
        tolerance = tolerance * end_month / 12 if not math.isnan(tolerance) else tolerance
    direction = own_direction or info.direction
    why, why_detail = reason
    return {
        "metric_id": info.metric_id, "component": component, "section": info.section,
        "goal_fi": info.goal_fi, "goal_sv": info.goal_sv, "name_fi": info.name_fi, "name_sv": info.name_sv,
        "unit": info.unit, "frequency": info.frequency, "direction": direction, "source": info.source,
        "persons": bool(info.persons), "target": target, "tolerance": tolerance,
        "period": latest, "value": value, "previous_period": previous_period, "previous_value": previous,
        "change": change, "change_basis": basis, "change_detail": detail, "coverage": coverage,
        "effective_target": effective, "status": status(value, effective, direction, tolerance),
        "reason": "" if not pts.empty else (why or R_NO_VALUE), "reason_detail": "" if not pts.empty else why_detail,
        "is_example": bool(ctx.is_example and info.source == "internal"),
        "target_is_example": target_is_example, "is_baseline": is_baseline(ctx.scope),
    }


def scorecard(scope: Scope, internal: pd.DataFrame | None, *,
              catalogue: pd.DataFrame | None = None, reviews: pd.DataFrame | None = None,
              targets: pd.DataFrame | None = None,
              is_example: bool = False, example_targets: dict[str, float] | None = None,
              computed: tuple[pd.DataFrame, dict] | None = None) -> pd.DataFrame:
    """The scorecard: one row per metric (and component), in the catalogue's order.

    Columns :data:`SCORECARD_COLUMNS`: the catalogue fields, ``period`` and ``value`` (latest
    up to the quarter's last month; for annual metrics the year-to-date total), ``previous_*``
    and ``change`` (value − previous, in the metric's unit, so percentage points for %; for internal
    metrics over the same municipalities and months only, ``change_basis`` and ``change_detail`` say
    so: :func:`comparable_change`), ``coverage`` ("n/N" when a total is partial), ``status``
    (:data:`STATUSES`), ``reason`` and ``reason_detail`` when the value is missing, ``is_example`` for
    internal metrics shown from example data, ``is_baseline`` when the period is before the plan's
    first year. ``internal`` is the imported values (``sources.workbook.load_internal``) or example
    values, or None; ``targets`` the imported targets (``sources.workbook.load_targets``): the
    whole-area target of the reporting year applies.

    Annual targets are for the whole year, so a year-to-date total is compared with the target
    pro rata (``effective_target`` = target × months / 12). ``example_targets`` (only with example
    data) fill the targets of internal metrics for the demonstration (``target_is_example``).
    ``computed`` is the result of :func:`metric_series` when the caller already has it.
    """
    catalogue = load_catalogue() if catalogue is None else catalogue
    series, reasons = computed or metric_series(scope, internal, catalogue=catalogue,
                                                reviews=reviews)
    ctx = _Context(scope, internal, targets, example_targets, is_example)
    rows = []
    for info in catalogue.itertuples(index=False):
        components = COMPONENTS.get(info.metric_id, [("", None)])
        for component, own_direction in components:
            own = series[(series["metric_id"] == info.metric_id) & (series["component"] == component)]
            pts = points(own, info.frequency, scope.period)
            rows.append(_scorecard_row(ctx, info, component, own_direction, component == components[0][0], pts,
                                       reasons.get((info.metric_id, component), ("", ""))))
    return pd.DataFrame(rows, columns=SCORECARD_COLUMNS)


OFF_TRACK_COLUMNS = ["metric_id", "component", "name_fi", "name_sv", "unit", "period", "value",
                     "effective_target", "direction", "is_example"]


def off_track(card: pd.DataFrame) -> pd.DataFrame:
    """The metrics that are off track (:data:`OFF_TRACK`), in the scorecard's order: what the main page names.

    Columns :data:`OFF_TRACK_COLUMNS`; empty when every judged metric is on track or no target is set.
    Rows shown from example data keep ``is_example`` so that a page can label or leave them out.
    """
    return card.loc[card["status"] == OFF_TRACK, OFF_TRACK_COLUMNS].reset_index(drop=True)


MUNICIPALITY_COLUMNS = ["metric_id", "name_fi", "name_sv", "unit", "frequency", "direction", "persons", "period",
                        "value", "previous_period", "previous_value", "change", "target", "effective_target",
                        "status", "is_baseline"]


def municipality_values(scope: Scope, internal: pd.DataFrame | None, municipality: str, *,
                        targets: pd.DataFrame | None = None, catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """One municipality's own values of the internal metrics entered by municipality (counts and euros).

    One row per metric with a value for ``municipality`` (a ``KUnnn`` code) up to the quarter's last
    month: the latest month (annual metrics: January to that month of the year, with the target pro
    rata), the previous month (annual: the same months a year earlier) and the change, the
    municipality's own target (sheet ``Tavoitteet``, that municipality's row) and the status against
    it. Columns :data:`MUNICIPALITY_COLUMNS`; counts of persons 1–4 are for the present layer to show as
    "<5" (``persons``).
    """
    catalogue = load_catalogue() if catalogue is None else catalogue
    if internal is None or internal.empty:
        return pd.DataFrame(columns=MUNICIPALITY_COLUMNS)
    own = internal[(internal["area"] == scope.area.slug) & (internal["municipality"] == municipality)]
    end_month = int(scope.last_month[5:])
    year = int(scope.last_month[:4])
    rows = []
    for info in catalogue[(catalogue["source"] == "internal") & catalogue["unit"].isin(ADDITIVE_UNITS)].itertuples():
        mine = own[own["metric_id"] == info.metric_id]
        pts = points(_series(info.metric_id, mine.set_index("month")["value"].sort_index()), info.frequency,
                     scope.period) if not mine.empty else pd.DataFrame()
        if pts.empty:
            continue
        latest, value, _coverage, previous_period, previous = _latest(pts)
        target = target_of(targets, info.metric_id, year, municipality)
        effective, tolerance = target, info.tolerance
        if info.frequency == "A" and not math.isnan(target):
            effective = target * end_month / 12
            tolerance = tolerance * end_month / 12 if not math.isnan(tolerance) else tolerance
        rows.append({
            "metric_id": info.metric_id, "name_fi": info.name_fi, "name_sv": info.name_sv, "unit": info.unit,
            "frequency": info.frequency, "direction": info.direction, "persons": bool(info.persons),
            "period": latest, "value": value, "previous_period": previous_period, "previous_value": previous,
            "change": value - previous, "target": target, "effective_target": effective,
            "status": status(value, effective, info.direction, tolerance), "is_baseline": is_baseline(scope),
        })
    return pd.DataFrame(rows, columns=MUNICIPALITY_COLUMNS)


def trends(scope: Scope, internal: pd.DataFrame | None, *,
           catalogue: pd.DataFrame | None = None, reviews: pd.DataFrame | None = None,
           computed: tuple[pd.DataFrame, dict] | None = None) -> pd.DataFrame:
    """Tidy trend points of every metric: ``metric_id``, ``component``, ``period``, ``value``, ``coverage``."""
    catalogue = load_catalogue() if catalogue is None else catalogue
    series, _ = computed or metric_series(scope, internal, catalogue=catalogue, reviews=reviews)
    parts = []
    for info in catalogue.itertuples(index=False):
        for component, _dir in COMPONENTS.get(info.metric_id, [("", None)]):
            own = series[(series["metric_id"] == info.metric_id) & (series["component"] == component)]
            pts = points(own, info.frequency, scope.period)
            if not pts.empty:
                parts.append(pts.assign(metric_id=info.metric_id, component=component))
    if not parts:
        return pd.DataFrame(columns=["metric_id", "component", "period", "value", "coverage"])
    return pd.concat(parts, ignore_index=True)[["metric_id", "component", "period", "value", "coverage"]]


def municipal_counts(internal: pd.DataFrame | None, scope: Scope,
                     catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """Internal count metrics by municipality for the quarter's last month (annual ones: year to date).

    Columns ``metric_id``, ``municipality``, ``value``, ``persons``; one row per reported value.
    Disclosure control (counts 1–4 as "<5") is applied when presenting.
    """
    catalogue = load_catalogue() if catalogue is None else catalogue
    cols = ["metric_id", "municipality", "value", "persons"]
    if internal is None or internal.empty:
        return pd.DataFrame(columns=cols)
    end = scope.last_month
    counts = catalogue[(catalogue["source"] == "internal") & (catalogue["unit"] == "count")]
    values = internal[(internal["area"] == scope.area.slug) & internal["municipality"].isin(scope.members)]
    parts = []
    for info in counts.itertuples(index=False):
        own = values[values["metric_id"] == info.metric_id]
        if info.frequency == "A":
            own = own[(own["month"] >= f"{end[:4]}-01") & (own["month"] <= end)]
            own = own.groupby("municipality", as_index=False)["value"].sum()
        else:
            own = own[own["month"] == end][["municipality", "value"]]
        if own.empty:
            continue
        parts.append(own.assign(metric_id=info.metric_id, persons=bool(info.persons)))
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols]


def per_metric(card: pd.DataFrame) -> pd.DataFrame:
    """One row per metric of the scorecard: a metric of two figures (the foreign-language rates) counts once,
    by its first figure. The main page's plan box and the scorecard's summary count metrics by this rule, so
    their counts add up to the metrics of the plan."""
    return card.drop_duplicates("metric_id")


def status_counts(card: pd.DataFrame) -> dict[str, int]:
    """How many scorecard rows have each status (every key of :data:`STATUSES`, zeros included; and
    :data:`AT_RISK`, always 0, for callers of the earlier rule)."""
    counts = card["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in (*STATUSES, AT_RISK)}
