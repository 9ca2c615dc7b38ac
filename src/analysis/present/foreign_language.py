"""Presentation of foreign-language speakers' unemployment and employment (notebook 30).

Finnish/Swedish tables, charts and notices built from ``indicators.foreign_language``.
Counts 1–4 are shown as "<5"; a rate on a labour force under 50 is flagged with "*", and a
rate whose count is 1–4 is not shown (it would reveal the count).
"""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.axes import Axes

from analysis.indicators import foreign_language as fl
from analysis.names import area_name
from analysis.present import grammar, html
from analysis.present.disclosure import disclose_count, is_small
from analysis.present.figures import (
    LINESTYLES,
    MARKERS,
    PALETTE,
    SMALLEST_TEXT,
    few_ticks,
    fit,
    int_axis,
    legend_below,
    pct_axis,
    phone_figure,
    spread,
)
from analysis.present.fmt import MISSING, fmt_pct, fmt_pp, fmt_signed
from analysis.present.text import MissingText, month_name, period_words, t
from analysis.store.scope import Scope

NS = "foreign_language"


def _t(key: str, lang: str, **values: object) -> str:
    return t(f"{NS}.{key}", lang, **values)


def area_label(code: str, scope: Scope, lang: str = "fi") -> str:
    """Reader's name of an area code (municipality, region, the employment area) in ``lang``."""
    return area_name(code, scope, lang)


def language_label(code: str, lang: str = "fi") -> str:
    """Reader's name of a StatFin language code (02, fi, sv …)."""
    try:
        return _t(f"lang_{code}", lang)
    except MissingText:
        return code


def _rate_text(rate: float, count: float, unreliable: bool, lang: str) -> str:
    if is_small(count):
        return MISSING
    text = fmt_pct(rate, 1, lang)
    return f"{text} *" if unreliable and text != MISSING else text


# --- definitions -------------------------------------------------------------------------------


def definitions_blocks(lang: str = "fi") -> list[html.HTML]:
    """The three groups that must never be mixed, each with its definition."""
    return [
        html.heading(_t("definitions_heading", lang), 3),
        html.bullets([_t("def_foreign_language", lang), _t("def_foreign_nationals", lang),
                      _t("def_foreign_background", lang)]),
    ]


# --- 159t share ---------------------------------------------------------------------------------


def share_table(scope: Scope, lang: str = "fi") -> pd.DataFrame:
    """Municipalities × years of the published share (%), with the latest one-year change (pp)."""
    shares = fl.municipal_share(scope)
    overview = fl.share_overview(scope)
    wide = shares.pivot(index="area_code", columns="period", values="value")
    wide = wide.reindex([c for c in scope.members if c in wide.index])
    years = list(wide.columns)
    out = pd.DataFrame({_t("col_municipality", lang): [area_label(c, scope, lang) for c in wide.index]})
    for year in years:
        out[str(year)] = [fmt_pct(v, 1, lang) for v in wide[year]]
    if len(years) >= 2:
        change = overview.set_index("area_code").reindex(wide.index)["change_pp"]
        out[_t("col_change_pp", lang, prev=years[-2], last=years[-1])] = [fmt_pp(v, lang) for v in change]
    return out


def _end_names(ax: Axes, ends: list[tuple[str, float, dict]]) -> None:
    """Each line's name right of the axes at its last value, with a sample of the line (colour, dash and
    marker), moved apart where values are close so no two names overlap (a legend instead of names)."""
    low, high = ax.get_ylim()
    inches = ax.get_position().height * ax.figure.get_size_inches()[1]
    gap = (SMALLEST_TEXT + 2) / 72 * (high - low) / inches
    at = spread([value for _name, value, _style in ends], gap, low + gap / 2, high)
    beside = ax.get_yaxis_transform()  # x in axes units, y in data units
    for (name, _value, style), y in zip(ends, at):
        ax.plot([1.03, 1.13], [y, y], transform=beside, clip_on=False, markevery=[1], markersize=5, **style)
        ax.text(1.16, y, name, transform=beside, va="center", fontsize=SMALLEST_TEXT)


