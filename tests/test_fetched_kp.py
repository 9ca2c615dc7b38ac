"""The SYNTHETIC fetched store for Keski-Pohjanmaa (tests/fixtures/fetched_kp): complete and consistent.

Expected facts come from the generator's rules (``make_fetched_kp_SYNTHETIC.py``): every group measure
of ``catalog.GROUP_MEASURES`` for MK16, its 8 municipalities, SK161/SK162, SSS and all 19 regions;
members sum to MK16; long-term <= unemployed. One hand-computed value: Kokkola (KU272) 2023-01 has
1 700 unemployed (U = 1 700 at k = 0) and 1 700 * 28 // 100 = 476 long-term unemployed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.sources.catalog import GROUP_MEASURES, NON_ADDITIVE
from analysis.store import read_store
from fixtures.fetched_kp import STORE, fetched_kp_store  # noqa: F401  (the pytest fixture)

HERE = Path(__file__).parent / "fixtures" / "fetched_kp"

KP = config.get_area("keski-pohjanmaa")
REGIONS = ["MK01", "MK02", "MK04", "MK05", "MK06", "MK07", "MK08", "MK09", "MK10", "MK11", "MK12", "MK13",
           "MK14", "MK15", "MK16", "MK17", "MK18", "MK19", "MK21"]
SMALL_AREAS = [*KP.members, "SK161", "SK162"]


@pytest.fixture(scope="module")
def store(fetched_kp_store):  # noqa: F811 (the imported fixture, requested by name)
    return read_store(fetched_kp_store)  # the fixture's own layer (load_store lays it over the embedded data)


def test_every_group_measure_for_every_area(store):
    obs = store.observations
    for table_id, measures in GROUP_MEASURES.items():
        areas = ["SSS", *REGIONS] + (SMALL_AREAS if table_id != "12tu" else [])
        for measure in measures:
            part = obs[(obs["table_id"] == table_id) & (obs["measure"] == measure) & (obs["occupation_code"] == "SSS")]
            have = set(part.dropna(subset=["value"])["area_code"])
            assert set(areas) <= have, (table_id, measure, sorted(set(areas) - have))
    prov = store.provenance.set_index("table_id")
    assert {prov.loc[t, "origin"] for t in GROUP_MEASURES} == {"pxweb"}
    assert all("synthetic" in prov.loc[t, "citation"] for t in GROUP_MEASURES)


def test_members_sum_to_the_region_and_subregions(store):
    obs = store.observations
    r5 = obs[(obs["table_id"].isin(["12r5", "12ta"])) & ~obs["measure"].isin(NON_ADDITIVE)]
    wide = r5.pivot_table(index=["table_id", "measure", "period"], columns="area_code", values="value")
    members = list(KP.members)
    assert (wide[members].sum(axis=1) == wide["MK16"]).all()
    assert (wide["SK161"] + wide["SK162"] == wide["MK16"]).all()
    assert (wide[REGIONS].sum(axis=1) == wide["SSS"]).all()


def test_groups_are_consistent(store):
    obs = store.observations
    r5 = obs[obs["table_id"].isin(["12r5", "12ta"])].pivot_table(index=["area_code", "period"], columns="measure",
                                                                  values="value")
    u = r5["unemployed_jobseekers"]
    assert (r5["long_term_unemployed"] <= u).all()
    assert (r5["unemployed_24m_plus"] <= r5["unemployed_12m_plus"]).all()
    assert (r5["unemployed_12m_plus"] == r5["long_term_unemployed"]).all()
    assert (r5["unemployed_men"] + r5["unemployed_women"] == u).all()
    assert (r5["unemployed_under_20"] <= r5["unemployed_under_25"]).all() and (r5["unemployed_under_25"] <= u).all()
    for name in ("unemployed_over_50", "unemployed_foreign_nationals", "laid_off_full_time"):
        assert (r5[name] <= u).all()
    rate = (u / r5["labour_force"] * 100).round(1)
    assert (rate == r5["unemployment_rate_pct"]).all()
    assert r5.loc[("KU272", "2023-01"), "unemployed_jobseekers"] == 1700
    assert r5.loc[("KU272", "2023-01"), "long_term_unemployed"] == 476


def test_12tu_total_is_the_sum_of_occupations(store):
    tu = store.select("vacancies_open_during_month", table_id="12tu")
    assert set(tu["period"].str[5:]) == {"03", "06", "09", "12"}
    total = tu[tu["occupation_code"] == "SSS"].set_index(["area_code", "period"])["value"]
    parts = tu[tu["occupation_code"] != "SSS"].groupby(["area_code", "period"])["value"].sum()
    pd.testing.assert_series_equal(total.sort_index(), parts.sort_index(), check_names=False)


def test_months_and_vintage(store):
    r5 = store.select("unemployed_jobseekers", table_id="12r5")
    assert (r5["period"].min(), r5["period"].max()) == ("2023-01", "2026-06")
    assert store.provenance.set_index("table_id").loc["12r5", "last_updated"] == "2026-08-25T05:00:00Z"


def test_fixture_is_what_the_generator_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_kp", HERE / "make_fetched_kp_SYNTHETIC.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    fresh = gen.build()
    saved = read_store(STORE)
    key = ["table_id", "period", "area_code", "measure", "occupation_code"]
    pd.testing.assert_frame_equal(saved.observations.sort_values(key).reset_index(drop=True),
                                  fresh.observations.sort_values(key).reset_index(drop=True))
