"""Every notebook is thin, parameterized, stripped, and runs end to end with papermill."""

import ast
import re
import subprocess
from pathlib import Path

import nbformat
import papermill
import pytest

from analysis import config
from analysis.review.notebooks import has_outputs, parameters_cell

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
STANDARD = {"area", "period", "data_source", "output_dir", "lang"}


def test_there_are_notebooks():
    assert any(p.name == "00_data_overview.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_one_literal_parameters_cell_with_the_standard_parameters(path: Path):
    params = parameters_cell(path)
    assert STANDARD <= set(params), f"{path.name} lacks {STANDARD - set(params)}"
    assert params["area"] == "keski-pohjanmaa" and params["lang"] == "fi"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_defines_no_functions_or_classes(path: Path):
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)), (
                f"{path.name} cell {index} defines a function or class; move it into src/analysis")


def test_committed_notebooks_carry_no_outputs():
    tracked = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=config.ROOT, capture_output=True, text=True)
    paths = [config.ROOT / p for p in tracked.stdout.split()] if tracked.returncode == 0 else NOTEBOOKS
    with_outputs = [p.name for p in paths + NOTEBOOKS if p.exists() and has_outputs(p)]
    assert not with_outputs, f"strip these (make strip): {sorted(set(with_outputs))}"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_with_papermill(path: Path, tmp_path: Path):
    out = tmp_path / path.name
    declared = parameters_cell(path)
    params = {"area": "keski-pohjanmaa", "period": "2023Q3", "data_source": "embedded",
              "output_dir": str(tmp_path), "lang": "fi"}
    papermill.execute_notebook(str(path), str(out), parameters={k: v for k, v in params.items() if k in declared},
                               cwd=str(path.parent), progress_bar=False, kernel_name="python3")
    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    html_out = [o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", [])
                if "text/html" in o.get("data", {})]
    if path.stem == "02_municipalities":  # one page per municipality, each titled by the runner
        assert sum(h.count('data-page="kunta-') for h in html_out) == 8
    else:
        assert any(re.search(r"<h2[ >]", h) for h in html_out), "the notebook shows its section heading"
    assert not any("<h1" in h for h in html_out), "only the review has an h1"


PRESENT = """
import sys
import IPython.display
from analysis.present.html import joined
from analysis.review.facts import section
out = joined(section("overview", "keski-pohjanmaa", "2023Q3", "embedded", "fi", sys.argv[1]))
print(len(out.data), *sorted(m for m in ("pandas", "numpy", "matplotlib") if m in sys.modules))
"""


def test_a_kernel_presents_a_computed_section_without_the_data_libraries(tmp_path: Path):
    """What a notebook imports and a section read from the cache need no pandas, numpy or matplotlib
    (half a second of every kernel's CPU); computing the section does import them."""
    import os
    import sys

    env = {**os.environ, "ANALYSIS_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", PRESENT, str(tmp_path / "out")], env=env, cwd=config.ROOT,
                           capture_output=True, text=True, check=True).stdout.split() for _ in range(2)]
    computed, presented = runs
    assert computed[0] == presented[0] and int(presented[0]) > 1000  # the same section, read back
    # the first run computed it (the overview draws no chart: since its area names come from analysis.names,
    # not from the structure section's charting module, computing it no longer imports matplotlib)
    assert computed[1:] == ["numpy", "pandas"]
    assert presented[1:] == []  # the second only read it
