"""Run the quarterly employment review: papermill executes the notebooks, nbconvert renders HTML.

The review is built in a temporary folder beside its destination and moved into place only
when every notebook has run and every page is rendered, so a failure leaves the previous
review intact. An existing review is replaced only with ``force``.

Layout of one review: ``outputs/<area>/<period>/<lang>/``
  ``review.html``            the combined review for managers (code hidden)
  ``<notebook>.html``        each analysis on its own page
  ``notebooks/<notebook>.ipynb``  the executed notebooks: the audit record with their parameters
  ``run.json``               parameters, data vintage, timings, when it was made
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from jupyter_client.blocking import BlockingKernelClient

from analysis import config
from analysis.errors import Text, UserError, user_language
from analysis.indicators.overview import latest_month
from analysis.present.text import period_words, t
from analysis.review import facts, pdf, render
from analysis.review.notebooks import parameters_cell
from analysis.review.params import AreaNotHeld, ReviewParams, check_request, resolve
from analysis.review.publish import ReviewExists, building_dir, clean_stale, worker_init, write_index_locked
from analysis.review.publish import publish as publish_review
from analysis.store import load_store

REVIEW_FILE = "review.html"
PDF_FILE = "review.pdf"
LOG_FILE = "review.log"
EXECUTION_TIMEOUT_S = 600


class ReviewFailed(UserError, RuntimeError):
    """A notebook failed; the message names the notebook, the cell and the error."""


@dataclass(frozen=True)
class NotebookResult:
    """One executed notebook and how long it took."""

    name: str
    path: Path
    seconds: float


def discover_notebooks(folder: Path = config.NOTEBOOKS_DIR) -> list[Path]:
    """The review's notebooks, ``NN_name.ipynb`` in numeric order."""
    found = sorted(p for p in Path(folder).glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise ReviewFailed("no notebooks NN_*.ipynb in {folder}", folder=folder)
    return found


def review_dir(params: ReviewParams) -> Path:
    """Where the review of ``params`` is published."""
    return Path(params.output_dir) / params.area / params.period / params.lang


MAIN_NOTEBOOK = "01_review"
MUNICIPALITY_NOTEBOOK = "02_municipalities"
APPENDIX_FILE = "appendix.html"


def appendix_order(names: list[str]) -> list[str]:
    """Sections of the methods and data appendix: the analyses in numeric order, then the ``00_``
    data overview (sources, vintage, definitions, caveats); the main page and the municipality
    pages are rendered on their own."""
    own = {MAIN_NOTEBOOK, MUNICIPALITY_NOTEBOOK}
    back = [n for n in names if n.startswith("00_")]
    return [n for n in names if n not in back and n not in own] + back


_KERNEL = None
"""The worker process's kernel: started once, reused for every notebook the worker runs (imports and
the store are loaded once per worker, not once per notebook), shut down when the worker exits."""


def _kernel(cwd: str):
    """The worker's kernel manager, started on first use."""
    global _KERNEL
    if _KERNEL is None:
        import atexit

        from jupyter_client.manager import KernelManager

        _KERNEL = KernelManager(kernel_name="python3", client_class=f"{__name__}.ReadyClient")
        _KERNEL.start_kernel(cwd=cwd)
        atexit.register(_KERNEL.shutdown_kernel, now=True)
    return _KERNEL


def _ready(client, timeout: float | None = 60) -> None:
    """Wait until the kernel answers and the client's output channel is connected: what
    ``wait_for_ready`` does, without its fixed 0.2 s wait for silence on that channel (paid by every
    notebook). The kernel's "idle" status for our request proves the channel connected and drained;
    if it was published before the channel connected, ask again."""
    from queue import Empty

    timeout = 60 if timeout is None else timeout
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg_id = client.kernel_info()
        client.get_shell_msg(timeout=max(deadline - time.monotonic(), 0.1))
        try:
            while True:
                msg = client.get_iopub_msg(timeout=0.2)
                if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                        and msg["content"].get("execution_state") == "idle"):
                    return
        except Empty:
            continue
    raise RuntimeError(f"the kernel did not answer in {timeout:.0f} s")


class ReadyClient(BlockingKernelClient):
    """A kernel client whose ``wait_for_ready`` is :func:`_ready` (papermill's client is one)."""

    def wait_for_ready(self, timeout: float | None = None) -> None:
        _ready(self, timeout)


