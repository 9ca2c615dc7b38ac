"""Validation at the door: checks that name the file, row and column of a bad value.

This is the one validation module of every source: the embedded CSV files (through
:func:`read_csv`, which every loader calls), tables fetched from the PxWeb API and ``.px``
files (through :func:`check_observations`, called when a ``.px`` file is read and before any
table is stored), and the KPI workbook (:func:`check_finite_in_range`).

Row numbers are the line numbers a person sees when opening the CSV file in an
editor: the header is line 1, the first data row is line 2.

Plausibility rules (the same for every source):

- every row of a CSV file has the header's number of fields; the file is UTF-8, not empty
  and ends with a line break (a file cut in the middle of a row is refused);
- values are finite; persons (counts) are whole numbers and not negative; rates (``*_pct``)
  are within 0–100; durations (``*_days``) are not negative;
- unemployed jobseekers never exceed the labour force of the same area and month (this also
  catches swapped column headers);
- a month-to-month jump far outside the series' own history is a *warning*
  (:func:`jump_warnings`), not an error: real series have breaks (the 2025 TE reform, area
  changes), so a person decides; ``fetch`` prints the warnings.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataValidationError, Text
from analysis.schema import AREA_CODE_PATTERN, MONTH_PATTERN, YEAR_PATTERN

UNEMPLOYED = "unemployed_jobseekers"
LABOUR_FORCE = "labour_force"
JUMP_FACTOR = 12.0
"""A month-to-month change more than this many times the series' typical (median absolute)
change, and more than :data:`JUMP_MIN_SHARE` of the level, is flagged."""
JUMP_MIN_SHARE = 0.5
JUMP_MIN_HISTORY = 12
JUMP_MIN_CHANGE = 50
"""Changes smaller than this many persons are never flagged (small series are noisy)."""


DATA_ROWS = Text("data rows")
"""What a CSV file holds by default, in "the file has no data rows" (see :func:`read_csv`)."""


def read_text(path: str | Path) -> str:
    """The UTF-8 text of ``path`` (a BOM is dropped; a ``.gz`` file is decompressed); a missing,
    unreadable, empty, broken gzip or non-UTF-8 file raises :class:`DataValidationError` naming the
    file (and the row of a bad byte)."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise DataValidationError(path, "file not found") from exc
    except OSError as exc:
        raise DataValidationError(path, "cannot read the file ({reason})", reason=exc.strerror or exc) from exc
    if Path(path).suffix == ".gz":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise DataValidationError(path, "the file is not a complete gzip file ({reason})", reason=exc) from None
    if not raw.strip():
        raise DataValidationError(path, "the file is empty")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw[:exc.start].count(b"\n") + 1
        byte = raw[exc.start:exc.start + 1].hex().upper()
        raise DataValidationError(path, "byte 0x{byte} is not UTF-8; save the file as UTF-8", row=row,
                                  byte=byte) from None


def check_field_counts(text: str, path: str | Path) -> None:
    """Every row has as many fields as the header, and the last row ends with a line break."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise DataValidationError(path, "cannot read the header ({reason})", row=1, reason=exc) from None
    expected = len(header)
    try:  # the usual case, every row as wide as the header (or blank), found in one pass at C speed
        fine = set(map(len, reader)) <= {expected, 0}
    except csv.Error:
        fine = False
    if not fine:  # read again, row by row, to name the first bad row
        reader = csv.reader(io.StringIO(text))
        next(reader)
        _first_bad_row(reader, header, path)
    if not text.endswith(("\n", "\r")):
        reader = csv.reader(io.StringIO(text))
        for _record in reader:
            pass
        raise DataValidationError(path, "the file ends in the middle of a row (no line break after the last "
                                  "row); it may be truncated", row=reader.line_num)


def _first_bad_row(reader, header: list[str], path: str | Path) -> None:
    """Raise the error of the first row of ``reader`` whose field count differs from the header's."""
    expected = len(header)
    line = reader.line_num
    try:
        for record in reader:
            start = line + 1
            line = reader.line_num
            if not record:
                continue  # a blank line
            if len(record) != expected:
                fewer = len(record) < expected
                if fewer:
                    raise DataValidationError(
                        path, "the row has {fields} field(s), the header has {expected} (a field is missing, or "
                        "the file is cut here)", row=start, column=header[len(record) - 1],
                        fields=len(record), expected=expected)
                raise DataValidationError(path, "the row has {fields} field(s), the header has {expected} (an extra "
                                          "field)", row=start, fields=len(record), expected=expected)
    except csv.Error as exc:
        raise DataValidationError(path, "the row cannot be read as CSV ({reason})", row=line + 1,
                                  reason=exc) from None