def share_figure(scope: Scope, lang: str = "fi") -> html.HTML:
    """Line chart of each municipality's share over the years, with alt text and its numbers."""
    shares = fl.municipal_share(scope)
    codes = [c for c in scope.members if c in set(shares["area_code"])]
    fig, ax = phone_figure(max(3.6, 0.24 * len(codes) + 1.2))
    years = sorted(shares["period"].unique())
    ends = []
    for i, code in enumerate(codes):
        part = shares[shares["area_code"] == code].sort_values("period")
        style = {"color": PALETTE[i % len(PALETTE)], "linestyle": LINESTYLES[i % len(LINESTYLES)],
                 "marker": MARKERS[i % len(MARKERS)]}
        ax.plot(part["period"], part["value"], **style)
        last = part.dropna(subset=["value"]).iloc[-1]
        ends.append((area_label(code, scope, lang), float(last["value"]), style))
    few_ticks(ax, "y", 5, integer=True)
    pct_axis(ax, lang, decimals=0)
    ax.set_ylim(bottom=0)
    ax.set_xlim(-0.15, len(years) - 0.85)  # the years are categories at 0, 1, …
    ax.set_xlabel("")
    _end_names(ax, ends)
    latest = shares[shares["period"] == years[-1]].dropna(subset=["value"])
    hi = latest.loc[latest["value"].idxmax()]
    lo = latest.loc[latest["value"].idxmin()]
    values = {"n": latest["area_code"].nunique(), "first": years[0], "last": years[-1],
              "max_value": fmt_pct(hi["value"], 1, lang), "min_value": fmt_pct(lo["value"], 1, lang)}
    max_where, min_where = grammar.in_place(hi["area_code"], lang), grammar.in_place(lo["area_code"], lang)
    if max_where and min_where:  # "suurin Halsualla" / "störst i Halsua", never "suurin kunnassa Halsua"
        alt = _t("share_chart_alt", lang, max_area=max_where, min_area=min_where, **values)
    else:
        alt = _t("share_chart_alt_nominative", lang, max_area=area_label(hi["area_code"], scope, lang),
                 min_area=area_label(lo["area_code"], scope, lang), **values)
    caption = _t("share_chart_caption", lang, first=years[0], last=years[-1])
    fit(fig)
    return html.figure(fig, alt, caption, share_table(scope, lang), lang)


def share_blocks(scope: Scope, lang: str = "fi") -> list[html.HTML]:
    """The 159t share: definition, table, chart and caveats (no area share is formed)."""
    shares = fl.municipal_share(scope)
    if shares.empty:
        return []
    years = sorted(shares["period"].unique())
    return [
        html.heading(_t("share_heading", lang), 3),
        html.paragraph(_t("share_definition", lang)),
        html.table(share_table(scope, lang),
                   _t("share_table_caption", lang, first=years[0], last=years[-1])),
        share_figure(scope, lang),
        html.notice(_t("share_caveat_no_area", lang), "caveat", lang),
        html.paragraph(_t("share_caveat_small", lang)),
    ]


# --- population by language (fetched) ------------------------------------------------------------


def population_table(scope: Scope, lang: str = "fi") -> pd.DataFrame:
    """Latest year: foreign-language, Finnish and Swedish population and share, by area."""
    pop = fl.population_by_language(scope)
    year = pop["period"].max()
    pop = pop[(pop["period"] == year) & pop["language"].isin(fl.GROUPS)]
    order = [scope.area.slug, *scope.members, scope.region]
    rows = []
    for code in [c for c in dict.fromkeys(order) if c in set(pop["area_code"])]:
        rec: dict[str, str] = {_t("col_area", lang): area_label(code, scope, lang)}
        for g in fl.GROUPS:
            part = pop[(pop["area_code"] == code) & (pop["language"] == g)]
            value = part["population"].iloc[0] if len(part) else math.nan
            share = part["share_pct"].iloc[0] if len(part) else math.nan
            rec[f"{language_label(g, lang)}: {_t('col_population', lang)}"] = disclose_count(value, lang)
            rec[f"{language_label(g, lang)}: {_t('col_share_pct', lang)}"] = (
                MISSING if is_small(value) else fmt_pct(share, 1, lang))
        rows.append(rec)
    return pd.DataFrame(rows)


