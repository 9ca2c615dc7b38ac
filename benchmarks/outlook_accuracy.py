"""Benchmark: out-of-sample accuracy of the skills-needs outlook (shortage / balance / surplus six months ahead).

Rolling origins 2015-01 … (the last month six months before the data end) over 12ti files: the outlook
of :mod:`analysis.forecast.outlook` (one model across every group and area, refitted each January on
what was known then) against persistence (today's class six months later), per region and pooled.
The rules were chosen on the development regions with origins before 2015 (docs/outlook_method.md);
those origins are not scored here.

Usage::

    python benchmarks/outlook_accuracy.py                          # six development regions + MK16
    python benchmarks/outlook_accuracy.py --regions-file F.csv.gz --areas MK02,MK07

The last line is exactly::

    outlook_macro_f1=… persistence_macro_f1=… shortage_precision=… shortage_recall=… brier_shortage=… brier_shortage_persistence=… regions=…
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from forecast_accuracy import DEV_FILE, area_list, build_store  # noqa: E402 - the sibling benchmark's reader

FIRST_TEST_ORIGIN = "2015-01"
KEYS = ("outlook_macro_f1", "persistence_macro_f1", "shortage_precision", "shortage_recall", "brier_shortage",
        "brier_shortage_persistence")


def cases_of(files: list[Path], areas: list[str]) -> pd.DataFrame:
    """Backtest cases of every area (one model across all of them)."""
    from analysis.forecast import outlook
    from analysis.indicators import skills

    store = build_store(files, areas)
    rows = outlook.panel(pd.concat([skills.group_series(store, area) for area in areas], ignore_index=True))
    last = str(rows.loc[rows["target_cls"].notna(), "period"].max())
    return outlook.backtest(rows, FIRST_TEST_ORIGIN, last, areas)


def line(scores: dict[str, float]) -> str:
    return " ".join(f"{key}={scores[key]:.3f}" for key in KEYS)


def main(argv: list[str] | None = None) -> int:
    from analysis.errors import DataValidationError
    from analysis.forecast import outlook

    wall = time.perf_counter()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regions-file", nargs="+", type=Path, default=None,
                        help="12ti file(s) (.csv or .csv.gz); default: the development regions")
    parser.add_argument("--areas", nargs="+", default=None,
                        help="area codes, as a list or with commas (default: all regions in the files)")
    args = parser.parse_args(argv)
    files = args.regions_file or [DEV_FILE]
    try:
        areas = area_list(args.areas, files)
        cases = cases_of(files, areas)
    except (FileNotFoundError, ValueError, DataValidationError, outlook.NotEnoughData) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for area in areas:
        part = cases[cases["area_code"] == area]
        if len(part):
            print(f"{area}: {line(outlook.scores(part))} cases={len(part)}")
    pooled = outlook.scores(cases)
    print(f"\nseconds={time.perf_counter() - wall:.0f} cases={len(cases)} origins {FIRST_TEST_ORIGIN}…{cases['origin'].max()}")
    print(f"{line(pooled)} regions={len(areas)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
