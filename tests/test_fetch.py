"""``python -m analysis fetch``: area lists from the config, the store it writes, failures that
keep the previous data, and ``--px-file``.

The API is the local TEST FIXTURE server of ``tests/fixtures/pxweb/fake_statfin.py`` (real
embedded StatFin values). Expected figures: MK16 2023-10 2 371 unemployed jobseekers and
399 open vacancies (data/raw 12r5 and 12ti, SOURCES.md); Eckerö 2024-11 21 unemployed
(read by hand from the .px sample).
"""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.cli import main
from analysis.sources import fetch as fetch_module
from analysis.sources.catalog import FETCH_12R5, FETCH_12TI, FETCH_12TU, REGIONS
from analysis.sources.fetch import (
    all_specs,
    configured_area_codes,
    configured_region_codes,
    resolve_spec,
)
from analysis.sources.pxweb import PxWebClient
from analysis.store import cell_vintages, load_store, read_store
from analysis.store.refresh import run_fetch

FIXTURES = Path(__file__).parent / "fixtures" / "pxweb"
ECKERO = FIXTURES / "statfin_tyonv_pxt_12r5_eckero_2024.px"
_spec = importlib.util.spec_from_file_location("fake_statfin", FIXTURES / "fake_statfin.py")
fake = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fake)

BOTH = ["12r5", "12ti"]  # the tables the fixture server holds
KP_MUNICIPALITIES = {"KU272", "KU217", "KU236", "KU074", "KU421", "KU584", "KU849", "KU924"}


def no_sleep(seconds: float) -> None:
    pass


@pytest.fixture
def statfin(httpserver):
    return fake.FakeStatFin(httpserver, [fake.table_12r5(), fake.table_12ti(), fake.table_12tu()])


@pytest.fixture
def small_fetch(monkeypatch):
    """The command's specs cut to two months and the Keski-Pohjanmaa area, so each fetch is fast."""
    kp = {"keski-pohjanmaa": config.get_area("keski-pohjanmaa")}
    monkeypatch.setattr(fetch_module.config, "load_areas", lambda *a, **k: kp)
    specs = [replace(FETCH_12R5, select={**FETCH_12R5.select, "time": ["2023M09", "2023M10"]}),
             FETCH_12TI,
             replace(FETCH_12TU, select={**FETCH_12TU.select, "time": ["2023M09"]})]
    monkeypatch.setattr(fetch_module, "FETCH_SPECS", specs)
    return specs


@pytest.fixture
def client(statfin, tmp_path):
    return PxWebClient(statfin.root, cache_dir=tmp_path / "cache", timeout=5, max_attempts=2, sleep=no_sleep)


def val(obs: pd.DataFrame, table: str, period: str, area: str, measure: str) -> float:
    row = obs[(obs["table_id"] == table) & (obs["period"] == period) & (obs["area_code"] == area)
              & (obs["measure"] == measure) & (obs["occupation_code"] == "SSS")]
    assert len(row) == 1
    return float(row["value"].iloc[0])


# --- what to fetch -----------------------------------------------------------------------

def test_area_codes_come_from_the_config():
    codes = configured_area_codes()
    assert KP_MUNICIPALITIES <= set(codes)
    assert {"MK16", "SK161", "SK162"} <= set(codes)  # region and the members' subregions
    assert "SSS" not in codes and "KU043" not in codes
    regions = configured_region_codes()
    assert "MK16" in regions and all(r.startswith("MK") for r in regions)


def test_a_new_configured_area_is_fetched_without_code_change():
    areas = dict(config.load_areas())
    areas["test-pietarsaari"] = config.Area(slug="test-pietarsaari", name_fi="Pietarsaari", name_sv="Jakobstad",
                                              region="MK15", members=("KU598",))
    key = pd.DataFrame({"municipality_code": ["KU598"], "subregion_code": ["SK154"]})
    spec = resolve_spec(FETCH_12R5, areas, key)
    assert {"KU598", "SK154", "MK15"} <= set(spec.select["geo"])
    assert spec.select["geo"][:4] == ["SSS", *REGIONS]


