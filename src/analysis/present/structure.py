"""Presentation of the unemployment structure (notebook 10): Finnish/Swedish tables and charts.

Numbers come from :mod:`analysis.indicators.structure`; this module only labels, formats,
applies disclosure control and draws. Counts 1–4 are shown "<5"; a change is not shown ("..")
when either of its counts is 1–4; a % change on a base under 20 persons is marked "*".
"""

from __future__ import annotations

import pandas as pd

from analysis.indicators import structure
from analysis.names import area_name, finnish_only, group_names, occupation_names
from analysis.present import figures, html
from analysis.present import grammar as g
from analysis.present.disclosure import disclose_count, is_small, unreliable_change
from analysis.present.fmt import (
    MISSING,
    fmt_dec,
    fmt_int,
    fmt_pct,
    fmt_pct_change,
    fmt_pp,
    fmt_signed,
    is_missing,
)
from analysis.present.text import data_source_label, month_name, t
from analysis.schema import StoreError
from analysis.store.scope import Scope

NS = "structure"


def tx(key: str, lang: str, **values: object) -> str:
    """A text of this module's namespace."""
    return t(f"{NS}.{key}", lang, **values)


# --------------------------------------------------------------------------- labels and formats


def change_cell(new: float, base: float, lang: str) -> str:
    """A change in persons, or ".." when either count is 1–4 (the change would reveal it)."""
    if is_missing(new) or is_missing(base):
        return MISSING
    if is_small(new) or is_small(base):
        return tx("suppressed", lang)
    return fmt_signed(new - base, 0, lang)


def pct_change_cell(new: float, base: float, lang: str) -> str:
    """A % change with one decimal, ".." when a count is 1–4, "*" when the base is under 20."""
    if is_missing(new) or is_missing(base) or base == 0:
        return MISSING
    if is_small(new) or is_small(base):
        return tx("suppressed", lang)
    text = fmt_pct_change(structure.pct_change(new, base), 1, lang)
    return text + (" " + tx("unreliable_mark", lang) if unreliable_change(base) else "")


def occupation_label(code: str, names: dict[str, str], lang: str) -> str:
    """"code name" for an occupation or group (``names`` in the page's language); the code alone when
    no verified name exists."""
    name = names.get(code, "")
    return f"{code} {name}{tx('names_fi_only', lang)}" if name else code


# --------------------------------------------------------------------------- tables


def key_table(scope: Scope, lang: str = "fi") -> pd.DataFrame:
    """The area's key figures, formatted (unemployed, rate, vacancies; level and change in a year)."""
    kf = structure.key_figures(scope)
    rows = []
    for rec in kf.itertuples(index=False):
        if rec.unit == "pct":
            value, before, change, change_pct = (fmt_pct(rec.value, 1, lang), fmt_pct(rec.value_year_ago, 1, lang),
                                                 fmt_pp(rec.change, lang), MISSING)
        else:
            value, before = disclose_count(rec.value, lang), disclose_count(rec.value_year_ago, lang)
            change = change_cell(rec.value, rec.value_year_ago, lang)
            change_pct = pct_change_cell(rec.value, rec.value_year_ago, lang)
        rows.append({
            tx("key_indicator", lang): tx(f"ind_{rec.indicator}", lang),
            tx("key_month", lang): month_name(rec.month, lang),
            tx("key_value", lang): value,
            tx("key_year_ago", lang): before,
            tx("key_change", lang): change,
            tx("key_change_pct", lang): change_pct,
        })
    return pd.DataFrame(rows)