def read_csv(path: str | Path, empty_is_missing: bool = True, what: str | Text = DATA_ROWS) -> pd.DataFrame:
    """A CSV file read as text, every code kept as written (leading zeros, "NA" as a word).

    With ``empty_is_missing`` an empty cell is NaN (a missing value), else it stays ``""``.
    A file that does not exist, is empty, is not UTF-8, has a row with the wrong number of
    fields or no data rows raises :class:`DataValidationError`; so does a row whose unemployed
    jobseekers exceed its labour force (:func:`check_wide_plausible`).
    """
    text = read_text(path)
    check_field_counts(text, path)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype="str", keep_default_na=False,
                            na_values=[""] if empty_is_missing else None)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataValidationError(path, "cannot be read as CSV ({reason})", reason=exc) from None
    if frame.empty:
        raise DataValidationError(path, "the file has no {what}", what=Text.of(what))
    check_wide_plausible(frame, path)
    return frame


def check_wide_plausible(frame: pd.DataFrame, path: str | Path) -> None:
    """Cross-column rules of a wide CSV: unemployed jobseekers never exceed the labour force."""
    if UNEMPLOYED in frame.columns and LABOUR_FORCE in frame.columns:
        unemployed = pd.to_numeric(frame[UNEMPLOYED], errors="coerce")
        labour = pd.to_numeric(frame[LABOUR_FORCE], errors="coerce")
        pos = _first_bad(unemployed > labour)
        if pos is not None:
            raise DataValidationError(
                path, "{unemployed:g} unemployed jobseekers exceed the labour force {labour:g} (are the columns "
                "swapped?)", row=csv_row(pos), column=UNEMPLOYED, unemployed=unemployed.iloc[pos],
                labour=labour.iloc[pos])


def measure_kind(measure: str) -> str:
    """``"rate"`` (``*_pct*``, 0–100), ``"duration"`` (``*_days``, an average ``*_mean``: ≥ 0) or
    ``"count"`` (persons or vacancies: whole, ≥ 0)."""
    if "_pct" in measure:
        return "rate"
    if measure.endswith(("_days", "_mean")):
        return "duration"
    return "count"


def per_value(values: pd.Series, rule: Callable[[str], object], missing: object = None) -> np.ndarray:
    """``rule`` applied once to each distinct value of ``values`` and spread to every row (``missing``
    where a value is missing): a store's text columns hold few distinct values in many rows."""
    codes, distinct = pd.factorize(values)
    results = np.array([rule(v) for v in distinct] + [missing], dtype=object)
    return results[codes]  # code -1 (missing) takes the last entry


def _not_matching(values: pd.Series, pattern: str) -> pd.Series:
    """True where a value is missing or does not fully match ``pattern`` (tried once per distinct value)."""
    matches = re.compile(pattern).fullmatch
    return pd.Series(~per_value(values.astype("string"), lambda v: bool(matches(v)), False).astype(bool))


def _cell(row: pd.Series) -> Text:
    parts = [""]
    for col in ("occupation_code", "language", "age_group", "sex"):
        if col in row.index and row[col] not in ("SSS", "total"):
            parts.append(f"{col} {row[col]}")
    return Text("period {period}, area {area}{breakdowns}", period=row["period"], area=row["area_code"],
                breakdowns=", ".join(parts) if len(parts) > 1 else "")


