"""Client for Statistics Finland's PxWeb API (v1): metadata, json-stat2 queries, cache, retries.

The production data path, written against the live service as recorded in 2026 (real samples in
``tests/fixtures/pxweb``):

- tables are addressed with their subject folder, ``<root>StatFin/tyonv/12r5.px`` (``<root>`` =
  ``…/PxWeb/api/v1/{fi|en|sv}/``); ``StatFin/12r5.px`` answers 404 and an old long id such as
  ``statfin_tyonv_pxt_12r5.px`` answers 400. A spec path without a folder is completed from the
  database search (``StatFin?query=12r5`` -> ``{"id": "12r5.px", "path": "/tyonv"}``);
- variable codes differ by table (12r5/12ti: ``Alue``, ``timeperiod_m``, ``contentscode``;
  11re: ``alue_23_20260101``), so the client never names one: it reads each table's metadata (GET)
  and finds the variables by their role (time, geo, metric) or label, then asks for the data
  with POST queries in json-stat2 format. Codes a table lacks (months it lost, such as 12r5's
  2006-2008) are skipped with a note; area codes the store cannot hold (``KUJOU``, ``MKJO``,
  ``ELY…``) are dropped with a note. See ``docs/statfin_tables.md``. The metadata and the
  selection are read and built in :mod:`analysis.sources.pxweb_query`, the json-stat2 responses
  turned into store observations in :mod:`analysis.sources.jsonstat`; this module sends the requests.

Respecting the service and the analyst's time:

- the cell limit (``maxValues``) and the call limit (``maxCalls`` per ``timeWindow`` seconds)
  are read from ``<root>?config``; when that fails the documented defaults apply
  (100 000 cells, 30 calls per 10 s). A query above the cell limit is split into pieces;
- HTTP 429 and 502/503/504, time-outs and dropped connections are retried a bounded number
  of times with exponential back-off; ``Retry-After`` is honoured up to ``max_wait`` (60 s) and
  every wait is reported through ``progress``;
- an overall ``deadline`` (seconds for the whole fetch) bounds every request and wait: a
  server that never answers ends the fetch at the deadline with a clear message;
- a response body is read in chunks within the read time-out (for the whole body) and the deadline, and
  cut at 64 MiB decompressed; a redirect is followed only on the same host (never with the query to
  another); a json-stat2 value must be a JSON number or null, and a key of a sparse value map a cell
  number of the dataset (checked in :mod:`analysis.sources.jsonstat`);
- raw responses are cached on disk under ``data/cache/pxweb`` keyed by a hash of URL and
  query; a cached response is used only while the table's ``updated`` stamp (from the
  subject folder's table list) is unchanged.

Every error names the table, the URL and the HTTP status.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pandas as pd
import requests
import urllib3

from analysis import config
from analysis.files import write_atomic
from analysis.schema import KEY_COLUMNS, PROVENANCE_COLUMNS
from analysis.sources.catalog import STATFIN, TABLES, FetchSpec, citation
from analysis.sources.jsonstat import jsonstat2_observations, split_store_areas
from analysis.sources.pxweb_query import (
    PxWebError,
    TableMeta,
    build_selection,
    class_variable,
    parse_metadata,
    query_body,
    split_selection,
)

DEFAULT_BASE_URL = "https://pxdata.stat.fi/PxWeb/api/v1/fi/"
DEFAULT_MAX_CELLS = 100_000
DEFAULT_MAX_CALLS = 30
DEFAULT_TIME_WINDOW = 10.0
DEFAULT_DEADLINE = 600.0
"""Seconds the whole ``fetch`` may take by default (``--timeout``): a first fetch of every table is
about 80 queries (12ti alone about 40 of 100 000 cells), paced to 30 calls per 10 s."""
RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAX_REDIRECTS = 5
CHUNK_BYTES = 64 * 1024


class DeadlineError(PxWebError):
    """The overall time limit of the fetch ran out before the table was fetched."""


@dataclass(frozen=True)
class ApiLimits:
    """The service's limits: cells per query and calls per time window (seconds)."""

    max_cells: int = DEFAULT_MAX_CELLS
    max_calls: int = DEFAULT_MAX_CALLS
    time_window: float = DEFAULT_TIME_WINDOW


