"""The second round of hostile inputs (issue 30): each case failed before its fix.

Stores, reviews and YAML files here are TEST FIXTURES in temporary folders (placeholder pages,
synthetic configuration); no number in them is presented as data.
"""

from __future__ import annotations

import re

import pytest

from analysis import cli, config, schema
from analysis.review import params

# --- item 1: ASCII digits only ------------------------------------------------------------------

ARABIC_INDIC = "\u0662\u0660\u0662\u0663"  # ٢٠٢٣
FULLWIDTH = "\uff12\uff10\uff12\uff13"  # ２０２３


@pytest.mark.parametrize("period", [f"{ARABIC_INDIC}Q3", f"{FULLWIDTH}Q3", f"{ARABIC_INDIC}-09", "2023-\u0660\u0669"])
def test_a_period_in_other_digits_is_refused(period):
    with pytest.raises(config.ConfigError, match="is not a quarter YYYYQn"):
        config.parse_period(period)
    assert not config.PERIOD_PATTERN.fullmatch(period)
    with pytest.raises(config.ConfigError):
        params.check_request(period=period)


def test_the_command_line_refuses_a_period_in_other_digits(tmp_path, capsys):
    assert cli.main(["review", "--period", f"{ARABIC_INDIC}Q3", "--output-dir", str(tmp_path)]) == 2
    assert "is not a quarter YYYYQn" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("pattern", [schema.AREA_CODE_PATTERN, schema.MONTH_PATTERN, schema.YEAR_PATTERN])
def test_store_patterns_match_ascii_digits_only(pattern):
    for text in ("KU\u0662\u0667\u0662", "MK\uff11\uff16", f"{ARABIC_INDIC}-09", ARABIC_INDIC, f"{FULLWIDTH}-09"):
        assert not re.fullmatch(pattern, text)
    assert any(re.fullmatch(pattern, t) for t in ("KU272", "MK16", "2023-09", "2023"))


def test_an_area_member_in_other_digits_is_refused(tmp_path):
    path = tmp_path / "areas.yaml"
    path.write_text("default: a\nareas:\n  a: {name_fi: A, name_sv: A, members: [KU\u0662\u0667\u0662]}\n",
                    encoding="utf-8")
    with pytest.raises(config.ConfigError, match="is not a StatFin area code"):
        config.load_areas(path)


def test_a_digit_pattern_in_src_is_ascii_only():
    """No regular expression in the package's own parsing code uses ``\\d`` (any Unicode digit)."""
    owned = ["config.py", "cli.py", "schema.py", "errors.py", "files.py", "cache.py", "review", "indicators"]
    root = config.ROOT / "src" / "analysis"
    offenders = []
    for entry in owned:
        for path in ([root / entry] if entry.endswith(".py") else sorted((root / entry).rglob("*.py"))):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if "\\d" in line:
                    offenders.append(f"{path.relative_to(root)}:{number}")
    assert offenders == []


# --- item 2 and the YAML weak cases: duplicate keys, aliases, unknown keys -------------------------

AREA = "  {slug}:\n    name_fi: {name}\n    name_sv: {name}\n    members: [{members}]\n"


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_second_area_with_the_same_id_is_refused_naming_file_line_and_key(tmp_path):
    path = write(tmp_path, "areas.yaml", "default: keski-pohjanmaa\nareas:\n"
                 + AREA.format(slug="keski-pohjanmaa", name="Keski-Pohjanmaa", members="KU272, KU074")
                 + AREA.format(slug="keski-pohjanmaa", name="Kokkola", members="KU272"))
    with pytest.raises(config.ConfigError) as err:
        config.load_areas(path)
    message = str(err.value)
    assert str(path) in message and "line 7" in message and "'keski-pohjanmaa'" in message
    assert "line 3" in message  # where the first one is


