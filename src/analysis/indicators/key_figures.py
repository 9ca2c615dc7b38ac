"""The review's first page as data: the key figures of an area at the quarter's last month.

Gathers the headline numbers that the analysis modules compute (no figure is computed twice) and
adds the context the narrative needs: change from the previous month, the whole country's rate
and the area's region among all regions. Every value is NaN when the data does not hold it.
"""

from __future__ import annotations

from analysis.store.scope import Scope

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.indicators import foreign_language, long_term, structure


@dataclass(frozen=True)
class KeyFigures:
    """Headline numbers for one area and quarter.

    ``headline``: one row per indicator (``unemployed_jobseekers``, ``unemployment_rate_pct``,
    ``open_vacancies``; see :func:`analysis.indicators.structure.key_figures`).
    ``previous_month_change``: change of unemployed jobseekers from the month before (persons).
    ``country_rate``: the whole country's unemployment rate at the same month, %.
    ``region_rank`` / ``region_count``: rank of the area's region by unemployment rate, highest = 1.
    ``long_term``: :func:`analysis.indicators.long_term.key_figure`.
    ``foreign``: :func:`analysis.indicators.foreign_language.key_figure`.
    """

    month: str
    headline: pd.DataFrame
    previous_month_change: float
    country_rate: float
    region_code: str
    region_rank: float
    region_count: int
    long_term: dict[str, object]
    foreign: foreign_language.KeyFigure

    def row(self, indicator: str) -> pd.Series:
        """The headline row of ``indicator``."""
        return self.headline.set_index("indicator").loc[indicator]


def key_figures(scope: Scope) -> KeyFigures:
    """The key figures of ``area`` at the last month of quarter ``period`` that the data holds."""
    headline = structure.key_figures(scope)
    month = str(headline["month"].iloc[0])
    counts = scope.counts(["unemployed_jobseekers"])
    by_month = counts.set_index("period")["value"]
    before = scope.month_ago(month)
    previous_change = float(by_month.get(month, np.nan) - by_month.get(before, np.nan))
    country = scope.store.select(["unemployed_jobseekers", "labour_force"], table_id=structure.TABLE,
                           area_codes=["SSS"], occupation_code="SSS")
    country = country[country["period"] == month].set_index("measure")["value"]
    country_rate = float(structure.rate(country.get("unemployed_jobseekers", np.nan),
                                        country.get("labour_force", np.nan)))
    ranking = structure.region_ranking(scope)
    mine = ranking[ranking["area_code"] == scope.region]
    return KeyFigures(
        month=month,
        headline=headline,
        previous_month_change=previous_change,
        country_rate=country_rate,
        region_code=scope.region,
        region_rank=float(mine["rank"].iloc[0]) if not mine.empty else np.nan,
        region_count=int(ranking["rate"].notna().sum()),
        long_term=long_term.key_figure(scope),
        foreign=foreign_language.key_figure(scope),
    )
