"""Municipality pages (issues 27 and 28): the standard groups where the data hold them, and the municipality's
own line of StatFin's published rates where the data lack its two years of counts.

Real values, read by hand from ``data/raw`` (the embedded data):

- ``tyonv_12r5_tyotosuus_all_municipalities_2007_2025-01.csv`` (TYOTOSUUS): Perho (KU584) 2023-02 11,1 %,
  2024-06 7,2 %, 2024-07 8,1 %, 2025-01 11,4 %;
- ``tyonv_12r5_all_measures_all_areas_2026-06.csv``: Perho 2026-06 rate 8,9 %, long-term 34, under 25 17,
  over 50 28, fully laid off 13, foreign nationals ``...``; under 25: MK16 556, Kokkola 445, Kannus 32,
  Kaustinen 24, Halsua ``...``, Lestijärvi 5, Perho 17, Toholampi 19, Veteli 11 (556 − 553 = 3: Halsua's);
- ``tyonv_12r5_vacancies_quarter_end_2022_2026_kp.csv``: Perho's new vacancies 2026-06 7, 2025-06 8.

The fetched store ``tests/fixtures/fetched_kp`` has SYNTHETIC values in the real shapes (12r5 and 12ta for every
member, 2023-01 … 2026-06): its figures are read from its own rows here.
"""

from __future__ import annotations

import base64
import dataclasses
import math
import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from test_review_language import chart_text_px

from analysis.indicators import groups
from analysis.indicators.review import compute_facts
from analysis.present import municipality_page as mp
from analysis.present import review_page as rp
from analysis.present.text import t
from analysis.store import load_store, read_store
from analysis.store.scope import Scope
from fixtures.fetched_kp import STORE

PERHO, LESTIJARVI, HALSUA = "KU584", "KU421", "KU074"


@pytest.fixture(scope="module")
def june(store, kp_area):
    """The monthly review of June 2026 on the embedded data: June 2026 is the one month of counts held."""
    return compute_facts(Scope.of(store, kp_area, "2026-06"))


@pytest.fixture(scope="module")
def quarter(store, kp_area):
    return compute_facts(Scope.of(store, kp_area, "2023Q3"))


@pytest.fixture(scope="module")
def fetched(kp_area):
    """June 2026 on the SYNTHETIC complete fetched store laid over the embedded data."""
    return compute_facts(Scope.of(load_store(str(STORE)), kp_area, "2026-06"))


def page(facts, code: str, lang: str) -> BeautifulSoup:
    return BeautifulSoup("".join(b.data for b in mp.municipality_blocks(facts, code, lang)), "html.parser")


def table_after(soup: BeautifulSoup, caption: str) -> list[list[str]]:
    """The rows (header first) of the table whose caption is ``caption``."""
    found = soup.find("p", class_="table-caption", string=caption)
    assert found is not None, [p.get_text() for p in soup.find_all("p", class_="table-caption")]
    return [[" ".join(c.get_text().split()) for c in tr.find_all(["th", "td"])]
            for tr in found.find_next("table").find_all("tr")]


def svg_of(block_html: str) -> str:
    return base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]*)"', block_html).group(1)).decode()


# --------------------------------------------------------------------------- the published rates (issue 28)


def test_the_rate_history_reads_the_published_rates_and_leaves_the_gap_empty(june):
    own = june.municipality_rates[june.municipality_rates["area_code"] == PERHO].set_index("month")["rate"]
    assert (own.index[0], own.index[-1], len(own)) == ("2023-02", "2026-06", 41)  # 24 months held, the gap, June
    assert (own["2023-02"], own["2024-06"], own["2024-07"], own["2025-01"], own["2026-06"]) == (11.1, 7.2, 8.1, 11.4,
                                                                                                 8.9)
    gap = own["2025-02":"2026-05"]
    assert len(gap) == 16 and gap.isna().all()  # never filled in
    assert own.drop(gap.index).notna().all()


