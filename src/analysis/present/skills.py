"""Presentation of the skills-needs section (notebook 40), read as one story: shortage and surplus
occupations now; the outlook six months ahead for every group (class and probability) and how often it
has been right; then the forecast of the unemployed jobseekers by group, its fan charts and accuracy;
the groups not forecast and the caveats. Months are written as the reviews write them
(:mod:`analysis.present.grammar`), never ``2023-09``.

The months shown are the period's months the occupation table holds (the scope's rule,
:meth:`analysis.store.scope.Scope.month`); a period the table does not reach says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from analysis.config import Area
from analysis.forecast import accuracy, outlook
from analysis.forecast import backtest as bt
from analysis.forecast import occupations as occ
from analysis.indicators import skills
from analysis.names import finnish_only, group_names, shortened
from analysis.present import figures, grammar, html
from analysis.present.disclosure import disclose_count
from analysis.present.fmt import fmt_dec, fmt_int, fmt_pct, fmt_signed
from analysis.present.structure import vacancy_peak_sentence
from analysis.present.text import month_name, period_words, t
from analysis.schema import TOTAL
from analysis.store.scope import OCCUPATION_TABLE as OCC_TABLE
from analysis.store.scope import Scope

TOP_N = skills.TOP_N
TABLE_HORIZON = 6
"""The forecast table shows the forecast six months ahead, the horizon of the outlook and the main page."""


def group_label(level: str, group_code: str, lang: str = "fi") -> str:
    """``52 Myyjät …`` (code and name in ``lang``; see :mod:`analysis.names`),
    ``Kaikki ammatit`` for the total; the code alone without a verified name."""
    if level == "total" or group_code == TOTAL:
        return t("skills.all_occupations", lang)
    name = group_names(lang).get(group_code, "")
    return f"{group_code} {name}".strip()


def measure_label(measure: str, lang: str = "fi") -> str:
    """The measure's name for readers."""
    return t(f"skills.measure_{measure}", lang)


def class_label(cls: str, lang: str = "fi") -> str:
    """The tightness class for readers."""
    return t(f"skills.class_{cls}", lang)


@dataclass(frozen=True)
class SkillsResult:
    """Everything the section shows, computed once. The forecast fields are None when the data
    are too short or sparse to forecast (``forecast_problem`` then says why, in English)."""

    area: Area
    area_code: str
    period: str
    origin: str
    months: list[str]
    series: pd.DataFrame
    tight_now: pd.DataFrame
    data: occ.OccupationData | None = None
    forecast: pd.DataFrame | None = None
    backtest: bt.BacktestResult | None = None
    headline: accuracy.Headline | None = None
    cache_hits: tuple[bool, bool] = (False, False)
    forecast_problem: str = ""
    protocol_origins: int = 0  # backtest origins the data hold; the accuracy figures need occ.MIN_ORIGINS


def compute(scope: Scope, data: occ.OccupationData | None = None) -> SkillsResult | None:
    """The section's results, or None when the store has no occupation data for the area or none
    for the period (see :func:`skills_blocks`). ``data``: the area's
    :func:`~analysis.forecast.occupations.occupation_panel` when already computed (the review's
    forecast step computed it)."""
    area_code = scope.occupation_code
    if area_code is None:
        return None
    if scope.month(OCC_TABLE) is None:  # the table ends before the period
        return None
    series = data.series if data is not None else skills.group_series(scope.store, area_code)
    months, now = skills.period_tightness(scope, series)
    origin = months[-1]
    base = SkillsResult(scope, area_code, scope.period.code, origin, months, series, now)
    try:
        data = occ.occupation_panel(scope.store, area_code, series=series) if data is None else data
        result, hit_bt = occ.known_backtest(data)  # a past period's data hold fewer origins
        fc, hit_fc = occ.forecast(data, origin)
    except occ.NotEnoughData as exc:
        return replace(base, forecast_problem=str(exc))
    n = len(bt.official_origins(data.panel.months))
    published = result is not None and n >= occ.MIN_ORIGINS  # the accuracy figures need the protocol's origins
    return replace(base, data=data, forecast=fc,
                   backtest=result if published else None, headline=accuracy.headline(result) if published else None,
                   cache_hits=(hit_bt, hit_fc), protocol_origins=n)


