"""The metric catalogue (``data/kpi/metrics.csv``) and the municipality names of the staff workbook.

The catalogue holds each metric's definition only: name, unit, frequency, direction and tolerance
rule. Targets are set by the employment area in the workbook's sheet ``Tavoitteet`` and imported with
the values (:mod:`analysis.sources.workbook.history`).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import DataValidationError
from analysis.sources.validation import (
    csv_row,
    read_csv,
    require_columns,
    require_known,
    require_pattern,
    require_unique,
    to_number,
)

KPI_DIR: Path = config.DATA_DIR / "kpi"
METRICS_FILE: Path = KPI_DIR / "metrics.csv"
MUNICIPALITIES_FILE: Path = KPI_DIR / "municipalities.csv"

PLAN_START_YEAR = 2027
"""First year of the action plan (toimintasuunnitelma: "Vuoden 2027 talousarvio …"). A reporting
period before it shows the scorecard as the baseline (lähtötaso), not as progress towards targets."""

UNITS: tuple[str, ...] = ("count", "pct", "pct_change", "scale_1_5", "average", "eur")
ADDITIVE_UNITS: frozenset[str] = frozenset({"count", "eur"})
"""Units whose municipal values add up to the area's value."""
SENSIBLE_MAX: dict[str, float] = {"count": 10_000_000.0, "average": 100_000.0, "eur": 10_000_000_000.0,
                                  "pct": 100_000.0, "pct_change": 100_000.0, "scale_1_5": 5.0}
"""Upper bound of a metric's value by unit when the catalogue gives none: far above any real
monthly figure of an employment area, so only a typing or export error (``1e300``) is refused."""
FREQUENCIES: tuple[str, ...] = ("M", "Q", "A")
DIRECTIONS: tuple[str, ...] = ("higher", "lower")
SOURCES: tuple[str, ...] = ("public", "internal", "reviews")
CATALOGUE_COLUMNS: tuple[str, ...] = (
    "metric_id", "section", "goal_fi", "goal_sv", "name_fi", "name_sv", "unit", "frequency",
    "direction", "tolerance", "source", "persons", "min_value", "max_value",
)
WHOLE_AREA_NAMES: tuple[str, ...] = ("koko alue", "hela området", "whole area")


def load_catalogue(path: Path = METRICS_FILE) -> pd.DataFrame:
    """The metric catalogue, validated: one row per metric of the action plan.

    Numbers come back as floats (``tolerance``, ``min_value``, ``max_value``; NaN when empty) and
    ``persons`` as bool. Errors name the file, row and column.
    """
    path = Path(path)
    frame = read_csv(path, what="metrics")
    require_columns(frame, CATALOGUE_COLUMNS, path)
    require_pattern(frame, "metric_id", r"[a-z][a-z0-9_]*", path, "a metric id (lowercase, digits, _)")
    require_unique(frame, ["metric_id"], path)
    require_unique(frame, ["name_fi"], path)
    require_pattern(frame, "section", r"\d+(\.\d+)?", path, "a section number such as 1.1")
    for col in ("goal_fi", "goal_sv", "name_fi", "name_sv"):
        require_pattern(frame, col, r".*\S.*", path, "a non-empty text")
    require_known(frame, "unit", UNITS, path, "unit")
    require_known(frame, "frequency", FREQUENCIES, path, "frequency")
    require_known(frame, "direction", DIRECTIONS, path, "direction")
    require_known(frame, "source", SOURCES, path, "source")
    require_known(frame, "persons", ("yes", "no"), path, "persons flag (yes/no)")
    out = frame[list(CATALOGUE_COLUMNS)].copy()
    for col in ("tolerance", "min_value", "max_value"):
        out[col] = to_number(frame, col, path)
    out["persons"] = frame["persons"] == "yes"
    neg = out["tolerance"] < 0
    if neg.any():
        raise DataValidationError(path, "tolerance must not be negative", csv_row(np.flatnonzero(neg)[0]),
                                  "tolerance")
    return out.reset_index(drop=True)


def load_municipalities(path: Path = MUNICIPALITIES_FILE) -> pd.DataFrame:
    """Municipality codes with Finnish and Swedish names (for the workbook's ``kunta`` column)."""
    path = Path(path)
    frame = read_csv(path)
    require_columns(frame, ["municipality_code", "name_fi", "name_sv"], path)
    require_pattern(frame, "municipality_code", r"KU\d{3}", path, "a municipality code KUnnn")
    require_unique(frame, ["municipality_code"], path)
    return frame


def norm(text: object) -> str:
    """``text`` as a lookup key: spaces collapsed, trimmed, case-folded."""
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def metric_lookup(catalogue: pd.DataFrame) -> dict[str, str]:
    """Metric id by its id, Finnish or Swedish name (normalised; a trailing full stop optional)."""
    lookup: dict[str, str] = {}
    for row in catalogue.itertuples(index=False):
        for key in (row.metric_id, row.name_fi, row.name_sv):
            lookup[norm(key)] = row.metric_id
            lookup[norm(str(key).rstrip("."))] = row.metric_id
    return lookup


def municipality_lookup(area: config.Area, municipalities: pd.DataFrame) -> dict[str, str]:
    """Municipality code (or the area's slug for "Koko alue") by code, number, Finnish or Swedish name."""
    lookup = {norm(name): area.slug for name in (*WHOLE_AREA_NAMES, area.slug, area.name_fi, area.name_sv)}
    names = municipalities.set_index("municipality_code")
    for code in area.members:
        if not code.startswith("KU"):
            continue
        lookup[norm(code)] = code
        lookup[norm(code[2:])] = code
        if code in names.index:
            lookup[norm(names.at[code, "name_fi"])] = code
            lookup[norm(names.at[code, "name_sv"])] = code
    return lookup
