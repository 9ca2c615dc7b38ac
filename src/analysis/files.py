"""Safe file writing shared by every layer: atomic replacement (the results' cache is :mod:`analysis.cache`).

A file is written to a temporary file beside it and moved into place with ``os.replace``, so a
reader sees either the old or the new content, never half a file. Imports nothing of the package.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
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


def write_atomic(path: Path, data: str | bytes, mode: int | None = None) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; the folder is created if needed.

    The file gets ``mode``; by default the mode of the file it replaces, or that of a normally created
    file (0644 under the usual umask), never the private 0600 of the temporary file. A published file
    passes ``public_mode()``, so one run under ``umask 077`` does not keep it private for ever after.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
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
