"""Notebook housekeeping: strip outputs, read the parameters cell, build notebooks from cells."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat


def strip_outputs(path: Path) -> bool:
    """Remove outputs and execution counts from a notebook in place; True if it changed."""
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            cell["outputs"] = []
            cell["execution_count"] = None
            changed = True
    if changed:
        nbformat.write(nb, path)
    return changed


def has_outputs(path: Path) -> bool:
    """True when any code cell of the notebook carries outputs."""
    nb = nbformat.read(path, as_version=4)
    return any(c.get("outputs") for c in nb.cells if c.cell_type == "code")


def parameters_cell(path: Path) -> dict[str, object]:
    """The literal parameters of the notebook's cell tagged ``parameters``.

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
