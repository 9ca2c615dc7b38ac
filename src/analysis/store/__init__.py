"""The tidy store: validated observations with provenance, and the operations on it."""

from analysis.schema import BREAKDOWNS, OBS_COLUMNS, TOTAL, Store, StoreError, tidy
from analysis.store.scope import Scope, load_scope
from analysis.store.store import (
    aggregate_areas,
    cell_vintages,
    load_embedded_cached,
    load_store,
    read_store,
    write_store,
)

__all__ = [
    "BREAKDOWNS", "OBS_COLUMNS", "TOTAL", "Store", "StoreError", "tidy", "aggregate_areas",
    "load_embedded_cached", "load_store", "cell_vintages", "read_store", "write_store", "Scope", "load_scope",
]