CLEAR_NAMESPACE = "%reset_selective -f ."
"""Deletes every variable a notebook made (not IPython's history, whose clearing costs a full garbage
collection per notebook), so no notebook sees another's variables."""


def _client(cwd: str, code: str = CLEAR_NAMESPACE):
    """A connected client of the worker's kernel that has run ``code`` (by default: cleared the
    namespace for the next notebook)."""
    client = _kernel(cwd).client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    client.execute_interactive(code, timeout=EXECUTION_TIMEOUT_S, output_hook=lambda _msg: None)
    return client


def _execute_one(source: str, target: str, parameters: dict[str, str], cwd: str) -> float:
    """Execute one notebook with papermill in the worker's kernel (runs in a worker process)."""
    import logging

    import papermill
    from papermill.exceptions import PapermillExecutionError

    logging.getLogger("papermill").setLevel(logging.WARNING)
    started = time.perf_counter()
    _client(cwd).stop_channels()  # the namespace cleared
    try:
        papermill.execute_notebook(
            source, target, parameters=parameters, cwd=cwd, progress_bar=False, log_output=False,
            request_save_on_cell_execute=False,  # written once at the end; a failure still writes it
            execution_timeout=EXECUTION_TIMEOUT_S, kernel_name="python3", km=_kernel(cwd),
        )
    except PapermillExecutionError as exc:
        raise ReviewFailed(
            "notebook {notebook} failed in cell {cell} (execution count {count}): {error}: {detail}",
            notebook=Path(source).name, cell=exc.cell_index, count=exc.exec_count, error=exc.ename, detail=exc.evalue,
        ) from None
    return time.perf_counter() - started


@dataclass
class _Build:
    """One review being built: its parameters, folders and executed notebooks."""

    params: ReviewParams
    destination: Path
    workdir: Path
    results: dict[str, NotebookResult]
    started: float


def _jobs(build: _Build, notebooks: list[Path]) -> list[tuple[Path, Path, dict[str, str]]]:
    out_dir = build.workdir / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    all_params = build.params.as_notebook_parameters()
    return [(nb, out_dir / nb.name, {k: v for k, v in all_params.items() if k in parameters_cell(nb)})
            for nb in notebooks]


WARM_IMPORTS = "import IPython.display, analysis.review.facts"
"""What a worker's kernel imports while the parent computes the figures (kept across notebooks). The
notebooks read their sections from the cache; what computes a section on a miss (the store, the
charts' libraries) is imported then, once per kernel."""


def _warm(cwd: str) -> None:
    """Start the worker's kernel and import the package in it (runs in a worker process)."""
    _client(cwd, WARM_IMPORTS).stop_channels()


def kernel_workers(reviews: int) -> int:
    """Notebook workers (each keeping one kernel) for a run of ``reviews`` reviews: one for a single
    review (presenting computed sections takes a kernel about a second), one per core (at most 4)
    for several."""
    return 1 if reviews <= 1 else min(os.cpu_count() or 1, 4)


class Kernels:
    """The notebook workers of a run, each starting its kernel at once: the runner starts them before
    it loads the store, so the kernels start while the store is read and validated. Their error
    output goes to a temporary file until :meth:`close` appends it to the run's log, so a run refused
    after they started writes nothing under the output folder."""

    def __init__(self, workers: int, cwd: Path) -> None:
        import tempfile

        fd, name = tempfile.mkstemp(prefix="analysis-kernels-", suffix=".log")
        os.close(fd)
        self.stderr = Path(name)
        self.log: Path | None = None  # where close() keeps the workers' error output (set once the run is accepted)
        self.pool = ProcessPoolExecutor(max_workers=workers, initializer=worker_init,
                                        initargs=(str(self.stderr), os.getpid()))
        self.starting: set[Future] = {self.pool.submit(_warm, str(cwd)) for _ in range(workers)}

    def close(self, now: bool = False) -> None:
        """Stop the workers (each shuts its kernel down as it exits) and append their error output to
        :attr:`log` (if set); ``now``: without waiting for a kernel that is still starting (a run
        refused before any notebook ran). A worker so ended leaves its kernel, which ends within a
        second when it sees its parent gone."""
        if now:
            for process in list((getattr(self.pool, "_processes", None) or {}).values()):
                process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)
        if not self.stderr.exists():
            return
        if self.log is not None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            with open(self.log, "ab") as out:
                out.write(self.stderr.read_bytes())
        self.stderr.unlink(missing_ok=True)


