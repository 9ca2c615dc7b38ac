"""Run the employment review: papermill executes the notebooks, nbconvert renders the pages.

One run, in plain steps:

1. the parameters are checked and the data loaded once;
2. every result the notebooks present is computed once into the cache (:mod:`analysis.review.facts`,
   stage by stage in :data:`~analysis.review.facts.STAGES`, the results of a stage side by side in a
   ``concurrent.futures`` process pool);
3. papermill executes each notebook listed in ``config/notebooks.yaml`` in a fresh kernel of its own
   (several at once through a ``concurrent.futures`` thread pool); each notebook reads its results from
   the cache and shows them, so the executed notebook is the audit record of what its page shows;
4. nbconvert renders the readers' pages (code and analysts' cells removed) and Chromium prints the
   main page to PDF.

The review is built in a temporary folder beside its destination and moved into place only when every
notebook has run and every page is rendered, so a failure leaves the previous review intact. An
existing review is replaced only with ``force``.

Layout of one review: ``outputs/<area>/<period>/<lang>/``
  ``review.html``, ``review.pdf``     the main page for managers and councillors, and its print
  ``appendix.html``                   methods, data, long tables
  ``kunta-<code>.html``               one page per member municipality
  ``notebooks/<notebook>.ipynb``      the executed notebooks: the audit record with their parameters
  ``run.json``, ``review.log``        parameters, data vintage, timings, when it was made
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from analysis import config
from analysis.config import APPENDIX_FILE, PDF_FILE, REVIEW_FILE
from analysis.errors import Text, UserError, user_language
from analysis.indicators.overview import latest_month
from analysis.present.grammar import until_month
from analysis.present.text import period_words, t
from analysis.review import facts, pdf, render
from analysis.review.notebooks import Notebook, parameters, review_notebooks
from analysis.review.params import AreaNotHeld, ReviewParams, check_request, resolve
from analysis.review.publish import ReviewExists, building_dir, clean_stale, worker_init, write_index_locked
from analysis.review.publish import publish as publish_review
from analysis.store import load_store

LOG_FILE = "review.log"
EXECUTION_TIMEOUT_S = 600
KERNEL_NAME = "python3"
"""The kernel papermill starts for each notebook: Python of the environment that runs the review."""
NOTEBOOKS_AT_ONCE = 4
"""Notebooks executed at once. A notebook's kernel spends half its second waiting (start-up, messages),
so four at a time keep two cores busy (measured: 8 notebooks, 2 cores)."""
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False"]
"""The kernel's own log: silent (its start-up warnings, e.g. about local TCP, are not the reader's
concern; what a cell raises is in the executed notebook and the run's error message). No input history:
the executed notebook is the record of what ran (IPython's history database is a file every kernel of
a run would otherwise open and write, and a thread in each)."""


class ReviewFailed(UserError, RuntimeError):
    """A notebook failed; the message names the notebook, the cell and the error."""


@dataclass(frozen=True)
class NotebookResult:
    """One executed notebook and how long it took."""

    name: str
    path: Path
    seconds: float


def review_dir(params: ReviewParams) -> Path:
    """Where the review of ``params`` is published."""
    return Path(params.output_dir) / params.area / params.period / params.lang


@dataclass
class _Build:
    """One review being built: its parameters, folders and executed notebooks."""

    params: ReviewParams
    destination: Path
    workdir: Path
    results: dict[str, NotebookResult]
    started: float


@contextmanager
def kernel_manager() -> Iterator[object]:
    """The manager of one notebook's fresh kernel, talking to it over Unix sockets in a folder of its own
    (removed afterwards). Over TCP (Jupyter's default) the client picks free ports and the kernel binds them
    a moment later: with kernels starting at once, in this run or in another process, two can pick the same
    port and one dies ("Address already in use", "Kernel died before replying to kernel_info"). A socket
    file in a private folder cannot be taken by another kernel. (TCP where Unix sockets are not available.)"""
    from jupyter_client.manager import AsyncKernelManager

    if os.name != "posix":
        yield AsyncKernelManager(kernel_name=KERNEL_NAME)
        return
    with tempfile.TemporaryDirectory(prefix="analysis-kernel-") as sockets:
        yield AsyncKernelManager(kernel_name=KERNEL_NAME, transport="ipc", ip=os.path.join(sockets, "kernel"))


def execute_notebook(notebook: Notebook, target: Path, params: ReviewParams) -> NotebookResult:
    """Execute ``notebook`` with papermill in a fresh kernel, with the parameters it declares, into
    ``target``. A failing cell raises :class:`ReviewFailed` naming the notebook, the cell and the error."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    logging.getLogger("papermill").setLevel(logging.WARNING)
    declared = parameters(notebook.path)
    values = {k: v for k, v in params.as_notebook_parameters().items() if k in declared}
    started = time.perf_counter()
    try:
        with kernel_manager() as km:
            # no ``cwd``: papermill would chdir the whole process (a race between the notebooks run at once,
            # which left the runner in notebooks/); each kernel starts in the runner's folder instead
            papermill.execute_notebook(str(notebook.path), str(target), parameters=values, progress_bar=False,
                                       log_output=False, kernel_name=KERNEL_NAME, km=km,
                                       execution_timeout=EXECUTION_TIMEOUT_S, extra_arguments=KERNEL_ARGUMENTS,
                                       shutdown_kernel="immediate")  # the outputs are in: no graceful wait
    except PapermillExecutionError as exc:
        raise ReviewFailed(
            "notebook {notebook} failed in cell {cell} (execution count {count}): {error}: {detail}",
            notebook=notebook.path.name, cell=exc.cell_index, count=exc.exec_count, error=exc.ename, detail=exc.evalue,
        ) from None
    return NotebookResult(notebook.name, Path(target), time.perf_counter() - started)


def _compute(name: str, params: dict[str, str]) -> str | None:
    """Compute the result ``name`` of one review into the cache (runs in a pool's process). An error is
    returned, not raised: the notebook presenting the result computes it again and reports the error
    in its cell, as a notebook run by hand does."""
    try:
        facts.compute(name, params["area"], params["period"], params["data_source"], params["lang"],
                      params["output_dir"], params["kpi_data"])
    except Exception as exc:  # noqa: BLE001 - reported by the notebook that presents it
        return f"{type(exc).__name__}: {exc}"
    return None


def compute_worker_init(log_path: str, parent_pid: int) -> None:
    """Initializer of a compute process: :func:`worker_init` and one BLAS thread (the processes keep every
    core busy already and the matrices are small)."""
    from threadpoolctl import threadpool_limits

    worker_init(log_path, parent_pid)
    threadpool_limits(limits=1, user_api="blas")


def _to_compute(build: _Build, names: list[str]) -> list[str]:
    """The results of ``names`` that ``build`` must compute: those the cache does not hold for the data
    and code as they are now (the others are logged as found)."""
    p = build.params.as_notebook_parameters()
    missing = facts.uncached(names, p["area"], p["period"], p["data_source"], p["lang"], p["output_dir"],
                             p["kpi_data"])
    logger = logging.getLogger(_logger_name(build))
    for name in names:
        if name not in missing:
            logger.info("%s computed (found in the cache)", name)
    return missing


def compute_results(builds: list[_Build], notebooks: list[Notebook], log: Path) -> None:
    """Compute every result the ``notebooks`` present, for every review of ``builds``, into the cache:
    stage by stage (:func:`analysis.review.facts.wanted`), the results of a stage side by side in
    processes forked from this one (the store loaded, the charts' libraries imported). Each result is
    logged in its review's log; one that fails is left to its notebook, which reports the error."""
    import multiprocessing

    stages = facts.wanted({name for nb in notebooks for name in nb.results})
    missing = {id(build): set(_to_compute(build, [name for stage in stages for name in stage])) for build in builds}
    jobs_of = [[(build, name) for build in builds for name in stage
                if name in missing[id(build)]] for stage in stages]  # a repeated review finds them all cached
    if not any(jobs_of):
        return
    log.parent.mkdir(parents=True, exist_ok=True)
    facts.preload()
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(max_workers=min(os.cpu_count() or 1, 4), mp_context=context,
                             initializer=compute_worker_init, initargs=(str(log), os.getpid())) as pool:
        for jobs in jobs_of:
            problems = pool.map(_compute, [name for _b, name in jobs],
                                [build.params.as_notebook_parameters() for build, _n in jobs])
            for (build, name), problem in zip(jobs, problems):
                logger = logging.getLogger(_logger_name(build))
                if problem:
                    logger.warning("%s not computed ahead: %s", name, problem)
                else:
                    logger.info("%s computed", name)


def execute_all(builds: list[_Build], notebooks: list[Notebook], progress: bool = True,
                on_done: Callable[[_Build], None] | None = None) -> None:
    """Execute every notebook of every review in ``builds`` with papermill, each in a fresh kernel,
    several at once (a ``concurrent.futures`` thread pool; each kernel is a process of its own), with
    one progress bar. ``on_done(build)`` is called (in this thread) as soon as every notebook of a
    review has run, while the notebooks of the reviews after it go on running: a run of many areas
    renders and prints one area's pages while the next area's kernels work. The first failure stops
    the run with a :class:`ReviewFailed` naming the review, the notebook, the cell and the error."""
    from tqdm import tqdm

    jobs = [(build, nb) for build in builds for nb in notebooks]
    lang = builds[0].params.lang if builds else "fi"
    bar = tqdm(total=len(jobs), desc=t("review.progress", lang), unit="nb", disable=not progress,
               file=sys.stderr, leave=False)

    def run(build: _Build, nb: Notebook) -> tuple[_Build, NotebookResult]:
        target = build.workdir / "notebooks" / nb.path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            return build, execute_notebook(nb, target, build.params)
        except Exception as exc:  # noqa: BLE001 - named with its review below
            raise ReviewFailed("{area} {period} ({lang}): {error}", area=build.params.area,
                               period=build.params.period, lang=build.params.lang, error=exc) from None

    with ThreadPoolExecutor(max_workers=NOTEBOOKS_AT_ONCE) as pool:
        futures = [pool.submit(run, build, nb) for build, nb in jobs]
        try:
            for future in futures:
                build, result = future.result()
                build.results[result.name] = result
                bar.update(1)
                if on_done is not None and len(build.results) == len(notebooks):
                    on_done(build)
        except BaseException:
            for other in futures:
                other.cancel()
            raise
        finally:
            bar.close()


def _vintage_lines(store) -> list[dict[str, str]]:
    vin = store.vintage()
    return [
        {"table_id": r.table_id, "origin": r.origin, "last_period": str(r.last_period),
         "last_updated": r.last_updated, "fetched_at": r.fetched_at, "snapshot": r.snapshot,
         "citation": r.citation}
        for r in vin.itertuples()
    ]


def _vintage_summary(store, period: str, lang: str = "fi") -> str:
    """One line for readers: the monthly data's last month as of the period, and when it was fetched."""
    row = store.vintage().set_index("table_id").loc["12r5"]
    last = min(latest_month(store), config.parse_period(period).last_month)
    words = until_month(last, lang)  # "syyskuuhun 2023 asti" / "till och med september 2023"
    if row.origin == "embedded":
        return t("review.vintage_embedded", lang, last=words)
    fetched = str(row.fetched_at or "")[:10]
    fetched_words = f"{int(fetched[8:10])}.{int(fetched[5:7])}.{fetched[:4]}" if len(fetched) == 10 else "–"
    return t("review.vintage_fetched", lang, last=words, fetched=fetched_words)


def _writer(params: ReviewParams, workdir: Path, vintage: str) -> Callable[[str, str, str], Path]:
    """A function that writes one page of the review into ``workdir`` with its frame (title, meta
    line, footer, the example banner where the body shows example data)."""
    lang = params.lang
    meta = [t("review.meta", lang, made_at=render.made_at_words(lang), vintage=vintage)]
    footer = [t("review.footer_licence", lang), t("review.footer_tool", lang)]
    example = t("review.example_banner", lang)

    def write(name: str, page_title: str, body: str) -> Path:
        banner = example if "notice-example" in body or "watermark-example" in body else None
        target = workdir / name
        target.write_text(render.page(page_title, body, lang, meta, footer, banner), encoding="utf-8")
        return target

    return write


def _titles(params: ReviewParams) -> tuple[str, str]:
    area = config.get_area(params.area)
    words = period_words(params.period, params.lang)
    return (t("review.title", params.lang, area=area.name(params.lang), period=words),
            t("review_page.appendix_title", params.lang, area=area.name(params.lang), period=words))


def _executed(build: _Build, nb: Notebook) -> nbformat.NotebookNode:
    return nbformat.read(build.results[nb.name].path, as_version=4)


def render_main(build: _Build, notebooks: list[Notebook], vintage: str) -> Path:
    """Write the main page (``review.html``) into the build folder from the main notebook; a run of
    some notebooks only (an analyst's, a test's) without it gets one page of what it ran. Returns its path."""
    title, _ = _titles(build.params)
    main = [_executed(build, nb) for nb in notebooks if nb.page == "main"]
    shown = main or [_executed(build, nb) for nb in notebooks if nb.page == "appendix"]
    return _writer(build.params, build.workdir, vintage)(REVIEW_FILE, title, render.body_html(shown))


def render_other_pages(build: _Build, notebooks: list[Notebook], vintage: str) -> None:
    """Write the methods and data appendix (the appendix notebooks in the configured order) and one
    page per member municipality into the build folder (with a main page only: see :func:`render_main`)."""
    params = build.params
    if not any(nb.page == "main" for nb in notebooks):
        return
    _, appendix_title = _titles(params)
    write = _writer(params, build.workdir, vintage)
    appendix = [_executed(build, nb) for nb in notebooks if nb.page == "appendix"]
    if appendix:
        from analysis.present.html import link  # with jinja2 and IPython, once the kernels have started

        back = link(REVIEW_FILE, t("review_page.back_to_review", params.lang), "screen-only").data
        write(APPENDIX_FILE, appendix_title, back + render.body_html(appendix))
    for nb in notebooks:
        if nb.page == "municipalities":
            for name, page_title, body in render.split_pages(_executed(build, nb)):
                write(name, page_title, body)


FAILED_SUFFIX = ".failed"
"""``outputs/<area>/<period>/<lang>.failed/``: the executed notebooks and ``run.json`` of the last
failed run (the published review beside it is untouched); removed by the next successful run."""


def _logger_name(build: _Build) -> str:
    return f"analysis.review.{build.params.area}.{build.params.period}.{build.params.lang}"


def _log_start(build: _Build, store) -> logging.Logger:
    """The review's log (``review.log`` in the review folder): parameters and data vintage first."""
    logger = logging.getLogger(_logger_name(build))
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = logging.FileHandler(build.workdir / LOG_FILE, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.handlers[:] = [handler]
    logger.info("parameters %s", json.dumps(build.params.as_notebook_parameters(), ensure_ascii=False))
    for line in _vintage_lines(store):
        logger.info("data %s", json.dumps(line, ensure_ascii=False))
    return logger


def _record(build: _Build, store, vintage: str, status: str, error: str = "") -> dict:
    params = build.params
    return {
        "status": status,
        "error": error,
        "area": params.area,
        "area_name": config.get_area(params.area).name(params.lang),
        "period": params.period,
        "lang": params.lang,
        "data_source": params.data_source,
        "data_vintage": vintage,
        "last_month": min(latest_month(store), config.parse_period(params.period).last_month),
        "tables": _vintage_lines(store),
        "made_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "notebooks": {r.name: round(r.seconds, 2) for r in build.results.values()},
        "seconds": round(time.perf_counter() - build.started, 2),
    }


def _keep_failed(build: _Build, record: dict) -> Path:
    """Move a failed build beside the destination (``<lang>.failed``) with a run.json saying why."""
    (build.workdir / "run.json").write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    failed = build.destination.with_name(build.destination.name + FAILED_SUFFIX)
    if failed.exists():
        shutil.rmtree(failed, ignore_errors=True)
    os.replace(build.workdir, failed)
    return failed


def run_reviews(requests: list[dict], force: bool = False, progress: bool = True,
                output_dir: Path = config.OUTPUTS_DIR, notebooks: list[Notebook] | None = None,
                kpi_demo: bool = False) -> list[Path]:
    """Build several reviews in one run (one store, one pool, one progress bar) and return the paths of
    their main pages. Each request holds ``area``, ``period``, ``lang``, ``data_source`` (any may be
    None: the period file and defaults decide). ``notebooks``: those of ``config/notebooks.yaml`` by
    default. Every parameter is validated and every existing review refused (without ``force``)
    before any notebook runs."""
    output_dir = Path(output_dir).absolute()  # where the run started, whatever a library does to the cwd
    for request in requests:  # what needs no data is checked before anything starts
        check_request(**request)
    notebooks = review_notebooks() if notebooks is None else list(notebooks)
    stores: dict[str, object] = {}

    def loader(source: str):
        if source not in stores:
            stores[source] = load_store(source)
        return stores[source]

    resolved, skipped = [], []
    for req in requests:
        try:
            resolved.append(resolve(loader, output_dir=output_dir, kpi_demo=kpi_demo, **req))
        except AreaNotHeld as exc:  # one area the data do not hold: refused alone, skipped in a run of many
            if len(requests) == 1:
                raise
            skipped.append(exc)
    if skipped:
        if not resolved:
            raise skipped[0]
        lang = user_language()
        print(Text("note: {count} area(s) skipped, the data do not hold them: {first}", count=len(skipped),
                   first=skipped[0]).message(lang), file=sys.stderr)
    existing = [review_dir(p) for p, _ in resolved if review_dir(p).exists()]
    if existing and not force:
        if len(existing) > 1:
            raise ReviewExists("a review already exists at {path}; use --force to replace it ({count} reviews "
                               "exist)", path=existing[0], count=len(existing))
        raise ReviewExists("a review already exists at {path}; use --force to replace it", path=existing[0])
    clean_stale(output_dir)  # what a killed run left behind
    builds: list[tuple[_Build, object]] = []
    for params, store in resolved:
        destination = review_dir(params)
        destination.parent.mkdir(parents=True, exist_ok=True)
        workdir = building_dir(destination.parent, params.lang)
        builds.append((_Build(params, destination, workdir, {}, time.perf_counter()), store))
    try:
        return _build_all(builds, notebooks, output_dir, force, progress)
    finally:
        for build, _ in builds:
            if build.workdir.exists():
                shutil.rmtree(build.workdir, ignore_errors=True)
        write_index_locked(output_dir)


def _build_all(builds: list[tuple[_Build, object]], notebooks: list[Notebook], output_dir: Path, force: bool,
               progress: bool) -> list[Path]:
    """:func:`run_reviews` once its builds are accepted: compute, execute, and render, print and publish each
    review as soon as its notebooks have run (the next reviews' notebooks running meanwhile)."""
    vintages = {id(build): _vintage_summary(store, build.params.period, build.params.lang) for build, store in builds}
    stores = {id(build): store for build, store in builds}
    for build, store in builds:
        _log_start(build, store)
    compute_results([b for b, _ in builds], notebooks, output_dir / ".logs" / "compute.log")
    published: dict[int, Path] = {}

    def publish_one(build: _Build) -> None:
        published[id(build)] = _publish(build, stores[id(build)], notebooks, vintages[id(build)], force, output_dir)

    try:
        execute_all([b for b, _ in builds], notebooks, progress, on_done=publish_one)
    except ReviewFailed as exc:
        for build, store in builds:
            if build.workdir.exists() and len(build.results) < len(notebooks):
                failed = _keep_failed(build, _record(build, store, vintages[id(build)], "failed", str(exc)))
                raise ReviewFailed("{error}\nthe executed notebooks and run.json are kept at {folder}",
                                   error=exc, folder=failed) from None
        raise
    for build, _ in builds:  # each was published as its notebooks finished; this is for a run that ran none
        if id(build) not in published:
            publish_one(build)
    return [published[id(build)] for build, _ in builds]


def _publish(build: _Build, store, notebooks: list[Notebook], vintage: str, force: bool, output_dir: Path) -> Path:
    """Render the pages of one review whose notebooks have all run, print its main page to PDF (while the
    other pages render), write its ``run.json`` and move it into place; returns the main page's path."""
    main = render_main(build, notebooks, vintage)
    printing = pdf.start(main, build.workdir / PDF_FILE) if any(nb.page == "main" for nb in notebooks) else None
    render_other_pages(build, notebooks, vintage)  # while the browser prints the main page
    problem = printing.wait() if printing is not None else Text("no main page")
    record = _record(build, store, vintage, "published")
    record["headline"] = (facts.headline(**build.params.as_notebook_parameters())
                          if any(nb.page == "main" for nb in notebooks) else None)
    record["pdf"] = PDF_FILE if problem is None else None
    if problem:
        record["pdf_missing"] = str(problem)
        print(Text("note: no PDF for {area} {period} ({lang}): {problem}; the HTML review is published",
                   area=build.params.area, period=build.params.period, lang=build.params.lang,
                   problem=problem).message(user_language()), file=sys.stderr)
    (build.workdir / "run.json").write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    publish_review(build.workdir, build.destination, force, output_dir)
    shutil.rmtree(build.destination.with_name(build.destination.name + FAILED_SUFFIX), ignore_errors=True)
    return build.destination / REVIEW_FILE


def run_review(area: str | None = None, period: str | None = None, lang: str | None = None,
               data_source: str | None = None, force: bool = False, progress: bool = True,
               output_dir: Path = config.OUTPUTS_DIR, notebooks: list[Notebook] | None = None,
               kpi_demo: bool = False) -> Path:
    """Run one whole review and return the path of its main page (see :func:`run_reviews`)."""
    request = {"area": area, "period": period, "lang": lang, "data_source": data_source}
    return run_reviews([request], force, progress, output_dir, notebooks, kpi_demo)[0]


def all_area_requests(period: str | None, lang: str | None, data_source: str | None) -> list[dict]:
    """One request per configured area (``--all-areas``)."""
    return [{"area": slug, "period": period, "lang": lang, "data_source": data_source}
            for slug in config.load_areas()]


def run_review_cli(area: str | None, period: str | None, lang: str | None, data_source: str | None,
                   force: bool, progress: bool, output_dir: str | None = None, all_areas: bool = False,
                   kpi_demo: bool = False) -> int:
    """``python -m analysis review``: run, report errors plainly, print the review's path last
    (with ``--all-areas``, the index of all reviews)."""
    out = Path(output_dir) if output_dir else config.OUTPUTS_DIR
    show = progress and sys.stderr.isatty()
    if all_areas:  # a failed notebook or an existing review reaches the CLI's one error path (exit 2)
        run_reviews(all_area_requests(period, lang, data_source), force, show, out, kpi_demo=kpi_demo)
        path = out / "index.html"
    else:
        path = run_review(area=area, period=period, lang=lang, data_source=data_source, force=force,
                          progress=show, output_dir=out, kpi_demo=kpi_demo)
    sys.stderr.flush()
    try:
        shown = path.relative_to(Path.cwd())
    except ValueError:
        shown = path
    print(shown)
    return 0