@pytest.mark.parametrize("lang, alt, caption", [
    ("fi", "Viivakuvio: työttömyysaste Perhossa kuukausittain; kesäkuussa 2026 se oli 8,9 % ja kesäkuussa 2024 7,2 %.",
     "Perho: työttömyysaste kuukausittain, helmikuu 2023 – tammikuu 2025 ja kesäkuu 2026. Väliin jäävien kuukausien "
     "(helmikuu 2025 – toukokuu 2026) lukuja ei ole aineistossa."),
    ("sv", "Linjediagram: arbetslöshetsgraden i Perho per månad; i juni 2026 var den 8,9 % och i juni 2024 7,2 %.",
     "Perho: arbetslöshetsgrad per månad, februari 2023 – januari 2025 och juni 2026. Siffror för månaderna "
     "däremellan (februari 2025 – maj 2026) finns inte i materialet."),
])
def test_a_page_without_two_years_of_counts_draws_the_published_rate(june, lang, alt, caption):
    assert mp.municipality_history_figure(june, PERHO, lang) is None  # one month of counts only
    soup, alt = page(june, PERHO, lang), alt.replace(" %", "\u00a0%")  # a number and its sign never part
    img = soup.find("img", alt=alt)
    assert img is not None, [i.get("alt") for i in soup.find_all("img")]
    rows = table_after(soup, caption)
    months = [r[0] for r in rows[1:]]
    assert len(months) == 25 and months[0] == ("helmikuu 2023" if lang == "fi" else "februari 2023")
    assert months[-2:] == (["tammikuu 2025", "kesäkuu 2026"] if lang == "fi" else ["januari 2025", "juni 2026"])
    assert rows[18] == (["heinäkuu 2024", "8,1 %"] if lang == "fi" else ["juli 2024", "8,1 %"])
    text = " ".join([alt, caption, *(" ".join(r) for r in rows)])
    assert not re.search(r"\d{4}-\d{2}", text)  # months in words


def test_the_gap_is_never_joined(june):
    """The rate line is two runs in the SVG (a path moves twice): February 2023 … January 2025, then June 2026."""
    svg = svg_of(mp.municipality_rate_figure(june, PERHO, "fi").data)
    lines = re.findall(r'<path d="([^"]*)"[^>]*style="fill: none; stroke: #0b5394', svg)
    assert len(lines) == 1 and lines[0].count("M") == 2, lines
    assert "ei lukuja" in svg  # the gap says what it is


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_rate_chart_text_is_at_least_11_px_on_a_phone(june, lang):
    block = mp.municipality_rate_figure(june, PERHO, lang).data
    assert chart_text_px(block) >= 11, chart_text_px(block)


def test_a_page_with_two_years_of_counts_keeps_the_counts_line(quarter):
    soup = page(quarter, PERHO, "fi")
    captions = [p.get_text() for p in soup.find_all("p", class_="table-caption")]
    assert "Perho: työttömät työnhakijat kuukauden lopussa, lokakuu 2021 – syyskuu 2023" in captions
    assert not any("työttömyysaste kuukausittain" in c for c in captions)


# --------------------------------------------------------------------------- the groups (issue 27)


def test_the_groups_of_a_municipality_are_computed_once_below_present(june):
    frame = june.municipality_groups.set_index(["area_code", "group"])
    assert frame.loc[(PERHO, "long_term"), "value"] == 34 and frame.loc[(PERHO, "under_25"), "value"] == 17
    assert frame.loc[(PERHO, "over_50"), "value"] == 28 and frame.loc[(PERHO, "laid_off"), "value"] == 13
    assert math.isnan(frame.loc[(PERHO, "foreign_nationals"), "value"])  # suppressed by the source: never 0
    assert (frame.loc[(PERHO, "new_vacancies"), ["value", "year_ago"]] == [7, 8]).all()
    assert not frame.loc[(PERHO, "long_term"), "year_ago_held"]  # June 2025 is not in the embedded data
    assert "over_two_years" not in set(june.municipality_groups["group"])  # 12ta: not embedded
    assert groups.municipality_groups(june.scope).equals(june.municipality_groups)


