"""Reading and validating a filled KPI workbook: the values (sheet ``Tiedot``) and the targets (``Tavoitteet``).

Every problem is collected and raised together as :class:`WorkbookError`, naming the sheet, the Excel
row number and the column. Refused: an encrypted or old ``.xls`` file, a hidden data sheet, a hidden
row or column holding data (a hidden value would otherwise be imported without anyone seeing it), a
month in the future, a date not in the calendar, digits other than 0–9, a share 0–1 entered for a
percentage (with the hint "did you mean 87,5 %?"). Other hidden sheets are not read and are reported.
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.errors import Text, UserError
from analysis.sources.workbook.catalogue import (
    SENSIBLE_MAX,
    load_catalogue,
    load_municipalities,
    metric_lookup,
    municipality_lookup,
    norm,
)
from analysis.sources.workbook.cells import LocalNumber, parse_month, parse_number, parse_year, range_text

DATA_SHEET = "Tiedot"
TARGETS_SHEET = "Tavoitteet"
METRICS_SHEET = "Mittarit"
MUNICIPALITIES_SHEET = "Kunnat"
HEADERS: tuple[str, ...] = ("mittari", "kuukausi", "kunta", "arvo", "huomautus")
"""Column headers of the data sheet (Finnish, as staff see them)."""
TARGET_HEADERS: tuple[str, ...] = ("mittari", "vuosi", "kunta", "tavoite", "huomautus")
"""Column headers of the targets sheet."""
HEADER_ALIASES: dict[str, str] = {
    "metric": "mittari", "mätare": "mittari", "month": "kuukausi", "månad": "kuukausi",
    "municipality": "kunta", "kommun": "kunta", "value": "arvo", "värde": "arvo",
    "note": "huomautus", "anmärkning": "huomautus", "year": "vuosi", "år": "vuosi",
    "target": "tavoite", "mål": "tavoite",
}
VALUE_COLUMNS: tuple[str, ...] = (
    "area", "metric_id", "month", "municipality", "value", "note", "imported_at", "import_seq", "source_file",
)
"""Tidy internal values; ``municipality`` is a ``KUnnn`` code or the area's slug for a whole-area figure."""
TARGET_COLUMNS: tuple[str, ...] = ("area", "metric_id", "year", "municipality", "target", "note")
"""Tidy targets: one per (metric, year, municipality or the area's slug), in the metric's unit."""
MAX_REPORTED_PROBLEMS = 25
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of an OLE compound file: an encrypted ``.xlsx`` or an old ``.xls`` workbook."""
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


@dataclass(frozen=True)
class Problem:
    """One bad cell of a workbook: sheet, Excel row number, column header and letter.

    ``message`` is a translatable :class:`~analysis.errors.Text` (or English-only text).
    """

    sheet: str
    row: int | None
    column: str | None
    message: str | Text

    def text(self, lang: str = "en") -> str:
        """The problem in ``lang``: where, then what."""
        where = [Text("sheet '{sheet}'", sheet=self.sheet)]
        if self.row is not None:
            where.append(Text("row {row}", row=self.row))
        if self.column is not None:
            where.append(Text("column {column}", column=self.column))
        what = self.message.message(lang) if isinstance(self.message, Text) else self.message
        return f"{', '.join(w.message(lang) for w in where)}: {what}"

    def __str__(self) -> str:
        return self.text("en")


class WorkbookError(UserError, ValueError):
    """A workbook that cannot be imported; ``problems`` lists every bad cell found."""

    def __init__(self, file: str | Path, problems: list[Problem]):
        self.file = str(file)
        self.problems = problems
        super().__init__("{file}: {count} problem(s); nothing was imported", file=self.file, count=len(problems))

    def message(self, lang: str = "fi") -> str:
        """Every problem (up to :data:`MAX_REPORTED_PROBLEMS`) on its own line, in ``lang``."""
        shown = self.problems[:MAX_REPORTED_PROBLEMS]
        lines = [super().message(lang)]
        lines += [f"  {self.file}, {p.text(lang)}" for p in shown]
        if len(self.problems) > len(shown):
            lines.append("  " + Text("… and {count} more", count=len(self.problems) - len(shown)).message(lang))
        return "\n".join(lines)


@dataclass(frozen=True)
class Contents:
    """What a valid workbook holds: values (:data:`VALUE_COLUMNS` up to ``note``), targets
    (:data:`TARGET_COLUMNS`) and notices about parts that were not read (hidden sheets)."""

    values: pd.DataFrame
    targets: pd.DataFrame
    notices: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Opening the file


def _open(path: Path):
    """The workbook twice: saved values and formulas as written (to tell a formula without a saved
    value from an empty cell). Encrypted, old ``.xls`` and unreadable files are refused by name."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.exists():
        raise WorkbookError(path, [Problem("-", None, None, Text("file not found"))])
    with open(path, "rb") as fh:
        head = fh.read(len(OLE_MAGIC))
    if head == OLE_MAGIC:
        encrypted = ENCRYPTED_STREAM in path.read_bytes()
        message = (Text("the workbook is encrypted (password-protected); save it without a password and import "
                        "again") if encrypted else
                   Text("an old .xls workbook; save it as an Excel workbook (.xlsx) and import again"))
        raise WorkbookError(path, [Problem("-", None, None, message)])
    try:
        return load_workbook(path, data_only=True), load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise WorkbookError(path, [Problem("-", None, None, Text("not a readable .xlsx workbook ({reason})",
                                                                 reason=exc))]) from exc