def sections_of(notebook: Path) -> list[str]:
    """The sections ``notebook`` presents (its calls of :func:`analysis.review.facts.section`), in order."""
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    code = "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code")
    return list(dict.fromkeys(re.findall(r'section\("([\w.]+)"', code)))


def _compute(name: str, params: dict[str, str]) -> str | None:
    """Compute the section or step ``name`` of one review into the cache (runs in a forked worker).
    An error is returned, not raised: the notebook presenting the section computes it again and
    reports the error in its cell, as a notebook run by hand does."""
    try:
        facts.compute(name, params["area"], params["period"], params["data_source"], params["lang"],
                      params["output_dir"], params["kpi_data"])
    except Exception as exc:  # noqa: BLE001 - reported by the notebook that presents it
        return f"{type(exc).__name__}: {exc}"
    return None


@dataclass
class _Task:
    """A section or step of one review to compute before the notebooks that present it."""

    build: _Build
    name: str
    needs: set[str]
    rank: tuple[int, int]


def _tasks(build: _Build, index: int, wanted: list[str]) -> list[_Task]:
    """The sections the notebooks present and the steps they read (:data:`analysis.review.facts.NEEDS`),
    ranked: the reviews in turn, and in each the way to the main page first (:data:`facts.FIRST`)."""
    names: list[str] = []

    def add(name: str) -> None:
        for need in facts.NEEDS.get(name, ()):
            add(need)
        if name not in names:
            names.append(name)

    for name in wanted:
        if name in facts.SECTIONS:
            add(name)
    order = {name: i for i, name in enumerate(facts.FIRST)}
    return [_Task(build, name, set(facts.NEEDS.get(name, ())), (index, order.get(name, len(order) + i)))
            for i, name in enumerate(names)]


