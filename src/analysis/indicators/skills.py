"""Skills needs by occupation: roll-ups of StatFin 12ti, tightness and its classes.

Data: StatFin 12ti, unemployed jobseekers and open vacancies by four-digit occupation
(Ammattiluokitus 2010) at the end of each month, for a region and the whole country.

Suppressed cells and the roll-up rule
-------------------------------------
StatFin does not publish four-digit cells of 1–4 persons: such a cell is empty (NaN in the
store). In the embedded snapshot no published four-digit cell has a value of 1–4 (checked by
:func:`suppression_is_small_counts`), so an empty cell is a count of **1 to 4, never 0**.
A group (two-digit: the first two characters of the code; one-digit: the first character) is
rolled up by this explicit rule, never by silently reading an empty cell as 0:

- ``published_sum`` S: sum of the group's published four-digit cells in the month;
- ``suppressed_cells`` k: number of the group's empty cells in that month;
- ``lower`` = S + k and ``upper`` = S + 4k: the range in which the true group count lies;
- ``value`` = S **only when** the suppressed cells can add at most
  :data:`SUPPRESSION_TOLERANCE` (20 %) to it, i.e. 4k ≤ 0.20 · S; otherwise the month is
  **missing** (NaN). With k = 0 the value is exact. S = 0 with k > 0 is missing.

The area total (occupation code ``SSS``) is StatFin's own published total and exact.
Because of the rule, ``value`` understates a group by at most 20 % in a month that counts; the
forecast and its accuracy refer to this same quantity.

Which series are forecast
-------------------------
A series (group × measure) is forecast only when, from :data:`HISTORY_START` to the last month,
at least :data:`MIN_SHARE_COUNTED` of the months count, the last 13 months all count (the models
need the latest month and the month a year earlier), and its mean over the last 24 months is at
least :data:`MIN_MEAN_LEVEL` persons or jobs. Every other series is listed with its reason. The
rule is applied at each forecast origin with the data up to that origin only
(:func:`forecastable_at`), so the backtest never selects series by what happened later.

Tightness
---------
Tightness = open vacancies / unemployed jobseekers in the group (jobs per jobseeker). Classes,
set before looking at the results and related to Työvoimabarometri's five classes (an expert
panel; "suuri pula", "pula" -> shortage; "tasapaino" -> balance; "ylitarjonta", "suuri
ylitarjonta" -> surplus):

- shortage: tightness ≥ :data:`SHORTAGE_AT` (1.0: at least as many notified vacancies as
  unemployed jobseekers in the occupation);
- surplus: tightness < :data:`SURPLUS_BELOW` (0.25: four or more unemployed jobseekers per
  notified vacancy);
- balance: in between.

With suppressed cells the tightness is known only within bounds (lower vacancies / upper
unemployed … upper vacancies / lower unemployed); a class is given only when both bounds fall in
the same class, otherwise the class is ``uncertain``. A group whose vacancies and unemployed add
up to fewer than :data:`MIN_CLASS_SIZE` (lower bounds) is ``small`` and not classified.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.schema import TOTAL, Store
from analysis.store.scope import Scope

TABLE_ID = "12ti"
MEASURES: tuple[str, ...] = ("unemployed_jobseekers", "open_vacancies")
SUPPRESSED_MIN = 1
SUPPRESSED_MAX = 4
SUPPRESSION_TOLERANCE = 0.20
"""A group-month counts when its suppressed cells can add at most this share to the published sum."""
HISTORY_START = "2010-01"
MIN_SHARE_COUNTED = 0.90
MIN_MEAN_LEVEL = 10.0
SHORTAGE_AT = 1.0
SURPLUS_BELOW = 0.25
MIN_CLASS_SIZE = 10.0
"""A group is classified only when its vacancies and unemployed add up to at least this (lower bounds)."""
TOP_N = 5
"""Groups named in a class's list (the skills section's tables, the review's shortage occupations)."""
CLASSES: tuple[str, ...] = ("shortage", "balance", "surplus", "uncertain", "small")
LEVELS: tuple[str, ...] = ("total", "1", "2")
ROLLUP_COLUMNS: tuple[str, ...] = ("group_code", "period", "published_sum", "suppressed_cells", "lower", "upper", "value")
SERIES_COLUMNS: tuple[str, ...] = (
    "area_code", "measure", "level", "group_code", "period",
    "published_sum", "suppressed_cells", "lower", "upper", "value",
)


