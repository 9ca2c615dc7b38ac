"""Skills indicators: roll-up with suppressed cells, forecastability, tightness classes."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.indicators import skills
from analysis.present import skills as present_skills
from analysis.present.text import catalogue
from analysis.store.scope import Scope


def suppression_is_small_counts(store, area_code: str) -> bool:
    """True when no published four-digit cell is 1–4, i.e. empty cells can only be 1–4."""
    for measure in skills.MEASURES:
        cells = skills.occupation_cells(store, area_code, measure).to_numpy()
        if ((cells >= skills.SUPPRESSED_MIN) & (cells <= skills.SUPPRESSED_MAX)).any():
            return False
    return True

LATEST = "2026Q4"  # a period after all embedded data: the as-of cut keeps everything


FIXTURE = "mk16_groups_52_94_2023-09_10.csv"


@pytest.fixture()
def cells() -> dict[str, pd.DataFrame]:
    raw = pd.read_csv(Path(__file__).parent / "fixtures" / "skills" / FIXTURE, dtype={"occupation_code": "str"})
    return {m: raw.pivot(index="month", columns="occupation_code", values=m)
            for m in skills.MEASURES}


def _row(frame: pd.DataFrame, group: str, month: str) -> pd.Series:
    return frame[(frame["group_code"] == group) & (frame["period"] == month)].iloc[0]


def test_rollup_hand_computed_unemployed(cells):
    out = skills.rollup(cells["unemployed_jobseekers"], 2)
    # 2023-10 group 52: published 0+5+8+95+5+0+0+0 = 113, five empty cells (5211 5242 5243 5246 5249)
    r = _row(out, "52", "2023-10")
    assert (r["published_sum"], r["suppressed_cells"], r["lower"], r["upper"]) == (113, 5, 118, 133)
    assert r["value"] == 113  # 4 * 5 = 20 <= 0.20 * 113 = 22.6: the month counts
    # group 94: 9411 empty, 9412 = 30 -> 4 <= 6: counts
    r = _row(out, "94", "2023-10")
    assert (r["published_sum"], r["suppressed_cells"], r["value"]) == (30, 1, 30)


def test_rollup_marks_month_missing_when_suppressed_share_too_large(cells):
    out = skills.rollup(cells["open_vacancies"], 2)
    # 2023-10 group 52 vacancies: published 24 (5223), seven empty cells -> 4*7 = 28 > 4.8: missing
    r = _row(out, "52", "2023-10")
    assert (r["published_sum"], r["suppressed_cells"], r["lower"], r["upper"]) == (24, 7, 31, 52)
    assert math.isnan(r["value"])
    # group 94: 2023-09 both published (18 + 10) -> exact; 2023-10 one empty, 14 -> 4 > 2.8: missing
    assert _row(out, "94", "2023-09")["value"] == 28
    assert math.isnan(_row(out, "94", "2023-10")["value"])


def test_rollup_never_reads_empty_as_zero():
    cells = pd.DataFrame({"5211": [np.nan, np.nan], "5212": [0.0, np.nan]}, index=["2023-01", "2023-02"])
    out = skills.rollup(cells, 2)
    assert out["value"].isna().all()  # S = 0 with suppressed cells is not 0
    assert out["lower"].tolist() == [1, 2] and out["upper"].tolist() == [4, 8]
    with pytest.raises(ValueError):
        skills.rollup(cells, 3)


def test_real_data_suppression_is_small_counts_and_totals_match_sources(store):
    assert suppression_is_small_counts(store, "MK16")
    series = skills.group_series(store, "MK16")
    oct23 = series[(series["period"] == "2023-10") & (series["level"] == "1")]
    published = oct23.groupby("measure")["published_sum"].sum()
    # data/SOURCES.md: MK16 2023-10 non-empty occupation rows add up to 2,064 and 251; those rows
    # include the special X classes (2023-10 in the raw file: X011 8, X211 282, X212 136, X311 18,
    # X411 11 = 455 unemployed, 0 vacancies), which belong to no group: 2,064 - 455 = 1,609
    assert published["unemployed_jobseekers"] == 2064 - 455
    assert published["open_vacancies"] == 251
    total = series[(series["period"] == "2023-10") & (series["level"] == "total")].set_index("measure")["value"]
    assert total["unemployed_jobseekers"] == 2371 and total["open_vacancies"] == 399


def _series(values: dict[str, list[float]], start: str = "2010-01") -> pd.DataFrame:
    rows = []
    for sid, vals in values.items():
        measure, level, group = skills.split_series_id(sid)
        months = [str(p) for p in pd.period_range(start, periods=len(vals), freq="M")]
        rows.append(pd.DataFrame({"measure": measure, "level": level, "group_code": group,
                                  "period": months, "value": vals}))
    return pd.concat(rows, ignore_index=True)


def test_forecastability_reasons():
    n = 60
    ok = [20.0] * n
    gappy = [20.0 if i % 5 else np.nan for i in range(n)]  # 80 % counted
    recent = [20.0] * (n - 1) + [np.nan]
    small = [3.0] * n
    fc = skills.forecastability(_series({
        "unemployed_jobseekers|2|11": ok, "unemployed_jobseekers|2|12": gappy,
        "unemployed_jobseekers|2|13": recent, "unemployed_jobseekers|2|14": small,
    })).set_index("group_code")
    assert fc["reason"].to_dict() == {"11": "ok", "12": "too_many_missing", "13": "recent_missing",
                                      "14": "too_small"}
    assert fc.loc["11", "forecast"] and not fc.loc["12", "forecast"]
    assert fc.loc["12", "share_counted"] == pytest.approx(0.8)


def test_classes_and_bounds():
    assert skills.classify(1.0) == "shortage"
    assert skills.classify(0.999) == "balance"
    assert skills.classify(0.25) == "balance"
    assert skills.classify(0.2499) == "surplus"
    assert skills.classify(float("nan")) == "uncertain"
    assert skills.classify_bounds(1.2, 3.0) == "shortage"
    assert skills.classify_bounds(0.9, 1.1) == "uncertain"


def test_tightness_now_with_bounds():
    rows = []
    for measure, s, k in (("open_vacancies", 30.0, 0), ("unemployed_jobseekers", 20.0, 1)):
        rows.append({"measure": measure, "level": "2", "group_code": "32", "period": "2023-07",
                     "published_sum": s, "suppressed_cells": k, "lower": s + k, "upper": s + 4 * k})
    rows.append({"measure": "open_vacancies", "level": "2", "group_code": "01", "period": "2023-07",
                 "published_sum": 0.0, "suppressed_cells": 1, "lower": 1.0, "upper": 4.0})
    rows.append({"measure": "unemployed_jobseekers", "level": "2", "group_code": "01", "period": "2023-07",
                 "published_sum": 5.0, "suppressed_cells": 0, "lower": 5.0, "upper": 5.0})
    tight = skills.tightness_now(pd.DataFrame(rows), ["2023-07"]).set_index("group_code")
    assert tight.loc["32", "tightness"] == pytest.approx(1.5)
    assert tight.loc["32", "tightness_low"] == pytest.approx(30 / 24)
    assert tight.loc["32", "tightness_high"] == pytest.approx(30 / 21)
    assert tight.loc["32", "class"] == "shortage"
    assert tight.loc["01", "class"] == "small"  # 1 + 5 < 10


def test_class_moves_skip_uncertain():
    now = pd.DataFrame({"group_code": ["a", "b", "c"], "tightness": [1.2, 0.5, 0.1],
                        "class": ["shortage", "balance", "uncertain"]})
    later = pd.DataFrame({"group_code": ["a", "b", "c"], "tightness": [0.8, 0.5, 2.0],
                          "class": ["balance", "balance", "shortage"]})
    moves = skills.class_moves(now, later)
    assert moves["group_code"].tolist() == ["a"]
    assert (moves.loc[0, "class_now"], moves.loc[0, "class_later"]) == ("shortage", "balance")


def test_tightness_forecast_needs_both_measures():
    fc = pd.DataFrame({"measure": ["open_vacancies", "unemployed_jobseekers", "unemployed_jobseekers"],
                       "level": ["2", "2", "2"], "group_code": ["32", "32", "41"], "h": [1, 1, 1],
                       "forecast": [30.0, 20.0, 70.0]})
    out = skills.tightness_forecast(fc, range(1, 7)).set_index("group_code")
    assert list(out.index) == ["32"]
    assert out.loc["32", "tightness"] == pytest.approx(1.5) and out.loc["32", "class"] == "shortage"


def test_strings_same_keys_and_group_labels():
    fi = {k for k in catalogue("fi") if k.startswith("skills.")}
    sv = {k for k in catalogue("sv") if k.startswith("skills.")}
    assert fi == sv and len(fi) > 50
    assert present_skills.group_label("total", "SSS", "sv") == "Alla yrken"
    assert present_skills.group_label("2", "41", "fi") == "41 Toimistotyöntekijät"
    # the classification's names of 26, 34 and 35 (data/reference; Swedish from ÅSUB's list of
    # Statistikcentralen's Yrkesklassificering 2010, Finnish StatFin's shortened labels)
    assert present_skills.group_label("2", "26", "fi") == "26 Lainopilliset, sosiaalialan ja kulttuurialan er."
    assert present_skills.group_label("2", "34", "fi") == "34 Lakiavustajat ja sosiaali- ja kulttuurialan a."
    assert present_skills.group_label("2", "35", "fi") == "35 Informaatio- ja tietoliikenneteknologian a."
    assert present_skills.group_label("2", "26", "sv") == "26 Specialister inom juridik samt inom social- och kultursektorn"
    assert present_skills.group_label("2", "34", "sv") == (
        "34 Juridiska assistenter samt experter inom social- och kultursektorn")
    assert present_skills.group_label("2", "35", "sv") == "35 Experter inom informations- och kommunikationsteknologi"


def test_top_shortage_now_hand_checked(store, kp_area):
    # Raw 12ti rows MK16, 2023-07..09, occupations 22xx (empty = 1-4):
    # vacancies published 5, 6, 0 with 4, 6, 7 empty cells -> bounds 9..21, 12..30, 7..28 (means 9.33..26.33)
    # unemployed published 0, 0, 0 with 2, 1, 1 empty cells -> bounds 2..8, 1..4, 1..4 (means 1.33..5.33)
    res = present_skills.compute(Scope.of(store, kp_area, "2023Q3"))
    assert res.months == ["2023-07", "2023-08", "2023-09"]
    top = skills.ranked(res.tight_now, "shortage", 3)
    assert top["group_code"].tolist() == ["22"]
    assert top.iloc[0]["vacancies"] == pytest.approx(11 / 3)
    row = res.tight_now.set_index("group_code").loc["22"]
    assert row["tightness_low"] == pytest.approx((28 / 3) / (16 / 3))
    assert row["tightness_high"] == pytest.approx((79 / 3) / (4 / 3))


def test_a_period_the_occupation_table_does_not_reach_says_so_and_shows_no_older_months(store, kp_area):
    """12ti ends 2023-10; the review of 2024Q1 (12r5 holds it) showed 2023-08..10 as "now" under the
    caption of 2024Q1: it now says where the occupation data end."""
    scope = Scope.of(store, kp_area, "2024Q1")
    assert scope.month("12ti") is None and scope.last_held("12ti") == "2023-10"
    assert present_skills.compute(scope) is None
    text = "".join(b.data for b in present_skills.skills_blocks(scope, "fi"))
    assert ("ulottuvat lokakuuhun 2023 asti; katsausjakson (tammi–\u2060maaliskuu\xa02024) tietoja ei ole vielä "
            "aineistossa") in text
    assert "Pula- ja ylitarjonta-ammatit nyt" not in text
    sv = "".join(b.data for b in present_skills.skills_blocks(scope, "sv"))
    assert "sträcker sig till och med oktober 2023" in sv


def test_ranked_uses_bounds():
    tight = pd.DataFrame({"group_code": ["a", "b"], "tightness": [5.0, 2.0], "tightness_low": [1.1, 1.8],
                          "tightness_high": [20.0, 2.2], "class": ["shortage", "shortage"]})
    assert skills.ranked(tight, "shortage")["group_code"].tolist() == ["b", "a"]
    assert skills.ranked(tight.drop(columns=["tightness_low", "tightness_high"]), "shortage")["group_code"].tolist() == ["a", "b"]


def test_section_says_so_when_data_too_short(store, kp_area):
    from analysis.schema import Store

    obs = store.observations
    short = obs[(obs["table_id"] == "12ti") & (obs["period"] >= "2021-01")]
    r5 = obs[obs["table_id"] == "12r5"]
    small = Store(pd.concat([short, r5], ignore_index=True), store.provenance)
    res = present_skills.compute(Scope.of(small, kp_area, "2023Q3"))
    assert res is not None and res.forecast is None
    assert "backtest origins" in res.forecast_problem
    html = "".join(b.data for b in present_skills.skills_blocks(Scope.of(small, kp_area, "2023Q3"), "fi"))
    assert "Ennusteita ei voitu laskea" in html and "python -m" not in html  # no command on a reader's page
    assert "Pula- ja ylitarjonta-ammatit nyt" in html  # the current situation is still shown
    assert res.headline is None and res.backtest is None


def test_a_past_period_shows_the_forecast_made_then_without_the_published_accuracy(store, kp_area):
    """2020Q1: the data end at 2020-03 and hold 21 of the 24 backtest origins the accuracy figures
    need; the data begin in 2006, so they are not too short: the forecasts and fan charts are shown,
    the accuracy sub-section says why its figures are not."""
    scope = Scope.of(store, kp_area, "2020Q1")
    res = present_skills.compute(scope)
    assert res.forecast is not None and res.forecast_problem == ""
    assert res.headline is None and res.backtest is None and res.protocol_origins == 21
    html = "".join(b.data for b in present_skills.skills_blocks(scope, "fi"))
    assert "Ennusteita ei voitu laskea" not in html and html.count("<figure") >= 1
    assert "tarvitsee 24 ennustehetkeä tammikuusta 2015 alkaen" in html and "niitä on 21." in html


def test_the_section_given_the_forecasts_occupation_data_shows_the_same(store, kp_area):
    """The review's forecast step computes the area's occupation panel once; the section given it
    shows what it shows computing its own."""
    from analysis.forecast import occupations as occ

    scope = Scope.of(store, kp_area, "2023Q3")
    data = occ.occupation_panel(scope.store, scope.occupation_code)
    given, own = present_skills.compute(scope, data), present_skills.compute(scope)
    assert given.data is data
    pd.testing.assert_frame_equal(given.tight_now, own.tight_now)
    pd.testing.assert_frame_equal(given.forecast, own.forecast)
    assert repr(given.headline) == repr(own.headline)  # NaN where no case: equal, as text


# --------------------------------------------------------------------------- the section as a reader reads it


def section_text(scope: Scope, lang: str) -> str:
    """What a reader reads in the skills section: a block a line, table cells and alt texts included."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup("".join(b.data for b in present_skills.skills_blocks(scope, lang)), "html.parser")
    for img in soup("img"):
        img.replace_with(f"\n[{img.get('alt', '')}]\n")
    for tag in soup(["p", "h2", "h3", "h4", "li", "td", "th", "caption", "figcaption"]):
        tag.insert_before("\n")
        tag.append("\n")
    return "\n".join(" ".join(line.split()) for line in soup.get_text().splitlines() if line.strip())