def _fork_pools(workers: int, log: Path) -> list[ProcessPoolExecutor] | None:
    """``workers`` processes forked from this one (the store loaded, the charts' libraries imported)
    that compute the reviews' sections, each a pool of its own, so a computation can be sent to a
    given one (see :data:`analysis.review.facts.MODELS`); None where processes cannot be forked (the
    notebooks then compute their sections themselves)."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    log.parent.mkdir(parents=True, exist_ok=True)
    facts.preload()
    return [ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                                initializer=compute_worker_init, initargs=(str(log), os.getpid()))
            for _ in range(workers)]


def compute_worker_init(log_path: str, parent_pid: int) -> None:
    """Initializer of a compute worker: :func:`worker_init`, and one BLAS thread. The workers keep every
    core busy already and the matrices are small: a second BLAS thread per worker only spun on the
    core another worker needed (a new-data review took about 1.8 of its 24 CPU seconds more)."""
    from threadpoolctl import threadpool_limits

    worker_init(log_path, parent_pid)
    threadpool_limits(limits=1, user_api="blas")


def execute_all(builds: list[_Build], notebooks: list[Path], log: Path, kernels: Kernels, progress: bool = True,
                on_result: Callable[[_Build, NotebookResult], None] | None = None) -> None:
    """Execute every notebook of every review in ``builds`` with papermill, with one progress bar.

    The results are computed once, here: forked processes compute each review's sections and the
    steps they read (the forecast, the figures; :func:`analysis.review.facts.compute`) into the
    cache, the way to the main page first; each notebook is queued as soon as its sections are
    computed, to worker processes that each keep one kernel (``kernels``, started by the caller; see
    :func:`kernel_workers`), and only presents them; the workers are stopped at the end.
    The first failure stops the run with a :class:`ReviewFailed` naming the review, the notebook,
    the cell and the error. ``on_result(build, result)`` runs in this process as each notebook
    finishes (the runner renders pages then); a review's main notebook runs first."""
    from tqdm import tqdm

    first = {MAIN_NOTEBOOK: 0, MUNICIPALITY_NOTEBOOK: 1}  # the main page (and its PDF) can start early
    jobs = [(b, *job) for b in builds
            for job in sorted(_jobs(b, notebooks), key=lambda job: first.get(job[0].stem, 2))]
    presents = {nb: sections_of(nb) for nb in notebooks}
    wanted = list(dict.fromkeys(name for nb in notebooks for name in presents[nb]))
    cores = os.cpu_count() or 1
    lang = builds[0].params.lang if builds else "fi"
    bar = tqdm(total=len(jobs), desc=t("review.progress", lang), unit="nb", disable=not progress,
               file=sys.stderr, leave=False)
    tasks = [task for i, b in enumerate(builds) for task in _tasks(b, i, wanted)] if jobs else []
    # nothing to compute for a name that is no section: its notebook reports the unknown name
    computed: dict[int, set[str]] = {id(b): {n for n in wanted if n not in facts.SECTIONS} for b in builds}
    waiting = list(jobs)  # notebooks whose sections are not all computed yet
    futures: dict[Future, tuple] = {}  # a notebook's run -> (build, notebook, target)
    computing: dict[Future, tuple[_Task, int]] = {}  # a computation -> its task and the worker computing it
    pool, starting = kernels.pool, kernels.starting
    try:
        with pool:
            compute_pools = _fork_pools(min(cores, 4), log) if tasks else None
            if compute_pools is None:
                for task in tasks:
                    computed[id(task.build)].add(task.name)
                tasks = []

            def dispatch() -> None:
                """Queue what can start: the best-ranked computations whose needs are met, one per
                idle worker (so a later one does not delay them; those of :data:`facts.MODELS` only
                to the first worker, the others to the last idle one, and not to the first while a
                models' computation is ready for it), and the notebooks whose sections are all computed."""
                nonlocal tasks
                ready = sorted((task for task in tasks if task.needs <= computed[id(task.build)]),
                               key=lambda task: task.rank)
                busy = {worker for _task, worker in computing.values()}
                idle = [worker for worker in range(len(compute_pools or ())) if worker not in busy]
                models_ready = any(task.name in facts.MODELS for task in ready)
                for task in ready:
                    if task.name in facts.MODELS:
                        worker = 0 if 0 in idle else None
                    else:
                        others = [w for w in idle if w != 0 or not models_ready]
                        worker = others[-1] if others else None
                    if worker is None:
                        continue
                    idle.remove(worker)
                    tasks.remove(task)
                    parameters = task.build.params.as_notebook_parameters()
                    computing[compute_pools[worker].submit(_compute, task.name, parameters)] = (task, worker)
                for job in list(waiting):
                    build, nb, target, parameters = job
                    if set(presents[nb]) <= computed[id(build)]:
                        waiting.remove(job)
                        future = pool.submit(_execute_one, str(nb), str(target), parameters, str(nb.parent))
                        futures[future] = (build, nb, target)

            def finished(future: Future) -> None:
                nonlocal tasks
                if future in computing:
                    task, worker = computing.pop(future)
                    error = future.exception()
                    problem = future.result() if error is None else f"{type(error).__name__}: {error}"
                    logger = logging.getLogger(_logger_name(task.build))
                    if problem:
                        logger.warning("%s not computed ahead: %s", task.name, problem)
                    else:
                        logger.info("%s computed by worker %d", task.name, worker)
                    computed[id(task.build)].add(task.name)
                    if error is not None:  # the pool is broken: the notebooks compute the rest themselves
                        for other in tasks:
                            computed[id(other.build)].add(other.name)
                        tasks = []
                    return
                error = future.exception()
                if error is not None:
                    for other in [*futures, *starting, *computing]:
                        other.cancel()
                    build = futures[future][0] if future in futures else builds[0]  # else: a kernel's start
                    raise ReviewFailed("{area} {period} ({lang}): {error}", area=build.params.area,
                                       period=build.params.period, lang=build.params.lang, error=error) from None
                if future in futures:
                    build, nb, target = futures.pop(future)
                    result = build.results[nb.stem] = NotebookResult(nb.stem, target, future.result())
                    bar.update(1)
                    if on_result is not None:
                        on_result(build, result)
                else:
                    starting.discard(future)

            try:
                dispatch()
                while futures or starting or computing or waiting:
                    done, _ = wait([*futures, *starting, *computing], return_when=FIRST_COMPLETED)
                    # computations first, each followed by what it lets start: a worker does not wait
                    # while this process renders a finished notebook's page
                    for future in sorted(done, key=lambda future: future not in computing):
                        finished(future)
                        dispatch()
            finally:
                for compute_pool in compute_pools or ():
                    compute_pool.shutdown(wait=True, cancel_futures=True)
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
    words = period_words(last, lang)
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


