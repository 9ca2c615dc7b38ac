"""Internal KPI metrics: the metric catalogue, the staff workbook, imports and example data.

The action plan's operational scorecard (toiminnallinen mittaristo) has 26 metrics. Four come
from public data or from the reviews this project makes; the rest are internal figures that
staff enter every month in an Excel workbook (long format: metric, month, municipality, value,
note). This module

- reads and validates the metric catalogue ``data/kpi/metrics.csv`` (see ``data/kpi/README.md``),
- writes a blank workbook (``python -m analysis kpi-template FILE.xlsx``),
- validates a filled workbook and imports it into ``config.INTERNAL_DIR``
  (``python -m analysis kpi-import FILE.xlsx``): every import is kept with its date in one
  history file, the latest import wins for a (metric, month, municipality), earlier months
  are never lost, and a bad workbook changes nothing (the history is replaced atomically),
- makes synthetic example values (fixed seed) so that the scorecard can be shown before any
  workbook has been imported; they are always labelled "esimerkkiaineisto",
- reads the list of reviews made (``outputs/index.json``) for the metric
  "Työllisyyskatsausten toteutuminen osavuosikatsausten yhteydessä".

Tidy internal values have the columns :data:`VALUE_COLUMNS`; ``municipality`` is a
``KUnnn`` code or the area's slug for a whole-area figure.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.errors import DataValidationError, Text, UserError
from analysis.files import save_atomic, write_atomic
from analysis.schema import MONTH_PATTERN
from analysis.sources.validation import (
    csv_row,
    read_csv,
    require_columns,
    require_known,
    require_pattern,
    require_unique,
    to_number,
)

KPI_DIR: Path = config.DATA_DIR / "kpi"
METRICS_FILE: Path = KPI_DIR / "metrics.csv"
MUNICIPALITIES_FILE: Path = KPI_DIR / "municipalities.csv"
HISTORY_NAME = "kpi_history.csv"
"""All imported values with their import date, in ``config.INTERNAL_DIR``."""
ARCHIVE_NAME = "kpi_imports"
"""Folder in ``config.INTERNAL_DIR`` with a copy of every imported workbook."""

UNITS: tuple[str, ...] = ("count", "pct", "pct_change", "scale_1_5", "average", "eur")
ADDITIVE_UNITS: frozenset[str] = frozenset({"count", "eur"})
SENSIBLE_MAX: dict[str, float] = {"count": 10_000_000.0, "average": 100_000.0, "eur": 10_000_000_000.0,
                                  "pct": 100_000.0, "pct_change": 100_000.0, "scale_1_5": 5.0}
"""Upper bound of a metric's value by unit when the catalogue gives none: far above any real
monthly figure of an employment area, so only a typing or export error (``1e300``) is refused."""
"""Units whose municipal values add up to the area's value."""
FREQUENCIES: tuple[str, ...] = ("M", "Q", "A")
DIRECTIONS: tuple[str, ...] = ("higher", "lower")
SOURCES: tuple[str, ...] = ("public", "internal", "reviews")
CATALOGUE_COLUMNS: tuple[str, ...] = (
    "metric_id", "section", "goal_fi", "goal_sv", "name_fi", "name_sv", "unit", "frequency",
    "direction", "target", "tolerance", "source", "persons", "min_value", "max_value",
)
VALUE_COLUMNS: tuple[str, ...] = (
    "area", "metric_id", "month", "municipality", "value", "note", "imported_at", "import_seq", "source_file",
)

DATA_SHEET = "Tiedot"
METRICS_SHEET = "Mittarit"
MUNICIPALITIES_SHEET = "Kunnat"
HELP_SHEET = "Ohjeet"
HEADERS: tuple[str, ...] = ("mittari", "kuukausi", "kunta", "arvo", "huomautus")
"""Column headers of the data sheet (Finnish, as staff see them)."""
HEADER_ALIASES: dict[str, str] = {
    "metric": "mittari", "mätare": "mittari", "month": "kuukausi", "månad": "kuukausi",
    "municipality": "kunta", "kommun": "kunta", "value": "arvo", "värde": "arvo",
    "note": "huomautus", "anmärkning": "huomautus",
}
WHOLE_AREA_NAMES: tuple[str, ...] = ("koko alue", "hela området", "whole area")
EXAMPLE_SEED = 20250101
EXAMPLE_FIRST_MONTH = "2022-01"
EXAMPLE_LAST_MONTH = "2026-09"
EXAMPLE_NOTE = "esimerkkiaineisto"
MAX_REPORTED_PROBLEMS = 25


