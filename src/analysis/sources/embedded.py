"""Loaders for the embedded real snapshot in ``data/raw/`` (read-only).

Each loader validates its file at the door (columns, types, duplicates, ranges, known
codes) and returns tidy observations in the store's shape. See ``data/SOURCES.md``
for the origin and caveats of every file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.errors import DataValidationError
from analysis.schema import (
    AREA_CODE_PATTERN,
    KEY_COLUMNS,
    MONTH_PATTERN,
    PROVENANCE_COLUMNS,
    YEAR_PATTERN,
    Store,
    tidy,
)
from analysis.sources.catalog import MEASURES_12R5, TABLES
from analysis.sources.validation import (
    csv_row,
    read_csv,
    require_columns,
    require_known,
    require_pattern,
    require_unique,
    to_number,
)

FILES: dict[str, str] = {
    "12r5": "tyonv_12r5_monthly_2006_2023.csv",
    "12ti": "tyonv_12ti_occupations_mk16_sss_2006_2023.csv",
    "2310": "tyonv_2310_vacancy_flows_2006_2020.csv",
    "13aj": "tyti_13aj_unemployment_rate_by_age_finland_2009_2025.csv",
    "159t": "vaerak_159t_foreign_language_share_kp_2020_2025.csv",
    "sotkanet": "sotkanet_2019_unemployment_longterm_kp_municipalities.csv",
    "12r5_vacancies": "tyonv_12r5_vacancies_quarter_end_2022_2026_kp.csv",
    "12tu": "tyonv_12tu_vacancies_during_month_by_occupation_mk16_2013_2026.csv",
    "12r5_2026_06": "tyonv_12r5_all_measures_all_areas_2026-06.csv",
    "12r5_rates": "tyonv_12r5_tyotosuus_all_municipalities_2007_2025-01.csv",
    "tyokay-long-term": "tyokay_longterm_unemployed_by_region_2017_2018.csv",
    "area_key": "area_key_keski_pohjanmaa.csv",
    "occupations": "occupation_names_ammattiluokitus2010_fi.csv",
}

# Where each embedded table was copied from (see data/SOURCES.md).
SNAPSHOTS: dict[str, str] = {
    "12r5": "pttry/kohtaantoindeksit ad33418 (2023-12-05); open and new vacancies at the quarter ends "
            "2022-03…2026-06: Lion504/JobAI 0b19f74 (StatFin API, fetched 2026-09-14, updated 2026-08-25); "
            "all 23 measures, all areas, 2026-06: OskarWestmeijer/maps 94494b4 (StatFin API, updated 2026-07-21); "
            "municipal rates (TYOTOSUUS) 2007-01…2025-01: Kangasalakehitys/kuukausiraportti 5aa2643 "
            "(StatFin API, updated 2025-02-25)",
    "12ti": "pttry/kohtaantoindeksit ad33418 (2023-12-05)",
    "2310": "pttry/statfiLaborMarkets f129c71 (2020-10-12)",
    "13aj": "AaroTer/tyottomyysaste-ikaantyneet-nuoret-analyysi 15cceac (StatFin export 2026-07-30)",
    "12tu": "Lion504/JobAI 1c0f0c0/cffecc4 (StatFin API, fetched 2026-09-14, updated 2026-08-25)",
    "tyokay-long-term": "stat.fi release appendix tables, tyokay 2017 (table 5) and 2018 (table 3)",
    "159t": "jvmarten/naapurustot 3e5c7dd",
    "sotkanet-181": "OlliLeh/spatialcourseOL a090445 (Sotkanet 2019)",
    "sotkanet-3562": "OlliLeh/spatialcourseOL a090445 (Sotkanet 2019)",
}


def _read(name: str, raw_dir: Path) -> tuple[pd.DataFrame, Path]:
    path = Path(raw_dir) / FILES[name]
    return read_csv(path), path


def load_area_key(raw_dir: Path = config.RAW_DIR) -> pd.DataFrame:
    """Municipality -> subregion -> region key (StatFin codes and Finnish names)."""
    frame, path = _read("area_key", raw_dir)
    require_columns(frame, ["municipality_code", "municipality_name", "subregion_code",
                            "subregion_name", "region_code", "region_name"], path)
    require_pattern(frame, "municipality_code", r"KU\d{3}", path, "a municipality code KUnnn")
    require_pattern(frame, "subregion_code", r"SK\d{3}", path, "a subregion code SKnnn")
    require_pattern(frame, "region_code", r"MK\d{2}", path, "a region code MKnn")
    require_unique(frame, ["municipality_code"], path)
    return frame


def load_occupation_names(raw_dir: Path = config.RAW_DIR) -> pd.DataFrame:
    """Ammattiluokitus 2010 codes (strings, leading zeros kept) with Finnish names."""
    frame, path = _read("occupations", raw_dir)
    require_columns(frame, ["occupation_code", "occupation_name_fi", "level"], path)
    require_pattern(frame, "occupation_code", r"SSS|\d{4}|X\w*", path, "an occupation code")
    require_known(frame, "level", ["total", "4-digit", "special"], path, "level")
    require_unique(frame, ["occupation_code"], path)
    return frame


def load_12r5(raw_dir: Path = config.RAW_DIR) -> pd.DataFrame:
    """12r5 monthly: unemployed jobseekers, labour force, open vacancies by area."""
    frame, path = _read("12r5", raw_dir)
    counts = {"unemployed_jobseekers": True, "labour_force": True, "open_vacancies": False}
    require_columns(frame, ["month", "area_code", "area_name", "area_level", *counts], path)
    require_pattern(frame, "month", MONTH_PATTERN, path, "a month YYYY-MM")
    require_pattern(frame, "area_code", AREA_CODE_PATTERN, path, "a StatFin area code")
    require_known(frame, "area_level", ["country", "region", "subregion", "municipality"], path, "area level")
    require_unique(frame, ["month", "area_code"], path)
    for col, required in counts.items():
        frame[col] = to_number(frame, col, path, minimum=0, integer=True)
        if required and frame[col].isna().any():
            pos = int(frame[col].isna().to_numpy().nonzero()[0][0])
            raise DataValidationError(path, "empty cell where a count is required", csv_row(pos), col)
    long = frame.melt(id_vars=["month", "area_code"], value_vars=list(counts),
                      var_name="measure", value_name="value")
    long = long.rename(columns={"month": "period"})
    long["table_id"] = "12r5"
    return tidy(long)


def load_12r5_vacancies(raw_dir: Path = config.RAW_DIR) -> pd.DataFrame:
    """12r5 quarter-end months 2022-03…2026-06 (fetched from the 2026 API): open vacancies at the end of
    the month (``open_vacancies``) and new vacancies notified during the month (``new_vacancies``)."""
    frame, path = _read("12r5_vacancies", raw_dir)
    counts = {"open_vacancies": "open_vacancies", "new_vacancies_during_month": "new_vacancies"}
    require_columns(frame, ["month", "quarter", "area_code", *counts], path)
    require_pattern(frame, "month", r"\d{4}-(03|06|09|12)", path, "a quarter-end month YYYY-MM")
    require_pattern(frame, "area_code", AREA_CODE_PATTERN, path, "a StatFin area code")
    require_unique(frame, ["month", "area_code"], path)
    for col in counts:
        frame[col] = to_number(frame, col, path, minimum=0, integer=True)
    long = frame.melt(id_vars=["month", "area_code"], value_vars=list(counts), var_name="measure",
                      value_name="value").rename(columns={"month": "period"})
    long["measure"] = long["measure"].map(counts)
    long["table_id"] = "12r5"
    return tidy(long)


ALL_MEASURES_AREA_LEVELS: dict[str, str] = {"country": "SSS", "region": r"MK\d{2}|MKJO",
                                            "subregion": r"SK\d{3}|SKJOU", "municipality": r"KU\d{3}|KUJOU",
                                            "ely": r"ELY\d{2}|ELYJO"}
"""Area levels of the 2026 12r5 export and the codes each may hold. Only StatFin's standard codes are
stored: the ELY centres ended with 2025, and ``MK91``/``SK902``/``KU199`` ("Unknown") and
``MKJO``/``SKJOU``/``KUJOU`` ("Flexible") are no place (:data:`PSEUDO_AREAS`)."""
PSEUDO_AREAS: frozenset[str] = frozenset({"MK91", "SK902", "KU199"})
"""StatFin's "Unknown" areas: standard-looking codes for jobseekers whose area is not known (never an area of
a review; the fetch specs leave them out too)."""


def load_12r5_all_measures(raw_dir: Path = config.RAW_DIR) -> pd.DataFrame:
    """12r5, June 2026: all 23 measures (``catalog.MEASURES_12R5``) for the whole country, the 19 regions,
    every subregion and municipality (the verbatim API export of 2026-07-21 reshaped; see SOURCES.md).

    Cells the source shows as ``...`` (suppressed) stay missing; a number must equal its published text.
    Rows of the ELY centres and of the "unknown area" codes are not stored (see
    :data:`ALL_MEASURES_AREA_LEVELS`)."""
    frame, path = _read("12r5_2026_06", raw_dir)
    require_columns(frame, ["month", "month_code", "area_code", "area_level", "measure_code", "value",
                            "value_published"], path)
    require_pattern(frame, "month", MONTH_PATTERN, path, "a month YYYY-MM")
    require_known(frame, "area_level", list(ALL_MEASURES_AREA_LEVELS), path, "area level")
    pattern = frame["area_level"].map(ALL_MEASURES_AREA_LEVELS)
    bad = ~pd.Series([bool(re.fullmatch(p, str(c))) for p, c in zip(pattern, frame["area_code"])], index=frame.index)
    if bad.any():
        pos = int(bad.to_numpy().nonzero()[0][0])
        raise DataValidationError(path, "'{code}' is not a code of the level '{level}'", csv_row(pos), "area_code",
                                  code=frame["area_code"].iloc[pos], level=frame["area_level"].iloc[pos])
    require_known(frame, "measure_code", list(MEASURES_12R5), path, "content code")
    require_unique(frame, ["month", "area_code", "measure_code"], path)
    frame["value"] = to_number(frame, "value", path, minimum=0)
    _require_published(frame, "value", path)
    counts = frame["measure_code"] != "TYOTOSUUS"
    whole = counts & frame["value"].notna() & (frame["value"] % 1 != 0)
    rate_over = ~counts & (frame["value"] > 100)
    if whole.any():
        pos = int(whole.to_numpy().nonzero()[0][0])
        raise DataValidationError(path, "{value} is not a whole number", csv_row(pos), "value",
                                  value=frame["value"].iloc[pos])
    if rate_over.any():
        pos = int(rate_over.to_numpy().nonzero()[0][0])
        raise DataValidationError(path, "{value} is above {maximum}", csv_row(pos), "value",
                                  value=frame["value"].iloc[pos], maximum=100)
    kept = frame[frame["area_code"].str.fullmatch(AREA_CODE_PATTERN) & ~frame["area_code"].isin(PSEUDO_AREAS)]
    out = pd.DataFrame({"table_id": "12r5", "period": kept["month"], "area_code": kept["area_code"],
                        "measure": kept["measure_code"].map(MEASURES_12R5), "value": kept["value"]})
    return tidy(out)


def load_12r5_municipal_rates(raw_dir: Path = config.RAW_DIR) -> pd.DataFrame:
    """12r5 published unemployment rate (TYOTOSUUS, % of the labour force) of all 308 municipalities,
    2007-01…2025-01 (table updated 2025-02-25; see SOURCES.md). Stored as ``unemployment_rate_pct``;
    a rate is never summed over areas (``catalog.NON_ADDITIVE``)."""
    frame, path = _read("12r5_rates", raw_dir)
    require_columns(frame, ["month", "month_code", "area_code", "tyotosuus_pct", "value_published"], path)
    require_pattern(frame, "month", MONTH_PATTERN, path, "a month YYYY-MM")
    require_pattern(frame, "area_code", r"KU\d{3}", path, "a municipality code KUnnn")
    require_unique(frame, ["month", "area_code"], path)
    frame["tyotosuus_pct"] = to_number(frame, "tyotosuus_pct", path, minimum=0, maximum=100)
    _require_published(frame, "tyotosuus_pct", path)
    out = pd.DataFrame({"table_id": "12r5", "period": frame["month"], "area_code": frame["area_code"],
                        "measure": "unemployment_rate_pct", "value": frame["tyotosuus_pct"]})
    return tidy(out)


def _require_published(frame: pd.DataFrame, column: str, path: Path) -> None:
    """Each number of ``column`` equals the source's text in ``value_published``; an empty cell is one the
    source shows as ``...`` or ``..`` (suppressed or not available), never a 0 lost on the way."""
    published = frame["value_published"].astype("string").str.strip()
    as_number = pd.to_numeric(published, errors="coerce")
    values = frame[column]
    empty_ok = values.isna() & published.isin(["...", "..", "."])
    same = values.notna() & (as_number == values)
    bad = ~(empty_ok | same).fillna(False)
    if bad.any():
        pos = int(bad.to_numpy().nonzero()[0][0])
        raise DataValidationError(path, "{value} does not match the published text '{text}'", csv_row(pos), column,
                                  value=values.iloc[pos], text=frame["value_published"].iloc[pos])


def merge_vintages(older: pd.DataFrame, newer: pd.DataFrame, path: Path) -> pd.DataFrame:
    """``older`` with the cells of ``newer`` that it lacks; a cell in both must agree (NaN with NaN).

    The two embedded 12r5 files overlap in 2022-03…2023-09 (open vacancies); SOURCES.md records that
    they agree cell for cell. A disagreement raises DataValidationError: vintages are never mixed
    silently.
    """
    keys = list(KEY_COLUMNS)
    both = older.merge(newer, on=keys, how="inner", suffixes=("_old", "_new"))
    a, b = both["value_old"], both["value_new"]
    differ = ~((a == b) | (a.isna() & b.isna()))
    if differ.any():
        row = both[differ].iloc[0]
        raise DataValidationError(path, "{measure} {area} {period} is {new} here but {old} in the other embedded file",
                                  column="value", measure=row["measure"], area=row["area_code"],
                                  period=row["period"], new=row["value_new"], old=row["value_old"])
    fresh = newer.merge(both[keys], on=keys, how="left", indicator=True)
    fresh = fresh[fresh["_merge"] == "left_only"].drop(columns="_merge")
    return tidy(pd.concat([older, fresh], ignore_index=True))


def load_12tu(raw_dir: Path = config.RAW_DIR) -> pd.DataFrame:
    """12tu quarter-end months 2013-03…2026-06, MK16: vacancies open during the month by occupation
    (``vacancies_open_during_month``; a stock plus flow count, not the end-of-month ``open_vacancies``)."""
    frame, path = _read("12tu", raw_dir)
    require_columns(frame, ["period", "month", "area_code", "occupation_code", "measure_code", "value"], path)
    require_pattern(frame, "month", r"\d{4}-(03|06|09|12)", path, "a quarter-end month YYYY-MM")
    require_pattern(frame, "area_code", AREA_CODE_PATTERN, path, "a StatFin area code")
    require_pattern(frame, "occupation_code", r"SSS|\d{4}|X\w*", path, "an occupation code")
    require_known(frame, "measure_code", ["AVPAIKATYHT"], path, "content code")
    require_unique(frame, ["month", "area_code", "occupation_code"], path)
    frame["value"] = to_number(frame, "value", path, minimum=0, integer=True)
    out = frame.rename(columns={"month": "period_month"})[["period_month", "area_code", "occupation_code", "value"]]
    out = out.rename(columns={"period_month": "period"})
    out["measure"] = "vacancies_open_during_month"
    out["table_id"] = "12tu"
    return tidy(out)


def load_tyokay_long_term(raw_dir: Path = config.RAW_DIR) -> pd.DataFrame:
    """Employment statistics, end of 2017 and 2018, regions and the whole country: persons unemployed on
    31 Dec, those continuously unemployed for over a year, and their published share (%). Its own
    concept (table id ``tyokay-long-term``): not the monthly 12r5 ``long_term_unemployed``."""
    frame, path = _read("tyokay-long-term", raw_dir)
    columns = {"unemployed": "unemployed_year_end", "long_term_unemployed_over_1_year": "long_term_unemployed_year_end",
               "long_term_share_of_unemployed_pct": "long_term_unemployed_year_end_share_pct"}
    require_columns(frame, ["reference_date", "area_code", *columns], path)
    require_pattern(frame, "reference_date", r"\d{4}-12-31", path, "a year-end date YYYY-12-31")
    require_pattern(frame, "area_code", r"SSS|MK\d{2}", path, "the whole country or a region code")
    require_unique(frame, ["reference_date", "area_code"], path)
    for col in columns:
        frame[col] = to_number(frame, col, path, minimum=0, maximum=100 if col.endswith("_pct") else None,
                               integer=not col.endswith("_pct"))
    over = frame["long_term_unemployed_over_1_year"] > frame["unemployed"]
    if over.any():
        raise DataValidationError(path, "more long-term unemployed than unemployed",
                                  csv_row(int(over.to_numpy().nonzero()[0][0])), "long_term_unemployed_over_1_year")
    frame["period"] = frame["reference_date"].str[:4]
    long = frame.melt(id_vars=["period", "area_code"], value_vars=list(columns), var_name="measure",
                      value_name="value")
    long["measure"] = long["measure"].map(columns)
    long["table_id"] = "tyokay-long-term"
    return tidy(long)


def last_periods(store: Store) -> pd.DataFrame:
    """The last period with a value of every table x measure (``table_id``, ``measure``, ``last_period``).

    Measures of one table end in different months (12r5: unemployed 2023-10, vacancies 2026-06), so a
    review states each measure up to its own last month.
    """
    obs = store.observations.dropna(subset=["value"])
    out = obs.groupby(["table_id", "measure"])["period"].max().rename("last_period").reset_index()
    return out.sort_values(["table_id", "measure"]).reset_index(drop=True)


def load_12ti(raw_dir: Path = config.RAW_DIR, known_occupations: set[str] | None = None) -> pd.DataFrame:
    """12ti monthly: unemployed jobseekers and open vacancies by four-digit occupation."""
    frame, path = _read("12ti", raw_dir)
    measures = ["unemployed_jobseekers", "open_vacancies"]
    require_columns(frame, ["month", "area_code", "occupation_code", *measures], path)
    require_pattern(frame, "month", MONTH_PATTERN, path, "a month YYYY-MM")
    require_pattern(frame, "area_code", AREA_CODE_PATTERN, path, "a StatFin area code")
    if known_occupations is None:
        known_occupations = set(load_occupation_names(raw_dir)["occupation_code"])
    require_known(frame, "occupation_code", known_occupations, path, "occupation code")
    require_unique(frame, ["month", "area_code", "occupation_code"], path)
    for col in measures:
        frame[col] = to_number(frame, col, path, minimum=0, integer=True)
    long = frame.melt(id_vars=["month", "area_code", "occupation_code"], value_vars=measures,
                      var_name="measure", value_name="value")
    long = long.rename(columns={"month": "period"})
    long["table_id"] = "12ti"
    return tidy(long)


def load_2310(raw_dir: Path = config.RAW_DIR) -> pd.DataFrame:
    """2310 monthly vacancy flows (occupation total)."""
    frame, path = _read("2310", raw_dir)
    measures = ["vacancies_open_during_month", "new_vacancies_during_month",
                "filled_vacancies_during_month", "filled_vacancy_mean_duration_days"]
    require_columns(frame, ["month", "area_code", *measures], path)
    require_pattern(frame, "month", MONTH_PATTERN, path, "a month YYYY-MM")
    require_pattern(frame, "area_code", AREA_CODE_PATTERN, path, "a StatFin area code")
    require_unique(frame, ["month", "area_code"], path)
    for col in measures:
        frame[col] = to_number(frame, col, path, minimum=0, integer=col != measures[-1])
    long = frame.melt(id_vars=["month", "area_code"], value_vars=measures,
                      var_name="measure", value_name="value").rename(columns={"month": "period"})
    long["table_id"] = "2310"
    return tidy(long)


def load_13aj(raw_dir: Path = config.RAW_DIR) -> pd.DataFrame:
    """13aj annual: Labour Force Survey unemployment rate by age group, whole country."""
    frame, path = _read("13aj", raw_dir)
    require_columns(frame, ["year", "area_code", "sex_code", "age_group", "unemployment_rate_pct"], path)
    require_pattern(frame, "year", YEAR_PATTERN, path, "a year YYYY")
    require_known(frame, "area_code", ["SSS"], path, "area code")
    require_pattern(frame, "age_group", r"\d{2}-\d{2}", path, "an age group such as 15-24")
    require_unique(frame, ["year", "area_code", "sex_code", "age_group"], path)
    frame["value"] = to_number(frame, "unemployment_rate_pct", path, minimum=0, maximum=100)
    out = frame.rename(columns={"year": "period", "sex_code": "sex"})
    out["measure"] = "unemployment_rate_lfs_pct"
    out["table_id"] = "13aj"
    return tidy(out)


def load_159t(raw_dir: Path = config.RAW_DIR) -> pd.DataFrame:
    """159t annual: share of foreign-language speakers in the population, % (31 Dec)."""
    frame, path = _read("159t", raw_dir)
    require_columns(frame, ["year", "area_code", "statfin_content_code", "foreign_language_share_pct"], path)
    require_pattern(frame, "year", YEAR_PATTERN, path, "a year YYYY")
    require_pattern(frame, "area_code", AREA_CODE_PATTERN, path, "a StatFin area code")
    require_known(frame, "statfin_content_code", ["vaesto_kieli_ulk_p"], path, "content code")
    require_unique(frame, ["year", "area_code"], path)
    frame["value"] = to_number(frame, "foreign_language_share_pct", path, minimum=0, maximum=100)
    out = frame.rename(columns={"year": "period"})
    out["measure"] = "foreign_language_share_pct"
    out["table_id"] = "159t"
    return tidy(out)


def load_sotkanet(raw_dir: Path = config.RAW_DIR) -> pd.DataFrame:
    """THL Sotkanet 2019 (annual): unemployment and long-term unemployment, % of labour force,
    with the annual average counts behind them."""
    frame, path = _read("sotkanet", raw_dir)
    require_columns(frame, ["year", "area_code", "sotkanet_indicator_id", "measure", "value_pct",
                            "absolute_value"], path)
    require_pattern(frame, "year", YEAR_PATTERN, path, "a year YYYY")
    require_pattern(frame, "area_code", r"KU\d{3}", path, "a municipality code KUnnn")
    require_known(frame, "sotkanet_indicator_id", ["181", "3562"], path, "Sotkanet indicator")
    require_unique(frame, ["year", "area_code", "sotkanet_indicator_id"], path)
    frame["value_pct"] = to_number(frame, "value_pct", path, minimum=0, maximum=100)
    frame["absolute_value"] = to_number(frame, "absolute_value", path, minimum=0)
    count_name = {"181": "unemployed_jobseekers_annual_mean", "3562": "long_term_unemployed_annual_mean"}
    pct = frame.assign(value=frame["value_pct"])
    cnt = frame.assign(value=frame["absolute_value"], measure=frame["sotkanet_indicator_id"].map(count_name))
    out = pd.concat([pct, cnt], ignore_index=True).rename(columns={"year": "period"})
    out["table_id"] = "sotkanet-" + out["sotkanet_indicator_id"]
    return tidy(out)


def embedded_provenance() -> pd.DataFrame:
    """One provenance row per embedded table."""
    rows = []
    for table_id, snapshot in SNAPSHOTS.items():
        info = TABLES[table_id]
        rows.append({
            "table_id": table_id,
            "title_fi": info.title_fi,
            "producer": info.producer,
            "citation": info.citation,
            "origin": "embedded",
            "last_updated": "",
            "fetched_at": "",
            "snapshot": snapshot,
        })
    return pd.DataFrame(rows, columns=list(PROVENANCE_COLUMNS))


def load_embedded(raw_dir: Path = config.RAW_DIR) -> Store:
    """The whole embedded snapshot as a validated :class:`Store`."""
    known_areas = set(load_area_key(raw_dir)["municipality_code"])
    r5 = load_12r5(raw_dir)
    r5, recent = load_recent_series(raw_dir, r5)  # the December 2026 series, overlap checked
    by_area = {"159t": load_159t(raw_dir), "sotkanet": load_sotkanet(raw_dir)}
    for name, frame in by_area.items():
        unknown = sorted(set(frame["area_code"]) - known_areas - set(r5["area_code"]))
        if unknown:
            raise DataValidationError(Path(raw_dir) / FILES[name], "unknown area code(s) {unknown}",
                                      column="area_code", unknown=unknown)
    obs = pd.concat(
        [r5, load_12ti(raw_dir), load_2310(raw_dir), load_13aj(raw_dir), *recent, *by_area.values()],
        ignore_index=True,
    )
    return Store(obs, embedded_provenance())


RECENT_TABLES: tuple[str, ...] = ("12tu", "tyokay-long-term")


def load_recent_series(raw_dir: Path = config.RAW_DIR, r5: pd.DataFrame | None = None
                       ) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """The 2026 series: 12r5 with the 2022-2026 quarter-end vacancies, the 23 measures of June 2026 and the
    municipal rates 2007-01…2025-01 merged in (each overlap checked cell for cell), and the frames of 12tu
    and ``tyokay-long-term``."""
    r5 = load_12r5(raw_dir) if r5 is None else r5
    r5 = merge_vintages(r5, load_12r5_vacancies(raw_dir), Path(raw_dir) / FILES["12r5_vacancies"])
    r5 = merge_vintages(r5, load_12r5_all_measures(raw_dir), Path(raw_dir) / FILES["12r5_2026_06"])
    r5 = merge_vintages(r5, load_12r5_municipal_rates(raw_dir), Path(raw_dir) / FILES["12r5_rates"])
    return r5, [load_12tu(raw_dir), load_tyokay_long_term(raw_dir)]


AREA_CODES_FILE = config.DATA_DIR / "reference" / "statfin_area_codes_2026.csv"


def load_area_codes(path: Path = AREA_CODES_FILE) -> pd.DataFrame:
    """StatFin's area codes of 2026 (``area_code``, ``label_en``), validated (``data/reference``)."""
    frame = read_csv(path, empty_is_missing=False)
    require_columns(frame, ["area_code", "label_en"], path)
    require_unique(frame, ["area_code"], path)
    return frame
