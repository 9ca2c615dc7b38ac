"""A print-ready PDF of the review's main page for the board's meeting papers.

Headless Chromium (Debian's ``chromium``, the browser the tests use) prints the page with the
review's print stylesheet on A4. One browser prints every page of a run (:class:`Printer`): it is
started once and driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: no port,
no network), so a batch of every area does not pay a browser's start for each review. Where no
Chromium is installed, or it fails, the run says why and still publishes the HTML: the PDF is a
convenience, the HTML is the review.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import signal
import tempfile
import time
from pathlib import Path

from analysis.errors import Text

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-pipe")
TIMEOUT_S = 120
"""Longest wait for the browser to start, or to load and print one page."""
A4_INCHES = (8.27, 11.69)
PRINT_OPTIONS = {"paperWidth": A4_INCHES[0], "paperHeight": A4_INCHES[1], "displayHeaderFooter": False,
                 "printBackground": True}
"""``Page.printToPDF``: A4 (the CLI's ``--print-to-pdf`` prints US Letter), no header or footer line."""


def chromium() -> str | None:
    """The path of a Chromium browser on this machine, or None."""
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


class _Broken(Exception):
    """The browser died, timed out or refused a command (the reason is the message)."""


class Printer:
    """One headless Chromium that prints pages to PDF, started by :meth:`start` or the first page.
    Not thread-safe: one thread drives it (the runner's printing thread). Use as a context manager or
    call :meth:`close`."""

    def __init__(self, timeout: float = TIMEOUT_S) -> None:
        self.timeout = timeout
        self._pid: int | None = None
        self._send_fd = self._read_fd = -1
        self._buffer = b""
        self._next_id = 0
        self._profile: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _start(self, browser: str) -> None:
        import fcntl

        self._profile = tempfile.TemporaryDirectory(prefix="pdf-profile-", ignore_cleanup_errors=True)
        to_browser, from_browser = os.pipe(), os.pipe()
        # the browser reads commands on its fd 3 and answers on fd 4; copies at 10 and up cannot be
        # overwritten by those two dup2 calls
        read_end = fcntl.fcntl(to_browser[0], fcntl.F_DUPFD_CLOEXEC, 10)
        write_end = fcntl.fcntl(from_browser[1], fcntl.F_DUPFD_CLOEXEC, 10)
        for fd in (to_browser[0], from_browser[1]):
            os.close(fd)
        actions = [(os.POSIX_SPAWN_DUP2, read_end, 3), (os.POSIX_SPAWN_DUP2, write_end, 4),
                   (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
        argv = [browser, *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"]
        try:
            self._pid = os.posix_spawn(browser, argv, os.environ, file_actions=actions, setsid=True)
        finally:
            os.close(read_end)
            os.close(write_end)
        self._send_fd, self._read_fd = to_browser[1], from_browser[0]
        self._call("Browser.getVersion")  # answers once the browser is up

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._read_fd], [], [], left)[0]:
                raise _Broken("TimeoutExpired")
            chunk = os.read(self._read_fd, 1 << 20)
            if not chunk:
                raise _Broken("the browser closed")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _call(self, method: str, params: dict | None = None, session: str | None = None,
              until_event: str | None = None) -> dict:
        """Send one command and return its result; with ``until_event``, also wait for that event of
        the session (it may come before or after the answer)."""
        self._next_id += 1
        msg_id = self._next_id
        message: dict = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self._send_fd, data):]
        except OSError as exc:
            raise _Broken(type(exc).__name__) from None
        deadline = time.monotonic() + self.timeout
        result, seen = None, until_event is None
        while result is None or not seen:
            reply = self._message(deadline)
            if reply.get("id") == msg_id:
                if "error" in reply:
                    raise _Broken(str(reply["error"].get("message", "error")))
                result = reply.get("result", {})
            elif reply.get("method") == until_event and reply.get("sessionId") == session:
                seen = True
        return result

    def start(self) -> Text | None:
        """Start the browser unless it runs (the first page does otherwise; the runner starts it while
        the review is computed); returns None when it runs, else the reason it does not."""
        if self._pid is not None:
            return None
        browser = chromium()
        if browser is None:
            return Text("no Chromium on this machine (install Debian's 'chromium' to get the PDF)")
        try:
            self._start(browser)
        except (OSError, _Broken) as exc:
            self.close()
            return Text("Chromium could not print the page ({reason})", reason=str(exc) or type(exc).__name__)
        return None

    def print_pdf(self, page: Path, target: Path) -> Text | None:
        """Print ``page`` (an HTML file) to ``target`` (written whole or not at all); returns None
        when done, else the reason it was not."""
        problem = self.start()
        if problem is not None:
            return problem
        try:
            target_id = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = self._call("Target.attachToTarget", {"targetId": target_id, "flatten": True})["sessionId"]
            self._call("Page.enable", session=session)
            self._call("Page.navigate", {"url": Path(page).resolve().as_uri()}, session, until_event="Page.loadEventFired")
            data = base64.b64decode(self._call("Page.printToPDF", PRINT_OPTIONS, session)["data"])
            self._call("Target.closeTarget", {"targetId": target_id})
        except (_Broken, KeyError, ValueError) as exc:
            self.close()  # the next page starts a new browser
            return Text("Chromium could not print the page ({reason})", reason=str(exc) or type(exc).__name__)
        if not data.startswith(b"%PDF-"):
            return Text("Chromium could not print the page ({reason})", reason="not a PDF")
        partial = Path(target).with_name(Path(target).name + ".part")
        partial.write_bytes(data)
        os.replace(partial, target)
        return None

    def close(self) -> None:
        """Stop the browser (and its helper processes) and remove its profile."""
        for fd in (self._send_fd, self._read_fd):
            if fd >= 0:
                os.close(fd)
        self._send_fd = self._read_fd = -1
        self._buffer = b""
        if self._pid is not None:
            try:
                os.killpg(self._pid, signal.SIGTERM)  # its own session: the renderers go too
                deadline = time.monotonic() + 10
                while os.waitpid(self._pid, os.WNOHANG) == (0, 0) and time.monotonic() < deadline:
                    time.sleep(0.02)
                if time.monotonic() >= deadline:
                    os.killpg(self._pid, signal.SIGKILL)
                    os.waitpid(self._pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self._pid = None
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None


def print_pdf(page: Path, target: Path) -> Text | None:
    """Print one page with a browser of its own (see :meth:`Printer.print_pdf`)."""
    with Printer() as printer:
        return printer.print_pdf(page, target)