@dataclass
class FetchResult:
    """What one table's fetch produced."""

    table_id: str
    observations: pd.DataFrame
    provenance: pd.DataFrame
    from_cache: bool
    posts: int
    notes: list[str] = field(default_factory=list)


def _retry_after(response: requests.Response, default: float) -> float:
    header = response.headers.get("Retry-After")
    if header is None:
        return default
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(header)
        return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
    except (TypeError, ValueError):
        return default


def _origin(url: str) -> tuple[str, str]:
    """A URL's scheme and host with port (``("https", "pxdata.stat.fi:443")``): what a redirect may not change."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, f"{(parts.hostname or '').casefold()}:{port}"


def utc_now() -> str:
    """Current UTC time as ISO text (``2026-11-27T22:30:00Z``)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class PxWebClient:
    """A polite PxWeb v1 client: limits from the config endpoint, retries, throttle, disk cache.

    Parameters
    ----------
    base_url:
        API root with language, e.g. ``https://pxdata.stat.fi/PxWeb/api/v1/fi/``.
    cache_dir:
        Folder for raw responses (``data/cache/pxweb``).
    timeout:
        Seconds to wait for the server (connect, read) in one request; the read time-out bounds the
        whole body, not each byte.
    max_attempts:
        Attempts per request for retryable failures (429, 502-504, time-outs).
    max_wait:
        Longest single wait in seconds, also for a larger ``Retry-After`` (which is then reported).
    deadline:
        Seconds from now that all requests together may take (None: no overall limit). Every
        request's time-out and every wait is cut to what is left; past it, :class:`DeadlineError`.
    sleep:
        The sleeping function (tests pass a recorder).
    progress:
        Called with one line of text for each wait and each table (``print`` to stderr in the CLI).
    """

    max_response_bytes: int = 64 << 20
    """The largest response body read (decompressed): an answer of 100 000 cells is about 2 MiB."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        cache_dir: Path | None = None,
        timeout: float | tuple[float, float] = (10.0, 120.0),
        max_attempts: int = 5,
        backoff: float = 1.0,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
        deadline: float | None = None,
        progress: Callable[[str], None] | None = None,
    ):
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.cache_dir = Path(cache_dir) if cache_dir is not None else config.CACHE_DIR / "pxweb"
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.max_wait = max_wait
        self.sleep = sleep
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", "analysis-employment-review (python-requests)")
        self.progress = progress or (lambda line: None)
        self.deadline_seconds = deadline
        self._deadline = None if deadline is None else time.monotonic() + float(deadline)
        self._limits: ApiLimits | None = None
        self.unreachable: PxWebError | None = None
        self._calls: deque[float] = deque()
        self._folders: dict[str, str] = {}
        self.requests_made: list[tuple[str, str]] = []

    # --- time ---------------------------------------------------------------------------
    def remaining(self) -> float | None:
        """Seconds left before the overall deadline (None without one)."""
        return None if self._deadline is None else self._deadline - time.monotonic()

    def _check_deadline(self, table_id: str, url: str) -> None:
        left = self.remaining()
        if left is not None and left <= 0:
            raise DeadlineError(table_id, url, "the overall time limit of {seconds:g} s for the "
                                "fetch ran out (option --timeout)", seconds=self.deadline_seconds)

    def _request_timeout(self) -> float | tuple[float, float]:
        left = self.remaining()
        if left is None:
            return self.timeout
        left = max(0.05, left)
        if isinstance(self.timeout, tuple):
            return (min(self.timeout[0], left), min(self.timeout[1], left))
        return min(float(self.timeout), left)

    def _wait(self, seconds: float) -> None:
        left = self.remaining()
        if left is not None:
            seconds = min(seconds, max(0.0, left))
        if seconds > 0:
            self.sleep(seconds)

    # --- HTTP -------------------------------------------------------------------------
    def _throttle(self) -> None:
        limits = self._limits or ApiLimits()
        now = time.monotonic()
        while self._calls and now - self._calls[0] > limits.time_window:
            self._calls.popleft()
        if len(self._calls) >= limits.max_calls:
            self._wait(max(0.0, limits.time_window - (now - self._calls[0])))
            self._calls.popleft()
        self._calls.append(time.monotonic())

    def request(self, method: str, url: str, table_id: str, body: Any = None, attempts: int | None = None) -> Any:
        """Send one request (with up to ``attempts`` tries, default ``max_attempts``) and return the JSON."""
        last = ""
        status: int | None = None
        attempts = attempts or self.max_attempts
        for attempt in range(1, attempts + 1):
            self._check_deadline(table_id, url)
            self._throttle()
            self.requests_made.append((method, url))
            wait = min(self.max_wait, self.backoff * 2 ** (attempt - 1))
            timeout = self._request_timeout()
            try:
                response, payload = self._exchange(method, url, table_id, body, timeout)
            except requests.Timeout:
                last, status = f"timed out after {timeout} s", None
            except requests.ConnectionError as exc:
                last, status = f"connection failed ({exc.__class__.__name__})", None
            else:
                status = response.status_code
                if status == 200:
                    try:
                        return json.loads(payload.decode("utf-8-sig"))
                    except ValueError as exc:
                        raise PxWebError(table_id, url, "the response is not JSON", status) from exc
                last = (payload.decode("utf-8", "replace") or response.reason or "").strip()[:200]
                if status not in RETRY_STATUSES:
                    if last:  # the service's own words, as they are
                        raise PxWebError(table_id, url, "{reply}", status, reply=last)
                    raise PxWebError(table_id, url, "request refused", status)
                if status == 429:
                    asked = _retry_after(response, wait)
                    wait = min(self.max_wait, asked)
                    if asked > self.max_wait:
                        self.progress(f"  {table_id}: HTTP 429, the server asks to wait {asked:g} s; waiting "
                                      f"{wait:g} s (the longest wait allowed)")
                    else:
                        self.progress(f"  {table_id}: HTTP 429, waiting {wait:g} s as the server asks")
                else:
                    self.progress(f"  {table_id}: HTTP {status}, retrying in {wait:g} s")
            if attempt < attempts:
                if status is None:
                    self.progress(f"  {table_id}: {last}, retrying in {wait:g} s")
                self._check_deadline(table_id, url)
                self._wait(wait)
        self._check_deadline(table_id, url)
        raise PxWebError(table_id, url, "gave up after {attempts} attempts: {last}", status, attempts=attempts,
                         last=last)

    def _exchange(self, method: str, url: str, table_id: str, body: Any,
                  timeout: float | tuple[float, float]) -> tuple[requests.Response, bytes]:
        """One HTTP exchange: the final response and its (decompressed) body.

        Redirects are followed only on the same scheme, host and port (a 307/308 keeps the method and
        body, a 303, or a 301/302 of a POST, becomes a GET): a redirect to another host is refused, so the
        query is never sent elsewhere. The body is read within the read time-out as a whole (not per byte)
        and the overall deadline, and cut at :attr:`max_response_bytes` decompressed.
        """
        target = url
        for _hop in range(MAX_REDIRECTS + 1):
            response = self.session.request(method, target, json=body, timeout=timeout, stream=True,
                                            allow_redirects=False)
            if not response.is_redirect:
                return response, self._read_body(response, table_id, url, timeout)
            response.close()
            found = urljoin(target, response.headers["location"])
            if _origin(found) != _origin(url):
                raise PxWebError(table_id, url, "the server redirects to another host ({target}); the request is "
                                 "not sent there", response.status_code, target=found)
            if response.status_code == 303 or (response.status_code in (301, 302) and method == "POST"):
                method, body = "GET", None
            target = found
        raise PxWebError(table_id, url, "more than {count} redirects", response.status_code, count=MAX_REDIRECTS)

    def _read_body(self, response: requests.Response, table_id: str, url: str,
                   timeout: float | tuple[float, float]) -> bytes:
        """The body of ``response``, read chunk by chunk: a server that sends one byte at a time still ends at
        the read time-out (for the whole body) or the deadline (``requests.Timeout``, retried like one); a body
        that inflates beyond :attr:`max_response_bytes` (a gzip bomb) is a :class:`PxWebError`."""
        limit = timeout[1] if isinstance(timeout, tuple) else timeout
        ends = time.monotonic() + float(limit)
        chunks: list[bytes] = []
        size = 0
        try:
            with response:
                while chunk := response.raw.read1(CHUNK_BYTES, decode_content=True):
                    size += len(chunk)
                    if size > self.max_response_bytes:
                        raise PxWebError(table_id, url, "the response is larger than {limit} MiB (decompressed); "
                                         "not read further", response.status_code,
                                         limit=self.max_response_bytes >> 20)
                    chunks.append(chunk)
                    if time.monotonic() > ends:
                        raise requests.Timeout(f"the body took more than {limit:g} s")
        except requests.RequestException:
            raise
        except urllib3.exceptions.ReadTimeoutError as exc:
            raise requests.Timeout(str(exc)) from exc
        except urllib3.exceptions.DecodeError as exc:
            raise PxWebError(table_id, url, "the response cannot be decompressed", response.status_code) from exc
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.HTTPError, OSError) as exc:
            raise requests.ConnectionError(str(exc)) from exc
        return b"".join(chunks)

    # --- API ---------------------------------------------------------------------------
    def limits(self) -> ApiLimits:
        """The service's limits from ``<root>?config``, or the documented defaults."""
        if self._limits is None:
            self._limits = ApiLimits()
            try:
                doc = self.request("GET", self.base_url + "?config", "(API config)", attempts=2)
                self._limits = ApiLimits(
                    int(doc.get("maxValues", DEFAULT_MAX_CELLS)),
                    int(doc.get("maxCalls", DEFAULT_MAX_CALLS)),
                    float(doc.get("timeWindow", DEFAULT_TIME_WINDOW)),
                )
            except DeadlineError as exc:
                self.unreachable = exc
            except PxWebError as exc:
                if exc.status is None:
                    self.unreachable = exc  # no HTTP answer at all: no network or a wrong root
            except (AttributeError, TypeError, ValueError):
                pass  # the defaults are the documented limits of pxdata.stat.fi
        return self._limits

    def search_folder(self, database: str, table_file: str, table_id: str) -> str:
        """The subject folder of ``table_file`` (``12r5.px``) from the database search: ``tyonv``."""
        key = f"{database}/{table_file}"
        if key not in self._folders:
            url = f"{self.base_url}{database}?query={table_file.removesuffix('.px')}"
            hits = self.request("GET", url, table_id)
            try:
                folder = next(str(h["path"]).strip("/") for h in hits if str(h.get("id")) == table_file)
            except (StopIteration, AttributeError, TypeError, KeyError) as exc:
                raise PxWebError(table_id, url, "the database search does not list {file}", 200,
                                 file=table_file) from exc
            self._folders[key] = folder
        return self._folders[key]

    def table_path(self, spec: FetchSpec) -> str:
        """``spec.path`` with its subject folder: ``StatFin/12r5.px`` -> ``StatFin/tyonv/12r5.px``."""
        parts = spec.path.strip("/").split("/")
        if len(parts) >= 3:
            return "/".join(parts)
        if len(parts) != 2:
            raise PxWebError(spec.table_id, self.base_url + spec.path, "a table path is DATABASE/FOLDER/ID.px")
        folder = self.search_folder(parts[0], parts[1], spec.table_id)
        return "/".join([parts[0], *[p for p in folder.split("/") if p], parts[1]])

    def table_url(self, spec: FetchSpec) -> str:
        """The table's URL under the API root."""
        return self.base_url + self.table_path(spec)

    def metadata(self, spec: FetchSpec) -> TableMeta:
        """The table's metadata, variables tagged with their roles."""
        url = self.table_url(spec)
        return parse_metadata(self.request("GET", url, spec.table_id), spec.table_id, url)

    def table_stamp(self, spec: FetchSpec) -> str | None:
        """The table's ``updated`` stamp from its subject folder's table list, or None.

        The folder is the one in the table's path (``StatFin/tyonv`` lists ``12r5.px``); this is a
        GET request, so checking for news never POSTs.
        """
        try:
            folder, _, name = self.table_path(spec).rpartition("/")
            listing = self.request("GET", f"{self.base_url}{folder}", spec.table_id, attempts=2)
            stamp = next(h.get("updated") for h in listing if h.get("id") == name)
        except DeadlineError:
            raise
        except (PxWebError, StopIteration, AttributeError, TypeError, KeyError):
            return None
        return str(stamp) if stamp else None

    # --- cache -------------------------------------------------------------------------
    def cache_path(self, url: str, body: dict[str, Any]) -> Path:
        """The cache file of one query: a hash of URL and canonical query text."""
        key = hashlib.sha256((url + "\n" + json.dumps(body, sort_keys=True)).encode()).hexdigest()[:24]
        return self.cache_dir / f"{key}.json"

    def _read_cache(self, path: Path, stamp: str | None) -> dict[str, Any] | None:
        if stamp is None or not path.exists():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return entry if entry.get("stamp") == stamp else None

    def _write_cache(self, path: Path, entry: dict[str, Any]) -> None:
        write_atomic(path, json.dumps(entry, ensure_ascii=False))

    # --- one table ---------------------------------------------------------------------
    def fetch_table(self, spec: FetchSpec, refresh: bool = False) -> FetchResult:
        """Fetch ``spec``'s table: metadata, stamp check, split queries (cached), observations.

        Cached responses are written only after every piece of the table has arrived, so a
        failed fetch never leaves half a table in the cache.
        """
        limits = self.limits()
        meta = self.metadata(spec)
        url = meta.url
        selection, notes = build_selection(spec, meta)
        stamp = self.table_stamp(spec)
        summed = class_variable(spec, meta)  # its classes are summed per piece: never cut apart
        order = [v.code for v in sorted(meta.variables, key=lambda v: (summed is not None and v.code == summed.code,
                                                                       v.role != "time", -len(v.values)))
                 if v.code in selection]
        pieces = split_selection(selection, limits.max_cells, order)
        entries, fresh, posts = [], [], 0
        for number, piece in enumerate(pieces, start=1):
            body = query_body(piece)
            path = self.cache_path(url, body)
            entry = None if refresh else self._read_cache(path, stamp)
            if entry is None:
                if len(pieces) > 1:
                    self.progress(f"  {spec.table_id}: query {number}/{len(pieces)}")
                doc = self.request("POST", url, spec.table_id, body)
                posts += 1
                entry = {"url": url, "query": body, "stamp": stamp, "fetched_at": utc_now(), "response": doc}
                fresh.append((path, entry))
            entries.append(entry)
        frames = [jsonstat2_observations(e["response"], spec, meta, url) for e in entries]
        obs, dropped = split_store_areas(pd.concat(frames, ignore_index=True))
        if dropped:
            notes.append(f"area codes not used by the analyses left out: {', '.join(dropped)}")
        dup = obs.duplicated(list(KEY_COLUMNS))
        if dup.any():
            raise PxWebError(spec.table_id, url, "{count} duplicate cells after merging the pieces", 200,
                             count=int(dup.sum()))
        for path, entry in fresh:
            self._write_cache(path, entry)
        prov = provenance_row(spec.table_id, meta.title, entries)
        return FetchResult(spec.table_id, obs, prov, from_cache=posts == 0, posts=posts, notes=notes)


def provenance_row(table_id: str, title: str, entries: list[dict[str, Any]]) -> pd.DataFrame:
    """One provenance row (origin ``pxweb``) from the responses of one table."""
    info = TABLES.get(table_id)
    docs = [e["response"] for e in entries]
    updated = max((str(d.get("updated", "")) for d in docs), default="")
    source = next((str(d["source"]) for d in docs if d.get("source")), STATFIN)
    row = {
        "table_id": table_id,
        "title_fi": info.title_fi if info else title.split(" -- ", 1)[-1],
        "producer": info.producer if info else source,
        "citation": citation(table_id),
        "origin": "pxweb",
        "last_updated": updated,
        "fetched_at": min(str(e.get("fetched_at", "")) for e in entries),
        "snapshot": "",
    }
    return pd.DataFrame([row], columns=list(PROVENANCE_COLUMNS))


__all__ = [
    "DEFAULT_BASE_URL", "DEFAULT_DEADLINE", "ApiLimits", "DeadlineError", "FetchResult", "PxWebClient",
    "provenance_row", "utc_now",
]
