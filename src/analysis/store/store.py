"""Store operations: aggregate areas, write and read a store atomically, layer vintages.

One store layers every vintage: the embedded snapshot (layer 0) at the bottom, then every fetch and every
``.px`` file, one layer per table, in the order they were loaded (``fetch`` refuses a table older than the
stored one unless ``--allow-older``, so the newest vintage is on top). Per cell the highest layer wins, with
its provenance (table, ``updated`` stamp, source); a cell a layer does not hold shows from below, so a partial
download never hides what lies below. :func:`cell_vintages` tells each cell's vintage.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from analysis import cache, config
from analysis.files import public_mode
from analysis.schema import KEY_COLUMNS, PROVENANCE_COLUMNS, Store, StoreError, tidy
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


LAYER = "layer"
"""Column of a layered store: the number of the layer a row comes from (0 = the embedded snapshot; every
fetch and every ``.px`` file adds one layer per table above the last)."""
LAYER_COLUMNS: tuple[str, ...] = (*PROVENANCE_COLUMNS, LAYER, "source", "loaded_at")
"""A layer's provenance: the table's (:data:`analysis.schema.PROVENANCE_COLUMNS`), its layer number, where it
was loaded from (the API's URL or the ``.px`` file's path) and when."""


def write_store(store: Store, folder: Path) -> None:
    """Write ``store`` to ``folder`` atomically as one layer: a failure leaves the previous store intact."""
    write_layers(store.observations, store.provenance, folder)


def write_layers(observations: pd.DataFrame, provenance: pd.DataFrame, folder: Path) -> None:
    """Write a store folder atomically (observations and provenance, each row with its layer if it has one):
    a failure leaves the previous store intact."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    tmp.chmod(public_mode(directory=True))  # mkdtemp makes it private (0700); the store is shared data
    try:
        observations.to_csv(tmp / "observations.csv.gz", index=False)
        provenance.to_csv(tmp / "provenance.csv", index=False)
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


