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
  ``ELY…``) are dropped with a note. See ``docs/statfin_tables.md``.

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
  number of the dataset;
- raw responses are cached on disk under ``data/cache/pxweb`` keyed by a hash of URL and
  query; a cached response is used only while the table's ``updated`` stamp (from the
  subject folder's table list) is unchanged.

Every error names the table, the URL and the HTTP status.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import math
import re
import time
from collections import deque
from collections.abc import Callable, Iterable
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
from analysis.errors import Localized, Text
from analysis.files import write_atomic
from analysis.schema import AREA_CODE_PATTERN, KEY_COLUMNS, PROVENANCE_COLUMNS, tidy
from analysis.sources.catalog import STATFIN, TABLES, ClassSums, FetchSpec, citation

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
_STORE_AREA = re.compile(rf"^({AREA_CODE_PATTERN})$")
ROLES = ("time", "geo", "metric")
_TIME_LABELS = {"kuukausi", "vuosi", "neljännes", "månad", "år", "kvartal", "month", "year", "quarter"}
_GEO_LABELS = {"alue", "område", "region", "area", "maakunta", "kunta", "landskap", "kommun"}
_METRIC_LABELS = {"tiedot", "uppgifter", "information"}


class PxWebError(Localized, RuntimeError):
    """A PxWeb request or response that failed; names the table, URL and HTTP status.

    ``message`` is an English template filled from ``params`` (see :class:`analysis.errors.Localized`).
    """

    def __init__(self, table_id: str, url: str, message: str | Text, /, status: int | None = None,
                 **params: object):
        self.table_id = table_id
        self.url = url
        self.status = status
        code = Text("HTTP {status}", status=status) if status is not None else Text("no HTTP response")
        super().__init__("table {table}: {url}: {code}: {detail}", table=table_id, url=url, code=code,
                         detail=message if isinstance(message, Text) else Text(message, **params))


class DeadlineError(PxWebError):
    """The overall time limit of the fetch ran out before the table was fetched."""


@dataclass(frozen=True)
class ApiLimits:
    """The service's limits: cells per query and calls per time window (seconds)."""

    max_cells: int = DEFAULT_MAX_CELLS
    max_calls: int = DEFAULT_MAX_CALLS
    time_window: float = DEFAULT_TIME_WINDOW


@dataclass(frozen=True)
class Variable:
    """One variable of a table's metadata, with the role the client found for it."""

    code: str
    label: str
    values: tuple[str, ...]
    value_texts: tuple[str, ...]
    role: str  # "time", "geo", "metric" or "other"
    elimination: bool = False


@dataclass(frozen=True)
class TableMeta:
    """A table's metadata (``GET <root><path>``)."""

    table_id: str
    url: str
    title: str
    variables: tuple[Variable, ...]

    def by_role(self, role: str) -> Variable | None:
        """The variable with ``role``, or None; raises PxWebError when several have it."""
        found = [v for v in self.variables if v.role == role]
        if len(found) > 1:
            raise PxWebError(self.table_id, self.url, "several {role} variables: {codes}", 200,
                             role=role, codes=[v.code for v in found])
        return found[0] if found else None


@dataclass
class FetchResult:
    """What one table's fetch produced."""

    table_id: str
    observations: pd.DataFrame
    provenance: pd.DataFrame
    from_cache: bool
    posts: int
    notes: list[str] = field(default_factory=list)


def variable_role(code: str, label: str, is_time: bool = False) -> str:
    """The role of a variable from its metadata: ``time``, ``geo``, ``metric`` or ``other``.

    Works for the 2026 codes (``timeperiod_m``, ``alue_23_20260101``, ``contentscode``) and
    the older ones (``Kuukausi``, ``Alue``, ``Tiedot``), falling back to the label.
    """
    low, text = code.casefold(), label.casefold()
    if is_time or low.startswith("timeperiod") or low in _TIME_LABELS or text in _TIME_LABELS:
        return "time"
    if low == "contentscode" or low in _METRIC_LABELS or text in _METRIC_LABELS:
        return "metric"
    if low.startswith("alue_") or low in _GEO_LABELS or text in _GEO_LABELS:
        return "geo"
    return "other"