def rendered(result: NotebookResult) -> str | list[tuple[str, str, str]]:
    """What an executed notebook gives the pages, rendered as soon as it has run (while the others
    run): the municipality notebook's pages (:func:`render.split_pages`), any other notebook's
    readers' content (:func:`render.body_html`; the bodies of several notebooks, joined, are the
    body of all of them)."""
    nb = nbformat.read(result.path, as_version=4)
    return render.split_pages(nb) if result.name == MUNICIPALITY_NOTEBOOK else render.body_html([nb])


def render_main(body: str, params: ReviewParams, workdir: Path, vintage: str) -> Path:
    """Write the main page (``review.html``, its notebook's :func:`rendered` body) into ``workdir``
    as soon as its notebook has run (the runner starts printing its PDF while the other notebooks
    run); returns its path."""
    title, _ = _titles(params)
    return _writer(params, workdir, vintage)(REVIEW_FILE, title, body)


def render_pages(parts: dict[str, str | list[tuple[str, str, str]]], params: ReviewParams, workdir: Path,
                 vintage: str, main_done: bool = False) -> Path:
    """Write the main page (unless ``main_done``: :func:`render_main` has), the methods and data
    appendix and one page per member municipality into ``workdir`` from the notebooks'
    :func:`rendered` parts (by notebook name); returns the main page's path."""
    title, appendix_title = _titles(params)
    write = _writer(params, workdir, vintage)
    # by name (the notebooks' order), not in the order they finished
    appendix = "".join(parts[n] for n in appendix_order(sorted(n for n in parts if n != MAIN_NOTEBOOK)))
    if MAIN_NOTEBOOK not in parts:  # a partial set of notebooks (analysts' runs, tests): one page
        return write(REVIEW_FILE, title, appendix)
    main = workdir / REVIEW_FILE if main_done else write(REVIEW_FILE, title, parts[MAIN_NOTEBOOK])
    if appendix:
        link = html.escape(t("review_page.back_to_review", params.lang))
        back = f'<p class="screen-only"><a href="{REVIEW_FILE}">{link}</a></p>'
        write(APPENDIX_FILE, appendix_title, back + appendix)
    if MUNICIPALITY_NOTEBOOK in parts:
        for name, page_title, body in parts[MUNICIPALITY_NOTEBOOK]:
            write(name, page_title, body)
    return main


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
                output_dir: Path = config.OUTPUTS_DIR, notebooks_dir: Path = config.NOTEBOOKS_DIR,
                kpi_demo: bool = False) -> list[Path]:
    """Build several reviews in one run (one store, one pool of kernels, one progress bar) and return
    the paths of their main pages. Each request holds ``area``, ``period``, ``lang``, ``data_source``
    (any may be None: the period file and defaults decide). Every parameter is validated and every
    existing review refused (without ``force``) before any notebook runs."""
    output_dir = Path(output_dir)
    for request in requests:  # what needs no data is checked before anything starts
        check_request(**request)
    notebooks = discover_notebooks(notebooks_dir)
    log = output_dir / ".logs" / "kernels.log"
    # the kernels start while the store is loaded (on new data: read and validated, a second or more)
    kernels = Kernels(kernel_workers(len(requests)), notebooks[0].parent)
    try:
        return _run(requests, force, output_dir, notebooks, log, kernels, progress, kpi_demo)
    finally:
        kernels.close(now=True)  # stopped already unless the run was refused before any notebook ran


