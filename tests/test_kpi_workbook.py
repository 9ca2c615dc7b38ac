"""The staff workbook: template, validation (sheet, row, column), imports with history, example data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import cli, config
from analysis.present.kpi import workbook_texts
from analysis.sources import workbook as wb

TODAY = dt.date(2025, 6, 15)
TEXTS = {lang: workbook_texts(lang) for lang in ("fi", "sv")}
"""The workbook's labels and instructions in both languages (what the command passes)."""
HEADER = ["mittari", "kuukausi", "kunta", "arvo", "huomautus"]


def make_book(path: Path, rows: list[list[object]], header: list[str] | None = None, sheet: str = "Tiedot") -> Path:
    """A workbook like the one staff fill: header on row 1, data from row 2."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header or HEADER)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


GOOD_ROWS = [
    ["Työnantajakontaktit (kpl/kk)", "2025-01", "Kokkola", 120, ""],
    ["employer_contacts", "2025-01", "Halsua", 3, "pieni kunta"],
    ["Asiakastyytyväisyys (1–5)", "2025-01", "Koko alue", 4.2, None],
    ["Alkutapaamisen toteutuminen 5 päivän sisällä (%)", "2025-02", "Koko alue", "87,5", None],
]


@pytest.fixture
def internal_dir(tmp_path, monkeypatch):
    """A temporary data/internal: tests never touch the real one."""
    folder = tmp_path / "internal"
    monkeypatch.setattr(config, "INTERNAL_DIR", folder)
    return folder


def problems_of(path: Path, today: dt.date = TODAY) -> list[str]:
    with pytest.raises(wb.WorkbookError) as err:
        wb.read_workbook(path, today=today)
    return [str(p) for p in err.value.problems]


# ------------------------------------------------------------------------------------------------
# Reading and validation


def test_a_good_workbook_reads_to_tidy_values(tmp_path):
    values = wb.read_workbook(make_book(tmp_path / "ok.xlsx", GOOD_ROWS), today=TODAY)
    assert list(values.columns) == ["area", "metric_id", "month", "municipality", "value", "note"]
    assert values["metric_id"].tolist() == ["employer_contacts", "employer_contacts", "customer_satisfaction",
                                            "initial_meeting_within_5_days_pct"]
    assert values["municipality"].tolist() == ["KU272", "KU074", "keski-pohjanmaa", "keski-pohjanmaa"]
    assert values["value"].tolist() == [120.0, 3.0, 4.2, 87.5]
    assert values["note"].tolist() == ["", "pieni kunta", "", ""]


def test_excel_dates_swedish_names_and_codes_are_accepted(tmp_path):
    rows = [
        ["Arbetsgivarkontakter (st./mån.)", dt.datetime(2025, 3, 1), "Karleby", 10, None],
        ["employer_contacts", "3/2025", "KU924", 7, None],
    ]
    values = wb.read_workbook(make_book(tmp_path / "sv.xlsx", rows, header=["metric", "month", "municipality",
                                                                             "value", "note"]), today=TODAY)
    assert values["month"].tolist() == ["2025-03", "2025-03"]
    assert values["municipality"].tolist() == ["KU272", "KU924"]


def test_unknown_metric_names_sheet_row_and_column(tmp_path):
    rows = [GOOD_ROWS[0], ["Kahvinkulutus (l/kk)", "2025-01", "Kokkola", 5, None]]
    assert problems_of(make_book(tmp_path / "b.xlsx", rows)) == [
        "sheet 'Tiedot', row 3, column 'mittari' (A): unknown metric 'Kahvinkulutus (l/kk)'; "
        "use an id or name from sheet 'Mittarit'"
    ]


def test_percentage_outside_0_100_is_refused(tmp_path):
    rows = [["initial_meeting_within_5_days_pct", "2025-01", "Koko alue", 120, None],
            ["initial_meeting_within_5_days_pct", "2025-02", "Koko alue", -1, None]]
    found = problems_of(make_book(tmp_path / "b.xlsx", rows))
    assert len(found) == 2
    assert found[0].startswith("sheet 'Tiedot', row 2, column 'arvo' (D): 120 is outside the allowed range 0–100")
    assert "a percentage" in found[0]
    assert found[1].startswith("sheet 'Tiedot', row 3, column 'arvo' (D): -1 is outside")


def test_satisfaction_outside_1_5_is_refused(tmp_path):
    rows = [["customer_satisfaction", "2025-01", "Koko alue", 5.5, None],
            ["customer_satisfaction", "2025-02", "Koko alue", 0.9, None],
            ["customer_satisfaction", "2025-03", "Koko alue", 5, None]]
    found = problems_of(make_book(tmp_path / "b.xlsx", rows))
    assert [f.split(":")[0] for f in found] == ["sheet 'Tiedot', row 2, column 'arvo' (D)",
                                                "sheet 'Tiedot', row 3, column 'arvo' (D)"]
    assert all("1–5" in f for f in found)


def test_duplicates_name_both_rows(tmp_path):
    rows = [GOOD_ROWS[0], GOOD_ROWS[1], ["employer_contacts", "2025-01", "KU272", 99, "again"]]
    assert problems_of(make_book(tmp_path / "b.xlsx", rows)) == [
        "sheet 'Tiedot', row 4, column 'mittari' (A): duplicate row: employer_contacts, 2025-01, KU272 is "
        "already on row 2"
    ]


def test_future_month_is_refused(tmp_path):
    rows = [["employer_contacts", "2025-07", "Kokkola", 10, None]]
    found = problems_of(make_book(tmp_path / "b.xlsx", rows), today=TODAY)
    assert found == ["sheet 'Tiedot', row 2, column 'kuukausi' (B): 2025-07 is a future month (today is 2025-06-15)"]
    # the current month itself is allowed
    ok = make_book(tmp_path / "ok.xlsx", [["employer_contacts", "2025-06", "Kokkola", 10, None]])
    assert wb.read_workbook(ok, today=TODAY)["month"].tolist() == ["2025-06"]


def test_text_in_a_number_is_refused(tmp_path):
    rows = [["employer_contacts", "2025-01", "Kokkola", "12 kpl", None],
            ["employer_contacts", "2025-02", "Kokkola", "n/a", None]]
    found = problems_of(make_book(tmp_path / "b.xlsx", rows))
    assert found == ["sheet 'Tiedot', row 2, column 'arvo' (D): '12 kpl' is text, not a number",
                     "sheet 'Tiedot', row 3, column 'arvo' (D): 'n/a' is text, not a number"]


def test_fractional_count_and_bad_month_and_municipality(tmp_path):
    rows = [["employer_contacts", "2025-01", "Kokkola", 2.5, None],
            ["employer_contacts", "tammikuu", "Kokkola", 2, None],
            ["employer_contacts", "2025-01", "Vaasa", 2, None]]
    found = problems_of(make_book(tmp_path / "b.xlsx", rows))
    assert found[0].startswith("sheet 'Tiedot', row 2, column 'arvo' (D): 2.5 is not a whole number")
    assert found[1].startswith("sheet 'Tiedot', row 3, column 'kuukausi' (B): 'tammikuu' is not a month")
    assert found[2].startswith("sheet 'Tiedot', row 4, column 'kunta' (C): unknown municipality 'Vaasa'")


def test_public_metrics_are_not_entered_in_the_workbook(tmp_path):
    rows = [["Avoinna olevat työpaikat (kpl/kk)", "2025-01", "Koko alue", 400, None]]
    found = problems_of(make_book(tmp_path / "b.xlsx", rows))
    assert "computed from public data" in found[0] and "row 2, column 'mittari' (A)" in found[0]


def test_empty_file_header_only_and_missing_sheet(tmp_path):
    with pytest.raises(wb.WorkbookError, match="sheet 'Tiedot', row 2: the workbook has no data rows"):
        wb.read_workbook(make_book(tmp_path / "empty.xlsx", []), today=TODAY)
    with pytest.raises(wb.WorkbookError, match="sheet 'Tiedot', row 1: the sheet is empty"):
        wb.read_workbook(make_book(tmp_path / "blank.xlsx", [], header=[None]), today=TODAY)
    with pytest.raises(wb.WorkbookError, match="sheet 'Tiedot': sheet not found; the workbook has Taul1"):
        wb.read_workbook(make_book(tmp_path / "other.xlsx", GOOD_ROWS, sheet="Taul1"), today=TODAY)
    with pytest.raises(wb.WorkbookError, match=r"missing column\(s\) arvo"):
        wb.read_workbook(make_book(tmp_path / "cols.xlsx", [], header=["mittari", "kuukausi", "kunta"]),
                         today=TODAY)
    not_xlsx = tmp_path / "x.xlsx"
    not_xlsx.write_text("not a workbook")
    with pytest.raises(wb.WorkbookError, match="not a readable .xlsx workbook"):
        wb.read_workbook(not_xlsx, today=TODAY)


# ------------------------------------------------------------------------------------------------
# Template


def test_template_has_the_sheets_columns_and_internal_metrics(tmp_path):
    path = wb.write_template(tmp_path / "pohja.xlsx", texts=TEXTS, today=TODAY)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Ohjeet – Anvisningar", "Tiedot", "Tavoitteet", "Mittarit", "Kunnat", "Kuukaudet"]
    assert [c.value for c in book["Tiedot"][1]] == [*HEADER, "yksikkö / enhet"]
    assert [c.value for c in book["Tavoitteet"][1]] == ["mittari", "vuosi", "kunta", "tavoite", "huomautus",
                                                        "yksikkö / enhet"]
    metrics = [r[0] for r in book["Mittarit"].iter_rows(min_row=2, values_only=True)]
    catalogue = wb.load_catalogue()
    internal = catalogue.loc[catalogue["source"] == "internal", "metric_id"].tolist()
    assert len(internal) == 22 and metrics[:22] == internal and len(metrics) == 26  # internal first, then the rest
    units = {r[0]: r[3] for r in book["Mittarit"].iter_rows(min_row=2, values_only=True)}
    assert units["employed_within_30_days_pct"] == "%" and units["employer_contacts"] == "kpl"
    # the unit beside each metric: a lookup of the chosen name in Mittarit (B: name, D: unit)
    assert book["Tiedot"]["F2"].value == '=IFERROR(VLOOKUP(A2,Mittarit!$B:$D,3,FALSE),"")'
    towns = [r[0] for r in book["Kunnat"].iter_rows(min_row=2, values_only=True)]
    assert towns[0] == "Koko alue" and "Lestijärvi" in towns and len(towns) == 9
    months = [r[0] for r in book["Kuukaudet"].iter_rows(min_row=2, values_only=True)]
    assert (months[0], months[-1], len(months)) == ("2024-01", "2026-12", 36)  # to the end of next year
    lists = {str(dv.sqref): dv.formula1 for dv in book["Tiedot"].data_validations.dataValidation}
    assert lists == {"A2:A1001": "=Mittarit!$B$2:$B$23", "B2:B1001": "=Kuukaudet!$A$2:$A$37",
                     "C2:C1001": "=Kunnat!$A$2:$A$10"}
    goals = {str(dv.sqref): dv.formula1 for dv in book["Tavoitteet"].data_validations.dataValidation}
    assert goals["A2:A1001"] == "=Mittarit!$B$2:$B$27" and goals["B2:B1001"] == '"2026,2027,2028,2029,2030"'
    # a blank template is an empty file for the importer
    with pytest.raises(wb.WorkbookError, match="no data rows"):
        wb.read_workbook(path, today=TODAY)


def test_template_cli_writes_and_refuses_to_overwrite(tmp_path, capsys):
    target = tmp_path / "pohja.xlsx"
    assert wb.write_template_cli(str(target), TEXTS) == 0
    assert target.exists()
    # refusals are known errors: the command line's one error path prints them (exit 2)
    assert cli.main(["kpi-template", str(target)]) == 2
    assert "exists" in capsys.readouterr().err
    assert cli.main(["kpi-template", str(tmp_path / "pohja.csv")]) == 2


# ------------------------------------------------------------------------------------------------
# Imports


def test_import_keeps_history_latest_wins_and_earlier_months_stay(tmp_path, internal_dir):
    first = make_book(tmp_path / "tammi.xlsx", [["employer_contacts", "2025-01", "Kokkola", 10, None],
                                                ["employer_contacts", "2025-02", "Kokkola", 20, None]])
    second = make_book(tmp_path / "helmi.xlsx", [["employer_contacts", "2025-02", "Kokkola", 25, "korjattu"],
                                                 ["employer_contacts", "2025-03", "Kokkola", 30, None]])
    r1 = wb.import_workbook(first, today=TODAY, now=dt.datetime(2025, 3, 5, 9, 0))
    r2 = wb.import_workbook(second, today=TODAY, now=dt.datetime(2025, 4, 5, 9, 0))
    assert (r1.import_seq, r1.rows, r1.replaced) == (1, 2, 0)
    assert (r2.import_seq, r2.rows, r2.replaced) == (2, 2, 1)
    current = wb.load_internal(internal_dir)
    assert dict(zip(current["month"], current["value"])) == {"2025-01": 10.0, "2025-02": 25.0, "2025-03": 30.0}
    assert current.set_index("month").at["2025-02", "note"] == "korjattu"
    history = wb.load_history(internal_dir)
    assert len(history) == 4
    assert history["imported_at"].tolist() == ["2025-03-05T09:00:00"] * 2 + ["2025-04-05T09:00:00"] * 2
    archived = sorted(p.name for p in (internal_dir / wb.ARCHIVE_NAME).iterdir())
    assert archived == ["20250305T090000_0001_tammi.xlsx", "20250405T090000_0002_helmi.xlsx"]


def test_a_bad_workbook_changes_nothing(tmp_path, internal_dir):
    wb.import_workbook(make_book(tmp_path / "ok.xlsx", GOOD_ROWS), today=TODAY)
    history_file = internal_dir / wb.HISTORY_NAME
    before = history_file.read_bytes()
    archive_before = sorted((internal_dir / wb.ARCHIVE_NAME).iterdir())
    bad = make_book(tmp_path / "bad.xlsx", [["employer_contacts", "2025-04", "Kokkola", 50, None],
                                             ["customer_satisfaction", "2025-04", "Koko alue", 9, None]])
    with pytest.raises(wb.WorkbookError):
        wb.import_workbook(bad, today=TODAY)
    assert history_file.read_bytes() == before
    assert sorted((internal_dir / wb.ARCHIVE_NAME).iterdir()) == archive_before
    assert not [p for p in internal_dir.rglob("*") if p.name.endswith(".tmp")]


def test_import_cli_uses_the_configured_folder(tmp_path, internal_dir, capsys):
    good = make_book(tmp_path / "ok.xlsx", [["employer_contacts", "2024-12", "Kokkola", 10, None]])
    assert wb.import_workbook_cli(str(good), "en") == 0
    assert "imported 1 value(s) for 2024-12–2024-12" in capsys.readouterr().out
    assert (internal_dir / wb.HISTORY_NAME).exists()
    bad = make_book(tmp_path / "bad.xlsx", [["employer_contacts", "2024-12", "Kokkola", "x", None]])
    assert cli.main(["kpi-import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.xlsx, sheet 'Tiedot', row 2, column 'arvo' (D): 'x' is text, not a number" in err
    assert "nothing was imported" in err


def test_nothing_imported_gives_none(internal_dir):
    assert wb.load_internal(internal_dir) is None
    assert wb.load_history(internal_dir).empty


# ------------------------------------------------------------------------------------------------
# Example data


def test_example_values_cover_every_internal_metric_and_are_reproducible():
    first, second = wb.example_values(), wb.example_values()
    pd.testing.assert_frame_equal(first, second)
    catalogue = wb.load_catalogue()
    internal = set(catalogue.loc[catalogue["source"] == "internal", "metric_id"])
    assert set(first["metric_id"]) == internal
    assert (first["note"] == "esimerkkiaineisto").all() and (first["source_file"] == "esimerkkiaineisto").all()
    assert first["month"].min() == "2022-01" and first["month"].max() == "2026-09"
    other = wb.example_values(seed=1)
    assert not other["value"].equals(first["value"])


def test_example_workbook_passes_the_importer_unchanged(tmp_path):
    path = wb.write_example_workbook(tmp_path / "esimerkki.xlsx", texts=TEXTS)
    values = wb.read_workbook(path, today=dt.date(2026, 10, 1))
    expected = wb.example_values()[list(values.columns)]
    pd.testing.assert_frame_equal(values, expected, check_dtype=False)


def test_kpi_template_command_writes_the_workbook_with_finnish_instructions(tmp_path: Path) -> None:
    from analysis import cli

    target = tmp_path / "pohja.xlsx"
    assert cli.main(["kpi-template", str(target)]) == 0
    book = openpyxl.load_workbook(target)
    assert wb.DATA_SHEET in book.sheetnames
    cells = {str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value}
    assert set(workbook_texts("fi").values()) & cells  # the instructions came from the Finnish strings
