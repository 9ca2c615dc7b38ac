"""Issue 29: the scorecard in the staff's hands. The template filled as staff would (openpyxl), targets
imported with the values and their history, entries checked, status per metric, like-with-like changes.

Every workbook here is synthetic test input (labelled so by being built in the test); the public
figures come from the real embedded snapshot.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import math
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from analysis import cli, config
from analysis.indicators import kpi
from analysis.present import kpi as pk
from analysis.present.kpi import workbook_texts
from analysis.sources import workbook as wb
from analysis.sources.workbook.cells import csv_safe
from analysis.store.scope import Scope

TEXTS = {lang: workbook_texts(lang) for lang in ("fi", "sv")}
TODAY = dt.date(2023, 10, 5)
NO_REVIEWS = pd.DataFrame(columns=["area", "period", "lang", "made_at", "path"])


@pytest.fixture
def internal_dir(tmp_path, monkeypatch):
    """A temporary data/internal: tests never touch the real one."""
    folder = tmp_path / "internal"
    monkeypatch.setattr(config, "INTERNAL_DIR", folder)
    return folder


def template(tmp_path: Path) -> Path:
    return wb.write_template(tmp_path / "pohja.xlsx", texts=TEXTS, today=TODAY)


def fill(path: Path, values: list[list[object]] = (), targets: list[list[object]] = ()) -> Path:
    """Type rows into the template's sheets Tiedot and Tavoitteet (columns A–E), as staff do."""
    book = openpyxl.load_workbook(path)
    for sheet, rows in (("Tiedot", values), ("Tavoitteet", targets)):
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = book[sheet].cell(r, c)
                cell.value = value
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text typed with a leading apostrophe in Excel, not a formula
    book.save(path)
    return path


def problems(path: Path, today: dt.date = TODAY, lang: str = "en") -> list[str]:
    with pytest.raises(wb.WorkbookError) as err:
        wb.read_contents(path, today=today)
    return [p.text(lang) for p in err.value.problems]


# ------------------------------------------------------------------------------------------------
# Done when (issue 29)


def test_first_sheet_is_the_instructions_in_finnish_and_swedish(tmp_path):
    book = openpyxl.load_workbook(template(tmp_path))
    first = book.worksheets[0]
    assert first.title == "Ohjeet – Anvisningar" and book.active.title == first.title
    assert (first["A1"].value, first["B1"].value) == ("Ohjeet", "Anvisningar")
    finnish = [r[0] for r in first.iter_rows(min_row=2, values_only=True)]
    swedish = [r[1] for r in first.iter_rows(min_row=2, values_only=True)]
    assert finnish[0].startswith("Toiminnallisen mittariston työkirja.")
    assert swedish[0].startswith("Arbetsbok för verksamhetens mätare.")
    assert len(finnish) == len(swedish) == 11 and all(finnish) and all(swedish)
    assert any("87,5 % kirjoitetaan 87,5 (ei 0,875)" in t for t in finnish)
    assert any("87,5 % skrivs 87,5 (inte 0,875)" in t for t in swedish)


def test_a_target_and_an_off_track_value_name_the_metric_for_the_first_screen(tmp_path, internal_dir, store, kp_area):
    path = fill(template(tmp_path),
                values=[["Työnantajakontaktit (kpl/kk)", "2023-09", "Koko alue", 120, None],
                        ["Työnantajakontaktit (kpl/kk)", "2023-08", "Koko alue", 150, None]],
                targets=[["Työnantajakontaktit (kpl/kk)", 2023, "Koko alue", 200, "johtoryhmä 1/2023"],
                         ["Avoinna olevat työpaikat (kpl/kk)", 2023, "Koko alue", 450, None]])
    result = wb.import_workbook(path, today=TODAY, now=dt.datetime(2023, 10, 5, 8), user="tester")
    assert (result.rows, result.targets) == (2, 2)
    card, _points, _internal = pk.build(Scope.of(store, kp_area, "2023Q3"), "imported", reviews=NO_REVIEWS)
    contacts = card.set_index("metric_id").loc["employer_contacts"]
    # 120 against 200 with the default tolerance of 10 % (20): 120 < 180
    assert (contacts["value"], contacts["target"], contacts["status"]) == (120.0, 200.0, kpi.OFF_TRACK)
    assert card.set_index("metric_id").at["open_vacancies", "status"] == kpi.ON_TRACK  # 429 >= 450 - 45
    behind = kpi.off_track(card)
    assert behind["name_fi"].tolist() == ["Työnantajakontaktit (kpl/kk)"]
    assert behind["name_sv"].tolist() == ["Arbetsgivarkontakter (st./mån.)"]
    assert (card["status"] != kpi.AT_RISK).all()
    assert pk.off_track_text(card, "fi") == "Tavoitteesta jäljessä: Työnantajakontaktit (kpl/kk)."
    assert pk.off_track_text(card, "sv") == "Efter målet: Arbetsgivarkontakter (st./mån.)."
    assert pk.off_track_text(card[card["metric_id"] != "employer_contacts"]) is None


