"""One scope per question: an area and a reporting period, as of that period.

A :class:`Scope` is the one place where the facts every analysis needs are decided:

- the reporting period and its months, the reference month of each table (and measure) for it,
  the month before and the month a year earlier (:meth:`Scope.month`, :meth:`Scope.month_ago`,
  :meth:`Scope.year_ago`);
- the area's members, municipalities and sub-regions, the published StatFin area equal to the area
  (if any), the region(s) it lies in, and which areas of the occupation table stand for it;
- the area's counts, summed from its members (:meth:`Scope.counts`);
- the data source and its vintage.

It is **as of the period**: its store holds no observation dated after the period's last month
(a monthly observation after that month, an annual one whose year ends after it). A past review
therefore reads as it could have been written then. Only :meth:`Scope.later` gives what happened
afterwards, for showing a forecast made then beside the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from analysis import config
from analysis.config import Area, ReportingPeriod
from analysis.schema import BREAKDOWNS, TOTAL, Store, StoreError, tidy
from analysis.store.store import aggregate_areas

MONTHLY_TABLE = "12r5"
"""The table whose end-of-month counts define the review's reference month."""
OCCUPATION_TABLE = "12ti"
CORE_MEASURES: dict[str, str] = {MONTHLY_TABLE: "unemployed_jobseekers", OCCUPATION_TABLE: "unemployed_jobseekers"}
"""The measure whose months decide a table's reference month when no measure is named: other measures
of the same table may run later (12r5 open vacancies at the quarter ends up to 2026-06, while unemployed
jobseekers end in 2023-10), and a review month must hold the unemployed."""


def shift_month(month: str, months: int) -> str:
    """``YYYY-MM`` moved by ``months`` (negative = earlier)."""
    return str(pd.Period(month, freq="M") + months)


def as_of(store: Store, last_month: str) -> Store:
    """``store`` without observations dated after ``last_month``.

    A monthly observation (``YYYY-MM``) is dated by its month; an annual one (``YYYY``) by the end
    of its year (31 December), so the population of 2023 is not known in a review of 2023Q3.
    """
    cut = _CUT.get((id(store), last_month))
    if cut is not None and cut[0] is store:
        return cut[1]
    period = store.observations["period"]
    monthly = period.str.len() == 7
    keep = np.where(monthly, period <= last_month, (period + "-12") <= last_month)
    obs = store.observations[keep].reset_index(drop=True)
    _CUT.clear()
    _CUT[(id(store), last_month)] = (store, Store(obs, store.provenance))
    return _CUT[(id(store), last_month)][1]


_CUT: dict[tuple[int, str], tuple[Store, Store]] = {}
"""The last cut :func:`as_of` made, with its store: the scopes of every area of a period share one
cut (and what it has found: its tables, the measures it holds), as a run of every area asks."""


@lru_cache(maxsize=1)
def _default_area_key() -> pd.DataFrame:
    """The embedded municipality -> subregion -> region key, read once per process."""
    from analysis.sources.embedded import load_area_key

    return load_area_key()


def overlapping_members(members: tuple[str, ...] | list[str], area_key: pd.DataFrame) -> list[tuple[str, str]]:
    """(member, another member that contains it) for every member that lies inside another one (a
    municipality inside a member subregion or region, a subregion inside a member region, anything inside
    the whole country ``SSS``), by the area key: summing both would count its people twice."""
    members = list(members)
    region_of = dict(zip(area_key["municipality_code"], area_key["region_code"]))
    subregion_of = dict(zip(area_key["municipality_code"], area_key["subregion_code"]))
    region_of_sub = dict(zip(area_key["subregion_code"], area_key["region_code"]))
    found = []
    for code in members:
        parents = [subregion_of.get(code), region_of.get(code)] if code.startswith("KU") else (
            [region_of_sub.get(code)] if code.startswith("SK") else [])
        parents += ["SSS"] if code != "SSS" else []
        found += [(code, parent) for parent in parents if parent in members]
    return found