def levels_table(scope: Scope, lang: str = "fi") -> pd.DataFrame:
    """Unemployed and rate for the area, municipalities, subregions, region and country, formatted."""
    lv = structure.level_table(scope)
    return pd.DataFrame({
        tx("col_area", lang): [area_name(c, scope, lang) for c in lv["area_code"]],
        tx("col_level", lang): [tx(f"level_{v}", lang) for v in lv["level"]],
        tx("col_unemployed", lang): [disclose_count(v, lang) for v in lv["unemployed"]],
        tx("col_change_year", lang): [change_cell(a, b, lang) for a, b in zip(lv["unemployed"], lv["unemployed_year_ago"])],
        tx("col_change_year_pct", lang): [pct_change_cell(a, b, lang)
                                          for a, b in zip(lv["unemployed"], lv["unemployed_year_ago"])],
        tx("col_change_month", lang): [change_cell(a, b, lang)
                                       for a, b in zip(lv["unemployed"], lv["unemployed_month_ago"])],
        tx("col_labour_force", lang): [fmt_int(v, lang) for v in lv["labour_force"]],
        tx("col_rate", lang): [fmt_pct(v, 1, lang) for v in lv["rate"]],
        tx("col_rate_change", lang): [fmt_pp(v, lang) for v in lv["rate_change_pp"]],
        tx("col_quarter_unemployed", lang): [disclose_count(v, lang) for v in lv["quarter_mean_unemployed"]],
        tx("col_quarter_rate", lang): [fmt_pct(v, 1, lang) for v in lv["quarter_mean_rate"]],
    })


def ranking_table(ranking: pd.DataFrame, scope: Scope, lang: str = "fi") -> pd.DataFrame:
    """The region ranking, formatted (the chart's numbers)."""
    return pd.DataFrame({
        tx("col_rank", lang): [fmt_int(v, lang) for v in ranking["rank"]],
        tx("col_region", lang): [area_name(c, scope, lang) for c in ranking["area_code"]],
        tx("col_rate", lang): [fmt_pct(v, 1, lang) for v in ranking["rate"]],
        tx("col_rate_year_ago", lang): [fmt_pct(v, 1, lang) for v in ranking["rate_year_ago"]],
        tx("col_rate_change", lang): [fmt_pp(v, lang) for v in ranking["rate_change_pp"]],
    })


def occupation_table(groups: pd.DataFrame, names: dict[str, str], lang: str = "fi",
                     vacancies: bool = False) -> pd.DataFrame:
    """Occupation groups with the special-classes, remainder and total rows, formatted."""
    labels = []
    for code, kind in zip(groups["group_code"], groups["kind"]):
        labels.append({"special": tx("row_special", lang), "missing": tx("row_missing", lang),
                       "total": tx("row_total", lang)}.get(kind) or occupation_label(code, names, lang))
    out = {tx("col_occupation", lang): labels}
    if not vacancies:
        out[tx("col_unemployed", lang)] = [disclose_count(v, lang) for v in groups["unemployed"]]
        out[tx("col_share", lang)] = [fmt_pct(v, 1, lang) for v in groups["share_pct"]]
        out[tx("col_change_year", lang)] = [change_cell(a, b, lang)
                                            for a, b in zip(groups["unemployed"], groups["unemployed_year_ago"])]
        out[tx("col_change_year_pct", lang)] = [pct_change_cell(a, b, lang)
                                                for a, b in zip(groups["unemployed"], groups["unemployed_year_ago"])]
        out[tx("col_suppressed", lang)] = [fmt_int(v, lang) if k in ("group", "special", "total") else MISSING
                                           for v, k in zip(groups["suppressed_cells"], groups["kind"])]
    else:
        out[tx("col_vacancies", lang)] = [disclose_count(v, lang) for v in groups["vacancies"]]
        out[tx("col_vacancies_change", lang)] = [change_cell(a, b, lang)
                                                 for a, b in zip(groups["vacancies"], groups["vacancies_year_ago"])]
        out[tx("col_unemployed", lang)] = [disclose_count(v, lang) for v in groups["unemployed"]]
        out[tx("col_tightness", lang)] = [fmt_dec(v, 2, lang) for v in groups["tightness"]]
    return pd.DataFrame(out)


