"""Every notebook is thin, parameterized, stripped, and runs end to end with papermill."""

import ast
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from analysis import config
from analysis.review.notebooks import review_notebooks

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
STANDARD = {"area", "period", "data_source", "output_dir", "lang"}


def parameters_cell(path: Path) -> dict[str, object]:
    """(A check of the notebooks, kept with their tests.) The literal parameters of the notebook's cell tagged ``parameters``.

    Raises ValueError when there is no such cell, more than one, or a value that is not a
    literal (papermill re-injects only literals).
    """
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ValueError(f"{path}: expected exactly one cell tagged 'parameters', found {len(cells)}")
    tree = ast.parse(cells[0].source)
    params: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, value = node.target.id, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, value = node.targets[0].id, node.value
        else:
            raise ValueError(f"{path}: the parameters cell may only assign literals (line {node.lineno})")
        try:
            params[name] = ast.literal_eval(value)
        except ValueError:
            raise ValueError(f"{path}: parameter '{name}' is not a literal (line {node.lineno})") from None
    return params


def has_outputs(path: Path) -> bool:
    """True when any code cell of the notebook carries outputs."""
    return any(c.get("outputs") for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")


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
def test_every_notebook_ran_in_the_review_and_shows_its_section(path: Path, full_review: Path):
    """Each notebook, executed by papermill in the whole review (tests/conftest.py), shows its part."""
    nb = nbformat.read(full_review.parent / "notebooks" / path.name, as_version=4)
    assert nb.metadata["papermill"]["parameters"]["period"] == "2023Q3"
    html_out = [o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", [])
                if "text/html" in o.get("data", {})]
    if path.stem == "02_municipalities":  # one page per municipality, each titled by the runner
        assert sum(h.count('data-page="kunta-') for h in html_out) == 8
    else:
        assert any(re.search(r"<h2[ >]", h) for h in html_out), "the notebook shows its section heading"
    assert not any("<h1" in h for h in html_out), "only the review has an h1"


@pytest.mark.parametrize("nb", review_notebooks(), ids=lambda nb: nb.name)
def test_the_configured_results_are_the_sections_the_notebook_presents(nb):
    """config/notebooks.yaml says which results each notebook presents (the runner computes them first)."""
    code = "\n".join(c.source for c in nbformat.read(nb.path, as_version=4).cells if c.cell_type == "code")
    shown = re.findall(r'(section|table)\("([\w.]+)"', code)
    names = [name if kind == "section" else f"table.{name}" for kind, name in shown]
    assert list(dict.fromkeys(names)) == list(nb.results)


def test_every_notebook_is_listed_in_the_configuration():
    assert sorted(nb.path for nb in review_notebooks()) == NOTEBOOKS
