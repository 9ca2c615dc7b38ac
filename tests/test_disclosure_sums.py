"""Disclosure by subtraction (issue 11): a masked count must not be found as total minus the others.

Figures are TEST FIXTURES shaped like the issue's example: an area of Halsua and Lestijärvi where
Halsua has 2 and Lestijärvi 51 (total 53); 53 − 51 would reveal the 2.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.present.disclosure import (
    SECONDARY_MARK,
    disclose_parts_and_total,
    mask_sum_table,
    secondary_suppression,
)


def test_halsua_and_lestijarvi_the_other_part_is_hidden_too():
    shown, total = disclose_parts_and_total([2, 51], 53)
    assert shown == ["<5", SECONDARY_MARK] and total == "53"


def test_the_next_smallest_part_is_hidden_not_the_largest():
    hidden, hide_total = secondary_suppression([2, 2000, 30, 7], 2039)
    assert hidden == [True, False, False, True] and hide_total is False


def test_two_small_parts_protect_each_other():
    assert secondary_suppression([2, 3, 40], 45) == ([True, True, False], False)


def test_a_single_part_hides_the_total():
    assert secondary_suppression([3], 3) == ([True], True)
    shown, total = disclose_parts_and_total([3, float("nan")], 8)
    assert shown == ["<5", "–"] and total == "8"  # the missing part already protects the small one


def test_a_small_total_is_hidden_itself():
    hidden, hide_total = secondary_suppression([2, 0], 2)
    assert hidden == [True, False] and hide_total is True  # "<5", "0", total "<5": nothing to subtract from


def test_no_small_part_changes_nothing():
    assert disclose_parts_and_total([12, 51], 63) == (["12", "51"], "63")


@pytest.mark.parametrize("parts, total", [([2, 51], 53), ([4, 10, 22, 7], 43), ([1, 100, 6], 107)])
def test_no_hidden_count_can_be_recovered_by_subtraction(parts, total):
    hidden, hide_total = secondary_suppression(parts, total)
    unknown = [p for p, h in zip(parts, hidden) if h]
    # with the total shown, at least two cells are hidden whenever one is
    assert hide_total or len(unknown) != 1
    assert math.isclose(sum(parts), total)


def test_mask_sum_table_row_by_row():
    frame = pd.DataFrame({"month": ["2023-09", "2023-10"], "KU074": [2, 12], "KU421": [51, 40],
                          "area": [53, 52]})
    out = mask_sum_table(frame, ["KU074", "KU421"], "area")
    assert out.loc[0, ["KU074", "KU421", "area"]].tolist() == ["<5", SECONDARY_MARK, "53"]
    assert out.loc[1, ["KU074", "KU421", "area"]].tolist() == ["12", "40", "52"]


@pytest.mark.parametrize("parts, total", [
    ([20, 3, 0, 0], 23),  # the next smallest is a 0: hiding it leaves 23 − 20 = 3 for the two hidden cells
    ([40, 2, 1], 43),  # two small parts that together are 3: the pair is a small count
    ([132, 24, 18, 5, 2, 14, 12, 9], 216),  # issue 30 item 11's shape: 216 − 214 = 2 (TEST FIXTURE figures)
])
def test_the_hidden_cells_of_a_shown_total_never_add_up_to_1_to_4(parts, total):
    """Issue 30: what the shown total leaves for the hidden cells (total − the shown parts) is 0 or at least 5."""
    hidden, hide_total = secondary_suppression(parts, total)
    left = total - sum(p for p, h in zip(parts, hidden) if not h)
    assert hide_total or not 1 <= left <= 4
    assert all(h for p, h in zip(parts, hidden) if 1 <= p <= 4)


def test_the_rule_hides_as_few_cells_as_it_must():
    assert secondary_suppression([20, 3, 0, 0], 23) == ([True, True, False, False], False)  # 20 is hidden, not 0s
    assert secondary_suppression([132, 24, 18, 5, 2, 14, 12, 9], 216)[0] == [False] * 3 + [True, True] + [False] * 3
