"""What to ask a PxWeb (v1) table for: its metadata, the selection of values and the query body.

Variable codes differ by table (12r5/12ti: ``Alue``, ``timeperiod_m``, ``contentscode``; 11re:
``alue_23_20260101``), so nothing here names one: a table's metadata (``GET <root><path>``) is read into
:class:`TableMeta`, each variable tagged with its role (time, geo, metric) found from its code or label,
and a fetch spec is turned into a selection of those variables' values (:func:`build_selection`). Codes a
table lacks are skipped with a note; a selection above the service's cell limit is cut into pieces
(:func:`split_selection`), each sent as one json-stat2 query (:func:`query_body`). Values the public
codes do not name (duration classes, content values) are picked by their labels. See
``docs/statfin_tables.md``.

:class:`PxWebError` lives here, the lowest module that raises it; the response parsing
(:mod:`analysis.sources.jsonstat`) and the client (:mod:`analysis.sources.pxweb`) raise it too.
"""

from __future__ import annotations

import fnmatch
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from analysis.errors import Localized, Text
from analysis.sources.catalog import ClassSums, FetchSpec

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


__all__ = [
    "PxWebError", "TableMeta", "Variable", "build_selection", "cell_count", "class_members", "class_variable",
    "duration_bounds", "labelled_measures", "measure_key", "parse_metadata", "query_body", "split_selection",
    "strip_prefix", "variable_role",
]