def _find_sheet(book, names: tuple[str, ...]) -> str | None:
    return next((s for s in book.sheetnames if norm(s) in names), None)


# --------------------------------------------------------------------------------------------
# One sheet in long format


@dataclass(frozen=True)
class Layout:
    """A sheet's accepted names and columns; ``key`` columns identify a row, ``period`` is month or year."""

    names: tuple[str, ...]
    headers: tuple[str, ...]
    period: str
    amount: str


VALUES_LAYOUT = Layout((norm(DATA_SHEET), "data", "uppgifter"), HEADERS, "kuukausi", "arvo")
TARGETS_LAYOUT = Layout((norm(TARGETS_SHEET), "targets", "mål"), TARGET_HEADERS, "vuosi", "tavoite")


@dataclass
class SheetReader:
    """Reads the rows of one sheet against the catalogue; problems accumulate in ``problems``."""

    name: str
    layout: Layout
    rows: list[tuple[object, ...]]
    formulas: list[tuple[object, ...]]
    hidden_rows: set[int]
    header: dict[str, int]
    metrics: pd.DataFrame
    metric_of: dict[str, str]
    municipality_of: dict[str, str]
    this_month: str
    today: dt.date
    problems: list[Problem] = field(default_factory=list)

    def col(self, name: str) -> str:
        from openpyxl.utils import get_column_letter

        return f"'{name}' ({get_column_letter(self.header[name] + 1)})"

    def add(self, row: int, name: str | None, message: Text) -> None:
        self.problems.append(Problem(self.name, row, None if name is None else self.col(name), message))

    def empty(self, row: int, name: str, message: Text) -> None:
        """An empty cell: says so, or names the formula that has no saved value."""
        written = self.formulas[row - 1] if row - 1 < len(self.formulas) else ()
        text = written[self.header[name]] if self.header[name] < len(written) else None
        if isinstance(text, str) and text.startswith("="):
            message = Text("the cell holds the formula {formula} but no saved value; open the workbook in Excel "
                           "and save it (or type the value)", formula=text[:40])
        self.add(row, name, message)

    def metric(self, row: int, cell: object, internal_only: bool) -> str | None:
        metric_id = self.metric_of.get(norm(str(cell).rstrip(".")))
        if metric_id is None:
            self.add(row, "mittari", Text("unknown metric '{metric}'; use an id or name from sheet '{sheet}'",
                                          metric=cell, sheet=METRICS_SHEET))
        elif internal_only and self.metrics.at[metric_id, "source"] != "internal":
            self.add(row, "mittari", Text("metric '{metric}' is computed from public data or the reviews; do not "
                                          "enter it in the workbook", metric=metric_id))
            return None
        return metric_id

    def month(self, row: int, cell: object) -> str | None:
        month = parse_month(cell)
        if isinstance(month, Text):
            self.add(row, "kuukausi", month)
            return None
        if month > self.this_month:
            self.add(row, "kuukausi", Text("{month} is a future month (today is {today})", month=month,
                                           today=self.today.isoformat()))
            return None
        return month

    def year(self, row: int, cell: object) -> int | None:
        year = parse_year(cell)
        if isinstance(year, Text):
            self.add(row, "vuosi", year)
            return None
        return year

    def municipality(self, row: int, cell: object) -> str | None:
        code = self.municipality_of.get(norm(cell))
        if code is None:
            self.add(row, "kunta", Text("unknown municipality '{municipality}'; use a name from sheet '{sheet}' "
                                        "or 'Koko alue'", municipality=cell, sheet=MUNICIPALITIES_SHEET))
        return code

    def amount(self, row: int, cell: object, metric_id: str | None, whole_counts: bool) -> float | None:
        name = self.layout.amount
        value = parse_number(cell)
        if isinstance(value, Text):
            self.add(row, name, value)
            return None
        if metric_id is None:
            return value
        problem = check_value(value, self.metrics.loc[metric_id], metric_id, whole_counts)
        if problem is not None:
            self.add(row, name, problem)
            return None
        return value


