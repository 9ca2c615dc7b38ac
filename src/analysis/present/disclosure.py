"""Disclosure control for published tables: small counts and unreliable changes."""

from __future__ import annotations

import math

import pandas as pd

from analysis.present.fmt import fmt_int

SMALL_COUNT_LIMIT = 5
"""Counts 1–4 are published as "<5" (0 and missing are shown as they are)."""
MIN_BASE_FOR_CHANGE = 20
"""A % change on a base under 20 persons is flagged as unreliable."""
MIN_LABOUR_FORCE_FOR_RATE = 50
"""A rate on a labour force under 50 persons is flagged as unreliable."""


def is_small(value: float | int | None) -> bool:
    """True for a count 1–4, which must not be published."""
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and 0 < value < SMALL_COUNT_LIMIT


def disclose_count(value: float | int | None, lang: str = "fi") -> str:
    """A count formatted for publication: 1–4 -> "<5", otherwise the formatted number."""
    return f"<{SMALL_COUNT_LIMIT}" if is_small(value) else fmt_int(value, lang)


def mask_small_counts(frame: pd.DataFrame, columns: list[str], lang: str = "fi") -> pd.DataFrame:
    """A copy of ``frame`` whose count ``columns`` are formatted text with 1–4 shown as "<5"."""
    out = frame.copy()
    for col in columns:
        out[col] = [disclose_count(v, lang) for v in out[col]]
    return out


def unreliable_change(base: float | int | None) -> bool:
    """True when a % change is computed on a base of fewer than 20 persons (or none)."""
    return base is None or (isinstance(base, float) and math.isnan(base)) or base < MIN_BASE_FOR_CHANGE