def parse_metadata(doc: Any, table_id: str, url: str) -> TableMeta:
    """Read a PxWeb v1 table-metadata response (``title``, ``variables[]``)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("variables"), list):
        raise PxWebError(table_id, url, "metadata response has no 'variables' list", 200)
    variables = []
    for item in doc["variables"]:
        try:
            code, label = str(item["code"]), str(item.get("text", item["code"]))
            values = tuple(str(v) for v in item["values"])
            texts = tuple(str(v) for v in item.get("valueTexts", values))
        except (KeyError, TypeError) as exc:
            raise PxWebError(table_id, url, "metadata variable without {key}", 200, key=exc) from exc
        role = variable_role(code, label, bool(item.get("time", False)))
        variables.append(Variable(code, label, values, texts, role, bool(item.get("elimination", False))))
    meta = TableMeta(table_id, url, str(doc.get("title", "")), tuple(variables))
    for role in ("time", "metric"):
        if meta.by_role(role) is None:
            raise PxWebError(table_id, url, "no {role} variable among {codes}", 200, role=role,
                             codes=[v.code for v in variables])
    meta.by_role("geo")
    return meta


def measure_key(code: str) -> str:
    """A content code without its table prefix: ``tyonv-TYOTTOMATLOPUSSA`` -> ``TYOTTOMATLOPUSSA``."""
    return code.split("-", 1)[1] if "-" in code else code


def strip_prefix(code: str, known: Iterable[str]) -> str | None:
    """The entry of ``known`` that ``code`` stands for, ignoring a table prefix on either side
    (``tyonv-TYOTTOMATLOPUSSA`` matches ``TYOTTOMATLOPUSSA`` and the other way round)."""
    known = list(known)
    if code in known:
        return code
    key = measure_key(code)
    return next((k for k in known if measure_key(k) == key), None)


def _match_values(var: Variable, wanted: list[str] | str) -> tuple[list[str], list[str]]:
    """Values of ``var`` selected by ``wanted`` ("*", codes or glob patterns such as ``MK*``)."""
    if wanted == "*":
        return list(var.values), []
    chosen: list[str] = []
    missing: list[str] = []
    for item in ([wanted] if isinstance(wanted, str) else wanted):
        hits = [v for v in var.values if fnmatch.fnmatchcase(v, item)] if any(c in item for c in "*?[") \
            else [item] if item in var.values else []
        if not hits:
            missing.append(item)
        chosen.extend(h for h in hits if h not in chosen)
    order = {v: i for i, v in enumerate(var.values)}
    return sorted(chosen, key=order.__getitem__), missing


# --- values picked by label (codes that are not public or may change) --------------------------------

_UNITS = {"week": 1, "year": 52}
_UNIT_WORDS = {"week": r"viikk?o[an]?|viikkoa|weeks?|veckas?|veckor", "year": r"vuo(si|tta|den)|years?|år"}
_TOTAL_LABELS = {"yhteensä", "total", "totalt", "kaikki", "sss"}


def _unit(word: str) -> int | None:
    for unit, pattern in _UNIT_WORDS.items():
        if re.fullmatch(pattern, word):
            return _UNITS[unit]
    return None


def duration_bounds(label: str) -> tuple[float, float | None] | None:
    """The span of a duration class in weeks from its label, ``(from, to)`` (``to`` None when open-ended), or
    None when the label is not a duration class. Reads Finnish, English and Swedish forms: "Alle viikon"
    (0, 1), "5-8 viikkoa" (5, 8), "53-78 viikkoa" (53, 78), "2-3 vuotta" (104, 156), "Yli 5 vuotta" (260, None).
    A year is 52 weeks, as the classes "79-104 viikkoa" and "2-3 vuotta" meet at 104."""
    text = re.sub(r"\s+", " ", label.casefold().replace("–", "-").replace("—", "-")).strip()
    found = re.fullmatch(r"(?:alle|under|less than) (?:(\d+) )?(\w+)", text)
    if found and (unit := _unit(found[2])):
        return 0.0, float(int(found[1] or 1) * unit)
    found = re.fullmatch(r"(\d+) ?- ?(\d+) (\w+)", text)
    if found and (unit := _unit(found[3])):
        return float(int(found[1]) * unit), float(int(found[2]) * unit)
    found = re.fullmatch(r"(?:yli|over|more than|över) (\d+) (\w+)", text) or re.fullmatch(
        r"(\d+) (\w+) (?:tai yli|or more|and over|eller mer)", text)
    if found and (unit := _unit(found[2])):
        return float(int(found[1]) * unit), None
    return None


def class_members(sums: ClassSums, var: Variable, table_id: str, url: str) -> dict[str, list[str]]:
    """For each measure of ``sums``, the codes of ``var``'s classes whose labels say they count (their span
    starts at or after the measure's bound). Raises PxWebError listing the labels found when a label is not
    a duration class, or a class straddles a bound (its sum cannot be formed from the published classes)."""
    spans = {}
    for code, text in zip(var.values, var.value_texts):
        if code.casefold() in _TOTAL_LABELS or text.casefold().strip() in _TOTAL_LABELS:
            continue
        span = duration_bounds(text)
        if span is None:
            raise PxWebError(table_id, url, "the classes of variable {code} ('{label}') cannot be read as durations "
                             "('{text}'); its labels are: {labels}", 200, code=var.code, label=var.label, text=text,
                             labels="; ".join(var.value_texts))
        spans[code] = span
    out = {}
    for measure, bound in sums.at_least_weeks.items():
        straddle = [var.value_texts[var.values.index(c)] for c, (lo, hi) in spans.items()
                    if lo < bound and (hi is None or hi > bound)]
        members = [c for c, (lo, _hi) in spans.items() if lo >= bound]
        if straddle or not members:
            raise PxWebError(table_id, url, "no sum of the classes of variable {code} ('{label}') gives {measure} "
                             "({bound} weeks and over); its labels are: {labels}", 200, code=var.code,
                             label=var.label, measure=measure, bound=bound, labels="; ".join(var.value_texts))
        out[measure] = members
    return out


def class_variable(spec: FetchSpec, meta: TableMeta) -> Variable | None:
    """The variable whose classes ``spec.class_sums`` sums (found by its label), or None without class sums;
    raises PxWebError naming the table's variables when none matches."""
    if spec.class_sums is None:
        return None
    pattern = spec.class_sums.variable.casefold()
    found = [v for v in meta.variables if fnmatch.fnmatchcase(v.label.casefold(), pattern)]
    if len(found) != 1:
        raise PxWebError(spec.table_id, meta.url, "{count} variables' labels match '{pattern}'; the table has "
                         "{labels}", 200, count=len(found), pattern=spec.class_sums.variable,
                         labels="; ".join(v.label for v in meta.variables))
    return found[0]


