"""The Scope: an area and a reporting period, as of that period (analysis.store.scope).

Expected values from the embedded snapshot (data/raw; see data/SOURCES.md): 12r5 and 12ti run
2006-01..2023-10, 159t holds 2020-2025, 13aj 2009-2025, 2310 ends 2020-08, Sotkanet is 2019.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import config
from analysis.config import Area
from analysis.schema import PROVENANCE_COLUMNS, Store, StoreError, tidy
from analysis.store.scope import Scope, as_of, shift_month

PART = Area("test-part", "Osa", "Del", "MK16", ("KU272", "KU421"))  # two of the eight: no published area


# --------------------------------------------------------------------------- months


def test_reference_month_is_the_periods_last_month_held(store, kp_area):
    scope = Scope.of(store, kp_area, "2023Q3")
    assert scope.last_month == "2023-09" and scope.period.months == ("2023-07", "2023-08", "2023-09")
    assert scope.require_month() == "2023-09" and scope.month("12ti") == "2023-09"
    # 2023Q4: the data ends 2023-10, so the quarter's reference month is its first month
    assert Scope.of(store, kp_area, "2023Q4").require_month() == "2023-10"
    # the vacancy flows of 2310 end 2020-08: no month of 2023Q3
    assert scope.month("2310") is None and scope.last_held("2310") == "2020-08"


def test_a_period_outside_the_data_is_refused_with_the_span(store, kp_area):
    scope = Scope.of(store, kp_area, "2024Q1")
    assert scope.month() is None
    with pytest.raises(StoreError, match="no month of 2024Q1 \\(it covers 2006-01–2023-10\\)"):
        scope.require_month()


def test_pick_month(store, kp_area):
    scope = Scope.of(store, kp_area, "2023Q3")
    assert scope.pick_month(["2023-08", "2023-09", "2023-10"]) == "2023-09"
    assert scope.pick_month({"2023-07", "2023-08"}) == "2023-08"
    assert scope.pick_month(["2023-10"]) is None and scope.pick_month([]) is None


def test_year_ago_month_ago_and_previous_period():
    assert Scope.year_ago("2023-09") == "2022-09" and Scope.year_ago("2024-02") == "2023-02"
    assert Scope.month_ago("2023-01") == "2022-12"
    assert shift_month("2023-11", 3) == "2024-02"


def test_previous_period_month(store, kp_area):
    assert Scope.of(store, kp_area, "2023Q3").previous_period_month("2023-09") == "2023-06"
    assert Scope.of(store, kp_area, "2023-09").previous_period_month("2023-09") == "2023-08"


def test_monthly_scope(store, kp_area):
    scope = Scope.of(store, kp_area, "2023-09")
    assert (scope.period.kind, scope.period.code, scope.period.months) == ("month", "2023-09", ("2023-09",))
    assert scope.period.quarter == "2023Q3"
    assert scope.require_month() == "2023-09"
    counts = scope.counts(["unemployed_jobseekers"]).set_index("period")["value"]
    assert counts.index.max() == "2023-09" and counts["2023-09"] == 2307  # MK16 2023-09 (12r5)
    assert counts["2022-09"] == 2132


@pytest.mark.parametrize("period", ["2023Q5", "2023-13", "2023-9", "23Q3", "2023Q3 ", "2023Q3\n"])
def test_bad_period_is_refused(store, kp_area, period):
    with pytest.raises(config.ConfigError):
        Scope.of(store, kp_area, period)


# --------------------------------------------------------------------------- as of the period


def test_as_of_cut_2020q3(store, kp_area):
    scope = Scope.of(store, kp_area, "2020Q3")
    obs = scope.store.observations
    monthly = obs[obs["period"].str.len() == 7]
    annual = obs[obs["period"].str.len() == 4]
    assert monthly["period"].max() == "2020-09"
    assert not obs["period"].str.startswith("2021").any()  # no observation of 2021
    assert not (obs["table_id"] == "159t").any()  # no 159t share of 2020 or later (2020 ends 31 Dec)
    assert annual["period"].max() == "2019"  # 13aj and Sotkanet up to 2019
    # what happened afterwards is only in later(), for a forecast beside its outcome
    later = scope.later("12r5").observations
    assert later["period"].min() == "2020-10"
    assert later.loc[later["measure"] == "unemployed_jobseekers", "period"].max() == "2026-06"


def test_annual_data_of_a_year_is_seen_only_after_its_end(store, kp_area):
    def shares(period: str) -> list[str]:
        obs = Scope.of(store, kp_area, period).store.observations
        return sorted(obs.loc[obs["table_id"] == "159t", "period"].unique())

    assert shares("2023Q3") == ["2020", "2021", "2022"]
    assert shares("2023Q4") == ["2020", "2021", "2022", "2023"]
    assert shares("2023-11") == ["2020", "2021", "2022"]
    assert shares("2025Q4") == ["2020", "2021", "2022", "2023", "2024", "2025"]


def test_as_of_leaves_the_full_store_untouched(store):
    before = len(store.observations)
    cut = as_of(store, "2015-03")
    assert len(cut.observations) < before and len(store.observations) == before
    assert cut.observations["period"].max() <= "2015-03"


# --------------------------------------------------------------------------- area


def test_keski_pohjanmaa_area_facts(store, kp_area):
    scope = Scope.of(store, kp_area, "2023Q3")
    assert scope.published_code == "MK16"  # the eight municipalities are the whole region
    assert scope.regions == ["MK16"] and scope.region == "MK16"
    assert scope.subregions == ["SK161", "SK162"]  # Kaustinen and Kokkola sub-regions
    assert scope.municipalities == list(kp_area.members)
    assert scope.key() == "keski-pohjanmaa|2023Q3|embedded"


def test_published_code_of_other_areas(store):
    assert Scope.of(store, PART, "2023Q3").published_code is None
    assert Scope.of(store, config.get_area("maakunta-lappi"), "2023Q3").published_code == "MK19"


def test_occupation_codes(store, kp_area):
    # 12ti holds MK16 and the whole country, not the municipalities
    kp = Scope.of(store, kp_area, "2023Q3")
    assert kp.occupation_codes == (["MK16"], False) and kp.occupation_code == "MK16"
    part = Scope.of(store, PART, "2023Q3")
    assert part.occupation_codes == (["MK16"], True)  # the region, as context only
    assert part.occupation_code is None
    lappi = Scope.of(store, config.get_area("maakunta-lappi"), "2023Q3")
    assert lappi.occupation_codes is None and lappi.occupation_code is None  # no 12ti data for MK19


# --------------------------------------------------------------------------- counts


def test_counts_sum_members_and_fill_from_the_published_area(store, kp_area):
    vac = Scope.of(store, kp_area, "2023Q3").counts(["open_vacancies"]).set_index("period")["value"]
    # 2023-07, all eight present in data/raw: 0+20+33+386+5+18+22+14 = 498
    assert vac["2023-07"] == 498
    # 2023-09: Lestijärvi is suppressed, so the published MK16 total 429 stands in
    assert vac["2023-09"] == 429 and vac.index.max() == "2023-09"
    part = Scope.of(store, PART, "2023Q3").counts(["open_vacancies"]).set_index("period")["value"]
    assert part["2023-07"] == 386 + 5
    assert part.isna()["2023-09"]  # no published area to fill from: missing stays missing


def test_counts_leave_out_measures_the_table_lacks(store, kp_area):
    scope = Scope.of(store, kp_area, "2023Q3")
    assert set(scope.counts(["unemployed_jobseekers", "long_term_unemployed"])["measure"]) == {
        "unemployed_jobseekers"}
    assert scope.counts(["long_term_unemployed"]).empty


def test_the_core_measure_decides_the_reference_month(kp_area):
    # synthetic (tests only): vacancies run two months past the unemployed, as the embedded 12r5
    # vacancies at the quarter ends do (2026-06 against 2023-10)
    rows = [("2023-10", "unemployed_jobseekers", 2371.0), ("2023-10", "open_vacancies", 399.0),
            ("2023-12", "open_vacancies", 350.0)]
    obs = pd.DataFrame([{"table_id": "12r5", "period": p, "area_code": "MK16", "measure": m, "value": v}
                        for p, m, v in rows])
    store = Store(tidy(obs), pd.DataFrame(columns=list(PROVENANCE_COLUMNS)))
    scope = Scope.of(store, kp_area, "2023Q4")
    assert scope.month() == scope.require_month() == "2023-10"
    assert scope.month(measure="open_vacancies") == "2023-12"
    with pytest.raises(StoreError, match="12r5 unemployed_jobseekers has no month of 2023-12"):
        Scope.of(store, kp_area, "2023-12").require_month()  # only vacancies are held then
