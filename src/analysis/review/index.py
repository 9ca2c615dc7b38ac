"""``outputs/index.html``, ``outputs/index.sv.html`` and ``outputs/index.json``: every published review.

The lists are rebuilt from the ``run.json`` records of the reviews on disk and the pages beside them, so
they can never disagree with them; each file is written atomically. Each language has its own page
(:data:`INDEX_FILES`), linked to the other one: per area, one card per review, newest first, with the
review's type (quarterly or monthly), its headline as its main page states it, and links to the review,
its PDF, its appendix and its municipality pages (only to files that exist), and to the review in the
other language.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path, PurePosixPath

from analysis import config
from analysis.files import public_mode, write_atomic
from analysis.names import area_name
from analysis.present.grammar import until_month
from analysis.present.text import period_words, t
from analysis.review import render

INDEX_LANG = "fi"
"""The language of ``index.html``, the folder's default page."""

INDEX_FILES: dict[str, str] = {"fi": "index.html", "sv": "index.sv.html"}
"""The list of reviews in each language."""

FIELDS = ("status", "area", "area_name", "period", "lang", "data_vintage", "last_month", "made_at", "headline")
"""What ``index.json`` keeps of each review's record (with its ``path``); a field a record lacks is empty."""

MUNICIPALITIES_OPEN = 12
"""Up to this many municipality links are shown at once; more (a region's) are folded under their count."""


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
    found = {k: "" if record.get(k) is None else str(record.get(k)) for k in FIELDS}
    found["headline"] = record["headline"] if isinstance(record.get("headline"), str) else ""  # text or none
    return found


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
        record["path"] = str((run.parent / config.REVIEW_FILE).relative_to(output_dir))
        records.append(record)
    records.sort(key=lambda r: (r["period"], r["area"], r["lang"]), reverse=True)
    return records


def _published(record: dict) -> bool:
    """True for a published review (records written before the status field count as published)."""
    return (record.get("status") or "published") == "published"


def _last_month(record: dict) -> str:
    """The data's last month of a review (``YYYY-MM``): recorded, or the last month of its period; empty
    when neither is a month."""
    recorded = str(record.get("last_month") or "")
    if config.MONTH_PERIOD_PATTERN.fullmatch(recorded):
        return recorded
    try:
        return config.parse_period(str(record.get("period", ""))).last_month
    except config.ConfigError:
        return ""


def _made_at_words(stamp: str, lang: str) -> str:
    """When a review was made, for readers ("1.12.2026 klo 20.57"); empty when the record does not say."""
    from datetime import datetime

    try:
        return render.made_at_words(lang, datetime.fromisoformat(stamp))
    except (TypeError, ValueError):
        return ""


def grouped(records: list[dict]) -> list[tuple[str, list[dict]]]:
    """Published reviews grouped by area, each area's newest period first, one entry per period with its
    languages' records side by side: ``[(area, [{"period", "last_month", "records": {lang: record}}, …]), …]``
    (areas in the order of their slugs; a page sorts them by name in its language)."""
    areas: dict[str, dict[str, dict]] = {}
    for r in records:
        if not _published(r):
            continue
        period = str(r.get("period", ""))
        entry = areas.setdefault(str(r.get("area", "")), {}).setdefault(period, {
            "period": period, "last_month": _last_month(r), "records": {}})
        entry["records"][str(r.get("lang", ""))] = r
    return [(area, sorted(periods.values(), key=lambda e: (e["last_month"], e["period"]), reverse=True))
            for area, periods in sorted(areas.items())]


ISOLATE, POP_ISOLATE = "\u2068", "\u2069"
"""FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE: a name inside an attribute cannot reverse what follows
(a right-to-left override in a name ends with it); in the page's text, names sit in ``<bdi>``."""


def _isolated(name: str) -> str:
    return f"{ISOLATE}{name}{POP_ISOLATE}"


def _period(period: str, lang: str) -> str:
    """The period for readers ("heinä–syyskuu 2023"), or as recorded when it is not a period."""
    try:
        return period_words(period, lang)
    except config.ConfigError:
        return period


def review_kind(period: str, lang: str) -> str:
    """The type of the review of ``period``: "Neljännesvuosikatsaus" (a quarter) or "Kuukausikatsaus" (a
    month) / "Kvartalsöversikt" / "Månadsöversikt"; empty when ``period`` is neither."""
    try:
        kind = config.parse_period(period).kind
    except config.ConfigError:
        return ""
    return t(f"index.kind_{kind}", lang)


def _name_key(name: str) -> str:
    """Sorting key of a name in Finnish and Swedish order: å, ä, ö after z."""
    return name.casefold().translate({ord("å"): "{", ord("ä"): "|", ord("ö"): "}"})


def _area_name(entries: list[dict], area: str, lang: str) -> str:
    """The area's name in ``lang`` as a record of that language holds it, else as any record holds it."""
    records = [e["records"][lang] for e in entries if lang in e["records"]]
    records += [r for e in entries for r in e["records"].values()]
    return next((str(r["area_name"]) for r in records if r.get("area_name")), area)