def top_table(top: pd.DataFrame, names: dict[str, str], lang: str = "fi") -> pd.DataFrame:
    """The largest four-digit occupations, formatted."""
    return pd.DataFrame({
        tx("col_code", lang): top["occupation_code"],
        tx("col_occupation", lang): [names.get(c, "") + tx("names_fi_only", lang) for c in top["occupation_code"]],
        tx("col_unemployed", lang): [disclose_count(v, lang) for v in top["unemployed"]],
        tx("col_change_year", lang): [change_cell(a, b, lang) for a, b in zip(top["unemployed"], top["unemployed_year_ago"])],
        tx("col_vacancies", lang): [disclose_count(v, lang) for v in top["vacancies"]],
        tx("col_tightness", lang): [fmt_dec(v, 2, lang) for v in top["tightness"]],
    })


def breakdown_table(frame: pd.DataFrame, lang: str = "fi") -> pd.DataFrame:
    """Unemployed by gender, age, duration and lay-off, formatted."""
    return pd.DataFrame({
        tx("col_group", lang): [tx(f"m_{m}", lang) for m in frame["measure"]],
        tx("col_unemployed", lang): [disclose_count(v, lang) for v in frame["value"]],
        tx("col_share", lang): [fmt_pct(v, 1, lang) for v in frame["share_pct"]],
        tx("col_change_year", lang): [change_cell(a, b, lang) for a, b in zip(frame["value"], frame["value_year_ago"])],
        tx("col_change_year_pct", lang): [pct_change_cell(a, b, lang)
                                          for a, b in zip(frame["value"], frame["value_year_ago"])],
    })


# --------------------------------------------------------------------------- charts


def ranking_figure(ranking: pd.DataFrame, scope: Scope, lang: str = "fi") -> html.HTML:
    """Horizontal bars of the regions' rates; the area's region hatched and labelled (drawn once for
    every area of a region: :func:`html.shared_block`)."""
    names = [area_name(c, scope, lang) for c in ranking["area_code"]]
    table = ranking_table(ranking, scope, lang)
    return html.shared_block("ranking", [ranking.to_csv(), *names, lang, table.to_csv()],
                             lambda: _ranking_figure(ranking, names, table, lang))


def _ranking_figure(ranking: pd.DataFrame, names: list[str], table: pd.DataFrame, lang: str) -> html.HTML:
    month = ranking["month"].iloc[0]
    fig, ax = figures.phone_figure(figures.bars_height(len(names)))
    colours = [figures.PALETTE[1] if own else figures.PALETTE[0] for own in ranking["is_area_region"]]
    bars = ax.barh(names, ranking["rate"], color=colours)
    for bar, own in zip(bars, ranking["is_area_region"]):
        if own:
            bar.set_hatch("//")
            bar.set_edgecolor("black")
    figures.bar_values(ax, bars, [fmt_pct(v, 1, lang) for v in ranking["rate"]], bold=list(ranking["is_area_region"]))
    ax.invert_yaxis()
    ax.margins(y=0.01)
    figures.few_ticks(ax, "x", 4)
    figures.pct_axis(ax, lang, axis="x")
    ax.set_xlabel(tx("ranking_xlabel", lang))
    caption = tx("ranking_caption", lang, month_end=g.month_end(month, lang))
    own = ranking[ranking["is_area_region"]].iloc[0]
    alt = tx("ranking_alt", lang, month_end=g.month_end(month, lang),
             region=names[list(ranking["is_area_region"]).index(True)], count=len(ranking),
             rank_words=rank_words(int(own["rank"]), len(ranking), lang), rate=fmt_pct(own["rate"], 1, lang))
    figures.fit(fig)
    return html.figure(fig, alt, caption, table, lang)


def rank_words(rank: int, count: int, lang: str = "fi") -> str:
    """A rank among ``count`` with 1 the highest: "korkein", "toiseksi korkein", "16. korkein", "toiseksi alhaisin",
    "alhaisin" / "den högsta", "den näst högsta", "den 16:e högsta", "den näst lägsta", "den lägsta"."""
    words = {1: "ranking_highest", 2: "ranking_second_highest", count - 1: "ranking_second_lowest",
             count: "ranking_lowest"}
    if rank in words and count >= 4:
        return tx(words[rank], lang)
    return tx("ranking_nth", lang, ordinal=g.ordinal(rank, lang))


