"""The PDF printer: one headless Chromium prints many pages; without a working browser it says why."""

from __future__ import annotations

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


@needs_chromium
def test_a_page_is_printed_on_a4_with_page_numbers_and_leaves_nothing_behind(tmp_path, monkeypatch):
    import tempfile

    private = tmp_path / "tmp"  # a temporary folder of this test's own: other runs print at the same time
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    page = _page(tmp_path, "p.html", "Sivu")
    style = "<style>@page { size: A4; @bottom-right { content: 'Sivu ' counter(page) } }</style>"
    page.write_text(page.read_text(encoding="utf-8").replace("</head>", style + "</head>"), encoding="utf-8")
    assert pdf.print_pdf(page, tmp_path / "p.pdf") is None
    data = (tmp_path / "p.pdf").read_bytes()
    assert data[:5] == b"%PDF-" and b"/MediaBox [0 0 594.9" in data  # A4: 595 x 842 points
    assert not list(tmp_path.glob("*.part"))
    assert list(private.iterdir()) == []  # the browser's profile is removed


def test_a_hanging_browser_is_stopped_at_the_deadline(tmp_path, monkeypatch):
    hanging = tmp_path / "hang.sh"
    hanging.write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")
    hanging.chmod(0o755)
    monkeypatch.setattr(pdf, "chromium", lambda: str(hanging))
    problem = pdf.print_pdf(_page(tmp_path, "a.html", "A"), tmp_path / "a.pdf", timeout=0.5)
    assert problem is not None and "no answer in 0 s" in problem.message("en")
    assert not (tmp_path / "a.pdf").exists()


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