def _files(folder: Path) -> tuple[bool, bool, list[str]]:
    """What a review's folder holds besides its main page: the PDF, the appendix, the member municipalities'
    pages (their codes, ``KU584``). A file behind a link is not the review's and is not linked."""
    def held(name: str) -> bool:
        path = folder / name
        return path.is_file() and not path.is_symlink()

    codes = sorted(m.group(1).upper() for path in folder.glob("kunta-ku*.html")
                   if (m := config.MUNICIPALITY_PAGE_FILE.fullmatch(path.name)) and held(path.name))
    return held(config.PDF_FILE), held(config.APPENDIX_FILE), codes


def _link(href: str, text: str, area: str, period: str, lang: str, other: bool = False, kind: str = "") -> dict:
    """A link of a card: its text, and an accessible label that starts with the text and names the review;
    ``other``: in the other language (its text and label in ``lang``); ``kind``: the media type of a file."""
    return {"href": href, "text": text, "hreflang": lang, "lang": lang if other else "", "type": kind,
            "label": t("index.link_label", lang, text=text, area=_isolated(area), period=period)}


def _own_links(record: dict, output_dir: Path, name: str, period: str, lang: str) -> tuple[list[dict], dict | None]:
    """The links to a review in the page's language: the review, its PDF and appendix; and its municipality
    pages (with their names in ``lang``), or None."""
    folder = PurePosixPath(Path(record["path"]).as_posix()).parent
    pdf, appendix, codes = _files(output_dir / Path(record["path"]).parent)
    links = [_link(str(folder / config.REVIEW_FILE), t("index.read", lang), name, period, lang)]
    if pdf:
        links.append(_link(str(folder / config.PDF_FILE), t("index.pdf", lang), name, period, lang, kind="application/pdf"))
    if appendix:
        links.append(_link(str(folder / config.APPENDIX_FILE), t("index.appendix", lang), name, period, lang))
    if not codes:
        return links, None
    names = sorted(((area_name(code, None, lang), code) for code in codes), key=lambda p: _name_key(p[0]))
    pages = [{"href": str(folder / config.municipality_page_file(code)), "text": town, "hreflang": lang, "lang": "", "type": "",
              "label": t("index.municipality_label", lang, name=_isolated(town), period=period)} for town, code in names]
    return links, {"label": t("index.municipalities", lang), "summary": t("index.municipalities_count", lang, count=len(pages)),
                   "open": len(pages) <= MUNICIPALITIES_OPEN, "links": pages}


def _card(entry: dict, name: str, output_dir: Path, lang: str) -> dict:
    """One review on the list of ``lang``: its type and period, headline, links and when it was made."""
    period = _period(entry["period"], lang)
    kind = review_kind(entry["period"], lang)
    own = entry["records"].get(lang)
    links, municipalities = _own_links(own, output_dir, name, period, lang) if own else ([], None)
    for other in config.LANGUAGES:
        if other != lang and other in entry["records"]:
            theirs = entry["records"][other]
            links.append(_link(Path(theirs["path"]).as_posix(),
                               t("index.review_in_own_language", other), theirs.get("area_name") or name,
                               _period(entry["period"], other), other, other=True))
    shown = own or next(iter(entry["records"].values()))
    meta = [t("index.data_until", lang, until=until_month(entry["last_month"], lang))] if entry["last_month"] else []
    made_at = _made_at_words(str(shown.get("made_at", "")), lang)
    if made_at:
        meta.append(t("index.made_at", lang, made_at=made_at))
    return {"title": t("index.card_title", lang, kind=kind, period=period) if kind else period,
            "headline": own.get("headline", "") if own else "",
            "missing": "" if own else t("index.missing_version", lang),
            "links": links, "municipalities": municipalities, "meta": " ".join(meta)}


def index_page(records: list[dict], output_dir: Path, lang: str) -> str:
    """The list of reviews in ``lang`` (see the module's description) as a complete page."""
    from analysis.present.html import render as render_template

    areas = []
    for area, entries in grouped(records):
        name = _area_name(entries, area, lang)
        areas.append({"name": name, "label": _isolated(name),
                      "reviews": [_card(entry, name, output_dir, lang) for entry in entries]})
    areas.sort(key=lambda a: _name_key(a["name"]))
    others = [{"href": INDEX_FILES[code], "lang": code, "text": t("index.in_own_language", code)}
              for code in config.LANGUAGES if code != lang]
    body = render_template("reviews_index.html.j2", areas=areas, others=others, empty=t("index.empty", lang))
    alternates = [(code, INDEX_FILES[code]) for code in config.LANGUAGES]
    return render.page(t("index.title", lang), body, lang, [], [t("review.footer_licence", lang)],
                       alternates=alternates)


def write_index(output_dir: Path) -> Path:
    """Write ``index.json`` and the list of reviews in each language (:data:`INDEX_FILES`); returns the path
    of ``index.html``."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    records = collect(output_dir)
    summary = [{k: r.get(k) for k in (*FIELDS, "path")} for r in records if _published(r)]
    write_atomic(output_dir / "index.json", json.dumps(summary, ensure_ascii=False, indent=2), public_mode())
    for lang in config.LANGUAGES:  # the mode of this run, not of an earlier one
        write_atomic(output_dir / INDEX_FILES[lang], index_page(records, output_dir, lang), public_mode())
    return output_dir / INDEX_FILES[INDEX_LANG]
