"""Issue 30, second red team: hostile answers from the statistics service and hostile ``.px`` files.

Every response here is a TEST FIXTURE (synthetic json-stat2 / HTTP behaviour), labelled as such; the values
are made up for the test and never presented as data.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from analysis.sources.jsonstat import parse_jsonstat2
from analysis.sources.pxweb import DeadlineError, PxWebClient
from analysis.sources.pxweb_query import PxWebError
from analysis.store.refresh import run_fetch, span_text


def _doc(value) -> dict:
    """TEST FIXTURE: a json-stat2 dataset of 2 areas x 2 months (4 cells)."""
    return {
        "id": ["Alue", "Kuukausi"], "size": [2, 2], "value": value,
        "dimension": {"Alue": {"category": {"index": {"MK16": 0, "KU272": 1}}},
                      "Kuukausi": {"category": {"index": {"2023M09": 0, "2023M10": 1}}}},
    }


URL = "http://localhost/StatFin/tyonv/12r5.px"


@pytest.mark.parametrize("key", ["-1", "4", "99", "1.5", "x", " 1", "+1", "٢"])
def test_a_value_map_key_outside_the_dimensions_is_refused(key):
    """Item 10: a key "-1" wrote 999 999 into the last real cell (Python's negative index)."""
    with pytest.raises(PxWebError) as err:
        parse_jsonstat2(_doc({"0": 2371, key: 999999}), "12r5", URL)
    text = str(err.value)
    assert "12r5" in text and URL in text and repr(key) in text and "0-3" in text


def test_a_value_map_with_valid_keys_fills_only_its_cells():
    frame = parse_jsonstat2(_doc({"0": 2371, "3": 704}), "12r5", URL)
    assert frame["value"].tolist()[0] == 2371 and frame["value"].tolist()[3] == 704
    assert frame["value"].isna().tolist() == [False, True, True, False]


@pytest.mark.parametrize("bad", [True, False, "245 322", "245322", "NaN", [1], {"v": 1}])
@pytest.mark.parametrize("shape", ["list", "map"])
def test_a_value_that_is_not_a_json_number_is_refused(bad, shape):
    """Weak case: ``true`` was read as 1 and a text of digits as a number; a value must be a number or null."""
    value = [2371, bad, None, 704] if shape == "list" else {"0": 2371, "1": bad}
    with pytest.raises(PxWebError) as err:
        parse_jsonstat2(_doc(value), "12r5", URL)
    text = str(err.value)
    assert "12r5" in text and URL in text and "not a number" in text and "cell 1" in text


# --- the HTTP exchange: time, size and redirects (a local server; every answer is a TEST FIXTURE) -------------

class _Handler(BaseHTTPRequestHandler):
    """Answers each path with the server's ``routes[path](handler)``; records what it was sent."""

    def log_message(self, *args):  # quiet
        pass

    def _answer(self):
        size = int(self.headers.get("Content-Length") or 0)
        self.server.seen.append((self.command, self.path, self.rfile.read(size) if size else b""))
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        try:
            route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: what the trickle test wants

    do_GET = do_POST = _answer


@pytest.fixture
def server():
    """A local HTTP server in a thread: ``server.routes``, ``server.seen``, ``server.url(path, host)``."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.routes, httpd.seen = {}, []
    httpd.url = lambda path, host="127.0.0.1": f"http://{host}:{httpd.server_address[1]}{path}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _send(handler, body: bytes, status: int = 200, headers: dict | None = None):
    handler.send_response(status)
    for key, value in {"Content-Type": "application/json", "Content-Length": str(len(body)), **(headers or {})}.items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(body)


def _client(tmp_path, **kwargs) -> PxWebClient:
    return PxWebClient(base_url="http://127.0.0.1/", cache_dir=tmp_path, sleep=lambda s: None, **kwargs)


def test_a_response_sent_one_byte_at_a_time_ends_at_the_deadline(server, tmp_path):
    """Weak case: the read time-out applies to each wait for a byte, so a server that sends one byte every
    0.05 s never timed out: the body is read against the deadline."""
    body = json.dumps({"maxValues": 100000, "padding": "x" * 2000}).encode()

    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for byte in body:  # 2 000 bytes x 0.05 s = 100 s
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.05)

    server.routes["/slow"] = trickle
    client = _client(tmp_path, timeout=(5.0, 5.0), deadline=1.5, max_attempts=3)
    started = time.monotonic()
    with pytest.raises(DeadlineError) as err:
        client.request("GET", server.url("/slow"), "12r5")
    assert time.monotonic() - started < 4  # not the 100 s the trickle takes
    assert "--timeout" in str(err.value) and server.url("/slow") in str(err.value)


def test_a_response_slower_than_the_read_time_out_is_retried_then_named(server, tmp_path):
    body = b'{"a": 1}' + b" " * 400

    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for byte in body:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.01)

    server.routes["/slow"] = trickle
    started = time.monotonic()
    with pytest.raises(PxWebError) as err:
        _client(tmp_path, timeout=(1.0, 1.0), max_attempts=2).request("GET", server.url("/slow"), "12r5")
    assert time.monotonic() - started < 4
    assert "gave up after 2 attempts: timed out" in str(err.value)


def test_a_gzip_bomb_is_cut_at_the_size_limit(server, tmp_path):
    """Weak case: a small gzip body that inflates without end ended in MemoryError; the decompressed size is
    capped (TEST FIXTURE: 64 MiB of zeros, 65 kB compressed, against a limit of 8 MiB)."""
    bomb = gzip.compress(b"0" * (64 << 20), compresslevel=9)
    server.routes["/bomb"] = lambda h: _send(h, bomb, headers={"Content-Encoding": "gzip"})
    client = _client(tmp_path, max_attempts=1)
    client.max_response_bytes = 8 << 20
    with pytest.raises(PxWebError) as err:
        client.request("GET", server.url("/bomb"), "12r5")
    assert "larger than 8 MiB" in str(err.value) and server.url("/bomb") in str(err.value)
    assert PxWebClient.max_response_bytes == 64 << 20  # the default: a 100 000-cell answer is about 2 MiB


def test_a_redirect_to_another_host_is_not_followed(server, tmp_path):
    """Weak case: a 307 to another host was followed with the POST body; it is refused, nothing is sent there."""
    other = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    other.routes, other.seen = {}, []
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        away = f"http://localhost:{other.server_address[1]}/steal"
        server.routes["/table"] = lambda h: _send(h, b"", 307, {"Location": away})
        with pytest.raises(PxWebError) as err:
            _client(tmp_path, max_attempts=1).request("POST", server.url("/table"), "12r5", {"query": []})
        assert other.seen == []
        text = str(err.value)
        assert "another host" in text and away in text and "HTTP 307" in text and server.url("/table") in text
    finally:
        other.shutdown()
        other.server_close()


def test_a_same_host_redirect_is_followed_with_its_body(server, tmp_path):
    server.routes["/table"] = lambda h: _send(h, b"", 307, {"Location": "/moved"})
    server.routes["/moved"] = lambda h: _send(h, gzip.compress(b'{"ok": 2371}'), headers={"Content-Encoding": "gzip"})
    doc = _client(tmp_path, max_attempts=1).request("POST", server.url("/table"), "12r5", {"query": []})
    assert doc == {"ok": 2371}
    assert [(m, p) for m, p, _b in server.seen] == [("POST", "/table"), ("POST", "/moved")]
    assert json.loads(server.seen[1][2]) == {"query": []}


# --- a .px file with a hole ---------------------------------------------------------------------------------

ECKERO = Path(__file__).parent / "fixtures" / "pxweb" / "statfin_tyonv_pxt_12r5_eckero_2024.px"


def test_a_px_file_with_a_month_missing_in_the_middle_names_the_missing_month(tmp_path, capsys):
    """Weak case: a ``.px`` without June reported "2024-01–2024-11" as if whole (the REAL Eckerö file of 12r5,
    2024M01-M11, with June's codes and data row removed for the test)."""
    text = ECKERO.read_bytes().decode("iso-8859-15")
    start = text.index("DATA=\r\n") + len("DATA=\r\n")
    rows = text[start:].split("\r\n")
    text = text[:start] + "\r\n".join(rows[:5] + rows[6:])
    text = text.replace('"2024M06",', "", 2).replace('"202406",', "", 1)
    holed = tmp_path / "eckero_without_june.px"
    holed.write_bytes(text.encode("iso-8859-15"))
    assert run_fetch(None, None, False, [str(holed)], folder=tmp_path / "fetched") == 0
    out = capsys.readouterr().out
    assert "2024-01–2024-11 (missing 2024-06)" in out
    assert run_fetch(None, None, False, [str(ECKERO)], folder=tmp_path / "whole") == 0
    assert "2024-01–2024-11 (from .px file)" in capsys.readouterr().out  # a whole span says nothing more


def test_missing_months_are_listed_as_ranges():
    periods = ["2023-01", "2023-02", "2023-05", "2023-09", "2023-10", "2024-02"]
    assert span_text(periods) == "2023-01–2024-02 (missing 2023-03–2023-04, 2023-06–2023-08, 2023-11–2024-01)"
    assert span_text(["2019", "2021", "2022"]) == "2019–2022 (missing 2020)"
    assert span_text([]) == "no periods"
    assert span_text(["2022-03", "2022-06", "2022-12", "2023-03"]) == "2022-03–2023-03 (missing 2022-09)"  # 12tu's form
    assert span_text(["2022-03", "2022-06", "2022-09"]) == "2022-03–2022-09"
