"""Benchmark: accuracy of the occupation-group forecasts (rolling-origin backtest), MK16 by default.

Runs the backtest of :mod:`analysis.forecast.backtest` without the cache, prints the accuracy
table per horizon and per series, and as its last line exactly::

    relative_mase_h6=<x.xx> coverage80=<x.xx> groups=<n> seconds=<s>

``seconds`` is the wall-clock time of the whole run (data, panel, backtest); the CPU time is
printed on the line before. Usage: ``python benchmarks/forecast_accuracy.py [area_code]``.
"""

from __future__ import annotations

import sys
import time

import pandas as pd


def main(argv: list[str]) -> int:
    wall, cpu = time.perf_counter(), time.process_time()
    from analysis.forecast import backtest as bt
    from analysis.forecast import models
    from analysis.forecast import occupations as occ
    from analysis.store import load_store

    area_code = argv[1] if len(argv) > 1 else "MK16"
    store = load_store("embedded")
    data = occ.occupation_panel(store, area_code)
    result, _ = occ.backtest(data, use_cache=False)
    head = bt.headline(result)
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(f"area {area_code}: {head.series} series in {head.groups} groups, "
              f"{head.origins} origins {head.first_origin}..{head.last_origin}, horizons 1-12")
        print("\nPer horizon (MASE = mean over series; rel_* = mean of MASE_final / MASE_rival):")
        print(bt.accuracy_table(result).round(3).to_string(index=False))
        print(f"\nPer series at h={bt.HEADLINE_H}:")
        print(bt.series_table(result).round(3).to_string(index=False))
        nf = occ.not_forecast(data)
        print(f"\nNot forecast: {len(nf)} series; reasons: {nf['reason'].value_counts().to_dict()}")
    cal = result.calibration
    print(f"\nCalibration on the validation cases ({cal.window}; {cal.validation_cases} cases):")
    print("weights per horizon (" + ", ".join(models.COMPONENTS) + "):")
    for h, w in sorted(cal.weights.items()):
        print(f"  h={h:2d}: " + " ".join(f"{x:.1f}" for x in w))
    print(f"interval width multipliers: k80={cal.k80:.2f} k95={cal.k95:.2f}")
    print(f"\nRules that could make the forecast, relative MASE vs seasonal naive at h={bt.HEADLINE_H} "
          "(test = protocol origins; validation = cases that chose the weights):")
    print(bt.rival_table(result).round(3).to_string(index=False))
    print(f"\nInterval rules, 80 % coverage at h={bt.HEADLINE_H} on the protocol origins:")
    print(bt.interval_rules_table(result).round(3).to_string(index=False))
    print(f"\n80 % coverage at h={bt.HEADLINE_H} by target year:")
    print(bt.coverage_by_year(result).round(3).to_string(index=False))
    print(f"relative MASE vs naive at h=6: {head.relative_mase_naive_h6:.2f}; coverage95 at h=6: "
          f"{head.coverage95_h6:.2f}; required <{bt.REQUIRED_RELATIVE_MASE:.2f} with coverage80 in "
          f"{bt.COVERAGE_RANGE[0]:.2f}-{bt.COVERAGE_RANGE[1]:.2f}: {'met' if head.meets_requirement else 'NOT met'}; "
          f"aim {bt.AIM_RELATIVE_MASE:.2f}: {'met' if head.meets_aim else 'NOT met'}")
    seconds = time.perf_counter() - wall
    print(f"cpu_seconds={time.process_time() - cpu:.1f} backtest_seconds={result.seconds:.1f}")
    print(f"relative_mase_h6={head.relative_mase_h6:.2f} coverage80={head.coverage80_h6:.2f} "
          f"groups={head.groups} seconds={seconds:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
