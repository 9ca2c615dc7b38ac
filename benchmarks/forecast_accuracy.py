"""Benchmark: out-of-sample accuracy of the occupation-group forecasts over several regions.

Runs the rolling-origin backtest of :mod:`analysis.forecast.backtest` (no cache) for every area
and reports, per region and pooled over all their series:

- relative MASE (mean over series of MAE_final / MAE_rival) at every horizon 1–12 against the
  seasonal naive and against ``combo``, the equal-weight mean of damped ETS (log1p) and seasonal
  naive;
- 80 % and 95 % interval coverage per horizon;
- the same on the shock targets (2020-03…2021-02) and outside them.

Usage::

    python benchmarks/forecast_accuracy.py                       # six development regions + MK16
    python benchmarks/forecast_accuracy.py --regions-file F.csv.gz [F2.csv ...] [--areas MK02 MK07]

``--regions-file``: 12ti files in the embedded file's format (columns month, area_code,
occupation_code, unemployed_jobseekers, open_vacancies; ``.csv`` or ``.csv.gz``); the whole
country (``SSS``) comes from them when present, else from the embedded file. Without
``--areas`` every region in the files is run (plus MK16 with the default files). ``--jobs``:
processes (default 2). The last line is exactly::

    relative_mase_h6=… vs_combo_h6=… worst_h_relative_mase=… coverage80_min=… coverage80_max=… coverage95_h6=… shock_coverage80=… regions=…

(pooled figures; ``worst_h_relative_mase`` is the largest pooled relative MASE over horizons
1–12, ``shock_coverage80`` the 80 % coverage on shock targets over all horizons).
"""

from __future__ import annotations

import argparse
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
DEV_FILE = HERE / "data" / "tyonv_12ti_occupations_dev_regions_2006_2023.csv.gz"
DEV_AREAS = ("MK02", "MK07", "MK11", "MK13", "MK15", "MK19")
DEFAULT_AREAS = (*DEV_AREAS, "MK16")
MEASURES = ("unemployed_jobseekers", "open_vacancies")
HORIZONS = tuple(range(1, 13))


def read_12ti(path: Path) -> pd.DataFrame:
    """A 12ti file as store observations (validated: a bad cell names the file, row and column)."""
    from analysis.schema import tidy
    from analysis.sources import validation as v

    frame = v.read_csv(path)
    v.require_columns(frame, ["month", "area_code", "occupation_code", *MEASURES], path)
    v.require_pattern(frame, "month", r"\d{4}-\d{2}", path, "a month YYYY-MM")
    v.require_pattern(frame, "occupation_code", r"SSS|\d{4}|X\w*", path, "an occupation code")
    v.require_unique(frame, ["month", "area_code", "occupation_code"], path)
    for col in MEASURES:
        frame[col] = v.to_number(frame, col, path, minimum=0, integer=True)
    long = frame.melt(id_vars=["month", "area_code", "occupation_code"], value_vars=list(MEASURES),
                      var_name="measure", value_name="value").rename(columns={"month": "period"})
    long["table_id"] = "12ti"
    return tidy(long)


def area_list(values: list[str] | None, files: list[Path]) -> list[str]:
    """The areas asked for: ``--areas MK02 MK07`` or ``--areas MK02,MK07`` (None: every region in the
    files, with MK16 for the default files). A code the files do not hold (MK16 and the whole country
    come from the embedded data when missing) raises ValueError naming it."""
    codes: set[str] = set()
    for f in files:
        codes |= set(pd.read_csv(f, usecols=["area_code"], dtype="str")["area_code"])
    if not values:
        return list(DEFAULT_AREAS) if files == [DEV_FILE] else sorted(codes - {"SSS"})
    asked = [code.strip() for value in values for code in value.split(",") if code.strip()]
    unknown = [code for code in asked if code not in codes | {"MK16"}]
    if unknown:
        raise ValueError(f"area(s) {', '.join(unknown)} not in {', '.join(str(f) for f in files)}; "
                         f"the files hold {', '.join(sorted(codes - {'SSS'}))}")
    return list(dict.fromkeys(asked))