# --------------------------------------------------------------------------------------------
# Catalogue


def load_catalogue(path: Path = METRICS_FILE) -> pd.DataFrame:
    """The metric catalogue, validated: one row per metric of the action plan.

    Numbers come back as floats (``target``, ``tolerance``, ``min_value``, ``max_value``;
    NaN when empty) and ``persons`` as bool. Errors name the file, row and column.
    """
    path = Path(path)
    frame = read_csv(path, what="metrics")
    require_columns(frame, CATALOGUE_COLUMNS, path)
    require_pattern(frame, "metric_id", r"[a-z][a-z0-9_]*", path, "a metric id (lowercase, digits, _)")
    require_unique(frame, ["metric_id"], path)
    require_unique(frame, ["name_fi"], path)
    require_pattern(frame, "section", r"\d+(\.\d+)?", path, "a section number such as 1.1")
    for col in ("goal_fi", "goal_sv", "name_fi", "name_sv"):
        require_pattern(frame, col, r".*\S.*", path, "a non-empty text")
    require_known(frame, "unit", UNITS, path, "unit")
    require_known(frame, "frequency", FREQUENCIES, path, "frequency")
    require_known(frame, "direction", DIRECTIONS, path, "direction")
    require_known(frame, "source", SOURCES, path, "source")
    require_known(frame, "persons", ("yes", "no"), path, "persons flag (yes/no)")
    out = frame.copy()
    for col in ("target", "tolerance", "min_value", "max_value"):
        out[col] = to_number(frame, col, path)
    out["persons"] = frame["persons"] == "yes"
    neg = out["tolerance"] < 0
    if neg.any():
        raise DataValidationError(path, "tolerance must not be negative", csv_row(np.flatnonzero(neg)[0]),
                                  "tolerance")
    return out.reset_index(drop=True)


def load_municipalities(path: Path = MUNICIPALITIES_FILE) -> pd.DataFrame:
    """Municipality codes with Finnish and Swedish names (for the workbook's ``kunta`` column)."""
    path = Path(path)
    frame = read_csv(path)
    require_columns(frame, ["municipality_code", "name_fi", "name_sv"], path)
    require_pattern(frame, "municipality_code", r"KU\d{3}", path, "a municipality code KUnnn")
    require_unique(frame, ["municipality_code"], path)
    return frame


# --------------------------------------------------------------------------------------------
# Workbook validation


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


def _norm(text: object) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def _metric_lookup(catalogue: pd.DataFrame) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for row in catalogue.itertuples(index=False):
        for key in (row.metric_id, row.name_fi, row.name_sv):
            lookup[_norm(key)] = row.metric_id
            lookup[_norm(str(key).rstrip("."))] = row.metric_id
    return lookup


def _municipality_lookup(area: config.Area, municipalities: pd.DataFrame) -> dict[str, str]:
    lookup = {_norm(name): area.slug for name in (*WHOLE_AREA_NAMES, area.slug, area.name_fi, area.name_sv)}
    names = municipalities.set_index("municipality_code")
    for code in area.members:
        if not code.startswith("KU"):
            continue
        lookup[_norm(code)] = code
        lookup[_norm(code[2:])] = code
        if code in names.index:
            lookup[_norm(names.at[code, "name_fi"])] = code
            lookup[_norm(names.at[code, "name_sv"])] = code
    return lookup


_MONTH_TEXT = [
    (re.compile(r"(\d{4})-(\d{1,2})(-\d{1,2})?"), (1, 2)),
    (re.compile(r"(\d{1,2})[/.](\d{4})"), (2, 1)),
    (re.compile(r"\d{1,2}\.(\d{1,2})\.(\d{4})"), (2, 1)),
]
_NUMBER_TEXT = re.compile(r"[+-]?\d+([.,]\d+)?")


def _parse_month(value: object) -> str | None:
    if isinstance(value, (dt.datetime, dt.date)):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip()
    for pattern, (yi, mi) in _MONTH_TEXT:
        match = pattern.fullmatch(text)
        if match:
            year, month = int(match.group(yi)), int(match.group(mi))
            if 1 <= month <= 12 and 2000 <= year <= 2100:
                return f"{year:04d}-{month:02d}"
    return None


