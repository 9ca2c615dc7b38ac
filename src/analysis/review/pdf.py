"""A print-ready PDF of the review's main page for the board's meeting papers.

Headless Chromium (Debian's ``chromium``, the browser the tests use) prints the page with one command,
``chromium --headless --print-to-pdf``; the page's print stylesheet sets A4, the margins, the running
title and the page numbers (``@page``). Each print has its own empty browser profile, removed after,
and a deadline: a browser that hangs is killed and the run says so. Where no Chromium is installed,
or it fails, the run says why and still publishes the HTML: the PDF is a convenience, the HTML is the
review.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from analysis.errors import Text

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-pdf-header-footer")
TIMEOUT_S = 60
"""Longest wait for the browser to print one page."""


def chromium() -> str | None:
    """The path of a Chromium browser on this machine, or None."""
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


class Printing:
    """One page being printed by its own browser process (:func:`start`); :meth:`wait` gives the result."""

    def __init__(self, page: Path, target: Path, timeout: float = TIMEOUT_S) -> None:
        self.target = Path(target)
        self.part = self.target.with_name(self.target.name + ".part")
        self.timeout = timeout
        self.problem: Text | None = None
        self.process: subprocess.Popen | None = None
        self.profile = tempfile.mkdtemp(prefix="analysis-chromium-")
        browser = chromium()
        if browser is None:
            self.problem = Text("no Chromium on this machine (install Debian's 'chromium' to get the PDF)")
            return
        command = [browser, *FLAGS, f"--user-data-dir={self.profile}", f"--print-to-pdf={self.part}",
                   Path(page).resolve().as_uri()]
        try:
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            self.problem = Text("Chromium could not print the page ({reason})", reason=exc.strerror or str(exc))

    def wait(self) -> Text | None:
        """Wait for the print (at most the timeout); None when the PDF is in place, else the reason."""
        try:
            if self.process is not None:
                try:
                    self.process.wait(timeout=self.timeout)
                except subprocess.TimeoutExpired:
                    self._kill()
                    self.problem = Text("Chromium could not print the page ({reason})",
                                        reason=f"no answer in {self.timeout:.0f} s")
            if self.problem is None:
                if not self.part.exists() or self.part.read_bytes()[:5] != b"%PDF-":
                    self.problem = Text("Chromium could not print the page ({reason})", reason="not a PDF")
                else:
                    os.replace(self.part, self.target)
            return self.problem
        finally:
            self.close()

    def _kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, 9)  # the browser and every process it started
            except OSError:
                self.process.kill()
            self.process.wait()

    def close(self) -> None:
        """Stop the browser if it still runs and remove its profile and any partial file."""
        self._kill()
        shutil.rmtree(self.profile, ignore_errors=True)
        self.part.unlink(missing_ok=True)


def start(page: Path, target: Path, timeout: float = TIMEOUT_S) -> Printing:
    """Start printing ``page`` to ``target`` (A4, as its print stylesheet says) and return at once."""
    return Printing(page, target, timeout)


def print_pdf(page: Path, target: Path, timeout: float = TIMEOUT_S) -> Text | None:
    """Print ``page`` to ``target``; None on success, else the reason (no file is left behind)."""
    return start(page, target, timeout).wait()
