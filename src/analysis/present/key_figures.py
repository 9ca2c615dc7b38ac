"""The review's first page: key figures with their change as symbol and text, and the narrative.

The narrative is written from the numbers in the style of the regional employment reviews
("Keski-Pohjanmaan työllisyysalueella oli syyskuun lopussa 2 307 työtöntä työnhakijaa, 175 enemmän
kuin vuotta aiemmin."). Each sentence has a form for rise, fall and no change, and a sentence whose
figure the data does not hold is replaced by a plain statement of what is missing, never a number.
"""

from __future__ import annotations

from analysis.store.scope import Scope

import pandas as pd

from analysis.indicators.key_figures import KeyFigures
from analysis.present import html
from analysis.present.disclosure import disclose_count
from analysis.present.fmt import (
    MISSING,
    fmt_dec,
    fmt_int,
    fmt_pct,
    fmt_pct_change,
    fmt_pp,
    is_missing,
)
from analysis.present.structure import area_name, change_cell, pct_change_cell
from analysis.present.text import t

NS = "key_figures"


def _tx(key: str, lang: str, **values: object) -> str:
    return t(f"{NS}.{key}", lang, **values)


def direction(change: float, lang: str, decimals: int = 0) -> str:
    """Direction of a change as symbol and word: "▲ kasvoi", "▼ väheni", "● ennallaan", "– tieto puuttuu"."""
    if is_missing(change):
        return _tx("dir_missing", lang)
    if round(change, decimals) == 0:
        return _tx("dir_same", lang)
    return _tx("dir_up", lang) if change > 0 else _tx("dir_down", lang)


def month_phrase(month: str, lang: str) -> str:
    """"syyskuun lopussa 2023" / "i slutet av september 2023" for ``YYYY-MM``."""
    year, mon = month.split("-")
    names = _tx("month_genitive", lang).split(",")
    return _tx("month_end", lang, month=names[int(mon) - 1], year=year)


def _more_less(change: float, lang: str) -> str:
    if round(change) == 0:
        return _tx("same_as_year_ago", lang)
    key = "more_than_year_ago" if change > 0 else "less_than_year_ago"
    return _tx(key, lang, n=fmt_int(abs(change), lang))


def _where(scope: Scope, lang: str) -> str:
    return scope.area.located(lang) or _tx("where_default", lang, area=scope.area.name(lang))


def narrative(kf: KeyFigures, scope: Scope, lang: str = "fi") -> list[str]:
    """5–8 sentences about the quarter, each built only from figures the data holds."""
    sentences: list[str] = []
    unemployed = kf.row("unemployed_jobseekers")
    n = unemployed["value"]
    when = month_phrase(kf.month, lang)
    if is_missing(n):
        sentences.append(_tx("unemployed_missing", lang, where=_where(scope, lang), when=when))
    else:
        noun = _tx("unemployed_one" if n == 1 else "unemployed_many", lang, n=fmt_int(n, lang))
        if is_missing(unemployed["change"]):
            sentences.append(_tx("unemployed_level", lang, where=_where(scope, lang), when=when, count=noun))
        else:
            sentences.append(_tx("unemployed_change", lang, where=_where(scope, lang), when=when, count=noun,
                                 change=_more_less(unemployed["change"], lang)))
    if not is_missing(kf.previous_month_change):
        change = kf.previous_month_change
        key = "month_same" if round(change) == 0 else ("month_up" if change > 0 else "month_down")
        sentences.append(_tx(key, lang, n=fmt_int(abs(change), lang)))
    rate = kf.row("unemployment_rate_pct")
    if not is_missing(rate["value"]):
        if is_missing(rate["change"]):
            sentences.append(_tx("rate_level", lang, rate=fmt_pct(rate["value"], 1, lang)))
        else:
            pp = round(rate["change"], 1)
            key = "rate_same" if pp == 0 else ("rate_up" if pp > 0 else "rate_down")
            sentences.append(_tx(key, lang, rate=fmt_pct(rate["value"], 1, lang), pp=fmt_dec(abs(pp), 1, lang)))
    if not is_missing(kf.country_rate) or not is_missing(kf.region_rank):
        parts = []
        if not is_missing(kf.country_rate):
            parts.append(_tx("country_rate", lang, rate=fmt_pct(kf.country_rate, 1, lang)))
        if not is_missing(kf.region_rank):
            parts.append(_tx("region_rank", lang, region=area_name(kf.region_code, scope, lang),
                             rank=fmt_int(kf.region_rank, lang), count=fmt_int(kf.region_count, lang)))
        sentences.append(" ".join(parts))
    vacancies = kf.row("open_vacancies")
    if is_missing(vacancies["value"]):
        sentences.append(_tx("vacancies_missing", lang))
    elif is_missing(vacancies["change"]):
        sentences.append(_tx("vacancies_level", lang, n=fmt_int(vacancies["value"], lang)))
    else:
        sentences.append(_tx("vacancies_change", lang, n=fmt_int(vacancies["value"], lang),
                             change=_more_less(vacancies["change"], lang)))
    sentences.append(_long_term_sentence(kf, lang))
    foreign = _foreign_sentence(kf, scope, lang)
    if foreign:
        sentences.append(foreign)
    return sentences


