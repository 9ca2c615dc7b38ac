"""``outputs/index.html`` and ``outputs/index.json``: every published review.

The index is rebuilt from the ``run.json`` records of the reviews on disk, so it can never
disagree with them; it is written atomically.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from analysis.files import public_mode, write_atomic
from analysis.present.text import period_words, t
from analysis.review import render

INDEX_LANG = "fi"


FIELDS = ("status", "area", "area_name", "period", "lang", "data_vintage", "last_month", "made_at")


def read_record(run: Path) -> dict[str, str]:
    """One review's ``run.json`` as text fields; raises ValueError saying why it cannot be used."""
    try:
        record = json.loads(run.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ValueError("is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(record, dict):
        raise ValueError(f"is not a review record (a JSON {type(record).__name__}, expected an object)")
    missing = [k for k in ("area", "period", "lang") if not isinstance(record.get(k), str)]
    if missing:
        raise ValueError(f"lacks the text field(s) {', '.join(missing)}")
    return {k: "" if record.get(k) is None else str(record.get(k)) for k in FIELDS}


def collect(output_dir: Path, warn=None) -> list[dict]:
    """The records of all reviews under ``output_dir``, newest period first.

    A ``run.json`` that cannot be read or is not a review record is left out and reported
    through ``warn(message)`` (default: a warning on stderr naming the file), so one broken
    record never breaks the index or a publish.
    """
    output_dir = Path(output_dir)
    if warn is None:
        def warn(message: str) -> None:
            print(f"warning: {message}", file=sys.stderr)
    records = []
    for run in sorted(output_dir.glob("*/*/*/run.json")):
        if any(part.startswith(".") for part in run.relative_to(output_dir).parts):
            continue
        if any(p.is_symlink() for p in (run, run.parent, run.parent.parent, run.parent.parent.parent)):
            continue  # a review behind a link planted in the output folder is not ours to list
        try:
            record = read_record(run)
        except ValueError as exc:
            warn(f"{run} {exc}; that review is left out of the index")
            continue
        record["path"] = str((run.parent / "review.html").relative_to(output_dir))
        records.append(record)
    records.sort(key=lambda r: (r["period"], r["area"], r["lang"]), reverse=True)
    return records


def _published(record: dict) -> bool:
    """True for a published review (records written before the status field count as published)."""
    return (record.get("status") or "published") == "published"


def _last_month(record: dict) -> str:
    """The data's last month of a review: recorded, or the last month of its period."""
    from analysis.config import ConfigError, parse_period

    if record.get("last_month"):
        return str(record["last_month"])
    try:
        return parse_period(str(record.get("period", ""))).last_month
    except ConfigError:
        return ""


def _made_at_words(stamp: str, lang: str) -> str:
    from datetime import datetime

    try:
        return render.made_at_words(lang, datetime.fromisoformat(stamp))
    except (TypeError, ValueError):
        return "–"


def grouped(records: list[dict]) -> list[tuple[str, list[dict]]]:
    """Published reviews grouped by area (by name), each area's newest period first, one row per
    period with the languages side by side: ``[(area_name, [{"period", "last_month", "made_at",
    "paths": {lang: path}}, …]), …]``."""
    areas: dict[str, dict[str, dict]] = {}
    names: dict[str, str] = {}
    for r in records:
        if not _published(r):
            continue
        area = str(r.get("area", ""))
        if r.get("lang") == INDEX_LANG or area not in names:
            names[area] = str(r.get("area_name", area))
        row = areas.setdefault(area, {}).setdefault(str(r.get("period", "")), {
            "period": str(r.get("period", "")), "last_month": _last_month(r), "made_at": "", "paths": {}})
        row["paths"][str(r.get("lang", ""))] = r["path"]
        row["made_at"] = max(row["made_at"], str(r.get("made_at", "")))
    out = []
    for area in sorted(areas, key=lambda a: names[a]):
        rows = sorted(areas[area].values(), key=lambda row: (row["last_month"], row["period"]), reverse=True)
        out.append((names[area], rows))
    return out


ISOLATE, POP_ISOLATE = "\u2068", "\u2069"
"""FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE: a name inside an attribute cannot reverse what follows
(a right-to-left override in a name ends with it); in the page's text, names sit in ``<bdi>``."""
SLOT = "\ufffc"
"""OBJECT REPLACEMENT CHARACTER: where a translated sentence takes a name in ``<bdi>``."""


def write_index(output_dir: Path) -> Path:
    """Write ``index.json`` and ``index.html`` listing every review; returns the HTML path."""
    from analysis.config import LANGUAGES, ConfigError

    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    records = collect(output_dir)
    summary = [{k: r.get(k) for k in (*FIELDS, "path")} for r in records if _published(r)]
    write_atomic(output_dir / "index.json", json.dumps(summary, ensure_ascii=False, indent=2), public_mode())
    from analysis.present.html import render as render_template

    lang = INDEX_LANG
    areas = []
    for area_name, rows in grouped(records):
        shown = []
        for row in rows:
            try:
                period = period_words(row["period"], lang)
            except ConfigError:
                period = row["period"]
            links = [{"href": row["paths"][code], "lang": code, "text": t("review.index_open", code),
                      "label": f"{ISOLATE}{area_name}{POP_ISOLATE}, {period}, {t(f'review.index_lang_{code}', lang)}"}
                     if code in row["paths"] else None for code in LANGUAGES]
            shown.append({"period": period, "links": links, "made_at": _made_at_words(row["made_at"], lang),
                          "last_month": period_words(row["last_month"], lang) if row["last_month"] else "–"})
        before, _, after = t("review.index_caption", lang, area=SLOT).partition(SLOT)
        areas.append({"name": area_name, "label": f"{ISOLATE}{area_name}{POP_ISOLATE}", "caption_before": before,
                      "caption_after": after, "rows": shown})
    columns = [t("review.index_period", lang), *[t(f"review.index_lang_{code}", lang) for code in LANGUAGES],
               t("review.index_last_month", lang), t("review.index_made_at", lang)]
    page_body = render_template("reviews_index.html.j2", areas=areas, columns=columns, empty=t("review.index_empty", lang))
    page = render.page(t("review.index_title", lang), page_body, lang, [], [t("review.footer_licence", lang)])
    target = output_dir / "index.html"
    write_atomic(target, page, public_mode())  # the mode of this run, not of an earlier one
    return target
