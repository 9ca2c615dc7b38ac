"""The data overview (notebook 00, the review's sources section): readers see names, not identifiers."""

from __future__ import annotations

import pytest

from analysis.present import overview


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_embedded_measure_has_a_readers_name(store, lang):
    table = overview.coverage_table(store, lang)
    names = table.iloc[:, 1].tolist()
    assert len(names) == 15  # 3 + 2 + 1 + 1 + 4 + 2 + 2 measures in the seven embedded tables
    assert not [n for n in names if "_" in n], "a stable English identifier is shown to readers"


def test_coverage_counts_match_sources_md(store):
    table = overview.coverage_table(store, "fi").set_index(["Taulukko", "Mittari"])
    vacancies = table.loc[("12r5", "Avoimet työpaikat kuukauden lopussa")]
    # data/SOURCES.md: 438 empty open_vacancies cells in 12r5; 6 420 rows, 30 areas, 2006-01..2023-10
    assert vacancies["Puuttuvia"] == "438"
    assert vacancies["Arvoja"] == "5\u00a0982"  # 6 420 - 438
    assert (vacancies["Alueita"], vacancies["Alkaa"], vacancies["Päättyy"]) == ("30", "2006-01", "2023-10")


def test_area_table_names_the_municipalities(store, kp_area):
    table = overview.area_table(store, kp_area, "sv").set_index("Område")
    assert "Karleby" in table.index and "KU272" not in table.index
    # Lestijärvi has no THL Sotkanet 3562 row: missing, shown as a dash
    assert table.loc["Lestijärvi", "sotkanet-3562"] == "–"
    assert table.loc["Karleby", "12r5"] == "2023-10"
