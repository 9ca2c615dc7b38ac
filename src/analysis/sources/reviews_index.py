"""The list of published reviews (``outputs/index.json``): its format, read without the data libraries.

The review step writes the list (:mod:`analysis.review.index`); the scorecard's metric "employment
reviews published" and the cache key of the results that count them read it here, below every layer
that uses it.
"""

from __future__ import annotations

import json
from pathlib import Path

from analysis import config
from analysis.errors import DataValidationError

REVIEW_FIELDS: tuple[str, ...] = ("area", "period", "lang", "made_at", "path")
"""What :func:`listed_reviews` gives of each review ``index.json`` lists."""


def listed_reviews(path: Path) -> list[dict[str, str]]:
    """The reviews listed in ``outputs/index.json``: :data:`REVIEW_FIELDS` of each, as text.

    An absent file means no reviews yet. Entries without an area or a valid period are skipped; a
    file that is not a JSON list raises DataValidationError. Read without the data libraries: the
    cache key of the results that count the reviews is found from it by every notebook's kernel.
    """
    path = Path(path)
    if not path.exists():
        return []
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataValidationError(path, "not valid JSON ({reason})", reason=exc) from exc
    if isinstance(doc, dict) and isinstance(doc.get("reviews"), list):
        doc = doc["reviews"]
    if not isinstance(doc, list):
        raise DataValidationError(path, "expected a JSON list of reviews")
    return [{c: str(entry.get(c, "")) for c in REVIEW_FIELDS} for entry in doc
            if isinstance(entry, dict) and entry.get("area") and config.PERIOD_PATTERN.fullmatch(str(entry.get("period", "")))]


def review_frame(path: Path):
    """The reviews listed in ``outputs/index.json`` as a data frame (:data:`REVIEW_FIELDS`, text): an absent
    file means no reviews yet (an empty frame). pandas is imported here only, not with the module."""
    import pandas as pd

    return pd.DataFrame(listed_reviews(path), columns=list(REVIEW_FIELDS), dtype="str")
