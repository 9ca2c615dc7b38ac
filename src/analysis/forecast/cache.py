"""Disk cache for backtest and forecast results, keyed by the input data and the forecast code.

A result is stored under ``config.CACHE_DIR / "forecast" / <name>-<key>.pkl``; the key is a hash of
the input bytes and the source of every module that computes the result, so a change of data or
code gives a new key (a cache miss) and an old result is never reused by mistake.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import TypeVar

from analysis import config
from analysis.files import pickle_cached

T = TypeVar("T")


def cache_dir() -> Path:
    """Folder of the forecast cache."""
    return config.CACHE_DIR / "forecast"


def code_digest(modules: Iterable[ModuleType]) -> bytes:
    """Bytes of the source of ``modules`` (a change in any of them changes the key)."""
    return b"".join(Path(m.__file__).read_bytes() for m in modules if getattr(m, "__file__", None))


def make_key(*parts: bytes | str) -> str:
    """A short hex key from ``parts``."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()[:20]


def cached(name: str, key: str, compute: Callable[[], T], folder: Path | None = None) -> tuple[T, bool]:
    """The value stored for ``name``/``key``, or ``compute()`` stored for next time.

    Returns ``(value, hit)``; ``hit`` is True when the value came from the cache. A broken cache
    file is recomputed; a read-only folder only loses the speed-up.
    """
    folder = Path(folder) if folder is not None else cache_dir()
    return pickle_cached(folder / f"{name}-{key}.pkl", compute)
