"""The tidy store: area aggregation reproduces published totals; writes are atomic."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.schema import StoreError, tidy
from analysis.store import aggregate_areas, merge_stores, read_store, write_store
from analysis.store.store import Store


def test_eight_municipalities_sum_to_mk16_in_every_month(store, kp_area):
    obs = store.select(["unemployed_jobseekers", "labour_force"], table_id="12r5")
    area = aggregate_areas(obs, kp_area.members, "keski-pohjanmaa")
    published = obs[obs["area_code"] == "MK16"]
    merged = area.merge(published, on=["period", "measure"], suffixes=("_sum", "_mk16"))
    assert len(merged) == 215 * 2  # every month 2006-01..2023-10 and 2026-06, both measures
    assert merged["value_sum"].notna().all()
    pd.testing.assert_series_equal(merged["value_sum"], merged["value_mk16"], check_names=False)


def test_two_subregions_sum_to_their_municipalities(store):
    obs = store.select("unemployed_jobseekers", table_id="12r5")
    kokkola_sk = aggregate_areas(obs, ["KU272", "KU217"], "x")
    published = obs[obs["area_code"] == "SK162"].set_index("period")["value"]
    assert (kokkola_sk.set_index("period")["value"] == published).all()


def test_a_missing_member_makes_the_area_value_missing_not_smaller(store, kp_area):
    vac = store.select("open_vacancies", table_id="12r5", area_codes=list(kp_area.members))
    area = aggregate_areas(vac, kp_area.members, "kp").set_index("period")["value"]
    incomplete = vac.groupby("period")["value"].count() < 8
    assert incomplete.any()
    assert area[incomplete[incomplete].index].isna().all()
    # 2023-10: two small municipalities are suppressed; the partial sum 396 is not MK16's 399
    assert np.isnan(area["2023-10"])
    assert vac[vac["period"] == "2023-10"]["value"].sum() == 396
    # where all eight are present the area equals the published MK16 figure
    mk16 = store.select("open_vacancies", table_id="12r5", area_codes=["MK16"]).set_index("period")["value"]
    complete = area.dropna()
    assert len(complete) > 12
    pd.testing.assert_series_equal(complete, mk16[complete.index], check_names=False)


def test_rates_are_never_summed():
    obs = tidy(pd.DataFrame({
        "table_id": "t", "period": "2020", "area_code": ["A", "B", "A", "B"],
        "measure": ["unemployment_rate_pct", "unemployment_rate_pct", "labour_force", "labour_force"],
        "value": [5.0, 7.0, 100.0, 50.0],
    }))
    out = aggregate_areas(obs, ["A", "B"], "AB")
    assert list(out["measure"]) == ["labour_force"]
    assert out["value"].iloc[0] == 150.0


def test_select_refuses_an_absent_measure(store):
    with pytest.raises(StoreError, match="no measure unemployed_24m_plus"):
        store.select("unemployed_24m_plus", table_id="12r5")
    assert not store.has("unemployed_24m_plus")


def test_periods_held_are_the_periods_with_a_value_of_the_measure(store):
    monthly = tidy(pd.DataFrame({
        "table_id": "t", "period": ["2023-02", "2023-01", "2023-03", "2023-02", "2022"], "area_code": "KU074",
        "measure": ["a", "a", "a", "b", "a"], "value": [1.0, 2.0, np.nan, 3.0, 4.0],
    }))
    small = Store(monthly, pd.DataFrame())
    assert small.periods_held("a") == ("2022", "2023-01", "2023-02")  # 2023-03 holds no value of a
    assert small.periods_held("b") == ("2023-02",)
    assert small.periods_held() == ("2022", "2023-01", "2023-02", "2023-03")  # any row, sorted
    assert small.periods("t") == ["2022", "2023-01", "2023-02", "2023-03"]
    # the embedded 12r5 holds unemployed jobseekers in every month 2006-01..2023-10
    held = store.table("12r5").periods_held("unemployed_jobseekers")
    assert (held[0], held[-2], held[-1], len(held)) == ("2006-01", "2023-10", "2026-06", 215)


def _small_store(value: float, table: str = "12r5") -> Store:
    obs = tidy(pd.DataFrame({"table_id": [table], "period": ["2023-10"], "area_code": ["KU074"],
                             "measure": ["long_term_unemployed"], "value": [value]}))
    prov = pd.DataFrame([{"table_id": table, "title_fi": "x", "producer": "x", "citation": "x",
                          "origin": "pxweb", "last_updated": "2024-01-01", "fetched_at": "2024-01-02",
                          "snapshot": ""}])
    return Store(obs, prov)


def test_write_and_read_round_trip_keeps_missing_as_missing(tmp_path: Path):
    folder = tmp_path / "fetched"
    s = _small_store(np.nan)
    write_store(s, folder)
    back = read_store(folder)
    assert np.isnan(back.observations["value"].iloc[0])
    assert back.observations["occupation_code"].iloc[0] == "SSS"
    assert back.provenance["last_updated"].iloc[0] == "2024-01-01"


def test_a_failed_write_leaves_the_previous_store_intact(tmp_path: Path, monkeypatch):
    folder = tmp_path / "fetched"
    write_store(_small_store(12.0), folder)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError, match="disk full"):
        write_store(_small_store(99.0), folder)
    monkeypatch.undo()
    assert read_store(folder).observations["value"].iloc[0] == 12.0
    assert [p.name for p in tmp_path.iterdir()] == ["fetched"]  # no temporary folder left behind


def test_fetched_tables_replace_embedded_ones(store):
    merged = merge_stores(store, _small_store(7.0))
    assert merged.has("long_term_unemployed")
    assert not merged.has("unemployed_jobseekers", table_id="12r5")  # the whole table was replaced
    assert merged.has("unemployed_jobseekers", table_id="12ti")
    assert (merged.provenance["table_id"] == "12r5").sum() == 1
