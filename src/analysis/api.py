"""The public analysis API: the review's results as data (see ``help(analysis)``).

Every result table is declared once in :data:`TABLES` (name, description, columns with their units and
the function that builds it); :func:`tables` lists them, :func:`table` builds one, and
:func:`tables_markdown` writes ``docs/tables.md`` from the same registry (a test keeps the file in step).
The figures come from the indicator modules the review's pages read, so a number here is the number on
the page (before disclosure control: the pages show counts of 1–4 as "<5", the tables give them as
StatFin publishes them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import config
from analysis.errors import UnknownName

if TYPE_CHECKING:
    import pandas as pd

    from analysis.indicators.review import ReviewFacts
    from analysis.store.scope import Scope

DEFAULT_AREA = "keski-pohjanmaa"
TABLES_DOC: Path = config.ROOT / "docs" / "tables.md"
"""The generated list of tables for analysts (:func:`tables_markdown`)."""


# --------------------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Column:
    """One column of a result table: its name (the unit is its last word where it has one), unit, meaning."""

    name: str
    unit: str
    description: str


@dataclass(frozen=True)
class TableSpec:
    """One result table: its name, what it holds, its columns and the function that builds it."""

    name: str
    description: str
    columns: tuple[Column, ...]
    build: Callable[[Scope, str], pd.DataFrame]


AREA = Column("area_code", "", "StatFin area code (KUnnn municipality, MKnn region, SKnnn sub-region, SSS country) "
              "or the configured area's slug")
AREA_NAME = Column("area_name", "", "the area's name in the language asked for")
MONTH = Column("month", "YYYY-MM", "the reference month: the period's last month the table holds")
PERIOD = Column("period", "", "the reporting period asked for (2023Q3 or 2023-09)")


def _c(name: str, unit: str, description: str) -> Column:
    return Column(name, unit, description)


def _with_names(frame: pd.DataFrame, scope: Scope, lang: str, code: str = "area_code") -> pd.DataFrame:
    from analysis.names import area_name

    frame.insert(frame.columns.get_loc(code) + 1, "area_name", [area_name(c, scope, lang) for c in frame[code]])
    return frame


def _levels(scope: Scope, lang: str) -> pd.DataFrame:
    from analysis.indicators import structure

    out = structure.level_table(scope).rename(columns={
        "unemployed": "unemployed_persons", "unemployed_year_ago": "unemployed_year_ago_persons",
        "change_year": "unemployed_change_year_persons", "change_year_pct": "unemployed_change_year_pct",
        "unemployed_month_ago": "unemployed_month_ago_persons", "change_month": "unemployed_change_month_persons",
        "labour_force": "labour_force_persons", "rate": "unemployment_rate_pct",
        "rate_year_ago": "unemployment_rate_year_ago_pct", "rate_change_pp": "unemployment_rate_change_year_pp",
        "quarter_mean_unemployed": "period_mean_unemployed_persons", "quarter_mean_rate": "period_mean_rate_pct",
    })
    return _with_names(out, scope, lang)


def _municipalities(scope: Scope, lang: str) -> pd.DataFrame:
    levels = _levels(scope, lang)
    return levels[levels["level"] == "municipality"].reset_index(drop=True)


def _regions(scope: Scope, lang: str) -> pd.DataFrame:
    from analysis.indicators import structure

    out = structure.region_ranking(scope).rename(columns={
        "unemployed": "unemployed_persons", "labour_force": "labour_force_persons", "rate": "unemployment_rate_pct",
        "rate_year_ago": "unemployment_rate_year_ago_pct", "rate_change_pp": "unemployment_rate_change_year_pp",
    })
    out["rank"] = out["rank"].astype("Int64")
    return _with_names(out, scope, lang)


def _occupations(scope: Scope, lang: str) -> pd.DataFrame:
    import pandas as pd

    from analysis.indicators import skills, structure
    from analysis.names import occupation_name

    if scope.occupation_codes is None or scope.month(structure.OCC_TABLE) is None:
        return _empty("occupations")
    parts = []
    for level in (1, 2):
        groups = structure.occupation_groups(scope, level)
        groups = groups[groups["kind"] == "group"].drop(columns=["tightness", "kind", "share_pct"])
        months, tight = skills.period_tightness(scope, level=str(level))
        tight = tight.rename(columns={"vacancies": "period_vacancies", "unemployed": "period_unemployed",
                                      "class": "tightness_class"})
        groups = groups.merge(tight, on="group_code", how="left")
        groups.insert(0, "level", level)
        groups["tightness_months"] = f"{months[0]}..{months[-1]}" if months else ""
        parts.append(groups)
    out = pd.concat(parts, ignore_index=True)
    shortage = list(skills.shortage(out[out["level"] == 2].rename(columns={"tightness_class": "class"}), n=1000)["group_code"])
    out["shortage_rank"] = pd.array([shortage.index(c) + 1 if lv == 2 and c in shortage else None
                                     for c, lv in zip(out["group_code"], out["level"])], dtype="Int64")
    out["occupation_name"] = [occupation_name(c, lang) for c in out["group_code"]]
    out["is_context"] = bool(scope.occupation_codes[1])
    out = out.rename(columns={
        "group_code": "occupation_code", "area_codes": "area_code",
        "unemployed": "unemployed_persons", "unemployed_year_ago": "unemployed_year_ago_persons",
        "change_year": "unemployed_change_year_persons", "change_year_pct": "unemployed_change_year_pct",
        "vacancies": "open_vacancies_jobs", "vacancies_year_ago": "open_vacancies_year_ago_jobs",
        "period_vacancies": "period_open_vacancies_jobs", "period_unemployed": "period_unemployed_persons",
        "tightness": "vacancies_per_unemployed_ratio", "tightness_low": "vacancies_per_unemployed_low_ratio",
        "tightness_high": "vacancies_per_unemployed_high_ratio", "suppressed_cells": "suppressed_cells_count",
    })
    out["open_vacancies_change_year_jobs"] = out["open_vacancies_jobs"] - out["open_vacancies_year_ago_jobs"]
    return _with_names(out, scope, lang)


def _outlook(scope: Scope, lang: str) -> pd.DataFrame:
    from analysis.names import occupation_name
    from analysis.review.facts import outlook_of

    result = outlook_of(scope)  # the skills section's computation (one computation per figure)
    if result is None:
        return _empty("outlook")
    out = result.table.drop(columns="predicted_then")
    out.insert(2, "occupation_name", [occupation_name(c, lang) for c in out["group_code"]])
    out.insert(0, "area_code", scope.occupation_code)
    for name in ("shortage", "balance", "surplus"):
        out[f"p_{name}_pct"] = (out.pop(f"p_{name}") * 100).round(1)
    out = out.rename(columns={"group_code": "occupation_code", "period": "month", "target_period": "target_month",
                              "vacancies": "open_vacancies_jobs", "unemployed": "unemployed_persons",
                              "predicted": "outlook_class", "ratio_expected": "vacancies_per_unemployed_expected_ratio"})
    return _with_names(out, scope, lang)


def _groups(scope: Scope, lang: str) -> pd.DataFrame:
    import numpy as np

    from analysis.indicators import groups
    from analysis.present.text import t

    out = groups.standard_groups(scope)
    out.insert(1, "group_name", [t(f"review_page.group_{g}", lang) for g in out["group"]])
    out["status"] = np.where(~out["available"].astype(bool), "not_in_data",
                             np.where(out["ends_earlier"].astype(bool), "ends_earlier", "ok"))
    out.insert(0, "area_code", scope.area.slug)
    out = out.rename(columns={"month_ago_value": "month_ago"})
    return _with_names(out, scope, lang)


def _municipality_groups(scope: Scope, lang: str) -> pd.DataFrame:
    from analysis.indicators import groups
    from analysis.present.text import t

    out = groups.municipality_groups(scope)
    out.insert(2, "group_name", [t(f"review_page.group_{g}", lang) for g in out["group"]])
    return _with_names(out, scope, lang)


def _trend(scope: Scope, lang: str) -> pd.DataFrame:
    from analysis.indicators import structure

    out = structure.trends(scope).rename(columns={
        "period": "month", "unemployed_jobseekers": "unemployed_persons", "labour_force": "labour_force_persons",
        "unemployed_trend": "unemployed_trend_persons"})
    return _with_names(out, scope, lang)


LEVEL_COLUMNS: tuple[Column, ...] = (
    AREA, AREA_NAME,
    _c("level", "", "area | municipality | subregion | region | country"), MONTH,
    _c("unemployed_persons", "persons", "unemployed jobseekers at the end of the month (StatFin 12r5)"),
    _c("unemployed_year_ago_persons", "persons", "the same a year earlier (Scope.year_ago)"),
    _c("unemployed_change_year_persons", "persons", "change from a year earlier"),
    _c("unemployed_change_year_pct", "%", "change from a year earlier, % of the year-ago value"),
    _c("unemployed_month_ago_persons", "persons", "unemployed a month earlier"),
    _c("unemployed_change_month_persons", "persons", "change from a month earlier"),
    _c("labour_force_persons", "persons", "labour force (StatFin 12r5)"),
    _c("unemployment_rate_pct", "%", "unemployed / labour force × 100 (structure.unemployment_rates)"),
    _c("unemployment_rate_year_ago_pct", "%", "the rate a year earlier"),
    _c("unemployment_rate_change_year_pp", "percentage points", "change of the rate from a year earlier"),
    _c("period_mean_unemployed_persons", "persons", "mean of the unemployed over the period's months up to the reference month"),
    _c("period_mean_rate_pct", "%", "rate from the period's mean counts"),
    _c("base_unreliable", "bool", "the year-ago base is under 20 persons: a % change on it is unreliable"),
)

TABLES: dict[str, TableSpec] = {spec.name: spec for spec in (
    TableSpec("municipalities", "The area's member municipalities at the reference month: unemployed, labour force, "
              "rate and their changes from a month and a year earlier.",
              tuple(c for c in LEVEL_COLUMNS if c.name != "level"), _municipalities),
    TableSpec("levels", "The area, its municipalities, sub-regions, region and the whole country at the reference "
              "month (the appendix's level table).", LEVEL_COLUMNS, _levels),
    TableSpec("regions", "All 19 regions (maakunnat) at the reference month ranked by unemployment rate "
              "(rank 1 = highest).", (
                  AREA, AREA_NAME,
                  _c("unemployed_persons", "persons", "unemployed jobseekers at the end of the month"),
                  _c("labour_force_persons", "persons", "labour force"),
                  _c("unemployment_rate_pct", "%", "unemployed / labour force × 100"),
                  _c("unemployment_rate_year_ago_pct", "%", "the rate a year earlier"),
                  _c("unemployment_rate_change_year_pp", "percentage points", "change of the rate from a year earlier"),
                  _c("rank", "", "rank by rate among the regions, 1 = highest"),
                  _c("is_area_region", "bool", "the region the area lies in"), MONTH), _regions),
    TableSpec("occupations", "Occupation groups (Ammattiluokitus 2010, one- and two-digit) of the occupation table "
              "(StatFin 12ti) for the area: unemployed and open vacancies at the reference month with their year "
              "changes, and vacancies per unemployed over the period's months with bounds for suppressed cells "
              "(the skills section's computation).", (
                  _c("level", "", "1 = main group, 2 = sub-major group"),
                  _c("occupation_code", "", "group code"), _c("occupation_name", "", "group name in the language asked "
                                                                "for (Finnish where no Swedish name is verified; empty "
                                                                "where no name is verified)"),
                  AREA, AREA_NAME, MONTH,
                  _c("unemployed_persons", "persons", "unemployed jobseekers, published four-digit cells summed"),
                  _c("unemployed_year_ago_persons", "persons", "the same a year earlier"),
                  _c("unemployed_change_year_persons", "persons", "change from a year earlier"),
                  _c("unemployed_change_year_pct", "%", "change from a year earlier, % of the year-ago value"),
                  _c("open_vacancies_jobs", "jobs", "open vacancies at the end of the month, published cells summed"),
                  _c("open_vacancies_year_ago_jobs", "jobs", "the same a year earlier"),
                  _c("open_vacancies_change_year_jobs", "jobs", "change from a year earlier"),
                  _c("suppressed_cells_count", "cells", "four-digit cells of unemployed not published (1–4 persons)"),
                  _c("base_unreliable", "bool", "the year-ago base is under 20 persons"),
                  _c("tightness_months", "YYYY-MM..YYYY-MM", "the months the tightness is the mean over"),
                  _c("period_open_vacancies_jobs", "jobs", "mean over those months of the published open vacancies"),
                  _c("period_unemployed_persons", "persons", "mean over those months of the published unemployed"),
                  _c("vacancies_per_unemployed_ratio", "ratio", "period_open_vacancies_jobs / period_unemployed_persons"),
                  _c("vacancies_per_unemployed_low_ratio", "ratio", "lowest ratio the suppressed cells (1–4 each) allow"),
                  _c("vacancies_per_unemployed_high_ratio", "ratio", "highest ratio the suppressed cells allow"),
                  _c("tightness_class", "", "shortage (≥ 1.0) | balance | surplus (< 0.25) when both bounds agree; "
                                            "uncertain; small (too few to classify)"),
                  _c("shortage_rank", "", "rank among the shortage groups by the lower bound, 1 = surest "
                                          "(two-digit groups; the skills section's and the review's list)"),
                  _c("is_context", "bool", "the groups are the region's (the area has no occupation data of its own)"),
              ), _occupations),
    TableSpec("outlook", "Skills-needs outlook six months ahead (forecast/outlook.py, docs/outlook_method.md): for every "
              "occupation group with data at the reference month, the probability that it is in shortage, balance or "
              "surplus (month-end open vacancies per unemployed jobseeker, StatFin 12ti) six months later.", (
                  AREA, AREA_NAME, _c("level", "", "1 = main group, 2 = sub-major group"),
                  _c("occupation_code", "", "group code"), _c("occupation_name", "", "group name in the language asked for"),
                  MONTH, _c("target_month", "YYYY-MM", "the month the outlook is for: six months after month"),
                  _c("class_now", "", "shortage | balance | surplus at month; uncertain where suppressed cells or few "
                                      "persons leave it open"),
                  _c("open_vacancies_jobs", "jobs", "open vacancies at the end of month (the middle of the published "
                                                    "bounds where cells are suppressed)"),
                  _c("unemployed_persons", "persons", "unemployed jobseekers at the end of month (likewise)"),
                  _c("vacancies_per_unemployed_expected_ratio", "ratio", "the model's central forecast of the ratio"),
                  _c("p_shortage_pct", "%", "probability of shortage (1.0 or more vacancies per jobseeker)"),
                  _c("p_balance_pct", "%", "probability of balance"),
                  _c("p_surplus_pct", "%", "probability of surplus (under 0.25 vacancies per jobseeker)"),
                  _c("outlook_class", "", "the class shown: the largest probability after the weights of "
                                          "docs/outlook_method.md"),
              ), _outlook),
    TableSpec("groups", "The standard groups every employment review leads with (unemployed, rate, long-term "
              "unemployed, under 25, over 50, foreign nationals, laid off, in services, vacancies): level at the "
              "reference month, the previous period, a month and a year earlier, and the changes. A group the data "
              "lack has status not_in_data and no numbers.", (
                  AREA, AREA_NAME,
                  _c("group", "", "group key"), _c("group_name", "", "the group's name in the language asked for"),
                  _c("unit", "", "unit of value, previous, month_ago, year_ago: persons | count (jobs) | pct (%)"),
                  _c("status", "", "ok | not_in_data (no number) | ends_earlier (the data end before the period)"),
                  _c("available", "bool", "the data hold the group"), MONTH,
                  _c("value", "unit", "level at the reference month"),
                  _c("previous_month", "YYYY-MM", "the previous period's comparison month"),
                  _c("previous", "unit", "level at previous_month"),
                  _c("month_ago", "unit", "level a month before the reference month"),
                  _c("year_ago_month", "YYYY-MM", "the same month a year earlier"),
                  _c("year_ago", "unit", "level a year earlier"),
                  _c("change_previous", "unit (pp for pct)", "change from the previous period"),
                  _c("change_month", "unit (pp for pct)", "change from a month earlier"),
                  _c("change_year", "unit (pp for pct)", "change from a year earlier"),
                  _c("change_year_pct", "%", "change from a year earlier, % of the year-ago value (not for rates)"),
                  _c("base_unreliable", "bool", "the year-ago base is under 20"),
                  _c("last_month", "YYYY-MM", "the last month the data hold the group"),
              ), _groups),
    TableSpec("municipality_groups", "Each member municipality's standard groups (counts: long-term unemployed, "
              "over two years, under 25, over 50, foreign nationals, laid off, in services, vacancies) where the data "
              "hold them, at the area's reference month of the group and the same month a year earlier (the "
              "municipality pages' table, before disclosure control: counts 1–4 are published as \"<5\").", (
                  AREA, AREA_NAME,
                  _c("group", "", "group key"), _c("group_name", "", "the group's name in the language asked for"),
                  _c("unit", "", "unit of value and year_ago: persons | count (jobs)"), MONTH,
                  _c("value", "unit", "level at the month; NaN where the source suppressed the cell (a small count)"),
                  _c("year_ago_month", "YYYY-MM", "the same month a year earlier"),
                  _c("year_ago", "unit", "level a year earlier; NaN where suppressed or not in the data"),
                  _c("year_ago_held", "bool", "the data hold the cell a year earlier (False: not in the data)"),
                  _c("change_year", "unit", "change from a year earlier"),
              ), _municipality_groups),
    TableSpec("trend", "Monthly series of the area and each member from the first month of the data to the "
              "reference month: unemployed, labour force, rate and the seasonally adjusted trend (STL) of the "
              "unemployed.", (
                  AREA, AREA_NAME, _c("level", "", "area | member"), _c("month", "YYYY-MM", "month"),
                  _c("unemployed_persons", "persons", "unemployed jobseekers at the end of the month"),
                  _c("labour_force_persons", "persons", "labour force"),
                  _c("unemployment_rate_pct", "%", "unemployed / labour force × 100"),
                  _c("unemployed_trend_persons", "persons", "seasonally adjusted trend of the unemployed (STL, "
                                                            "period 12, over the longest gap-free run ending at the "
                                                            "reference month; NaN outside it)"),
              ), _trend),
)}
"""Every result table :func:`table` builds: the one registry of names, descriptions and columns."""


def _empty(name: str) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({c.name: pd.Series(dtype="object") for c in TABLES[name].columns})


# --------------------------------------------------------------------------- the public functions


def tables(columns: bool = False) -> pd.DataFrame:
    """Every result table :func:`table` builds: ``name``, ``description``, ``columns`` (each "name [unit]").

    ``columns=True``: one row per table and column instead (``table``, ``column``, ``unit``, ``description``).
    """
    import pandas as pd

    if columns:
        return pd.DataFrame([{"table": s.name, "column": c.name, "unit": c.unit, "description": c.description}
                             for s in TABLES.values() for c in s.columns])
    return pd.DataFrame([{"name": s.name, "description": s.description,
                          "columns": ", ".join(f"{c.name} [{c.unit}]" if c.unit else c.name for c in s.columns)}
                         for s in TABLES.values()])


def latest_period(data_source: str = "embedded") -> str:
    """The latest complete quarter of the data: the last quarter all three of whose months StatFin 12r5
    holds (unemployed jobseekers; :func:`analysis.indicators.overview.latest_complete_quarter`, the rule
    the review's default period follows). ``2023Q3`` for the embedded snapshot (12r5 ends 2023-10, and
    its lone June 2026 month makes no quarter complete)."""
    from analysis.indicators.overview import latest_complete_quarter
    from analysis.store import load_store

    return latest_complete_quarter(load_store(data_source))


def scope(area: str = DEFAULT_AREA, period: str | None = None, data_source: str = "embedded") -> Scope:
    """The :class:`~analysis.store.scope.Scope` of ``area`` and ``period`` (default: :func:`latest_period`):
    the months, members, published equivalent and data as of the period, for going further."""
    from analysis.store import load_scope

    return load_scope(area, period or latest_period(data_source), data_source)


def table(name: str, area: str = DEFAULT_AREA, period: str | None = None, data_source: str = "embedded",
          lang: str = "fi") -> pd.DataFrame:
    """The result table ``name`` (see :func:`tables`) of ``area`` and ``period`` as a tidy DataFrame.

    ``period``: a quarter ``2023Q3`` or a month ``2023-09`` (default: :func:`latest_period`);
    ``data_source``: ``embedded``, ``fetched`` or a store folder; ``lang``: ``fi`` or ``sv`` for the names.
    Codes and names side by side, the reference month in ``month``, units as the last word of a column name
    (``_persons``, ``_jobs``, ``_pct``, ``_pp``, ``_ratio``). An unknown name raises
    :class:`~analysis.errors.UnknownName` listing the known ones.
    """
    from analysis import cache
    from analysis.review.facts import TABLE_PREFIX, entry

    spec = TABLES.get(name)
    if spec is None:
        raise UnknownName("unknown table '{name}'; known: {known}", name=name, known=", ".join(TABLES))
    config.check_language(lang)
    period = period or latest_period(data_source)

    def compute() -> pd.DataFrame:
        found = scope(area, period, data_source)
        out = spec.build(found, lang)[[c.name for c in spec.columns]]  # the registry's columns, in its order
        out.insert(0, "period", found.period.code)
        return out.reset_index(drop=True)

    # computed once per run by the review (config/notebooks.yaml lists the tables each notebook shows)
    folder, key_name, parts = entry(f"{TABLE_PREFIX}{name}", area, period, data_source, lang)
    found, _hit = cache.cached(folder, key_name, parts, compute)
    return found


def facts(area: str = DEFAULT_AREA, period: str | None = None, data_source: str = "embedded",
          forecast: bool = True, output_dir: str | Path = config.OUTPUTS_DIR, kpi_data: str = "imported") -> ReviewFacts:
    """The main page's figures (:class:`~analysis.indicators.review.ReviewFacts`), as the review computes
    them (from the cache when data and code are unchanged). ``forecast=False``: without the forecast."""
    from analysis.review.facts import load_facts

    period = period or latest_period(data_source)
    return load_facts(area, period, data_source, output_dir, kpi_data, forecast=forecast)


def _match_group(query: str, fc: pd.DataFrame, lang: str) -> tuple[str, str]:
    """(level, group code) of the forecast group a code or a name (or a unique part of one) names."""
    from analysis.names import occupation_name

    held = fc[["level", "group_code"]].drop_duplicates()
    held = held[held["level"] != "total"]
    text = str(query).strip()
    exact = held[held["group_code"] == text]
    if len(exact):
        return str(exact["level"].iloc[0]), text
    names = {code: occupation_name(code, lang) for code in held["group_code"]}
    found = [c for c, n in names.items() if n and n.lower() == text.lower()] or [
        c for c, n in names.items() if n and text.lower() in n.lower()]
    if len(found) == 1:
        return str(held.loc[held["group_code"] == found[0], "level"].iloc[0]), found[0]
    if found:
        raise UnknownName("'{name}' matches several occupation groups: {found}", name=text,
                          found="; ".join(f"{c} {names[c]}" for c in found))
    raise UnknownName("no occupation group matches '{name}'; forecast groups: {known}", name=text,
                      known=", ".join(sorted(held["group_code"])))


def forecast(area: str = DEFAULT_AREA, period: str | None = None, occupation: str | None = None,
             data_source: str = "embedded", lang: str = "fi", measure: str | None = None) -> pd.DataFrame:
    """The occupation forecast made at the period's reference month (data up to it only), by month ahead.

    ``occupation``: None for the area's total, else a group code (``"71"``) or name (or a unique part of
    one, in ``lang``); ``measure``: ``unemployed_jobseekers`` (default for the total) or ``open_vacancies``
    (both for a group when None). Columns: ``area_code``, ``area_name``, ``origin`` (the month the
    forecast is made at), ``month`` (target), ``h`` (months ahead), ``level``, ``occupation_code``,
    ``occupation_name``, ``measure``, ``forecast`` (the point; persons or jobs), ``lo80``, ``hi80``,
    ``lo95``, ``hi95`` (the intervals). Raises :class:`~analysis.errors.UnknownName` for a group that is
    not forecast, :class:`~analysis.errors.UserError` when the area has no occupation forecast.
    """
    from analysis.errors import UserError
    from analysis.forecast import occupations as occ
    from analysis.names import area_name, occupation_name
    from analysis.review.facts import occupation_data
    from analysis.store.scope import OCCUPATION_TABLE

    config.check_language(lang)
    found = scope(area, period, data_source)
    origin = found.month(OCCUPATION_TABLE)
    data = occupation_data(found)
    if data is None or origin is None:
        raise UserError("area {area} has no occupation forecast for {period}", area=area, period=found.period.code)
    fc, _hit = occ.forecast(data, origin)
    if occupation is None:
        rows = fc[fc["level"] == "total"]
        measure = measure or "unemployed_jobseekers"
    else:
        level, code = _match_group(occupation, fc, lang)
        rows = fc[(fc["level"] == level) & (fc["group_code"] == code)]
    if measure is not None:
        rows = rows[rows["measure"] == measure]
    out = rows.rename(columns={"target": "month", "group_code": "occupation_code"}).copy()
    out["occupation_name"] = [occupation_name(c, lang) if lv != "total" else "" for c, lv in
                              zip(out["occupation_code"], out["level"])]
    out["area_code"] = data.area_code
    out["area_name"] = area_name(data.area_code, found, lang)
    cols = ["area_code", "area_name", "origin", "month", "h", "level", "occupation_code", "occupation_name",
            "measure", "forecast", "lo80", "hi80", "lo95", "hi95"]
    return out[cols].sort_values(["measure", "h"]).reset_index(drop=True)


# --------------------------------------------------------------------------- docs/tables.md


def tables_markdown() -> str:
    """``docs/tables.md``: every result table and its columns, from :data:`TABLES`."""
    lines = ["# Result tables", "",
             "Generated from `analysis.api.TABLES` by `analysis.api.tables_markdown()`; do not edit by hand",
             "(`python -c \"import analysis.api as a; a.write_tables_doc()\"` rewrites it; a test fails when it is",
             "out of date).", "",
             "```python", "import analysis", "analysis.tables()                      # this list as a DataFrame",
             'analysis.table("municipalities")       # Keski-Pohjanmaa, the latest complete quarter',
             'analysis.table("regions", period="2023Q3", lang="sv")', "```", "",
             "Every table also has `period` (the reporting period asked for) as its first column.", ""]
    for spec in TABLES.values():
        lines += [f"## `{spec.name}`", "", spec.description, "", "| column | unit | meaning |", "|---|---|---|"]
        lines += [f"| `{c.name}` | {c.unit} | {c.description} |" for c in spec.columns]
        lines.append("")
    return "\n".join(lines)


def write_tables_doc(path: Path = TABLES_DOC) -> Path:
    """Write :func:`tables_markdown` to ``docs/tables.md``."""
    Path(path).write_text(tables_markdown(), encoding="utf-8")
    return Path(path)
