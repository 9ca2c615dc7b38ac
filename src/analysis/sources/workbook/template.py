"""The blank staff workbook (``python -m analysis kpi-template FILE.xlsx``).

Sheets, in order: ``Ohjeet – Anvisningar`` (how to fill it in, Finnish and Swedish side by side),
``Tiedot`` (the values; drop-down lists for metric, month and municipality; the unit beside each
metric), ``Tavoitteet`` (the targets), ``Mittarit`` (every metric with its unit, frequency and allowed
range; the internal ones first), ``Kunnat`` and ``Kuukaudet`` (the lists the drop-downs offer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.files import save_atomic
from analysis.sources.workbook.catalogue import ADDITIVE_UNITS, PLAN_START_YEAR, load_catalogue, load_municipalities
from analysis.sources.workbook.cells import range_text
from analysis.sources.workbook.read import (
    DATA_SHEET,
    HEADERS,
    METRICS_SHEET,
    MUNICIPALITIES_SHEET,
    TARGET_HEADERS,
    TARGETS_SHEET,
)

HELP_SHEET = "Ohjeet – Anvisningar"
MONTHS_SHEET = "Kuukaudet"
UNIT_HEADER = "yksikkö / enhet"
"""The column beside the metric that shows its unit (a formula; the importer does not read it)."""
FILLABLE_ROWS = 1000
"""Rows of the data and targets sheets prepared with the unit formula and the drop-down lists."""
FIRST_LISTED_MONTH = "2024-01"
TARGET_YEARS = range(PLAN_START_YEAR - 1, PLAN_START_YEAR + 4)
WIDTHS = {"data": (58, 12, 16, 12, 40, 16), "metrics": (40, 62, 62, 14, 22, 12, 50, 30)}


def _help_sheet(book, texts: Mapping[str, Mapping[str, str]]) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.active
    sheet.title = HELP_SHEET
    fi, sv = texts["fi"], texts["sv"]
    sheet.append([fi.get("help_title", "Ohjeet"), sv.get("help_title", "Anvisningar")])
    for cell in sheet[1]:
        cell.font = Font(bold=True, size=13)
    for key in sorted(k for k in fi if k.startswith("help_") and k != "help_title"):
        sheet.append([fi[key], sv.get(key, "")])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 80
    sheet.column_dimensions["B"].width = 80


def _long_sheet(book, title: str, headers: tuple[str, ...], first_blank: int) -> object:
    """A sheet in long format: header row, text-formatted period column, the unit formula beside each row."""
    from openpyxl.styles import Font

    sheet = book.create_sheet(title)
    sheet.append([*headers, UNIT_HEADER])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", WIDTHS["data"]):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    for row in range(first_blank, FILLABLE_ROWS + 2):
        sheet.cell(row, 2).number_format = "@"  # "2025-03" stays text, Excel does not turn it into a date
        sheet.cell(row, 6).value = f'=IFERROR(VLOOKUP(A{row},{METRICS_SHEET}!$B:$D,3,FALSE),"")'
    return sheet


def _drop_down(sheet, source: str, column: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    rule = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                          errorStyle="warning")
    rule.add(f"{column}2:{column}{FILLABLE_ROWS + 1}")
    sheet.add_data_validation(rule)


def _metrics_sheet(book, catalogue: pd.DataFrame, texts: Mapping[str, str]) -> tuple[int, int]:
    """Every metric (internal first) with its unit; returns the numbers of internal and all metrics."""
    sheet = book.create_sheet(METRICS_SHEET)
    sheet.append([texts.get(k, k) for k in ("col_id", "col_name_fi", "col_name_sv", "col_unit", "col_frequency",
                                              "col_range", "col_level", "col_source")])
    ordered = pd.concat([catalogue[catalogue["source"] == "internal"], catalogue[catalogue["source"] != "internal"]])
    for row in ordered.itertuples(index=False):
        level = texts.get("level_municipal" if row.unit in ADDITIVE_UNITS else "level_area", "")
        source = texts.get("source_workbook" if row.source == "internal" else "source_computed", row.source)
        sheet.append([row.metric_id, row.name_fi, row.name_sv, texts.get(f"unit_{row.unit}", row.unit),
                      texts.get(f"frequency_{row.frequency}", row.frequency),
                      range_text(row.min_value, row.max_value), level, source])
    for letter, width in zip("ABCDEFGH", WIDTHS["metrics"]):
        sheet.column_dimensions[letter].width = width
    return int((catalogue["source"] == "internal").sum()), len(catalogue)


def _lists(book, area: config.Area, texts: Mapping[str, str], today: dt.date) -> tuple[list[str], int]:
    """Sheets ``Kunnat`` and ``Kuukaudet``; returns the member codes listed and the number of months."""
    municipalities = load_municipalities().set_index("municipality_code")
    members = [c for c in area.members if c in municipalities.index]
    muni = book.create_sheet(MUNICIPALITIES_SHEET)
    muni.append([texts["col_municipality"], texts["col_code"], texts["col_name_sv"]])
    muni.append([texts["whole_area"], area.slug, texts["whole_area_sv"]])
    for code in members:
        muni.append([municipalities.at[code, "name_fi"], code, municipalities.at[code, "name_sv"]])
    months = [str(p) for p in pd.period_range(FIRST_LISTED_MONTH, f"{today.year + 1}-12", freq="M")]
    sheet = book.create_sheet(MONTHS_SHEET)
    sheet.append([texts.get("col_month", "kuukausi")])
    for month in months:
        sheet.append([month])
    return members, len(months)


def write_template(path: str | Path, *, texts: Mapping[str, Mapping[str, str]], area: config.Area | None = None,
                   catalogue: pd.DataFrame | None = None, rows: pd.DataFrame | None = None,
                   today: dt.date | None = None) -> Path:
    """Write a blank KPI workbook (or one holding ``rows``, values in the tidy form) to ``path``.

    ``texts`` are the workbook's labels and instructions by language (``{"fi": …, "sv": …}``,
    ``present.kpi.workbook_texts``); the instructions sheet comes first with both languages. The file
    is written atomically.
    """
    from openpyxl import Workbook

    path = Path(path)
    area = area or config.get_area(config.default_area_slug())
    catalogue = load_catalogue() if catalogue is None else catalogue
    labels = texts["fi"]
    book = Workbook()
    _help_sheet(book, texts)
    filled = 0 if rows is None else len(rows)
    data = _long_sheet(book, DATA_SHEET, HEADERS, filled + 2)
    targets = _long_sheet(book, TARGETS_SHEET, TARGET_HEADERS, 2)
    n_internal, n_all = _metrics_sheet(book, catalogue, labels)
    members, n_months = _lists(book, area, labels, today or dt.date.today())
    municipalities = f"={MUNICIPALITIES_SHEET}!$A$2:$A${len(members) + 2}"
    _drop_down(data, f"={METRICS_SHEET}!$B$2:$B${n_internal + 1}", "A")
    _drop_down(data, f"={MONTHS_SHEET}!$A$2:$A${n_months + 1}", "B")
    _drop_down(data, municipalities, "C")
    _drop_down(targets, f"={METRICS_SHEET}!$B$2:$B${n_all + 1}", "A")
    _drop_down(targets, f'"{",".join(str(y) for y in TARGET_YEARS)}"', "B")
    _drop_down(targets, municipalities, "C")
    if filled:
        _fill(data, rows, catalogue, area, labels)
    fixed = dt.datetime(2025, 1, 1)
    book.properties.created = fixed
    book.properties.modified = fixed
    book.properties.creator = "analysis"
    save_atomic(path, book.save)
    return path


def _fill(sheet, rows: pd.DataFrame, catalogue: pd.DataFrame, area: config.Area, labels: Mapping[str, str]) -> None:
    names = catalogue.set_index("metric_id")["name_fi"]
    municipalities = load_municipalities().set_index("municipality_code")["name_fi"]
    muni_names = {area.slug: labels.get("whole_area", "Koko alue"), **municipalities.to_dict()}
    for i, rec in enumerate(rows.itertuples(index=False), start=2):
        value = int(rec.value) if float(rec.value).is_integer() else float(rec.value)
        for col, cell in enumerate((names[rec.metric_id], rec.month, muni_names[rec.municipality], value,
                                    rec.note or None), start=1):
            sheet.cell(i, col).value = cell
        sheet.cell(i, 6).value = f'=IFERROR(VLOOKUP(A{i},{METRICS_SHEET}!$B:$D,3,FALSE),"")'