def test_12ti_asks_for_the_country_and_configured_regions():
    spec = resolve_spec(FETCH_12TI)
    assert spec.select["geo"] == ["SSS", *configured_region_codes()]
    assert spec.select["Ammattiryhmä"] == "*"


def test_all_specs_unique_and_include_12r5_12ti_12tu():
    ids = [s.table_id for s in all_specs()]
    assert ids[:3] == ["12r5", "12ti", "12tu"] and len(ids) == len(set(ids))


def test_every_spec_path_keeps_its_subject_folder():
    for spec in all_specs():
        parts = spec.path.split("/")
        assert len(parts) == 3 and parts[0] == "StatFin" and parts[2] == f"{spec.table_id}.px", spec.path


def test_every_spec_resolves_to_plain_codes():
    for spec in all_specs():
        geo = resolve_spec(spec).select.get("geo", [])
        assert not any(str(code).startswith("@") for code in geo), spec.table_id


# --- the command -------------------------------------------------------------------------

def test_fetch_writes_store_with_provenance(small_fetch, client, tmp_path, capsys):
    folder = tmp_path / "fetched"
    assert run_fetch(BOTH, None, False, None, folder=folder, client=client) == 0
    store = read_store(folder)
    obs = store.observations
    assert val(obs, "12r5", "2023-10", "MK16", "unemployed_jobseekers") == 2371
    assert val(obs, "12ti", "2023-10", "MK16", "unemployed_jobseekers") == 2371
    assert val(obs, "12ti", "2023-10", "MK16", "open_vacancies") == 399
    prov = store.provenance.set_index("table_id")
    assert set(prov.index) == {"12r5", "12ti"}
    assert set(prov["origin"]) == {"pxweb"}
    assert (prov.loc["12r5", "last_updated"], prov.loc["12ti", "last_updated"]) == ("2026-08-25T05:00:00Z",
                                                                                   "2023-11-22T06:00:00Z")
    assert (prov["snapshot"] == "").all() and prov["fetched_at"].str.match(r"^\d{4}-\d\d-\d\dT.*Z$").all()
    out = capsys.readouterr().out
    assert "12r5: " in out and "12ti: " in out and str(folder) in out


def test_fetched_store_overlays_the_embedded_one(small_fetch, client, tmp_path):
    folder = tmp_path / "fetched"
    run_fetch(["12r5"], None, False, None, folder=folder, client=client)
    store = load_store(str(folder))
    prov = store.provenance.set_index("table_id")
    assert prov.loc["12ti", "origin"] == "embedded"
    assert "pxweb" in prov.loc["12r5", "snapshot"]  # the fetched layer is named beside the embedded one below it
    # all null in the fixture: the fetched layer says missing (not 0), and it wins the cell
    long_term = cell_vintages(str(folder), table_id="12r5", measure="long_term_unemployed", area_codes=["MK16"],
                              period="2023-10")
    assert long_term["value"].isna().all() and set(long_term["origin"]) == {"pxweb"}
    assert val(store.observations, "12r5", "2023-10", "MK16", "unemployed_jobseekers") == 2371
    # what the fetch did not ask for still shows from the embedded layer below
    assert val(store.observations, "12r5", "2026-06", "MK16", "long_term_unemployed") == 1062
    assert val(store.observations, "12r5", "2006-01", "MK16", "unemployed_jobseekers") == 3289


def test_second_fetch_uses_cache(small_fetch, client, statfin, tmp_path, capsys):
    folder = tmp_path / "fetched"
    run_fetch(BOTH, None, False, None, folder=folder, client=client)
    posts = len(statfin.tables["12r5"].posts) + len(statfin.tables["12ti"].posts)
    assert run_fetch(BOTH, None, False, None, folder=folder, client=client) == 0
    assert len(statfin.tables["12r5"].posts) + len(statfin.tables["12ti"].posts) == posts
    assert "from cache" in capsys.readouterr().out


