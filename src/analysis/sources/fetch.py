"""``python -m analysis fetch``: load the StatFin tables the analyses need into ``data/fetched``.

Two ways in:

- the PxWeb API (default): every :class:`~analysis.sources.catalog.FetchSpec` of
  ``catalog.FETCH_SPECS`` (12r5 with all 23 measures, 12ti by occupation at the end of the month,
  12tu by occupation during the quarter-end months) and, when that
  module exists, ``sources.language_tables.LANGUAGE_FETCH_SPECS`` (tables by mother tongue);
- ``.px`` files saved from StatFin's web pages (``--px-file F.px``).

The result is merged over the previous fetched store (a table fetched now replaces its
previous version; other tables stay) and written atomically with
:func:`analysis.store.write_store`. A table that fails keeps its previous data; the command
then names the table, URL and HTTP error and exits with status 1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.errors import Localized, Text
from analysis.schema import AREA_CODE_PATTERN, KEY_COLUMNS, MONTH_PATTERN, YEAR_PATTERN, Store, StoreError
from analysis.sources.catalog import FETCH_SPECS, TABLES, FetchSpec, TableInfo
from analysis.sources.px import (
    px_observations,
    px_provenance,
    read_px_table,
    table_id_of,
)
from analysis.sources.pxweb import DeadlineError, FetchResult, PxWebClient
from analysis.sources.pxweb_query import PxWebError

_PERIOD = {"M": re.compile(rf"^{MONTH_PATTERN}$"), "A": re.compile(rf"^{YEAR_PATTERN}$")}
_AREA = re.compile(rf"^({AREA_CODE_PATTERN})$")


class FetchError(Localized, RuntimeError):
    """Fetched data that breaks the store's rules; names the table and the bad value."""


def _language_module():
    """``analysis.sources.language_tables`` if it exists (mother-tongue tables), else None."""
    try:
        from analysis.sources import language_tables
    except ModuleNotFoundError as exc:
        if exc.name != "analysis.sources.language_tables":
            raise
        return None
    return language_tables


def table_info(table_id: str) -> TableInfo | None:
    """Title, producer and citation of a table: the catalog, then the language tables."""
    if table_id in TABLES:
        return TABLES[table_id]
    module = _language_module()
    return getattr(module, "LANGUAGE_TABLES", {}).get(table_id) if module else None


def all_specs() -> list[FetchSpec]:
    """Every table ``fetch`` loads: 12r5 and 12ti, plus the mother-tongue tables if defined."""
    specs = list(FETCH_SPECS)
    module = _language_module()
    for spec in getattr(module, "LANGUAGE_FETCH_SPECS", []) if module else []:
        if spec.table_id not in {x.table_id for x in specs}:
            specs.append(spec)
    return specs


def configured_region_codes(areas: dict[str, config.Area] | None = None) -> list[str]:
    """Regions of the configured areas (each area's ``region`` and its MKnn members), sorted."""
    areas = areas if areas is not None else config.load_areas()
    codes = {a.region for a in areas.values() if a.region} | {m for a in areas.values() for m in a.members
                                                               if m.startswith("MK")}
    return sorted(codes)


def configured_area_codes(areas: dict[str, config.Area] | None = None,
                          area_key: pd.DataFrame | None = None) -> list[str]:
    """Every area code the configuration names (members, regions) and the subregions of its
    member municipalities, as found in the embedded area key (``data/raw``)."""
    areas = areas if areas is not None else config.load_areas()
    codes = {a.region for a in areas.values() if a.region} | {m for a in areas.values() for m in a.members}
    if area_key is None:
        from analysis.sources.embedded import load_area_key

        try:
            area_key = load_area_key()
        except (OSError, ValueError):
            area_key = pd.DataFrame(columns=["municipality_code", "subregion_code"])
    subregions = area_key.loc[area_key["municipality_code"].isin(codes), "subregion_code"]
    return sorted(codes | set(subregions))


def resolve_spec(spec: FetchSpec, areas: dict[str, config.Area] | None = None,
                 area_key: pd.DataFrame | None = None) -> FetchSpec:
    """``spec`` with the area tokens ``@areas`` / ``@regions`` replaced by configured codes."""
    geo = spec.select.get("geo")
    if not isinstance(geo, list):
        return spec
    codes: list[str] = []
    for item in geo:
        if item == "@areas":
            expanded = configured_area_codes(areas, area_key)
        elif item == "@regions":
            expanded = configured_region_codes(areas)
        else:
            expanded = [item]
        codes.extend(c for c in expanded if c not in codes)
    return replace(spec, select={**spec.select, "geo": codes})