EMPTY_MESSAGES: dict[str, Text] = {
    "mittari": Text("the metric is empty"),
    "kuukausi": Text("the month is empty"),
    "vuosi": Text("the year is empty"),
    "kunta": Text("the municipality is empty; write a municipality or 'Koko alue'"),
    "arvo": Text("the value is empty; leave the row out if the figure is not known"),
    "tavoite": Text("the target is empty; leave the row out if no target is set"),
}


def check_value(value: float, info: pd.Series, metric_id: str, whole_counts: bool = True) -> Text | None:
    """What is wrong with ``value`` for the metric ``info`` (a catalogue row), or None.

    Refused: a value that is not finite, outside the metric's range (percentages 0–100, satisfaction
    1–5, counts not negative), a share 0–1 for a percentage (with the hint "did you mean 87,5 %?"),
    and a fraction of a count when ``whole_counts``.
    """
    unit = str(info["unit"])
    lo, hi = float(info["min_value"]), float(info["max_value"])
    if math.isnan(hi):
        hi = SENSIBLE_MAX.get(unit, math.nan)
    if not math.isfinite(value):
        return Text("{value} is not a finite number", value=value)
    if (not math.isnan(lo) and value < lo) or (not math.isnan(hi) and value > hi):
        what = {"pct": Text("a percentage"), "scale_1_5": Text("a satisfaction score")}.get(unit, Text("the value"))
        return Text("{value:g} is outside the allowed range {range} for {what} of '{metric}'", value=value,
                    range=range_text(lo, hi), what=what, metric=metric_id)
    if unit == "pct" and 0 < value < 1:
        return Text("{value} looks like a share, but '{metric}' is a percentage 0–100: did you mean {pct} %?",
                    value=LocalNumber(value), metric=metric_id, pct=LocalNumber(round(value * 100, 6)))
    if whole_counts and unit == "count" and value % 1 != 0:
        return Text("{value:g} is not a whole number; '{metric}' is a count", value=value, metric=metric_id)
    return None


