"""The review's first page: key figures pinned to 12r5, and narrative grammar for rise, fall and no change."""

import dataclasses
import math

import pandas as pd
import pytest

from analysis.indicators.key_figures import key_figures
from analysis.present.key_figures import direction, key_table, narrative

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def kf(kp_scope):
    return key_figures(kp_scope)


def test_key_figures_match_12r5(kf):
    # MK16 2023-09: 2 307 unemployed (2022-09: 2 132), labour force 30 259, vacancies 429 (2022-09: 713)
    row = kf.row("unemployed_jobseekers")
    assert (kf.month, row["value"], row["change"]) == ("2023-09", 2307, 175)
    assert kf.row("unemployment_rate_pct")["value"] == pytest.approx(2307 / 30259 * 100)
    assert kf.row("open_vacancies")["change"] == 429 - 713
    assert kf.previous_month_change == 2307 - 2364  # 2023-08: 2 364
    assert kf.country_rate == pytest.approx(249769 / 2648166 * 100)  # SSS 2023-09
    assert (kf.region_rank, kf.region_count) == (16, 19)


def test_finnish_narrative_states_the_published_figures(kf, kp_scope):
    text = narrative(kf, kp_scope, "fi")
    assert 5 <= len(text) <= 8
    assert text[0] == (f"Keski-Pohjanmaan työllisyysalueella oli syyskuun 2023 lopussa 2{NBSP}307 työtöntä "
                       "työnhakijaa, 175 enemmän kuin vuotta aiemmin.")
    assert "Edellisestä kuukaudesta työttömien määrä väheni 57 hengellä." in text
    assert f"Työttömyysaste oli 7,6{NBSP}%, 0,6 prosenttiyksikköä korkeampi kuin vuotta aiemmin." in text
    assert "Avoimia työpaikkoja oli 429, 284 vähemmän kuin vuotta aiemmin." in text
    assert any("PITKAAIKAISTYOTTOMAT" in s and "python -m analysis fetch" in s for s in text)


def test_swedish_narrative(kf, kp_scope):
    text = narrative(kf, kp_scope, "sv")
    assert text[0] == (f"I Mellersta Österbottens sysselsättningsområde fanns det i slutet av september 2023 "
                       f"2{NBSP}307 arbetslösa arbetssökande, 175 fler än ett år tidigare.")


def _with(kf, **changes):
    headline = kf.headline.copy()
    for indicator, (value, change) in changes.items():
        headline.loc[headline["indicator"] == indicator, ["value", "change"]] = [value, change]
    return dataclasses.replace(kf, headline=headline)


@pytest.mark.parametrize("value, change, expected", [
    (2307, 0, "saman verran kuin vuotta aiemmin."),
    (2307, -12, "12 vähemmän kuin vuotta aiemmin."),
    (1, 1, "1 työtön työnhakija, 1 enemmän kuin vuotta aiemmin."),
])
def test_rise_fall_and_no_change_are_grammatical(kf, kp_scope, value, change, expected):
    first = narrative(_with(kf, unemployed_jobseekers=(value, change)), kp_scope, "fi")[0]
    assert first.endswith(expected)


def test_no_figure_is_stated_where_the_data_has_none(kf, kp_scope):
    text = narrative(_with(kf, open_vacancies=(math.nan, math.nan), unemployment_rate_pct=(math.nan, math.nan)),
                     kp_scope, "fi")
    assert not any(s.startswith("Työttömyysaste") for s in text)
    assert any("Alueen avoimien työpaikkojen määrää ei voida laskea" in s for s in text)
    assert not any("nan" in s.lower() for s in text)


def test_direction_is_symbol_and_text():
    assert direction(3, "fi") == "▲ kasvoi"
    assert direction(-0.04, "fi", 1) == "● ennallaan"
    assert direction(math.nan, "sv") == "– uppgift saknas"


def test_key_table_marks_missing_long_term_plainly(kf):
    table = key_table(kf, "fi")
    long_term = table[table["Tunnusluku"] == "Pitkäaikaistyöttömät"].iloc[0]
    assert long_term["Arvo"] == "ei aineistossa" and long_term["Suunta"] == "– tieto puuttuu"
    assert table.iloc[0]["Muutos vuodessa"] == f"+175 (+8,2{NBSP}%)"
    assert isinstance(table, pd.DataFrame)


def test_key_table_applies_the_disclosure_rules_of_the_analysis_tables(kf):
    headline = kf.headline.copy()
    small = headline["indicator"] == "unemployed_jobseekers"
    headline.loc[small, ["value", "value_year_ago", "change"]] = [3, 12, -9]  # a count 1-4 is never revealed
    vacancies = headline["indicator"] == "open_vacancies"
    headline.loc[vacancies, ["value", "value_year_ago", "change"]] = [30, 15, 15]  # base under 20 persons
    table = key_table(dataclasses.replace(kf, headline=headline), "fi").set_index("Tunnusluku")
    assert table.iloc[0]["Arvo"] == "<5" and table.iloc[0]["Muutos vuodessa"] == ".."
    assert table.iloc[2]["Muutos vuodessa"] == f"+15 (+100,0{NBSP}% *)"  # 15 / 15 = +100 %, flagged
