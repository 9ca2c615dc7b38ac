"""The review's main page: the story first, for managers and councillors with five minutes.

Reading order, as in the regional monthly reviews: a headline (a heading) that states the finding with its
size and month, five to seven sentences in an analyst's voice, what it means for the action plan (only when
a plan metric has a target and a value), tiles for the standard groups (the month and the same month a year
earlier), five years beside the country, the municipalities (range, largest changes, sub-regions, a sorted
chart), the occupations, the skills-needs outlook, the forecast, one source line; and each member
municipality's one-page summary. Tables, definitions, methods and codes are in the appendix. Every number comes from
:class:`~analysis.indicators.review.ReviewFacts`, computed once per run below this layer; every sentence is
built with :mod:`analysis.present.grammar` (months, numbers and place names in their cases, see
``docs/language.md``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.forecast.area import FORECAST_H
from analysis.indicators.review import SMALL_CHANGE, SMALL_MUNICIPALITY, TREND_MONTHS, ReviewFacts
from analysis.names import area_name, finnish_only, group_names
from analysis.present import grammar as g
from analysis.present import html
from analysis.present.disclosure import SECONDARY_MARK, disclose_parts_and_total
from analysis.present.disclosure import disclose_count as mask_count
from analysis.present.fmt import MISSING, fmt_int, fmt_pct, fmt_pct_change, fmt_pp, fmt_signed
from analysis.present.text import month_name, period_words, t
from analysis.store.scope import Scope


def tx(key: str, lang: str, **values: object) -> str:
    return t(f"review_page.{key}", lang, **values)


# --------------------------------------------------------------------------- words for periods


def month_genitive(month: str, lang: str) -> str:
    """``2024-03`` -> "maaliskuun 2024" (fi) / "mars 2024" (sv), for "… lopussa" / "i slutet av …"."""
    return f"{g.month_case(int(month[5:]), 'genitive', lang)} {month[:4]}"


def month_end(month: str, lang: str) -> str:
    """"Syyskuun 2023 lopussa" / "I slutet av september 2023" (a sentence opening)."""
    return g.sentence(g.month_end(month, lang))


def months_span(first: str, last: str, lang: str) -> str:
    """Three months as one span inside a sentence: "heinä–syyskuussa 2023" / "i juli–september 2023"; across
    a year "marraskuusta 2022 tammikuuhun 2023" / "från november 2022 till januari 2023"."""
    if first[:4] != last[:4]:
        return tx("months_span_years", lang, first=g.month_case(int(first[5:]), "elative", lang), first_year=first[:4],
                  last=g.month_case(int(last[5:]), "illative", lang), last_year=last[:4])
    stem = t("common.month_stems", lang).split(",")[int(first[5:]) - 1]
    return t("grammar.in_months", lang, first=stem, last=g.month_case(int(last[5:]), "inessive", lang), year=last[:4])


def ordinal_rank(rank: int, lang: str) -> str:
    """Ranks 2–10 as words ("neljänneksi"); others as digits with a period ("12.")."""
    words = tx("ordinals", lang).split(",")
    return words[rank - 1] if 1 < rank <= len(words) else f"{rank}."


def _more_less(change: float, lang: str, persons: bool = True) -> str:
    if math.isnan(change):
        return MISSING
    if round(change) == 0:
        return tx("as_many", lang)
    return f"{fmt_int(abs(change), lang)} {tx('more' if change > 0 else 'less', lang)}"


def _pp(value: float, lang: str) -> str:
    """A change of a rate in words: "1,5 prosenttiyksikköä" / "1,5 procentenheter" (no sign: the verb says it)."""
    return g.quantity(abs(value), "percentage_point", "nominative", lang)


def inline_label(group: str, lang: str) -> str:
    """A standard group's name inside a sentence: lower case, and the tile's "Ulkomaan kansalaiset, työttömät"
    as "työttömät ulkomaan kansalaiset" (a comma inside a list item would split it in two)."""
    key = f"review_page.inline_{group}"
    try:
        return t(key, lang)
    except KeyError:
        return g.list_item(tx(f"group_{group}", lang))


# --------------------------------------------------------------------------- facts
# The figures are computed below present/: analysis.indicators.review (ReviewFacts, compute_facts) and
# analysis.forecast.area (the forecast); this module only words, formats and draws them.


def _group(facts: ReviewFacts, key: str) -> pd.Series:
    return facts.groups.set_index("group").loc[key]


def _name_of(code: str, scope: Scope, lang: str) -> str:
    return area_name(code, scope, lang)


def _cited(code: str) -> bool:
    """Whether the grammar knows ``code`` (a municipality, region or the country), so its cases can be asked."""
    try:
        g.place(code)
    except KeyError:
        return False
    return True


def _locative(code: str, lang: str) -> str | None:
    """"Lestijärvellä" / "Lestijärvi" (the Swedish frame says "i"); None without a cited Finnish form."""
    return g.place_case(code, "locative", lang) if _cited(code) else None


def _country_row(facts: ReviewFacts) -> pd.Series | None:
    country = facts.levels[facts.levels["level"] == "country"]
    return None if country.empty else country.iloc[0]


# --------------------------------------------------------------------------- headline and story


def headline(facts: ReviewFacts, lang: str) -> str:
    """The period's finding with its size and month: "Työttömiä syyskuun lopussa 175 enemmän kuin vuotta
    aiemmin" / "I slutet av september 175 fler arbetslösa än ett år tidigare". Without the month a year
    earlier (one month of data, as the embedded June 2026) the level and its month; without any figure,
    that the data hold none (never "unchanged" from no data)."""
    u = _group(facts, "unemployed")
    if not (u["available"] and isinstance(u["month"], str)) or math.isnan(u["value"]):
        return tx("headline_no_data", lang, where=_where(facts.scope, lang))
    if math.isnan(u["change_year"]):
        opening = month_end(u["month"], lang)
        return tx("headline_level", lang, where=_where(facts.scope, lang), n=fmt_int(u["value"], lang),
                  month_end=opening[0].lower() + opening[1:])
    return g.headline_change(u["month"], int(round(u["change_year"])), lang)


def _where(scope: Scope, lang: str) -> str:
    """"Keski-Pohjanmaan työllisyysalueella" / "i Mellersta Österbottens …" inside a sentence."""
    located = scope.area.located(lang)
    if located and lang == "sv":
        located = located[0].lower() + located[1:]
    return located or tx("where_default", lang, area=scope.area.name(lang))


def trend_sentence(facts: ReviewFacts, lang: str) -> str:
    """Whether the change from a year earlier sped up or slowed, from the mean of the last three months'
    changes against the three months before (:func:`analysis.indicators.review.year_change_trend`); empty
    when the difference is under the documented minimum or the data lack the months."""
    trend, u = facts.trend, _group(facts, "unemployed")
    if trend is None or trend.verdict == "steady" or not isinstance(u["month"], str):
        return ""
    last = u["month"]
    months = [last]
    for _ in range(2 * TREND_MONTHS - 1):
        months.append(facts.scope.month_ago(months[-1]))
    now_when = months_span(months[TREND_MONTHS - 1], months[0], lang)
    before_when = months_span(months[-1], months[TREND_MONTHS], lang)
    if trend.verdict == "turned":
        key = "trend_turned_rise" if trend.now > 0 else "trend_turned_fall"
    else:
        key = f"trend_{'rise' if trend.now > 0 else 'fall'}_{trend.verdict}"
    return tx(key, lang, now_when=now_when, before_when=before_when, now=fmt_int(abs(trend.now), lang),
              before=fmt_int(abs(trend.before), lang))


def _unemployed_sentence(facts: ReviewFacts, country: pd.Series | None, lang: str) -> str:
    """The unemployed at the month's end against a year earlier (with the country's change), then the
    change from the month before; empty without the year-ago month (the headline states the level)."""
    u = _group(facts, "unemployed")
    if not (u["available"] and u["month"]) or math.isnan(u["change_year"]):
        return ""
    values = dict(month_end=month_end(u["month"], lang), n=fmt_int(u["value"], lang),
                  change=_more_less(u["change_year"], lang), change_pct=fmt_pct_change(u["change_year_pct"], 1, lang))
    if country is not None and not math.isnan(country["change_year_pct"]):
        text = tx("s_unemployed_country", lang, country_pct=fmt_pct_change(country["change_year_pct"], 1, lang),
                  **values)
    else:
        text = tx("s_unemployed", lang, **values)
    if not math.isnan(u["change_month"]) and round(u["change_month"]) != 0:
        genitive = g.month_case(int(facts.scope.month_ago(u["month"])[5:]), "genitive", lang)
        verb = tx("grew" if u["change_month"] > 0 else "fell", lang)
        text += " " + tx("s_month", lang, month=g.sentence(genitive) if lang == "fi" else genitive,
                         verb=verb, persons=g.quantity(abs(u["change_month"]), "person", "adessive", lang))
    return text


def _rate_sentence(facts: ReviewFacts, country: pd.Series | None, lang: str) -> str:
    """The rate, its change from a year earlier and the country's rate (the level alone without a year earlier)."""
    r = _group(facts, "rate")
    if not (r["available"] and r["month"]):
        return ""
    rate = fmt_pct(r["value"], 1, lang)
    has_country = country is not None and not math.isnan(country["rate"])
    if math.isnan(r["change_year"]):  # no year-ago rate: the missing comparison is said once, below the tiles
        return (tx("s_rate_level", lang, rate=rate, country=fmt_pct(country["rate"], 1, lang)) if has_country
                else tx("s_rate_level_no_country", lang, rate=rate))
    change = g.rate_change_phrase(r["change_year"], lang)
    if has_country:
        return tx("s_rate", lang, rate=rate, change=change, country=fmt_pct(country["rate"], 1, lang))
    return tx("s_rate_no_country", lang, rate=rate, change=change)


