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
import os
import re
import signal
import sys
import tempfile
import traceback
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path

from analysis import config
from analysis.errors import ERROR_LANGUAGES, Localized, Text, UserError, user_language

EXIT_USER_ERROR = 2
"""Exit status of a known error (bad data, configuration, parameters, network, workbook, notebook)."""
EXIT_BUG = 1
EXIT_TERMINATED = 128 + signal.SIGTERM
"""Exit status after SIGTERM (the shell's convention for a process ended by a signal)."""
"""Exit status of an unexpected error (a bug): its traceback is in the log file named on stderr."""
LOG_DIR = config.CACHE_DIR / "logs"
"""Tracebacks of unexpected errors (in the cache folder: not committed, safe to delete)."""

EPILOG = """examples:
  python -m analysis review                       default area, latest complete quarter
  python -m analysis review --area keski-pohjanmaa --period 2023Q3 --lang sv
  python -m analysis fetch                        refresh data from Statistics Finland (needs internet)
  python -m analysis areas                        list area ids for --area
"""


ARGPARSE_MESSAGES: tuple[tuple[re.Pattern[str], Text], ...] = tuple((re.compile(p), t) for p, t in (
    (r"invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)",
     Text("invalid choice: {value} (choose from {choices})")),
    (r"unrecognized arguments: (?P<arguments>.+)", Text("unrecognized arguments: {arguments}")),
    (r"the following arguments are required: (?P<arguments>.+)",
     Text("the following arguments are required: {arguments}")),
    (r"expected one argument", Text("expected one argument")),
    (r"invalid (?P<kind>\w+) value: (?P<value>.+)", Text("invalid {kind} value: {value}")),
    (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)",
     Text("ambiguous option: {option} could match {matches}")),
))
"""argparse's own error messages (Python 3.11 wording) and the templates that translate them."""


def argparse_text(message: str) -> Text | str:
    """argparse's error ``message`` as a translatable text (English as it is when not recognised)."""
    argument, _, problem = message.partition(": ") if message.startswith("argument ") else ("", "", message)
    for pattern, template in ARGPARSE_MESSAGES:
        found = pattern.fullmatch(problem)
        if found:
            text = Text(template.template, **found.groupdict())
            if not argument:
                return text
            return Text("argument {argument}: {problem}", argument=argument[len("argument "):], problem=text)
    return message


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors (a wrong choice, a missing value) speak the user's language:
    the command line's ``--lang``, else the environment (as every other error message)."""

    argv: list[str] = []
    """The arguments being parsed (set by :func:`main`): their ``--lang`` chooses the language."""

    def error(self, message: str):
        given = next((self.argv[i + 1] for i, a in enumerate(self.argv[:-1]) if a == "--lang"), None)
        lang = messages_language(given)
        text = argparse_text(message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USER_ERROR, f"{self.prog}: {Text('error').message(lang)}: "
                                   f"{text.message(lang) if isinstance(text, Text) else text}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with all subcommands."""
    parser = Parser(
        prog="python -m analysis",
        description="Employment-area analytics: from Statistics Finland data to the quarterly "
        "employment review (työllisyyskatsaus) that managers read as HTML.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true",
                        help="show the full traceback of an error instead of the short message")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    review = sub.add_parser(
        "review", help="run the quarterly review: execute the notebooks and render HTML",
        description="Execute every analysis notebook with papermill for one area and quarter, render "
        "them and one combined review to HTML (code hidden) in outputs/<area>/<period>/<lang>/, and update "
        "the lists of reviews (outputs/index.html, index.sv.html). Prints the path of the combined review as the last line.",
    )
    review.add_argument("--area", help="area id from config/areas.yaml (default: the period's parameter file, "
                        "else the configured default)")
    review.add_argument("--period", help="reporting period: a quarter YYYYQn or a month YYYY-MM "
                                         "(default: latest complete quarter in the data)")
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
    fetch.add_argument("--allow-older", action="store_true",
                       help="load a table even when its 'updated' stamp is older or its months end earlier than "
                       "the stored table's (refused by default; the stored table is kept)")

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
    sub.add_parser("workspace", help="copy the notebooks not yet in work/ there (the analyst's workspace, "
                   "safe to duplicate and edit; make lab opens it)")
    for command in sub.choices.values():  # --debug also after the command (python -m analysis review --debug)
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                             help="show the full traceback of an error instead of the short message")
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


def _cmd_workspace() -> int:
    from analysis.review.notebooks import seed_workspace

    for path in seed_workspace():
        print(f"copied {path.relative_to(config.ROOT)}")
    return 0


def _known_errors() -> tuple[type[BaseException], ...]:
    """Known user-facing errors: :class:`UserError` and the network errors of the sources layer."""
    known: list[type[BaseException]] = [UserError]
    try:
        from analysis.sources.fetch import FetchError
        from analysis.sources.pxweb_query import PxWebError

        known += [PxWebError, FetchError]
    except ImportError:  # pragma: no cover - the sources layer always imports
        pass
    try:
        from analysis.sources.workbook import WorkbookError

        known.append(WorkbookError)
    except ImportError:  # pragma: no cover
        pass
    return tuple(known)


