"""``python -m analysis fetch``: load StatFin tables into the store folder ``data/fetched``.

Orchestration above the sources layer: the PxWeb client and the ``.px`` reader
(``analysis.sources``) produce tables; this module merges them over the previous fetched store and
writes it atomically, so a failed fetch leaves the previous data intact.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.schema import Store, StoreError
from analysis.sources.fetch import all_specs, fetch_api, load_px_files
from analysis.sources.px import PxFileError
from analysis.sources.pxweb import DEFAULT_BASE_URL, DEFAULT_DEADLINE, PxWebClient
from analysis.store.store import merge_stores, read_store, write_store


def save(new: Store, folder: Path) -> Store:
    """Merge ``new`` over the store in ``folder`` (if any) and write it atomically."""
    folder = Path(folder)
    merged = new
    if (folder / "observations.csv.gz").exists():
        try:
            merged = merge_stores(read_store(folder), new)
        except (StoreError, OSError, ValueError) as exc:
            print(f"warning: the previous store in {folder} could not be read ({exc}); writing the new "
                  "tables only", file=sys.stderr)
    write_store(merged, folder)
    return merged


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _summary(table_id: str, obs: pd.DataFrame, how: str) -> str:
    periods = sorted(obs["period"].unique())
    span = f"{periods[0]}–{periods[-1]}" if periods else "no periods"
    return (f"{table_id}: {len(obs)} rows, {obs['measure'].nunique()} measures, {obs['area_code'].nunique()} "
            f"areas, {span} ({how})")


def run_fetch(
    tables: Sequence[str] | None,
    base_url: str | None,
    refresh: bool,
    px_files: Sequence[str] | None,
    *,
    folder: Path | None = None,
    client: PxWebClient | None = None,
    timeout: float | None = DEFAULT_DEADLINE,
) -> int:
    """Run ``python -m analysis fetch``; returns the exit status (0 ok, 1 a table failed, 2 bad input).

    ``timeout`` is the overall limit in seconds for all API requests (``--timeout``); a progress line
    per table goes to stderr.
    """
    folder = Path(folder) if folder is not None else config.FETCHED_DIR
    if px_files:
        try:
            new = load_px_files(px_files)
        except PxFileError as exc:
            print(f"error: {exc}; the previous data is unchanged", file=sys.stderr)
            return 1
        save(new, folder)
        for table_id, part in new.observations.groupby("table_id"):
            print(_summary(str(table_id), part, "from .px file"))
        print(f"wrote {folder}")
        return 0

    specs = all_specs()
    if tables:
        known = {s.table_id: s for s in specs}
        unknown = [t for t in tables if t not in known]
        if unknown:
            print(f"error: unknown table(s) {', '.join(unknown)}; fetch knows {', '.join(known)}", file=sys.stderr)
            return 2
        specs = [known[t] for t in tables]
    if timeout is not None and timeout <= 0:
        print(f"error: --timeout must be a positive number of seconds, not {timeout:g}", file=sys.stderr)
        return 2
    client = client or PxWebClient(base_url or DEFAULT_BASE_URL, deadline=timeout, progress=_progress)
    results, failures = fetch_api(client, specs, refresh)
    if results:
        new = Store(
            pd.concat([r.observations for r in results], ignore_index=True),
            pd.concat([r.provenance for r in results], ignore_index=True),
        )
        save(new, folder)
        for r in results:
            how = "from cache, source unchanged" if r.from_cache else f"fetched with {r.posts} queries"
            print(_summary(r.table_id, r.observations, how))
            for note in r.notes:
                print(f"  note: {note}")
        print(f"wrote {folder}")
    for message in failures:
        print(f"error: {message}; previous data unchanged", file=sys.stderr)
    return 1 if failures else 0