def check_observations(obs: pd.DataFrame, source: str | Path | Text) -> None:
    """Plausibility of tidy observations from any source (fetched table, ``.px`` file, store).

    Values are finite; counts whole and not negative; rates 0–100; durations not negative;
    unemployed jobseekers never exceed the labour force. The error names the source (file or
    URL), the measure and the cell (period, area, breakdowns).
    """
    if obs.empty:
        return
    for column, pattern, what in (("period", f"{MONTH_PATTERN}|{YEAR_PATTERN}", Text("a period YYYY-MM or YYYY")),
                                  ("area_code", AREA_CODE_PATTERN, Text("a StatFin area code"))):
        pos = _first_bad(_not_matching(obs[column], pattern))
        if pos is not None:
            row = obs.iloc[pos]
            raise DataValidationError(source, "table {table}: {column} {value!r} is not {what}",
                                      table=row["table_id"], column=column, value=row[column], what=what)
    values = obs["value"].astype("float64")
    kinds = pd.Series(per_value(obs["measure"], measure_kind), index=obs.index)
    checks = [
        (np.isinf(values), Text("is not a finite number")),
        ((kinds == "count") & (values < 0), Text("is negative; a count of persons is never below 0")),
        ((kinds == "count") & values.notna() & ~np.isinf(values) & (values % 1 != 0),
         Text("is not a whole number; a count of persons is whole")),
        ((kinds == "rate") & ((values < 0) | (values > 100)), Text("is outside 0–100 for a rate (%)")),
        ((kinds == "duration") & (values < 0), Text("is negative; a duration or an average count is never below 0")),
    ]
    for mask, message in checks:
        pos = _first_bad(mask.fillna(False))
        if pos is not None:
            row = obs.iloc[pos]
            raise DataValidationError(
                source, "table {table}, {cell}, {measure}: {value:g} {problem}", table=row["table_id"],
                cell=_cell(row), measure=row["measure"], value=row["value"], problem=message)
    keys = [c for c in obs.columns if c not in ("measure", "value")]
    pair = obs[obs["measure"].isin([UNEMPLOYED, LABOUR_FORCE])]
    if pair["measure"].nunique() == 2:
        wide = pair.dropna(subset=["value"]).pivot_table(index=keys, columns="measure", values="value",
                                                          aggfunc="first")
        if UNEMPLOYED not in wide.columns or LABOUR_FORCE not in wide.columns:
            return
        over = wide[wide[UNEMPLOYED] > wide[LABOUR_FORCE]]
        if len(over):
            row = pd.Series(dict(zip(keys, over.index[0])))
            raise DataValidationError(
                source, "table {table}, {cell}: {unemployed:g} unemployed jobseekers exceed the labour force "
                "{labour:g} (are two measures swapped?)", table=row["table_id"], cell=_cell(row),
                unemployed=over[UNEMPLOYED].iloc[0], labour=over[LABOUR_FORCE].iloc[0])


def jump_warnings(obs: pd.DataFrame, source: str | Path, limit: int = 5) -> list[str]:
    """Month-to-month jumps far outside each monthly series of persons' own history (a warning each).

    A change is flagged when it is more than :data:`JUMP_FACTOR` times the series' median
    absolute monthly change and more than :data:`JUMP_MIN_SHARE` of the previous level, in a
    series with at least :data:`JUMP_MIN_HISTORY` months. Warnings, not errors: see the module
    docstring.
    """
    monthly = obs[obs["period"].str.fullmatch(r"\d{4}-\d{2}") & (per_value(obs["measure"], measure_kind) == "count")
                  & ~obs["measure"].str.contains("vacanc")]  # vacancies are volatile by nature
    if monthly.empty:
        return []
    keys = [c for c in monthly.columns if c not in ("period", "value")]
    found: list[str] = []
    for _key, series in monthly.sort_values("period").groupby(keys, sort=False):
        values = series["value"].to_numpy(dtype="float64")
        if np.isfinite(values).sum() < JUMP_MIN_HISTORY:
            continue
        diffs = np.abs(np.diff(values))
        typical = np.nanmedian(diffs) if np.isfinite(diffs).any() else math.nan
        if not typical or math.isnan(typical):
            continue
        prev = np.abs(values[:-1])
        flag = (diffs > JUMP_FACTOR * typical) & (diffs > JUMP_MIN_SHARE * prev) & (diffs >= JUMP_MIN_CHANGE)
        for i in np.flatnonzero(flag):
            row = series.iloc[i + 1]
            found.append(f"{source}: table {row['table_id']}, {_cell(row)}, {row['measure']}: "
                         f"{values[i]:g} -> {values[i + 1]:g} is far outside the series' usual monthly change "
                         f"({typical:g}); check the source")
            if len(found) >= limit:
                return found
    return found


