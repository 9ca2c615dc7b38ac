"""The data overview (notebook 00, the review's sources section): readers see names, not identifiers."""

from __future__ import annotations

import pytest

from analysis.present import overview
from analysis.store.scope import Scope

LATEST = "2026Q4"  # a period after all embedded data: the as-of cut keeps everything
SNAPSHOT_2023 = "2023-11"  # sees the 2023 snapshot of 12r5 whole (2006-01..2023-10), not the 2023-12.. quarter ends


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_embedded_measure_has_a_readers_name(store, kp_area, lang):
    table = overview.coverage_table(Scope.of(store, kp_area, LATEST), lang)
    names = table.iloc[:, 1].tolist()
    # measures in the nine embedded tables: 12r5 23 (all of them in June 2026), 12ti 2, 12tu 1,
    # 13aj 1, 159t 1, 2310 4, Sotkanet 181 and 3562 2 each, tyokay long-term 3
    assert len(names) == 39
    assert not [n for n in names if "_" in n], "a stable English identifier is shown to readers"


def test_coverage_counts_match_sources_md(store, kp_area):
    table = overview.coverage_table(Scope.of(store, kp_area, SNAPSHOT_2023), "fi").set_index(["Taulukko", "Tieto"])
    vacancies = table.loc[("12r5", "Avoimet työpaikat kuukauden lopussa")]
    # data/SOURCES.md: 438 empty open_vacancies cells in 12r5; 6 420 rows, 30 areas, 2006-01..2023-10
    assert vacancies["Puuttuvia"] == "438"
    assert vacancies["Arvoja"] == "5\u00a0982"  # 6 420 - 438
    assert (vacancies["Alueita"], vacancies["Alkaa"], vacancies["Päättyy"]) == ("30", "tammikuu 2006", "lokakuu 2023")


def test_coverage_is_as_of_the_period(store, kp_area):
    table = overview.coverage_table(Scope.of(store, kp_area, "2023Q3"), "fi").set_index(["Taulukko", "Tieto"])
    # a review of 2023Q3 sees 12r5 up to 2023-09 and 159t up to 2022 (the years ended by then)
    vacancies = table.loc[("12r5", "Avoimet työpaikat kuukauden lopussa")]
    assert vacancies["Päättyy"] == "syyskuu 2023"
    assert set(table.loc["159t", "Päättyy"]) == {"2022"}


def test_area_table_names_the_municipalities(store, kp_area):
    table = overview.area_table(Scope.of(store, kp_area, SNAPSHOT_2023), "sv").set_index("Område")
    assert "Karleby" in table.index and "KU272" not in table.index
    # Lestijärvi has no THL Sotkanet 3562 row: missing, shown as a dash
    assert table.loc["Lestijärvi", "Sotkanet 3562"] == "–"  # a table without a StatFin number by its name
    assert table.loc["Karleby", "12r5"] == "november 2023"  # the published municipal rate runs on to 2025-01
    then = overview.area_table(Scope.of(store, kp_area, "2023Q3"), "sv").set_index("Område")
    assert then.loc["Karleby", "12r5"] == "september 2023"
