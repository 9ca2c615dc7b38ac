"""Words and look-ups the review's pages share: the main page (:mod:`analysis.present.review_page`), its
skills-needs outlook (:mod:`analysis.present.review_outlook`) and the member municipalities' pages
(:mod:`analysis.present.municipality_page`). Their strings are the ``review_page.*`` keys
(``strings/{fi,sv}/review_page.yaml``, :func:`tx`); months and ranks in words, a standard group's name inside
a sentence, and the rows of :class:`~analysis.indicators.review.ReviewFacts` the pages read by name.
"""

from __future__ import annotations

import pandas as pd

from analysis.indicators.review import ReviewFacts
from analysis.present import grammar as g
from analysis.present.text import t

# --------------------------------------------------------------------------- words for periods


def tx(key: str, lang: str, **values: object) -> str:
    """The review pages' string ``review_page.<key>`` in ``lang``."""
    return t(f"review_page.{key}", lang, **values)


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


def inline_label(group: str, lang: str) -> str:
    """A standard group's name inside a sentence: lower case, and the tile's "Ulkomaan kansalaiset, työttömät"
    as "työttömät ulkomaan kansalaiset" (a comma inside a list item would split it in two)."""
    key = f"review_page.inline_{group}"
    try:
        return t(key, lang)
    except KeyError:
        return g.list_item(tx(f"group_{group}", lang))


# --------------------------------------------------------------------------- the facts' rows by name
# The figures are computed below present/: analysis.indicators.review (ReviewFacts, compute_facts) and
# analysis.forecast.area (the forecast); the pages only word, format and draw them.


def group_row(facts: ReviewFacts, key: str) -> pd.Series:
    """The standard group ``key``'s row of the review's figures (:attr:`ReviewFacts.groups`)."""
    return facts.groups.set_index("group").loc[key]


def known_place(code: str) -> bool:
    """Whether the grammar knows ``code`` (a municipality, region or the country), so its cases can be asked."""
    try:
        g.place(code)
    except KeyError:
        return False
    return True


def locative(code: str, lang: str) -> str | None:
    """"Lestijärvellä" / "Lestijärvi" (the Swedish frame says "i"); None without a cited Finnish form."""
    return g.place_case(code, "locative", lang) if known_place(code) else None


def country_row(facts: ReviewFacts) -> pd.Series | None:
    """The whole country's row of the review's levels (its rate and changes), or None where the data lack it."""
    country = facts.levels[facts.levels["level"] == "country"]
    return None if country.empty else country.iloc[0]


VACANCY_GROUPS = ("new_vacancies", "open_vacancies", "vacancies_during_month")
"""The vacancy figures in the order the main page prefers one of them: the new vacancies of the month (as the
monthly releases lead with), else those open at its end, else those open during it."""


def vacancy_group(facts: ReviewFacts) -> str | None:
    """The one vacancy figure the main page shows (tile and sentence): the first of :data:`VACANCY_GROUPS`
    the data hold for the period; the others are in the appendix."""
    for key in VACANCY_GROUPS:
        row = group_row(facts, key)
        if row["available"] and isinstance(row["month"], str):
            return key
    return None
