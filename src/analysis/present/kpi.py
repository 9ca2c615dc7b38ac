"""Presentation of the KPI scorecard (notebook 50): Finnish/Swedish tables, trends and notices.

Status is always a symbol and a text (never colour alone); counts of persons 1–4 are shown as
"<5", and so is every internal count 1–4 by municipality. Example data is labelled
"esimerkkiaineisto" in a notice, in the source column, in the targets and in chart captions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.indicators import kpi
from analysis.present import grammar, html
from analysis.present.disclosure import disclose_count, disclose_parts_and_total, is_small
from analysis.present.fmt import (
    MISSING,
    fmt_dec,
    fmt_int,
    fmt_moment,
    fmt_pct,
    fmt_pct_change,
    fmt_pp,
    fmt_signed,
    is_missing,
)
from analysis.present.text import catalogue, month_names, period_words, t
from analysis.sources import workbook
from analysis.sources.reviews_index import review_frame
from analysis.store.scope import Scope

KPI_DATA_MODES: tuple[str, ...] = ("imported", "example")
"""``imported``: the workbooks imported for the area (none yet: internal metrics "not yet reported");
``example``: the labelled demonstration data, only when asked for (``review --kpi-demo``)."""
TREND_TEXT_POINTS = 6
"""How many of the latest trend points the table's trend column lists."""


@dataclass(frozen=True)
class InternalData:
    """Internal values for the scorecard and where they come from (``imported``, ``example`` or ``none``)."""

    values: pd.DataFrame | None
    mode: str
    imported_at: str = ""
    source_file: str = ""


def resolve_internal(scope: Scope, kpi_data: str = "imported", internal_dir: Path | None = None) -> InternalData:
    """Imported values when any exist (``auto``/``imported``), else example values (``auto``/``example``)."""
    if kpi_data not in KPI_DATA_MODES:
        raise config.ConfigError("kpi_data '{mode}' is not one of {allowed}", mode=kpi_data,
                                 allowed=", ".join(KPI_DATA_MODES))
    if kpi_data == "imported":
        values = workbook.load_internal(internal_dir, scope.area.slug)
        if values is not None:
            last = values.sort_values("import_seq").iloc[-1]
            return InternalData(values, "imported", str(last["imported_at"]), str(last["source_file"]))
        return InternalData(None, "none")
    if not any(c.startswith("KU") for c in scope.members):
        return InternalData(None, "none")
    return InternalData(workbook.example_values(scope.area), "example")


def build(scope: Scope, kpi_data: str = "imported", internal_dir: Path | None = None,
          reviews: pd.DataFrame | None = None, output_dir: Path | str = config.OUTPUTS_DIR,
          ) -> tuple[pd.DataFrame, pd.DataFrame, InternalData]:
    """The scorecard, its trend points and the internal data used (one computation for all blocks).

    ``reviews``: the published reviews (for the "reviews made" metric); by default those listed in
    ``output_dir``'s index."""
    internal = resolve_internal(scope, kpi_data, internal_dir)
    example = internal.mode == "example"
    catalogue = workbook.load_catalogue()
    if reviews is None:
        try:
            reviews = review_frame(Path(output_dir) / "index.json")
        except ValueError:
            reviews = None
    targets = workbook.load_targets(internal_dir, scope.area.slug)
    computed = kpi.metric_series(scope, internal.values, catalogue=catalogue, reviews=reviews)
    card = kpi.scorecard(scope, internal.values, catalogue=catalogue, computed=computed, targets=targets,
                         is_example=example, example_targets=workbook.EXAMPLE_TARGETS if example else None)
    points = kpi.trends(scope, internal.values, catalogue=catalogue, computed=computed)
    return card, points, internal


# ------------------------------------------------------------------------------------------------
# Formatting


def period_label(period: str, frequency: str, lang: str = "fi") -> str:
    """``2023-09`` -> "syyskuu 2023"; a quarter ``2023Q2`` -> "huhti–kesäkuu 2023"; a year stays "2023" (the
    table writes a year to date as "2023 (tammi–syyskuu)")."""
    if not period:
        return MISSING
    if len(period) == 7 and period[4] == "-" or "Q" in period:
        return period_words(period, lang)
    return period


