"""The review's main page: the story, the standard groups and the municipalities, pinned to 12r5.

Published figures of Keski-Pohjanmaa (MK16), StatFin 12r5: 2023-09 2 307 unemployed (2022-09 2 132,
2023-08 2 364, 2023-06 2 668), labour force 30 259 (rate 7,6 %), open vacancies 429 (2022-09 713);
the whole country 249 769 / 2 648 166; MK16's rate is the 16th highest of 19 regions.
"""

from __future__ import annotations

import dataclasses
import html
import math
import re

import pandas as pd
import pytest

from analysis.forecast.area import FORECAST_SERIES, forecast_facts
from analysis.indicators import groups
from analysis.indicators.review import Trend, compute_facts, trend_verdict
from analysis.present import municipality_page as mp
from analysis.present import review_outlook as ro
from analysis.present import review_page as rp
from analysis.store.scope import Scope

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def facts(kp_scope):
    return compute_facts(kp_scope, forecast=forecast_facts(kp_scope))


def _group(facts, key):
    return facts.groups.set_index("group").loc[key]


def test_standard_groups_hold_the_published_figures(facts):
    u = _group(facts, "unemployed")
    assert (u["month"], u["value"], u["year_ago"], u["month_ago_value"]) == ("2023-09", 2307, 2132, 2364)
    assert (u["previous_month"], u["previous"]) == ("2023-06", 2668)  # the quarter before
    assert u["change_year_pct"] == pytest.approx(175 / 2132 * 100)
    assert _group(facts, "rate")["value"] == pytest.approx(2307 / 30259 * 100)
    v = _group(facts, "open_vacancies")
    assert (v["value"], v["change_year"]) == (429, 429 - 713)
    # the 2023 snapshot has no long-term, age or foreign-national counts: absent, never 0
    assert not _group(facts, "long_term")["available"] and math.isnan(_group(facts, "long_term")["value"])


def test_a_monthly_review_compares_with_the_month_before(store, kp_area):
    month = groups.standard_groups(Scope.of(store, kp_area, "2023-09")).set_index("group").loc["unemployed"]
    assert (month["previous_month"], month["previous"]) == ("2023-08", 2364)


def test_headline_and_story_state_the_published_figures(facts):
    assert rp.headline(facts, "fi") == "Työttömiä syyskuun lopussa 175 enemmän kuin vuotta aiemmin"
    story = rp.story(facts, "fi")
    assert 5 <= len(story) <= 9
    assert story[0] == (f"Syyskuun 2023 lopussa työttömiä työnhakijoita oli 2{NBSP}307, mikä on 175 enemmän kuin "
                        f"vuotta aiemmin (+8,2{NBSP}%; koko maassa +7,3{NBSP}%). "
                        f"Elokuun lopusta määrä väheni 57{NBSP}henkilöllä.")
    assert (f"Työttömyysaste oli 7,6{NBSP}%, mikä on 0,6{NBSP}prosenttiyksikköä korkeampi kuin vuotta aiemmin. "
            f"Koko maassa työttömyysaste oli 9,4{NBSP}%.") in story
    assert "Työttömyysasteella mitattuna Keski-Pohjanmaa oli 19 maakunnasta neljänneksi alhaisin." in story
    assert "Syyskuussa 2023 ilmoitettiin 438 uutta avointa työpaikkaa, mikä on 189 vähemmän kuin vuotta aiemmin." in story
    assert not any(re.search(r"\bnan\b", s.lower()) for s in story)


def test_swedish_story(facts):
    assert rp.headline(facts, "sv") == "I slutet av september 175 fler arbetslösa än ett år tidigare"
    assert rp.story(facts, "sv")[0].startswith(f"I slutet av september 2023 fanns det 2{NBSP}307 arbetslösa")


@pytest.mark.parametrize("now, before, verdict", [
    (175, 138, "faster"), (100, 138, "slower"), (50, -20, "turned"), (-80, -20, "faster"), (-10, -40, "slower"),
    (-30, 40, "turned"), (-3, 2, "steady"), (-10, 20, "turned"),
    (175, 166, "steady"),  # 2023-09's month-to-month "acceleration": 9 persons, under 25
    (250, 226, "steady"), (250, 225, "faster"),  # the minimum is 25 persons at a level of 2 000 ...
    (5250, 5000, "steady"), (5300, 5000, "faster"),  # ... and 1 % of the level above 2 500 (30 000: 300)
])
def test_the_trend_needs_a_documented_minimum(now, before, verdict):
    assert trend_verdict(now, before, 2000 if abs(now) < 1000 else 30000) == verdict