def _vacancy_sentence(facts: ReviewFacts, lang: str) -> str:
    """The one vacancy figure of the main page (:func:`vacancy_group`) against a year earlier."""
    key = vacancy_group(facts)
    if not key:
        return ""
    v = _group(facts, key)
    values = {"n": fmt_int(v["value"], lang), "change": _more_less(v["change_year"], lang)}
    if key == "open_vacancies":
        return tx("s_vacancies", lang, month_end=g.month_end(v["month"], lang) if lang == "fi" else
                  month_end(v["month"], lang), **values)
    frame = "s_vacancies_new" if key == "new_vacancies" else "s_vacancies_during"
    return tx(frame, lang, when=g.sentence(g.in_month(v["month"], lang)), **values)


def _groups_sentence(facts: ReviewFacts, lang: str) -> str:
    """The standard groups the data hold, each with its change from a year earlier where held."""
    items = []
    for key in ("long_term", "over_two_years", "under_25", "over_50", "foreign_nationals", "laid_off"):
        row = _group(facts, key)
        if row["available"] and row["month"]:
            items.append(tx("s_group_item_level", lang, label=inline_label(key, lang), n=mask_count(row["value"], lang))
                         if math.isnan(row["change_year"]) else
                         tx("s_group_item", lang, label=inline_label(key, lang), n=mask_count(row["value"], lang),
                            change=fmt_signed(row["change_year"], 0, lang)))
    return tx("s_groups", lang, items=g.sentence("; ".join(items))) if items else ""


def story(facts: ReviewFacts, lang: str) -> list[str]:
    """Five to seven sentences about the period, each only from figures the data holds."""
    country = _country_row(facts)
    sentences = [_unemployed_sentence(facts, country, lang), trend_sentence(facts, lang),
                 _rate_sentence(facts, country, lang), _rank_sentence(facts, lang), _area_rank_sentence(facts, lang),
                 *_municipality_sentences(facts, lang)[:1], _vacancy_sentence(facts, lang), _groups_sentence(facts, lang)]
    return [text for text in sentences if text]


def _rank_sentence(facts: ReviewFacts, lang: str) -> str:
    scope, ranking = facts.scope, facts.ranking
    region = scope.region
    if region is None or ranking.empty or region not in set(ranking["area_code"]):
        return ""
    count = int(ranking["rate"].notna().sum())
    rank = int(ranking.loc[ranking["area_code"] == region, "rank"].iloc[0])
    name = _name_of(region, scope, lang)
    from_low = count - rank + 1
    if from_low == 1:
        return tx("s_rank_lowest", lang, region=name, count=count)
    if rank == 1:
        return tx("s_rank_highest", lang, region=name, count=count)
    if from_low <= rank:
        return tx("s_rank_low", lang, region=name, ordinal=ordinal_rank(from_low, lang), count=count)
    return tx("s_rank_high", lang, region=name, ordinal=ordinal_rank(rank, lang), count=count)


def _area_rank_sentence(facts: ReviewFacts, lang: str) -> str:
    """The area's place among all employment areas by unemployment rate (rank 1 = lowest), in words;
    empty when the data does not hold every member of every employment area."""
    ranking = facts.area_ranking
    if ranking is None or not ranking.available or ranking.rank is None:
        return ""
    rank, count, name = ranking.rank, ranking.count, facts.scope.area.name(lang)
    from_high = count - rank + 1
    if rank == 1:
        return tx("s_area_rank_lowest", lang, area=name, count=count)
    if from_high == 1:
        return tx("s_area_rank_highest", lang, area=name, count=count)
    if rank <= from_high:
        return tx("s_area_rank_low", lang, area=name, ordinal=ordinal_rank(rank, lang), count=count)
    return tx("s_area_rank_high", lang, area=name, ordinal=ordinal_rank(from_high, lang), count=count)


def municipality_rows(facts: ReviewFacts) -> pd.DataFrame:
    """The member municipalities with a rate, highest rate first."""
    munis = facts.levels[facts.levels["level"] == "municipality"]
    return munis.dropna(subset=["rate"]).sort_values("rate", ascending=False).reset_index(drop=True)


def municipality_counts_shown(facts: ReviewFacts, lang: str) -> dict[str, str]:
    """Each member municipality's unemployed count as published, with the area total shown: counts
    1–4 as "<5", and one more cell hidden (secondary suppression) where subtraction would reveal it."""
    levels = facts.levels.set_index("area_code")
    codes = [c for c in municipality_codes(facts) if c in levels.index]
    total = levels.loc[facts.scope.area.slug, "unemployed"] if facts.scope.area.slug in levels.index else None
    shown, _total = disclose_parts_and_total([levels.loc[c, "unemployed"] for c in codes], total, lang)
    return dict(zip(codes, shown))


def _municipality_sentences(facts: ReviewFacts, lang: str) -> list[str]:
    """The range of the municipalities' rates, the largest rise and fall from a year earlier (a change of
    fewer than :data:`SMALL_CHANGE` persons is never named the largest) and the caution for municipalities
    with fewer than :data:`SMALL_MUNICIPALITY` unemployed."""
    munis = municipality_rows(facts)
    if len(munis) < 2:
        return []
    scope = facts.scope
    hi, lo = munis.iloc[0], munis.iloc[-1]
    values = {"low": g.quantity(lo["rate"], "percent", "elative", lang),
              "high": g.quantity(hi["rate"], "percent", "illative", lang)}
    low_gen = g.place_case(lo["area_code"], "genitive", lang) if _cited(lo["area_code"]) else None
    high_gen = g.place_case(hi["area_code"], "genitive", lang) if _cited(hi["area_code"]) else None
    if lang == "fi" and low_gen and high_gen:
        out = [tx("s_municipalities", lang, low_place=low_gen, high_place=high_gen, **values)]
    else:
        out = [tx("s_municipalities_nominative", lang, low_place=_name_of(lo["area_code"], scope, lang),
                  high_place=_name_of(hi["area_code"], scope, lang), **values)]
    changes = munis.dropna(subset=["rate_change_pp"]).sort_values("rate_change_pp")
    notable = changes[changes["change_year"].abs() >= SMALL_CHANGE]
    up, down = notable[notable["rate_change_pp"] > 0], notable[notable["rate_change_pp"] < 0]
    if not up.empty:
        up = up.iloc[-1]
        places = {"up": (_locative(up["area_code"], lang), _name_of(up["area_code"], scope, lang))}
        if not down.empty:
            places["down"] = (_locative(down.iloc[0]["area_code"], lang), _name_of(down.iloc[0]["area_code"], scope, lang))
        nominative = any(where is None for where, _name in places.values())
        chosen = {f"{k}_place": (name if nominative else where) for k, (where, name) in places.items()}
        suffix = "_nominative" if nominative else ""
        if down.empty:
            text = tx(f"s_municipality_up{suffix}", lang, up=_pp(up["rate_change_pp"], lang), **chosen)
            if (changes["rate_change_pp"] >= 0).all():
                text += " " + tx("s_municipality_no_down", lang)
        else:
            text = tx(f"s_municipality_change{suffix}", lang, up=_pp(up["rate_change_pp"], lang),
                      down=_pp(down.iloc[0]["rate_change_pp"], lang), **chosen)
        out.append(text)
    small = munis[munis["unemployed"] < SMALL_MUNICIPALITY]
    if not small.empty:
        names = [_name_of(c, scope, lang) for c in small.sort_values("area_code")["area_code"]]
        out.append(tx("s_small_municipalities", lang, limit=SMALL_MUNICIPALITY, small=SMALL_CHANGE,
                      names=g.join_and(names, lang)))
    return out


