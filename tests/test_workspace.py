"""The analyst's workspace: make lab opens copies of the notebooks, never the review's own."""

from __future__ import annotations

import nbformat

from analysis import config
from analysis.review.notebooks import KERNEL_NAME, review_notebooks, seed_workspace


def test_the_workspace_gets_copies_set_to_the_project_kernel_and_keeps_the_analyst_s_edits(tmp_path):
    work = tmp_path / "work"
    made = seed_workspace(work)
    assert sorted(p.name for p in made) == sorted(p.name for p in config.NOTEBOOKS_DIR.glob("*.ipynb"))
    copy = nbformat.read(work / "01_review.ipynb", as_version=4)
    assert copy.metadata["kernelspec"]["name"] == KERNEL_NAME
    edited = work / "10_unemployment_structure.ipynb"
    nb = nbformat.read(edited, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("scope.area.members"))
    nbformat.write(nb, edited)
    (work / "10_unemployment_structure-Copy1.ipynb").write_bytes(edited.read_bytes())  # JupyterLab's Duplicate
    assert seed_workspace(work) == []  # nothing is copied over the analyst's files
    assert nbformat.read(edited, as_version=4).cells[-1].source == "scope.area.members"
    assert all(nb.path.parent == config.NOTEBOOKS_DIR for nb in review_notebooks())  # the review runs its own
