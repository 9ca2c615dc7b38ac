"""Synthetic example values for the internal metrics (fixed seed; always labelled "esimerkkiaineisto").

Until a workbook is imported, the scorecard can be shown with these (``review --kpi-demo``). They are
random numbers, not data, and every view of them says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.sources.workbook.catalogue import load_catalogue
from analysis.sources.workbook.read import VALUE_COLUMNS
from analysis.sources.workbook.template import write_template

EXAMPLE_SEED = 20250101
EXAMPLE_FIRST_MONTH = "2022-01"
EXAMPLE_LAST_MONTH = "2026-09"
EXAMPLE_NOTE = "esimerkkiaineisto"

# Synthetic generator settings per internal metric: (level, spread, where). "muni": one row per
# municipality with the level split by SIZE_WEIGHTS; "area": one whole-area row; "kokkola": Kokkola only.
_EXAMPLE_SPEC: dict[str, tuple[float, float, str]] = {
    "employed_within_30_days_pct": (22.0, 4.0, "area"),
    "employer_contacts": (180.0, 25.0, "muni"),
    "skills_assessments": (60.0, 10.0, "muni"),
    "employed_within_3_months_after_training_pct": (38.0, 6.0, "area"),
    "employer_led_recruitment_trainings": (0.6, 0.0, "area"),
    "referred_to_multisectoral_services": (45.0, 8.0, "muni"),
    "work_ability_model_participants": (25.0, 5.0, "muni"),
    "initial_meeting_within_5_days_pct": (82.0, 6.0, "area"),
    "service_plan_update_rate_pct": (74.0, 7.0, "area"),
    "integration_training_groups": (0.3, 0.0, "area"),
    "booked_client_meetings": (950.0, 90.0, "muni"),
    "customer_satisfaction": (4.1, 0.2, "area"),
    "clients_per_expert": (118.0, 9.0, "area"),
    "tym_board_meetings": (0.8, 0.0, "area"),
    "youth_employed_by_companies": (30.0, 7.0, "muni"),
    "pay_subsidies_granted": (28.0, 6.0, "muni"),
    "start_up_grants_granted": (6.0, 2.0, "muni"),
    "budget_realisation_pct": (100.0, 3.0, "area"),
    "discretionary_support_eur": (42000.0, 6000.0, "kokkola"),
    "website_visitors": (5200.0, 700.0, "area"),
    "newsletter_open_rate_pct": (41.0, 5.0, "area"),
    "media_visibility": (9.0, 3.0, "area"),
}
EXAMPLE_TARGETS: dict[str, float] = {
    "employed_within_30_days_pct": 25.0, "employer_contacts": 200.0, "skills_assessments": 70.0,
    "employed_within_3_months_after_training_pct": 45.0, "employer_led_recruitment_trainings": 6.0,
    "referred_to_multisectoral_services": 50.0, "work_ability_model_participants": 25.0,
    "initial_meeting_within_5_days_pct": 90.0, "service_plan_update_rate_pct": 80.0,
    "integration_training_groups": 4.0, "booked_client_meetings": 1000.0, "customer_satisfaction": 4.0,
    "clients_per_expert": 110.0, "tym_board_meetings": 10.0, "youth_employed_by_companies": 30.0,
    "pay_subsidies_granted": 350.0, "start_up_grants_granted": 80.0, "discretionary_support_eur": 45000.0,
    "website_visitors": 6000.0, "newsletter_open_rate_pct": 40.0, "media_visibility": 10.0,
}
"""Example targets shown only with the example data (labelled "esimerkkitavoite"); real targets
are imported from the workbook's sheet ``Tavoitteet``. Budget realisation has none, to show a metric without a target."""
SIZE_WEIGHTS: dict[str, float] = {
    "KU272": 0.70, "KU217": 0.08, "KU236": 0.06, "KU074": 0.02,
    "KU421": 0.01, "KU584": 0.04, "KU849": 0.045, "KU924": 0.045,
}
"""Synthetic split of example counts over municipalities (rough relative sizes; example data only)."""


def example_values(area: config.Area | None = None, *, seed: int = EXAMPLE_SEED,
                   first: str = EXAMPLE_FIRST_MONTH, last: str = EXAMPLE_LAST_MONTH,
                   catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """Synthetic values for every internal metric, month by month (fixed seed; NOT real data).

    Shaped like imported values (note ``esimerkkiaineisto``, import number 0). Counts are
    random Poisson draws around a level, shares and scores normal draws clipped to the
    metric's range. They exist only so the scorecard can be shown before a real workbook
    is imported, and every view of them says so.
    """
    area = area or config.get_area(config.default_area_slug())
    catalogue = load_catalogue() if catalogue is None else catalogue
    rng = np.random.default_rng(seed)
    months = [str(p) for p in pd.period_range(first, last, freq="M")]
    members = [c for c in area.members if c in SIZE_WEIGHTS]
    info = catalogue.set_index("metric_id")
    records: list[tuple[str, str, str, float]] = []
    for metric_id in catalogue.loc[catalogue["source"] == "internal", "metric_id"]:
        level, spread, where = _EXAMPLE_SPEC[metric_id]
        unit = info.at[metric_id, "unit"]
        lo, hi = info.at[metric_id, "min_value"], info.at[metric_id, "max_value"]
        for i, month in enumerate(months):
            season = 1.0 + 0.12 * math.sin(2 * math.pi * (int(month[5:]) - 3) / 12)
            trend = 1.0 + 0.004 * i
            if metric_id == "budget_realisation_pct":
                values = {area.slug: int(month[5:]) / 12 * rng.normal(level, spread)}
            elif where == "muni" and members:
                values = {c: float(rng.poisson(level * SIZE_WEIGHTS[c] * season * trend)) for c in members}
            elif where == "kokkola" and "KU272" in members:
                values = {"KU272": float(round(rng.normal(level, spread) * season, -2))}
            elif unit == "count":
                values = {area.slug: float(rng.poisson(max(level * season * trend, 0.0)))}
            else:
                values = {area.slug: float(rng.normal(level * (1 + 0.002 * i), spread))}
            for muni, value in values.items():
                if not math.isnan(lo):
                    value = max(value, lo)
                if not math.isnan(hi):
                    value = min(value, hi)
                decimals = 2 if unit == "scale_1_5" else (1 if unit in ("pct", "average") else 0)
                records.append((metric_id, month, muni, round(value, decimals)))
    frame = pd.DataFrame.from_records(records, columns=["metric_id", "month", "municipality", "value"])
    frame.insert(0, "area", area.slug)
    frame["note"] = EXAMPLE_NOTE
    frame["imported_at"] = ""
    frame["import_seq"] = 0
    frame["source_file"] = EXAMPLE_NOTE
    return frame[list(VALUE_COLUMNS)]


def write_example_workbook(path: str | Path, *, texts: Mapping[str, Mapping[str, str]],
                           area: config.Area | None = None, seed: int = EXAMPLE_SEED) -> Path:
    """Write the example values as a filled workbook (what a staff workbook looks like; synthetic)."""
    return write_template(path, texts=texts, area=area, rows=example_values(area, seed=seed))

