"""What the store holds: measures, areas, periods and the data vintage (notebook 00)."""

from __future__ import annotations

import pandas as pd

from analysis.schema import Store
from analysis.sources.catalog import source_code
from analysis.store.scope import Scope


def measure_coverage(scope: Scope) -> pd.DataFrame:
    """One row per table and measure: areas, first and last period, values and missing cells."""
    obs = scope.store.observations
    grouped = obs.groupby(["table_id", "measure"], sort=True)
    out = grouped.agg(
        areas=("area_code", "nunique"),
        first_period=("period", "min"),
        last_period=("period", "max"),
        values=("value", "count"),
        cells=("value", "size"),
    ).reset_index()
    out["missing"] = out["cells"] - out["values"]
    return out.drop(columns="cells")


def area_coverage(scope: Scope) -> pd.DataFrame:
    """For each member of ``area`` and its region: the tables and last period the store holds."""
    codes = [*scope.members, *scope.regions]
    obs = scope.store.observations[scope.store.observations["area_code"].isin(codes)]
    out = (
        obs.groupby(["area_code", "table_id"], sort=True)["period"].max()
        .rename("last_period").reset_index()
    )
    return out


def core_months(store: Store, table_id: str = "12r5", measure: str = "unemployed_jobseekers") -> list[str]:
    """Months (sorted) in which the core measure (unemployed jobseekers, 12r5) has a value.

    Other measures of the same table may run later (the vacancy series of 2022-2026): the latest
    review period is decided by the core measure, not by the table's last month."""
    obs = store.observations
    mask = (obs["table_id"] == table_id) & (obs["measure"] == measure) & obs["value"].notna()
    return sorted(obs.loc[mask, "period"].unique())


def latest_month(store: Store, table_id: str = "12r5") -> str:
    """The last month (``YYYY-MM``) of the core measure of a monthly table."""
    months = core_months(store, table_id)
    if not months:
        raise ValueError(f"the store has no table {table_id}")
    return months[-1]


def latest_complete_quarter(store: Store, table_id: str = "12r5") -> str:
    """The latest quarter (``YYYYQn``) whose three months all have the core measure.

    Quarters are tried from the latest month held backwards over every month held, so a lone later
    month (June 2026 after a series ending in 2023-10) never makes its quarter "complete"."""
    months = set(core_months(store, table_id))
    if not months:
        raise ValueError(f"the store has no table {table_id}")
    quarters = sorted({pd.Period(m, freq="M").asfreq("Q") for m in months}, reverse=True)
    for quarter in quarters:
        needed = {str(m) for m in pd.period_range(quarter.asfreq("M", "start"), quarter.asfreq("M", "end"))}
        if needed <= months:
            return f"{quarter.year}Q{quarter.quarter}"
    raise ValueError(f"table {table_id} has no complete quarter")


# Measures the analyses use beyond the embedded snapshot: (table id, stable measure, StatFin code).
WANTED_MEASURES: tuple[tuple[str, str, str], ...] = tuple(
    ("12r5", measure, source_code(measure))
    for measure in ("long_term_unemployed", "unemployed_foreign_nationals", "unemployment_rate_pct", "unemployed_men",
                    "unemployed_women", "unemployed_under_25", "unemployed_over_50", "laid_off_full_time")
)


def missing_measures(scope: Scope) -> pd.DataFrame:
    """Measures the analyses use that the store lacks for the area's members (table, measure, code)."""
    rows = [
        {"table_id": table, "measure": measure, "source_code": code}
        for table, measure, code in WANTED_MEASURES
        if not scope.store.has(measure, table_id=table, area_codes=list(scope.members))
    ]
    return pd.DataFrame(rows, columns=["table_id", "measure", "source_code"])
