"""The one cache of computed results, keyed on everything a result depends on.

A result is stored as ``config.CACHE_DIR / <folder> / <name>-<key>.pkl``. Its key is a hash of

- the function (``name``) and its arguments (``parts``),
- the **content** of the data it reads (:func:`data_digest`: a hash of the files' bytes, not their
  size and modification time, so an edit that keeps both — ``cp -p``, ``rsync -t``, tar — is seen),
- the definition of the area where a result is an area's (the caller passes it as a part),
- the code (:func:`code_digest`: a hash of the package's source and text files).

Nothing is remembered between calls in a process: every look-up hashes the files again (a few tens of
milliseconds for the embedded data), so a rule or a data file edited while a JupyterLab kernel runs is
never served stale. Each entry carries a checksum of its bytes; an entry that cannot be read, whatever
the error (a truncated or bit-flipped file, a class that no longer exists, a file of another format),
is recomputed and written again. A cache folder that cannot be written only loses the speed-up.

Imports nothing of the package but :mod:`analysis.config` and :mod:`analysis.files`, so every layer may use it.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from analysis import config
from analysis.files import write_atomic

T = TypeVar("T")

PACKAGE_DIR = Path(__file__).resolve().parent
CODE_SUFFIXES = (".py", ".yaml", ".j2", ".css", ".json", ".csv")
"""The package files that shape a result: its code, texts, templates and reference tables."""
_MAGIC = b"analysis-cache-1\n"


def digest(*parts: object) -> str:
    """A short hex hash of ``parts`` (bytes as they are, anything else as its ``str``)."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else str(part).encode())
        hasher.update(b"\x00")
    return hasher.hexdigest()[:24]


def files_digest(paths: Iterable[Path], root: Path | None = None) -> str:
    """Hash of the names (relative to ``root``) and the **bytes** of the files in ``paths``."""
    hasher = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        if not path.is_file():
            continue
        name = path.relative_to(root) if root is not None and path.is_relative_to(root) else path.name
        hasher.update(str(name).encode() + b"\x00")
        hasher.update(path.read_bytes())
        hasher.update(b"\x00")
    return hasher.hexdigest()[:24]


def folder_files(*folders: Path) -> list[Path]:
    """Every file under ``folders`` (a missing folder holds none)."""
    return [p for folder in folders if Path(folder).exists() for p in Path(folder).rglob("*") if p.is_file()]


def code_digest(*parts: str) -> str:
    """Hash of the package's source and text files under ``parts`` (sub-folders or files of the package;
    all of it by default): the code half of a key. Computed anew at every call, never remembered."""
    roots = [PACKAGE_DIR / p for p in parts] if parts else [PACKAGE_DIR]
    files = [f for root in roots for f in ([root] if root.is_file() else root.rglob("*"))
             if f.suffix in CODE_SUFFIXES and "__pycache__" not in f.parts]
    return files_digest(files, PACKAGE_DIR)


def data_folders(data_source: str) -> list[Path]:
    """The folders whose files a result computed from ``data_source`` may read: the embedded data, the
    reference tables, the scorecard's definitions and imported values, and the fetched or given store."""
    folders = [config.RAW_DIR, config.DATA_DIR / "reference", config.DATA_DIR / "kpi", config.INTERNAL_DIR,
               config.AREAS_FILE]
    if data_source != "embedded":
        folders.append(config.FETCHED_DIR if data_source == "fetched" else Path(data_source))
    return folders


def data_digest(data_source: str) -> str:
    """Hash of the content of every file a result of ``data_source`` may read (:func:`data_folders`),
    the area definitions (``config/areas.yaml``) included."""
    paths = [p for folder in data_folders(data_source)
             for p in ([folder] if folder.is_file() else folder_files(folder))]
    return files_digest(paths, config.ROOT)


_FILE_MEMOS: list[Callable[[], None]] = []
"""The ``cache_clear`` of each in-process memo of a file the package reads (text catalogues, names):
cleared before a result is computed, so a computation reads those files as they are now (an edit of a
text in a running JupyterLab kernel reaches the next result computed, as its new code key asks)."""


def file_memo(function: Callable) -> Callable:
    """Register ``function`` (an ``lru_cache`` of a file's parsed content) to be cleared before every
    computation of :func:`cached`; returns it (use as a decorator below ``@lru_cache``)."""
    _FILE_MEMOS.append(function.cache_clear)
    return function


def _load(path: Path) -> object:
    blob = path.read_bytes()
    if not blob.startswith(_MAGIC):
        raise ValueError("not a cache entry")
    check, payload = blob[len(_MAGIC):len(_MAGIC) + 64], blob[len(_MAGIC) + 64:]
    if hashlib.sha256(payload).hexdigest().encode() != check:
        raise ValueError("checksum mismatch")
    return pickle.loads(payload)


def entry_path(folder: str, name: str, parts: Iterable[object], root: Path | None = None) -> Path:
    """Where :func:`cached` keeps the result ``name`` for ``parts`` (whether or not it is there yet)."""
    return Path(root if root is not None else config.CACHE_DIR) / folder / f"{name}-{digest(name, *parts)}.pkl"


def cached(folder: str, name: str, parts: Iterable[object], compute: Callable[[], T],
           root: Path | None = None) -> tuple[T, bool]:
    """The result ``name`` for ``parts`` (the arguments, the data digest, the area definition, the
    code digest: whatever the result depends on), or ``compute()`` stored for next time.

    Returns ``(value, hit)``. The file is ``<root or CACHE_DIR>/<folder>/<name>-<key>.pkl``; an entry
    that cannot be read for any reason is recomputed and replaced.
    """
    path = entry_path(folder, name, parts, root)
    if path.exists():
        try:
            return _load(path), True
        except Exception:  # noqa: BLE001 - any unreadable entry is recomputed, whatever the error
            pass
    for clear in _FILE_MEMOS:
        clear()
    value = compute()
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        write_atomic(path, _MAGIC + hashlib.sha256(payload).hexdigest().encode() + payload)
    except OSError:
        pass
    return value, False
