"""One writer at a time: the lock on data/, and staging folders that only their own build removes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analysis.cli import app
from analysis.build.lock import LockBusy, data_lock, held, lock_path, read_holder
from analysis.build.store import StagedOutputs

from tests.conftest import ROOT, copy_inputs

HOLD = ("import sys\nfrom pathlib import Path\nfrom analysis.build.lock import data_lock\n"
        "with data_lock(Path(sys.argv[1]), 'build', on_wait=None, on_takeover=None):\n"
        "    print('held', flush=True)\n"
        "    sys.stdin.read()\n")


@contextmanager
def lock_holder(root: Path):
    """Another process holding the lock on root/data until the block ends (no sleeps: it says when it holds it)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(root)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, cwd=ROOT)
    try:
        assert proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        if proc.poll() is None:
            proc.stdin.close()
        proc.wait(timeout=120)


def wait_until(condition, timeout: float = 120.0, interval: float = 0.05):
    """Poll `condition` until it returns something true (that value) or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


def test_no_wait_fails_at_once_naming_the_holder(tmp_path):
    (tmp_path / "data").mkdir()
    with lock_holder(tmp_path) as proc:
        with pytest.raises(LockBusy, match=rf"`notices build` \(pid {proc.pid}"):
            with data_lock(tmp_path, "add", wait=False):
                pass


def test_a_waiting_caller_says_whom_it_waits_for_and_goes_on_when_the_holder_ends(tmp_path):
    (tmp_path / "data").mkdir()
    messages: list[str] = []
    acquired = threading.Event()

    def take() -> None:
        with data_lock(tmp_path, "add", on_wait=messages.append, timeout=300):
            acquired.set()

    with lock_holder(tmp_path) as proc:
        waiter = threading.Thread(target=take)
        waiter.start()
        wait_until(lambda: messages)
        assert not acquired.is_set()
        assert f"pid {proc.pid}" in messages[0] and "waiting" in messages[0]
    waiter.join(timeout=300)
    assert acquired.is_set()


def test_a_lock_left_by_a_killed_process_is_taken_over_with_a_message(tmp_path):
    (tmp_path / "data").mkdir()
    with lock_holder(tmp_path) as proc:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    assert read_holder(lock_path(tmp_path)).pid == proc.pid  # the killed holder could not clear its record
    messages: list[str] = []
    with data_lock(tmp_path, "build", wait=False, on_takeover=messages.append):
        pass
    assert len(messages) == 1 and "took over" in messages[0] and f"pid {proc.pid}" in messages[0]


def test_a_released_lock_is_taken_without_a_takeover_message(tmp_path):
    (tmp_path / "data").mkdir()
    with lock_holder(tmp_path):
        pass
    messages: list[str] = []
    with data_lock(tmp_path, "build", wait=False, on_takeover=messages.append):
        pass
    assert messages == [] and read_holder(lock_path(tmp_path)) is None


def test_the_lock_is_reentrant_within_one_process(tmp_path):
    (tmp_path / "data").mkdir()
    with data_lock(tmp_path, "build", wait=False):
        with data_lock(tmp_path, "notebooks", wait=False):
            assert held(tmp_path)
        assert held(tmp_path)
    assert not held(tmp_path)


def test_add_with_no_wait_exits_6_while_another_command_writes(tmp_path):
    root = copy_inputs(tmp_path / "p")
    source = tmp_path / "new.txt"
    source.write_text("通报", encoding="utf-8")
    with lock_holder(root) as proc:
        result = CliRunner().invoke(app, ["add", str(source), "--id", "new-2024", "--root", str(root), "--no-wait"],
                                    env={"COLUMNS": "200"})
    assert result.exit_code == 6 and f"pid {proc.pid}" in result.output
    assert "new-2024" not in (root / "data" / "raw" / "manifest.csv").read_text(encoding="utf-8")


def ended_pid() -> int:
    """The pid of a process that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(timeout=60)
    return proc.pid


def test_a_build_removes_the_staging_folder_of_a_build_that_ended_and_says_so(tmp_path):
    processed = tmp_path / "processed"
    orphan = processed / f".staging-{ended_pid()}-abc123"
    (orphan / "text").mkdir(parents=True)
    staged = StagedOutputs(processed)
    try:
        assert not orphan.exists()
        assert len(staged.cleaned) == 1 and orphan.name in staged.cleaned[0] and "no longer running" in staged.cleaned[0]
    finally:
        staged.discard()


def test_a_build_leaves_the_staging_folder_of_a_running_build_alone(tmp_path):
    processed = tmp_path / "processed"
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        theirs = processed / f".staging-{other.pid}-abc123"
        theirs.mkdir(parents=True)
        staged = StagedOutputs(processed)
        assert theirs.is_dir() and staged.cleaned == []
        staged.discard()
        assert theirs.is_dir()
    finally:
        other.stdin.close()
        other.wait(timeout=60)
