"""Loaders for the embedded real snapshot in ``data/raw/`` (read-only).

Each loader validates its file at the door (columns, types, duplicates, ranges, known
codes) and returns tidy observations in the store's shape. See ``data/SOURCES.md``
for the origin and caveats of every file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import config
from analysis.schema import (
    AREA_CODE_PATTERN,
    MONTH_PATTERN,
    PROVENANCE_COLUMNS,
    YEAR_PATTERN,
    Store,
    tidy,
)
from analysis.sources.catalog import TABLES
from analysis.sources.validation import (
    DataValidationError,
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
    "area_key": "area_key_keski_pohjanmaa.csv",
    "occupations": "occupation_names_ammattiluokitus2010_fi.csv",
}

# Where each embedded table was copied from (see data/SOURCES.md).
SNAPSHOTS: dict[str, str] = {
    "12r5": "pttry/kohtaantoindeksit ad33418 (2023-12-05)",
    "12ti": "pttry/kohtaantoindeksit ad33418 (2023-12-05)",
    "2310": "pttry/statfiLaborMarkets f129c71 (2020-10-12)",
    "13aj": "AaroTer/tyottomyysaste-ikaantyneet-nuoret-analyysi 15cceac (StatFin export 2026-07-30)",
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
    by_area = {"159t": load_159t(raw_dir), "sotkanet": load_sotkanet(raw_dir)}
    for name, frame in by_area.items():
        unknown = sorted(set(frame["area_code"]) - known_areas - set(r5["area_code"]))
        if unknown:
            raise DataValidationError(Path(raw_dir) / FILES[name], f"unknown area code(s) {unknown}",
                                      column="area_code")
    obs = pd.concat(
        [r5, load_12ti(raw_dir), load_2310(raw_dir), load_13aj(raw_dir), *by_area.values()],
        ignore_index=True,
    )
    return Store(obs, embedded_provenance())