# ---- months in words ---------------------------------------------------------------------------

def months_span(first: str, last: str, lang: str = "fi") -> str:
    """From one month to another, as a sentence writes it: "tammikuusta 2015 heinäkuuhun 2023" /
    "från januari 2015 till juli 2023" (never "2015-01–2023-07")."""
    (m1, y1), (m2, y2) = ((int(m[5:7]), m[:4]) for m in (first, last))
    return t("skills.months_span", lang, first=grammar.month_case(m1, "elative", lang), first_year=y1,
             last=grammar.month_case(m2, "illative", lang), last_year=y2)


def months_when(months: list[str], lang: str = "fi") -> str:
    """When the "now" figures are from: one month "syyskuun 2023 lopussa" / "i slutet av september 2023";
    the months of a quarter "heinä–syyskuussa 2023" / "i juli–september 2023" (months of one year)."""
    if len(months) == 1:
        return grammar.month_end(months[0], lang)
    first, last = int(months[0][5:7]), int(months[-1][5:7])
    return t("grammar.in_months", lang, first=t("common.month_stems", lang).split(",")[first - 1],
             last=grammar.month_case(last, "inessive", lang), year=months[-1][:4])


def origin_words(month: str, lang: str = "fi") -> str:
    """The month whose data a forecast starts from, as "… tiedoista" / "uppgifterna för …" need it:
    "syyskuun 2023" / "september 2023"."""
    return f"{grammar.month_case(int(month[5:7]), 'genitive', lang)} {month[:4]}"


# ---- the accuracy in plain words -------------------------------------------------------------

def accuracy_sentence(head: accuracy.Headline, lang: str = "fi") -> str:
    """``Ennuste osui kuuden kuukauden päähän keskimäärin 15 % lähemmäs kuin …`` in plain words."""
    return t("skills.accuracy_plain", lang,
             better=fmt_pct(100 * (1 - head.relative_mase_h6), 0, lang),
             better_naive=fmt_pct(100 * (1 - head.relative_mase_naive_h6), 0, lang),
             coverage=fmt_pct(100 * head.coverage80_h6, 0, lang),
             series=fmt_int(head.series, lang), origins=fmt_int(head.origins, lang),
             span=months_span(head.first_origin, head.last_origin, lang))


# ---- tables ------------------------------------------------------------------------------------

def count_cell(published: float, lower: float, upper: float, lang: str = "fi") -> str:
    """A group's count as the table shows it: the number where no cell of it is suppressed ("119", "<5" for
    1–4), else the range its suppressed cells allow ("1–5", "9–26"), never the published sum alone (a
    group whose every cell is suppressed is not "0")."""
    if pd.isna(lower) or pd.isna(upper) or round(lower) == round(upper):
        return disclose_count(round(published), lang)
    return f"{fmt_int(round(lower), lang)}–{fmt_int(round(upper), lang)}"


def _count_bounds(series: pd.DataFrame, months: list[str], measure: str) -> pd.DataFrame:
    """Mean lower and upper bound of a measure's two-digit groups over ``months`` (as :func:`tightness_now`
    takes the mean of the monthly counts), indexed by group code."""
    part = series[(series["level"] == "2") & (series["measure"] == measure) & series["period"].isin(months)]
    return part.groupby("group_code")[["lower", "upper"]].mean()