def read_layers(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of a store folder with their layer (``observations``, ``provenance``); a folder written
    without layers (a test fixture, a store of 2025) is one layer, number 1."""
    folder = Path(folder)
    obs_file, prov_file = folder / "observations.csv.gz", folder / "provenance.csv"
    for f in (obs_file, prov_file):
        if not f.exists():
            raise StoreError("{path}: not found; run `python -m analysis fetch` first", path=f)
    obs = pd.read_csv(obs_file, dtype={c: "str" for c in KEY_COLUMNS}, keep_default_na=False,
                      na_values={"value": [""]})
    prov = pd.read_csv(prov_file, dtype="str", keep_default_na=False)
    layer = pd.to_numeric(obs[LAYER], errors="coerce") if LAYER in obs.columns else pd.Series(1, index=obs.index)
    if layer.isna().any():
        raise StoreError("{path}: column '{column}' holds a value that is not a layer number", path=obs_file,
                         column=LAYER)
    obs = tidy(obs).assign(**{LAYER: layer.astype("int64").to_numpy()})
    validation.check_observations(obs, obs_file)  # a store folder edited by hand passes the same door
    prov = prov.assign(**{LAYER: pd.to_numeric(prov[LAYER], errors="coerce").fillna(1).astype("int64")
                          if LAYER in prov.columns else 1})
    return obs, _layer_provenance(prov)


def _layer_provenance(prov: pd.DataFrame) -> pd.DataFrame:
    out = prov.copy()
    for col in LAYER_COLUMNS:
        if col not in out.columns:
            out[col] = ""
    return out[list(LAYER_COLUMNS)].reset_index(drop=True)


def top_cells(observations: pd.DataFrame) -> pd.DataFrame:
    """Of rows tagged with their layer, each cell's row from its highest layer: the newest vintage wins
    (a missing value included: the newer source says the cell is suppressed). A cell a higher layer does not
    hold keeps its value from below, so a partial download never hides what lies below."""
    layered = observations.groupby("table_id")[LAYER].nunique()
    many = observations["table_id"].isin(layered.index[layered > 1])  # only those tables need a look
    ordered = observations[many].sort_values(LAYER, kind="stable")
    top = ordered.drop_duplicates(list(KEY_COLUMNS), keep="last")
    return pd.concat([observations[~many], top]).sort_index()


def compose(observations: pd.DataFrame, provenance: pd.DataFrame) -> Store:
    """The store seen through its layers: each cell from its highest layer (:func:`top_cells`), and one
    provenance row per table, that of the newest layer giving the table's last period, whose ``snapshot``
    also names the other layers that give some cells (``"…; px-file eckero.px for 1 area(s)"``)."""
    cells = top_cells(observations)
    return Store(tidy(cells.drop(columns=LAYER)), _table_provenance(cells, provenance))


def _table_provenance(cells: pd.DataFrame, provenance: pd.DataFrame) -> pd.DataFrame:
    prov = _layer_provenance(provenance).set_index([LAYER, "table_id"])
    given = cells.groupby(["table_id", LAYER]).agg(cells=("value", "size"), areas=("area_code", "nunique"),
                                                   last=("period", "max"))
    rows = []
    for table_id, part in given.groupby(level="table_id", sort=True):
        part = part.droplevel("table_id")
        part = part[[(layer, table_id) in prov.index for layer in part.index]]
        if part.empty:
            continue
        # the table's vintage: the newest layer giving its last period (a file of one municipality's older
        # months does not date a table whose latest month comes from below); the others are named after it
        newest = part[part["last"] == part["last"].max()].index.max()
        layers = [newest, *part.drop(index=newest).sort_values("cells", ascending=False, kind="stable").index]
        main = prov.loc[(layers[0], table_id)].copy()
        extras = []
        for layer in layers[1:]:
            other = prov.loc[(layer, table_id)]
            what = f"{other['origin']} {other['snapshot'] or other['last_updated']}".strip()
            extras.append(f"{what} for {int(part.at[layer, 'areas'])} area(s)")
        main["snapshot"] = "; ".join(x for x in (str(main["snapshot"]), *extras) if x)
        rows.append({"table_id": table_id, **main.to_dict()})
    held = {r["table_id"] for r in rows}  # tables named in provenance without a cell (an empty fetch) stay named
    for (_layer, table_id), row in prov.sort_index(ascending=False).iterrows():
        if table_id not in held:
            rows.append({"table_id": table_id, **row.to_dict()})
            held.add(table_id)
    return pd.DataFrame(rows, columns=list(PROVENANCE_COLUMNS)).reset_index(drop=True)


def read_store(folder: Path) -> Store:
    """Read a store folder written by :func:`write_store` or ``fetch``, its layers composed (:func:`compose`)."""
    return compose(*read_layers(folder))


def kept_note(old: pd.DataFrame, new: pd.DataFrame, table_id: str) -> str:
    """What of the stored table ``table_id`` a new layer does not hold, so the layers below still give it
    ("" when the new layer covers every stored cell)."""
    keys = list(KEY_COLUMNS)
    old = old[old["table_id"] == table_id]
    new = new[new["table_id"] == table_id]
    kept = old[~old.set_index(keys).index.isin(new.set_index(keys).index)]
    if kept.empty:
        return ""
    areas = sorted(set(kept["area_code"]) - set(new["area_code"]))
    periods = sorted(set(kept["period"]) - set(new["period"]))
    parts = []
    if areas:
        parts.append(f"{len(areas)} area(s) not in the new data")
    if periods:
        parts.append(f"{len(periods)} period(s) not in the new data ({periods[0]}–{periods[-1]})")
    return (f"table {table_id}: kept {len(kept)} stored row(s) the new data does not have"
            + (f" ({'; '.join(parts)})" if parts else ""))


def add_layers(folder: Path, new: Store, tables: list[str], source: str, loaded_at: str) -> list[str]:
    """Put the tables ``tables`` of ``new`` on top of the store in ``folder`` (created if absent), one layer
    each, and write it atomically. Layers that no longer give any cell (a later full download hides them
    whole) are dropped. Returns a note per table on what the layers below still give (see :func:`kept_note`)."""
    folder = Path(folder)
    if (folder / "observations.csv.gz").exists():
        obs, prov = read_layers(folder)
    else:
        obs, prov = tidy(pd.DataFrame(columns=["table_id", "period", "area_code", "measure", "value"])), None
        obs[LAYER] = pd.Series(dtype="int64")
    prov = prov if prov is not None else _layer_provenance(pd.DataFrame(columns=list(LAYER_COLUMNS)))
    below = compose(obs, prov).observations if len(obs) else obs
    top = int(max(obs[LAYER].max() if len(obs) else 0, pd.to_numeric(prov[LAYER]).max() if len(prov) else 0))
    notes, parts, prov_parts = [], [obs], [prov]
    for offset, table_id in enumerate(sorted(tables), start=1):
        rows = new.observations[new.observations["table_id"] == table_id]
        notes.append(kept_note(below, rows, table_id))
        parts.append(rows.assign(**{LAYER: top + offset}))
        prov_rows = new.provenance[new.provenance["table_id"] == table_id]
        prov_parts.append(_layer_provenance(prov_rows.assign(**{LAYER: top + offset, "source": source,
                                                                "loaded_at": loaded_at})))
    obs = pd.concat(parts, ignore_index=True)
    prov = pd.concat(prov_parts, ignore_index=True)
    prov[LAYER] = prov[LAYER].astype("int64")
    giving = set(top_cells(obs)[LAYER]) | set(prov.loc[~prov["table_id"].isin(obs["table_id"]), LAYER])
    obs = obs[obs[LAYER].isin(giving)]
    prov = prov[prov[LAYER].isin(giving)]
    write_layers(obs, prov, folder)
    return [n for n in notes if n]


def layers_of(data_source: str = "fetched") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every layer of a run's data, bottom first: the embedded snapshot as layer 0, then the layers of the
    fetched store (``"fetched"``, or a store folder's path). ``"embedded"``: layer 0 alone."""
    base = load_embedded_cached()
    obs = base.observations.assign(**{LAYER: 0})
    prov = _layer_provenance(base.provenance.assign(**{LAYER: 0, "source": str(config.RAW_DIR)}))
    if data_source == "embedded":
        return obs, prov
    folder = config.FETCHED_DIR if data_source == "fetched" else Path(data_source)
    up_obs, up_prov = read_layers(folder)
    return pd.concat([obs, up_obs], ignore_index=True), pd.concat([prov, up_prov], ignore_index=True)


def cell_vintages(data_source: str = "fetched", *, table_id: str | None = None, measure: str | None = None,
                  area_codes: list[str] | None = None, period: str | None = None) -> pd.DataFrame:
    """Each cell of a run's data with the vintage that gives it: its value, layer, origin (``embedded``,
    ``pxweb``, ``px-file``), the source's ``last_updated`` stamp, when it was fetched or loaded, the snapshot
    or file, and the URL or path it was loaded from. Filters narrow the cells (all given ones apply)::

        from analysis.store import cell_vintages
        cell_vintages("fetched", measure="unemployed_jobseekers", area_codes=["MK16"], period="2023-09")
    """
    obs, prov = layers_of(data_source)
    mask = pd.Series(True, index=obs.index)
    for col, value in (("table_id", table_id), ("measure", measure), ("period", period)):
        if value is not None:
            mask &= obs[col] == value
    if area_codes is not None:
        mask &= obs["area_code"].isin(list(area_codes))
    cells = top_cells(obs[mask])
    info = prov[["table_id", LAYER, "origin", "last_updated", "fetched_at", "snapshot", "source", "loaded_at"]]
    return cells.merge(info, on=["table_id", LAYER], how="left").reset_index(drop=True)


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

    ``"embedded"``: the real snapshot in ``data/raw``. ``"fetched"``: the embedded snapshot at the bottom with
    every layer of ``data/fetched`` above it (every fetch and every ``.px`` file; see :func:`add_layers`): per
    cell the newest layer wins, and what a layer does not hold shows from below. Any other value is read as
    the path of a store folder, layered the same way. :func:`cell_vintages` gives each cell's vintage.
    """
    base = load_embedded_cached()
    if data_source == "embedded":
        return base
    folder = config.FETCHED_DIR if data_source == "fetched" else Path(data_source)
    up_obs, up_prov = read_layers(folder)
    tables = set(up_obs["table_id"]) | set(up_prov["table_id"])  # only these need composing: the rest passes
    below = base.observations["table_id"].isin(tables)
    below_prov = base.provenance["table_id"].isin(tables)
    composed = compose(
        pd.concat([base.observations[below].assign(**{LAYER: 0}), up_obs], ignore_index=True),
        pd.concat([_layer_provenance(base.provenance[below_prov].assign(**{LAYER: 0})), up_prov], ignore_index=True))
    return Store(pd.concat([base.observations[~below], composed.observations], ignore_index=True),
                 pd.concat([base.provenance[~below_prov], composed.provenance], ignore_index=True))
