"""Validation at the door: checks that name the file, row and column of a bad value.

Row numbers are the line numbers a person sees when opening the CSV file in an
editor: the header is line 1, the first data row is line 2.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd


class DataValidationError(ValueError):
    """An input file that breaks a rule; the message names file, row and column."""

    def __init__(self, file: str | Path, message: str, row: int | None = None, column: str | None = None):
        self.file = str(file)
        self.row = row
        self.column = column
        where = [self.file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}")


def read_csv(path: str | Path, empty_is_missing: bool = True, what: str = "data rows") -> pd.DataFrame:
    """A CSV file read as text, every code kept as written (leading zeros, "NA" as a word).

    With ``empty_is_missing`` an empty cell is NaN (a missing value), else it stays ``""``.
    A file that does not exist or has no data rows raises :class:`DataValidationError`.
    """
    try:
        frame = pd.read_csv(path, dtype="str", keep_default_na=False,
                            na_values=[""] if empty_is_missing else None)
    except FileNotFoundError as exc:
        raise DataValidationError(path, "file not found") from exc
    if frame.empty:
        raise DataValidationError(path, f"the file has no {what}")
    return frame


def csv_row(index: int) -> int:
    """Editor line number of the data row at 0-based position ``index`` (header is line 1)."""
    return int(index) + 2


def _first_bad(mask: pd.Series) -> int | None:
    positions = mask.to_numpy().nonzero()[0]
    return int(positions[0]) if len(positions) else None


def require_columns(df: pd.DataFrame, columns: Iterable[str], file: str | Path) -> None:
    """Every column in ``columns`` is present."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataValidationError(
            file, f"missing column(s) {', '.join(missing)}; found {', '.join(map(str, df.columns))}",
            row=1, column=missing[0],
        )


def require_pattern(df: pd.DataFrame, column: str, pattern: str, file: str | Path, what: str) -> None:
    """Every value of ``column`` matches ``pattern`` (a full-match regular expression)."""
    regex = re.compile(pattern)
    values = df[column].astype("string")
    bad = values.isna() | ~values.fillna("").map(lambda v: bool(regex.fullmatch(v))).astype(bool)
    pos = _first_bad(bad)
    if pos is not None:
        raise DataValidationError(file, f"'{df[column].iloc[pos]}' is not {what}", csv_row(pos), column)


def require_known(df: pd.DataFrame, column: str, known: Iterable[str], file: str | Path, what: str) -> None:
    """Every value of ``column`` is one of ``known``."""
    allowed = set(known)
    bad = ~df[column].isin(allowed)
    pos = _first_bad(bad)
    if pos is not None:
        raise DataValidationError(file, f"unknown {what} '{df[column].iloc[pos]}'", csv_row(pos), column)


def to_number(
    df: pd.DataFrame,
    column: str,
    file: str | Path,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    integer: bool = False,
) -> pd.Series:
    """``column`` as float64 (empty cells stay NaN), checking type and range.

    Text in a number cell, a value outside ``[minimum, maximum]`` or a fraction where a
    count is expected raises with the file, row and column.
    """
    raw = df[column]
    values = pd.to_numeric(raw, errors="coerce").astype("float64")
    text = raw.astype("string").str.strip()
    bad_type = values.isna() & text.notna() & (text != "")
    pos = _first_bad(bad_type)
    if pos is not None:
        raise DataValidationError(file, f"'{raw.iloc[pos]}' is not a number", csv_row(pos), column)
    if integer:
        pos = _first_bad(values.notna() & (values % 1 != 0))
        if pos is not None:
            raise DataValidationError(file, f"{values.iloc[pos]} is not a whole number", csv_row(pos), column)
    if minimum is not None:
        pos = _first_bad(values < minimum)
        if pos is not None:
            raise DataValidationError(file, f"{values.iloc[pos]} is below {minimum}", csv_row(pos), column)
    if maximum is not None:
        pos = _first_bad(values > maximum)
        if pos is not None:
            raise DataValidationError(file, f"{values.iloc[pos]} is above {maximum}", csv_row(pos), column)
    return values


def require_unique(df: pd.DataFrame, keys: list[str], file: str | Path) -> None:
    """No two rows share the same ``keys``."""
    dup = df.duplicated(keys, keep="first")
    pos = _first_bad(dup)
    if pos is not None:
        first = df.loc[df[keys].eq(df[keys].iloc[pos]).all(axis=1)].index[0]
        raise DataValidationError(
            file,
            f"duplicate row for {', '.join(f'{k}={df[k].iloc[pos]}' for k in keys)} "
            f"(first seen on row {csv_row(df.index.get_loc(first))})",
            csv_row(pos), keys[0],
        )
