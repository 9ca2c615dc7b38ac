"""The review's main page: the story first, for managers and councillors with five minutes.

Reading order, as in the regional monthly reviews: a headline (a heading) that states the finding with its
size and month, five to seven sentences in an analyst's voice, what it means for the action plan (only when
a plan metric has a target and a value), tiles for the standard groups (the month and the same month a year
earlier), five years beside the country, the municipalities (range, largest changes, sub-regions, a sorted
chart), the occupations, the skills-needs outlook (:mod:`analysis.present.review_outlook`), the forecast, one
source line. Each member municipality's one-page summary is :mod:`analysis.present.municipality_page`; the
words the pages share are :mod:`analysis.present.review_words`. Tables, definitions, methods and codes are in
the appendix. Every number comes from :class:`~analysis.indicators.review.ReviewFacts`, computed once per run
below this layer; every sentence is built with :mod:`analysis.present.grammar` (months, numbers and place
names in their cases, see ``docs/language.md``).
"""

from __future__ import annotations

import math

import pandas as pd

from analysis import config
from analysis.forecast.area import FORECAST_H
from analysis.indicators.review import SMALL_CHANGE, SMALL_MUNICIPALITY, TREND_MONTHS, ReviewFacts
from analysis.names import area_name, finnish_only, group_names
from analysis.present import grammar as g
from analysis.present import html
from analysis.present.disclosure import disclose_count as mask_count
from analysis.present.fmt import MISSING, fmt_int, fmt_pct, fmt_pct_change, fmt_pp, fmt_signed
from analysis.present.municipality_page import municipality_codes, municipality_figure, municipality_rows
from analysis.present.review_outlook import outlook_blocks
from analysis.present.review_words import (
    VACANCY_GROUPS,
    country_row,
    group_row,
    inline_label,
    known_place,
    locative,
    month_end,
    month_genitive,
    months_span,
    ordinal_rank,
    tx,
    vacancy_group,
)
from analysis.present.text import month_name
from analysis.store.scope import Scope

# --------------------------------------------------------------------------- words


def _more_less(change: float, lang: str, persons: bool = True) -> str:
    if math.isnan(change):
        return MISSING
    if round(change) == 0:
        return tx("as_many", lang)
    return f"{fmt_int(abs(change), lang)} {tx('more' if change > 0 else 'less', lang)}"


def _pp(value: float, lang: str) -> str:
    """A change of a rate in words: "1,5 prosenttiyksikköä" / "1,5 procentenheter" (no sign: the verb says it)."""
    return g.quantity(abs(value), "percentage_point", "nominative", lang)


# --------------------------------------------------------------------------- headline and story


def headline(facts: ReviewFacts, lang: str) -> str:
    """The period's finding with its size and month: "Työttömiä syyskuun lopussa 175 enemmän kuin vuotta
    aiemmin" / "I slutet av september 175 fler arbetslösa än ett år tidigare". Without the month a year
    earlier (one month of data, as the embedded June 2026) the level and its month; without any figure,
    that the data hold none (never "unchanged" from no data)."""
    u = group_row(facts, "unemployed")
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
    trend, u = facts.trend, group_row(facts, "unemployed")
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
    u = group_row(facts, "unemployed")
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
    r = group_row(facts, "rate")
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
    v = group_row(facts, key)
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
        row = group_row(facts, key)
        if row["available"] and row["month"]:
            items.append(tx("s_group_item_level", lang, label=inline_label(key, lang), n=mask_count(row["value"], lang))
                         if math.isnan(row["change_year"]) else
                         tx("s_group_item", lang, label=inline_label(key, lang), n=mask_count(row["value"], lang),
                            change=fmt_signed(row["change_year"], 0, lang)))
    return tx("s_groups", lang, items=g.sentence("; ".join(items))) if items else ""


