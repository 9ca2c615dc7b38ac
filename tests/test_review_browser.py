"""A real browser opens the review as its readers would: headless Chromium at 1280 px and 390 px.

Checks the main page's height, what the first screen holds, no page overflow on a phone, no developer
text on the reader's pages (Finnish and Swedish), and axe-core on the main page, the appendix, a
municipality page and the index. CI installs Debian's chromium (.ci/run); without a browser the test
skips and says why.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine: install Debian's 'chromium' "
                       "(apt-get install chromium); .ci/run does this, so CI always runs this test"),
]

DEVELOPER_TOKENS: dict[str, str] = {
    "command": r"python -m|\bmake [a-z]|--[a-z]{3,}",
    "file path": r"\b(data|src|outputs|config|notebooks)/|\.(csv|ya?ml|px|py|ipynb|json)\b",
    "code identifier": r"\b[a-z]+_[a-z0-9_]+\b",
    "StatFin content code": r"\b[A-Z]{8,}\b",
    "table id": r"\b(12r5|12ti|12tu|12ta|159t|11rm|2310|13aj)\b",
    "data-source word": r"\b(embedded|fetched)\b",
    "snapshot hash": r"\b[0-9a-f]{7,40}\b",
    "accuracy metric": r"\bMASE\b",
    "ISO date or UTC stamp": r"\b\d{4}-\d{2}(-\d{2})?\b|\bUTC\b",
}


def developer_text(text: str) -> list[str]:
    """Every developer token found in a reader's text, as "kind: token"."""
    return [f"{kind}: {m.group(0)}" for kind, pattern in DEVELOPER_TOKENS.items() for m in re.finditer(pattern, text)]


def test_the_token_list_catches_developer_text():
    assert developer_text("Aja python -m analysis fetch (data/raw/x.csv, PITKAAIKAISTYOTTOMAT, 12r5, ad33418)")
    assert developer_text("lähde embedded, MASE 0,83, 2023-09") and developer_text("unemployed_jobseekers")
    assert not developer_text("Syyskuun 2023 lopussa työttömiä oli 2 307 (+8,2 %), heinä–syyskuu 2023.")


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


def _open(browser, path: Path, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.route("http*://**", lambda route: route.abort())  # offline: nothing may be fetched
    page.goto(path.as_uri())
    return page


def _serious(page) -> list[str]:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    results = axe.Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s)"
            for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


def test_main_page_first_screen_height_and_phone(browser, full_review: Path, tmp_path: Path):
    page = _open(browser, full_review, 1280)
    assert page.locator("h1").count() == 1 and page.title().startswith("Työllisyyskatsaus")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 9000, f"main page is {height} px tall at 1280 px"
    top = {name: page.locator(sel).first.bounding_box()["y"]
           for name, sel in (("headline", "h2.lead"), ("first tile", ".tile"))}
    assert all(y < 1000 for y in top.values()), f"not on the first screen: {top}"
    assert 5 <= page.locator(".story p:not(.lead)").count() <= 7
    assert page.locator(".plan").count() == 0  # no metric of 2023Q3 has a target and a value: no plan box
    images = page.locator("main img")
    assert all(images.nth(i).evaluate("img => img.naturalWidth > 0") for i in range(images.count()))
    page.screenshot(path=str(tmp_path / "first_screen.png"))
    assert (tmp_path / "first_screen.png").stat().st_size > 10_000
    assert not _serious(page)
    phone = _open(browser, full_review, 390)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "the page overflows at 390 px"
    phone.close()
    page.close()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_reader_pages_carry_no_developer_text(browser, full_review: Path, swedish_review: Path, lang: str):
    review = full_review if lang == "fi" else swedish_review
    pages = [review, review.parent / "kunta-ku584.html", review.parents[3] / {"fi": "index.html", "sv": "index.sv.html"}[lang]]
    for path in pages:
        page = _open(browser, path, 1280)
        text = page.evaluate("document.body.innerText")
        page.close()
        found = developer_text(text)
        assert not found, f"{path.name} ({lang}): {found[:10]}"
    if lang == "sv":
        assert "Källa: Statistikcentralen" in review.read_text(encoding="utf-8")


