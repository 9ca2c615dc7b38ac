"""The review's figures, computed once per run and cached: the runner computes them before any
notebook runs, every notebook (and an analyst in JupyterLab) gets the same object with one call.

The cache is keyed on the data (the store's files) **and** the code that shapes the figures (every
source file of the package), so a changed rule or text never serves stale results.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields
from pathlib import Path

from analysis import config
from analysis.files import code_digest, pickle_cached
from analysis.present import kpi as kpi_present
from analysis.present.review_page import ReviewFacts, compute_facts
from analysis.store import load_scope
from analysis.store.scope import Scope


def data_digest(data_source: str) -> str:
    """Hash of the files behind ``data_source`` (size and modification time): the data half."""
    digest = hashlib.sha256()
    folders = [config.RAW_DIR, config.DATA_DIR / "reference", config.DATA_DIR / "kpi", config.INTERNAL_DIR]
    if data_source != "embedded":
        folders.append(config.FETCHED_DIR if data_source == "fetched" else Path(data_source))
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")) if Path(folder).exists() else []:
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def build_facts(scope: Scope, output_dir: str | Path = config.OUTPUTS_DIR, kpi_data: str = "imported") -> ReviewFacts:
    """The figures of one review (the scorecard counts the reviews published under ``output_dir``)."""
    card, _points, _internal = kpi_present.build(scope, kpi_data, output_dir=output_dir)
    return compute_facts(scope, card)


def load_facts(area: str, period: str, data_source: str = "embedded", output_dir: str | Path = config.OUTPUTS_DIR,
               kpi_data: str = "imported") -> ReviewFacts:
    """The review's figures for ``area`` and ``period``: from the cache when data and code are unchanged."""
    key = hashlib.sha256(
        f"{area}|{period}|{data_source}|{Path(output_dir).resolve()}|{kpi_data}|{data_digest(data_source)}|{code_digest()}".encode()
    ).hexdigest()[:20]

    scope = load_scope(area, period, data_source)

    def compute() -> dict:  # the figures only: the scope (a view of the store) is rebuilt, not pickled
        facts = build_facts(scope, output_dir, kpi_data)
        return {f.name: getattr(facts, f.name) for f in fields(facts) if f.name != "scope"}

    figures, _hit = pickle_cached(config.CACHE_DIR / "facts" / f"{key}.pkl", compute)
    return ReviewFacts(scope=scope, **figures)
