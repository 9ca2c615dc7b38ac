"""The skills-needs outlook: classes by hand, scores by hand, an outlook for every group with data."""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.forecast import outlook
from analysis.indicators import skills


def test_the_realised_class_follows_the_thresholds_and_the_bounds():
    lower_v = np.array([10, 2, 5, 5, 3, 40.0])
    upper_v = np.array([10, 2, 5, 5, 3, 40.0])
    lower_u = np.array([10, 10, 10, 18, 3, 0.0])
    upper_u = np.array([10, 10, 10, 24, 3, 0.0])
    # 10/10 = 1.0 shortage; 2/10 = 0.2 surplus; 5/10 balance; 5/24 … 5/18 = 0.21 … 0.28 straddles 0.25;
    # 3 + 3 = 6 is too small to classify; 40 vacancies and no jobseeker is a shortage
    assert outlook.realised_class(lower_v, upper_v, lower_u, upper_u).tolist() == [0, 2, 1, -1, -1, 0]


def test_macro_f1_and_the_scores_by_hand():
    cases = pd.DataFrame({
        "realised": ["shortage", "shortage", "balance", "surplus"],
        "predicted": ["shortage", "balance", "balance", "surplus"],
        "persistence": ["balance", "balance", "balance", "surplus"],
        "p_shortage": [0.8, 0.4, 0.1, 0.0],
    })
    got = outlook.scores(cases)
    # shortage: TP 1, FN 1 -> 2/3; balance: TP 1, FP 1 -> 2/3; surplus: 1
    assert got["outlook_macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    # persistence: shortage never said -> 0; balance TP 1, FP 2 -> 0.5; surplus 1
    assert got["persistence_macro_f1"] == pytest.approx((0 + 0.5 + 1) / 3)
    assert got["shortage_precision"] == 1.0 and got["shortage_recall"] == 0.5
    assert got["brier_shortage"] == pytest.approx((0.2 ** 2 + 0.6 ** 2 + 0.1 ** 2 + 0) / 4)
    assert got["brier_shortage_persistence"] == pytest.approx(2 / 4)


@pytest.fixture(scope="module")
def kp_rows(store):
    series = pd.concat([skills.group_series(store, "MK16"), skills.group_series(store, "SSS")], ignore_index=True)
    return outlook.panel(series)


def test_every_group_with_data_gets_an_outlook_with_probabilities(kp_rows):
    made = outlook.outlook(kp_rows, "MK16", "2023-09")
    groups_with_data = kp_rows[(kp_rows["area_code"] == "MK16") & (kp_rows["period"] == "2023-09")
                               & (kp_rows["U"] + kp_rows["V"] > 0)]  # jobseekers or vacancies
    assert sorted(made["group_code"]) == sorted(groups_with_data["group_code"])
    assert "71" in set(made["group_code"])  # construction workers: the review's biggest riser
    assert (made["target_period"] == "2024-03").all()
    total = made[["p_shortage", "p_balance", "p_surplus"]].sum(axis=1)
    assert np.allclose(total, 1.0)
    assert set(made["predicted"]) <= set(outlook.CLASS_NAMES)


def test_an_outlook_reads_nothing_after_its_origin(kp_rows):
    """Changing every month after the origin leaves the outlook made at the origin unchanged."""
    before = outlook.outlook(kp_rows, "MK16", "2019-06")
    later = kp_rows.copy()
    after = later["period"] > "2019-06"
    later.loc[after, ["z", "V", "U"]] = later.loc[after, ["z", "V", "U"]] * 3
    later.loc[after, "cls"] = 0
    again = outlook.outlook(later, "MK16", "2019-06")
    pd.testing.assert_frame_equal(before, again)


def _benchmark():
    spec = importlib.util.spec_from_file_location("forecast_accuracy", config.ROOT / "benchmarks" / "forecast_accuracy.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["forecast_accuracy"] = module
    spec.loader.exec_module(module)
    return module


def test_the_benchmarks_read_an_area_list_and_refuse_an_unknown_code_by_name():
    bench = _benchmark()
    assert bench.area_list(["MK02,MK07"], [bench.DEV_FILE]) == ["MK02", "MK07"]
    assert bench.area_list(["MK02", "MK07", "MK16"], [bench.DEV_FILE]) == ["MK02", "MK07", "MK16"]
    with pytest.raises(ValueError, match="MK01, MK04 not in"):
        bench.area_list(["MK01,MK04"], [bench.DEV_FILE])


def test_the_area_result_puts_the_outlook_made_then_beside_what_happened(kp_scope):
    result = outlook.area_result(kp_scope.store, "MK16", "2023-09")
    assert result.then == "2023-03" and result.origin == "2023-09"
    two = result.table[result.table["level"] == 2]
    scored = two[two["class_now"].isin(outlook.CLASS_NAMES) & two["predicted_then"].notna()]
    assert result.scored_then == len(scored) > 0
    assert result.hits_then == int((scored["predicted_then"] == scored["class_now"]).sum())
    assert result.first_scored == "2015-01" and result.last_scored == "2023-03"  # outcomes known by 2023-09
    assert 0 < result.accuracy["hit_share"] <= 1 and result.accuracy["cases"] > 1000
    assert (two["unemployed"] + two["vacancies"] > 0).all()  # only groups with data


def test_the_skills_section_shows_every_group_s_outlook_in_words(kp_scope):
    from analysis.present import skills as present_skills

    text = "".join(b.data for b in present_skills.outlook_blocks(kp_scope, "fi"))
    assert "Työvoimapulan ennakointi puoli vuotta eteenpäin" in text
    assert "onko se maaliskuussa 2024 pula-" in text and "Maaliskuussa 2023 tehty ennakointi" in text
    # no number in a case ending ("18:sta" but "17:stä"): the count stands before a noun in the case
    assert "Maaliskuussa 2023 tehty ennakointi osui oikeaan luokkaan 17 ammattiryhmässä niistä 18 ryhmästä" in text
    groups = outlook.area_result(kp_scope.store, "MK16", "2023-09").table
    assert text.count("<tr>") == (groups["level"] == 2).sum() + 1  # every two-digit group, and the header
    assert "(ennakoinnit tammikuusta 2015 maaliskuuhun 2023, yhteensä 1\xa0484 ammattiryhmän" in text
    sv = "".join(b.data for b in present_skills.outlook_blocks(kp_scope, "sv"))
    assert "om den i mars 2024 är ett bristyrke" in sv and "och månader från januari 2015 till mars 2023)" in sv
    assert "Bedömningen som gjordes i mars 2023 hamnade i rätt klass" in sv
    assert "26 Specialister inom juridik samt inom social- och kultursektorn" in sv


def test_the_main_page_summary_of_mk16_2023q3(kp_scope):
    """The groups the outlook made at 2023-09 expects in shortage in 2024-03, surest first, as
    ``analysis.table("outlook", period="2023Q3")`` lists them (p_shortage_pct 89,8 / 87,8 / 86,2 / 41,1 /
    38,5 / 37,8, outlook_class "shortage"), and the record of the 12 origins 2022-04 … 2023-03 (per origin
    month: hits 8, 10, 9, 8, 6, 8, 9, 8, 11, 10, 15, 13 of 9, 14, 14, 13, 9, 10, 14, 15, 14, 15, 17, 13;
    today's class kept: 6, 7, 9, 8, 6, 7, 9, 13, 11, 7, 10, 10)."""
    from analysis.review.facts import outlook_of

    summary = outlook.summary(outlook_of(kp_scope))
    assert (summary.origin, summary.target) == ("2023-09", "2024-03")
    assert [g.code for g in summary.shortage] == ["22", "32", "52", "82", "54", "33"]
    assert [round(100 * g.p_shortage, 1) for g in summary.shortage] == [89.8, 87.8, 86.2, 41.1, 38.5, 37.8]
    assert summary.shortage[2].name("fi") == "Myyjät, kauppiaat ym."
    assert summary.shortage[2].name("sv") == "Försäljare, butiksinnehavare m.fl."
    assert len(summary.groups) == 39 and len(summary.surplus) == 16
    assert (summary.made, summary.hits, summary.persistence_hits) == (157, 115, 103)
    assert (summary.record_first, summary.record_last, summary.record_months) == ("2022-04", "2023-03", 12)
    assert not summary.short_record and not summary.realised_held  # 2024-03 is not in the data


def test_a_past_outlook_is_shown_beside_what_happened(store, kp_area, kp_scope):
    """2023Q1's outlook (made at 2023-03 for 2023-09) beside the classes of 2023-09, which the data hold:
    they are the classes the 2023Q3 outlook reads as "now". The outlook itself reads nothing after 2023-03."""
    from analysis.store.scope import Scope

    past = outlook.scope_result(Scope.of(store, kp_area, "2023Q1"))
    assert past.origin == "2023-03" and past.realised is not None
    now = outlook.area_result(kp_scope.store, "MK16", "2023-09").table
    now = now[now["level"] == 2].set_index("group_code")["class_now"]
    realised = past.realised.set_index("group_code")["class_realised"]
    assert realised.reindex(now.index).tolist() == now.tolist()
    summary = outlook.summary(past)
    scored = summary.realised_scored
    assert summary.realised_held and len(scored) == 18
    assert sum(g.realised == g.predicted for g in scored) == 17
    assert summary.record_first == "2021-10" and summary.record_last == "2022-09"
