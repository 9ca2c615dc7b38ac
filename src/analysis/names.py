"""Names of areas and occupations for readers, in Finnish or Swedish: the one place that knows them.

- :func:`area_name`: an area code (the area's slug, a municipality ``KUnnn``, sub-region ``SKnnn``,
  region ``MKnn`` or the country ``SSS``) -> its name;
- :func:`group_names`, :func:`finnish_only`, :func:`shortened`: the Ammattiluokitus 2010 one- and two-digit
  groups (``data/reference/ammattiluokitus2010_groups.csv``, read and checked by :func:`load_occupation_groups`);
- :func:`occupation_names`: the four-digit occupations and special classes (StatFin 12ti labels, Finnish).

Finnish names are Statistics Finland's; Swedish group names are Statistikcentralen's (Yrkesklassificering
2010) where a source gave them. A group with a Finnish name but no Swedish one keeps its Finnish name in
Swedish, and :func:`finnish_only` names those codes so a page can say so once; a name is never translated
here. Where the classification's full Finnish name was found in no source (26, 34, 35, 91), the name is
StatFin's label as its tables print it, shortened ("… er."); :func:`shortened` names those codes so a page
can say so once. A code without any sourced name (63 in Finnish) is shown as the code.

This module sits beside the store: it imports the configuration, the error catalogue and the source
readers only, so every layer above (indicators, forecast, present, review, the public API) reads names here.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from analysis import config
from analysis.cache import file_memo
from analysis.errors import DataValidationError, load_own_yaml

OCCUPATION_GROUPS_FILE: Path = config.DATA_DIR / "reference" / "ammattiluokitus2010_groups.csv"
SHORTENED_SOURCE = "statfin-tyonv-labels-shortened"
"""The ``verified_in`` key of a Finnish name that is StatFin's shortened label, not the classification's full
name (``data/reference/README.md``)."""
AREA_NAMES_FILE = Path(__file__).with_name("present") / "strings" / "{lang}" / "structure.yaml"
"""The reader's names of the areas a review shows beside its own (key ``area_names``: the country, the
default area's sub-regions and municipalities), in the string catalogue of each language (a test keeps
Finnish and Swedish keys equal). Read here directly, as :mod:`analysis.errors` reads its catalogue."""


# --------------------------------------------------------------------------- areas


@file_memo
@lru_cache(maxsize=4)
def _catalogue_area_names(lang: str) -> dict[str, str]:
    path = Path(str(AREA_NAMES_FILE).format(lang=lang))
    with open(path, encoding="utf-8") as fh:
        doc = load_own_yaml(fh) or {}
    return {str(k): str(v) for k, v in (doc.get("area_names") or {}).items()}


def area_name(code: str, where: object = None, lang: str = "fi") -> str:
    """Readable name of an area code in ``lang`` (``fi`` | ``sv``).

    ``where``: the review's area (a :class:`~analysis.config.Area`, or anything with an ``area``, such as
    a :class:`~analysis.store.scope.Scope`), whose slug is named by its configured name. Then the string
    catalogue's ``area_names``, then a configured area made of that one code (the 19 regions); else the
    code itself.
    """
    area = getattr(where, "area", where)
    if area is not None and code == getattr(area, "slug", None):
        return area.name(lang)
    found = _catalogue_area_names(lang).get(code)
    if found is not None:
        return found
    for candidate in config.load_areas().values():
        if candidate.members == (code,):
            return candidate.name(lang)
    return code


# --------------------------------------------------------------------------- occupations


def load_occupation_groups(path: Path = OCCUPATION_GROUPS_FILE):
    """Ammattiluokitus 2010 main and sub-major group names (``data/reference``), validated.

    Columns: ``group_code`` (string), ``level`` (1 | 2), ``group_name_fi`` (empty = not verified,
    show the code only), ``verified_in``, ``group_name_sv`` (Statistikcentralen's Swedish name,
    Yrkesklassificering 2010; empty = none found), ``verified_in_sv``. Every name has a source.
    """
    from analysis.sources.validation import (
        csv_row,
        read_csv,
        require_columns,
        require_known,
        require_pattern,
        require_unique,
    )

    frame = read_csv(path, empty_is_missing=False)
    require_columns(frame, ["group_code", "level", "group_name_fi", "verified_in"], path)
    for col in ("group_name_sv", "verified_in_sv"):
        if col not in frame.columns:
            frame[col] = ""
    require_known(frame, "level", ["1", "2"], path, "level")
    require_pattern(frame, "group_code", r"[0-9]{1,2}", path, "a one- or two-digit group code")
    require_unique(frame, ["group_code"], path)
    bad = frame["group_code"].str.len() != frame["level"].astype(int)
    if bad.any():
        pos = int(bad.to_numpy().nonzero()[0][0])
        raise DataValidationError(path, "code length does not match level", csv_row(pos), "group_code")
    for name, source in (("group_name_fi", "verified_in"), ("group_name_sv", "verified_in_sv")):
        unsourced = (frame[name] != "") & (frame[source] == "")
        if unsourced.any():
            pos = int(unsourced.to_numpy().nonzero()[0][0])
            raise DataValidationError(path, "a name without a source", csv_row(pos), source)
    frame["level"] = frame["level"].astype(int)
    return frame


@file_memo
@lru_cache(maxsize=4)
def _group_names(path: Path) -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    groups = load_occupation_groups(path)
    fi = {c: n for c, n in zip(groups["group_code"], groups["group_name_fi"]) if n}
    sv = {c: n for c, n in zip(groups["group_code"], groups["group_name_sv"]) if n}
    short = frozenset(c for c, src in zip(groups["group_code"], groups["verified_in"])
                      if SHORTENED_SOURCE in src.split(";"))
    return fi, sv, short


def group_names(lang: str = "fi", path: Path = OCCUPATION_GROUPS_FILE) -> dict[str, str]:
    """Verified names of the one- and two-digit groups, code -> name, in ``lang`` (``fi`` | ``sv``).
    In Swedish a group without a Swedish name keeps its Finnish name (see :func:`finnish_only`)."""
    fi, sv, _short = _group_names(Path(path))
    return dict(fi) if lang == "fi" else {**fi, **sv}


def finnish_only(codes: object, lang: str, path: Path = OCCUPATION_GROUPS_FILE) -> list[str]:
    """Those of ``codes`` whose name the ``lang`` review shows in Finnish because no source gave a
    name in ``lang`` (sorted, each once; always empty in Finnish)."""
    if lang == "fi":
        return []
    fi, sv, _short = _group_names(Path(path))
    return sorted({str(c) for c in codes if str(c) in fi and str(c) not in sv})


def shortened(codes: object, lang: str, path: Path = OCCUPATION_GROUPS_FILE) -> list[str]:
    """Those of ``codes`` whose name the ``lang`` review shows as StatFin's shortened Finnish label (26
    "Lainopilliset, sosiaalialan ja kulttuurialan er.", …) because no source gave the classification's full
    name: in Swedish only where no Swedish name exists either (sorted, each once)."""
    fi, sv, short = _group_names(Path(path))
    return sorted({str(c) for c in codes if str(c) in short and (lang == "fi" or str(c) not in sv)})


@file_memo
@lru_cache(maxsize=1)
def _occupation_names() -> dict[str, str]:
    from analysis.sources import embedded

    names = embedded.load_occupation_names()
    return dict(zip(names["occupation_code"], names["occupation_name_fi"]))


def occupation_names() -> dict[str, str]:
    """Finnish names of the four-digit occupations and special classes (StatFin 12ti labels), code -> name."""
    return dict(_occupation_names())


def occupation_name(code: str, lang: str = "fi") -> str:
    """The name of an occupation code of any level in ``lang``: a group's (one or two digits) from
    :func:`group_names`, a four-digit occupation's or special class's in Finnish (the only language
    StatFin labels them in); empty when no verified name exists."""
    code = str(code)
    if len(code) <= 2 and code.isdigit():
        return group_names(lang).get(code, "")
    return _occupation_names().get(code, "")
