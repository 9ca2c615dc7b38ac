"""Speed of the quarterly review against the naive baseline, on this machine.

Measures in one run:
1. the review on data never seen before: an empty cache folder (store validation, the review's
   figures and the forecast computed) — ``new_data_seconds``, the median of three runs, each with its
   own empty cache. Before them one such run warms the operating system's file cache (Python's
   libraries and Chromium read from disk for the first time); its time is printed as
   ``cold start`` but is not the figure, since it measures the disk, not the review;
2. the repeated review: new processes, no warm kernel, the cache of derived results warm (keyed on
   data and code) — ``review_seconds``;
3. the naive baseline: for each notebook in turn the ``papermill`` CLI, then ``jupyter nbconvert``
   (``--no-input`` to HTML), with the same warm cache — ``baseline_seconds``;
4. every configured area's review in one run (``--all-areas``) — ``all_areas_seconds``, ``areas``.

Budget (issue "Analysts get data, readers get templates": simplicity wins over seconds within it): new data
<= 15 s, repeated <= 8 s, repeated / baseline <= 0.3, every configured area <= 3 s an area, on a 2-core
machine. The last line is exactly
``new_data_seconds=… review_seconds=… baseline_seconds=… ratio=… all_areas_seconds=… areas=…``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PERIOD = "2023Q3"


def _run(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def review(out: Path, env: dict[str, str]) -> float:
    return _run([sys.executable, "-m", "analysis", "review", "--period", PERIOD, "--force", "--no-progress",
                 "--output-dir", str(out)], env)


def baseline(out: Path, env: dict[str, str]) -> float:
    total = 0.0
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        executed = out / nb.name
        total += _run([str(BIN / "papermill"), str(nb), str(executed), "-p", "period", PERIOD,
                       "--cwd", str(nb.parent)], env)
        total += _run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)], env)
    return total


def all_areas(out: Path, env: dict[str, str]) -> float:
    return _run([sys.executable, "-m", "analysis", "review", "--period", PERIOD, "--all-areas", "--force",
                 "--no-progress", "--output-dir", str(out)], env)


def main() -> None:
    env = dict(os.environ)
    skip_baseline = "--no-baseline" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        cold = review(tmp_path / "cold", {**env, "ANALYSIS_CACHE_DIR": str(tmp_path / "cold-cache")})
        runs = [review(tmp_path / f"new{i}", {**env, "ANALYSIS_CACHE_DIR": str(tmp_path / f"new-cache{i}")})
                for i in range(3)]
        first = statistics.median(runs)
        env["ANALYSIS_CACHE_DIR"] = str(tmp_path / "new-cache2")  # warm: the last run filled it
        repeated = review(tmp_path / "repeated", env)
        base_out = tmp_path / "baseline"
        base_out.mkdir()
        base = float("nan") if skip_baseline else baseline(base_out, env)
        every = all_areas(tmp_path / "all", env)
        areas = len(list((tmp_path / "all").glob("*/" + PERIOD + "/fi/review.html")))
    print(f"cores: {os.cpu_count()}")
    print(f"cold start (first run on this machine's file cache, empty cache): {cold:.1f} s")
    print(f"review on data never seen before (empty cache), median of "
          f"{', '.join(f'{r:.1f}' for r in runs)}: {first:.1f} s")
    print(f"repeated review (new processes, derived-results cache warm): {repeated:.1f} s")
    print(f"naive baseline (papermill CLI + nbconvert CLI per notebook): {base:.1f} s")
    print(f"every configured area in one run: {every:.1f} s for {areas} areas "
          f"({every / max(areas, 1):.1f} s an area; the budget is 3 s an area)")
    print(f"new_data_seconds={first:.1f} review_seconds={repeated:.1f} baseline_seconds={base:.1f} "
          f"ratio={repeated / base:.2f} all_areas_seconds={every:.1f} areas={areas}")


if __name__ == "__main__":
    main()
