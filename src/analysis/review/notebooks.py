"""The review's notebooks: the configured list, their parameters, stripping their outputs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from analysis import config


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


PAGES = ("main", "municipalities", "appendix")


@dataclass(frozen=True)
class Notebook:
    """One notebook of the review: its file, the page its readers' part goes to and the results it presents."""

    name: str
    path: Path
    page: str
    results: tuple[str, ...]


def review_notebooks(folder: Path | None = None, path: Path | None = None) -> list[Notebook]:
    """The notebooks a review runs, as ``config/notebooks.yaml`` lists them (files in ``folder``, by
    default ``notebooks/``). A listed notebook that is missing, an unknown page or a malformed entry
    is a ConfigError naming the file and the entry."""
    from analysis.review.facts import SECTIONS, is_result

    folder = Path(folder or config.NOTEBOOKS_DIR)
    path = Path(path or config.NOTEBOOKS_FILE)
    doc = config.read_yaml(path) or {}
    entries = doc.get("notebooks") if isinstance(doc, dict) else None
    if not isinstance(entries, list) or not entries:
        raise config.ConfigError("{path}: expected a list 'notebooks'", path=path)
    found = []
    for index, entry in enumerate(entries, start=1):
        where = {"path": path, "entry": index}
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise config.ConfigError("{path}, notebook {entry}: expected a mapping with name, page and results", **where)
        if entry.get("page") not in PAGES:
            raise config.ConfigError("{path}, notebook {entry}: page must be one of {pages}", **where,
                                     pages=", ".join(PAGES))
        results = entry.get("results") or []
        unknown = [r for r in results if not is_result(r)]
        if not isinstance(results, list) or unknown:
            raise config.ConfigError("{path}, notebook {entry}: unknown results {unknown}; known: {known}", **where,
                                     unknown=", ".join(map(str, unknown)), known=", ".join([*SECTIONS, "table.<name>"]))
        file = folder / f"{entry['name']}.ipynb"
        if not file.is_file():
            raise config.ConfigError("{path}, notebook {entry}: {file} not found", **where, file=file)
        found.append(Notebook(entry["name"], file, entry["page"], tuple(results)))
    return found


def parameters(path: Path) -> dict[str, object]:
    """The parameters the notebook declares, with their defaults (papermill's ``inspect_notebook``)."""
    import papermill

    return {name: spec.get("default") for name, spec in papermill.inspect_notebook(str(path)).items()}


KERNEL_NAME = "employment-analytics"
"""The project's Jupyter kernel, registered by ``make lab`` (``ipykernel install --user --name``)."""


def seed_workspace(folder: Path | None = None, source: Path | None = None) -> list[Path]:
    """Copy every notebook of ``source`` (``notebooks/``) that ``folder`` (``work/``, not tracked by git)
    does not hold yet, without outputs and set to the project's kernel: the analyst's workspace, where
    duplicating and editing a notebook never touches the review's own notebooks. Returns the copies made
    (a notebook already there is the analyst's and is left as it is)."""
    folder = Path(folder or config.WORK_DIR)
    source = Path(source or config.NOTEBOOKS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for path in sorted(source.glob("*.ipynb")):
        target = folder / path.name
        if target.exists():
            continue
        nb = nbformat.read(path, as_version=4)
        nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python (employment-analytics)",
                                     "language": "python"}
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell["outputs"], cell["execution_count"] = [], None
        nbformat.write(nb, target)
        made.append(target)
    return made
