"""Store operations: aggregate areas, write and read a store atomically, overlay fetched data."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from analysis import cache, config
from analysis.files import public_mode
from analysis.schema import KEY_COLUMNS, Store, StoreError, tidy
from analysis.sources import embedded, validation
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
    tmp.chmod(public_mode(directory=True))  # mkdtemp makes it private (0700); the store is shared data
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
            raise StoreError("{path}: not found; run `python -m analysis fetch` first", path=f)
    obs = pd.read_csv(obs_file, dtype={c: "str" for c in KEY_COLUMNS}, keep_default_na=False,
                      na_values={"value": [""]})
    prov = pd.read_csv(prov_file, dtype="str", keep_default_na=False)
    obs = tidy(obs)
    validation.check_observations(obs, obs_file)  # a store folder edited by hand passes the same door
    return Store(obs, prov)


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


def merge_rows(base: Store, new: Store, table_id: str) -> tuple[Store, str]:
    """``base`` with table ``table_id`` merged row by row with ``new``'s rows of that table.

    A row of ``new`` replaces the stored row with the same key; stored rows that ``new`` does not
    hold are kept, so loading a file of one area never shrinks a table of 30. When ``new`` covers
    only part of the stored table, the stored provenance is kept and names the partial load.
    Returns the merged store and a note saying what was kept ("" when the table was replaced).
    """
    keys = list(KEY_COLUMNS)
    old_obs = base.observations[base.observations["table_id"] == table_id]
    new_obs = new.observations[new.observations["table_id"] == table_id]
    new_prov = new.provenance[new.provenance["table_id"] == table_id]
    kept = old_obs[~old_obs.set_index(keys).index.isin(new_obs.set_index(keys).index)]
    rest_obs = base.observations[base.observations["table_id"] != table_id]
    obs = pd.concat([rest_obs, kept, new_obs], ignore_index=True)
    note = ""
    prov_row = new_prov
    if len(kept):
        areas = sorted(set(kept["area_code"]) - set(new_obs["area_code"]))
        periods = sorted(set(kept["period"]) - set(new_obs["period"]))
        parts = []
        if areas:
            parts.append(f"{len(areas)} area(s) not in the new data")
        if periods:
            parts.append(f"{len(periods)} period(s) not in the new data ({periods[0]}–{periods[-1]})")
        note = (f"table {table_id}: kept {len(kept)} stored row(s) the new data does not have"
                + (f" ({'; '.join(parts)})" if parts else ""))
        old_prov = base.provenance[base.provenance["table_id"] == table_id]
        if areas and len(old_prov) and len(new_prov):
            prov_row = old_prov.copy()
            extra = f"{new_prov['origin'].iloc[0]} {new_prov['snapshot'].iloc[0]}".strip()
            prov_row["snapshot"] = "; ".join(
                x for x in (str(old_prov["snapshot"].iloc[0]), f"{extra} for {new_obs['area_code'].nunique()} "
                            "area(s)") if x)
    prov = pd.concat([base.provenance[base.provenance["table_id"] != table_id], prov_row], ignore_index=True)
    return Store(obs.reset_index(drop=True), prov.reset_index(drop=True)), note


def _content_key(raw_dir: Path) -> str:
    """Hash of the embedded files' bytes and of the code that reads and checks them."""
    return cache.digest(cache.files_digest(Path(raw_dir).glob("*.csv")), cache.code_digest("sources", "schema.py"))


_MEMO: dict[str, Store] = {}
"""The embedded store last read in this process, by the content key (computed again at every call, so
an edited file or rule is never served stale): the section computations of a run read it once."""


def load_embedded_cached(raw_dir: Path = config.RAW_DIR, cache_dir: Path = config.CACHE_DIR) -> Store:
    """The embedded snapshot, validated once and then read from the cache keyed on file contents."""
    key = _content_key(raw_dir)
    memo_key = f"{Path(raw_dir).resolve()}|{Path(cache_dir).resolve()}|{key}"
    if memo_key in _MEMO:
        return _MEMO[memo_key]

    def load() -> Store:
        store = embedded.load_embedded(raw_dir)
        validation.check_observations(store.observations, raw_dir)  # the rules every source passes
        return store

    store, _hit = cache.cached("store", "embedded", (key,), load, root=cache_dir)
    _MEMO.clear()
    _MEMO[memo_key] = store
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
