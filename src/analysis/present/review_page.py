"""The review's main page: the story first, for managers and councillors with five minutes.

Reading order, as in the regional monthly reviews: a headline that states the period's story, five
to seven sentences in an analyst's voice, tiles for the standard groups (the period, the previous
period and a year earlier), what it means for the action plan, the municipalities (highest, lowest,
biggest change, a sorted chart), the occupations, one source line. Tables, definitions, methods and
codes are in the appendix. Every number comes from :class:`~analysis.indicators.review.ReviewFacts`,
computed once per run below this layer.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.forecast.area import FORECAST_H
from analysis.indicators.review import ReviewFacts
from analysis.names import area_name, finnish_only, group_names
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
    return f"{t('common.month_genitive', lang).split(',')[int(month[5:]) - 1]} {month[:4]}"


def month_end(month: str, lang: str) -> str:
    """"Syyskuun 2023 lopussa" / "I slutet av september 2023" (a sentence opening)."""
    text = tx("month_end", lang, month=month_genitive(month, lang))
    return text[0].upper() + text[1:]


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


# --------------------------------------------------------------------------- facts
# The figures are computed below present/: analysis.indicators.review (ReviewFacts, compute_facts) and
# analysis.forecast.area (the forecast); this module only words, formats and draws them.


def _group(facts: ReviewFacts, key: str) -> pd.Series:
    return facts.groups.set_index("group").loc[key]


def _where(scope: Scope, lang: str) -> str:
    """"Keski-Pohjanmaan työllisyysalueella" / "i Mellersta Österbottens …" inside a sentence."""
    located = scope.area.located(lang)
    if located and lang == "sv":
        located = located[0].lower() + located[1:]
    return located or tx("where_default", lang, area=scope.area.name(lang))


def _name_of(code: str, scope: Scope, lang: str) -> str:
    return area_name(code, scope, lang)


# --------------------------------------------------------------------------- headline and story


def headline(facts: ReviewFacts, lang: str) -> str:
    """The period's story in one sentence: direction of unemployment from a year earlier, and
    whether the change sped up or slowed compared with the previous period."""
    where = _where(facts.scope, lang)
    hist = facts.history
    if hist.empty or math.isnan(hist["value"].iloc[0]):
        return tx("headline_no_data", lang, where=where)
    if math.isnan(hist["change_year"].iloc[0]):  # no year-ago month: the level, never "unchanged"
        opening = month_end(str(hist["month"].iloc[0]), lang)
        return tx("headline_level", lang, where=where, n=fmt_int(hist["value"].iloc[0], lang),
                  month_end=opening[0].lower() + opening[1:])
    now = float(hist["change_year"].iloc[0])
    before = float(hist["change_year"].iloc[1]) if len(hist) > 1 else math.nan
    base = float(hist["value"].iloc[0])
    if abs(now) < max(1.0, 0.005 * base):
        return tx("headline_flat", lang, where=where)
    kind = "rise" if now > 0 else "fall"
    if math.isnan(before):
        suffix = ""
    elif (before > 0) != (now > 0):
        suffix = "_turned"
    else:
        suffix = "_faster" if abs(now) > abs(before) else "_slower"
    return tx(f"headline_{kind}{suffix}", lang, where=where)


def story(facts: ReviewFacts, lang: str) -> list[str]:
    """Five to seven sentences about the period, each only from figures the data holds."""
    scope, out = facts.scope, []
    u = _group(facts, "unemployed")
    if u["available"] and u["month"]:
        if not math.isnan(u["change_year"]):  # else the headline states the level alone (see headline)
            out.append(tx("s_unemployed", lang, month_end=month_end(u["month"], lang), n=fmt_int(u["value"], lang),
                          change=_more_less(u["change_year"], lang),
                          change_pct=fmt_pct_change(u["change_year_pct"], 1, lang)))
        if out and not math.isnan(u["change_month"]) and round(u["change_month"]) != 0:
            genitive = t("common.month_genitive", lang).split(",")[int(scope.month_ago(u["month"])[5:]) - 1]
            verb = tx("grew" if u["change_month"] > 0 else "fell", lang)
            out[-1] += " " + tx("s_month", lang, month=genitive.capitalize() if lang == "fi" else genitive,
                                verb=verb, n=fmt_int(abs(u["change_month"]), lang))
    r = _group(facts, "rate")
    if r["available"] and r["month"]:
        country = facts.levels.loc[facts.levels["level"] == "country", "rate"]
        pp = r["change_year"]
        direction = tx("same", lang) if round(pp, 1) == 0 else tx("higher" if pp > 0 else "lower", lang)
        pp_text = fmt_pp(abs(pp), lang).lstrip("+±")
        has_country = len(country) and not math.isnan(country.iloc[0])
        if math.isnan(pp):  # no year-ago rate: the level alone (the missing comparison is said once, below)
            out.append(tx("s_rate_level", lang, rate=fmt_pct(r["value"], 1, lang),
                          country=fmt_pct(country.iloc[0], 1, lang)) if has_country else
                       tx("s_rate_level_no_country", lang, rate=fmt_pct(r["value"], 1, lang)))
        elif has_country:
            out.append(tx("s_rate", lang, rate=fmt_pct(r["value"], 1, lang), pp=pp_text, direction=direction,
                          country=fmt_pct(country.iloc[0], 1, lang)))
        else:
            out.append(tx("s_rate_no_country", lang, rate=fmt_pct(r["value"], 1, lang), pp=pp_text, direction=direction))
    rank_text = _rank_sentence(facts, lang)
    if rank_text:
        out.append(rank_text)
    area_rank_text = _area_rank_sentence(facts, lang)
    if area_rank_text:
        out.append(area_rank_text)
    munis = _municipality_sentences(facts, lang)
    out += munis[:1]
    v = _group(facts, "open_vacancies")
    if v["available"] and v["month"]:
        out.append(tx("s_vacancies", lang, month_end=month_end(v["month"], lang).lower() if lang == "fi" else
                      month_end(v["month"], lang), n=fmt_int(v["value"], lang), change=_more_less(v["change_year"], lang)))
    items = []
    for key in ("long_term", "over_two_years", "under_25", "over_50", "foreign_nationals", "laid_off"):
        g = _group(facts, key)
        if g["available"] and g["month"]:
            items.append(tx("s_group_item_level", lang, label=tx(f"group_{key}", lang), n=mask_count(g["value"], lang))
                         if math.isnan(g["change_year"]) else
                         tx("s_group_item", lang, label=tx(f"group_{key}", lang), n=mask_count(g["value"], lang),
                            change=fmt_signed(g["change_year"], 0, lang)))
    if items:
        items = [items[0]] + [i[0].lower() + i[1:] for i in items[1:]]
        out.append(tx("s_groups", lang, items="; ".join(items)))
    return out


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
        return tx("s_rank_lowest", lang, region=name)
    if rank == 1:
        return tx("s_rank_highest", lang, region=name)
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
    munis = municipality_rows(facts)
    if len(munis) < 2:
        return []
    scope = facts.scope
    hi, lo = munis.iloc[0], munis.iloc[-1]
    out = [tx("s_municipalities", lang, low=fmt_pct(lo["rate"], 1, lang), low_name=_name_of(lo["area_code"], scope, lang),
              high=fmt_pct(hi["rate"], 1, lang), high_name=_name_of(hi["area_code"], scope, lang))]
    changes = munis.dropna(subset=["rate_change_pp"]).sort_values("rate_change_pp")
    if not changes.empty:
        up, down = changes.iloc[-1], changes.iloc[0]
        down_text = (tx("s_municipality_down", lang, name=_name_of(down["area_code"], scope, lang),
                        pp=fmt_pp(down["rate_change_pp"], lang))
                     if down["rate_change_pp"] < 0 else tx("s_municipality_no_down", lang))
        text = tx("s_municipality_change", lang, up_name=_name_of(up["area_code"], scope, lang),
                  up=fmt_pp(up["rate_change_pp"], lang), down_text=down_text)
        out.append(text if text.endswith(".") else text + ".")
    return out


def _occupation_movers(facts: ReviewFacts, n: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` two-digit groups whose unemployed grew and fell most from a year earlier (groups on
    a base under 20 persons left out)."""
    occ = facts.occupations
    body = occ[(occ["kind"] == "group") & ~occ["base_unreliable"].astype(bool)].dropna(subset=["change_year"])
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
        name = name[0].lower() + name[1:] if name else name
        return f"{name} {fmt_signed(row['change_year'], 0, lang)} ({fmt_pct_change(row['change_year_pct'], 0, lang)})"

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
    return tx(key, lang, codes=", ".join(codes))