def test_a_share_for_a_percentage_is_refused_with_the_hint(tmp_path):
    path = fill(template(tmp_path), values=[
        ["Alkutapaamisen toteutuminen 5 päivän sisällä (%)", "2023-09", "Koko alue", 0.875, None]])
    assert problems(path) == ["sheet 'Tiedot', row 2, column 'arvo' (D): 0.875 looks like a share, but "
                              "'initial_meeting_within_5_days_pct' is a percentage 0–100: did you mean 87.5 %?"]
    assert problems(path, lang="fi")[0] == ("välilehti 'Tiedot', rivi 2, sarake 'arvo' (D): 0,875 näyttää osuudelta, "
                                            "mutta 'initial_meeting_within_5_days_pct' on prosenttiluku 0–100: "
                                            "tarkoititko 87,5 %?")
    assert problems(path, lang="sv")[0].endswith("är en procentsats 0–100: menade du 87,5 %?")
    # a target typed as a share is refused the same way
    goal = fill(template(tmp_path), targets=[["initial_meeting_within_5_days_pct", 2027, "Koko alue", 0.9, None]])
    assert problems(goal)[0].startswith("sheet 'Tavoitteet', row 2, column 'tavoite' (D): 0.9 looks like a share")


def test_a_hidden_row_is_reported_by_sheet_and_row(tmp_path):
    path = fill(template(tmp_path), values=[["employer_contacts", "2023-09", "Kokkola", 120, None],
                                            ["employer_contacts", "2023-09", "Kannus", 7, None]])
    book = openpyxl.load_workbook(path)
    book["Tiedot"].row_dimensions[3].hidden = True
    book.save(path)
    assert problems(path) == ["sheet 'Tiedot', row 3: the row is hidden; unhide it (or delete it) and import again"]
    assert problems(path, lang="fi") == ["välilehti 'Tiedot', rivi 3: rivi on piilotettu; tuo se näkyviin (tai "
                                         "poista se) ja tuo työkirja uudelleen"]


# ------------------------------------------------------------------------------------------------
# Entries checked


def test_hidden_sheets_refused_when_read_and_reported_when_not(tmp_path, internal_dir, capsys):
    path = fill(template(tmp_path), values=[["employer_contacts", "2023-09", "Kokkola", 120, None]])
    book = openpyxl.load_workbook(path)
    book.create_sheet("Muistiinpanot").sheet_state = "hidden"
    book.save(path)
    result = wb.import_workbook(path, today=TODAY, user="tester")
    assert [str(n) for n in result.notices] == ["sheet 'Muistiinpanot': a hidden sheet; it was not read"]
    assert cli.main(["kpi-import", str(path)]) == 0
    assert "Muistiinpanot" in capsys.readouterr().out
    book["Tiedot"].sheet_state = "hidden"
    book.save(path)
    assert problems(path) == ["sheet 'Tiedot': the sheet is hidden; unhide it and import again"]


def test_a_hidden_column_with_a_value_is_refused(tmp_path):
    path = fill(template(tmp_path), values=[["employer_contacts", "2023-09", "Kokkola", 120, "huom"]])
    book = openpyxl.load_workbook(path)
    book["Tiedot"].column_dimensions["E"].hidden = True
    book.save(path)
    assert problems(path) == ["sheet 'Tiedot', row 2, column 'huomautus' (E): the column is hidden; unhide it and "
                              "import again"]


