"""Speed of the quarterly review against the naive baseline, on this machine.

Measures in one run:
1. first run on a fresh clone: empty cache folder (store validation, forecast backtest computed);
2. the cold end-to-end review: new processes, no warm kernel, cache of derived results warm
   (keyed on data and code) — this is ``review_seconds``;
3. the naive baseline: for each notebook in turn the ``papermill`` CLI, then ``jupyter nbconvert``
   (``--no-input`` to HTML), with the same warm cache — ``baseline_seconds``.

Goal: review_seconds <= 15 and ratio <= 0.4 on a 2-core machine. The last line is exactly
``review_seconds=<s> baseline_seconds=<s> ratio=<r>``.
"""

from __future__ import annotations

import os
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


def main() -> None:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        env["ANALYSIS_CACHE_DIR"] = str(tmp_path / "cache")
        first = review(tmp_path / "first", env)
        cold = review(tmp_path / "cold", env)
        base_out = tmp_path / "baseline"
        base_out.mkdir()
        base = baseline(base_out, env)
    print(f"cores: {os.cpu_count()}")
    print(f"first run on a fresh clone (empty cache): {first:.1f} s")
    print(f"cold review (new processes, derived-results cache warm): {cold:.1f} s")
    print(f"naive baseline (papermill CLI + nbconvert CLI per notebook): {base:.1f} s")
    print(f"review_seconds={cold:.1f} baseline_seconds={base:.1f} ratio={cold / base:.2f}")


if __name__ == "__main__":
    main()
