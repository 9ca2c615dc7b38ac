"""Imports of the staff workbook: one history file for values and one for targets, replaced atomically.

Every imported row is kept with who imported it (the operating-system user), when, from which file and
what it replaced (the value or target in force before). The latest import wins for a (metric, month,
municipality) value and a (metric, year, municipality) target; earlier months and the history stay. A
bad workbook changes nothing. Text that could run as a formula when the CSV file is opened in Excel
(``=``, ``+``, ``-``, ``@`` first) is stored with a leading apostrophe (:func:`~.cells.csv_safe`).
"""

from __future__ import annotations

import datetime as dt
import getpass
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.files import save_atomic, write_atomic
from analysis.schema import MONTH_PATTERN
from analysis.sources.validation import require_columns, require_pattern, to_number
from analysis.sources.workbook.cells import csv_safe
from analysis.sources.workbook.read import TARGET_COLUMNS, VALUE_COLUMNS, Problem, read_contents

HISTORY_NAME = "kpi_history.csv"
"""All imported values with their import date, in ``config.INTERNAL_DIR``."""
TARGETS_HISTORY_NAME = "kpi_targets_history.csv"
"""All imported targets with their import date, in ``config.INTERNAL_DIR``."""
ARCHIVE_NAME = "kpi_imports"
"""Folder in ``config.INTERNAL_DIR`` with a copy of every imported workbook."""
AUDIT_COLUMNS: tuple[str, ...] = ("imported_by", "replaced")
"""Who imported a row (the OS user) and the value or target it replaced (empty: none); files written
before these columns existed are read with them empty."""
TARGET_HISTORY_COLUMNS: tuple[str, ...] = (*TARGET_COLUMNS, "imported_at", "import_seq", "source_file", *AUDIT_COLUMNS)
VALUE_KEYS = ["area", "metric_id", "month", "municipality"]
TARGET_KEYS = ["area", "metric_id", "year", "municipality"]


def _folder(internal_dir: Path | None) -> Path:
    return Path(internal_dir or config.INTERNAL_DIR)


def _read(path: Path, columns: tuple[str, ...], number: str) -> pd.DataFrame:
    if not path.exists():
        frame = pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
        frame[number] = frame[number].astype("float64")
        frame["import_seq"] = frame["import_seq"].astype("int64")
        return frame
    frame = pd.read_csv(path, dtype="str", keep_default_na=False, na_values={number: [""]})
    require_columns(frame, [c for c in columns if c not in AUDIT_COLUMNS], path)
    for col in AUDIT_COLUMNS:
        if col not in frame:
            frame[col] = ""
    frame[number] = to_number(frame, number, path)
    frame["import_seq"] = to_number(frame, "import_seq", path, minimum=1, integer=True).astype("int64")
    return frame[list(columns)]


def load_history(internal_dir: Path | None = None) -> pd.DataFrame:
    """Every imported value with its import date and number (empty frame when nothing was imported)."""
    path = _folder(internal_dir) / HISTORY_NAME
    frame = _read(path, (*VALUE_COLUMNS, *AUDIT_COLUMNS), "value")
    if not frame.empty:
        require_pattern(frame, "month", MONTH_PATTERN, path, "a month YYYY-MM")
    return frame


def load_target_history(internal_dir: Path | None = None) -> pd.DataFrame:
    """Every imported target with its import date and number (empty frame when none was imported)."""
    path = _folder(internal_dir) / TARGETS_HISTORY_NAME
    frame = _read(path, TARGET_HISTORY_COLUMNS, "target")
    if not frame.empty:
        require_pattern(frame, "year", r"[0-9]{4}", path, "a year YYYY")
    return frame


