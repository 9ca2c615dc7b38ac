"""The review runner: parameters validated first, atomic publishing, failures named, HTML for managers."""

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from analysis import cli, config
from analysis.review import runner
from analysis.review.params import ReviewParams


@pytest.fixture()
def small_notebooks(tmp_path: Path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(config.NOTEBOOKS_DIR / "00_data_overview.ipynb", folder)
    return folder


def _failing_notebook(folder: Path) -> None:
    nb = nbformat.read(folder / "00_data_overview.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('broken input on purpose')"))
    nbformat.write(nb, folder / "05_broken.ipynb")


def test_review_is_written_with_index_and_audit_record(tmp_path, small_notebooks):
    out = tmp_path / "outputs"
    path = runner.run_review(period="2023Q3", lang="sv", output_dir=out, notebooks_dir=small_notebooks,
                             progress=False)
    assert path == out / "keski-pohjanmaa" / "2023Q3" / "sv" / "review.html"
    page = path.read_text(encoding="utf-8")
    assert '<html lang="sv">' in page
    assert page.count("<h1") == 1 and "Sysselsättningsöversikt" in page
    assert "<script" not in page and "area = " not in page  # no code, no injected parameters
    executed = nbformat.read(path.parent / "notebooks" / "00_data_overview.ipynb", as_version=4)
    assert executed.metadata["papermill"]["parameters"]["lang"] == "sv"  # audit record keeps parameters
    record = json.loads((path.parent / "run.json").read_text(encoding="utf-8"))
    assert record["period"] == "2023Q3" and record["data_vintage"].endswith("till och med 2023-10")
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [(r["area"], r["period"], r["lang"]) for r in index] == [("keski-pohjanmaa", "2023Q3", "sv")]
    assert "keski-pohjanmaa/2023Q3/sv/review.html" in (out / "index.html").read_text(encoding="utf-8")


def test_default_period_is_the_latest_complete_quarter(tmp_path, small_notebooks):
    path = runner.run_review(output_dir=tmp_path, notebooks_dir=small_notebooks, progress=False)
    assert path.parts[-4:-1] == ("keski-pohjanmaa", "2023Q3", "fi")  # data ends 2023-10


def test_existing_review_is_not_replaced_without_force(tmp_path, small_notebooks):
    path = runner.run_review(period="2023Q2", output_dir=tmp_path, notebooks_dir=small_notebooks, progress=False)
    stamp = path.stat().st_mtime_ns
    with pytest.raises(runner.ReviewExists, match="--force"):
        runner.run_review(period="2023Q2", output_dir=tmp_path, notebooks_dir=small_notebooks, progress=False)
    assert path.stat().st_mtime_ns == stamp
    again = runner.run_review(period="2023Q2", output_dir=tmp_path, notebooks_dir=small_notebooks,
                              progress=False, force=True)
    assert again.stat().st_mtime_ns != stamp


def test_failing_notebook_names_notebook_and_cell_and_keeps_previous_review(tmp_path, small_notebooks):
    path = runner.run_review(period="2023Q1", output_dir=tmp_path, notebooks_dir=small_notebooks, progress=False)
    before = path.read_text(encoding="utf-8")
    _failing_notebook(small_notebooks)
    with pytest.raises(runner.ReviewFailed, match=r"05_broken.ipynb failed in cell 5.*ValueError: broken input"):
        runner.run_review(period="2023Q1", output_dir=tmp_path, notebooks_dir=small_notebooks,
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
    monkeypatch.setattr(runner, "execute_notebooks", lambda *a, **k: pytest.fail("ran notebooks"))
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
                                               "data_source": "embedded", "lang": "fi", "output_dir": "outputs"}


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
    assert all(i.count("data:image/png;base64,") == 1 for i in imgs)  # embedded, opens offline
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org", "")


def test_combined_review_puts_the_data_overview_last():
    names = ["00_data_overview", "01_key_figures", "10_unemployment_structure", "50_kpi_scorecard"]
    assert runner.combined_order(names) == ["01_key_figures", "10_unemployment_structure",
                                            "50_kpi_scorecard", "00_data_overview"]


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
    monkeypatch.setattr(runner, "discover_notebooks",
                        lambda folder=None: [config.NOTEBOOKS_DIR / "00_data_overview.ipynb"])
    assert cli.main(["review", "--period", "2023Q3", "--output-dir", str(tmp_path), "--no-progress"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.endswith("keski-pohjanmaa/2023Q3/fi/review.html")
    assert Path(last).exists()
    assert cli.main(["review", "--period", "2023Q3", "--output-dir", str(tmp_path), "--no-progress"]) == 1
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
def test_whole_review_runs_on_a_fetched_store_with_all_12r5_measures(tmp_path):
    """The fetched-data path end to end: every notebook runs on a store shaped like a full 12r5
    fetch (synthetic values, tests/fixtures/structure), and the long-term figures appear."""
    fixture = Path(__file__).parent / "fixtures" / "structure" / "fetched_12r5"
    path = runner.run_review(period="2023Q3", data_source=str(fixture), output_dir=tmp_path, progress=False)
    page = path.read_text(encoding="utf-8")
    assert "Pitkäaikaistyöttömiä oli" in page  # the front page states the fetched long-term figure
    assert "Pitkäaikaistyöttömien kuukausittaista määrää ei ole" not in page
    assert "StatFin-rajapinta, haettu 2026-01-01" in page  # the vintage line names the fetch