def _header(rows: list[tuple[object, ...]], layout: Layout, name: str, path: Path) -> dict[str, int]:
    if not rows or all(v is None or str(v).strip() == "" for v in rows[0]):
        raise WorkbookError(path, [Problem(name, 1, None, Text("the sheet is empty (no header row)"))])
    header: dict[str, int] = {}
    for idx, cell in enumerate(rows[0]):
        key = HEADER_ALIASES.get(norm(cell), norm(cell)) if cell is not None else ""
        if key in layout.headers and key not in header:
            header[key] = idx
    missing = [h for h in layout.headers if h not in header]
    if missing:
        raise WorkbookError(path, [Problem(name, 1, None, Text("missing column(s) {missing}; the header row must be "
                                                               "{header}", missing=", ".join(missing),
                                                               header=", ".join(layout.headers)))])
    return header


def _hidden(reader: SheetReader, sheet, row: int, cells: dict[str, object]) -> bool:
    """Reports a hidden row, or a hidden column with a value on this row; True when one is."""
    from openpyxl.utils import get_column_letter

    if row in reader.hidden_rows:
        reader.add(row, None, Text("the row is hidden; unhide it (or delete it) and import again"))
        return True
    for name, idx in reader.header.items():
        if cells[name] not in (None, "") and sheet.column_dimensions[get_column_letter(idx + 1)].hidden:
            reader.add(row, name, Text("the column is hidden; unhide it and import again"))
            return True
    return False


RowParser = Callable[[SheetReader, int, dict[str, object]], dict[str, object] | None]


def _value_row(reader: SheetReader, row: int, cells: dict[str, object]) -> dict[str, object] | None:
    metric_id = reader.metric(row, cells["mittari"], internal_only=True)
    month = reader.month(row, cells["kuukausi"])
    municipality = reader.municipality(row, cells["kunta"])
    value = reader.amount(row, cells["arvo"], metric_id, whole_counts=True)
    if None in (metric_id, month, municipality, value):
        return None
    return {"metric_id": metric_id, "month": month, "municipality": municipality, "value": float(value)}


def _target_row(reader: SheetReader, row: int, cells: dict[str, object]) -> dict[str, object] | None:
    metric_id = reader.metric(row, cells["mittari"], internal_only=False)
    year = reader.year(row, cells["vuosi"])
    municipality = reader.municipality(row, cells["kunta"])
    target = reader.amount(row, cells["tavoite"], metric_id, whole_counts=False)
    if None in (metric_id, year, municipality, target):
        return None
    return {"metric_id": metric_id, "year": year, "municipality": municipality, "target": float(target)}


def _blank(value: object) -> bool:
    return value is None or str(value).strip() == ""


def read_rows(reader: SheetReader, sheet, parse: RowParser) -> list[dict[str, object]]:
    """Every filled row of the sheet, checked: empty cells, hidden rows, each column, duplicates."""
    records: list[dict[str, object]] = []
    seen: dict[tuple[object, ...], int] = {}
    for row, raw in enumerate(reader.rows[1:], start=2):
        cells = {h: (raw[i] if i < len(raw) else None) for h, i in reader.header.items()}
        if all(_blank(v) for v in cells.values()) or _hidden(reader, sheet, row, cells):
            continue
        empty = [h for h in reader.layout.headers if h != "huomautus" and _blank(cells[h])]
        for name in empty:
            reader.empty(row, name, EMPTY_MESSAGES[name])
        parsed = None if empty else parse(reader, row, cells)
        if parsed is None:
            continue
        key = tuple(v for k, v in parsed.items() if k not in ("value", "target"))
        if key in seen:
            reader.add(row, "mittari", Text("duplicate row: {metric}, {month}, {municipality} is already on row "
                                            "{first}", metric=key[0], month=key[1], municipality=cells["kunta"],
                                            first=seen[key]))
            continue
        seen[key] = row
        note = cells["huomautus"]
        records.append({**parsed, "note": "" if note is None else str(note).strip()})
    return records


# --------------------------------------------------------------------------------------------
# The workbook


@dataclass(frozen=True)
class _Setting:
    area: config.Area
    catalogue: pd.DataFrame
    today: dt.date