def story(facts: ReviewFacts, lang: str) -> list[str]:
    """Five to seven sentences about the period, each only from figures the data holds."""
    country = country_row(facts)
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
    name = area_name(region, scope, lang)
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
    low_gen = g.place_case(lo["area_code"], "genitive", lang) if known_place(lo["area_code"]) else None
    high_gen = g.place_case(hi["area_code"], "genitive", lang) if known_place(hi["area_code"]) else None
    if lang == "fi" and low_gen and high_gen:
        out = [tx("s_municipalities", lang, low_place=low_gen, high_place=high_gen, **values)]
    else:
        out = [tx("s_municipalities_nominative", lang, low_place=area_name(lo["area_code"], scope, lang),
                  high_place=area_name(hi["area_code"], scope, lang), **values)]
    changes = munis.dropna(subset=["rate_change_pp"]).sort_values("rate_change_pp")
    notable = changes[changes["change_year"].abs() >= SMALL_CHANGE]
    up, down = notable[notable["rate_change_pp"] > 0], notable[notable["rate_change_pp"] < 0]
    if not up.empty:
        up = up.iloc[-1]
        places = {"up": (locative(up["area_code"], lang), area_name(up["area_code"], scope, lang))}
        if not down.empty:
            places["down"] = (locative(down.iloc[0]["area_code"], lang), area_name(down.iloc[0]["area_code"], scope, lang))
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
        names = [area_name(c, scope, lang) for c in small.sort_values("area_code")["area_code"]]
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
    items = [tx(f"s_subregion_item{suffix}", lang, place=area_name(r.area_code, facts.scope, lang) if nominative else where,
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
        out.append(tx("area_municipalities_missing", lang, regions=", ".join(area_name(r, scope, lang) for r in lacking)))
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
    u = group_row(facts, "unemployed")
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
    u = group_row(facts, "unemployed")
    unemployment_judged = first["metric_id"].str.contains("unemployed") & first["status"].isin(judged_states)
    if unemployment_judged.any() and u["available"] and u["month"] and not math.isnan(u["change_year"]):
        verdict = "flat" if round(u["change_year"]) == 0 else ("bad" if u["change_year"] > 0 else "good")
        paragraphs.append(tx("plan_unemployed_link", lang, verdict=tx(f"verdict_{verdict}", lang)))
    return html.macro("review_page.html.j2", "plan", heading=tx("plan_heading", lang), paragraphs=paragraphs)


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


def toc_block(facts: ReviewFacts, lang: str, plan: bool = True, forecast: bool = True,
              outlook: bool = True) -> html.HTML:
    """The contents: the main page's sections (those it shows) and the appendix."""
    items = [("story", "toc_story"), ("plan", "toc_plan"), ("groups", "toc_groups"),
             ("municipalities", "toc_municipalities"), ("occupations", "toc_occupations"), ("outlook", "toc_outlook"),
             ("forecast", "toc_forecast")]
    shown = {"plan": plan, "forecast": forecast, "outlook": outlook}
    items = [(a, k) for a, k in items if shown.get(a, True)]
    links = [(f"#{a}", tx(k, lang)) for a, k in items] + [(config.APPENDIX_FILE, tx("toc_appendix", lang))]
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
    for s in [*_municipality_sentences(facts, lang)[1:], subregions]:  # the range is in the story above
        if s:
            blocks.append(html.paragraph(s))
    fig = municipality_figure(facts, lang)
    if fig is not None:
        blocks.append(fig)
    munis = municipality_codes(facts)
    if munis:
        links = [(config.municipality_page_file(m), area_name(m, scope, lang)) for m in munis]
        blocks.append(html.macro("review_page.html.j2", "municipality_links", label=tx("municipality_pages", lang), links=links))
    blocks.append(html.heading(tx("occupations_heading", lang), 2, "occupations"))
    if facts.occupations is None:
        blocks.append(html.paragraph(tx("occupations_none", lang)))
    else:
        if facts.occupation_context and scope.region:
            blocks.append(html.paragraph(tx("occupations_context", lang, region=area_name(scope.region, scope, lang))))
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
    blocks.append(html.link(config.APPENDIX_FILE, tx("appendix_link", lang), "print-address"))
    u = group_row(facts, "unemployed")
    last = u["month"] if isinstance(u["month"], str) else scope.last_month
    blocks.append(html.paragraph(tx("source_line", lang, month=month_name(last, lang)), "source-line"))
    return blocks
