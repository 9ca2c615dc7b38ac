"""Forecast models, backtest metrics and the result cache (small synthetic panels; fast)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import cache
from analysis.forecast import accuracy, intervals, models
from analysis.forecast import backtest as bt
from analysis.present import skills as present_skills

IDS = ("unemployed_jobseekers|2|41", "open_vacancies|2|41")


def synthetic_panel(n_months: int = 120, seed: int = 0, low: bool = False) -> models.Panel:
    """Synthetic monthly counts (tests only): seasonal, trending series; one falls towards zero."""
    rng = np.random.default_rng(seed)
    months = tuple(str(p) for p in pd.period_range("2006-01", periods=n_months, freq="M"))
    t = np.arange(n_months)
    season = 1 + 0.3 * np.sin(2 * np.pi * t / 12)
    a = 200 * season * (1 + 0.002 * t) + rng.normal(0, 5, n_months)
    b = (3.0 if low else 60.0) * season * np.exp(-0.01 * t) + rng.normal(0, 0.5, n_months)
    values = np.maximum(np.round(np.column_stack([a, b])), 0)
    national = values * 40 + rng.normal(0, 20, values.shape)
    total = values.sum(axis=1, keepdims=True).repeat(2, axis=1) * 3
    return models.Panel(months, IDS, values, national, total)


# ---- metrics on a hand-computed example ----------------------------------------------------------

def hand_result() -> bt.BacktestResult:
    rows = [
        # series A: |final - actual| = 2, 2 (MAE 2); seasonal naive 5, 5 (MAE 5); naive 0, 10 (MAE 5)
        (IDS[0], "2015-01", 6, 10, 12, 15, 10, 11, 9, 11),
        (IDS[0], "2015-04", 6, 20, 18, 25, 30, 21, 21, 25),
        # series B: final MAE 5, seasonal naive MAE 10
        (IDS[1], "2015-01", 6, 100, 110, 90, 100, 100, 95, 105),
        (IDS[1], "2015-04", 6, 100, 100, 110, 100, 100, 95, 105),
    ]
    cases = pd.DataFrame(rows, columns=["series_id", "origin", "h", "actual", "final", "snaive", "naive",
                                        "pooled", "lo80", "hi80"])
    cases["target"] = ["2015-07", "2015-10", "2015-07", "2015-10"]
    cases["ets"] = np.nan
    cases["lo95"], cases["hi95"] = cases["lo80"] - 10, cases["hi80"] + 10
    scales = pd.Series({IDS[0]: 4.0, IDS[1]: 8.0})
    return bt.BacktestResult(cases, scales, 0.0, 0.0, pd.DataFrame())


def test_mase_hand_computed():
    acc = accuracy.accuracy_by_series(hand_result()).set_index(["series_id", "model"])
    assert acc.loc[(IDS[0], "final"), "mase"] == pytest.approx(2 / 4)
    assert acc.loc[(IDS[0], "snaive"), "mase"] == pytest.approx(5 / 4)
    assert acc.loc[(IDS[0], "naive"), "mase"] == pytest.approx(5 / 4)
    assert acc.loc[(IDS[1], "final"), "mase"] == pytest.approx(5 / 8)
    assert (IDS[0], "ets") not in acc.index  # no ETS forecast: not scored


def test_relative_mase_and_coverage_headline():
    head = accuracy.headline(hand_result())
    # series A: 2/5 = 0.4; series B: 5/10 = 0.5 -> mean 0.45
    assert head.relative_mase_h6 == pytest.approx(0.45)
    # against the naive: A 2/5 = 0.4, B 5/0 -> undefined, left out
    assert head.relative_mase_naive_h6 == pytest.approx(0.4)
    # inside the 80 % interval: A 10 in [9, 11] yes, 20 in [21, 25] no; B both yes -> 3/4
    assert head.coverage80_h6 == pytest.approx(0.75)
    assert (head.series, head.groups, head.origins) == (2, 1, 2)
    assert head.meets_requirement and head.meets_aim


def test_mase_scale_hand_computed():
    values = np.column_stack([np.arange(24.0), np.r_[np.full(12, 5.0), np.full(11, 7.0), np.nan]])
    assert bt.mase_scale(values).tolist() == [12.0, 2.0]


def test_official_origins_follow_protocol():
    months = [str(p) for p in pd.period_range("2006-01", "2023-10", freq="M")]
    origins = bt.official_origins(months)
    assert origins[0] == "2015-01" and origins[-1] == "2023-07"
    assert len(origins) == 35 >= 24
    assert all(o[5:] in ("01", "04", "07", "10") for o in origins)


# ---- models -------------------------------------------------------------------------------------

def test_forecasts_non_negative_and_intervals_ordered():
    panel = synthetic_panel(low=True)
    out = bt.forecast_from(panel, panel.months[-1])
    assert len(out) == 2 * 12
    cols = ["lo95", "lo80", "forecast", "hi80", "hi95"]
    assert (out[cols] >= 0).all().all()
    ordered = np.diff(out[cols].to_numpy(), axis=1) >= -1e-9
    assert ordered.all()
    assert out["target"].iloc[0] == str(pd.Period(panel.months[-1], freq="M") + 1)


def _scrambled_after(panel: models.Panel, o: int, seed: int = 1) -> models.Panel:
    """The panel with every value after month index ``o`` replaced by noise (and the selection mask
    after ``o`` flipped): a forecast made at ``o`` must not change."""
    rng = np.random.default_rng(seed)
    arrays = []
    for arr in (panel.values, panel.national, panel.total):
        out = arr.copy()
        out[o + 1:] = rng.integers(0, 5000, size=out[o + 1:].shape)
        arrays.append(out)
    active = np.ones(panel.values.shape, dtype=bool) if panel.active is None else panel.active.copy()
    active[o + 1:] = ~active[o + 1:]
    return models.Panel(panel.months, panel.ids, *arrays, active)


def test_backtest_uses_no_data_after_origin():
    panel = synthetic_panel()
    origin = "2014-01"
    o = panel.index_of(origin)
    first = bt.run_backtest(panel, [origin], calibration_first="2012-01")
    second = bt.run_backtest(_scrambled_after(panel, o), [origin], calibration_first="2012-01")
    cols = ["naive", "snaive", "ets", "pooled", "combo", "final", "lo80", "hi80", "lo95", "hi95"]
    pd.testing.assert_frame_equal(first.cases[cols], second.cases[cols])
    assert not np.allclose(first.cases["actual"], second.cases["actual"])
    # the forecast made at the origin, with the backtest's past errors, is identical too
    pd.testing.assert_frame_equal(bt.forecast_from(panel, origin, result=first),
                                  bt.forecast_from(_scrambled_after(panel, o), origin, result=second))


def test_backtest_shape_and_snaive():
    panel = synthetic_panel(n_months=110)
    res = bt.run_backtest(panel, ["2014-01", "2014-04"], calibration_first="2013-01")
    # 2014-04 is month 100 of 110: horizons beyond 2015-02 have no target and are dropped
    assert set(res.cases["h"]) == set(range(1, 13))
    assert res.cases["target"].max() == panel.months[-1]
    row = res.cases[(res.cases["origin"] == "2014-01") & (res.cases["h"] == 3)].iloc[0]
    assert row["snaive"] == pytest.approx(panel.values[panel.index_of("2013-04"), 0])
    assert row["naive"] == pytest.approx(panel.values[panel.index_of("2014-01"), 0])


def test_forecast_from_reproduces_the_backtest():
    panel = synthetic_panel()
    res = bt.run_backtest(panel, ["2014-01", "2014-04"], calibration_first="2013-01")
    # 2014-04 is not a January: ETS parameters come from the 2014-01 fit both in the backtest and live
    fc = bt.forecast_from(panel, "2014-04", result=res).set_index(["series_id", "h"])
    cases = res.cases[res.cases["origin"] == "2014-04"].set_index(["series_id", "h"])
    assert len(fc) == 24 and fc.index.isin(cases.index).all()
    for col_fc, col_bt in (("forecast", "final"), ("lo80", "lo80"), ("hi80", "hi80"), ("hi95", "hi95")):
        np.testing.assert_allclose(fc[col_fc].to_numpy(), cases.loc[fc.index, col_bt].to_numpy(), rtol=1e-9)


# ---- the calibration rules on hand-made examples --------------------------------------------------

def test_combine_spreads_a_missing_components_weight():
    logs = {"pooled": np.array([1.0, 1.0]), "ets": np.array([2.0, np.nan]),
            "snaive": np.array([4.0, 4.0]), "naive": np.array([0.0, 0.0])}
    out = models.combine((0.2, 0.4, 0.4, 0.0), logs)
    # series 0: 0.2*1 + 0.4*2 + 0.4*4 = 2.6; series 1 without ETS: (0.2*1 + 0.4*4) / 0.6 = 3.0
    np.testing.assert_allclose(out, [2.6, 3.0])
    # weights only on a missing component: the pooled forecast
    np.testing.assert_allclose(models.combine((0.0, 1.0, 0.0, 0.0), logs), [2.0, 1.0])


def test_conformal_quantiles_hand_computed():
    z = np.array([-2.0, -1.0, 0.0, 1.0, 2.0, np.nan])
    # linear interpolation: the 10 % quantile of 5 values is at position 0.4 -> -2 + 0.4 = -1.6
    np.testing.assert_allclose(intervals.conformal_quantiles(z, (0.1, 0.9), min_count=5), [-1.6, 1.6])
    assert intervals.conformal_quantiles(z, (0.1, 0.9), min_count=6) is None  # NaN does not count


def test_interval_quantiles_use_only_known_targets():
    errors = pd.DataFrame({"h": 6, "target_idx": np.r_[np.arange(60), [100] * 10],
                           "zn": np.r_[np.linspace(-1, 1, 60), [50.0] * 10]})
    q = intervals.interval_quantiles(errors, 59, 6)
    np.testing.assert_allclose(q, np.quantile(np.linspace(-1, 1, 60), models.QUANTILE_PROBS))
    assert intervals.interval_quantiles(errors, 40, 6) is None  # 41 known < 50
    assert intervals.interval_quantiles(errors, 59, 5) is None


def test_rival_table_hand_computed():
    tab = accuracy.rival_table(hand_result()).set_index("model")
    # final: A 2/5 = 0.4, B 5/10 = 0.5 -> 0.45; naive: A 5/5 = 1, B 0/10 = 0 -> 0.5
    assert tab.loc["final", "test"] == pytest.approx(0.45)
    assert tab.loc["naive", "test"] == pytest.approx(0.5)
    assert tab.loc["snaive", "test"] == pytest.approx(1.0)
    assert np.isnan(tab.loc["final", "validation"])
    assert "ets" in tab.index and np.isnan(tab.loc["ets", "test"])  # no ETS forecast at all


# ---- cache --------------------------------------------------------------------------------------

def test_cache_miss_hit_and_new_key(tmp_path):
    calls = []

    def compute():
        calls.append(1)
        return {"x": len(calls)}

    first, hit1 = cache.cached("forecast", "backtest", ("k1",), compute, tmp_path)
    second, hit2 = cache.cached("forecast", "backtest", ("k1",), compute, tmp_path)
    third, hit3 = cache.cached("forecast", "backtest", ("k2",), compute, tmp_path)
    assert (hit1, hit2, hit3) == (False, True, False)
    assert first == second == {"x": 1} and third == {"x": 2}
    (entry,) = (tmp_path / "forecast").glob(f"backtest-{cache.digest('backtest', 'k1')}.pkl")
    entry.write_bytes(b"broken")
    fourth, hit4 = cache.cached("forecast", "backtest", ("k1",), compute, tmp_path)
    assert not hit4 and fourth == {"x": 3}


def test_cache_key_follows_data_and_code():
    panel = synthetic_panel()
    changed = panel.values.copy()
    changed[5, 0] += 1
    other = models.Panel(panel.months, panel.ids, changed, panel.national, panel.total)
    assert cache.digest(panel.digest_bytes()) != cache.digest(other.digest_bytes())
    assert cache.digest(panel.digest_bytes()) == cache.digest(synthetic_panel().digest_bytes())


def test_cache_key_follows_the_forecast_code(tmp_path, monkeypatch):
    """A change to any forecast module (or the group series it reads) gives the occupation data a new
    key at once: the code digest is computed anew at every call (nothing remembered in the process)."""
    import shutil

    from analysis.forecast import occupations as occ

    data = occ.OccupationData("XX", pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), synthetic_panel(), ())
    shutil.copytree(cache.PACKAGE_DIR / "forecast", tmp_path / "forecast", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "indicators").mkdir()
    shutil.copy(cache.PACKAGE_DIR / "indicators" / "skills.py", tmp_path / "indicators")
    monkeypatch.setattr(cache, "PACKAGE_DIR", tmp_path)
    keys = []
    for changed in (None, "forecast/backtest.py", "indicators/skills.py"):
        if changed:
            with open(tmp_path / changed, "a", encoding="utf-8") as fh:
                fh.write("\n# a changed rule\n")
        keys.append(data.key())
    assert len(set(keys)) == 3
    assert data.key() == data.key()


# ---- plain-language accuracy --------------------------------------------------------------------

def test_accuracy_sentence_plain_finnish():
    head = accuracy.Headline(relative_mase_h6=0.85, relative_mase_naive_h6=0.67, relative_mase_selected_h6=0.9,
                             coverage80_h6=0.70, coverage95_h6=0.91, series=14, groups=13, origins=35,
                             first_origin="2015-01", last_origin="2023-07")
    text = present_skills.accuracy_sentence(head, "fi")
    assert "keskimäärin 15\u00a0% lähemmäs" in text and "33\u00a0% lähemmäs" in text
    assert "70\u00a0% tapauksista" in text
    assert not head.meets_requirement and not head.meets_aim
    rule = present_skills.interval_rule_sentence(accuracy.Headline(**{**head.__dict__, "k80": 1.29, "k95": 1.38}), "fi")
    assert "(nyt 1,29 80 %:n ja 1,38 95 %:n välille)" in rule


def test_forecast_summary_change_from_year_ago():
    from analysis.forecast import occupations as occ

    panel = synthetic_panel()
    data = occ.OccupationData("XX", pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), panel, ())
    origin = panel.months[-7]
    target = panel.months[-1]
    fc = pd.DataFrame({"series_id": list(IDS), "origin": origin, "h": 6, "target": target,
                       "forecast": [300.0, 0.0], "lo80": [250.0, 0.0], "hi80": [350.0, 1.0],
                       "measure": ["unemployed_jobseekers", "open_vacancies"], "level": "2", "group_code": "41"})
    out = occ.forecast_summary(data, fc, 6).set_index("series_id")
    year_ago = panel.values[len(panel.months) - 13, 0]
    assert out.loc[IDS[0], "year_ago"] == year_ago
    assert out.loc[IDS[0], "origin_value"] == panel.values[len(panel.months) - 7, 0]
    assert out.loc[IDS[0], "change_pct"] == pytest.approx(100 * (300 / year_ago - 1))


def test_backtest_in_processes_equals_the_sequential_one():
    """The origins' components computed in two forked processes give exactly the sequential result
    (each origin depends only on its own data; the intervals are then computed in time order)."""
    panel = synthetic_panel(n_months=110)
    one = bt.run_backtest(panel, ["2014-01", "2014-04"], calibration_first="2012-01", jobs=1)
    two = bt.run_backtest(panel, ["2014-01", "2014-04"], calibration_first="2012-01", jobs=2)
    assert len(one.cases) > 0 and one.cases["origin"].nunique() == 2
    pd.testing.assert_frame_equal(one.cases, two.cases)
    pd.testing.assert_frame_equal(one.errors, two.errors)
    pd.testing.assert_frame_equal(one.validation, two.validation)


@pytest.mark.parametrize("length", [48, 55, 60, 131])
def test_ets_forecast_is_statsmodels_holt_winters(length):
    """predict_ets is statsmodels' damped additive Holt–Winters forecast with fixed parameters, to the
    last bit, for series of four and five seasons or more and for a series whose tail follows a gap."""
    import warnings

    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    rng = np.random.default_rng(length)
    months = np.arange(length + 10)
    logx = 5 + 0.01 * months + 0.3 * np.sin(2 * np.pi * months / 12) + rng.normal(0, 0.05, len(months))
    logx[9] = np.nan  # the forecast uses the tail after the gap: ``length`` values
    params = {"smoothing_level": 0.4, "smoothing_trend": 0.05, "smoothing_seasonal": 0.2, "damping_trend": 0.9}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = ExponentialSmoothing(logx[10:], trend="add", damped_trend=True, seasonal="add", seasonal_periods=12,
                                        initialization_method="heuristic").fit(optimized=False, **params).forecast(12)
    np.testing.assert_array_equal(models.predict_ets(logx, params, 12), expected)
    assert np.isnan(models.predict_ets(logx[-47:], params, 12)).all()  # under 48 months: no ETS forecast


@pytest.mark.parametrize("seed", range(6))
def test_ets_fit_is_statsmodels_holt_winters_fit(seed):
    """fit_ets finds statsmodels' ``ExponentialSmoothing(...).fit(use_brute=False)`` parameters to the
    last bit, on series of 48 to 130 months, flat or trending, calm or noisy, after a gap or not."""
    import warnings

    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    rng = np.random.default_rng(seed)
    n = int(rng.integers(48, 131))
    months = np.arange(n + 5)
    logx = (4 + 0.03 * seed * months / 12 + 0.4 * np.sin(2 * np.pi * months / 12 + seed)
            + rng.normal(0, 0.02 + 0.05 * seed, len(months)))
    logx[4] = np.nan  # fitted on the tail after the gap: ``n`` months
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ExponentialSmoothing(logx[5:], trend="add", damped_trend=True, seasonal="add", seasonal_periods=12,
                                   initialization_method="heuristic").fit(use_brute=False)
    names = ("smoothing_level", "smoothing_trend", "smoothing_seasonal", "damping_trend")
    assert models.fit_ets(logx) == {name: float(fit.params[name]) for name in names}
    assert models.fit_ets(logx[-47:]) is None  # under 48 months: no ETS


def test_expanding_median_hand_computed():
    # a column 3, (missing), 1, 2 has the medians 3, 3, 2 (of 1 and 3) and 2 (of 1, 2, 3); nothing known yet is NaN
    x = np.array([[3.0, np.nan], [np.nan, np.nan], [1.0, 4.0], [2.0, 6.0]])
    got = models.expanding_nanmedian(x)
    np.testing.assert_array_equal(got[:, 0], [3.0, 3.0, 2.0, 2.0])
    np.testing.assert_array_equal(got[:, 1], [np.nan, np.nan, 4.0, 5.0])


def test_expanding_median_equals_numpys_median_of_every_prefix_exactly():
    import warnings

    rng = np.random.default_rng(3)
    x = np.abs(rng.normal(size=(60, 5)))
    x[rng.random(x.shape) < 0.3] = np.nan
    x[:, 4] = np.nan  # a series never known
    want = np.full_like(x, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for t in range(len(x)):
            want[t] = np.nanmedian(x[: t + 1], axis=0)
    np.testing.assert_array_equal(models.expanding_nanmedian(x), want)


def test_training_rows_are_every_earlier_origin_of_the_series_selected_at_the_origin():
    """The pooled regression's rows at an origin (read from the rows of all origins, computed once per
    horizon): origins from the first training month to ``origin - h``, the series selected at the
    origin only, in origin-then-series order, each with its series' scale at the origin."""
    base = synthetic_panel()
    active = np.ones(base.values.shape, dtype=bool)
    o, h = base.index_of("2014-01"), 3
    active[o, 1] = False  # the second series is not selected at this origin
    panel = models.Panel(base.months, base.ids, base.values, base.national, base.total, active)
    f = models.features(panel)
    x, y, s = models._train_rows(panel, f, o, h)
    first = panel.index_of(models.TRAIN_START)  # 2008-01: two years of lags after 2006-01
    ts = range(first, o - h + 1)
    want_x = np.array([[1.0, f.yoy[t, 0], f.yoy3[t, 0], f.logy[t + h - 12, 0] - f.logy[t + h - 24, 0],
                        f.nat3[t, 0], f.tot3[t, 0]] for t in ts])
    np.testing.assert_array_equal(x, want_x)
    np.testing.assert_array_equal(y, [f.logy[t + h, 0] - f.logy[t + h - 12, 0] for t in ts])
    np.testing.assert_array_equal(s, np.full(len(ts), f.scale[o, 0]))
    # a later origin reads more rows from the same memo, of both series again
    x2, _y2, _s2 = models._train_rows(panel, f, o + 1, h)
    assert len(x2) == 2 * (o + 1 - h - first + 1)


def test_features_are_computed_once_per_panel():
    panel = synthetic_panel()
    assert models.features(panel) is models.features(panel)
    twin = models.Panel(panel.months, panel.ids, panel.values.copy(), panel.national, panel.total)
    assert models.features(twin) is not models.features(panel)
    np.testing.assert_array_equal(models.features(twin).scale, models.features(panel).scale)
