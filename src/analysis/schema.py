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
of the package it imports only :mod:`analysis.errors`, and it does not import pandas (its functions
take and return frames without constructing any), so a notebook's kernel that presents computed
sections never imports pandas for an area code's pattern.

The known errors and their messages are in :mod:`analysis.errors`; the store's own is :class:`StoreError`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from analysis.errors import UserError

if TYPE_CHECKING:  # the frames are pandas'; this module, which every layer imports, does not import it
    import pandas as pd

BREAKDOWNS: tuple[str, ...] = ("occupation_code", "language", "age_group", "sex")
OBS_COLUMNS: tuple[str, ...] = ("table_id", "period", "area_code", "measure", *BREAKDOWNS, "value")
KEY_COLUMNS: tuple[str, ...] = OBS_COLUMNS[:-1]
TOTAL = "SSS"
AREA_CODE_PATTERN = r"SSS|MK[0-9]{2}|SK[0-9]{3}|KU[0-9]{3}"
"""A StatFin area code: the whole country, a region, a subregion or a municipality (full match)."""
MONTH_PATTERN = r"[0-9]{4}-(0[1-9]|1[0-2])"
"""A store period of a monthly table, ``YYYY-MM`` (full match)."""
YEAR_PATTERN = r"[0-9]{4}"
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
        raise StoreError("observations lack column(s) {columns}", columns=", ".join(missing))
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

    def table(self, table_id: str) -> Store:
        """This store's observations of one table, as a store: cut once per table (a store is never
        changed), so every question about one table reads its rows only."""
        found = self._by_table.get(table_id)
        if found is None:
            obs = self.observations
            found = Store(obs[obs["table_id"] == table_id].reset_index(drop=True), self.provenance)
            found._by_table[table_id] = found
            self._by_table[table_id] = found
        return found

    def has(self, measure: str, table_id: str | None = None, area_codes: list[str] | None = None) -> bool:
        """True when the store holds at least one non-missing value of ``measure``."""
        if area_codes is None:  # asked again and again: answered from the pairs held, found once
            held = self._held
            return (table_id, measure) in held if table_id is not None else any(m == measure for _t, m in held)
        if table_id is not None:
            return (table_id, measure) in self._held and self.table(table_id).has(measure, area_codes=area_codes)
        obs = self.observations
        mask = obs["measure"] == measure
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
        obs = self.observations if table_id is None else self.table(table_id).observations
        measures = [measure] if isinstance(measure, str) else list(measure)
        mask = obs["measure"].isin(measures)
        if not mask.any():
            if table_id:
                raise StoreError("the store has no measure {measures} in table {table}",
                                 measures=", ".join(measures), table=table_id)
            raise StoreError("the store has no measure {measures}", measures=", ".join(measures))
        if area_codes is not None:
            mask &= obs["area_code"].isin(list(area_codes))
        for name, value in breakdowns.items():
            if name not in BREAKDOWNS:
                raise StoreError("unknown breakdown '{name}'; use one of {allowed}", name=name,
                                 allowed=", ".join(BREAKDOWNS))
            mask &= obs[name] == value
        return obs.loc[mask].reset_index(drop=True)

    def periods_held(self, measure: str | None = None) -> tuple[str, ...]:
        """Sorted periods of this store's observations (of ``measure``, with a value, if given), found
        once per measure (a review asks for the months of a table again and again)."""
        found = self._periods_held.get(measure)
        if found is None:
            obs = self.observations
            if measure is not None:
                obs = obs[(obs["measure"] == measure) & obs["value"].notna()]
            found = self._periods_held[measure] = tuple(sorted(obs["period"].unique()))
        return found

    def periods(self, table_id: str) -> list[str]:
        """Sorted periods of ``table_id``."""
        return list(self.table(table_id).periods_held())

    def vintage(self) -> pd.DataFrame:
        """Provenance with each table's first and last period: the data vintage to show users."""
        return self._vintage.copy()

    @cached_property
    def _by_table(self) -> dict[str, Store]:  # table id -> its rows (see table)
        return {}

    @cached_property
    def _periods_held(self) -> dict[str | None, tuple[str, ...]]:  # measure -> its periods (see periods_held)
        return {}

    def __getstate__(self) -> dict:
        """Pickled without what it has found (its tables, the pairs it holds): found again when asked."""
        return {"observations": self.observations, "provenance": self.provenance}

    @cached_property
    def _held(self) -> frozenset[tuple[str, str]]:  # (table_id, measure) with a non-missing value
        obs = self.observations
        pairs = obs.loc[obs["value"].notna(), ["table_id", "measure"]].drop_duplicates()
        return frozenset(zip(pairs["table_id"], pairs["measure"]))

    @cached_property
    def _vintage(self) -> pd.DataFrame:  # computed once per store (a run asks for it per review)
        span = (
            self.observations.groupby("table_id")["period"].agg(first_period="min", last_period="max")
            .reset_index()
        )
        return self.provenance.merge(span, on="table_id", how="left")