def test_the_groups_table_on_a_municipality_page(june):
    rows = table_after(page(june, PERHO, "fi"), "Perho: ryhmät lukuina, kesäkuu 2026 ja sama kuukausi vuotta aiemmin")
    assert rows == [
        ["Ryhmä", "kesäkuu 2026", "kesäkuu 2025", "Muutos vuodessa"],
        ["Pitkäaikaistyöttömät (väh. 12 kk)", "34", "–", "–"],
        ["Alle 25-vuotiaat työttömät", "17", "–", "–"],
        ["Yli 50-vuotiaat työttömät", "28", "–", "–"],
        ["Ulkomaan kansalaiset, työttömät", "..", "–", "–"],
        ["Kokoaikaisesti lomautetut", "13", "–", "–"],
        ["Palveluissa olevat", "..", "–", "–"],
        ["Uudet avoimet työpaikat kuukauden aikana", "7", "8", "−1"],
    ]
    soup = page(june, PERHO, "sv")
    rows = table_after(soup, "Perho: grupperna i siffror, juni 2026 och samma månad ett år tidigare")
    assert rows[1] == ["Långtidsarbetslösa (minst 12 mån.)", "34", "–", "–"]
    assert soup.find("h2", string=t("review_page.groups_heading", "sv")) is not None
    assert ".. = talet publiceras inte" in soup.get_text()


def test_a_count_the_source_suppressed_is_not_given_back_by_subtraction(june):
    """MK16's 556 under-25s minus the shown members would give Halsua's suppressed count (3): Lestijärvi's 5,
    the smallest shown, is hidden too."""
    shown = mp.municipality_groups_shown(june, "fi")
    assert shown[(HALSUA, "under_25")][0] == ".." and shown[(LESTIJARVI, "under_25")][0] == ".."
    assert shown[(PERHO, "under_25")][0] == "17"


def _attacks(facts) -> list[str]:
    """Every group and month whose area figure (the main page's tile) minus the numbers the municipality pages
    show is 1–4 while a member's cell is hidden."""
    found, shown = [], mp.municipality_groups_shown(facts, "fi")
    for key in {k for _c, k in shown}:
        area = facts.group(key)
        for col, i in (("value", 0), ("year_ago", 1)):
            cells = [shown.get((c, key), ("–", "–", "–"))[i] for c in facts.scope.municipalities]
            if math.isnan(area[col]) or not any(c in ("<5", "..") for c in cells):
                continue
            left = area[col] - sum(int(c.replace("\u00a0", "")) for c in cells if c[:1].isdigit())
            if 1 <= left <= 4:
                found.append(f"{key} {col}: {area[col]} − shown = {left}")
    return found


def test_no_hidden_group_count_is_the_area_minus_the_shown_members(june, quarter, fetched):
    assert not _attacks(june) and not _attacks(quarter) and not _attacks(fetched)


def test_the_subtraction_check_can_fail(june, monkeypatch):
    """Were Lestijärvi's 5 under-25s shown, the check would find Halsua's 3 (556 − 553)."""
    original = mp.municipality_groups_shown
    monkeypatch.setattr(mp, "municipality_groups_shown",
                        lambda f, lang: {**original(f, lang), (LESTIJARVI, "under_25"): ("5", "–", "–")})
    assert _attacks(june) == ["under_25 value: 556.0 − shown = 3.0"]


def test_a_small_group_count_reads_less_than_five_without_its_change(fetched):
    """SYNTHETIC fetched store: Lestijärvi's foreign nationals are 3 in June 2026 and 3 a year earlier (the
    fixture's rows): "<5" both, no change; Halsua's (the next smallest) is hidden in June."""
    obs = read_store(STORE).observations
    cell = obs[(obs["area_code"] == LESTIJARVI) & (obs["measure"] == "unemployed_foreign_nationals")]
    assert cell.set_index("period")["value"][["2025-06", "2026-06"]].tolist() == [3, 3]
    shown = mp.municipality_groups_shown(fetched, "fi")
    assert shown[(LESTIJARVI, "foreign_nationals")] == ("<5", "<5", "..")
    assert shown[(HALSUA, "foreign_nationals")][0] == ".."


