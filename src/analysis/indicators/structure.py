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

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import DataValidationError
from analysis.schema import TOTAL, StoreError, is_missing
from analysis.sources.catalog import source_code
from analysis.sources.validation import (
    csv_row,
    read_csv,
    require_columns,
    require_known,
    require_pattern,
    require_unique,
)
from analysis.store import aggregate_areas
from analysis.store.scope import Scope, totals_filter

TABLE = "12r5"
OCC_TABLE = "12ti"
COUNTS: tuple[str, ...] = ("unemployed_jobseekers", "labour_force", "open_vacancies")
RATE = "unemployment_rate_pct"
OCCUPATION_GROUPS_FILE: Path = config.DATA_DIR / "reference" / "ammattiluokitus2010_groups.csv"
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


def level_table(scope: Scope) -> pd.DataFrame:
    """Unemployed, labour force and rate at the reference month for the area and its comparisons.

    Columns: ``area_code``, ``level``, ``month``, ``unemployed``, ``unemployed_year_ago``,
    ``change_year`` (persons), ``change_year_pct`` (%), ``unemployed_month_ago``, ``change_month``
    (persons), ``labour_force``, ``rate`` (%), ``rate_year_ago`` (%), ``rate_change_pp``
    (percentage points), ``quarter_mean_unemployed`` and ``quarter_mean_rate`` (% from the
    quarter's mean counts), ``base_unreliable`` (year-ago base under 20 persons).
    """
    month = scope.require_month()
    comp = comparison(scope)
    codes = [c for c, _ in comp.ordered()]
    wide = wide_counts(scope, codes, ("unemployed_jobseekers", "labour_force"))
    idx = wide.set_index(["area_code", "period"])
    year_ago, month_ago = scope.year_ago(month), scope.month_ago(month)
    quarter = [m for m in scope.period.months if m <= month]
    rows = []
    for code, level in comp.ordered():
        def get(m: str, col: str, code: str = code) -> float:
            return float(idx[col].get((code, m), np.nan))
        u, u_y, u_m = get(month, "unemployed_jobseekers"), get(year_ago, "unemployed_jobseekers"), get(
            month_ago, "unemployed_jobseekers")
        lf, lf_y = get(month, "labour_force"), get(year_ago, "labour_force")
        q_u = [get(m, "unemployed_jobseekers") for m in quarter]
        q_lf = [get(m, "labour_force") for m in quarter]
        q_mean_u = float(np.mean(q_u)) if q_u and not np.isnan(q_u).any() else np.nan
        q_mean_lf = float(np.mean(q_lf)) if q_lf and not np.isnan(q_lf).any() else np.nan
        rows.append({
            "area_code": code, "level": level, "month": month,
            "unemployed": u, "unemployed_year_ago": u_y,
            "change_year": u - u_y, "change_year_pct": pct_change(u, u_y),
            "unemployed_month_ago": u_m, "change_month": u - u_m,
            "labour_force": lf, "rate": rate(u, lf), "rate_year_ago": rate(u_y, lf_y),
            "rate_change_pp": rate(u, lf) - rate(u_y, lf_y),
            "quarter_mean_unemployed": q_mean_u, "quarter_mean_rate": rate(q_mean_u, q_mean_lf),
            "base_unreliable": unreliable_base(u_y),
        })
    return pd.DataFrame(rows)


