"""Command-line entry point: ``python -m analysis <command>``.

Commands:
  review   run the quarterly employment review (papermill -> HTML) for an area and quarter
  fetch    load the tables the analyses need from the StatFin PxWeb API into data/fetched
  kpi-template / kpi-import   blank workbook for internal KPI metrics; validate and import a filled one
  areas    list the configured employment areas
  strip-notebooks   remove outputs from the committed notebooks
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from analysis import config

EPILOG = """examples:
  python -m analysis review                       default area, latest complete quarter
  python -m analysis review --area keski-pohjanmaa --period 2023Q3 --lang sv
  python -m analysis fetch                        refresh data from Statistics Finland (needs internet)
  python -m analysis areas                        list area ids for --area
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with all subcommands."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Employment-area analytics: from Statistics Finland data to the quarterly "
        "employment review (työllisyyskatsaus) that managers read as HTML.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    review = sub.add_parser(
        "review", help="run the quarterly review: execute the notebooks and render HTML",
        description="Execute every analysis notebook with papermill for one area and quarter, render "
        "them and one combined review to HTML (code hidden) in outputs/<area>/<period>/<lang>/, and update "
        "outputs/index.html. Prints the path of the combined review as the last line.",
    )
    review.add_argument("--area", help="area id from config/areas.yaml (default: the period's parameter file, "
                        "else the configured default)")
    review.add_argument("--period", help="reporting period: a quarter YYYYQn or a month YYYY-MM (default: latest complete quarter in the data)")
    review.add_argument("--lang", default=None, choices=config.LANGUAGES,
                        help="language of the review (default: the period's parameter file, else fi)")
    review.add_argument("--data-source", default=None,
                        help="embedded, fetched, or a store folder (default: the period's parameter file, else embedded)")
    review.add_argument("--force", action="store_true", help="replace an existing review for the same area and period")
    review.add_argument("--output-dir", default=None, help="folder for reviews (default: outputs/)")
    review.add_argument("--no-progress", action="store_true", help="do not show the progress bar")
    review.add_argument("--all-areas", action="store_true",
                        help="build the review of every configured area for the period in one run")
    review.add_argument("--kpi-demo", action="store_true",
                        help="show the labelled example data for the internal KPI metrics (demonstration only)")

    fetch = sub.add_parser(
        "fetch", help="load tables from the StatFin PxWeb API into data/fetched",
        description="Fetch the tables the analyses need (12r5 with all 23 measures, 12ti by occupation, the "
        "tables by mother tongue) from Statistics Finland's PxWeb API. Raw responses are cached in "
        "data/cache; a table is refetched only when its 'updated' stamp changed. A failed fetch leaves the "
        "previous data intact.",
    )
    fetch.add_argument("--tables", nargs="*", help="table ids to fetch (default: all the analyses need)")
    fetch.add_argument("--base-url", default=None, help="PxWeb API root (default: Statistics Finland's)")
    fetch.add_argument("--refresh", action="store_true", help="ignore the cache and fetch again")
    fetch.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                       help="overall time limit for the whole fetch (default: 600 s)")
    fetch.add_argument("--px-file", nargs="*", default=None,
                       help="read these .px files (downloaded from StatFin pages) instead of the API")

    template = sub.add_parser(
        "kpi-template", help="write a blank Excel workbook for the internal KPI metrics",
        description="Write a blank workbook (long format: metric, month, municipality, value, note) with "
        "the metric list and validation hints, for staff to fill every month.",
    )
    template.add_argument("file", help="the .xlsx file to write")
    kpi_import = sub.add_parser(
        "kpi-import", help="validate and import a filled KPI workbook",
        description="Read a filled KPI workbook, validate every row, and keep it with its import date. "
        "A bad workbook changes nothing; errors name the sheet, row and column.",
    )
    kpi_import.add_argument("file", help="the filled .xlsx file")

    sub.add_parser("areas", help="list the configured employment areas")
    sub.add_parser("strip-notebooks", help="remove outputs and execution counts from notebooks/*.ipynb")
    return parser


def _cmd_areas() -> int:
    default = config.default_area_slug()
    for slug, area in config.load_areas().items():
        mark = " (default)" if slug == default else ""
        print(f"{slug:32} {area.name_fi}{mark}  [{', '.join(area.members)}]")
    return 0


def _cmd_strip() -> int:
    from analysis.review.notebooks import strip_outputs

    for path in sorted(config.NOTEBOOKS_DIR.glob("*.ipynb")):
        if strip_outputs(path):
            print(f"stripped {path.relative_to(config.ROOT)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        if args.command == "areas":
            return _cmd_areas()
        if args.command == "strip-notebooks":
            return _cmd_strip()
        if args.command == "kpi-template":
            from analysis.present.kpi import workbook_texts
            from analysis.sources.workbook import write_template_cli

            return write_template_cli(args.file, workbook_texts())
        if args.command == "kpi-import":
            from analysis.sources.workbook import import_workbook_cli

            return import_workbook_cli(args.file)
        if args.command == "fetch":
            from analysis.store.refresh import run_fetch

            from analysis.sources.pxweb import DEFAULT_DEADLINE

            return run_fetch(tables=args.tables, base_url=args.base_url, refresh=args.refresh,
                             px_files=args.px_file,
                             timeout=args.timeout if args.timeout is not None else DEFAULT_DEADLINE)
        if args.command == "review":
            from analysis.review.runner import run_review_cli

            return run_review_cli(area=args.area, period=args.period, lang=args.lang,
                                  data_source=args.data_source, force=args.force,
                                  progress=not args.no_progress, output_dir=args.output_dir,
                                  all_areas=args.all_areas, kpi_demo=args.kpi_demo)
    except config.ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    parser.error(f"unknown command {args.command}")
    return 2
