"""Publishing a finished review safely: one at a time, never half, nothing left behind.

- :func:`publish` moves a review built in a temporary folder into place under a lock file
  (``outputs/.publish.lock``, ``fcntl.flock``), so concurrent runs are serialised; an existing
  review is replaced only with ``force``; an OS failure (read-only folder, a name too long) is a
  :class:`PublishError` naming the path, never a raw ``OSError``.
- A review replaced with ``force`` is swapped with the new one in one step where the file system can
  (:func:`exchange`); elsewhere a killed replacement's ``.<lang>-old-<pid>-…`` folder is moved back by
  the next run: a kill at any moment never loses the review.
- :func:`building_dir` makes the temporary folder ``.<lang>-building-<pid>-…``; a later run's
  :func:`clean_stale` removes such folders whose process is dead (a review killed with
  ``kill -9``) and the ``.<lang>-old-<pid>-…`` folders of a finished replacement.
- Nothing is followed out of the output folder through a symbolic link planted in it
  (:func:`refuse_links`, ``O_NOFOLLOW``).
- :func:`worker_init` is the notebook workers' initializer: on Linux each worker asks the
  kernel to end it when the review process dies (``prctl(PR_SET_PDEATHSIG)``), so no orphaned
  worker keeps running.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from analysis.errors import Text, UserError
from analysis.files import public_mode

LOCK_FILE = ".publish.lock"
LOG_DIR = ".logs"
"""The output folder's logs of the processes that compute results (``review.runner``)."""
LOCK_TIMEOUT_S = 900.0
"""How long a run waits for another run's publish before giving up."""
STALE_WITHOUT_PID_S = 24 * 3600.0
"""Temporary folders of older versions carry no pid; they are removed when this old."""
_TEMP = re.compile(r"^\.[a-z]{2}-(building|old)-(?P<pid>[0-9]+)-")
_TEMP_OLD_STYLE = re.compile(r"^\.[a-z]{2}-(building-|old-[0-9]+$)")
_OLD = re.compile(r"^\.(?P<lang>[a-z]{2})-old-[0-9]+(-|$)")
PR_SET_PDEATHSIG = 1
AT_FDCWD = -100
RENAME_EXCHANGE = 2


class PublishError(UserError, RuntimeError):
    """A review could not be published (folder not writable, name too long, lock not obtained)."""


class ReviewExists(UserError, RuntimeError):
    """A review for the same area, period and language exists and ``force`` was not given."""


def _os_message(exc: OSError, path: Path) -> Text:
    reason = {
        errno.EACCES: Text("permission denied (the folder is read-only for you)"),
        errno.EPERM: Text("permission denied"),
        errno.EROFS: Text("the file system is read-only"),
        errno.ENAMETOOLONG: Text("the file name is too long"),
        errno.ENOSPC: Text("the disk is full"),
        errno.ENOTDIR: Text("a part of the path is a file, not a folder"),
        errno.EEXIST: Text("a file is in the way"),
        errno.ELOOP: Text("is a symbolic link; nothing in the output folder is followed out of it (remove the link)"),
    }.get(exc.errno, exc.strerror or str(exc))
    return Text("{path}: {reason}", path=exc.filename or path, reason=reason)


@contextlib.contextmanager
def publish_lock(output_dir: Path, timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the exclusive publish lock of ``output_dir`` (a lock file, ``fcntl.flock``).

    ``flock`` locks belong to the open file, so threads of one process exclude each other too.
    The lock is released when the block ends or the process dies.
    """
    output_dir = Path(output_dir)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(output_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, public_mode())
    except OSError as exc:
        raise PublishError(_os_message(exc, output_dir)) from None
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise PublishError("{path}: another review has been publishing for more than {seconds:.0f} s; "
                                       "try again later", path=output_dir / LOCK_FILE, seconds=timeout_s) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def refuse_links(output_dir: Path, path: Path) -> None:
    """Raise :class:`PublishError` naming the first symbolic link between ``output_dir`` (which may be a
    link itself) and ``path``, ``path`` included: a review, a log or a build is never written, moved or
    removed outside the output folder through a link planted in it."""
    output_dir, part = Path(output_dir), Path(path)
    chain = []
    while part != output_dir and part != part.parent:
        chain.append(part)
        part = part.parent
    for part in reversed(chain):
        if part.is_symlink():
            raise PublishError("{path}: {reason}", path=part, reason=Text(
                "is a symbolic link; nothing in the output folder is followed out of it (remove the link)"))


def building_dir(parent: Path, lang: str) -> Path:
    """A fresh temporary folder ``.<lang>-building-<pid>-…`` in ``parent`` (``<output>/<area>/<period>``,
    readable like any output); an area or period folder that is a symbolic link is refused."""
    refuse_links(parent.parent.parent, parent)
    try:
        parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{lang}-building-{os.getpid()}-", dir=parent))
        work.chmod(public_mode(directory=True))
    except OSError as exc:
        raise PublishError(_os_message(exc, parent)) from None
    return work


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return True


def exchange(a: Path, b: Path) -> bool:
    """Swap the folders ``a`` and ``b`` in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``); False
    where the system or the file system cannot (then nothing changed). Another failure is an OSError."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _inside(output_dir: Path, path: Path) -> bool:
    """True if no folder between ``output_dir`` and ``path`` (``path`` included) is a symbolic link."""
    part = Path(path)
    while part != output_dir and part != part.parent:
        if part.is_symlink():
            return False
        part = part.parent
    return True