def labelled_measures(spec: FetchSpec, var: Variable, url: str) -> dict[str, str]:
    """Content code -> stable name for ``spec.measure_labels`` (each glob must match exactly one value's
    label); raises PxWebError listing the labels found."""
    out = {}
    for pattern, name in spec.measure_labels.items():
        hits = [c for c, t in zip(var.values, var.value_texts) if fnmatch.fnmatchcase(t.casefold(), pattern.casefold())]
        if len(hits) != 1:
            raise PxWebError(spec.table_id, url, "{count} content values' labels match '{pattern}'; the labels are: "
                             "{labels}", 200, count=len(hits), pattern=pattern, labels="; ".join(var.value_texts))
        out[hits[0]] = name
    return out


def build_selection(spec: FetchSpec, meta: TableMeta) -> tuple[dict[str, list[str]], list[str]]:
    """Variable code -> values to ask for (variables left out are eliminated), and notes.

    Raises PxWebError when a measure of the spec is not in the table, when nothing is left
    of a selection, or when a variable can neither be eliminated nor set to its total.
    """
    select = {k.casefold(): v for k, v in spec.select.items()}
    breakdowns = {k.casefold() for k in spec.breakdowns}
    categories = {k.casefold(): v for k, v in spec.categories.items()}
    selection: dict[str, list[str]] = {}
    notes: list[str] = []
    summed = class_variable(spec, meta)
    for var in meta.variables:
        if summed is not None and var.code == summed.code:
            members = class_members(spec.class_sums, var, spec.table_id, meta.url)
            wanted = {c for codes in members.values() for c in codes}
            selection[var.code] = [c for c in var.values if c in wanted]
            continue
        if var.role == "metric" and spec.measure_labels:
            selection[var.code] = list(labelled_measures(spec, var, meta.url))
            continue
        groups = categories.get(var.label.casefold(), categories.get(var.code.casefold()))
        if groups is not None:
            absent = [c for c in groups if c not in var.values]
            if absent:
                listed = ", ".join(f"{c} ({t})" for c, t in zip(var.values, var.value_texts))
                raise PxWebError(spec.table_id, meta.url, "categories {absent} are not in variable {code} "
                                 "('{label}'); it has {listed}. Correct the spec's categories in "
                                 "sources/catalog.py", 200, absent=absent, code=var.code, label=var.label,
                                 listed=listed)
            selection[var.code] = [c for c in var.values if c in groups]
            continue
        wanted = select.get(var.role) if var.role in ROLES else None
        if wanted is None:
            wanted = select.get(var.label.casefold(), select.get(var.code.casefold()))
        if var.role == "metric" and wanted is None:
            chosen = [v for v in var.values if strip_prefix(v, spec.measures)]
            absent = sorted(set(spec.measures) - {strip_prefix(v, spec.measures) for v in var.values} - {None})
            if absent:
                raise PxWebError(spec.table_id, meta.url, "measure code(s) {absent} are not in the table; "
                                 "it has {codes}", 200, absent=absent, codes=list(var.values))
            selection[var.code] = chosen
            continue
        if wanted is None and var.label.casefold() in breakdowns:
            wanted = "*"
        if wanted is None:
            if var.elimination:
                continue
            if "SSS" in var.values or len(var.values) == 1:
                selection[var.code] = ["SSS" if "SSS" in var.values else var.values[0]]
                continue
            raise PxWebError(spec.table_id, meta.url, "variable {code} ('{label}') cannot be "
                             "eliminated; name it in the fetch spec", 200, code=var.code, label=var.label)
        chosen, missing = _match_values(var, wanted)
        if missing:
            notes.append(f"{var.label}: not in table {spec.table_id}: {', '.join(missing)}")
        if not chosen:
            raise PxWebError(spec.table_id, meta.url, "nothing of {wanted} is in variable {code} "
                             "('{label}')", 200, wanted=wanted, code=var.code, label=var.label)
        selection[var.code] = chosen
    return selection, notes


