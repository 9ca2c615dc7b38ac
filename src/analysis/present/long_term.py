"""Presentation of long-term unemployment (notebook 20): Finnish/Swedish tables, charts and notices.

With monthly 12r5 ``long_term_unemployed`` in the store: count, share and change by municipality
and for the area, and a 24-month chart. Without it: a plain notice naming the measure and the StatFin
table that publishes it, in words (no command, no content code). THL Sotkanet's 2019 figures are always shown as context with
their year.
"""

from __future__ import annotations

import pandas as pd

from analysis.indicators import long_term
from analysis.names import area_name
from analysis.present import figures, html
from analysis.present import grammar as g
from analysis.present.disclosure import disclose_count
from analysis.present.fmt import MISSING, fmt_pct, is_missing
from analysis.present.structure import change_cell, pct_change_cell
from analysis.present.text import month_name, t
from analysis.schema import StoreError
from analysis.store.scope import Scope

NS = "long_term"


def tx(key: str, lang: str, **values: object) -> str:
    """A text of this module's namespace."""
    return t(f"{NS}.{key}", lang, **values)


def latest_table(frame: pd.DataFrame, scope: Scope, lang: str = "fi") -> pd.DataFrame:
    """Long-term unemployed at one month by area and municipality, formatted with disclosure control."""
    return pd.DataFrame({
        tx("col_area", lang): [area_name(c, scope, lang) for c in frame["area_code"]],
        tx("col_long_term", lang): [disclose_count(v, lang) for v in frame["long_term"]],
        tx("col_share", lang): [fmt_pct(v, 1, lang) for v in frame["share_pct"]],
        tx("col_year_ago", lang): [disclose_count(v, lang) for v in frame["long_term_year_ago"]],
        tx("col_change", lang): [change_cell(a, b, lang) for a, b in zip(frame["long_term"], frame["long_term_year_ago"])],
        tx("col_change_pct", lang): [pct_change_cell(a, b, lang)
                                     for a, b in zip(frame["long_term"], frame["long_term_year_ago"])],
    })


def series_table(frame: pd.DataFrame, lang: str = "fi") -> pd.DataFrame:
    """The area's monthly series, formatted (the chart's numbers)."""
    return pd.DataFrame({
        tx("col_month", lang): [month_name(m, lang) for m in frame["period"]],
        tx("col_long_term", lang): [disclose_count(v, lang) for v in frame["long_term"]],
        tx("col_share", lang): [fmt_pct(v, 1, lang) for v in frame["share_pct"]],
        tx("col_change", lang): [change_cell(a, b, lang) for a, b in zip(frame["long_term"], frame["long_term_year_ago"])],
        tx("col_change_pct", lang): [pct_change_cell(a, b, lang)
                                     for a, b in zip(frame["long_term"], frame["long_term_year_ago"])],
    })


def monthly_blocks(scope: Scope, lang: str = "fi") -> list[html.HTML]:
    """Latest month by municipality and the area's 24-month chart (fetched 12r5 data only)."""
    frame = long_term.monthly(scope)
    month = frame["period"].max()
    latest = frame[frame["period"] == month]
    blocks = [html.heading(tx("key_heading", lang), 3),
              html.table(latest_table(latest, scope, lang), tx("key_caption", lang, month_end=g.month_end(month, lang))),
              html.paragraph(tx("note_small", lang)), html.paragraph(tx("note_unreliable", lang)),
              html.heading(tx("trend_heading", lang), 3)]
    own = frame[frame["level"] == "area"]
    if len(own) < long_term.WINDOW_MONTHS:
        blocks.append(html.paragraph(tx("short_window", lang, months=len(own), until=g.until_month(month, lang))))
    first, last = own["period"].iloc[0], own["period"].iloc[-1]
    fig, ax = figures.phone_figure(3.0)
    x = pd.PeriodIndex(own["period"], freq="M").to_timestamp()
    ax.plot(x, own["long_term"], linestyle="-", marker="o", markersize=4, color=figures.PALETTE[0])
    figures.few_ticks(ax, "y", 5)
    figures.int_axis(ax, lang)
    figures.month_axis(ax)
    ax.set_ylabel(tx("trend_ylabel", lang))
    ax.set_ylim(bottom=0)
    span = g.month_span(first, last, lang)
    caption = tx("trend_caption", lang, area=scope.area.name(lang), span=span)
    end = own.iloc[-1]
    alt = tx("trend_alt", lang, area=scope.area.name(lang), span=span, when=g.sentence(g.month_end(last, lang)),
             value=disclose_count(end["long_term"], lang),
             change=change_cell(end["long_term"], end["long_term_year_ago"], lang),
             change_pct=pct_change_cell(end["long_term"], end["long_term_year_ago"], lang))
    figures.fit(fig)
    blocks.append(html.figure(fig, alt, caption, series_table(own, lang), lang))
    blocks.append(html.paragraph(tx("source_12r5", lang)))
    return blocks