@pytest.mark.parametrize("text, line, key", [
    ("default: a\ndefault: b\n", 2, "default"),
    ("areas:\n  a:\n    name_fi: A\n    name_fi: B\n", 4, "name_fi"),
    ("areas: {a: {members: [KU272], members: [KU074]}}\n", 1, "members"),
    ("1: a\n'1': b\n", None, None),  # an int and a text key differ: not a duplicate
])
def test_duplicate_keys_are_refused_in_every_config_file(tmp_path, text, line, key):
    path = write(tmp_path, "any.yaml", text)
    if key is None:
        assert config.read_yaml(path) == {1: "a", "1": "b"}
        return
    with pytest.raises(config.ConfigError) as err:
        config.read_yaml(path)
    assert f"{path}, line {line}" in str(err.value) and f"'{key}'" in str(err.value)


def test_a_duplicate_review_parameter_is_refused(tmp_path):
    path = write(tmp_path, "2023Q3.yaml", "period: 2023Q3\nlang: fi\nlang: sv\n")
    with pytest.raises(config.ConfigError, match=r"2023Q3.yaml, line 3: the key 'lang' is given twice \(first on line 2\)"):
        params.read_params_file(path)


def test_a_duplicate_key_in_a_string_catalogue_is_refused(tmp_path):
    from analysis.errors import load_own_yaml

    path = write(tmp_path, "common.yaml", "a: yksi\nb: kaksi\na: kolme\n")
    with open(path, encoding="utf-8") as fh, pytest.raises(ValueError) as err:
        load_own_yaml(fh)
    assert "common.yaml" in str(err.value) and "line 3" in str(err.value) and "'a'" in str(err.value)


def test_the_shipped_yaml_files_have_no_duplicate_keys():
    from analysis.errors import load_own_yaml

    for path in [config.AREAS_FILE, config.NOTEBOOKS_FILE, *sorted(config.REVIEW_PARAMS_DIR.glob("*.yaml"))]:
        config.read_yaml(path)
    for path in sorted((config.ROOT / "src" / "analysis" / "present" / "strings").glob("*/*.yaml")):
        with open(path, encoding="utf-8") as fh:
            assert load_own_yaml(fh)


BOMB = ("default: a\nareas:\n  a:\n    name_fi: &l0 [x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"    n{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, "
                  f"*l{i - 1}, *l{i - 1}]\n" for i in range(1, 9))
        + "    name_sv: *l8\n    members: [KU272]\n")


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path):
    import time

    path = write(tmp_path, "areas.yaml", BOMB)
    started = time.perf_counter()
    with pytest.raises(config.ConfigError) as err:
        config.load_areas(path)
    assert time.perf_counter() - started < 1.0
    assert f"{path}, line 5" in str(err.value) and "alias" in str(err.value)


def test_anchors_and_aliases_are_refused_in_config_files(tmp_path):
    path = write(tmp_path, "notebooks.yaml", "a: &x {k: 1}\nb: *x\n")
    with pytest.raises(config.ConfigError, match=r"notebooks.yaml, line 2, column 4: .*alias"):
        config.read_yaml(path)


@pytest.mark.parametrize("entry, expected", [
    ("{name_fi: A, name_sv: A, members: [KU272], nme_sv: B}", "unknown key(s) nme_sv"),
    ("{name_fi: A, name_sv: A, members: [KU272], 5: B}", "unknown key(s) 5"),
    ("{name_fi: [A, B], name_sv: A, members: [KU272]}", "key 'name_fi': expected a text"),
    ("{name_fi: A, name_sv: 12, members: [KU272]}", "key 'name_sv': expected a text"),
    ("{name_fi: A, name_sv: A, in_fi: {x: 1}, members: [KU272]}", "key 'in_fi': expected a text"),
    ("{name_fi: A, name_sv: A, members: [KU272], kind: [region]}", "key 'kind'"),
])
def test_unknown_keys_and_names_that_are_not_text_are_refused(tmp_path, entry, expected):
    path = write(tmp_path, "areas.yaml", f"default: a\nareas:\n  a: {entry}\n")
    with pytest.raises(config.ConfigError) as err:
        config.load_areas(path)
    assert str(path) in str(err.value) and "area 'a'" in str(err.value) and expected in str(err.value)


