"""Long-term unemployment and its change (the action plan's "Pitkäaikaistyöttömien määrän muutos (%)").

Long-term unemployed (``long_term_unemployed``, StatFin 12r5 PITKAAIKAISTYOTTOMAT): unemployed
jobseekers whose unemployment has lasted continuously 12 months or more, at the end of the month.

- with fetched 12r5 data: count, share of all unemployed jobseekers (%), change from the same month
  a year earlier in persons and in % of the year-ago count, by municipality and for the area, over
  the 24 months up to the quarter's last month (fewer where the data is shorter);
- always: THL Sotkanet 2019 (indicators 3562 and 181, annual averages) as context with its year.

Pure functions, no text. A missing value stays NaN; nothing is filled in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.indicators import structure
from analysis.schema import StoreError
from analysis.sources.catalog import source_code
from analysis.store.scope import Scope, shift_month

MEASURE = "long_term_unemployed"
SOURCE_CODE = source_code(MEASURE)  # PITKAAIKAISTYOTTOMAT
TABLE = "12r5"
WINDOW_MONTHS = 24
SOTKANET_TABLES = ("sotkanet-3562", "sotkanet-181")


def is_available(scope: Scope) -> bool:
    """True when the store holds monthly long-term unemployed (12r5) for the area's members."""
    return scope.table(TABLE).has(MEASURE, TABLE, list(scope.members))


def monthly(scope: Scope, months: int = WINDOW_MONTHS) -> pd.DataFrame:
    """Monthly long-term unemployment by member and for the area, ``months`` months up to the
    reference month.

    Columns: ``area_code`` (member code or the area slug), ``level`` (area | municipality),
    ``period``, ``long_term`` (persons), ``unemployed`` (persons), ``share_pct`` (% of unemployed),
    ``long_term_year_ago``, ``change_year`` (persons), ``change_year_pct`` (% of the year-ago count),
    ``base_unreliable`` (year-ago count under 20 persons or missing). Raises StoreError without
    the measure.
    """
    if not is_available(scope):
        raise StoreError("the store has no {measure} ({table} {code}) for {area}; run `python -m analysis fetch`",
                         measure=MEASURE, table=TABLE, code=SOURCE_CODE, area=scope.area.slug)
    month = scope.require_month()
    first = shift_month(month, -(months - 1))
    members = [m for m in scope.members if m != scope.area.slug]
    wide = structure.wide_counts(scope, members, ("unemployed_jobseekers", MEASURE))
    wide = wide.sort_values(["area_code", "period"])
    year_ago = wide[["area_code", "period", MEASURE]].rename(
        columns={"period": "year_ago_month", MEASURE: "long_term_year_ago"})
    wide = wide.assign(year_ago_month=[Scope.year_ago(p) for p in wide["period"]])
    out = wide.merge(year_ago, on=["area_code", "year_ago_month"], how="left")
    out = out[(out["period"] >= first) & (out["period"] <= month)]
    out = out.rename(columns={MEASURE: "long_term", "unemployed_jobseekers": "unemployed"})
    out["share_pct"] = out["long_term"] / out["unemployed"].where(out["unemployed"] > 0) * 100
    out["change_year"] = out["long_term"] - out["long_term_year_ago"]
    out["change_year_pct"] = structure.pct_change(out["long_term"], out["long_term_year_ago"])
    out["base_unreliable"] = structure.unreliable_base(out["long_term_year_ago"])
    out["level"] = np.where(out["area_code"] == scope.area.slug, "area", "municipality")
    order = {code: i for i, code in enumerate([scope.area.slug, *members])}
    out = out.sort_values(["area_code", "period"], key=lambda s: s.map(order) if s.name == "area_code" else s)
    return out[["area_code", "level", "period", "long_term", "unemployed", "share_pct", "long_term_year_ago",
                "change_year", "change_year_pct", "base_unreliable"]].reset_index(drop=True)


def area_change(scope: Scope) -> pd.DataFrame:
    """The area's long-term unemployed each month up to the period and the change from the same
    month a year earlier: columns ``period``, ``long_term``, ``long_term_year_ago``, ``change_year``
    (persons), ``change_year_pct`` (% of the year-ago count). The one place this change is computed."""
    level = scope.counts([MEASURE])
    level = level.set_index("period")["value"].sort_index()
    if level.empty:
        return pd.DataFrame(columns=["period", "long_term", "long_term_year_ago", "change_year", "change_year_pct"])
    months = pd.period_range(level.index.min(), level.index.max(), freq="M").astype(str)
    level = level.reindex(months)
    before = level.reindex([Scope.year_ago(m) for m in months])
    out = pd.DataFrame({"period": months, "long_term": level.to_numpy(), "long_term_year_ago": before.to_numpy()})
    out["change_year"] = out["long_term"] - out["long_term_year_ago"]
    out["change_year_pct"] = structure.pct_change(out["long_term"], out["long_term_year_ago"])
    return out


def latest(scope: Scope) -> pd.DataFrame:
    """:func:`monthly` at the reference month only (one row per member and the area)."""
    frame = monthly(scope)
    return frame[frame["period"] == frame["period"].max()].reset_index(drop=True)




def sotkanet_context(scope: Scope) -> pd.DataFrame:
    """THL Sotkanet annual figures by member municipality (2019 in the embedded data).

    Columns: ``area_code``, ``year``, ``long_term_pct_of_labour_force`` (indicator 3562, %),
    ``long_term_annual_mean`` (persons), ``unemployment_rate_pct`` (indicator 181, %),
    ``unemployed_annual_mean`` (persons), ``long_term_share_pct`` (long-term as % of unemployed,
    from the two annual means). A municipality without a 3562 row (Lestijärvi) has NaN there.
    """
    measures = {
        "long_term_unemployed_pct_of_labour_force": "long_term_pct_of_labour_force",
        "long_term_unemployed_annual_mean": "long_term_annual_mean",
        "unemployment_rate_pct": "unemployment_rate_pct",
        "unemployed_jobseekers_annual_mean": "unemployed_annual_mean",
    }
    obs = scope.store.observations
    obs = obs[obs["table_id"].isin(SOTKANET_TABLES) & obs["measure"].isin(list(measures))]
    if obs.empty:
        raise StoreError("the store has no THL Sotkanet tables (sotkanet-3562, sotkanet-181)")
    years = sorted(obs["period"].unique())
    grid = pd.MultiIndex.from_product([list(scope.members), years], names=["area_code", "year"])
    obs = obs[obs["area_code"].isin(scope.members)]
    wide = obs.pivot_table(index=["area_code", "period"], columns="measure", values="value", aggfunc="first")
    wide.index.names = ["area_code", "year"]
    wide = wide.reindex(grid).rename(columns=measures)
    for col in measures.values():
        if col not in wide.columns:
            wide[col] = np.nan
    wide["long_term_share_pct"] = wide["long_term_annual_mean"] / wide["unemployed_annual_mean"] * 100
    return wide.reset_index()[["area_code", "year", *measures.values(), "long_term_share_pct"]]