def period_tick(period: str) -> str:
    """A period as a chart's axis names it, short and without ISO dates: ``2023-09`` -> "9/2023", ``2023Q2`` ->
    "4–6/2023", a year as itself."""
    if len(period) == 7 and period[4] == "-":
        return f"{int(period[5:])}/{period[:4]}"
    if "Q" in period:
        quarter = int(period[-1])
        return f"{3 * quarter - 2}–{3 * quarter}/{period[:4]}"
    return period


def _ytd_label(year: str, end_month: int, lang: str) -> str:
    return t("kpi.ytd", lang, year=year, month=month_names(lang)[end_month - 1])


def _name(row: pd.Series | object, lang: str) -> str:
    name = getattr(row, "name_sv" if lang == "sv" else "name_fi")
    component = getattr(row, "component", "")
    return f"{name}: {t(f'kpi.component_{component}', lang)}" if component else str(name)


def format_value(value: float, unit: str, lang: str = "fi", persons: bool = False) -> str:
    """A metric value in its unit; person counts 1–4 as "<5", missing as "–"."""
    if is_missing(value):
        return MISSING
    if unit == "count":
        return disclose_count(value, lang) if persons else fmt_int(value, lang)
    if unit == "pct":
        return fmt_pct(value, 1, lang)
    if unit == "pct_change":
        return fmt_pct_change(value, 1, lang)
    if unit == "scale_1_5":
        return fmt_dec(value, 2, lang)
    if unit == "average":
        return fmt_dec(value, 1, lang)
    if unit == "eur":
        return f"{fmt_int(value, lang)}\u00a0€"
    return fmt_dec(value, 1, lang)


def format_change(change: float, unit: str, lang: str = "fi", hidden: bool = False) -> str:
    """A change in the metric's unit (percentage points for shares); ``hidden`` shows "–"."""
    if hidden or is_missing(change):
        return MISSING
    if unit in ("pct", "pct_change"):
        return fmt_pp(change, lang)
    if unit == "scale_1_5":
        return fmt_signed(change, 2, lang)
    if unit == "average":
        return fmt_signed(change, 1, lang)
    if unit == "eur":
        return fmt_signed(change, 0, lang, "\u00a0€")
    return fmt_signed(change, 0, lang)


def status_text(status: str, lang: str = "fi") -> str:
    """Symbol and text of a status, e.g. "✓ tavoitteessa"."""
    return t(f"kpi.status_{status}", lang)


def _source_text(row: object, lang: str) -> str:
    if getattr(row, "is_example"):
        return t("kpi.source_example", lang)
    return t(f"kpi.source_{getattr(row, 'source')}", lang)


def _target_text(row: object, lang: str) -> str:
    target = getattr(row, "target")
    if is_missing(target):
        return t("kpi.no_target", lang)
    text = format_value(target, getattr(row, "unit"), lang)
    effective = getattr(row, "effective_target")
    if not is_missing(effective) and effective != target:
        text = t("kpi.pro_rata", lang, target=text, effective=format_value(effective, getattr(row, "unit"), lang))
    if getattr(row, "target_is_example"):
        text = t("kpi.example_target", lang, target=text)
    return text


def _hide_change(row: object) -> bool:
    if not (getattr(row, "persons") and getattr(row, "unit") == "count"):
        return False
    return is_small(getattr(row, "value")) or is_small(getattr(row, "previous_value"))


def _trend_text(points: pd.DataFrame, row: object, lang: str) -> str:
    own = points[(points["metric_id"] == getattr(row, "metric_id"))
                 & (points["component"] == getattr(row, "component"))]
    if own.empty:
        return MISSING
    values = [format_value(v, getattr(row, "unit"), lang, bool(getattr(row, "persons")))
              for v in own["value"].tail(TREND_TEXT_POINTS)]
    return " · ".join(values)


