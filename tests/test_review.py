"""The review runner: parameters validated first, atomic publishing, failures named, HTML for managers."""

import json
import os
import re
import shutil
from html import escape as html_escape
from pathlib import Path

import nbformat
import pytest

from analysis import cli, config
from analysis.review import runner
from analysis.review.notebooks import Notebook, review_notebooks
from analysis.review.params import ReviewParams


@pytest.fixture()
def small_notebooks(tmp_path: Path) -> list[Notebook]:
    """The data overview only (a review of one appendix notebook: fast)."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(config.NOTEBOOKS_DIR / "00_data_overview.ipynb", folder)
    return [Notebook("00_data_overview", folder / "00_data_overview.ipynb", "appendix", ("overview",))]


def _failing_notebook(notebooks: list[Notebook]) -> list[Notebook]:
    folder = notebooks[0].path.parent
    nb = nbformat.read(folder / "00_data_overview.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('broken input on purpose')"))
    nbformat.write(nb, folder / "05_broken.ipynb")
    return [*notebooks, Notebook("05_broken", folder / "05_broken.ipynb", "appendix", ("overview",))]


def test_review_is_written_with_index_and_audit_record(tmp_path, small_notebooks):
    out = tmp_path / "outputs"
    path = runner.run_review(period="2023Q3", lang="sv", output_dir=out, notebooks=small_notebooks,
                             progress=False)
    assert path == out / "keski-pohjanmaa" / "2023Q3" / "sv" / "review.html"
    page = path.read_text(encoding="utf-8")
    assert '<html lang="sv">' in page
    assert page.count("<h1") == 1 and "Sysselsättningsöversikt" in page
    assert "<script" not in page and "area = " not in page  # no code, no injected parameters
    executed = nbformat.read(path.parent / "notebooks" / "00_data_overview.ipynb", as_version=4)
    assert executed.metadata["papermill"]["parameters"]["lang"] == "sv"  # audit record keeps parameters
    record = json.loads((path.parent / "run.json").read_text(encoding="utf-8"))
    # the vintage is stated as of the period: the data's last month 2023-10 is after 2023Q3
    assert record["period"] == "2023Q3" and record["data_vintage"].endswith("till och med september 2023")
    assert record["last_month"] == "2023-09"
    assert record["headline"] is None  # a run without the main page states no headline
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [(r["area"], r["period"], r["lang"]) for r in index] == [("keski-pohjanmaa", "2023Q3", "sv")]
    assert "keski-pohjanmaa/2023Q3/sv/review.html" in (out / "index.html").read_text(encoding="utf-8")


def test_running_notebooks_at_once_never_moves_the_runner_out_of_its_folder(tmp_path, small_notebooks, monkeypatch):
    """papermill's ``cwd`` chdirs the whole process; with notebooks run at once in threads the runner was
    left in another folder, and a relative --output-dir then failed ("output folder … doesn't exist"): the
    notebooks run without it and the output folder is made absolute where the run starts."""
    work = tmp_path / "here"
    work.mkdir()
    monkeypatch.chdir(work)
    copies = []
    for i in range(4):
        copy = small_notebooks[0].path.with_name(f"0{i}_copy.ipynb")
        nb = nbformat.read(small_notebooks[0].path, as_version=4)
        for cell in nb.cells:  # cell ids unique across the pages' notebooks, as JupyterLab makes them
            cell.id = f"{cell.id[:60]}-{i}"
        nbformat.write(nb, copy)
        copies.append(Notebook(copy.stem, copy, "appendix", ("overview",)))
    path = runner.run_review(period="2023Q3", output_dir=Path("out"), notebooks=copies, progress=False)
    assert path == work / "out" / "keski-pohjanmaa" / "2023Q3" / "fi" / "review.html" and path.exists()
    assert sorted(p.name for p in (path.parent / "notebooks").glob("*.ipynb")) == [f"0{i}_copy.ipynb" for i in range(4)]


@pytest.mark.skipif(os.name != "posix", reason="Unix sockets")
def test_each_kernel_talks_over_unix_sockets_in_a_private_folder():
    """Over TCP two kernels starting at once (in this run or another process) can pick the same free port and
    one dies ("Address already in use"); a kernel's sockets are files in a folder of its own, removed after."""
    with runner.kernel_manager() as km:
        folder = Path(km.ip).parent
        assert km.transport == "ipc" and folder.is_dir() and folder.stat().st_mode & 0o077 == 0
        assert km.kernel_name == runner.KERNEL_NAME
    assert not folder.exists()