def check_form(obs: pd.DataFrame, table_id: str, frequency: str = "M") -> None:
    """Door checks of the form of fetched rows (period form, area codes, no duplicate keys), before
    the plausibility of their values (:func:`analysis.sources.validation.check_observations`)."""
    pattern = _PERIOD.get(frequency)
    if pattern is not None:
        bad = ~obs["period"].str.match(pattern)
        if bad.any():
            raise FetchError("table {table}: period '{period}' is not of the {form} form", table=table_id,
                             period=obs.loc[bad, "period"].iloc[0], form="YYYY-MM" if frequency == "M" else "YYYY")
    bad = ~obs["area_code"].str.match(_AREA)
    if bad.any():
        raise FetchError("table {table}: area code '{code}' is not a StatFin code", table=table_id,
                         code=obs.loc[bad, "area_code"].iloc[0])
    dup = obs.duplicated(list(KEY_COLUMNS))
    if dup.any():
        raise FetchError("table {table}: {count} duplicate rows", table=table_id, count=int(dup.sum()))


def fetch_api(client: PxWebClient, specs: Iterable[FetchSpec], refresh: bool = False,
              ) -> tuple[list[FetchResult], list[Text]]:
    """Fetch each spec; returns the results and one error message per failed table (translatable)."""
    specs = list(specs)
    results, failures = [], []
    client.limits()
    if client.unreachable is not None:
        return [], [Text("cannot reach the PxWeb API at {url} ({reason}); tables not fetched: {tables}",
                         url=client.base_url, reason=client.unreachable, tables=", ".join(s.table_id for s in specs))]
    for number, spec in enumerate(specs, start=1):
        client.progress(f"[{number}/{len(specs)}] {spec.table_id}: fetching {spec.path}")
        try:
            result = client.fetch_table(resolve_spec(spec), refresh=refresh)
            check_form(result.observations, spec.table_id, spec.frequency)
            _describe(result.provenance, table_info(spec.table_id))
        except DeadlineError as exc:
            rest = [s.table_id for s in specs[number - 1:]]
            failures.append(Text("{error}; tables not fetched: {tables}", error=exc, tables=", ".join(rest)))
            break
        except (PxWebError, FetchError, StoreError, ValueError) as exc:
            client.progress(f"[{number}/{len(specs)}] {spec.table_id}: failed")
            failures.append(Text("{error}", error=exc))
            continue
        how = "from cache" if result.from_cache else f"{result.posts} queries"
        client.progress(f"[{number}/{len(specs)}] {spec.table_id}: {len(result.observations)} rows ({how})")
        results.append(result)
    return results, failures


def _describe(provenance: pd.DataFrame, info: TableInfo | None) -> None:
    """Fill title, producer and citation from the table's catalog entry (in place)."""
    if info is not None:
        provenance["title_fi"] = info.title_fi
        provenance["producer"] = info.producer
        provenance["citation"] = info.citation


def _px_mapping(table_id: str) -> tuple[dict[str, str] | None, dict[str, str] | None]:
    for spec in all_specs():
        if spec.table_id == table_id:
            return spec.measures, spec.breakdowns or None
    info = table_info(table_id)
    return (info.measures or None) if info else None, None


def load_px_files(paths: Sequence[str | Path]) -> Store:
    """Read ``.px`` files into one store (a later file of the same table replaces an earlier one)."""
    stores: dict[str, Store] = {}
    for path in paths:
        table = read_px_table(path)
        measures, breakdowns = _px_mapping(table_id_of(table))
        obs = px_observations(table, measures, breakdowns)
        provenance = px_provenance(table)
        _describe(provenance, table_info(str(obs["table_id"].iloc[0])))
        stores[str(obs["table_id"].iloc[0])] = Store(obs, provenance)
    return Store(
        pd.concat([s.observations for s in stores.values()], ignore_index=True),
        pd.concat([s.provenance for s in stores.values()], ignore_index=True),
    )
