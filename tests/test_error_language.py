"""Errors speak the user's language (issue 11): one error path, Finnish by default, Swedish on request.

Every known error carries an English template (the msgid) and its values; ``str(exc)`` is the English
rendering, ``exc.message(lang)`` the Finnish or Swedish one from ``present/strings/<lang>/errors.yaml``.
The scan below fails when someone raises a message that has no translation, or builds a message with
an f-string. The command line is driven in subprocesses, as a user runs it.
"""

from __future__ import annotations

import ast
import os
import pickle
import re
import shutil
import string
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from analysis import cli, config
from analysis.errors import ERROR_CATALOGUE, DataValidationError, Text, error_templates, user_language
from analysis.schema import StoreError
from analysis.sources import embedded

SRC = Path(__file__).resolve().parents[1] / "src" / "analysis"
LANGS = ("fi", "sv")

# --- the scan: every literal template in src/analysis --------------------------------------------

TEMPLATE_ARG = {  # a call of one of these names -> position of its English template among the arguments
    "UserError": 0, "ConfigError": 0, "AreaNotHeld": 0, "StoreError": 0, "PublishError": 0, "ReviewExists": 0, "ReviewFailed": 0,
    "FetchError": 0, "Text": 0, "UnknownName": 0, "DataValidationError": 1, "PxFileError": 1, "PxWebError": 2, "DeadlineError": 2,
}
"""The known error classes and :class:`analysis.errors.Text` (a translatable piece of a message)."""
WHAT_ARG = {"require_pattern": 4, "require_known": 4, "read_csv": None}
"""Validation helpers whose ``what`` argument (a description such as "a month YYYY-MM") is translated."""


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _template_node(node: ast.AST) -> tuple[str, ast.expr | None] | None:
    """The name and the template argument of a call that takes one, else None."""
    if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["template"]:
        return "template =", node.value  # the place-part of a message built in an error's __init__
    if not isinstance(node, ast.Call):
        return None
    name = _name(node.func)
    if name == "__init__" and isinstance(node.func.value, ast.Call) and _name(node.func.value.func) == "super":
        return "super().__init__", node.args[0] if node.args else None  # a known error's own template
    if name in TEMPLATE_ARG:
        pos = TEMPLATE_ARG[name]
        return name, node.args[pos] if len(node.args) > pos else None
    if name in WHAT_ARG:
        pos = WHAT_ARG[name]
        arg = node.args[pos] if pos is not None and len(node.args) > pos else None
        return name, next((k.value for k in node.keywords if k.arg == "what"), arg)
    return None


def scan(root: Path = SRC) -> tuple[dict[str, list[str]], list[str]]:
    """Literal templates (template -> places) and the places that build a template (f-string, + or %)."""
    found: dict[str, list[str]] = {}
    computed: list[str] = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            hit = _template_node(node)
            if hit is None:
                continue
            name, arg = hit
            where = f"{path.relative_to(root.parent)}:{node.lineno}"
            if isinstance(arg, ast.JoinedStr) or (isinstance(arg, ast.BinOp) and isinstance(arg.op, (ast.Add, ast.Mod))):
                computed.append(f"{where}: {name}(…) builds its message; pass a template and its values")
            elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.setdefault(arg.value, []).append(where)
    return found, computed


def fields(text: str) -> list[str]:
    """The placeholder names of a template, sorted (``{byte:02X}`` -> ``byte``)."""
    return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)


def has_words(template: str) -> bool:
    """False for a template of placeholders and punctuation only (``{error}``): nothing to translate."""
    return bool(re.search(r"[A-Za-z]", re.sub(r"\{[^}]*\}", "", template)))


