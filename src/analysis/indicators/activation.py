"""The activation rate (aktivointiaste) of the employment service statistics.

Definition (Statistics Finland, Tilastokoulu "Työmarkkinatilastot", 4.1 Aktivointiaste, which names the
Ministry of Economic Affairs and Employment's employment service statistics as the producer; see
docs/statfin_tables.md): the activation rate is the percentage of persons in active labour-market
services out of the sum of unemployed jobseekers and persons in those services::

    activation_rate_pct = 100 * in_services / (unemployed_jobseekers + in_services)

From StatFin 12r5 the numerator is the sum of the six counts of persons in services at the end of the
month (``catalog.SERVICE_MEASURES``: TYOLLISTETTYLOP, TYOHARJOITTELULOP, KOKEILULOP, TVKOULUTUSLOP,
VALMENNUSLOP, MTPPALVELUTLOP) and the denominator adds ``unemployed_jobseekers`` (TYOTTOMATLOPUSSA).

Pure functions on tidy frames, no text. A period where any of the seven counts is missing gives NaN:
the rate of a partial sum is never published.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.sources.catalog import SERVICE_MEASURES

MEASURE = "activation_rate_pct"
UNEMPLOYED = "unemployed_jobseekers"
IN_SERVICES = "in_services"
INPUTS: tuple[str, ...] = (UNEMPLOYED, *SERVICE_MEASURES)


def activation_rate(unemployed: float, in_services: float) -> float:
    """``100 * in_services / (unemployed + in_services)``; NaN when a count is missing or both are 0."""
    if unemployed is None or in_services is None or math.isnan(unemployed) or math.isnan(in_services):
        return float("nan")
    total = unemployed + in_services
    return float("nan") if total == 0 else 100.0 * in_services / total


def activation_frame(obs: pd.DataFrame) -> pd.DataFrame:
    """Activation rate per area and period from tidy 12r5 observations.

    ``obs`` holds the rows of :data:`INPUTS` (other measures are ignored). Returns columns
    ``area_code``, ``period``, ``unemployed_jobseekers``, ``in_services`` and ``activation_rate_pct``,
    sorted by area and period. ``in_services`` is NaN when any of the six service counts is missing.
    """
    part = obs[obs["measure"].isin(INPUTS)]
    wide = part.pivot_table(index=["area_code", "period"], columns="measure", values="value",
                            aggfunc="first", dropna=False)
    wide = wide.reindex(columns=list(INPUTS))
    services = wide[list(SERVICE_MEASURES)]
    out = pd.DataFrame({
        UNEMPLOYED: wide[UNEMPLOYED],
        IN_SERVICES: services.sum(axis=1, min_count=len(SERVICE_MEASURES)).where(services.notna().all(axis=1)),
    })
    out[MEASURE] = [activation_rate(u, s) for u, s in zip(out[UNEMPLOYED], out[IN_SERVICES])]
    return out.reset_index().sort_values(["area_code", "period"]).reset_index(drop=True)


__all__ = ["INPUTS", "IN_SERVICES", "MEASURE", "activation_frame", "activation_rate"]