def subregion_sentence(facts: ReviewFacts, lang: str) -> str:
    """The sub-regions' unemployed with the change from a year earlier in persons and per cent, as the ELY
    centres' releases print them; empty for an area within one sub-region."""
    subs = facts.levels[facts.levels["level"] == "subregion"].dropna(subset=["unemployed"])
    if len(subs) < 2:
        return ""
    wheres = [g.in_subregion(c, lang) for c in subs["area_code"]]
    nominative = any(w is None for w in wheres)
    suffix = "_nominative" if nominative else ""
    items = [tx(f"s_subregion_item{suffix}", lang, place=_name_of(r.area_code, facts.scope, lang) if nominative else where,
                n=fmt_int(r.unemployed, lang), change=fmt_signed(r.change_year, 0, lang),
                pct=fmt_pct_change(r.change_year_pct, 1, lang))
             for r, where in zip(subs.itertuples(), wheres)]
    return tx(f"s_subregions{suffix}", lang, items=g.join_and(items, lang))


def _occupation_movers(facts: ReviewFacts, n: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` two-digit groups whose unemployed grew and fell most from a year earlier (groups on
    a base under 20 persons and changes under :data:`SMALL_CHANGE` persons left out)."""
    occ = facts.occupations
    body = occ[(occ["kind"] == "group") & ~occ["base_unreliable"].astype(bool)].dropna(subset=["change_year"])
    body = body[body["change_year"].abs() >= SMALL_CHANGE]
    up = body[body["change_year"] > 0].sort_values("change_year", ascending=False).head(n)
    down = body[body["change_year"] < 0].sort_values("change_year").head(n)
    return up, down


def occupation_items(facts: ReviewFacts, lang: str, n: int = 3) -> tuple[list[str], list[str]]:
    """The two-digit groups whose unemployed grew and fell most from a year earlier, as
    "rakennustyöntekijät +48 (+33 %)", named in ``lang`` (Statistikcentralen's Swedish names in
    Swedish; a group without one keeps its Finnish name, see :func:`occupation_names_note`)."""
    if facts.occupations is None:
        return [], []
    names = group_names(lang)

    def item(row: pd.Series) -> str:
        name = names.get(str(row["group_code"]), str(row["group_code"]))
        change, pct = fmt_signed(row["change_year"], 0, lang), fmt_pct_change(row["change_year_pct"], 0, lang)
        return f"{g.list_item(name)} {change} ({pct})"

    up, down = _occupation_movers(facts, n)
    return [item(r) for _, r in up.iterrows()], [item(r) for _, r in down.iterrows()]


def occupation_names_note(facts: ReviewFacts, lang: str) -> str:
    """One plain sentence when the occupation sentence names a group in Finnish because no Swedish
    name was found for it (empty in Finnish and when every name is in ``lang``)."""
    if facts.occupations is None:
        return ""
    up, down = _occupation_movers(facts)
    codes = finnish_only([*up["group_code"], *down["group_code"]], lang)
    if not codes:
        return ""
    key = "occupations_name_in_finnish" if len(codes) == 1 else "occupations_names_in_finnish"
    return tx(key, lang, codes=g.join_and(codes, lang))


def occupation_sentence(facts: ReviewFacts, lang: str) -> str:
    up, down = occupation_items(facts, lang)
    parts = []
    if up:
        parts.append(tx("s_occupations_up", lang, items=g.join_and(up, lang)))
    if down:
        parts.append(tx("s_occupations_down", lang, items=g.join_and(down, lang)))
    return " ".join(parts)


def missing_line(facts: ReviewFacts, lang: str) -> str:
    """One line naming the standard groups this data lacks (empty when it has them all)."""
    missing = facts.groups[~facts.groups["available"].astype(bool)]["group"]
    if missing.empty:
        return ""
    return tx("missing_groups", lang, items=g.join_and([inline_label(key, lang) for key in missing], lang))


def no_comparison_line(facts: ReviewFacts, lang: str) -> str:
    """One line naming the comparisons the data cannot give (for the groups shown: the month a period
    earlier, the month a year earlier), so no tile or sentence repeats it; empty when all exist."""
    shown = facts.groups[facts.groups["available"].astype(bool) & facts.groups["month"].notna()]
    parts = []
    for month_col, value_col in (("previous_month", "previous"), ("year_ago_month", "year_ago")):
        lacking = shown[shown[value_col].isna()]
        if lacking.empty:
            continue
        months = ", ".join(month_name(m, lang) for m in sorted(set(lacking[month_col].dropna()), reverse=True))
        if len(lacking) == len(shown):
            parts.append(tx("no_comparison_all", lang, months=months))
        else:
            labels = [inline_label(group, lang) for group in lacking["group"]]  # no comma inside an item
            parts.append(tx("no_comparison_groups", lang, months=months, items=g.join_and(labels, lang)))
    return " ".join(parts)


def area_lines(facts: ReviewFacts, lang: str) -> list[str]:
    """What the reader must know about the area itself, once: members from a preparation-stage source, and
    member regions whose municipalities the data do not list (no municipal figures for them)."""
    scope, out = facts.scope, []
    if scope.area.members_status == "preparation":
        out.append(tx("area_preparation", lang, area=scope.area.name(lang)))
    lacking = scope.regions_without_municipalities
    if lacking:
        out.append(tx("area_municipalities_missing", lang, regions=", ".join(_name_of(r, scope, lang) for r in lacking)))
    return out


def ends_earlier_lines(facts: ReviewFacts, lang: str) -> list[str]:
    rows = facts.groups[facts.groups["ends_earlier"].astype(bool)]
    return [tx("ends_earlier", lang, label=tx(f"group_{r.group}", lang), month=month_name(r.last_month, lang))
            for r in rows.itertuples()]


# --------------------------------------------------------------------------- blocks


def _monthly(facts: ReviewFacts) -> bool:
    """Whether the review covers one month (a quarterly review covers three)."""
    return len(facts.scope.period.months) == 1


def _tile(facts: ReviewFacts, row: pd.Series, lang: str) -> html.Block:
    """A standard group's tile: the value at the month, the same month a year earlier and the change (as the
    monthly releases compare); a monthly review adds the month before as a secondary line."""
    pct = row["unit"] == "pct"

    def value(v: float) -> str:
        return fmt_pct(v, 1, lang) if pct else mask_count(v, lang)

    change = fmt_pp(row["change_year"], lang) if pct else fmt_signed(row["change_year"], 0, lang)
    rows = []  # a comparison the data does not hold is left out (no_comparison_line says so once)
    if not pd.isna(row["year_ago"]):
        rows += [(month_name(row["year_ago_month"], lang), value(row["year_ago"]), ""),
                 (tx("tile_change_year", lang), change, "")]
    if _monthly(facts) and not math.isnan(row["month_ago_value"]):
        previous = f"{tx('tile_month_ago', lang)} ({month_name(facts.scope.month_ago(row['month']), lang)})"
        rows.append((previous, value(row["month_ago_value"]), "secondary"))
    return html.macro("review_page.html.j2", "tile", label=tx("group_" + row["group"], lang), value=value(row["value"]),
                      month=month_name(row["month"], lang), rows=rows)


VACANCY_GROUPS = ("new_vacancies", "open_vacancies", "vacancies_during_month")
"""The vacancy figures in the order the main page prefers one of them: the new vacancies of the month (as the
monthly releases lead with), else those open at its end, else those open during it."""


def vacancy_group(facts: ReviewFacts) -> str | None:
    """The one vacancy figure the main page shows (tile and sentence): the first of :data:`VACANCY_GROUPS`
    the data hold for the period; the others are in the appendix."""
    for key in VACANCY_GROUPS:
        row = _group(facts, key)
        if row["available"] and isinstance(row["month"], str):
            return key
    return None


def tiles_block(facts: ReviewFacts, lang: str) -> html.HTML:
    """The standard groups' tiles, with one vacancy tile instead of three near-identical ones."""
    groups = facts.groups
    hidden = [k for k in VACANCY_GROUPS if k != vacancy_group(facts)]
    shown = groups[groups["available"].astype(bool) & groups["month"].notna() & ~groups["group"].isin(hidden)]
    tiles = [_tile(facts, row, lang) for _, row in shown.iterrows()]
    return html.macro("review_page.html.j2", "tiles", tiles=tiles)


def quarter_note(facts: ReviewFacts, lang: str) -> str:
    """A quarterly review says once that its figures are those of the quarter's last month (stocks at the
    month's end, flows during it), each compared with the same month a year earlier; empty in a monthly one."""
    u = _group(facts, "unemployed")
    if _monthly(facts) or not isinstance(u["month"], str):
        return ""
    return tx("groups_note_quarter", lang, month_end=g.month_end(u["month"], lang),
              month=g.month_case(int(u["month"][5:]), "nominative", lang) + f" {u['month'][:4]}")


def plan_block(facts: ReviewFacts, lang: str) -> html.HTML | None:
    """"What this means for the plan": how many metrics are on track, and those that are not, by name
    (:func:`analysis.present.kpi.off_track_text`). None (no box) until at least one metric has both a target
    and a value: a box of metrics nobody can judge is no news."""
    from analysis.indicators import kpi
    from analysis.present.kpi import off_track_text

    card = facts.scorecard
    if card is None or card.empty:
        return None
    first = kpi.per_metric(card)
    counts = kpi.status_counts(first)
    judged_states = [kpi.ON_TRACK, kpi.OFF_TRACK]
    if not sum(counts[s] for s in judged_states):
        return None
    paragraphs = [tx("plan_summary", lang, total=len(first), on_track=counts[kpi.ON_TRACK],
                     off_track=counts[kpi.OFF_TRACK], no_status=counts[kpi.NO_TARGET] + counts[kpi.MISSING])]
    paragraphs.append(off_track_text(first, lang) or tx("plan_all_on_track", lang))
    internal = first[first["source"] == "internal"]
    if len(internal) and (internal["status"] == kpi.MISSING).all():
        paragraphs.append(tx("plan_internal_missing", lang))
    u = _group(facts, "unemployed")
    unemployment_judged = first["metric_id"].str.contains("unemployed") & first["status"].isin(judged_states)
    if unemployment_judged.any() and u["available"] and u["month"] and not math.isnan(u["change_year"]):
        verdict = "flat" if round(u["change_year"]) == 0 else ("bad" if u["change_year"] > 0 else "good")
        paragraphs.append(tx("plan_unemployed_link", lang, verdict=tx(f"verdict_{verdict}", lang)))
    return html.macro("review_page.html.j2", "plan", heading=tx("plan_heading", lang), paragraphs=paragraphs)


def municipality_figure(facts: ReviewFacts, lang: str, highlight: str | None = None) -> html.HTML | None:
    """Sorted horizontal bars of the municipalities' rates, a dot for the rate a year earlier
    (``highlight``: the municipality whose page it is, in a darker colour)."""
    from analysis.present.figures import PHONE_CHART_WIDTH, new_figure, pct_axis

    munis = municipality_rows(facts).iloc[::-1]
    if munis.empty:
        return None
    scope = facts.scope
    names = [_name_of(c, scope, lang) for c in munis["area_code"]]
    fig, ax = new_figure(PHONE_CHART_WIDTH, 0.45 * len(munis) + 1.2)
    colours = ["#08306b" if code == highlight else ("#9ecae1" if highlight else "#0b5394") for code in munis["area_code"]]
    ax.barh(names, munis["rate"], color=colours)
    ax.plot(munis["rate_year_ago"], names, "o", color="#e69f00", markersize=7, markeredgecolor="black")
    pct_axis(ax, lang, axis="x")
    ax.set_xlabel(tx("col_rate", lang))
    month = month_name(str(munis["month"].iloc[0]), lang)
    counts = municipality_counts_shown(facts, lang)
    compared = bool(munis["rate_year_ago"].notna().any())  # none a year earlier: no dot, column or words for it
    data = pd.DataFrame({
        tx("col_municipality", lang): names[::-1],
        tx("col_rate", lang): [fmt_pct(v, 1, lang) for v in munis["rate"][::-1]],
        **({tx("col_rate_year_ago", lang): [fmt_pct(v, 1, lang) for v in munis["rate_year_ago"][::-1]],
            tx("col_change_pp", lang): [fmt_pp(v, lang) for v in munis["rate_change_pp"][::-1]]} if compared else {}),
        tx("col_unemployed", lang): [counts.get(c, SECONDARY_MARK) for c in munis["area_code"][::-1]],
    })
    top, bottom = munis.iloc[-1], munis.iloc[0]
    suffix = "" if compared else "_level"
    alt = tx(f"municipality_chart_alt{suffix}", lang, month_end=g.month_end(str(munis["month"].iloc[0]), lang),
             high_name=_name_of(top["area_code"], scope, lang), high=fmt_pct(top["rate"], 1, lang),
             low_name=_name_of(bottom["area_code"], scope, lang), low=fmt_pct(bottom["rate"], 1, lang))
    return html.figure(fig, alt, tx(f"municipality_chart_caption{suffix}", lang, month=month), data, lang)


# --------------------------------------------------------------------------- skills-needs outlook

OUTLOOK_NAMED = 4
"""Most groups the outlook's sentence names in one tier (likely, possible); the chart and the appendix hold the rest."""
OUTLOOK_LIKELY = 0.5
"""A shortage at least this probable is "likely"; a group whose outlook is shortage at a lower probability
(the class weights favour shortage, :data:`analysis.forecast.outlook.CLASS_WEIGHTS`) is "possible"."""
OUTLOOK_CHART_GROUPS = 8
"""The groups the outlook's chart draws: those with the largest probability of shortage."""
SHARE_WORDS: tuple[tuple[float, str], ...] = ((1 / 2, "1_2"), (3 / 5, "3_5"), (2 / 3, "2_3"), (3 / 4, "3_4"),
                                             (4 / 5, "4_5"), (5 / 6, "5_6"), (9 / 10, "9_10"))
"""The simple fractions a share of hits is said as ("noin kolme neljästä"); under 45 % it is "alle puolet"."""


def share_words(share: float, lang: str) -> str:
    """A share (0–1) as the nearest simple fraction in words: 0.73 -> "noin kolme neljästä" / "ungefär tre av fyra"."""
    if share < 0.45:
        return tx("outlook_share.under_half", lang)
    _value, key = min(SHARE_WORDS, key=lambda item: abs(item[0] - share))
    return tx(f"outlook_share.{key}", lang)


def _outlook_name(group, lang: str) -> str:
    """A group's name inside a sentence ("terveydenhuollon asiantuntijat"; "ammattiryhmä 91" without a verified name)."""
    name = group.name(lang)
    return g.list_item(name) if name else tx("outlook_group_code", lang, code=group.code)


def _outlook_items(groups, lang: str) -> str:
    """"A (90 %), B (88 %) ja C (86 %)": the groups with their probability of shortage."""
    return g.join_and([f"{_outlook_name(x, lang)} ({fmt_pct(100 * x.p_shortage, 0, lang)})" for x in groups], lang)


def _outlook_tier(key: str, groups: list, lang: str, **values: object) -> str:
    """One tier of the shortage sentence (``key``: likely, possible_too, possible_only): its frame for one
    group, or for several with each one's probability."""
    if len(groups) == 1:
        return tx(f"outlook_{key}_one", lang, item=_outlook_name(groups[0], lang),
                  p=fmt_pct(100 * groups[0].p_shortage, 0, lang), **values)
    return tx(f"outlook_{key}", lang, items=_outlook_items(groups[:OUTLOOK_NAMED], lang), **values)


def _outlook_shortage_sentences(summary, lang: str) -> list[str]:
    """The groups expected in shortage: the likely ones (probability at least a half), then those where it is
    possible; that none is expected, plainly, when none is; at most :data:`OUTLOOK_NAMED` of each named."""
    target = g.in_month(summary.target, lang)
    likely = [x for x in summary.shortage if x.p_shortage >= OUTLOOK_LIKELY]
    possible = [x for x in summary.shortage if x.p_shortage < OUTLOOK_LIKELY]
    if likely:
        out = [_outlook_tier("likely", likely, lang, target=target)]
        if possible:
            out.append(_outlook_tier("possible_too", possible, lang))
    elif possible:
        out = [_outlook_tier("possible_only", possible, lang, target=target)]
    else:
        return [tx("outlook_none", lang, target=target)]
    more = max(len(likely) - OUTLOOK_NAMED, 0) + max(len(possible) - OUTLOOK_NAMED, 0)
    if more:
        out.append(tx("outlook_more_one", lang) if more == 1 else tx("outlook_more", lang, n=more))
    return out


def outlook_accuracy_sentence(summary, lang: str) -> str:
    """How many of the area's recent outlooks gave the right class, against keeping today's class; a short
    record said to be short; none, that it cannot be judged yet."""
    from analysis.forecast.outlook import FIRST_SCORED_ORIGIN

    if not summary.made:
        return tx("outlook_accuracy_none", lang, year=FIRST_SCORED_ORIGIN[:4])
    first, last = summary.record_first, summary.record_last
    when = g.in_month(last, lang) if first == last else months_span(first, last, lang)
    values = {"when": when, "made": fmt_int(summary.made, lang), "hits": fmt_int(summary.hits, lang),
              "persistence": fmt_int(summary.persistence_hits, lang)}
    if summary.short_record:
        return tx("outlook_accuracy_short", lang, **values)
    return g.sentence(tx("outlook_accuracy", lang, share=share_words(summary.hits / summary.made, lang), **values))


def outlook_paragraphs(facts: ReviewFacts, lang: str) -> list[str]:
    """The skills-needs outlook six months ahead (:class:`analysis.forecast.outlook.OutlookSummary`) in
    two paragraphs: the groups expected in shortage with their probability, what shortage means and how
    many groups are expected in surplus; then how often the area's recent outlooks were right and, for a
    past period, what happened at the target month. Empty without an outlook."""
    from analysis.indicators.skills import SURPLUS_BELOW

    summary = facts.outlook
    if summary is None or not summary.groups:
        return []
    first = _outlook_shortage_sentences(summary, lang)
    per = fmt_int(1 / SURPLUS_BELOW, lang)
    surplus = len(summary.surplus)
    first.append(tx("outlook_definition", lang))
    first.append(tx("outlook_surplus", lang, per=per, n=surplus, total=len(summary.groups)) if surplus else
                 tx("outlook_surplus_none", lang, per=per))
    shown = {*summary.shortage[:2 * OUTLOOK_NAMED], *summary.groups[:OUTLOOK_CHART_GROUPS]}  # sentence and chart
    codes = sorted({x.code for x in shown if x.name_fi and not x.name_sv})
    if lang == "sv" and codes:
        key = "occupations_name_in_finnish" if len(codes) == 1 else "occupations_names_in_finnish"
        first.append(tx(key, lang, codes=g.join_and(codes, lang)))
    second = [outlook_accuracy_sentence(summary, lang)]
    scored = summary.realised_scored
    if scored:
        hits = sum(x.realised == x.predicted for x in scored)
        second.append(g.sentence(tx("outlook_realised", lang, target=g.in_month(summary.target, lang),
                                    scored=fmt_int(len(scored), lang), hits=fmt_int(hits, lang))))
    return [" ".join(first), " ".join(second)]


def outlook_figure(facts: ReviewFacts, lang: str) -> html.HTML | None:
    """Horizontal bars of the probability of shortage six months ahead for the :data:`OUTLOOK_CHART_GROUPS`
    groups where it is largest, each group's name above its bar (a phone's width leaves no room for names
    beside the bars), darker where the outlook is shortage; the numbers (class now, outlook, probability,
    and what happened where the data hold it) in the table under the chart. None without an outlook."""
    import textwrap

    from analysis.forecast.outlook import CLASS_NAMES
    from analysis.present.figures import PHONE_CHART_WIDTH, new_figure, pct_axis
    from analysis.present.skills import class_label

    summary = facts.outlook
    if summary is None or not summary.groups:
        return None
    shown = summary.groups[:OUTLOOK_CHART_GROUPS]
    names = [g.sentence(_outlook_name(x, lang)) for x in shown]
    wrapped = [textwrap.wrap(name, 50) for name in names]
    tops, y = [], 0.0
    for lines in wrapped:  # each row: its name's lines, then the bar
        tops.append(y)
        y += 0.32 * len(lines) + 0.62
    fig, ax = new_figure(PHONE_CHART_WIDTH, 0.55 + 0.62 * y)
    fig.subplots_adjust(left=0.03, right=0.97)  # no names beside the bars: the axes take the chart's width
    dark, light = "#0b5394", "#9ecae1"
    for top, lines, group in zip(tops, wrapped, shown):
        bar = top + 0.32 * len(lines) + 0.22
        ax.text(0.8, top + 0.32 * len(lines), "\n".join(lines), ha="left", va="bottom", fontsize=11, linespacing=1.1)
        ax.barh(bar, 100 * group.p_shortage, height=0.36, color=dark if group.predicted == "shortage" else light)
        ax.text(100 * group.p_shortage + 1.5, bar, fmt_pct(100 * group.p_shortage, 0, lang), va="center", fontsize=11)
    ax.set_xlim(0, 112)  # room for "100 %" after a full bar
    ax.set_xticks([0, 25, 50, 75, 100])  # the line at a half: where shortage becomes the likelier outcome
    ax.set_ylim(y, -0.1)
    ax.set_yticks([])
    ax.grid(axis="y", visible=False)
    pct_axis(ax, lang, axis="x")
    ax.set_xlabel(tx("outlook_axis", lang))
    from matplotlib.patches import Patch
    from matplotlib.transforms import offset_copy

    below_axis = offset_copy(ax.transAxes, fig=fig, y=-0.5, units="inches")  # under the ticks and the axis label
    ax.legend(handles=[Patch(color=dark, label=tx("outlook_legend_shortage", lang)),
                       Patch(color=light, label=tx("outlook_legend_other", lang))],
              loc="upper center", bbox_to_anchor=(0.5, 0), bbox_transform=below_axis, ncol=1, frameon=False)
    target = g.in_month(summary.target, lang)
    alt = tx("outlook_alt", lang, target=target, n=len(shown), items=_outlook_items(shown[:3], lang))

    def label(cls: str | None) -> str:
        """A class in words; that it could not be told (small or suppressed counts); "–" where not known."""
        if cls is None:
            return MISSING
        return class_label(cls, lang) if cls in CLASS_NAMES else tx("outlook_class_unknown", lang)

    data = {
        tx("outlook_col_group", lang): [f"{x.code} {x.name(lang)}".strip() for x in shown],
        tx("outlook_col_now", lang, month=g.in_month(summary.origin, lang)): [label(x.class_now) for x in shown],
        tx("outlook_col_predicted", lang, month=target): [label(x.predicted) for x in shown],
        tx("outlook_col_p_shortage", lang): [fmt_pct(100 * x.p_shortage, 0, lang) for x in shown],
    }
    if summary.realised_held:
        data[tx("outlook_col_realised", lang, month=target)] = [label(x.realised) for x in shown]
    caption = tx("outlook_caption", lang, target=target, n=len(shown))
    return html.figure(fig, alt, caption, pd.DataFrame(data), lang)


def _forecast_row(facts: ReviewFacts) -> pd.Series | None:
    """The forecast six months ahead (its point, 80 % band and outcome), or None."""
    fc = facts.forecast
    if fc is None:
        return None
    ahead = fc[fc["kind"] == "forecast"]
    return ahead.iloc[FORECAST_H - 1] if len(ahead) >= FORECAST_H else None


def forecast_sentence(facts: ReviewFacts, lang: str) -> str:
    """Two sentences: the forecast six months ahead with its 80 % band (a band wider than the level itself is
    not printed as a range: the sentence says the uncertainty is exceptional and why), the outcome where
    known, and how close earlier forecasts came."""
    row = _forecast_row(facts)
    if row is None:
        return ""
    month, n = month_genitive(row["month"], lang), fmt_int(round(row["value"], -1), lang)
    if row["hi80"] - row["lo80"] > row["value"]:
        parts = [tx("forecast_point_wide", lang, month=month, n=n)]
    else:
        parts = [tx("forecast_point", lang, month=month, n=n, lo=fmt_int(round(row["lo80"], -1), lang),
                    hi=fmt_int(round(row["hi80"], -1), lang))]
    if not math.isnan(row["actual"]):
        inside = row["lo80"] <= row["actual"] <= row["hi80"]
        parts.append(tx("forecast_outcome_in" if inside else "forecast_outcome_out", lang, n=fmt_int(row["actual"], lang)))
    acc = facts.accuracy
    if acc is not None and not math.isnan(acc.median_abs_error):
        parts.append(tx("forecast_accuracy", lang, n=fmt_int(acc.median_abs_error, lang)))
    return " ".join(parts)


def forecast_figure(facts: ReviewFacts, lang: str) -> html.HTML | None:
    """The area's unemployed: the last two years, the forecast made at the period for the next six months
    with its 80 % band, and the outcome of the forecast months the data already holds. The months after the
    sixth are not drawn: the sentence speaks of six months, and the 12th month's point repeats the last
    actual value (the seasonal reference), which a reader would take for a forecast of no change."""
    from analysis.present.figures import PHONE_CHART_WIDTH, int_axis, new_figure

    fc, row = facts.forecast, _forecast_row(facts)
    if fc is None or row is None:
        return None
    hist, ahead = fc[fc["kind"] == "history"], fc[fc["kind"] == "forecast"].iloc[:FORECAST_H]
    fig, ax = new_figure(PHONE_CHART_WIDTH, 3.4)
    x_hist = pd.PeriodIndex(hist["month"], freq="M").to_timestamp()
    x_ahead = pd.PeriodIndex(ahead["month"], freq="M").to_timestamp()
    ax.plot(x_hist, hist["value"], color="#0b5394", label=tx("forecast_observed", lang))
    ax.fill_between(x_ahead, ahead["lo80"], ahead["hi80"], color="#9ecae1", alpha=0.7, label=tx("forecast_band", lang))
    ax.plot(x_ahead, ahead["value"], color="#08306b", linestyle="--", label=tx("forecast_point_label", lang))
    outcome = ahead.dropna(subset=["actual"])
    if not outcome.empty:
        ax.plot(pd.PeriodIndex(outcome["month"], freq="M").to_timestamp(), outcome["actual"], "o", color="#e69f00",
                markeredgecolor="black", label=tx("forecast_actual", lang))
    int_axis(ax, lang)
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%-m/%y"))  # "7/23": no ISO dates for readers
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)  # below: no line hidden
    data = pd.DataFrame({
        tx("forecast_col_month", lang): [month_name(m, lang) for m in ahead["month"]],
        tx("forecast_point_label", lang): [fmt_int(v, lang) for v in ahead["value"]],
        tx("forecast_band", lang): [f"{fmt_int(lo, lang)}–{fmt_int(hi, lang)}" for lo, hi in zip(ahead["lo80"], ahead["hi80"])],
        tx("forecast_actual", lang): [fmt_int(v, lang) for v in ahead["actual"]],
    })
    made = g.forecast_made(hist["month"].iloc[-1], lang)
    alt = tx("forecast_alt", lang, made=made, month=month_genitive(row["month"], lang),
             n=fmt_int(round(row["value"], -1), lang))
    return html.figure(fig, alt, tx("forecast_caption", lang, made=made), data, lang)


def municipality_page_slug(code: str) -> str:
    """The file name of a member municipality's one-page summary."""
    return f"kunta-{code.lower()}.html"


def outlook_blocks(facts: ReviewFacts, lang: str) -> list[html.HTML]:
    """The main page's part on the skills-needs outlook: its heading, two paragraphs
    (:func:`outlook_paragraphs`; the region's groups said to be the region's, as the occupations above
    them) and the chart (:func:`outlook_figure`); empty without an outlook."""
    paragraphs = outlook_paragraphs(facts, lang)
    if not paragraphs:
        return []
    scope = facts.scope
    if facts.occupation_context and scope.region:
        paragraphs[0] = f"{tx('occupations_context', lang, region=_name_of(scope.region, scope, lang))} {paragraphs[0]}"
    blocks = [html.heading(tx("outlook_heading", lang), 2, "outlook"), *(html.paragraph(p) for p in paragraphs)]
    fig = outlook_figure(facts, lang)
    return blocks + ([fig] if fig is not None else [])


def toc_block(facts: ReviewFacts, lang: str, plan: bool = True, forecast: bool = True,
              outlook: bool = True) -> html.HTML:
    """The contents: the main page's sections (those it shows) and the appendix."""
    items = [("story", "toc_story"), ("plan", "toc_plan"), ("groups", "toc_groups"),
             ("municipalities", "toc_municipalities"), ("occupations", "toc_occupations"), ("outlook", "toc_outlook"),
             ("forecast", "toc_forecast")]
    shown = {"plan": plan, "forecast": forecast, "outlook": outlook}
    items = [(a, k) for a, k in items if shown.get(a, True)]
    links = [(f"#{a}", tx(k, lang)) for a, k in items] + [("appendix.html", tx("toc_appendix", lang))]
    return html.macro("review_page.html.j2", "toc", label=tx("toc_heading", lang), links=links)


def main_blocks(facts: ReviewFacts, lang: str) -> list[html.HTML]:
    """Every block of the main page, in reading order: the first screen (headline, story, the plan
    box beside it when a metric can be judged, the standard groups' tiles), then the contents,
    municipalities, occupations, the skills-needs outlook and the forecast."""
    scope = facts.scope
    plan = plan_block(facts, lang)
    first = html.macro("review_page.html.j2", "first_screen", headline=headline(facts, lang), story=story(facts, lang),
                       plan=plan)
    blocks = [first, html.heading(tx("groups_heading", lang), 2, "groups")]
    note = quarter_note(facts, lang)
    if note:
        blocks.append(html.paragraph(note))
    blocks.append(tiles_block(facts, lang))
    long = long_figure(facts, lang)
    if long is not None:
        blocks.append(long)
    notes = [*area_lines(facts, lang), no_comparison_line(facts, lang), missing_line(facts, lang),
             *ends_earlier_lines(facts, lang)]
    for note in filter(None, notes):
        blocks.append(html.paragraph(note, "note-missing"))
    forecast_text, outlook = forecast_sentence(facts, lang), outlook_blocks(facts, lang)
    blocks.append(toc_block(facts, lang, plan=plan is not None, forecast=bool(forecast_text), outlook=bool(outlook)))
    blocks.append(html.heading(tx("municipalities_heading", lang), 2, "municipalities"))
    subregions = subregion_sentence(facts, lang)
    for s in [*_municipality_sentences(facts, lang), subregions]:
        if s:
            blocks.append(html.paragraph(s))
    fig = municipality_figure(facts, lang)
    if fig is not None:
        blocks.append(fig)
    munis = municipality_codes(facts)
    if munis:
        links = [(municipality_page_slug(m), _name_of(m, scope, lang)) for m in munis]
        blocks.append(html.macro("review_page.html.j2", "municipality_links", label=tx("municipality_pages", lang), links=links))
    blocks.append(html.heading(tx("occupations_heading", lang), 2, "occupations"))
    if facts.occupations is None:
        blocks.append(html.paragraph(tx("occupations_none", lang)))
    else:
        if facts.occupation_context and scope.region:
            blocks.append(html.paragraph(tx("occupations_context", lang, region=_name_of(scope.region, scope, lang))))
        sentence = occupation_sentence(facts, lang)
        if sentence:
            note = occupation_names_note(facts, lang)
            blocks.append(html.paragraph(f"{sentence} {note}" if note else sentence))
    blocks += outlook
    if forecast_text:
        blocks.append(html.heading(tx("forecast_heading", lang), 2, "forecast"))
        blocks.append(html.paragraph(forecast_text))
        fig = forecast_figure(facts, lang)
        if fig is not None:
            blocks.append(fig)
    blocks.append(html.link("appendix.html", tx("appendix_link", lang), "print-address"))
    u = _group(facts, "unemployed")
    last = u["month"] if isinstance(u["month"], str) else scope.last_month
    blocks.append(html.paragraph(tx("source_line", lang, month=month_name(last, lang)), "source-line"))
    return blocks


def municipality_sentences(facts: ReviewFacts, code: str, lang: str) -> list[str]:
    """A member municipality's sentences: its unemployed and their change from a year earlier and from the
    month before, its rate beside the area's and the country's, its rank, and the small-numbers caution."""
    scope = facts.scope
    name = _name_of(code, scope, lang)
    levels = facts.levels.set_index("area_code")
    if code not in levels.index or np.isnan(levels.loc[code, "unemployed"]):
        return []
    row = levels.loc[code]
    shown = municipality_counts_shown(facts, lang).get(code, SECONDARY_MARK)
    hidden = not shown[:1].isdigit()  # "<5" or "..": no change is shown that would reveal it
    if hidden:
        out = [tx("municipality_hidden", lang, month_end=month_end(row["month"], lang), n=shown)]
    else:
        change = None if math.isnan(row["change_year"]) else int(round(row["change_year"]))
        out = [g.unemployed_sentence(code, row["month"], int(row["unemployed"]), change, lang)]
        if not math.isnan(row["change_month"]) and round(row["change_month"]) != 0:
            genitive = g.month_case(int(scope.month_ago(row["month"])[5:]), "genitive", lang)
            out[-1] += " " + tx("s_month", lang, month=g.sentence(genitive) if lang == "fi" else genitive,
                                verb=tx("grew" if row["change_month"] > 0 else "fell", lang),
                                persons=g.quantity(abs(row["change_month"]), "person", "adessive", lang))
    rate = g.rate_sentence(code, row["rate"], row["rate_change_pp"], lang)
    area_rate = levels.loc[scope.area.slug, "rate"] if scope.area.slug in levels.index else np.nan
    country = _country_row(facts)
    if country is not None and not math.isnan(country["rate"]):
        rate += " " + tx("municipality_context", lang, area_rate=fmt_pct(area_rate, 1, lang),
                         country_rate=fmt_pct(country["rate"], 1, lang))
    else:
        rate += " " + tx("municipality_context_no_country", lang, area_rate=fmt_pct(area_rate, 1, lang))
    out.append(rate)
    munis = municipality_rows(facts)
    if code in set(munis["area_code"]):
        rank = int(munis.index[munis["area_code"] == code][0]) + 1
        from_low = len(munis) - rank + 1
        if rank == 1 or from_low == 1:
            key = "municipality_top" if rank == 1 else "municipality_bottom"
            where = _locative(code, lang)
            out.append(tx(key, lang, count=len(munis), place=where) if where else
                       tx(f"{key}_nominative", lang, count=len(munis), name=name))
        else:
            key, place = ("municipality_rank_high", rank) if rank <= from_low else ("municipality_rank_low", from_low)
            out.append(tx(key, lang, count=len(munis), name=name, ordinal=ordinal_rank(place, lang)))
    if row["unemployed"] < SMALL_MUNICIPALITY:
        out.append(tx("municipality_small", lang, limit=SMALL_MUNICIPALITY))
    return out


def long_figure(facts: ReviewFacts, lang: str) -> html.HTML | None:
    """Five years of the area's unemployed beside the country's: each month (thin) and the 12-month mean (the
    trend without the seasons), both as an index of the first month's 12-month mean (= 100); None without
    the months (:func:`analysis.indicators.review.long_history`)."""
    from analysis.present.figures import PHONE_CHART_WIDTH, new_figure

    long = facts.long_history
    if long is None or long.empty:
        return None
    base_trend = long["area_trend"].iloc[0]
    fig, ax = new_figure(PHONE_CHART_WIDTH, 3.2)
    x = pd.PeriodIndex(long["month"], freq="M").to_timestamp()
    ax.plot(x, 100 * long["area"] / base_trend, color="#9ecae1", linewidth=1, label=tx("long_area_month", lang))
    ax.plot(x, long["area_index"], color="#0b5394", linewidth=2.5, label=tx("long_area_trend", lang))
    ax.plot(x, long["country_index"], color="#e69f00", linewidth=2, linestyle="--", label=tx("long_country_trend", lang))
    ax.axhline(100, color="#888888", linewidth=0.8)
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1,)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=1, frameon=False)
    last = long.iloc[-1]
    base = tx("long_base", lang, month=g.in_month(long["month"].iloc[0], lang))
    values = {"base": base, "month_end": g.month_end(last["month"], lang), "area": fmt_int(last["area_index"], lang),
              "country": fmt_int(last["country_index"], lang)}
    where = facts.scope.area.located(lang)
    if where and lang == "sv":
        where = where[0].lower() + where[1:]
    alt = (tx("long_alt", lang, where=where, **values) if where else
           tx("long_alt_nominative", lang, where=facts.scope.area.name(lang), **values))
    data = pd.DataFrame({
        tx("forecast_col_month", lang): [month_name(m, lang) for m in long["month"]],
        tx("long_col_area", lang): [fmt_int(v, lang) for v in long["area"]],
        tx("long_col_area_index", lang): [fmt_int(v, lang) for v in long["area_index"]],
        tx("long_col_country_index", lang): [fmt_int(v, lang) for v in long["country_index"]],
    })
    return html.figure(fig, alt, tx("long_caption", lang, base=base), data, lang)


def municipality_history_figure(facts: ReviewFacts, code: str, lang: str) -> html.HTML | None:
    """The municipality's own unemployed at each month's end over the last two years (counts under 5 are not
    drawn and read "<5" in the table), with the finding in the alt text; None without the months."""
    from analysis.present.figures import PHONE_CHART_WIDTH, int_axis, new_figure

    hist = facts.municipality_history
    if hist is None or hist.empty:
        return None
    own = hist[hist["area_code"] == code].dropna(subset=["unemployed"])
    if len(own) < 13 or own["unemployed"].iloc[-1] < 5:
        return None
    name = _name_of(code, facts.scope, lang)
    drawn = own["unemployed"].where(own["unemployed"] >= 5)
    fig, ax = new_figure(PHONE_CHART_WIDTH, 2.8)
    x = pd.PeriodIndex(own["month"], freq="M").to_timestamp()
    ax.plot(x, drawn, color="#0b5394", marker="o", markersize=3)
    ax.set_ylim(bottom=0)
    int_axis(ax, lang)
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%-m/%y"))  # "7/23": no ISO dates for readers
    last, year_ago = own.iloc[-1], own[own["month"] == facts.scope.year_ago(own["month"].iloc[-1])]
    values = {"month_end": g.month_end(last["month"], lang), "n": mask_count(last["unemployed"], lang),
              "year_ago": mask_count(year_ago["unemployed"].iloc[0], lang) if len(year_ago) else MISSING}
    where = g.in_place(code, lang) if _cited(code) else None
    alt = (tx("history_alt", lang, place=where, **values) if where else
           tx("history_alt_nominative", lang, place=name, **values))
    caption = tx("history_caption", lang, name=name, first=month_name(own["month"].iloc[0], lang),
                 last=month_name(last["month"], lang))
    data = pd.DataFrame({tx("forecast_col_month", lang): [month_name(m, lang) for m in own["month"]],
                         tx("col_unemployed", lang): [mask_count(v, lang) for v in own["unemployed"]]})
    return html.figure(fig, alt, caption, data, lang)


def _history_held(facts: ReviewFacts, code: str) -> bool:
    """Whether the data hold the months of :func:`municipality_history_figure` (13 of its 24 months or more)."""
    hist = facts.municipality_history
    return hist is not None and int(hist.loc[hist["area_code"] == code, "unemployed"].notna().sum()) >= 13


def _month_runs(months: list[str], marked: list[bool]) -> list[tuple[str, str]]:
    """The runs of consecutive ``months`` that are ``marked``, each as its first and last month."""
    runs: list[tuple[str, str]] = []
    for month, found in zip(months, marked):
        if found and runs and runs[-1][1] == Scope.month_ago(month):
            runs[-1] = (runs[-1][0], month)
        elif found:
            runs.append((month, month))
    return runs


GAP_LABEL_MONTHS = 6
"""A gap in a line of months this long or longer is labelled in the chart ("ei lukuja")."""


def municipality_rate_figure(facts: ReviewFacts, code: str, lang: str) -> html.HTML | None:
    """The municipality's unemployment rate as StatFin publishes it over the latest 24 months the data hold and
    the period's own month (:func:`analysis.indicators.review.municipality_rate_history`), for a page whose two
    years of counts the data lack. The months the data lack are a gap in the line, never joined or filled;
    the caption names the months shown and says once that those between are not in the data; the alt text
    compares the latest rate with the same month in the line. None without 13 months."""
    from analysis.present.figures import PHONE_CHART_WIDTH, new_figure, pct_axis

    rates = facts.municipality_rates
    if rates is None or rates.empty:
        return None
    own = rates[rates["area_code"] == code].reset_index(drop=True)
    held = own.dropna(subset=["rate"])
    if len(held) < 13:
        return None
    own = own.loc[:held.index[-1]]  # months after the last rate held are not drawn
    months, found = list(own["month"]), list(own["rate"].notna())
    runs, gaps = _month_runs(months, found), _month_runs(months, [not f for f in found])
    fig, ax = new_figure(PHONE_CHART_WIDTH, 2.8)
    x = pd.PeriodIndex(own["month"], freq="M").to_timestamp()
    ax.plot(x, own["rate"], color="#0b5394", marker="o", markersize=3)  # a NaN month breaks the line
    latest = held.iloc[-1]  # the latest month, alone after a gap, is marked and labelled with its rate
    ax.plot(x[-1], latest["rate"], "o", color="#08306b", markersize=7)
    ax.annotate(fmt_pct(latest["rate"], 1, lang), (x[-1], latest["rate"]), xytext=(0, 8), textcoords="offset points",
                ha="center", fontsize=11, color="#08306b")
    for first, last in gaps:
        if len(pd.period_range(first, last, freq="M")) >= GAP_LABEL_MONTHS:
            left, right = ((pd.Period(m, freq="M") + k).to_timestamp() for m, k in ((first, -1), (last, 1)))
            ax.text(left + (right - left) / 2, 0.5, tx("rate_gap_label", lang), transform=ax.get_xaxis_transform(),
                    ha="center", va="center", fontsize=11, color="#595959")
    ax.set_ylim(0, 1.2 * float(held["rate"].max()))  # room above the line for the latest rate's label
    pct_axis(ax, lang)
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%-m/%y"))  # "7/23": no ISO dates for readers
    same = held[(held["month"].str[5:] == latest["month"][5:]) & (held["month"] < latest["month"])]
    then = same.iloc[-1] if len(same) else held.iloc[-2]
    values = {"when": g.in_month(latest["month"], lang), "rate": fmt_pct(latest["rate"], 1, lang),
              "then_when": g.in_month(then["month"], lang), "then_rate": fmt_pct(then["rate"], 1, lang)}
    name = _name_of(code, facts.scope, lang)
    where = g.in_place(code, lang) if _cited(code) else None
    alt = (tx("rate_history_alt", lang, place=where, **values) if where else
           tx("rate_history_alt_nominative", lang, place=name, **values))
    shown = g.join_and([g.month_span(first, end, lang) for first, end in runs], lang)
    caption = (tx("rate_history_caption_gap", lang, name=name, months=shown,
                  missing=g.join_and([g.month_span(first, end, lang) for first, end in gaps], lang)) if gaps
               else tx("rate_history_caption", lang, name=name, months=shown))
    data = pd.DataFrame({tx("forecast_col_month", lang): [month_name(m, lang) for m in held["month"]],
                         tx("col_rate", lang): [fmt_pct(v, 1, lang) for v in held["rate"]]})
    return html.figure(fig, alt, caption, data, lang)


MUNICIPAL_GROUP_KEYS = ("long_term", "over_two_years", "under_25", "over_50", "foreign_nationals", "laid_off",
                        "in_services")
"""The groups of persons a municipality's page shows where the data hold them, in the tiles' order; the main
page's one vacancy figure (:func:`vacancy_group`) follows them."""


def _municipal_group_keys(facts: ReviewFacts) -> list[str]:
    vacancy = vacancy_group(facts)
    return [*MUNICIPAL_GROUP_KEYS, *([vacancy] if vacancy else [])]


def _shown_count(text: str) -> bool:
    """Whether a published cell shows its count (not "<5", the hidden mark or the missing one)."""
    return text[:1].isdigit()


SUPPRESSED_STANDS_FOR = 4.0
"""A municipality's cell the source suppressed (StatFin's ``...``) counts, when the cells to hide are chosen, as a
hidden part of 4 (the largest count StatFin hides as small): the area's figure minus the shown parts must not
give it back either, so one more cell is hidden where only it is hidden."""


def _group_parts(rows: pd.DataFrame, codes: list[str], col: str) -> list[float]:
    """The member municipalities' cells of one group and month as the parts of the area's figure: NaN where
    the data lack the cell (an unknown part protects the hidden ones), :data:`SUPPRESSED_STANDS_FOR` where the
    source suppressed it."""
    parts = []
    for code in codes:
        held = code in rows.index and (col == "value" or bool(rows.at[code, "year_ago_held"]))
        value = float(rows.at[code, col]) if held else np.nan
        parts.append(SUPPRESSED_STANDS_FOR if held and math.isnan(value) else value)
    return parts


def municipality_groups_shown(facts: ReviewFacts, lang: str) -> dict[tuple[str, str], tuple[str, str, str]]:
    """Each member municipality's standard groups as published: ``(code, group) -> (value, year_ago, change)``.

    For each group and month the member municipalities are the parts of the area's figure on the main page's
    tile, so they are masked as a sum (:func:`disclose_parts_and_total`): 1–4 reads "<5", and one more cell is
    hidden (:data:`SECONDARY_MARK`) where the area's figure minus the shown ones would give a small count
    back. A cell the source suppressed reads :data:`SECONDARY_MARK` too and is protected in the same way
    (:data:`SUPPRESSED_STANDS_FOR`); a month the data lack reads :data:`MISSING`. A change is shown only
    between two shown counts: what it adds is the difference of the hidden sums, which the two columns give
    already."""
    frame = facts.municipality_groups
    if frame is None or frame.empty:
        return {}
    codes, out = list(facts.scope.municipalities), {}
    for key in _municipal_group_keys(facts):
        rows = frame[frame["group"] == key].set_index("area_code")
        if rows.empty:
            continue
        area, texts = _group(facts, key), {}
        for col in ("value", "year_ago"):
            total = area[col] if area["available"] and area["month"] == rows["month"].iloc[0] else np.nan
            shown, _total = disclose_parts_and_total(_group_parts(rows, codes, col), None if pd.isna(total) else total,
                                                     lang)
            texts[col] = dict(zip(codes, shown))
        for code, row in rows.iterrows():
            value = SECONDARY_MARK if math.isnan(row["value"]) else texts["value"][code]
            ago = texts["year_ago"][code] if not math.isnan(row["year_ago"]) else (
                SECONDARY_MARK if row["year_ago_held"] else MISSING)
            change = (fmt_signed(row["change_year"], 0, lang) if _shown_count(value) and _shown_count(ago)
                      else MISSING if ago == MISSING else SECONDARY_MARK)
            out[(code, key)] = (value, ago, change)
    return out


def municipality_groups_block(facts: ReviewFacts, code: str, lang: str) -> list[html.HTML]:
    """The standard groups the data hold for the municipality (:func:`municipality_groups_shown`): a heading,
    a table of the month, the same month a year earlier and the change, and a line explaining the marks it
    uses; nothing where the data hold no group of persons for it (the main page says once what is missing;
    the vacancies alone make no table of groups)."""
    shown = municipality_groups_shown(facts, lang)
    keys = [k for k in _municipal_group_keys(facts) if (code, k) in shown]
    if not set(keys) & set(MUNICIPAL_GROUP_KEYS):  # the vacancies alone are no table of groups
        return []
    frame = facts.municipality_groups
    first = frame[(frame["area_code"] == code) & (frame["group"] == keys[0])].iloc[0]
    keys = [k for k in keys if (frame[(frame["area_code"] == code) & (frame["group"] == k)]["month"]
                                == first["month"]).all()]  # one month a table
    cells = [shown[(code, k)] for k in keys]
    table = {tx("col_group", lang): [tx(f"group_{k}", lang) for k in keys],
             month_name(first["month"], lang): [c[0] for c in cells]}
    compared = any(c[1] != MISSING for c in cells) or any(not pd.isna(_group(facts, k)["year_ago"]) for k in keys)
    if compared:  # without a month a year earlier for the area the main page says so once
        table[month_name(first["year_ago_month"], lang)] = [c[1] for c in cells]
        table[tx("col_change_year", lang)] = [c[2] for c in cells]
    caption = tx("groups_caption_compared" if compared else "groups_caption", lang,
                 name=_name_of(code, facts.scope, lang), month=month_name(first["month"], lang))
    blocks = [html.heading(tx("groups_heading", lang), 2), html.table(pd.DataFrame(table), caption)]
    used = {text for c in cells for text in (c if compared else c[:1])}
    marks = [tx(f"groups_mark_{name}", lang) for name, mark in (("small", "<5"), ("hidden", SECONDARY_MARK),
                                                                 ("missing", MISSING)) if mark in used]
    if marks:
        blocks.append(html.paragraph(g.sentence("; ".join(marks)) + ".", "meta"))
    return blocks


def municipality_blocks(facts: ReviewFacts, code: str, lang: str) -> list[html.HTML]:
    """A member municipality's one-page summary (its council reads only its own)."""
    scope = facts.scope
    name = _name_of(code, scope, lang)
    blocks = [html.paragraph(tx("municipality_intro", lang, name=name, area=scope.area.name(lang)))]
    blocks += [html.paragraph(s) for s in municipality_sentences(facts, code, lang)]
    history = municipality_history_figure(facts, code, lang)
    if history is None and not _history_held(facts, code):  # the published rates where the counts lack months
        history = municipality_rate_figure(facts, code, lang)
    if history is not None:
        blocks.append(history)
    blocks += municipality_groups_block(facts, code, lang)
    fig = municipality_figure(facts, lang, highlight=code)
    if fig is not None:
        blocks.append(fig)
    metrics = facts.municipal_metrics
    if metrics is not None and (metrics["municipality"] == code).any():
        from analysis.present.kpi import municipality_metrics_table

        blocks.append(html.heading(tx("municipal_metrics_heading", lang), 2))
        blocks.append(html.table(municipality_metrics_table(metrics[metrics["municipality"] == code], lang),
                                 tx("municipal_metrics_caption", lang, name=name)))
    blocks.append(html.link("review.html", tx("back_to_review", lang)))
    return blocks


def municipality_codes(facts: ReviewFacts) -> list[str]:
    """Member municipalities that get a page: those the data holds (none for a one-code area)."""
    if len(facts.scope.members) < 2 and not facts.scope.members[0].startswith("MK"):
        return []
    held = set(facts.levels.loc[facts.levels["level"] == "municipality", "area_code"])
    return [m for m in facts.scope.municipalities if m in held]


def municipality_pages(facts: ReviewFacts, lang: str) -> list:
    """Every member municipality's one-page summary, each between its page markers, in code order."""
    blocks: list = []
    for code in municipality_codes(facts):
        blocks += [page_start(facts, code, lang), *municipality_blocks(facts, code, lang), page_end()]
    return blocks


def page_start(facts: ReviewFacts, code: str, lang: str) -> html.HTML:
    """Opens a municipality page in the notebook's output; the runner renders each as its own file."""
    title = tx("municipality_title", lang, name=_name_of(code, facts.scope, lang),
               period=period_words(facts.scope.period.code, lang))
    return html.macro("review_page.html.j2", "page_start", file_name=municipality_page_slug(code), title=title)


def page_end() -> html.HTML:
    return html.macro("review_page.html.j2", "page_end")
