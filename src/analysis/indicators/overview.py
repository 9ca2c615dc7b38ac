"""What the store holds: measures, areas, periods and the data vintage (notebook 00)."""

from __future__ import annotations

import pandas as pd

from analysis.config import Area
from analysis.schema import Store
from analysis.sources.catalog import source_code


def measure_coverage(store: Store) -> pd.DataFrame:
    """One row per table and measure: areas, first and last period, values and missing cells."""
    obs = store.observations
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


def area_coverage(store: Store, area: Area) -> pd.DataFrame:
    """For each member of ``area`` and its region: the tables and last period the store holds."""
    codes = [*area.members, area.region]
    obs = store.observations[store.observations["area_code"].isin(codes)]
    out = (
        obs.groupby(["area_code", "table_id"], sort=True)["period"].max()
        .rename("last_period").reset_index()
    )
    return out


def latest_month(store: Store, table_id: str = "12r5") -> str:
    """The last month (``YYYY-MM``) of a monthly table."""
    periods = store.periods(table_id)
    if not periods:
        raise ValueError(f"the store has no table {table_id}")
    return periods[-1]


def latest_complete_quarter(store: Store, table_id: str = "12r5") -> str:
    """The latest quarter (``YYYYQn``) whose three months are all in the table."""
    months = set(store.periods(table_id))
    last = pd.Period(max(months), freq="M")
    for back in range(0, 6):
        quarter = (last - back).asfreq("Q")
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


def missing_measures(store: Store, area: Area) -> pd.DataFrame:
    """Measures the analyses use that the store lacks for the area's members (table, measure, code)."""
    rows = [
        {"table_id": table, "measure": measure, "source_code": code}
        for table, measure, code in WANTED_MEASURES
        if not store.has(measure, table_id=table, area_codes=list(area.members))
    ]
    return pd.DataFrame(rows, columns=["table_id", "measure", "source_code"])
