"""The review's figures: every number the main page and the municipality pages show, computed once.

:func:`compute_facts` gathers them into a :class:`ReviewFacts` from the indicator modules (the standard
groups, the level table, the region and employment-area rankings, the occupations and their tightness);
``analysis.present.review_page`` only words, formats and draws them. The forecast and the scorecard are
computed by the layers that own them (:func:`analysis.forecast.area.forecast_facts`, the KPI scorecard)
and passed in; ``analysis.review.facts.load_facts`` and ``analysis.facts`` give the whole, cached.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import config
from analysis.indicators import employment_areas, skills, structure
from analysis.indicators import groups as groups_mod
from analysis.store.scope import Scope


@dataclass(frozen=True)
class ReviewFacts:
    """Every figure of the review's main page and municipality pages for one scope.

    Counts are persons (vacancies: jobs), rates %, changes persons or percentage points.
    """

    scope: Scope
    """The area and period, as of the period (months, members, data vintage)."""
    groups: pd.DataFrame
    """The standard groups (:func:`analysis.indicators.groups.standard_groups`): one row per group with the
    value at its reference month, the previous period, a month and a year earlier and the changes;
    ``available`` False / ``ends_earlier`` True where the data lack the group (never a filled-in number)."""
    history: pd.DataFrame
    """Change of unemployed from a year earlier at the reference month and the comparison months before it
    (:func:`analysis.indicators.groups.year_change_history`)."""
    levels: pd.DataFrame
    """Unemployed, labour force and rate of the area, its municipalities, sub-regions, region and the
    country (:func:`analysis.indicators.structure.level_table`)."""
    ranking: pd.DataFrame
    """The 19 regions by unemployment rate, rank 1 = highest (:func:`analysis.indicators.structure.region_ranking`)."""
    occupations: pd.DataFrame | None
    """Two-digit occupation groups at the occupation table's reference month
    (:func:`analysis.indicators.structure.occupation_groups`), with the period's tightness of each group
    (``tightness``, ``tightness_low``, ``tightness_high``: vacancies per unemployed, and ``tightness_class``)
    from :func:`analysis.indicators.skills.period_tightness`; None when the data hold no occupations."""
    occupation_context: bool
    """True when the occupations are the region's (context), not the area's own."""
    scorecard: pd.DataFrame | None
    """The action plan's scorecard (public and imported internal metrics), or None."""
    forecast: pd.DataFrame | None = None
    """The area's unemployed: history, the forecast made at the period with its 80 % band, and the outcome
    (:func:`analysis.forecast.area.forecast_facts`); None without a forecast."""
    accuracy: object | None = None
    """How close earlier forecasts came (``forecast.occupations.AccuracySummary``), or None."""
    area_ranking: employment_areas.EmploymentAreaRanking | None = None
    """The area among all employment areas by unemployment rate."""
    tightness: pd.DataFrame | None = None
    """Vacancies per unemployed by two-digit group over the period's months, with bounds and class
    (:func:`analysis.indicators.skills.period_tightness`: the skills section's computation)."""

    def group(self, key: str) -> pd.Series:
        """One standard group's row (``unemployed``, ``rate``, ``long_term``, …)."""
        return self.groups.set_index("group").loc[key]

    @property
    def shortage(self) -> pd.DataFrame:
        """The shortage occupations of the period, surest first (the skills section's list)."""
        if self.tightness is None:
            return skills.shortage(skills.tightness_now(pd.DataFrame(columns=list(skills.SERIES_COLUMNS)), []))
        return skills.shortage(self.tightness)

    @property
    def top_shortage(self) -> str | None:
        """The two-digit group most surely in shortage in the period, or None."""
        found = self.shortage
        return None if found.empty else str(found["group_code"].iloc[0])


def compute_facts(scope: Scope, scorecard: pd.DataFrame | None = None,
                  forecast: tuple[pd.DataFrame | None, object | None] = (None, None),
                  series: pd.DataFrame | None = None) -> ReviewFacts:
    """The review's figures for ``scope``. ``scorecard`` and ``forecast`` (the frame and the accuracy of
    :func:`analysis.forecast.area.forecast_facts`) are computed by their own layers and passed in;
    ``series``: the area's occupation group series when already computed."""
    occupations, context = None, False
    months, tight = skills.period_tightness(scope, series)
    if scope.occupation_codes is not None and scope.month(structure.OCC_TABLE) is not None:
        occupations = structure.occupation_groups(scope, 2).drop(columns="tightness")
        period = tight.rename(columns={"class": "tightness_class"})[
            ["group_code", "tightness", "tightness_low", "tightness_high", "tightness_class"]]
        occupations = occupations.merge(period, on="group_code", how="left")
        context = scope.occupation_codes[1]
    found, accuracy = forecast
    return ReviewFacts(
        scope=scope,
        forecast=found,
        accuracy=accuracy,
        groups=groups_mod.standard_groups(scope),
        history=groups_mod.year_change_history(scope),
        levels=structure.level_table(scope),
        ranking=structure.region_ranking(scope),
        area_ranking=employment_areas.employment_area_ranking(scope, config.load_areas()),
        occupations=occupations,
        occupation_context=context,
        scorecard=scorecard,
        tightness=tight if months else None,
    )
