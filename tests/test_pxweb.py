"""The PxWeb client driven over real HTTP against a local server (pytest-httpserver) that mirrors the
real 2026 service (``tests/fixtures/pxweb/fake_statfin.py``).

Served documents: the REAL samples (12r5 metadata of 2026-08 with 421 areas and months from 2009M01,
the REAL 12r5 json-stat2 response of 2026-08, 12tu metadata, 135z metadata, the 11re response) and
the TEST FIXTURE 12ti metadata. Expected numbers: 11re from the sample file; 12r5 / 12ti from
``data/raw/tyonv_12r5_monthly_2006_2023.csv`` and SOURCES.md (MK16 2023-10: 2 371 unemployed
jobseekers, 399 open vacancies, labour force 30 259); 2024-2026 vacancies from
``data/raw/tyonv_12r5_vacancies_quarter_end_2022_2026_kp.csv`` (MK16 2026-06: 174 open, 152 new).
"""

from __future__ import annotations

import importlib.util
import json
import math
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.sources.catalog import FETCH_12R5, FETCH_12TA, FETCH_12TI, FETCH_12TU, MEASURES_12R5, FetchSpec
from analysis.sources.fetch import resolve_spec
from analysis.sources.jsonstat import jsonstat2_observations, parse_jsonstat2
from analysis.sources.pxweb import ApiLimits, DeadlineError, PxWebClient
from analysis.sources.pxweb_query import (
    PxWebError,
    TableMeta,
    build_selection,
    cell_count,
    duration_bounds,
    split_selection,
    variable_role,
)

FIXTURES = Path(__file__).parent / "fixtures" / "pxweb"
_spec = importlib.util.spec_from_file_location("fake_statfin", FIXTURES / "fake_statfin.py")
fake = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fake)

KP = {"keski-pohjanmaa": config.get_area("keski-pohjanmaa")}
KEY = pd.DataFrame({"municipality_code": ["KU272", "KU217", "KU236", "KU074", "KU421", "KU584", "KU849", "KU924"],
                    "subregion_code": ["SK162", "SK162", "SK161", "SK161", "SK161", "SK161", "SK161", "SK161"]})
R5_ALL = resolve_spec(FETCH_12R5, KP, KEY)  # every month of the table
R5 = replace(R5_ALL, select={**R5_ALL.select, "time": ["2023M09", "2023M10"]})  # two months: fast tests
TI = resolve_spec(FETCH_12TI, KP, KEY)


