"""Review parameters: committed per-period files, command-line overrides, validation before any run."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from analysis import config
from analysis.indicators.overview import core_months, latest_complete_quarter
from analysis.schema import Store, StoreError


@dataclass(frozen=True)
class ReviewParams:
    """The literal parameters every notebook of the review receives."""

    area: str
    period: str
    data_source: str
    lang: str
    output_dir: str
    kpi_data: str = "imported"  # imported | example (the labelled demonstration, --kpi-demo)

    def as_notebook_parameters(self) -> dict[str, str]:
        """The values papermill injects into each notebook's ``parameters`` cell."""
        return asdict(self)


def params_file(period: str, folder: Path = config.REVIEW_PARAMS_DIR) -> Path:
    """The committed parameter file of a quarter: ``config/review/<period>.yaml``."""
    return Path(folder) / f"{period}.yaml"


def read_params_file(path: Path) -> dict[str, str]:
    """The parameters in a committed review file; unknown keys and values that are not text are
    refused with an error naming the file and the key."""
    doc = config.read_yaml(path) or {}
    if not isinstance(doc, dict):
        raise config.ConfigError("{path}: expected a mapping of parameter names to values", path=path)
    allowed = {"area", "period", "data_source", "lang"}
    unknown = sorted(set(map(str, doc)) - allowed)
    if unknown:
        raise config.ConfigError("{path}: unknown parameter(s) {unknown}; allowed: {allowed}", path=path,
                                 unknown=", ".join(unknown), allowed=", ".join(sorted(allowed)))
    examples = {"area": "keski-pohjanmaa", "period": "2023Q3", "lang": "fi", "data_source": "embedded"}
    for key, value in doc.items():
        if not isinstance(value, str):
            raise config.ConfigError("{path}, key '{key}': expected a text value such as {example!r}, got {type} "
                                     "{value!r}", path=path, key=key, example=examples[key],
                                     type=type(value).__name__, value=value)
    return dict(doc)


def check_data_source(data_source: str) -> str:
    """``embedded``, ``fetched`` or an existing store folder; anything else is refused."""
    if data_source in config.DATA_SOURCES:
        if data_source == "fetched" and not (config.FETCHED_DIR / "observations.csv.gz").exists():
            raise config.ConfigError(
                "data source 'fetched' has no data yet: run `python -m analysis fetch` first"
            )
        return data_source
    if Path(data_source).is_dir():
        return str(Path(data_source).resolve())
    raise config.ConfigError(
        "data source '{source}' is neither 'embedded', 'fetched' nor an existing store folder", source=data_source
    )


def check_period_in_data(period: str, store: Store, table_id: str = "12r5") -> None:
    """Refuse a period whose months do not all have the core measure (unemployed jobseekers)."""
    months = set(core_months(store, table_id))
    missing = [m for m in config.period_months(period) if m not in months]
    if missing:
        latest = latest_complete_quarter(store, table_id)
        raise config.ConfigError(
            "period {period}: the data has no month(s) {missing} in table {table}; the latest complete quarter is "
            "{latest}", period=period, missing=", ".join(missing), table=table_id, latest=latest
        )


def check_members_in_data(area: config.Area, store: Store, table_id: str = "12r5") -> None:
    """Refuse an area with a member code that does not exist in StatFin's area classification
    (before any notebook runs). A real municipality the data at hand does not hold is allowed: the
    review runs and says what the data lacks for the area."""
    from analysis.sources.embedded import load_area_codes

    known = set(load_area_codes()["area_code"]) | set(
        store.observations.loc[store.observations["table_id"] == table_id, "area_code"].unique())
    unknown = [code for code in area.members if code not in known]
    if unknown:
        raise config.ConfigError(
            "{path}: area '{slug}', key 'members': {unknown} is not a StatFin area code (the classification of 2026 "
            "has {count} codes); check the codes", path=config.AREAS_FILE, slug=area.slug,
            unknown=", ".join(unknown), count=len(known))


class AreaNotHeld(config.ConfigError):
    """The data do not hold the area in the period (see :func:`check_area_held`): a run of every area skips it."""


def check_area_held(area: config.Area, period: str, store: Store, data_source: str = "embedded") -> None:
    """Refuse a review whose area the data do not hold in the period's last month (no unemployed jobseekers for
    some member, and no published area equal to it), naming what to fetch, and an area whose members overlap
    (a municipality and its region would be counted twice). Never a review of figures from no data."""
    from analysis.store.scope import Scope

    try:
        scope = Scope.of(store, area, period, data_source)
    except StoreError as exc:
        raise config.ConfigError("{path}: {error}", path=config.AREAS_FILE, error=exc) from None
    month = scope.last_month
    counts = scope.counts(["unemployed_jobseekers"])
    held = counts.loc[counts["period"] == month, "value"]
    if len(held) and held.notna().all():
        return
    cell = store.table(table_id := "12r5").observations
    cell = cell[(cell["measure"] == "unemployed_jobseekers") & (cell["period"] == month) & cell["value"].notna()]
    missing = [m for m in area.members if m not in set(cell["area_code"])]
    raise AreaNotHeld(
        "area '{slug}': the data hold no unemployed jobseekers (table {table}) for {missing} in {month}; fetch them "
        "(`python -m analysis fetch --tables {table}`, which asks for every area of config/areas.yaml) and run the "
        "review with --data-source fetched", slug=area.slug, table=table_id, missing=", ".join(missing) or "?",
        month=month)


def check_request(area: str | None = None, period: str | None = None, lang: str | None = None,
                  data_source: str | None = None) -> None:
    """The checks of a review's parameters that need no data (the rest, in :func:`resolve`, reads the
    store): the runner makes them before it starts anything. Raises ConfigError."""
    if lang is not None:
        config.check_language(lang)
    if area is not None:
        config.get_area(area)
    if period is not None:
        config.parse_period(period)
    if data_source is not None:
        check_data_source(data_source)


def resolve(
    store_loader,
    area: str | None = None,
    period: str | None = None,
    lang: str | None = None,
    data_source: str | None = None,
    output_dir: Path = config.OUTPUTS_DIR,
    kpi_demo: bool = False,
) -> tuple[ReviewParams, Store]:
    """Validated parameters: command line over the committed per-period file over the defaults.

    ``store_loader(data_source)`` loads the store (so the period can be checked against the data
    and defaulted to the latest complete quarter). Raises ConfigError before anything runs.
    """
    check_request(area, period, lang, data_source)
    from_file: dict[str, str] = {}
    if period is not None and params_file(period).exists():
        from_file = read_params_file(params_file(period))
    source = check_data_source(data_source or from_file.get("data_source", "embedded"))
    store = store_loader(source)
    if period is None:
        period = latest_complete_quarter(store)
        if params_file(period).exists():
            from_file = read_params_file(params_file(period))
    if from_file.get("period", period) != period:
        raise config.ConfigError("{path}: says period {said}, file name says {period}", path=params_file(period),
                                 said=from_file["period"], period=period)
    params = ReviewParams(
        area=config.get_area(area or from_file.get("area") or config.default_area_slug()).slug,
        period=period,
        data_source=source,
        lang=config.check_language(lang or from_file.get("lang", "fi")),
        output_dir=str(output_dir),
        kpi_data="example" if kpi_demo else "imported",
    )
    check_period_in_data(params.period, store)
    check_members_in_data(config.get_area(params.area), store)
    check_area_held(config.get_area(params.area), params.period, store, source)
    return params, store
