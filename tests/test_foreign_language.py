"""Foreign-language speakers (issue 4): embedded path (only 159t) and a store with the measures.

Expected values are worked out by hand from data/raw/vaerak_159t_*.csv (real, published) or from
the synthetic numbers written below / in tests/fixtures/language/README.md.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from analysis import config
from analysis.config import Area
from analysis.indicators import foreign_language as fl
from analysis.present import disclosure
from analysis.present import foreign_language as pfl
from analysis.schema import Store, tidy
from analysis.sources import language_tables as lt
from analysis.store import load_store
from analysis.store.scope import Scope

FIXTURE = Path(__file__).parent / "fixtures" / "language" / "statfin_11rm_jsonstat2_SYNTHETIC.json"
NOTEBOOK = config.NOTEBOOKS_DIR / "30_foreign_language.ipynb"
STRINGS = Path(pfl.__file__).parent / "strings"

KP = config.get_area("keski-pohjanmaa")
TWO = Area("test-two", "Kaksi kuntaa", "Två kommuner", "MK16", ("KU272", "KU217"))


@pytest.fixture(scope="module")
def embedded() -> Store:
    return load_store("embedded")


def at(store: Store, area: Area = KP, period: str = "2023Q3", data_source: str = "embedded") -> Scope:
    """The scope of ``area`` and ``period`` on ``store`` (as of the period)."""
    return Scope.of(store, area, period, data_source)


LATER = "2025Q4"  # a period that sees every 159t year (2020-2025); the embedded 12r5 ends 2023-10


# --- embedded path --------------------------------------------------------------------------


def test_embedded_has_only_the_share(embedded: Store) -> None:
    assert fl.availability(at(embedded)) == {
        "share": True, "population_by_language": False, "unemployed_by_language": False,
        "labour_force_by_language": False, "employment_rate_by_language": False, "foreign_nationals": False,
    }


def test_municipal_share_is_the_published_159t_values(embedded: Store) -> None:
    shares = fl.municipal_share(at(embedded, period=LATER))
    assert len(shares) == 48  # 8 municipalities x 2020-2025
    got = shares.set_index(["area_code", "period"])["value"]
    # values from data/raw/vaerak_159t_foreign_language_share_kp_2020_2025.csv
    assert got[("KU272", "2025")] == 6.2
    assert got[("KU421", "2021")] == 1.5
    assert got[("KU584", "2020")] == 0.8
    assert set(shares["area_code"]) == set(KP.members)  # no area or region share is formed
    # as of 2023Q3 only the years ended by then (2020-2022) are known
    then = fl.municipal_share(at(embedded))
    assert len(then) == 24 and sorted(then["period"].unique()) == ["2020", "2021", "2022"]
    assert then.set_index(["area_code", "period"])["value"][("KU272", "2022")] == 4.2


def test_share_overview_changes(embedded: Store) -> None:
    ov = fl.share_overview(at(embedded, period=LATER)).set_index("area_code")
    assert list(ov.index) == list(KP.members)
    assert ov.loc["KU272", "latest_period"] == "2025"
    assert ov.loc["KU272", "change_pp"] == pytest.approx(6.2 - 5.6)
    assert ov.loc["KU924", "change_since_first_pp"] == pytest.approx(4.8 - 2.3)
    assert ov.loc["KU421", "change_pp"] == pytest.approx(2.0 - 2.4)


def test_kpi_values_embedded_say_not_available(embedded: Store) -> None:
    kpi = fl.kpi_values(at(embedded))
    assert list(kpi.columns[:7]) == ["metric_name_fi", "period", "area_code", "value", "unit", "available", "note"]
    assert set(kpi["metric_name_fi"]) == {"Vieraskielisten työttömyys- ja työllisyysaste"}
    assert list(kpi["component"]) == ["unemployment_rate", "employment_rate"]
    assert not kpi["available"].any() and kpi["value"].isna().all()
    assert kpi["available"].dtype == bool
    assert "tyonv" in kpi["note"].iloc[0] and "python -m analysis fetch" in kpi["note"].iloc[0]
    assert "tyokay" in kpi["note"].iloc[1]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_section_embedded_names_what_is_missing(embedded: Store, lang: str) -> None:
    blocks = [b.data for b in pfl.section_blocks(at(embedded), lang)]
    assert blocks[0].startswith("<h2>") and not any("<h1" in b for b in blocks)
    missing = [b for b in blocks if "notice-missing" in b]
    assert len(missing) == 4  # unemployed by language, employment rate, population, foreign nationals
    joined = " ".join(missing)
    for token in ("115g", "11rm", "11rl", "12r5", "KEHA"):  # where each missing figure is published
        assert token in joined
    for token in ("tyonv", "tyokay", "TYOTTOMATULK", "python -m", "vaesto_kieli"):  # no codes, no commands
        assert token not in " ".join(blocks)
    figures = [b for b in blocks if "<figure>" in b]
    assert len(figures) == 1 and 'alt="' in figures[0] and "<details>" in figures[0]
    table = next(b for b in blocks if '<table class="data"' in b and "<figure>" not in b)
    # as of 2023Q3 the latest share is 2022's (Kokkola 4.2 %); 2025's 6.2 % is not yet known
    assert ("4,2\u00a0%" in table) and ("Kokkola" in table or "Karleby" in table)
    assert "6,2\u00a0%" not in table


def test_share_table_has_no_area_row(embedded: Store) -> None:
    table = pfl.share_table(at(embedded, period=LATER), "fi")
    assert list(table["Kunta"]) == ["Kokkola", "Kannus", "Kaustinen", "Halsua", "Lestijärvi", "Perho",
                                    "Toholampi", "Veteli"]
    assert table.columns[-1] == "Muutos 2024–2025"
    assert table.iloc[0, -1] == "+0,6\u00a0%\u2011yks."


# --- 11rm fixture: spec and parsing ----------------------------------------------------------


def _fixture_doc() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _metadata_from(doc: dict) -> dict:
    """A PxWeb v1 metadata document with the fixture's variables (as GET <table> returns)."""
    variables = []
    for dim_id in doc["id"]:
        dim = doc["dimension"][dim_id]
        codes = sorted(dim["category"]["index"], key=dim["category"]["index"].get)
        variables.append({"code": dim_id, "text": dim["label"], "values": codes,
                          "valueTexts": [dim["category"]["label"][c] for c in codes],
                          "elimination": dim["extension"]["elimination"], "time": dim_id == "timeperiod_y"})
    return {"title": doc["label"], "variables": variables}