@pytest.fixture(scope="module")
def kp_section(store, kp_area) -> dict[str, str]:
    return {lang: section_text(Scope.of(store, kp_area, "2023Q3"), lang) for lang in ("fi", "sv")}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_section_writes_months_as_words_and_shows_no_command(kp_section, lang):
    """Issue 27: no "Nyt (2023-09)", "kuukauden 2023-09 tiedoista", "2023-07–2023-09", fan-chart months
    "2024-04" or a period code "2023Q3"; no command."""
    text = kp_section[lang]
    assert not re.findall(r"\b(19|20)\d\d-\d\d\b|\b20\d\dQ[1-4]\b", text)
    assert "python -m" not in text and "12ti" in text  # the source line keeps the table's name
    months = {"fi": ["heinä–\u2060syyskuussa 2023", "Syyskuun 2023 lopussa", "maaliskuun 2024 lopussa", "| lokakuu 2023 |"],
              "sv": ["i juli–\u2060september 2023", "I slutet av september 2023", "i slutet av mars 2024", "| oktober 2023 |"]}
    for words in months[lang]:
        assert words.replace("| ", "").replace(" |", "") in text, words


def test_every_group_is_named_and_the_swedish_section_shows_no_finnish_name_it_has_a_swedish_one_for(kp_section):
    """The outlook table names 26, 34 and 35 in both languages; in Swedish a group is named in Finnish only
    where no cited source gives a Swedish name, and the section says which, once."""
    from analysis import names

    fi, sv = kp_section["fi"], kp_section["sv"]
    for code in ("26", "34", "35"):
        assert f"{code} {names.group_names('fi')[code]}" in fi and f"{code} {names.group_names('sv')[code]}" in sv
    assert "26 Specialister inom juridik samt inom social- och kultursektorn" in sv
    assert "35 Experter inom informations- och kommunikationsteknologi" in sv
    swedish = names.group_names("sv")
    for code, finnish in names.group_names("fi").items():
        if code in swedish and swedish[code] != finnish and code not in names.finnish_only([code], "sv"):
            assert finnish not in sv, (code, finnish)
    assert sv.count("deras namn visas på finska") == 1
    assert "för yrkesgrupperna 03, 83, 91, 92, 93, 94 och 96; deras namn visas på finska." in sv
    assert "83 Kuljetustyöntekijät" in sv  # the documented fallback: the Finnish name, said once
    assert fi.count("nimet on kirjoitettu lyhennettyinä") == 1 and "Ryhmien 26, 34, 35 ja 91 nimet" in fi
    assert "suomeksi" not in fi and "visas på finska" not in fi