def occupation_cells(store: Store, area_code: str, measure: str) -> pd.DataFrame:
    """Wide frame of four-digit cells: index month ``YYYY-MM``, columns occupation codes, NaN = suppressed."""
    obs = store.select(measure, table_id=TABLE_ID, area_codes=[area_code])
    four = obs[obs["occupation_code"].str.fullmatch(r"[0-9]{4}")]
    wide = four.pivot(index="period", columns="occupation_code", values="value")
    return wide.sort_index().sort_index(axis=1)


def rollup(cells: pd.DataFrame, level: int, tolerance: float = SUPPRESSION_TOLERANCE) -> pd.DataFrame:
    """Roll four-digit cells up to groups of the first ``level`` characters by the rule above.

    Returns a long frame: ``group_code``, ``period``, ``published_sum``, ``suppressed_cells``,
    ``lower``, ``upper``, ``value`` (NaN where the suppressed cells could add more than
    ``tolerance`` to the published sum).
    """
    if level not in (1, 2):
        raise ValueError(f"level must be 1 or 2, not {level}")
    if cells.shape[1] == 0:  # no four-digit cell published: no group
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in ROLLUP_COLUMNS}).astype(
            {"group_code": "str", "period": "str", "suppressed_cells": "int64"})
    cells = cells.sort_index(axis=1)  # the codes of a group side by side
    codes = np.array([str(c)[:level] for c in cells.columns], dtype=object)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    values = cells.to_numpy(dtype="float64")
    missing = np.isnan(values)
    # one column per group (month rows): the published cells summed, the suppressed ones counted
    published = np.add.reduceat(np.where(missing, 0.0, values), starts, axis=1)
    suppressed = np.add.reduceat(missing.astype("int64"), starts, axis=1)
    ok = (SUPPRESSED_MAX * suppressed <= tolerance * published) & ~((published == 0) & (suppressed > 0))
    months = len(cells.index)
    return pd.DataFrame({  # long: each group's months in turn
        "group_code": np.repeat(codes[starts], months),
        "period": np.tile(cells.index.to_numpy(), len(starts)),
        "published_sum": published.T.ravel(),
        "suppressed_cells": suppressed.T.ravel(),
        "lower": (published + SUPPRESSED_MIN * suppressed).T.ravel(),
        "upper": (published + SUPPRESSED_MAX * suppressed).T.ravel(),
        "value": np.where(ok, published, np.nan).T.ravel(),
    })


def area_total(store: Store, area_code: str, measure: str) -> pd.DataFrame:
    """The published occupation total (code ``SSS``) in the roll-up's long shape (exact, no bounds)."""
    obs = store.select(measure, table_id=TABLE_ID, area_codes=[area_code], occupation_code=TOTAL)
    obs = obs.sort_values("period")
    value = obs["value"].to_numpy()
    return pd.DataFrame({
        "group_code": TOTAL, "period": obs["period"].to_numpy(), "published_sum": value,
        "suppressed_cells": np.where(np.isnan(value), np.nan, 0.0), "lower": value, "upper": value,
        "value": value,
    })


def group_series(store: Store, area_code: str) -> pd.DataFrame:
    """All group series of an area: the total, one-digit and two-digit groups, both measures."""
    parts = []
    for measure in MEASURES:
        cells = occupation_cells(store, area_code, measure)
        for level, frame in (("total", area_total(store, area_code, measure)),
                             ("1", rollup(cells, 1)), ("2", rollup(cells, 2))):
            parts.append(frame.assign(measure=measure, level=level))
    out = pd.concat(parts, ignore_index=True)
    out["area_code"] = area_code
    return out[list(SERIES_COLUMNS)].sort_values(["measure", "level", "group_code", "period"]).reset_index(drop=True)


def series_id(measure: str, level: str, group_code: str) -> str:
    """Stable id of one series: ``measure|level|group``."""
    return f"{measure}|{level}|{group_code}"


def split_series_id(sid: str) -> tuple[str, str, str]:
    """The inverse of :func:`series_id`."""
    measure, level, group = sid.split("|")
    return measure, level, group


def wide_values(series: pd.DataFrame, column: str = "value") -> pd.DataFrame:
    """Series as a wide frame: index month, columns series ids (see :func:`series_id`)."""
    ids = series["measure"] + "|" + series["level"] + "|" + series["group_code"]
    wide = series.assign(sid=ids).pivot(index="period", columns="sid", values=column)
    return wide.sort_index().sort_index(axis=1)