def ranking_sentence(rec: pd.Series, count: int, month: str, scope: Scope, lang: str = "fi") -> str:
    """"Syyskuun 2023 lopussa Keski-Pohjanmaan työttömyysaste oli 7,6 %, mikä on 0,6 prosenttiyksikköä korkeampi
    kuin vuotta aiemmin. Aste oli 19 maakunnan joukossa 16. korkein."; a region without a cited genitive keeps its
    name in the nominative ("Uusimaa: syyskuun 2023 lopussa työttömyysaste oli …")."""
    code = str(rec["area_code"])
    values = {"rate": fmt_pct(rec["rate"], 1, lang), "change": g.rate_change_phrase(rec["rate_change_pp"], lang),
              "count": count, "rank_words": rank_words(int(rec["rank"]), count, lang)}
    genitive = g.place_case(code, "genitive", lang) if code.startswith("MK") else None
    if genitive is not None:
        return g.sentence(tx("ranking_text", lang, when=g.month_end(month, lang), region=genitive, **values))
    return tx("ranking_text_nominative", lang, when=g.month_end(month, lang), region=area_name(code, scope, lang),
              **values)


def direction(change: float) -> str:
    """"up", "down" or "flat" by the sign of a trend change; missing is "flat".

    The caller passes 0 for a change within its tolerance (:func:`trend_blocks`: ±0,5 % of the level).
    """
    if is_missing(change):
        return "flat"
    return "up" if change > 0 else "down" if change < 0 else "flat"


def trend_blocks(scope: Scope, lang: str = "fi", years: int = 5) -> list[html.HTML]:
    """Trend text and chart: observed monthly series and its STL trend for the last ``years`` years."""
    blocks = [html.heading(tx("trend_heading", lang), 3)]
    try:
        tr = structure.trend(scope)
    except StoreError:
        return blocks + [html.notice(tx("trend_missing", lang, until=g.until_month(scope.last_month, lang)), "missing",
                                     lang)]
    last = tr.iloc[-1]
    change3 = last["trend"] - tr["trend"].iloc[-4]
    change12 = last["trend"] - tr["trend"].iloc[-13]
    tol = 0.005 * last["trend"]
    word = direction(change3 if abs(change3) > tol else 0.0)
    dir_text = tx(f"trend_{word}", lang)
    trend_value = g.quantity(round(last["trend"]), "unemployed", "nominative", lang)
    blocks.append(html.paragraph(g.sentence(tx("trend_text", lang, when=g.in_month(last["period"], lang),
                                               trend=trend_value, change3=fmt_signed(change3, 0, lang),
                                               change12=fmt_signed(change12, 0, lang), direction=dir_text))))
    shown = tr.tail(12 * years)
    first_m, last_m = shown["period"].iloc[0], shown["period"].iloc[-1]
    fig, ax = figures.phone_figure(3.4)
    x = pd.PeriodIndex(shown["period"], freq="M").to_timestamp()
    ax.plot(x, shown["observed"], linestyle=":", marker="o", markersize=3, color=figures.PALETTE[0],
            label=tx("trend_observed", lang))
    ax.plot(x, shown["trend"], linestyle="-", linewidth=2.5, color=figures.PALETTE[1], label=tx("trend_trend", lang))
    figures.few_ticks(ax, "y", 5)
    figures.int_axis(ax, lang)
    ax.set_ylabel(tx("trend_ylabel", lang))
    figures.legend_below(ax)
    span = g.month_span(first_m, last_m, lang)
    caption = tx("trend_caption", lang, area=scope.area.name(lang), span=span)
    alt = tx("trend_alt", lang, area=scope.area.name(lang), span=span, when=g.in_month(last_m, lang),
             trend=fmt_int(last["trend"], lang), direction=dir_text)
    data = pd.DataFrame({tx("col_month", lang): [month_name(m, lang) for m in shown["period"]],
                         tx("col_observed", lang): [disclose_count(v, lang) for v in shown["observed"]],
                         tx("col_trend", lang): [fmt_int(v, lang) for v in shown["trend"]]})
    figures.fit(fig)
    blocks.append(html.figure(fig, alt, caption, data, lang))
    return blocks


