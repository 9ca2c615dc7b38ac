"""The public analysis API (issue 26): five analysts' questions, each answered in at most five lines of
``analysis.*``, checked against values read by hand from the raw files (a separate pandas read) or the
figures the review prints (MK16 2023-09: 2 307 unemployed, rate 7,6 %, the 16th highest of 19 regions).
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis import api, config
from analysis.errors import UnknownName, UserError
from fixtures.fetched_kp import fetched_kp_store  # noqa: F401  (the pytest fixture)

RAW = config.RAW_DIR
KP_MEMBERS = ["KU272", "KU217", "KU236", "KU074", "KU421", "KU584", "KU849", "KU924"]


@pytest.fixture(scope="module")
def raw_12r5() -> pd.DataFrame:
    return pd.read_csv(RAW / "tyonv_12r5_monthly_2006_2023.csv", dtype={"month": str})


@pytest.fixture(scope="module")
def raw_12ti() -> pd.DataFrame:
    return pd.read_csv(RAW / "tyonv_12ti_occupations_mk16_sss_2006_2023.csv", dtype={"occupation_code": str, "month": str})


# --------------------------------------------------------------------------- the five questions


def test_a_long_term_unemployed_against_a_year_ago_or_said_missing(fetched_kp_store):  # noqa: F811
    # the embedded snapshot has no long-term counts: the frame says so, with no number
    groups = analysis.table("groups", period="2023Q3").set_index("group")
    assert groups.loc["long_term", "status"] == "not_in_data" and math.isnan(groups.loc["long_term", "value"])
    assert groups.loc["unemployed", ["value", "year_ago"]].tolist() == [2307, 2132]
    # a store that holds them (the SYNTHETIC fetched fixture): level, a year earlier, change
    lt = analysis.table("groups", period="2024Q3", data_source=str(fetched_kp_store)).set_index("group").loc["long_term"]
    obs = pd.read_csv(Path(fetched_kp_store) / "observations.csv.gz", dtype=str)
    obs = obs[(obs["table_id"] == "12r5") & (obs["measure"] == "long_term_unemployed") & obs["area_code"].isin(KP_MEMBERS)
              & (obs["sex"] == "SSS") & (obs["age_group"] == "SSS")]
    by_month = obs.assign(value=obs["value"].astype(float)).groupby("period")["value"].sum()
    assert lt["status"] == "ok" and (lt["month"], lt["year_ago_month"]) == ("2024-09", "2023-09")
    assert (lt["value"], lt["year_ago"]) == (by_month["2024-09"], by_month["2023-09"])
    assert lt["change_year"] == by_month["2024-09"] - by_month["2023-09"]


def test_b_top_three_occupations_by_vacancies_per_unemployed_with_names(raw_12ti):
    occ = analysis.table("occupations", period="2023Q3")
    top = occ[occ["level"] == 2].nlargest(3, "vacancies_per_unemployed_low_ratio")
    assert top["occupation_code"].tolist() == ["22", "32", "94"]
    assert top["occupation_name"].tolist() == ["Terveydenhuollon erityisasiantuntijat", "Terveydenhuollon asiantuntijat",
                                               "Avustavat keittiö- ja ruokatyöntekijät"]
    # by hand from the raw 12ti file: an empty four-digit cell is 1–4 persons or jobs; the lowest ratio is
    # the mean of (published + empty cells) vacancies over the mean of (published + 4 x empty) unemployed
    part = raw_12ti[(raw_12ti["area_code"] == "MK16") & raw_12ti["month"].isin(["2023-07", "2023-08", "2023-09"])
                    & raw_12ti["occupation_code"].str.fullmatch(r"\d{4}")]
    part = part.assign(group=part["occupation_code"].str[:2])

    def low(group: str) -> float:
        g = part[part["group"] == group].groupby("month")
        vac = (g["open_vacancies"].sum() + g["open_vacancies"].apply(lambda s: s.isna().sum())).mean()
        une = (g["unemployed_jobseekers"].sum() + 4 * g["unemployed_jobseekers"].apply(lambda s: s.isna().sum())).mean()
        return vac / une

    assert top["vacancies_per_unemployed_low_ratio"].tolist() == pytest.approx([low("22"), low("32"), low("94")])
    assert low("22") == pytest.approx(1.75)  # (28/3) / (16/3), as tests/test_skills.py checks by hand
    assert top.iloc[0]["shortage_rank"] == 1 and top.iloc[0]["tightness_class"] == "shortage"


def test_c_members_rates_2019_to_2023(raw_12r5):
    trend = analysis.table("trend", period="2023Q4")
    members = trend[(trend["level"] == "member") & trend["month"].between("2019-01", "2023-12")]
    rates = members.pivot(index="month", columns="area_name", values="unemployment_rate_pct")
    assert rates.shape == (58, 8) and rates.notna().all().all()  # 12r5 ends 2023-10: 2023Q4 reads to it
    raw = raw_12r5.set_index(["area_code", "month"])
    for code, name, month in (("KU272", "Kokkola", "2019-01"), ("KU924", "Veteli", "2023-10"),
                              ("KU421", "Lestijärvi", "2021-06")):
        assert rates.loc[month, name] == pytest.approx(raw.loc[(code, month), "unemployed_jobseekers"]
                                                       / raw.loc[(code, month), "labour_force"] * 100)
    assert rates.loc["2023-09", "Kokkola"] == pytest.approx(1711 / 21832 * 100)


def test_d_a_named_occupation_groups_forecast_with_its_interval():
    from analysis.forecast import occupations as occ
    from analysis.review.facts import occupation_data

    fc = analysis.forecast("keski-pohjanmaa", "2023Q3", occupation="myyjät")
    row = fc[fc["h"] == 6].iloc[0]
    assert (row["occupation_code"], row["occupation_name"], row["origin"], row["month"]) == (
        "52", "Myyjät, kauppiaat ym.", "2023-09", "2024-03")
    assert row["lo95"] < row["lo80"] < row["forecast"] < row["hi80"] < row["hi95"]
    # the forecast the skills section's table shows for the group, six months ahead
    scope = analysis.scope("keski-pohjanmaa", "2023Q3")
    data = occupation_data(scope)
    summary = occ.forecast_summary(data, occ.forecast(data, "2023-09")[0], 6).set_index("series_id")
    shown = summary.loc["unemployed_jobseekers|2|52"]
    assert (row["forecast"], row["lo80"], row["hi80"]) == pytest.approx((shown["forecast"], shown["lo80"], shown["hi80"]))
    with pytest.raises(UnknownName, match="no occupation group matches '71'; forecast groups: 41, 5, 52"):
        analysis.forecast("keski-pohjanmaa", "2023Q3", occupation="71")


def test_d_the_areas_forecast_is_the_main_pages():
    # the main page of 2023Q3: "noin 2 510 (80 %:n ennusteväli 1 980–3 090)" six months ahead (2024-03)
    fc = analysis.forecast(period="2023Q3")
    row = fc[fc["h"] == 6].iloc[0]
    assert row["month"] == "2024-03" and row["level"] == "total"
    assert [round(row[c], -1) for c in ("forecast", "lo80", "hi80")] == [2510, 1980, 3090]


def test_e_the_regions_rank_among_the_19(raw_12r5):
    regions = analysis.table("regions", period="2023Q3")
    own = regions[regions["is_area_region"]].iloc[0]
    assert len(regions) == 19 and (own["area_code"], own["area_name"], own["rank"]) == ("MK16", "Keski-Pohjanmaa", 16)
    raw = raw_12r5[(raw_12r5["area_level"] == "region") & (raw_12r5["month"] == "2023-09")]
    by_hand = (raw["unemployed_jobseekers"] / raw["labour_force"]).rank(ascending=False)
    assert by_hand[raw["area_code"] == "MK16"].iloc[0] == 16
    assert own["unemployment_rate_pct"] == pytest.approx(2307 / 30259 * 100)
    assert analysis.table("regions", period="2023Q3", lang="sv").set_index("area_code").loc["MK01", "area_name"] == "Nyland"


# --------------------------------------------------------------------------- one computation per figure


def test_the_main_pages_shortage_occupation_is_the_skills_sections():
    from analysis.indicators import skills
    from analysis.present import skills as present_skills

    facts = analysis.facts("keski-pohjanmaa", "2023Q3", forecast=False)
    section = present_skills.compute(analysis.scope("keski-pohjanmaa", "2023Q3"))
    assert facts.top_shortage == skills.shortage(section.tight_now)["group_code"].iloc[0] == "22"
    occ = analysis.table("occupations", period="2023Q3")
    assert occ.loc[occ["shortage_rank"] == 1, "occupation_code"].tolist() == ["22"]
    # the figures' occupations carry the same tightness (no longer the month's published cells read as 0)
    row = facts.occupations.set_index("group_code").loc["32"]
    assert row["tightness_class"] == "uncertain" and row["tightness_low"] == pytest.approx(
        section.tight_now.set_index("group_code").loc["32", "tightness_low"])


def test_the_rate_is_one_computation_for_groups_levels_key_figures_and_facts(raw_12r5):
    from analysis.indicators import structure

    facts = analysis.facts("keski-pohjanmaa", "2023Q3", forecast=False)
    scope = facts.scope
    key = structure.key_figures(scope).set_index("indicator").loc["unemployment_rate_pct"]
    level = facts.levels.set_index("area_code").loc[scope.area.slug]
    group = facts.group("rate")
    mk16 = raw_12r5[raw_12r5["area_code"] == "MK16"].set_index("month")
    now, before = (mk16.loc[m, "unemployed_jobseekers"] / mk16.loc[m, "labour_force"] * 100 for m in ("2023-09", "2022-09"))
    assert key["value"] == level["rate"] == group["value"] == pytest.approx(2307 / 30259 * 100) == pytest.approx(now)
    assert key["change"] == level["rate_change_pp"] == group["change_year"] == pytest.approx(now - before)
    assert group["year_ago_month"] == scope.year_ago("2023-09") == "2022-09"
    assert round(group["value"], 1) == 7.6


# --------------------------------------------------------------------------- the registry


def test_tables_lists_every_table_the_api_builds_with_its_columns():
    listed = analysis.tables()
    assert listed["name"].tolist() == list(api.TABLES) and {"municipalities", "regions", "occupations", "groups",
                                                              "trend"} <= set(listed["name"])
    detail = analysis.tables(columns=True)
    for name in listed["name"]:
        frame = analysis.table(name, period="2023Q3", lang="sv")
        assert frame.columns.tolist() == ["period", *detail.loc[detail["table"] == name, "column"]], name
        assert len(frame) > 0 and (frame["period"] == "2023Q3").all()
    munis = analysis.table("municipalities", period="2023Q3", lang="sv")
    assert set(munis["area_code"]) == set(KP_MEMBERS) and "Karleby" in set(munis["area_name"])


def test_an_unknown_table_names_the_known_ones():
    with pytest.raises(UnknownName) as found:
        analysis.table("municipality")
    assert isinstance(found.value, UserError)
    assert str(found.value) == ("unknown table 'municipality'; known: municipalities, levels, regions, occupations, outlook, "
                                "groups, municipality_groups, trend")
    assert found.value.message("fi").startswith("tuntematon taulukko 'municipality'; tunnetut: municipalities")


def test_the_latest_complete_quarter_is_the_default():
    assert analysis.latest_period() == "2023Q3"  # 12r5 unemployed end 2023-10
    assert analysis.table("regions")["month"].iloc[0] == "2023-09"


def test_docs_tables_md_is_generated_from_the_registry():
    path = config.ROOT / "docs" / "tables.md"
    assert path.read_text(encoding="utf-8") == api.tables_markdown(), (
        "docs/tables.md is out of date: run python -c 'import analysis.api as a; a.write_tables_doc()'")


def test_import_analysis_is_cheap_and_help_names_the_api():
    code = "import sys, analysis; print('pandas' in sys.modules, sorted(set(analysis.__all__) & set(dir(analysis))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("False") and "'table'" in out and "'forecast'" in out
    for name in ("tables()", "table(", "facts(", "forecast(", "scope("):
        assert f"analysis.{name}" in analysis.__doc__
    from analysis.forecast import occupations  # noqa: F401  (the subpackage stays callable as the API)

    assert callable(analysis.forecast) and sys.modules["analysis.forecast"] is analysis.forecast