class Sleeps(list):
    """Records the waits the client asks for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def statfin(httpserver):
    return fake.FakeStatFin(httpserver, [fake.table_12r5(), fake.table_12ti(), fake.table_12tu()])


def make_client(statfin, tmp_path, **kw):
    kw.setdefault("timeout", 5)
    kw.setdefault("max_attempts", 3)
    return PxWebClient(statfin.root, cache_dir=tmp_path / "cache", sleep=kw.pop("sleep", Sleeps()), **kw)


def val(obs: pd.DataFrame, period: str, area: str, measure: str, occupation: str = "SSS") -> float:
    row = obs[(obs["period"] == period) & (obs["area_code"] == area) & (obs["measure"] == measure)
              & (obs["occupation_code"] == occupation)]
    assert len(row) == 1, (period, area, measure, occupation)
    return float(row["value"].iloc[0])


# --- real samples ------------------------------------------------------------------------

def test_real_135z_metadata_roles_over_http(httpserver, tmp_path):
    doc = json.loads((FIXTURES / "statfin_135z_metadata_fi_2026.json").read_text(encoding="utf-8"))
    httpserver.expect_request("/PxWeb/api/v1/fi/StatFin/tyti/135z.px").respond_with_json(doc)
    client = PxWebClient(httpserver.url_for("/PxWeb/api/v1/fi/"), cache_dir=tmp_path, sleep=Sleeps())
    meta = client.metadata(FetchSpec("135z", "StatFin/tyti/135z.px", {}, {}))
    time_var, metric = meta.by_role("time"), meta.by_role("metric")
    assert (time_var.code, time_var.label) == ("timeperiod_m", "Kuukausi")
    assert (time_var.values[0], time_var.values[-1], len(time_var.values)) == ("2010M01", "2026M04", 196)
    assert metric.code == "contentscode" and len(metric.values) == 21
    assert meta.by_role("geo") is None


def test_real_11re_jsonstat2_over_http(httpserver, tmp_path):
    doc = json.loads((FIXTURES / "statfin_11re_jsonstat2_three_cities_2025.json").read_text(encoding="utf-8"))
    httpserver.expect_request("/PxWeb/api/v1/fi/StatFin/vaerak/11re.px", method="POST").respond_with_json(doc)
    root = httpserver.url_for("/PxWeb/api/v1/fi/")
    client = PxWebClient(root, cache_dir=tmp_path, sleep=Sleeps())
    got = client.request("POST", root + "StatFin/vaerak/11re.px", "11re",
                         {"query": [], "response": {"format": "json-stat2"}})
    assert got["id"][0] == "alue_23_20260101"  # 11re's area variable is version-stamped, 12r5's is not
    spec = FetchSpec("11re", "StatFin/vaerak/11re.px", {}, {"vaesto": "population"}, frequency="A")
    obs = jsonstat2_observations(got, spec, TableMeta("11re", root, "", ()), root)
    pop = obs.set_index("area_code")["value"]
    assert pop["KU091"] == 694392  # Helsinki
    assert pop["KU049"] == 325716  # Espoo
    assert pop["KU092"] == 252956  # Vantaa
    assert set(obs["period"]) == {"2025"} and set(obs["measure"]) == {"population"}  # "vaerak-vaesto" prefix


def test_parse_jsonstat2_nulls_are_missing():
    doc = json.loads((FIXTURES / "test_fixture_12r5_jsonstat2_mk16_2023M09_M10.json").read_text(encoding="utf-8"))
    frame = parse_jsonstat2(doc)
    assert len(frame) == 3 * 2 * 23
    mk16 = frame[(frame["alue_23_20260101"] == "MK16") & (frame["timeperiod_m"] == "2023M10")]
    by_code = mk16.set_index("contentscode")["value"]
    assert by_code["TYOTTOMATLOPUSSA"] == 2371
    assert by_code["TYOVOIMATK"] == 30259
    assert by_code["AVPAIKATLOPUSSA"] == 399
    assert math.isnan(by_code["PITKAAIKAISTYOTTOMAT"])  # null in the response -> NaN, never 0


def test_roles_from_codes_and_labels():
    assert variable_role("alue_23_20260101", "Alue") == "geo"
    assert variable_role("alue_24_20270101", "Region") == "geo"
    assert variable_role("timeperiod_m", "Kuukausi") == "time"
    assert variable_role("Kuukausi", "Kuukausi") == "time"
    assert variable_role("x1", "Vuosi") == "time"
    assert variable_role("contentscode", "Tiedot") == "metric"
    assert variable_role("Tiedot", "Tiedot") == "metric"
    assert variable_role("ammattiryhma_10_20100101", "Ammattiryhmä") == "other"


# --- 12r5 / 12ti over HTTP ---------------------------------------------------------------

def test_fetch_12r5_all_measures(statfin, tmp_path):
    result = make_client(statfin, tmp_path).fetch_table(R5)
    obs = result.observations
    assert set(obs["measure"]) == set(MEASURES_12R5.values())
    assert val(obs, "2023-10", "MK16", "unemployed_jobseekers") == 2371
    assert val(obs, "2023-10", "MK16", "labour_force") == 30259
    assert val(obs, "2023-10", "MK16", "open_vacancies") == 399
    assert val(obs, "2023-09", "KU272", "unemployed_jobseekers") == 1711
    assert val(obs, "2023-10", "SK161", "unemployed_jobseekers") == 413
    assert val(obs, "2023-10", "SSS", "unemployed_jobseekers") == 256070
    assert val(obs, "2023-09", "MK16", "new_vacancies") == 438  # from the real 2026 response
    assert math.isnan(val(obs, "2023-10", "MK16", "long_term_unemployed"))
    # SSS, 19 regions, the 2 subregions and 8 municipalities of the configured area; no MK91/MKJO
    assert len(set(obs["area_code"])) == 1 + 19 + 2 + 8
    assert not {"MK91", "MKJO", "KUJOU", "KU199"} & set(obs["area_code"])
    assert result.posts == 1 and not result.from_cache
    prov = result.provenance.iloc[0]
    assert (prov["origin"], prov["last_updated"], prov["snapshot"]) == ("pxweb", "2026-08-25T05:00:00Z", "")
    assert prov["fetched_at"].endswith("Z")


def test_urls_keep_the_subject_folder(statfin, tmp_path):
    client = make_client(statfin, tmp_path)
    client.fetch_table(R5)
    urls = {url for _, url in client.requests_made}
    table_urls = {u for u in urls if u.endswith(".px")}
    assert table_urls == {statfin.root + "StatFin/tyonv/12r5.px"}
    assert statfin.root + "StatFin/tyonv" in urls  # the folder list gives the 'updated' stamp


def test_a_path_without_folder_is_completed_from_the_search(statfin, tmp_path):
    client = make_client(statfin, tmp_path)
    spec = replace(R5, path="StatFin/12r5.px")
    assert client.table_path(spec) == "StatFin/tyonv/12r5.px"
    assert val(client.fetch_table(spec).observations, "2023-10", "MK16", "unemployed_jobseekers") == 2371
    searches = [u for _, u in client.requests_made if "?query=" in u]
    assert searches == [statfin.root + "StatFin?query=12r5"]  # searched once, then remembered


def test_table_without_folder_404_and_old_long_id_400(statfin, tmp_path):
    client = make_client(statfin, tmp_path)
    with pytest.raises(PxWebError) as info:
        client.request("GET", statfin.root + "StatFin/12r5.px", "12r5")
    assert info.value.status == 404
    with pytest.raises(PxWebError) as info:
        client.request("GET", statfin.root + "StatFin/tyonv/statfin_tyonv_pxt_12r5.px", "12r5")
    assert info.value.status == 400
    with pytest.raises(PxWebError, match="HTTP 400"):
        client.fetch_table(replace(R5, path="StatFin/tyonv/statfin_tyonv_pxt_12r5.px"))


def test_every_language_root_is_served(statfin, tmp_path):
    for lang in ("fi", "en", "sv"):
        client = PxWebClient(statfin.url(lang), cache_dir=tmp_path / lang, sleep=Sleeps())
        assert client.metadata(R5).by_role("geo").code == "Alue"


def test_real_12r5_metadata_codes_per_table(statfin, tmp_path):
    meta = make_client(statfin, tmp_path).metadata(R5)
    geo, time_var, metric = meta.by_role("geo"), meta.by_role("time"), meta.by_role("metric")
    assert (geo.code, time_var.code, metric.code) == ("Alue", "timeperiod_m", "contentscode")
    assert len(geo.values) == 421 and {"KUJOU", "KU199", "MK91", "MKJO", "SKJOU", "ELY80"} <= set(geo.values)
    assert (time_var.values[0], time_var.values[-1], len(time_var.values)) == ("2009M01", "2026M07", 211)
    assert len(metric.values) == 23


def test_table_that_lost_2006_2008_is_fetched_from_2009(statfin, tmp_path):
    result = make_client(statfin, tmp_path).fetch_table(R5_ALL)
    obs = result.observations
    periods = sorted(set(obs["period"]))
    assert (periods[0], periods[-1], len(periods)) == ("2009-01", "2026-07", 211)
    assert val(obs, "2009-01", "MK16", "unemployed_jobseekers") == 2904  # data/raw 12r5, 2009-01
    assert val(obs, "2026-06", "MK16", "open_vacancies") == 174  # the real 2026 response
    assert math.isnan(val(obs, "2026-07", "MK16", "unemployed_jobseekers"))  # not in any source: null
    assert result.posts == 2  # 30 areas x 211 months x 23 measures = 145 590 cells: split in two
    # a spec that asks for the lost months by name gets a note, not a failure
    old = replace(R5, select={**R5.select, "time": ["2008M12", "2009M01"]})
    result = make_client(statfin, tmp_path / "old").fetch_table(old)
    assert set(result.observations["period"]) == {"2009-01"}
    assert any("2008M12" in note for note in result.notes)


def test_new_area_codes_are_ignored(statfin, tmp_path):
    """Asking for every area (KUJOU, KU199, MK91, MKJO, SKJOU, ELY…) keeps only store codes."""
    spec = replace(R5, select={"geo": "*", "time": ["2023M09"]},
                   measures={"AVPAIKATLOPUSSA": "open_vacancies"})
    result = make_client(statfin, tmp_path).fetch_table(spec)
    areas = set(result.observations["area_code"])
    assert "KU199" in areas and "MK91" in areas  # they have the store's code form; the analyses never ask
    assert not any(a.startswith("ELY") or a.endswith("JO") or a.endswith("JOU") for a in areas)
    assert any("ELY01" in n and "KUJOU" in n and "MKJO" in n for n in result.notes)
    assert len(areas) == 421 - 18 - 3  # 18 ELY areas, KUJOU, MKJO, SKJOU


def test_query_answered_with_the_real_12r5_response(statfin, tmp_path):
    """The recorded 2026-08 response (all 421 areas, 70 quarter-end months, 2 measures) byte for byte."""
    table = statfin.tables["12r5"]
    quarter_ends = [m for m in table.metadata["variables"][1]["values"] if m[5:] in ("03", "06", "09", "12")
                    and "2009M03" <= m <= "2026M06"]
    spec = FetchSpec("12r5", "StatFin/tyonv/12r5.px", {"geo": "*", "time": quarter_ends},
                     {"AVPAIKATLOPUSSA": "open_vacancies", "UUDETAVP": "new_vacancies"})
    obs = make_client(statfin, tmp_path).fetch_table(spec).observations
    assert table.served_recorded == 1
    raw = pd.read_csv(config.RAW_DIR / "tyonv_12r5_monthly_2006_2023.csv", dtype=str)
    new = pd.read_csv(config.RAW_DIR / "tyonv_12r5_vacancies_quarter_end_2022_2026_kp.csv", dtype=str)
    for month in ("2013-03", "2019-12", "2023-09"):
        expected = float(raw.loc[(raw["month"] == month) & (raw["area_code"] == "MK16"), "open_vacancies"].iloc[0])
        assert val(obs, month, "MK16", "open_vacancies") == expected
    row = new[(new["month"] == "2026-06") & (new["area_code"] == "MK16")].iloc[0]
    assert val(obs, "2026-06", "MK16", "open_vacancies") == float(row["open_vacancies"]) == 174
    assert val(obs, "2026-06", "MK16", "new_vacancies") == float(row["new_vacancies_during_month"]) == 152
    assert obs["value"].isna().sum() > 0 and (obs["value"].dropna() >= 0).all()


def test_fetch_12ti_by_occupation(statfin, tmp_path):
    result = make_client(statfin, tmp_path).fetch_table(TI)
    obs = result.observations
    assert len(set(obs["occupation_code"])) == 433
    assert "0110" in set(obs["occupation_code"])  # leading zero kept
    assert val(obs, "2023-10", "MK16", "unemployed_jobseekers", "SSS") == 2371
    assert val(obs, "2023-10", "MK16", "open_vacancies", "SSS") == 399
    # the configured regions other than MK16 are not in this fixture table: said, not invented
    assert set(obs["area_code"]) == {"SSS", "MK16"}


def test_fetch_12tu_quarter_end_months_from_real_metadata(statfin, tmp_path):
    spec = replace(FETCH_12TU, select={**FETCH_12TU.select, "geo": ["MK16"],
                                       "time": ["2013M03", "2023M09", "2026M06"]})
    result = make_client(statfin, tmp_path).fetch_table(spec)
    obs = result.observations
    assert set(obs["measure"]) == {"vacancies_open_during_month"}
    assert len(set(obs["occupation_code"])) == 434
    assert val(obs, "2013-03", "MK16", "vacancies_open_during_month") == 1215  # data/raw 12tu, SOURCES.md
    sent = {q["code"]: q["selection"]["values"] for q in statfin.tables["12tu"].posts[-1]["query"]}
    assert sent["Työmarkkina-asema"] == ["SSS"] and sent["contentscode"] == ["AVPAIKATYHT"]
    whole = make_client(statfin, tmp_path / "b").metadata(FETCH_12TU)
    chosen, _ = build_selection(FETCH_12TU, whole)
    months = chosen["timeperiod_m"]
    assert months[0] == "2009M03" and months[-1] == "2026M06" and len(months) == 70  # quarter ends only
    assert len(chosen["Alue"]) == 20 and "MKJO" not in chosen["Alue"] and "MK90" not in chosen["Alue"]


def test_renamed_variables_and_prefixed_content_codes(statfin, tmp_path):
    table = statfin.tables["12r5"]
    table.rename("Alue", "alue_27_20270101")
    meta = table.metadata
    meta["variables"][2]["values"] = ["tyonv-" + c for c in meta["variables"][2]["values"]]
    result = make_client(statfin, tmp_path).fetch_table(R5)
    assert val(result.observations, "2023-10", "MK16", "unemployed_jobseekers") == 2371
    sent = {q["code"] for q in table.posts[-1]["query"]}
    assert sent == {"alue_27_20270101", "timeperiod_m", "contentscode"}
    assert "tyonv-PITKAAIKAISTYOTTOMAT" in table.posts[-1]["query"][2]["selection"]["values"]


def test_missing_measure_is_an_error(statfin, tmp_path):
    var = statfin.tables["12r5"].metadata["variables"][2]
    keep = [i for i, c in enumerate(var["values"]) if c != "PITKAAIKAISTYOTTOMAT"]
    var["values"] = [var["values"][i] for i in keep]
    var["valueTexts"] = [var["valueTexts"][i] for i in keep]
    with pytest.raises(PxWebError, match=r"table 12r5: .*tyonv/12r5\.px.*PITKAAIKAISTYOTTOMAT"):
        make_client(statfin, tmp_path).fetch_table(R5)


# --- cell limit --------------------------------------------------------------------------

def test_limits_from_config_endpoint(httpserver, tmp_path):
    statfin = fake.FakeStatFin(httpserver, [fake.table_12r5()], max_values=1000)
    limits = make_client(statfin, tmp_path).limits()
    assert (limits.max_cells, limits.max_calls, limits.time_window) == (1000, 30, 10)


def test_split_over_cell_limit_and_merge(httpserver, tmp_path):
    whole = fake.FakeStatFin(httpserver, [fake.table_12r5()], max_values=100_000)
    reference = make_client(whole, tmp_path / "a").fetch_table(R5).observations
    httpserver.clear()
    statfin = fake.FakeStatFin(httpserver, [fake.table_12r5()], max_values=1000)
    result = make_client(statfin, tmp_path / "b").fetch_table(R5)
    posts = statfin.tables["12r5"].posts
    # 30 areas x 23 measures = 690 cells a month: one month per query, 2 months
    assert result.posts == len(posts) == 2
    assert all(cell_count({q["code"]: q["selection"]["values"] for q in p["query"]}) <= 1000 for p in posts)
    key = ["period", "area_code", "measure"]
    pd.testing.assert_frame_equal(result.observations.sort_values(key).reset_index(drop=True),
                                  reference.sort_values(key).reset_index(drop=True))


def test_split_selection_pieces_cover_everything():
    selection = {"t": [f"m{i}" for i in range(7)], "a": ["x", "y", "z"], "c": ["1", "2"]}
    pieces = split_selection(selection, 5, ["t", "a", "c"])
    assert all(cell_count(p) <= 5 for p in pieces)
    cells = {(t, a, c) for p in pieces for t in p["t"] for a in p["a"] for c in p["c"]}
    assert len(cells) == 42 == sum(cell_count(p) for p in pieces)


# --- failures ----------------------------------------------------------------------------

def test_429_then_success_honours_retry_after(statfin, tmp_path):
    sleeps = Sleeps()
    statfin.fail_next("12r5", 429, {"Retry-After": "2"}, "Too Many Requests")
    result = make_client(statfin, tmp_path, sleep=sleeps).fetch_table(R5)
    assert val(result.observations, "2023-10", "MK16", "unemployed_jobseekers") == 2371
    assert len(statfin.tables["12r5"].posts) == 2
    assert 2.0 in sleeps


def test_retry_after_is_capped_and_reported(statfin, tmp_path):
    sleeps, lines = Sleeps(), []
    statfin.fail_next("12r5", 429, {"Retry-After": "3600"}, "Too Many Requests")
    client = make_client(statfin, tmp_path, sleep=sleeps, max_wait=60, progress=lines.append)
    result = client.fetch_table(R5)
    assert val(result.observations, "2023-10", "MK16", "unemployed_jobseekers") == 2371
    assert sleeps == [60]
    assert any("asks to wait 3600 s" in line and "waiting 60 s" in line for line in lines)


def test_503_then_success_is_retried_and_reported(statfin, tmp_path):
    sleeps, lines = Sleeps(), []
    statfin.fail_next("12r5", 503, body="Service Unavailable")
    client = make_client(statfin, tmp_path, sleep=sleeps, backoff=1.0, progress=lines.append)
    assert val(client.fetch_table(R5).observations, "2023-10", "MK16", "open_vacancies") == 399
    assert sleeps == [1.0] and any("HTTP 503" in line for line in lines)


def test_deadline_ends_a_server_that_never_answers(statfin, tmp_path):
    statfin.delay_next("12r5", 1.5)  # longer than the whole fetch may take
    client = make_client(statfin, tmp_path, timeout=30, max_attempts=5, sleep=time.sleep, deadline=0.6)
    started = time.monotonic()
    with pytest.raises(DeadlineError, match=r"table 12r5: .*time limit of 0.6 s .*--timeout"):
        client.fetch_table(R5)
    assert time.monotonic() - started < 1.4
    time.sleep(1.2)  # let the server finish the abandoned request before the next test


def test_deadline_cuts_retry_waits(statfin, tmp_path):
    for _ in range(4):
        statfin.fail_next("12r5", 429, {"Retry-After": "30"}, "Too Many Requests")
    client = make_client(statfin, tmp_path, sleep=time.sleep, max_attempts=5, deadline=0.5)
    started = time.monotonic()
    with pytest.raises(DeadlineError, match="time limit of 0.5 s"):
        client.fetch_table(R5)
    assert time.monotonic() - started < 1.5  # not 30 s: the wait was cut to the time left
    assert len(statfin.tables["12r5"].posts) == 1


def test_429_retries_are_bounded(statfin, tmp_path):
    for _ in range(3):
        statfin.fail_next("12r5", 429, {"Retry-After": "1"}, "Too Many Requests")
    with pytest.raises(PxWebError) as info:
        make_client(statfin, tmp_path, max_attempts=3).fetch_table(R5)
    assert info.value.status == 429 and info.value.table_id == "12r5"
    assert "gave up after 3 attempts" in str(info.value)
    assert len(statfin.tables["12r5"].posts) == 3


def test_500_fails_at_once_naming_table_url_status(statfin, tmp_path):
    statfin.fail_next("12r5", 500, body="Internal Server Error")
    with pytest.raises(PxWebError) as info:
        make_client(statfin, tmp_path).fetch_table(R5)
    message = str(info.value)
    assert message.startswith("table 12r5: http://") and "StatFin/tyonv/12r5.px" in message
    assert "HTTP 500" in message and "Internal Server Error" in message
    assert len(statfin.tables["12r5"].posts) == 1
    assert not list((tmp_path / "cache").glob("*.json"))  # nothing cached from a failed fetch


def test_timeout_then_success(statfin, tmp_path):
    # the local server answers one request at a time, so the client really waits before retrying
    statfin.delay_next("12r5", 0.4)
    client = make_client(statfin, tmp_path, timeout=0.15, backoff=0.4, sleep=time.sleep)
    result = client.fetch_table(R5)
    assert val(result.observations, "2023-10", "MK16", "unemployed_jobseekers") == 2371
    assert len(statfin.tables["12r5"].posts) == 2


def test_timeout_gives_up(statfin, tmp_path):
    statfin.delay_next("12r5", 0.3)
    statfin.delay_next("12r5", 0.3)
    client = make_client(statfin, tmp_path, timeout=0.1, max_attempts=2, backoff=0.05, sleep=time.sleep)
    with pytest.raises(PxWebError, match=r"table 12r5: .*no HTTP response: gave up after 2 attempts: timed out"):
        client.fetch_table(R5)
    deadline = time.monotonic() + 5
    while len(statfin.tables["12r5"].posts) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.4)  # let the server finish the abandoned request before the next test
    assert len(statfin.tables["12r5"].posts) == 2


# --- cache -------------------------------------------------------------------------------

def test_cache_reused_until_updated_changes(statfin, tmp_path):
    client = make_client(statfin, tmp_path)
    table = statfin.tables["12r5"]
    first = client.fetch_table(R5)
    assert len(table.posts) == 1 and len(list((tmp_path / "cache").glob("*.json"))) == 1
    second = client.fetch_table(R5)
    assert len(table.posts) == 1 and second.from_cache and second.posts == 0
    pd.testing.assert_frame_equal(first.observations, second.observations)
    assert second.provenance.iloc[0]["fetched_at"] == first.provenance.iloc[0]["fetched_at"]
    table.listed = "2026-12-01T08:00:00"  # the table was updated at the source
    third = client.fetch_table(R5)
    assert len(table.posts) == 2 and not third.from_cache
    client.fetch_table(R5, refresh=True)
    assert len(table.posts) == 3


def test_no_stamp_means_no_cache_use(statfin, tmp_path):
    statfin.tables["12r5"].listed = None  # the folder list gives no 'updated' stamp
    client = make_client(statfin, tmp_path)
    client.fetch_table(R5)
    client.fetch_table(R5)
    assert len(statfin.tables["12r5"].posts) == 2


def test_selection_eliminates_or_totals_other_variables(statfin, tmp_path):
    client = make_client(statfin, tmp_path)
    meta = client.metadata(TI)
    spec = FetchSpec("12ti", "StatFin/12ti.px", {"geo": ["MK16"], "time": ["2023M10"]}, {"TYOTTOMATLOPUSSA": "u"})
    selection, notes = build_selection(spec, meta)
    assert selection["Ammattiryhmä"] == ["SSS"]  # not asked for: its total
    assert selection["contentscode"] == ["TYOTTOMATLOPUSSA"] and not notes


def test_throttle_waits_when_the_call_limit_is_reached(statfin, tmp_path):
    sleeps = Sleeps()
    client = make_client(statfin, tmp_path, sleep=sleeps)
    client._limits = ApiLimits(max_cells=100_000, max_calls=2, time_window=10)
    for _ in range(3):
        client.metadata(R5)
    assert len(sleeps) == 1 and 9 < sleeps[0] <= 10


# --- groups that are categories of a variable (12ta-like) -------------------------------------

def _duration_table():
    """TEST FIXTURE: a hand-written table shaped like a duration table; codes and values are test values."""
    meta = {"title": "TEST FIXTURE duration table", "variables": [
        {"code": "Alue", "text": "Alue", "values": ["SSS", "MK16"], "valueTexts": ["KOKO MAA", "Keski-Pohjanmaa"],
         "elimination": True},
        {"code": "Kesto", "text": "Työttömyyden kesto", "values": ["SSS", "T1", "T2", "T3"],
         "valueTexts": ["Yhteensä", "test group 1", "test group 2", "test group 3"], "elimination": True},
        {"code": "timeperiod_m", "text": "Kuukausi", "values": ["2026M05", "2026M06"],
         "valueTexts": ["2026M05", "2026M06"], "time": True},
        {"code": "contentscode", "text": "Tiedot", "values": ["TYOTTOMAT"], "valueTexts": ["Työttömät (lkm.)"]},
    ]}
    values = {("MK16", "T2", "2026M06", "TYOTTOMAT"): 700.0, ("MK16", "T3", "2026M06", "TYOTTOMAT"): 300.0,
              ("SSS", "T2", "2026M06", "TYOTTOMAT"): 70000.0}
    keys = {"Alue": 0, "Kesto": 1, "timeperiod_m": 2, "contentscode": 3}
    return fake.FakeTable("99dd", "tyonv", meta, keys, values, "2026-07-01T05:00:00Z", meta["title"])


def test_categories_become_measures(httpserver, tmp_path):
    statfin = fake.FakeStatFin(httpserver, [_duration_table()])
    spec = FetchSpec("99dd", "StatFin/tyonv/99dd.px", {"geo": ["SSS", "MK16"], "time": "*"},
                     {"TYOTTOMAT": "unemployed"}, categories={"Työttömyyden kesto": {"T2": "g2", "T3": "g3"}})
    obs = make_client(statfin, tmp_path).fetch_table(spec).observations
    assert set(obs["measure"]) == {"g2", "g3"}
    assert val(obs, "2026-06", "MK16", "g2") == 700 and val(obs, "2026-06", "MK16", "g3") == 300
    assert math.isnan(val(obs, "2026-05", "MK16", "g2"))
    sent = {q["code"]: q["selection"]["values"] for q in statfin.tables["99dd"].posts[-1]["query"]}
    assert sent["Kesto"] == ["T2", "T3"]


def test_unknown_categories_list_what_the_table_has(httpserver, tmp_path):
    statfin = fake.FakeStatFin(httpserver, [_duration_table()])
    spec = FetchSpec("99dd", "StatFin/tyonv/99dd.px", {"geo": ["MK16"], "time": "*"},
                     {"TYOTTOMAT": "unemployed"}, categories={"Työttömyyden kesto": {"12KK": "unemployed_12m_plus"}})
    with pytest.raises(PxWebError, match=r"categories \['12KK'\] are not in variable Kesto.*T1 \(test group 1\)"):
        make_client(statfin, tmp_path).fetch_table(spec)


# --- 12ta: the duration classes picked and summed by their labels (issue 28) ------------------------------

TA = resolve_spec(FETCH_12TA, KP, KEY)


def test_duration_labels_are_read_as_spans_in_weeks():
    assert duration_bounds("Alle viikon") == (0, 1)
    assert duration_bounds("53-78 viikkoa") == (53, 78)
    assert duration_bounds("79-104 viikkoa") == (79, 104)
    assert duration_bounds("2-3 vuotta") == (104, 156)
    assert duration_bounds("Yli 5 vuotta") == (260, None)
    assert duration_bounds("Over 5 years") == (260, None)
    assert duration_bounds("Yhteensä") is None and duration_bounds("puolitoista vuotta") is None


def test_12ta_sums_the_classes_its_labels_say(httpserver, tmp_path):
    """TEST FIXTURE metadata (the 14 published labels of 1207, our codes) and TEST values (fake_statfin)."""
    statfin = fake.FakeStatFin(httpserver, [fake.table_12ta()])
    result = make_client(statfin, tmp_path).fetch_table(TA)
    obs = result.observations
    assert set(obs["measure"]) == {"unemployed_12m_plus", "unemployed_24m_plus"}
    assert val(obs, "2026-04", "MK16", "unemployed_12m_plus") == 150 + 120 + 200 + 100 + 60 + 90  # 53 weeks and over
    assert val(obs, "2026-04", "MK16", "unemployed_24m_plus") == 200 + 100 + 60 + 90  # 2 years and over
    assert math.isnan(val(obs, "2026-04", "KU272", "unemployed_24m_plus"))  # a suppressed class: sum not known
    assert math.isnan(val(obs, "2026-03", "MK16", "unemployed_12m_plus"))
    sent = {q["code"]: q["selection"]["values"] for q in statfin.tables["12ta"].posts[-1]["query"]}
    assert sent["kesto"] == ["K09", "K10", "K11", "K12", "K13", "K14"]  # only the classes summed
    assert sent["contentscode"] == ["TYOTTOMAT"]  # the content value found by its label
    assert "sukupuoli" not in sent and "ikaryhmitys" not in sent  # eliminated: their totals


def test_12ta_labels_that_do_not_parse_stop_with_the_labels_found(httpserver, tmp_path):
    table = fake.table_12ta()
    kesto = next(v for v in table.metadata["variables"] if v["code"] == "kesto")
    kesto["valueTexts"][9] = "79-104 vk"  # TEST FIXTURE: a label the reader does not know
    statfin = fake.FakeStatFin(httpserver, [table])
    with pytest.raises(PxWebError, match=r"cannot be read as durations \('79-104 vk'\); its labels are: "
                                         r"Yhteensä; Alle viikon; 1-2 viikkoa.*Yli 5 vuotta"):
        make_client(statfin, tmp_path).fetch_table(TA)


def test_12ta_a_class_across_a_bound_stops_the_fetch(httpserver, tmp_path):
    table = fake.table_12ta()
    kesto = next(v for v in table.metadata["variables"] if v["code"] == "kesto")
    kesto["valueTexts"][9:11] = ["40-60 viikkoa", "61-104 viikkoa"]  # TEST FIXTURE: 40-60 straddles 53 weeks
    kesto["valueTexts"][8] = "27-39 viikkoa"
    statfin = fake.FakeStatFin(httpserver, [table])
    with pytest.raises(PxWebError, match=r"no sum of the classes .* gives unemployed_12m_plus"):
        make_client(statfin, tmp_path).fetch_table(TA)