def build_store(files: list[Path], areas: list[str] | None):
    """A store of the 12ti rows of ``areas`` (all when None) and the whole country."""
    from analysis.schema import Store
    from analysis.sources import embedded

    parts = [read_12ti(Path(p)) for p in files]
    obs = pd.concat(parts, ignore_index=True)
    have = set(obs["area_code"])
    if "SSS" not in have or "MK16" in (areas or []) and "MK16" not in have:
        emb = embedded.load_12ti()
        need = ({"SSS"} - have) | ({"MK16"} - have if "MK16" in (areas or []) else set())
        obs = pd.concat([obs, emb[emb["area_code"].isin(need)]], ignore_index=True)
    keep = set(areas or obs["area_code"].unique()) | {"SSS"}
    obs = obs[obs["area_code"].isin(keep)].reset_index(drop=True)
    return Store(obs, pd.DataFrame(columns=list(embedded.PROVENANCE_COLUMNS)))


def run_area(args: tuple[list[str], str]) -> tuple[str, pd.DataFrame, float, int]:
    """Backtest cases of one area (tagged with the area): (area, cases, seconds, series)."""
    files, area = args
    t0 = time.perf_counter()
    from analysis.forecast import occupations as occ

    store = build_store([Path(f) for f in files], [area])
    data = occ.occupation_panel(store, area)
    result, _ = occ.backtest(data, use_cache=False)
    cases = result.cases.assign(area=area)
    return area, cases, time.perf_counter() - t0, int(cases["series_id"].nunique())


# ---- metrics (pure; tested on small frames) -----------------------------------------------------

ZERO = 1e-6


def relative_mase_by_h(cases: pd.DataFrame, model: str = "final", rival: str = "snaive") -> pd.Series:
    """Per horizon: mean over series (``area`` + ``series_id``) of MAE_model / MAE_rival on the cases
    where the actual and both forecasts exist; series whose rival MAE is 0 are left out."""
    part = cases.dropna(subset=["actual", model, rival])
    key = part["area"] + ":" + part["series_id"] if "area" in part else part["series_id"]
    g = pd.DataFrame({"s": key, "h": part["h"], "m": (part[model] - part["actual"]).abs(),
                      "r": (part[rival] - part["actual"]).abs()}).groupby(["s", "h"]).mean()
    ratio = (g["m"] / g["r"].where(g["r"] > ZERO)).dropna()
    return ratio.groupby(level="h").mean().reindex(HORIZONS)


def coverage_by_h(cases: pd.DataFrame, level: int) -> pd.Series:
    """Per horizon: share of the cases (with an actual) inside the ``level`` % band."""
    part = cases.dropna(subset=["actual", f"lo{level}", f"hi{level}"])
    inside = (part["actual"] >= part[f"lo{level}"]) & (part["actual"] <= part[f"hi{level}"])
    return inside.groupby(part["h"]).mean().reindex(HORIZONS)


def coverage_all(cases: pd.DataFrame, level: int) -> float:
    """Share of all cases (with an actual) inside the ``level`` % band; NaN without cases."""
    part = cases.dropna(subset=["actual", f"lo{level}", f"hi{level}"])
    if part.empty:
        return float("nan")
    return float(((part["actual"] >= part[f"lo{level}"]) & (part["actual"] <= part[f"hi{level}"])).mean())


def is_shock(cases: pd.DataFrame, first: str = "2020-03", last: str = "2021-02") -> pd.Series:
    """True for cases whose target month is in the shock window."""
    return (cases["target"] >= first) & (cases["target"] <= last)


def scored(cases: pd.DataFrame) -> pd.DataFrame:
    """The cases every rival is scored on: actual, seasonal naive, combo and final all exist."""
    return cases.dropna(subset=["actual", "snaive", "combo", "final"])