def _parse_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if _NUMBER_TEXT.fullmatch(text):
        return float(text.replace(",", "."))
    return None


def _formula_rows(path: Path, sheet_name: str) -> list[tuple[object, ...]]:
    """The sheet's cells as written (formulas as ``=…`` text), to tell a formula without a saved
    value from an empty cell; an empty list when the workbook cannot be read that way."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=False)
        try:
            return list(book[sheet_name].iter_rows(values_only=True))
        finally:
            book.close()
    except Exception:  # noqa: BLE001 - only a better message is lost
        return []


def _range_text(lo: float, hi: float) -> str:
    def num(v: float) -> str:
        return f"{v:g}"
    if not math.isnan(lo) and not math.isnan(hi):
        return f"{num(lo)}–{num(hi)}"
    if not math.isnan(hi):
        return f"≤ {num(hi)}"
    if not math.isnan(lo):
        return f"≥ {num(lo)}"
    return "any number"


def read_workbook(
    path: str | Path,
    *,
    area: config.Area | None = None,
    catalogue: pd.DataFrame | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Validate a filled KPI workbook and return its values (columns ``area`` … ``note``).

    Rules: the data sheet exists and has the five columns; every metric is an internal metric
    of the catalogue (id, Finnish or Swedish name); the month is a real month not after
    ``today``'s month; the municipality is a member of the area or the whole area ("Koko alue");
    the value is a number (text is refused) within the metric's range (percentages 0–100,
    satisfaction 1–5, counts whole and not negative); no (metric, month, municipality) twice;
    at least one data row. Every problem is collected and raised together as
    :class:`WorkbookError`, naming the sheet, the Excel row number and the column.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    area = area or config.get_area(config.default_area_slug())
    catalogue = load_catalogue() if catalogue is None else catalogue
    today = today or dt.date.today()
    this_month = f"{today.year:04d}-{today.month:02d}"
    if not path.exists():
        raise WorkbookError(path, [Problem("-", None, None, Text("file not found"))])
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise WorkbookError(path, [Problem("-", None, None, Text("not a readable .xlsx workbook ({reason})",
                                                                 reason=exc))]) from exc
    try:
        sheet_name = next((s for s in book.sheetnames if _norm(s) in (_norm(DATA_SHEET), "data", "uppgifter")),
                          None)
        if sheet_name is None:
            raise WorkbookError(path, [Problem(DATA_SHEET, None, None,
                                               Text("sheet not found; the workbook has {sheets}",
                                                    sheets=", ".join(book.sheetnames)))])
        rows = list(book[sheet_name].iter_rows(values_only=True))
    finally:
        book.close()
    formulas = _formula_rows(path, sheet_name)

    problems: list[Problem] = []
    if not rows or all(v is None or str(v).strip() == "" for v in rows[0]):
        raise WorkbookError(path, [Problem(sheet_name, 1, None, Text("the sheet is empty (no header row)"))])
    header = {}
    for idx, cell in enumerate(rows[0]):
        if cell is None:
            continue
        name = _norm(cell)
        name = HEADER_ALIASES.get(name, name)
        if name in HEADERS and name not in header:
            header[name] = idx
    missing = [h for h in HEADERS if h not in header]
    if missing:
        raise WorkbookError(path, [Problem(sheet_name, 1, None, Text("missing column(s) {missing}; the header row "
                                                                     "must be {header}", missing=", ".join(missing),
                                                                     header=", ".join(HEADERS)))])

    def col(name: str) -> str:
        return f"'{name}' ({get_column_letter(header[name] + 1)})"

    def formula_of(offset: int, name: str) -> str | None:
        row = formulas[offset + 1] if offset + 1 < len(formulas) else ()
        text = row[header[name]] if header[name] < len(row) else None
        return text if isinstance(text, str) and text.startswith("=") else None

    def empty_problem(offset: int, excel_row: int, name: str, message: Text) -> Problem:
        formula = formula_of(offset, name)
        if formula is not None:
            return Problem(sheet_name, excel_row, col(name),
                           Text("the cell holds the formula {formula} but no saved value; open the workbook in "
                                "Excel and save it (or type the value)", formula=formula[:40]))
        return Problem(sheet_name, excel_row, col(name), message)

    metrics = catalogue.set_index("metric_id")
    metric_of = _metric_lookup(catalogue)
    municipality_of = _municipality_lookup(area, load_municipalities())
    records: list[dict[str, object]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for offset, raw in enumerate(rows[1:]):
        excel_row = offset + 2
        cells = {h: (raw[i] if i < len(raw) else None) for h, i in header.items()}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        bad_before = len(problems)

        metric_id = None
        if cells["mittari"] is None or str(cells["mittari"]).strip() == "":
            problems.append(empty_problem(offset, excel_row, "mittari", Text("the metric is empty")))
        else:
            metric_id = metric_of.get(_norm(str(cells["mittari"]).rstrip(".")))
            if metric_id is None:
                problems.append(Problem(sheet_name, excel_row, col("mittari"),
                                        Text("unknown metric '{metric}'; use an id or name from sheet '{sheet}'",
                                             metric=cells["mittari"], sheet=METRICS_SHEET)))
            elif metrics.at[metric_id, "source"] != "internal":
                problems.append(Problem(sheet_name, excel_row, col("mittari"),
                                        Text("metric '{metric}' is computed from public data or the reviews; "
                                             "do not enter it in the workbook", metric=metric_id)))
                metric_id = None

        month = None
        if cells["kuukausi"] is None or str(cells["kuukausi"]).strip() == "":
            problems.append(empty_problem(offset, excel_row, "kuukausi", Text("the month is empty")))
        else:
            month = _parse_month(cells["kuukausi"])
            if month is None:
                problems.append(Problem(sheet_name, excel_row, col("kuukausi"),
                                        Text("'{value}' is not a month; write YYYY-MM, e.g. 2025-03",
                                             value=cells["kuukausi"])))
            elif month > this_month:
                problems.append(Problem(sheet_name, excel_row, col("kuukausi"),
                                        Text("{month} is a future month (today is {today})", month=month,
                                             today=today.isoformat())))
                month = None

        municipality = None
        if cells["kunta"] is None or str(cells["kunta"]).strip() == "":
            problems.append(empty_problem(offset, excel_row, "kunta",
                                          Text("the municipality is empty; write a municipality or 'Koko alue'")))
        else:
            municipality = municipality_of.get(_norm(cells["kunta"]))
            if municipality is None:
                problems.append(Problem(sheet_name, excel_row, col("kunta"),
                                        Text("unknown municipality '{municipality}'; use a name from sheet "
                                             "'{sheet}' or 'Koko alue'", municipality=cells["kunta"],
                                             sheet=MUNICIPALITIES_SHEET)))

        value = None
        if cells["arvo"] is None or str(cells["arvo"]).strip() == "":
            problems.append(empty_problem(offset, excel_row, "arvo",
                                          Text("the value is empty; leave the row out if the figure is not known")))
        else:
            value = _parse_number(cells["arvo"])
            if value is None:
                problems.append(Problem(sheet_name, excel_row, col("arvo"),
                                        Text("'{value}' is text, not a number", value=cells["arvo"])))
            elif metric_id is not None:
                info = metrics.loc[metric_id]
                lo, hi = float(info["min_value"]), float(info["max_value"])
                if math.isnan(hi):
                    hi = SENSIBLE_MAX.get(str(info["unit"]), math.nan)
                if not math.isfinite(value):
                    problems.append(Problem(sheet_name, excel_row, col("arvo"),
                                            Text("{value} is not a finite number", value=value)))
                elif (not math.isnan(lo) and value < lo) or (not math.isnan(hi) and value > hi):
                    what = {"pct": Text("a percentage"), "scale_1_5": Text("a satisfaction score")}.get(
                        info["unit"], Text("the value"))
                    problems.append(Problem(sheet_name, excel_row, col("arvo"),
                                            Text("{value:g} is outside the allowed range {range} for {what} of "
                                                 "'{metric}'", value=value, range=_range_text(lo, hi), what=what,
                                                 metric=metric_id)))
                elif info["unit"] == "count" and value % 1 != 0:
                    problems.append(Problem(sheet_name, excel_row, col("arvo"),
                                            Text("{value:g} is not a whole number; '{metric}' is a count",
                                                 value=value, metric=metric_id)))

        if len(problems) > bad_before or None in (metric_id, month, municipality, value):
            continue
        key = (metric_id, month, municipality)
        if key in seen:
            problems.append(Problem(sheet_name, excel_row, col("mittari"),
                                    Text("duplicate row: {metric}, {month}, {municipality} is already on row "
                                         "{first}", metric=metric_id, month=month, municipality=cells["kunta"],
                                         first=seen[key])))
            continue
        seen[key] = excel_row
        note = cells["huomautus"]
        records.append({"area": area.slug, "metric_id": metric_id, "month": month, "municipality": municipality,
                        "value": float(value), "note": "" if note is None else str(note).strip()})

    if problems:
        raise WorkbookError(path, problems)
    if not records:
        raise WorkbookError(path, [Problem(sheet_name, 2, None, Text("the workbook has no data rows"))])
    return pd.DataFrame.from_records(records, columns=list(VALUE_COLUMNS[:6]))


# --------------------------------------------------------------------------------------------
# Imports: one history file, replaced atomically


def _history_path(internal_dir: Path | None) -> Path:
    return Path(internal_dir or config.INTERNAL_DIR) / HISTORY_NAME


def load_history(internal_dir: Path | None = None) -> pd.DataFrame:
    """Every imported value with its import date and number (empty frame when nothing was imported)."""
    path = _history_path(internal_dir)
    if not path.exists():
        frame = pd.DataFrame({c: pd.Series(dtype="str") for c in VALUE_COLUMNS})
        frame["value"] = frame["value"].astype("float64")
        frame["import_seq"] = frame["import_seq"].astype("int64")
        return frame
    frame = pd.read_csv(path, dtype="str", keep_default_na=False, na_values={"value": [""]})
    require_columns(frame, VALUE_COLUMNS, path)
    require_pattern(frame, "month", MONTH_PATTERN, path, "a month YYYY-MM")
    frame["value"] = to_number(frame, "value", path)
    frame["import_seq"] = to_number(frame, "import_seq", path, minimum=1, integer=True).astype("int64")
    return frame[list(VALUE_COLUMNS)]


def current_values(history: pd.DataFrame) -> pd.DataFrame:
    """The latest imported value of each (area, metric, month, municipality); history stays in the file."""
    if history.empty:
        return history.copy()
    ordered = history.sort_values("import_seq", kind="stable")
    latest = ordered.drop_duplicates(["area", "metric_id", "month", "municipality"], keep="last")
    return latest.sort_values(["metric_id", "month", "municipality"]).reset_index(drop=True)


def load_internal(internal_dir: Path | None = None, area: str | None = None) -> pd.DataFrame | None:
    """Current imported values (optionally of one area), or None when nothing has been imported."""
    values = current_values(load_history(internal_dir))
    if area is not None:
        values = values[values["area"] == area]
    return None if values.empty else values.reset_index(drop=True)


@dataclass(frozen=True)
class ImportResult:
    """What one import added: rows, months, the archived copy and the import number."""

    rows: int
    first_month: str
    last_month: str
    replaced: int
    import_seq: int
    archived: Path


def import_workbook(
    path: str | Path,
    *,
    internal_dir: Path | None = None,
    area: config.Area | None = None,
    catalogue: pd.DataFrame | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Validate ``path`` and add its values to the import history in ``internal_dir``.

    Nothing is written unless the whole workbook is valid. The workbook is archived as
    ``kpi_imports/<timestamp>_<name>``; the history file is rewritten through a temporary
    file and ``os.replace``, so a failure leaves the previous history intact.
    """
    path = Path(path)
    values = read_workbook(path, area=area, catalogue=catalogue, today=today)
    folder = Path(internal_dir or config.INTERNAL_DIR)
    history = load_history(folder)
    now = now or dt.datetime.now().replace(microsecond=0)
    seq = int(history["import_seq"].max()) + 1 if not history.empty else 1
    stamp = now.strftime("%Y%m%dT%H%M%S")
    archive = folder / ARCHIVE_NAME / f"{stamp}_{seq:04d}_{path.name}"
    save_atomic(archive, lambda tmp: shutil.copyfile(path, tmp))

    added = values.assign(imported_at=now.isoformat(), import_seq=seq, source_file=path.name)
    keys = ["area", "metric_id", "month", "municipality"]
    before = current_values(history)
    replaced = len(before.merge(added[keys], on=keys)) if not before.empty else 0
    combined = pd.concat([history, added[list(VALUE_COLUMNS)]], ignore_index=True)
    write_atomic(_history_path(folder), combined.to_csv(index=False))
    return ImportResult(len(added), values["month"].min(), values["month"].max(), replaced, seq, archive)


