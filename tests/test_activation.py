"""The activation rate as the employment service statistics define it (indicators/activation.py).

Hand-computed expectations. The first uses the whole-country annual figures of 2015 printed in
Statistics Finland's Tilastokoulu example "Aktivointiasteen laskeminen" (source there: TEM
työnvälitystilasto): 351 872 unemployed jobseekers and 117 789 persons in services, so
117 789 / (351 872 + 117 789) = 117 789 / 469 661 = 25.08 %.
"""

import math

import pandas as pd
import pytest

from analysis.indicators.activation import activation_frame, activation_rate
from analysis.sources.catalog import SERVICE_MEASURES


def test_activation_rate_of_the_published_example():
    assert activation_rate(351_872, 117_789) == pytest.approx(25.0796, abs=1e-4)


def test_missing_or_empty_counts_give_nan():
    assert math.isnan(activation_rate(float("nan"), 10))
    assert math.isnan(activation_rate(0, 0))


def _rows(area, period, unemployed, services):
    rows = [(area, period, "unemployed_jobseekers", unemployed)]
    rows += [(area, period, m, v) for m, v in zip(SERVICE_MEASURES, services)]
    return rows


def test_activation_frame_sums_the_six_service_counts():
    # KU000: services 10+2+3+5+4+6 = 30, unemployed 90 -> 30 / 120 = 25 %
    # KU001: one service count suppressed -> no rate
    rows = _rows("KU000", "2025-06", 90, [10, 2, 3, 5, 4, 6]) + _rows("KU001", "2025-06", 50, [1, 1, float("nan"), 1, 1, 1])
    rows.append(("KU000", "2025-06", "open_vacancies", 999))  # other measures are ignored
    obs = pd.DataFrame(rows, columns=["area_code", "period", "measure", "value"])
    out = activation_frame(obs).set_index("area_code")
    assert out.loc["KU000", "in_services"] == 30
    assert out.loc["KU000", "activation_rate_pct"] == 25.0
    assert math.isnan(out.loc["KU001", "in_services"]) and math.isnan(out.loc["KU001", "activation_rate_pct"])
