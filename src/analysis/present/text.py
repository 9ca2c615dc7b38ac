"""Every string a user reads, from one place per language: ``strings/<lang>/<namespace>.yaml``.

``t("review.title", "fi", area="Keski-Pohjanmaa")`` looks up key ``title`` in
``strings/fi/review.yaml`` and fills ``{area}``. Each analysis module has its own
namespace file; a test checks that Finnish and Swedish hold the same keys.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from analysis.cache import file_memo
from analysis.config import LANGUAGES, parse_period
from analysis.errors import load_own_yaml

STRINGS_DIR = Path(__file__).with_name("strings")


class MissingText(KeyError):
    """A text key that the language's string files do not hold."""


@file_memo
@lru_cache(maxsize=len(LANGUAGES))
def catalogue(lang: str) -> dict[str, str]:
    """All strings of ``lang`` as a flat mapping ``namespace.key -> text``."""
    if lang not in LANGUAGES:
        raise ValueError(f"language '{lang}' is not supported; use one of {', '.join(LANGUAGES)}")
    flat: dict[str, str] = {}
    for path in sorted((STRINGS_DIR / lang).glob("*.yaml")):
        with open(path, encoding="utf-8") as fh:
            doc = load_own_yaml(fh) or {}
        _flatten(path.stem, doc, flat, path)
    return flat


def _flatten(prefix: str, node: object, out: dict[str, str], path: Path) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(f"{prefix}.{key}", value, out, path)
    elif isinstance(node, str):
        out[prefix] = node
    else:
        raise ValueError(f"{path}: key '{prefix}' must be text, not {type(node).__name__}")


def t(key: str, lang: str = "fi", **values: object) -> str:
    """The text ``key`` in ``lang``, with ``{name}`` placeholders filled from ``values``."""
    texts = catalogue(lang)
    if key not in texts:
        raise MissingText(f"no text '{key}' for language '{lang}' in {STRINGS_DIR / lang}")
    return texts[key].format(**values) if values else texts[key]


def data_source_label(data_source: str, lang: str = "fi") -> str:
    """Reader's name of the ``data_source`` run parameter (embedded / fetched / a store folder)."""
    if data_source in ("embedded", "fetched"):
        return t(f"common.source_{data_source}", lang)
    return t("common.source_folder", lang, folder=data_source)


# --------------------------------------------------------------------------- months and periods


def month_names(lang: str) -> list[str]:
    """The month names of ``lang``, January first ("tammikuu", …)."""
    return t("common.month_names", lang).split(",")


def month_name(month: str, lang: str) -> str:
    """A month ``YYYY-MM`` for readers: ``2023-09`` -> "syyskuu 2023" / "september 2023"."""
    return f"{month_names(lang)[int(month[5:]) - 1]} {month[:4]}"


def period_words(period: str, lang: str) -> str:
    """A reporting period (a quarter ``2023Q3`` or a month ``2023-09``) for readers: "heinä–syyskuu 2023"
    (never broken across lines) or "syyskuu 2023"."""
    months = parse_period(period).months
    if len(months) == 1:
        return month_name(months[0], lang)
    stems = t("common.month_stems", lang).split(",")
    first, last = int(months[0][5:]), int(months[-1][5:])
    return f"{stems[first - 1]}–\u2060{month_names(lang)[last - 1]}\u00a0{months[-1][:4]}"