def _spec_11rm():
    return replace(lt.language_fetch_specs(["KU272", "KU217"], ["MK16"])[0])


def test_fixture_is_labelled_synthetic_and_shaped_like_real_response() -> None:
    doc = _fixture_doc()
    real = json.loads((Path(__file__).parent / "fixtures/pxweb/statfin_11re_jsonstat2_three_cities_2025.json")
                      .read_text(encoding="utf-8"))
    assert "SYNTHETIC" in doc["note"][0]
    assert set(doc) - {"status"} == set(real)
    assert doc["id"] == ["alue_23_20260101", "kieli_15_20180102", "sukupuoli_9_20180101", "timeperiod_y",
                         "contentscode"]
    assert list(doc["dimension"]["contentscode"]["category"]["index"]) == ["vaerak-vaesto"]


def test_11rm_spec_selects_the_real_codes() -> None:
    from analysis.sources.pxweb_query import build_selection, parse_metadata

    meta = parse_metadata(_metadata_from(_fixture_doc()), "11rm", "fixture")
    selection, notes = build_selection(_spec_11rm(), meta)
    assert selection["kieli_15_20180102"] == ["SSS", "01", "02", "fi", "sv", "se"]
    assert selection["alue_23_20260101"] == ["KU272", "KU217"]
    assert selection["contentscode"] == ["vaerak-vaesto"]
    assert selection["sukupuoli_9_20180101"] == ["SSS"]
    assert any("SSS" in n for n in notes)  # the fixture has no whole-country row; the client notes it


def _population_rows() -> pd.DataFrame:
    from analysis.sources.jsonstat import jsonstat2_observations
    from analysis.sources.pxweb_query import parse_metadata

    doc = _fixture_doc()
    meta = parse_metadata(_metadata_from(doc), "11rm", "fixture")
    return jsonstat2_observations(doc, _spec_11rm(), meta)


