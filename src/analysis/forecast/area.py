"""The area's forecast as the review shows it: the area's unemployed jobseekers six months ahead.

:func:`forecast_facts` gives the forecast made at the period's last month (from data up to it), the months
before it, the outcome where the data already hold it, and how close the forecasts made before the period
came. The review's main page (:mod:`analysis.present.review_page`) words and draws it.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from analysis.indicators import structure
from analysis.store.scope import Scope

FORECAST_SERIES = "unemployed_jobseekers|total|SSS"
"""The series of the main page's forecast: the area's unemployed jobseekers (12ti total)."""
FORECAST_H = 6
MIN_ACCURACY_CASES = 8
"""Fewest earlier forecasts (two years of quarterly origins) whose median error the sentence states."""


def forecast_facts(scope: Scope, data: object | None = None) -> tuple[pd.DataFrame | None, object | None]:
    """The forecast of the area's unemployed made at the period's last month (from data up to it),
    the months before it, and what happened after it where the data already holds it; and the
    accuracy of the forecasts made before the period (their targets no later than its last month).

    The scope's data end at the period, so a past period holds fewer backtest origins than the
    published accuracy needs (2020Q1: 21 of 24); the forecast made then is still shown, with the
    past errors of the origins it holds (:func:`occupations.known_backtest`).

    Frame columns: ``month``, ``kind`` (history | forecast), ``value`` (observed or point), ``lo80``,
    ``hi80``, ``actual`` (the outcome of a forecast month; NaN when not yet known); the accuracy is
    None when fewer than :data:`MIN_ACCURACY_CASES` earlier forecasts of the total have their
    outcome in the data (a review of 2015-2016). ``(None, None)`` when the area has no occupation
    series to forecast. ``data``: the area's :func:`~analysis.forecast.occupations.occupation_panel`
    when already computed."""
    from analysis.forecast import occupations as occ  # its models only when a forecast is asked for

    code, origin = scope.occupation_code, scope.month(structure.OCC_TABLE)
    if code is None or origin is None:
        return None, None
    try:
        data = occ.occupation_panel(scope.store, code) if data is None else data
        fc, _hit = occ.forecast(data, origin)
        result, _hit = occ.known_backtest(data)
    except occ.NotEnoughData:
        return None, None
    own = fc[fc["series_id"] == FORECAST_SERIES]
    if own.empty:
        return None, None

    def total(obs: pd.DataFrame) -> pd.Series:
        mask = (obs["area_code"] == code) & (obs["occupation_code"] == "SSS") & (obs["measure"] == "unemployed_jobseekers")
        return obs.loc[mask].set_index("period")["value"].sort_index()

    history = total(scope.table(structure.OCC_TABLE).observations).tail(24)
    later = total(scope.later(structure.OCC_TABLE).observations)
    rows = [{"month": m, "kind": "history", "value": float(v), "lo80": np.nan, "hi80": np.nan, "actual": float(v)}
            for m, v in history.items()]
    rows += [{"month": r.target, "kind": "forecast", "value": float(r.forecast), "lo80": float(r.lo80),
              "hi80": float(r.hi80), "actual": float(later.get(r.target, np.nan))} for r in own.itertuples()]
    if result is None:
        return pd.DataFrame(rows), None
    cases = result.cases
    known = dataclasses.replace(result, cases=cases[(cases["target"] <= origin) & (cases["series_id"] == FORECAST_SERIES)])
    accuracy = occ.accuracy_summary(known, h=FORECAST_H, measure="unemployed_jobseekers")
    return pd.DataFrame(rows), (accuracy if accuracy.cases >= MIN_ACCURACY_CASES else None)
