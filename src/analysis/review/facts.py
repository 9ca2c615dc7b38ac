"""The review's results, computed once per run into the one cache; the notebooks only present them.

- :func:`load_facts`: the figures of the main page and the municipality pages.
- :func:`section`: the blocks of one section of the pages (structure, long-term, foreign-language,
  skills, scorecard, data overview, the main page, the municipality pages).
- :func:`headline`: the main page's headline, for the review's record (``run.json``).

The runner computes every result of a review in the order of :data:`STAGES` before any notebook runs;
each notebook (and an analyst in JupyterLab) then gets the same result with one call. Every result is
kept in :mod:`analysis.cache`, keyed on the area's definition, the period, the **content** of the data
and the code, so a changed rule, text or file never serves a stale result.

A result found in the cache is read without the data libraries: this module imports the store, the
indicators and pandas only when it computes, so a notebook's kernel that presents computed sections
never imports them.
"""

from __future__ import annotations

import hashlib
import importlib
from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import cache, config

if TYPE_CHECKING:  # the store and the figures are imported where results are computed
    from analysis.indicators.review import ReviewFacts
    from analysis.store.scope import Scope


def reviews_digest(output_dir: str | Path, area: str, period: str | None = None) -> str:
    """What the scorecard's review metric reads from ``output_dir``: the periods of ``area`` its list of
    reviews (``index.json``) holds, but ``period`` itself (the metric counts the reviews made before the
    one being made). Re-publishing a review, publishing this one, publishing one of another area or
    writing into another folder with the same reviews leaves it unchanged, so a repeated review finds
    its figures in the cache."""
    from analysis.errors import UserError
    from analysis.sources.reviews_index import listed_reviews

    try:
        reviews = listed_reviews(Path(output_dir) / "index.json")
    except UserError:
        return "unreadable"
    periods = sorted({review["period"] for review in reviews if review["area"] == area and review["period"] != period})
    return hashlib.sha256(repr(periods).encode()).hexdigest()[:16]


def key_parts(area: str, period: str, data_source: str, *extra: object,
              digests: tuple[str, str] | None = None) -> tuple[object, ...]:
    """What a result of ``area`` and ``period`` depends on besides its own name: the area's definition
    (its members, as ``config/areas.yaml`` says now), the period, the data's content and the code.
    ``digests``: the data's and the code's digest (:func:`current_digests`) when the caller asks for
    several keys at one moment; by default they are computed now."""
    data, code = digests if digests is not None else current_digests(data_source)
    return (repr(config.get_area(area)), period, data_source, data, code, *extra)


def current_digests(data_source: str) -> tuple[str, str]:
    """The digests of the data of ``data_source`` and of the code as they are now (hashed anew at every
    call: a file edited since the last call changes them)."""
    return cache.data_digest(data_source), cache.code_digest()


def kpi_card(scope: Scope, output_dir: str | Path = config.OUTPUTS_DIR, kpi_data: str = "imported") -> tuple:
    """The scorecard of the review, its trend points and internal data (:func:`analysis.present.kpi.build`),
    computed once for the figures and the scorecard section: from the cache when data, code and the
    list of published reviews are unchanged."""
    from analysis.present import kpi as kpi_present  # charts and their libraries only when computing

    parts = key_parts(scope.area.slug, scope.period.code, scope.data_source,
                      reviews_digest(output_dir, scope.area.slug, scope.period.code), kpi_data)
    built, _hit = cache.cached("facts", "kpi-card", parts, lambda: kpi_present.build(scope, kpi_data, output_dir=output_dir))
    return built


def occupation_data(scope: Scope) -> object | None:
    """The area's occupation series and the forecast's panels as of the period
    (:func:`analysis.forecast.occupations.occupation_panel`), computed once for the forecast and
    the skills section: from the cache when data and code are unchanged. None when the area has no
    occupation data for the period or too little to forecast (each reader then says why)."""
    from analysis.forecast import occupations as occ
    from analysis.store.scope import OCCUPATION_TABLE

    def compute() -> object | None:
        if scope.occupation_code is None or scope.month(OCCUPATION_TABLE) is None:
            return None
        try:
            return occ.occupation_panel(scope.store, scope.occupation_code)
        except occ.NotEnoughData:
            return None

    parts = key_parts(scope.area.slug, scope.period.code, scope.data_source)
    found, _hit = cache.cached("facts", "occupation-data", parts, compute)
    return found


