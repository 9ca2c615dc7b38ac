"""Every configured area gets a review on the embedded data; each section says what the data lacks and goes on.

The embedded snapshot holds Keski-Pohjanmaa's municipalities, its sub-regions, every region and the whole
country; the employment areas elsewhere in Finland are real municipalities it does not hold. Every
section of one area of each kind is built in-process; the main notebook runs through the batch runner
for the same areas.
"""

from __future__ import annotations

import json
import re

import pytest

from analysis import config
from analysis.forecast.area import forecast_facts
from analysis.indicators.review import compute_facts
from analysis.present import foreign_language, kpi, long_term, municipality_page, overview, review_page, skills, structure
from analysis.store.scope import Scope

KINDS = ["keski-pohjanmaa", "oulun-tyollisyysalue", "maakunta-lappi", "elinvoimakeskus-lounais-suomi"]
"""One area of each kind: the default employment area (its municipalities in the data), an employment
area elsewhere (municipalities the embedded data do not hold), a region, an elinvoimakeskus area."""


def test_one_area_of_each_kind_is_tested():
    kinds = {config.get_area(slug).kind for slug in KINDS}
    assert kinds == set(config.AREA_KINDS)


@pytest.mark.parametrize("slug", KINDS)
def test_every_section_of_every_area_is_built(store, slug):
    scope = Scope.of(store, config.get_area(slug), "2023Q3")
    facts = compute_facts(scope, forecast=forecast_facts(scope))
    blocks = [
        *review_page.main_blocks(facts, "fi"),
        *structure.structure_blocks(scope, "fi"),
        *long_term.long_term_blocks(scope, "fi"),
        *foreign_language.section_blocks(scope, "fi"),
        *kpi.scorecard_blocks(scope, "fi"),
        *overview.overview_blocks(scope, "fi"),
    ]
    for code in municipality_page.municipality_codes(facts):
        blocks += municipality_page.municipality_blocks(facts, code, "fi")
    text = "".join(b.data for b in blocks)
    assert "<h2" in text and not re.search(r"\bnan\b", text)
    headline = review_page.headline(facts, "fi")
    if scope.month() and not scope.counts(["unemployed_jobseekers"])["value"].isna().all():
        assert headline.startswith("Työttömi")  # "Työttömiä syyskuun lopussa …" or "Työttömien määrän muutosta …"
    else:  # the data lacks the area: the first line says so (never "Työttömyys pysyi ennallaan" from no data);
        # the command line refuses such a review and names what to fetch (tests/test_areas_28.py)
        assert headline.startswith("Aineistossa ei ole työttömien lukuja"), headline


def test_a_run_of_areas_the_data_do_not_hold_is_refused(tmp_path):
    from analysis.review import params, runner

    requests = [{"area": a, "period": "2023Q3", "lang": "fi", "data_source": None}
                for a in ("oulun-tyollisyysalue", "tunturi-lapin-ja-pellon-tyollisyysalue")]
    with pytest.raises(params.AreaNotHeld, match="area 'oulun-tyollisyysalue': the data hold no unemployed"):
        runner.run_reviews(requests, output_dir=tmp_path, progress=False)
    assert not list(tmp_path.glob("*/2023Q3"))


def test_skills_section_of_a_region_without_occupation_data(store):
    scope = Scope.of(store, config.get_area("maakunta-lappi"), "2023Q3")
    assert scope.occupation_code is None
    text = "".join(b.data for b in skills.skills_blocks(scope, "fi"))
    assert "<h2" in text


@pytest.mark.slow
def test_the_batch_runner_publishes_one_area_of_each_kind(tmp_path, capsys):
    from analysis.review import runner
    from analysis.review.notebooks import review_notebooks

    kinds = ["keski-pohjanmaa", "maakunta-lappi", "elinvoimakeskus-lounais-suomi", "oulun-tyollisyysalue"]
    requests = [{"area": a, "period": "2023Q3" if a != "oulun-tyollisyysalue" else "2026-06", "lang": "fi",
                 "data_source": None} for a in kinds]  # the embedded data hold Oulu's municipalities in June 2026
    # an area the data do not hold in its period is skipped with one note, the others are published
    requests.append({"area": "tunturi-lapin-ja-pellon-tyollisyysalue", "period": "2023Q3", "lang": "fi",
                     "data_source": None})
    main_only = [nb for nb in review_notebooks() if nb.page == "main"]  # the whole review runs in conftest.py
    paths = runner.run_reviews(requests, output_dir=tmp_path, progress=False, notebooks=main_only)
    assert "1 area(s) skipped" in capsys.readouterr().err
    assert [p.parts[-4] for p in paths] == kinds
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert sorted(r["area"] for r in index) == sorted(kinds)
    for path in paths:
        page = path.read_text(encoding="utf-8")
        assert page.count("<h1") == 1 and '<h2 class="lead">' in page
    lappi = paths[1].read_text(encoding="utf-8")
    assert "Ammattiryhmittäisiä tietoja ei ole tälle alueelle." in lappi  # 12ti holds MK16 and SSS only