def occupation_figure(groups: pd.DataFrame, names: dict[str, str], month: str, lang: str = "fi") -> html.HTML:
    """Horizontal bars of unemployed by main group, with the special and remainder rows, labelled."""
    rows = groups[groups["kind"] != "total"].copy()
    rows["label"] = [
        {"special": tx("row_special", lang), "missing": tx("row_missing", lang)}.get(k)
        or occupation_label(c, names, lang)
        for c, k in zip(rows["group_code"], rows["kind"])
    ]
    fig, ax = figures.phone_figure(figures.bars_height(len(rows), row=0.5))
    hatches = {"group": "", "special": "..", "missing": "xx"}
    bars = ax.barh(range(len(rows)), rows["unemployed"].fillna(0), height=0.42, color=figures.PALETTE[0])
    for bar, kind in zip(bars, rows["kind"]):
        bar.set_hatch(hatches[kind])
        if kind != "group":
            bar.set_color(figures.PALETTE[7])
            bar.set_edgecolor("black")
    figures.bar_values(ax, bars, [disclose_count(v, lang) for v in rows["unemployed"]])
    figures.labels_above_bars(ax, list(rows["label"]))
    figures.few_ticks(ax, "x", 4, integer=True)
    figures.int_axis(ax, lang, axis="x")
    ax.set_xlabel(tx("occupation_xlabel", lang))
    caption = tx("occupation_caption_1", lang, month_end=g.month_end(month, lang))
    top = rows[rows["kind"] == "group"].sort_values("unemployed", ascending=False).iloc[0]
    alt = tx("occupation_alt", lang, month_end=g.month_end(month, lang), top=top["label"],
             value=disclose_count(top["unemployed"], lang))
    figures.fit(fig)
    return html.figure(fig, alt, caption, occupation_table(groups, names, lang), lang)


def beveridge_years_named(bev: pd.DataFrame) -> set[str]:
    """The years written at the Beveridge curve's points: the first and the last, and the years of the highest
    and lowest unemployment rate and of the highest vacancy rate (every year is in the chart's table; all of
    them at the points would overlap on a phone)."""
    rows = [0, len(bev) - 1, bev["unemployment_rate"].to_numpy().argmax(), bev["unemployment_rate"].to_numpy().argmin(),
            bev["vacancy_rate"].to_numpy().argmax()]
    return {str(bev["year"].iloc[int(i)]) for i in rows}


def beveridge_figure(bev: pd.DataFrame, scope: Scope, lang: str = "fi") -> html.HTML:
    """Beveridge curve: annual unemployment rate (x) against vacancy rate (y), points labelled by year."""
    fig, ax = figures.phone_figure(4.2)
    ax.plot(bev["unemployment_rate"], bev["vacancy_rate"], linestyle="-", marker="o", color=figures.PALETTE[0])
    named = beveridge_years_named(bev)
    for rec in bev.itertuples(index=False):
        if str(rec.year) in named:
            ax.annotate(rec.year, (rec.unemployment_rate, rec.vacancy_rate), textcoords="offset points",
                        xytext=(5, 3), fontsize=figures.SMALLEST_TEXT)
    last = bev.iloc[-1]
    ax.plot([last["unemployment_rate"]], [last["vacancy_rate"]], marker="D", markersize=9, linestyle="none",
            color=figures.PALETTE[1])
    figures.few_ticks(ax, "x", 4)
    figures.few_ticks(ax, "y", 5)
    figures.pct_axis(ax, lang, axis="x", decimals=1)
    figures.pct_axis(ax, lang, axis="y", decimals=1)
    ax.set_xlabel(tx("beveridge_xlabel", lang))
    ax.set_ylabel(tx("beveridge_ylabel", lang))
    first_y, last_y = bev["year"].iloc[0], bev["year"].iloc[-1]
    caption = tx("beveridge_caption", lang, area=scope.area.name(lang), first=first_y, last=last_y)
    alt = tx("beveridge_alt", lang, area=scope.area.name(lang), first=first_y, last=last_y,
             u=fmt_pct(last["unemployment_rate"], 1, lang), v=fmt_pct(last["vacancy_rate"], 1, lang))
    data = pd.DataFrame({tx("col_year", lang): bev["year"],
                         tx("col_months", lang): [fmt_int(v, lang) for v in bev["months"]],
                         tx("col_rate", lang): [fmt_pct(v, 1, lang) for v in bev["unemployment_rate"]],
                         tx("col_vacancy_rate", lang): [fmt_pct(v, 1, lang) for v in bev["vacancy_rate"]]})
    figures.fit(fig)
    return html.figure(fig, alt, caption, data, lang)


