"""Safe file writing shared by every layer: atomic replacement and a pickle cache.

A file is written to a temporary file beside it and moved into place with ``os.replace``, so a
reader sees either the old or the new content, never half a file. Imports nothing of the package.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def current_umask() -> int:
    """The process's umask, read without changing it (Linux ``/proc``), else the usual 022."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def public_mode(directory: bool = False) -> int:
    """The mode a normally created file (0666) or folder (0777) gets under the umask: what a
    published file's neighbours have, not the private 0600/0700 of ``mkstemp``/``mkdtemp``."""
    return (0o777 if directory else 0o666) & ~current_umask()


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; the folder is created if needed.

    The file gets the mode of the file it replaces, or that of a normally created file (0644
    under the usual umask), never the private 0600 of the temporary file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = public_mode()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            os.fchmod(fh.fileno(), mode)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def save_atomic(path: Path, save: Callable[[str], object]) -> None:
    """Let ``save(temporary_path)`` write a file, then move it to ``path`` atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=path.suffix or ".tmp")
    os.close(fd)
    try:
        save(tmp)
        os.chmod(tmp, public_mode())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def pickle_cached(path: Path, compute: Callable[[], T]) -> tuple[T, bool]:
    """The value pickled at ``path``, or ``compute()`` pickled there for next time.

    Returns ``(value, hit)``. The caller puts a content key in the file name, so a stale value is
    never found. A broken cache file is recomputed; a read-only folder only loses the speed-up.
    """
    path = Path(path)
    if path.exists():
        try:
            with open(path, "rb") as fh:
                return pickle.load(fh), True
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass
    value = compute()
    try:
        write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass
    return value, False


PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=16)
def code_digest(*parts: str) -> str:
    """Hash of the package's source and text files under ``parts`` (sub-folders or files of the
    package; all of it by default): the code half of a cache key, so a changed rule, citation or
    text is never served stale from a cache."""
    digest = hashlib.sha256()
    roots = [PACKAGE_DIR / p for p in parts] if parts else [PACKAGE_DIR]
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            if path.suffix in (".py", ".yaml", ".j2", ".css", ".json") and "__pycache__" not in path.parts:  # templates are code
                digest.update(str(path.relative_to(PACKAGE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