def table(cases: pd.DataFrame) -> pd.DataFrame:
    """Per horizon: rel_snaive, rel_combo, combo_vs_snaive, coverage80, coverage95, cases."""
    cases = scored(cases)
    return pd.DataFrame({
        "rel_snaive": relative_mase_by_h(cases),
        "rel_combo": relative_mase_by_h(cases, rival="combo"),
        "combo_vs_snaive": relative_mase_by_h(cases, "combo"),
        "coverage80": coverage_by_h(cases, 80),
        "coverage95": coverage_by_h(cases, 95),
        "cases": cases.groupby("h").size().reindex(HORIZONS),
    }).rename_axis("h")


def last_line(cases: pd.DataFrame, regions: int) -> str:
    """The benchmark's last line (pooled figures)."""
    cases = scored(cases)
    tab = table(cases)
    shock = cases[is_shock(cases)]
    return (f"relative_mase_h6={tab.at[6, 'rel_snaive']:.3f} vs_combo_h6={tab.at[6, 'rel_combo']:.3f} "
            f"worst_h_relative_mase={tab['rel_snaive'].max():.3f} coverage80_min={tab['coverage80'].min():.3f} "
            f"coverage80_max={tab['coverage80'].max():.3f} coverage95_h6={tab.at[6, 'coverage95']:.3f} "
            f"shock_coverage80={coverage_all(shock, 80):.3f} regions={regions}")


def report(cases: pd.DataFrame, seconds: dict[str, float], series: dict[str, int]) -> list[str]:
    """The printed report (lines)."""
    lines = []
    cases = scored(cases)
    fmt = {"cases": "{:.0f}".format}
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        for area in sorted(cases["area"].unique()):
            part = cases[cases["area"] == area]
            lines.append(f"\n== {area}: {series.get(area, 0)} series, {part['origin'].nunique()} test origins, "
                         f"{seconds.get(area, 0):.0f} s")
            lines.append(table(part).to_string(float_format="{:.3f}".format, formatters=fmt))
        shock = is_shock(cases)
        for name, part in (("POOLED", cases), ("POOLED, shock targets 2020-03..2021-02", cases[shock]),
                           ("POOLED, outside the shock", cases[~shock])):
            lines.append(f"\n== {name}: {part['area'].nunique()} regions, {len(part)} cases")
            lines.append(table(part).to_string(float_format="{:.3f}".format, formatters=fmt))
        below = float((cases["actual"] < cases["lo80"]).mean())
        above = float((cases["actual"] > cases["hi80"]).mean())
        lines.append(f"\nmisses of the 80 % band, all horizons: below {below:.3f}, above {above:.3f}")
        per = pd.DataFrame({a: table(cases[cases["area"] == a]).loc[6] for a in sorted(cases["area"].unique())}).T
        lines.append("\nper region at h=6:\n" + per.to_string(float_format="{:.3f}".format, formatters=fmt))
    return lines


def main(argv: list[str] | None = None) -> int:
    wall = time.perf_counter()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regions-file", nargs="+", type=Path, default=None,
                        help="12ti file(s) (.csv or .csv.gz); default: the development regions")
    parser.add_argument("--areas", nargs="+", default=None, help="area codes, as a list or with commas (default: all regions in the files)")
    parser.add_argument("--jobs", type=int, default=2, help="processes (default 2)")
    args = parser.parse_args(argv)
    files = args.regions_file or [DEV_FILE]
    from analysis.errors import DataValidationError

    try:
        areas = area_list(args.areas, files)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    jobs = [([str(f) for f in files], a) for a in areas]
    # the biggest regions first so that two processes finish together
    try:
        if args.jobs > 1 and len(jobs) > 1:
            with Pool(min(args.jobs, len(jobs))) as pool:
                results = list(pool.imap_unordered(run_area, jobs))
        else:
            results = [run_area(j) for j in jobs]
    except DataValidationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    cases = pd.concat([r[1] for r in results], ignore_index=True)
    seconds = {r[0]: r[2] for r in results}
    series = {r[0]: r[3] for r in results}
    for line in report(cases, seconds, series):
        print(line)
    print(f"\nseconds={time.perf_counter() - wall:.0f} (wall, whole run, {min(args.jobs, len(jobs))} processes)")
    print(last_line(cases, len(areas)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
