"""Disclosure control for published tables: small counts, sums that would reveal them, and
unreliable changes."""

from __future__ import annotations

from collections.abc import Sequence

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


def unreliable_change(base: float | int | None) -> bool:
    """True when a % change is computed on a base of fewer than 20 persons (or none).

    The rule is the indicators' ``base_unreliable`` (:data:`MIN_BASE_FOR_CHANGE`), so a table and
    its flag never disagree.
    """
    return unreliable_base(base)


SECONDARY_MARK = ".."
"""Shown for a cell hidden by secondary suppression (StatFin's sign for a confidential figure)."""


def secondary_suppression(parts: Sequence[float | int | None], total: float | int | None = None,
                          ) -> tuple[list[bool], bool]:
    """Which cells of a sum to hide so that no small count can be found by subtraction.

    ``parts`` are the counts that add up to ``total`` (municipalities of an area, groups of a
    total). A part of 1–4 is hidden (primary suppression). When the total is shown, what it leaves
    for the hidden parts (the total minus the shown parts) must not be 1–4 either: one hidden part
    would be revealed ("53 − 51 = 2"), two hidden parts that add up to 3 are a small count together.
    So the smallest shown part that is not 0 is hidden too (secondary suppression; hiding a 0 adds
    nothing), until the hidden parts add up to 5 or more and so does what the total leaves for them (they
    differ when the total is not exactly the sum of the parts); with no such part left, the total is hidden.
    A missing part is already unknown and protects the hidden ones.

    Returns ``(hidden_parts, hide_total)``.
    """
    hidden = [is_small(v) for v in parts]
    hide_total = is_small(total)
    if total is None or is_missing(total) or hide_total or any(is_missing(v) for v in parts):
        return hidden, hide_total

    def revealing() -> bool:  # the hidden parts' sum, or the total minus the shown parts, is 1–4
        hidden_sum = sum(float(v) for v, h in zip(parts, hidden) if h)
        return is_small(hidden_sum) or is_small(float(total) - sum(float(v) for v, h in zip(parts, hidden) if not h))

    while any(hidden) and revealing():
        candidates = [(float(v), i) for i, (v, h) in enumerate(zip(parts, hidden)) if not h and float(v) != 0]
        if not candidates:
            hide_total = True
            break
        hidden[min(candidates)[1]] = True
    return hidden, hide_total


def disclose_parts_and_total(parts: Sequence[float | int | None], total: float | int | None,
                             lang: str = "fi") -> tuple[list[str], str]:
    """Counts of a sum and its total formatted for publication with primary ("<5") and secondary
    (:data:`SECONDARY_MARK`) suppression; see :func:`secondary_suppression`."""
    hidden, hide_total = secondary_suppression(parts, total)
    shown = [disclose_count(v, lang) if is_small(v) else (SECONDARY_MARK if h else fmt_int(v, lang))
             for v, h in zip(parts, hidden)]
    total_text = disclose_count(total, lang) if is_small(total) else (SECONDARY_MARK if hide_total
                                                                      else fmt_int(total, lang))
    return shown, total_text


def mask_sum_table(frame: pd.DataFrame, part_columns: list[str], total_column: str,
                   lang: str = "fi") -> pd.DataFrame:
    """A copy of ``frame`` where each row's ``part_columns`` add up to ``total_column``, formatted
    with primary and secondary suppression row by row (e.g. municipalities and the area total)."""
    out = frame.copy().astype({c: "object" for c in [*part_columns, total_column]})
    for idx, row in frame.iterrows():
        shown, total_text = disclose_parts_and_total([row[c] for c in part_columns], row[total_column], lang)
        for col, text in zip(part_columns, shown):
            out.at[idx, col] = text
        out.at[idx, total_column] = total_text
    return out
