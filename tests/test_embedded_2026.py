"""The real June 2026 month (12r5, all 23 measures, all areas) and the municipal published rates 2007-01…2025-01
in the embedded snapshot, and the monthly review of June 2026 they give.

Every expected figure is the published one: data/SOURCES.md (sections "12r5 all measures, June 2026" and
"municipal rates") quotes them from the verbatim StatFin responses.
"""

from __future__ import annotations

import math
import shutil
from decimal import ROUND_HALF_UP, Decimal

import pytest

from analysis import config
from analysis.errors import DataValidationError
from analysis.indicators import groups
from analysis.indicators.overview import latest_complete_quarter
from analysis.sources import embedded
from analysis.store.scope import Scope


def _cell(store, area, measure, period):
    sel = store.select(measure, table_id="12r5", area_codes=[area])
    sel = sel[sel["period"] == period]
    assert len(sel) == 1, (area, measure, period)
    return sel["value"].iloc[0]


@pytest.mark.parametrize("measure, expected", [
    ("unemployed_jobseekers", 3175), ("labour_force", 30858), ("unemployment_rate_pct", 10.3),
    ("long_term_unemployed", 1062), ("unemployed_foreign_nationals", 416), ("unemployed_men", 1569),
    ("unemployed_women", 1604), ("unemployed_under_20", 160), ("unemployed_under_25", 556),
    ("unemployed_over_50", 978), ("laid_off_full_time", 210), ("open_vacancies", 174), ("new_vacancies", 152),
    ("in_subsidised_employment", 117), ("in_work_or_training_trial", 57), ("in_labour_market_training", 177),
    ("in_other_services", 434), ("in_coaching", 0), ("in_work_practice_or_coaching", 0),
])
def test_june_2026_keski_pohjanmaa_as_published(store, measure, expected):
    assert _cell(store, "MK16", measure, "2026-06") == expected


def test_june_2026_country_and_the_19_regions(store):
    assert _cell(store, "SSS", "unemployed_jobseekers", "2026-06") == 352001
    assert _cell(store, "SSS", "unemployment_rate_pct", "2026-06") == 12.8
    assert _cell(store, "MK01", "unemployed_jobseekers", "2026-06") == 122804
    june = store.select("unemployed_jobseekers", table_id="12r5")
    june = june[june["period"] == "2026-06"]
    regions = sorted(c for c in june["area_code"] if c.startswith("MK"))
    assert len(regions) == 19 and "MK91" not in regions  # "MK91 Unknown" is no region
    assert not set(june["area_code"]) & {"KU199", "SK902"}  # nor are the other "Unknown" codes stored
    assert june["area_code"].str.startswith("KU").sum() == 308  # every municipality of 2026


def test_june_2026_suppressed_cells_stay_missing(store):
    june = store.observations[(store.observations["period"] == "2026-06") & (store.observations["table_id"] == "12r5")]
    lestijarvi = june[(june["area_code"] == "KU421") & (june["measure"] == "long_term_unemployed")]
    assert len(lestijarvi) == 1
    source = embedded.read_csv(config.RAW_DIR / embedded.FILES["12r5_2026_06"])
    row = source[(source["area_code"] == "KU421") & (source["measure_code"] == "PITKAAIKAISTYOTTOMAT")]
    published = row["value_published"].iloc[0]
    assert (published == "...") == math.isnan(lestijarvi["value"].iloc[0])


def test_municipal_rates_extend_2023_11_to_2025_01(store):
    kokkola = store.select("unemployment_rate_pct", table_id="12r5", area_codes=["KU272"])
    months = sorted(kokkola["period"])
    assert months[0] == "2007-01" and "2025-01" in months
    assert [m for m in months if "2023-10" < m <= "2025-01"] == [
        f"{y}-{m:02d}" for y, m in [(2023, 11), (2023, 12), *((2024, k) for k in range(1, 13)), (2025, 1)]]
    assert _cell(store, "KU272", "unemployment_rate_pct", "2023-11") == 8.4
    assert _cell(store, "KU272", "unemployment_rate_pct", "2024-06") == 9.7
    assert _cell(store, "KU272", "unemployment_rate_pct", "2025-01") == 9.9


def test_published_rates_equal_the_rates_of_the_2023_counts(store):
    """Two vintages agree: TYOTOSUUS 2007-01…2023-10 = round-half-up(unemployed / labour force × 100, 1) for the
    area's 8 municipalities, in all 1 616 cells (SOURCES.md)."""
    members = list(config.get_area("keski-pohjanmaa").members)
    obs = store.select(["unemployment_rate_pct", "unemployed_jobseekers", "labour_force"], table_id="12r5",
                       area_codes=members)
    wide = obs.pivot_table(index=["area_code", "period"], columns="measure", values="value").dropna()
    wide = wide[wide.index.get_level_values("period") <= "2023-10"]
    computed = [float(Decimal(str(u / lf * 100)).quantize(Decimal("0.1"), ROUND_HALF_UP))
                for u, lf in zip(wide["unemployed_jobseekers"], wide["labour_force"])]
    assert len(wide) == 1616
    assert computed == list(wide["unemployment_rate_pct"])


def test_latest_complete_quarter_ignores_a_lone_later_month(store):
    # June 2026 alone does not make 2026Q2 complete, nor does 2023-10 make 2023Q4: `make review` stays 2023Q3
    assert latest_complete_quarter(store) == "2023Q3"


