"""Unemployment structure: levels, changes, region ranking, trend, breakdowns, occupations, vacancies.

All functions are pure: tidy store in, tidy frame out; no text, no HTML. Definitions:

- unemployed jobseekers (``unemployed_jobseekers``, StatFin 12r5 TYOTTOMATLOPUSSA): persons at the
  end of the month (last working day);
- unemployment rate, % (``unemployment_rate_pct``): unemployed jobseekers / labour force × 100,
  StatFin's TYOTOSUUS definition, always recomputed from summed counts;
- open vacancies (``open_vacancies``): vacancies notified to the public employment service, open at
  the end of the month;
- tightness: open vacancies per unemployed jobseeker;
- vacancy rate, % (Beveridge curve): open vacancies / labour force × 100.

An area's counts are the sums of its member municipalities (``store.aggregate_areas``). A month in
which a member's cell is missing (suppressed small counts) gives a missing area value, except when
the members are exactly the municipalities of a published region: then the region's published
value is the area's value (the sum of the members equals the region where all cells exist).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.schema import TOTAL, StoreError, is_missing
from analysis.sources.catalog import source_code
from analysis.store import aggregate_areas
from analysis.store.scope import Scope, totals_filter

TABLE = "12r5"
OCC_TABLE = "12ti"
COUNTS: tuple[str, ...] = ("unemployed_jobseekers", "labour_force", "open_vacancies")
RATE = "unemployment_rate_pct"
MIN_BASE_FOR_CHANGE = 20
"""A % change on a base of fewer than 20 persons is flagged as unreliable (``base_unreliable``)."""

# 12r5 measures that break the unemployed down (fetched data only), by breakdown.
BREAKDOWN_MEASURES: dict[str, tuple[str, ...]] = {
    "gender": ("unemployed_men", "unemployed_women"),
    "age": ("unemployed_under_20", "unemployed_under_25", "unemployed_over_50"),
    "duration": ("long_term_unemployed",),
    "laid_off": ("laid_off_full_time",),
}
SOURCE_CODES: dict[str, str] = {m: source_code(m) for ms in BREAKDOWN_MEASURES.values() for m in ms}
"""StatFin 12r5 content code of each breakdown measure (from ``sources.catalog``)."""


def wide_counts(scope: Scope, codes: list[str], measures: tuple[str, ...] | list[str] = COUNTS,
                table_id: str = TABLE) -> pd.DataFrame:
    """One row per (area_code, month) with one column per measure, for the area and ``codes``.

    Adds ``unemployment_rate_pct`` when both unemployed and labour force are present.
    """
    measures = [m for m in measures if scope.table(table_id).has(m, table_id)]
    parts = [scope.counts(measures, table_id)]
    codes = [c for c in codes if c != scope.area.slug]
    if codes:
        parts.append(scope.table(table_id).select(measures, table_id=table_id, area_codes=codes, **totals_filter(table_id)))
    long = pd.concat(parts, ignore_index=True)
    wide = long.pivot_table(index=["area_code", "period"], columns="measure", values="value",
                            aggfunc="first", dropna=False).reset_index()
    wide.columns.name = None
    for m in measures:
        if m not in wide.columns:
            wide[m] = np.nan
    if {"unemployed_jobseekers", "labour_force"} <= set(wide.columns):
        wide[RATE] = rate(wide["unemployed_jobseekers"], wide["labour_force"])
    return wide


def rate(unemployed: pd.Series | float, labour_force: pd.Series | float) -> pd.Series | float:
    """Unemployment rate, %: unemployed / labour force × 100 (NaN where the labour force is 0 or missing)."""
    lf = labour_force.where(labour_force > 0) if isinstance(labour_force, pd.Series) else (
        labour_force if labour_force and labour_force > 0 else np.nan)
    return unemployed / lf * 100


def unreliable_base(base: pd.Series | float | None) -> pd.Series | bool:
    """True where a % change rests on a base under :data:`MIN_BASE_FOR_CHANGE` persons or on none."""
    if isinstance(base, pd.Series):
        return base.isna() | (base < MIN_BASE_FOR_CHANGE)
    return bool(is_missing(base) or base < MIN_BASE_FOR_CHANGE)


def pct_change(new: pd.Series | float, base: pd.Series | float) -> pd.Series | float:
    """Change from ``base`` to ``new`` in % of base (NaN when the base is 0 or missing)."""
    if isinstance(base, pd.Series):
        return (new - base) / base.where(base != 0) * 100
    return (new - base) / base * 100 if base else np.nan


# --------------------------------------------------------------------------- levels and changes


@dataclass(frozen=True)
class Comparison:
    """Codes shown beside an area, by level."""

    area: str
    municipalities: list[str]
    subregions: list[str]
    regions: list[str]
    country: str = TOTAL

    def ordered(self) -> list[tuple[str, str]]:
        """(code, level) pairs in reading order."""
        rows = [(self.area, "area")]
        rows += [(c, "municipality") for c in self.municipalities]
        rows += [(c, "subregion") for c in self.subregions]
        rows += [(r, "region") for r in self.regions]
        rows += [(self.country, "country")]
        seen: set[str] = set()
        return [(c, lvl) for c, lvl in rows if not (c in seen or seen.add(c))]


def comparison(scope: Scope) -> Comparison:
    """The area, its municipalities, subregions, region(s) and the whole country."""
    return Comparison(scope.area.slug, scope.municipalities, scope.subregions, scope.regions)


RATE_COLUMNS: tuple[str, ...] = (
    "area_code", "month", "unemployed", "labour_force", "rate", "year_ago_month", "unemployed_year_ago",
    "labour_force_year_ago", "rate_year_ago", "rate_change_pp", "month_ago_month", "rate_month_ago",
    "previous_month", "rate_previous",
)


def unemployment_rates(scope: Scope, codes: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """The unemployment rate at the period's reference month and at the months it is compared with, for
    the area (first row, ``area_code`` = its slug) and ``codes``: the one computation of the rate and its
    changes, read by the standard groups, the level table, the key figures and the region ranking.

    The reference month is the 12r5 reference month of the period (:meth:`Scope.require_month`, the
    month of unemployed jobseekers); the comparisons are :meth:`Scope.year_ago`, :meth:`Scope.month_ago`
    and :meth:`Scope.previous_period_month` of it. A rate whose labour force is missing at a month is
    NaN (never a rate of another month). Columns (:data:`RATE_COLUMNS`): ``area_code``, ``month``,
    ``unemployed`` (persons), ``labour_force`` (persons), ``rate`` (%), ``year_ago_month``,
    ``unemployed_year_ago``, ``labour_force_year_ago``, ``rate_year_ago`` (%), ``rate_change_pp``
    (percentage points), ``month_ago_month``, ``rate_month_ago`` (%), ``previous_month`` (the previous
    period's comparison month), ``rate_previous`` (%).
    """
    month = scope.require_month()
    ago, before, previous = scope.year_ago(month), scope.month_ago(month), scope.previous_period_month(month)
    codes = [scope.area.slug, *[c for c in codes if c != scope.area.slug]]
    get = counts_at(scope, codes, [month, ago, before, previous])
    rows = []
    for code in dict.fromkeys(codes):
        u, lf = get(code, month, "unemployed_jobseekers"), get(code, month, "labour_force")
        u_y, lf_y = get(code, ago, "unemployed_jobseekers"), get(code, ago, "labour_force")
        now, then = rate(u, lf), rate(u_y, lf_y)
        rows.append({"area_code": code, "month": month, "unemployed": u, "labour_force": lf, "rate": now,
                     "year_ago_month": ago, "unemployed_year_ago": u_y, "labour_force_year_ago": lf_y,
                     "rate_year_ago": then, "rate_change_pp": now - then, "month_ago_month": before,
                     "rate_month_ago": rate(get(code, before, "unemployed_jobseekers"), get(code, before, "labour_force")),
                     "previous_month": previous,
                     "rate_previous": rate(get(code, previous, "unemployed_jobseekers"), get(code, previous, "labour_force"))})
    return pd.DataFrame(rows, columns=list(RATE_COLUMNS))


def counts_at(scope: Scope, codes: list[str], months: list[str],
              measures: tuple[str, ...] = ("unemployed_jobseekers", "labour_force")) -> Callable[[str, str, str], float]:
    """A look-up ``(code, month, measure) -> value`` (NaN where not held) of 12r5 counts at ``months`` for
    the area (its slug: :meth:`Scope.counts`) and the published areas ``codes``."""
    held = [m for m in measures if scope.table(TABLE).has(m, TABLE)]
    parts = []
    if scope.area.slug in codes:
        area = scope.counts(held)
        parts.append(area[area["period"].isin(months)])
    others = [c for c in codes if c != scope.area.slug]
    if others and held:
        obs = scope.table(TABLE).select(held, table_id=TABLE, area_codes=others, **totals_filter(TABLE))
        parts.append(obs[obs["period"].isin(months)])
    found: dict[tuple[str, str, str], float] = {}
    for part in parts:
        found.update(zip(zip(part["area_code"], part["period"], part["measure"]), part["value"].astype(float)))

    def get(code: str, month: str, measure: str) -> float:
        return found.get((code, month, measure), np.nan)

    return get


def level_table(scope: Scope) -> pd.DataFrame:
    """Unemployed, labour force and rate at the reference month for the area and its comparisons.

    Columns: ``area_code``, ``level``, ``month``, ``unemployed``, ``unemployed_year_ago``,
    ``change_year`` (persons), ``change_year_pct`` (%), ``unemployed_month_ago``, ``change_month``
    (persons), ``labour_force``, ``rate`` (%), ``rate_year_ago`` (%), ``rate_change_pp``
    (percentage points), ``quarter_mean_unemployed`` and ``quarter_mean_rate`` (% from the
    quarter's mean counts), ``base_unreliable`` (year-ago base under 20 persons). The rate and its
    change are :func:`unemployment_rates`.
    """
    comp = comparison(scope)
    codes = [c for c, _ in comp.ordered()]
    rates = unemployment_rates(scope, codes).set_index("area_code")
    month = str(rates["month"].iloc[0])
    month_ago = scope.month_ago(month)
    quarter = [m for m in scope.period.months if m <= month]
    get = counts_at(scope, codes, [month_ago, *quarter])
    rows = []
    for code, level in comp.ordered():
        r = rates.loc[code]
        u, u_y, u_m = r["unemployed"], r["unemployed_year_ago"], get(code, month_ago, "unemployed_jobseekers")
        q_u = [get(code, m, "unemployed_jobseekers") for m in quarter]
        q_lf = [get(code, m, "labour_force") for m in quarter]
        q_mean_u = float(np.mean(q_u)) if q_u and not np.isnan(q_u).any() else np.nan
        q_mean_lf = float(np.mean(q_lf)) if q_lf and not np.isnan(q_lf).any() else np.nan
        rows.append({
            "area_code": code, "level": level, "month": month,
            "unemployed": u, "unemployed_year_ago": u_y,
            "change_year": u - u_y, "change_year_pct": pct_change(u, u_y),
            "unemployed_month_ago": u_m, "change_month": u - u_m,
            "labour_force": r["labour_force"], "rate": r["rate"], "rate_year_ago": r["rate_year_ago"],
            "rate_change_pp": r["rate_change_pp"],
            "quarter_mean_unemployed": q_mean_u, "quarter_mean_rate": rate(q_mean_u, q_mean_lf),
            "base_unreliable": unreliable_base(u_y),
        })
    return pd.DataFrame(rows)


def region_ranking(scope: Scope) -> pd.DataFrame:
    """All regions (MKnn) at the reference month ranked by unemployment rate (rank 1 = highest); the
    rates are :func:`unemployment_rates`.

    Columns: ``area_code``, ``unemployed``, ``labour_force``, ``rate`` (%), ``rate_year_ago`` (%),
    ``rate_change_pp``, ``rank``, ``is_area_region``, ``month``.
    """
    month = scope.require_month()
    obs = scope.table(TABLE).observations
    regions = obs.loc[obs["area_code"].str.match(r"^MK[0-9]{2}$") & (obs["period"] == month)
                      & (obs["measure"] == "unemployed_jobseekers"), "area_code"]
    rates = unemployment_rates(scope, sorted(set(regions)))
    out = rates[rates["area_code"] != scope.area.slug][["area_code", "unemployed", "labour_force", "rate",
                                                         "rate_year_ago", "rate_change_pp"]].copy()
    out["rank"] = out["rate"].rank(ascending=False, method="min").astype("Int64")
    out["is_area_region"] = out["area_code"].isin(scope.regions)
    out["month"] = month
    return out.sort_values(["rank", "area_code"]).reset_index(drop=True)


def key_figures(scope: Scope) -> pd.DataFrame:
    """Headline figures of the area at the quarter's last month held, for the review's front page.

    One row per indicator: ``unemployed_jobseekers`` (persons), ``unemployment_rate_pct`` (%),
    ``open_vacancies`` (count). Columns: ``indicator``, ``month``, ``value``, ``value_year_ago``,
    ``change`` (persons, or percentage points for the rate), ``change_pct`` (% of the year-ago
    value; NaN for the rate), ``unit`` ("persons" | "pct" | "count"), ``base_unreliable``.
    """
    area = unemployment_rates(scope).iloc[0]
    month, year_ago = str(area["month"]), str(area["year_ago_month"])
    counts = scope.counts(COUNTS)
    idx = counts.set_index(["measure", "period"])["value"]

    def val(measure: str, m: str) -> float:
        return float(idx.get((measure, m), np.nan))

    rows = []
    for measure, unit in (("unemployed_jobseekers", "persons"), ("open_vacancies", "count")):
        now, before = val(measure, month), val(measure, year_ago)
        rows.append({"indicator": measure, "month": month, "value": now, "value_year_ago": before,
                     "change": now - before, "change_pct": pct_change(now, before), "unit": unit,
                     "base_unreliable": unreliable_base(before)})
    rows.insert(1, {"indicator": RATE, "month": month, "value": area["rate"], "value_year_ago": area["rate_year_ago"],
                    "change": area["rate_change_pp"], "change_pct": np.nan, "unit": "pct",
                    "base_unreliable": False})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- trend


def trend(scope: Scope, measure: str = "unemployed_jobseekers") -> pd.DataFrame:
    """Seasonally adjusted trend of the area's monthly series up to the reference month (STL, period 12).

    ``measure`` is a count or ``unemployment_rate_pct``. Columns: ``period``, ``observed``, ``trend``,
    ``seasonal``. Uses the longest run of consecutive non-missing months that ends at the reference
    month (at least three years); raises StoreError otherwise.
    """
    month = scope.require_month()
    wide = wide_counts(scope, [], ("unemployed_jobseekers", "labour_force"))
    series = wide.set_index("period")[measure].sort_index()
    series = _consecutive_run(series, month, measure, scope.area.slug)
    fit = stl_fit(series)
    return pd.DataFrame({"period": series.index, "observed": series.to_numpy(),
                         "trend": fit.trend, "seasonal": fit.seasonal})


def _consecutive_run(series: pd.Series, month: str, measure: str, area: str) -> pd.Series:
    """The longest run of consecutive non-missing months of ``series`` ending at ``month`` (at least 36),
    else :class:`StoreError`."""
    series = series[series.index <= month]
    missing = series[series.isna()]
    if not missing.empty:
        series = series[series.index > missing.index.max()]
    expected = pd.period_range(series.index.min(), month, freq="M").astype(str) if len(series) else []
    if len(series) < 36 or list(series.index) != list(expected):
        raise StoreError("{measure} for {area}: fewer than 36 consecutive months up to {month}", measure=measure,
                         area=area, month=month)
    return series


def stl_fit(series: pd.Series):
    """STL decomposition (period 12) of a monthly series without gaps: the one seasonal adjustment."""
    from statsmodels.tsa.seasonal import STL

    return STL(series.to_numpy(dtype=float), period=12).fit()


TREND_COLUMNS: tuple[str, ...] = ("area_code", "level", "period", "unemployed_jobseekers", "labour_force",
                                  RATE, "unemployed_trend")


def trends(scope: Scope) -> pd.DataFrame:
    """Monthly series of the area and each member (when it has several) up to the reference month:
    unemployed jobseekers and labour force (persons), the rate (%), and the seasonally adjusted trend
    of the unemployed (:func:`trend`'s rule: STL over the longest gap-free run ending at the reference
    month, NaN before that run or where a series has fewer than 36 such months).

    Columns (:data:`TREND_COLUMNS`): ``area_code``, ``level`` (area | member), ``period``,
    ``unemployed_jobseekers``, ``labour_force``, ``unemployment_rate_pct``, ``unemployed_trend``.
    """
    month = scope.require_month()
    members = [m for m in scope.members if m != scope.area.slug] if len(scope.members) > 1 else []
    wide = wide_counts(scope, members, ("unemployed_jobseekers", "labour_force"))
    wide = wide[wide["period"] <= month]
    parts = []
    for code, level in [(scope.area.slug, "area"), *[(m, "member") for m in members]]:
        part = wide[wide["area_code"] == code].sort_values("period").reset_index(drop=True)
        part.insert(1, "level", level)
        part["unemployed_trend"] = np.nan
        try:
            run = _consecutive_run(part.set_index("period")["unemployed_jobseekers"], month, "unemployed_jobseekers", code)
        except StoreError:
            parts.append(part)
            continue
        part.loc[part["period"].isin(run.index), "unemployed_trend"] = stl_fit(run).trend
        parts.append(part)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(TREND_COLUMNS))
    return out[list(TREND_COLUMNS)]


# --------------------------------------------------------------------------- breakdowns (fetched 12r5)


def breakdown_availability(scope: Scope) -> pd.DataFrame:
    """For every breakdown measure of 12r5: whether the store holds it for the area's members.

    Columns: ``breakdown``, ``measure``, ``source_code`` (StatFin content code), ``available``.
    """
    rows = []
    for breakdown, measures in BREAKDOWN_MEASURES.items():
        for m in measures:
            rows.append({"breakdown": breakdown, "measure": m, "source_code": SOURCE_CODES[m],
                         "available": scope.table(TABLE).has(m, TABLE, list(scope.members))})
    return pd.DataFrame(rows)


def breakdowns(scope: Scope) -> pd.DataFrame:
    """Unemployed by gender, age group, duration and lay-off at the reference month (available ones).

    Columns: ``breakdown``, ``measure``, ``month``, ``value`` (persons), ``share_pct`` (% of all
    unemployed jobseekers; age groups overlap: under 20 is part of under 25), ``value_year_ago``,
    ``change_year`` (persons), ``change_year_pct`` (%), ``base_unreliable``. Empty when the store
    has none of these measures (the embedded snapshot).
    """
    avail = breakdown_availability(scope)
    measures = avail.loc[avail["available"], "measure"].tolist()
    cols = ["breakdown", "measure", "month", "value", "share_pct", "value_year_ago", "change_year",
            "change_year_pct", "base_unreliable"]
    if not measures:
        return pd.DataFrame(columns=cols)
    month = scope.require_month()
    year_ago = scope.year_ago(month)
    counts = scope.counts(["unemployed_jobseekers", *measures])
    idx = counts.set_index(["measure", "period"])["value"]
    total = float(idx.get(("unemployed_jobseekers", month), np.nan))
    rows = []
    for _, rec in avail[avail["available"]].iterrows():
        now = float(idx.get((rec["measure"], month), np.nan))
        before = float(idx.get((rec["measure"], year_ago), np.nan))
        rows.append({"breakdown": rec["breakdown"], "measure": rec["measure"], "month": month, "value": now,
                     "share_pct": now / total * 100 if total else np.nan, "value_year_ago": before,
                     "change_year": now - before, "change_year_pct": pct_change(now, before),
                     "base_unreliable": unreliable_base(before)})
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------- occupations (12ti)


def _occupation_cells(scope: Scope) -> tuple[str, str, list[str], pd.DataFrame]:
    """The occupation table's reference month, the month a year earlier, the areas that stand for the
    area and their unemployed and open-vacancy cells (every occupation)."""
    month = scope.require_month(OCC_TABLE)
    if scope.occupation_codes is None:
        raise StoreError("table {table} holds neither the area {area} nor its region", table=OCC_TABLE,
                         area=scope.area.slug)
    codes = scope.occupation_codes[0]
    obs = scope.table(OCC_TABLE).select(["unemployed_jobseekers", "open_vacancies"], table_id=OCC_TABLE,
                                        area_codes=codes, **totals_filter(OCC_TABLE))
    return month, scope.year_ago(month), codes, obs


def occupation_groups(scope: Scope, level: int = 1) -> pd.DataFrame:
    """Unemployed and open vacancies by occupation group at the reference month, with the remainder.

    Four-digit codes are rolled up to ``level``-digit groups; the ``X…`` special classes form one
    row ``X``; ``missing`` is the table total minus every published cell (suppressed or not
    classified), so the rows add up to the total. Columns: ``group_code``, ``kind`` (group |
    special | missing | total), ``month``, ``unemployed``, ``unemployed_year_ago``, ``change_year``,
    ``change_year_pct``, ``share_pct`` (% of total unemployed), ``vacancies``, ``vacancies_year_ago``,
    ``tightness`` (vacancies per unemployed), ``suppressed_cells`` (4-digit cells missing at the
    month, unemployed), ``base_unreliable``.
    """
    if level not in (1, 2):
        raise ValueError("level must be 1 or 2")
    month, year_ago, codes, obs = _occupation_cells(scope)
    obs = obs[obs["period"].isin([month, year_ago])]
    if len(codes) > 1:
        obs = aggregate_areas(obs, codes, "+".join(codes))  # per occupation: it is a key column
    occ = obs["occupation_code"]
    obs = obs.assign(group=np.where(occ == TOTAL, "total",
                                    np.where(occ.str.startswith("X"), "X", occ.str[:level])))
    cells = obs.set_index(["group", "occupation_code", "measure", "period"])["value"].unstack(["measure", "period"])

    def col(measure: str, m: str) -> pd.Series:
        key = (measure, m)
        return cells[key] if key in cells.columns else pd.Series(np.nan, index=cells.index)

    body = cells.index.get_level_values("group") != "total"

    def group_sum(measure: str, m: str) -> pd.Series:
        return col(measure, m)[body].groupby(level="group").sum(min_count=1)

    grouped = pd.DataFrame({
        "unemployed": group_sum("unemployed_jobseekers", month),
        "unemployed_year_ago": group_sum("unemployed_jobseekers", year_ago),
        "vacancies": group_sum("open_vacancies", month),
        "vacancies_year_ago": group_sum("open_vacancies", year_ago),
        "suppressed_cells": col("unemployed_jobseekers", month)[body].isna().groupby(level="group").sum(),
    })
    grouped["kind"] = np.where(grouped.index == "X", "special", "group")

    def total(measure: str, m: str) -> float:
        values = col(measure, m).xs("total", level="group")
        return float(values.iloc[0]) if len(values) else np.nan

    totals = {
        "unemployed": total("unemployed_jobseekers", month),
        "unemployed_year_ago": total("unemployed_jobseekers", year_ago),
        "vacancies": total("open_vacancies", month),
        "vacancies_year_ago": total("open_vacancies", year_ago),
    }
    missing = {k: totals[k] - grouped[k].sum(min_count=1) for k in totals}
    extra = pd.DataFrame(
        [{**missing, "kind": "missing", "suppressed_cells": 0},
         {**totals, "kind": "total", "suppressed_cells": int(grouped["suppressed_cells"].sum())}],
        index=pd.Index(["missing", TOTAL], name="group"),
    )
    out = pd.concat([grouped.sort_index(), extra]).reset_index().rename(columns={"group": "group_code"})
    out["month"] = month
    out["change_year"] = out["unemployed"] - out["unemployed_year_ago"]
    out["change_year_pct"] = pct_change(out["unemployed"], out["unemployed_year_ago"])
    out["share_pct"] = out["unemployed"] / totals["unemployed"] * 100
    out["tightness"] = out["vacancies"] / out["unemployed"].where(out["unemployed"] > 0)
    out["base_unreliable"] = unreliable_base(out["unemployed_year_ago"])
    out["area_codes"] = ",".join(codes)
    return out[["group_code", "kind", "month", "unemployed", "unemployed_year_ago", "change_year",
                "change_year_pct", "share_pct", "vacancies", "vacancies_year_ago", "tightness",
                "suppressed_cells", "base_unreliable", "area_codes"]]


def top_occupations(scope: Scope, n: int = 10) -> pd.DataFrame:
    """The ``n`` four-digit occupations with the most unemployed at the reference month.

    Columns: ``occupation_code``, ``month``, ``unemployed``, ``unemployed_year_ago``, ``change_year``,
    ``vacancies``, ``tightness``.
    """
    month, year_ago, codes, obs = _occupation_cells(scope)
    obs = obs[obs["period"].isin([month, year_ago]) & obs["occupation_code"].str.match(r"^[0-9]{4}$")]
    if len(codes) > 1:
        obs = aggregate_areas(obs, codes, "+".join(codes))
    wide = obs.pivot_table(index="occupation_code", columns=["measure", "period"], values="value")

    def get(measure: str, m: str) -> pd.Series:
        key = (measure, m)
        return wide[key] if key in wide.columns else pd.Series(np.nan, index=wide.index)

    out = pd.DataFrame({
        "occupation_code": wide.index, "month": month,
        "unemployed": get("unemployed_jobseekers", month).to_numpy(),
        "unemployed_year_ago": get("unemployed_jobseekers", year_ago).to_numpy(),
        "vacancies": get("open_vacancies", month).to_numpy(),
    })
    out["change_year"] = out["unemployed"] - out["unemployed_year_ago"]
    out["tightness"] = out["vacancies"] / out["unemployed"].where(out["unemployed"] > 0)
    out = out.dropna(subset=["unemployed"]).sort_values(["unemployed", "occupation_code"], ascending=[False, True])
    return out.head(n).reset_index(drop=True)


# --------------------------------------------------------------------------- vacancies


def beveridge(scope: Scope) -> pd.DataFrame:
    """Annual means of the area's unemployment rate and vacancy rate (Beveridge curve), up to the
    reference month; the last year is its months to date.

    Columns: ``year``, ``months`` (months with both values), ``unemployment_rate`` (%),
    ``vacancy_rate`` (open vacancies / labour force × 100, %). Years with a missing month of
    vacancies use only the months that have them (``months`` says how many).
    """
    month = scope.require_month()
    wide = wide_counts(scope, [])
    wide = wide[wide["period"] <= month].dropna(subset=["unemployed_jobseekers", "labour_force", "open_vacancies"])
    wide = wide.assign(year=wide["period"].str[:4])
    g = wide.groupby("year")
    out = pd.DataFrame({
        "months": g.size(),
        "unemployment_rate": g["unemployed_jobseekers"].mean() / g["labour_force"].mean() * 100,
        "vacancy_rate": g["open_vacancies"].mean() / g["labour_force"].mean() * 100,
    }).reset_index()
    return out


@dataclass(frozen=True)
class VacancyPeak:
    """The season of the area's yearly peak of open vacancies: the highest month of ``years_in_peak`` of the
    ``years`` complete calendar years ``first_year``..``last_year`` fell within ``first_month``..``last_month``
    (1–12)."""

    first_month: int
    last_month: int
    years_in_peak: int
    years: int
    first_year: str
    last_year: str

    @property
    def every_year(self) -> bool:
        """True when every year's highest month fell in the season."""
        return self.years_in_peak == self.years


PEAK_YEARS = 5
"""How many calendar years before the reference month's year :func:`vacancy_peak` reads."""
PEAK_MIN_YEARS = 3
"""The fewest complete years that make a yearly peak."""
PEAK_MAX_MONTHS = 3
"""The widest span of months (a season) that is called the yearly peak."""


def vacancy_peak(scope: Scope) -> VacancyPeak | None:
    """The season of the area's yearly peak of open vacancies at the month's end, from the complete calendar
    years (all 12 months held) among the :data:`PEAK_YEARS` years before the reference month's year.

    Each year gives the month of its highest value; the season is the span of at most :data:`PEAK_MAX_MONTHS`
    consecutive months (within one calendar year) that holds the most of those months, the shortest and then
    the earliest of equals. None with fewer than :data:`PEAK_MIN_YEARS` complete years, or when no season
    holds the highest month of more than half of them (no yearly peak). Keski-Pohjanmaa 2018–2022: January
    (2018: 1 069 against 1 068 in February), then February four times -> January–February, every year."""
    month = scope.require_month()
    if not scope.table(TABLE).has("open_vacancies", TABLE):
        return None
    wide = wide_counts(scope, [], ("open_vacancies",))
    series = wide[(wide["area_code"] == scope.area.slug) & (wide["period"] <= month)].set_index("period")["open_vacancies"]
    highest: list[tuple[str, int]] = []
    for year in (str(y) for y in range(int(month[:4]) - PEAK_YEARS, int(month[:4]))):
        values = series[series.index.str.startswith(year)].dropna()
        if len(values) == 12:
            highest.append((year, int(values.idxmax()[5:])))
    if len(highest) < PEAK_MIN_YEARS:
        return None
    spans = [(first, first + length - 1) for length in range(1, PEAK_MAX_MONTHS + 1) for first in range(1, 14 - length)]
    first, last = max(spans, key=lambda span: (sum(span[0] <= m <= span[1] for _, m in highest),
                                               -(span[1] - span[0]), -span[0]))
    inside = sum(first <= m <= last for _, m in highest)
    if 2 * inside <= len(highest):
        return None
    return VacancyPeak(first, last, inside, len(highest), highest[0][0], highest[-1][0])
