"""Layers as the house says (STYLE.md "The shape of the flow"): no module imports a layer above its own.

The import statements of every module of ``src/analysis`` are read (also those inside functions) and each
imported module of the package is placed in its layer; the top-level package (``analysis/__init__.py``, the
public API's face) and the command line sit above every layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "analysis"
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "files", "cache", "yaml_files", "schema", "config"),
    ("sources", "names"),
    ("store",),
    ("indicators",),
    ("forecast",),
    ("present",),
    ("review", "api"),  # the public API reads the review's results; the review computes the API's tables once
    ("cli", "__main__"),
)
"""Lowest first; modules of one row may import each other."""
KNOWN: set[tuple[str, str]] = set()
"""Upward imports still to mend (each a known item of an issue), never new ones: none."""


def _rank(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "analysis" or len(parts) < 2:
        return None
    return next((i for i, row in enumerate(LAYERS) if parts[1] in row), None)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names if node.module == "analysis")
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_no_module_imports_a_layer_above_its_own():
    upward = []
    for path in sorted(SRC.rglob("*.py")):
        module = ".".join(("analysis", *path.relative_to(SRC).with_suffix("").parts)).removesuffix(".__init__")
        own = _rank(module)
        if own is None:
            continue
        for imported in _imports(path):
            other = _rank(imported)
            if other is not None and other > own and (module, imported) not in KNOWN:
                upward.append(f"{module} imports {imported}")
    assert not upward, "\n".join(sorted(upward))


def test_names_and_the_figures_sit_below_present():
    """Area and occupation names are one low module; the review's figures and forecast are computed below present/."""
    assert _rank("analysis.names") < _rank("analysis.store.scope")
    for module, path in (("analysis.names", "names.py"), ("analysis.indicators.review", "indicators/review.py"),
                         ("analysis.forecast.area", "forecast/area.py")):
        above = {m for m in _imports(SRC / path) if (_rank(m) or 0) > _rank(module)}
        assert not above, (module, above)


def test_every_module_of_the_package_has_a_layer():
    modules = {path.relative_to(SRC).parts[0].removesuffix(".py") for path in SRC.rglob("*.py")} - {"__init__"}
    assert all(_rank(f"analysis.{m}") is not None for m in modules), sorted(
        m for m in modules if _rank(f"analysis.{m}") is None)