def raw_catalogue(lang: str) -> dict[str, str]:
    with open(str(ERROR_CATALOGUE).format(lang=lang), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


TEMPLATES, COMPUTED = scan()
TO_TRANSLATE = sorted(t for t in TEMPLATES if has_words(t))


def test_the_scan_finds_the_raise_sites():
    assert len(TO_TRANSLATE) >= 150  # about 140 raise sites, plus the pieces and the place-parts
    assert "period {period!r} is not a quarter YYYYQn (e.g. 2023Q3) or a month YYYY-MM (e.g. 2023-09)" in TEMPLATES
    assert "{file}, row {row}, column '{column}': {detail}" in TEMPLATES


def test_no_error_message_is_built_with_an_f_string():
    assert not COMPUTED, "\n".join(COMPUTED)


@pytest.mark.parametrize("lang", LANGS)
def test_every_raised_template_is_translated_with_the_same_placeholders(lang):
    catalogue = raw_catalogue(lang)
    missing = [f"{t!r} ({TEMPLATES[t][0]})" for t in TO_TRANSLATE if t not in catalogue]
    assert not missing, f"no translation in strings/{lang}/errors.yaml:\n" + "\n".join(missing)
    differ = [f"{t!r}: {fields(t)} vs {fields(catalogue[t])}" for t in TO_TRANSLATE if fields(t) != fields(catalogue[t])]
    assert not differ, "\n".join(differ)
    untranslated = [t for t in TO_TRANSLATE if catalogue[t] == t and re.sub(r"\{[^}]*\}|--[\w-]+|HTTP", "", t).strip(": ")]
    assert not untranslated, untranslated


def test_the_catalogues_hold_nothing_stale_and_the_same_keys():
    fi, sv = raw_catalogue("fi"), raw_catalogue("sv")
    assert set(fi) == set(sv), sorted(set(fi) ^ set(sv))
    stale = sorted(set(fi) - set(TEMPLATES))
    assert not stale, f"entries no code raises any more: {stale}"


# --- rendering --------------------------------------------------------------------------------------

def test_str_is_english_and_message_renders_each_language():
    exc = config.ConfigError("{path}: file not found", path="config/areas.yaml")
    assert str(exc) == "config/areas.yaml: file not found" == exc.message("en")
    assert exc.message("fi") == "config/areas.yaml: tiedostoa ei löydy"
    assert exc.message("sv") == "config/areas.yaml: filen hittades inte"


def test_pieces_of_a_message_are_rendered_in_the_same_language():
    exc = DataValidationError("data/raw/x.csv", "'{value}' is not {what}", row=5, column="month", value="2023-13",
                              what=Text("a month YYYY-MM"))
    assert str(exc) == "data/raw/x.csv, row 5, column 'month': '2023-13' is not a month YYYY-MM"
    assert exc.message("fi") == "data/raw/x.csv, rivi 5, sarake 'month': '2023-13' ei ole kuukausi muodossa VVVV-KK"
    assert exc.message("sv") == "data/raw/x.csv, rad 5, kolumn 'month': '2023-13' är inte en månad ÅÅÅÅ-MM"


def test_an_untranslated_or_english_only_message_still_renders():
    assert StoreError("a new message {x}", x=1).message("fi") == "a new message 1"  # falls back to English
    assert StoreError("built elsewhere: {not a placeholder}").message("sv") == "built elsewhere: {not a placeholder}"


def test_a_known_error_survives_pickling_with_its_template():  # notebook workers send errors across processes
    exc = DataValidationError("f.csv", "'{value}' is not a number", row=3, column="value", value="x")
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is DataValidationError and str(back) == str(exc)
    assert back.message("fi") == exc.message("fi") == "f.csv, rivi 3, sarake 'value': 'x' ei ole luku"


def test_every_translation_formats_with_its_own_placeholders():
    for lang in LANGS:
        for template, text in error_templates(lang).items():
            values = {name: 1 for name in fields(template)}
            assert text.format(**values), (lang, template)


@pytest.mark.parametrize("environ, expected", [
    ({}, "fi"),
    ({"LANG": "C.UTF-8"}, "fi"),
    ({"LANG": "fi_FI.UTF-8"}, "fi"),
    ({"LANG": "sv_FI.UTF-8"}, "sv"),
    ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LC_ALL": "sv_SE.UTF-8", "LANG": "fi_FI.UTF-8"}, "sv"),
    ({"LC_MESSAGES": "en_US.UTF-8", "LANG": "sv_FI.UTF-8"}, "en"),
    ({"ANALYSIS_LANG": "sv", "LANG": "en_US.UTF-8"}, "sv"),
    ({"ANALYSIS_LANG": "xx", "LANG": "sv_FI.UTF-8"}, "sv"),
])
def test_the_user_language_comes_from_the_environment(environ, expected):
    assert user_language(environ) == expected


def test_the_lang_option_comes_before_the_environment():
    args = cli.build_parser().parse_args(["review", "--lang", "sv"])
    assert cli.messages_language(args.lang, {"ANALYSIS_LANG": "fi"}) == "sv"
    args = cli.build_parser().parse_args(["review"])
    assert cli.messages_language(args.lang, {"LANG": "sv_FI.UTF-8"}) == "sv"
    assert cli.messages_language("de", {"LANG": "sv_FI.UTF-8"}) == "sv"  # not a language of the messages


# --- the command line, as a user runs it ------------------------------------------------------------

def run_cli(args: list[str], lang_env: dict[str, str] | None = None, cwd: Path | None = None,
            code: str | None = None) -> subprocess.CompletedProcess:
    """``python -m analysis ARGS`` in a fresh process; only ``lang_env`` sets the language."""
    env = {k: v for k, v in os.environ.items() if k not in ("ANALYSIS_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    env.update({"LANG": "C.UTF-8", **(lang_env or {})})
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "analysis", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd or SRC.parents[1], timeout=300)


FI_PERIOD = "raportointikausi '2023Q5' ei ole vuosineljännes muodossa VVVVQn"
SV_PERIOD = "rapportperioden '2023Q5' är varken ett kvartal ÅÅÅÅQn"


def test_a_bad_period_is_finnish_by_default():
    out = run_cli(["review", "--period", "2023Q5"])
    assert out.returncode == 2, out.stderr
    assert out.stderr.startswith("virhe: " + FI_PERIOD), out.stderr
    assert "Traceback" not in out.stderr and "error" not in out.stderr


@pytest.mark.parametrize("args, lang_env", [
    (["review", "--period", "2023Q5", "--lang", "sv"], {}),
    (["review", "--period", "2023Q5"], {"LANG": "sv_FI.UTF-8"}),
    (["review", "--period", "2023Q5"], {"ANALYSIS_LANG": "sv"}),
    (["review", "--period", "2023Q5", "--lang", "sv"], {"ANALYSIS_LANG": "fi"}),
], ids=["--lang-sv", "LANG-sv_FI", "ANALYSIS_LANG-sv", "--lang-beats-env"])
def test_a_bad_period_is_swedish_when_asked(args, lang_env):
    out = run_cli(args, lang_env)
    assert out.returncode == 2, out.stderr
    assert out.stderr.startswith("fel: " + SV_PERIOD), out.stderr
    assert "Traceback" not in out.stderr


def test_english_and_debug_on_request():
    out = run_cli(["review", "--period", "2023Q5"], {"LANG": "en_US.UTF-8"})
    assert out.returncode == 2 and out.stderr.startswith("error: period '2023Q5' is not a quarter"), out.stderr
    out = run_cli(["review", "--period", "2023Q5", "--debug"])
    assert out.returncode == 2 and "Traceback" in out.stderr and "virhe: " + FI_PERIOD in out.stderr


@pytest.mark.parametrize("args, lang_env, expected", [
    (["review", "--lang", "de"], {}, "python -m analysis review: virhe: valitsin --lang: virheellinen arvo 'de' "
                                     "(vaihtoehdot: 'fi', 'sv')"),
    (["review", "--bogus"], {"LANG": "sv_FI.UTF-8"}, "python -m analysis: fel: okända argument: --bogus"),
    (["review", "--period"], {}, "python -m analysis review: virhe: valitsin --period: arvo puuttuu"),
    (["review", "--lang", "sv", "--period"], {}, "python -m analysis review: fel: flaggan --period: värdet saknas"),
    (["review", "--lang", "de"], {"LANG": "en_US.UTF-8"}, "python -m analysis review: error: argument --lang: "
                                                          "invalid choice: 'de' (choose from 'fi', 'sv')"),
], ids=["choice-fi", "unknown-sv", "missing-value-fi", "missing-value-lang-sv", "choice-en"])
def test_the_command_lines_own_errors_speak_the_users_language(args, lang_env, expected):
    out = run_cli(args, lang_env)
    assert out.returncode == 2, out.stderr
    assert out.stderr.splitlines()[-1] == expected
    assert "Traceback" not in out.stderr


def test_a_bad_workbook_names_file_sheet_row_and_column_in_finnish(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tiedot"
    sheet.append(["mittari", "kuukausi", "kunta", "arvo", "huomautus"])
    sheet.append(["employer_contacts", "2024-12", "Kokkola", "paljon", None])  # TEST FIXTURE: text as the value
    path = tmp_path / "kpi.xlsx"
    book.save(path)
    out = run_cli(["kpi-import", str(path)])
    assert out.returncode == 2, out.stderr
    assert f"virhe: {path}: ongelmia 1; mitään ei tuotu" in out.stderr, out.stderr
    assert f"{path}, välilehti 'Tiedot', rivi 2, sarake 'arvo' (D): 'paljon' on tekstiä eikä luku" in out.stderr
    out = run_cli(["kpi-import", str(path)], {"LANG": "sv_FI.UTF-8"})
    assert f"{path}, blad 'Tiedot', rad 2, kolumn 'arvo' (D): 'paljon' är text, inte ett tal" in out.stderr


def test_bad_data_names_file_row_and_column_in_finnish(tmp_path):
    """A count column holding text in the embedded 12r5 file (a copy): the file, row and column, in Finnish."""
    name = embedded.FILES["12r5"]
    raw = tmp_path / "raw"
    (raw / name).parent.mkdir(parents=True)
    shutil.copy(config.RAW_DIR / name, raw / name)
    lines = (raw / name).read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[4].rstrip("\n").split(",")
    cells[header.index("unemployed_jobseekers")] = "n/a"
    lines[4] = ",".join(cells) + "\n"
    (raw / name).write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        embedded.load_12r5(raw)
    assert str(err.value) == f"{raw / name}, row 5, column 'unemployed_jobseekers': 'n/a' is not a number"
    assert cli.error_message(err.value, "fi") == (
        f"virhe: {raw / name}, rivi 5, sarake 'unemployed_jobseekers': 'n/a' ei ole luku")
    assert cli.error_message(err.value, "sv") == (
        f"fel: {raw / name}, rad 5, kolumn 'unemployed_jobseekers': 'n/a' är inte ett tal")


# --- a read-only output folder, also when the tests run as root ----------------------------------------

AS_NOBODY = """
import os, sys
import analysis.cli, analysis.review.runner  # imported first: the interpreter may live under /root (mode 0700)
from analysis.errors import error_templates
error_templates("fi"), error_templates("sv")  # read first too: the checkout may be in a folder only root reads
if os.geteuid() == 0:  # root ignores file modes: become nobody, for whom the folder really is read-only
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
sys.exit(analysis.cli.main(sys.argv[1:]))
"""
NOBODY = 65534


def test_a_read_only_output_folder_is_refused_in_finnish_and_nothing_is_written():
    base = Path(tempfile.mkdtemp(prefix="analysis-ro-"))  # not under pytest's tmp (mode 0700 for root)
    try:
        base.chmod(0o755)
        folder = base / "katsaukset"
        folder.mkdir()
        folder.chmod(0o555)  # read-only for everyone (and root-owned: nobody cannot write even as owner)
        out = run_cli(["review", "--period", "2023Q3", "--output-dir", str(folder / "uusi")], cwd=base,
                      code=AS_NOBODY)
        assert out.returncode == 2, out.stderr
        assert "Traceback" not in out.stderr
        assert out.stderr.startswith(f"virhe: --output-dir {folder / 'uusi'}: sinulla ei ole kirjoitusoikeutta "
                                     f"kansioon {folder}"), out.stderr
        assert list(folder.iterdir()) == []
        out = run_cli(["review", "--period", "2023Q3", "--output-dir", str(folder), "--lang", "sv"], cwd=base,
                      code=AS_NOBODY)
        assert out.returncode == 2 and out.stderr.startswith(
            f"fel: --output-dir {folder}: du har inte skrivrättighet till mappen {folder}"), out.stderr
        assert list(folder.iterdir()) == []
    finally:
        (base / "katsaukset").chmod(0o755)
        shutil.rmtree(base)


@pytest.mark.skipif(os.geteuid() != 0, reason="the drop to nobody is what root needs; others get the chmod")
def test_the_read_only_check_really_ran_as_nobody():
    out = run_cli([], code=AS_NOBODY.replace("sys.exit(analysis.cli.main(sys.argv[1:]))",
                                             "print(os.geteuid(), os.getegid())"))
    assert out.stdout.split() == [str(NOBODY), str(NOBODY)], out.stderr


def test_an_unknown_error_says_where_the_log_is_in_finnish(monkeypatch, tmp_path, capsys):
    for name in ("ANALYSIS_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fi_FI.UTF-8")
    monkeypatch.setattr(cli, "LOG_DIR", tmp_path / "logs")

    def boom():
        raise ZeroDivisionError("division by zero")
    monkeypatch.setattr(cli, "_cmd_areas", boom)
    assert cli.main(["areas"]) == 1
    err = capsys.readouterr().err
    log = next((tmp_path / "logs").glob("analysis-error-*.log"))
    assert err.startswith("virhe: odottamaton poikkeus ZeroDivisionError: division by zero\n"
                          f"koko virhejäljitys (traceback) on tiedostossa {log}; ilmoita siitä"), err
    assert "--debug" in err and "Traceback" not in err


def test_a_failed_notebook_inside_a_review_renders_whole_in_the_language():
    from analysis.review.runner import ReviewFailed

    inner = ReviewFailed("notebook {notebook} failed in cell {cell} (execution count {count}): {error}: {detail}",
                         notebook="20_structure.ipynb", cell=4, count=3, error="KeyError", detail="'MK16'")
    outer = ReviewFailed("{error}\nthe executed notebooks and run.json are kept at {folder}", error=inner,
                         folder="outputs/.failed")
    assert outer.message("fi") == ("muistion 20_structure.ipynb suoritus epäonnistui solussa 4 (suorituskerta 3): "
                                   "KeyError: 'MK16'\najetut muistiot ja run.json on säilytetty kansiossa outputs/.failed")
    assert str(outer).startswith("notebook 20_structure.ipynb failed in cell 4")
