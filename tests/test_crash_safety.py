"""A crash never leaves a mess (issue 11): stale build folders, orphaned workers, concurrent publishes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest

from analysis.review import publish
from analysis.review.index import write_index


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_later_run_removes_what_a_killed_run_left(tmp_path):
    parent = tmp_path / "keski-pohjanmaa" / "2023Q3"
    parent.mkdir(parents=True)
    dead, alive = _dead_pid(), os.getpid()
    stale = parent / f".fi-building-{dead}-abc"
    live = parent / f".fi-building-{alive}-def"
    old_replaced = parent / f".fi-old-{dead}-1-xyz"
    legacy = parent / ".sv-building-k2j3"  # left by a version without pids in the name
    for folder in (stale, live, old_replaced, legacy):
        folder.mkdir()
        (folder / "kernels.log").write_text("x", encoding="utf-8")
    published = parent / "fi"
    published.mkdir()
    removed = publish.clean_stale(tmp_path)
    assert set(removed) == {stale, old_replaced}
    assert live.exists() and legacy.exists() and published.exists()
    removed = publish.clean_stale(tmp_path, now=time.time() + publish.STALE_WITHOUT_PID_S + 60)
    assert removed == [legacy] and live.exists()


def test_building_dir_names_the_pid_and_is_readable(tmp_path):
    work = publish.building_dir(tmp_path / "a" / "2023Q3", "fi")
    assert work.name.startswith(f".fi-building-{os.getpid()}-")
    umask = os.umask(0o022)
    os.umask(umask)
    assert work.stat().st_mode & 0o777 == 0o777 & ~umask


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_workers_die_with_their_parent(tmp_path):
    """kill -9 of the review process: its pool workers end too (no orphans)."""
    script = textwrap.dedent(f"""
        import os, sys, time
        from concurrent.futures import ProcessPoolExecutor
        from analysis.review.publish import worker_init

        def pid():
            return os.getpid()

        if __name__ == "__main__":
            with ProcessPoolExecutor(2, initializer=worker_init, initargs=({str(tmp_path / 'k.log')!r}, os.getpid())) as pool:
                pids = {{pool.submit(pid).result() for _ in range(8)}}
                print(" ".join(map(str, sorted(pids))), flush=True)
                time.sleep(120)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(p) for p in proc.stdout.readline().split()]
        assert workers
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        alive = workers
        while alive and time.monotonic() < deadline:
            alive = [p for p in alive if _running(p)]
            time.sleep(0.1)
        assert alive == [], f"orphaned workers {alive}"
    finally:
        if proc.poll() is None:
            proc.kill()


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def _one_publish(output_dir: str, n: int) -> str:
    out = Path(output_dir)
    parent = out / "keski-pohjanmaa" / "2023Q3"
    work = publish.building_dir(parent, "fi")
    (work / "review.html").write_text(f"<p>review {n}</p>", encoding="utf-8")
    (work / "run.json").write_text('{"area": "keski-pohjanmaa", "period": "2023Q3", "lang": "fi"}',
                                   encoding="utf-8")
    publish.publish(work, parent / "fi", force=True, output_dir=out)
    publish.write_index_locked(out)
    return "ok"


def test_concurrent_forced_publishes_are_serialised(tmp_path):
    """60 threads and 20 processes publish the same review with --force: no OSError, one review, no leftovers."""
    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(lambda n: _one_publish(str(tmp_path), n), range(60)))
    with get_context("fork").Pool(2) as procs:
        results += procs.starmap(_one_publish, [(str(tmp_path), n) for n in range(60, 80)])
    assert results == ["ok"] * 80
    parent = tmp_path / "keski-pohjanmaa" / "2023Q3"
    assert sorted(p.name for p in parent.iterdir()) == ["fi"]  # no .fi-building-* or .fi-old-* left
    assert (parent / "fi" / "review.html").read_text(encoding="utf-8").startswith("<p>review ")
    assert (tmp_path / "index.json").exists() and write_index(tmp_path).exists()


def test_lock_timeout_is_a_publish_error(tmp_path):
    with publish.publish_lock(tmp_path):
        with ThreadPoolExecutor(1) as pool:
            future = pool.submit(lambda: publish.publish_lock(tmp_path, timeout_s=0.2).__enter__())
            with pytest.raises(publish.PublishError, match=r"\.publish\.lock.*another review"):
                future.result()