def forecastable_at(wide: pd.DataFrame) -> pd.DataFrame:
    """The forecastability rule at every month: a boolean frame like ``wide`` (index months, columns
    series ids) that is True where the series would be forecast with data up to that month only.

    Row ``m`` equals ``forecastability(series, last_month=m)["forecast"]``: the rule looks back
    from ``m`` and never forward, so a forecast made at an origin selects its series from data
    known at that origin.
    """
    counted = wide.notna()
    after = pd.Series(wide.index >= HISTORY_START, index=wide.index)
    span_counted = counted.where(after, False).astype("float64")
    span_months = after.astype("float64").cumsum()
    share = span_counted.cumsum().div(span_months.replace(0, np.nan), axis=0).fillna(0.0)
    recent = counted.astype("float64").rolling(13, min_periods=13).sum() >= 13
    recent = recent.mul(span_months >= 13, axis=0).astype(bool)
    in_span = wide.mul(after.where(after, np.nan), axis=0)
    mean24 = in_span.rolling(24, min_periods=1).mean()
    return (share >= MIN_SHARE_COUNTED) & recent & (mean24 >= MIN_MEAN_LEVEL)


def forecastability(series: pd.DataFrame, last_month: str | None = None) -> pd.DataFrame:
    """One row per series: ``forecast`` (bool) and ``reason`` (``ok``, ``too_small``,
    ``too_many_missing``, ``recent_missing``) by the rule in the module docstring, with the
    figures behind the decision (``share_counted``, ``mean_24m``), using data up to ``last_month``
    (default: all). :func:`forecastable_at` gives the same decision for every month at once."""
    wide = wide_values(series)
    if last_month is not None:
        wide = wide.loc[:last_month]
    span = wide.loc[HISTORY_START:]
    rows = []
    for sid in wide.columns:
        values = span[sid]
        share = float(values.notna().mean()) if len(values) else 0.0
        recent = values.iloc[-13:]
        mean24 = float(values.iloc[-24:].mean()) if values.iloc[-24:].notna().any() else float("nan")
        if share < MIN_SHARE_COUNTED:
            reason = "too_many_missing"
        elif recent.isna().any() or len(recent) < 13:
            reason = "recent_missing"
        elif not mean24 >= MIN_MEAN_LEVEL:
            reason = "too_small"
        else:
            reason = "ok"
        measure, level, group = split_series_id(sid)
        rows.append({"series_id": sid, "measure": measure, "level": level, "group_code": group,
                     "share_counted": share, "mean_24m": mean24, "forecast": reason == "ok", "reason": reason})
    return pd.DataFrame(rows)


def classify(ratio: float) -> str:
    """Tightness class of one ratio: ``shortage``, ``balance`` or ``surplus`` (NaN -> ``uncertain``)."""
    if ratio is None or not np.isfinite(ratio):
        return "uncertain"
    if ratio >= SHORTAGE_AT:
        return "shortage"
    if ratio < SURPLUS_BELOW:
        return "surplus"
    return "balance"


def classify_bounds(low: float, high: float) -> str:
    """The class when both bounds of a tightness range agree, else ``uncertain``."""
    a, b = classify(low), classify(high)
    return a if a == b else "uncertain"


def tightness_now(series: pd.DataFrame, months: list[str], level: str = "2") -> pd.DataFrame:
    """Tightness per group over ``months`` (mean of monthly counts), with bounds and class.

    Columns: ``group_code``, ``vacancies``, ``unemployed`` (published sums, means over the months),
    ``tightness`` (published vacancies / published unemployed), ``tightness_low``,
    ``tightness_high`` (bounds from the suppressed cells), ``class``. Unemployed = 0 gives NaN.
    """
    part = series[(series["level"] == level) & series["period"].isin(months)]
    if part.empty:
        return pd.DataFrame(columns=["group_code", "vacancies", "unemployed", "tightness",
                                     "tightness_low", "tightness_high", "class"])
    mean = part.groupby(["measure", "group_code"])[["published_sum", "lower", "upper"]].mean()
    vac = mean.loc["open_vacancies"]
    une = mean.loc["unemployed_jobseekers"]
    out = pd.DataFrame({"vacancies": vac["published_sum"], "unemployed": une["published_sum"]})
    with np.errstate(divide="ignore", invalid="ignore"):
        out["tightness"] = vac["published_sum"] / une["published_sum"].replace(0, np.nan)
        out["tightness_low"] = vac["lower"] / une["upper"].replace(0, np.nan)
        out["tightness_high"] = vac["upper"] / une["lower"].replace(0, np.nan)
    out["class"] = [classify_bounds(lo, hi) for lo, hi in zip(out["tightness_low"], out["tightness_high"])]
    small = (vac["lower"] + une["lower"]) < MIN_CLASS_SIZE
    out.loc[small, "class"] = "small"
    return out.reset_index()