def occupation_sentence(facts: ReviewFacts, lang: str) -> str:
    up, down = occupation_items(facts, lang)
    parts = []
    if up:
        parts.append(tx("s_occupations_up", lang, items=", ".join(up)))
    if down:
        parts.append(tx("s_occupations_down", lang, items=", ".join(down)))
    return " ".join(parts)


def missing_line(facts: ReviewFacts, lang: str) -> str:
    """One line naming the standard groups this data lacks (empty when it has them all)."""
    missing = facts.groups[~facts.groups["available"].astype(bool)]["group"]
    if missing.empty:
        return ""
    labels = [tx(f"group_{g}", lang).lower() if lang == "fi" else tx(f"group_{g}", lang) for g in missing]
    return tx("missing_groups", lang, items=", ".join(labels))


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
            labels = [tx(f"group_{g}", lang) for g in lacking["group"]]
            labels = [x[0].lower() + x[1:] for x in labels] if lang == "fi" else labels
            parts.append(tx("no_comparison_groups", lang, months=months, items=", ".join(labels)))
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


def _tile(facts: ReviewFacts, row: pd.Series, lang: str) -> html.Block:
    pct = row["unit"] == "pct"

    def value(v: float) -> str:
        return fmt_pct(v, 1, lang) if pct else mask_count(v, lang)

    change = fmt_pp(row["change_year"], lang) if pct else fmt_signed(row["change_year"], 0, lang)
    pairs = []  # a comparison the data does not hold is left out (no_comparison_line says so once)
    if not pd.isna(row["previous"]):
        pairs.append((month_name(row["previous_month"], lang), value(row["previous"])))
    if not pd.isna(row["year_ago"]):
        pairs += [(month_name(row["year_ago_month"], lang), value(row["year_ago"])), (tx("tile_change_year", lang), change)]
    return html.macro("review_page.html.j2", "tile", label=tx("group_" + row["group"], lang), value=value(row["value"]),
                      month=month_name(row["month"], lang), pairs=pairs)