def _tight_table(frame: pd.DataFrame, lang: str, res: SkillsResult) -> pd.DataFrame:
    """The groups of ``frame`` (a :func:`~analysis.indicators.skills.tightness_now` frame of the period):
    counts and vacancies per unemployed, each as the range the suppressed cells allow, and the class."""
    columns = {t("skills.col_group", lang): [group_label("2", g, lang) for g in frame["group_code"]]}
    for measure, col, key in (("open_vacancies", "vacancies", "skills.col_vacancies"),
                              ("unemployed_jobseekers", "unemployed", "skills.col_unemployed")):
        b = _count_bounds(res.series, res.months, measure).reindex(frame["group_code"])
        columns[t(key, lang)] = [count_cell(v, lo, hi, lang)
                                 for v, lo, hi in zip(frame[col], b["lower"], b["upper"])]
    out = pd.DataFrame(columns)
    out[t("skills.col_tightness", lang)] = [ratio_cell(lo, hi, lang)
                                            for lo, hi in zip(frame["tightness_low"], frame["tightness_high"])]
    out[t("skills.col_class", lang)] = [class_label(c, lang) for c in frame["class"]]
    return out


def ratio_cell(low: float, high: float, lang: str = "fi") -> str:
    """Vacancies per unemployed as far as the suppressed cells allow: "0,17" where both bounds agree,
    else "0,01–0,05"; "–" where no bound is known (no jobseeker counted)."""
    if pd.isna(low) or pd.isna(high):
        return "–" if pd.isna(low) and pd.isna(high) else fmt_dec(low if pd.isna(high) else high, 2, lang)
    lo, hi = fmt_dec(low, 2, lang), fmt_dec(high, 2, lang)
    return lo if lo == hi else f"{lo}–{hi}"


def forecast_change_table(res: SkillsResult, lang: str = "fi", h: int = TABLE_HORIZON) -> pd.DataFrame:
    """Forecast ``h`` months ahead for every forecast series, with its 80 % interval and the change
    from the same month a year earlier; largest increases first. The columns name their months
    ("Syyskuun 2023 lopussa", "Ennuste maaliskuun 2024 lopussa", "Maaliskuun 2023 lopussa")."""
    tab = occ.forecast_summary(res.data, res.forecast, h).sort_values("change_pct", ascending=False)
    target = outlook.shift_month(res.origin, h)
    return pd.DataFrame({
        t("skills.col_group", lang): [group_label(lv, g, lang) for lv, g in zip(tab["level"], tab["group_code"])],
        t("skills.col_measure", lang): [measure_label(m, lang) for m in tab["measure"]],
        grammar.sentence(grammar.month_end(res.origin, lang)): [disclose_count(v, lang) for v in tab["origin_value"]],
        t("skills.col_target_forecast", lang, when=grammar.month_end(target, lang)):
            [f"{fmt_int(v, lang)} ({fmt_int(lo, lang)}–{fmt_int(hi, lang)})"
             for v, lo, hi in zip(tab["forecast"], tab["lo80"], tab["hi80"])],
        grammar.sentence(grammar.month_end(outlook.shift_month(target, -12), lang)):
            [disclose_count(v, lang) for v in tab["year_ago"]],
        t("skills.col_change", lang): [fmt_signed(v, 0, lang, "\u00a0%") for v in tab["change_pct"]],
    })


def class_counts_table(res: SkillsResult, lang: str = "fi") -> pd.DataFrame:
    """Number of two-digit groups in each class now."""
    counts = res.tight_now["class"].value_counts()
    return pd.DataFrame({
        t("skills.col_class", lang): [class_label(c, lang) for c in skills.CLASSES],
        t("skills.col_groups", lang): [fmt_int(int(counts.get(c, 0)), lang) for c in skills.CLASSES],
    })


def accuracy_table(res: SkillsResult, lang: str = "fi") -> pd.DataFrame:
    """Accuracy per horizon in plain labels."""
    acc = accuracy.accuracy_table(res.backtest)
    return pd.DataFrame({
        t("skills.col_horizon", lang): acc["h"].astype(int),
        t("skills.col_mase_final", lang): [fmt_dec(v, 2, lang) for v in acc["mase_final"]],
        t("skills.col_mase_snaive", lang): [fmt_dec(v, 2, lang) for v in acc["mase_snaive"]],
        t("skills.col_mase_naive", lang): [fmt_dec(v, 2, lang) for v in acc["mase_naive"]],
        t("skills.col_closer_snaive", lang): [fmt_pct(100 * (1 - v), 0, lang) for v in acc["rel_snaive"]],
        t("skills.col_coverage80", lang): [fmt_pct(100 * v, 0, lang) for v in acc["coverage80"]],
        t("skills.col_coverage95", lang): [fmt_pct(100 * v, 0, lang) for v in acc["coverage95"]],
    })


