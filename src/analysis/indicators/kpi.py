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
previous year. Status rule (see ``data/kpi/README.md``): with a target ``T``, direction and
tolerance ``d`` (default 10 % of ``|T|``): "higher is better" is on track when ``value ≥ T``,
at risk when ``T − d ≤ value < T``, off track below; "lower is better" mirrors it. No target
means no status; no value means "missing" with the reason. Pure functions: no text, no HTML.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.config import ReportingPeriod, parse_period
from analysis.indicators import foreign_language, long_term
from analysis.schema import is_missing
from analysis.sources.workbook import ADDITIVE_UNITS, load_catalogue
from analysis.store.scope import Scope

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NO_TARGET = "no_target"
MISSING = "missing"
STATUSES: tuple[str, ...] = (ON_TRACK, AT_RISK, OFF_TRACK, NO_TARGET, MISSING)
DEFAULT_TOLERANCE_SHARE = 0.10
"""At-risk band when the catalogue gives no tolerance: 10 % of the target's absolute value."""
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
    "previous_value", "change", "coverage", "effective_target", "status", "reason", "reason_detail",
    "is_example", "target_is_example",
]


def status(value: float, target: float, direction: str, tolerance: float = math.nan) -> str:
    """On track / at risk / off track for ``value`` against ``target`` (see the module docstring).

    ``tolerance`` is the width of the at-risk band in the metric's unit; NaN means 10 % of
    ``|target|``. No value gives ``missing``; a value without a target gives ``no_target``.
    """
    if is_missing(value):
        return MISSING
    if is_missing(target):
        return NO_TARGET
    band = abs(target) * DEFAULT_TOLERANCE_SHARE if is_missing(tolerance) else tolerance
    gap = value - target if direction == "higher" else target - value
    if gap >= 0:
        return ON_TRACK
    if gap >= -band:
        return AT_RISK
    return OFF_TRACK


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
    """Reviews made for the area per quarter up to the period's quarter: the distinct periods reviewed
    (a review in fi and sv counts once; monthly reviews count in their quarter). The review being
    made counts as made, so a review says the same whether or not it was published before."""
    end = pd.Period(scope.last_month, freq="M").asfreq("Q")
    quarters = [str(q) for q in pd.period_range(end - (TREND_POINTS["Q"] - 1), end, freq="Q")]
    made = set(reviews.loc[reviews["area"] == scope.area.slug, "period"]) if not reviews.empty else set()
    made.add(scope.period.code)
    counts = pd.Series([parse_period(p).quarter for p in made]).value_counts()
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


def scorecard(scope: Scope, internal: pd.DataFrame | None, *,
              catalogue: pd.DataFrame | None = None, reviews: pd.DataFrame | None = None,
              is_example: bool = False, example_targets: dict[str, float] | None = None,
              computed: tuple[pd.DataFrame, dict] | None = None) -> pd.DataFrame:
    """The scorecard: one row per metric (and component), in the catalogue's order.

    Columns :data:`SCORECARD_COLUMNS`: the catalogue fields, ``period`` and ``value`` (latest
    up to the quarter's last month; for annual metrics the year-to-date total), ``previous_*``
    and ``change`` (value − previous, in the metric's unit, so percentage points for %),
    ``coverage`` ("n/N" when a total is partial), ``status`` (:data:`STATUSES`), ``reason`` and
    ``reason_detail`` when the value is missing, ``is_example`` for internal metrics shown from
    example data. ``internal`` is the imported values (``sources.workbook.load_internal``) or
    example values, or None.

    Annual targets are for the whole year, so a year-to-date total is compared with the target
    pro rata (``effective_target`` = target × months / 12). ``example_targets`` (only with example
    data) fill the targets of internal metrics for the demonstration (``target_is_example``).
    ``computed`` is the result of :func:`metric_series` when the caller already has it.
    """
    catalogue = load_catalogue() if catalogue is None else catalogue
    series, reasons = computed or metric_series(scope, internal, catalogue=catalogue,
                                                reviews=reviews)
    rows = []
    for info in catalogue.itertuples(index=False):
        components = COMPONENTS.get(info.metric_id, [("", None)])
        for component, own_direction in components:
            first = component == components[0][0]
            own = series[(series["metric_id"] == info.metric_id) & (series["component"] == component)]
            pts = points(own, info.frequency, scope.period)
            value = previous = math.nan
            latest = previous_period = coverage = ""
            if not pts.empty:
                last = pts.iloc[-1]
                latest, value, coverage = str(last["period"]), float(last["value"]), str(last["coverage"])
                previous_period = previous_label(latest)
                match = pts[pts["period"] == previous_period]
                if not match.empty:
                    previous = float(match["value"].iloc[0])
            reason, detail = reasons.get((info.metric_id, component), ("", ""))
            if pts.empty and not reason:
                reason = R_NO_VALUE
            target = info.target if first else math.nan
            tolerance = info.tolerance if first else math.nan
            target_is_example = False
            if example_targets and info.source == "internal" and math.isnan(target) \
                    and info.metric_id in example_targets:
                target, target_is_example = float(example_targets[info.metric_id]), True
            effective = target
            if info.frequency == "A" and len(latest) == 4 and not math.isnan(target):
                months = int(scope.last_month[5:])
                effective = target * months / 12
                tolerance = tolerance * months / 12 if not math.isnan(tolerance) else tolerance
            direction = own_direction or info.direction
            rows.append({
                "metric_id": info.metric_id, "component": component, "section": info.section,
                "goal_fi": info.goal_fi, "goal_sv": info.goal_sv, "name_fi": info.name_fi, "name_sv": info.name_sv,
                "unit": info.unit, "frequency": info.frequency, "direction": direction, "source": info.source,
                "persons": bool(info.persons), "target": target, "tolerance": tolerance,
                "period": latest, "value": value, "previous_period": previous_period, "previous_value": previous,
                "change": value - previous, "coverage": coverage, "effective_target": effective,
                "status": status(value, effective, direction, tolerance),
                "reason": "" if not pts.empty else reason, "reason_detail": "" if not pts.empty else detail,
                "is_example": bool(is_example and info.source == "internal"),
                "target_is_example": target_is_example,
            })
    return pd.DataFrame(rows, columns=SCORECARD_COLUMNS)


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


def status_counts(card: pd.DataFrame) -> dict[str, int]:
    """How many scorecard rows have each status (every key of :data:`STATUSES`, zeros included)."""
    counts = card["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUSES}