def test_11rm_fixture_becomes_population_by_language_rows() -> None:
    rows = _population_rows()
    assert set(rows["measure"]) == {"population"}
    assert set(rows["language"]) == {"SSS", "01", "02", "fi", "sv", "se"}
    got = rows.set_index(["area_code", "period", "language"])["value"]
    assert got[("KU272", "2024", "02")] == 2400
    assert math.isnan(got[("KU217", "2023", "se")])  # suppressed '...' stays missing, never 0


def test_population_by_language_area_share_from_counts(embedded: Store) -> None:
    store = Store(pd.concat([embedded.observations, _population_rows()], ignore_index=True), embedded.provenance)
    assert fl.availability(at(store, TWO, LATER))["population_by_language"]
    pop = fl.population_by_language(at(store, TWO, LATER)).set_index(["area_code", "period", "language"])
    # KU272 2023: 2000 / 45000
    assert pop.loc[("KU272", "2023", "02"), "share_pct"] == pytest.approx(2000 / 45000 * 100)
    # area 2024: (2400 + 170) / (45200 + 5148)
    assert pop.loc[("test-two", "2024", "02"), "population"] == 2570
    assert pop.loc[("test-two", "2024", "02"), "share_pct"] == pytest.approx(2570 / 50348 * 100)
    # Sámi: KU217 suppressed, so the area sum is missing (a partial sum is never published)
    assert math.isnan(pop.loc[("test-two", "2024", "se"), "population"])
    table = pfl.population_table(at(store, TWO, LATER), "fi")
    assert table.iloc[0, 0] == "Kaksi kuntaa"
    assert table.iloc[0, 1] == "2\u00a0570" and table.iloc[0, 2] == "5,1\u00a0%"


# --- a store with unemployment and employment by language (synthetic) -----------------------

UNEMP = {  # (month, area) -> language -> unemployed jobseekers
    ("2022-09", "KU272"): {"SSS": 1400, "02": 250, "fi": 1050, "sv": 100},
    ("2022-09", "KU217"): {"SSS": 140, "02": 5, "fi": 130, "sv": 5},
    ("2023-08", "KU272"): {"SSS": 1450, "02": 290, "fi": 1060, "sv": 100},
    ("2023-08", "KU217"): {"SSS": 145, "02": 6, "fi": 132, "sv": 7},
    ("2023-09", "KU272"): {"SSS": 1500, "02": 300, "fi": 1100, "sv": 100},
    ("2023-09", "KU217"): {"SSS": 150, "02": 6, "fi": 137, "sv": 7},
    ("2024-01", "KU272"): {"SSS": 1550, "02": 310, "fi": 1140, "sv": 100},
    ("2024-01", "KU217"): {"SSS": 150, "02": None, "fi": 140, "sv": 7},
}
LABOUR = {  # (year, area) -> language -> labour force; no 2024 (the rate must stay missing)
    ("2022", "KU272"): {"02": 1800, "fi": 19000, "sv": 2500},
    ("2022", "KU217"): {"02": 45, "fi": 2000, "sv": 60},
    ("2023", "KU272"): {"02": 2000, "fi": 20000, "sv": 2500},
    ("2023", "KU217"): {"02": 40, "fi": 2000, "sv": 60},
}
LABOUR_MONTHLY = {  # (month, area) -> language -> labour force at 2023-09, equal to the 2023 year:
    # a review of 2023Q3 cannot know the annual 2023 figure (published after the year), only a month's
    ("2023-09", "KU272"): {"02": 2000, "fi": 20000, "sv": 2500},
    ("2023-09", "KU217"): {"02": 40, "fi": 2000, "sv": 60},
}


def _rows(table: str, measure: str, data: dict, **extra: str) -> list[dict]:
    return [{"table_id": table, "period": p, "area_code": a, "measure": measure, "language": lang,
             "value": math.nan if v is None else float(v), **extra}
            for (p, a), by_lang in data.items() for lang, v in by_lang.items()]