def rival_table(res: SkillsResult, lang: str = "fi") -> pd.DataFrame:
    """The backtest of the rules that could make the forecast (the combination used, the per-series
    selection rule, the previous rule, each model alone) at the headline horizon, on the test and
    the validation cases: MASE relative to the seasonal naive."""
    tab = accuracy.rival_table(res.backtest)
    head = res.headline
    return pd.DataFrame({
        t("skills.col_model", lang): [t(f"skills.model_{m}", lang) for m in tab["model"]],
        t("skills.col_test", lang, first=month_name(head.first_origin, lang), last=month_name(head.last_origin, lang)):
            [fmt_dec(v, 2, lang) for v in tab["test"]],
        t("skills.col_validation", lang): [fmt_dec(v, 2, lang) for v in tab["validation"]],
    })


def interval_rule_sentence(head: accuracy.Headline, lang: str = "fi") -> str:
    """How the prediction intervals are made, with the width multipliers fixed on the validation cases."""
    return t("skills.interval_rule", lang, k80=fmt_dec(head.k80, 2, lang), k95=fmt_dec(head.k95, 2, lang))


def interval_rules_table(res: SkillsResult, lang: str = "fi") -> pd.DataFrame:
    """80 % coverage at the headline horizon of the interval rule used and of its alternatives."""
    tab = accuracy.interval_rules_table(res.backtest)
    return pd.DataFrame({
        t("skills.col_rule", lang): [t(f"skills.rule_{r}", lang) for r in tab["rule"]],
        t("skills.col_coverage80", lang): [fmt_pct(100 * v, 0, lang) for v in tab["coverage80"]],
    })


def series_accuracy_table(res: SkillsResult, lang: str = "fi") -> pd.DataFrame:
    """Accuracy per forecast series at the headline horizon."""
    tab = accuracy.series_table(res.backtest)
    labels = [skills.split_series_id(s) for s in tab["series_id"]]
    return pd.DataFrame({
        t("skills.col_group", lang): [group_label(lv, g, lang) for _, lv, g in labels],
        t("skills.col_measure", lang): [measure_label(m, lang) for m, _, _ in labels],
        t("skills.col_mase_final", lang): [fmt_dec(v, 2, lang) for v in tab["final"]],
        t("skills.col_mase_snaive", lang): [fmt_dec(v, 2, lang) for v in tab["snaive"]],
        t("skills.col_closer_snaive", lang): [fmt_pct(100 * (1 - v), 0, lang) for v in tab["rel_snaive"]],
        t("skills.col_coverage80", lang): [fmt_pct(100 * v, 0, lang) for v in tab["coverage80"]],
    })


def coverage_year_table(res: SkillsResult, lang: str = "fi") -> pd.DataFrame:
    """80 % interval coverage of the six-month forecasts by year of the target month."""
    tab = accuracy.coverage_by_year(res.backtest)
    return pd.DataFrame({
        t("skills.col_year", lang): tab["year"],
        t("skills.col_coverage80", lang): [fmt_pct(100 * v, 0, lang) for v in tab["coverage80"]],
        t("skills.col_cases", lang): [fmt_int(v, lang) for v in tab["cases"]],
    })


