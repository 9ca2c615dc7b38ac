"""json-stat2 responses of the PxWeb API as tidy store observations.

:func:`parse_jsonstat2` reads a dataset into one column of category codes per dimension and ``value``: a
value must be a JSON number or null (missing, never 0), and a key of a sparse value map a cell number of
the dataset. :func:`jsonstat2_observations` maps the dimensions to the store's columns by the roles found
in the table's metadata (:mod:`analysis.sources.pxweb_query`) and the fetch spec (measure names,
categories, breakdowns, sums of duration classes); :func:`split_store_areas` leaves out the area codes the
store cannot hold (``KUJOU``, ``MKJO``, ``ELY…``). Every error is a :class:`PxWebError` naming the table
and the URL.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pandas as pd

from analysis.schema import AREA_CODE_PATTERN, tidy
from analysis.sources.catalog import FetchSpec
from analysis.sources.pxweb_query import (
    PxWebError,
    TableMeta,
    class_members,
    class_variable,
    labelled_measures,
    strip_prefix,
)

_STORE_AREA = re.compile(rf"^({AREA_CODE_PATTERN})$")


def _category_codes(dim: dict[str, Any], size: int) -> list[str]:
    index = dim.get("category", {}).get("index")
    if index is None:
        labels = dim.get("category", {}).get("label", {})
        return list(labels)[:size]
    if isinstance(index, list):
        return [str(c) for c in index]
    return [str(code) for code, _ in sorted(index.items(), key=lambda kv: kv[1])]


def _cell_index(key: Any, total: int, table_id: str, url: str) -> int:
    """The cell a key of a sparse json-stat2 value map names: ASCII digits only, 0 to ``total`` - 1 (a key
    "-1" would otherwise write into the last real cell, "1.5" or "x" into none)."""
    if not (isinstance(key, str) and re.fullmatch(r"0|[1-9][0-9]*", key) and int(key) < total):
        raise PxWebError(table_id, url, "json-stat2 value key '{key}' is not a cell number 0-{last}", 200,
                         key=key, last=total - 1)
    return int(key)


def _number(value: Any, pos: Any, table_id: str, url: str) -> float:
    """A json-stat2 cell value: a JSON number, or null for missing (NaN). ``true`` or a text such as
    "245 322" is refused, never read as a number."""
    if value is None:
        return float("nan")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise PxWebError(table_id, url, "json-stat2 value {value} of cell {pos} is not a number or null", 200,
                     value=json.dumps(value, ensure_ascii=False), pos=pos)


def parse_jsonstat2(doc: Any, table_id: str = "?", url: str = "") -> pd.DataFrame:
    """A json-stat2 dataset as a frame: one column of category codes per dimension, ``value``.

    ``value`` may be a list or a sparse mapping; ``null`` and absent cells are NaN (missing),
    never 0. Raises PxWebError when ``id``, ``size`` and ``value`` do not agree.
    """
    try:
        ids, sizes, dims = list(doc["id"]), [int(s) for s in doc["size"]], doc["dimension"]
        raw = doc["value"]
    except (KeyError, TypeError) as exc:
        raise PxWebError(table_id, url, "json-stat2 response without {key}", 200, key=exc) from exc
    total = math.prod(sizes)
    if isinstance(raw, dict):
        values = [float("nan")] * total
        for pos, val in raw.items():
            values[_cell_index(pos, total, table_id, url)] = _number(val, pos, table_id, url)
    elif isinstance(raw, list):
        values = [_number(v, pos, table_id, url) for pos, v in enumerate(raw)]
    else:
        raise PxWebError(table_id, url, "json-stat2 'value' is neither a list nor a mapping", 200)
    if len(values) != total:
        raise PxWebError(table_id, url, "json-stat2 has {count} values, its size gives {total}", 200,
                         count=len(values), total=total)
    codes = []
    for dim_id, size in zip(ids, sizes):
        cats = _category_codes(dims[dim_id], size)
        if len(cats) != size:
            raise PxWebError(table_id, url, "dimension {dim} has {count} categories, size {size}", 200,
                             dim=dim_id, count=len(cats), size=size)
        codes.append(cats)
    frame = pd.MultiIndex.from_product(codes, names=ids).to_frame(index=False) if ids else pd.DataFrame()
    frame["value"] = values
    return frame


def to_period(code: str) -> str:
    """StatFin time code as a store period: ``2024M01`` -> ``2024-01``, ``2025`` -> ``2025``."""
    if len(code) == 7 and code[4] == "M" and code[:4].isdigit() and code[5:].isdigit():
        return f"{code[:4]}-{code[5:]}"
    return code


def jsonstat2_observations(doc: dict[str, Any], spec: FetchSpec, meta: TableMeta, url: str = "") -> pd.DataFrame:
    """Tidy store observations of one json-stat2 response for ``spec``."""
    frame = parse_jsonstat2(doc, spec.table_id, url)
    roles: dict[str, str] = {v.code: v.role for v in meta.variables}
    for role, dim_ids in (doc.get("role") or {}).items():
        for dim_id in dim_ids or []:
            roles[dim_id] = role
    breakdowns = {k.casefold(): v for k, v in spec.breakdowns.items()}
    categories = {k.casefold(): v for k, v in spec.categories.items()}
    out = pd.DataFrame(index=frame.index)
    category_measure = None
    summed = class_variable(spec, meta)
    members = class_members(spec.class_sums, summed, spec.table_id, url) if summed is not None else {}
    classes = None
    measures = dict(spec.measures)
    if spec.measure_labels:
        metric = meta.by_role("metric")
        measures = labelled_measures(spec, metric, url) if metric is not None else {}
    for dim_id in doc["id"]:
        role = roles.get(dim_id, "other")
        label = str(doc["dimension"][dim_id].get("label", dim_id))
        groups = categories.get(label.casefold(), categories.get(dim_id.casefold()))
        if summed is not None and dim_id == summed.code:
            classes = frame[dim_id]
        elif groups is not None and role != "metric":
            category_measure = _category_measure(frame[dim_id], groups, spec.table_id, url, dim_id)
        elif role == "time":
            out["period"] = frame[dim_id].map(to_period)
        elif role == "geo":
            out["area_code"] = frame[dim_id]
        elif role == "metric":
            out["measure"] = _measure_names(frame[dim_id], measures, spec.table_id, url)
        elif label.casefold() in breakdowns or dim_id.casefold() in breakdowns:
            column = breakdowns.get(label.casefold()) or breakdowns[dim_id.casefold()]
            out[column] = frame[dim_id]
        elif frame[dim_id].nunique() > 1:
            raise PxWebError(spec.table_id, url, "dimension {dim} ('{label}') has several values but no "
                             "store column", 200, dim=dim_id, label=label)
    _complete(out, category_measure, spec.table_id, url)
    out["value"] = frame["value"]
    out["table_id"] = spec.table_id
    if summed is not None:
        out = _sum_classes(out, classes, members, spec.table_id, url, summed.code)
    return tidy(out)


def _category_measure(values: pd.Series, groups: dict[str, str], table_id: str, url: str, dim_id: str) -> pd.Series:
    """The measure each category of ``values`` stands for (the spec's ``categories``); a category the spec
    does not name is an error."""
    unknown = sorted(set(values) - set(groups))
    if unknown:
        raise PxWebError(table_id, url, "response has categories {unknown} of {dim} that the spec does not name", 200,
                         unknown=unknown, dim=dim_id)
    return values.map(groups)


def _measure_names(values: pd.Series, measures: dict[str, str], table_id: str, url: str) -> pd.Series:
    """The stable measure name of each content code of ``values`` (a prefixed code matches its unprefixed
    name); a code without one is an error."""
    names = {c: measures.get(strip_prefix(c, measures) or "") for c in values.unique()}
    unknown = [c for c, n in names.items() if n is None]
    if unknown:
        raise PxWebError(table_id, url, "response has measure code(s) {unknown} without a stable name in the fetch "
                         "spec", 200, unknown=unknown)
    return values.map(names)


def _complete(out: pd.DataFrame, category_measure: pd.Series | None, table_id: str, url: str) -> None:
    """Fill the measure from the categories (one content code then), the whole country where the table has
    no area variable, and refuse a response without a period or a measure."""
    if category_measure is not None:
        if "measure" in out and out["measure"].nunique() > 1:
            raise PxWebError(table_id, url, "a spec with categories must select one content code", 200)
        out["measure"] = category_measure
    if "area_code" not in out:
        out["area_code"] = "SSS"  # a table without an area variable covers the whole country
    for column in ("period", "measure"):
        if column not in out:
            raise PxWebError(table_id, url, "response has no dimension for {column}", 200, column=column)


def _sum_classes(out: pd.DataFrame, classes: pd.Series | None, members: dict[str, list[str]], table_id: str,
                 url: str, code: str) -> pd.DataFrame:
    """Rows of one content measure by class -> one row per measure of ``members``: the sum of its classes
    (missing when any of them is missing: a sum with a suppressed part is not known)."""
    if classes is None or out["measure"].nunique() > 1:
        raise PxWebError(table_id, url, "a spec with class sums needs the variable {code} and one content value "
                         "in the response", 200, code=code)
    held = set(classes)
    parts = []
    keys = [c for c in out.columns if c not in ("measure", "value")]
    for measure, codes in members.items():
        if not set(codes) <= held:
            raise PxWebError(table_id, url, "the response holds only some of the classes of {measure}", 200,
                             measure=measure)
        rows = out[classes.isin(codes).to_numpy()]
        summed = rows.groupby(keys, sort=False, dropna=False)["value"].sum(min_count=len(codes))
        complete = rows.groupby(keys, sort=False, dropna=False)["value"].count() == len(codes)
        parts.append(summed.where(complete).rename("value").reset_index().assign(measure=measure))
    return pd.concat(parts, ignore_index=True)


def split_store_areas(obs: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Rows whose area code the store can hold (``SSS``, ``MKnn``, ``SKnnn``, ``KUnnn``), and the
    other codes found (``KUJOU``, ``MKJO``, ``ELY01`` …), which the analyses do not use."""
    ok = obs["area_code"].str.match(_STORE_AREA)
    return obs[ok].reset_index(drop=True), sorted(set(obs.loc[~ok, "area_code"]))


__all__ = ["jsonstat2_observations", "parse_jsonstat2", "split_store_areas", "to_period"]