@pytest.mark.parametrize("verdict, now, start", [
    ("faster", 175, "Kasvu kiihtyi: työttömiä oli vuotta aiempaa keskimäärin 138 enemmän huhti–"),
    ("slower", 100, "Kasvu hidastui:"), ("turned", 50, "Suunta kääntyi kasvuun:"),
    ("faster", -175, "Lasku nopeutui:"), ("slower", -100, "Lasku hidastui:"), ("turned", -50, "Suunta kääntyi laskuun:"),
    ("steady", 140, ""),
])
def test_the_trend_sentence_follows_the_verdict(facts, verdict, now, start):
    before = 138 if verdict != "turned" else -now
    text = rp.trend_sentence(dataclasses.replace(facts, trend=Trend(now, before, verdict)), "fi")
    assert text.startswith(start) and (text == "") == (start == "")


@pytest.mark.parametrize("rank, count, expected", [
    (16, 19, "19 maakunnasta neljänneksi alhaisin"), (19, 19, "19 maakunnasta alhaisin"),
    (1, 19, "19 maakunnasta korkein"), (3, 19, "kolmanneksi korkein"), (8, 19, "kahdeksanneksi korkein"),
])
def test_rank_is_in_words_where_natural(facts, rank, count, expected):
    ranking = facts.ranking.copy()
    ranking.loc[ranking["area_code"] == "MK16", "rank"] = rank
    ranking = ranking.head(count) if count < len(ranking) else ranking
    assert expected in rp._rank_sentence(dataclasses.replace(facts, ranking=ranking), "fi")


def test_municipalities_named_highest_lowest_and_biggest_change(facts):
    rows = mp.municipality_rows(facts)
    assert list(rows["area_code"][:1]) == ["KU074"] and list(rows["area_code"][-1:]) == ["KU421"]  # Halsua, Lestijärvi
    text = " ".join(rp._municipality_sentences(facts, "fi"))
    assert f"vaihteli Lestijärven 5,2{NBSP}prosentista Halsuan 10,0{NBSP}prosenttiin" in text
    # Halsua's +1,8 points are 6 persons, Lestijärvi's −2,0 points 6 persons: neither is the "most"
    assert f"nousi eniten Kannuksessa (1,5{NBSP}prosenttiyksikköä)." in text and "laski eniten" not in text
    levels = facts.levels.copy()
    levels.loc[levels["area_code"] == "KU421", "change_year"] = -12.0  # a fall of 12 persons is named
    moved = " ".join(rp._municipality_sentences(dataclasses.replace(facts, levels=levels), "fi"))
    assert f"laski eniten Lestijärvellä (2,0{NBSP}prosenttiyksikköä)" in moved


def test_occupations_in_sentences_with_names(facts):
    up, down = rp.occupation_items(facts, "fi")
    assert up[0] == f"rakennustyöntekijät ym. (pl. sähköasentajat) +48 (+33{NBSP}%)"
    assert len(up) == 3 and len(down) == 3 and not any(item[0].isdigit() for item in up + down)


def test_swedish_occupation_sentence_uses_statistikcentralens_names(facts):
    up, down = rp.occupation_items(facts, "sv")
    assert up[0] == f"byggnadsarbetare m.fl. (utom elmontörer) +48 (+33{NBSP}%)"
    assert rp.occupation_names_note(facts, "sv") == ""  # every group named is in Swedish
    # a group without a Swedish name keeps its Finnish name, and the page says so once
    occ = facts.occupations.copy()
    row = occ["group_code"] == "83"
    occ.loc[row, ["change_year", "change_year_pct", "base_unreliable"]] = [500.0, 80.0, False]
    moved = dataclasses.replace(facts, occupations=occ)
    assert rp.occupation_items(moved, "sv")[0][0].startswith("kuljetustyöntekijät +500")
    note = rp.occupation_names_note(moved, "sv")
    assert note == "Inget svenskt namn har hittats i källorna för yrkesgruppen 83; namnet visas på finska."
    page = "".join(b.data for b in rp.main_blocks(moved, "sv"))
    assert page.count("visas på finska") == 1
    assert rp.occupation_names_note(moved, "fi") == ""


def test_missing_groups_are_named_once(facts):
    line = rp.missing_line(facts, "fi")
    assert line.count("pitkäaikaistyöttömät") == 1 and "ulkomaan kansalaiset" in line
    html_text = "".join(b.data for b in rp.main_blocks(facts, "fi"))
    assert html_text.count("Tästä aineistosta puuttuvat ryhmät") == 1


