"""Forecast rules on hand-made examples: selection at each origin, adaptive intervals, the
benchmark's metrics and the review's accuracy summary (small synthetic data; fast)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.forecast import backtest as bt
from analysis.forecast import components, intervals, models
from analysis.forecast import occupations as occ
from analysis.indicators import skills

ROOT = Path(__file__).resolve().parents[1]


def _benchmark():
    spec = importlib.util.spec_from_file_location("forecast_accuracy", ROOT / "benchmarks" / "forecast_accuracy.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["forecast_accuracy"] = mod
    spec.loader.exec_module(mod)
    return mod


fa = _benchmark()


# ---- selection at each origin ------------------------------------------------------------------

def _series(values: dict[str, list[float]], start: str = "2009-01") -> pd.DataFrame:
    """Long group series (the shape of skills.group_series) from lists of monthly values (synthetic)."""
    rows = []
    for group, vals in values.items():
        months = [str(p) for p in pd.period_range(start, periods=len(vals), freq="M")]
        rows.append(pd.DataFrame({"measure": "unemployed_jobseekers", "level": "2", "group_code": group,
                                  "period": months, "value": vals}))
    return pd.concat(rows, ignore_index=True)


def test_forecastable_at_decides_from_data_up_to_each_month():
    n = 48  # 2009-01 .. 2012-12
    grow = [2.0] * 30 + [40.0] * 18  # small until 2011-06, then large
    gap = [50.0] * n
    gap[40] = np.nan  # 2012-05 missing: 'recent_missing' for 13 months after it
    series = _series({"11": [30.0] * n, "12": grow, "13": gap})
    active = skills.forecastable_at(skills.wide_values(series))
    col = {g: skills.series_id("unemployed_jobseekers", "2", g) for g in ("11", "12", "13")}
    # HISTORY_START 2010-01: the first month with 13 counted months in the span is 2011-01
    assert not active.loc["2010-12", col["11"]] and active.loc["2011-01", col["11"]]
    # group 12: mean of the last 24 months (from 2010-01) reaches 10 only when enough large months count:
    # at 2012-03 the 24 months 2010-04..2012-03 hold 15 months of 2 and 9 of 40 -> (30 + 360) / 24 = 16.25
    assert not active.loc["2011-06", col["12"]]
    assert active.loc["2012-03", col["12"]]
    assert active.loc["2012-04", col["13"]] and not active.loc["2012-05", col["13"]]
    assert not active.loc["2012-12", col["13"]]
    # the same decision as the one-month rule at every month
    for month in ("2010-12", "2011-01", "2011-06", "2012-03", "2012-05", "2012-12"):
        ref = skills.forecastability(series, month).set_index("series_id")["forecast"]
        assert (active.loc[month, ref.index] == ref).all(), month


def _panel(n_months: int = 120, seed: int = 3) -> models.Panel:
    rng = np.random.default_rng(seed)
    months = tuple(str(p) for p in pd.period_range("2006-01", periods=n_months, freq="M"))
    t = np.arange(n_months)
    season = 1 + 0.2 * np.sin(2 * np.pi * t / 12)
    vals = np.column_stack([100 * season + rng.normal(0, 3, n_months), 60 * season + rng.normal(0, 3, n_months),
                            30 * season + rng.normal(0, 2, n_months)])
    ids = ("unemployed_jobseekers|2|11", "unemployed_jobseekers|2|12", "unemployed_jobseekers|2|13")
    return models.Panel(months, ids, np.round(vals), vals * 30, np.repeat(vals.sum(1, keepdims=True), 3, 1))


def test_a_series_not_selected_at_the_origin_is_neither_forecast_nor_trained_on():
    panel = _panel()
    o = panel.index_of("2014-01")
    active = np.ones(panel.values.shape, dtype=bool)
    active[: o + 1, 2] = False  # series 3 selected only after the origin
    p1 = models.Panel(panel.months, panel.ids, panel.values, panel.national, panel.total, active)
    f1 = models.features(p1)
    out1 = components.origin_components(p1, f1, [], o, (1, 6))
    assert np.isnan(out1[6]["pooled"][2]) and np.isnan(out1[6]["ets"][2])
    # changing the unselected series changes nothing of the others' forecasts (not in the pool)
    vals = panel.values.copy()
    vals[:, 2] *= 7
    p2 = models.Panel(panel.months, panel.ids, vals, panel.national, panel.total, active)
    out2 = components.origin_components(p2, models.features(p2), [], o, (1, 6))
    np.testing.assert_allclose(out1[6]["pooled"][:2], out2[6]["pooled"][:2])
    # while it is selected it does train the pool
    p3 = models.Panel(panel.months, panel.ids, vals, panel.national, panel.total)
    out3 = components.origin_components(p3, models.features(p3), [], o, (1, 6))
    assert not np.allclose(out1[6]["pooled"][:2], out3[6]["pooled"][:2])


def test_ets_anchor_is_the_latest_january():
    months = tuple(str(p) for p in pd.period_range("2013-11", "2015-05", freq="M"))
    assert months[components.ets_anchor(months, months.index("2014-10"))] == "2014-01"
    assert months[components.ets_anchor(months, months.index("2015-01"))] == "2015-01"
    assert components.ets_anchor(months, 1) == 1  # no January before: the origin itself


# ---- adaptive intervals ------------------------------------------------------------------------

def test_turbulence_hand_computed():
    # 60 old errors |z| = 1 (targets 0..59) and 6 recent |z| = 3 at targets 98..100
    errors = pd.DataFrame({"h": np.r_[np.ones(60, int), [1, 2, 3, 1, 2, 3]],
                           "target_idx": np.r_[np.arange(60), [98, 99, 100, 98, 99, 100]],
                           "z": np.r_[np.where(np.arange(60) % 2, 1.0, -1.0), [3.0, -3, 3, -3, 3, 3]]})
    # median |z| of the known (66 values: 60 ones, 6 threes) = 1; recent median = 3
    assert intervals.turbulence(errors, 100) == pytest.approx(3.0)
    assert intervals.turbulence(errors, 100, cap=2.0) == pytest.approx(2.0)
    assert intervals.turbulence(errors, 97) == 1.0  # no recent errors yet
    calm = errors.assign(z=errors["z"] / 10 * np.r_[np.full(60, 10.0), np.ones(6)])
    assert intervals.turbulence(calm, 100) == 1.0  # recent errors smaller: floored at 1


def test_aci_multipliers_hand_computed():
    batches = pd.DataFrame({"h": [6, 6, 6, 5], "target_idx": [10, 13, 16, 10],
                            "miss80": [0.5, 0.3, 0.0, 0.9], "miss95": [0.05, 0.15, 0.0, 0.5]})
    k = intervals.aci_multipliers(batches, 14, 6, eta=0.6)
    # known batches at 14: targets 10 and 13 -> sum(miss80 - 0.2) = 0.3 + 0.1 = 0.4; 95: 0 + 0.1
    assert k[80] == pytest.approx(np.exp(0.6 * 0.4))
    assert k[95] == pytest.approx(np.exp(0.6 * 0.1))
    assert intervals.aci_multipliers(batches, 9, 6) == {80: 1.0, 95: 1.0}


def test_miss_shares_hand_computed():
    actual = np.array([10.0, 20.0, 30.0, np.nan])
    band = np.log1p(np.array([[5.0, 9.0, 11.0, 12.0], [5.0, 9.0, 11.0, 25.0], [29.0, 29.5, 31.0, 40.0],
                              [1.0, 2.0, 3.0, 4.0]]))
    m80, m95 = bt._miss(actual, band)
    # 80 %: 10 in [9, 11] yes, 20 no, 30 yes -> 1/3 missed; 95 %: 10 yes, 20 in [5, 25] yes, 30 yes -> 0
    assert m80 == pytest.approx(1 / 3) and m95 == 0.0


# ---- the benchmark's metrics -------------------------------------------------------------------

def _cases() -> pd.DataFrame:
    rows = [
        # area, series, h, target, actual, final, snaive, combo, lo80, hi80, lo95, hi95
        ("A", "s1", 6, "2019-07", 10, 12, 15, 14, 9, 11, 8, 13),
        ("A", "s1", 6, "2020-04", 20, 18, 25, 20, 21, 25, 15, 30),
        ("A", "s2", 6, "2019-07", 100, 110, 90, 100, 95, 105, 90, 120),
        ("B", "s1", 6, "2019-07", 50, 50, 50, 50, 40, 60, 30, 70),  # a perfect seasonal naive: no ratio
        ("B", "s1", 1, "2020-05", 50, 60, 40, 45, 55, 65, 45, 70),
    ]
    return pd.DataFrame(rows, columns=["area", "series_id", "h", "target", "actual", "final", "snaive", "combo",
                                       "lo80", "hi80", "lo95", "hi95"]).assign(origin="2019-01")


def test_benchmark_relative_mase_and_coverage_hand_computed():
    cases = _cases()
    rel = fa.relative_mase_by_h(cases)
    # h=6: A:s1 MAE (2 + 2)/2 = 2 vs (5 + 5)/2 = 5 -> 0.4; A:s2 10/10 = 1.0; B:s1 snaive MAE 0 -> left out
    assert rel[6] == pytest.approx(0.7)
    # h=1: B:s1 10 / 10
    assert rel[1] == pytest.approx(1.0) and np.isnan(rel[2])
    # vs combo at h=6: A:s1 2 / ((4 + 0)/2 = 2) = 1.0; A:s2 combo MAE 0 -> left out; B:s1 left out
    assert fa.relative_mase_by_h(cases, rival="combo")[6] == pytest.approx(1.0)
    cov80 = fa.coverage_by_h(cases, 80)
    # h=6: 10 in [9, 11] yes; 20 in [21, 25] no; 100 in [95, 105] yes; 50 in [40, 60] yes -> 3/4
    assert cov80[6] == pytest.approx(0.75) and cov80[1] == 0.0
    assert fa.coverage_by_h(cases, 95)[6] == 1.0
    shock = cases[fa.is_shock(cases)]
    assert list(shock["target"]) == ["2020-04", "2020-05"]
    # 80 %: 20 in [21, 25] no, 50 in [55, 65] no; 95 %: 20 in [15, 30] yes, 50 in [45, 70] yes
    assert fa.coverage_all(shock, 80) == 0.0 and fa.coverage_all(shock, 95) == 1.0


def test_benchmark_last_line_format():
    line = fa.last_line(_cases(), 2)
    keys = [part.split("=")[0] for part in line.split()]
    assert keys == ["relative_mase_h6", "vs_combo_h6", "worst_h_relative_mase", "coverage80_min", "coverage80_max",
                    "coverage95_h6", "shock_coverage80", "regions"]
    assert "relative_mase_h6=0.700 " in line and line.endswith("regions=2")
    assert "worst_h_relative_mase=1.000" in line and "coverage80_min=0.000" in line


def test_benchmark_reads_a_12ti_file(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("month,area_code,area_name,occupation_code,unemployed_jobseekers,open_vacancies\n"
                    "2020-01,MK99,X,0110,5,\n2020-01,MK99,X,SSS,50,7\n", encoding="utf-8")
    obs = fa.read_12ti(path)
    assert len(obs) == 4
    val = obs.set_index(["occupation_code", "measure"])["value"]
    assert val[("0110", "unemployed_jobseekers")] == 5 and np.isnan(val[("0110", "open_vacancies")])
    path.write_text("month,area_code,area_name,occupation_code,unemployed_jobseekers,open_vacancies\n"
                    "2020-01,MK99,X,0110,-5,1\n", encoding="utf-8")
    from analysis.errors import DataValidationError

    with pytest.raises(DataValidationError, match="unemployed_jobseekers"):
        fa.read_12ti(path)


# ---- the review's accuracy summary -------------------------------------------------------------

def test_accuracy_summary_hand_computed():
    cases = _cases().drop(columns="area")
    result = bt.BacktestResult(cases, pd.Series(dtype=float), 0.0, 0.0, pd.DataFrame())
    s = occ.accuracy_summary(result, 6)
    # |final - actual| at h=6: 2, 2, 10, 0 -> median 2; relative 20 %, 10 %, 10 %, 0 % -> median 10 %
    assert s.median_abs_error == pytest.approx(2.0)
    assert s.median_abs_error_pct == pytest.approx(10.0)
    assert s.coverage80 == pytest.approx(0.75) and s.cases == 4 and s.origins == 1
    assert occ.accuracy_summary(result, 6, measure="open_vacancies").cases == 0


def test_forecast_vs_actual_puts_the_outcome_beside_the_forecast_made_then():
    panel = _panel()  # 2006-01 .. 2015-12
    data = occ.OccupationData("XX", pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), panel, ())
    out = occ.forecast_vs_actual(data, "2015-06", use_cache=False)
    assert len(out) == 3 * 12 and set(out["h"]) == set(range(1, 13))
    row = out[(out["series_id"] == panel.ids[1]) & (out["h"] == 6)].iloc[0]
    assert row["target"] == "2015-12" and row["actual"] == panel.values[-1, 1]
    assert row["inside80"] == (row["lo80"] <= row["actual"] <= row["hi80"])
    later = out[out["target"] > "2015-12"]
    assert later["actual"].isna().all() and later["inside80"].isna().all()
    assert {"measure", "level", "group_code", "forecast", "lo95", "hi95"} <= set(out.columns)


def test_combination_weights_per_measure_and_matrix_combine():
    ids = ("open_vacancies|2|41", "unemployed_jobseekers|2|41", "unknown|2|41")
    w = bt.combination_weights(ids, 6)
    np.testing.assert_allclose(w[0], bt.HORIZON_WEIGHTS["open_vacancies"][6])
    np.testing.assert_allclose(w[1], bt.HORIZON_WEIGHTS["unemployed_jobseekers"][6])
    np.testing.assert_allclose(w[2], w[1])  # unknown measure: the jobseekers' weights
    assert all(abs(sum(v) - 1) < 1e-9 for table in bt.HORIZON_WEIGHTS.values() for v in table.values())
    logs = {"pooled": np.array([1.0, 1.0]), "ets": np.array([2.0, np.nan]),
            "snaive": np.array([4.0, 4.0]), "naive": np.array([0.0, 0.0])}
    out = models.combine(np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 0.5, 0.5, 0.0]]), logs)
    # series 0: the pooled 1.0; series 1 without ETS: all weight on the seasonal naive 4.0
    np.testing.assert_allclose(out, [1.0, 4.0])


def test_a_warm_cache_does_not_refit(tmp_path, monkeypatch):
    from analysis import config

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path)
    panel = _panel()
    data = occ.OccupationData("XX", pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), panel, ())
    first, hit1 = occ.forecast(data, "2015-06")

    def no_refit(*args, **kwargs):
        raise AssertionError("refitted on a warm cache")

    monkeypatch.setattr(bt, "forecast_from", no_refit)
    second, hit2 = occ.forecast(data, "2015-06")
    assert (hit1, hit2) == (False, True)
    pd.testing.assert_frame_equal(first, second)


def test_a_review_whose_data_end_at_a_backtest_origin_gets_its_forecast(monkeypatch, tmp_path):
    """The monthly review of 2023-07: its data end at a protocol origin, which has no target inside the
    data (max() of no horizons raised ValueError in the skills section and the main page)."""
    from analysis import config
    from analysis.review import facts

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path)
    found, _accuracy = facts.forecast_of(facts_scope("2023-07"))
    assert found is not None
    history, ahead = found[found["kind"] == "history"], found[found["kind"] != "history"]
    assert history["month"].max() == "2023-07" and history["value"].iloc[-1] == 2889  # 12ti, MK16, total, 2023-07
    assert len(ahead) and (ahead["month"] > "2023-07").all() and (ahead["lo80"] <= ahead["value"]).all()


def facts_scope(period: str):
    from analysis.store import load_scope

    return load_scope("keski-pohjanmaa", period)