def test_default_period_is_the_latest_complete_quarter(tmp_path, small_notebooks):
    path = runner.run_review(output_dir=tmp_path, notebooks=small_notebooks, progress=False)
    assert path.parts[-4:-1] == ("keski-pohjanmaa", "2023Q3", "fi")  # data ends 2023-10


def test_existing_review_is_not_replaced_without_force(tmp_path, small_notebooks):
    path = runner.run_review(period="2023Q2", output_dir=tmp_path, notebooks=small_notebooks, progress=False)
    stamp = path.stat().st_mtime_ns
    with pytest.raises(runner.ReviewExists, match="--force"):
        runner.run_review(period="2023Q2", output_dir=tmp_path, notebooks=small_notebooks, progress=False)
    assert path.stat().st_mtime_ns == stamp
    again = runner.run_review(period="2023Q2", output_dir=tmp_path, notebooks=small_notebooks,
                              progress=False, force=True)
    assert again.stat().st_mtime_ns != stamp


def test_failing_notebook_names_notebook_and_cell_and_keeps_previous_review(tmp_path, small_notebooks):
    path = runner.run_review(period="2023Q1", output_dir=tmp_path, notebooks=small_notebooks, progress=False)
    before = path.read_text(encoding="utf-8")
    broken = _failing_notebook(small_notebooks)
    with pytest.raises(runner.ReviewFailed, match=r"05_broken.ipynb failed in cell 5.*ValueError: broken input"):
        runner.run_review(period="2023Q1", output_dir=tmp_path, notebooks=broken,
                          progress=False, force=True)
    assert path.read_text(encoding="utf-8") == before
    leftovers = [p.name for p in path.parent.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


@pytest.mark.parametrize("argv, message", [
    (["review", "--area", "atlantis"], "unknown area 'atlantis'"),
    (["review", "--period", "2023Q7"], "YYYYQn"),
    (["review", "--period", "2031Q1"], "no month"),
    (["review", "--data-source", "/nonexistent/store"], "neither 'embedded', 'fetched'"),
])
def test_bad_parameters_are_refused_before_anything_runs(argv, message, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(config, "OUTPUTS_DIR", tmp_path)
    monkeypatch.setattr(runner, "execute_all", lambda *a, **k: pytest.fail("ran notebooks"))
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err


def test_bad_language_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit):
        cli.main(["review", "--lang", "en"])
    assert "invalid choice: 'en'" in capsys.readouterr().err


def test_help_explains_the_commands(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    text = capsys.readouterr().out
    for word in ("review", "fetch", "areas", "kpi-template", "kpi-import", "employment review"):
        assert word in text


def test_areas_command_lists_the_default(capsys):
    assert cli.main(["areas"]) == 0
    assert "keski-pohjanmaa" in capsys.readouterr().out


def test_params_injected_are_the_declared_literals():
    params = ReviewParams("keski-pohjanmaa", "2023Q3", "embedded", "fi", "outputs")
    assert params.as_notebook_parameters() == {"area": "keski-pohjanmaa", "period": "2023Q3",
                                               "data_source": "embedded", "lang": "fi", "output_dir": "outputs",
                                               "kpi_data": "imported"}


@pytest.mark.slow
def test_full_review_page_meets_the_page_rules(full_review):
    path = full_review
    page = path.read_text(encoding="utf-8")
    assert path.stat().st_size < 3_000_000
    assert '<html lang="fi">' in page and page.count("<h1") == 1
    levels = [int(h) for h in re.findall(r"<h([1-6])[ >]", page)]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), "heading levels never skip"
    imgs = re.findall(r"<img [^>]*>", page)
    assert all('alt="' in i and 'alt=""' not in i for i in imgs)
    assert all(i.count("data:image/svg+xml;base64,") == 1 for i in imgs)  # embedded, opens offline
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org", "")


def test_the_review_records_its_headline_and_the_index_shows_it_with_links_to_its_pages(full_review, swedish_review):
    """The run records the main page's headline (September 2023: 175 more unemployed than a year earlier, the
    main page's own sentence) and the lists of reviews show it with the review's type and links that resolve:
    the PDF, the appendix and every member municipality's page, named in the list's language."""
    from bs4 import BeautifulSoup

    for review, lang, headline, index_file in (
            (full_review, "fi", "Työttömiä syyskuun lopussa 175 enemmän kuin vuotta aiemmin", "index.html"),
            (swedish_review, "sv", "I slutet av september 175 fler arbetslösa än ett år tidigare", "index.sv.html")):
        record = json.loads((review.parent / "run.json").read_text(encoding="utf-8"))
        assert record["headline"] == headline
        assert BeautifulSoup(review.read_text(encoding="utf-8"), "html.parser").select_one(".lead").get_text() == headline
        out = review.parents[3]
        assert [r["headline"] for r in json.loads((out / "index.json").read_text(encoding="utf-8"))] == [headline]
        soup = BeautifulSoup((out / index_file).read_text(encoding="utf-8"), "html.parser")
        card = soup.select_one("article.review-card")
        assert card.select_one(".review-headline").get_text() == headline
        assert card.h3.get_text().startswith({"fi": "Neljännesvuosikatsaus, ", "sv": "Kvartalsöversikt, "}[lang])
        hrefs = {a["href"]: a.get_text() for a in card.select("a")}
        assert all((out / href).is_file() for href in hrefs), hrefs
        for name in ("review.pdf", "appendix.html"):  # linked when made (no appendix in the Swedish run)
            assert (f"keski-pohjanmaa/2023Q3/{lang}/{name}" in hrefs) == (review.parent / name).exists()
        towns = [hrefs[h] for h in hrefs if "/kunta-" in h]
        assert towns == {"fi": ["Halsua", "Kannus", "Kaustinen", "Kokkola", "Lestijärvi", "Perho", "Toholampi", "Veteli"],
                         "sv": ["Halsua", "Kannus", "Karleby", "Kaustby", "Lestijärvi", "Perho", "Toholampi", "Vetil"]}[lang]


def test_every_result_is_computed_once_before_the_notebooks_and_each_notebook_ran_alone(full_review):
    """The runner computes every result the notebooks present (a broken pool would leave the notebooks
    to compute them, slowly and silently); each executed notebook ran in a fresh kernel of its own, so
    its execution counts start at 1: the audit record of what its page shows."""
    from analysis.review import facts
    from analysis.review.notebooks import review_notebooks

    log = (full_review.parent / runner.LOG_FILE).read_text(encoding="utf-8")
    computed = re.findall(r" INFO ([\w.]+) computed(?: \(found in the cache\))?$", log, flags=re.M)
    listed = review_notebooks()
    presented = {name for nb in listed for name in nb.results}
    assert sorted(computed) == sorted(n for stage in facts.wanted(presented) for n in stage)
    assert {n for stage in facts.STAGES for n in stage} <= set(computed)  # a whole review computes every section
    assert "not computed ahead" not in log
    for nb in listed:
        executed = nbformat.read(full_review.parent / "notebooks" / nb.path.name, as_version=4)
        counts = [c.execution_count for c in executed.cells if c.cell_type == "code"]
        assert counts == list(range(1, len(counts) + 1)), nb.name
        errors = [o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, nb.name
    assert sorted(p.stem for p in (full_review.parent / "notebooks").glob("*.ipynb")) == sorted(nb.name for nb in listed)


def test_a_copy_made_in_jupyterlab_is_not_run(tmp_path):
    """Only the notebooks config/notebooks.yaml lists are run: a "Duplicate" in JupyterLab
    (``…-Copy1.ipynb``) never reaches the managers' appendix."""
    from analysis.review.notebooks import review_notebooks

    folder = tmp_path / "notebooks"
    shutil.copytree(config.NOTEBOOKS_DIR, folder)
    shutil.copy(folder / "10_unemployment_structure.ipynb", folder / "10_unemployment_structure-Copy1.ipynb")
    names = [nb.name for nb in review_notebooks(folder)]
    assert "10_unemployment_structure-Copy1" not in names and len(names) == 8
    (folder / "30_foreign_language.ipynb").unlink()
    with pytest.raises(config.ConfigError, match="30_foreign_language.ipynb not found"):
        review_notebooks(folder)


def test_the_appendix_sections_follow_the_notebooks_whatever_order_they_finished_in(full_review):
    """The notebooks finish in any order (the scorecard often first); the appendix reads 10, 20, 30,
    40, 50 and the data overview last."""
    appendix = (full_review.parent / config.APPENDIX_FILE).read_text(encoding="utf-8")
    headings = re.findall(r"<h2[^>]*>([^<]+)", appendix)
    assert headings == ["Työttömyyden rakenne", "Pitkäaikaistyöttömyys", "Vieraskielisten työttömyys ja työllisyys",
                        "Osaamistarpeet ammattiryhmittäin", "Toiminnallinen mittaristo",
                        "Lähteet, aineisto ja määritelmät"]


def test_committed_period_file_is_read_and_command_line_overrides_it(tmp_path, monkeypatch):
    from analysis.review import params as review_params
    from analysis.store import load_store

    folder = tmp_path / "review"
    folder.mkdir()
    (folder / "2023Q2.yaml").write_text("period: 2023Q2\nlang: sv\narea: maakunta-uusimaa\n", encoding="utf-8")
    monkeypatch.setattr(config, "REVIEW_PARAMS_DIR", folder)
    monkeypatch.setattr(review_params, "params_file", lambda p, folder=folder: folder / f"{p}.yaml")
    params, _ = review_params.resolve(load_store, period="2023Q2")
    assert (params.area, params.lang) == ("maakunta-uusimaa", "sv")
    params, _ = review_params.resolve(load_store, period="2023Q2", lang="fi")
    assert params.lang == "fi"
    (folder / "2023Q2.yaml").write_text("period: 2023Q2\ncolour: red\n", encoding="utf-8")
    with pytest.raises(config.ConfigError, match="unknown parameter.*colour"):
        review_params.resolve(load_store, period="2023Q2")


def test_cli_prints_the_review_path_as_its_last_line(tmp_path, capsys, monkeypatch):
    only = [Notebook("00_data_overview", config.NOTEBOOKS_DIR / "00_data_overview.ipynb", "appendix", ("overview",))]
    monkeypatch.setattr(runner, "review_notebooks", lambda: only)
    assert cli.main(["review", "--period", "2023Q3", "--output-dir", str(tmp_path), "--no-progress"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.endswith("keski-pohjanmaa/2023Q3/fi/review.html")
    assert Path(last).exists()
    assert cli.main(["review", "--period", "2023Q3", "--output-dir", str(tmp_path), "--no-progress"]) == 2
    assert "--force" in capsys.readouterr().err


def test_the_period_file_decides_the_language_unless_the_command_line_says_otherwise(tmp_path, monkeypatch):
    from analysis.review import params as review_params

    folder = tmp_path / "review"
    folder.mkdir()
    (folder / "2023Q2.yaml").write_text("period: 2023Q2\nlang: sv\n", encoding="utf-8")
    monkeypatch.setattr(review_params, "params_file", lambda p, folder=folder: folder / f"{p}.yaml")
    seen = {}
    monkeypatch.setattr(runner, "run_review", lambda **kw: seen.update(kw) or tmp_path / "review.html")
    assert cli.main(["review", "--period", "2023Q2"]) == 0
    assert seen["lang"] is None  # not forced to "fi" by the parser: the file's "sv" applies
    from analysis.store import load_store

    params, _ = review_params.resolve(load_store, period="2023Q2", lang=seen["lang"])
    assert params.lang == "sv"


@pytest.mark.slow
def test_whole_review_on_a_complete_fetched_set_states_every_group_with_its_figure(tmp_path):
    """The fetched-data path end to end on the complete SYNTHETIC fetched set for Keski-Pohjanmaa
    (tests/fixtures/fetched_kp, real response shapes): every standard group is on the main page with
    its figure, read here straight from the fixture's rows of MK16 at 2026-06."""
    from analysis.present.fmt import fmt_int
    from analysis.present.text import t
    from analysis.sources.catalog import SERVICE_MEASURES
    from analysis.store import read_store
    from fixtures.fetched_kp import STORE

    main_only = [nb for nb in review_notebooks() if nb.page == "main"]  # the whole review runs in conftest.py
    path = runner.run_review(period="2026Q2", data_source=str(STORE), output_dir=tmp_path, progress=False,
                             notebooks=main_only)
    page = path.read_text(encoding="utf-8")
    obs = read_store(STORE).observations
    mk16 = obs[(obs["area_code"] == "MK16") & (obs["period"] == "2026-06") & (obs["occupation_code"] == "SSS")]
    value = mk16.groupby("measure")["value"].first()
    expected = {
        "unemployed": value["unemployed_jobseekers"], "long_term": value["long_term_unemployed"],
        "over_two_years": value["unemployed_24m_plus"], "under_25": value["unemployed_under_25"],
        "over_50": value["unemployed_over_50"], "foreign_nationals": value["unemployed_foreign_nationals"],
        "laid_off": value["laid_off_full_time"], "in_services": sum(value[m] for m in SERVICE_MEASURES),
        "new_vacancies": value["new_vacancies"],  # the one vacancy tile: the others are in the appendix (issue 27)
    }
    for group, number in expected.items():
        label = html_escape(t(f"review_page.group_{group}", "fi"))
        tile = re.search(rf"<h3>{re.escape(label)}</h3><p class=\"tile-value\">([^<]*)</p>", page)
        assert tile, f"no tile for {group}"
        assert tile.group(1) == fmt_int(number), (group, tile.group(1), number)
    for group in ("open_vacancies", "vacancies_during_month"):
        assert f"<h3>{html_escape(t(f'review_page.group_{group}', 'fi'))}</h3>" not in page
    rate = value["unemployed_jobseekers"] / value["labour_force"] * 100
    assert f"Työttömyysaste oli {rate:.1f}".replace(".", ",") in page
    assert "Tästä aineistosta puuttuvat ryhmät" not in page  # nothing is missing in a complete fetch
    assert "haettu 15.9.2026" in page  # the vintage line names the fetch, in words


def _blas_threads_after_compute_worker_init(log: str) -> list[int]:
    from threadpoolctl import threadpool_info

    runner.compute_worker_init(log, os.getppid())
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_a_compute_worker_uses_one_blas_thread(tmp_path):
    """The pool keeps every core busy; a BLAS thread pool per worker only competed for the cores."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        threads = pool.apply(_blas_threads_after_compute_worker_init, (str(tmp_path / "worker.log"),))
    assert threads and set(threads) == {1}