def test_tiles_show_small_counts_as_less_than_five(facts):
    table = facts.groups.copy()
    row = table["group"] == "unemployed"
    table.loc[row, ["value", "previous", "year_ago"]] = [3.0, 12.0, 4.0]
    block = rp.tiles_block(dataclasses.replace(facts, groups=table), "fi").data
    assert block.count("&lt;5") == 2 and ">3<" not in block


def test_plan_box_counts_metrics_and_names_those_behind(facts):
    card = pd.DataFrame({
        "metric_id": ["a", "b", "c", "d"], "status": ["on_track", "off_track", "off_track", "missing"],
        "name_fi": ["A", "Pitkäaikaistyöttömien määrän muutos (%)", "Avoinna olevat työpaikat (kpl/kk)", "D"],
        "name_sv": ["A", "B", "C", "D"], "source": ["public", "public", "public", "internal"],
        "component": "", "unit": "count", "period": "2023-09", "value": 1.0, "effective_target": 2.0,
        "direction": "higher", "is_example": False,
    })
    box = rp.plan_block(dataclasses.replace(facts, scorecard=card), "fi").data
    assert "4 mittarista 1 on tavoitteessa ja 2 jäljessä tavoitteesta; 1 mittarilla" in box
    assert "Pitkäaikaistyöttömien määrän muutos (%); Avoinna olevat työpaikat (kpl/kk)" in box
    assert "Työllisyysalueen omat mittarit" in box  # every internal metric is still unreported


def test_period_words():
    from analysis.present.text import month_name, period_words
    from analysis.review.render import made_at_words

    assert period_words("2023Q3", "fi") == "heinä–\u2060syyskuu\u00a02023"
    assert period_words("2024Q1", "sv") == "januari–\u2060mars\u00a02024"
    assert period_words("2023-09", "sv") == "september 2023"
    assert month_name("2024-12", "fi") == "joulukuu 2024"
    assert made_at_words("fi", pd.Timestamp("2026-12-01 18:57", tz="UTC").to_pydatetime()) == "1.12.2026 klo 20.57"


def test_a_small_municipal_count_cannot_be_found_by_subtraction(facts):
    levels = facts.levels.copy()
    levels.loc[levels["area_code"] == "KU421", "unemployed"] = 3.0  # Lestijärvi 3: shown as <5
    changed = dataclasses.replace(facts, levels=levels)
    shown = mp.municipality_counts_shown(changed, "fi")
    assert shown["KU421"] == "<5" and shown["KU074"] == ".."  # the next smallest (Halsua 43) is hidden too
    page = "".join(b.data for b in mp.municipality_blocks(changed, "KU421", "fi"))
    text = html.unescape(page)
    assert "työttömiä työnhakijoita oli <5." in text  # no change in persons that would reveal the count
    assert "enemmän kuin vuotta aiemmin" not in text and "vähemmän kuin vuotta aiemmin" not in text


def test_forecast_made_in_2020q1_is_on_the_main_page(store, kp_area):
    """A past period's data end at the period: 2020Q1 holds 21 of the 24 backtest origins the published
    accuracy needs, yet the forecast made at 2020-03 is shown (one sentence, one chart), equal to the
    forecast made at 2020-03 from the full data, with the outcome of 2020-09 and the earlier errors."""
    from analysis.forecast import backtest as bt
    from analysis.forecast import occupations as occ

    scope = Scope.of(store, kp_area, "2020Q1")
    fc, acc = forecast_facts(scope)
    assert fc is not None and acc is not None
    ahead = fc[fc["kind"] == "forecast"].set_index("month")
    assert list(ahead.index[:6]) == ["2020-04", "2020-05", "2020-06", "2020-07", "2020-08", "2020-09"]
    assert fc.loc[fc["kind"] == "history", "month"].iloc[-1] == "2020-03"
    # made then: equal to the forecast made at 2020-03 with the full data's backtest errors known then
    full = occ.occupation_panel(store, "MK16")
    made = bt.forecast_from(full.panel, "2020-03", list(full.extra), result=occ.backtest(full)[0])
    made = made[made["series_id"] == FORECAST_SERIES].set_index("target")
    for col in ("forecast", "lo80", "hi80"):
        assert ahead[col.replace("forecast", "value")].to_numpy() == pytest.approx(made[col].reindex(ahead.index).to_numpy())
    assert acc.last_origin <= "2019-09" and acc.cases > 0  # only forecasts whose 6-month target is known
    facts = dataclasses.replace(compute_facts(scope), forecast=fc, accuracy=acc)
    sentence = rp.forecast_sentence(facts, "fi")
    # 12ti MK16 total: 2 838 in 2020-03 (the origin), 2 544 in 2020-09 (the outcome)
    assert sentence.startswith(f"Ennusteen mukaan työttömiä on syyskuun 2020 lopussa noin 2{NBSP}610 "
                               f"(80 %:n ennusteväli 2{NBSP}110–3{NBSP}030).")
    assert f"Toteutunut määrä oli 2{NBSP}544, ennustevälin sisällä." in sentence
    assert "Aiemmista kuuden kuukauden ennusteista puolet osui enintään " in sentence
    page = "".join(b.data for b in rp.main_blocks(facts, "fi"))
    assert page.count('id="forecast"') == 1 and page.count("<figure") >= 2  # municipalities + forecast