def not_forecast_table(res: SkillsResult, lang: str = "fi") -> pd.DataFrame:
    """Series that are not forecast, one row per measure and reason, listing the group codes
    (one-digit main groups first, then two-digit groups)."""
    nf = occ.not_forecast(res.data)
    rows = []
    for (measure, reason), part in nf.groupby(["measure", "reason"], sort=True):
        part = part.sort_values(["level", "group_code"])
        rows.append({
            t("skills.col_measure", lang): measure_label(measure, lang),
            t("skills.col_reason", lang): t(f"skills.reason_{reason}", lang),
            t("skills.col_groups", lang): fmt_int(len(part), lang),
            t("skills.col_group_codes", lang): ", ".join(part["group_code"]),
        })
    return pd.DataFrame(rows)


# ---- charts ------------------------------------------------------------------------------------

FAN_HISTORY_MONTHS = 36


def fan_series(res: SkillsResult) -> list[str]:
    """Series shown as fan charts: the totals and the one-digit groups forecast at the origin (a series
    of the panel that the forecastability rule leaves out at the origin has no forecast and no chart)."""
    forecast = set(res.forecast["series_id"])
    ids = [s for s in res.data.panel.ids if skills.split_series_id(s)[1] in ("total", "1") and s in forecast]
    return sorted(ids, key=lambda s: (skills.split_series_id(s)[1] != "total", s))


def fan_chart(res: SkillsResult, series_id: str, lang: str = "fi") -> html.HTML:
    """History (36 months) and the forecast with 80 % and 95 % intervals, with alt text and numbers."""
    measure, level, group = skills.split_series_id(series_id)
    hist = occ.history(res.data, series_id).loc[:res.origin].iloc[-FAN_HISTORY_MONTHS:]
    fc = res.forecast[res.forecast["series_id"] == series_id].sort_values("h")
    fig, ax = figures.phone_figure(3.6)
    x_hist = pd.PeriodIndex(hist.index, freq="M").to_timestamp()
    x_fc = pd.PeriodIndex(fc["target"], freq="M").to_timestamp()
    ax.fill_between(x_fc, fc["lo95"], fc["hi95"], color=figures.PALETTE[0], alpha=0.15,
                    label=t("skills.legend_95", lang))
    ax.fill_between(x_fc, fc["lo80"], fc["hi80"], color=figures.PALETTE[0], alpha=0.35,
                    label=t("skills.legend_80", lang))
    ax.plot(x_hist, hist.to_numpy(), color=figures.PALETTE[1], linestyle="-", marker=".",
            label=t("skills.legend_actual", lang))
    ax.plot(x_fc, fc["forecast"], color=figures.PALETTE[0], linestyle="--", marker="o", markersize=3,
            label=t("skills.legend_forecast", lang))
    figures.few_ticks(ax, "y", 5)
    figures.int_axis(ax, lang)
    figures.month_axis(ax)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("")
    figures.legend_below(ax, ncol=2, gap=0.1)
    label = group_label(level, group, lang)
    title = t("skills.fan_title", lang, group=label, measure=measure_label(measure, lang))
    point = fc[fc["h"] == TABLE_HORIZON].iloc[0]
    alt = t("skills.fan_alt", lang, group=label, measure=measure_label(measure, lang),
            origin=origin_words(res.origin, lang), when=grammar.month_end(point["target"], lang),
            value=fmt_int(point["forecast"], lang), lo=fmt_int(point["lo80"], lang), hi=fmt_int(point["hi80"], lang))
    numbers = pd.DataFrame({
        t("skills.col_month", lang): [month_name(m, lang) for m in fc["target"]],
        t("skills.col_forecast", lang): [fmt_int(v, lang) for v in fc["forecast"]],
        t("skills.col_lo80", lang): [fmt_int(v, lang) for v in fc["lo80"]],
        t("skills.col_hi80", lang): [fmt_int(v, lang) for v in fc["hi80"]],
        t("skills.col_lo95", lang): [fmt_int(v, lang) for v in fc["lo95"]],
        t("skills.col_hi95", lang): [fmt_int(v, lang) for v in fc["hi95"]],
    })
    figures.fit(fig)
    return html.figure(fig, alt, title, numbers, lang)


# ---- the section -------------------------------------------------------------------------------