def region_ranking(scope: Scope) -> pd.DataFrame:
    """All regions (MKnn) at the reference month ranked by unemployment rate (rank 1 = highest).

    Columns: ``area_code``, ``unemployed``, ``labour_force``, ``rate`` (%), ``rate_year_ago`` (%),
    ``rate_change_pp``, ``rank``, ``is_area_region``.
    """
    month = scope.require_month()
    obs = scope.table(TABLE).select(["unemployed_jobseekers", "labour_force"], table_id=TABLE, **totals_filter(TABLE))
    obs = obs[obs["area_code"].str.match(r"^MK[0-9]{2}$") & obs["period"].isin([month, scope.year_ago(month)])]
    wide = obs.pivot_table(index=["area_code", "period"], columns="measure", values="value").reset_index()
    wide["rate"] = rate(wide["unemployed_jobseekers"], wide["labour_force"])
    now = wide[wide["period"] == month].set_index("area_code")
    before = wide[wide["period"] == scope.year_ago(month)].set_index("area_code")
    out = pd.DataFrame({
        "area_code": now.index,
        "unemployed": now["unemployed_jobseekers"].to_numpy(),
        "labour_force": now["labour_force"].to_numpy(),
        "rate": now["rate"].to_numpy(),
    })
    out["rate_year_ago"] = out["area_code"].map(before["rate"])
    out["rate_change_pp"] = out["rate"] - out["rate_year_ago"]
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
    month = scope.require_month()
    year_ago = scope.year_ago(month)
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
    r_now = rate(val("unemployed_jobseekers", month), val("labour_force", month))
    r_before = rate(val("unemployed_jobseekers", year_ago), val("labour_force", year_ago))
    rows.insert(1, {"indicator": RATE, "month": month, "value": r_now, "value_year_ago": r_before,
                    "change": r_now - r_before, "change_pct": np.nan, "unit": "pct",
                    "base_unreliable": False})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- trend


def trend(scope: Scope, measure: str = "unemployed_jobseekers") -> pd.DataFrame:
    """Seasonally adjusted trend of the area's monthly series up to the reference month (STL, period 12).

    ``measure`` is a count or ``unemployment_rate_pct``. Columns: ``period``, ``observed``, ``trend``,
    ``seasonal``. Uses the longest run of consecutive non-missing months that ends at the reference
    month (at least three years); raises StoreError otherwise.
    """
    from statsmodels.tsa.seasonal import STL

    month = scope.require_month()
    wide = wide_counts(scope, [], ("unemployed_jobseekers", "labour_force"))
    series = wide.set_index("period")[measure].sort_index()
    series = series[series.index <= month]
    missing = series[series.isna()]
    if not missing.empty:
        series = series[series.index > missing.index.max()]
    if len(series) < 36:
        raise StoreError("{measure} for {area}: fewer than 36 consecutive months up to {month}", measure=measure,
                         area=scope.area.slug, month=month)
    expected = pd.period_range(series.index.min(), month, freq="M").astype(str)
    if list(series.index) != list(expected):
        raise StoreError("{measure} for {area}: fewer than 36 consecutive months up to {month}", measure=measure,
                         area=scope.area.slug, month=month)
    fit = STL(series.to_numpy(dtype=float), period=12).fit()
    return pd.DataFrame({"period": series.index, "observed": series.to_numpy(),
                         "trend": fit.trend, "seasonal": fit.seasonal})


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


def load_occupation_groups(path: Path = OCCUPATION_GROUPS_FILE) -> pd.DataFrame:
    """Ammattiluokitus 2010 main and sub-major group names (``data/reference``), validated.

    Columns: ``group_code`` (string), ``level`` (1 | 2), ``group_name_fi`` (empty = not verified,
    show the code only), ``verified_in``, ``group_name_sv`` (Statistikcentralen's Swedish name,
    Yrkesklassificering 2010; empty = none found), ``verified_in_sv``. Every name has a source.
    """
    frame = read_csv(path, empty_is_missing=False)
    require_columns(frame, ["group_code", "level", "group_name_fi", "verified_in"], path)
    for col in ("group_name_sv", "verified_in_sv"):
        if col not in frame.columns:
            frame[col] = ""
    require_known(frame, "level", ["1", "2"], path, "level")
    require_pattern(frame, "group_code", r"[0-9]{1,2}", path, "a one- or two-digit group code")
    require_unique(frame, ["group_code"], path)
    bad = frame["group_code"].str.len() != frame["level"].astype(int)
    if bad.any():
        pos = int(bad.to_numpy().nonzero()[0][0])
        raise DataValidationError(path, "code length does not match level", csv_row(pos), "group_code")
    for name, source in (("group_name_fi", "verified_in"), ("group_name_sv", "verified_in_sv")):
        unsourced = (frame[name] != "") & (frame[source] == "")
        if unsourced.any():
            pos = int(unsourced.to_numpy().nonzero()[0][0])
            raise DataValidationError(path, "a name without a source", csv_row(pos), source)
    frame["level"] = frame["level"].astype(int)
    return frame


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
