"""Bad input never gets past the door (issue 11): one parameterized case per hostile input.

Every case asserts that the message names the place (file and row/column, or key, cell, URL) and
that nothing published (``outputs/``) or stored (the fetched store) changed. The published review
and the store here are TEST FIXTURES in a temporary folder: a tiny store of real embedded 12r5
values (three areas, 2023) and a placeholder review page.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from analysis import cli, config
from analysis.errors import DataValidationError, UserError
from analysis.review import index, params
from analysis.schema import PROVENANCE_COLUMNS, Store
from analysis.sources import embedded
from analysis.sources import workbook as wb
from analysis.sources.px import PxFileError, read_px
from analysis.store import refresh
from analysis.store.store import read_store, write_store

RAW = config.RAW_DIR
R5 = embedded.FILES["12r5"]
T159 = embedded.FILES["159t"]
AREAS = ["MK16", "KU272", "KU074"]
UPDATED = "2024-12-23T08:00"


# --- the guarded environment --------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_store(store) -> Store:
    """Real embedded 12r5 values of three areas in 2023, as if fetched (updated 2024-12-23)."""
    obs = store.observations
    obs = obs[(obs["table_id"] == "12r5") & obs["area_code"].isin(AREAS) & obs["period"].str.startswith("2023")]
    prov = pd.DataFrame([{"table_id": "12r5", "title_fi": "12r5", "producer": "Tilastokeskus", "citation": "",
                          "origin": "pxweb", "last_updated": UPDATED, "fetched_at": "2024-12-24T00:00:00Z",
                          "snapshot": ""}], columns=list(PROVENANCE_COLUMNS))
    return Store(obs.reset_index(drop=True), prov)


@dataclass
class Env:
    tmp: Path
    raw: Path
    fetched: Path
    outputs: Path
    capsys: pytest.CaptureFixture
    monkeypatch: pytest.MonkeyPatch

    def raw_file(self, name: str) -> Path:
        """A copy of one embedded file to corrupt (the real data/raw is never touched)."""
        target = self.raw / name
        if not target.exists():
            shutil.copy(RAW / name, target)
        return target


@pytest.fixture
def env(tmp_path, small_store, capsys, monkeypatch) -> Env:
    raw, fetched, outputs = tmp_path / "raw", tmp_path / "fetched", tmp_path / "outputs"
    raw.mkdir()
    write_store(small_store, fetched)
    review = outputs / "keski-pohjanmaa" / "2023Q3" / "fi"
    review.mkdir(parents=True)
    (review / "review.html").write_text("<html>published review (test fixture)</html>", encoding="utf-8")
    (review / "run.json").write_text(json.dumps({"area": "keski-pohjanmaa", "area_name": "Keski-Pohjanmaa",
                                                 "period": "2023Q3", "lang": "fi", "data_vintage": "test",
                                                 "made_at": "2026-01-01"}), encoding="utf-8")
    index.write_index(outputs)
    monkeypatch.setattr(config, "FETCHED_DIR", fetched)
    monkeypatch.setattr(config, "OUTPUTS_DIR", outputs)
    capsys.readouterr()
    return Env(tmp_path, raw, fetched, outputs, capsys, monkeypatch)


def snapshot(env: Env) -> dict[str, tuple[bytes, int]]:
    """Every published and stored file with its content and mode (the lock file aside)."""
    out = {}
    for root in (env.fetched, env.outputs):
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.name != ".publish.lock":
                out[str(path)] = (path.read_bytes(), path.stat().st_mode)
            elif path.is_dir():
                out[str(path)] = (b"<dir>", path.stat().st_mode)
    return out


def message_of(fn, exc_type: type[BaseException] = UserError) -> str:
    with pytest.raises(exc_type) as err:
        fn()
    return str(err.value)


def cli_error(env: Env, argv: list[str], code: int = 2) -> str:
    assert cli.main(argv) == code
    err = env.capsys.readouterr().err
    assert "Traceback" not in err
    return err


# --- corrupting helpers -------------------------------------------------------------------------

def edit_lines(path: Path, edit) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    edit(lines)
    path.write_text("".join(lines), encoding="utf-8")


def set_field(path: Path, line: int, column: str, value: str) -> None:
    def edit(lines):
        header = lines[0].rstrip("\n").split(",")
        fields = lines[line - 1].rstrip("\n").split(",")
        fields[header.index(column)] = value
        lines[line - 1] = ",".join(fields) + "\n"
    edit_lines(path, edit)


def load_r5(env: Env):
    return embedded.load_12r5(env.raw)


PX_HEADER = '''CHARSET="ANSI";
CODEPAGE="iso-8859-15";
LANGUAGE="fi";
MATRIX="001_12r5_2024";
TABLEID="statfin_tyonv_pxt_12r5";
TITLE="12r5 -- test";
STUB="Kuukausi";
HEADING="Tiedot","Alue";
CONTVARIABLE="Tiedot";
VALUES("Kuukausi")="2023M01","2023M02";
VALUES("Tiedot")="Työttömät työnhakijat","Työvoima";
VALUES("Alue")="Halsua";
CODES("Kuukausi")="2023M01","2023M02";
CODES("Tiedot")="TYOTTOMATLOPUSSA","TYOVOIMATK";
CODES("Alue")="KU074";
LAST-UPDATED("Työttömät työnhakijat")="{updated}";
'''


def write_px(env: Env, data: str, name: str = "bad.px", updated: str = "20250110 08:00",
             header: str = PX_HEADER) -> Path:
    path = env.tmp / name
    path.write_bytes((header.format(updated=updated) + f"DATA=\n{data};\n").encode("iso-8859-15"))
    return path


def px_fetch(env: Env, path: Path, *extra: str) -> str:
    return cli_error(env, ["fetch", "--px-file", str(path), *extra])


def fake_api(env: Env, mutate) -> str:
    """``fetch`` with an API answer (real values of the store, then ``mutate``d) and the exit code."""
    good = read_store(env.fetched)
    obs = mutate(good.observations.copy())
    prov = good.provenance.copy()
    if isinstance(obs, tuple):
        obs, prov = obs
    result = SimpleNamespace(table_id="12r5", observations=obs, provenance=prov, from_cache=False, posts=1,
                             notes=[])
    env.monkeypatch.setattr(refresh, "fetch_api", lambda client, specs, refresh_: ([result], []))
    client = SimpleNamespace(base_url="http://127.0.0.1:9/PxWeb/api/v1/fi/")
    code = refresh.run_fetch(["12r5"], None, False, None, folder=env.fetched, client=client)
    captured = env.capsys.readouterr()
    return f"exit {code}\n{captured.err}"


def set_value(obs: pd.DataFrame, measure: str, value: float, area: str = "KU074", period: str = "2023-05"):
    mask = (obs["measure"] == measure) & (obs["area_code"] == area) & (obs["period"] == period)
    assert mask.sum() == 1
    obs.loc[mask, "value"] = value
    return obs


def make_book(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = wb.DATA_SHEET
    ws.append(["mittari", "kuukausi", "kunta", "arvo", "huomautus"])
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def kpi_import(env: Env, rows: list[list[object]]) -> str:
    env.monkeypatch.setattr(config, "INTERNAL_DIR", env.tmp / "internal")
    path = make_book(env.tmp / "kpi.xlsx", rows)
    return cli_error(env, ["kpi-import", str(path)])


def write_yaml(env: Env, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = env.tmp / name
    path.write_bytes(text.encode(encoding))
    return path


# --- the cases ----------------------------------------------------------------------------------

def _truncated_mid_row(env):
    path = env.raw_file(R5)
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join(lines[:3000]) + b"\n" + lines[3000][:12])  # line 3001 cut after 12 characters
    return message_of(lambda: load_r5(env))


def _truncated_last_field(env):
    path = env.raw_file(R5)
    path.write_bytes(path.read_bytes()[:-2])  # "…,399\n" -> "…,39"
    return message_of(lambda: load_r5(env))


def _short_row(env):
    path = env.raw_file(R5)
    edit_lines(path, lambda lines: lines.__setitem__(100, lines[100].rsplit(",", 1)[0] + "\n"))
    return message_of(lambda: load_r5(env))


def _extra_field(env):
    path = env.raw_file(R5)
    edit_lines(path, lambda lines: lines.__setitem__(100, lines[100].rstrip("\n") + ",7\n"))
    return message_of(lambda: load_r5(env))


def _empty_file(env):
    env.raw_file(R5).write_bytes(b"")
    return message_of(lambda: load_r5(env))


def _blank_file(env):
    env.raw_file(R5).write_bytes(b"\n\n  \n")
    return message_of(lambda: load_r5(env))


def _header_only(env):
    path = env.raw_file(R5)
    path.write_bytes(path.read_bytes().split(b"\n")[0] + b"\n")
    return message_of(lambda: load_r5(env))


def _latin1_byte(env):
    path = env.raw_file(R5)
    lines = path.read_bytes().split(b"\n")
    lines[39] = lines[39].replace("ä".encode(), b"\xe4")  # "Etelä-Karjala" with an ISO-8859-1 "ä"
    path.write_bytes(b"\n".join(lines))
    return message_of(lambda: load_r5(env))


def _utf16_csv(env):
    path = env.raw_file(R5)
    path.write_bytes(path.read_text(encoding="utf-8")[:2000].encode("utf-16"))
    return message_of(lambda: load_r5(env))


def _swapped_headers(env):
    path = env.raw_file(R5)
    edit_lines(path, lambda lines: lines.__setitem__(0, lines[0].replace("unemployed_jobseekers,labour_force",
                                                                         "labour_force,unemployed_jobseekers")))
    return message_of(lambda: load_r5(env))


def _negative_count(env):
    set_field(env.raw_file(R5), 50, "unemployed_jobseekers", "-3")
    return message_of(lambda: load_r5(env))


def _fraction_count(env):
    set_field(env.raw_file(R5), 50, "unemployed_jobseekers", "12.5")
    return message_of(lambda: load_r5(env))


def _infinite_count(env):
    set_field(env.raw_file(R5), 50, "labour_force", "inf")
    return message_of(lambda: load_r5(env))


def _text_count(env):
    set_field(env.raw_file(R5), 50, "labour_force", "12O0")
    return message_of(lambda: load_r5(env))


def _unemployed_above_labour_force(env):
    set_field(env.raw_file(R5), 50, "unemployed_jobseekers", "99999999")
    return message_of(lambda: load_r5(env))


def _rate_above_100(env):
    set_field(env.raw_file(T159), 3, "foreign_language_share_pct", "104.0")
    return message_of(lambda: embedded.load_159t(env.raw))


def _px_negative(env):
    return px_fetch(env, write_px(env, "-5 1000\n6 1000"))


def _px_corrupt_l(env):
    return px_fetch(env, write_px(env, "5 1000\n2l.0 1000"))


def _px_corrupt_b(env):
    return px_fetch(env, write_px(env, "44B.0 1000\n6 1000"))


def _px_unknown_marker(env):
    return px_fetch(env, write_px(env, '5 1000\n"NA" 1000'))


def _px_infinite(env):
    return px_fetch(env, write_px(env, "5 1e999\n6 1000"))


def _px_swapped(env):
    return px_fetch(env, write_px(env, "1000 5\n6 1000"))


def _px_fraction(env):
    return px_fetch(env, write_px(env, "5.5 1000\n6 1000"))


def _px_rate_above_100(env):
    header = PX_HEADER.replace('"TYOTTOMATLOPUSSA","TYOVOIMATK"', '"TYOTTOMATLOPUSSA","TYOTOSUUS"')
    return px_fetch(env, write_px(env, "5 140.2\n6 10.0", header=header))


def _api_negative(env):
    return fake_api(env, lambda obs: set_value(obs, "unemployed_jobseekers", -40))


def _api_rate(env):
    return fake_api(env, lambda obs: set_value(obs, "labour_force", float("inf")))


def _api_swapped(env):
    return fake_api(env, lambda obs: set_value(obs, "unemployed_jobseekers", 1_000_000))


def _api_fraction(env):
    return fake_api(env, lambda obs: set_value(obs, "open_vacancies", 3.25))


def _api_updated_backwards(env):
    def mutate(obs):
        prov = read_store(env.fetched).provenance.copy()
        prov["last_updated"] = "2024-06-01T08:00:00Z"
        return obs, prov
    return fake_api(env, mutate)


def _api_fewer_months(env):
    return fake_api(env, lambda obs: obs[obs["period"] <= "2023-03"].copy())


def _px_older_vintage(env):
    return cli_error(env, ["fetch", "--px-file", str(write_px(env, "5 1000\n6 1000", updated="20240101 08:00"))],
                     code=0)


def _px_shorter(env):
    header = (PX_HEADER.replace('VALUES("Kuukausi")="2023M01","2023M02"', 'VALUES("Kuukausi")="2022M01","2022M02"')
              .replace('CODES("Kuukausi")="2023M01","2023M02"', 'CODES("Kuukausi")="2022M01","2022M02"'))
    return cli_error(env, ["fetch", "--px-file", str(write_px(env, "5 1000\n6 1000", header=header))], code=0)


def _index_list_json(env):
    bad = env.outputs / "keski-pohjanmaa" / "2023Q2" / "fi" / "run.json"
    bad.parent.mkdir(parents=True)
    bad.write_text("[1, 2]", encoding="utf-8")
    records = index.collect(env.outputs)
    assert [r["period"] for r in records] == ["2023Q3"]
    out = env.capsys.readouterr().err
    shutil.rmtree(bad.parent.parent)  # the guard compares the rest
    return out


def _index_truncated_json(env):
    bad = env.outputs / "keski-pohjanmaa" / "2023Q2" / "fi" / "run.json"
    bad.parent.mkdir(parents=True)
    bad.write_text('{"area": "keski-pohjanmaa", "period": "20', encoding="utf-8")
    records = index.collect(env.outputs)
    assert [r["period"] for r in records] == ["2023Q3"]
    out = env.capsys.readouterr().err
    shutil.rmtree(bad.parent.parent)
    return out


def _index_wrong_types(env):
    bad = env.outputs / "keski-pohjanmaa" / "2023Q2" / "fi" / "run.json"
    bad.parent.mkdir(parents=True)
    bad.write_text('{"area": 5, "period": ["2023Q2"], "lang": "fi"}', encoding="utf-8")
    records = index.collect(env.outputs)
    assert len(records) == 1
    out = env.capsys.readouterr().err
    shutil.rmtree(bad.parent.parent)
    return out


def _period_newline(env):
    return cli_error(env, ["review", "--period", "2023Q3\n", "--output-dir", str(env.outputs)])


def _period_space(env):
    return cli_error(env, ["review", "--period", " 2023Q3", "--output-dir", str(env.outputs)])


def _area_newline(env):
    return cli_error(env, ["review", "--area", "keski-pohjanmaa\n", "--period", "2023Q3",
                           "--output-dir", str(env.outputs)])


def _params_lang_number(env):
    path = write_yaml(env, "2023Q3.yaml", "period: 2023Q3\nlang: 5\n")
    return message_of(lambda: params.read_params_file(path))


def _params_area_list(env):
    path = write_yaml(env, "2023Q3.yaml", "period: 2023Q3\narea: [keski-pohjanmaa, kokkola]\n")
    return message_of(lambda: params.read_params_file(path))


def _params_invalid_yaml(env):
    path = write_yaml(env, "2023Q3.yaml", "period: 2023Q3\narea: [keski-pohjanmaa\n")
    return message_of(lambda: params.read_params_file(path))


def _params_utf16(env):
    path = write_yaml(env, "2023Q3.yaml", "period: 2023Q3\n", encoding="utf-16")
    return message_of(lambda: params.read_params_file(path))


def _areas_missing(env):
    return message_of(lambda: config.load_areas(env.tmp / "areas.yaml"))


def _areas_latin1(env):
    path = write_yaml(env, "areas.yaml", "default: a\nareas:\n  a: {name_fi: Lestijärvi}\n", encoding="iso-8859-1")
    return message_of(lambda: config.load_areas(path))


def _areas_utf16(env):
    path = write_yaml(env, "areas.yaml", "default: a\nareas: {}\n", encoding="utf-16")
    return message_of(lambda: config.load_areas(path))


def _csv_unbalanced_quote(env):
    set_field(env.raw_file(R5), 60, "area_name", '"Kokkola')
    return message_of(lambda: load_r5(env))


def _index_not_utf8(env):
    bad = env.outputs / "keski-pohjanmaa" / "2023Q2" / "fi" / "run.json"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b'{"area": "Lestij\xe4rvi", "period": "2023Q2", "lang": "fi"}')
    index.collect(env.outputs)
    out = env.capsys.readouterr().err
    shutil.rmtree(bad.parent.parent)
    return out


def _areas_invalid_yaml(env):
    path = write_yaml(env, "areas.yaml", "default: a\nareas:\n  a: {name_fi: x\n  b: 1\n")
    return message_of(lambda: config.load_areas(path))


def _areas_code_newline(env):
    path = write_yaml(env, "areas.yaml", 'default: a\nareas:\n  a: {name_fi: A, name_sv: A, region: MK16, '
                      'members: ["KU074\\n"]}\n')
    return message_of(lambda: config.load_areas(path))


def _members_not_in_data(env):
    area = config.Area("test", "Testi", "Test", "MK16", ("KU074", "KU999"))
    return message_of(lambda: params.check_members_in_data(area, read_store(env.fetched)))


def _members_not_in_data_cli(env):
    real = config.get_area
    fake = config.Area("test-area", "Testi", "Test", "MK16", ("KU074", "KU999"))
    env.monkeypatch.setattr(config, "get_area", lambda slug, path=config.AREAS_FILE:
                            fake if slug == "test-area" else real(slug, path))
    return cli_error(env, ["review", "--area", "test-area", "--period", "2023Q3", "--output-dir",
                           str(env.outputs)])


def _data_source_without_store(env):
    empty = env.tmp / "nostore"
    empty.mkdir()
    return cli_error(env, ["review", "--period", "2023Q3", "--data-source", str(empty),
                           "--output-dir", str(env.outputs)])


def _output_dir_is_file(env):
    path = env.tmp / "afile"
    path.write_text("x", encoding="utf-8")
    return cli_error(env, ["review", "--output-dir", str(path)])


def _output_dir_name_too_long(env):
    return cli_error(env, ["review", "--output-dir", str(env.tmp / ("a" * 300))])


def _kpi_huge(env):
    return kpi_import(env, [["employer_contacts", "2025-01", "Kokkola", 1e300, None]])


def _kpi_infinite(env):
    return kpi_import(env, [["employer_contacts", "2025-01", "Kokkola", float("inf"), None]])


def _kpi_formula_without_value(env):
    return kpi_import(env, [["employer_contacts", "2025-01", "Kokkola", "=B7*3", None]])


def _kpi_pct_above_100(env):
    return kpi_import(env, [["newsletter_open_rate_pct", "2025-01", "Koko alue", 140, None]])


def _publish_read_only(env):
    from analysis.review import publish

    work = env.outputs / "keski-pohjanmaa" / "2023Q3" / ".fi-building-1-x"
    work.mkdir()

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))
    env.monkeypatch.setattr(publish.os, "replace", refuse)
    env.monkeypatch.setattr(publish, "exchange", refuse)
    msg = message_of(lambda: publish.publish(work, env.outputs / "keski-pohjanmaa" / "2023Q3" / "fi", True,
                                              env.outputs))
    env.monkeypatch.undo()
    shutil.rmtree(work)
    return msg


def _publish_exists(env):
    from analysis.review import publish

    work = env.outputs / "keski-pohjanmaa" / "2023Q3" / ".fi-building-1-y"
    work.mkdir()
    msg = message_of(lambda: publish.publish(work, env.outputs / "keski-pohjanmaa" / "2023Q3" / "fi", False,
                                              env.outputs))
    shutil.rmtree(work)
    return msg


CASES = [
    # raw CSV: field counts, encoding, empty files
    ("csv-truncated-mid-row", _truncated_mid_row, [R5, "row 3001", "has 2 field(s), the header has 7"]),
    ("csv-truncated-last-field", _truncated_last_field, [R5, "row 6421", "ends in the middle of a row"]),
    ("csv-short-row", _short_row, [R5, "row 101", "has 6 field(s), the header has 7"]),
    ("csv-extra-field", _extra_field, [R5, "row 101", "has 8 field(s)", "extra field"]),
    ("csv-empty-file", _empty_file, [R5, "the file is empty"]),
    ("csv-blank-file", _blank_file, [R5, "the file is empty"]),
    ("csv-header-only", _header_only, [R5, "no data rows"]),
    ("csv-latin1-byte", _latin1_byte, [R5, "row 40", "0xE4 is not UTF-8"]),
    ("csv-utf16", _utf16_csv, [R5, "row 1", "is not UTF-8"]),
    # plausibility of embedded values
    ("csv-swapped-headers", _swapped_headers, [R5, "row 2", "column 'unemployed_jobseekers'", "swapped"]),
    ("csv-negative-count", _negative_count, [R5, "row 50", "column 'unemployed_jobseekers'", "below 0"]),
    ("csv-fraction-count", _fraction_count, [R5, "row 50", "not a whole number"]),
    ("csv-infinite-count", _infinite_count, [R5, "row 50", "column 'labour_force'", "not a finite number"]),
    ("csv-text-count", _text_count, [R5, "row 50", "'12O0' is not a number"]),
    ("csv-unemployed-above-labour-force", _unemployed_above_labour_force,
     [R5, "row 50", "exceed the labour force"]),
    ("csv-rate-above-100", _rate_above_100, [T159, "row 3", "foreign_language_share_pct", "above 100"]),
    # .px files
    ("px-negative", _px_negative, ["bad.px", "period 2023-01", "area KU074", "unemployed_jobseekers", "-5 is negative"]),
    ("px-corrupt-2l", _px_corrupt_l, ["bad.px", "cell 3", "Kuukausi=2023M02", "'2l.0'"]),
    ("px-corrupt-44B", _px_corrupt_b, ["bad.px", "cell 1", "Tiedot=TYOTTOMATLOPUSSA", "'44B.0'"]),
    ("px-unknown-marker", _px_unknown_marker, ["bad.px", "cell 3", "'NA'", "missing marker"]),
    ("px-infinite", _px_infinite, ["bad.px", "labour_force", "not a finite number"]),
    ("px-swapped-measures", _px_swapped, ["bad.px", "period 2023-01", "area KU074", "exceed the labour force"]),
    ("px-fraction", _px_fraction, ["bad.px", "unemployed_jobseekers", "5.5 is not a whole number"]),
    ("px-rate-above-100", _px_rate_above_100, ["bad.px", "unemployment_rate_pct", "140.2 is outside 0–100"]),
    # fetched API tables: the same rules
    ("api-negative", _api_negative, ["exit 1", "127.0.0.1", "table 12r5", "period 2023-05", "area KU074",
                                     "-40 is negative"]),
    ("api-infinite", _api_rate, ["exit 1", "table 12r5", "area KU074", "labour_force", "not a finite number"]),
    ("api-swapped", _api_swapped, ["exit 1", "period 2023-05", "exceed the labour force"]),
    ("api-fraction", _api_fraction, ["exit 1", "open_vacancies", "3.25 is not a whole number"]),
    # older or shorter data is refused, the stored table kept
    ("api-updated-backwards", _api_updated_backwards, ["exit 0", "table 12r5 not replaced", "older than the stored",
                                                        "kept the stored table (2023-01–2023-12, 3 areas)",
                                                        "--allow-older"]),
    ("api-fewer-months", _api_fewer_months, ["exit 0", "ends in 2023-03", "the stored table in 2023-12",
                                             "kept the stored table"]),
    ("px-older-vintage", _px_older_vintage, ["older than the stored", "kept the stored table", "--allow-older"]),
    ("px-shorter", _px_shorter, ["ends in 2022-02", "kept the stored table"]),
    # the index skips what it cannot read
    ("index-run-json-list", _index_list_json, ["2023Q2/fi/run.json", "is not a review record", "left out"]),
    ("index-run-json-truncated", _index_truncated_json, ["2023Q2/fi/run.json", "not valid JSON", "left out"]),
    ("index-run-json-types", _index_wrong_types, ["2023Q2/fi/run.json", "area, period"]),
    # parameters that become paths: full matches
    ("period-trailing-newline", _period_newline, ["period '2023Q3\\n'", "YYYYQn"]),
    ("period-leading-space", _period_space, ["period ' 2023Q3'", "YYYYQn"]),
    ("area-trailing-newline", _area_newline, ["unknown area 'keski-pohjanmaa\n'", "areas.yaml"]),
    # configuration files
    ("params-lang-number", _params_lang_number, ["2023Q3.yaml", "key 'lang'", "got int 5"]),
    ("params-area-list", _params_area_list, ["2023Q3.yaml", "key 'area'", "got list"]),
    ("params-invalid-yaml", _params_invalid_yaml, ["2023Q3.yaml", "line 3", "not valid YAML"]),
    ("params-utf16", _params_utf16, ["2023Q3.yaml", "UTF-16"]),
    ("areas-missing", _areas_missing, ["areas.yaml", "file not found"]),
    ("areas-latin1", _areas_latin1, ["areas.yaml", "line 3", "0xE4 is not UTF-8"]),
    ("areas-utf16", _areas_utf16, ["areas.yaml", "UTF-16"]),
    ("csv-unbalanced-quote", _csv_unbalanced_quote, [R5, "row 60"]),
    ("index-run-json-not-utf8", _index_not_utf8, ["2023Q2/fi/run.json", "not UTF-8", "left out"]),
    ("areas-invalid-yaml", _areas_invalid_yaml, ["areas.yaml", "not valid YAML"]),
    ("areas-code-newline", _areas_code_newline, ["areas.yaml", "area 'a'", "is not a StatFin area code"]),
    ("members-not-in-data", _members_not_in_data, ["areas.yaml", "area 'test'", "key 'members'", "KU999"]),
    ("members-not-in-data-cli", _members_not_in_data_cli, ["areas.yaml", "area 'test-area'", "key 'members'",
                                                           "KU999 is not a StatFin area code"]),
    ("data-source-without-store", _data_source_without_store, ["nostore", "observations.csv.gz", "not found"]),
    ("output-dir-is-file", _output_dir_is_file, ["--output-dir", "afile", "is a file"]),
    ("output-dir-name-300", _output_dir_name_too_long, ["--output-dir", "300 characters", "255"]),
    # the KPI workbook
    ("kpi-1e300", _kpi_huge, ["kpi.xlsx", "sheet 'Tiedot', row 2, column 'arvo' (D)", "1e+300", "outside"]),
    ("kpi-infinite", _kpi_infinite, ["kpi.xlsx", "row 2", "column 'arvo' (D)"]),
    ("kpi-formula-without-value", _kpi_formula_without_value, ["kpi.xlsx", "row 2", "formula =B7*3",
                                                               "no saved value"]),
    ("kpi-pct-above-100", _kpi_pct_above_100, ["kpi.xlsx", "row 2", "140 is outside the allowed range 0–100"]),
    # publishing
    ("publish-read-only", _publish_read_only, ["2023Q3", "permission denied"]),
    ("publish-exists", _publish_exists, ["2023Q3/fi", "--force"]),
]


@pytest.mark.parametrize("name, case, expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named_and_changes_nothing(env, name, case, expected):
    before = snapshot(env)
    message = case(env)
    for part in expected:
        assert part in message, f"{name}: {part!r} not in {message!r}"
    assert snapshot(env) == before, f"{name}: a published or stored file changed"


def test_there_are_at_least_forty_cases():
    assert len(CASES) >= 40


# --- correct handling where nothing is refused ----------------------------------------------------

def ten_months_header() -> str:
    months = ",".join(f'"2023M{m:02d}"' for m in range(1, 11))
    return (PX_HEADER.replace('VALUES("Kuukausi")="2023M01","2023M02"', f'VALUES("Kuukausi")={months}')
            .replace('CODES("Kuukausi")="2023M01","2023M02"', f'CODES("Kuukausi")={months}'))


def test_one_municipality_px_merges_and_never_shrinks_the_table(env):
    before = read_store(env.fetched).observations
    data = "\n".join(f"{4 + m} {1000 + m}" for m in range(1, 11))  # TEST FIXTURE values
    path = write_px(env, data, name="halsua.px", header=ten_months_header())
    assert cli.main(["fetch", "--px-file", str(path)]) == 0
    after = read_store(env.fetched)
    assert sorted(after.observations["area_code"].unique()) == sorted(AREAS)  # still three areas
    r5 = after.observations[after.observations["table_id"] == "12r5"]
    assert len(r5) == len(before)  # two rows per month of Halsua replaced, none lost
    jan = r5[(r5["area_code"] == "KU074") & (r5["period"] == "2023-01")].set_index("measure")["value"]
    assert jan["unemployed_jobseekers"] == 5 and jan["labour_force"] == 1001
    untouched = r5[(r5["area_code"] == "KU272") & (r5["period"] == "2023-01")
                   & (r5["measure"] == "unemployed_jobseekers")]["value"]
    ref = before[(before["area_code"] == "KU272") & (before["period"] == "2023-01")
                 & (before["measure"] == "unemployed_jobseekers")]["value"]
    assert untouched.tolist() == ref.tolist()
    err = env.capsys.readouterr().err
    assert "kept" in err and "2 area(s) not in the new data" in err, err
    assert "halsua.px" in after.provenance.set_index("table_id").at["12r5", "snapshot"]


def test_a_jump_far_outside_the_series_history_is_a_warning_and_is_stored(env):
    def jump(obs):
        # the last month of the monthly series of persons: 12r5's later quarter-end months (2023-12)
        # hold only vacancies, which the jump check leaves out
        store = read_store(env.fetched).observations
        last = store.loc[store["measure"] == "unemployed_jobseekers", "period"].max()
        assert last == "2023-10"
        base = store[store["period"] == last].copy()
        extended = []
        for i in range(1, 15):  # 14 more months of the same levels, as a longer series
            part = base.copy()
            part["period"] = f"{2024 + (i - 1) // 12}-{(i - 1) % 12 + 1:02d}"
            part["value"] = part["value"] + (i % 3) * 10  # ordinary month-to-month changes of 10–20 persons
            extended.append(part)
        obs = pd.concat([obs, *extended], ignore_index=True)
        mask = (obs["area_code"] == "KU272") & (obs["measure"] == "unemployed_jobseekers") & (obs["period"] == "2024-06")
        assert mask.sum() == 1
        obs.loc[mask, "value"] = obs.loc[mask, "value"] * 3
        return obs
    out = fake_api(env, jump)
    assert out.startswith("exit 0"), out
    assert "warning:" in out and "period 2024-06, area KU272, unemployed_jobseekers" in out
    assert "far outside the series' usual monthly change" in out
    assert read_store(env.fetched).periods("12r5")[-1] == "2025-02"


def test_allow_older_loads_the_older_table(env):
    path = write_px(env, "5 1000\n6 1001", updated="20240101 08:00")
    assert cli.main(["fetch", "--px-file", str(path), "--allow-older"]) == 0
    obs = read_store(env.fetched).observations
    row = obs[(obs["area_code"] == "KU074") & (obs["period"] == "2023-02") & (obs["measure"] == "labour_force")]
    assert row["value"].tolist() == [1001]


def test_stale_markers_are_only_statfin_s_own(tmp_path):
    path = tmp_path / "ok.px"
    path.write_bytes((PX_HEADER.format(updated="20250110 08:00") + 'DATA=\n"." "...."\n"-" "......";\n')
                     .encode("iso-8859-15"))
    assert read_px(path).observations["value"].isna().all()


def test_debug_shows_the_traceback_and_unknown_errors_name_the_log(env, monkeypatch, tmp_path):
    assert cli.main(["--debug", "review", "--period", "2023Q3\n"]) == 2
    assert "Traceback" in env.capsys.readouterr().err
    assert cli.main(["review", "--period", "2023Q3\n", "--debug"]) == 2
    assert "Traceback" in env.capsys.readouterr().err
    monkeypatch.setattr(cli, "LOG_DIR", tmp_path / "logs")

    def boom():
        raise ZeroDivisionError("division by zero")
    monkeypatch.setattr(cli, "_cmd_areas", boom)
    assert cli.main(["areas"]) == 1
    err = env.capsys.readouterr().err
    assert "Traceback" not in err and "unexpected ZeroDivisionError" in err
    logs = list((tmp_path / "logs").glob("analysis-error-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    assert "ZeroDivisionError" in logs[0].read_text(encoding="utf-8")


def test_validation_error_is_a_user_error():
    assert issubclass(DataValidationError, UserError) and issubclass(PxFileError, UserError)
    assert issubclass(config.ConfigError, UserError) and issubclass(wb.WorkbookError, UserError)


def test_published_and_stored_files_have_their_neighbours_modes(env):
    umask = os.umask(0o022)
    os.umask(umask)
    assert (env.outputs / "index.html").stat().st_mode & 0o777 == 0o666 & ~umask
    assert (env.outputs / "index.sv.html").stat().st_mode & 0o777 == 0o666 & ~umask
    assert (env.outputs / "index.json").stat().st_mode & 0o777 == 0o666 & ~umask
    review = env.outputs / "keski-pohjanmaa" / "2023Q3" / "fi" / "review.html"
    assert (env.outputs / "index.html").stat().st_mode & 0o777 == review.stat().st_mode & 0o777
    assert env.fetched.stat().st_mode & 0o777 == 0o777 & ~umask


def test_a_review_publishes_past_a_bad_record_and_a_killed_run_s_leftovers(env, monkeypatch):
    """End to end (one notebook): a bad run.json elsewhere and a dead run's build folder do not stop
    the publish; the index names the bad file, lists the review and is readable like its neighbours."""
    from analysis.review import runner
    from analysis.review.notebooks import Notebook

    only = [Notebook("00_data_overview", config.NOTEBOOKS_DIR / "00_data_overview.ipynb", "appendix", ("overview",))]
    monkeypatch.setattr(runner, "review_notebooks", lambda: only)
    bad = env.outputs / "keski-pohjanmaa" / "2023Q2" / "fi" / "run.json"
    bad.parent.mkdir(parents=True)
    bad.write_text("[1, 2]", encoding="utf-8")
    dead = env.outputs / "keski-pohjanmaa" / "2023Q3" / ".sv-building-999999999-abc"
    dead.mkdir()
    assert cli.main(["review", "--period", "2023Q3", "--lang", "sv", "--output-dir", str(env.outputs),
                     "--no-progress"]) == 0
    captured = env.capsys.readouterr()
    assert str(bad) in captured.err and "left out of the index" in captured.err
    assert not dead.exists()
    listed = json.loads((env.outputs / "index.json").read_text(encoding="utf-8"))
    assert sorted((r["period"], r["lang"]) for r in listed) == [("2023Q3", "fi"), ("2023Q3", "sv")]
    review = env.outputs / "keski-pohjanmaa" / "2023Q3" / "sv" / "review.html"
    assert (env.outputs / "index.html").stat().st_mode & 0o777 == review.stat().st_mode & 0o777


def test_gzip_csv_is_read_and_a_cut_gzip_is_named(tmp_path):
    """A ``.csv.gz`` file (the forecast benchmark's regions) reads as its CSV; a cut one names the file."""
    import gzip

    from analysis.errors import DataValidationError
    from analysis.sources.validation import read_csv

    good = tmp_path / "regions.csv.gz"
    good.write_bytes(gzip.compress("month,area_code\n2023-01,MK16\n2023-02,MK16\n".encode()))
    frame = read_csv(good)
    assert frame["area_code"].tolist() == ["MK16", "MK16"] and frame["month"].iloc[1] == "2023-02"
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(good.read_bytes()[:-6])
    with pytest.raises(DataValidationError, match=r"cut\.csv\.gz.*not a complete gzip file"):
        read_csv(cut)
    broken = tmp_path / "broken.csv.gz"
    data = bytearray(good.read_bytes())
    data[12:20] = b"\xff" * 8  # the compressed stream itself damaged (zlib's own error)
    broken.write_bytes(bytes(data))
    with pytest.raises(DataValidationError, match=r"broken\.csv\.gz.*not a complete gzip file"):
        read_csv(broken)
