"""StatFin tables by mother tongue (language) and what the fetch should ask of them.

Three groups of people must never be mixed (see ``docs/foreign_language_tables.md``):

- *vieraskieliset* (foreign-language speakers): registered mother tongue other than Finnish,
  Swedish or Sámi. StatFin language code ``02`` ("vieraat kielet yhteensä") in the language
  variable of the population-structure tables; measure ``foreign_language_share_pct`` in 159t.
- *ulkomaan kansalaiset* (foreign nationals): 12r5 ``TYOTTOMATULK`` -> measure
  ``unemployed_foreign_nationals`` (language breakdown ``SSS``).
- *ulkomaalaistaustaiset* (foreign background): not used by this module.

Language codes are kept as StatFin publishes them in the store's ``language`` column:
``SSS`` total, ``01`` national languages (fi + sv + se), ``02`` foreign languages,
``fi`` Finnish, ``sv`` Swedish, ``se`` Sámi (found in table 11rm, variable
``kieli_15_20180102``; see the docs file for where).

The PxWeb client (``sources/fetch.py``, another module) imports :data:`LANGUAGE_FETCH_SPECS`
and :data:`LANGUAGE_TABLES`. Measures that ``fetch`` cannot load are listed in
:data:`PENDING_LANGUAGE_TABLES` with the reason: StatFin publishes no table of unemployed
jobseekers by language (``tyonv``), and the one employment table by language (``tyokay`` 115g,
whole country only) has unconfirmed variable codes. The analysis says they are missing instead
of guessing an id or a code.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.sources.catalog import FetchSpec, TableInfo

STATFIN_VAERAK = "Tilastokeskus, väestörakenne"

LANGUAGE_TOTAL = "SSS"
LANGUAGE_NATIONAL = "01"
LANGUAGE_FOREIGN = "02"
LANGUAGE_FINNISH = "fi"
LANGUAGE_SWEDISH = "sv"
LANGUAGE_SAMI = "se"

LANGUAGE_CODES: tuple[str, ...] = (
    LANGUAGE_TOTAL, LANGUAGE_NATIONAL, LANGUAGE_FOREIGN, LANGUAGE_FINNISH, LANGUAGE_SWEDISH, LANGUAGE_SAMI,
)
"""The language categories the analysis asks for (StatFin codes, table 11rm/11rl)."""

LANGUAGE_VARIABLE_LABEL = "Kieli"
"""Finnish label of the language variable (its code is version-stamped: ``kieli_15_20180102``)."""

LANGUAGE_TABLES: dict[str, TableInfo] = {
    t.table_id: t
    for t in [
        TableInfo(
            "11rm",
            "Kieli sukupuolen mukaan kunnittain",
            STATFIN_VAERAK,
            "Lähde: Tilastokeskus, StatFin, taulukko 11rm (CC BY 4.0)",
            "A",
            "StatFin/vaerak/11rm.px",
            {"vaerak-vaesto": "population"},
        ),
        TableInfo(
            "11rl",
            "Kieli iän ja sukupuolen mukaan maakunnittain",
            STATFIN_VAERAK,
            "Lähde: Tilastokeskus, StatFin, taulukko 11rl (CC BY 4.0)",
            "A",
            "StatFin/vaerak/11rl.px",
            {"vaerak-vaesto": "population"},
        ),
        TableInfo(
            "159t",
            "Väestö kansalaisuuden, syntymämaan, kielen ja syntyperän mukaan, kunnittain",
            STATFIN_VAERAK,
            "Lähde: Tilastokeskus, StatFin, taulukko 159t (CC BY 4.0)",
            "A",
            "StatFin/vaerak/159t.px",
            {"vaesto_kieli_ulk_p": "foreign_language_share_pct"},
        ),
    ]
}
"""Table descriptions for the language tables (the fetch module registers them with the catalog)."""


def language_fetch_specs(municipalities: list[str] | str = "@areas",
                         regions: list[str] | str = "@regions") -> list[FetchSpec]:
    """Fetch specs for the language tables.

    ``municipalities`` / ``regions`` are area codes or the tokens ``"@areas"`` / ``"@regions"``
    that ``sources.fetch.resolve_spec`` expands from ``config/areas.yaml`` (codes a table does
    not have are skipped by the client). Measure codes are not selected by name: the client picks
    the spec's measures, ignoring a table prefix such as ``vaerak-``.

    - 11rm: population 31.12. by language, municipalities and the whole country (``SSS``).
    - 11rl: the same for the regions (all ages, both sexes).
    - 159t: the published share of foreign-language speakers, %, by municipality.
    """
    munis = [municipalities] if isinstance(municipalities, str) else list(municipalities)
    regs = [regions] if isinstance(regions, str) else list(regions)
    languages = list(LANGUAGE_CODES)
    return [
        FetchSpec(
            table_id="11rm",
            path="StatFin/vaerak/11rm.px",
            select={"geo": ["SSS", *munis], "time": "*", LANGUAGE_VARIABLE_LABEL: languages,
                    "Sukupuoli": ["SSS"]},
            measures=dict(LANGUAGE_TABLES["11rm"].measures),
            breakdowns={LANGUAGE_VARIABLE_LABEL: "language"},
            frequency="A",
        ),
        FetchSpec(
            table_id="11rl",
            path="StatFin/vaerak/11rl.px",
            select={"geo": ["SSS", *regs], "time": "*", LANGUAGE_VARIABLE_LABEL: languages,
                    "Sukupuoli": ["SSS"], "Ikä": ["SSS"]},
            measures=dict(LANGUAGE_TABLES["11rl"].measures),
            breakdowns={LANGUAGE_VARIABLE_LABEL: "language"},
            frequency="A",
        ),
        FetchSpec(
            table_id="159t",
            path="StatFin/vaerak/159t.px",
            select={"geo": munis, "time": "*"},
            measures=dict(LANGUAGE_TABLES["159t"].measures),
            frequency="A",
        ),
    ]


LANGUAGE_FETCH_SPECS: list[FetchSpec] = language_fetch_specs()
"""Specs for every configured area (tokens resolved by the fetch module)."""


@dataclass(frozen=True)
class PendingTable:
    """A measure the analysis needs that ``fetch`` cannot load yet, and why.

    ``table_id`` is set only when a real source confirmed the StatFin table (see
    ``docs/foreign_language_tables.md``); it is None when StatFin publishes no such table.
    """

    statistic: str  # StatFin statistic code, e.g. "tyonv"
    title_fi: str  # what the analysis needs, in Finnish (not an official table title)
    measures: tuple[str, ...]  # stable measure names the analysis expects, with a language breakdown
    reason: str
    table_id: str | None = None
    title_en: str | None = None  # the table's official English title when ``table_id`` is set


PENDING_LANGUAGE_TABLES: list[PendingTable] = [
    PendingTable(
        "tyonv",
        "Työttömät työnhakijat ja työvoima kielen (äidinkielen) mukaan kuukauden lopussa",
        ("unemployed_jobseekers", "labour_force"),
        "StatFin publishes no such table: none of the 72 tyonv tables (StatFin table list of "
        "2026-06-07) has a language variable; its tables on foreigners (12t9, 12tb, 12tc, 12tg, "
        "12tm, 12tp, 12u5) are by nationality, i.e. foreign nationals, not foreign-language speakers",
    ),
    PendingTable(
        "tyokay",
        "Työllisyysaste kielen mukaan (työssäkäyntitilasto)",
        ("employment_rate_pct",),
        "table 115g is the only tyokay table with a language variable (28 tables, list of "
        "2026-06-07); it has no area variable (whole country only) and its variable codes and "
        "language categories were not found in any public source, so no fetch spec is written",
        table_id="115g",
        title_en="Population by main type of activity, language, occupational status, sex, age and year, "
                 "2000-2024",
    ),
]
"""Measures still missing and why; the notebook says so when they are absent from the store."""
