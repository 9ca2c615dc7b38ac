"""A print-ready PDF of the review's main page for the board's meeting papers.

Headless Chromium (Debian's ``chromium``, the browser the tests use) prints the page with the
review's print stylesheet. Where no Chromium is installed, or it fails, the run says why and still
publishes the HTML: the PDF is a convenience, the HTML is the review.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from analysis.schema import Text

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-pdf-header-footer")
TIMEOUT_S = 120


def chromium() -> str | None:
    """The path of a Chromium browser on this machine, or None."""
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def print_pdf(page: Path, target: Path) -> Text | None:
    """Print ``page`` (an HTML file) to ``target``; returns None when done, else the reason it was not."""
    browser = chromium()
    if browser is None:
        return Text("no Chromium on this machine (install Debian's 'chromium' to get the PDF)")
    with tempfile.TemporaryDirectory(prefix="pdf-profile-") as profile:
        try:
            done = subprocess.run(
                [browser, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={target}", Path(page).resolve().as_uri()],
                capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return Text("Chromium could not print the page ({reason})", reason=type(exc).__name__)
    if done.returncode != 0 or not Path(target).exists() or Path(target).stat().st_size == 0:
        return Text("Chromium could not print the page (exit code {code})", code=done.returncode)
    return None
