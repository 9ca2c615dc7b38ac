"""Store operations: aggregate areas, write and read a store atomically, overlay fetched data."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.files import code_digest, pickle_cached
from analysis.schema import KEY_COLUMNS, Store, StoreError, tidy
from analysis.sources import embedded
from analysis.sources.catalog import NON_ADDITIVE


def aggregate_areas(obs: pd.DataFrame, members: tuple[str, ...] | list[str], area_code: str) -> pd.DataFrame:
    """Sum the counts of ``members`` into one area ``area_code``.

    Only additive measures (counts) are summed; rates are left out and must be recomputed
    from summed counts. A period in which any member's value is missing gives NaN (the sum
    of a partial area is never published as the area's figure).
    """
    members = list(members)
    part = obs[obs["area_code"].isin(members) & ~obs["measure"].isin(NON_ADDITIVE)]
    keys = [c for c in KEY_COLUMNS if c != "area_code"]
    grouped = part.groupby(keys, sort=True, dropna=False)["value"]
    summed = grouped.sum(min_count=1).to_frame("value")
    complete = grouped.count() == len(members)
    summed.loc[~complete, "value"] = float("nan")
    out = summed.reset_index()
    out["area_code"] = area_code
    return tidy(out)


def write_store(store: Store, folder: Path) -> None:
    """Write ``store`` to ``folder`` atomically: a failure leaves the previous store intact."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        store.observations.to_csv(tmp / "observations.csv.gz", index=False)
        store.provenance.to_csv(tmp / "provenance.csv", index=False)
        backup = folder.with_name(f".{folder.name}-old")
        if backup.exists():
            shutil.rmtree(backup)
        if folder.exists():
            os.replace(folder, backup)
        os.replace(tmp, folder)
        if backup.exists():
            shutil.rmtree(backup)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def read_store(folder: Path) -> Store:
    """Read a store written by :func:`write_store`."""
    folder = Path(folder)
    obs_file, prov_file = folder / "observations.csv.gz", folder / "provenance.csv"
    for f in (obs_file, prov_file):
        if not f.exists():
            raise StoreError(f"{f}: not found; run `python -m analysis fetch` first")
    obs = pd.read_csv(obs_file, dtype={c: "str" for c in KEY_COLUMNS}, keep_default_na=False,
                      na_values={"value": [""]})
    prov = pd.read_csv(prov_file, dtype="str", keep_default_na=False)
    return Store(tidy(obs), prov)


def merge_stores(base: Store, overlay: Store) -> Store:
    """``base`` with every table that ``overlay`` holds replaced by the overlay's version."""
    replaced = set(overlay.observations["table_id"]) | set(overlay.provenance["table_id"])
    obs = pd.concat(
        [base.observations[~base.observations["table_id"].isin(replaced)], overlay.observations],
        ignore_index=True,
    )
    prov = pd.concat(
        [base.provenance[~base.provenance["table_id"].isin(replaced)], overlay.provenance],
        ignore_index=True,
    )
    return Store(obs, prov)


def _content_key(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    digest.update(code_digest("sources", "schema.py").encode())  # the code that reads and checks them
    return digest.hexdigest()[:16]


def load_embedded_cached(raw_dir: Path = config.RAW_DIR, cache_dir: Path = config.CACHE_DIR) -> Store:
    """The embedded snapshot, validated once and then read from a pickle keyed on file contents."""
    key = _content_key([p for p in Path(raw_dir).glob("*.csv")])
    store, _hit = pickle_cached(Path(cache_dir) / f"embedded-store-{key}.pkl",
                                lambda: embedded.load_embedded(raw_dir))
    return store


def load_store(data_source: str = "embedded") -> Store:
    """The store for a run.

    ``"embedded"``: the real snapshot in ``data/raw``. ``"fetched"``: the embedded snapshot
    with every table fetched by ``python -m analysis fetch`` (``data/fetched``) replacing its
    embedded version. Any other value is read as the path of a store folder.
    """
    base = load_embedded_cached()
    if data_source == "embedded":
        return base
    folder = config.FETCHED_DIR if data_source == "fetched" else Path(data_source)
    return merge_stores(base, read_store(folder))
