"""Reader for PC-Axis ``.px`` files as downloaded from StatFin's web pages.

Analysts often save a table from https://pxdata.stat.fi as a ``.px`` file; this module
turns such a file into the store's tidy observations. Only the keywords of the file's
default language are used (``VALUES("Alue")``, not ``VALUES[sv]("Område")``).

Rules:

- The file's ``CODEPAGE`` decides the text encoding (StatFin: ``iso-8859-15``).
- Values are mapped to codes with ``CODES("<variable>")``: an area given as
  ``VALUES("Alue")="Eckerö"`` with ``CODES("Alue")="KU043"`` becomes ``KU043``.
- Measure codes of ``CONTVARIABLE`` (``TYOTTOMATLOPUSSA`` …) become the stable names of
  :mod:`analysis.sources.catalog`; a code without a stable name is an error.
- Data cells that are StatFin's missing markers (the PX specification's ``"."`` … ``"......"``
  and ``"-"``) are missing (NaN), never 0. Any other text (``2l.0``, ``44B.0``) is an error naming
  the cell; so is a value that breaks the rules of :mod:`analysis.sources.validation` (a
  negative count, a rate above 100, unemployed above the labour force).
- Months ``2024M01`` become ``2024-01``; years stay ``2024``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from analysis.errors import DataValidationError, Text, UserError
from analysis.schema import AREA_CODE_PATTERN, PROVENANCE_COLUMNS, Store, tidy
from analysis.sources.catalog import STATFIN, TABLES, citation
from analysis.sources.jsonstat import to_period
from analysis.sources.pxweb_query import strip_prefix
from analysis.sources.validation import check_observations

DEFAULT_CODEPAGE = "iso-8859-1"
GEO_NAMES = ("alue", "område", "maakunta", "kunta", "region", "area")
TIME_NAMES = ("kuukausi", "vuosi", "neljännes", "månad", "år", "month", "year")
_CODEPAGE = re.compile(rb'CODEPAGE\s*=\s*"([^"]+)"')
_KEY = re.compile(r'^(?P<name>[A-Z0-9][A-Z0-9-]*)(?:\[(?P<lang>[a-z_-]+)\])?(?:\((?P<args>.*)\))?$', re.S)
_STRING = re.compile(r'"((?:[^"]|"")*)"')
_TABLEID = re.compile(r"_pxt_([0-9a-z]+)$")
_MATRIX = re.compile(r"(?:^|_)([0-9]{2,3}[a-z][0-9a-z])(?:_|$)")
MISSING_MARKERS: frozenset[str] = frozenset({".", "..", "...", "....", ".....", "......", "-"})
"""The PX specification's data symbols for missing or confidential cells (DATASYMBOL1–6 and NIL),
as StatFin writes them; nothing else in DATA means missing."""


class PxFileError(UserError, ValueError):
    """A ``.px`` file that cannot be read; the message names the file and the keyword or line."""

    def __init__(self, file: str | Path, message: str | Text, /, line: int | None = None, keyword: str | None = None,
                 **params: object):
        detail = message if isinstance(message, Text) else Text(message, **params)
        if line is not None and keyword is not None:
            template = "{file}, line {line}, keyword {keyword}: {detail}"
        elif line is not None:
            template = "{file}, line {line}: {detail}"
        elif keyword is not None:
            template = "{file}, keyword {keyword}: {detail}"
        else:
            template = "{file}: {detail}"
        super().__init__(template, file=str(file), line=line, keyword=keyword, detail=detail)


@dataclass(frozen=True)
class PxVariable:
    """One variable of a ``.px`` table: its name, shown values and their codes."""

    name: str
    values: tuple[str, ...]
    codes: tuple[str, ...]


@dataclass(frozen=True)
class PxTable:
    """A parsed ``.px`` file: keywords of the default language, variables in data order, cells."""

    path: Path
    keywords: dict[tuple[str, tuple[str, ...]], list[str]]
    variables: tuple[PxVariable, ...]
    data: tuple[float, ...]

    def keyword(self, name: str, *args: str) -> list[str] | None:
        """The value list of ``name("arg", …)`` in the default language, or None."""
        return self.keywords.get((name, tuple(args)))

    def first(self, name: str, *args: str) -> str | None:
        """The first value of a keyword, or None."""
        value = self.keyword(name, *args)
        return value[0] if value else None


def _decode(raw: bytes) -> str:
    match = _CODEPAGE.search(raw[:4096])
    codepage = match.group(1).decode("ascii", "replace") if match else DEFAULT_CODEPAGE
    try:
        return raw.decode(codepage)
    except (LookupError, UnicodeDecodeError):
        return raw.decode(DEFAULT_CODEPAGE)


def _statements(header: str) -> list[tuple[int, str]]:
    """Split the header into ``(line, "KEY=value")`` statements at semicolons outside quotes."""
    out: list[tuple[int, str]] = []
    start, quoted = 0, False
    for pos, char in enumerate(header):
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            text = header[start:pos]
            if text.strip():
                skipped = len(text) - len(text.lstrip())
                out.append((header.count("\n", 0, start + skipped) + 1, text.strip()))
            start = pos + 1
    return out


def _values(text: str) -> list[str]:
    """Value list of a statement: quoted strings (adjacent ones on new lines joined) or bare tokens."""
    text = text.strip()
    if text.startswith("TLIST("):
        text = text[text.index(")") + 1:].lstrip(",")
    if '"' not in text:
        return [tok.strip() for tok in text.split(",") if tok.strip()]
    values: list[str] = []
    pending: str | None = None
    pos = 0
    for match in _STRING.finditer(text):
        between = text[pos:match.start()]
        piece = match.group(1).replace('""', '"')
        if pending is not None and "," not in between:
            pending += piece  # a long string continued on the next line
        else:
            if pending is not None:
                values.append(pending)
            pending = piece
        pos = match.end()
    if pending is not None:
        values.append(pending)
    return values


def _parse_keywords(header: str, path: Path) -> dict[tuple[str, tuple[str, ...]], list[str]]:
    keywords: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for line, statement in _statements(header):
        if "=" not in statement:
            raise PxFileError(path, "statement without '=': {statement!r}", line=line, statement=statement[:60])
        # the key ends at the first '=' outside quotes
        quoted, cut = False, -1
        for pos, char in enumerate(statement):
            if char == '"':
                quoted = not quoted
            elif char == "=" and not quoted:
                cut = pos
                break
        key, value = statement[:cut].strip(), statement[cut + 1:]
        match = _KEY.match(key)
        if not match:
            raise PxFileError(path, "cannot read keyword {key!r}", line=line, key=key[:60])
        if match["lang"]:
            continue  # other languages are not used
        args = tuple(_values(match["args"])) if match["args"] else ()
        keywords[(match["name"], args)] = _values(value)
    return keywords


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _parse_data(text: str) -> tuple[tuple[float, ...], list[tuple[int, str]]]:
    """The data cells, and ``(position, text)`` of every cell that is neither a number nor a
    missing marker."""
    body = text.strip()
    if body.endswith(";"):
        body = body[:-1]
    cells: list[float] = []
    bad: list[tuple[int, str]] = []
    for token in re.findall(r'"[^"]*"|[^\s,;"]+', body):
        token = token.strip('"').strip()
        if token in MISSING_MARKERS:
            cells.append(float("nan"))  # a missing or suppressed cell
        elif _NUMBER.fullmatch(token):
            cells.append(float(token))
        else:
            bad.append((len(cells), token))
            cells.append(float("nan"))
    return tuple(cells), bad


def _cell_name(variables: list[PxVariable], position: int) -> str:
    """``Kuukausi=2024M01, Tiedot=TYOTTOMATLOPUSSA, …`` of the cell at ``position`` (data order)."""
    names = []
    for var in reversed(variables):
        position, index = divmod(position, len(var.codes))
        names.append(f"{var.name}={var.codes[index]}")
    return ", ".join(reversed(names))


def read_px_table(path: str | Path) -> PxTable:
    """Parse a ``.px`` file into keywords, variables (stub then heading) and data cells."""
    path = Path(path)
    try:
        text = _decode(path.read_bytes())
    except OSError as exc:
        raise PxFileError(path, "cannot read the file ({reason})", reason=exc.strerror or exc) from exc
    match = re.search(r"(^|;)\s*DATA\s*=", text)
    if not match:
        raise PxFileError(path, "no DATA= section; is this a .px file?", keyword="DATA")
    header, data_text = text[:match.start() + len(match.group(1))], text[match.end():]
    keywords = _parse_keywords(header, path)
    data_line = header.count("\n") + 1
    names = [*(keywords.get(("STUB", ()), [])), *(keywords.get(("HEADING", ()), []))]
    if not names:
        raise PxFileError(path, "neither STUB nor HEADING names a variable", keyword="STUB")
    variables = []
    for name in names:
        values = keywords.get(("VALUES", (name,)))
        if not values:
            raise PxFileError(path, "variable '{name}' has no VALUES", keyword=f'VALUES("{name}")', name=name)
        codes = keywords.get(("CODES", (name,)), values)
        if len(codes) != len(values):
            raise PxFileError(path, "variable '{name}' has {values} VALUES but {codes} CODES",
                              keyword=f'CODES("{name}")', name=name, values=len(values), codes=len(codes))
        variables.append(PxVariable(name, tuple(values), tuple(codes)))
    data, bad = _parse_data(data_text)
    expected = 1
    for var in variables:
        expected *= len(var.values)
    if len(data) != expected:
        raise PxFileError(path, "DATA has {cells} cells, the variables give {expected}", line=data_line,
                          keyword="DATA", cells=len(data), expected=expected)
    if bad:
        position, token = bad[0]
        more = Text(" ({count} more such cell(s))", count=len(bad) - 1) if len(bad) > 1 else ""
        raise PxFileError(path, "cell {cell} ({name}) is '{token}', neither a number nor a missing marker "
                          "({markers}){more}", keyword="DATA", cell=position + 1,
                          name=_cell_name(variables, position), token=token,
                          markers=", ".join(sorted(MISSING_MARKERS)), more=more)
    return PxTable(path, keywords, tuple(variables), data)


def table_id_of(table: PxTable) -> str:
    """The StatFin table id (``12r5``) from TABLEID, MATRIX or the title of a ``.px`` file.

    Files saved before June 2026 say ``TABLEID="statfin_tyonv_pxt_12r5"`` and
    ``MATRIX="001_12r5_2024"``; newer ones ``TABLEID="12r5"``.
    """
    for key in ("TABLEID", "MATRIX"):
        value = table.first(key)
        if value and re.fullmatch(r"[0-9]{2,3}[a-z][0-9a-z]", value):
            return value  # the short id used since 8 June 2026 (TABLEID="12r5")
        if value:
            match = (_TABLEID if key == "TABLEID" else _MATRIX).search(value)
            if match:
                return match.group(1)
    for key in ("DESCRIPTION", "TITLE", "CONTENTS"):
        value = table.first(key)
        if value and " -- " in value:
            return value.split(" -- ", 1)[0].strip()
    raise PxFileError(table.path, "cannot tell the table id (no TABLEID, MATRIX or 'id -- title')",
                      keyword="TABLEID")


def _role_of(table: PxTable, var: PxVariable) -> str:
    contvar = table.first("CONTVARIABLE")
    if var.name == contvar:
        return "metric"
    vtype = (table.first("VARIABLE-TYPE", var.name) or "").lower()
    if vtype == "time" or table.keyword("TIMEVAL", var.name) is not None or var.name.lower() in TIME_NAMES:
        return "time"
    if table.keyword("MAP", var.name) is not None or var.name.lower() in GEO_NAMES:
        return "geo"
    return "other"


def last_updated(table: PxTable) -> str:
    """The latest LAST-UPDATED stamp of the file as ISO text (``2024-12-23T08:00``), or ""."""
    stamps = [v[0] for (name, _), v in table.keywords.items() if name == "LAST-UPDATED" and v]
    parsed = []
    for stamp in stamps:
        try:
            parsed.append(datetime.strptime(stamp.strip(), "%Y%m%d %H:%M"))
        except ValueError:
            continue
    return max(parsed).strftime("%Y-%m-%dT%H:%M") if parsed else ""


def px_observations(
    table: PxTable,
    measures: dict[str, str] | None = None,
    breakdowns: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Tidy observations of a parsed ``.px`` table.

    ``measures`` maps the content codes to stable names (default: the catalog entry of the
    file's table id). ``breakdowns`` maps other variable names (``Ammattiryhmä``) to store
    breakdown columns; any other variable must have one value only.
    """
    table_id = table_id_of(table)
    if measures is None:
        if table_id not in TABLES or not TABLES[table_id].measures:
            raise PxFileError(table.path, "table {table} has no measure list in sources/catalog.py", table=table_id)
        measures = TABLES[table_id].measures
    breakdowns = {k.lower(): v for k, v in (breakdowns or {"Ammattiryhmä": "occupation_code"}).items()}
    grids: list[tuple[str, tuple[str, ...]]] = []
    roles = {}
    for var in table.variables:
        role = _role_of(table, var)
        roles[role] = var
        if role == "metric":
            names = {c: measures.get(strip_prefix(c, measures) or "") for c in var.codes}
            unknown = [c for c, name in names.items() if name is None]
            if unknown:
                raise PxFileError(table.path, "measure code(s) {unknown} of table {table} have no stable "
                                  "name in sources/catalog.py", keyword=f'CODES("{var.name}")', unknown=unknown,
                                  table=table_id)
            grids.append(("measure", tuple(names[c] for c in var.codes)))
        elif role == "time":
            grids.append(("period", tuple(to_period(c) for c in var.codes)))
        elif role == "geo":
            if var.codes == var.values and not all(re.fullmatch(AREA_CODE_PATTERN, c) for c in var.codes):
                raise PxFileError(table.path, "variable '{name}' has names but no CODES; save the file "
                                  "with codes from StatFin", keyword=f'CODES("{var.name}")', name=var.name)
            grids.append(("area_code", var.codes))
        elif var.name.lower() in breakdowns:
            grids.append((breakdowns[var.name.lower()], var.codes))
        elif len(var.codes) == 1:
            grids.append((f"_{var.name}", var.codes))
        else:
            raise PxFileError(table.path, "variable '{name}' has {count} values and no "
                              "breakdown column in the store", keyword=f'VALUES("{var.name}")', name=var.name,
                              count=len(var.codes))
    for needed in ("metric", "time", "geo"):
        if needed not in roles:
            raise PxFileError(table.path, "no {role} variable found (expected e.g. Tiedot, Kuukausi, Alue)",
                              role=needed)
    index = pd.MultiIndex.from_product([codes for _, codes in grids], names=[n for n, _ in grids])
    frame = index.to_frame(index=False)
    frame["value"] = list(table.data)
    frame = frame[[c for c in frame.columns if not c.startswith("_")]]
    frame["table_id"] = table_id
    obs = tidy(frame)
    try:
        check_observations(obs, table.path)
    except DataValidationError as exc:
        raise PxFileError(table.path, exc.detail, keyword="DATA") from None
    return obs


def px_provenance(table: PxTable, loaded_at: str | None = None) -> pd.DataFrame:
    """One provenance row for a ``.px`` file (origin ``px-file``, snapshot = the file name)."""
    table_id = table_id_of(table)
    info = TABLES.get(table_id)
    title = table.first("CONTENTS") or table.first("TITLE") or ""
    title = title.split(" -- ", 1)[-1]
    row = {
        "table_id": table_id,
        "title_fi": info.title_fi if info else title,
        "producer": info.producer if info else (table.first("SOURCE") or STATFIN),
        "citation": citation(table_id),
        "origin": "px-file",
        "last_updated": last_updated(table),
        "fetched_at": loaded_at or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "snapshot": table.path.name,
    }
    return pd.DataFrame([row], columns=list(PROVENANCE_COLUMNS))


def read_px(path: str | Path, measures: dict[str, str] | None = None,
            breakdowns: dict[str, str] | None = None) -> Store:
    """A ``.px`` file as a :class:`Store` (observations and one provenance row)."""
    table = read_px_table(path)
    return Store(px_observations(table, measures, breakdowns), px_provenance(table))
