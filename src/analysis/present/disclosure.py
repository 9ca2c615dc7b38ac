"""Disclosure control for published tables: small counts and unreliable changes."""

from __future__ import annotations

import pandas as pd

from analysis.indicators.foreign_language import MIN_LABOUR_FORCE_FOR_RATE  # noqa: F401 (re-exported)
from analysis.indicators.structure import unreliable_base
from analysis.present.fmt import fmt_int, is_missing

SMALL_COUNT_LIMIT = 5
"""Counts 1–4 are published as "<5" (0 and missing are shown as they are)."""


def is_small(value: float | int | None) -> bool:
    """True for a count 1–4, which must not be published."""
    return not is_missing(value) and 0 < value < SMALL_COUNT_LIMIT


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
    """True when a % change is computed on a base of fewer than 20 persons (or none).

    The rule is the indicators' ``base_unreliable`` (:data:`MIN_BASE_FOR_CHANGE`), so a table and
    its flag never disagree.
    """
    return unreliable_base(base)
