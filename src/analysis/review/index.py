"""``outputs/index.html`` and ``outputs/index.json``: every published review.

The index is rebuilt from the ``run.json`` records of the reviews on disk, so it can never
disagree with them; it is written atomically.
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

from analysis.files import write_atomic
from analysis.present.text import t
from analysis.review import render

INDEX_LANG = "fi"


FIELDS = ("area", "area_name", "period", "lang", "data_vintage", "made_at")


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
        try:
            record = read_record(run)
        except ValueError as exc:
            warn(f"{run} {exc}; that review is left out of the index")
            continue
        record["path"] = str((run.parent / "review.html").relative_to(output_dir))
        records.append(record)
    records.sort(key=lambda r: (r["period"], r["area"], r["lang"]), reverse=True)
    return records


def write_index(output_dir: Path) -> Path:
    """Write ``index.json`` and ``index.html`` listing every review; returns the HTML path."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    records = collect(output_dir)
    summary = [{k: r.get(k) for k in (*FIELDS, "path")} for r in records]
    write_atomic(output_dir / "index.json", json.dumps(summary, ensure_ascii=False, indent=2))
    lang = INDEX_LANG
    head = [t(f"review.index_{c}", lang) for c in ("area", "period", "lang", "vintage", "made_at")]
    rows = "".join(
        "<tr>"
        f'<th scope="row"><a href="{html.escape(r["path"])}">{html.escape(str(r["area_name"]))}</a></th>'
        f"<td>{html.escape(str(r['period']))}</td><td>{html.escape(str(r['lang']))}</td>"
        f"<td>{html.escape(str(r['data_vintage']))}</td><td>{html.escape(str(r['made_at']))}</td>"
        "</tr>"
        for r in summary
    )
    body = (
        f'<table class="data"><caption>{html.escape(t("review.index_caption", lang))}</caption><thead><tr>'
        + "".join(f'<th scope="col">{html.escape(h)}</th>' for h in head)
        + f"</tr></thead><tbody>{rows}</tbody></table>"
        if summary else f"<p>{html.escape(t('review.index_empty', lang))}</p>"
    )
    page = render.page(t("review.index_title", lang), body, lang, [], [t("review.footer_licence", lang)])
    target = output_dir / "index.html"
    write_atomic(target, page)
    return target