def test_failed_table_keeps_previous_data(small_fetch, client, statfin, tmp_path, capsys):
    folder = tmp_path / "fetched"
    assert run_fetch(BOTH, None, False, None, folder=folder, client=client) == 0
    before = read_store(folder)
    statfin.fail_next("12ti", 500, body="Internal Server Error")
    assert run_fetch(BOTH, None, True, None, folder=folder, client=client) == 1
    err = capsys.readouterr().err
    assert "table 12ti" in err and "HTTP 500" in err and "StatFin/tyonv/12ti.px" in err
    after = read_store(folder)
    ti_before = before.observations[before.observations["table_id"] == "12ti"].reset_index(drop=True)
    ti_after = after.observations[after.observations["table_id"] == "12ti"].reset_index(drop=True)
    pd.testing.assert_frame_equal(ti_before, ti_after)
    pd.testing.assert_frame_equal(before.provenance.set_index("table_id").loc[["12ti"]],
                                  after.provenance.set_index("table_id").loc[["12ti"]])


def test_total_failure_leaves_files_untouched(small_fetch, client, statfin, tmp_path):
    folder = tmp_path / "fetched"
    run_fetch(["12r5"], None, False, None, folder=folder, client=client)
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    statfin.fail_next("12r5", 500)
    assert run_fetch(["12r5"], None, True, None, folder=folder, client=client) == 1
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files


def test_unreachable_api_fails_fast_and_changes_nothing(tmp_path, capsys):
    folder = tmp_path / "fetched"
    assert run_fetch(None, None, False, [str(ECKERO)], folder=folder) == 0
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    client = PxWebClient("http://127.0.0.1:9/PxWeb/api/v1/fi/", cache_dir=tmp_path / "c", timeout=1, sleep=no_sleep)
    assert run_fetch(BOTH, None, False, None, folder=folder, client=client) == 1
    err = capsys.readouterr().err
    assert "cannot reach the PxWeb API at http://127.0.0.1:9/PxWeb/api/v1/fi/" in err and "12r5, 12ti" in err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files


def test_unknown_table_is_refused(tmp_path, capsys):
    assert run_fetch(["99zz"], None, False, None, folder=tmp_path / "f") == 2
    assert "99zz" in capsys.readouterr().err
    assert not (tmp_path / "f").exists()


# --- .px files ---------------------------------------------------------------------------

def test_px_file_through_the_cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(config, "FETCHED_DIR", tmp_path / "fetched")
    assert main(["fetch", "--px-file", str(ECKERO)]) == 0
    store = read_store(tmp_path / "fetched")
    assert val(store.observations, "12r5", "2024-11", "KU043", "unemployed_jobseekers") == 21
    assert store.provenance.iloc[0]["origin"] == "px-file"
    assert "12r5: 253 rows" in capsys.readouterr().out


def test_bad_px_file_changes_nothing(tmp_path, capsys):
    folder = tmp_path / "fetched"
    assert run_fetch(None, None, False, [str(ECKERO)], folder=folder) == 0
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    bad = tmp_path / "bad.px"
    bad.write_text('STUB="Alue";\nVALUES("Alue")="Eckerö";\nDATA=\n1 2;\n', encoding="iso-8859-15")
    assert run_fetch(None, None, False, [str(bad)], folder=folder) == 2
    assert "bad.px" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files


# --- progress and the overall time limit -------------------------------------------------

def test_progress_line_per_table(small_fetch, statfin, tmp_path, capsys):
    lines: list[str] = []
    client = PxWebClient(statfin.root, cache_dir=tmp_path / "cache", timeout=5, max_attempts=2, sleep=no_sleep,
                         progress=lines.append)
    assert run_fetch(["12r5", "12tu"], None, False, None, folder=tmp_path / "f", client=client) == 0
    assert lines[0] == "[1/2] 12r5: fetching StatFin/tyonv/12r5.px"
    assert any(line.startswith("[1/2] 12r5: 1380 rows") for line in lines)
    assert any(line.startswith("[2/2] 12tu: ") and "rows" in line for line in lines)