def twelve_month_sentence(res: SkillsResult, lang: str = "fi") -> str:
    """How the last point of the fan charts is made, in one plain sentence: 12 months ahead the forecast
    is the seasonal naive, which is the latest actual figure (``docs/forecast_method.md``)."""
    return t("skills.twelve_months", lang, when=grammar.month_end(res.origin, lang))


def _vacancies_by_group(res: SkillsResult) -> bool:
    """True when the vacancies of at least one two-digit group are forecast (not only the area's total)."""
    ids = [skills.split_series_id(s) for s in res.forecast["series_id"].unique()]
    return any(m == "open_vacancies" and level == "2" for m, level, _ in ids)


def _accuracy_blocks(res: SkillsResult, lang: str) -> list[html.HTML]:
    """The accuracy of the unemployed forecast: in plain words, then per horizon, rule, series and year."""
    blocks = [html.heading(t("skills.accuracy_heading", lang), 4)]
    if res.headline is None:  # a past period: too few origins for the published accuracy figures
        return blocks + [html.notice(t("skills.accuracy_not_yet", lang, n=res.protocol_origins,
                                       needed=occ.MIN_ORIGINS, since=grammar.since_month(bt.ORIGIN_FIRST, lang)),
                                     "missing", lang)]
    head = res.headline
    blocks.append(html.paragraph(accuracy_sentence(head, lang)))
    blocks.append(html.paragraph(t(
        "skills.requirement_met" if head.meets_requirement else "skills.requirement_not_met", lang,
        rel=fmt_dec(head.relative_mase_h6, 2, lang), cov=fmt_pct(100 * head.coverage80_h6, 0, lang))))
    blocks.append(html.paragraph(
        t("skills.aim_met", lang) if head.meets_aim
        else t("skills.aim_not_met", lang, rel=fmt_dec(head.relative_mase_h6, 2, lang))))
    blocks.append(html.table(accuracy_table(res, lang), t("skills.accuracy_caption", lang)))
    blocks.append(html.paragraph(t("skills.method", lang, first=month_name(head.first_origin, lang))))
    blocks.append(html.table(rival_table(res, lang), t("skills.rivals_caption", lang)))
    blocks.append(html.table(series_accuracy_table(res, lang), t("skills.series_accuracy_caption", lang)))
    blocks.append(html.paragraph(interval_rule_sentence(head, lang)))
    blocks.append(html.table(interval_rules_table(res, lang), t("skills.intervals_caption", lang)))
    blocks.append(html.table(coverage_year_table(res, lang), t("skills.coverage_year_caption", lang)))
    return blocks


def _forecast_blocks(res: SkillsResult, lang: str, peak: str | None = None) -> list[html.HTML]:
    """The forecast of the unemployed jobseekers by group (and of the area's vacancies): what it covers, the
    table six months ahead (``peak``: the sentence on the early-year peak of open vacancies, where the area's
    years show it, so a forecast rise to it reads as the season), the fan charts with how their 12-month point
    is made, and the accuracy."""
    intro = t("skills.forecast_intro", lang, origin=origin_words(res.origin, lang))
    if not _vacancies_by_group(res):
        intro += " " + t("skills.forecast_vacancies_total_only", lang)
    target = outlook.shift_month(res.origin, TABLE_HORIZON)
    blocks = [html.paragraph(intro),
              html.table(forecast_change_table(res, lang),
                         t("skills.forecast_change_caption", lang, when=grammar.month_end(target, lang),
                           origin=origin_words(res.origin, lang))),
              *([html.paragraph(peak)] if peak else []),
              html.heading(t("skills.fans_heading", lang), 4),
              html.paragraph(twelve_month_sentence(res, lang))]
    blocks.extend(fan_chart(res, sid, lang) for sid in fan_series(res))
    return blocks + _accuracy_blocks(res, lang)