def test_forecast_made_before_the_first_protocol_origin_is_the_one_made_then(store, kp_area):
    """2013Q4's data hold no protocol origin (2015-01 on), only calibration origins: their errors give
    the interval, as in the full backtest, and no accuracy clause is stated."""
    from analysis.forecast import backtest as bt
    from analysis.forecast import occupations as occ

    fc, acc = forecast_facts(Scope.of(store, kp_area, "2013Q4"))
    assert fc is not None and acc is None
    ahead = fc[fc["kind"] == "forecast"].set_index("month")
    full = occ.occupation_panel(store, "MK16")
    made = bt.forecast_from(full.panel, "2013-12", list(full.extra), result=occ.backtest(full)[0])
    made = made[made["series_id"] == FORECAST_SERIES].set_index("target").reindex(ahead.index)
    assert ahead["value"].to_numpy() == pytest.approx(made["forecast"].to_numpy())
    assert ahead["hi80"].to_numpy() == pytest.approx(made["hi80"].to_numpy())


@pytest.fixture(scope="module")
def outlook_facts(facts, kp_scope):
    from analysis.forecast.outlook import summary
    from analysis.review.facts import outlook_of

    return dataclasses.replace(facts, outlook=summary(outlook_of(kp_scope)))


def test_the_outlook_names_the_groups_expected_in_shortage(outlook_facts):
    """MK16 2023Q3: the outlook made at 2023-09 for 2024-03 (test_outlook.py pins the groups and the
    record); the probabilities as the outlook table's p_shortage_pct rounds them (89,8 -> 90 %)."""
    first, second = ro.outlook_paragraphs(outlook_facts, "fi")
    assert first == (
        "Puolen vuoden päästä eli maaliskuussa 2024 työvoimapulaa ennakoidaan todennäköisimmin seuraavissa "
        f"ammattiryhmissä (suluissa pulan todennäköisyys): terveydenhuollon erityisasiantuntijat (90{NBSP}%), "
        f"terveydenhuollon asiantuntijat (88{NBSP}%) ja myyjät, kauppiaat ym. (86{NBSP}%). Pula on mahdollinen myös "
        f"seuraavissa ryhmissä: teollisuustuotteiden kokoonpanijat (41{NBSP}%), suojelu- ja vartiointityöntekijät "
        f"(38{NBSP}%) ja liike-elämän ja hallinnon asiantuntijat (38{NBSP}%). Pula tarkoittaa, että avoimia "
        "työpaikkoja on vähintään yhtä monta kuin työttömiä työnhakijoita. Ylitarjontaa eli vähintään 4 työtöntä "
        "työnhakijaa avointa työpaikkaa kohden ennakoidaan 16 ammattiryhmässä (kaikkiaan ryhmiä on 39).")
    assert second == (
        "Huhtikuusta 2022 maaliskuuhun 2023 tehdyistä 157 ammattiryhmäkohtaisesta ennakoinnista 115 eli noin kolme "
        "neljästä osui oikeaan luokkaan (pula, tasapaino tai ylitarjonta); jos olisi vain oletettu kunkin ryhmän "
        "tilanteen säilyvän ennallaan, osumia olisi ollut 103.")


def test_the_swedish_outlook_sentence(outlook_facts):
    first, second = ro.outlook_paragraphs(outlook_facts, "sv")
    assert first.startswith(
        "Om ett halvår, i mars 2024, väntas arbetskraftsbrist mest sannolikt inom följande yrkesgrupper "
        f"(sannolikheten för brist inom parentes): hälso- och sjukvårdsspecialister (90{NBSP}%), hälso- och "
        f"sjukvårdsexperter (88{NBSP}%) och försäljare, butiksinnehavare m.fl. (86{NBSP}%). Brist är möjlig också "
        "inom följande grupper: hopsättare, industriprodukter")
    assert "väntas inom 16 av de 39 yrkesgrupperna." in first
    assert second == (
        "Av de 157 bedömningar per yrkesgrupp som gjordes från april 2022 till mars 2023 hamnade 115, eller ungefär "
        "tre av fyra, i rätt klass (brist, balans eller överskott); om man bara hade antagit att varje grupps läge "
        "består, hade 103 hamnat rätt.")