def _run(requests: list[dict], force: bool, output_dir: Path, notebooks: list[Path], log: Path, kernels: Kernels,
         progress: bool, kpi_demo: bool) -> list[Path]:
    """:func:`run_reviews` once its kernels are starting."""
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
    kernels.log = log  # the run is accepted: what its kernels say is kept
    clean_stale(output_dir)  # what a killed run left behind
    builds: list[tuple[_Build, object]] = []
    for params, store in resolved:
        destination = review_dir(params)
        destination.parent.mkdir(parents=True, exist_ok=True)
        workdir = building_dir(destination.parent, params.lang)
        builds.append((_Build(params, destination, workdir, {}, time.perf_counter()), store))
    published: list[Path] = []
    printer = pdf.Printer()  # one browser prints every review's PDF, in a thread beside the rest
    printers = ThreadPoolExecutor(max_workers=1)
    printers.submit(printer.start)  # the browser starts while the sections are computed
    printing: dict[int, Future] = {}
    # the pages are rendered in a thread of their own, so the loop that starts the computations and
    # the notebooks is never held up by a page (a worker waited while the first page was rendered)
    renderer = ThreadPoolExecutor(max_workers=1)
    rendering: list[Future] = []
    try:
        store_of = {id(build): store for build, store in builds}
        vintages: dict[int, str] = {}

        def vintage_of(build: _Build) -> str:  # the pages' data line: when a page needs it, not before the workers start
            if id(build) not in vintages:
                vintages[id(build)] = _vintage_summary(store_of[id(build)], build.params.period, build.params.lang)
            return vintages[id(build)]

        for build, store in builds:
            _log_start(build, store)

        parts: dict[int, dict] = {id(build): {} for build, _ in builds}  # each review's rendered notebooks

        def present(build: _Build, result: NotebookResult, last: bool) -> None:  # in the renderer's thread
            vintage = vintage_of(build)
            part = parts[id(build)][result.name] = rendered(result)
            if result.name == MAIN_NOTEBOOK:
                main = render_main(part, build.params, build.workdir, vintage)
                printing[id(build)] = printers.submit(printer.print_pdf, main, build.workdir / PDF_FILE)
            if last:
                render_pages(parts.pop(id(build)), build.params, build.workdir, vintage, main_done=id(build) in printing)

        def on_result(build: _Build, result: NotebookResult) -> None:  # pages rendered as their notebooks finish
            rendering.append(renderer.submit(present, build, result, len(build.results) == len(notebooks)))

        try:
            execute_all([b for b, _ in builds], notebooks, log, kernels, progress, on_result)
        except ReviewFailed as exc:
            renderer.shutdown(wait=True)  # nothing is written into a build folder while it is kept
            for build, store in builds:
                if build.workdir.exists() and len(build.results) < len(notebooks):
                    vintage = vintage_of(build)
                    failed = _keep_failed(build, _record(build, store, vintage, "failed", str(exc)))
                    raise ReviewFailed("{error}\nthe executed notebooks and run.json are kept at {folder}",
                                       error=exc, folder=failed) from None
            raise
        renderer.shutdown(wait=True)
        for future in rendering:
            future.result()  # a page that could not be rendered stops the run here
        for build, store in builds:
            vintage = vintage_of(build)
            record = _record(build, store, vintage, "published")
            problem = printing[id(build)].result() if id(build) in printing else Text("no main page")
            record["pdf"] = PDF_FILE if problem is None else None
            if problem:
                record["pdf_missing"] = str(problem)
                lang = user_language()  # the operator's language, as the error messages
                print(Text("note: no PDF for {area} {period} ({lang}): {problem}; the HTML review is published",
                           area=build.params.area, period=build.params.period, lang=build.params.lang,
                           problem=problem).message(lang), file=sys.stderr)
            (build.workdir / "run.json").write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
            publish_review(build.workdir, build.destination, force, output_dir)
            shutil.rmtree(build.destination.with_name(build.destination.name + FAILED_SUFFIX), ignore_errors=True)
            published.append(build.destination / REVIEW_FILE)
    finally:
        renderer.shutdown(wait=True, cancel_futures=True)
        printers.shutdown(wait=True, cancel_futures=True)
        printer.close()
        for build, _ in builds:
            if build.workdir.exists():
                shutil.rmtree(build.workdir, ignore_errors=True)
        write_index_locked(output_dir)
    return published


def run_review(area: str | None = None, period: str | None = None, lang: str | None = None,
               data_source: str | None = None, force: bool = False, progress: bool = True,
               output_dir: Path = config.OUTPUTS_DIR, notebooks_dir: Path = config.NOTEBOOKS_DIR,
               kpi_demo: bool = False) -> Path:
    """Run one whole review and return the path of its main page (see :func:`run_reviews`)."""
    request = {"area": area, "period": period, "lang": lang, "data_source": data_source}
    return run_reviews([request], force, progress, output_dir, notebooks_dir, kpi_demo)[0]


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