def population_blocks(scope: Scope, lang: str = "fi") -> list[html.HTML]:
    """Population by language (11rm/11rl) when fetched; otherwise what is missing and how to load it."""
    blocks = [html.heading(_t("pop_heading", lang), 3)]
    if not fl.availability(scope)["population_by_language"]:
        return blocks + [html.notice(_t("pop_missing", lang), "missing", lang)]
    year = fl.population_by_language(scope)["period"].max()
    return blocks + [html.table(population_table(scope, lang), _t("pop_table_caption", lang, year=year))]


# --- unemployment by language (fetched) ----------------------------------------------------------


def unemployment_summary_table(scope: Scope, lang: str = "fi") -> pd.DataFrame:
    """The area's language groups at the reference month: count, share, rate and year-on-year change."""
    summary = fl.language_summary(scope)
    return pd.DataFrame({
        _t("col_language", lang): [language_label(g, lang) for g in summary["language"]],
        _t("col_unemployed", lang): [disclose_count(v, lang) for v in summary["unemployed"]],
        _t("col_share_of_unemployed", lang): [
            MISSING if is_small(c) else fmt_pct(v, 1, lang)
            for v, c in zip(summary["share_of_unemployed_pct"], summary["unemployed"])],
        _t("col_labour_force", lang): [disclose_count(v, lang) for v in summary["labour_force"]],
        _t("col_rate", lang): [_rate_text(r, c, u, lang) for r, c, u in zip(
            summary["unemployment_rate_pct"], summary["unemployed"], summary["rate_unreliable"])],
        _t("col_year_ago", lang): [disclose_count(v, lang) for v in summary["unemployed_year_ago"]],
        _t("col_change", lang): [
            MISSING if is_small(c) or is_small(o) else fmt_signed(v, 0, lang)
            for v, c, o in zip(summary["change"], summary["unemployed"], summary["unemployed_year_ago"])],
        _t("col_rate_change", lang): [
            MISSING if is_small(c) else fmt_pp(v, lang)
            for v, c in zip(summary["rate_change_pp"], summary["unemployed"])],
    })


def unemployment_municipal_table(scope: Scope, month: str, lang: str = "fi") -> pd.DataFrame:
    """Foreign-language unemployed, share and rate in each member municipality at ``month``."""
    series = fl.unemployment_by_language(scope)
    part = series[(series["period"] == month) & (series["language"] == fl.GROUPS[0])
                  & (series["area_code"] != scope.area.slug)]
    return pd.DataFrame({
        _t("col_municipality", lang): [area_label(c, scope, lang) for c in part["area_code"]],
        _t("col_unemployed", lang): [disclose_count(v, lang) for v in part["unemployed"]],
        _t("col_share_of_unemployed", lang): [
            MISSING if is_small(c) else fmt_pct(v, 1, lang)
            for v, c in zip(part["share_of_unemployed_pct"], part["unemployed"])],
        _t("col_rate", lang): [_rate_text(r, c, u, lang) for r, c, u in zip(
            part["unemployment_rate_pct"], part["unemployed"], part["rate_unreliable"])],
    })