def messages_language(given: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The language of the messages, ``fi``, ``sv`` or ``en``: the command's ``--lang`` (``given``), else
    :func:`analysis.errors.user_language` (``ANALYSIS_LANG``, then the locale; Finnish by default)."""
    return given if given in ERROR_LANGUAGES else user_language(environ)


def error_message(exc: BaseException, lang: str) -> str:
    """The one-line (or few-line) message of a known error in ``lang``, after "error:" in that language."""
    text = exc.message(lang) if isinstance(exc, Localized) else str(exc)
    return f"{Text('error').message(lang)}: {text}"


def disk_full_message(exc: BaseException) -> Text | None:
    """The message of a full disk (or quota) anywhere in the chain of ``exc`` (an error raised while
    handling one, as a failed run's record that cannot be written either), else None."""
    import errno

    seen: BaseException | None = exc
    for _ in range(20):
        if seen is None:
            break
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            reason = Text("the disk is full") if seen.errno == errno.ENOSPC else Text("the disk quota is exceeded")
            return Text("{path}: {reason}", path=seen.filename, reason=reason) if seen.filename else reason
        seen = seen.__cause__ or seen.__context__
    return None


def write_crash_log(exc: BaseException, argv: Sequence[str] | None) -> Path | None:
    """Write the traceback of an unexpected error to ``data/cache/logs/`` (else the temp folder)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    text = (f"command: python -m analysis {' '.join(argv if argv is not None else sys.argv[1:])}\n"
            + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    for folder in (LOG_DIR, Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = Path(tempfile.mkstemp(dir=folder, prefix=f"analysis-error-{stamp}-", suffix=".log")[1])
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: raised in the main thread so that every ``finally`` (a review's removal of its build
    folder, the index) runs as for Ctrl-C; :func:`main` prints one line and exits with 143."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (see :func:`run_main`) with SIGTERM turned into :class:`Terminated`
    while it runs."""
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread: leave the signals alone
        return run_main(argv)
    try:
        return run_main(argv)
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code.

    A known error (:class:`analysis.errors.UserError`, network errors) prints one short message
    naming the place and returns 2; ``--debug`` shows its traceback too. Any other error is a
    bug: a short message says where its traceback was logged, and the status is 1.
    """
    parser = build_parser()
    Parser.argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    lang = messages_language(getattr(args, "lang", None))
    try:
        return _run(parser, args)
    except _known_errors() as exc:
        if args.debug:
            traceback.print_exc()
        print(error_message(exc, lang), file=sys.stderr)
        return EXIT_USER_ERROR
    except Terminated:
        print(Text("terminated (SIGTERM); nothing was published").message(lang), file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print(Text("interrupted; nothing was published").message(lang), file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output went away (``… | head``): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence: log it, say where
        if args.debug:
            traceback.print_exc()
        full = disk_full_message(exc)
        if full is not None:  # not a bug: nothing more can be written (a crash log neither)
            print(f"{Text('error').message(lang)}: {full.message(lang)}", file=sys.stderr)
            return EXIT_USER_ERROR
        log = write_crash_log(exc, argv)
        where = (Text("the full traceback is in {log}", log=log) if log
                 else Text("the traceback could not be logged"))
        print(Text("error: unexpected {kind}: {error}\n{where}; please report it (run again with --debug to see "
                   "it here)", kind=type(exc).__name__, error=exc, where=where).message(lang), file=sys.stderr)
        return EXIT_BUG


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command == "areas":
        return _cmd_areas()
    if args.command == "strip-notebooks":
        return _cmd_strip()
    if args.command == "workspace":
        return _cmd_workspace()
    if args.command == "kpi-template":
        from analysis.present.kpi import workbook_texts
        from analysis.sources.workbook import write_template_cli

        return write_template_cli(args.file, {lang: workbook_texts(lang) for lang in ("fi", "sv")},
                                  messages_language(None))
    if args.command == "kpi-import":
        from analysis.sources.workbook import import_workbook_cli

        return import_workbook_cli(args.file, messages_language(None))
    if args.command == "fetch":
        from analysis.sources.pxweb import DEFAULT_DEADLINE
        from analysis.store.refresh import run_fetch

        return run_fetch(tables=args.tables, base_url=args.base_url, refresh=args.refresh,
                         px_files=args.px_file, allow_older=args.allow_older,
                         timeout=args.timeout if args.timeout is not None else DEFAULT_DEADLINE)
    if args.command == "review":
        from analysis.review.runner import run_review_cli

        check_output_dir(args.output_dir)
        return run_review_cli(area=args.area, period=args.period, lang=args.lang,
                              data_source=args.data_source, force=args.force,
                              progress=not args.no_progress, output_dir=args.output_dir,
                              all_areas=args.all_areas, kpi_demo=args.kpi_demo)
    parser.error(f"unknown command {args.command}")
    return 2


def check_output_dir(output_dir: str | None) -> None:
    """Refuse an ``--output-dir`` that is a file, has a too-long name or cannot be written."""
    if output_dir is None:
        return
    import errno

    path = Path(output_dir)
    for part in path.parts:
        if len(part.encode("utf-8", "surrogateescape")) > 255:
            raise config.ConfigError("--output-dir: the folder name '{name}…' is {length} characters; the file "
                                     "system allows 255", name=part[:40], length=len(part))
    try:
        if path.exists() and not path.is_dir():
            raise config.ConfigError("--output-dir {path}: is a file, not a folder", path=path)
        probe = path
        while not probe.exists():
            probe = probe.parent
        if not probe.is_dir():
            raise config.ConfigError("--output-dir {path}: {probe} is a file, not a folder", path=path, probe=probe)
        if not os.access(probe, os.W_OK | os.X_OK):
            raise config.ConfigError("--output-dir {path}: the folder {probe} is not writable for you", path=path,
                                     probe=probe)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise config.ConfigError("--output-dir {path}: the path is too long", path=path) from None
        raise config.ConfigError("--output-dir {path}: {reason}", path=path, reason=exc.strerror or exc) from None