def _change_text(row: object, lang: str) -> str:
    """The change, saying when it covers only the municipalities reported in both periods or cannot be compared."""
    basis = getattr(row, "change_basis")
    if basis in (kpi.CHANGE_NOT_COMPARABLE, kpi.CHANGE_NO_PREVIOUS):
        return t(f"kpi.change_{basis}", lang)
    text = format_change(row.change, row.unit, lang, _hide_change(row))
    if basis == kpi.CHANGE_COMMON and text != MISSING:
        known = workbook.load_municipalities().set_index("municipality_code")["name_sv" if lang == "sv" else "name_fi"]
        names = ", ".join(str(known.get(c, t("kpi.municipality_whole_area", lang)))
                          for c in getattr(row, "change_detail").split(","))
        text = t("kpi.change_common", lang, change=text, municipalities=names)
    return text


def scorecard_table(card: pd.DataFrame, points: pd.DataFrame, period: str, lang: str = "fi") -> pd.DataFrame:
    """The scorecard rows formatted for readers (one column per heading, every cell text)."""
    end_month = int(config.period_months(period)[-1][5:])
    records = []
    for row in card.itertuples(index=False):
        label = period_label(row.period, row.frequency, lang)
        if row.frequency == "A" and len(row.period) == 4:
            label = _ytd_label(row.period, end_month, lang)
        value = format_value(row.value, row.unit, lang, bool(row.persons))
        if row.coverage:
            key = "kpi.coverage_months" if row.frequency == "A" else "kpi.coverage"
            value = f"{value} {t(key, lang, coverage=row.coverage)}"
        records.append({
            t("kpi.col_metric", lang): _name(row, lang),
            t("kpi.col_period", lang): label,
            t("kpi.col_value", lang): value,
            t("kpi.col_change", lang): _change_text(row, lang),
            t("kpi.col_target", lang): _target_text(row, lang),
            t("kpi.col_status", lang): (t("kpi.baseline_status", lang, year=workbook.PLAN_START_YEAR)
                                        if row.is_baseline and row.status == kpi.NO_TARGET
                                        else status_text(row.status, lang)),
            t("kpi.col_trend", lang): _trend_text(points, row, lang),
            t("kpi.col_source", lang): _source_text(row, lang),
        })
    return pd.DataFrame(records)


def _reason_text(row: object, lang: str) -> str:
    reason, detail = getattr(row, "reason"), getattr(row, "reason_detail")
    metric, component = getattr(row, "metric_id"), getattr(row, "component")
    if reason == kpi.R_NOT_IN_STORE:
        if metric == "long_term_unemployed_change_pct":
            return t("kpi.reason_long_term", lang)
        if metric == "open_vacancies":
            return t("kpi.reason_open_vacancies", lang)
        if metric == "foreign_language_rates":
            return t(f"kpi.reason_fl_{component}", lang)
        return t("kpi.reason_not_in_store", lang, table=detail.partition(":")[0])
    return t(f"kpi.reason_{reason}", lang) if reason else t("kpi.reason_no_value_in_period", lang)


def summary_text(card: pd.DataFrame, lang: str = "fi") -> str:
    """How many of the plan's metrics are on track, off track, without a target and without a value: counted by
    metric, as the main page's plan box counts them, so the four add up to the metrics the section names
    ("Toimintasuunnitelman 26 mittarista 0 on tavoitteessa …; 2 on ilman tavoitetta ja 24 ilman tietoa.");
    a metric of two figures (the foreign-language rates) counts once, by its first figure."""
    first = kpi.per_metric(card)
    counts = kpi.status_counts(first)
    words = {status: grammar.count_word(counts[status], "nominative", lang)
             for status in (kpi.ON_TRACK, kpi.OFF_TRACK, kpi.NO_TARGET, kpi.MISSING)}
    return t("kpi.summary", lang, total=len(first), on_track=words[kpi.ON_TRACK], off_track=words[kpi.OFF_TRACK],
             no_target=words[kpi.NO_TARGET], missing=words[kpi.MISSING])


# ------------------------------------------------------------------------------------------------
# Charts