def test_the_outlook_says_plainly_when_no_group_is_expected_in_shortage_and_when_its_record_is_short(outlook_facts):
    summary = outlook_facts.outlook
    calm = tuple(dataclasses.replace(g, predicted="balance", p_shortage=min(g.p_shortage, 0.3)) if g.predicted ==
                 "shortage" else g for g in summary.groups)
    short = dataclasses.replace(summary, groups=calm, made=20, hits=15, record_first="2015-01", record_last="2015-03",
                                record_months=3)
    first, second = ro.outlook_paragraphs(dataclasses.replace(outlook_facts, outlook=short), "fi")
    assert first.startswith("Puolen vuoden päästä eli maaliskuussa 2024 työvoimapulaa ei ennakoida yhdessäkään "
                            "ammattiryhmässä.")
    assert second == ("Ennakoinnin osuvuudesta on vasta lyhyt kokemus: tammi–\u2060maaliskuussa 2015 tehdyistä 20 "
                      "ammattiryhmäkohtaisesta ennakoinnista 15 osui oikeaan luokkaan.")
    none = dataclasses.replace(summary, made=0, hits=0, record_first=None, record_last=None, record_months=0)
    assert ro.outlook_accuracy_sentence(none, "sv") == ("Prognosens träffsäkerhet kan ännu inte bedömas: den räknas "
                                                        "för bedömningar gjorda från och med 2015.")


@pytest.mark.parametrize("share, fi", [(115 / 157, "noin kolme neljästä"), (5 / 6, "noin viisi kuudesta"),
                                       (0.52, "noin puolet"), (0.4, "alle puolet"), (0.93, "noin yhdeksän kymmenestä")])
def test_a_share_of_hits_is_said_as_a_simple_fraction(share, fi):
    assert ro.share_words(share, "fi") == fi


def test_the_outlook_has_its_own_part_of_the_main_page_with_a_chart(outlook_facts):
    page = "".join(b.data for b in rp.main_blocks(outlook_facts, "fi"))
    assert page.count('id="outlook"') == 1 and 'href="#outlook"' in page
    assert page.index('id="occupations"') < page.index('id="outlook"') < page.index('id="forecast"')
    fig = ro.outlook_figure(outlook_facts, "fi").data
    assert ("Pylväskuvio: pulan todennäköisyys maaliskuussa 2024 niissä 8 ammattiryhmässä, joissa se on suurin; "
            "suurin se on seuraavissa ryhmissä: terveydenhuollon erityisasiantuntijat (90\u00a0%)") in html.unescape(fig)
    assert fig.count("<tr>") == 9 and "Toteutunut luokka" not in fig  # 8 groups and the header; 2024-03 not held
    assert "2024-03" not in page and "2023-09" not in page
    without = "".join(b.data for b in rp.main_blocks(dataclasses.replace(outlook_facts, outlook=None), "fi"))
    assert 'id="outlook"' not in without and 'href="#outlook"' not in without


def test_a_past_outlook_stands_beside_what_happened_on_the_main_page(store, kp_area, outlook_facts):
    """2023Q1: the outlook made at 2023-03 for 2023-09, which the data hold (test_outlook.py pins 18 groups
    classified then, 17 of them as the outlook said); the chart's table adds what happened."""
    from analysis.forecast.outlook import scope_result, summary

    past = dataclasses.replace(outlook_facts, outlook=summary(scope_result(Scope.of(store, kp_area, "2023Q1"))))
    second = ro.outlook_paragraphs(past, "fi")[1]
    assert second.endswith("Syyskuussa 2023 toteutunut luokka voitiin todeta 18 ammattiryhmässä (muiden ryhmien luvut "
                           "olivat liian pieniä tai osin salattuja); niistä ennakointi osui oikeaan 17 ryhmässä.")
    assert ro.outlook_paragraphs(past, "sv")[1].endswith(
        "I september 2023 kunde den faktiska klassen fastställas för 18 yrkesgrupper (för de övriga grupperna var talen "
        "för små eller delvis skyddade); för 17 av dem hamnade prognosen i rätt klass.")
    table = html.unescape(ro.outlook_figure(past, "fi").data)
    assert "Toteutunut luokka syyskuussa 2023" in table and "Luokka maaliskuussa 2023" in table
    # two groups of the chart have no Swedish name: the Swedish page says so once
    assert "Inget svenskt namn har hittats i källorna för yrkesgrupperna 93 och 94" in ro.outlook_paragraphs(past, "sv")[0]
