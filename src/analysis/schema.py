"""The store's schema: the tidy observation frame and the provenance of every table.

Observations have the columns of :data:`OBS_COLUMNS`:

- ``table_id``: source table (``12r5``, ``12ti``, ``159t`` …; see ``sources.catalog``)
- ``period``: ``YYYY-MM`` for monthly tables, ``YYYY`` for annual ones
- ``area_code``: StatFin code (``SSS``, ``MKnn``, ``SKnnn``, ``KUnnn``) or an area slug after aggregation
- ``measure``: stable English name (``unemployed_jobseekers``, ``long_term_unemployed`` …)
- breakdown columns (:data:`BREAKDOWNS`): ``SSS`` means "all", as in StatFin
- ``value``: float; a missing or suppressed cell is NaN, never 0

Provenance has one row per table: where it came from, when it was last updated at the
source and when it was fetched (or which snapshot it is). Every layer imports this module;
it imports nothing of the package.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

BREAKDOWNS: tuple[str, ...] = ("occupation_code", "language", "age_group", "sex")
OBS_COLUMNS: tuple[str, ...] = ("table_id", "period", "area_code", "measure", *BREAKDOWNS, "value")
KEY_COLUMNS: tuple[str, ...] = OBS_COLUMNS[:-1]
TOTAL = "SSS"
AREA_CODE_PATTERN = r"SSS|MK\d{2}|SK\d{3}|KU\d{3}"
"""A StatFin area code: the whole country, a region, a subregion or a municipality (full match)."""
MONTH_PATTERN = r"\d{4}-(0[1-9]|1[0-2])"
"""A store period of a monthly table, ``YYYY-MM`` (full match)."""
YEAR_PATTERN = r"\d{4}"
"""A store period of an annual table, ``YYYY`` (full match)."""
PROVENANCE_COLUMNS: tuple[str, ...] = (
    "table_id",
    "title_fi",
    "producer",
    "citation",
    "origin",
    "last_updated",
    "fetched_at",
    "snapshot",
)


def is_missing(value: object) -> bool:
    """True for a missing value (None or NaN): the store's rule that a missing cell is never 0."""
    return value is None or (isinstance(value, float) and math.isnan(value))


class UserError(Exception):
    """A known, user-facing error: bad data, configuration, parameters, network or workbook.

    Its message is short and names the place (file, row and column, or key, URL, cell). The
    command line prints it without a traceback and exits with status 2; any other exception is
    a bug and is logged with its traceback. Every layer's error classes derive from this one.
    """


class StoreError(UserError, ValueError):
    """The store does not hold what a caller asked for, or its files are broken."""


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Complete a frame to the store's columns: absent breakdowns become ``SSS``, order fixed."""
    out = frame.copy()
    for col in BREAKDOWNS:
        if col not in out.columns:
            out[col] = TOTAL
    missing = [c for c in OBS_COLUMNS if c not in out.columns]
    if missing:
        raise StoreError(f"observations lack column(s) {', '.join(missing)}")
    out = out[list(OBS_COLUMNS)]
    for col in KEY_COLUMNS:
        out[col] = out[col].astype("str")
    out["value"] = out["value"].astype("float64")
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class Store:
    """Validated observations and their provenance."""

    observations: pd.DataFrame
    provenance: pd.DataFrame

    def tables(self) -> list[str]:
        """Table ids that have observations."""
        return sorted(self.observations["table_id"].unique())

    def has(self, measure: str, table_id: str | None = None, area_codes: list[str] | None = None) -> bool:
        """True when the store holds at least one non-missing value of ``measure``."""
        obs = self.observations
        mask = obs["measure"] == measure
        if table_id is not None:
            mask &= obs["table_id"] == table_id
        if area_codes is not None:
            mask &= obs["area_code"].isin(area_codes)
        return bool(obs.loc[mask, "value"].notna().any())

    def select(
        self,
        measure: str | list[str],
        *,
        table_id: str | None = None,
        area_codes: list[str] | tuple[str, ...] | None = None,
        **breakdowns: str,
    ) -> pd.DataFrame:
        """Observations of ``measure`` (one or several), filtered by table, areas and breakdowns.

        A breakdown not named is not filtered. Raises :class:`StoreError` when nothing matches
        the measure and table, so a caller never mistakes an absent measure for zeros.
        """
        obs = self.observations
        measures = [measure] if isinstance(measure, str) else list(measure)
        mask = obs["measure"].isin(measures)
        if table_id is not None:
            mask &= obs["table_id"] == table_id
        if not mask.any():
            raise StoreError(
                f"the store has no measure {', '.join(measures)}"
                + (f" in table {table_id}" if table_id else "")
            )
        if area_codes is not None:
            mask &= obs["area_code"].isin(list(area_codes))
        for name, value in breakdowns.items():
            if name not in BREAKDOWNS:
                raise StoreError(f"unknown breakdown '{name}'; use one of {', '.join(BREAKDOWNS)}")
            mask &= obs[name] == value
        return obs.loc[mask].reset_index(drop=True)

    def periods(self, table_id: str) -> list[str]:
        """Sorted periods of ``table_id``."""
        return sorted(self.observations.loc[self.observations["table_id"] == table_id, "period"].unique())

    def vintage(self) -> pd.DataFrame:
        """Provenance with each table's first and last period: the data vintage to show users."""
        span = (
            self.observations.groupby("table_id")["period"].agg(first_period="min", last_period="max")
            .reset_index()
        )
        return self.provenance.merge(span, on="table_id", how="left")
