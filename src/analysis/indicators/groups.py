"""The standard groups every employment review leads with, for one scope.

The regional monthly reviews (elinvoimakeskus / ELY "Työllisyyskatsaus", KEHA's national review)
always report: unemployed jobseekers at the end of the month and the unemployment rate; the
long-term unemployed (12 months or more, and over two years); the under-25s and over-50s; foreign
nationals; the fully laid off; persons in services; new vacancies and vacancies open at the end of
the month or during it. :data:`GROUPS` lists them with the table and measure that hold each.

:func:`standard_groups` gives one row per group: the value at the reference month of the period,
at the comparison month of the previous period (a quarter earlier for a quarterly review, a month
earlier for a monthly one), a month earlier and a year earlier. Each measure is read at its own
reference month (:meth:`Scope.month`); the unemployment rate is :func:`structure.unemployment_rates`, the
one computation the level table and the key figures read too; a measure that ends before the period is marked
``ends_earlier`` with its last month, one the data does not hold at all ``available`` = False.
Nothing is filled in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.indicators import activation, structure
from analysis.sources.catalog import SERVICE_MEASURES
from analysis.store.scope import Scope, totals_filter


@dataclass(frozen=True)
class Group:
    """One standard group: ``key`` (stable id), the table and the measure(s) summed for it, its unit."""

    key: str
    table_id: str
    measures: tuple[str, ...]
    unit: str = "persons"  # persons | count (jobs) | pct


GROUPS: tuple[Group, ...] = (
    Group("unemployed", "12r5", ("unemployed_jobseekers",)),
    Group("rate", "12r5", ("unemployed_jobseekers", "labour_force"), "pct"),
    Group("long_term", "12r5", ("long_term_unemployed",)),
    Group("over_two_years", "12ta", ("unemployed_24m_plus",)),
    Group("under_25", "12r5", ("unemployed_under_25",)),
    Group("over_50", "12r5", ("unemployed_over_50",)),
    Group("foreign_nationals", "12r5", ("unemployed_foreign_nationals",)),
    Group("laid_off", "12r5", ("laid_off_full_time",)),
    Group("in_services", "12r5", SERVICE_MEASURES),
    Group("activation_rate", "12r5", activation.INPUTS, "pct"),
    Group("new_vacancies", "12r5", ("new_vacancies",), "count"),
    Group("open_vacancies", "12r5", ("open_vacancies",), "count"),
    Group("vacancies_during_month", "12tu", ("vacancies_open_during_month",), "count"),
)

COLUMNS = ["group", "unit", "available", "month", "value", "previous_month", "previous", "month_ago_value",
           "year_ago_month", "year_ago", "change_previous", "change_month", "change_year", "change_year_pct",
           "base_unreliable", "ends_earlier", "last_month"]


def _series(scope: Scope, group: Group) -> pd.Series:
    """The group's monthly area series up to the period (index ``YYYY-MM``); empty when not held."""
    counts = scope.counts(list(group.measures), group.table_id)
    if counts.empty:
        return pd.Series(dtype="float64")
    wide = counts.pivot_table(index="period", columns="measure", values="value", aggfunc="first", dropna=False)
    if any(m not in wide.columns for m in group.measures):
        return pd.Series(dtype="float64")  # a sum or a rate of a partial set is never shown
    if group.key == "activation_rate":
        frame = activation.activation_frame(counts)
        return frame.set_index("period")[activation.MEASURE].dropna()
    if group.unit == "pct":
        return structure.rate(wide["unemployed_jobseekers"], wide["labour_force"]).dropna()
    return wide[list(group.measures)].sum(axis=1, min_count=len(group.measures)).dropna()


def unemployed_series(scope: Scope) -> pd.Series:
    """The area's unemployed jobseekers at each month's end up to the period (persons, index ``YYYY-MM``; empty
    when the data lack them): the series the standard group ``unemployed`` reads."""
    return _series(scope, GROUPS[0])