# --------------------------------------------------------------------------- sections


def overview_blocks(scope: Scope, lang: str = "fi") -> list[html.HTML]:
    """Title, intro, key figures, levels by area and the region ranking."""
    month = scope.require_month()
    month_end = g.month_end(month, lang)
    blocks = [html.heading(tx("title", lang), 2),
              html.paragraph(tx("intro", lang, area=scope.area.name(lang), month_end=month_end,
                                source=data_source_label(scope.data_source, lang)))]
    if month != scope.last_month:
        blocks.append(html.notice(tx("month_not_last", lang, period=g.month_with_year(scope.last_month, "genitive", lang),
                                     month_end=month_end), "caveat", lang))
    equivalent = scope.published_code
    if equivalent and equivalent not in scope.members:
        blocks.append(html.paragraph(tx("area_is_region", lang, region=area_name(equivalent, scope, lang))))
    blocks += [
        html.heading(tx("key_heading", lang), 3),
        html.table(key_table(scope, lang), tx("key_caption", lang, area=scope.area.name(lang), month_end=month_end)),
        html.heading(tx("levels_heading", lang), 3),
        html.table(levels_table(scope, lang), tx("levels_caption", lang, month_end=month_end)),
        html.paragraph(tx("note_small", lang)),
        html.paragraph(tx("note_unreliable", lang)),
        html.heading(tx("ranking_heading", lang), 3),
    ]
    ranking = structure.region_ranking(scope)
    own = ranking[ranking["is_area_region"]]
    if not own.empty:
        blocks.append(html.paragraph(ranking_sentence(own.iloc[0], len(ranking), str(ranking["month"].iloc[0]), scope,
                                                      lang)))
        blocks.append(ranking_figure(ranking, scope, lang))
    return blocks


def breakdown_blocks(scope: Scope, lang: str = "fi") -> list[html.HTML]:
    """Gender, age, duration and lay-off breakdowns, or a plain notice of what is missing."""
    blocks = [html.heading(tx("breakdown_heading", lang), 3)]
    avail = structure.breakdown_availability(scope)
    missing = avail.loc[~avail["available"], "measure"].tolist()
    if avail["available"].any():
        frame = structure.breakdowns(scope)
        month = frame["month"].iloc[0]
        blocks.append(html.table(breakdown_table(frame, lang), tx("breakdown_caption", lang, area=scope.area.name(lang),
                                                                  month_end=g.month_end(month, lang))))
        if frame["breakdown"].eq("age").sum() > 1:
            blocks.append(html.paragraph(tx("breakdown_overlap", lang)))
        if missing:
            groups = g.join_and([g.list_item(tx(f"m_{m}", lang)) for m in missing], lang)
            blocks.append(html.notice(tx("breakdown_partly_missing", lang, groups=groups), "missing", lang))
    else:
        blocks.append(html.notice(tx("breakdown_missing", lang), "missing", lang))
    return blocks