def check_finite_in_range(value: float, lo: float | None = None, hi: float | None = None) -> str | None:
    """Why ``value`` is refused (not finite, below ``lo`` or above ``hi``), or None when it is fine."""
    if not math.isfinite(value):
        return f"{value} is not a finite number"
    if lo is not None and not math.isnan(lo) and value < lo:
        return f"{value:g} is below {lo:g}"
    if hi is not None and not math.isnan(hi) and value > hi:
        return f"{value:g} is above {hi:g}"
    return None


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
            file, "missing column(s) {missing}; found {found}", row=1, column=missing[0],
            missing=", ".join(missing), found=", ".join(map(str, df.columns)),
        )


def require_pattern(df: pd.DataFrame, column: str, pattern: str, file: str | Path, what: str) -> None:
    """Every value of ``column`` matches ``pattern`` (a full-match regular expression)."""
    pos = _first_bad(_not_matching(df[column], pattern))
    if pos is not None:
        raise DataValidationError(file, "'{value}' is not {what}", row=csv_row(pos), column=column,
                                  value=df[column].iloc[pos], what=Text.of(what))


def require_known(df: pd.DataFrame, column: str, known: Iterable[str], file: str | Path, what: str) -> None:
    """Every value of ``column`` is one of ``known``."""
    allowed = set(known)
    bad = ~df[column].isin(allowed)
    pos = _first_bad(bad)
    if pos is not None:
        raise DataValidationError(file, "unknown {what} '{value}'", row=csv_row(pos), column=column,
                                  what=Text.of(what), value=df[column].iloc[pos])


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
        raise DataValidationError(file, "'{value}' is not a number", row=csv_row(pos), column=column,
                                  value=raw.iloc[pos])
    pos = _first_bad(np.isinf(values))
    if pos is not None:
        raise DataValidationError(file, "'{value}' is not a finite number", row=csv_row(pos), column=column,
                                  value=raw.iloc[pos])
    if integer:
        pos = _first_bad(values.notna() & (values % 1 != 0))
        if pos is not None:
            raise DataValidationError(file, "{value} is not a whole number", row=csv_row(pos), column=column,
                                      value=values.iloc[pos])
    if minimum is not None:
        pos = _first_bad(values < minimum)
        if pos is not None:
            raise DataValidationError(file, "{value} is below {minimum}", row=csv_row(pos), column=column,
                                      value=values.iloc[pos], minimum=minimum)
    if maximum is not None:
        pos = _first_bad(values > maximum)
        if pos is not None:
            raise DataValidationError(file, "{value} is above {maximum}", row=csv_row(pos), column=column,
                                      value=values.iloc[pos], maximum=maximum)
    return values


def require_unique(df: pd.DataFrame, keys: list[str], file: str | Path) -> None:
    """No two rows share the same ``keys``."""
    dup = df.duplicated(keys, keep="first")
    pos = _first_bad(dup)
    if pos is not None:
        first = df.loc[df[keys].eq(df[keys].iloc[pos]).all(axis=1)].index[0]
        raise DataValidationError(
            file, "duplicate row for {key} (first seen on row {first})", row=csv_row(pos), column=keys[0],
            key=", ".join(f"{k}={df[k].iloc[pos]}" for k in keys), first=csv_row(df.index.get_loc(first)),
        )
