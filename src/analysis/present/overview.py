"""Presentation of the data overview (notebook 00): Finnish/Swedish tables of what the store holds.

The reader sees each table's number, title, origin, dates and span in words ("tammikuu 2006", "5.12.2023");
the snapshots' provenance (repositories, commits) is documented in ``data/SOURCES.md``, not on the page."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis.indicators import overview
from analysis.names import area_name
from analysis.present import html
from analysis.present.fmt import MISSING, fmt_int
from analysis.present.text import catalogue, data_source_label, month_name, t
from analysis.store.scope import Scope


def measure_label(measure: str, lang: str = "fi") -> str:
    """The reader's name of a stable measure name; the name itself when no label is written yet."""
    key = f"overview.measure_{measure}"
    return t(key, lang) if key in catalogue(lang) else measure


def table_label(table_id: str, lang: str = "fi") -> str:
    """The reader's name of a table: the StatFin table number ("12r5"), or a name for a table that has no
    StatFin number ("sotkanet-181" -> "Sotkanet 181")."""
    key = f"overview.table_name.{table_id}"
    return t(key, lang) if key in catalogue(lang) else table_id


def period_text(period: object, lang: str = "fi") -> str:
    """A period as the page names it: a month ``2023-09`` -> "syyskuu 2023"; a year stays; none is "–"."""
    text = str(period) if period is not None and period == period else ""
    if len(text) == 7 and text[4] == "-":
        return month_name(text, lang)
    return text or MISSING


def date_text(stamp: object) -> str:
    """The date of an ISO date or time stamp as Finnish and Swedish write it: "2023-12-05" -> "5.12.2023"; "–"
    for none."""
    try:
        day = date.fromisoformat(str(stamp)[:10])
    except ValueError:
        return MISSING
    return f"{day.day}.{day.month}.{day.year}"


def title_text(table_id: str, title_fi: str, lang: str = "fi") -> str:
    """The table's title: StatFin's Finnish title as the store holds it; in Swedish the one written for it (the
    Finnish title where none is)."""
    key = f"overview.table_title.{table_id}"
    return t(key, lang) if lang != "fi" and key in catalogue(lang) else title_fi


def citation_text(table_id: str, citation: str, lang: str = "fi") -> str:
    """The table's source line in ``lang``: the store's (Finnish) line, or the Swedish one written for it."""
    key = f"overview.citation.{table_id}"
    if lang == "fi" or key not in catalogue(lang):
        return t("overview.citation_statfin", lang, table=table_id) if lang != "fi" and "StatFin" in citation else citation
    return t(key, lang)


def coverage_table(scope: Scope, lang: str = "fi") -> pd.DataFrame:
    """Measures by table with period span and missing cells, labelled for readers."""
    cov = overview.measure_coverage(scope)
    return pd.DataFrame({
        t("overview.col_table", lang): [table_label(v, lang) for v in cov["table_id"]],
        t("overview.col_measure", lang): [measure_label(m, lang) for m in cov["measure"]],
        t("overview.col_areas", lang): [fmt_int(v, lang) for v in cov["areas"]],
        t("overview.col_first", lang): [period_text(v, lang) for v in cov["first_period"]],
        t("overview.col_last", lang): [period_text(v, lang) for v in cov["last_period"]],
        t("overview.col_values", lang): [fmt_int(v, lang) for v in cov["values"]],
        t("overview.col_missing", lang): [fmt_int(v, lang) for v in cov["missing"]],
    })


