"""The review's sections are computed once and read from a cache keyed on data and code."""

from __future__ import annotations

import json

import pytest

from analysis import config
from analysis.present import long_term
from analysis.review import facts


@pytest.fixture()
def counted(monkeypatch, tmp_path):
    """The long-term section's builder, counting its calls; the cache in a fresh folder."""
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    calls: list[tuple[str, str]] = []
    real = long_term.long_term_blocks

    def builder(scope, lang="fi"):
        calls.append((scope.period.code, lang))
        return real(scope, lang)

    monkeypatch.setattr(long_term, "long_term_blocks", builder)
    return calls


def _html(blocks) -> str:
    return "".join(b.data for b in blocks)


def test_a_section_is_computed_once_and_then_read_from_the_cache(counted):
    first = facts.section("long_term", "keski-pohjanmaa", "2023Q3")
    again = facts.section("long_term", "keski-pohjanmaa", "2023Q3")
    assert counted == [("2023Q3", "fi")]
    assert _html(again) == _html(first)
    assert _html(first).startswith("<h2>Pitkäaikaistyöttömyys</h2>")
    facts.section("long_term", "keski-pohjanmaa", "2023Q3", lang="sv")
    facts.section("long_term", "keski-pohjanmaa", "2023Q2")
    assert counted == [("2023Q3", "fi"), ("2023Q3", "sv"), ("2023Q2", "fi")]


def test_a_changed_code_digest_recomputes(counted, monkeypatch):
    facts.section("long_term", "keski-pohjanmaa", "2023Q3")
    monkeypatch.setattr(facts, "code_digest", lambda: "another-version-of-the-code")
    facts.section("long_term", "keski-pohjanmaa", "2023Q3")
    assert len(counted) == 2


def test_an_unknown_section_is_refused():
    with pytest.raises(config.ConfigError, match="unknown section 'nope'"):
        facts.section("nope", "keski-pohjanmaa", "2023Q3")


def _index(folder, entries) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.json").write_text(json.dumps(
        [{"area": a, "period": p, "lang": lang, "made_at": m, "path": f"{a}/{p}/{lang}"} for a, p, lang, m in entries]),
        encoding="utf-8")


def test_the_reviews_key_changes_only_with_the_areas_reviewed_periods(tmp_path):
    out = tmp_path / "outputs"
    before = facts.reviews_digest(out, "keski-pohjanmaa")  # no index yet
    _index(out, [("keski-pohjanmaa", "2023Q3", "fi", "1.12.2026")])
    once = facts.reviews_digest(out, "keski-pohjanmaa")
    assert once != before
    # re-published (a new time stamp), in Swedish too, and another area's review: the same key
    _index(out, [("keski-pohjanmaa", "2023Q3", "fi", "2.12.2026"), ("keski-pohjanmaa", "2023Q3", "sv", "2.12.2026"),
                 ("maakunta-lappi", "2023Q3", "fi", "2.12.2026")])
    assert facts.reviews_digest(out, "keski-pohjanmaa") == once
    elsewhere = tmp_path / "elsewhere"  # another folder holding the same reviews
    _index(elsewhere, [("keski-pohjanmaa", "2023Q3", "sv", "3.12.2026")])
    assert facts.reviews_digest(elsewhere, "keski-pohjanmaa") == once
    _index(out, [("keski-pohjanmaa", "2023Q3", "fi", "x"), ("keski-pohjanmaa", "2023Q2", "fi", "x")])
    assert facts.reviews_digest(out, "keski-pohjanmaa") != once
    (out / "index.json").write_text("[1, 2", encoding="utf-8")
    assert facts.reviews_digest(out, "keski-pohjanmaa") == "unreadable"


def test_the_occupation_data_is_computed_once_and_none_where_the_area_has_none(monkeypatch, tmp_path):
    from analysis.forecast import occupations as occ
    from analysis.store import load_scope

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    calls: list[str] = []
    real = occ.occupation_panel

    def counted(store, area_code, *args, **kwargs):
        calls.append(area_code)
        return real(store, area_code, *args, **kwargs)

    monkeypatch.setattr(occ, "occupation_panel", counted)
    scope = load_scope("keski-pohjanmaa", "2023Q3")
    first = facts.occupation_data(scope)
    again = facts.occupation_data(scope)
    assert calls == ["MK16"]
    assert first.area_code == again.area_code == "MK16" and first.panel.ids == again.panel.ids
    assert facts.occupation_data(load_scope("maakunta-lappi", "2023Q3")) is None  # 12ti holds no Lapland rows
    assert calls == ["MK16"]


def test_the_municipality_pages_need_no_forecast(monkeypatch, tmp_path):
    """The figures step and the municipality pages never compute the forecast (the longest step),
    so the runner computes them beside it; the main page gets the figures with the forecast."""
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")

    def no_forecast(scope):
        raise AssertionError("the forecast was computed")

    monkeypatch.setattr(facts, "forecast_of", no_forecast)
    facts.compute("facts", "keski-pohjanmaa", "2023Q3", output_dir=tmp_path / "out")
    pages = _html(facts.section("municipalities", "keski-pohjanmaa", "2023Q3", output_dir=tmp_path / "out"))
    assert "Perho" in pages
    assert facts.load_facts("keski-pohjanmaa", "2023Q3", output_dir=tmp_path / "out", forecast=False).forecast is None
    assert "forecast" not in facts.NEEDS["municipalities"] and "forecast" in facts.NEEDS["main"]