def test_only_real_dates_and_ascii_digits(tmp_path):
    path = fill(template(tmp_path), values=[
        ["employer_contacts", "2023-09-31", "Kokkola", 120, None],
        ["employer_contacts", "31.9.2023", "Kannus", 5, None],
        ["employer_contacts", "٢٠٢٣-٠٩", "Halsua", 5, None],          # Arabic-Indic digits
        ["employer_contacts", "2023-08", "Halsua", "١٢", None],
        ["employer_contacts", "2023-02-29", "Veteli", 5, None],       # 2023 is not a leap year
    ], targets=[["employer_contacts", "٢٠٢٧", "Koko alue", 100, None]])
    assert problems(path) == [
        "sheet 'Tiedot', row 2, column 'kuukausi' (B): '2023-09-31' is not a date in the calendar",
        "sheet 'Tiedot', row 3, column 'kuukausi' (B): '31.9.2023' is not a date in the calendar",
        "sheet 'Tiedot', row 4, column 'kuukausi' (B): '٢٠٢٣-٠٩' has digits other than 0–9; type the digits 0–9",
        "sheet 'Tiedot', row 5, column 'arvo' (D): '١٢' has digits other than 0–9; type the digits 0–9",
        "sheet 'Tiedot', row 6, column 'kuukausi' (B): '2023-02-29' is not a date in the calendar",
        "sheet 'Tavoitteet', row 2, column 'vuosi' (B): '٢٠٢٧' has digits other than 0–9; type the digits 0–9",
    ]
    ok = fill(template(tmp_path), values=[["employer_contacts", "2024-02-29", "Kokkola", 1, None]])
    assert wb.read_workbook(ok, today=dt.date(2024, 3, 1))["month"].tolist() == ["2024-02"]


def test_a_future_month_is_refused(tmp_path):
    path = fill(template(tmp_path), values=[["employer_contacts", "2023-11", "Kokkola", 1, None]])
    assert problems(path) == ["sheet 'Tiedot', row 2, column 'kuukausi' (B): 2023-11 is a future month "
                              "(today is 2023-10-05)"]


def test_encrypted_and_old_xls_workbooks_are_named_as_such(tmp_path):
    # An encrypted .xlsx is an OLE compound file holding the stream "EncryptedPackage" (MS-OFFCRYPTO 2.3.4);
    # these files are stand-ins with that header and stream name, not real encrypted workbooks.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    encrypted = tmp_path / "salattu.xlsx"
    encrypted.write_bytes(ole + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64)
    assert problems(encrypted) == ["sheet '-': the workbook is encrypted (password-protected); save it without a "
                                   "password and import again"]
    old = tmp_path / "vanha.xlsx"
    old.write_bytes(ole + "Workbook".encode("utf-16-le"))
    assert "an old .xls workbook" in problems(old)[0]
    assert "työkirja on salattu" in problems(encrypted, lang="fi")[0]


def test_text_that_could_run_as_a_formula_is_stored_as_text(tmp_path, internal_dir):
    notes = ["=HYPERLINK(\"http://x\",\"klikkaa\")", "+1", "-5 korjattu", "@SUM(A1)", "tavallinen"]
    rows = [["employer_contacts", f"2023-0{m}", "Kokkola", m, note] for m, note in enumerate(notes, start=1)]
    wb.import_workbook(fill(template(tmp_path), values=rows), today=TODAY, user="=cmd|' /C calc'!A0")
    with open(internal_dir / wb.HISTORY_NAME, encoding="utf-8", newline="") as fh:
        stored = list(csv.DictReader(fh))
    assert [r["note"] for r in stored] == ["'=HYPERLINK(\"http://x\",\"klikkaa\")", "'+1", "'-5 korjattu", "'@SUM(A1)",
                                           "tavallinen"]
    assert {r["imported_by"] for r in stored} == {"'=cmd|' /C calc'!A0"}
    assert not any(v.startswith(("=", "+", "-", "@")) for r in stored for v in r.values() if v)
    assert csv_safe("\t=1") == "'\t=1" and csv_safe("") == "" and csv_safe(None) == ""


# ------------------------------------------------------------------------------------------------
# Targets and history