# --------------------------------------------------------------------------------------------
# Template


def write_template(path: str | Path, *, texts: Mapping[str, str], area: config.Area | None = None,
                   catalogue: pd.DataFrame | None = None, lang: str = "fi",
                   rows: pd.DataFrame | None = None) -> Path:
    """Write a blank KPI workbook (or one holding ``rows``, values in the tidy form) to ``path``.

    Sheets: ``Tiedot`` (the five columns, drop-down lists for metric and municipality),
    ``Mittarit`` (the internal metrics with unit, frequency and allowed range), ``Kunnat`` and
    ``Ohjeet`` (how to fill it in). The file is written atomically.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    area = area or config.get_area(config.default_area_slug())
    catalogue = load_catalogue() if catalogue is None else catalogue
    internal = catalogue[catalogue["source"] == "internal"].reset_index(drop=True)
    municipalities = load_municipalities().set_index("municipality_code")
    members = [c for c in area.members if c in municipalities.index]
    name_col = "name_sv" if lang == "sv" else "name_fi"

    book = Workbook()
    data = book.active
    data.title = DATA_SHEET
    data.append(list(HEADERS))
    for cell in data[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (58, 12, 16, 12, 40)):
        data.column_dimensions[letter].width = width
    data.freeze_panes = "A2"

    sheet = book.create_sheet(METRICS_SHEET)
    sheet.append([texts.get(k, k) for k in ("col_id", "col_name_fi", "col_name_sv", "col_unit", "col_frequency",
                                              "col_range", "col_level")])
    for row in internal.itertuples(index=False):
        level = texts.get("level_municipal" if row.unit in ADDITIVE_UNITS else "level_area", "")
        sheet.append([row.metric_id, row.name_fi, row.name_sv, texts.get(f"unit_{row.unit}", row.unit),
                      texts.get(f"frequency_{row.frequency}", row.frequency),
                      _range_text(row.min_value, row.max_value), level])
    for letter, width in zip("ABCDEFG", (40, 62, 62, 14, 22, 12, 50)):
        sheet.column_dimensions[letter].width = width

    muni = book.create_sheet(MUNICIPALITIES_SHEET)
    muni.append([texts["col_municipality"], texts["col_code"], texts["col_name_sv"]])
    muni.append([texts["whole_area"], area.slug, texts["whole_area_sv"]])
    for code in members:
        muni.append([municipalities.at[code, "name_fi"], code, municipalities.at[code, "name_sv"]])

    help_sheet = book.create_sheet(HELP_SHEET)
    for key in sorted(k for k in texts if k.startswith("help_")):
        help_sheet.append([texts[key]])
    help_sheet.column_dimensions["A"].width = 120

    n_metrics, n_munis = len(internal) + 1, len(members) + 2
    pick_metric = DataValidation(type="list", formula1=f"={METRICS_SHEET}!$B$2:$B${n_metrics}", allow_blank=True)
    pick_muni = DataValidation(type="list", formula1=f"={MUNICIPALITIES_SHEET}!$A$2:$A${n_munis}",
                               allow_blank=True)
    pick_metric.add("A2:A5000")
    pick_muni.add("C2:C5000")
    data.add_data_validation(pick_metric)
    data.add_data_validation(pick_muni)

    if rows is not None and not rows.empty:
        names = catalogue.set_index("metric_id")[name_col]
        muni_names = {area.slug: texts.get("whole_area", "Koko alue"),
                      **{c: municipalities.at[c, "name_fi"] for c in members}}
        for rec in rows.itertuples(index=False):
            value = int(rec.value) if float(rec.value).is_integer() else float(rec.value)
            data.append([names[rec.metric_id], rec.month, muni_names[rec.municipality], value, rec.note or None])

    fixed = dt.datetime(2025, 1, 1)
    book.properties.created = fixed
    book.properties.modified = fixed
    book.properties.creator = "analysis"
    save_atomic(path, book.save)
    return path


# --------------------------------------------------------------------------------------------
# Example data (synthetic, fixed seed; always labelled "esimerkkiaineisto")

# Synthetic generator settings per internal metric: (level, spread, where). "muni": one row per
# municipality with the level split by SIZE_WEIGHTS; "area": one whole-area row; "kokkola": Kokkola only.
_EXAMPLE_SPEC: dict[str, tuple[float, float, str]] = {
    "employed_within_30_days_pct": (22.0, 4.0, "area"),
    "employer_contacts": (180.0, 25.0, "muni"),
    "skills_assessments": (60.0, 10.0, "muni"),
    "employed_within_3_months_after_training_pct": (38.0, 6.0, "area"),
    "employer_led_recruitment_trainings": (0.6, 0.0, "area"),
    "referred_to_multisectoral_services": (45.0, 8.0, "muni"),
    "work_ability_model_participants": (25.0, 5.0, "muni"),
    "initial_meeting_within_5_days_pct": (82.0, 6.0, "area"),
    "service_plan_update_rate_pct": (74.0, 7.0, "area"),
    "integration_training_groups": (0.3, 0.0, "area"),
    "booked_client_meetings": (950.0, 90.0, "muni"),
    "customer_satisfaction": (4.1, 0.2, "area"),
    "clients_per_expert": (118.0, 9.0, "area"),
    "tym_board_meetings": (0.8, 0.0, "area"),
    "youth_employed_by_companies": (30.0, 7.0, "muni"),
    "pay_subsidies_granted": (28.0, 6.0, "muni"),
    "start_up_grants_granted": (6.0, 2.0, "muni"),
    "budget_realisation_pct": (100.0, 3.0, "area"),
    "discretionary_support_eur": (42000.0, 6000.0, "kokkola"),
    "website_visitors": (5200.0, 700.0, "area"),
    "newsletter_open_rate_pct": (41.0, 5.0, "area"),
    "media_visibility": (9.0, 3.0, "area"),
}
EXAMPLE_TARGETS: dict[str, float] = {
    "employed_within_30_days_pct": 25.0, "employer_contacts": 200.0, "skills_assessments": 70.0,
    "employed_within_3_months_after_training_pct": 45.0, "employer_led_recruitment_trainings": 6.0,
    "referred_to_multisectoral_services": 50.0, "work_ability_model_participants": 25.0,
    "initial_meeting_within_5_days_pct": 90.0, "service_plan_update_rate_pct": 80.0,
    "integration_training_groups": 4.0, "booked_client_meetings": 1000.0, "customer_satisfaction": 4.0,
    "clients_per_expert": 110.0, "tym_board_meetings": 10.0, "youth_employed_by_companies": 30.0,
    "pay_subsidies_granted": 350.0, "start_up_grants_granted": 80.0, "discretionary_support_eur": 45000.0,
    "website_visitors": 6000.0, "newsletter_open_rate_pct": 40.0, "media_visibility": 10.0,
}
"""Example targets shown only with the example data (labelled "esimerkkitavoite"); real targets
are set in ``data/kpi/metrics.csv``. Budget realisation has none, to show a metric without a target."""
SIZE_WEIGHTS: dict[str, float] = {
    "KU272": 0.70, "KU217": 0.08, "KU236": 0.06, "KU074": 0.02,
    "KU421": 0.01, "KU584": 0.04, "KU849": 0.045, "KU924": 0.045,
}
"""Synthetic split of example counts over municipalities (rough relative sizes; example data only)."""


def example_values(area: config.Area | None = None, *, seed: int = EXAMPLE_SEED,
                   first: str = EXAMPLE_FIRST_MONTH, last: str = EXAMPLE_LAST_MONTH,
                   catalogue: pd.DataFrame | None = None) -> pd.DataFrame:
    """Synthetic values for every internal metric, month by month (fixed seed; NOT real data).

    Shaped like imported values (note ``esimerkkiaineisto``, import number 0). Counts are
    random Poisson draws around a level, shares and scores normal draws clipped to the
    metric's range. They exist only so the scorecard can be shown before a real workbook
    is imported, and every view of them says so.
    """
    area = area or config.get_area(config.default_area_slug())
    catalogue = load_catalogue() if catalogue is None else catalogue
    rng = np.random.default_rng(seed)
    months = [str(p) for p in pd.period_range(first, last, freq="M")]
    members = [c for c in area.members if c in SIZE_WEIGHTS]
    info = catalogue.set_index("metric_id")
    records: list[tuple[str, str, str, float]] = []
    for metric_id in catalogue.loc[catalogue["source"] == "internal", "metric_id"]:
        level, spread, where = _EXAMPLE_SPEC[metric_id]
        unit = info.at[metric_id, "unit"]
        lo, hi = info.at[metric_id, "min_value"], info.at[metric_id, "max_value"]
        for i, month in enumerate(months):
            season = 1.0 + 0.12 * math.sin(2 * math.pi * (int(month[5:]) - 3) / 12)
            trend = 1.0 + 0.004 * i
            if metric_id == "budget_realisation_pct":
                values = {area.slug: int(month[5:]) / 12 * rng.normal(level, spread)}
            elif where == "muni" and members:
                values = {c: float(rng.poisson(level * SIZE_WEIGHTS[c] * season * trend)) for c in members}
            elif where == "kokkola" and "KU272" in members:
                values = {"KU272": float(round(rng.normal(level, spread) * season, -2))}
            elif unit == "count":
                values = {area.slug: float(rng.poisson(max(level * season * trend, 0.0)))}
            else:
                values = {area.slug: float(rng.normal(level * (1 + 0.002 * i), spread))}
            for muni, value in values.items():
                if not math.isnan(lo):
                    value = max(value, lo)
                if not math.isnan(hi):
                    value = min(value, hi)
                decimals = 2 if unit == "scale_1_5" else (1 if unit in ("pct", "average") else 0)
                records.append((metric_id, month, muni, round(value, decimals)))
    frame = pd.DataFrame.from_records(records, columns=["metric_id", "month", "municipality", "value"])
    frame.insert(0, "area", area.slug)
    frame["note"] = EXAMPLE_NOTE
    frame["imported_at"] = ""
    frame["import_seq"] = 0
    frame["source_file"] = EXAMPLE_NOTE
    return frame[list(VALUE_COLUMNS)]


def write_example_workbook(path: str | Path, *, texts: Mapping[str, str], area: config.Area | None = None,
                           seed: int = EXAMPLE_SEED) -> Path:
    """Write the example values as a filled workbook (what a staff workbook looks like; synthetic)."""
    return write_template(path, texts=texts, area=area, rows=example_values(area, seed=seed))


# --------------------------------------------------------------------------------------------
# Reviews made (for "Työllisyyskatsausten toteutuminen osavuosikatsausten yhteydessä")


def load_review_index(path: Path) -> pd.DataFrame:
    """The reviews listed in ``outputs/index.json`` as a frame (area, period, lang, made_at, path; see
    :func:`analysis.sources.reviews_index.listed_reviews`): an absent file means no reviews yet (empty frame)."""
    from analysis.sources.reviews_index import REVIEW_FIELDS, listed_reviews

    return pd.DataFrame(listed_reviews(path), columns=list(REVIEW_FIELDS), dtype="str")


# --------------------------------------------------------------------------------------------
# Command line


def write_template_cli(file: str, texts: Mapping[str, str]) -> int:
    """``python -m analysis kpi-template FILE.xlsx``: write a blank workbook; exit code.

    ``texts`` are the workbook's instructions in the reader's language (``present.kpi.workbook_texts``).
    """
    path = Path(file)
    if path.suffix.lower() != ".xlsx":
        raise DataValidationError(file, "the template must be an .xlsx file")
    if path.exists():
        raise DataValidationError(file, "the file exists; choose another name (it is not overwritten)")
    try:
        write_template(path, texts=texts)
    except OSError as exc:
        raise DataValidationError(file, "cannot write the file ({reason})", reason=exc.strerror or exc) from None
    print(f"wrote {path}: fill sheet '{DATA_SHEET}' (one row per metric, month and municipality), then run "
          f"`python -m analysis kpi-import {path}`")
    return 0


def import_workbook_cli(file: str) -> int:
    """``python -m analysis kpi-import FILE.xlsx``: validate and import; exit code (2 = refused)."""
    try:
        result = import_workbook(file)
    except OSError as exc:  # bad workbooks raise WorkbookError / DataValidationError: the CLI prints them
        raise DataValidationError(file, "{reason}; nothing was imported", reason=exc.strerror or exc) from None
    print(f"imported {result.rows} value(s) for {result.first_month}–{result.last_month} "
          f"(import {result.import_seq}; {result.replaced} earlier value(s) superseded, history kept); "
          f"copy kept at {result.archived}")
    return 0