def tiles_block(facts: ReviewFacts, lang: str) -> html.HTML:
    shown = facts.groups[facts.groups["available"].astype(bool) & facts.groups["month"].notna()]
    tiles = [_tile(facts, row, lang) for _, row in shown.iterrows()]
    return html.macro("review_page.html.j2", "tiles", tiles=tiles)


def plan_block(facts: ReviewFacts, lang: str) -> html.HTML:
    """"What this means for the plan": how many metrics are on track, and those that are not."""
    from analysis.indicators import kpi

    paragraphs = []
    card = facts.scorecard
    if card is not None and not card.empty:
        first = card.drop_duplicates("metric_id")
        counts = kpi.status_counts(first)
        judged = counts[kpi.ON_TRACK] + counts[kpi.AT_RISK] + counts[kpi.OFF_TRACK]
        if judged:
            paragraphs.append(tx("plan_summary", lang, total=len(first), on_track=counts[kpi.ON_TRACK],
                                 at_risk=counts[kpi.AT_RISK], off_track=counts[kpi.OFF_TRACK],
                                 no_status=counts[kpi.NO_TARGET] + counts[kpi.MISSING]))
        else:
            paragraphs.append(tx("plan_none_judged", lang, total=len(first), no_target=counts[kpi.NO_TARGET],
                                 missing=counts[kpi.MISSING]))
        behind = first[first["status"].isin([kpi.OFF_TRACK, kpi.AT_RISK])]
        name_col = "name_sv" if lang == "sv" else "name_fi"
        if not behind.empty:
            paragraphs.append(tx("plan_not_on_track", lang, items="; ".join(behind[name_col])))
        elif judged:
            paragraphs.append(tx("plan_all_on_track", lang))
        internal = first[first["source"] == "internal"]
        if len(internal) and (internal["status"] == kpi.MISSING).all():
            paragraphs.append(tx("plan_internal_missing", lang))
    u = _group(facts, "unemployed")
    if u["available"] and u["month"] and not math.isnan(u["change_year"]):
        verdict = "flat" if round(u["change_year"]) == 0 else ("bad" if u["change_year"] > 0 else "good")
        paragraphs.append(tx("plan_unemployed_link", lang, verdict=tx(f"verdict_{verdict}", lang)))
    return html.macro("review_page.html.j2", "plan", heading=tx("plan_heading", lang), paragraphs=paragraphs)


