"""The area among all employment areas (analysis.indicators.employment_areas) and its sentence.

Synthetic store (tests only): three employment areas of real municipality codes, with hand-set
counts. Hand-computed rates at 2023-09:
  A = KU272 + KU217: (100 + 50) / (1000 + 1000) = 7.5 %
  B = KU091:          900 / 10000               = 9.0 %
  C = KU092 + KU398: (120 + 80) / (2000 + 2000) = 5.0 %
so C is 1st (lowest), A 2nd, B 3rd of 3.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.config import Area
from analysis.indicators.employment_areas import EMPLOYMENT_AREAS_2025, employment_area_ranking
from analysis.indicators.review import compute_facts
from analysis.present import review_page
from analysis.schema import PROVENANCE_COLUMNS, Store, tidy
from analysis.store.scope import Scope

A = Area("area-a", "Alue A", "Område A", "MK16", ("KU272", "KU217"))
B = Area("area-b", "Alue B", "Område B", "MK01", ("KU091",))
C = Area("area-c", "Alue C", "Område C", "MK01", ("KU092", "KU398"))
REGION = Area("maakunta-x", "Maakunta X", "Landskap X", "MK16", ("MK16",), kind="region")
AREAS = {a.slug: a for a in (A, B, C, REGION)}

COUNTS = {"KU272": (100, 1000), "KU217": (50, 1000), "KU091": (900, 10000), "KU092": (120, 2000),
          "KU398": (80, 2000)}


def _store(counts: dict[str, tuple[float, float]], month: str = "2023-09", later: dict | None = None) -> Store:
    rows = []
    for m, table in ((month, counts), ("2023-10", later or {})):
        for code, (u, lf) in table.items():
            rows.append({"table_id": "12r5", "period": m, "area_code": code, "measure": "unemployed_jobseekers",
                         "value": u})
            rows.append({"table_id": "12r5", "period": m, "area_code": code, "measure": "labour_force", "value": lf})
    return Store(tidy(pd.DataFrame(rows)), pd.DataFrame(columns=list(PROVENANCE_COLUMNS)))


def _rank(store: Store, area: Area = A, period: str = "2023Q3", expected: int | None = 3):
    return employment_area_ranking(Scope.of(store, area, period), AREAS, expected_count=expected)


def test_rates_and_ranks_are_the_hand_computed_ones():
    r = _rank(_store(COUNTS))
    assert r.available and r.month == "2023-09" and r.reason is None
    assert list(r.table["slug"]) == ["area-c", "area-a", "area-b"]
    assert r.table["rate"].round(6).tolist() == [5.0, 7.5, 9.0]
    assert r.table["rank"].tolist() == [1, 2, 3]
    assert r.table.set_index("slug").loc["area-a", ["unemployed", "labour_force"]].tolist() == [150, 2000]
    assert (r.rank, r.count) == (2, 3)
    assert _rank(_store(COUNTS), C).rank == 1 and _rank(_store(COUNTS), B).rank == 3


def test_ties_share_the_better_rank():
    counts = dict(COUNTS, KU091=(750, 10000))  # B at 7.5 %, as A
    r = _rank(_store(counts), B)
    assert r.table.set_index("slug")["rank"].to_dict() == {"area-c": 1, "area-a": 2, "area-b": 2}
    assert r.rank == 2


def test_the_month_is_the_scopes_reference_month_as_of_the_period():
    # a later month (2023-10) where A would be last is not seen by a 2023Q3 review
    later = dict(COUNTS, KU272=(900, 1000))
    assert _rank(_store(COUNTS, later=later)).rank == 2
    assert _rank(_store(COUNTS, later=later), period="2023Q4").rank == 3  # 2023Q4 reads 2023-10


def test_a_missing_member_gives_no_ranking_and_says_why():
    counts = {k: v for k, v in COUNTS.items() if k != "KU398"}
    r = _rank(_store(counts))
    assert not r.available and r.rank is None
    assert r.reason == "table 12r5 lacks 2023-09 for 1 of the 5 member municipalities of the employment areas (KU398)"
    # a suppressed (missing) cell counts as lacking too, never as zero
    store = _store(COUNTS)
    obs = store.observations.copy()
    obs.loc[(obs["area_code"] == "KU091") & (obs["measure"] == "labour_force"), "value"] = float("nan")
    assert "KU091" in _rank(Store(obs, store.provenance)).reason


def test_no_ranking_among_an_incomplete_list_of_employment_areas():
    r = _rank(_store(COUNTS), expected=EMPLOYMENT_AREAS_2025)
    assert not r.available and r.reason == "the configuration holds 3 of the 45 employment areas"


def test_no_ranking_for_an_area_that_is_not_an_employment_area():
    r = _rank(_store(dict(COUNTS, MK16=(1, 10))), REGION)
    assert not r.available and r.reason == "maakunta-x is not a configured employment area"


def test_no_month_of_the_period():
    r = _rank(_store(COUNTS), period="2024Q1")
    assert not r.available and r.reason == "table 12r5 holds no month of 2024Q1"


@pytest.mark.parametrize(("area", "lang", "sentence"), [
    (A, "fi", "Työttömyysasteella mitattuna Alue A oli 3 työllisyysalueesta toiseksi alhaisin."),
    (A, "sv", "Av 3 sysselsättningsområden hade Område A den näst lägsta arbetslöshetsgraden."),
    (C, "fi", "Työttömyysasteella mitattuna Alue C oli 3 työllisyysalueesta alhaisin."),
    (B, "fi", "Työttömyysasteella mitattuna Alue B oli 3 työllisyysalueesta korkein."),
    (B, "sv", "Av 3 sysselsättningsområden hade Område B den högsta arbetslöshetsgraden."),
])
def test_the_sentence_in_words(area, lang, sentence):
    scope = Scope.of(_store(COUNTS), area, "2023Q3")
    facts = SimpleNamespace(scope=scope, area_ranking=employment_area_ranking(scope, AREAS, expected_count=3))
    assert review_page._area_rank_sentence(facts, lang) == sentence


def test_the_sentence_counts_from_the_nearer_end():
    # 45 synthetic areas of one municipality each: rates 1..45 %; area 42 is 4th highest, area 4 4th lowest
    areas = {f"a{i:02d}": Area(f"a{i:02d}", f"Alue {i}", f"Område {i}", None, (f"KU{100 + i:03d}",))
             for i in range(1, 46)}
    counts = {f"KU{100 + i:03d}": (float(i), 100.0) for i in range(1, 46)}
    store = _store(counts)
    for slug, ordinal, side in (("a42", "neljänneksi", "korkein"), ("a04", "neljänneksi", "alhaisin"),
                                ("a23", "23.", "alhaisin")):
        scope = Scope.of(store, areas[slug], "2023Q3")
        facts = SimpleNamespace(scope=scope, area_ranking=employment_area_ranking(scope, areas))
        assert review_page._area_rank_sentence(facts, "fi") == (
            f"Työttömyysasteella mitattuna {areas[slug].name_fi} oli 45 työllisyysalueesta {ordinal} {side}.")


def test_embedded_reviews_show_no_employment_area_rank(kp_scope):
    # the embedded data holds only Keski-Pohjanmaa's municipalities, and the configuration not yet all 45
    facts = compute_facts(kp_scope)
    assert facts.area_ranking is not None and not facts.area_ranking.available
    assert facts.area_ranking.reason.startswith("the configuration holds 38 of the 45")
    assert not any("työllisyysalueesta" in s for s in review_page.story(facts, "fi"))