def vintage_table(scope: Scope, lang: str = "fi") -> pd.DataFrame:
    """Each table's title, origin, update and fetch dates (columns with no date at all are left out) and span."""
    vin = scope.store.vintage()
    origin = {"embedded": t("overview.origin_embedded", lang), "pxweb": t("overview.origin_pxweb", lang),
              "px-file": t("overview.origin_px", lang)}
    out = pd.DataFrame({
        t("overview.col_table", lang): [table_label(v, lang) for v in vin["table_id"]],
        t("overview.col_title", lang): [title_text(i, title, lang) for i, title in zip(vin["table_id"], vin["title_fi"])],
        t("overview.col_origin", lang): vin["origin"].map(origin).fillna(vin["origin"]),
        t("overview.col_updated", lang): [date_text(v) for v in vin["last_updated"]],
        t("overview.col_fetched", lang): [date_text(v) for v in vin["fetched_at"]],
        t("overview.col_first", lang): [period_text(v, lang) for v in vin["first_period"]],
        t("overview.col_last", lang): [period_text(v, lang) for v in vin["last_period"]],
        t("overview.col_citation", lang): [citation_text(i, c, lang) for i, c in zip(vin["table_id"], vin["citation"])],
    })
    dateless = [c for c in (t("overview.col_updated", lang), t("overview.col_fetched", lang)) if (out[c] == MISSING).all()]
    return out.drop(columns=dateless)


def area_table(scope: Scope, lang: str = "fi") -> pd.DataFrame:
    """Tables and last period held for each member of the area and its region."""
    cov = overview.area_coverage(scope)
    wide = cov.pivot(index="area_code", columns="table_id", values="last_period")
    wide = wide.apply(lambda column: column.map(lambda v: period_text(v, lang)))
    wide.columns = [table_label(c, lang) for c in wide.columns]
    wide.index = [area_name(code, scope, lang) for code in wide.index]
    wide.index.name = t("overview.col_area", lang)
    return wide.reset_index()


def missing_table(scope: Scope, lang: str = "fi") -> pd.DataFrame | None:
    """Measures the analyses use that the data lacks, with the StatFin table that publishes them (in words: the
    table's content codes are for the fetch, not for readers)."""
    missing = overview.missing_measures(scope)
    if missing.empty:
        return None
    return pd.DataFrame({
        t("overview.col_measure", lang): [measure_label(m, lang) for m in missing["measure"]],
        t("overview.col_table", lang): [table_label(v, lang) for v in missing["table_id"]],
    })


def definitions_blocks(lang: str = "fi") -> list[html.HTML]:
    """Definitions of the terms the review uses, and the caveats of the data."""
    terms = [k.split(".", 2)[2] for k in catalogue(lang) if k.startswith("overview.term.")]
    items = [(t(f"overview.term.{k}", lang), t(f"overview.define.{k}", lang)) for k in terms]
    caveats = [t(k, lang) for k in sorted(catalogue(lang)) if k.startswith("overview.caveat_")]
    return [
        html.heading(t("overview.definitions_heading", lang), 3),
        html.definitions(items),
        html.heading(t("overview.caveats_heading", lang), 3),
        html.bullets(caveats),
    ]


def overview_blocks(scope: Scope, lang: str = "fi") -> list[html.HTML]:
    """All blocks of the data-overview section (sources, vintage, definitions, caveats), in reading order."""
    missing = missing_table(scope, lang)
    missing_blocks = [
        html.heading(t("overview.missing_heading", lang), 3),
        html.notice(t("overview.missing_intro", lang), "missing", lang),
        html.table(missing, t("overview.missing_caption", lang)),
    ] if missing is not None else []
    return [
        html.heading(t("overview.title", lang), 2),
        html.paragraph(t("overview.intro", lang, area=scope.area.name(lang), source=data_source_label(scope.data_source, lang),
                         month=period_text(scope.last_held("12r5", "unemployed_jobseekers"), lang))),
        html.heading(t("overview.vintage_heading", lang), 3),
        html.table(vintage_table(scope, lang), t("overview.vintage_caption", lang)),
        html.heading(t("overview.measures_heading", lang), 3),
        html.table(coverage_table(scope, lang), t("overview.measures_caption", lang)),
        html.heading(t("overview.areas_heading", lang), 3),
        html.table(area_table(scope, lang), t("overview.areas_caption", lang, area=scope.area.name(lang))),
        *missing_blocks,
        *definitions_blocks(lang),
    ]