def test_server_that_never_answers_ends_at_the_deadline(small_fetch, statfin, tmp_path, capsys):
    import time

    folder = tmp_path / "fetched"
    statfin.delay_next("12r5", 2.0)
    client = PxWebClient(statfin.root, cache_dir=tmp_path / "cache", timeout=30, max_attempts=5, deadline=0.7)
    started = time.monotonic()
    assert run_fetch(["12r5", "12ti"], None, False, None, folder=folder, client=client) == 1
    assert time.monotonic() - started < 1.6
    err = capsys.readouterr().err
    assert "time limit of 0.7 s" in err and "--timeout" in err and "tables not fetched: 12r5, 12ti" in err
    assert "Traceback" not in err
    assert not folder.exists()  # nothing written
    time.sleep(1.5)  # let the server finish the abandoned request


def test_timeout_option_reaches_the_client(monkeypatch, capsys):
    seen = {}

    def fake_run_fetch(**kwargs):
        seen.update(kwargs)
        return 0

    monkeypatch.setattr("analysis.store.refresh.run_fetch", fake_run_fetch)
    assert main(["fetch", "--timeout", "12.5"]) == 0
    assert seen["timeout"] == 12.5
    assert main(["fetch"]) == 0 and seen["timeout"] == 600


def test_non_positive_timeout_is_refused(tmp_path, capsys):
    assert run_fetch(["12r5"], "http://127.0.0.1:9/", False, None, folder=tmp_path / "f", timeout=0) == 2
    assert "--timeout" in capsys.readouterr().err


# --- the real June 2026 export through fetch and the whole monthly review (issue 28) ---------------------

def test_fetched_june_2026_gives_the_monthly_review_every_group_at_its_real_figure(statfin, small_fetch, tmp_path,
                                                                                    monkeypatch):
    """The fake server serves the REAL verbatim 12r5 export of June 2026 (all 23 measures, all areas); fetched
    into a store, the monthly review of 2026-06 finds every group's tile with the published figure."""
    import re
    from html import escape

    from analysis.present.fmt import fmt_int
    from analysis.present.text import t
    from analysis.review import runner
    from analysis.review.notebooks import review_notebooks

    monkeypatch.setattr(fetch_module, "FETCH_SPECS", [replace(FETCH_12R5, select={**FETCH_12R5.select,
                                                                                  "time": ["2026M06"]})])
    folder = tmp_path / "fetched"
    client = PxWebClient(statfin.root, cache_dir=tmp_path / "cache", timeout=5, max_attempts=2, sleep=no_sleep)
    assert run_fetch(["12r5"], None, False, None, folder=folder, client=client) == 0
    vin = cell_vintages(str(folder), table_id="12r5", measure="long_term_unemployed", area_codes=["MK16"],
                        period="2026-06")
    assert vin[["value", "origin"]].values.tolist() == [[1062.0, "pxweb"]]  # the fetched layer gives the cell
    main_only = [nb for nb in review_notebooks() if nb.page == "main"]  # the whole review runs in conftest.py
    path = runner.run_review(period="2026-06", data_source=str(folder), output_dir=tmp_path / "out", progress=False,
                             notebooks=main_only)
    page = path.read_text(encoding="utf-8")
    expected = {"unemployed": 3175, "long_term": 1062, "under_25": 556, "over_50": 978, "foreign_nationals": 416,
                "laid_off": 210, "in_services": 117 + 57 + 177 + 434, "new_vacancies": 152}
    # the main page shows one vacancy figure, the month's new vacancies (issue 27); 174 open at the month's
    # end are the appendix's
    for group, number in expected.items():
        label = escape(t(f"review_page.group_{group}", "fi"))
        tile = re.search(rf"<h3>{re.escape(label)}</h3><p class=\"tile-value\">([^<]*)</p>", page)
        assert tile and tile.group(1) == fmt_int(number), (group, tile and tile.group(1))
    assert "10,3\u00a0%" in page and "ennallaan" not in page