def test_targets_are_imported_with_who_when_and_what_they_replaced(tmp_path, internal_dir):
    first = fill(template(tmp_path), targets=[["employer_contacts", 2027, "Koko alue", 200, None],
                                              ["Arbetsgivarkontakter (st./mån.)", 2027, "Karleby", 140, "kunta"]])
    r1 = wb.import_workbook(first, today=TODAY, now=dt.datetime(2027, 1, 10, 9), user="anna")
    assert (r1.rows, r1.targets, r1.targets_replaced) == (0, 2, 0)
    (tmp_path / "b").mkdir()
    second = fill(template(tmp_path / "b"), targets=[["employer_contacts", 2027, "Koko alue", 220, "korotettu"]])
    second = second.rename(tmp_path / "uusi.xlsx")
    r2 = wb.import_workbook(second, today=TODAY, now=dt.datetime(2027, 2, 1, 9), user="ville")
    assert (r2.import_seq, r2.targets, r2.targets_replaced) == (2, 1, 1)
    history = wb.load_target_history(internal_dir)
    assert history[["municipality", "target", "imported_by", "replaced", "source_file"]].values.tolist() == [
        ["keski-pohjanmaa", 200.0, "anna", "", "pohja.xlsx"], ["KU272", 140.0, "anna", "", "pohja.xlsx"],
        ["keski-pohjanmaa", 220.0, "ville", "200", "uusi.xlsx"]]
    current = wb.load_targets(internal_dir, "keski-pohjanmaa")
    assert current[["metric_id", "year", "municipality", "target", "note"]].values.tolist() == [
        ["employer_contacts", 2027, "KU272", 140.0, "kunta"], ["employer_contacts", 2027, "keski-pohjanmaa", 220.0,
                                                                "korotettu"]]
    assert not (internal_dir / wb.HISTORY_NAME).exists()  # no values were in these workbooks


def test_value_history_records_who_and_what_was_replaced(tmp_path, internal_dir):
    path = fill(template(tmp_path), values=[["employer_contacts", "2023-09", "Kokkola", 120, None]])
    wb.import_workbook(path, today=TODAY, user="anna")
    fill(path, values=[["employer_contacts", "2023-09", "Kokkola", 125, "korjattu"]])
    result = wb.import_workbook(path, today=TODAY, user="ville")
    assert result.replaced == 1
    history = wb.load_history(internal_dir)
    assert history[["value", "imported_by", "replaced"]].values.tolist() == [[120.0, "anna", ""],
                                                                            [125.0, "ville", "120"]]


def test_targets_sheet_checks_year_metric_and_municipality(tmp_path):
    path = fill(template(tmp_path), targets=[["Kahvinkulutus", 2027, "Koko alue", 1, None],
                                             ["employer_contacts", "ensi vuonna", "Koko alue", 1, None],
                                             ["employer_contacts", 2027, "Vaasa", 1, None],
                                             ["employer_contacts", 2027, "Koko alue", None, None],
                                             ["employer_contacts", 2028, "Koko alue", 10, None],
                                             ["employer_contacts", 2028, "Koko alue", 12, None]])
    assert problems(path) == [
        "sheet 'Tavoitteet', row 2, column 'mittari' (A): unknown metric 'Kahvinkulutus'; use an id or name from "
        "sheet 'Mittarit'",
        "sheet 'Tavoitteet', row 3, column 'vuosi' (B): 'ensi vuonna' is not a year; write e.g. 2027",
        "sheet 'Tavoitteet', row 4, column 'kunta' (C): unknown municipality 'Vaasa'; use a name from sheet 'Kunnat' "
        "or 'Koko alue'",
        "sheet 'Tavoitteet', row 5, column 'tavoite' (D): the target is empty; leave the row out if no target is set",
        "sheet 'Tavoitteet', row 7, column 'mittari' (A): duplicate row: employer_contacts, 2028, Koko alue is "
        "already on row 6",
    ]


# ------------------------------------------------------------------------------------------------
# Status, like-with-like change, baseline, municipality pages


def values_frame(records: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=["metric_id", "month", "municipality", "value"])
    frame.insert(0, "area", "keski-pohjanmaa")
    return frame.assign(note="", imported_at="", import_seq=1, source_file="test.xlsx")


