"""The review's figures: every number the main page and the municipality pages show, computed once.

:func:`compute_facts` gathers them into a :class:`ReviewFacts` from the indicator modules (the standard
groups, the level table, the region and employment-area rankings, the occupations and their tightness);
``analysis.present.review_page`` and ``analysis.present.municipality_page`` only word, format and draw them.
The forecast and the scorecard are computed by the layers that own them
(:func:`analysis.forecast.area.forecast_facts`, the KPI scorecard) and passed in;
``analysis.review.facts.load_facts`` and ``analysis.facts`` give the whole, cached.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import config
from analysis.indicators import employment_areas, skills, structure
from analysis.indicators import groups as groups_mod
from analysis.store.scope import Scope, totals_filter

TREND_MONTHS = 3
"""The year-on-year changes of this many months are averaged to say whether a change sped up or slowed."""
TREND_MIN_PERSONS = 25
TREND_MIN_SHARE = 0.01
"""A change "sped up" or "slowed" only when the mean of the last :data:`TREND_MONTHS` months' changes from a
year earlier differs from the mean of the three months before by at least the larger of 25 persons and 1 %
of the level (2 307 unemployed: 25 persons): a month's difference of a few persons (2023-09: August +166,
September +175) is noise, not a trend."""
SMALL_CHANGE = 10
"""A change of fewer persons than this is never named the "most" (a municipality's or an occupation group's)."""
SMALL_MUNICIPALITY = 100
"""Municipalities with fewer unemployed than this get a caution: a few persons move their rate visibly."""


@dataclass(frozen=True)
class Trend:
    """The direction of the unemployed's change from a year earlier: the mean of the last three months'
    changes (``now``) against the three months before (``before``), and the verdict ``faster``, ``slower``,
    ``turned`` or ``steady`` (the difference is under the minimum: :data:`TREND_MIN_PERSONS`)."""

    now: float
    before: float
    verdict: str


def year_change_trend(scope: Scope) -> Trend | None:
    """The trend of the area's unemployed from the monthly changes from a year earlier up to the period's
    last month; None when the data hold fewer than six such months."""
    series = groups_mod.unemployed_series(scope)
    month = scope.pick_month(series.index)
    if month is None:
        return None
    changes, m = [], month
    for _ in range(2 * TREND_MONTHS):
        changes.append(float(series.get(m, np.nan)) - float(series.get(scope.year_ago(m), np.nan)))
        m = scope.month_ago(m)
    if any(np.isnan(changes)):
        return None
    now, before = float(np.mean(changes[:TREND_MONTHS])), float(np.mean(changes[TREND_MONTHS:]))
    return Trend(now, before, trend_verdict(now, before, float(series[month])))


def trend_verdict(now: float, before: float, level: float) -> str:
    """``steady`` when the mean changes ``before`` and ``now`` differ by less than the minimum
    (:data:`TREND_MIN_PERSONS`, :data:`TREND_MIN_SHARE` of ``level``: a flip from −3 to +2 is no turn either),
    else ``turned`` when they differ in sign, else ``faster`` or ``slower``."""
    if abs(now - before) < max(TREND_MIN_PERSONS, TREND_MIN_SHARE * level):
        return "steady"
    if (now > 0) != (before > 0):
        return "turned"
    return "faster" if abs(now) > abs(before) else "slower"


HISTORY_MONTHS = 24
"""The municipality pages draw this many months of each member municipality's unemployed."""


def municipality_history(scope: Scope) -> pd.DataFrame:
    """Each member municipality's unemployed and rate over the :data:`HISTORY_MONTHS` months up to the
    period's reference month. Columns ``area_code``, ``month``, ``unemployed``, ``labour_force``, ``rate``
    (%); a month the data lack is NaN, never filled in."""
    columns = ["area_code", "month", "unemployed", "labour_force", "rate"]
    codes = list(scope.municipalities)
    month = scope.month(structure.TABLE)
    if not codes or month is None:
        return pd.DataFrame(columns=columns)
    months = [str(p) for p in pd.period_range(end=pd.Period(month, freq="M"), periods=HISTORY_MONTHS, freq="M")]
    get = structure.counts_at(scope, codes, months)
    rows = []
    for code in codes:
        for m in months:
            u, lf = get(code, m, "unemployed_jobseekers"), get(code, m, "labour_force")
            rows.append({"area_code": code, "month": m, "unemployed": u, "labour_force": lf, "rate": structure.rate(u, lf)})
    return pd.DataFrame(rows, columns=columns)


