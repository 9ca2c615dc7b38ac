"""Issue 30, second red team: hostile answers from the statistics service and hostile ``.px`` files.

Every response here is a TEST FIXTURE (synthetic json-stat2 / HTTP behaviour), labelled as such; the values
are made up for the test and never presented as data.
"""

from __future__ import annotations

import pytest

from analysis.sources.pxweb import PxWebError, parse_jsonstat2


def _doc(value) -> dict:
    """TEST FIXTURE: a json-stat2 dataset of 2 areas x 2 months (4 cells)."""
    return {
        "id": ["Alue", "Kuukausi"], "size": [2, 2], "value": value,
        "dimension": {"Alue": {"category": {"index": {"MK16": 0, "KU272": 1}}},
                      "Kuukausi": {"category": {"index": {"2023M09": 0, "2023M10": 1}}}},
    }


URL = "http://localhost/StatFin/tyonv/12r5.px"


@pytest.mark.parametrize("key", ["-1", "4", "99", "1.5", "x", " 1", "+1", "٢"])
def test_a_value_map_key_outside_the_dimensions_is_refused(key):
    """Item 10: a key "-1" wrote 999 999 into the last real cell (Python's negative index)."""
    with pytest.raises(PxWebError) as err:
        parse_jsonstat2(_doc({"0": 2371, key: 999999}), "12r5", URL)
    text = str(err.value)
    assert "12r5" in text and URL in text and repr(key) in text and "0-3" in text


def test_a_value_map_with_valid_keys_fills_only_its_cells():
    frame = parse_jsonstat2(_doc({"0": 2371, "3": 704}), "12r5", URL)
    assert frame["value"].tolist()[0] == 2371 and frame["value"].tolist()[3] == 704
    assert frame["value"].isna().tolist() == [False, True, True, False]


@pytest.mark.parametrize("bad", [True, False, "245 322", "245322", "NaN", [1], {"v": 1}])
@pytest.mark.parametrize("shape", ["list", "map"])
def test_a_value_that_is_not_a_json_number_is_refused(bad, shape):
    """Weak case: ``true`` was read as 1 and a text of digits as a number; a value must be a number or null."""
    value = [2371, bad, None, 704] if shape == "list" else {"0": 2371, "1": bad}
    with pytest.raises(PxWebError) as err:
        parse_jsonstat2(_doc(value), "12r5", URL)
    text = str(err.value)
    assert "12r5" in text and URL in text and "not a number" in text and "cell 1" in text
