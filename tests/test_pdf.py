"""The PDF printer: one headless Chromium prints many pages; without a working browser it says why."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.review import pdf

needs_chromium = pytest.mark.skipif(pdf.chromium() is None, reason="no Chromium on this machine: install "
                                    "Debian's 'chromium'; .ci/run does this, so CI always runs this test")


def _page(folder: Path, name: str, text: str) -> Path:
    page = folder / name
    page.write_text(f'<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8"><title>{text}</title></head>'
                    f"<body><h1>{text}</h1><p>Työttömiä työnhakijoita oli 2 307.</p></body></html>", encoding="utf-8")
    return page


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@needs_chromium
def test_one_browser_prints_every_page_and_is_gone_after(tmp_path):
    with pdf.Printer() as printer:
        for k in range(3):
            assert printer.print_pdf(_page(tmp_path, f"p{k}.html", f"Sivu {k}"), tmp_path / f"p{k}.pdf") is None
            if k == 0:
                pid = printer._pid
            assert printer._pid == pid  # the same browser
    for k in range(3):
        data = (tmp_path / f"p{k}.pdf").read_bytes()
        assert data[:5] == b"%PDF-" and b"/MediaBox [0 0 595" in data  # A4: 595 x 842 points
    assert not _alive(pid) and printer._pid is None
    assert not list(tmp_path.glob("*.part"))


def test_no_browser_gives_the_reason_and_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "chromium", lambda: None)
    problem = pdf.print_pdf(_page(tmp_path, "a.html", "A"), tmp_path / "a.pdf")
    assert problem is not None and "Chromium" in problem.message("en")
    assert "Chromium-selainta" in problem.message("fi")
    assert not (tmp_path / "a.pdf").exists()


def test_a_browser_that_exits_gives_the_reason_and_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "chromium", lambda: "/bin/true")  # starts, never answers, exits
    problem = pdf.print_pdf(_page(tmp_path, "a.html", "A"), tmp_path / "a.pdf")
    assert problem is not None and problem.message("fi").startswith("Chromium ei voinut tulostaa sivua")
    assert not (tmp_path / "a.pdf").exists()
