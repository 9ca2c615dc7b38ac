"""The embedded real snapshot: pinned official values and validation at the door."""

import shutil
from pathlib import Path

import numpy as np
import pytest

from analysis import config
from analysis.sources import embedded
from analysis.sources.validation import DataValidationError


def _value(store, table, area, measure, period, **breakdown):
    sel = store.select(measure, table_id=table, area_codes=[area], **breakdown)
    sel = sel[sel["period"] == period]
    assert len(sel) == 1, (table, area, measure, period, breakdown)
    return sel["value"].iloc[0]


@pytest.mark.parametrize("area, measure, period, expected", [
    ("MK16", "unemployed_jobseekers", "2023-10", 2371),  # SOURCES.md and 12r5
    ("MK16", "labour_force", "2023-10", 30259),
    ("MK16", "open_vacancies", "2023-10", 399),
    ("SSS", "unemployed_jobseekers", "2006-01", 278486),
    ("SSS", "labour_force", "2006-01", 2561691),
    ("MK01", "unemployed_jobseekers", "2006-01", 59012),
])
def test_12r5_values_as_published(store, area, measure, period, expected):
    assert _value(store, "12r5", area, measure, period) == expected


def test_12r5_has_all_rows_and_empty_vacancy_cells_stay_missing(store):
    r5 = store.select(["unemployed_jobseekers", "labour_force", "open_vacancies"], table_id="12r5")
    assert len(r5) == 6420 * 3  # 6,420 source rows, three measures
    assert r5.loc[r5["measure"] == "open_vacancies", "value"].isna().sum() == 438  # SOURCES.md
    assert r5.loc[r5["measure"] != "open_vacancies", "value"].isna().sum() == 0


def test_12ti_keeps_leading_zeros_and_missing_cells(store):
    ti = store.select(["unemployed_jobseekers", "open_vacancies"], table_id="12ti")
    assert "0110" in set(ti["occupation_code"])
    assert ti["occupation_code"].nunique() == 433
    missing = ti[ti["value"].isna()].groupby("measure").size()
    assert missing["unemployed_jobseekers"] == 32515  # SOURCES.md counts of empty cells
    assert missing["open_vacancies"] == 28355
    assert _value(store, "12ti", "MK16", "unemployed_jobseekers", "2023-10", occupation_code="SSS") == 2371
    assert _value(store, "12ti", "SSS", "unemployed_jobseekers", "2006-01", occupation_code="0110") == 22


def test_sotkanet_and_159t_values(store):
    assert _value(store, "sotkanet-3562", "KU272", "long_term_unemployed_pct_of_labour_force", "2019") == 1.5
    assert _value(store, "sotkanet-3562", "KU272", "long_term_unemployed_annual_mean", "2019") == 315
    assert not store.has("long_term_unemployed_pct_of_labour_force", area_codes=["KU421"])  # Lestijärvi absent
    assert _value(store, "159t", "KU074", "foreign_language_share_pct", "2023") == 5.0
    assert _value(store, "13aj", "SSS", "unemployment_rate_lfs_pct", "2009", age_group="15-74") == 8.3


def test_provenance_names_every_table_with_its_citation(store):
    prov = store.provenance.set_index("table_id")
    assert set(prov.index) == set(store.tables())
    assert prov.loc["12r5", "citation"].startswith("Lähde: Tilastokeskus, StatFin, taulukko 12r5")
    assert all("CC BY 4.0" in c for c in prov["citation"])


@pytest.fixture()
def raw_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    shutil.copytree(config.RAW_DIR, folder)
    return folder


def _edit(path: Path, line_no: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line_no - 1], lines[line_no - 1]
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize("file_key, line, old, new, loader, message, column", [
    ("12r5", 3, ",59012,", ",59O12,", "load_12r5", "'59O12' is not a number", "unemployed_jobseekers"),
    ("12r5", 3, ",59012,", ",-5,", "load_12r5", "-5.0 is below 0", "unemployed_jobseekers"),
    ("12r5", 4, "2006-01", "2006-13", "load_12r5", "'2006-13' is not a month", "month"),
    ("12r5", 4, "MK02", "MK01", "load_12r5", "duplicate row for month=2006-01, area_code=MK01", "month"),
    ("12r5", 5, ",region,", ",county,", "load_12r5", "unknown area level 'county'", "area_level"),
    ("12ti", 2, ",0110,", ",0119,", "load_12ti", "unknown occupation code '0119'", "occupation_code"),
    ("159t", 2, ",3.4", ",103.4", "load_159t", "103.4 is above 100", "foreign_language_share_pct"),
])
def test_bad_cells_are_refused_with_file_row_and_column(raw_copy, file_key, line, old, new, loader, message, column):
    path = raw_copy / embedded.FILES[file_key]
    _edit(path, line, old, new)
    with pytest.raises(DataValidationError, match=message) as err:
        getattr(embedded, loader)(raw_copy)
    assert err.value.file == str(path)
    assert err.value.row == line
    assert err.value.column == column
    assert f"row {line}" in str(err.value) and f"column '{column}'" in str(err.value)


def test_missing_column_and_empty_file(raw_copy):
    path = raw_copy / embedded.FILES["12r5"]
    text = path.read_text(encoding="utf-8").replace("labour_force", "workforce", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError, match="missing column.*labour_force"):
        embedded.load_12r5(raw_copy)
    path.write_text("month,area_code\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="no data rows"):
        embedded.load_12r5(raw_copy)


def test_empty_required_count_is_refused(raw_copy):
    path = raw_copy / embedded.FILES["12r5"]
    _edit(path, 2, ",278486,", ",,")
    with pytest.raises(DataValidationError, match="empty cell") as err:
        embedded.load_12r5(raw_copy)
    assert err.value.row == 2 and err.value.column == "unemployed_jobseekers"


def test_raw_data_is_not_written_by_loading(raw_copy):
    before = {p.name: p.stat().st_mtime_ns for p in raw_copy.iterdir()}
    embedded.load_embedded(raw_copy)
    assert {p.name: p.stat().st_mtime_ns for p in raw_copy.iterdir()} == before
    assert np.isnan(embedded.load_12r5(raw_copy).query("measure == 'open_vacancies'")["value"]).any()