def cell_count(selection: dict[str, list[str]]) -> int:
    """Number of cells a selection asks for."""
    return math.prod(len(v) for v in selection.values())


def split_selection(selection: dict[str, list[str]], max_cells: int,
                    order: list[str] | None = None) -> list[dict[str, list[str]]]:
    """Split a selection into pieces of at most ``max_cells`` cells.

    The variable named first in ``order`` (the time variable) is cut into chunks first,
    then the next, so each piece stays a full cross-product of its values.
    """
    if cell_count(selection) <= max_cells:
        return [selection]
    codes = order or sorted(selection, key=lambda c: -len(selection[c]))
    for code in codes:
        values = selection[code]
        if len(values) < 2:
            continue
        rest = cell_count(selection) // len(values)
        size = max(1, max_cells // rest) if rest <= max_cells else 1
        pieces = []
        for start in range(0, len(values), size):
            piece = {**selection, code: values[start:start + size]}
            pieces.extend(split_selection(piece, max_cells, codes))
        return pieces
    raise ValueError(f"a single cell exceeds the limit of {max_cells} cells")


def query_body(selection: dict[str, list[str]]) -> dict[str, Any]:
    """A PxWeb v1 POST body asking for json-stat2."""
    return {
        "query": [{"code": code, "selection": {"filter": "item", "values": values}}
                  for code, values in selection.items()],
        "response": {"format": "json-stat2"},
    }


def _category_codes(dim: dict[str, Any], size: int) -> list[str]:
    index = dim.get("category", {}).get("index")
    if index is None:
        labels = dim.get("category", {}).get("label", {})
        return list(labels)[:size]
    if isinstance(index, list):
        return [str(c) for c in index]
    return [str(code) for code, _ in sorted(index.items(), key=lambda kv: kv[1])]


def _cell_index(key: Any, total: int, table_id: str, url: str) -> int:
    """The cell a key of a sparse json-stat2 value map names: ASCII digits only, 0 to ``total`` - 1 (a key
    "-1" would otherwise write into the last real cell, "1.5" or "x" into none)."""
    if not (isinstance(key, str) and re.fullmatch(r"0|[1-9][0-9]*", key) and int(key) < total):
        raise PxWebError(table_id, url, "json-stat2 value key '{key}' is not a cell number 0-{last}", 200,
                         key=key, last=total - 1)
    return int(key)


def _number(value: Any, pos: Any, table_id: str, url: str) -> float:
    """A json-stat2 cell value: a JSON number, or null for missing (NaN). ``true`` or a text such as
    "245 322" is refused, never read as a number."""
    if value is None:
        return float("nan")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise PxWebError(table_id, url, "json-stat2 value {value} of cell {pos} is not a number or null", 200,
                     value=json.dumps(value, ensure_ascii=False), pos=pos)


def parse_jsonstat2(doc: Any, table_id: str = "?", url: str = "") -> pd.DataFrame:
    """A json-stat2 dataset as a frame: one column of category codes per dimension, ``value``.

    ``value`` may be a list or a sparse mapping; ``null`` and absent cells are NaN (missing),
    never 0. Raises PxWebError when ``id``, ``size`` and ``value`` do not agree.
    """
    try:
        ids, sizes, dims = list(doc["id"]), [int(s) for s in doc["size"]], doc["dimension"]
        raw = doc["value"]
    except (KeyError, TypeError) as exc:
        raise PxWebError(table_id, url, "json-stat2 response without {key}", 200, key=exc) from exc
    total = math.prod(sizes)
    if isinstance(raw, dict):
        values = [float("nan")] * total
        for pos, val in raw.items():
            values[_cell_index(pos, total, table_id, url)] = _number(val, pos, table_id, url)
    elif isinstance(raw, list):
        values = [_number(v, pos, table_id, url) for pos, v in enumerate(raw)]
    else:
        raise PxWebError(table_id, url, "json-stat2 'value' is neither a list nor a mapping", 200)
    if len(values) != total:
        raise PxWebError(table_id, url, "json-stat2 has {count} values, its size gives {total}", 200,
                         count=len(values), total=total)
    codes = []
    for dim_id, size in zip(ids, sizes):
        cats = _category_codes(dims[dim_id], size)
        if len(cats) != size:
            raise PxWebError(table_id, url, "dimension {dim} has {count} categories, size {size}", 200,
                             dim=dim_id, count=len(cats), size=size)
        codes.append(cats)
    frame = pd.MultiIndex.from_product(codes, names=ids).to_frame(index=False) if ids else pd.DataFrame()
    frame["value"] = values
    return frame


def to_period(code: str) -> str:
    """StatFin time code as a store period: ``2024M01`` -> ``2024-01``, ``2025`` -> ``2025``."""
    if len(code) == 7 and code[4] == "M" and code[:4].isdigit() and code[5:].isdigit():
        return f"{code[:4]}-{code[5:]}"
    return code


def jsonstat2_observations(doc: dict[str, Any], spec: FetchSpec, meta: TableMeta, url: str = "") -> pd.DataFrame:
    """Tidy store observations of one json-stat2 response for ``spec``."""
    frame = parse_jsonstat2(doc, spec.table_id, url)
    roles: dict[str, str] = {v.code: v.role for v in meta.variables}
    for role, dim_ids in (doc.get("role") or {}).items():
        for dim_id in dim_ids or []:
            roles[dim_id] = role
    breakdowns = {k.casefold(): v for k, v in spec.breakdowns.items()}
    categories = {k.casefold(): v for k, v in spec.categories.items()}
    out = pd.DataFrame(index=frame.index)
    category_measure = None
    summed = class_variable(spec, meta)
    members = class_members(spec.class_sums, summed, spec.table_id, url) if summed is not None else {}
    classes = None
    measures = dict(spec.measures)
    if spec.measure_labels:
        metric = meta.by_role("metric")
        measures = labelled_measures(spec, metric, url) if metric is not None else {}
    for dim_id in doc["id"]:
        role = roles.get(dim_id, "other")
        label = str(doc["dimension"][dim_id].get("label", dim_id))
        groups = categories.get(label.casefold(), categories.get(dim_id.casefold()))
        if summed is not None and dim_id == summed.code:
            classes = frame[dim_id]
        elif groups is not None and role != "metric":
            category_measure = _category_measure(frame[dim_id], groups, spec.table_id, url, dim_id)
        elif role == "time":
            out["period"] = frame[dim_id].map(to_period)
        elif role == "geo":
            out["area_code"] = frame[dim_id]
        elif role == "metric":
            out["measure"] = _measure_names(frame[dim_id], measures, spec.table_id, url)
        elif label.casefold() in breakdowns or dim_id.casefold() in breakdowns:
            column = breakdowns.get(label.casefold()) or breakdowns[dim_id.casefold()]
            out[column] = frame[dim_id]
        elif frame[dim_id].nunique() > 1:
            raise PxWebError(spec.table_id, url, "dimension {dim} ('{label}') has several values but no "
                             "store column", 200, dim=dim_id, label=label)
    _complete(out, category_measure, spec.table_id, url)
    out["value"] = frame["value"]
    out["table_id"] = spec.table_id
    if summed is not None:
        out = _sum_classes(out, classes, members, spec.table_id, url, summed.code)
    return tidy(out)


def _category_measure(values: pd.Series, groups: dict[str, str], table_id: str, url: str, dim_id: str) -> pd.Series:
    """The measure each category of ``values`` stands for (the spec's ``categories``); a category the spec
    does not name is an error."""
    unknown = sorted(set(values) - set(groups))
    if unknown:
        raise PxWebError(table_id, url, "response has categories {unknown} of {dim} that the spec does not name", 200,
                         unknown=unknown, dim=dim_id)
    return values.map(groups)


def _measure_names(values: pd.Series, measures: dict[str, str], table_id: str, url: str) -> pd.Series:
    """The stable measure name of each content code of ``values`` (a prefixed code matches its unprefixed
    name); a code without one is an error."""
    names = {c: measures.get(strip_prefix(c, measures) or "") for c in values.unique()}
    unknown = [c for c, n in names.items() if n is None]
    if unknown:
        raise PxWebError(table_id, url, "response has measure code(s) {unknown} without a stable name in the fetch "
                         "spec", 200, unknown=unknown)
    return values.map(names)


def _complete(out: pd.DataFrame, category_measure: pd.Series | None, table_id: str, url: str) -> None:
    """Fill the measure from the categories (one content code then), the whole country where the table has
    no area variable, and refuse a response without a period or a measure."""
    if category_measure is not None:
        if "measure" in out and out["measure"].nunique() > 1:
            raise PxWebError(table_id, url, "a spec with categories must select one content code", 200)
        out["measure"] = category_measure
    if "area_code" not in out:
        out["area_code"] = "SSS"  # a table without an area variable covers the whole country
    for column in ("period", "measure"):
        if column not in out:
            raise PxWebError(table_id, url, "response has no dimension for {column}", 200, column=column)


def _sum_classes(out: pd.DataFrame, classes: pd.Series | None, members: dict[str, list[str]], table_id: str,
                 url: str, code: str) -> pd.DataFrame:
    """Rows of one content measure by class -> one row per measure of ``members``: the sum of its classes
    (missing when any of them is missing: a sum with a suppressed part is not known)."""
    if classes is None or out["measure"].nunique() > 1:
        raise PxWebError(table_id, url, "a spec with class sums needs the variable {code} and one content value "
                         "in the response", 200, code=code)
    held = set(classes)
    parts = []
    keys = [c for c in out.columns if c not in ("measure", "value")]
    for measure, codes in members.items():
        if not set(codes) <= held:
            raise PxWebError(table_id, url, "the response holds only some of the classes of {measure}", 200,
                             measure=measure)
        rows = out[classes.isin(codes).to_numpy()]
        summed = rows.groupby(keys, sort=False, dropna=False)["value"].sum(min_count=len(codes))
        complete = rows.groupby(keys, sort=False, dropna=False)["value"].count() == len(codes)
        parts.append(summed.where(complete).rename("value").reset_index().assign(measure=measure))
    return pd.concat(parts, ignore_index=True)


def split_store_areas(obs: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Rows whose area code the store can hold (``SSS``, ``MKnn``, ``SKnnn``, ``KUnnn``), and the
    other codes found (``KUJOU``, ``MKJO``, ``ELY01`` …), which the analyses do not use."""
    ok = obs["area_code"].str.match(_STORE_AREA)
    return obs[ok].reset_index(drop=True), sorted(set(obs.loc[~ok, "area_code"]))


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
    "DEFAULT_BASE_URL", "DEFAULT_DEADLINE", "ApiLimits", "DeadlineError", "split_store_areas", "FetchResult",
    "PxWebClient", "PxWebError", "TableMeta",
    "Variable", "build_selection", "cell_count", "jsonstat2_observations", "measure_key", "parse_jsonstat2",
    "parse_metadata", "query_body", "split_selection", "strip_prefix", "to_period", "variable_role",
]