# --- item 9: a kill at any point of a publish never loses the review -------------------------------

KILLING_PUBLISH = r"""
import os, shutil, signal, sys
from pathlib import Path
from analysis.review import publish

out, kill_at, swap = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "swap"
work = publish.building_dir(out / "a" / "2023Q3", "fi")
(work / "review.html").write_text("new review (test fixture)", encoding="utf-8")
if not swap:
    publish.exchange = lambda a, b: False  # a file system without an atomic swap
calls = []

def killing(real):
    def call(*args, **kwargs):
        calls.append(real.__name__)
        if len(calls) == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return call

publish.os.replace = killing(os.replace)
publish.os.rename = killing(os.rename)
publish.shutil.rmtree = killing(shutil.rmtree)
if hasattr(publish, "exchange"):
    publish.exchange = killing(publish.exchange)
publish.publish(work, out / "a" / "2023Q3" / "fi", True, out)
print("done", len(calls))
"""


def _published_pair(tmp_path):
    parent = tmp_path / "a" / "2023Q3"
    review = parent / "fi"
    review.mkdir(parents=True)
    (review / "review.html").write_text("old review (test fixture)", encoding="utf-8")
    return parent, review


def _killed_publish(tmp_path, kill_at: int, swap: bool):
    """Publish a new build over the old review in a child process killed at its ``kill_at``-th file-system
    move or removal; returns the finished child process."""
    import subprocess
    import sys

    _published_pair(tmp_path)
    return subprocess.run([sys.executable, "-c", KILLING_PUBLISH, str(tmp_path), str(kill_at),
                           "swap" if swap else "rename"], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("swap", [True, False], ids=["atomic-swap", "two-renames"])
def test_a_kill_at_any_point_of_a_publish_never_loses_the_review(tmp_path, swap):
    import shutil

    from analysis.review import publish

    kill_at = 1
    while True:
        shutil.rmtree(tmp_path / "a", ignore_errors=True)
        done = _killed_publish(tmp_path, kill_at, swap)
        review = tmp_path / "a" / "2023Q3" / "fi" / "review.html"
        if swap:  # the review is in place at every moment
            assert review.read_text(encoding="utf-8").endswith("review (test fixture)"), kill_at
        publish.clean_stale(tmp_path)
        assert review.read_text(encoding="utf-8") in ("old review (test fixture)", "new review (test fixture)")
        assert [p.name for p in (tmp_path / "a" / "2023Q3").iterdir()] == ["fi"], kill_at
        if done.returncode == 0:
            assert review.read_text(encoding="utf-8") == "new review (test fixture)"
            break
        assert done.returncode == -9, done.stderr
        kill_at += 1
    assert kill_at >= 2  # killed at least once mid-publish


def test_clean_stale_restores_a_review_moved_aside_by_a_killed_publish(tmp_path):
    """The state the red team found: the old review moved aside, the new build not yet in place, the
    process dead. The next run restores the review (it deleted both before)."""
    from analysis.review import publish

    parent, review = _published_pair(tmp_path)
    dead = _dead_pid()
    old = parent / f".fi-old-{dead}-1-abc"
    review.rename(old)
    build = parent / f".fi-building-{dead}-xyz"
    build.mkdir()
    (build / "review.html").write_text("new review (test fixture)", encoding="utf-8")
    publish.clean_stale(tmp_path)
    assert (review / "review.html").read_text(encoding="utf-8") == "old review (test fixture)"
    assert sorted(p.name for p in parent.iterdir()) == ["fi"]


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# --- symbolic links planted in the output folder are never followed out of it ------------------------

@pytest.fixture
def planted(tmp_path):
    """An output folder with a published review and a folder outside it that links point to."""
    out, outside = tmp_path / "outputs", tmp_path / "outside"
    _published_pair(out)
    outside.mkdir()
    return out, outside


def test_a_lock_file_that_is_a_link_is_refused(planted):
    from analysis.review import publish

    out, outside = planted
    (out / ".publish.lock").symlink_to(outside / "victim")
    with pytest.raises(publish.PublishError, match=r"\.publish\.lock: .*symbolic link"):
        with publish.publish_lock(out):
            pass
    assert list(outside.iterdir()) == []


def test_a_review_is_never_built_or_published_through_a_linked_folder(planted):
    from analysis.review import publish

    out, outside = planted
    (out / "b").symlink_to(outside, target_is_directory=True)
    with pytest.raises(publish.PublishError, match=r"outputs/b: .*symbolic link"):
        publish.building_dir(out / "b" / "2023Q3", "fi")
    work = publish.building_dir(out / "a" / "2023Q3", "fi")
    with pytest.raises(publish.PublishError, match=r"outputs/b: .*symbolic link"):
        publish.publish(work, out / "b" / "2023Q3" / "fi", False, out)
    (out / "a" / "2023Q3" / "sv").symlink_to(outside, target_is_directory=True)
    with pytest.raises(publish.PublishError, match=r"2023Q3/sv: .*symbolic link"):
        publish.publish(work, out / "a" / "2023Q3" / "sv", True, out)
    assert list(outside.iterdir()) == [] and work.is_dir()


def test_clean_stale_never_removes_anything_behind_a_link(planted):
    from analysis.review import publish

    out, outside = planted
    victim = outside / "2023Q3" / f".fi-building-{_dead_pid()}-x"
    victim.mkdir(parents=True)
    (out / "b").symlink_to(outside, target_is_directory=True)
    assert publish.clean_stale(out) == []
    assert victim.is_dir()


def test_a_log_folder_that_is_a_link_is_refused_before_the_run(planted):
    from analysis.review import publish

    out, outside = planted
    (out / ".logs").symlink_to(outside, target_is_directory=True)
    with pytest.raises(publish.PublishError, match=r"outputs/\.logs: .*symbolic link"):
        publish.clean_stale(out)


def test_a_worker_never_writes_its_log_through_a_link(planted, tmp_path):
    import subprocess
    import sys

    out, outside = planted
    (out / ".logs").mkdir()
    (out / ".logs" / "compute.log").symlink_to(outside / "victim.log")
    script = ("import os, sys; from analysis.review.publish import worker_init; "
              f"worker_init({str(out / '.logs' / 'compute.log')!r}, os.getppid()); print('x', file=sys.stderr)")
    subprocess.run([sys.executable, "-c", script], timeout=60)
    assert list(outside.iterdir()) == []


def test_the_index_lists_no_review_behind_a_link(planted):
    import json

    from analysis.review import index

    out, outside = planted
    (outside / "2023Q3" / "fi").mkdir(parents=True)
    (outside / "2023Q3" / "fi" / "run.json").write_text(json.dumps({"area": "b", "period": "2023Q3", "lang": "fi"}),
                                                         encoding="utf-8")
    (out / "b").symlink_to(outside, target_is_directory=True)
    assert index.collect(out, warn=lambda m: None) == []


# --- the index's mode follows the run's umask, not an earlier private run's ------------------------

def test_the_index_gets_the_normal_mode_again_after_a_run_under_umask_077(planted):
    import os

    from analysis.review import index

    out, _outside = planted
    previous = os.umask(0o077)
    try:
        index.write_index(out)
        assert (out / "index.html").stat().st_mode & 0o777 == 0o600
        os.umask(0o022)
        index.write_index(out)
    finally:
        os.umask(previous)
    assert (out / "index.html").stat().st_mode & 0o777 == 0o644
    assert (out / "index.sv.html").stat().st_mode & 0o777 == 0o644
    assert (out / "index.json").stat().st_mode & 0o777 == 0o644


# --- SIGTERM: one line, no build folder left ---------------------------------------------------------

TERMINATED_REVIEW = r"""
import sys, time
from pathlib import Path
from analysis import cli
from analysis.review import runner

def slow(builds, *args, **kwargs):
    print("building", flush=True)
    time.sleep(60)

runner._build_all = slow
sys.exit(cli.main(["review", "--period", "2023Q3", "--output-dir", sys.argv[1], "--no-progress"]))
"""


def test_sigterm_during_a_review_ends_with_one_line_and_removes_the_build(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    out = tmp_path / "outputs"
    proc = subprocess.Popen([sys.executable, "-c", TERMINATED_REVIEW, str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "ANALYSIS_LANG": "en"})
    try:
        assert proc.stdout.readline() == "building\n"
        builds = list(out.glob("*/2023Q3/.fi-building-*"))
        assert len(builds) == 1
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM
    assert err.strip().splitlines() == ["terminated (SIGTERM); nothing was published"]
    assert not builds[0].exists()
    assert (out / "index.html").exists()


# --- a full disk: the documented message, and the failure path does not fail too ---------------------

def _disk_full(path) -> OSError:
    import errno

    return OSError(errno.ENOSPC, "No space left on device", str(path))


@pytest.mark.parametrize("where", ["page", "failed-run-record"])
def test_a_full_disk_is_named_and_leaves_no_build(tmp_path, monkeypatch, capsys, where):
    """ENOSPC simulated (monkeypatched) while writing the main page, and while keeping a failed run's record
    after a notebook failed for lack of space: one known error naming the file, no build folder left."""
    from pathlib import Path

    from analysis.review import runner

    out = tmp_path / "outputs"
    _published_pair(out)
    monkeypatch.setattr(cli, "LOG_DIR", tmp_path / "logs")
    monkeypatch.setattr(runner, "compute_results", lambda *a, **k: None)
    if where == "page":
        monkeypatch.setattr(runner, "execute_all", lambda *a, **k: None)

        def render_main(build, notebooks, vintage):
            raise _disk_full(build.workdir / "review.html")
        monkeypatch.setattr(runner, "render_main", render_main)
        named = "review.html: the disk is full"
    else:
        def execute_all(builds, *a, **k):
            raise runner.ReviewFailed("notebook 00_data_overview.ipynb failed: [Errno 28] No space left on device")
        monkeypatch.setattr(runner, "execute_all", execute_all)
        real = Path.write_text

        def write_text(self, *a, **k):
            if self.name == "run.json":
                raise _disk_full(self)
            return real(self, *a, **k)
        monkeypatch.setattr(Path, "write_text", write_text)
        named = "run.json: the disk is full"
    assert cli.main(["review", "--period", "2023Q3", "--area", "keski-pohjanmaa", "--output-dir", str(out),
                     "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert named in err and "unexpected" not in err and "Traceback" not in err
    assert list((out / "keski-pohjanmaa").glob("2023Q3/.*")) == []
    assert (out / "a" / "2023Q3" / "fi" / "review.html").exists()
    assert not (tmp_path / "logs").exists()  # a known error: no traceback logged


# --- a right-to-left override in an area name stays inside the name ----------------------------------

def test_names_in_the_index_are_isolated_against_rtl_overrides(tmp_path):
    import json

    from analysis.review import index

    name = "Kokkola\u202e (test fixture)"  # U+202E RIGHT-TO-LEFT OVERRIDE, never closed
    review = tmp_path / "kokkola" / "2023Q3" / "fi"
    review.mkdir(parents=True)
    (review / "run.json").write_text(json.dumps({"area": "kokkola", "area_name": name, "period": "2023Q3",
                                                 "lang": "fi"}), encoding="utf-8")
    index.write_index(tmp_path)
    for page in ((tmp_path / "index.html").read_text(encoding="utf-8"), (tmp_path / "index.sv.html").read_text(encoding="utf-8")):
        places = [m.start() for m in re.finditer(re.escape(name), page)]
        assert len(places) >= 2  # heading, link labels
        for at in places:
            assert page[at - 5:at] == "<bdi>" and page[at + len(name):at + len(name) + 6] == "</bdi>" or (
                page[at - 1] == "\u2068" and page[at + len(name)] == "\u2069"), page[at - 20:at + len(name) + 20]
        assert f"<bdi>{name}</bdi></h2>" in page