def test_the_section_says_how_the_12_month_point_is_made(kp_section, store, kp_area):
    """At 12 months the forecast is the seasonal naive, the latest actual: the fan charts' last point equals
    the figure of 2023-09 (429 vacancies, 2 307 jobseekers), and the section says so in one sentence."""
    fi, sv = kp_section["fi"], kp_section["sv"]
    assert ("12 kuukauden päähän ennuste on sama kuin viimeisin toteutunut luku (syyskuun 2023 lopussa)") in fi
    assert "Tolv månader framåt är prognosen densamma som den senaste uppgiften (i slutet av september 2023)" in sv
    res = present_skills.compute(Scope.of(store, kp_area, "2023Q3"))
    last = res.forecast[res.forecast["h"] == 12].set_index("series_id")["forecast"]
    assert round(last["open_vacancies|total|SSS"]) == 429 and round(last["unemployed_jobseekers|total|SSS"]) == 2307
    assert "| syyskuu 2024 | 429 |" in "| " + " | ".join(fi.splitlines()) + " |"


def test_the_section_reads_as_one_story_without_the_old_tightness_forecast(kp_section):
    """Now, then the outlook per group with its hit rate, then the unemployed forecast; the old paragraphs
    that said no group's tightness could be forecast, beside an outlook for every group, are gone."""
    fi = kp_section["fi"]
    order = [fi.index(h) for h in ("Pula- ja ylitarjonta-ammatit nyt", "Työvoimapulan ennakointi puoli vuotta eteenpäin",
                                   "osui oikeaan luokkaan 83 prosentissa", "Työttömien työnhakijoiden ennuste ammattiryhmittäin",
                                   "Työttömien ennusteen tarkkuus", "Ryhmät, joita ei ennusteta")]
    assert order == sorted(order)
    assert "Ennustettua tiukkuutta ei voi laskea" not in fi and "ei ennusteen mukaan siirry luokasta toiseen" not in fi
    assert "Avoimet työpaikat ennustetaan vain koko alueelle" in fi
    sv = kp_section["sv"]
    assert "Bedömningen som gjordes i mars 2023 hamnade i rätt klass för 17 av de 18 yrkesgrupper" in sv
    assert "prognosen gjord" not in sv and "Prognosen från" not in sv


def test_a_group_whose_every_cell_is_suppressed_is_not_shown_as_zero(kp_section):
    """Group 22, 2023Q3 (see the hand check above): vacancies 28/3 … 79/3, jobseekers 4/3 … 16/3 as month means
    of the published cells and their suppressed ones: shown "9–26" and "1–5", never "0"."""
    assert "22 Terveydenhuollon erityisasiantuntijat\n9–26\n1–5\n1,75–19,75\npula" in kp_section["fi"]
