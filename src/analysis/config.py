"""The one place for paths, areas and run parameters.

Every path the package reads or writes is built here from the project root, so a
newcomer can see in one file where the data comes from and where outputs go.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from analysis import yaml_files
from analysis.errors import UserError
from analysis.schema import AREA_CODE_PATTERN

ROOT: Path = Path(__file__).resolve().parents[2]
"""Project root (the folder holding ``pyproject.toml``)."""

CONFIG_DIR: Path = ROOT / "config"
AREAS_FILE: Path = CONFIG_DIR / "areas.yaml"
REVIEW_PARAMS_DIR: Path = CONFIG_DIR / "review"
NOTEBOOKS_FILE: Path = CONFIG_DIR / "notebooks.yaml"
"""The notebooks a review runs, their pages and the results each presents."""

DATA_DIR: Path = ROOT / "data"
RAW_DIR: Path = DATA_DIR / "raw"
"""Embedded real StatFin extracts; read-only (never written by code)."""
FETCHED_DIR: Path = DATA_DIR / "fetched"
"""Store written by ``python -m analysis fetch`` (not committed)."""
CACHE_DIR: Path = Path(os.environ.get("ANALYSIS_CACHE_DIR", DATA_DIR / "cache"))
"""Raw PxWeb responses and derived results, keyed by query or content hash (not committed).
The environment variable ANALYSIS_CACHE_DIR moves it (benchmarks measure a fresh clone that way)."""
INTERNAL_DIR: Path = DATA_DIR / "internal"
"""Imported internal-metric workbooks (KPI); not committed except the example data."""

NOTEBOOKS_DIR: Path = ROOT / "notebooks"
WORK_DIR: Path = ROOT / "work"
"""The analyst's workspace: copies of the notebooks, not tracked by git (``make lab`` seeds it)."""
OUTPUTS_DIR: Path = ROOT / "outputs"
REVIEW_FILE = "review.html"
"""A review's main page, in ``outputs/<area>/<period>/<lang>/``; beside it its print (:data:`PDF_FILE`), the
appendix (:data:`APPENDIX_FILE`) and one page per member municipality (:func:`municipality_page_file`)."""
PDF_FILE = "review.pdf"
APPENDIX_FILE = "appendix.html"
MUNICIPALITY_PAGE_FILE = re.compile(r"kunta-(ku[0-9]{3})\.html")
"""A member municipality's page in a review's folder (``kunta-ku584.html``: Perho); group 1 is its code."""


def municipality_page_file(code: str) -> str:
    """The file name of a member municipality's one-page summary: ``KU584`` -> ``kunta-ku584.html``."""
    return f"kunta-{code.lower()}.html"

QUARTER_PATTERN = re.compile(r"(?P<year>[0-9]{4})Q(?P<quarter>[1-4])")
MONTH_PERIOD_PATTERN = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
PERIOD_PATTERN = re.compile(rf"{QUARTER_PATTERN.pattern}|{MONTH_PERIOD_PATTERN.pattern}")
"""A reporting period: a quarter or a month; always used with ``fullmatch`` (``$`` would accept a
trailing newline)."""
LANGUAGES: tuple[str, ...] = ("fi", "sv")
DATA_SOURCES: tuple[str, ...] = ("embedded", "fetched")


class ConfigError(UserError, ValueError):
    """A configuration value or run parameter that is not allowed."""


@dataclass(frozen=True)
class Area:
    """An employment area: a named set of StatFin area codes whose counts are summed."""

    slug: str
    name_fi: str
    name_sv: str
    region: str | None
    members: tuple[str, ...]
    in_fi: str = ""
    in_sv: str = ""
    kind: str = "employment_area"  # "employment_area", "elinvoimakeskus" or "region"
    members_status: str = ""  # "final" (decided) or "preparation" (a preparation-stage source); "" not stated

    def name(self, lang: str = "fi") -> str:
        """The area's name in ``lang`` ("fi" or "sv")."""
        return self.name_sv if lang == "sv" else self.name_fi

    def located(self, lang: str = "fi") -> str:
        """"In the area" as a sentence opening, e.g. "Keski-Pohjanmaan työllisyysalueella" (empty if
        not configured: Finnish place-name inflection cannot be derived from the name)."""
        return self.in_sv if lang == "sv" else self.in_fi


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
AREA_KINDS: tuple[str, ...] = ("employment_area", "elinvoimakeskus", "region")
AREA_KEYS: tuple[str, ...] = ("name_fi", "name_sv", "members", "region", "kind", "in_fi", "in_sv", "members_status")
"""The keys an area entry of ``areas.yaml`` may have; any other is refused (a misspelling would be ignored)."""
MEMBERS_STATUSES: tuple[str, ...] = ("final", "preparation")
"""Where an area's members come from: ``final`` (a decision: the Government's, the councils' agreement) or
``preparation`` (only a preparation-stage source was found; the review says so once)."""


