"""Names of the Ammattiluokitus 2010 groups for readers, in the review's language: the one reader of
``data/reference/ammattiluokitus2010_groups.csv`` for the main page, the structure section and the
skills section.

Finnish names are Statistics Finland's; Swedish names are Statistikcentralen's (Yrkesklassificering
2010) where a source gave them. A group with a Finnish name but no Swedish one keeps its Finnish name
in the Swedish review, and :func:`finnish_only` names those codes so the page can say so once; a name
is never translated here. A group with no verified name in either language shows its code only.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from analysis.indicators import structure


@lru_cache(maxsize=4)
def _names(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    groups = structure.load_occupation_groups(path)
    fi = {c: n for c, n in zip(groups["group_code"], groups["group_name_fi"]) if n}
    sv = {c: n for c, n in zip(groups["group_code"], groups["group_name_sv"]) if n}
    return fi, sv


def group_names(lang: str = "fi", path: Path = structure.OCCUPATION_GROUPS_FILE) -> dict[str, str]:
    """Verified names of the one- and two-digit groups, code -> name, in ``lang`` (``fi`` | ``sv``).
    In Swedish a group without a Swedish name keeps its Finnish name (see :func:`finnish_only`)."""
    fi, sv = _names(Path(path))
    return dict(fi) if lang == "fi" else {**fi, **sv}


def finnish_only(codes: object, lang: str, path: Path = structure.OCCUPATION_GROUPS_FILE) -> list[str]:
    """Those of ``codes`` whose name the ``lang`` review shows in Finnish because no source gave a
    name in ``lang`` (sorted, each once; always empty in Finnish)."""
    if lang == "fi":
        return []
    fi, sv = _names(Path(path))
    return sorted({str(c) for c in codes if str(c) in fi and str(c) not in sv})