def municipality_figure(facts: ReviewFacts, lang: str, highlight: str | None = None) -> html.HTML | None:
    """Sorted horizontal bars of the municipalities' rates, a dot for the rate a year earlier
    (``highlight``: the municipality whose page it is, in a darker colour)."""
    from analysis.present.figures import new_figure, pct_axis

    munis = municipality_rows(facts).iloc[::-1]
    if munis.empty:
        return None
    scope = facts.scope
    names = [_name_of(c, scope, lang) for c in munis["area_code"]]
    fig, ax = new_figure(7.5, 0.45 * len(munis) + 1.2)
    colours = ["#08306b" if code == highlight else ("#9ecae1" if highlight else "#0b5394") for code in munis["area_code"]]
    ax.barh(names, munis["rate"], color=colours)
    ax.plot(munis["rate_year_ago"], names, "o", color="#e69f00", markersize=7, markeredgecolor="black")
    pct_axis(ax, lang, axis="x")
    ax.set_xlabel(tx("col_rate", lang))
    month = month_name(str(munis["month"].iloc[0]), lang)
    counts = municipality_counts_shown(facts, lang)
    data = pd.DataFrame({
        tx("col_municipality", lang): names[::-1],
        tx("col_rate", lang): [fmt_pct(v, 1, lang) for v in munis["rate"][::-1]],
        tx("col_rate_year_ago", lang): [fmt_pct(v, 1, lang) for v in munis["rate_year_ago"][::-1]],
        tx("col_change_pp", lang): [fmt_pp(v, lang) for v in munis["rate_change_pp"][::-1]],
        tx("col_unemployed", lang): [counts.get(c, SECONDARY_MARK) for c in munis["area_code"][::-1]],
    })
    return html.figure(fig, tx("municipality_chart_alt", lang, month=month),
                       tx("municipality_chart_caption", lang, month=month), data, lang)


def forecast_sentence(facts: ReviewFacts, lang: str) -> str:
    """One sentence: the forecast six months ahead with its 80 % band, the outcome where known, and
    how close earlier forecasts came."""
    fc = facts.forecast
    if fc is None:
        return ""
    ahead = fc[fc["kind"] == "forecast"]
    if len(ahead) < FORECAST_H:
        return ""
    row = ahead.iloc[FORECAST_H - 1]
    parts = [tx("forecast_point", lang, month=month_genitive(row["month"], lang), n=fmt_int(round(row["value"], -1), lang),
                lo=fmt_int(round(row["lo80"], -1), lang), hi=fmt_int(round(row["hi80"], -1), lang))]
    if not math.isnan(row["actual"]):
        inside = row["lo80"] <= row["actual"] <= row["hi80"]
        parts.append(tx("forecast_outcome_in" if inside else "forecast_outcome_out", lang, n=fmt_int(row["actual"], lang)))
    acc = facts.accuracy
    if acc is not None and not math.isnan(acc.median_abs_error):
        parts.append(tx("forecast_accuracy", lang, n=fmt_int(acc.median_abs_error, lang)))
    return " ".join(parts)


def forecast_figure(facts: ReviewFacts, lang: str) -> html.HTML | None:
    """The area's unemployed: the last two years, the forecast made at the period with its 80 % band,
    and the outcome of the forecast months the data already holds."""
    from analysis.present.figures import int_axis, new_figure

    fc = facts.forecast
    if fc is None:
        return None
    hist, ahead = fc[fc["kind"] == "history"], fc[fc["kind"] == "forecast"]
    fig, ax = new_figure(8, 3.6)
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
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%-m/%Y"))  # "7/2023": no ISO dates for readers
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    data = pd.DataFrame({
        tx("forecast_col_month", lang): [month_name(m, lang) for m in ahead["month"]],
        tx("forecast_point_label", lang): [fmt_int(v, lang) for v in ahead["value"]],
        tx("forecast_band", lang): [f"{fmt_int(lo, lang)}–{fmt_int(hi, lang)}" for lo, hi in zip(ahead["lo80"], ahead["hi80"])],
        tx("forecast_actual", lang): [fmt_int(v, lang) for v in ahead["actual"]],
    })
    origin = month_name(hist["month"].iloc[-1], lang)
    return html.figure(fig, tx("forecast_alt", lang, month=origin), tx("forecast_caption", lang, month=origin), data, lang)


