"""Areas (issue 28 item 6, issue 30 items 3-5): Tunturi-Lapin ja Pellon työllisyysalue, members final or from
the preparation stage, an area the data do not hold is refused with what to fetch, overlapping members are
never counted twice, a member region without listed municipalities is said once.

Figures are the real embedded ones (data/raw: 12r5 2023 snapshot and the all-areas month of June 2026).
"""

from __future__ import annotations

import pytest

from analysis import config
from analysis.indicators import groups
from analysis.present import review_page
from analysis.review import params
from analysis.schema import StoreError
from analysis.store.scope import Scope, overlapping_members

TUNTURI = "tunturi-lapin-ja-pellon-tyollisyysalue"


def _area(slug: str, members: list[str], region: str | None = None) -> config.Area:
    return config.Area(slug=slug, name_fi=slug, name_sv=slug, region=region, members=tuple(members))


def _facts(scope: Scope) -> review_page.ReviewFacts:
    return review_page.ReviewFacts(scope=scope, groups=groups.standard_groups(scope),
                                   history=groups.year_change_history(scope), levels=None, ranking=None,
                                   occupations=None, occupation_context=False, scorecard=None)


def test_tunturi_lappi_in_june_2026_sums_its_five_municipalities(store):
    area = config.get_area(TUNTURI)
    params.check_area_held(area, "2026-06", store)  # held: no error
    scope = Scope.of(store, area, "2026-06")
    counts = scope.counts(["unemployed_jobseekers"]).set_index("period")["value"]
    # Enontekiö 93, Kittilä 344, Kolari 211, Muonio 147, Pello 99 (12r5, June 2026)
    assert counts["2026-06"] == 93 + 344 + 211 + 147 + 99
    assert scope.region == "MK19"


def test_an_area_the_data_do_not_hold_is_refused_with_what_to_fetch(store):
    area = config.get_area(TUNTURI)
    with pytest.raises(config.ConfigError, match=r"no unemployed jobseekers \(table 12r5\) for KU047, KU261, KU273, "
                                                 r"KU498, KU854 in 2023-09; fetch them .*--tables 12r5.*"
                                                 r"--data-source fetched"):
        params.check_area_held(area, "2023Q3", store)


def test_the_review_of_an_area_without_data_never_says_unchanged(store):
    scope = Scope.of(store, config.get_area(TUNTURI), "2023Q3")
    headline = review_page.headline(_facts(scope), "fi")
    assert "ennallaan" not in headline and headline.startswith("Aineistossa ei ole työttömien lukuja")


def test_a_municipality_and_its_region_are_never_counted_twice(store, kp_area):
    # issue 30 item 3: [MK16, KU272] gave 4 018 unemployed in 2023-09 (MK16 2 307 + Kokkola 1 711)
    area = _area("twice", ["MK16", "KU272"])
    assert overlapping_members(area.members, Scope.of(store, kp_area, "2023Q3").area_key) == [("KU272", "MK16")]
    with pytest.raises(StoreError, match="area 'twice': KU272 lies in MK16, also a member, and would be counted twice"):
        Scope.of(store, area, "2023Q3")
    with pytest.raises(config.ConfigError, match="KU272 lies in MK16"):
        params.check_area_held(area, "2023Q3", store)
    with pytest.raises(StoreError, match="KU217 lies in SK162"):
        Scope.of(store, _area("twice", ["SK162", "KU217"]), "2023Q3")


def test_a_member_region_without_listed_municipalities_is_said_once(store):
    # issue 30 item 4: [MK15, MK16] showed MK16's municipalities only and never said MK15's are missing
    scope = Scope.of(store, _area("pohjanmaat", ["MK15", "MK16"]), "2023Q3")
    assert scope.regions_without_municipalities == ["MK15"]
    counts = scope.counts(["unemployed_jobseekers"]).set_index("period")["value"]
    assert counts["2023-09"] == 4428 + 2307  # the two regions' published counts
    lines = review_page.area_lines(_facts(scope), "fi")
    assert lines == ["Kuntakohtaisia lukuja ei ole alueille Pohjanmaa: aineiston aluejaossa ei ole niiden kuntia, "
                     "joten kuntataulukko ja kuntasivut kattavat vain muut alueen kunnat."]


def test_members_from_the_preparation_stage_are_said_once(store):
    area = config.get_area("seinajoen-tyollisyysalue")
    assert area.members_status == "preparation"
    scope = Scope.of(store, area, "2026-06")
    lines = review_page.area_lines(_facts(scope), "sv")
    assert len(lines) == 1 and "beredningsskedet" in lines[0]
    assert review_page.area_lines(_facts(Scope.of(store, config.get_area(TUNTURI), "2026-06")), "fi") == []


def test_members_status_is_checked(tmp_path):
    path = tmp_path / "areas.yaml"
    path.write_text("default: a\nareas:\n  a:\n    name_fi: A\n    name_sv: A\n    members_status: draft\n"
                    "    members: [KU272]\n", encoding="utf-8")
    with pytest.raises(config.ConfigError, match="key 'members_status': 'draft' is not one of final, preparation"):
        config.load_areas(path)
