"""The area among all employment areas: unemployment rate of every employment area and the area's rank.

Pure: the :class:`~analysis.store.scope.Scope` and the configured areas in, a frame out; no text.
Definitions (as in :mod:`analysis.indicators.structure`):

- unemployed jobseekers and labour force: StatFin 12r5 (``unemployed_jobseekers``, ``labour_force``)
  at the scope's reference month, as of the period;
- an employment area's count is the sum of its member municipalities; its unemployment rate, %, is
  unemployed / labour force × 100 from the summed counts;
- rank 1 = the lowest rate (ties share the better rank).

The ranking is made only when the configuration holds every employment area (45 from 1.1.2025) and
the store holds both counts for every member of every one of them at the reference month: a rank
among a subset, or among sums with a member missing, would read as a fact it is not. Otherwise the
result carries no table and says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.config import Area
from analysis.indicators.structure import TABLE, rate
from analysis.schema import StoreError
from analysis.store.scope import Scope, totals_filter

EMPLOYMENT_AREAS_2025 = 45
"""Employment areas in Finland from 1.1.2025 (TEM / valtioneuvosto tiedote 22.2.2024)."""

MEASURES = ("unemployed_jobseekers", "labour_force")


@dataclass(frozen=True)
class EmploymentAreaRanking:
    """Every employment area's rate at ``month`` and the scope's area's place among them.

    ``table`` (``None`` when no ranking can be made; ``reason`` then says why) has the columns
    ``slug``, ``unemployed``, ``labour_force``, ``rate`` (%), ``rank`` (1 = lowest rate), sorted by
    rank. ``rank`` and ``count`` are the area's rank and the number of areas ranked."""

    month: str | None
    table: pd.DataFrame | None
    rank: int | None
    count: int
    reason: str | None = None

    @property
    def available(self) -> bool:
        return self.table is not None


def _none(month: str | None, reason: str) -> EmploymentAreaRanking:
    return EmploymentAreaRanking(month=month, table=None, rank=None, count=0, reason=reason)


def employment_area_ranking(scope: Scope, areas: Mapping[str, Area],
                            expected_count: int | None = EMPLOYMENT_AREAS_2025) -> EmploymentAreaRanking:
    """Rank the scope's employment area among all employment areas of ``areas`` by unemployment rate.

    ``areas`` is the areas configuration (:func:`analysis.config.load_areas`); ``expected_count`` the
    number of employment areas there are (``None``: rank whatever is configured; tests only)."""
    employment = {slug: a for slug, a in areas.items() if a.kind == "employment_area"}
    if scope.area.kind != "employment_area" or scope.area.slug not in employment:
        return _none(None, f"{scope.area.slug} is not a configured employment area")
    if expected_count is not None and len(employment) != expected_count:
        return _none(None, f"the configuration holds {len(employment)} of the {expected_count} employment areas")
    month = scope.month(TABLE)
    if month is None:
        return _none(None, f"table {TABLE} holds no month of {scope.period.code}")
    members = sorted({m for a in employment.values() for m in a.members})
    try:
        obs = scope.table(TABLE).select(list(MEASURES), table_id=TABLE, area_codes=members,
                                        **totals_filter(TABLE))
    except StoreError:
        return _none(month, f"table {TABLE} holds no unemployed jobseekers or labour force")
    obs = obs[(obs["period"] == month) & obs["value"].notna()]
    held = obs.pivot_table(index="area_code", columns="measure", values="value", aggfunc="first")
    held = held.reindex(index=members, columns=list(MEASURES))
    lacking = held.index[held.isna().any(axis=1)].tolist()
    if lacking:
        shown = ", ".join(lacking[:5]) + (f" and {len(lacking) - 5} more" if len(lacking) > 5 else "")
        return _none(month, f"table {TABLE} lacks {month} for {len(lacking)} of the {len(members)} member "
                            f"municipalities of the employment areas ({shown})")
    rows = [{"slug": slug,
             "unemployed": float(held.loc[list(a.members), "unemployed_jobseekers"].sum()),
             "labour_force": float(held.loc[list(a.members), "labour_force"].sum())}
            for slug, a in employment.items()]
    table = pd.DataFrame(rows)
    table["rate"] = rate(table["unemployed"], table["labour_force"])
    if table["rate"].isna().any():
        return _none(month, "an employment area has no labour force")
    table["rank"] = table["rate"].rank(ascending=True, method="min").astype(int)
    table = table.sort_values(["rank", "slug"]).reset_index(drop=True)
    rank = int(table.loc[table["slug"] == scope.area.slug, "rank"].iloc[0])
    return EmploymentAreaRanking(month=month, table=table, rank=rank, count=len(table))