def municipality_page_slug(code: str) -> str:
    """The file name of a member municipality's one-page summary."""
    return f"kunta-{code.lower()}.html"


def toc_block(facts: ReviewFacts, lang: str) -> html.HTML:
    items = [("story", "toc_story"), ("plan", "toc_plan"), ("groups", "toc_groups"),
             ("municipalities", "toc_municipalities"), ("occupations", "toc_occupations")]
    links = [(f"#{a}", tx(k, lang)) for a, k in items] + [("appendix.html", tx("toc_appendix", lang))]
    return html.macro("review_page.html.j2", "toc", label=tx("toc_heading", lang), links=links)


def main_blocks(facts: ReviewFacts, lang: str) -> list[html.HTML]:
    """Every block of the main page, in reading order: the first screen (headline, story, the plan
    box beside it, the standard groups' tiles), then the contents, municipalities, occupations."""
    scope = facts.scope
    first = html.macro("review_page.html.j2", "first_screen", headline=headline(facts, lang), story=story(facts, lang),
                       plan=plan_block(facts, lang))
    blocks = [first, html.heading(tx("groups_heading", lang), 2, "groups"), tiles_block(facts, lang)]
    notes = [*area_lines(facts, lang), no_comparison_line(facts, lang), missing_line(facts, lang),
             *ends_earlier_lines(facts, lang)]
    for note in filter(None, notes):
        blocks.append(html.paragraph(note, "note-missing"))
    blocks.append(toc_block(facts, lang))
    blocks.append(html.heading(tx("municipalities_heading", lang), 2, "municipalities"))
    for s in _municipality_sentences(facts, lang):
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
    forecast_text = forecast_sentence(facts, lang)
    if forecast_text:
        blocks.append(html.heading(tx("forecast_heading", lang), 3, "forecast"))
        blocks.append(html.paragraph(forecast_text))
        fig = forecast_figure(facts, lang)
        if fig is not None:
            blocks.append(fig)
    blocks.append(html.link("appendix.html", tx("appendix_link", lang), "screen-only"))
    u = _group(facts, "unemployed")
    last = u["month"] if isinstance(u["month"], str) else scope.last_month
    blocks.append(html.paragraph(tx("source_line", lang, month=month_name(last, lang)), "source-line"))
    return blocks


def municipality_blocks(facts: ReviewFacts, code: str, lang: str) -> list[html.HTML]:
    """A member municipality's one-page summary (its council reads only its own)."""
    scope = facts.scope
    name = _name_of(code, scope, lang)
    levels = facts.levels.set_index("area_code")
    blocks = [html.paragraph(tx("municipality_intro", lang, name=name, area=scope.area.name(lang)))]
    if code in levels.index and not np.isnan(levels.loc[code, "unemployed"]):
        row = levels.loc[code]
        area_rate = levels.loc[scope.area.slug, "rate"] if scope.area.slug in levels.index else np.nan
        shown = municipality_counts_shown(facts, lang).get(code, SECONDARY_MARK)
        hidden = not shown[:1].isdigit()  # "<5" or "..": no change is shown that would reveal it
        change = SECONDARY_MARK if hidden else (
            _more_less(row["change_year"], lang) if not row["base_unreliable"] else fmt_signed(row["change_year"], 0, lang))
        blocks.append(html.paragraph(tx(
            "municipality_sentence", lang, month_end=month_end(row["month"], lang), n=shown, change=change,
            rate=fmt_pct(row["rate"], 1, lang), pp=fmt_pp(row["rate_change_pp"], lang), area_rate=fmt_pct(area_rate, 1, lang))))
        munis = municipality_rows(facts)
        if code in set(munis["area_code"]):
            rank = int(munis.index[munis["area_code"] == code][0]) + 1
            from_low = len(munis) - rank + 1
            key, place = ("municipality_rank_high", rank) if rank <= from_low else ("municipality_rank_low", from_low)
            words = tx("municipality_top" if place == 1 and key.endswith("high") else
                       "municipality_bottom" if place == 1 else key, lang, count=len(munis), name=name,
                       ordinal=ordinal_rank(place, lang))
            blocks.append(html.paragraph(words))
    fig = municipality_figure(facts, lang, highlight=code)
    if fig is not None:
        blocks.append(fig)
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