_AREA_CODE = re.compile(rf"({AREA_CODE_PATTERN})")
"""The store's area-code pattern, which every member of an area in ``config/areas.yaml`` must match."""


def read_yaml(path: Path) -> Any:
    """The YAML document in ``path``; a missing, non-UTF-8 or invalid file is a ConfigError naming it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("{path}: file not found", path=path) from None
    except OSError as exc:
        raise ConfigError("{path}: cannot read the file ({reason})", path=path, reason=exc.strerror or exc) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:200]:
        raise ConfigError("{path}: the file is UTF-16; save it as UTF-8", path=path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ConfigError("{path}, line {line}: byte 0x{byte:02X} is not UTF-8; save the file as UTF-8", path=path,
                          line=line, byte=raw[exc.start]) from None
    try:  # libyaml's parser where installed; a key given twice or an alias is refused (see analysis.yaml_files)
        return yaml_files.load(text)
    except yaml_files.DuplicateKey as exc:
        raise ConfigError("{path}, line {line}: the key '{key}' is given twice (first on line {first}); the second "
                          "would silently replace the first", path=path, line=exc.problem_mark.line + 1, key=exc.key,
                          first=exc.first_line) from None
    except yaml_files.AliasRefused as exc:
        raise ConfigError("{path}, line {line}, column {column}: an alias (*name) of an anchor (&name); aliases are "
                          "not allowed in this file, write the value out", path=path, line=exc.problem_mark.line + 1,
                          column=exc.problem_mark.column + 1) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if mark is not None:
            raise ConfigError("{path}, line {line}, column {column}: not valid YAML ({problem})", path=path,
                              line=mark.line + 1, column=mark.column + 1, problem=problem) from None
        raise ConfigError("{path}: not valid YAML ({problem})", path=path, problem=problem) from None


def _area_from_entry(slug: str, entry: Any, path: Path) -> Area:
    where = {"path": path, "slug": slug}
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
        raise ConfigError("{path}: area '{slug}': the id must be a lowercase slug such as 'keski-pohjanmaa'", **where)
    if not isinstance(entry, dict):
        raise ConfigError("{path}: area '{slug}': expected a mapping with name_fi, name_sv, members (and region, "
                          "kind)", **where)
    unknown = [str(k) for k in entry if k not in AREA_KEYS]  # a misspelt optional key would be ignored
    if unknown:
        raise ConfigError("{path}: area '{slug}': unknown key(s) {unknown}; allowed: {allowed}", **where,
                          unknown=", ".join(unknown), allowed=", ".join(AREA_KEYS))
    for key in ("name_fi", "name_sv", "in_fi", "in_sv"):
        if key in entry and not isinstance(entry[key], str):
            raise ConfigError("{path}: area '{slug}', key '{key}': expected a text, got {type}", **where, key=key,
                              type=type(entry[key]).__name__)
    missing = [k for k in ("name_fi", "name_sv", "members") if k not in entry]
    if missing:
        raise ConfigError("{path}: area '{slug}': missing key(s) {missing}", **where, missing=", ".join(missing))
    members = entry["members"]
    if not isinstance(members, list) or not members:
        raise ConfigError("{path}: area '{slug}', key 'members': expected a non-empty list of area codes", **where)
    region = entry.get("region")
    for code in [*members, *([region] if region is not None else [])]:
        if not isinstance(code, str) or not _AREA_CODE.fullmatch(code):
            raise ConfigError("{path}: area '{slug}': '{code}' is not a StatFin area code (SSS, MKnn, SKnnn, KUnnn)",
                              **where, code=code)
    if len(set(members)) != len(members):
        raise ConfigError("{path}: area '{slug}', key 'members': a code is listed twice", **where)
    regions_only = all(m.startswith("MK") for m in members)
    kind = entry.get("kind") or ("employment_area" if not regions_only else
                                 "region" if len(members) == 1 else "elinvoimakeskus")
    if kind not in AREA_KINDS:
        raise ConfigError("{path}: area '{slug}', key 'kind': '{kind}' is not one of {allowed}", **where, kind=kind,
                          allowed=", ".join(AREA_KINDS))
    status = entry.get("members_status") or ("final" if kind == "region" else "")
    if status not in ("", *MEMBERS_STATUSES):
        raise ConfigError("{path}: area '{slug}', key 'members_status': '{status}' is not one of {allowed}", **where,
                          status=status, allowed=", ".join(MEMBERS_STATUSES))
    return Area(
        slug=slug,
        name_fi=str(entry["name_fi"]),
        name_sv=str(entry["name_sv"]),
        region=region,
        members=tuple(members),
        in_fi=str(entry.get("in_fi", "")),
        in_sv=str(entry.get("in_sv", "")),
        kind=kind,
        members_status=status,
    )


def load_areas(path: Path = AREAS_FILE) -> dict[str, Area]:
    """Read the configured employment areas, keyed by slug, validating every entry. The file is read at
    every call and parsed again whenever its content changed (an edit is seen at once, also in a
    running JupyterLab kernel)."""
    try:
        content = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        content = ""  # read_yaml names the problem
    return _load_areas(Path(path), content)


@lru_cache(maxsize=8)
def _load_areas(path: Path, content: str) -> dict[str, Area]:
    """:func:`load_areas` of ``path`` whose bytes hash to ``content``."""
    doc = read_yaml(path) or {}
    if not isinstance(doc, dict):
        raise ConfigError("{path}: expected a mapping with 'areas' and 'default'", path=path)
    areas = doc.get("areas")
    if not isinstance(areas, dict) or not areas:
        raise ConfigError("{path}: no 'areas' mapping", path=path)
    result = {slug: _area_from_entry(slug, entry, path) for slug, entry in areas.items()}
    default = doc.get("default")
    if default not in result:
        raise ConfigError("{path}: default area '{default}' is not one of the areas", path=path, default=default)
    return result


def default_area_slug(path: Path = AREAS_FILE) -> str:
    """The slug of the default area (Keski-Pohjanmaa unless the config says otherwise)."""
    load_areas(path)  # validates the file (and that the default is one of the areas)
    return str(read_yaml(path)["default"])


def get_area(slug: str, path: Path = AREAS_FILE) -> Area:
    """The area ``slug``; a clear error lists the allowed ids when it is unknown."""
    areas = load_areas(path)
    if slug not in areas:
        import difflib

        by_name = {a.name_fi.casefold(): key for key, a in areas.items()} | {
            a.name_sv.casefold(): key for key, a in areas.items()}
        text = str(slug).casefold()
        close = difflib.get_close_matches(text, list(areas), n=3, cutoff=0.5)
        close += [by_name[n] for n in difflib.get_close_matches(text, list(by_name), n=3, cutoff=0.6)
                  if by_name[n] not in close]
        if close:
            raise ConfigError("unknown area '{slug}'; did you mean {close}? ({count} areas in {file}; "
                              "`python -m analysis areas` lists them)", slug=slug, close=", ".join(close[:3]),
                              count=len(areas), file=path.name)
        raise ConfigError("unknown area '{slug}' ({count} areas in {file}; `python -m analysis areas` lists them)",
                          slug=slug, count=len(areas), file=path.name)
    return areas[slug]


@dataclass(frozen=True)
class ReportingPeriod:
    """A reporting period: a quarter (``2023Q3``) or a month (``2023-09``), with its months."""

    code: str
    kind: str  # "quarter" | "month"
    months: tuple[str, ...]

    @property
    def last_month(self) -> str:
        """The period's last month, ``YYYY-MM``: the month its end-of-month figures refer to."""
        return self.months[-1]

    @property
    def year(self) -> int:
        return int(self.code[:4])

    @property
    def quarter(self) -> str:
        """The quarter (``YYYYQn``) that holds the period's last month."""
        month = int(self.last_month[5:])
        return f"{self.last_month[:4]}Q{(month - 1) // 3 + 1}"


