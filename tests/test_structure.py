"""Unemployment structure (issue 3): figures pinned to the official values in data/raw.

Expected values are read from ``data/raw/tyonv_12r5_monthly_2006_2023.csv`` and
``tyonv_12ti_occupations_mk16_sss_2006_2023.csv`` (StatFin 12r5 / 12ti); changes and rates are
computed by hand in the comments.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import names
from analysis.errors import DataValidationError
from analysis.indicators import structure
from analysis.present import structure as present
from analysis.present.text import catalogue
from analysis.schema import StoreError
from analysis.sources.catalog import MEASURES_12R5
from analysis.store import aggregate_areas, load_store
from analysis.store.scope import Scope

FIXTURE_12R5 = Path(__file__).parent / "fixtures" / "structure" / "fetched_12r5"
PX_SAMPLE = Path(__file__).parent / "fixtures" / "pxweb" / "statfin_tyonv_pxt_12r5_eckero_2024.px"


@pytest.fixture(scope="module")
def fetched():
    """Embedded snapshot with 12r5 replaced by the synthetic fetched-shape fixture."""
    return load_store(str(FIXTURE_12R5))


def row(frame: pd.DataFrame, **where: str) -> pd.Series:
    mask = np.ones(len(frame), dtype=bool)
    for col, value in where.items():
        mask &= frame[col].to_numpy() == value
    assert mask.sum() == 1, where
    return frame[mask].iloc[0]


# --------------------------------------------------------------------------- pinned official figures


def test_key_figures_2023_10_match_statfin(store, kp_area):
    kf = structure.key_figures(Scope.of(store, kp_area, "2023Q4")).set_index("indicator")  # only 2023-10 is held
    assert (kf["month"] == "2023-10").all()
    u = kf.loc["unemployed_jobseekers"]
    assert u["value"] == 2371 and u["value_year_ago"] == 2176  # MK16 2023-10, 2022-10
    assert u["change"] == 195  # 2371 - 2176
    assert u["change_pct"] == pytest.approx(195 / 2176 * 100)  # 8,96 %
    r = kf.loc["unemployment_rate_pct"]
    assert r["value"] == pytest.approx(2371 / 30259 * 100)  # 7,8 %
    assert r["change"] == pytest.approx(2371 / 30259 * 100 - 2176 / 30451 * 100)
    v = kf.loc["open_vacancies"]
    assert (v["value"], v["value_year_ago"], v["change"]) == (399, 666, -267)


def test_key_table_is_formatted_in_finnish(store, kp_area):
    table = present.key_table(Scope.of(store, kp_area, "2023Q4"), "fi")
    assert list(table.iloc[0, 2:6]) == ["2\u00a0371", "2\u00a0176", "+195", "+9,0\u00a0%"]
    assert table.iloc[1, 2] == "7,8\u00a0%"


def test_level_table_2023q3(store, kp_area):
    lv = structure.level_table(Scope.of(store, kp_area, "2023Q3"))
    area = row(lv, area_code="keski-pohjanmaa")
    assert (area["unemployed"], area["unemployed_year_ago"], area["unemployed_month_ago"]) == (2307, 2132, 2364)
    assert area["change_year"] == 175 and area["change_month"] == -57
    assert area["labour_force"] == 30259
    assert area["quarter_mean_unemployed"] == pytest.approx((2889 + 2364 + 2307) / 3)  # 2023-07..09
    kokkola = row(lv, area_code="KU272")
    assert (kokkola["unemployed"], kokkola["change_year"]) == (1711, 115)  # 1711 - 1596
    assert kokkola["change_year_pct"] == pytest.approx(115 / 1596 * 100)
    lesti = row(lv, area_code="KU421")
    assert (lesti["unemployed"], lesti["change_year"]) == (14, -6)  # 14 - 20
    assert lesti["change_year_pct"] == pytest.approx(-30.0) and not lesti["base_unreliable"]  # base 20
    halsua = row(lv, area_code="KU074")
    assert halsua["rate"] == pytest.approx(43 / 429 * 100)  # 10,0 %
    assert row(lv, area_code="SK161")["change_year"] == 25  # 409 - 384
    assert row(lv, area_code="SSS")["change_year"] == 16896  # 249769 - 232873
    assert list(lv["level"].unique()) == ["area", "municipality", "subregion", "region", "country"]


@pytest.mark.parametrize("period, month, unemployed, year_ago, labour_force", [
    ("2019Q2", "2019-06", 2415, 2605, 30707),  # MK16 2019-06 vs 2018-06
    ("2015Q1", "2015-03", 3288, 2933, 31275),  # MK16 2015-03 vs 2014-03
])
def test_area_in_earlier_years(store, kp_area, period, month, unemployed, year_ago, labour_force):
    kf = structure.key_figures(Scope.of(store, kp_area, period)).set_index("indicator")
    u = kf.loc["unemployed_jobseekers"]
    assert (u["month"], u["value"], u["value_year_ago"]) == (month, unemployed, year_ago)
    assert u["change_pct"] == pytest.approx((unemployed - year_ago) / year_ago * 100)
    assert kf.loc["unemployment_rate_pct", "value"] == pytest.approx(unemployed / labour_force * 100)


def test_kannus_2015_change(store, kp_area):
    lv = structure.level_table(Scope.of(store, kp_area, "2015Q1"))
    assert row(lv, area_code="KU217")["change_year"] == 59  # 297 - 238


def test_eight_municipalities_sum_to_region(store, kp_area):
    obs = store.select(["unemployed_jobseekers", "labour_force"], table_id="12r5")
    summed = aggregate_areas(obs, kp_area.members, "sum").set_index(["measure", "period"])["value"]
    region = obs[obs["area_code"] == "MK16"].set_index(["measure", "period"])["value"]
    assert len(region) == 2 * 215  # 2006-01..2023-10 and 2026-06
    pd.testing.assert_series_equal(summed.sort_index(), region.sort_index(), check_names=False)


def test_vacancies_of_area_use_the_region_where_small_cells_are_suppressed(store, kp_area):
    obs = store.select("open_vacancies", table_id="12r5")
    partial = aggregate_areas(obs, kp_area.members, "sum").set_index("period")["value"]
    assert np.isnan(partial["2023-10"])  # Halsua and Lestijärvi cells are empty, never 0
    counts = Scope.of(store, kp_area, "2023Q4").counts(["open_vacancies"]).set_index("period")["value"]
    assert counts["2023-10"] == 399  # the published MK16 value


def test_region_ranking(store, kp_area):
    ranking = structure.region_ranking(Scope.of(store, kp_area, "2023Q3"))
    assert len(ranking) == 19 and sorted(ranking["rank"]) == list(range(1, 20))
    top = ranking.iloc[0]
    assert top["area_code"] == "MK12" and top["rate"] == pytest.approx(8838 / 71079 * 100)
    own = ranking[ranking["is_area_region"]].iloc[0]
    assert own["area_code"] == "MK16" and own["rank"] == 16


def test_trend_removes_the_season(store, kp_area):
    tr = structure.trend(Scope.of(store, kp_area, "2023Q3"))
    assert tr["period"].iloc[-1] == "2023-09" and tr["observed"].iloc[-1] == 2307
    assert tr.set_index("period").loc["2023-07", "observed"] == 2889  # MK16 2023-07
    # the July peaks are in the seasonal part, so the trend moves far less month to month
    assert tr["trend"].diff().abs().mean() < 0.25 * tr["observed"].diff().abs().mean()
    july = tr[tr["period"].str.endswith("-07")]["seasonal"]
    assert (july > 0).all()


def test_reference_month_outside_data(store, kp_area):
    with pytest.raises(StoreError, match="no month of 2024Q1"):
        structure.level_table(Scope.of(store, kp_area, "2024Q1"))


# --------------------------------------------------------------------------- occupations


def test_occupation_rows_add_up_to_total_with_explicit_remainder(store, kp_area):
    groups = structure.occupation_groups(Scope.of(store, kp_area, "2023Q4"), 1)  # 2023-10
    total = groups[groups["kind"] == "total"].iloc[0]
    missing = groups[groups["kind"] == "missing"].iloc[0]
    assert (total["unemployed"], total["vacancies"]) == (2371, 399)
    # data/SOURCES.md: the non-empty occupation rows of MK16 2023-10 add up to 2 064 and 251
    assert missing["unemployed"] == 2371 - 2064
    assert missing["vacancies"] == 399 - 251
    body = groups[groups["kind"] != "total"]
    assert body["unemployed"].sum() == 2371
    assert set(body["group_code"]) == {*map(str, range(10)), "X", "missing"}


def test_two_digit_groups_and_top_occupations(store, kp_area):
    g2 = structure.occupation_groups(Scope.of(store, kp_area, "2023Q4"), 2)
    assert "01" in set(g2["group_code"]) and "63" not in set(g2["group_code"])
    top = structure.top_occupations(Scope.of(store, kp_area, "2023Q4"), n=50).set_index("occupation_code")
    assert top.loc["5223", "unemployed"] == 95 and top.loc["7115", "unemployed"] == 97
    assert np.isnan(top.loc["7115", "vacancies"])  # empty cell in 12ti, not 0
    assert top.loc["5223", "tightness"] == pytest.approx(24 / 95)


def test_group_names_file(tmp_path):
    groups = names.load_occupation_groups()
    main = groups[groups["level"] == 1]
    assert len(main) == 10
    group_name = dict(zip(groups["group_code"], groups["group_name_fi"]))
    assert group_name["7"] == "Rakennus-, korjaus- ja valmistustyöntekijät"
    assert group_name["01"] == "Upseerit" and group_name["63"] == ""  # no sourced name: stays empty
    assert group_name["26"] == "Lainopilliset, sosiaalialan ja kulttuurialan er."  # StatFin's shortened label
    assert (groups.loc[groups["group_name_fi"] != "", "verified_in"] != "").all()
    bad = tmp_path / "groups.csv"
    bad.write_text("group_code,level,group_name_fi,verified_in\n1,1,Johtajat,x\n12,1,Väärä,x\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"groups.csv, row 3, column 'group_code'"):
        names.load_occupation_groups(bad)


def test_swedish_group_names_have_a_source_and_never_stand_in_for_a_missing_finnish_check(tmp_path):
    """Statistikcentralen's Swedish names (Yrkesklassificering 2010) for 43 of the 53 groups; the 10
    without one (01-03, 83, 91-96) keep their Finnish name in the Swedish review, said once."""
    groups = names.load_occupation_groups().set_index("group_code")
    sv = groups["group_name_sv"]
    assert (sv != "").sum() == 43 and (groups.loc[sv != "", "verified_in_sv"] != "").all()
    assert sv["0"] == "Militärer" and sv["9"] == "Övriga arbetstagare"
    assert sv["71"] == "Byggnadsarbetare m.fl. (utom elmontörer)"
    assert sv["26"] == "Specialister inom juridik samt inom social- och kultursektorn"
    assert set(sv[sv == ""].index) == {"01", "02", "03", "83", "91", "92", "93", "94", "95", "96"}
    group_name = names.group_names("sv")
    assert group_name["71"].startswith("Byggnadsarbetare") and group_name["83"] == "Kuljetustyöntekijät"  # Finnish kept
    assert group_name["91"] == "Siivoojat, kotiapulaiset ja muut puhdistustt"  # StatFin's shortened Finnish label
    assert names.finnish_only(["71", "83", "91", "01"], "sv") == ["01", "83", "91"] and names.finnish_only(["83"], "fi") == []
    assert names.group_names("fi")["95"] == "Katumyyjät, kengänkiillottajat ym."
    bad = tmp_path / "groups.csv"
    bad.write_text("group_code,level,group_name_fi,verified_in,group_name_sv,verified_in_sv\n"
                   "1,1,Johtajat,x,Chefer,\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"row 2, column 'verified_in_sv'"):
        names.load_occupation_groups(bad)


def test_swedish_appendix_says_once_which_group_names_are_in_finnish(store, kp_area):
    scope = Scope.of(store, kp_area, "2023Q3")
    sv = "".join(b.data for b in present.occupation_blocks(scope, "sv"))
    assert sv.count("deras namn visas på finska") == 1
    assert "för yrkesgrupperna 01, 02, 03, 83, 91, 92, 93, 94, 95, 96;" in sv
    assert "71 Byggnadsarbetare m.fl. (utom elmontörer)" in sv and "7 Byggnads-, reparations- och" in sv
    fi = "".join(b.data for b in present.occupation_blocks(scope, "fi"))
    assert "suomeksi" not in fi and "71 Rakennustyöntekijät ym. (pl. sähköasentajat)" in fi


def test_unverified_group_shows_code_only():
    assert present.occupation_label("26", {"2": "Erityisasiantuntijat"}, "fi") == "26"
    assert present.occupation_label("2", {"2": "Erityisasiantuntijat"}, "fi") == "2 Erityisasiantuntijat"


def test_beveridge(store, kp_area):
    bev = structure.beveridge(Scope.of(store, kp_area, "2023Q3")).set_index("year")
    assert bev.loc["2023", "months"] == 9 and bev.loc["2022", "months"] == 12
    assert bev.index[0] == "2006"


# --------------------------------------------------------------------------- disclosure and text


def test_disclosure_cells():
    assert present.change_cell(3, 10, "fi") == ".."  # a count 1–4 is never revealed
    assert present.change_cell(14, 20, "fi") == "\u22126"
    assert present.pct_change_cell(14, 20, "fi") == "\u221230,0\u00a0%"
    assert present.pct_change_cell(18, 15, "fi") == "+20,0\u00a0% *"  # base under 20: unreliable
    assert present.change_cell(np.nan, 20, "fi") == "–"


@pytest.mark.parametrize("lang, words", [("fi", ["Trendiä ei voitu laskea", "12r5", "maaliskuuhun 2008 asti"]),
                                          ("sv", ["Trenden kunde inte beräknas", "12r5", "till och med mars 2008"])])
def test_trend_notice_is_in_the_readers_language(store, kp_area, lang, words):
    # the embedded series starts 2006-01: up to 2008-03 there are 27 months, fewer than the 36 STL needs
    with pytest.raises(StoreError, match="fewer than 36"):
        structure.trend(Scope.of(store, kp_area, "2008Q1"))
    text = "".join(b.data for b in present.trend_blocks(Scope.of(store, kp_area, "2008Q1"), lang))
    assert 'class="notice notice-missing"' in text and "<img" not in text
    for word in words:
        assert word in text
    assert "fewer than" not in text and "consecutive" not in text  # no English error text for managers


def test_breakdowns_missing_in_embedded_data(store, kp_area):
    assert structure.breakdowns(Scope.of(store, kp_area, "2023Q3")).empty
    blocks = present.breakdown_blocks(Scope.of(store, kp_area, "2023Q3"), "fi")
    text = "".join(b.data for b in blocks)
    # what is missing and where it is published, in words: no content code, no command (issue 27)
    assert "sukupuolen, iän, työttömyyden keston eikä lomautuksen mukaan" in text and "StatFin-taulukossa 12r5" in text
    assert "TYOTTOMATMIEHET" not in text and "python -m" not in text


def test_the_yearly_peak_of_open_vacancies_is_read_from_the_area_s_own_years(store, kp_area):
    """Keski-Pohjanmaa's open vacancies at the month's end (12r5, the region's published figures) peaked in
    January 2018 (1 069 against 1 068 in February) and in February 2019–2022 (1 455, 1 567, 2 804, 3 257): the
    season is January–February, every year, and the appendix says why (summer jobs are notified then, issue 27)."""
    peak = structure.vacancy_peak(Scope.of(store, kp_area, "2023Q3"))
    assert (peak.first_month, peak.last_month, peak.first_year, peak.last_year) == (1, 2, "2018", "2022")
    assert peak.every_year and (peak.years_in_peak, peak.years) == (5, 5)
    scope = Scope.of(store, kp_area, "2023Q3")
    assert present.vacancy_peak_sentence(scope, "fi") == (
        "Vuosina 2018–2022 avoimia työpaikkoja oli joka vuosi eniten tammi–\u2060helmikuussa, koska silloin "
        "ilmoitetaan kesätyöpaikat.")
    assert present.vacancy_peak_sentence(scope, "sv") == (
        "Åren 2018–2022 fanns det varje år flest lediga arbetsplatser i januari–\u2060februari, eftersom "
        "sommarjobben anmäls då.")
    assert "kesätyöpaikat" in "".join(b.data for b in present.vacancy_blocks(scope, "fi"))


def test_no_summer_job_peak_is_claimed_where_the_data_do_not_show_it(store):
    """Lapland's open vacancies peaked in August 2018 and 2019, January 2020, October 2021 and September 2022: the
    season holding most of those months is August–October, not the start of the year, so no summer-job sentence;
    a review of 2008 has too few complete years before it (the series starts in 2006) for any peak."""
    from analysis import config

    lapland = Scope.of(store, config.get_area("maakunta-lappi"), "2023Q3")
    peak = structure.vacancy_peak(lapland)
    assert (peak.first_month, peak.last_month, peak.years_in_peak, peak.years) == (8, 10, 4, 5)
    assert present.vacancy_peak_sentence(lapland, "fi") is None
    assert structure.vacancy_peak(Scope.of(store, config.get_area("keski-pohjanmaa"), "2008Q3")) is None


def test_the_region_s_rank_is_a_sentence_with_its_month_in_words(store, kp_area):
    text = "".join(b.data for b in present.overview_blocks(Scope.of(store, kp_area, "2023Q3"), "fi"))
    assert ("Syyskuun 2023 lopussa Keski-Pohjanmaan työttömyysaste oli 7,6\u00a0%, mikä on 0,6\u00a0prosenttiyksikköä "
            "korkeampi kuin vuotta aiemmin. Aste oli 19 maakunnan joukossa 16. korkein.") in text
    assert [present.rank_words(r, 19, "sv") for r in (1, 2, 3, 16, 18, 19)] == [
        "den högsta", "den näst högsta", "den 3:e högsta", "den 16:e högsta", "den näst lägsta", "den lägsta"]
    assert [present.rank_words(r, 19) for r in (1, 2, 16, 18, 19)] == [
        "korkein", "toiseksi korkein", "16. korkein", "toiseksi alhaisin", "alhaisin"]


def test_string_files_have_the_same_keys():
    for ns in ("structure", "long_term"):
        fi = {k for k in catalogue("fi") if k.startswith(ns + ".")}
        sv = {k for k in catalogue("sv") if k.startswith(ns + ".")}
        assert fi and fi == sv


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_section_renders(store, kp_area, lang):
    blocks = present.structure_blocks(Scope.of(store, kp_area, "2023Q3", "embedded"), lang)
    text = "".join(b.data for b in blocks)
    assert text.count("<h2>") == 1 and "<h1>" not in text
    assert text.count("<img") == 4 and text.count('alt=""') == 0
    assert ("2\u00a0307" in text) or ("2 307" in text)


# --------------------------------------------------------------------------- fetched 12r5 shape


def test_fixture_is_shaped_like_real_12r5(fetched):
    text = PX_SAMPLE.read_text(encoding="iso-8859-15")
    start = text.index('CODES("Tiedot")=') + len('CODES("Tiedot")=')
    codes = re.findall(r'"([A-Z0-9]+)"', text[start:text.index(";", start)])
    assert codes == list(MEASURES_12R5)  # the 23 content codes of the real table, in order
    obs = fetched.observations[fetched.observations["table_id"] == "12r5"]
    assert set(obs["measure"]) == set(MEASURES_12R5.values()) and len(MEASURES_12R5) == 23
    assert (obs[["occupation_code", "language", "age_group", "sex"]] == "SSS").all().all()


def test_breakdowns_with_fetched_shape(fetched, kp_area):
    bd = structure.breakdowns(Scope.of(fetched, kp_area, "2023Q3")).set_index("measure")
    # fixture rules (see make_fetched_12r5.py): 2023-09 is k = 34, k % 12 = 10
    unemployed = sum(u + 20 for u in (1600, 180, 120, 40, 30, 85, 75, 70))
    men = sum(round((u + 20) * 0.55) for u in (1600, 180, 120, 40, 30, 85, 75, 70))
    assert bd.loc["unemployed_men", "value"] == men
    assert bd.loc["unemployed_men", "share_pct"] == pytest.approx(men / unemployed * 100)
    lt_now = 403 + 8 * 34  # sum of L + 8k
    assert bd.loc["long_term_unemployed", "value"] == lt_now
    assert bd.loc["long_term_unemployed", "change_year"] == 96
    # Lestijärvi's laid-off cell is suppressed: the area takes the region's published value
    laid = sum(round((u + 20) * 0.1) for u in (1600, 180, 120, 40, 85, 75, 70)) + 1
    assert bd.loc["laid_off_full_time", "value"] == laid


def test_the_beveridge_curve_names_the_first_last_and_extreme_years(kp_scope):
    """On a phone every year at the curve's points would overlap: the chart names the first and the last year and
    those of the highest and lowest unemployment rate and the highest vacancy rate (its table lists every year)."""
    from analysis.present.structure import beveridge_years_named

    bev = structure.beveridge(kp_scope)
    named = beveridge_years_named(bev)
    assert {"2006", "2023"} <= named and len(named) <= 5
    assert str(bev.loc[bev["unemployment_rate"].idxmax(), "year"]) in named
    assert str(bev.loc[bev["vacancy_rate"].idxmax(), "year"]) in named
