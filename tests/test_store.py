"""The tidy store: area aggregation reproduces published totals; writes are atomic."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.schema import StoreError, tidy
from analysis.store import aggregate_areas, read_store, write_store
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


def test_layers_newest_cell_wins_and_nothing_below_is_hidden(tmp_path: Path, monkeypatch):
    """TEST FIXTURE values (7, 8): a one-cell layer over the embedded 12r5, then a newer one over it."""
    from analysis import config
    from analysis.store import cell_vintages, load_store
    from analysis.store.store import add_layers

    folder = tmp_path / "fetched"
    monkeypatch.setattr(config, "FETCHED_DIR", folder)
    add_layers(folder, _small_store(7.0), ["12r5"], "first.px", "2024-01-02T00:00:00Z")
    add_layers(folder, _small_store(8.0), ["12r5"], "second.px", "2024-01-03T00:00:00Z")
    layered = load_store("fetched")
    obs = layered.observations
    cell = obs[(obs["area_code"] == "KU074") & (obs["measure"] == "long_term_unemployed") & (obs["period"] == "2023-10")]
    assert cell["value"].tolist() == [8.0]  # the newest layer wins the cell
    assert layered.has("unemployed_jobseekers", table_id="12r5")  # the embedded 12r5 still shows below
    assert len(obs[obs["table_id"] == "12r5"]) == len(load_store("embedded").table("12r5").observations) + 1
    assert (layered.provenance["table_id"] == "12r5").sum() == 1  # one row per table: the layer giving most
    assert layered.provenance.set_index("table_id").at["12r5", "origin"] == "embedded"
    assert "pxweb" in layered.provenance.set_index("table_id").at["12r5", "snapshot"]
    # the first layer is hidden whole by the second: dropped from the folder
    assert sorted(read_store(folder).observations["value"]) == [8.0]
    vin = cell_vintages("fetched", measure="long_term_unemployed", area_codes=["KU074"], period="2023-10")
    assert vin[["value", "origin", "source", "last_updated"]].values.tolist() == [
        [8.0, "pxweb", "second.px", "2024-01-01"]]
    vin = cell_vintages("fetched", table_id="12r5", measure="unemployed_jobseekers", area_codes=["MK16"],
                        period="2023-09")
    assert vin[["value", "layer", "origin"]].values.tolist() == [[2307.0, 0, "embedded"]]


def test_eckero_px_layers_over_the_embedded_data(tmp_path: Path, monkeypatch, store, kp_area):
    """`fetch --px-file` of one municipality's .px, then `--data-source fetched --period 2023Q3` gives the same
    Keski-Pohjanmaa figures as the embedded data (the .px replaced the whole 12r5 before: issue 28)."""
    from analysis import cli, config
    from analysis.indicators import groups, structure
    from analysis.store import cell_vintages, load_store
    from analysis.store.scope import Scope

    monkeypatch.setattr(config, "FETCHED_DIR", tmp_path / "fetched")
    eckero = Path(__file__).parent / "fixtures" / "pxweb" / "statfin_tyonv_pxt_12r5_eckero_2024.px"
    assert cli.main(["fetch", "--px-file", str(eckero)]) == 0
    layered = load_store("fetched")
    embedded_scope, fetched_scope = Scope.of(store, kp_area, "2023Q3"), Scope.of(layered, kp_area, "2023Q3", "fetched")
    pd.testing.assert_frame_equal(groups.standard_groups(fetched_scope), groups.standard_groups(embedded_scope))
    pd.testing.assert_frame_equal(structure.level_table(fetched_scope), structure.level_table(embedded_scope))
    pd.testing.assert_frame_equal(structure.region_ranking(fetched_scope), structure.region_ranking(embedded_scope))
    kokkola = cell_vintages("fetched", table_id="12r5", measure="unemployed_jobseekers", area_codes=["KU272"],
                            period="2023-09")
    assert kokkola[["value", "origin"]].values.tolist() == [[1711.0, "embedded"]]
    ecker = cell_vintages("fetched", measure="unemployed_jobseekers", area_codes=["KU043"], period="2024-11")
    assert ecker[["value", "origin", "snapshot"]].values.tolist() == [[21.0, "px-file", eckero.name]]
