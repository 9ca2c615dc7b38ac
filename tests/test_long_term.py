"""Long-term unemployment (issue 3): both paths.

Embedded data: no monthly measure, so the section says what is missing and shows THL Sotkanet
2019 (values from data/raw/sotkanet_2019_unemployment_longterm_kp_municipalities.csv).
Fetched data: the synthetic test fixture ``tests/fixtures/structure/fetched_12r5`` shaped like
StatFin 12r5 (rules in its ``make_fetched_12r5.py``: long-term = L[member] + k, k = 0 at 2020-11).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.indicators import long_term
from analysis.present import long_term as present
from analysis.schema import StoreError
from analysis.store import load_store
from analysis.store.scope import Scope

LATEST = "2026Q4"  # a period after all embedded data: the as-of cut keeps everything


FIXTURE_12R5 = Path(__file__).parent / "fixtures" / "structure" / "fetched_12r5"
L = {"KU272": 300, "KU217": 40, "KU236": 25, "KU074": 3, "KU421": 2, "KU584": 10, "KU849": 12, "KU924": 11}


@pytest.fixture(scope="module")
def fetched():
    return load_store(str(FIXTURE_12R5))


# --------------------------------------------------------------------------- embedded: missing + context


def test_embedded_has_no_monthly_measure(store, kp_area):
    assert not long_term.is_available(Scope.of(store, kp_area, "2023Q3"))
    assert long_term.is_available(Scope.of(store, kp_area, LATEST))  # June 2026 holds the long-term unemployed
    with pytest.raises(StoreError, match="python -m analysis fetch"):
        long_term.monthly(Scope.of(store, kp_area, "2023Q3"))
    assert long_term.area_change(Scope.of(store, kp_area, "2023Q3")).empty  # nothing is filled in


def test_sotkanet_context_2019(store, kp_area):
    ctx = long_term.sotkanet_context(Scope.of(store, kp_area, LATEST)).set_index("area_code")
    assert set(ctx["year"]) == {"2019"} and len(ctx) == 8
    assert ctx.loc["KU272", "long_term_pct_of_labour_force"] == 1.5
    assert ctx.loc["KU272", "long_term_annual_mean"] == 315
    assert ctx.loc["KU272", "long_term_share_pct"] == pytest.approx(315 / 1620 * 100)
    assert (ctx.loc["KU074", "long_term_pct_of_labour_force"], ctx.loc["KU074", "long_term_annual_mean"]) == (1.4, 7)
    assert ctx.loc["KU924", "unemployment_rate_pct"] == 6.5
    # Lestijärvi has no 3562 row: missing, never 0
    assert np.isnan(ctx.loc["KU421", "long_term_pct_of_labour_force"])
    assert np.isnan(ctx.loc["KU421", "long_term_share_pct"])
    assert ctx.loc["KU421", "unemployed_annual_mean"] == 25


@pytest.mark.parametrize("lang, words", [
    ("fi", ["Puuttuva tieto", "pitkäaikaistyöttömien määrää", "StatFin-taulukossa 12r5", "THL Sotkanet 2019",
            "Lestijärvi", "tieto puuttuu"]),
    ("sv", ["Uppgift saknas", "långtidsarbetslösa per månad", "StatFin-tabell 12r5", "THL Sotkanet 2019"]),
])
def test_embedded_section_says_what_is_missing(store, kp_area, lang, words):
    text = "".join(b.data for b in present.long_term_blocks(Scope.of(store, kp_area, "2023Q3", "embedded"), lang))
    for word in words:
        assert word in text
    assert "PITKAAIKAISTYOTTOMAT" not in text and "python -m" not in text and "embedded" not in text
    assert text.count("<h2>") == 1 and text.count("<img") == 1


def test_context_table_shows_missing_as_dash(store, kp_area):
    scope = Scope.of(store, kp_area, LATEST)
    table = present.context_table(long_term.sotkanet_context(scope), scope, "fi")
    lesti = table[table.iloc[:, 0] == "Lestijärvi"].iloc[0]
    assert lesti.iloc[1] == "–" and lesti.iloc[2] == "–"


# --------------------------------------------------------------------------- fetched: the action plan metric


def test_monthly_24_months(fetched, kp_area):
    frame = long_term.monthly(Scope.of(fetched, kp_area, "2023Q3"))
    assert set(frame["area_code"]) == {"keski-pohjanmaa", *kp_area.members}
    assert frame.groupby("area_code").size().eq(24).all()
    assert frame["period"].min() == "2021-10" and frame["period"].max() == "2023-09"


def test_area_change_by_hand(fetched, kp_area):
    change = long_term.area_change(Scope.of(fetched, kp_area, "2023Q3")).set_index("period")
    # 2023-09 is k = 34: sum(L) + 8 * 34 = 403 + 272 = 675; a year earlier k = 22: 403 + 176 = 579
    row = change.loc["2023-09"]
    assert (row["long_term"], row["long_term_year_ago"], row["change_year"]) == (675, 579, 96)
    assert row["change_year_pct"] == pytest.approx(96 / 579 * 100)  # 16,6 %
    assert change.index.max() == "2023-09"  # as of the period: no later month


def test_municipality_changes_and_small_bases(fetched, kp_area):
    frame = long_term.monthly(Scope.of(fetched, kp_area, "2023Q3")).set_index(["area_code", "period"])
    kok = frame.loc[("KU272", "2023-09")]
    assert (kok["long_term"], kok["change_year"]) == (334, 12)  # 300 + 34, year earlier 322
    assert kok["change_year_pct"] == pytest.approx(12 / 322 * 100)
    lesti = frame.loc[("KU421", "2021-11")]  # k = 12: 2 + 12 = 14, base k = 0: 2
    assert (lesti["long_term"], lesti["long_term_year_ago"]) == (14, 2) and lesti["base_unreliable"]
    assert frame.loc[("KU421", "2023-09"), "change_year_pct"] == pytest.approx(12 / 24 * 100)  # base 24: reliable
    assert not frame.loc[("KU421", "2023-09"), "base_unreliable"]
    first = frame.loc[("keski-pohjanmaa", "2021-10")]  # its year-ago month is not in the data
    assert np.isnan(first["long_term_year_ago"]) and np.isnan(first["change_year_pct"])


def test_fetched_section_masks_small_counts(fetched, kp_area):
    table = present.series_table(
        long_term.monthly(Scope.of(fetched, kp_area, "2023Q1")).query("area_code == 'KU421'"), "fi")
    first = table.iloc[0]  # 2021-04: k = 5, long-term 7, base missing
    assert first.iloc[1] == "7"
    latest = present.latest_table(long_term.latest(Scope.of(fetched, kp_area, "2021Q4")), Scope.of(fetched, kp_area, "2021Q4"),
                                 "fi")
    lesti = latest[latest.iloc[:, 0] == "Lestijärvi"].iloc[0]  # 2021-12: 15, base 3 (<5)
    assert lesti.iloc[3] == "<5" and lesti.iloc[4] == ".." and lesti.iloc[5] == ".."


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_fetched_section_renders(fetched, kp_area, lang):
    text = "".join(b.data for b in present.long_term_blocks(Scope.of(fetched, kp_area, "2023Q3", "fetched"), lang))
    assert "PITKAAIKAISTYOTTOMAT" not in text  # nothing missing
    assert text.count("<img") == 2 and "+16,6\u00a0%" in text
