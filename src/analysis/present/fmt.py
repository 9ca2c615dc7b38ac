"""Finnish and Swedish number formats through babel (fi_FI: "2 307", "7,6 %")."""

from __future__ import annotations

import functools
from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import NumberPattern, format_decimal, parse_pattern

from analysis.schema import is_missing  # also re-exported for the present modules

LOCALES: dict[str, str] = {"fi": "fi_FI", "sv": "sv_FI"}
MINUS = "\u2212"  # typographic minus, as in Finnish statistics publications
MISSING = "–"  # shown for a missing value (never 0)


def _locale(lang: str) -> str:
    try:
        return LOCALES[lang]
    except KeyError:
        raise ValueError(f"no number format for language '{lang}'; use one of {', '.join(LOCALES)}") from None


@functools.lru_cache(maxsize=32)
def _number_format(lang: str, decimals: int) -> tuple[Locale, NumberPattern]:
    """The locale and the parsed pattern of a number with ``decimals`` decimals, parsed once (a review
    formats some 4 000 numbers; babel parses both again at every call given their names)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return Locale.parse(_locale(lang)), parse_pattern(pattern)


def _format(value: float, decimals: int, lang: str) -> str:
    locale, pattern = _number_format(lang, decimals)
    return format_decimal(value, format=pattern, locale=locale).replace("-", MINUS)


def fmt_int(value: float | int | None, lang: str = "fi") -> str:
    """A whole number with the locale's grouping: ``2307 -> "2 307"``; missing -> "–"."""
    if is_missing(value):
        return MISSING
    return _format(round(float(value)), 0, lang)


def fmt_dec(value: float | int | None, decimals: int = 1, lang: str = "fi") -> str:
    """A decimal number with a fixed number of decimals: ``7.84 -> "7,8"``."""
    if is_missing(value):
        return MISSING
    return _format(float(value), decimals, lang)


def fmt_pct(value: float | int | None, decimals: int = 1, lang: str = "fi") -> str:
    """A value already in percent: ``7.84 -> "7,8 %"`` (no-break space before %)."""
    if is_missing(value):
        return MISSING
    return f"{fmt_dec(value, decimals, lang)}\u00a0%"


def fmt_signed(value: float | int | None, decimals: int = 0, lang: str = "fi", unit: str = "") -> str:
    """A change with its sign: ``+175``, ``−3,2 %``, ``±0``."""
    if is_missing(value):
        return MISSING
    number = float(value)
    body = fmt_dec(abs(number), decimals, lang) if decimals else fmt_int(abs(number), lang)
    if round(number, decimals) == 0:
        sign = "±"
    else:
        sign = "+" if number > 0 else MINUS
    return f"{sign}{body}{unit}"


def fmt_pct_change(value: float | int | None, decimals: int = 1, lang: str = "fi") -> str:
    """A change in percent with its sign: ``8.96 -> "+9,0 %"``, ``-30 -> "−30,0 %"``."""
    return fmt_signed(value, decimals, lang, "\u00a0%")


def fmt_pp(value: float | int | None, lang: str = "fi") -> str:
    """A change in percentage points: ``+0,3 %-yks.`` / ``+0,3 procentenheter``."""
    unit = "\u00a0%\u2011yks." if lang == "fi" else "\u00a0procentenheter"  # no break inside the unit
    return fmt_signed(value, 1, lang, unit)


def fmt_moment(moment: datetime | str, lang: str = "fi") -> str:
    """A moment in the reader's local time (Finland): "1.12.2026 klo 20.57" / "1.12.2026 kl. 20.57"; an ISO
    text is read first; a text that is no moment is shown "–"."""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return MISSING
    # an aware moment in Finnish time; a naive one (a workbook's import, stamped in the importer's local time) as it is
    local = moment.astimezone(ZoneInfo("Europe/Helsinki")) if moment.tzinfo else moment
    clock = "klo" if lang == "fi" else "kl."
    return f"{local.day}.{local.month}.{local.year} {clock} {local.hour}.{local.minute:02d}"