def municipality_rate_history(scope: Scope) -> pd.DataFrame:
    """Each member municipality's unemployment rate as StatFin publishes it (12r5 ``TYOTOSUUS``, %, read as
    ``unemployment_rate_pct``): the :data:`HISTORY_MONTHS` latest months the data hold before the period's
    reference month, then every month after them up to the reference month. The rows of a municipality are
    consecutive months; a month the data lack (the months between the published series and the period, a
    suppressed cell) is NaN, never filled in. For the pages whose 24 months of counts the data do not hold
    (:func:`municipality_history`: the monthly review of June 2026 holds its own month only). Columns
    ``area_code``, ``month``, ``rate`` (%); empty when the data hold no published rate before the month."""
    columns = ["area_code", "month", "rate"]
    codes = list(scope.municipalities)
    month = scope.month(structure.TABLE)
    tab = scope.table(structure.TABLE)
    if not codes or month is None or not tab.has(structure.RATE, structure.TABLE):
        return pd.DataFrame(columns=columns)
    obs = tab.select(structure.RATE, table_id=structure.TABLE, area_codes=codes, **totals_filter(structure.TABLE))
    obs = obs[(obs["period"].str.len() == 7) & (obs["period"] <= month)].dropna(subset=["value"])
    held = {code: dict(zip(own["period"], own["value"].astype(float))) for code, own in obs.groupby("area_code")}
    rows = []
    for code in codes:
        rates = held.get(code, {})
        before = sorted(m for m in rates if m < month)[-HISTORY_MONTHS:]
        if not before:
            continue
        for m in pd.period_range(before[0], month, freq="M").astype(str):
            rows.append({"area_code": code, "month": m, "rate": rates.get(m, np.nan)})
    return pd.DataFrame(rows, columns=columns)


LONG_MONTHS = 60
TREND_WINDOW = 12
"""The main page's five-year chart: the area's and the country's unemployed over :data:`LONG_MONTHS` months,
with their trend as the mean of the last :data:`TREND_WINDOW` months (a year's mean holds every season once,
so the seasons cancel), both as an index of the first month shown (= 100)."""


def long_history(scope: Scope) -> pd.DataFrame:
    """The area's and the country's unemployed over the :data:`LONG_MONTHS` months up to the period's
    reference month: ``month``, ``area``, ``country`` (persons), ``area_trend``, ``country_trend`` (12-month
    means, persons) and ``area_index``, ``country_index`` (the trends as an index, first month = 100). Empty
    when the data lack the months for a trend; a month the data lack is NaN."""
    columns = ["month", "area", "country", "area_trend", "country_trend", "area_index", "country_index"]
    series = groups_mod.unemployed_series(scope)
    month = scope.pick_month(series.index)
    if month is None:
        return pd.DataFrame(columns=columns)
    months = [str(p) for p in pd.period_range(end=pd.Period(month, freq="M"), periods=LONG_MONTHS + TREND_WINDOW - 1,
                                               freq="M")]
    get = structure.counts_at(scope, ["SSS"], months, ("unemployed_jobseekers",))
    frame = pd.DataFrame({"month": months, "area": [float(series.get(m, np.nan)) for m in months],
                          "country": [get("SSS", m, "unemployed_jobseekers") for m in months]})
    for col in ("area", "country"):
        frame[f"{col}_trend"] = frame[col].rolling(TREND_WINDOW, min_periods=TREND_WINDOW).mean()
    frame = frame.iloc[TREND_WINDOW - 1:].reset_index(drop=True)
    if frame[["area_trend", "country_trend"]].iloc[0].isna().any():
        return pd.DataFrame(columns=columns)
    for col in ("area", "country"):
        frame[f"{col}_index"] = 100 * frame[f"{col}_trend"] / frame[f"{col}_trend"].iloc[0]
    return frame[columns]


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
    outlook: object | None = None
    """The skills-needs outlook six months ahead as the main page states it
    (``forecast.outlook.OutlookSummary``: the groups expected in shortage and surplus with their
    probabilities, and how many of the area's recent outlooks gave the right class), or None."""
    area_ranking: employment_areas.EmploymentAreaRanking | None = None
    """The area among all employment areas by unemployment rate."""
    tightness: pd.DataFrame | None = None
    """Vacancies per unemployed by two-digit group over the period's months, with bounds and class
    (:func:`analysis.indicators.skills.period_tightness`: the skills section's computation)."""
    trend: Trend | None = None
    """Whether the change from a year earlier sped up or slowed (:func:`year_change_trend`)."""
    municipal_metrics: pd.DataFrame | None = None
    """Each member municipality's own values of the plan's municipal metrics (the workbook's imported rows:
    :func:`analysis.indicators.kpi.municipality_values`, with its ``municipality``); None without imported
    values (never the example data: a municipality's page states no synthetic figure)."""
    municipality_history: pd.DataFrame | None = None
    """The member municipalities' unemployed and rate over the last 24 months (:func:`municipality_history`)."""
    long_history: pd.DataFrame | None = None
    """The area's and the country's unemployed over five years with their trends as an index (:func:`long_history`)."""
    municipality_groups: pd.DataFrame | None = None
    """Each member municipality's standard groups where the data hold them, at the area's month and a year
    earlier (:func:`analysis.indicators.groups.municipality_groups`)."""
    municipality_rates: pd.DataFrame | None = None
    """The member municipalities' published rates over the latest 24 months the data hold and up to the
    period's month, the months between NaN (:func:`municipality_rate_history`)."""

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
    standard = groups_mod.standard_groups(scope)
    return ReviewFacts(
        scope=scope,
        forecast=found,
        accuracy=accuracy,
        groups=standard,
        history=groups_mod.year_change_history(scope),
        levels=structure.level_table(scope),
        ranking=structure.region_ranking(scope),
        area_ranking=employment_areas.employment_area_ranking(scope, config.load_areas()),
        occupations=occupations,
        occupation_context=context,
        scorecard=scorecard,
        tightness=tight if months else None,
        trend=year_change_trend(scope),
        municipality_history=municipality_history(scope),
        long_history=long_history(scope),
        municipality_groups=groups_mod.municipality_groups(scope, standard),
        municipality_rates=municipality_rate_history(scope),
    )
