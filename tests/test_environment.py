"""environment.yml gives conda users the same runtime dependencies as pyproject.toml."""

import re
import tomllib

import yaml

from analysis import config


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_and_pyproject_name_the_same_runtime_dependencies():
    project = tomllib.loads((config.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((config.ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert {_name(d) for d in project["dependencies"]} == conda
    assert any(line.startswith("-e ") for line in pip_section), "the pip section installs the package"


def test_environment_yml_and_pyproject_pin_the_same_versions():
    """Each runtime dependency has the same version bounds in both files (``nbconvert>=7.16,<8``)."""
    project = tomllib.loads((config.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((config.ROOT / "environment.yml").read_text(encoding="utf-8"))

    def bounds(requirement: str) -> tuple[str, str]:
        return _name(requirement), requirement.strip()[len(_name(requirement)):].replace(" ", "")

    conda = dict(bounds(d) for d in env["dependencies"] if isinstance(d, str) and _name(d) not in ("python", "pip"))
    assert dict(bounds(d) for d in project["dependencies"]) == conda
    assert conda["nbconvert"] == ">=7.16,<8" and conda["jinja2"] == ">=3.1"


def test_makefile_has_help_and_the_two_commands():
    makefile = (config.ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("help:", "review:", "test:", "lab:"):
        assert target in makefile
    assert "make test" in (config.ROOT / ".ci" / "run").read_text(encoding="utf-8")
