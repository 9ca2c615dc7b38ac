"""The embedded real snapshot: pinned official values and validation at the door."""

import shutil
from pathlib import Path

import numpy as np
import pytest

from analysis import config
from analysis.errors import DataValidationError
from analysis.sources import embedded


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
    # 6,420 rows of the 2023 snapshot, three measures, plus the 132 open-vacancy rows of the quarter-end
    # file (211 rows) that the snapshot does not hold (2023-12…2026-06; its other 79 rows are the overlap),
    # plus June 2026 for the 397 stored areas of the all-areas export less its 12 open-vacancy cells that the
    # quarter-end file holds already (the same values: merge_vintages checks them)
    assert len(r5) == 6420 * 3 + 132 + 397 * 3 - 12 == 20571
    assert (r5["measure"] == "open_vacancies").sum() == 6420 + 132 + 397 - 12
    # 438 empty cells in the 2023 snapshot (SOURCES.md) and 20 in the quarter-end file's new rows
    # (its 30 empty open_vacancies cells less the 10 that fall in the overlap, in the same places), and the
    # June 2026 export's "..." cells of the areas the quarter-end file does not hold (78 less Kannus, Veteli)
    old = r5[r5["period"] < "2026-06"]
    assert old.loc[old["measure"] == "open_vacancies", "value"].isna().sum() == 438 + 20 - 2
    assert r5.loc[(r5["measure"] == "open_vacancies") & (r5["period"] <= "2023-10"), "value"].isna().sum() == 438
    assert old.loc[old["measure"] != "open_vacancies", "value"].isna().sum() == 0
    june = r5[(r5["period"] == "2026-06") & r5["value"].isna()]
    assert (june["measure"] == "open_vacancies").sum() == 78
    # four small municipalities' unemployed are suppressed ("...") in June 2026
    assert sorted(june.loc[june["measure"] == "unemployed_jobseekers", "area_code"]) == [
        "KU062", "KU295", "KU438", "KU766"]


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


# --- real 2022-2026 series (data/SOURCES.md, "Added in December 2026") -----------------------

@pytest.fixture(scope="module")
def recent():
    """The embedded store, which holds the December 2026 series."""
    return embedded.load_embedded()


def test_12r5_quarter_end_vacancies_2022_2026():
    vac = embedded.load_12r5_vacancies()
    assert set(vac["table_id"]) == {"12r5"} and set(vac["measure"]) == {"open_vacancies", "new_vacancies"}
    assert len(vac) == 211 * 2
    mk16 = vac[vac["area_code"] == "MK16"].set_index(["period", "measure"])["value"]
    assert mk16[("2026-06", "open_vacancies")] == 174 and mk16[("2026-06", "new_vacancies")] == 152
    assert mk16[("2023-09", "new_vacancies")] == 438
    assert vac.loc[vac["measure"] == "open_vacancies", "value"].isna().sum() == 30  # SOURCES.md empty cells
    assert vac.loc[vac["measure"] == "new_vacancies", "value"].isna().sum() == 37
    assert set(vac["period"].str[5:]) == {"03", "06", "09", "12"}


def test_12r5_vintages_agree_cell_for_cell_on_the_overlap():
    old, new = embedded.load_12r5(), embedded.load_12r5_vacancies()
    keys = ["period", "area_code", "measure"]
    both = old.merge(new, on=keys, suffixes=("_2023", "_2026"))
    assert len(both) == 79  # open vacancies, 2022-03 … 2023-09, the areas of the 2026 file
    assert ((both["value_2023"] == both["value_2026"]) | (both["value_2023"].isna() & both["value_2026"].isna())).all()
    assert both.loc[(both["area_code"] == "KU272") & (both["period"] == "2022-03"), "value_2023"].iloc[0] == 2497
    merged = embedded.merge_vintages(old, new, Path("x.csv"))
    assert len(merged) == len(old) + len(new) - 79
    last = embedded.last_periods(embedded.Store(merged, embedded.embedded_provenance())).set_index("measure")
    assert last.loc["open_vacancies", "last_period"] == "2026-06"
    assert last.loc["unemployed_jobseekers", "last_period"] == "2023-10"  # each measure its own last month


