"""The .px reader on the real StatFin sample (12r5, Eckerö, 2024M01–2024M11) and on small
hand-written files for the error paths.

Expected values were read by hand from the DATA block of
``tests/fixtures/pxweb/statfin_tyonv_pxt_12r5_eckero_2024.px`` (one row per month, the 23
measures in the order of CODES("Tiedot")).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from analysis.sources.catalog import MEASURES_12R5
from analysis.sources.px import PxFileError, read_px, read_px_table, table_id_of

FIXTURES = Path(__file__).parent / "fixtures" / "pxweb"
ECKERO = FIXTURES / "statfin_tyonv_pxt_12r5_eckero_2024.px"


@pytest.fixture(scope="module")
def eckero():
    return read_px(ECKERO)


def value(store, period: str, measure: str) -> float:
    obs = store.observations
    row = obs[(obs["period"] == period) & (obs["measure"] == measure)]
    assert len(row) == 1
    return float(row["value"].iloc[0])


def test_real_px_shape_and_codes(eckero):
    obs = eckero.observations
    assert len(obs) == 11 * 23
    assert set(obs["area_code"]) == {"KU043"}  # VALUES("Alue")="Eckerö", CODES("Alue")="KU043"
    assert sorted(obs["period"].unique()) == [f"2024-{m:02d}" for m in range(1, 12)]
    assert set(obs["measure"]) == set(MEASURES_12R5.values())
    assert set(obs["table_id"]) == {"12r5"}
    assert set(obs["sex"]) == {"SSS"} and set(obs["occupation_code"]) == {"SSS"}


def test_real_px_values_read_by_hand(eckero):
    # first DATA row (2024M01): 49.0 26.0 448.0 5.8 16.0 10.0 ... 36.0 35.0
    assert value(eckero, "2024-01", "jobseekers") == 49
    assert value(eckero, "2024-01", "unemployed_jobseekers") == 26
    assert value(eckero, "2024-01", "labour_force") == 448
    assert value(eckero, "2024-01", "unemployment_rate_pct") == pytest.approx(5.8)
    assert value(eckero, "2024-01", "open_vacancies") == 36
    assert value(eckero, "2024-01", "new_vacancies") == 35
    # last DATA row (2024M11): ... 11.0 0.0 12.0 8.0 6.0 ...
    assert value(eckero, "2024-11", "unemployed_jobseekers") == 21
    assert value(eckero, "2024-11", "unemployed_foreign_nationals") == 12
    assert value(eckero, "2024-11", "long_term_unemployed") == 8
    assert value(eckero, "2024-11", "unemployment_rate_pct") == pytest.approx(4.7)


def test_suppressed_cells_are_missing_not_zero(eckero):
    # 2024M01 long-term unemployed is "..." in the file; 2024M06 open vacancies is a real 0.0
    assert math.isnan(value(eckero, "2024-01", "long_term_unemployed"))
    assert math.isnan(value(eckero, "2024-01", "unemployed_under_20"))
    assert value(eckero, "2024-06", "open_vacancies") == 0
    # the file has 61 cells written "..." (counted with grep)
    assert int(eckero.observations["value"].isna().sum()) == 61


def test_real_px_provenance_and_encoding(eckero):
    prov = eckero.provenance.iloc[0]
    assert prov["table_id"] == "12r5"
    assert prov["origin"] == "px-file"
    assert prov["last_updated"] == "2024-12-23T08:00"
    assert prov["snapshot"] == ECKERO.name
    table = read_px_table(ECKERO)
    tiedot = next(v for v in table.variables if v.name == "Tiedot")
    assert tiedot.values[0] == "Työnhakijoita laskentapäivänä (lkm.)"  # iso-8859-15 decoded
    assert table_id_of(table) == "12r5"
    assert table.first("TITLE").startswith("12r5 -- Työttömät")


def write_px(path: Path, body: str) -> Path:
    path.write_bytes(body.encode("iso-8859-15"))
    return path


HEADER = '''CHARSET="ANSI";
CODEPAGE="iso-8859-15";
LANGUAGE="fi";
MATRIX="001_12r5_2024";
TABLEID="statfin_tyonv_pxt_12r5";
TITLE="12r5 -- test";
STUB="Kuukausi";
HEADING="Tiedot","Alue";
CONTVARIABLE="Tiedot";
VALUES("Kuukausi")="2024M01","2024M02";
VALUES("Tiedot")="Työttömät työnhakijat laskentapäivänä (lkm.)","Pitkäaikaistyöttömät (lkm.)";
VALUES("Alue")="Eckerö";
TIMEVAL("Kuukausi")=TLIST(M1),"202401","202402";
CODES("Kuukausi")="2024M01","2024M02";
CODES("Tiedot")="TYOTTOMATLOPUSSA",
"PITKAAIKAISTYOTTOMAT";
'''


def test_all_missing_symbols_and_continued_strings(tmp_path):
    path = write_px(tmp_path / "t.px", HEADER + 'CODES("Alue")="KU0"\n"43";\nDATA=\n"." ".." \n"..." "-";\n')
    store = read_px(path)
    assert set(store.observations["area_code"]) == {"KU043"}  # "KU0" "43" on two lines is one string
    assert store.observations["value"].isna().all()


def test_area_names_without_codes_fail_naming_the_file(tmp_path):
    path = write_px(tmp_path / "names.px", HEADER + 'DATA=\n1 2\n3 4;\n')
    with pytest.raises(PxFileError, match=r'names\.px.*CODES\("Alue"\)'):
        read_px(path)


def test_wrong_cell_count_names_file_and_line(tmp_path):
    path = write_px(tmp_path / "short.px", HEADER + 'CODES("Alue")="KU043";\nDATA=\n1 2 3;\n')
    with pytest.raises(PxFileError, match=r"short\.px, line \d+, keyword DATA: DATA has 3 cells, the variables give 4"):
        read_px(path)


def test_unknown_measure_code_fails(tmp_path):
    body = HEADER.replace('"PITKAAIKAISTYOTTOMAT"', '"EIOLEMASSA"') + 'CODES("Alue")="KU043";\nDATA=\n1 2 3 4;\n'
    with pytest.raises(PxFileError, match="EIOLEMASSA"):
        read_px(write_px(tmp_path / "unknown.px", body))


def test_small_file_values_in_data_order(tmp_path):
    path = write_px(tmp_path / "ok.px", HEADER + 'CODES("Alue")="KU043";\nDATA=\n1 2\n3 ".";\n')
    obs = read_px(path).observations.set_index(["period", "measure"])["value"]
    assert obs[("2024-01", "unemployed_jobseekers")] == 1
    assert obs[("2024-01", "long_term_unemployed")] == 2
    assert obs[("2024-02", "unemployed_jobseekers")] == 3
    assert math.isnan(obs[("2024-02", "long_term_unemployed")])


def test_not_a_px_file(tmp_path):
    path = tmp_path / "x.px"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(PxFileError, match="no DATA= section"):
        read_px(path)


def test_2026_style_px_with_short_id_variable_codes_and_prefixed_content_codes(tmp_path):
    body = (HEADER.replace('TABLEID="statfin_tyonv_pxt_12r5"', 'TABLEID="12r5"')
            .replace('MATRIX="001_12r5_2024"', 'MATRIX="12r5"')
            .replace('"TYOTTOMATLOPUSSA",\n"PITKAAIKAISTYOTTOMAT"',
                     '"tyonv-TYOTTOMATLOPUSSA","tyonv-PITKAAIKAISTYOTTOMAT"')
            + 'VARIABLECODE("Alue")="alue_23_20260101";\nVARIABLECODE("Kuukausi")="timeperiod_m";\n'
            + 'CODES("Alue")="KU043";\nDATA=\n5 6\n7 8;\n')
    assert '"tyonv-PITKAAIKAISTYOTTOMAT"' in body and 'TABLEID="12r5"' in body
    table = read_px_table(write_px(tmp_path / "new.px", body))
    assert table_id_of(table) == "12r5"
    obs = read_px(tmp_path / "new.px").observations.set_index(["period", "measure"])["value"]
    assert obs[("2024-02", "long_term_unemployed")] == 8
    assert obs[("2024-01", "unemployed_jobseekers")] == 5