def tightness_forecast(forecast: pd.DataFrame, horizons: range | list[int], level: str = "2") -> pd.DataFrame:
    """Forecast tightness per group: mean forecast vacancies / mean forecast unemployed over
    ``horizons``, for groups whose both measures are forecast. Columns as
    :func:`tightness_now` without bounds, plus ``class``."""
    part = forecast[(forecast["level"] == level) & forecast["h"].isin(list(horizons))]
    if part.empty:
        return pd.DataFrame(columns=["group_code", "vacancies", "unemployed", "tightness", "class"])
    mean = part.groupby(["measure", "group_code"])["forecast"].mean().unstack("measure")
    if not set(MEASURES) <= set(mean.columns):
        return pd.DataFrame(columns=["group_code", "vacancies", "unemployed", "tightness", "class"])
    mean = mean.dropna(subset=list(MEASURES))
    out = pd.DataFrame({"vacancies": mean["open_vacancies"], "unemployed": mean["unemployed_jobseekers"]})
    with np.errstate(divide="ignore", invalid="ignore"):
        out["tightness"] = out["vacancies"] / out["unemployed"].replace(0, np.nan)
    out["class"] = [classify(r) for r in out["tightness"]]
    out.loc[(out["vacancies"] + out["unemployed"]) < MIN_CLASS_SIZE, "class"] = "small"
    return out.reset_index()


def class_moves(now: pd.DataFrame, later: pd.DataFrame) -> pd.DataFrame:
    """Groups whose class differs between ``now`` and ``later`` (both with ``group_code``, ``class``);
    ``uncertain`` or ``small`` on either side is not a move."""
    merged = now[["group_code", "tightness", "class"]].merge(
        later[["group_code", "tightness", "class"]], on="group_code", suffixes=("_now", "_later"))
    firm = ~merged["class_now"].isin(["uncertain", "small"]) & ~merged["class_later"].isin(["uncertain", "small"])
    moved = merged[(merged["class_now"] != merged["class_later"]) & firm]
    return moved.reset_index(drop=True)


def ranked(tight: pd.DataFrame, cls: str, n: int = 5) -> pd.DataFrame:
    """The ``n`` groups of class ``cls`` with the highest (shortage) or lowest (surplus) tightness.

    With bounds, shortage groups are ranked by the lower bound (the tightness they surely reach)
    and surplus groups by the upper bound; without bounds by the tightness itself.
    """
    part = tight[tight["class"] == cls]
    key = "tightness"
    if cls == "shortage" and "tightness_low" in part:
        key = "tightness_low"
    elif cls == "surplus" and "tightness_high" in part:
        key = "tightness_high"
    return part.sort_values([key, "group_code"], ascending=[cls == "surplus", True]).head(n).reset_index(drop=True)


def period_tightness(scope: Scope, series: pd.DataFrame | None = None, level: str = "2") -> tuple[list[str], pd.DataFrame]:
    """The tightness of the period by group (:func:`tightness_now` over the period's months the area's
    occupation series hold): the one computation of "vacancies per unemployed" by occupation that the
    skills section, the review's figures and ``analysis.table("occupations")`` read.

    ``series``: the area's :func:`group_series` when already computed (else only the period's months are
    rolled up). Returns ``(months, frame)``; ``([], empty frame)`` when the area has no occupation series
    of its own (:attr:`Scope.occupation_code`) or the table holds no month of the period.
    """
    empty = tightness_now(pd.DataFrame(columns=list(SERIES_COLUMNS)), [], level)
    code = scope.occupation_code
    if code is None or scope.month(TABLE_ID) is None:
        return [], empty
    if series is None:
        obs = scope.table(TABLE_ID).observations
        cut = Store(obs[obs["period"].isin(scope.period.months)].reset_index(drop=True), scope.store.provenance)
        series = group_series(cut, code)
    have = set(series["period"])
    months = [m for m in scope.period.months if m in have]
    return months, tightness_now(series, months, level)


def shortage(tight: pd.DataFrame, n: int = TOP_N) -> pd.DataFrame:
    """The ``n`` shortage groups of a :func:`period_tightness` frame, surest first (:func:`ranked`)."""
    return ranked(tight, "shortage", n)