def context_table(ctx: pd.DataFrame, scope: Scope, lang: str = "fi") -> pd.DataFrame:
    """Sotkanet figures by municipality, formatted; a missing value reads "–"."""
    return pd.DataFrame({
        tx("col_area", lang): [area_name(c, scope, lang) for c in ctx["area_code"]],
        tx("col_lt_pct", lang): [fmt_pct(v, 1, lang) for v in ctx["long_term_pct_of_labour_force"]],
        tx("col_lt_count", lang): [disclose_count(v, lang) for v in ctx["long_term_annual_mean"]],
        tx("col_lt_share", lang): [fmt_pct(v, 1, lang) for v in ctx["long_term_share_pct"]],
        tx("col_rate", lang): [fmt_pct(v, 1, lang) for v in ctx["unemployment_rate_pct"]],
        tx("col_unemployed", lang): [disclose_count(v, lang) for v in ctx["unemployed_annual_mean"]],
    })


def context_blocks(scope: Scope, lang: str = "fi") -> list[html.HTML]:
    """THL Sotkanet context (2019) by municipality: table and bar chart, missing shown as missing."""
    try:
        ctx = long_term.sotkanet_context(scope)
    except StoreError:
        return []
    blocks = []
    for year, part in ctx.groupby("year", sort=True):
        part = part.reset_index(drop=True)
        names = [area_name(c, scope, lang) for c in part["area_code"]]
        missing = [n for n, v in zip(names, part["long_term_pct_of_labour_force"]) if is_missing(v)]
        blocks += [html.heading(tx("context_heading", lang, year=year), 3),
                   html.paragraph(tx("context_text", lang, year=year))]
        if missing:
            blocks.append(html.notice(tx("context_missing_note", lang, names=", ".join(missing), year=year),
                                      "missing", lang))
        fig, ax = figures.phone_figure(figures.bars_height(len(names)))
        values = part["long_term_pct_of_labour_force"]
        bars = ax.barh(names, values.fillna(0), color=figures.PALETTE[0])
        labels = [tx("context_missing_label", lang) if is_missing(v) else fmt_pct(v, 1, lang) for v in values]
        figures.bar_values(ax, bars, labels, italic=[is_missing(v) for v in values])
        ax.invert_yaxis()
        ax.margins(y=0.02)
        figures.few_ticks(ax, "x", 4)
        figures.pct_axis(ax, lang, axis="x", decimals=1)
        ax.set_xlabel(tx("context_xlabel", lang))
        caption = tx("context_caption", lang, year=year)
        top = part.loc[values.idxmax()] if values.notna().any() else None
        top_name = area_name(top["area_code"], scope, lang) if top is not None else MISSING
        top_value = fmt_pct(top["long_term_pct_of_labour_force"], 1, lang) if top is not None else MISSING
        alt = (tx("context_alt", lang, year=year, top=top_name, top_value=top_value, missing_names=", ".join(missing))
               if missing else tx("context_alt_none", lang, year=year, top=top_name, top_value=top_value))
        figures.fit(fig)
        blocks.append(html.figure(fig, alt, caption, context_table(part, scope, lang), lang))
    blocks.append(html.paragraph(tx("source_sotkanet", lang)))
    return blocks


def long_term_blocks(scope: Scope, lang: str = "fi") -> list[html.HTML]:
    """Every block of the long-term unemployment section, in reading order."""
    blocks = [html.heading(tx("title", lang), 2), html.paragraph(tx("intro", lang, area=scope.area.name(lang)))]
    if long_term.is_available(scope):
        blocks += monthly_blocks(scope, lang)
    else:
        blocks.append(html.notice(tx("missing", lang), "missing", lang))
    return blocks + context_blocks(scope, lang)
