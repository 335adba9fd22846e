"""One writer at a time: an exclusive lock on data/ held by `build`, `ingest`, `add`, `notebooks` and `site` (and by
`export` and `release` while they read data/processed, so that they hand out one build).

The lock is a kernel lock (`flock`) on `data/.notices.lock`: the kernel releases it the moment its
holder ends, however it ends (`kill -9` included), so a dead holder can never block anyone. The file
also records who holds it — pid, command, host, start time — so that a second caller can say what it
is waiting for, and so that a lock left behind by a process that ended without releasing it is
recognised by its pid and taken over with a message. The holder empties the file when it releases.

Within one process the lock is re-entrant: `notices build` holds it, and the data, notebook and site
steps it calls take it again without waiting for themselves.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from analysis.errors import ProjectError
from analysis.build.files import pid_alive

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover — Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

LOCK_NAME = ".notices.lock"


class LockBusy(ProjectError):
    """data/ is locked by another command and the caller chose not to wait (or gave up waiting)."""

    def __init__(self, message: str, holder: "Holder | None") -> None:
        super().__init__(message)
        self.holder = holder


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) the lock, as recorded in the lock file."""

    pid: int
    command: str
    host: str
    started: str

    def describe(self) -> str:
        """'`notices build` (pid 123, since 2024-05-01T10:00:00Z)', naming the host when it is another machine."""
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        return f"`notices {self.command}` (pid {self.pid}{where}, since {self.started})"

    def running(self) -> bool:
        """Whether the holder's process still runs (always assumed for another host, which this machine cannot see)."""
        return self.host != socket.gethostname() or pid_alive(self.pid)


def lock_path(root: Path) -> Path:
    """The lock file of a project: data/.notices.lock."""
    return root / "data" / LOCK_NAME


def parse_holder(text: str) -> Holder | None:
    """The holder recorded in a lock file's text, or None when it is empty or unreadable."""
    try:
        record = json.loads(text)
        return Holder(int(record["pid"]), str(record["command"]), str(record["host"]), str(record["started"]))
    except (ValueError, KeyError, TypeError):
        return None


def read_holder(path: Path) -> Holder | None:
    """Who the lock file says holds the lock (None: nobody, or not known yet)."""
    try:
        return parse_holder(path.read_text(encoding="utf-8"))
    except OSError:
        return None


def this_process(command: str) -> Holder:
    """A holder record for the calling process."""
    started = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return Holder(os.getpid(), command, socket.gethostname(), started)


def _try_lock(fd: int) -> bool:
    """Take the kernel lock on an open file without waiting; whether it was free."""
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover — Windows: lock the first byte
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except (BlockingIOError, PermissionError):
        return False
    except OSError as exc:
        if getattr(exc, "errno", None) in (11, 13, 35, 36):  # EAGAIN / EACCES / EWOULDBLOCK / EDEADLK
            return False
        raise ProjectError(f"cannot lock data/ ({exc}); is the folder on a file system without file locks?") from exc
    return True


def _unlock(fd: int) -> None:
    """Release the kernel lock on an open file."""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    else:  # pragma: no cover — Windows
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def _write_record(fd: int, holder: Holder | None) -> None:
    """Replace the lock file's content with a holder record (or nothing)."""
    os.ftruncate(fd, 0)
    if holder is not None:
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, (json.dumps(asdict(holder), sort_keys=True) + "\n").encode("utf-8"))


def _read_record(fd: int) -> Holder | None:
    """The holder record in an open lock file."""
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 4096):
        chunks.append(chunk)
    return parse_holder(b"".join(chunks).decode("utf-8", "replace"))


def waiting_message(holder: Holder | None) -> str:
    """What a caller says while it waits for the lock."""
    who = holder.describe() if holder else "another `notices` command"
    extra = "" if holder is None or holder.running() else " — its pid has ended, but a process it started still holds the lock"
    return f"data/ is in use by {who}{extra}; waiting for it to finish (Ctrl-C to give up; --no-wait fails at once instead)"


def takeover_message(previous: Holder) -> str:
    """What a caller says when it takes over a lock whose holder ended without releasing it."""
    now = "now belongs to another process" if previous.running() else "is no longer running"
    return f"took over the lock on data/ left by {previous.describe()}, which ended without releasing it (pid {previous.pid} {now})"


def _say(message: str) -> None:
    """Default reporter: one line on stderr."""
    print(message, file=sys.stderr, flush=True)


_HELD: dict[str, list] = {}  # lock file → [fd, depth]: the locks this process holds
_GUARD = threading.Lock()


@contextmanager
def data_lock(root: Path, command: str, wait: bool = True, on_wait: Callable[[str], None] | None = _say,
              on_takeover: Callable[[str], None] | None = _say, timeout: float | None = None,
              poll: float = 0.2) -> Iterator[None]:
    """Hold the exclusive lock on `root`/data for the body of a `with` block.

    A second caller waits (saying once whom for) or, with `wait=False`, raises LockBusy at once;
    `timeout` (seconds) bounds the wait. Re-entrant within one process."""
    path = lock_path(root)
    key = str(path.resolve()) if path.parent.exists() else str(path)
    with _GUARD:
        if key in _HELD:
            _HELD[key][1] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _GUARD:
                _HELD[key][1] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, wait, on_wait, timeout, poll)
    except BaseException:
        os.close(fd)
        raise
    try:
        previous = _read_record(fd)
        if previous is not None and on_takeover is not None and previous.pid != os.getpid():
            on_takeover(takeover_message(previous))
        _write_record(fd, this_process(command))
        with _GUARD:
            _HELD[key] = [fd, 1]
        yield
    finally:
        with _GUARD:
            _HELD.pop(key, None)
        try:
            _write_record(fd, None)
            _unlock(fd)
        finally:
            os.close(fd)


def _acquire(fd: int, path: Path, wait: bool, on_wait: Callable[[str], None] | None, timeout: float | None,
             poll: float) -> None:
    """Take the kernel lock, waiting as asked; LockBusy when not waiting or when the wait times out."""
    if _try_lock(fd):
        return
    holder = read_holder(path)
    if not wait:
        raise LockBusy(f"data/ is in use by {holder.describe() if holder else 'another `notices` command'}; "
                       "not waiting (--no-wait). Try again when it has finished.", holder)
    if on_wait is not None:
        on_wait(waiting_message(holder))
    deadline = None if timeout is None else time.monotonic() + timeout
    while not _try_lock(fd):
        if deadline is not None and time.monotonic() > deadline:
            holder = read_holder(path)
            raise LockBusy(f"gave up after waiting {timeout:g} s for data/, in use by "
                           f"{holder.describe() if holder else 'another `notices` command'}", holder)
        time.sleep(poll)


def held(root: Path) -> bool:
    """Whether this process holds the lock on `root`/data."""
    path = lock_path(root)
    key = str(path.resolve()) if path.parent.exists() else str(path)
    with _GUARD:
        return key in _HELD
