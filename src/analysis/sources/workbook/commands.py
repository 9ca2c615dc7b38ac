"""The commands ``python -m analysis kpi-template FILE.xlsx`` and ``kpi-import FILE.xlsx``.

Their messages are :class:`~analysis.errors.Text` templates rendered in the user's language (the
translations are in ``present/strings/<lang>/errors.yaml``, like every error's).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from analysis.errors import DataValidationError, Text
from analysis.sources.workbook.history import import_workbook
from analysis.sources.workbook.read import DATA_SHEET, TARGETS_SHEET
from analysis.sources.workbook.template import write_template


def write_template_cli(file: str, texts: Mapping[str, Mapping[str, str]], lang: str = "fi") -> int:
    """``python -m analysis kpi-template FILE.xlsx``: write a blank workbook; exit code.

    ``texts`` are the workbook's labels and instructions by language (``present.kpi.workbook_texts``);
    ``lang`` is the language of the message printed.
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
    print(Text("wrote {path}: fill sheet '{data}' (one row per metric, month and municipality) and the targets in "
               "sheet '{targets}', then run `python -m analysis kpi-import {path}`", path=path, data=DATA_SHEET,
               targets=TARGETS_SHEET).message(lang))
    return 0


def import_workbook_cli(file: str, lang: str = "fi") -> int:
    """``python -m analysis kpi-import FILE.xlsx``: validate and import; exit code (2 = refused).

    What was not read (a hidden sheet) is printed after the summary."""
    try:
        result = import_workbook(file)
    except OSError as exc:  # bad workbooks raise WorkbookError / DataValidationError: the CLI prints them
        raise DataValidationError(file, "{reason}; nothing was imported", reason=exc.strerror or exc) from None
    if result.rows:
        print(Text("imported {rows} value(s) for {first}–{last} (import {seq}; {replaced} earlier value(s) "
                   "superseded, history kept)", rows=result.rows, first=result.first_month, last=result.last_month,
                   seq=result.import_seq, replaced=result.replaced).message(lang))
    if result.targets:
        print(Text("imported {count} target(s) (import {seq}; {replaced} earlier target(s) superseded, history kept)",
                   count=result.targets, seq=result.import_seq, replaced=result.targets_replaced).message(lang))
    print(Text("copy kept at {path}", path=result.archived).message(lang))
    for notice in result.notices:
        print(f"{file}, {notice.text(lang)}")
    return 0