def unemployment_figure(scope: Scope, lang: str = "fi") -> html.HTML:
    """Monthly unemployment rate by language group for the area (or the foreign-language count
    when no labour force by language is held), with alt text and numbers."""
    series = fl.unemployment_by_language(scope)
    series = series[series["area_code"] == scope.area.slug].sort_values("period")
    months = sorted(series["period"].unique())
    first, last = months[0], months[-1]
    area_title = scope.area.name(lang)
    span, when = grammar.month_span(first, last, lang), grammar.sentence(grammar.in_month(last, lang))
    fig, ax = phone_figure(3.6)
    use_rate = series["unemployment_rate_pct"].notna().any()
    table = pd.DataFrame({_t("col_month", lang): [month_name(m, lang) for m in months]})
    if use_rate:
        for i, g in enumerate(fl.GROUPS):
            part = series[series["language"] == g].set_index("period").reindex(months)
            masked = part["unemployment_rate_pct"].where(~part["unemployed"].map(is_small))
            ax.plot(months, masked, label=language_label(g, lang), color=PALETTE[i],
                    linestyle=LINESTYLES[i], marker=MARKERS[i], markersize=3)
            table[language_label(g, lang)] = [
                _rate_text(r, c, u, lang) for r, c, u in zip(
                    part["unemployment_rate_pct"], part["unemployed"], part["rate_unreliable"].fillna(True))]
        pct_axis(ax, lang)
        foreign_last = table[language_label(fl.GROUPS[0], lang)].iloc[-1]
        alt = _t("unemp_chart_alt", lang, area=area_title, span=span, when=when, foreign=foreign_last)
        caption = _t("unemp_chart_caption", lang, area=area_title, span=span)
    else:
        part = series[series["language"] == fl.GROUPS[0]].set_index("period").reindex(months)
        ax.plot(months, part["unemployed"].where(~part["unemployed"].map(is_small)),
                label=language_label(fl.GROUPS[0], lang), color=PALETTE[0], marker=MARKERS[0], markersize=3)
        int_axis(ax, lang)
        table[language_label(fl.GROUPS[0], lang)] = [disclose_count(v, lang) for v in part["unemployed"]]
        alt = _t("unemp_count_chart_alt", lang, area=area_title, span=span,
                 last_value=table[language_label(fl.GROUPS[0], lang)].iloc[-1])
        caption = _t("unemp_count_chart_caption", lang, area=area_title, span=span)
    step = max(1, -(-len(months) // 4))  # four or five labels: a phone's width
    ticks = months[::-1][::step][::-1]  # the last month always named
    ax.set_xticks(ticks, [f"{int(m[5:])}/{m[:4]}" for m in ticks])  # "9/2023", not "2023-09"
    few_ticks(ax, "y", 5)
    ax.set_ylim(bottom=0)
    legend_below(ax, gap=0.1)
    fit(fig)
    return html.figure(fig, alt, caption, table, lang)


def unemployment_blocks(scope: Scope,
                        lang: str = "fi") -> list[html.HTML]:
    """Unemployed jobseekers by language when held; otherwise what is missing and how to load it."""
    blocks = [html.heading(_t("unemp_heading", lang), 3)]
    summary = fl.language_summary(scope)
    if summary.empty:
        return blocks + [html.notice(_t("unemp_missing", lang), "missing", lang)]
    month = summary["month"].iloc[0]
    month_end = grammar.month_end(month, lang)
    blocks += [
        html.paragraph(_t("unemp_intro", lang, month_end=month_end)),
        html.table(unemployment_summary_table(scope, lang),
                   _t("unemp_table_caption", lang, area=scope.area.name(lang), month_end=month_end)),
        html.paragraph(f"{_t('rate_flag', lang)} {_t('rate_suppressed', lang)}"),
        unemployment_figure(scope, lang),
    ]
    if len(scope.members) > 1:
        blocks.append(html.table(unemployment_municipal_table(scope, month, lang),
                                 _t("unemp_muni_caption", lang, month_end=month_end)))
    return blocks


# --- employment rate by language (fetched) -------------------------------------------------------


def employment_table(scope: Scope, lang: str = "fi") -> pd.DataFrame:
    """Latest year's employment rate (%) by language for members and region, age band shown."""
    emp = fl.employment_rate_by_language(scope)
    year = emp["period"].max()
    emp = emp[(emp["period"] == year) & emp["language"].isin(fl.GROUPS)]
    order = [*scope.members, scope.region]
    rows = []
    for code in [c for c in dict.fromkeys(order) if c in set(emp["area_code"])]:
        part = emp[emp["area_code"] == code]
        rec = {_t("col_area", lang): area_label(code, scope, lang),
               _t("col_age_group", lang): ", ".join(sorted(part["age_group"].unique()))}
        for g in fl.GROUPS:
            value = part.loc[part["language"] == g, "value"]
            rec[language_label(g, lang)] = fmt_pct(value.iloc[0] if len(value) else math.nan, 1, lang)
        rows.append(rec)
    return pd.DataFrame(rows)


def employment_blocks(scope: Scope, lang: str = "fi") -> list[html.HTML]:
    """Employment rate by language when held; otherwise what is missing and how to load it."""
    blocks = [html.heading(_t("emp_heading", lang), 3)]
    emp = fl.employment_rate_by_language(scope)
    if emp.empty or not emp["value"].notna().any():
        return blocks + [html.notice(_t("emp_missing", lang), "missing", lang)]
    return blocks + [
        html.paragraph(_t("emp_intro", lang)),
        html.table(employment_table(scope, lang), _t("emp_table_caption", lang, year=emp["period"].max())),
    ]


# --- foreign nationals (12r5 TYOTTOMATULK) ------------------------------------------------------


def nationals_table(scope: Scope, lang: str = "fi") -> tuple[pd.DataFrame, str | None]:
    """Foreign nationals unemployed at the reference month and a year earlier, by area."""
    nat = fl.foreign_nationals(scope)
    month = scope.pick_month(nat["period"].unique())
    if month is None:
        return pd.DataFrame(), None
    ago = scope.year_ago(month)
    rows = []
    for code in dict.fromkeys([scope.area.slug, *scope.members]):
        cur = nat[(nat["area_code"] == code) & (nat["period"] == month)]["value"]
        old = nat[(nat["area_code"] == code) & (nat["period"] == ago)]["value"]
        cur_v = cur.iloc[0] if len(cur) else math.nan
        old_v = old.iloc[0] if len(old) else math.nan
        rows.append({_t("col_area", lang): area_label(code, scope, lang),
                     month_name(month, lang): disclose_count(cur_v, lang), month_name(ago, lang): disclose_count(old_v, lang)})
    return pd.DataFrame(rows), month


def nationals_blocks(scope: Scope,
                     lang: str = "fi") -> list[html.HTML]:
    """Foreign nationals, separately from foreign-language speakers, with their own definition."""
    blocks = [html.heading(_t("nationals_heading", lang), 3), html.paragraph(_t("def_foreign_nationals", lang))]
    table, month = nationals_table(scope, lang)
    if month is None:
        return blocks + [html.notice(_t("nationals_missing", lang), "missing", lang)]
    return blocks + [html.table(table, _t("nationals_table_caption", lang, month_end=grammar.month_end(month, lang)))]


# --- whole section and front page ----------------------------------------------------------------


def section_blocks(scope: Scope, lang: str = "fi") -> list[html.HTML]:
    """All blocks of the foreign-language section (notebook 30), in reading order."""
    return [
        html.heading(_t("title", lang), 2),
        html.paragraph(_t("intro", lang, area=scope.area.name(lang), period=period_words(scope.period.code, lang))),
        *definitions_blocks(lang),
        *share_blocks(scope, lang),
        *unemployment_blocks(scope, lang),
        *employment_blocks(scope, lang),
        *population_blocks(scope, lang),
        *nationals_blocks(scope, lang),
        html.paragraph(_t("source_note", lang)),
    ]