def test_disagreeing_vintages_are_refused():
    old, new = embedded.load_12r5(), embedded.load_12r5_vacancies()
    hit = (new["area_code"] == "KU272") & (new["period"] == "2022-03") & (new["measure"] == "open_vacancies")
    new.loc[hit, "value"] = 2498
    with pytest.raises(DataValidationError, match="open_vacancies KU272 2022-03 is 2498.0 here but 2497.0"):
        embedded.merge_vintages(old, new, Path("x.csv"))


def test_12tu_vacancies_open_during_month_by_occupation(recent):
    store = recent
    tu = store.select("vacancies_open_during_month", table_id="12tu")
    assert set(tu["area_code"]) == {"MK16"} and len(tu) == 23436  # 434 codes x 54 quarter ends
    assert tu["occupation_code"].nunique() == 434 and "0110" in set(tu["occupation_code"])
    assert (tu["period"].min(), tu["period"].max()) == ("2013-03", "2026-06")
    assert tu["value"].isna().sum() == 4654  # suppressed cells stay missing (SOURCES.md)
    assert _value(store, "12tu", "MK16", "vacancies_open_during_month", "2013-03", occupation_code="SSS") == 1215
    assert _value(store, "12tu", "MK16", "vacancies_open_during_month", "2026-06", occupation_code="SSS") == 405
    assert np.isnan(_value(store, "12tu", "MK16", "vacancies_open_during_month", "2026-06", occupation_code="5120"))


def test_year_end_long_term_unemployed_is_its_own_table(recent):
    store = recent
    t = "tyokay-long-term"
    assert _value(store, t, "MK16", "unemployed_year_end", "2017") == 2770
    assert _value(store, t, "MK16", "long_term_unemployed_year_end", "2017") == 669
    assert _value(store, t, "MK16", "long_term_unemployed_year_end_share_pct", "2018") == 18.7
    assert _value(store, t, "SSS", "long_term_unemployed_year_end", "2018") == 66211
    regions = store.select("long_term_unemployed_year_end", table_id=t)
    for _year, part in regions.groupby("period"):
        mk = part[part["area_code"] != "SSS"]
        assert mk["area_code"].nunique() == 19
        assert mk["value"].sum() == part.loc[part["area_code"] == "SSS", "value"].iloc[0]  # regions sum to SSS
    assert not store.has("long_term_unemployed", table_id=t)  # never under the monthly 12r5 name


def test_embedded_provenance_covers_the_new_tables(recent):
    prov = recent.provenance.set_index("table_id")
    assert "Lion504/JobAI" in prov.loc["12tu", "snapshot"] and "Lion504/JobAI" in prov.loc["12r5", "snapshot"]
    assert "tyokay 2017" in prov.loc["tyokay-long-term", "snapshot"]
    assert "työssäkäyntitilasto" in prov.loc["tyokay-long-term", "citation"]


@pytest.mark.parametrize("file_key, line, old, new, loader, message, column", [
    ("12r5_vacancies", 2, "2022-06", "2022-05", "load_12r5_vacancies", "not a quarter-end month", "month"),
    ("12tu", 2, ",1215,", ",-1,", "load_12tu", "below 0", "value"),
    ("tyokay-long-term", 17, ",669,", ",6690,", "load_tyokay_long_term", "more long-term unemployed",
     "long_term_unemployed_over_1_year"),
])
def test_bad_cells_in_the_new_files(raw_copy, file_key, line, old, new, loader, message, column):
    path = raw_copy / embedded.FILES[file_key]
    _edit(path, line, old, new)
    with pytest.raises(DataValidationError, match=message) as err:
        getattr(embedded, loader)(raw_copy)
    assert (err.value.file, err.value.row, err.value.column) == (str(path), line, column)


def test_recent_series_extend_12r5_vacancies_to_2026(recent):
    last = embedded.last_periods(recent).set_index(["table_id", "measure"])["last_period"]
    assert last[("12r5", "open_vacancies")] == "2026-06" and last[("12r5", "new_vacancies")] == "2026-06"
    assert last[("12r5", "unemployed_jobseekers")] == "2026-06"  # the all-areas month of June 2026
    assert last[("12tu", "vacancies_open_during_month")] == "2026-06"
    assert last[("tyokay-long-term", "long_term_unemployed_year_end")] == "2018"
    assert _value(recent, "12r5", "MK16", "open_vacancies", "2026-06") == 174
    assert _value(recent, "12r5", "MK16", "open_vacancies", "2023-10") == 399  # the 2023 snapshot kept
