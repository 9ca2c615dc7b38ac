"""What each statistical table is: ids, titles, measure codes and their stable names.

The StatFin PxWeb client, the `.px` reader and the embedded-snapshot loaders all map
source codes to the stable measure names listed here, so the rest of the package
never sees a source-specific code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LICENCE = "CC BY 4.0"
STATFIN = "Tilastokeskus, StatFin"
TYONV_PRODUCER = "Työ- ja elinkeinoministeriön työnvälitystilasto (KEHA-keskus)"

# StatFin 12r5: the 23 measures, source code -> stable name (codes from the real .px file).
MEASURES_12R5: dict[str, str] = {
    "HAKIJALOPUSSA": "jobseekers",
    "TYOTTOMATLOPUSSA": "unemployed_jobseekers",
    "TYOVOIMATK": "labour_force",
    "TYOTOSUUS": "unemployment_rate_pct",
    "TYOTTOMATMIEHET": "unemployed_men",
    "TYOTTOMATNAISET": "unemployed_women",
    "TYOTTOMAT20": "unemployed_under_20",
    "TYOTTOMAT25": "unemployed_under_25",
    "TYOTTOMAT50": "unemployed_over_50",
    "TYOTTOMATSAIR": "unemployed_disabled_or_ill",
    "TYOTTOMATULK": "unemployed_foreign_nationals",
    "PITKAAIKAISTYOTTOMAT": "long_term_unemployed",
    "KASSASSA": "unemployed_fund_members",
    "LOMAUTETTU": "laid_off_full_time",
    "LYHTYOVKO": "shortened_work_week",
    "TYOLLISTETTYLOP": "in_subsidised_employment",
    "TYOHARJOITTELULOP": "in_work_practice_or_coaching",
    "KOKEILULOP": "in_work_or_training_trial",
    "TVKOULUTUSLOP": "in_labour_market_training",
    "VALMENNUSLOP": "in_coaching",
    "MTPPALVELUTLOP": "in_other_services",
    "AVPAIKATLOPUSSA": "open_vacancies",
    "UUDETAVP": "new_vacancies",
}

# StatFin 12ti: unemployed jobseekers and open vacancies by occupation.
MEASURES_12TI: dict[str, str] = {
    "TYOTTOMATLOPUSSA": "unemployed_jobseekers",
    "AVPAIKATLOPUSSA": "open_vacancies",
}

# StatFin 12tu: jobseekers and vacancies by occupation in each region *during* the month (a stock plus
# flow count; not comparable with the end-of-month 12r5/12ti vacancies).
MEASURES_12TU: dict[str, str] = {
    "AVPAIKATYHT": "vacancies_open_during_month",
    "HAKIJAYHT": "jobseekers_during_month",
}

# The 12r5 measures of persons in services ("palveluissa olevat"), stable names. Their sum is the
# numerator of the activation rate (indicators/activation.py).
SERVICE_MEASURES: tuple[str, ...] = (
    "in_subsidised_employment",
    "in_work_practice_or_coaching",
    "in_work_or_training_trial",
    "in_labour_market_training",
    "in_coaching",
    "in_other_services",
)

# StatFin 12ta: unemployed jobseekers by duration of unemployment at the end of the month (1207). Stable
# names of the two groups the regional reviews report ("yli vuoden", "yli kaksi vuotta").
MEASURES_12TA: dict[str, str] = {
    "12m_plus": "unemployed_12m_plus",
    "24m_plus": "unemployed_24m_plus",
}

# The groups every review leads with: table id -> stable measure names (docs/statfin_tables.md). A fetched
# store for an area holds each of them for the area's municipalities, subregions, region, the whole country
# and all 19 regions (12tu: regions and the whole country only, the table has no smaller areas).
GROUP_MEASURES: dict[str, tuple[str, ...]] = {
    "12r5": (
        "unemployed_jobseekers", "labour_force", "unemployment_rate_pct", "long_term_unemployed",
        "unemployed_foreign_nationals", "unemployed_men", "unemployed_women", "unemployed_under_20",
        "unemployed_under_25", "unemployed_over_50", "laid_off_full_time", *SERVICE_MEASURES,
        "open_vacancies", "new_vacancies",
    ),
    "12ta": ("unemployed_12m_plus", "unemployed_24m_plus"),
    "12tu": ("vacancies_open_during_month",),
}

# Employment statistics (tyokay), persons unemployed at the end of the year and those continuously
# unemployed for over a year (release appendix tables 2017 and 2018; see data/SOURCES.md).
MEASURES_TYOKAY_LONG_TERM: dict[str, str] = {
    "unemployed_year_end": "unemployed_year_end",
    "long_term_unemployed_year_end": "long_term_unemployed_year_end",
    "long_term_share_pct": "long_term_unemployed_year_end_share_pct",
}

# Measures that are not counts and must never be summed over areas.
NON_ADDITIVE: frozenset[str] = frozenset(
    {
        "unemployment_rate_pct",
        "unemployment_rate_lfs_pct",
        "foreign_language_share_pct",
        "long_term_unemployed_pct_of_labour_force",
        "filled_vacancy_mean_duration_days",
        "employment_rate_pct",
        "long_term_unemployed_year_end_share_pct",
        "activation_rate_pct",
    }
)


@dataclass(frozen=True)
class TableInfo:
    """One statistical table: where it comes from and how to cite it."""

    table_id: str
    title_fi: str
    producer: str
    citation: str
    frequency: str  # "M" monthly (period YYYY-MM) or "A" annual (period YYYY)
    pxweb_path: str | None = None  # path under the API root with the subject folder: "StatFin/tyonv/12r5.px"
    measures: dict[str, str] = field(default_factory=dict)


TABLES: dict[str, TableInfo] = {
    t.table_id: t
    for t in [
        TableInfo(
            "12r5",
            "Työttömät työnhakijat eri ryhmissä, palveluissa olevat ja avoimet työpaikat kuukauden lopussa",
            TYONV_PRODUCER,
            "Lähde: Tilastokeskus, StatFin, taulukko 12r5 (CC BY 4.0)",
            "M",
            "StatFin/tyonv/12r5.px",
            MEASURES_12R5,
        ),
        TableInfo(
            "12ti",
            "Työttömät työnhakijat ja avoimet työpaikat ammattiryhmittäin kuukauden lopussa",
            TYONV_PRODUCER,
            "Lähde: Tilastokeskus, StatFin, taulukko 12ti (CC BY 4.0)",
            "M",
            "StatFin/tyonv/12ti.px",
            MEASURES_12TI,
        ),
        TableInfo(
            "12tu",
            "Työnhakijat ja avoimet työpaikat ammateittain maakunnittain kuukauden aikana",
            TYONV_PRODUCER,
            "Lähde: Tilastokeskus, StatFin, taulukko 12tu (CC BY 4.0)",
            "M",
            "StatFin/tyonv/12tu.px",
            MEASURES_12TU,
        ),
        TableInfo(
            "12ta",
            "Työttömät työnhakijat työttömyyden keston mukaan kuukauden lopussa",
            TYONV_PRODUCER,
            "Lähde: Tilastokeskus, StatFin, taulukko 12ta (CC BY 4.0)",
            "M",
            "StatFin/tyonv/12ta.px",
            MEASURES_12TA,
        ),
        TableInfo(
            "tyokay-long-term",
            "Työttömät ja yli vuoden yhtäjaksoisesti työttömänä olleet vuoden lopussa maakunnittain "
            "(työssäkäyntitilasto, liitetaulukot 2017 ja 2018)",
            "Tilastokeskus, työssäkäyntitilasto",
            "Lähde: Tilastokeskus, työssäkäyntitilasto 2017 (liitetaulukko 5) ja 2018 (liitetaulukko 3) (CC BY 4.0)",
            "A",
            None,
            MEASURES_TYOKAY_LONG_TERM,
        ),
        TableInfo(
            "2310",
            "Avoimet työpaikat kuukauden aikana (vanha taulukkonumerointi)",
            TYONV_PRODUCER,
            "Lähde: Tilastokeskus, StatFin, taulukko 2310 (CC BY 4.0)",
            "M",
        ),
        TableInfo(
            "13aj",
            "Työttömyysaste ikäryhmän mukaan (työvoimatutkimus)",
            "Tilastokeskus, työvoimatutkimus",
            "Lähde: Tilastokeskus, StatFin, taulukko 13aj (CC BY 4.0)",
            "A",
        ),
        TableInfo(
            "159t",
            "Väestö kansalaisuuden, syntymämaan, kielen ja syntyperän mukaan, kunnittain",
            "Tilastokeskus, väestörakenne",
            "Lähde: Tilastokeskus, StatFin, taulukko 159t (CC BY 4.0)",
            "A",
        ),
        TableInfo(
            "sotkanet-181",
            "Työttömät, % työvoimasta (Sotkanet-indikaattori 181)",
            "THL Sotkanet (lähde: TEM työnvälitystilasto)",
            "Lähde: THL, Sotkanet.fi, indikaattori 181 (CC BY 4.0)",
            "A",
        ),
        TableInfo(
            "sotkanet-3562",
            "Pitkäaikaistyöttömät, % työvoimasta (Sotkanet-indikaattori 3562)",
            "THL Sotkanet (lähde: TEM työnvälitystilasto)",
            "Lähde: THL, Sotkanet.fi, indikaattori 3562 (CC BY 4.0)",
            "A",
        ),
    ]
}


def citation(table_id: str) -> str:
    """How to cite a table: its catalogue entry, else the StatFin form with the licence."""
    info = TABLES.get(table_id)
    return info.citation if info else f"Lähde: Tilastokeskus, StatFin, taulukko {table_id} ({LICENCE})"


def source_code(measure: str, measures: dict[str, str] = MEASURES_12R5) -> str:
    """The StatFin content code of a stable measure name (``long_term_unemployed`` -> ``PITKAAIKAISTYOTTOMAT``)."""
    for code, name in measures.items():
        if name == measure:
            return code
    raise KeyError(f"no source code for measure '{measure}'")


@dataclass(frozen=True)
class ClassSums:
    """Measures summed from the classes of one variable, the classes chosen by their labels (their codes are
    not public and may change): the variable whose label matches ``variable`` (a case-insensitive glob such as
    ``"*kesto*"``), and for each stable measure the lower bound, in weeks, from which a class counts
    (``sources.pxweb_query.duration_bounds`` reads "53-78 viikkoa", "2-3 vuotta", "Yli 5 vuotta" …). A class that
    straddles a bound, or a label that does not parse, stops the fetch with the labels found."""

    variable: str
    at_least_weeks: dict[str, int]


@dataclass(frozen=True)
class FetchSpec:
    """What to fetch of one StatFin table through the PxWeb API, in stable terms.

    Variable codes change with every StatFin release (``alue_23_20260101``), so a spec never
    names them: the client reads the table's metadata and finds each variable by its role
    (``time``, ``geo``, ``metric``) or, for other variables, by its Finnish label.

    - ``select``: values to ask for, keyed by role (``"geo"``, ``"time"``, ``"metric"``) or by a
      variable's label (case-insensitive, e.g. ``"Ammattiryhmä"``); ``"*"`` asks for all values.
      A variable left out is eliminated (its total) where the table allows it.
    - ``measures``: source content code -> stable measure name. A code may carry a table prefix
      after the 2026 change (``tyonv-TYOTTOMATLOPUSSA``); matching ignores such a prefix.
    - ``breakdowns``: variable label -> store breakdown column (``occupation_code``, ``language``,
      ``age_group``, ``sex``).
    - ``categories``: variable label or code -> {category code: stable measure name}, for a table whose
      groups are categories of a variable rather than content codes. Only those categories are asked for
      and each becomes its own measure; the table's content variable must then hold one selected measure.
    - ``measure_labels``: content value label (case-insensitive glob, ``"työttömät*"``) -> stable name, for a
      table whose content codes are not known: each glob must match exactly one value of the table.
    - ``class_sums``: measures summed from classes picked by label (:class:`ClassSums`; 12ta: 12 months+ and
      24 months+ from the duration classes); the content variable must then hold one selected measure.
    """

    table_id: str
    path: str
    select: dict[str, list[str] | str]
    measures: dict[str, str]
    breakdowns: dict[str, str] = field(default_factory=dict)
    frequency: str = "M"
    categories: dict[str, dict[str, str]] = field(default_factory=dict)
    measure_labels: dict[str, str] = field(default_factory=dict)
    class_sums: ClassSums | None = None


# --- PxWeb fetch specs (``python -m analysis fetch``; see docs/statfin_tables.md) -------------
# Paths keep the table's subject folder, as the live service (2026) requires:
# ``StatFin/tyonv/12r5.px`` (``StatFin/12r5.px`` answers 404, the old long id
# ``statfin_tyonv_pxt_12r5.px`` answers 400). A path without a folder is completed by the client
# from the database search (``StatFin?query=12r5`` -> ``{"id": "12r5.px", "path": "/tyonv"}``).
#
# Area tokens in a "geo" selection are resolved at run time by ``sources.fetch`` from
# config/areas.yaml, so adding an area needs no code change:
#   "@areas"   every code named in config/areas.yaml (members and regions) and the subregions
#              of the member municipalities (from the embedded area key)
#   "@regions" the configured regions (each area's ``region`` and MKnn members)
# Glob patterns are matched against the codes in the table's metadata. The 19 regions are asked for
# by the pattern in :data:`REGIONS`, which leaves out the 2026 pseudo-regions ``MK91`` (unknown) and
# ``MKJO`` (flexible); ``KUJOU``/``KU199``/``SKJOU`` and the ``ELY…`` areas are never asked for.
REGIONS: list[str] = ["MK0[1-9]", "MK1[0-9]", "MK2[01]"]
QUARTER_END_MONTHS: list[str] = ["*M03", "*M06", "*M09", "*M12"]

FETCH_12R5 = FetchSpec(
    table_id="12r5",
    path="StatFin/tyonv/12r5.px",
    select={"geo": ["SSS", *REGIONS, "@areas"], "time": "*"},
    measures=MEASURES_12R5,
)
FETCH_12TI = FetchSpec(
    table_id="12ti",
    path="StatFin/tyonv/12ti.px",
    select={"geo": ["SSS", "@regions"], "time": "*", "Ammattiryhmä": "*"},
    measures=MEASURES_12TI,
    breakdowns={"Ammattiryhmä": "occupation_code"},
)
FETCH_12TU = FetchSpec(
    table_id="12tu",
    path="StatFin/tyonv/12tu.px",
    select={"geo": ["SSS", *REGIONS], "time": QUARTER_END_MONTHS, "Ammattiryhmä": "*",
            "Työmarkkina-asema": ["SSS"]},
    measures={"AVPAIKATYHT": "vacancies_open_during_month"},
    breakdowns={"Ammattiryhmä": "occupation_code"},
)
DURATION_12M_WEEKS = 53
"""12 months or more of unemployment: the duration classes from "53-78 viikkoa" up (the regional reviews'
"yli vuoden", and 12r5's PITKAAIKAISTYOTTOMAT)."""
DURATION_24M_WEEKS = 104
"""24 months or more: the classes from "2-3 vuotta" up ("yli kaksi vuotta"); "79-104 viikkoa" ends at 104."""
FETCH_12TA = FetchSpec(
    table_id="12ta",
    path="StatFin/tyonv/12ta.px",
    select={"geo": ["SSS", *REGIONS, "@areas"], "time": "*"},
    measures={},
    measure_labels={"työttömät työnhakijat*": "unemployed_jobseekers"},
    class_sums=ClassSums("*kesto*", {"unemployed_12m_plus": DURATION_12M_WEEKS,
                                     "unemployed_24m_plus": DURATION_24M_WEEKS}),
)
"""12ta (1207), unemployed jobseekers by duration of unemployment: its 2026 codes are not public, so the
content value and the duration classes are found by their labels (docs/statfin_tables.md)."""
FETCH_SPECS: list[FetchSpec] = [FETCH_12R5, FETCH_12TI, FETCH_12TU, FETCH_12TA]
