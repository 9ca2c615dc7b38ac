"""Skills indicators: roll-up with suppressed cells, forecastability, tightness classes."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.indicators import skills
from analysis.present import skills as present_skills
from analysis.present.text import catalogue
from analysis.store.scope import Scope


def suppression_is_small_counts(store, area_code: str) -> bool:
    """True when no published four-digit cell is 1–4, i.e. empty cells can only be 1–4."""
    for measure in skills.MEASURES:
        cells = skills.occupation_cells(store, area_code, measure).to_numpy()
        if ((cells >= skills.SUPPRESSED_MIN) & (cells <= skills.SUPPRESSED_MAX)).any():
            return False
    return True

LATEST = "2026Q4"  # a period after all embedded data: the as-of cut keeps everything


FIXTURE = "mk16_groups_52_94_2023-09_10.csv"


@pytest.fixture()
def cells() -> dict[str, pd.DataFrame]:
    raw = pd.read_csv(Path(__file__).parent / "fixtures" / "skills" / FIXTURE, dtype={"occupation_code": "str"})
    return {m: raw.pivot(index="month", columns="occupation_code", values=m)
            for m in skills.MEASURES}


def _row(frame: pd.DataFrame, group: str, month: str) -> pd.Series:
    return frame[(frame["group_code"] == group) & (frame["period"] == month)].iloc[0]


def test_rollup_hand_computed_unemployed(cells):
    out = skills.rollup(cells["unemployed_jobseekers"], 2)
    # 2023-10 group 52: published 0+5+8+95+5+0+0+0 = 113, five empty cells (5211 5242 5243 5246 5249)
    r = _row(out, "52", "2023-10")
    assert (r["published_sum"], r["suppressed_cells"], r["lower"], r["upper"]) == (113, 5, 118, 133)
    assert r["value"] == 113  # 4 * 5 = 20 <= 0.20 * 113 = 22.6: the month counts
    # group 94: 9411 empty, 9412 = 30 -> 4 <= 6: counts
    r = _row(out, "94", "2023-10")
    assert (r["published_sum"], r["suppressed_cells"], r["value"]) == (30, 1, 30)


def test_rollup_marks_month_missing_when_suppressed_share_too_large(cells):
    out = skills.rollup(cells["open_vacancies"], 2)
    # 2023-10 group 52 vacancies: published 24 (5223), seven empty cells -> 4*7 = 28 > 4.8: missing
    r = _row(out, "52", "2023-10")
    assert (r["published_sum"], r["suppressed_cells"], r["lower"], r["upper"]) == (24, 7, 31, 52)
    assert math.isnan(r["value"])
    # group 94: 2023-09 both published (18 + 10) -> exact; 2023-10 one empty, 14 -> 4 > 2.8: missing
    assert _row(out, "94", "2023-09")["value"] == 28
    assert math.isnan(_row(out, "94", "2023-10")["value"])


def test_rollup_never_reads_empty_as_zero():
    cells = pd.DataFrame({"5211": [np.nan, np.nan], "5212": [0.0, np.nan]}, index=["2023-01", "2023-02"])
    out = skills.rollup(cells, 2)
    assert out["value"].isna().all()  # S = 0 with suppressed cells is not 0
    assert out["lower"].tolist() == [1, 2] and out["upper"].tolist() == [4, 8]
    with pytest.raises(ValueError):
        skills.rollup(cells, 3)


def test_real_data_suppression_is_small_counts_and_totals_match_sources(store):
    assert suppression_is_small_counts(store, "MK16")
    series = skills.group_series(store, "MK16")
    oct23 = series[(series["period"] == "2023-10") & (series["level"] == "1")]
    published = oct23.groupby("measure")["published_sum"].sum()
    # data/SOURCES.md: MK16 2023-10 non-empty occupation rows add up to 2,064 and 251; those rows
    # include the special X classes (2023-10 in the raw file: X011 8, X211 282, X212 136, X311 18,
    # X411 11 = 455 unemployed, 0 vacancies), which belong to no group: 2,064 - 455 = 1,609
    assert published["unemployed_jobseekers"] == 2064 - 455
    assert published["open_vacancies"] == 251
    total = series[(series["period"] == "2023-10") & (series["level"] == "total")].set_index("measure")["value"]
    assert total["unemployed_jobseekers"] == 2371 and total["open_vacancies"] == 399


def _series(values: dict[str, list[float]], start: str = "2010-01") -> pd.DataFrame:
    rows = []
    for sid, vals in values.items():
        measure, level, group = skills.split_series_id(sid)
        months = [str(p) for p in pd.period_range(start, periods=len(vals), freq="M")]
        rows.append(pd.DataFrame({"measure": measure, "level": level, "group_code": group,
                                  "period": months, "value": vals}))
    return pd.concat(rows, ignore_index=True)


def test_forecastability_reasons():
    n = 60
    ok = [20.0] * n
    gappy = [20.0 if i % 5 else np.nan for i in range(n)]  # 80 % counted
    recent = [20.0] * (n - 1) + [np.nan]
    small = [3.0] * n
    fc = skills.forecastability(_series({
        "unemployed_jobseekers|2|11": ok, "unemployed_jobseekers|2|12": gappy,
        "unemployed_jobseekers|2|13": recent, "unemployed_jobseekers|2|14": small,
    })).set_index("group_code")
    assert fc["reason"].to_dict() == {"11": "ok", "12": "too_many_missing", "13": "recent_missing",
                                      "14": "too_small"}
    assert fc.loc["11", "forecast"] and not fc.loc["12", "forecast"]
    assert fc.loc["12", "share_counted"] == pytest.approx(0.8)


def test_classes_and_bounds():
    assert skills.classify(1.0) == "shortage"
    assert skills.classify(0.999) == "balance"
    assert skills.classify(0.25) == "balance"
    assert skills.classify(0.2499) == "surplus"
    assert skills.classify(float("nan")) == "uncertain"
    assert skills.classify_bounds(1.2, 3.0) == "shortage"
    assert skills.classify_bounds(0.9, 1.1) == "uncertain"


def test_tightness_now_with_bounds():
    rows = []
    for measure, s, k in (("open_vacancies", 30.0, 0), ("unemployed_jobseekers", 20.0, 1)):
        rows.append({"measure": measure, "level": "2", "group_code": "32", "period": "2023-07",
                     "published_sum": s, "suppressed_cells": k, "lower": s + k, "upper": s + 4 * k})
    rows.append({"measure": "open_vacancies", "level": "2", "group_code": "01", "period": "2023-07",
                 "published_sum": 0.0, "suppressed_cells": 1, "lower": 1.0, "upper": 4.0})
    rows.append({"measure": "unemployed_jobseekers", "level": "2", "group_code": "01", "period": "2023-07",
                 "published_sum": 5.0, "suppressed_cells": 0, "lower": 5.0, "upper": 5.0})
    tight = skills.tightness_now(pd.DataFrame(rows), ["2023-07"]).set_index("group_code")
    assert tight.loc["32", "tightness"] == pytest.approx(1.5)
    assert tight.loc["32", "tightness_low"] == pytest.approx(30 / 24)
    assert tight.loc["32", "tightness_high"] == pytest.approx(30 / 21)
    assert tight.loc["32", "class"] == "shortage"
    assert tight.loc["01", "class"] == "small"  # 1 + 5 < 10


def test_class_moves_skip_uncertain():
    now = pd.DataFrame({"group_code": ["a", "b", "c"], "tightness": [1.2, 0.5, 0.1],
                        "class": ["shortage", "balance", "uncertain"]})
    later = pd.DataFrame({"group_code": ["a", "b", "c"], "tightness": [0.8, 0.5, 2.0],
                          "class": ["balance", "balance", "shortage"]})
    moves = skills.class_moves(now, later)
    assert moves["group_code"].tolist() == ["a"]
    assert (moves.loc[0, "class_now"], moves.loc[0, "class_later"]) == ("shortage", "balance")


def test_tightness_forecast_needs_both_measures():
    fc = pd.DataFrame({"measure": ["open_vacancies", "unemployed_jobseekers", "unemployed_jobseekers"],
                       "level": ["2", "2", "2"], "group_code": ["32", "32", "41"], "h": [1, 1, 1],
                       "forecast": [30.0, 20.0, 70.0]})
    out = skills.tightness_forecast(fc, range(1, 7)).set_index("group_code")
    assert list(out.index) == ["32"]
    assert out.loc["32", "tightness"] == pytest.approx(1.5) and out.loc["32", "class"] == "shortage"


def test_strings_same_keys_and_group_labels():
    fi = {k for k in catalogue("fi") if k.startswith("skills.")}
    sv = {k for k in catalogue("sv") if k.startswith("skills.")}
    assert fi == sv and len(fi) > 50
    assert present_skills.group_label("total", "SSS", "sv") == "Alla yrken"
    assert present_skills.group_label("2", "41", "fi") == "41 Toimistotyöntekijät"
    assert present_skills.group_label("2", "26", "fi") == "26"  # no verified name: code only


def test_top_shortage_now_hand_checked(store, kp_area):
    # Raw 12ti rows MK16, 2023-07..09, occupations 22xx (empty = 1-4):
    # vacancies published 5, 6, 0 with 4, 6, 7 empty cells -> bounds 9..21, 12..30, 7..28 (means 9.33..26.33)
    # unemployed published 0, 0, 0 with 2, 1, 1 empty cells -> bounds 2..8, 1..4, 1..4 (means 1.33..5.33)
    res = present_skills.compute(Scope.of(store, kp_area, "2023Q3"))
    assert res.months == ["2023-07", "2023-08", "2023-09"]
    top = skills.ranked(res.tight_now, "shortage", 3)
    assert top["group_code"].tolist() == ["22"]
    assert top.iloc[0]["vacancies"] == pytest.approx(11 / 3)
    row = res.tight_now.set_index("group_code").loc["22"]
    assert row["tightness_low"] == pytest.approx((28 / 3) / (16 / 3))
    assert row["tightness_high"] == pytest.approx((79 / 3) / (4 / 3))


def test_a_period_the_occupation_table_does_not_reach_says_so_and_shows_no_older_months(store, kp_area):
    """12ti ends 2023-10; the review of 2024Q1 (12r5 holds it) showed 2023-08..10 as "now" under the
    caption of 2024Q1: it now says where the occupation data end."""
    scope = Scope.of(store, kp_area, "2024Q1")
    assert scope.month("12ti") is None and scope.last_held("12ti") == "2023-10"
    assert present_skills.compute(scope) is None
    text = "".join(b.data for b in present_skills.skills_blocks(scope, "fi"))
    assert "päättyvät kuukauteen 2023-10; jakson 2024Q1 kuukausia ei ole vielä aineistossa" in text
    assert "Pula- ja ylitarjonta-ammatit nyt" not in text
    sv = "".join(b.data for b in present_skills.skills_blocks(scope, "sv"))
    assert "slutar med månaden 2023-10" in sv


def test_ranked_uses_bounds():
    tight = pd.DataFrame({"group_code": ["a", "b"], "tightness": [5.0, 2.0], "tightness_low": [1.1, 1.8],
                          "tightness_high": [20.0, 2.2], "class": ["shortage", "shortage"]})
    assert skills.ranked(tight, "shortage")["group_code"].tolist() == ["b", "a"]
    assert skills.ranked(tight.drop(columns=["tightness_low", "tightness_high"]), "shortage")["group_code"].tolist() == ["a", "b"]


def test_section_says_so_when_data_too_short(store, kp_area):
    from analysis.schema import Store

    obs = store.observations
    short = obs[(obs["table_id"] == "12ti") & (obs["period"] >= "2021-01")]
    r5 = obs[obs["table_id"] == "12r5"]
    small = Store(pd.concat([short, r5], ignore_index=True), store.provenance)
    res = present_skills.compute(Scope.of(small, kp_area, "2023Q3"))
    assert res is not None and res.forecast is None
    assert "backtest origins" in res.forecast_problem
    html = "".join(b.data for b in present_skills.skills_blocks(Scope.of(small, kp_area, "2023Q3"), "fi"))
    assert "Ennusteita ei voitu laskea" in html and "python -m analysis fetch" in html
    assert "Pula- ja ylitarjonta-ammatit nyt" in html  # the current situation is still shown
    assert res.headline is None and res.backtest is None


def test_a_past_period_shows_the_forecast_made_then_without_the_published_accuracy(store, kp_area):
    """2020Q1: the data end at 2020-03 and hold 21 of the 24 backtest origins the accuracy figures
    need; the data begin in 2006, so they are not too short: the forecasts and fan charts are shown,
    the accuracy sub-section says why its figures are not."""
    scope = Scope.of(store, kp_area, "2020Q1")
    res = present_skills.compute(scope)
    assert res.forecast is not None and res.forecast_problem == ""
    assert res.headline is None and res.backtest is None and res.protocol_origins == 21
    html = "".join(b.data for b in present_skills.skills_blocks(scope, "fi"))
    assert "Ennusteita ei voitu laskea" not in html and html.count("<figure") >= 1
    assert "tarvitsee 24 ennustehetkeä kuukaudesta 2015-01 alkaen" in html and "niitä on 21." in html


def test_the_section_given_the_forecasts_occupation_data_shows_the_same(store, kp_area):
    """The review's forecast step computes the area's occupation panel once; the section given it
    shows what it shows computing its own."""
    from analysis.forecast import occupations as occ

    scope = Scope.of(store, kp_area, "2023Q3")
    data = occ.occupation_panel(scope.store, scope.occupation_code)
    given, own = present_skills.compute(scope, data), present_skills.compute(scope)
    assert given.data is data
    pd.testing.assert_frame_equal(given.tight_now, own.tight_now)
    pd.testing.assert_frame_equal(given.forecast, own.forecast)
    assert repr(given.headline) == repr(own.headline)  # NaN where no case: equal, as text