def test_change_compares_the_same_municipalities_or_says_why_not(store, kp_area):
    scope = Scope.of(store, kp_area, "2023Q3")
    # August: Kokkola only; September: Kokkola and Kannus. The value is 130 + 12 = 142; the plain difference
    # 142 - 135 = +7 compares two municipalities with one, so the change is Kokkola's own: 130 - 135 = -5.
    values = values_frame([("employer_contacts", "2023-08", "KU272", 135), ("employer_contacts", "2023-09", "KU272", 130),
                           ("employer_contacts", "2023-09", "KU217", 12),
                           ("booked_client_meetings", "2023-08", "keski-pohjanmaa", 900),
                           ("booked_client_meetings", "2023-09", "KU272", 700)])
    card = kpi.scorecard(scope, values, reviews=NO_REVIEWS).set_index("metric_id")
    contacts = card.loc["employer_contacts"]
    assert (contacts["value"], contacts["previous_value"]) == (142.0, 135.0)
    assert (contacts["change"], contacts["change_basis"], contacts["change_detail"]) == (-5.0, kpi.CHANGE_COMMON,
                                                                                         "KU272")
    meetings = card.loc["booked_client_meetings"]  # a whole-area figure against one municipality's
    assert math.isnan(meetings["change"]) and meetings["change_basis"] == kpi.CHANGE_NOT_COMPARABLE
    shown = card.reset_index().set_index("metric_id", drop=False).loc[["employer_contacts", "booked_client_meetings"]]
    table = pk.scorecard_table(shown, pd.DataFrame(columns=["metric_id", "component", "period", "value"]), "2023Q3")
    assert table["Muutos"].tolist() == ["−5 (vain samat kunnat: Kokkola)",
                                        "ei vertailukelpoinen (eri kunnat tai kuukaudet)"]


def test_a_period_before_the_plan_is_the_baseline():
    assert wb.PLAN_START_YEAR == 2027
    assert kpi.is_baseline(SimpleNamespace(last_month="2026-12"))
    assert not kpi.is_baseline(SimpleNamespace(last_month="2027-03"))


def test_municipality_values_with_the_municipality_s_own_target(store, kp_area):
    scope = Scope.of(store, kp_area, "2023Q3")
    values = values_frame([("employer_contacts", "2023-08", "KU217", 10), ("employer_contacts", "2023-09", "KU217", 12),
                           ("employer_contacts", "2023-09", "KU272", 130),
                           ("start_up_grants_granted", "2023-02", "KU217", 1),
                           ("start_up_grants_granted", "2023-09", "KU217", 2),
                           ("customer_satisfaction", "2023-09", "keski-pohjanmaa", 4.2)])
    targets = pd.DataFrame([("keski-pohjanmaa", "employer_contacts", 2023, "KU217", 20.0, ""),
                            ("keski-pohjanmaa", "employer_contacts", 2023, "keski-pohjanmaa", 100.0, "")],
                           columns=list(wb.TARGET_COLUMNS))
    kannus = kpi.municipality_values(scope, values, "KU217", targets=targets).set_index("metric_id")
    assert kannus.index.tolist() == ["employer_contacts", "start_up_grants_granted"]  # counts only, own rows only
    contacts = kannus.loc["employer_contacts"]
    assert (contacts["period"], contacts["value"], contacts["change"], contacts["target"], contacts["status"]) == \
        ("2023-09", 12.0, 2.0, 20.0, kpi.OFF_TRACK)  # 12 < 20 - 2
    grants = kannus.loc["start_up_grants_granted"]
    assert (grants["period"], grants["value"], grants["status"]) == ("2023", 3.0, kpi.NO_TARGET)
    assert kpi.municipality_values(scope, None, "KU217").empty


def test_a_missing_previous_period_is_said_not_hidden(store, kp_area):
    # 12r5 vacancies for 2026 are in the embedded snapshot for quarter-end months only: June has no May to compare with
    card = kpi.scorecard(Scope.of(store, kp_area, "2026Q2"), None, reviews=NO_REVIEWS).set_index("metric_id")
    vacancies = card.loc["open_vacancies"]
    assert (vacancies["period"], vacancies["previous_period"]) == ("2026-06", "2026-05")
    assert math.isnan(vacancies["previous_value"]) and vacancies["change_basis"] == kpi.CHANGE_NO_PREVIOUS
    table = pk.scorecard_table(card.reset_index().iloc[[0]], pd.DataFrame(columns=["metric_id", "component", "period",
                                                                                  "value"]), "2026Q2", "sv")
    assert table["Förändring"].tolist() == ["– (uppgift för föregående period saknas)"]


