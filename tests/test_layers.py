"""Data flows one way: no module of src/analysis imports a layer above its own (../shared/STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from analysis import config

PACKAGE = config.ROOT / "src" / "analysis"
LAYERS = ["sources", "store", "indicators", "forecast", "present", "review"]
"""The steps of the flow, lowest first; the modules at the package's top are below them all (config,
errors, schema, files, cache, names) or above them all (the command line and the public API)."""
TOP = {"cli", "__main__", "api", "__init__"}


def layer_of(module: str) -> int:
    """Rank of ``analysis.x.y``: -1 for the base modules, len(LAYERS) for the top ones."""
    parts = module.split(".")
    if len(parts) < 2:
        return len(LAYERS)  # ``import analysis`` itself: the public API
    if parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return len(LAYERS) if parts[1] in TOP else -1


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every ``analysis`` module ``path`` imports, at any depth (imports inside functions too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("analysis")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.startswith("analysis"):
            if node.module == "analysis":
                found += [(node.lineno, f"analysis.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_layer_above_its_own(path: Path):
    module = "analysis." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    own = layer_of(module)
    upward = [f"line {line}: {name}" for line, name in imports_of(path) if layer_of(name) > own]
    assert not upward, f"{module} imports a layer above it: {upward}"


def test_the_walk_finds_imports_inside_functions():
    assert layer_of("analysis.review.runner") > layer_of("analysis.present.html") > layer_of("analysis.sources.px")
    assert layer_of("analysis.cache") < layer_of("analysis.sources.px")
    source = PACKAGE / "review" / "facts.py"
    assert any(name == "analysis.present.review_page" for _line, name in imports_of(source))  # inside a function