def _latest(history: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if history.empty:
        return history.copy()
    ordered = history.sort_values("import_seq", kind="stable")
    return ordered.drop_duplicates(keys, keep="last").sort_values(keys[1:]).reset_index(drop=True)


def current_values(history: pd.DataFrame) -> pd.DataFrame:
    """The latest imported value of each (area, metric, month, municipality); history stays in the file."""
    return _latest(history, VALUE_KEYS)


def current_targets(history: pd.DataFrame) -> pd.DataFrame:
    """The latest imported target of each (area, metric, year, municipality); ``year`` as int."""
    latest = _latest(history, TARGET_KEYS)
    return latest.assign(year=latest["year"].astype("int64"))


def load_internal(internal_dir: Path | None = None, area: str | None = None) -> pd.DataFrame | None:
    """Current imported values (optionally of one area), or None when nothing has been imported."""
    values = current_values(load_history(internal_dir))
    if area is not None:
        values = values[values["area"] == area]
    return None if values.empty else values[list(VALUE_COLUMNS)].reset_index(drop=True)


def load_targets(internal_dir: Path | None = None, area: str | None = None) -> pd.DataFrame:
    """Current imported targets (:data:`TARGET_COLUMNS`, optionally of one area); empty when none."""
    targets = current_targets(load_target_history(internal_dir))
    if area is not None:
        targets = targets[targets["area"] == area]
    return targets[list(TARGET_COLUMNS)].reset_index(drop=True)


@dataclass(frozen=True)
class ImportResult:
    """What one import added: rows (values), targets, months, the archived copy, the import number,
    and notices about what was not read (hidden sheets)."""

    rows: int
    first_month: str
    last_month: str
    replaced: int
    import_seq: int
    archived: Path
    targets: int = 0
    targets_replaced: int = 0
    notices: list[Problem] = field(default_factory=list)


def importing_user() -> str:
    """The operating-system user running the import (empty when the system cannot tell)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return ""


def _append(history: pd.DataFrame, added: pd.DataFrame, keys: list[str], number: str,
            columns: tuple[str, ...]) -> tuple[pd.DataFrame, int]:
    """The history with ``added`` appended, each new row noting the value it replaced; and how many it replaced."""
    before = _latest(history, keys)
    if not before.empty and not added.empty:
        key_types = {k: str for k in keys}
        old = before[[*keys, number]].astype(key_types).rename(columns={number: "_old"})
        added = added.astype(key_types).merge(old, on=keys, how="left")
    else:
        added = added.assign(_old=float("nan"))
    replaced = int(added["_old"].notna().sum())
    added["replaced"] = added["_old"].map(lambda v: "" if pd.isna(v) else f"{v:.15g}")
    combined = pd.concat([history, added[list(columns)]], ignore_index=True)
    return combined, replaced


def _safe_text(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    return frame.assign(**{c: frame[c].map(csv_safe) for c in columns if c in frame})


def import_workbook(
    path: str | Path,
    *,
    internal_dir: Path | None = None,
    area: config.Area | None = None,
    catalogue: pd.DataFrame | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    user: str | None = None,
) -> ImportResult:
    """Validate ``path`` and add its values and targets to the import histories in ``internal_dir``.

    Nothing is written unless the whole workbook is valid. The workbook is archived as
    ``kpi_imports/<timestamp>_<seq>_<name>``; each history file is rewritten through a temporary file
    and ``os.replace``, so a failure leaves the previous history intact.
    """
    path = Path(path)
    contents = read_contents(path, area=area, catalogue=catalogue, today=today)
    folder = _folder(internal_dir)
    history, target_history = load_history(folder), load_target_history(folder)
    now = now or dt.datetime.now().replace(microsecond=0)
    seqs = [int(h["import_seq"].max()) for h in (history, target_history) if not h.empty]
    seq = max(seqs, default=0) + 1
    archive = folder / ARCHIVE_NAME / f"{now.strftime('%Y%m%dT%H%M%S')}_{seq:04d}_{path.name}"
    stamp = {"imported_at": now.isoformat(), "import_seq": seq, "source_file": path.name,
             "imported_by": importing_user() if user is None else user}
    text_columns = ("note", "source_file", "imported_by")
    values = _safe_text(contents.values.assign(**stamp), text_columns)
    targets = _safe_text(contents.targets.assign(**stamp), text_columns)
    new_history, replaced = _append(history, values, VALUE_KEYS, "value", (*VALUE_COLUMNS, *AUDIT_COLUMNS))
    new_targets, targets_replaced = _append(target_history, targets, TARGET_KEYS, "target", TARGET_HISTORY_COLUMNS)
    save_atomic(archive, lambda tmp: shutil.copyfile(path, tmp))
    if not values.empty:
        write_atomic(folder / HISTORY_NAME, new_history.to_csv(index=False))
    if not targets.empty:
        write_atomic(folder / TARGETS_HISTORY_NAME, new_targets.to_csv(index=False))
    months = contents.values["month"]
    return ImportResult(len(values), months.min() if len(months) else "", months.max() if len(months) else "",
                        replaced, seq, archive, len(targets), targets_replaced, list(contents.notices))
