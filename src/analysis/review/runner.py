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

import json
import os
import shutil
import sys
import time
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from analysis import config
from analysis.present.text import t
from analysis.review import render
from analysis.review.notebooks import parameters_cell
from analysis.review.params import ReviewParams, resolve
from analysis.review.publish import ReviewExists, building_dir, clean_stale, worker_init, write_index_locked
from analysis.review.publish import publish as publish_review
from analysis.schema import UserError
from analysis.store import load_store

REVIEW_FILE = "review.html"
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
        raise ReviewFailed(f"no notebooks NN_*.ipynb in {folder}")
    return found


def review_dir(params: ReviewParams) -> Path:
    """Where the review of ``params`` is published."""
    return Path(params.output_dir) / params.area / params.period / params.lang


def combined_order(names: list[str]) -> list[str]:
    """Sections of the combined review: the key figures and analyses in numeric order, then the
    ``00_`` data overview (sources, vintage, definitions, caveats) as the closing section."""
    back = [n for n in names if n.startswith("00_")]
    return [n for n in names if n not in back] + back


def _log_stderr_to(path: str) -> None:
    """Worker initializer: send the worker's and its kernels' stderr (kernel start-up chatter) to
    ``path``, so the console shows only the progress bar and the result; errors are reported from
    the notebooks themselves."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 2)
    os.close(fd)


def _execute_one(source: str, target: str, parameters: dict[str, str], cwd: str) -> float:
    """Execute one notebook with papermill (runs in a worker process)."""
    import logging

    import papermill
    from papermill.exceptions import PapermillExecutionError

    logging.getLogger("papermill").setLevel(logging.WARNING)
    started = time.perf_counter()
    try:
        papermill.execute_notebook(
            source, target, parameters=parameters, cwd=cwd, progress_bar=False,
            log_output=False, execution_timeout=EXECUTION_TIMEOUT_S, kernel_name="python3",
        )
    except PapermillExecutionError as exc:
        raise ReviewFailed(
            f"notebook {Path(source).name} failed in cell {exc.cell_index} "
            f"(execution count {exc.exec_count}): {exc.ename}: {exc.evalue}\n"
            f"the executed notebook with the full traceback is kept at {target}"
        ) from None
    return time.perf_counter() - started


def execute_notebooks(notebooks: list[Path], params: ReviewParams, workdir: Path,
                      progress: bool = True, workers: int | None = None) -> list[NotebookResult]:
    """Execute ``notebooks`` with papermill in parallel worker processes, in a fresh kernel each.

    Each notebook gets only the parameters its ``parameters`` cell declares. The first failure
    stops the run with a :class:`ReviewFailed` naming the notebook, cell and error.
    """
    from tqdm import tqdm

    out_dir = workdir / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    all_params = params.as_notebook_parameters()
    jobs = {}
    workers = workers or min(len(notebooks), os.cpu_count() or 1, 4)
    results: dict[str, NotebookResult] = {}
    bar = tqdm(total=len(notebooks), desc=t("review.progress", params.lang), unit="nb",
               disable=not progress, file=sys.stderr, leave=False)
    log = workdir / "kernels.log"
    with ProcessPoolExecutor(max_workers=workers, initializer=worker_init, initargs=(str(log), os.getpid())) as pool:
        for nb in notebooks:
            declared = parameters_cell(nb)
            parameters = {k: v for k, v in all_params.items() if k in declared}
            target = out_dir / nb.name
            jobs[pool.submit(_execute_one, str(nb), str(target), parameters, str(nb.parent))] = (nb, target)
        pending = set(jobs)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                nb, target = jobs[future]
                error = future.exception()
                if error is not None:
                    for other in pending:
                        other.cancel()
                    bar.close()
                    raise error
                results[nb.name] = NotebookResult(nb.stem, target, future.result())
                bar.update(1)
    bar.close()
    return [results[nb.name] for nb in notebooks]


def _vintage_lines(store) -> list[dict[str, str]]:
    vin = store.vintage()
    return [
        {"table_id": r.table_id, "origin": r.origin, "last_period": str(r.last_period),
         "last_updated": r.last_updated, "fetched_at": r.fetched_at, "snapshot": r.snapshot,
         "citation": r.citation}
        for r in vin.itertuples()
    ]


def _vintage_summary(store, lang: str = "fi") -> str:
    """One line for readers: where the monthly data comes from and up to which month it runs."""
    row = store.vintage().set_index("table_id").loc["12r5"]
    if row.origin == "embedded":
        return t("review.vintage_embedded", lang, last=row.last_period, snapshot=row.snapshot)
    return t("review.vintage_fetched", lang, last=row.last_period, fetched=row.fetched_at or "–",
             updated=row.last_updated or "–")


def render_pages(results: list[NotebookResult], params: ReviewParams, workdir: Path, vintage: str) -> Path:
    """Render each executed notebook and the combined review into ``workdir``."""
    area = config.get_area(params.area)
    lang = params.lang
    title = t("review.title", lang, area=area.name(lang), period=params.period)
    made_at = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    meta = [t("review.meta", lang, made_at=made_at, vintage=vintage)]
    footer = [t("review.footer_licence", lang), t("review.footer_tool", lang)]
    executed = [nbformat.read(r.path, as_version=4) for r in results]
    for result, nb in zip(results, executed):
        body = render.body_html([nb])
        banner = t("review.example_banner", lang) if "notice-example" in body else None
        (workdir / f"{result.name}.html").write_text(
            render.page(title, body, lang, meta, footer, banner), encoding="utf-8")
    order = combined_order([r.name for r in results])
    by_name = dict(zip((r.name for r in results), executed))
    body = render.body_html([by_name[name] for name in order])
    banner = t("review.example_banner", lang) if "notice-example" in body else None
    target = workdir / REVIEW_FILE
    target.write_text(render.page(title, body, lang, meta, footer, banner), encoding="utf-8")
    return target


def publish(workdir: Path, destination: Path, force: bool) -> None:
    """Move the finished review into place; an existing one is replaced only with ``force``."""
    publish_review(workdir, destination, force)


def run_review(area: str | None = None, period: str | None = None, lang: str | None = None,
               data_source: str | None = None, force: bool = False, progress: bool = True,
               output_dir: Path = config.OUTPUTS_DIR, notebooks_dir: Path = config.NOTEBOOKS_DIR) -> Path:
    """Run the whole review and return the path of the combined HTML.

    Parameters are validated before anything runs; an existing review is refused without
    ``force`` before any notebook runs.
    """
    started = time.perf_counter()
    params, store = resolve(load_store, area=area, period=period, lang=lang, data_source=data_source,
                            output_dir=Path(output_dir))
    destination = review_dir(params)
    if destination.exists() and not force:
        raise ReviewExists(f"a review already exists at {destination}; use --force to replace it")
    notebooks = discover_notebooks(notebooks_dir)
    clean_stale(Path(output_dir))
    workdir = building_dir(destination.parent, params.lang)
    try:
        results = execute_notebooks(notebooks, params, workdir, progress)
        vintage = _vintage_summary(store, params.lang)
        render_pages(results, params, workdir, vintage)
        record = {
            "area": params.area,
            "area_name": config.get_area(params.area).name(params.lang),
            "period": params.period,
            "lang": params.lang,
            "data_source": params.data_source,
            "data_vintage": vintage,
            "tables": _vintage_lines(store),
            "made_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "notebooks": {r.name: round(r.seconds, 2) for r in results},
            "seconds": round(time.perf_counter() - started, 2),
        }
        (workdir / "run.json").write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
        publish(workdir, destination, force)
    finally:
        if workdir.exists():
            shutil.rmtree(workdir, ignore_errors=True)
    write_index_locked(Path(output_dir))
    return destination / REVIEW_FILE


def run_review_cli(area: str | None, period: str | None, lang: str | None, data_source: str | None,
                   force: bool, progress: bool, output_dir: str | None = None) -> int:
    """``python -m analysis review``: run, report errors plainly, print the review's path last."""
    try:
        path = run_review(area=area, period=period, lang=lang, data_source=data_source, force=force,
                          progress=progress and sys.stderr.isatty(),
                          output_dir=Path(output_dir) if output_dir else config.OUTPUTS_DIR)
    except (ReviewFailed, ReviewExists) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    sys.stderr.flush()
    try:
        shown = path.relative_to(Path.cwd())
    except ValueError:
        shown = path
    print(shown)
    return 0