def standard_groups(scope: Scope) -> pd.DataFrame:
    """One row per standard group (see the module docstring and :data:`COLUMNS`).

    ``change_*`` are in persons (counts) or percentage points (the rate); ``change_year_pct`` is
    % of the year-ago value (NaN for the rate); ``base_unreliable``: year-ago base under 20.
    """
    rows = []
    for group in GROUPS:
        series = _series(scope, group)
        row = dict.fromkeys(COLUMNS, np.nan)
        row.update(group=group.key, unit=group.unit, available=not series.empty, ends_earlier=False,
                   month=None, previous_month=None, year_ago_month=None, last_month=None, base_unreliable=True)
        if series.empty:
            rows.append(row)
            continue
        row["last_month"] = str(series.index.max())
        if group.key == "rate":  # the one computation of the rate and its changes
            rows.append(_rate_row(scope, series, row))
            continue
        month = scope.pick_month(series.index)
        if month is None:
            row["ends_earlier"] = True
            rows.append(row)
            continue
        prev, ago = scope.previous_period_month(month), scope.year_ago(month)
        value = float(series[month])
        previous = float(series.get(prev, np.nan))
        month_ago = float(series.get(scope.month_ago(month), np.nan))
        year_ago = float(series.get(ago, np.nan))
        row.update(month=month, value=value, previous_month=prev, previous=previous, month_ago_value=month_ago,
                   year_ago_month=ago, year_ago=year_ago, change_previous=value - previous,
                   change_month=value - month_ago, change_year=value - year_ago,
                   change_year_pct=np.nan if group.unit == "pct" else structure.pct_change(value, year_ago),
                   base_unreliable=group.unit != "pct" and bool(structure.unreliable_base(year_ago)))
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def _rate_row(scope: Scope, series: pd.Series, row: dict) -> dict:
    """The rate's row from :func:`structure.unemployment_rates` (the reference month of 12r5, the same
    rate the level table and the key figures show); ``ends_earlier`` when the area's rate is not held at
    that month (or the table holds no month of the period)."""
    if scope.month() is None:
        row["ends_earlier"] = True
        return row
    r = structure.unemployment_rates(scope).iloc[0]
    if np.isnan(r["rate"]):
        row["ends_earlier"] = True
        return row
    row.update(month=r["month"], value=r["rate"], previous_month=r["previous_month"], previous=r["rate_previous"],
               month_ago_value=r["rate_month_ago"], year_ago_month=r["year_ago_month"], year_ago=r["rate_year_ago"],
               change_previous=r["rate"] - r["rate_previous"], change_month=r["rate"] - r["rate_month_ago"],
               change_year=r["rate_change_pp"], change_year_pct=np.nan, base_unreliable=False)
    return row


MUNICIPAL_GROUPS: tuple[Group, ...] = tuple(g for g in GROUPS if g.unit != "pct" and g.key != "unemployed")
"""The standard groups a member municipality's page can show beside its unemployed: the counts (a rate is
never summed, and the municipality's unemployed and rate have sentences of their own)."""

MUNICIPAL_COLUMNS = ["area_code", "group", "unit", "month", "value", "year_ago_month", "year_ago", "year_ago_held",
                     "change_year"]


def municipality_groups(scope: Scope, standard: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each member municipality's standard groups (:data:`MUNICIPAL_GROUPS`) where the data hold them, at the
    area's reference month of the group (``standard``: :func:`standard_groups`, computed when not given) and
    the same month a year earlier, so a municipality's figure and the area's are of one month.

    One row per municipality and group the data hold at the month (every measure of the group has a cell;
    none for a group held only for the area). ``value`` and ``year_ago`` (persons, vacancies: jobs) are NaN
    where the source suppressed a cell (StatFin's ``...``: a small count) or, for ``year_ago``, where the data
    lack the month (``year_ago_held`` False); ``change_year`` = ``value`` − ``year_ago``. Nothing is filled in.
    Columns: :data:`MUNICIPAL_COLUMNS`.
    """
    standard = standard_groups(scope) if standard is None else standard
    months = dict(zip(standard["group"], standard["month"]))
    codes = list(scope.municipalities)
    rows = []
    for group in MUNICIPAL_GROUPS:
        month = months.get(group.key)
        if not codes or not isinstance(month, str):
            continue
        ago = scope.year_ago(month)
        cells = _municipal_cells(scope, group, codes, [month, ago])
        for code in codes:
            if (code, month) not in cells:
                continue
            value, year_ago = cells[(code, month)], cells.get((code, ago), np.nan)
            rows.append({"area_code": code, "group": group.key, "unit": group.unit, "month": month, "value": value,
                         "year_ago_month": ago, "year_ago": year_ago, "year_ago_held": (code, ago) in cells,
                         "change_year": value - year_ago})
    return pd.DataFrame(rows, columns=MUNICIPAL_COLUMNS)


def _municipal_cells(scope: Scope, group: Group, codes: list[str], months: list[str]) -> dict[tuple[str, str], float]:
    """``(code, month) -> value`` of ``group`` for the municipalities ``codes`` at ``months``: the sum of the
    group's measures, NaN when the source suppressed any of them; only the cells where every measure is held."""
    tab = scope.table(group.table_id)
    if not all(tab.has(m, group.table_id) for m in group.measures):
        return {}
    obs = tab.select(list(group.measures), table_id=group.table_id, area_codes=codes, **totals_filter(group.table_id))
    obs = obs[obs["period"].isin(months)]
    found = obs.groupby(["area_code", "period"])["value"].agg(["sum", "count", "size"])
    found = found[found["size"] == len(group.measures)]
    values = found["sum"].where(found["count"] == found["size"])
    return {key: float(v) for key, v in values.items()}


def year_change_history(scope: Scope, months: int = 4) -> pd.DataFrame:
    """Change of unemployed jobseekers from a year earlier at the reference month and at the
    ``months - 1`` comparison months before it (a quarter apart for a quarterly review): whether
    the change is speeding up or slowing down. Columns ``month``, ``value``, ``change_year``."""
    series = _series(scope, GROUPS[0])
    month = scope.pick_month(series.index)
    if month is None:
        return pd.DataFrame(columns=["month", "value", "change_year"])
    rows = []
    m = month
    for _ in range(months):
        value = float(series.get(m, np.nan))
        rows.append({"month": m, "value": value, "change_year": value - float(series.get(scope.year_ago(m), np.nan))})
        m = scope.previous_period_month(m)
    return pd.DataFrame(rows)