@pytest.fixture(scope="module")
def full(embedded: Store) -> Store:
    rows = _rows("test-tyonv-kieli", "unemployed_jobseekers", UNEMP)
    rows += _rows("test-tyonv-kieli", "labour_force", LABOUR)
    rows += _rows("test-tyonv-kieli", "labour_force", LABOUR_MONTHLY)
    rows += _rows("test-tyokay-kieli", "employment_rate_pct",
                  {("2022", "KU272"): {"02": 55.5, "fi": 75.1, "sv": 78.0},
                   ("2022", "MK16"): {"02": 54.0, "fi": 74.0, "sv": 77.5}}, age_group="20-64")
    rows += _rows("12r5", "unemployed_foreign_nationals",
                  {("2022-09", "KU272"): {"SSS": 180}, ("2022-09", "KU217"): {"SSS": 2},
                   ("2023-09", "KU272"): {"SSS": 210}, ("2023-09", "KU217"): {"SSS": 3}})
    extra = tidy(pd.DataFrame(rows))
    return Store(pd.concat([embedded.observations, extra], ignore_index=True), embedded.provenance)


def test_unemployment_by_language_sums_and_rates(full: Store) -> None:
    ser = fl.unemployment_by_language(at(full, TWO, "2024Q1")).set_index(["area_code", "period", "language"])
    area = ser.loc[("test-two", "2023-09", "02")]
    assert area["unemployed"] == 306 and area["total_unemployed"] == 1650
    assert area["share_of_unemployed_pct"] == pytest.approx(306 / 1650 * 100)
    assert area["labour_force"] == 2040 and area["unemployment_rate_pct"] == pytest.approx(15.0)
    assert not area["rate_unreliable"]
    kannus = ser.loc[("KU217", "2023-09", "02")]
    assert kannus["unemployment_rate_pct"] == pytest.approx(6 / 40 * 100) and kannus["rate_unreliable"]
    # a member missing -> the area sum is missing; no 2024 labour force -> no 2024 rate
    assert math.isnan(ser.loc[("test-two", "2024-01", "02"), "unemployed"])
    assert math.isnan(ser.loc[("KU272", "2024-01", "02"), "unemployment_rate_pct"])
    # as of 2023Q3: no 2024 month, and 2023-08 has no rate (the 2023 labour force is not yet known)
    then = fl.unemployment_by_language(at(full, TWO)).set_index(["area_code", "period", "language"])
    assert "2024-01" not in set(then.index.get_level_values("period"))
    assert math.isnan(then.loc[("test-two", "2023-08", "02"), "unemployment_rate_pct"])
    assert then.loc[("test-two", "2023-09", "02"), "unemployment_rate_pct"] == pytest.approx(15.0)


def test_language_summary_quarter_and_year_ago(full: Store) -> None:
    summary = fl.language_summary(at(full, TWO)).set_index("language")
    assert list(summary.index) == ["02", "fi", "sv"]
    foreign = summary.loc["02"]
    assert (foreign["month"], foreign["month_year_ago"]) == ("2023-09", "2022-09")
    assert foreign["unemployed_year_ago"] == 255 and foreign["change"] == 51
    assert foreign["change_pct"] == pytest.approx(20.0)
    assert foreign["rate_change_pp"] == pytest.approx(15.0 - 255 / 1845 * 100)
    assert summary.loc["fi", "unemployment_rate_pct"] == pytest.approx(1237 / 22000 * 100)


def test_reference_month(embedded: Store) -> None:
    scope = at(embedded)
    assert scope.pick_month(["2023-08", "2023-09", "2023-10"]) == "2023-09"
    assert scope.pick_month(["2023-07", "2023-08"]) == "2023-08"
    assert scope.pick_month(["2023-10"]) is None


def test_kpi_values_with_data(full: Store) -> None:
    kpi = fl.kpi_values(at(full, TWO, "2024Q1"))
    assert kpi["available"].all()
    unemp = kpi[kpi["component"] == "unemployment_rate"].set_index("period")
    assert list(unemp.index) == ["2022-09", "2023-08", "2023-09"]  # 2024-01 has no rate
    assert unemp.loc["2023-09", "value"] == pytest.approx(15.0)
    assert (unemp["area_code"] == "test-two").all() and (unemp["unit"] == "%").all()
    emp = kpi[kpi["component"] == "employment_rate"].set_index("area_code")
    assert emp.loc["MK16", "value"] == 54.0 and "20-64" in emp.loc["MK16", "note"]
    assert "maakunta" in emp.loc["MK16", "note"]