def test_a_history_written_before_the_audit_columns_still_reads(tmp_path, internal_dir):
    internal_dir.mkdir()
    (internal_dir / wb.HISTORY_NAME).write_text(
        "area,metric_id,month,municipality,value,note,imported_at,import_seq,source_file\n"
        "keski-pohjanmaa,employer_contacts,2023-08,KU272,100,,2023-09-05T08:00:00,1,vanha.xlsx\n", encoding="utf-8")
    path = fill(template(tmp_path), values=[["employer_contacts", "2023-08", "Kokkola", 1234567, None]])
    result = wb.import_workbook(path, today=TODAY, user="anna")
    assert (result.import_seq, result.replaced) == (2, 1)
    history = wb.load_history(internal_dir)
    assert history[["value", "imported_by", "replaced"]].values.tolist() == [[100.0, "", ""],
                                                                            [1234567.0, "anna", "100"]]


def test_the_off_track_metric_is_named_on_the_main_page_s_first_screen(tmp_path, internal_dir, store, kp_area):
    """Issue 29's "done when": a target and an off-track value filled into the template put the metric by name
    in the first screen's plan box, in Finnish and Swedish."""
    from analysis.indicators.review import compute_facts
    from analysis.present import review_page

    path = fill(template(tmp_path),
                values=[["Työnantajakontaktit (kpl/kk)", "2023-09", "Koko alue", 120, None]],
                targets=[["Työnantajakontaktit (kpl/kk)", 2023, "Koko alue", 200, None]])
    wb.import_workbook(path, today=TODAY, now=dt.datetime(2023, 10, 5, 8), user="tester")
    scope = Scope.of(store, kp_area, "2023Q3")
    card, _points, _internal = pk.build(scope, "imported", reviews=NO_REVIEWS)
    facts = compute_facts(scope, card, (None, None))
    for lang, name in (("fi", "Työnantajakontaktit (kpl/kk)"), ("sv", "Arbetsgivarkontakter (st./mån.)")):
        first = "".join(b.data for b in review_page.main_blocks(facts, lang)[:1])
        assert 'class="plan"' in first and name in first


def test_each_municipality_page_shows_its_own_values_of_the_municipal_metrics(tmp_path, internal_dir, store, kp_area):
    from analysis.indicators.review import compute_facts
    from analysis.present import municipality_page
    from analysis.review import facts as review_facts

    path = fill(template(tmp_path),
                values=[["Työnantajakontaktit (kpl/kk)", "2023-09", "Perho", 12, None],
                        ["Työnantajakontaktit (kpl/kk)", "2023-08", "Perho", 9, None],
                        ["Työnantajakontaktit (kpl/kk)", "2023-09", "Kokkola", 150, None]],
                targets=[["Työnantajakontaktit (kpl/kk)", 2023, "Perho", 10, None]])
    wb.import_workbook(path, today=TODAY, now=dt.datetime(2023, 10, 5, 8), user="tester")
    scope = Scope.of(store, kp_area, "2023Q3")
    _card, _points, internal = pk.build(scope, "imported", reviews=NO_REVIEWS)
    facts = dataclasses.replace(compute_facts(scope), municipal_metrics=review_facts.municipal_metrics(scope, internal))
    perho = "".join(b.data for b in municipality_page.municipality_blocks(facts, "KU584", "fi"))
    assert "Toimintasuunnitelman mittarit kunnassa" in perho and "Työnantajakontaktit (kpl/kk)" in perho
    assert ">12<" in perho  # its own value
    assert "+3" in perho and "✓ tavoitteessa" in perho  # 12 against 9 a month earlier; its own target 10
    assert "150" not in perho  # Kokkola's value stays on Kokkola's page
    halsua = "".join(b.data for b in municipality_page.municipality_blocks(facts, "KU074", "fi"))
    assert "Toimintasuunnitelman mittarit kunnassa" not in halsua  # nothing reported for Halsua
