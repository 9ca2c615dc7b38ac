"""The scorecard: public metrics from real data, internal metrics, reviews, change and status."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from analysis import config
from analysis.config import Area
from analysis.indicators import kpi
from analysis.schema import PROVENANCE_COLUMNS, Store, tidy
from analysis.sources import workbook as wb
from analysis.sources.reviews_index import review_frame
from analysis.store.scope import Scope

NO_REVIEWS = pd.DataFrame(columns=["area", "period", "lang", "made_at", "path"])


def row(card: pd.DataFrame, metric_id: str, component: str = "") -> pd.Series:
    match = card[(card["metric_id"] == metric_id) & (card["component"] == component)]
    assert len(match) == 1, metric_id
    return match.iloc[0]


def internal_frame(records: list[tuple[str, str, str, float]], area: str = "keski-pohjanmaa") -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=["metric_id", "month", "municipality", "value"])
    frame.insert(0, "area", area)
    frame["note"] = ""
    frame["imported_at"] = "2025-01-01T00:00:00"
    frame["import_seq"] = 1
    frame["source_file"] = "test.xlsx"
    return frame


def target_frame(records: list[tuple[str, int, str, float]], area: str = "keski-pohjanmaa") -> pd.DataFrame:
    """Targets as imported from the sheet Tavoitteet: (metric, year, municipality or the area's slug, target)."""
    frame = pd.DataFrame(records, columns=["metric_id", "year", "municipality", "target"])
    frame.insert(0, "area", area)
    frame["note"] = ""
    return frame


def synthetic_store(rows: list[tuple[str, str, str, float]]) -> Store:
    """A store holding 12r5 rows (period, area_code, measure, value); synthetic, for tests only."""
    obs = pd.DataFrame(rows, columns=["period", "area_code", "measure", "value"]).assign(table_id="12r5")
    return Store(tidy(obs), pd.DataFrame(columns=list(PROVENANCE_COLUMNS)))


# ------------------------------------------------------------------------------------------------
# Status rule


@pytest.mark.parametrize(
    ("value", "target", "direction", "tolerance", "expected"),
    [
        (100, 100, "higher", math.nan, kpi.ON_TRACK),
        (91, 100, "higher", math.nan, kpi.ON_TRACK),  # within the tolerance, 10 % of the target
        (90, 100, "higher", math.nan, kpi.ON_TRACK),  # the tolerance's edge is on track
        (89.9, 100, "higher", math.nan, kpi.OFF_TRACK),
        (95, 100, "higher", 2, kpi.OFF_TRACK),        # explicit tolerance
        (110, 100, "lower", math.nan, kpi.ON_TRACK),
        (111, 100, "lower", math.nan, kpi.OFF_TRACK),
        (80, 100, "lower", math.nan, kpi.ON_TRACK),
        (80, math.nan, "higher", math.nan, kpi.NO_TARGET),
        (math.nan, 100, "higher", math.nan, kpi.MISSING),
        (math.nan, math.nan, "higher", math.nan, kpi.MISSING),
        (-12, -10, "lower", math.nan, kpi.ON_TRACK),  # a fall of 12 % against a target of -10 %
        (-9.5, -10, "lower", math.nan, kpi.ON_TRACK),
        (-8.9, -10, "lower", math.nan, kpi.OFF_TRACK),  # -10 + 1 (10 % of |-10|) = -9 is the edge
    ],
)
def test_status_rule(value, target, direction, tolerance, expected):
    assert kpi.status(value, target, direction, tolerance) == expected


# ------------------------------------------------------------------------------------------------
# Public metrics from the real embedded data


def test_open_vacancies_from_12r5(store, kp_area):
    card = kpi.scorecard(Scope.of(store, kp_area, "2023Q3"), None, reviews=NO_REVIEWS)
    vac = row(card, "open_vacancies")
    # Lestijärvi is suppressed in 2023-09, so the member sum is missing; the eight municipalities are
    # the whole region MK16, whose published total in data/raw 12r5 is 429 (2023-08: 495).
    assert (vac["period"], vac["value"], vac["previous_period"], vac["previous_value"]) == \
        ("2023-09", 429.0, "2023-08", 495.0)
    assert vac["change"] == -66.0
    assert vac["status"] == kpi.NO_TARGET and vac["source"] == "public"


def test_area_monthly_sums_members_and_keeps_missing(store, kp_area):
    series = kpi.area_monthly(Scope.of(store, kp_area, "2023Q3"), "open_vacancies")
    # 2023-07, all eight present in data/raw: 0+20+33+386+5+18+22+14 = 498 (MK16 also 498)
    assert series["2023-07"] == 498.0
    part = Area("test", "Testi", "Test", "MK16", ("KU272", "KU421"))
    part_series = kpi.area_monthly(Scope.of(store, part, "2023Q3"), "open_vacancies")
    assert part_series["2023-07"] == 386.0 + 5.0
    assert math.isnan(part_series["2023-09"])  # Lestijärvi missing: missing stays missing


def test_long_term_change_is_missing_from_the_embedded_data_with_reason(store, kp_area):
    card = kpi.scorecard(Scope.of(store, kp_area, "2023Q3"), None, reviews=NO_REVIEWS)
    lt = row(card, "long_term_unemployed_change_pct")
    assert lt["status"] == kpi.MISSING and math.isnan(lt["value"])
    assert (lt["reason"], lt["reason_detail"]) == (kpi.R_NOT_IN_STORE, "12r5:long_term_unemployed")


def test_long_term_change_when_the_store_has_it():
    area = Area("two", "Kaksi", "Två", "MK99", ("KU001", "KU002"))
    rows = []
    for month, a, b in [("2022-08", 50, 30), ("2022-09", 60, 40), ("2023-08", 50, 25), ("2023-09", 55, 35)]:
        rows += [(month, "KU001", "long_term_unemployed", a), (month, "KU002", "long_term_unemployed", b)]
    card = kpi.scorecard(Scope.of(synthetic_store(rows), area, "2023Q3"), None, reviews=NO_REVIEWS)
    lt = row(card, "long_term_unemployed_change_pct")
    # 2023-09: (55+35) / (60+40) - 1 = -10 %; 2023-08: 75 / 80 - 1 = -6.25 %
    assert lt["period"] == "2023-09"
    assert lt["value"] == pytest.approx(-10.0)
    assert lt["previous_value"] == pytest.approx(-6.25)
    assert lt["change"] == pytest.approx(-3.75)


def test_foreign_language_values_are_used_when_present(store, kp_area, monkeypatch):
    def provider(scope):
        area = scope.area
        return pd.DataFrame({
            "metric_name_fi": "Vieraskielisten työttömyys- ja työllisyysaste",
            "period": ["2023-08", "2023-09", "2021", "2022", ""],
            "area_code": [area.slug, area.slug, area.region, area.region, area.slug],
            "value": [14.0, 12.5, 60.1, 61.3, math.nan],
            "unit": "%", "available": [True, True, True, True, False], "note": "",
            "component": ["unemployment_rate", "unemployment_rate", "employment_rate", "employment_rate",
                          "employment_rate"],
        })

    monkeypatch.setattr(kpi.foreign_language, "kpi_values", provider)
    card = kpi.scorecard(Scope.of(store, kp_area, "2023Q3"), None, reviews=NO_REVIEWS)
    unemp = row(card, "foreign_language_rates", "unemployment_rate")
    assert (unemp["period"], unemp["value"], unemp["change"], unemp["direction"]) == \
        ("2023-09", 12.5, -1.5, "lower")
    emp = row(card, "foreign_language_rates", "employment_rate")
    assert (emp["period"], emp["value"], emp["previous_period"], emp["direction"]) == \
        ("2022", 61.3, "2021", "higher")
    assert emp["change"] == pytest.approx(1.2)


def test_real_foreign_language_module_reports_missing_tables(store, kp_area):
    card = kpi.scorecard(Scope.of(store, kp_area, "2023Q3"), None, reviews=NO_REVIEWS)
    details = {"unemployment_rate": "12r5:unemployed_jobseekers[language]",
               "employment_rate": "employment:employment_rate_pct[language]"}
    for component, detail in details.items():
        fl = row(card, "foreign_language_rates", component)
        assert fl["status"] == kpi.MISSING
        # the module ran and found no tables by mother tongue
        assert (fl["reason"], fl["reason_detail"]) == (kpi.R_NOT_IN_STORE, detail)


# ------------------------------------------------------------------------------------------------
# Reviews made


def test_reviews_are_counted_per_quarter_once_per_area(store, kp_area, tmp_path):
    index = tmp_path / "index.json"
    index.write_text(json.dumps([
        {"area": "keski-pohjanmaa", "period": "2023Q3", "lang": "fi", "made_at": "x", "path": "a"},
        {"area": "keski-pohjanmaa", "period": "2023Q3", "lang": "sv", "made_at": "x", "path": "b"},
        {"area": "keski-pohjanmaa", "period": "2023Q1", "lang": "fi", "made_at": "x", "path": "c"},
        {"area": "maakunta-uusimaa", "period": "2023Q2", "lang": "fi", "made_at": "x", "path": "d"},
        {"area": "keski-pohjanmaa", "period": "bad", "lang": "fi", "made_at": "x", "path": "e"},
    ]), encoding="utf-8")
    reviews = review_frame(index)
    assert len(reviews) == 4
    card = kpi.scorecard(Scope.of(store, kp_area, "2023Q3"), None, reviews=reviews)
    rev = row(card, "employment_reviews")
    # only reviews published before the one being made (2023Q3, already in the index after a first run) count
    assert (rev["period"], rev["value"], rev["previous_period"], rev["previous_value"]) == \
        ("2023Q2", 0.0, "2023Q1", 1.0)
    # a monthly review counts in its quarter
    monthly = pd.concat([reviews, pd.DataFrame([{"area": "keski-pohjanmaa", "period": "2023-05", "lang": "fi",
                                                 "made_at": "x", "path": "f"}])], ignore_index=True)
    rev = row(kpi.scorecard(Scope.of(store, kp_area, "2023Q3"), None, reviews=monthly), "employment_reviews")
    assert (rev["value"], rev["previous_value"]) == (1.0, 1.0)
    points = kpi.trends(Scope.of(store, kp_area, "2023Q3"), None, reviews=reviews)
    own = points[points["metric_id"] == "employment_reviews"]
    assert own["period"].tolist()[-3:] == ["2022Q4", "2023Q1", "2023Q2"]
    assert own["value"].sum() == 1.0


def test_absent_review_index_counts_no_review(tmp_path, store, kp_area):
    reviews = review_frame(tmp_path / "none.json")
    assert reviews.empty
    rev = row(kpi.scorecard(Scope.of(store, kp_area, "2023Q3"), None, reviews=reviews), "employment_reviews")
    assert (rev["value"], rev["previous_value"]) == (0.0, 0.0)  # the review being made is not counted
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid JSON"):
        review_frame(broken)


# ------------------------------------------------------------------------------------------------
# Internal metrics


def test_without_internal_data_every_internal_metric_says_so(store, kp_area):
    card = kpi.scorecard(Scope.of(store, kp_area, "2023Q3"), None, reviews=NO_REVIEWS)
    internal = card[card["source"] == "internal"]
    assert len(internal) == 22
    assert (internal["reason"] == kpi.R_NO_INTERNAL).all()
    assert (internal["status"] == kpi.MISSING).all()


def test_internal_values_sum_counts_and_need_area_rows_for_shares(store, kp_area):
    values = internal_frame([
        ("employer_contacts", "2023-08", "KU272", 100), ("employer_contacts", "2023-08", "KU074", 3),
        ("employer_contacts", "2023-09", "KU272", 110), ("employer_contacts", "2023-09", "KU074", 2),
        ("employer_contacts", "2023-10", "KU272", 999),  # after the quarter: not shown for 2023Q3
        ("initial_meeting_within_5_days_pct", "2023-09", "KU272", 80),  # municipal share only
        ("customer_satisfaction", "2023-09", "keski-pohjanmaa", 4.2),
        ("customer_satisfaction", "2023-08", "keski-pohjanmaa", 4.5),
    ])
    card = kpi.scorecard(Scope.of(store, kp_area, "2023Q3"), values, reviews=NO_REVIEWS)
    contacts = row(card, "employer_contacts")
    assert (contacts["period"], contacts["value"], contacts["previous_value"], contacts["change"]) == \
        ("2023-09", 112.0, 103.0, 9.0)
    assert contacts["coverage"] == "2/8"
    share = row(card, "initial_meeting_within_5_days_pct")
    assert share["status"] == kpi.MISSING and share["reason"] == kpi.R_AREA_FIGURE
    sat = row(card, "customer_satisfaction")
    assert sat["value"] == 4.2 and sat["change"] == pytest.approx(-0.3)
    assert row(card, "media_visibility")["reason"] == kpi.R_NO_VALUE


def test_whole_area_row_wins_over_the_municipal_sum(store, kp_area):
    values = internal_frame([
        ("employer_contacts", "2023-09", "KU272", 100), ("employer_contacts", "2023-09", "keski-pohjanmaa", 150),
    ])
    contacts = row(kpi.scorecard(Scope.of(store, kp_area, "2023Q3"), values, reviews=NO_REVIEWS), "employer_contacts")
    assert contacts["value"] == 150.0 and contacts["coverage"] == ""


def test_annual_metric_is_year_to_date_against_a_pro_rata_target(store, kp_area):
    months = [f"2023-{m:02d}" for m in range(1, 13)]
    records = [("pay_subsidies_granted", m, "KU272", 10) for m in months]
    records += [("pay_subsidies_granted", f"2022-{m:02d}", "KU272", 8) for m in range(1, 10)]
    targets = target_frame([("pay_subsidies_granted", 2023, "keski-pohjanmaa", 120.0)])
    card = kpi.scorecard(Scope.of(store, kp_area, "2023Q3"), internal_frame(records), reviews=NO_REVIEWS,
                         targets=targets)
    pay = row(card, "pay_subsidies_granted")
    # January-September 2023: 9 x 10 = 90; 2022: 9 x 8 = 72; target 120 a year -> 90 by September
    assert (pay["period"], pay["value"], pay["previous_period"], pay["previous_value"]) == ("2023", 90.0, "2022", 72.0)
    assert pay["effective_target"] == 90.0 and pay["status"] == kpi.ON_TRACK
    assert pay["coverage"] == ""
    partial = [r for r in records if r[1] != "2023-05"]
    pay = row(kpi.scorecard(Scope.of(store, kp_area, "2023Q3"), internal_frame(partial), reviews=NO_REVIEWS,
                            targets=targets), "pay_subsidies_granted")
    # 80 is below the tolerance's edge 90 - 9 = 81
    assert pay["value"] == 80.0 and pay["coverage"] == "8/9" and pay["status"] == kpi.OFF_TRACK


def test_imported_targets_set_the_status_for_the_reporting_year_only(store, kp_area):
    scope = Scope.of(store, kp_area, "2023Q3")
    on = target_frame([("open_vacancies", 2023, "keski-pohjanmaa", 450.0)])
    vac = row(kpi.scorecard(scope, None, reviews=NO_REVIEWS, targets=on), "open_vacancies")
    assert (vac["value"], vac["status"]) == (429.0, kpi.ON_TRACK)  # 429 >= 450 - 45
    off = target_frame([("open_vacancies", 2023, "keski-pohjanmaa", 480.0),
                        ("open_vacancies", 2024, "keski-pohjanmaa", 300.0),   # another year
                        ("open_vacancies", 2023, "KU272", 300.0)])            # a municipality's own
    card = kpi.scorecard(scope, None, reviews=NO_REVIEWS, targets=off)
    assert row(card, "open_vacancies")["status"] == kpi.OFF_TRACK  # 429 < 480 - 48
    assert kpi.off_track(card)["metric_id"].tolist() == ["open_vacancies"]
    assert kpi.off_track(card)["name_fi"].tolist() == ["Avoinna olevat työpaikat (kpl/kk)"]


def test_example_targets_apply_only_to_internal_metrics_and_are_marked(store, kp_area):
    card = kpi.scorecard(Scope.of(store, kp_area, "2023Q3"), wb.example_values(kp_area), reviews=NO_REVIEWS,
                         is_example=True, example_targets=wb.EXAMPLE_TARGETS)
    internal = card[card["source"] == "internal"]
    assert internal["is_example"].all()
    assert not card.loc[card["source"] != "internal", "is_example"].any()
    assert not card.loc[card["source"] != "internal", "target_is_example"].any()
    budget = row(card, "budget_realisation_pct")
    assert math.isnan(budget["target"]) and budget["status"] == kpi.NO_TARGET
    assert (internal["status"] != kpi.MISSING).all()


def test_municipal_counts_for_the_quarters_last_month(store, kp_area):
    values = internal_frame([
        ("employer_contacts", "2023-09", "KU272", 110), ("employer_contacts", "2023-09", "KU074", 2),
        ("employer_contacts", "2023-08", "KU074", 4), ("customer_satisfaction", "2023-09", "keski-pohjanmaa", 4),
        ("start_up_grants_granted", "2023-02", "KU217", 1), ("start_up_grants_granted", "2023-09", "KU217", 2),
    ])
    counts = kpi.municipal_counts(values, Scope.of(store, kp_area, "2023Q3"))
    got = {(r.metric_id, r.municipality): r.value for r in counts.itertuples()}
    assert got == {("employer_contacts", "KU272"): 110.0, ("employer_contacts", "KU074"): 2.0,
                   ("start_up_grants_granted", "KU217"): 3.0}


@pytest.mark.parametrize("period", ["2023-9", "2023Q5", "2023Q3\n", "Q3"])
def test_bad_period_is_refused(store, kp_area, period):
    with pytest.raises(config.ConfigError):
        kpi.scorecard(Scope.of(store, kp_area, period), None, reviews=NO_REVIEWS)