def outlook_table(result: outlook.AreaOutlook, lang: str = "fi") -> pd.DataFrame:
    """Every two-digit group's outlook, surest shortage first: the class now, what the outlook made six
    months ago said for now, the class ahead and its probabilities (%)."""
    rows = result.table[result.table["level"] == 2].sort_values("p_shortage", ascending=False)
    return pd.DataFrame({
        t("skills.col_group", lang): [group_label("2", c, lang) for c in rows["group_code"]],
        t("skills.col_class_now", lang): [class_label(c, lang) for c in rows["class_now"]],
        t("skills.col_predicted_then", lang): [class_label(c, lang) if isinstance(c, str) else "–"
                                               for c in rows["predicted_then"]],
        t("skills.col_outlook", lang): [class_label(c, lang) for c in rows["predicted"]],
        t("skills.col_p_shortage", lang): [fmt_pct(100 * p, 0, lang) for p in rows["p_shortage"]],
        t("skills.col_p_surplus", lang): [fmt_pct(100 * p, 0, lang) for p in rows["p_surplus"]],
    })


def outlook_blocks(scope: Scope, lang: str = "fi", result: outlook.AreaOutlook | None = None) -> list[html.HTML]:
    """The skills-needs outlook six months ahead (:mod:`analysis.forecast.outlook`): what it is, how often
    it was right, how the outlook made six months ago fared, every group's class and probability
    (``result``: :func:`analysis.forecast.outlook.scope_result`, computed here when not given)."""
    result = result if result is not None else outlook.scope_result(scope)
    if result is None:
        return []
    target = grammar.in_month(outlook.shift_month(result.origin, outlook.HORIZON), lang)
    blocks = [html.heading(t("skills.outlook_heading", lang), 3),
              html.paragraph(t("skills.outlook_intro", lang, target=target))]
    if result.accuracy is not None:
        blocks.append(html.paragraph(t(
            "skills.outlook_accuracy", lang, span=months_span(result.first_scored, result.last_scored, lang),
            cases=fmt_int(result.accuracy["cases"], lang),
            hits=fmt_int(round(100 * result.accuracy["hit_share"]), lang),
            persistence=fmt_int(round(100 * result.accuracy["persistence_hit_share"]), lang))))
    if result.scored_then:
        blocks.append(html.paragraph(grammar.sentence(t(
            "skills.outlook_then", lang, made=grammar.in_month(result.then, lang),
            hits=fmt_int(result.hits_then, lang), scored=fmt_int(result.scored_then, lang)))))
    blocks.append(html.table(outlook_table(result, lang), t("skills.outlook_caption", lang, target=target)))
    return blocks


def named_groups(res: SkillsResult, result: outlook.AreaOutlook | None) -> list[str]:
    """The group codes whose names the section shows: the top tables of now, the outlook table, the
    forecast table and the accuracy per series (one- and two-digit groups; the total has no code)."""
    codes = set(skills.shortage(res.tight_now, TOP_N)["group_code"])
    codes |= set(skills.ranked(res.tight_now, "surplus", TOP_N)["group_code"])
    if result is not None:
        codes |= set(result.table.loc[result.table["level"] == 2, "group_code"])
    if res.forecast is not None:
        codes |= {skills.split_series_id(s)[2] for s in res.forecast["series_id"]}
    if res.backtest is not None:
        codes |= {skills.split_series_id(s)[2] for s in accuracy.series_table(res.backtest)["series_id"]}
    return sorted(c for c in codes if c != TOTAL)


def names_note(codes: list[str], lang: str = "fi") -> str:
    """Once in the section: which groups are named by StatFin's shortened label (Finnish) or by their Finnish
    name for want of a Swedish one (:mod:`analysis.names`); empty when none."""
    notes = []
    in_finnish = finnish_only(codes, lang)
    if in_finnish:
        key = "skills.names_in_finnish" if len(in_finnish) > 1 else "skills.name_in_finnish"
        notes.append(t(key, lang, codes=grammar.join_and(in_finnish, lang)))
    short = shortened(codes, lang)
    if short:
        notes.append(t("skills.names_shortened", lang, codes=grammar.join_and(short, lang)))
    return " ".join(notes)