def _reader(path: Path, books, name: str, layout: Layout, setting: _Setting) -> tuple[SheetReader, object]:
    values, formulas = books
    sheet = values[name]
    rows = list(sheet.iter_rows(values_only=True))
    header = _header(rows, layout, name, path)
    hidden = {int(r) for r, dim in sheet.row_dimensions.items() if dim.hidden}
    metrics = setting.catalogue.set_index("metric_id")
    reader = SheetReader(
        name, layout, rows, list(formulas[name].iter_rows(values_only=True)), hidden, header, metrics,
        metric_lookup(setting.catalogue), municipality_lookup(setting.area, load_municipalities()),
        f"{setting.today.year:04d}-{setting.today.month:02d}", setting.today)
    return reader, sheet


def _hidden_sheets(book, read: list[str]) -> tuple[list[Problem], list[Problem]]:
    """Hidden sheets: refused when they hold what is imported, else reported as not read."""
    refused, notices = [], []
    for sheet in book.worksheets:
        if sheet.sheet_state == "visible":
            continue
        if sheet.title in read:
            refused.append(Problem(sheet.title, None, None, Text("the sheet is hidden; unhide it and import again")))
        else:
            notices.append(Problem(sheet.title, None, None, Text("a hidden sheet; it was not read")))
    return refused, notices


def read_contents(
    path: str | Path,
    *,
    area: config.Area | None = None,
    catalogue: pd.DataFrame | None = None,
    today: dt.date | None = None,
) -> Contents:
    """Validate a filled KPI workbook and return its values and targets.

    Rules for the values (sheet ``Tiedot``): every metric is an internal metric of the catalogue (id,
    Finnish or Swedish name); the month is a real month not after ``today``'s month; the municipality
    is a member of the area or the whole area ("Koko alue"); the value is a number within the metric's
    range (percentages 0–100 and not a share 0–1, satisfaction 1–5, counts whole and not negative); no
    (metric, month, municipality) twice. Targets (sheet ``Tavoitteet``, optional): any metric of the
    catalogue, a year, a municipality or "Koko alue", a target in the metric's unit. At least one row.
    """
    path = Path(path)
    setting = _Setting(area or config.get_area(config.default_area_slug()),
                       load_catalogue() if catalogue is None else catalogue, today or dt.date.today())
    books = _open(path)
    data_name = _find_sheet(books[0], VALUES_LAYOUT.names)
    targets_name = _find_sheet(books[0], TARGETS_LAYOUT.names)
    if data_name is None and targets_name is None:
        raise WorkbookError(path, [Problem(DATA_SHEET, None, None, Text("sheet not found; the workbook has {sheets}",
                                                                        sheets=", ".join(books[0].sheetnames)))])
    problems, notices = _hidden_sheets(books[0], [n for n in (data_name, targets_name) if n])
    values: list[dict[str, object]] = []
    targets: list[dict[str, object]] = []
    for name, layout, parse, out in ((data_name, VALUES_LAYOUT, _value_row, values),
                                     (targets_name, TARGETS_LAYOUT, _target_row, targets)):
        if name is None:
            continue
        reader, sheet = _reader(path, books, name, layout, setting)
        out += read_rows(reader, sheet, parse)
        problems += reader.problems
    if problems:
        raise WorkbookError(path, problems)
    if not values and not targets:
        raise WorkbookError(path, [Problem(data_name or targets_name, 2, None, Text("the workbook has no data rows"))])
    slug = setting.area.slug
    return Contents(
        pd.DataFrame.from_records(values, columns=list(VALUE_COLUMNS[1:6])).assign(area=slug)[list(VALUE_COLUMNS[:6])],
        pd.DataFrame.from_records(targets, columns=list(TARGET_COLUMNS[1:])).assign(area=slug)[list(TARGET_COLUMNS)],
        notices)


def read_workbook(path: str | Path, *, area: config.Area | None = None, catalogue: pd.DataFrame | None = None,
                  today: dt.date | None = None) -> pd.DataFrame:
    """The values of a filled KPI workbook (columns ``area`` … ``note``), validated (:func:`read_contents`)."""
    return read_contents(path, area=area, catalogue=catalogue, today=today).values
