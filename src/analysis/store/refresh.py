"""``python -m analysis fetch``: load StatFin tables into the store folder ``data/fetched``.

Orchestration above the sources layer: the PxWeb client and the ``.px`` reader
(``analysis.sources``) produce tables; this module lays them over the previous fetched store as new
layers and writes it atomically, so a failed fetch leaves the previous data intact.

Every new table passes the door checks of :mod:`analysis.sources.validation` before it is stored.
A new table becomes a layer on top of the stored ones (:func:`analysis.store.store.add_layers`): per
cell the newest layer wins, and a ``.px`` file of one municipality never hides the other 29 areas. A table whose ``updated``
stamp is older than the stored one's, or whose months end earlier, is refused and the stored one
kept, unless ``allow_older`` (``--allow-older``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.errors import Text, UserError, user_language
from analysis.schema import Store, StoreError
from analysis.sources.fetch import all_specs, fetch_api, load_px_files
from analysis.sources.pxweb import DEFAULT_BASE_URL, DEFAULT_DEADLINE, PxWebClient
from analysis.sources.validation import check_observations, jump_warnings
from analysis.store.store import add_layers, read_store


def span_text(periods: Sequence[str]) -> str:
    """The span of a table's periods for a note, naming the months (or years) missing inside it:
    ``2024-01–2024-11 (missing 2024-06)``; a whole span is ``2024-01–2024-11``. A table of quarter-end
    months (12tu: March, June, September, December) misses only the quarter-end months it lacks."""
    held = sorted(set(periods))
    if not held:
        return "no periods"
    span = f"{held[0]}–{held[-1]}"
    freq = "M" if all(len(p) == 7 and p[4] == "-" for p in held) else "Y" if all(len(p) == 4 for p in held) else None
    if freq is None:
        return span
    step = 3 if freq == "M" and all(int(p[5:]) % 3 == 0 for p in held) else 1  # quarter-end months (12tu)
    every = pd.period_range(held[0], held[-1], freq=freq)[::step]
    absent = [str(p) for p in every if str(p) not in set(held)]
    if not absent:
        return span
    runs: list[list[str]] = []
    for period in absent:  # consecutive missing periods as one range
        if runs and str(pd.Period(runs[-1][-1], freq=freq) + step) == period:
            runs[-1].append(period)
        else:
            runs.append([period])
    return f"{span} (missing {', '.join(r[0] if len(r) == 1 else f'{r[0]}–{r[-1]}' for r in runs)})"


def _span(obs: pd.DataFrame) -> str:
    return span_text(list(obs["period"].unique()))


def older_reason(old: Store, new: Store, table_id: str) -> str | None:
    """Why the new version of ``table_id`` is older or shorter than the stored one, or None."""
    old_prov = old.provenance.set_index("table_id")
    new_prov = new.provenance.set_index("table_id")
    if table_id in old_prov.index and table_id in new_prov.index:
        was, now = str(old_prov.at[table_id, "last_updated"] or ""), str(new_prov.at[table_id, "last_updated"] or "")
        if was and now and now[:16] < was[:16]:
            return f"its 'updated' stamp {now} is older than the stored {was}"
    old_obs = old.observations[old.observations["table_id"] == table_id]
    new_obs = new.observations[new.observations["table_id"] == table_id]
    # Only the areas and measures both hold are compared: a file of two measures is not "shorter"
    # because the stored table holds a third measure (12r5's quarter-end vacancies) for later months.
    areas = set(old_obs["area_code"]) & set(new_obs["area_code"])
    measures = set(old_obs["measure"]) & set(new_obs["measure"])
    if areas and measures and not new_obs.empty:
        old_common = old_obs.loc[old_obs["area_code"].isin(areas) & old_obs["measure"].isin(measures), "period"]
        new_common = new_obs.loc[new_obs["area_code"].isin(areas) & new_obs["measure"].isin(measures), "period"]
        old_last, new_last = old_common.max(), new_common.max()
        if new_last < old_last:
            return (f"it ends in {new_last} ({new_common.nunique()} periods), the stored table in {old_last} "
                    f"({old_common.nunique()} periods)")
    return None


def save(new: Store, folder: Path, *, allow_older: bool = False, source: str = "") -> set[str]:
    """Check ``new`` and put each of its tables on top of the store in ``folder`` as a new layer
    (:func:`analysis.store.store.add_layers`), written atomically.

    Every table of ``new`` passes :func:`check_observations` (a bad value raises and nothing is
    written). A table older or shorter than the stored one is skipped with a message on stderr,
    unless ``allow_older``. What the stored layers hold and the new one does not stays visible (a note
    says so). Returns the tables written.
    """
    folder = Path(folder)
    check_observations(new.observations, source or Text("the new data"))
    for warning in jump_warnings(new.observations, source or "the new data"):
        print(f"warning: {warning}", file=sys.stderr)
    tables = set(new.observations["table_id"]) | set(new.provenance["table_id"])
    loaded_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if not (folder / "observations.csv.gz").exists():
        add_layers(folder, new, sorted(tables), source, loaded_at)
        return tables
    try:
        old = read_store(folder)
    except (StoreError, OSError, ValueError) as exc:
        raise StoreError("{folder}: the stored data cannot be read ({error}); nothing was written. Move the "
                         "folder away to start afresh", folder=folder, error=exc) from None
    accepted = set()
    for table_id in sorted(tables):
        reason = older_reason(old, new, table_id)
        if reason is not None and not allow_older:
            kept = old.observations[old.observations["table_id"] == table_id]
            print(f"warning: table {table_id} not replaced: {reason}; kept the stored table "
                  f"({_span(kept)}, {kept['area_code'].nunique()} areas). Use --allow-older to load it anyway",
                  file=sys.stderr)
            continue
        accepted.add(table_id)
    if accepted:
        for note in add_layers(folder, new, sorted(accepted), source, loaded_at):
            print(f"note: {note}", file=sys.stderr)
    return accepted


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _summary(table_id: str, obs: pd.DataFrame, how: str) -> str:
    return (f"{table_id}: {len(obs)} rows, {obs['measure'].nunique()} measures, {obs['area_code'].nunique()} "
            f"areas, {_span(obs)} ({how})")


def _store_px_files(px_files: Sequence[str], folder: Path, allow_older: bool, error: Callable[[Text], None]) -> int:
    """``fetch --px-file``: layer the ``.px`` files over the store; the exit status (0 ok, 2 bad input)."""
    try:
        new = load_px_files(px_files)
        written = save(new, folder, allow_older=allow_older, source=", ".join(map(str, px_files)))
    except UserError as exc:
        error(Text("{error}; the previous data is unchanged", error=exc))
        return 2
    for table_id, part in new.observations.groupby("table_id"):
        if table_id in written:
            print(_summary(str(table_id), part, "from .px file"))
    print(f"wrote {folder}" if written else f"nothing written; {folder} is unchanged")
    return 0


def run_fetch(
    tables: Sequence[str] | None,
    base_url: str | None,
    refresh: bool,
    px_files: Sequence[str] | None,
    *,
    folder: Path | None = None,
    client: PxWebClient | None = None,
    timeout: float | None = DEFAULT_DEADLINE,
    allow_older: bool = False,
) -> int:
    """Run ``python -m analysis fetch``; returns the exit status (0 ok, 1 a table failed, 2 bad input).

    ``timeout`` is the overall limit in seconds for all API requests (``--timeout``); a progress line
    per table goes to stderr.
    """
    folder = Path(folder) if folder is not None else config.FETCHED_DIR
    lang = user_language()

    def error(message: Text) -> None:
        print(f"{Text('error').message(lang)}: {message.message(lang)}", file=sys.stderr)

    if px_files:
        return _store_px_files(px_files, folder, allow_older, error)

    specs = all_specs()
    if tables:
        known = {s.table_id: s for s in specs}
        unknown = [t for t in tables if t not in known]
        if unknown:
            error(Text("unknown table(s) {unknown}; fetch knows {known}", unknown=", ".join(unknown),
                       known=", ".join(known)))
            return 2
        specs = [known[t] for t in tables]
    if timeout is not None and timeout <= 0:
        error(Text("--timeout must be a positive number of seconds, not {timeout:g}", timeout=timeout))
        return 2
    client = client or PxWebClient(base_url or DEFAULT_BASE_URL, deadline=timeout, progress=_progress)
    results, failures = fetch_api(client, specs, refresh)
    good = []
    for r in results:
        try:
            check_observations(r.observations, client.base_url)  # the message names the table
        except UserError as exc:
            failures.append(Text("{error}", error=exc))
            continue
        good.append(r)
    results = good
    if results:
        new = Store(
            pd.concat([r.observations for r in results], ignore_index=True),
            pd.concat([r.provenance for r in results], ignore_index=True),
        )
        try:
            written = save(new, folder, allow_older=allow_older, source=client.base_url)
        except UserError as exc:
            error(Text("{error}; the previous data is unchanged", error=exc))
            return 2
        results = [r for r in results if r.table_id in written]
        for r in results:
            how = "from cache, source unchanged" if r.from_cache else f"fetched with {r.posts} queries"
            print(_summary(r.table_id, r.observations, how))
            for note in r.notes:
                print(f"  note: {note}")
        print(f"wrote {folder}" if results else f"nothing written; {folder} is unchanged")
    for message in failures:
        error(Text("{error}; previous data unchanged", error=message))
    return 1 if failures else 0
