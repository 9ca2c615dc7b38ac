"""Each member municipality's one-page summary (its council reads only its own): its sentences, two years of
its unemployed (or of its published rate where the counts lack months), its standard groups in a table with
disclosure control, the area's municipalities in a chart with its own bar darker, and its plan metrics.
Also what the main page takes from the municipalities side by side: those that get a page and the pages'
file names, the members sorted by rate, their counts as published, and the sorted chart.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis import config
from analysis.indicators.review import SMALL_MUNICIPALITY, ReviewFacts
from analysis.names import area_name
from analysis.present import grammar as g
from analysis.present import html
from analysis.present.disclosure import SECONDARY_MARK, disclose_parts_and_total
from analysis.present.disclosure import disclose_count as mask_count
from analysis.present.fmt import MISSING, fmt_pct, fmt_pp, fmt_signed
from analysis.present.review_words import (
    country_row,
    group_row,
    known_place,
    locative,
    month_end,
    ordinal_rank,
    tx,
    vacancy_group,
)
from analysis.present.text import month_name, period_words
from analysis.store.scope import Scope

# --------------------------------------------------------------------------- the member municipalities side by side


def municipality_codes(facts: ReviewFacts) -> list[str]:
    """Member municipalities that get a page: those the data holds (none for a one-code area)."""
    if len(facts.scope.members) < 2 and not facts.scope.members[0].startswith("MK"):
        return []
    held = set(facts.levels.loc[facts.levels["level"] == "municipality", "area_code"])
    return [m for m in facts.scope.municipalities if m in held]


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


def municipality_figure(facts: ReviewFacts, lang: str, highlight: str | None = None) -> html.HTML | None:
    """Sorted horizontal bars of the municipalities' rates, a dot for the rate a year earlier
    (``highlight``: the municipality whose page it is, in a darker colour)."""
    from analysis.present.figures import PHONE_CHART_WIDTH, new_figure, pct_axis

    munis = municipality_rows(facts).iloc[::-1]
    if munis.empty:
        return None
    scope = facts.scope
    names = [area_name(c, scope, lang) for c in munis["area_code"]]
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
             high_name=area_name(top["area_code"], scope, lang), high=fmt_pct(top["rate"], 1, lang),
             low_name=area_name(bottom["area_code"], scope, lang), low=fmt_pct(bottom["rate"], 1, lang))
    return html.figure(fig, alt, tx(f"municipality_chart_caption{suffix}", lang, month=month), data, lang)


# --------------------------------------------------------------------------- one municipality's page


def municipality_sentences(facts: ReviewFacts, code: str, lang: str) -> list[str]:
    """A member municipality's sentences: its unemployed and their change from a year earlier and from the
    month before, its rate beside the area's and the country's, its rank, and the small-numbers caution."""
    scope = facts.scope
    name = area_name(code, scope, lang)
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
    country = country_row(facts)
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
            where = locative(code, lang)
            out.append(tx(key, lang, count=len(munis), place=where) if where else
                       tx(f"{key}_nominative", lang, count=len(munis), name=name))
        else:
            key, place = ("municipality_rank_high", rank) if rank <= from_low else ("municipality_rank_low", from_low)
            out.append(tx(key, lang, count=len(munis), name=name, ordinal=ordinal_rank(place, lang)))
    if row["unemployed"] < SMALL_MUNICIPALITY:
        out.append(tx("municipality_small", lang, limit=SMALL_MUNICIPALITY))
    return out


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
    name = area_name(code, facts.scope, lang)
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
    where = g.in_place(code, lang) if known_place(code) else None
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
    name = area_name(code, facts.scope, lang)
    where = g.in_place(code, lang) if known_place(code) else None
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
        area, texts = group_row(facts, key), {}
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
    compared = any(c[1] != MISSING for c in cells) or any(not pd.isna(group_row(facts, k)["year_ago"]) for k in keys)
    if compared:  # without a month a year earlier for the area the main page says so once
        table[month_name(first["year_ago_month"], lang)] = [c[1] for c in cells]
        table[tx("col_change_year", lang)] = [c[2] for c in cells]
    caption = tx("groups_caption_compared" if compared else "groups_caption", lang,
                 name=area_name(code, facts.scope, lang), month=month_name(first["month"], lang))
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
    name = area_name(code, scope, lang)
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
    blocks.append(html.link(config.REVIEW_FILE, tx("back_to_review", lang)))
    return blocks


def municipality_pages(facts: ReviewFacts, lang: str) -> list:
    """Every member municipality's one-page summary, each between its page markers, in code order."""
    blocks: list = []
    for code in municipality_codes(facts):
        blocks += [page_start(facts, code, lang), *municipality_blocks(facts, code, lang), page_end()]
    return blocks


def page_start(facts: ReviewFacts, code: str, lang: str) -> html.HTML:
    """Opens a municipality page in the notebook's output; the runner renders each as its own file."""
    title = tx("municipality_title", lang, name=area_name(code, facts.scope, lang),
               period=period_words(facts.scope.period.code, lang))
    return html.macro("review_page.html.j2", "page_start", file_name=config.municipality_page_file(code), title=title)


def page_end() -> html.HTML:
    """Closes a municipality page opened by :func:`page_start`."""
    return html.macro("review_page.html.j2", "page_end")
