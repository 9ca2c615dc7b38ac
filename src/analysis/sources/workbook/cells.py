"""One workbook cell read as a month, a year or a number, and text made safe for a CSV file.

Only real calendar dates ("2023-09-31" is refused) and the ASCII digits 0–9 are accepted: Python's
own ``int()`` and ``\\d`` also read Arabic-Indic and other digits, which staff cannot see are
different and which no other tool of the area reads the same way.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from analysis.errors import Text

MONTH_TEXT: tuple[tuple[re.Pattern[str], tuple[int, int, int | None]], ...] = (
    (re.compile(r"([0-9]{4})-([0-9]{1,2})(?:-([0-9]{1,2}))?", re.ASCII), (1, 2, 3)),
    (re.compile(r"([0-9]{1,2})[/.]([0-9]{4})", re.ASCII), (2, 1, None)),
    (re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})", re.ASCII), (3, 2, 1)),
)
"""Month texts staff write: ``2025-03`` or ``2025-03-01``; ``3/2025`` or ``3.2025``; ``1.3.2025``
(groups: year, month, day)."""
NUMBER_TEXT = re.compile(r"[+-]?[0-9]+([.,][0-9]+)?", re.ASCII)
YEARS: tuple[int, int] = (2000, 2100)
FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""A text starting with one of these runs as a formula when a CSV file is opened in Excel
(OWASP, "CSV Injection"); such text is stored with a leading apostrophe."""


def has_foreign_digits(value: object) -> bool:
    """True when the text holds a digit other than 0–9 (Arabic-Indic, full-width, …)."""
    return isinstance(value, str) and any(ch.isdigit() and not ch.isascii() for ch in value)


def parse_month(value: object) -> str | Text:
    """``YYYY-MM`` of a month cell (an Excel date or a text), else what is wrong with it."""
    if isinstance(value, (dt.datetime, dt.date)):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip()
    if has_foreign_digits(text):
        return Text("'{value}' has digits other than 0–9; type the digits 0–9", value=value)
    for pattern, (yi, mi, di) in MONTH_TEXT:
        match = pattern.fullmatch(text)
        if not match:
            continue
        year, month = int(match.group(yi)), int(match.group(mi))
        day = match.group(di) if di is not None else None
        if not (1 <= month <= 12 and YEARS[0] <= year <= YEARS[1]):
            break
        if day is not None and not _is_date(year, month, int(day)):
            return Text("'{value}' is not a date in the calendar", value=value)
        return f"{year:04d}-{month:02d}"
    return Text("'{value}' is not a month; write YYYY-MM, e.g. 2025-03", value=value)


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def parse_year(value: object) -> int | Text:
    """The year of a year cell (a whole number 2000–2100, or an Excel date), else what is wrong with it."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.year
    if has_foreign_digits(value):
        return Text("'{value}' has digits other than 0–9; type the digits 0–9", value=value)
    number = parse_number(value)
    if isinstance(number, float) and number.is_integer() and YEARS[0] <= number <= YEARS[1]:
        return int(number)
    return Text("'{value}' is not a year; write e.g. 2027", value=value)


def parse_number(value: object) -> float | Text:
    """The number in a value cell (a number, or a text such as ``87,5``), else what is wrong with it."""
    if isinstance(value, bool):
        return Text("'{value}' is text, not a number", value=value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return Text("{value} is not a finite number", value=value)
        return float(value)
    if has_foreign_digits(value):
        return Text("'{value}' has digits other than 0–9; type the digits 0–9", value=value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if NUMBER_TEXT.fullmatch(text):
        return float(text.replace(",", "."))
    return Text("'{value}' is text, not a number", value=value)


def csv_safe(text: object) -> str:
    """``text`` as stored in a CSV file: an apostrophe before a leading ``=``, ``+``, ``-``, ``@``,
    tab or carriage return, so that Excel shows it as text and never runs it as a formula."""
    out = "" if text is None else str(text)
    return f"'{out}" if out.startswith(FORMULA_START) else out


def range_text(lo: float, hi: float) -> str:
    """The allowed range of a metric as staff read it: ``0–100``, ``≥ 0``, ``≤ 5``."""
    def num(v: float) -> str:
        return f"{v:g}"
    if not math.isnan(lo) and not math.isnan(hi):
        return f"{num(lo)}–{num(hi)}"
    if not math.isnan(hi):
        return f"≤ {num(hi)}"
    if not math.isnan(lo):
        return f"≥ {num(lo)}"
    return "any number"


class LocalNumber(Text):
    """A number inside a message, written the reader's way: ``87,5`` in Finnish and Swedish, ``87.5`` in English."""

    __slots__ = ()

    def __init__(self, value: float):
        self.template = "{value:g}"
        self.params = {"value": float(value)}

    def message(self, lang: str = "en") -> str:
        text = f"{self.params['value']:g}"
        return text if lang == "en" else text.replace(".", ",")