def forecast_of(scope: Scope) -> tuple:
    """The main page's forecast and its accuracy (:func:`analysis.forecast.area.forecast_facts`),
    computed once for the figures: from the cache when data and code are unchanged."""
    from analysis.forecast.area import forecast_facts

    folder, name, parts = entry("forecast", scope.area.slug, scope.period.code, scope.data_source)
    found, _hit = cache.cached(folder, name, parts, lambda: forecast_facts(scope, occupation_data(scope)))
    return found


def outlook_of(scope: Scope) -> object | None:
    """The area's skills-needs outlook (:func:`analysis.forecast.outlook.scope_result`), computed once for the
    skills section, the main page and the ``outlook`` table: from the cache when data and code are unchanged."""
    from analysis.forecast.outlook import scope_result

    folder, name, parts = entry("outlook", scope.area.slug, scope.period.code, scope.data_source)
    found, _hit = cache.cached(folder, name, parts, lambda: scope_result(scope))
    return found


def build_facts(scope: Scope, output_dir: str | Path = config.OUTPUTS_DIR, kpi_data: str = "imported",
                forecast: bool = True) -> ReviewFacts:
    """The figures of one review (the scorecard counts the reviews published under ``output_dir``);
    ``forecast=False``: without the forecast and its accuracy."""
    from analysis.indicators.review import compute_facts

    card, _points, internal = kpi_card(scope, output_dir, kpi_data)
    facts = compute_facts(scope, card, forecast_of(scope) if forecast else (None, None))
    return replace(facts, municipal_metrics=municipal_metrics(scope, internal))


def municipal_metrics(scope: Scope, internal: object | None):
    """Every member municipality's own values of the plan's municipal metrics, with its targets
    (:func:`analysis.indicators.kpi.municipality_values`); None without imported values (the example
    data's synthetic figures never reach a municipality's page)."""
    import pandas as pd

    from analysis.indicators import kpi
    from analysis.sources import workbook

    values = getattr(internal, "values", None)
    if values is None or values.empty or getattr(internal, "mode", "") == "example":
        return None
    targets = workbook.load_targets(None, scope.area.slug)
    parts = [kpi.municipality_values(scope, values, code, targets=targets).assign(municipality=code)
             for code in scope.municipalities]
    found = pd.concat([p for p in parts if not p.empty], ignore_index=True) if any(not p.empty for p in parts) else None
    return found


def load_facts(area: str, period: str, data_source: str = "embedded", output_dir: str | Path = config.OUTPUTS_DIR,
               kpi_data: str = "imported", forecast: bool = True) -> ReviewFacts:
    """The review's figures for ``area`` and ``period``: from the cache when data and code are unchanged.
    ``forecast=False``: without the forecast and its accuracy (:func:`forecast_of`) and the skills-needs
    outlook (:func:`outlook_of`, summarised for the main page), which the municipality pages do not
    show: they need not wait for them."""
    from analysis.indicators.review import ReviewFacts
    from analysis.store import load_scope

    folder, name, parts = entry("facts", area, period, data_source, output_dir=output_dir, kpi_data=kpi_data)
    scope = load_scope(area, period, data_source)

    def compute() -> dict:  # the figures only: the scope (a view of the store) is rebuilt, not pickled
        facts = build_facts(scope, output_dir, kpi_data, forecast=False)
        return {f.name: getattr(facts, f.name) for f in fields(facts) if f.name != "scope"}

    figures, _hit = cache.cached(folder, name, parts, compute)
    facts = ReviewFacts(scope=scope, **figures)
    if not forecast:
        return facts
    from analysis.forecast.outlook import summary

    found, accuracy = forecast_of(scope)
    return replace(facts, forecast=found, accuracy=accuracy, outlook=summary(outlook_of(scope)))


def headline(area: str, period: str, data_source: str = "embedded", lang: str = "fi",
             output_dir: str | Path = config.OUTPUTS_DIR, kpi_data: str = "imported") -> str:
    """The review's headline as its main page states it (:func:`analysis.present.review_page.headline`), from
    the figures in the cache (:func:`load_facts`): "Työttömiä syyskuun lopussa 175 enemmän kuin vuotta aiemmin".
    The runner records it in ``run.json`` for the list of reviews."""
    from analysis.present.review_page import headline as words

    return words(load_facts(area, period, data_source, output_dir, kpi_data, forecast=False), lang)