def test_appendix_municipality_page_and_index_pass_axe(browser, full_review: Path, swedish_review: Path):
    for path in (full_review.parent / "appendix.html", full_review.parent / "kunta-ku584.html",
                 full_review.parents[3] / "index.html", swedish_review.parents[3] / "index.sv.html"):
        page = _open(browser, path, 1280)
        bad = _serious(page)
        page.close()
        assert not bad, f"{path.name}: " + "\n".join(bad)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_index_reads_on_a_phone(browser, full_review: Path, swedish_review: Path, lang: str):
    """At 390 px the list of reviews fits the screen's width (cards, not a wide table), the headline is on the
    first screen, every link's text is at least 11 px and its target at least 24 px high."""
    review = full_review if lang == "fi" else swedish_review
    page = _open(browser, review.parents[3] / {"fi": "index.html", "sv": "index.sv.html"}[lang], 390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the index overflows at 390 px"
    assert page.locator(".review-headline").first.bounding_box()["y"] < 900
    sizes = page.evaluate("""[...document.querySelectorAll('main a')].map(a => [
        parseFloat(getComputedStyle(a).fontSize), a.getBoundingClientRect().height])""")
    assert sizes and all(size >= 11 and height >= 24 for size, height in sizes), sizes
    page.close()


@pytest.mark.parametrize("page_name", ["appendix.html", "review.html"])
def test_table_captions_stay_put_when_a_table_scrolls_on_a_phone(browser, full_review: Path, page_name: str):
    """At 390 px a wide table scrolls sideways inside its box; its caption stands above the box, inside the screen,
    and does not move when the table is scrolled to its end (issue 27)."""
    page = _open(browser, full_review.parent / page_name, 390)
    found = page.evaluate("""() => [...document.querySelectorAll('.table-wrap')].map(box => {
        const caption = document.getElementById(box.getAttribute('aria-labelledby'));
        const before = caption ? caption.getBoundingClientRect() : null;
        const scrolls = box.scrollWidth > box.clientWidth + 1;
        box.scrollLeft = box.scrollWidth;
        const after = caption ? caption.getBoundingClientRect() : null;
        return {inside: box.querySelector('caption') !== null, named: caption !== null && !box.contains(caption),
                scrolls, moved: caption ? Math.abs(after.left - before.left) > 0.5 : true,
                right: caption ? after.right : 1e9};
    })""")
    page.close()
    assert found, f"{page_name}: no table"
    assert not [f for f in found if f["inside"] or not f["named"]], found
    assert not [f for f in found if f["moved"] or f["right"] > 390], found
    if page_name == "appendix.html":
        assert sum(f["scrolls"] for f in found) >= 10  # the appendix's wide tables do scroll at 390 px


def test_the_pdf_of_the_main_page_is_made(full_review: Path):
    pdf = full_review.parent / "review.pdf"
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-"
    assert b"/MediaBox [0 0 594.9" in pdf.read_bytes()  # A4


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext (Debian's poppler-utils; .ci/run installs it)")
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_pdf_has_page_numbers_and_a_running_title(full_review: Path, swedish_review: Path, lang: str):
    review = full_review if lang == "fi" else swedish_review
    text = subprocess.run(["pdftotext", "-layout", str(review.parent / "review.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.count("\f")
    word = "Sivu" if lang == "fi" else "Sida"
    assert pages >= 2 and f"{word} 1 / {pages}" in text and f"{word} {pages} / {pages}" in text
    title = "Työllisyyskatsaus" if lang == "fi" else "Sysselsättningsöversikt"
    assert text.count(title) >= pages  # the running title on every page
    flat = " ".join(text.split())  # the appendix and the municipality pages named with their address
    assert "(appendix.html)" in flat and "Perho (kunta-ku584.html)" in flat.replace("Perho ( kunta", "Perho (kunta")


CHART_TEXT_JS = """() => {
  const sizes = [];
  for (const img of document.querySelectorAll('main figure img')) {
    const svg = atob(img.src.split(',')[1]);
    const view = parseFloat(/viewBox="0 0 ([\\d.]+)/.exec(svg)[1]);
    const fonts = [...svg.matchAll(/font-size: ([\\d.]+)px/g)].map(m => parseFloat(m[1]));
    if (fonts.length) sizes.push(Math.min(...fonts) * img.getBoundingClientRect().width / view);
  }
  return sizes;
}"""
"""The smallest text of each chart on the page in CSS pixels as the browser lays the chart out."""


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_readers_first_claims_hold_in_a_browser(browser, full_review: Path, swedish_review: Path, lang: str):
    """Issue 27's test, in Chromium: the headline is a heading with a number, none of the slips remains on the
    main page or a municipality page, chart text is at least 11 px on a 390 px screen, the country's change
    and the sub-regions are on the main page, and there is no plan box without a target."""
    from test_review_language import SLIPS

    review = full_review if lang == "fi" else swedish_review
    for path in (review, review.parent / "kunta-ku584.html"):
        page = _open(browser, path, 390)
        text = page.locator("main").inner_text()
        assert not [m.group(0) for _name, pattern in SLIPS[lang] for m in re.finditer(pattern, text)]
        sizes = page.evaluate(CHART_TEXT_JS)
        assert sizes and min(sizes) >= 11, (path.name, sizes)
        if path == review:
            headline = page.locator("h2.lead").inner_text()
            assert re.search(r"\d", headline), headline
            assert ("koko maassa +7,3" if lang == "fi" else "i hela landet +7,3") in text.replace("\u00a0", " ")
            assert ("Kaustisen seutukunnassa 409" if lang == "fi" else "409 arbetslösa i Kaustby ekonomiska region") in (
                text.replace("\u00a0", " "))
            assert page.locator(".plan").count() == 0
        page.close()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_appendix_charts_read_on_a_phone(browser, full_review: Path, swedish_review: Path, lang: str):
    """Issue 27 for the appendix: every chart's smallest text (the regions' bars, the trend, the occupation groups,
    the Beveridge curve, the fan charts, the scorecard's sparklines …) is at least 11 px on a 390 px screen, and
    no chart makes the page wider than the screen."""
    review = full_review if lang == "fi" else swedish_review
    page = _open(browser, review.parent / "appendix.html", 390)
    sizes = page.evaluate(CHART_TEXT_JS)
    charts = page.locator("main figure img").count()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the appendix overflows at 390 px"
    page.close()
    assert charts >= 8 and len(sizes) == charts, (charts, sizes)
    assert min(sizes) >= 11, sizes