def _chartable(own: pd.DataFrame, row: object) -> bool:
    if len(own) < 2:
        return False
    if getattr(row, "persons") and getattr(row, "unit") == "count" and own["value"].map(is_small).any():
        return False  # a chart would show person counts 1–4
    return True


SPARK_PLOT, SPARK_TITLE, SPARK_TICKS = 0.7, 0.62, 0.36
"""Inches of a sparkline's row: the line, its name above it (up to three lines of 11 pt) and the periods below."""


def trend_figure(card: pd.DataFrame, points: pd.DataFrame, lang: str, example: bool, caption: str,
                 columns: int = 2) -> html.HTML | None:
    """Sparklines, one small panel per metric with at least two points, and their numbers as a table.

    Each panel has its metric name (wrapped, and shortened with "…" past three lines: the table has it whole),
    the first and last period, markers and the last value written out, so neither colour nor the picture alone
    carries the figures. Two panels a row at the phone's width keep every text at 11 pt.
    """
    from analysis.present import figures  # the chart libraries only where a chart is drawn

    panels = []
    for row in card.itertuples(index=False):
        own = points[(points["metric_id"] == row.metric_id) & (points["component"] == row.component)]
        if _chartable(own, row):
            panels.append((row, own.reset_index(drop=True)))
    if not panels:
        return None
    n_rows = math.ceil(len(panels) / columns)
    height = (SPARK_PLOT + SPARK_TITLE + SPARK_TICKS) * n_rows
    fig, _ax = figures.phone_figure(height)
    fig.clf()
    axes = fig.subplots(n_rows, columns, squeeze=False).ravel()
    table_rows = []
    for i, ax in enumerate(axes):
        if i >= len(panels):
            ax.set_axis_off()
            continue
        row, own = panels[i]
        x = list(range(len(own)))
        ax.plot(x, own["value"], color=figures.PALETTE[0], linestyle=figures.LINESTYLES[0],
                marker=figures.MARKERS[0], markersize=2.5, linewidth=1.3)
        ax.plot([x[-1]], [own["value"].iloc[-1]], marker="o", markersize=5, color=figures.PALETTE[1])
        last = float(own["value"].iloc[-1])
        high = last > (own["value"].min() + own["value"].max()) / 2  # high: the value under the point
        ax.annotate(format_value(last, row.unit, lang, bool(row.persons)), (x[-1], last),
                    textcoords="offset points", xytext=(-5, -5 if high else 5), ha="right",
                    va="top" if high else "bottom", fontsize=figures.SMALLEST_TEXT,
                    bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        ax.set_title(figures.wrap_label(f"{row.section}\u00a0{_name(row, lang)}", 24, 3),
                     fontsize=figures.SMALLEST_TEXT, fontweight="normal", loc="left")
        ax.set_yticks([])
        ax.set_xticks([x[0], x[-1]])
        ticks = ax.set_xticklabels([period_tick(own["period"].iloc[0]), period_tick(own["period"].iloc[-1])],
                                   fontsize=figures.SMALLEST_TEXT)
        ticks[0].set_horizontalalignment("left")
        ticks[-1].set_horizontalalignment("right")
        ax.grid(False)
        for spine in ("top", "right", "left"):
            ax.spines[spine].set_visible(False)
        for rec in own.itertuples(index=False):
            table_rows.append({
                t("kpi.trend_col_metric", lang): _name(row, lang),
                t("kpi.trend_col_period", lang): period_label(rec.period, row.frequency, lang),
                t("kpi.trend_col_value", lang): format_value(rec.value, row.unit, lang, bool(row.persons)),
            })
    fig.subplots_adjust(left=0.03, right=0.97, top=1 - SPARK_TITLE / height, bottom=SPARK_TICKS / height,
                        hspace=(SPARK_TITLE + SPARK_TICKS) / SPARK_PLOT, wspace=0.12)
    alt = t("kpi.trend_alt", lang, n=len(panels))
    if example:
        caption = f"{caption} ({t('kpi.example_label', lang)})"
    return html.figure(fig, alt, caption, pd.DataFrame(table_rows), lang)


# ------------------------------------------------------------------------------------------------
# Blocks


def municipal_table(internal: InternalData, scope: Scope, period: str, lang: str = "fi") -> pd.DataFrame:
    """Internal counts by municipality for the quarter's last month, every count 1–4 shown as "<5".

    The area's total of each metric (the sum of these counts) is published in the scorecard and its
    trend, in this review and in every other review that covers the month, so each row is masked as a
    sum (:func:`analysis.present.disclosure.disclose_parts_and_total`): one more count is hidden as
    ".." where the total minus the shown counts would reveal a small one (62 − 60 = 2).
    A municipality without a value is shown "–" and is not part of the total."""
    from analysis.names import area_name

    catalogue = workbook.load_catalogue()
    counts = kpi.municipal_counts(internal.values, scope, catalogue)
    if counts.empty:
        return pd.DataFrame()
    catalogue = catalogue.set_index("metric_id")
    name_col = "name_sv" if lang == "sv" else "name_fi"
    members = [c for c in scope.members if c in set(counts["municipality"])]
    wide = counts.pivot(index="metric_id", columns="municipality", values="value")
    order = [m for m in catalogue.index if m in wide.index]
    out = pd.DataFrame({t("kpi.col_metric", lang): [catalogue.at[m, name_col] for m in order]})
    cells = {code: [MISSING] * len(order) for code in members}
    for row, metric in enumerate(order):
        reported = [c for c in members if c in wide.columns and not is_missing(wide.at[metric, c])]
        parts = [wide.at[metric, c] for c in reported]
        shown, _total = disclose_parts_and_total(parts, sum(parts), lang)  # the area's total is in the trend
        for code, text in zip(reported, shown):
            cells[code][row] = text
    for code in members:
        out[area_name(code, scope, lang)] = cells[code]
    return out


def scorecard_blocks(scope: Scope, lang: str = "fi", kpi_data: str = "imported",
                     internal_dir: Path | None = None, reviews: pd.DataFrame | None = None,
                     output_dir: Path | str = config.OUTPUTS_DIR,
                     built: tuple[pd.DataFrame, pd.DataFrame, InternalData] | None = None) -> list[html.HTML]:
    """All blocks of the scorecard section in reading order (h2 title, notices, one h3 per plan section).
    ``built``: :func:`build`'s result when already computed for the same arguments."""
    config.check_language(lang)
    card, points, internal = built or build(scope, kpi_data, internal_dir, reviews, output_dir)
    example = internal.mode == "example"
    end = scope.last_month
    month_text = period_label(end, "M", lang)
    blocks: list[html.HTML] = [
        html.heading(t("kpi.title", lang), 2),
        html.paragraph(t("kpi.intro", lang, n=card["metric_id"].nunique(), area=scope.area.name(lang),
                         month_end=grammar.month_end(end, lang))),
    ]
    n_internal = int(card.loc[card["source"] == "internal", "metric_id"].nunique())
    if example:
        blocks.append(html.notice(t("kpi.example_notice", lang, n=n_internal), kind="example", lang=lang))
    elif internal.mode == "imported":
        blocks.append(html.paragraph(t("kpi.imported_notice", lang, imported_at=fmt_moment(internal.imported_at, lang),
                                       file=internal.source_file)))
    elif any(c.startswith("KU") for c in scope.members):
        blocks.append(html.notice(t("kpi.no_internal_notice", lang), kind="missing", lang=lang))

    if kpi.is_baseline(scope):
        blocks.append(html.paragraph(t("kpi.baseline_notice", lang, period=period_words(scope.period.code, lang),
                                       year=workbook.PLAN_START_YEAR)))
    blocks += [html.heading(t("kpi.summary_heading", lang), 3), html.paragraph(summary_text(card, lang))]

    for section, rows in card.groupby("section", sort=False):
        goal = rows["goal_sv" if lang == "sv" else "goal_fi"].iloc[0]
        blocks.append(html.heading(t("kpi.section_heading", lang, section=section, goal=goal), 3))
        blocks.append(html.table(scorecard_table(rows, points, scope.period.code, lang),
                                 t("kpi.table_caption", lang, section=section, goal=goal)))

    chart = trend_figure(card, points, lang, example, t("kpi.trend_caption", lang))
    if chart is not None:
        blocks += [html.heading(t("kpi.trend_heading", lang), 3), chart]
        from analysis.present.structure import vacancy_peak_sentence  # its chart libraries only where a chart is drawn

        peak = vacancy_peak_sentence(scope, lang) if (points["metric_id"] == "open_vacancies").sum() >= 2 else None
        if peak:  # the open vacancies' early-year peak the small chart shows, said where the area's years show it
            blocks.append(html.paragraph(peak))

    missing = card[(card["status"] == kpi.MISSING) | card["value"].isna()]
    missing = missing[missing["reason"] != kpi.R_NO_INTERNAL]
    if not missing.empty:
        blocks.append(html.heading(t("kpi.missing_heading", lang), 3))
        grouped: dict[str, list[str]] = {}
        for row in missing.itertuples(index=False):
            grouped.setdefault(_reason_text(row, lang), []).append(_name(row, lang))
        for text, names in grouped.items():
            blocks.append(html.notice(f"{'; '.join(names)}: {text}", kind="missing", lang=lang))

    table = municipal_table(internal, scope, scope.period.code, lang)
    if not table.empty:
        blocks.append(html.heading(t("kpi.municipal_heading", lang), 3))
        blocks.append(html.paragraph(t("kpi.municipal_intro", lang, month=month_text)))
        caption = t("kpi.municipal_caption", lang, in_month=grammar.in_month(end, lang))
        if example:
            caption = f"{caption} ({t('kpi.example_label', lang)})"
        blocks.append(html.table(table, caption))

    blocks += [
        html.heading(t("kpi.rule_heading", lang), 3),
        html.paragraph(t("kpi.rule", lang)),
        html.paragraph(t("kpi.rule_public", lang)),
        html.paragraph(t("kpi.reviews_note", lang)),
        html.paragraph(t("kpi.source_line", lang)),
    ]
    return blocks




def workbook_texts(lang: str = "fi") -> dict[str, str]:
    """The KPI workbook's instructions and labels in ``lang`` (``kpi.template.*`` strings)."""
    prefix = "kpi.template."
    return {k[len(prefix):]: v for k, v in catalogue(lang).items() if k.startswith(prefix)}


def off_track_text(card: pd.DataFrame, lang: str = "fi") -> str | None:
    """One sentence naming the metrics off track ("Tavoitteesta jäljessä: …."), for the first screen; None when
    none is. Rows shown from example data are left out: the main page states no synthetic figure."""
    behind = kpi.off_track(card)
    behind = behind[~behind["is_example"]]
    if behind.empty:
        return None
    return t("kpi.off_track_lead", lang, metrics="; ".join(_name(row, lang) for row in behind.itertuples(index=False)))


def municipality_metrics_table(rows: pd.DataFrame, lang: str = "fi") -> pd.DataFrame:
    """One municipality's own values of the plan's municipal metrics
    (:func:`analysis.indicators.kpi.municipality_values` rows) as the page shows them: person counts 1–4 as
    "<5", and no change where either value is such a count (it would give the hidden one away)."""
    name = "name_sv" if lang == "sv" else "name_fi"
    out = []
    for row in rows.itertuples(index=False):
        small = row.persons and any(1 <= v <= 4 for v in (row.value, row.previous_value) if not is_missing(v))
        out.append({
            t("kpi.col_metric", lang): getattr(row, name),
            t("kpi.col_period", lang): row.period,
            t("kpi.col_value", lang): format_value(row.value, row.unit, lang, persons=bool(row.persons)),
            t("kpi.col_change", lang): format_change(row.change, row.unit, lang, hidden=small),
            t("kpi.col_target", lang): format_value(row.target, row.unit, lang),
            t("kpi.col_status", lang): status_text(row.status, lang),
        })
    return pd.DataFrame(out)