def clean_stale(output_dir: Path, now: float | None = None) -> list[Path]:
    """Mend what killed runs left under ``output_dir``, under the publish lock.

    A review moved aside by a publish killed before the new one was in place
    (``.<lang>-old-…`` with no ``<lang>`` beside it) is moved back: the review is never lost. Then
    ``.<lang>-building-<pid>-…`` folders whose process is dead, the ``.<lang>-old-…`` folders of
    finished replacements (older unnamed ones after a day) are removed. Nothing behind a symbolic
    link is touched. Returns the folders removed; one that cannot be removed is left (and not reported).
    """
    output_dir = Path(output_dir)
    now = time.time() if now is None else now
    removed: list[Path] = []
    if not output_dir.is_dir():
        return removed
    logs = output_dir / LOG_DIR
    refuse_links(output_dir, logs)
    for log in sorted(logs.iterdir()) if logs.is_dir() else []:
        refuse_links(output_dir, log)
    with publish_lock(output_dir):  # no publish is half done while the lock is held
        folders = [f for f in sorted(output_dir.glob("*/*/.*-*")) if _inside(output_dir, f) and f.is_dir()]
        for folder in folders:
            found = _OLD.match(folder.name)
            target = folder.with_name(found["lang"]) if found else None
            if target is not None and not target.exists() and not target.is_symlink():
                with contextlib.suppress(OSError):
                    os.rename(folder, target)
        for folder in folders:
            if not folder.is_dir():
                continue
            match = _TEMP.match(folder.name)
            if _OLD.match(folder.name):
                stale = True  # a publish holds the lock from moving the old review aside to removing it
            elif match:
                stale = not _alive(int(match["pid"]))
            elif _TEMP_OLD_STYLE.match(folder.name):
                try:
                    stale = now - folder.stat().st_mtime > STALE_WITHOUT_PID_S
                except OSError:
                    continue
            else:
                continue
            if stale:
                shutil.rmtree(folder, ignore_errors=True)
                if not folder.exists():
                    removed.append(folder)
    return removed


def publish(workdir: Path, destination: Path, force: bool, output_dir: Path | None = None) -> None:
    """Move the finished review ``workdir`` to ``destination`` under the publish lock.

    An existing review is replaced only with ``force`` (:class:`ReviewExists` otherwise), in one atomic
    swap where the file system can (:func:`exchange`: a kill at any moment leaves the old or the new
    review in place); elsewhere the old one is moved aside first, restored if the move fails, and
    restored by the next run's :func:`clean_stale` if the process is killed in between. An OS failure
    is a :class:`PublishError` naming the path.
    """
    destination = Path(destination)
    lock_dir = Path(output_dir) if output_dir is not None else destination.parents[2]
    refuse_links(lock_dir, destination)
    with publish_lock(lock_dir):
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
            if destination.exists() or destination.is_symlink():
                if not force:
                    raise ReviewExists("a review already exists at {path}; use --force to replace it",
                                       path=destination)
                if exchange(workdir, destination):
                    shutil.rmtree(workdir, ignore_errors=True)  # now the old review; else clean_stale's
                    return
                old = destination.with_name(
                    f".{destination.name}-old-{os.getpid()}-{threading.get_ident()}-{uuid.uuid4().hex[:8]}")
                os.replace(destination, old)
                try:
                    os.replace(workdir, destination)
                except OSError:
                    os.replace(old, destination)
                    raise
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(workdir, destination)
        except OSError as exc:
            raise PublishError(_os_message(exc, destination)) from None


def write_index_locked(output_dir: Path) -> Path:
    """Rebuild ``outputs/index.html`` under the publish lock (see :mod:`analysis.review.index`)."""
    from analysis.review import index

    with publish_lock(output_dir):
        try:
            return index.write_index(Path(output_dir))
        except OSError as exc:
            raise PublishError(_os_message(exc, Path(output_dir))) from None


def worker_init(log_path: str, parent_pid: int) -> None:
    """Initializer of a notebook worker: die with the parent (Linux), stderr to ``log_path``.

    ``prctl(PR_SET_PDEATHSIG, SIGTERM)`` makes the kernel send SIGTERM to the worker when the
    review process ends, even by ``kill -9``; if the parent is already gone, the worker exits.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker ends on SIGTERM, not the parent's handler
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        except (OSError, AttributeError):
            pass
        if os.getppid() != parent_pid:
            os._exit(1)
    try:  # a log planted as a link is not followed (clean_stale refuses it before a run)
        fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o644)
    except OSError:
        return
    os.dup2(fd, 2)
    os.close(fd)