def test_foreign_nationals_are_separate(full: Store) -> None:
    nat = fl.foreign_nationals(at(full, TWO)).set_index(["area_code", "period"])["value"]
    assert nat[("test-two", "2023-09")] == 213
    table, month = pfl.nationals_table(at(full, TWO), "fi")
    assert month == "2023-09"
    assert list(table.iloc[0]) == ["Kaksi kuntaa", "213", "182"]
    assert list(table.iloc[2]) == ["Kannus", "<5", "<5"]  # counts 1-4 are never published


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_section_with_data_discloses_and_flags(full: Store, lang: str) -> None:
    blocks = [b.data for b in pfl.section_blocks(at(full, TWO, data_source="fetched"), lang)]
    missing = [b for b in blocks if "notice-missing" in b]
    assert len(missing) == 1 and "11rm" in missing[0]  # only population by language is absent
    summary = pfl.unemployment_summary_table(at(full, TWO), lang)
    assert list(summary.iloc[0])[1:5] == ["306", "18,5\u00a0%", "2\u00a0040", "15,0\u00a0%"]
    muni = pfl.unemployment_municipal_table(at(full, TWO), "2023-09", lang)
    assert list(muni.iloc[1])[1:] == ["6", "4,0\u00a0%", "15,0\u00a0% *"]  # labour force 40 < 50: flagged
    emp = pfl.employment_table(at(full, TWO), lang)
    assert list(emp.iloc[-1])[1:3] == ["20-64", "54,0\u00a0%"]
    assert sum("<figure>" in b for b in blocks) == 2


# --- rules shared with other layers ----------------------------------------------------------


def test_labour_force_threshold_is_the_issues_rule() -> None:
    # issue 4: "rates on a labour force under 50 are flagged"; published tables use the same rule
    assert disclosure.MIN_LABOUR_FORCE_FOR_RATE is fl.MIN_LABOUR_FORCE_FOR_RATE
    assert fl.MIN_LABOUR_FORCE_FOR_RATE == 50


def test_strings_have_same_keys_in_both_languages() -> None:
    fi = yaml.safe_load((STRINGS / "fi" / "foreign_language.yaml").read_text(encoding="utf-8"))
    sv = yaml.safe_load((STRINGS / "sv" / "foreign_language.yaml").read_text(encoding="utf-8"))
    assert set(fi) == set(sv)


def test_fetch_specs_and_pending_tables() -> None:
    ids = [s.table_id for s in lt.LANGUAGE_FETCH_SPECS]
    assert ids == ["11rm", "11rl", "159t"]
    assert all(s.frequency == "A" for s in lt.LANGUAGE_FETCH_SPECS)
    assert lt.LANGUAGE_FETCH_SPECS[0].breakdowns == {"Kieli": "language"}
    assert {p.statistic for p in lt.PENDING_LANGUAGE_TABLES} == {"tyonv", "tyokay"}
    assert set(lt.LANGUAGE_TABLES) == {"11rm", "11rl", "159t"}
    pending = {p.statistic: p for p in lt.PENDING_LANGUAGE_TABLES}
    # StatFin's 72 tyonv tables (list of 2026-06-07) have none by language: no id to name.
    assert pending["tyonv"].table_id is None and "nationality" in pending["tyonv"].reason
    # tyokay 115g is the only employment table by language (title from the same list).
    assert pending["tyokay"].table_id == "115g"
    assert pending["tyokay"].title_en.startswith("Population by main type of activity, language")
    assert not any(s.path.endswith("115g.px") for s in lt.LANGUAGE_FETCH_SPECS)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_missing_notices_name_the_findings(embedded: Store, lang: str) -> None:
    blocks = [b.data for b in pfl.section_blocks(at(embedded), lang)]
    joined = " ".join(b for b in blocks if "notice-missing" in b)
    # unemployed by language: no StatFin table; the foreigner tables are by nationality
    assert "12tg" in joined and "12t9" in joined
    # employment by language: 115g, whole country only
    assert "115g" in joined and "2000–2024" in joined


def test_notebook_is_thin_and_clean() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    names = [line.split(":")[0] for line in params[0].source.splitlines() if line.strip()]
    assert names == ["area", "period", "data_source", "output_dir", "lang"]
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None
            assert "def " not in cell.source