SECTIONS: dict[str, tuple[str, str]] = {
    "overview": ("analysis.present.overview", "overview_blocks"),
    "structure.overview": ("analysis.present.structure", "overview_blocks"),
    "structure.trend": ("analysis.present.structure", "trend_blocks"),
    "structure.breakdown": ("analysis.present.structure", "breakdown_blocks"),
    "structure.occupations": ("analysis.present.structure", "occupation_blocks"),
    "structure.vacancies": ("analysis.present.structure", "vacancy_blocks"),
    "long_term": ("analysis.present.long_term", "long_term_blocks"),
    "foreign_language": ("analysis.present.foreign_language", "section_blocks"),
    "skills": ("analysis.present.skills", "skills_blocks"),
    "kpi": ("analysis.present.kpi", "scorecard_blocks"),
    "main": ("analysis.present.review_page", "main_blocks"),
    "municipalities": ("analysis.present.municipality_page", "municipality_pages"),
}
"""Each section: the module and function that build its blocks (from a scope, or from the review's
figures for the main page and the municipality pages)."""

FROM_FACTS = frozenset({"main", "municipalities"})
"""Sections built from :func:`load_facts` (the review's figures)."""

WITH_FORECAST = frozenset({"main"})
"""Sections of :data:`FROM_FACTS` that show the forecast (the others get the figures without it)."""

COUNTS_REVIEWS = frozenset({"kpi"}) | FROM_FACTS
"""Sections whose results count the reviews published under ``output_dir`` (the scorecard's metric)."""

STAGES: tuple[tuple[str, ...], ...] = (
    ("forecast", "outlook", "kpi", "overview", "structure.overview", "structure.trend", "structure.breakdown",
     "structure.occupations", "structure.vacancies", "long_term", "foreign_language"),
    ("facts",),
    ("main", "municipalities", "skills"),
)
"""Every result of a review in the order the runner computes them: the results of a stage side by side,
each stage after the one before, which holds what it reads (the figures read the scorecard's card; the
main page the figures, the forecast and the outlook; the municipality pages the figures; the skills
section the forecast and the outlook). Besides the sections: ``forecast`` (the occupation forecast and its backtest),
``outlook`` (the skills-needs outlook, :func:`outlook_of`) and ``facts`` (the review's figures without
the forecast, :func:`load_facts`). The public API's tables (``table.<name>``) join the first stage, or
the stage after what they read (:data:`READS`)."""

READS: dict[str, tuple[str, ...]] = {"main": ("facts", "forecast", "outlook"), "municipalities": ("facts",),
                                     "skills": ("forecast", "outlook"), "facts": ("kpi",),
                                     "table.outlook": ("outlook",)}
"""What a result reads from an earlier stage: the runner computes a stage's result only when a notebook
of the run presents it or a later result reads it."""


TABLE_PREFIX = "table."
"""A result ``table.<name>``: the public API's table ``<name>`` (:func:`analysis.api.table`), which a
notebook shows to analysts."""


def is_result(name: str) -> bool:
    """True for a section of :data:`SECTIONS` or a table ``table.<name>`` of the public API."""
    if name.startswith(TABLE_PREFIX):
        from analysis.api import TABLES

        return name[len(TABLE_PREFIX):] in TABLES
    return name in SECTIONS


def wanted(results: set[str] | frozenset[str]) -> list[list[str]]:
    """:data:`STAGES` cut to ``results`` and what they read (empty stages dropped); a table
    (``table.<name>``) joins the first stage, or the stage after the results it reads."""
    needed = set(results)
    for name in [*sorted(n for n in needed if n.startswith(TABLE_PREFIX)), *(n for stage in reversed(STAGES) for n in stage)]:
        if name in needed:
            needed.update(READS.get(name, ()))
    stage_of = {n: i for i, stage in enumerate(STAGES) for n in stage}
    stages = [[n for n in stage if n in needed] for stage in STAGES]
    for table in sorted(n for n in needed if n.startswith(TABLE_PREFIX)):
        after = [stage_of[r] + 1 for r in READS.get(table, ())]
        stages[min(max(after, default=0), len(stages) - 1)].append(table)
    return [stage for stage in stages if stage]