def totals_filter(table_id: str) -> dict[str, str]:
    """Breakdown filters that keep a table's totals (every breakdown but the occupation of 12ti)."""
    keep = [b for b in BREAKDOWNS if not (table_id == OCCUPATION_TABLE and b == "occupation_code")]
    return {b: TOTAL for b in keep}


@dataclass(frozen=True)
class Scope:
    """An area and a reporting period, as of that period: the one owner of every derived fact.

    Build it with :meth:`Scope.of`. ``store`` is already cut to the period (see :func:`as_of`).
    """

    store: Store
    area: Area
    period: ReportingPeriod
    data_source: str
    area_key: pd.DataFrame  # municipality -> subregion -> region (analysis.sources.embedded)
    _full: Store = field(repr=False)
    _counts: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, store: Store, area: Area, period: str | ReportingPeriod, data_source: str = "embedded",
           area_key: pd.DataFrame | None = None) -> Scope:
        """The scope of ``area`` and ``period`` (``2023Q3`` or ``2023-09``) on ``store``."""
        if area_key is None:
            area_key = _default_area_key()
        twice = overlapping_members(area.members, area_key)
        if twice:
            raise StoreError("area '{slug}': {code} lies in {parent}, also a member, and would be counted twice; list "
                             "{parent} or its parts, not both", slug=area.slug, code=twice[0][0], parent=twice[0][1])
        rp = period if isinstance(period, ReportingPeriod) else config.parse_period(period)
        return cls(as_of(store, rp.last_month), area, rp, data_source, area_key, store)

    # ------------------------------------------------------------------ months

    @property
    def last_month(self) -> str:
        """The period's last month, ``YYYY-MM``."""
        return self.period.last_month

    def table(self, table_id: str) -> Store:
        """The scope's store restricted to one table (cut once per table: :meth:`Store.table`)."""
        return self.store.table(table_id)

    def months_held(self, table_id: str = MONTHLY_TABLE, measure: str | None = None) -> list[str]:
        """Months (sorted) in which ``table_id`` holds a value (of ``measure``, if given) up to the period."""
        return [p for p in self.table(table_id).periods_held(measure) if len(p) == 7]

    def month(self, table_id: str = MONTHLY_TABLE, measure: str | None = None) -> str | None:
        """The reference month of ``table_id`` (and ``measure``) for the period: the period's last
        month that the table holds, or ``None`` when it holds no month of the period (the measure
        ends earlier, or starts later). The one rule for "which month does this period show".
        Without ``measure``, the table's core measure (:data:`CORE_MEASURES`) decides, if it has one."""
        return self.pick_month(self.months_held(table_id, measure or CORE_MEASURES.get(table_id)))

    def pick_month(self, held: list[str] | set[str]) -> str | None:
        """Of the months ``held`` by some series, the one that stands for the period: the period's
        last month held, or ``None`` (see :meth:`month`)."""
        held = set(held)
        inside = [m for m in self.period.months if m in held]
        return inside[-1] if inside else None

    def require_month(self, table_id: str = MONTHLY_TABLE, measure: str | None = None) -> str:
        """:meth:`month`, raising :class:`StoreError` when the table holds no month of the period."""
        measure = measure or CORE_MEASURES.get(table_id)
        month = self.month(table_id, measure)
        if month is None:
            held = self.months_held(table_id, measure)
            span = f"{held[0]}–{held[-1]}" if held else "no months"
            what = f"{table_id} {measure}" if measure else table_id
            raise StoreError("table {table} has no month of {period} (it covers {span})", table=what,
                             period=self.period.code, span=span)
        return month

    def last_held(self, table_id: str, measure: str | None = None) -> str | None:
        """The latest month up to the period that ``table_id`` (``measure``) holds, or ``None``."""
        held = self.months_held(table_id, measure)
        return held[-1] if held else None

    @staticmethod
    def month_ago(month: str) -> str:
        """The month before ``month``."""
        return shift_month(month, -1)

    @staticmethod
    def year_ago(month: str) -> str:
        """The same month a year earlier: the base of every change "from a year earlier"."""
        return shift_month(month, -12)

    def previous_period_month(self, month: str) -> str:
        """The comparison month of the previous reporting period: a quarter earlier for a quarterly
        review, a month earlier for a monthly one."""
        return shift_month(month, -3 if self.period.kind == "quarter" else -1)

    # ------------------------------------------------------------------ area

    @property
    def members(self) -> tuple[str, ...]:
        return self.area.members

    @property
    def municipalities(self) -> list[str]:
        """Member municipalities (``KUnnn``) of the area; for an area of regions, those of the key."""
        direct = [m for m in self.members if m.startswith("KU")]
        regions = [m for m in self.members if m.startswith("MK")]
        key = self.area_key
        via_region = key.loc[key["region_code"].isin(regions), "municipality_code"].tolist()
        return direct + [m for m in via_region if m not in direct]

    @property
    def regions_without_municipalities(self) -> list[str]:
        """Member regions (``MKnn``) whose municipalities the area key does not list: the area's counts hold
        them (from the region's published figures), but no municipal table or page can show them."""
        known = set(self.area_key["region_code"])
        return [m for m in self.members if m.startswith("MK") and m not in known]

    @cached_property
    def published_code(self) -> str | None:
        """The published StatFin area whose members are exactly the area's (``None`` if none).

        A one-code area is that code; an area made of all municipalities of one region (per the
        region key) is that region."""
        if len(self.members) == 1:
            return self.members[0]
        key = self.area_key
        regions = set(key.loc[key["municipality_code"].isin(self.members), "region_code"])
        if len(regions) == 1:
            region = regions.pop()
            if set(key.loc[key["region_code"] == region, "municipality_code"]) == set(self.members):
                return region
        return None

    @cached_property
    def regions(self) -> list[str]:
        """The regions (``MKnn``) the area lies in."""
        direct = [m for m in self.members if m.startswith("MK")]
        key = self.area_key
        via = sorted(set(key.loc[key["municipality_code"].isin(self.members), "region_code"]))
        configured = [self.area.region] if self.area.region else []
        found = direct + [r for r in via if r not in direct]
        return found or configured

    @property
    def region(self) -> str | None:
        """The one region the area lies in (``None`` for an area across regions, or the country)."""
        return self.regions[0] if len(self.regions) == 1 else None

    @cached_property
    def subregions(self) -> list[str]:
        """Sub-regions (``SKnnn``) of the area's member municipalities."""
        key = self.area_key
        return sorted(key.loc[key["municipality_code"].isin(self.municipalities), "subregion_code"].unique())

    def holds_area(self, table_id: str) -> bool:
        """True when ``table_id`` holds the area: all its members, or its published equivalent."""
        codes = set(self.table(table_id).observations["area_code"].unique())
        return set(self.members) <= codes or (self.published_code in codes)

    @cached_property
    def occupation_codes(self) -> tuple[list[str], bool] | None:
        """Areas of the occupation table (12ti) that stand for the area, and whether they are only
        context (the region, not the area itself); ``None`` when the table holds neither."""
        held = set(self.table(OCCUPATION_TABLE).observations["area_code"].unique())
        if held and set(self.members) <= held:
            return list(self.members), False
        if self.published_code in held:
            return [self.published_code], False
        if self.region in held:
            return [self.region], True
        return None

    @property
    def occupation_code(self) -> str | None:
        """The one published area of the occupation table that is the area itself (not context), for
        the occupation series and forecasts; ``None`` otherwise."""
        found = self.occupation_codes
        if found is None or found[1] or len(found[0]) != 1:
            return None
        return found[0][0]

    # ------------------------------------------------------------------ counts

    def counts(self, measures: tuple[str, ...] | list[str], table_id: str = MONTHLY_TABLE) -> pd.DataFrame:
        """Monthly counts of the area (``area_code`` = the area slug), tidy, up to the period.

        Sums the members; a month where a member's cell is missing is filled from the published
        area equal to the area when there is one, else stays NaN. Measures the table does not
        hold for the area are left out; the frame is empty when it holds none.
        """
        tab = self.table(table_id)
        held = [m for m in measures if tab.has(m, table_id)]
        if not held:
            return tidy(pd.DataFrame(columns=["table_id", "period", "area_code", "measure", "value"]))
        # each measure's sums are computed once per scope (the sections ask for the same ones)
        parts = [self._counts.get((m, table_id)) for m in held]
        if any(part is None for part in parts):
            for m in held:
                if (m, table_id) not in self._counts:
                    self._counts[(m, table_id)] = self._summed(tab, [m], table_id)
            parts = [self._counts[(m, table_id)] for m in held]
        out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].copy()
        return out.sort_values(["measure", "period"]).reset_index(drop=True)

    def _summed(self, tab: Store, held: list[str], table_id: str) -> pd.DataFrame:
        """:meth:`counts` of the measures ``held`` (each held by ``tab``)."""
        obs = tab.select(held, table_id=table_id, area_codes=list(self.members), **totals_filter(table_id))
        summed = aggregate_areas(obs, self.members, self.area.slug)
        equivalent = self.published_code
        if equivalent is not None and equivalent not in self.members:
            pub = tab.select(held, table_id=table_id, area_codes=[equivalent], **totals_filter(table_id))
            keys = ["period", "measure"]
            merged = summed.merge(pub[keys + ["value"]].rename(columns={"value": "published"}), on=keys,
                                  how="outer")
            merged["value"] = merged["value"].fillna(merged["published"])
            merged["table_id"] = table_id
            merged["area_code"] = self.area.slug
            for col in BREAKDOWNS:
                merged[col] = merged[col].fillna(TOTAL)
            summed = tidy(merged.drop(columns="published"))
        return summed.sort_values(["measure", "period"]).reset_index(drop=True)

    def later(self, table_id: str) -> Store:
        """Observations of ``table_id`` dated after the period: what happened afterwards. Only for
        showing a forecast made in the period beside the outcome; no analysis of the period uses it."""
        obs = self._full.observations
        obs = obs[(obs["table_id"] == table_id) & (obs["period"].str.len() == 7)
                  & (obs["period"] > self.last_month)]
        return Store(obs.reset_index(drop=True), self._full.provenance)

    # ------------------------------------------------------------------ vintage

    def vintage(self) -> pd.DataFrame:
        """Provenance of each table with its first and last period as of the scope."""
        return self.store.vintage()

    def key(self) -> str:
        """A short text identifying the scope (area, period, data source)."""
        return f"{self.area.slug}|{self.period.code}|{self.data_source}"


_SCOPES: dict[tuple, Scope] = {}
"""The scope this process built last, by store, area, period and data source (a kernel presenting
several sections of a review cuts the store to the period once, not once a section)."""


def load_scope(area: str, period: str, data_source: str = "embedded") -> Scope:
    """The scope of the configured area ``area`` (slug) and ``period`` on the store of ``data_source``
    (see :func:`analysis.store.load_store`): the one call a notebook makes. A scope already built in
    this process last, on the same store, area and period, is reused (a scope is never changed)."""
    from analysis.store.store import load_store

    store, found = load_store(data_source), config.get_area(area)
    key = (id(store), found, period, data_source)
    cached = _SCOPES.get(key)
    if cached is None or cached._full is not store:
        _SCOPES.clear()  # the last scope only: keeping many made every new cut of the store slower
        cached = _SCOPES[key] = Scope.of(store, found, period, data_source)
    return cached
