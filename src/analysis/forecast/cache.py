"""Disk cache for backtest and forecast results, keyed by the input data and the forecast code.

A result is stored under ``config.CACHE_DIR / "forecast" / <name>-<key>.pkl``; the key is a hash of
the input bytes and the source of the code that computes the result (``analysis.files.code_digest``),
so a change of data or code gives a new key (a cache miss) and an old result is never reused by mistake.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from analysis import config
from analysis.files import pickle_cached

T = TypeVar("T")


def cache_dir() -> Path:
    """Folder of the forecast cache."""
    return config.CACHE_DIR / "forecast"


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
