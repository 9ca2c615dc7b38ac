"""The metric catalogue: every "Mittarit" line of the action plan is in data/kpi/metrics.csv."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.errors import DataValidationError
from analysis.sources.workbook import METRICS_FILE, load_catalogue

PLAN = Path(__file__).parent / "fixtures" / "kpi" / "action_plan_fi.txt"
SECTION = re.compile(r"^(\d+)(\.\d+)?(\s|$)")


def plan_metric_lines(text: str) -> list[tuple[str, str]]:
    """(top-level section number, metric line) for every line listed under "Mittarit:" in the plan."""
    found: list[tuple[str, str]] = []
    section, collecting = "", False
    for raw in text.splitlines():
        line = raw.strip()
        heading = SECTION.match(line)
        if heading and (len(line) > 3 or heading.group(2)):
            section, collecting = heading.group(1), False
            continue
        if line.startswith("Mittarit:"):
            collecting = True
            rest = line[len("Mittarit:"):].strip()
            if rest:
                found.append((section, rest))
            continue
        if not collecting or not line:
            continue
        if line == "LUONNOS" or line.isdigit():
            collecting = False
            continue
        found.append((section, line))
    return found


def test_plan_parser_finds_the_26_metrics_of_the_plan():
    lines = plan_metric_lines(PLAN.read_text(encoding="utf-8"))
    assert len(lines) == 26
    assert lines[0] == ("1", "Avoinna olevat työpaikat (kpl/kk)")
    assert lines[-1] == ("8", "Medianäkyvyys (kpl uutisia / kuukausi)")
    assert ("3", "Työllisyyskatsausten toteutuminen osavuosikatsausten yhteydessä") in lines


def test_every_mittarit_line_of_the_plan_is_in_the_catalogue_exactly():
    catalogue = load_catalogue()
    names = dict(zip(catalogue["name_fi"], catalogue["section"]))
    for section, line in plan_metric_lines(PLAN.read_text(encoding="utf-8")):
        assert line in names, f"plan metric not in {METRICS_FILE.name}: {line!r}"
        assert names[line].split(".")[0] == section, f"{line!r} is under section {section} in the plan"


def test_catalogue_has_exactly_the_plan_metrics_and_their_sources():
    catalogue = load_catalogue()
    plan = {line for _s, line in plan_metric_lines(PLAN.read_text(encoding="utf-8"))}
    assert set(catalogue["name_fi"]) == plan
    assert len(catalogue) == 26
    counts = catalogue["source"].value_counts().to_dict()
    assert counts == {"internal": 22, "public": 3, "reviews": 1}
    public = set(catalogue.loc[catalogue["source"] == "public", "metric_id"])
    assert public == {"open_vacancies", "long_term_unemployed_change_pct", "foreign_language_rates"}


def test_the_catalogue_holds_definitions_only_and_ranges_follow_the_units():
    catalogue = load_catalogue()
    # targets are set by staff in the workbook's sheet Tavoitteet, not in the git-tracked catalogue
    assert "target" not in catalogue.columns
    assert "target" not in METRICS_FILE.read_text(encoding="utf-8").splitlines()[0].split(",")
    pct = catalogue[(catalogue["unit"] == "pct") & (catalogue["metric_id"] != "budget_realisation_pct")]
    assert (pct["min_value"] == 0).all() and (pct["max_value"] == 100).all()
    sat = catalogue.set_index("metric_id").loc["customer_satisfaction"]
    assert (sat["min_value"], sat["max_value"], sat["unit"]) == (1, 5, "scale_1_5")
    assert set(catalogue["direction"]) <= {"higher", "lower"}
    assert catalogue["name_sv"].str.strip().ne("").all()


def test_a_bad_catalogue_names_file_row_and_column(tmp_path):
    text = METRICS_FILE.read_text(encoding="utf-8").splitlines()
    text[2] = text[2].replace(",pct,M,", ",percent,M,")
    bad = tmp_path / "metrics.csv"
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load_catalogue(bad)
    assert err.value.row == 3 and err.value.column == "unit"
    assert "metrics.csv" in str(err.value) and "percent" in str(err.value)