@pytest.fixture(scope="module")
def june_groups(store, kp_area):
    return groups.standard_groups(Scope.of(store, kp_area, "2026-06")).set_index("group")


@pytest.mark.parametrize("group, expected", [
    ("unemployed", 3175), ("long_term", 1062), ("foreign_nationals", 416), ("under_25", 556), ("over_50", 978),
    ("laid_off", 210), ("in_services", 117 + 57 + 177 + 434), ("new_vacancies", 152), ("open_vacancies", 174),
])
def test_june_2026_review_groups_at_their_real_level(june_groups, group, expected):
    row = june_groups.loc[group]
    assert row["month"] == "2026-06"
    assert row["value"] == expected


def test_june_2026_rates_and_comparisons(june_groups):
    assert round(june_groups.loc["rate", "value"], 1) == 10.3
    assert june_groups.loc["activation_rate", "value"] == pytest.approx(100 * 785 / (3175 + 785))  # 19.8 %
    # a year earlier: the groups have no June 2025, the vacancies do (2022-2026 series)
    assert math.isnan(june_groups.loc["long_term", "year_ago"])
    assert june_groups.loc["open_vacancies", "year_ago"] == 223
    assert june_groups.loc["new_vacancies", "year_ago"] == 266
    assert not june_groups.loc["over_two_years", "available"]


def test_june_2026_review_says_once_which_comparisons_it_lacks(store, kp_area):
    from analysis.present import review_page

    scope = Scope.of(store, kp_area, "2026-06")
    facts = review_page.ReviewFacts(scope=scope, groups=groups.standard_groups(scope),
                                    history=groups.year_change_history(scope), levels=None, ranking=None,
                                    occupations=None, occupation_context=False, scorecard=None)
    assert review_page.headline(facts, "fi").replace("\u00a0", " ") == (
        "Työttömiä työnhakijoita oli 3 175 Keski-Pohjanmaan työllisyysalueella kesäkuun 2026 lopussa")
    assert "ennallaan" not in review_page.headline(facts, "fi")  # never "unchanged" without a year-ago month
    line = review_page.no_comparison_line(facts, "fi")
    assert line.count("kesäkuu 2025") == 1 and "pitkäaikaistyöttömät" in line and "avoimet työpaikat" not in line
    tiles = review_page.tiles_block(facts, "fi").data
    assert "kesäkuu 2025" in tiles  # the vacancies' year-ago month
    assert tiles.count("muutos vuodessa") == 1  # only the one vacancy tile the main page shows has a change


@pytest.fixture
def raw_copy(tmp_path):
    folder = tmp_path / "raw"
    shutil.copytree(config.RAW_DIR, folder)
    return folder


@pytest.mark.parametrize("key, old, new, loader, message", [
    ("12r5_2026_06", "2026-06,2026M06,MK16,MK16 Central Ostrobothnia,region,TYOTTOMATLOPUSSA,"
     "Työttömät työnhakijat laskentapäivänä (lkm.),3175,3175",
     "2026-06,2026M06,MK16,MK16 Central Ostrobothnia,region,TYOTTOMATLOPUSSA,"
     "Työttömät työnhakijat laskentapäivänä (lkm.),3715,3175", embedded.load_12r5_all_measures,
     "does not match the published text '3175'"),
    ("12r5_2026_06", "2026-06,2026M06,MK16,MK16 Central Ostrobothnia,region,HAKIJALOPUSSA,",
     "2026-06,2026M06,ELY16,MK16 Central Ostrobothnia,region,HAKIJALOPUSSA,", embedded.load_12r5_all_measures,
     "is not a code of the level 'region'"),
    ("12r5_rates", "2024-06,2024M06,KU272,9.7,9.7", "2024-06,2024M06,KU272,,9.7", embedded.load_12r5_municipal_rates,
     "does not match the published text '9.7'"),
])
def test_bad_cells_of_the_2026_files_are_refused(raw_copy, key, old, new, loader, message):
    path = raw_copy / embedded.FILES[key]
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(DataValidationError, match=message) as err:
        loader(raw_copy)
    assert embedded.FILES[key] in str(err.value)


def test_the_june_2026_municipality_pages_state_the_level_without_a_year_earlier(tmp_path, monkeypatch):
    """No month a year earlier in the embedded June 2026: each municipality's page states its level and rate
    alone (Perho 89 unemployed, labour force 1 000: 8,9 %), never a change from a missing month."""
    import re

    from analysis import config
    from analysis.review import facts

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path)
    for lang, said in (("fi", ["Kesäkuun 2026 lopussa Perhossa oli 89\u00a0työtöntä työnhakijaa.",
                               "Työttömyysaste oli Perhossa 8,9\u00a0%."]),
                       ("sv", ["I slutet av juni 2026 fanns det i Perho 89\u00a0arbetslösa arbetssökande.",
                               "Arbetslöshetsgraden i Perho var 8,9\u00a0%."])):
        pages = "".join(b.data for b in facts.section("municipalities", "keski-pohjanmaa", "2026-06", lang=lang))
        perho = pages[pages.index("kunta-ku584"):]
        text = [re.sub("<[^>]+>", "", p) for p in re.findall("<p>.*?</p>", perho)]
        assert all(sentence in " ".join(text) for sentence in said), text[:4]
        assert "nan" not in " ".join(text[:4]).lower()
