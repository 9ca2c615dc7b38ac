"""A real browser opens the review: headless Chromium takes a screenshot, axe-core checks accessibility.

CI installs Debian's chromium (.ci/run). Without a browser the test skips and says why.
"""

import shutil
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


def test_review_opens_in_a_browser_with_no_serious_accessibility_violation(full_review: Path, tmp_path: Path):
    playwright = pytest.importorskip("playwright.sync_api")
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route("http*://**", lambda route: route.abort())  # offline: nothing may be fetched
            page.goto(full_review.as_uri())
            assert page.locator("h1").count() == 1
            assert page.title().startswith("Työllisyyskatsaus")
            images = page.locator("main img")
            assert all(images.nth(i).evaluate("img => img.naturalWidth > 0") for i in range(images.count()))
            shot = tmp_path / "review.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            results = axe_module.Axe().run(page)
        finally:
            browser.close()
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s)" for v in bad)