def occupation_blocks(scope: Scope, lang: str = "fi") -> list[html.HTML]:
    """Unemployed by occupation (main groups, sub-major groups, largest occupations)."""
    blocks = [html.heading(tx("occupation_heading", lang), 3)]
    if scope.occupation_codes is None or scope.month(structure.OCC_TABLE) is None:
        blocks.append(html.paragraph(tx("occupation_none", lang)))
        return blocks
    codes, is_context = scope.occupation_codes
    if is_context:
        blocks.append(html.paragraph(tx("occupation_scope_region", lang, region=area_name(codes[0], scope, lang))))
    names = group_names(lang)
    g1 = structure.occupation_groups(scope, 1)
    g2 = structure.occupation_groups(scope, 2)
    month = g1["month"].iloc[0]
    month_end = g.month_end(month, lang)
    text = tx("occupation_text", lang)
    shown = [*g1.loc[g1["kind"] == "group", "group_code"], *g2.loc[g2["kind"] == "group", "group_code"]]
    in_finnish = finnish_only(shown, lang)
    if in_finnish:  # said once on the page: the skills section below uses the same names
        key = "occupation_name_in_finnish" if len(in_finnish) == 1 else "occupation_names_in_finnish"
        text += " " + tx(key, lang, codes=", ".join(in_finnish))
    blocks.append(html.paragraph(text))
    blocks.append(occupation_figure(g1, names, month, lang))
    blocks.append(html.table(occupation_table(g2, names, lang), tx("occupation_caption_2", lang, month_end=month_end)))
    blocks.append(html.heading(tx("top_heading", lang), 4))
    blocks.append(html.table(top_table(structure.top_occupations(scope), occupation_names(), lang),
                             tx("top_caption", lang, month_end=month_end)))
    return blocks


def vacancy_blocks(scope: Scope, lang: str = "fi") -> list[html.HTML]:
    """Vacancies and tightness by main group, and the Beveridge curve."""
    blocks = [html.heading(tx("vacancies_heading", lang), 3)]
    if scope.occupation_codes is not None and scope.month(structure.OCC_TABLE) is not None:
        names = group_names(lang)
        g1 = structure.occupation_groups(scope, 1)
        month = g1["month"].iloc[0]
        blocks += [html.paragraph(tx("vacancies_text", lang)),
                   html.table(occupation_table(g1, names, lang, vacancies=True),
                              tx("vacancies_caption", lang, month_end=g.month_end(month, lang)))]
    peak = vacancy_peak_sentence(scope, lang)
    if peak:
        blocks.append(html.paragraph(peak))
    blocks.append(html.heading(tx("beveridge_heading", lang), 4))
    bev = structure.beveridge(scope)
    if bev.empty:
        return blocks + [html.notice(tx("beveridge_missing", lang), "missing", lang)]
    blocks.append(html.paragraph(tx("beveridge_text", lang, year=bev["year"].iloc[-1], months=int(bev["months"].iloc[-1]))))
    blocks.append(beveridge_figure(bev, scope, lang))
    blocks.append(html.paragraph(tx("source_note", lang)))
    return blocks


def vacancy_peak_sentence(scope: Scope, lang: str = "fi") -> str | None:
    """Why the open vacancies peak early in the year, said only where the area's own years show the peak in
    January–March (:func:`analysis.indicators.structure.vacancy_peak`): "Vuosina 2018–2022 avoimia työpaikkoja
    oli joka vuosi eniten tammi–helmikuussa, koska silloin ilmoitetaan kesätyöpaikat."; None elsewhere."""
    try:
        peak = structure.vacancy_peak(scope)
    except StoreError:
        return None
    if peak is None or peak.last_month > 3:
        return None
    key = "vacancy_peak_every_year" if peak.every_year else "vacancy_peak_most_years"
    return tx(key, lang, years=f"{peak.first_year}–{peak.last_year}",
              months=g.in_months_of_year(peak.first_month, peak.last_month, lang))


def structure_blocks(scope: Scope, lang: str = "fi") -> list[html.HTML]:
    """Every block of the unemployment-structure section, in reading order."""
    return [
        *overview_blocks(scope, lang),
        *trend_blocks(scope, lang),
        *breakdown_blocks(scope, lang),
        *occupation_blocks(scope, lang),
        *vacancy_blocks(scope, lang),
    ]

