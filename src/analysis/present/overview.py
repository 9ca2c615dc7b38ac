"""Presentation of the data overview (notebook 00): Finnish/Swedish tables of what the store holds."""

from __future__ import annotations

import pandas as pd

from analysis.indicators import overview
from analysis.names import area_name
from analysis.present import html
from analysis.present.fmt import MISSING, fmt_int
from analysis.present.text import catalogue, data_source_label, t
from analysis.store.scope import Scope


def measure_label(measure: str, lang: str = "fi") -> str:
    """The reader's name of a stable measure name; the name itself when no label is written yet."""
    key = f"overview.measure_{measure}"
    return t(key, lang) if key in catalogue(lang) else measure


def coverage_table(scope: Scope, lang: str = "fi") -> pd.DataFrame:
    """Measures by table with period span and missing cells, labelled for readers."""
    cov = overview.measure_coverage(scope)
    return pd.DataFrame({
        t("overview.col_table", lang): cov["table_id"],
        t("overview.col_measure", lang): [measure_label(m, lang) for m in cov["measure"]],
        t("overview.col_areas", lang): [fmt_int(v, lang) for v in cov["areas"]],
        t("overview.col_first", lang): cov["first_period"],
        t("overview.col_last", lang): cov["last_period"],
        t("overview.col_values", lang): [fmt_int(v, lang) for v in cov["values"]],
        t("overview.col_missing", lang): [fmt_int(v, lang) for v in cov["missing"]],
    })


def vintage_table(scope: Scope, lang: str = "fi") -> pd.DataFrame:
    """Each table's source, origin, snapshot or fetch time and period span."""
    vin = scope.store.vintage()
    origin = {"embedded": t("overview.origin_embedded", lang), "pxweb": t("overview.origin_pxweb", lang),
              "px-file": t("overview.origin_px", lang)}
    return pd.DataFrame({
        t("overview.col_table", lang): vin["table_id"],
        t("overview.col_title", lang): vin["title_fi"],
        t("overview.col_origin", lang): vin["origin"].map(origin).fillna(vin["origin"]),
        t("overview.col_updated", lang): vin["last_updated"].replace("", MISSING),
        t("overview.col_fetched", lang): (vin["fetched_at"].where(vin["fetched_at"] != "", vin["snapshot"])),
        t("overview.col_first", lang): vin["first_period"],
        t("overview.col_last", lang): vin["last_period"],
        t("overview.col_citation", lang): vin["citation"],
    })


def area_table(scope: Scope, lang: str = "fi") -> pd.DataFrame:
    """Tables and last period held for each member of the area and its region."""
    cov = overview.area_coverage(scope)
    wide = cov.pivot(index="area_code", columns="table_id", values="last_period").fillna(MISSING)
    wide.index = [area_name(code, scope, lang) for code in wide.index]
    wide.index.name = t("overview.col_area", lang)
    return wide.reset_index()


def missing_table(scope: Scope, lang: str = "fi") -> pd.DataFrame | None:
    """Measures the analyses use that the data lacks, with the table and code that hold them."""
    missing = overview.missing_measures(scope)
    if missing.empty:
        return None
    return pd.DataFrame({
        t("overview.col_measure", lang): [measure_label(m, lang) for m in missing["measure"]],
        t("overview.col_table", lang): missing["table_id"],
        t("overview.col_code", lang): missing["source_code"],
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
                         month=scope.last_held("12r5", "unemployed_jobseekers"))),
        html.heading(t("overview.vintage_heading", lang), 3),
        html.table(vintage_table(scope, lang), t("overview.vintage_caption", lang)),
        html.heading(t("overview.measures_heading", lang), 3),
        html.table(coverage_table(scope, lang), t("overview.measures_caption", lang)),
        html.heading(t("overview.areas_heading", lang), 3),
        html.table(area_table(scope, lang), t("overview.areas_caption", lang, area=scope.area.name(lang))),
        *missing_blocks,
        *definitions_blocks(lang),
    ]