def entry(name: str, area: str, period: str, data_source: str = "embedded", lang: str = "fi",
          output_dir: str | Path = config.OUTPUTS_DIR, kpi_data: str = "imported",
          digests: tuple[str, str] | None = None) -> tuple[str, str, tuple]:
    """Where the one cache keeps the result ``name`` (a result of :data:`STAGES` or a table
    ``table.<name>``) of a review: ``(folder, name, key parts)`` for :func:`analysis.cache.cached`.
    ``digests``: see :func:`key_parts`."""
    if name.startswith(TABLE_PREFIX):
        return "tables", name[len(TABLE_PREFIX):], key_parts(area, period, data_source, lang, digests=digests)
    if name in ("forecast", "outlook"):
        return "facts", name, key_parts(area, period, data_source, digests=digests)
    if name == "facts":
        return "facts", "figures", key_parts(area, period, data_source, reviews_digest(output_dir, area, period),
                                             kpi_data, digests=digests)
    extra = (reviews_digest(output_dir, area, period), kpi_data) if name in COUNTS_REVIEWS else ()
    return "sections", name, key_parts(area, period, data_source, lang, *extra, digests=digests)


def uncached(names: list[str], area: str, period: str, data_source: str = "embedded", lang: str = "fi",
             output_dir: str | Path = config.OUTPUTS_DIR, kpi_data: str = "imported") -> list[str]:
    """The results of ``names`` the cache does not hold yet for the data, area and code as they are now
    (the data and the code hashed once for all of them)."""
    digests = current_digests(data_source)
    return [name for name in names
            if not cache.entry_path(*entry(name, area, period, data_source, lang, output_dir, kpi_data,
                                           digests)).exists()]


def compute(name: str, area: str, period: str, data_source: str = "embedded", lang: str = "fi",
            output_dir: str | Path = config.OUTPUTS_DIR, kpi_data: str = "imported") -> None:
    """Compute ``name`` (a result of :data:`STAGES`) into the cache: what the runner does once per
    review, stage by stage, before the notebooks present the results."""
    from analysis.store import load_scope

    if name.startswith(TABLE_PREFIX):  # the public API's table, into the cache
        from analysis.api import table

        table(name[len(TABLE_PREFIX):], area, period, data_source, lang)
    elif name == "outlook":  # the skills section's and the outlook table's
        outlook_of(load_scope(area, period, data_source))
    elif name == "forecast":  # the backtest and forecast into the forecast cache (the skills section's), and the main page's
        forecast_of(load_scope(area, period, data_source))
    elif name == "facts":
        load_facts(area, period, data_source, output_dir, kpi_data, forecast=False)
    else:
        section(name, area, period, data_source, lang, output_dir, kpi_data)


def preload() -> None:
    """Import what computing the sections imports (the charts' libraries): done once in the runner
    before its workers are forked, so no worker imports them again. The forecast's model library is
    not: one worker imports it (a second) while the others compute sections."""
    for module in sorted({module for module, _function in SECTIONS.values()}):
        importlib.import_module(module)


def section(name: str, area: str, period: str, data_source: str = "embedded", lang: str = "fi",
            output_dir: str | Path = config.OUTPUTS_DIR, kpi_data: str = "imported") -> list:
    """The blocks of the section ``name`` (see :data:`SECTIONS`) for ``area`` and ``period`` in
    ``lang``: from the cache when data and code are unchanged, else computed and cached."""
    if name not in SECTIONS:
        raise config.ConfigError("unknown section '{name}'; known: {known}", name=name, known=", ".join(SECTIONS))
    config.check_language(lang)
    folder, _name, parts = entry(name, area, period, data_source, lang, output_dir, kpi_data)
    module, function = SECTIONS[name]

    def compute() -> list:
        from analysis.store import load_scope

        build = getattr(importlib.import_module(module), function)
        if name in FROM_FACTS:
            return build(load_facts(area, period, data_source, output_dir, kpi_data, forecast=name in WITH_FORECAST),
                         lang)
        scope = load_scope(area, period, data_source)
        if name == "kpi":
            return build(scope, lang, kpi_data=kpi_data, output_dir=output_dir,
                         built=kpi_card(scope, output_dir, kpi_data))
        if name == "skills":
            return build(scope, lang, data=occupation_data(scope), outlook_result=outlook_of(scope))
        return build(scope, lang)

    blocks, _hit = cache.cached(folder, name, parts, compute)
    return blocks