def _now_blocks(res: SkillsResult, lang: str) -> list[html.HTML]:
    """Shortage and surplus occupations now: the class counts and the top groups of each class."""
    when = months_when(res.months, lang)
    blocks = [html.heading(t("skills.now_heading", lang), 3),
              html.table(class_counts_table(res, lang), t("skills.counts_caption", lang, when=when))]
    for cls in ("shortage", "surplus"):
        top = skills.shortage(res.tight_now, TOP_N) if cls == "shortage" else skills.ranked(res.tight_now, cls, TOP_N)
        if top.empty:
            blocks.append(html.paragraph(t("skills.none_in_class", lang, cls=class_label(cls, lang))))
        else:
            blocks.append(html.table(_tight_table(top, lang, res),
                                     t(f"skills.top_{cls}_caption", lang, when=when, n=TOP_N)))
    return blocks


def _reform_caveat(res: SkillsResult, lang: str) -> str:
    """The TE reform of 2025: whether the data shown reach it."""
    if res.origin < "2025-01":
        return t("skills.caveat_reform_before", lang, until=grammar.until_month(res.origin, lang))
    return t("skills.caveat_reform_after", lang)


def skills_blocks(scope: Scope, lang: str = "fi", data: occ.OccupationData | None = None,
                  outlook_result: outlook.AreaOutlook | None = None) -> list[html.HTML]:
    """All blocks of the skills-needs section, in reading order (``data``: see :func:`compute`;
    ``outlook_result``: see :func:`outlook_blocks`): now, the outlook per group with its hit rate, the
    forecast of the unemployed per group with its accuracy, the groups not forecast and the caveats."""
    blocks = [html.heading(t("skills.title", lang), 2)]
    res = compute(scope, data)
    if res is None:
        last = scope.last_held(OCC_TABLE) if scope.occupation_code is not None else None
        text = (t("skills.no_period_data", lang, until=grammar.until_month(last, lang),
                  period=period_words(scope.period.code, lang)) if last is not None
                else t("skills.no_data", lang, area=scope.area.name(lang)))
        blocks.append(html.notice(text, "missing", lang))
        return blocks
    result = outlook_result if outlook_result is not None else outlook.scope_result(scope)
    intro = t("skills.intro", lang, area=scope.area.name(lang), when=months_when(res.months, lang))
    if len(res.months) > 1:
        intro += " " + t("skills.intro_months", lang)
    blocks.append(html.paragraph(intro))
    blocks.append(html.paragraph(t("skills.classes_rule", lang, shortage=fmt_dec(skills.SHORTAGE_AT, 2, lang),
                                   surplus=fmt_dec(skills.SURPLUS_BELOW, 2, lang))))
    note = names_note(named_groups(res, result), lang)
    if note:
        blocks.append(html.paragraph(note))
    blocks.extend(_now_blocks(res, lang))
    blocks.extend(outlook_blocks(scope, lang, result))
    blocks.append(html.heading(t("skills.forecast_heading", lang), 3))
    if res.forecast is None:
        blocks.append(html.notice(t("skills.no_forecast", lang), "missing", lang))
    else:
        blocks.extend(_forecast_blocks(res, lang, vacancy_peak_sentence(scope, lang)))
    blocks.append(html.heading(t("skills.not_forecast_heading", lang), 3))
    blocks.append(html.paragraph(t("skills.rollup_rule", lang,
                                   tol=fmt_pct(100 * skills.SUPPRESSION_TOLERANCE, 0, lang))))
    if res.data is not None:
        blocks.append(html.table(not_forecast_table(res, lang), t("skills.not_forecast_caption", lang)))
    blocks.append(html.notice(t("skills.caveat_vacancies", lang), "caveat", lang))
    blocks.append(html.notice(_reform_caveat(res, lang), "caveat", lang))
    blocks.append(html.notice(t("skills.caveat_barometer", lang), "caveat", lang))
    blocks.append(html.paragraph(t("skills.source", lang)))
    return blocks