def parse_period(period: str) -> ReportingPeriod:
    """Parse a reporting period: a quarter ``YYYYQn`` or a month ``YYYY-MM``; refuse any other form
    (the whole string must match: a trailing newline or space is refused)."""
    text = period if isinstance(period, str) else ""
    quarter = QUARTER_PATTERN.fullmatch(text)
    if quarter:
        year, q = int(quarter["year"]), int(quarter["quarter"])
        months = tuple(f"{year}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1))
        return ReportingPeriod(text, "quarter", months)
    if MONTH_PERIOD_PATTERN.fullmatch(text):
        return ReportingPeriod(text, "month", (text,))
    raise ConfigError("period {period!r} is not a quarter YYYYQn (e.g. 2023Q3) or a month YYYY-MM (e.g. 2023-09)",
                      period=period)


def period_months(period: str) -> list[str]:
    """The months (``YYYY-MM``) of a reporting period: three for a quarter, one for a month."""
    return list(parse_period(period).months)


def check_language(lang: str) -> str:
    """Return ``lang`` if it is a supported user language, else raise ConfigError."""
    if not isinstance(lang, str) or lang not in LANGUAGES:
        raise ConfigError("language {lang!r} is not supported; use one of {allowed}", lang=lang,
                          allowed=", ".join(LANGUAGES))
    return lang