def _long_term_sentence(kf: KeyFigures, lang: str) -> str:
    lt = kf.long_term
    if not lt.get("available"):
        missing = lt.get("missing") or {}
        return _tx("long_term_missing", lang, table=missing.get("table", "12r5"),
                   measure=missing.get("measure", "PITKAAIKAISTYOTTOMAT"),
                   command=missing.get("command", "python -m analysis fetch"))
    value, share, change_pct = lt["value"], lt["share_pct"], lt["change_pct"]
    if is_missing(change_pct):
        return _tx("long_term_level", lang, n=disclose_count(value, lang), share=fmt_pct(share, 1, lang))
    return _tx("long_term_change", lang, n=disclose_count(value, lang), share=fmt_pct(share, 1, lang),
               change=fmt_pct_change(change_pct, 1, lang))


def _foreign_sentence(kf: KeyFigures, scope: Scope, lang: str) -> str:
    fk = kf.foreign
    if fk.kind == "unemployed_foreign_language":
        return _tx("foreign_unemployed", lang, n=disclose_count(fk.value, lang),
                   share=fmt_pct(fk.share_pct, 1, lang))
    if fk.kind == "share_range":
        return _tx("foreign_share_range", lang, year=fk.period,
                   low=fmt_pct(fk.min_value, 1, lang), low_area=area_name(fk.min_area, scope, lang),
                   high=fmt_pct(fk.max_value, 1, lang), high_area=area_name(fk.max_area, scope, lang))
    return _tx("foreign_missing", lang)


def key_table(kf: KeyFigures, lang: str = "fi") -> pd.DataFrame:
    """The key figures: value, change from a year earlier (number, and direction as symbol and text)."""
    rows = []
    for indicator in ("unemployed_jobseekers", "unemployment_rate_pct", "open_vacancies"):
        r = kf.row(indicator)
        if indicator == "unemployment_rate_pct":
            value, change = fmt_pct(r["value"], 1, lang), fmt_pp(r["change"], lang)
        else:  # the disclosure rules of the analysis tables: ".." beside a count 1–4, "*" on a base under 20
            value = disclose_count(r["value"], lang)
            change = change_cell(r["value"], r["value_year_ago"], lang)
            pct = pct_change_cell(r["value"], r["value_year_ago"], lang)
            if pct not in (MISSING, change):
                change += f" ({pct})"
        rows.append([_tx(f"label_{indicator}", lang), value, change,
                     direction(r["change"], lang, 1 if indicator == "unemployment_rate_pct" else 0), r["month"]])
    lt = kf.long_term
    if lt.get("available"):
        rows.append([_tx("label_long_term", lang), disclose_count(lt["value"], lang),
                     pct_change_cell(lt["value"], lt["value_year_ago"], lang), direction(lt["change"], lang),
                     lt["month"]])
    else:
        rows.append([_tx("label_long_term", lang), _tx("not_in_data", lang), MISSING, _tx("dir_missing", lang), MISSING])
    fk = kf.foreign
    if fk.kind == "unemployed_foreign_language":
        rows.append([_tx("label_foreign_unemployed", lang), disclose_count(fk.value, lang), MISSING, MISSING, fk.period])
    elif fk.kind == "share_range":
        rows.append([_tx("label_foreign_share", lang),
                     f"{fmt_pct(fk.min_value, 1, lang)} – {fmt_pct(fk.max_value, 1, lang)}", MISSING,
                     _tx("no_comparison", lang), fk.period])
    else:
        rows.append([_tx("label_foreign_share", lang), _tx("not_in_data", lang), MISSING, _tx("dir_missing", lang), MISSING])
    columns = [_tx(f"col_{c}", lang) for c in ("indicator", "value", "change", "direction", "period")]
    return pd.DataFrame(rows, columns=columns)


def key_figure_blocks(kf: KeyFigures, scope: Scope, period: str, lang: str = "fi") -> list[html.HTML]:
    """The first page of the review, in reading order."""
    return [
        html.heading(_tx("title", lang, period=period), 2),
        html.HTML("".join(f"<p>{html.esc(s)}</p>" for s in narrative(kf, scope, lang))),
        html.table(key_table(kf, lang), _tx("table_caption", lang, area=scope.area.name(lang),
                                            when=month_phrase(kf.month, lang))),
        html.paragraph(_tx("table_note", lang)),
    ]