def test_the_fetched_store_gives_each_group_with_its_year_earlier(fetched):
    """SYNTHETIC fetched store: Perho's every group of persons (12ta's over two years too) with June 2025 and the
    change, each equal to the fixture's own rows."""
    obs = read_store(STORE).observations
    perho = obs[(obs["area_code"] == PERHO) & (obs["occupation_code"] == "SSS")]
    value = perho.pivot_table(index="measure", columns="period", values="value", aggfunc="first")
    rows = {r[0]: r[1:] for r in table_after(page(fetched, PERHO, "fi"),
                                             "Perho: ryhmät lukuina, kesäkuu 2026 ja sama kuukausi vuotta aiemmin")}
    for key, measure in [("long_term", "long_term_unemployed"), ("over_two_years", "unemployed_24m_plus"),
                         ("under_25", "unemployed_under_25"), ("over_50", "unemployed_over_50"),
                         ("laid_off", "laid_off_full_time"), ("new_vacancies", "new_vacancies")]:
        now, then = int(value.loc[measure, "2026-06"]), int(value.loc[measure, "2025-06"])
        label = t(f"review_page.group_{key}", "fi")
        assert rows[label][:2] == [str(now), str(then)], (key, rows[label])
        assert rows[label][2] == ("±0" if now == then else f"{now - then:+d}".replace("-", "−")), (key, rows[label])


def test_the_vacancies_are_the_group_the_embedded_quarters_hold(quarter):
    """2023Q3 on the embedded data: of the groups only the main page's vacancy figure is held by municipality
    (new vacancies, quarter-end months from 2022). Perho's begin in 2023-03: its September 2022 is not in the
    data ("–"); Lestijärvi's are suppressed by the source, and Toholampi's 10 is hidden too, or the area's 438
    minus the shown members would give Lestijärvi's back."""
    shown = mp.municipality_groups_shown(quarter, "fi")
    assert {k for _c, k in shown} == {"new_vacancies"}
    assert shown[(PERHO, "new_vacancies")] == ("14", "–", "–")
    assert shown[(LESTIJARVI, "new_vacancies")][0] == ".." and shown[("KU849", "new_vacancies")][0] == ".."
    assert shown[("KU272", "new_vacancies")] == ("363", "523", "−160")


def test_no_group_held_no_table(quarter, june):
    """Where the data hold no group of persons for the municipality (2023Q3's embedded data hold only its
    vacancies): no heading, no table, no word (the main page says once what is missing)."""
    for facts in (quarter, dataclasses.replace(quarter, municipality_groups=quarter.municipality_groups.iloc[0:0])):
        text = page(facts, PERHO, "fi").get_text()
        assert t("review_page.groups_heading", "fi") not in text and "Ryhmä" not in text
    assert not set(quarter.municipality_groups["group"]) & set(mp.MUNICIPAL_GROUP_KEYS)  # vacancies only
    assert t("review_page.groups_heading", "fi") in page(june, PERHO, "fi").get_text()


def test_the_municipalities_chart_has_no_year_earlier_dot_without_one(june):
    """June 2026 holds no rate a year earlier: the bar chart says nothing of a dot, its table has no empty
    columns."""
    block = mp.municipality_figure(june, "fi", highlight=PERHO).data
    assert "piste: vuotta aiemmin" not in block and "merkki näyttää" not in block
    assert "Vuotta aiemmin" not in block and pd.notna(june.levels["rate"]).any()


def test_june_2026_main_page_reads_in_full_sentences(june):
    """Without a year-earlier month the rate sentence is still two whole sentences (not "…; koko maassa aste
    oli …"), and the groups lacking that month are listed without a comma inside an item ("työttömät ulkomaan
    kansalaiset", not "ulkomaan kansalaiset, työttömät") and closed with "ja"."""
    fi, sv = rp.story(june, "fi"), rp.story(june, "sv")
    assert "Työttömyysaste oli 10,3\u00a0%. Koko maassa työttömyysaste oli 12,8\u00a0%." in fi
    assert "Arbetslöshetsgraden var 10,3\u00a0%. I hela landet var arbetslöshetsgraden 12,8\u00a0%." in sv
    line = rp.no_comparison_line(june, "fi")
    assert "työttömät ulkomaan kansalaiset, kokoaikaisesti lomautetut, palveluissa olevat ja aktivointiaste:" in line
    assert "kansalaiset, työttömät" not in line
    assert "arbetslösa utländska medborgare, helt permitterade, personer i tjänster och aktiveringsgrad:" in (
        rp.no_comparison_line(june, "sv"))
