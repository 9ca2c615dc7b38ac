"""The review's sections are computed once and read from a cache keyed on data and code."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from analysis import cache, config
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
    monkeypatch.setattr(cache, "code_digest", lambda *parts: "another-version-of-the-code")
    facts.section("long_term", "keski-pohjanmaa", "2023Q3")
    assert len(counted) == 2


def test_an_edit_that_keeps_size_and_mtime_changes_the_data_key(monkeypatch, tmp_path):
    """``cp -p``, ``rsync -t`` and tar keep a file's size and modification time: the key reads the bytes."""
    raw = tmp_path / "raw"
    shutil.copytree(config.RAW_DIR, raw)
    monkeypatch.setattr(config, "RAW_DIR", raw)
    before = cache.data_digest("embedded")
    path = raw / "tyonv_12r5_monthly_2006_2023.csv"
    stat = path.stat()
    data = bytearray(path.read_bytes())
    at = data.index(b"2307")  # MK16's unemployed in 2023-09 (a real cell): one digit changed, same length
    data[at:at + 4] = b"2308"
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert cache.data_digest("embedded") != before


def test_a_changed_area_definition_recomputes(counted, monkeypatch, tmp_path):
    """Removing a member from an area in config/areas.yaml gives new results at once (the key holds the
    area's definition as the file says now, read again at every call)."""
    areas = tmp_path / "areas.yaml"
    areas.write_bytes(config.AREAS_FILE.read_bytes())
    monkeypatch.setattr(config, "AREAS_FILE", areas)
    monkeypatch.setattr(config.get_area, "__defaults__", (areas,))
    monkeypatch.setattr(config.load_areas, "__defaults__", (areas,))
    facts.section("long_term", "keski-pohjanmaa", "2023Q3")
    assert "KU272" in config.get_area("keski-pohjanmaa").members
    text = areas.read_text(encoding="utf-8")
    areas.write_text(text.replace("KU272, ", "", 1), encoding="utf-8")
    assert "KU272" not in config.get_area("keski-pohjanmaa").members
    facts.section("long_term", "keski-pohjanmaa", "2023Q3")
    assert len(counted) == 2


@pytest.mark.parametrize("content", [b"", b"analysis-cache-1\n" + b"0" * 64 + b"garbage", "ä".encode("latin-1"),
                                     b"\x80\x04K\x01."])
def test_an_unreadable_or_bit_flipped_cache_entry_is_recomputed(tmp_path, content):
    calls = []

    def compute():
        calls.append(1)
        return {"value": 2307}

    assert cache.cached("sections", "x", ("k",), compute, tmp_path) == ({"value": 2307}, False)
    (entry,) = (tmp_path / "sections").glob("x-*.pkl")
    assert cache.cached("sections", "x", ("k",), compute, tmp_path) == ({"value": 2307}, True)
    if content == b"\x80\x04K\x01.":  # a valid pickle of another value, without the checksum
        good = entry.read_bytes()
        flipped = bytearray(good)
        flipped[-3] ^= 0x01  # one bit of the payload
        entry.write_bytes(bytes(flipped))
    else:
        entry.write_bytes(content)
    assert cache.cached("sections", "x", ("k",), compute, tmp_path) == ({"value": 2307}, False)
    assert len(calls) == 2
    assert cache.cached("sections", "x", ("k",), compute, tmp_path) == ({"value": 2307}, True)  # written again


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
    # the review being made is not one the metric counts: publishing it leaves its own key unchanged
    assert facts.reviews_digest(elsewhere, "keski-pohjanmaa", "2023Q3") == facts.reviews_digest(
        tmp_path / "nothing-yet", "keski-pohjanmaa", "2023Q3") != once
    assert facts.reviews_digest(out, "keski-pohjanmaa", "2023Q3") != facts.reviews_digest(
        tmp_path / "nothing-yet", "keski-pohjanmaa", "2023Q3")  # 2023Q2 was published before it
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
    assert "forecast" not in facts.READS["municipalities"] and "forecast" in facts.READS["main"]
    assert facts.wanted({"municipalities"}) == [["kpi"], ["facts"], ["municipalities"]]


def test_an_edited_text_reaches_the_next_result_computed_in_a_running_process(counted, monkeypatch, tmp_path):
    """A text edited while a kernel runs: the code key changes (the catalogue is code) and the recomputed
    section reads the file as it is now, not the catalogue this process read before."""
    from analysis.present import text

    strings = tmp_path / "strings"
    shutil.copytree(text.STRINGS_DIR, strings)
    monkeypatch.setattr(text, "STRINGS_DIR", strings)
    text.catalogue.cache_clear()
    try:
        before = facts.section("long_term", "keski-pohjanmaa", "2023Q3")
        assert "<h2>Pitkäaikaistyöttömyys</h2>" in _html(before)
        page = strings / "fi" / "long_term.yaml"
        page.write_text(page.read_text(encoding="utf-8").replace("title: Pitkäaikaistyöttömyys",
                                                                "title: Pitkäaikaistyöttömät"), encoding="utf-8")
        monkeypatch.setattr(cache, "code_digest", lambda *parts: "the texts changed")  # the package's files did
        after = facts.section("long_term", "keski-pohjanmaa", "2023Q3")
        assert "<h2>Pitkäaikaistyöttömät</h2>" in _html(after) and len(counted) == 2
    finally:
        text.catalogue.cache_clear()  # the next caller reads the package's own files again


def test_a_section_found_in_the_cache_is_presented_without_the_data_libraries(monkeypatch, tmp_path):
    """A notebook that only presents computed sections (the scorecard, the foreign-language section, the
    data overview) never imports pandas in its kernel: half of such a kernel's CPU (issue 26's budget)."""
    import subprocess
    import sys

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    facts.section("foreign_language", "keski-pohjanmaa", "2023Q3", "embedded", "fi", tmp_path / "out")
    out_dir = str(tmp_path / "out")
    code = ("import sys\nfrom analysis.present.html import joined\nfrom analysis.review.facts import section\n"
            f"page = joined(section('foreign_language', 'keski-pohjanmaa', '2023Q3', 'embedded', 'fi', {out_dir!r}))\n"
            "print('pandas' in sys.modules, len(page.data) > 1000)")
    env = {**os.environ, "ANALYSIS_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(config.ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.split() == ["False", "True"]
