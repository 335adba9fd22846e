"""Worker processes that die with their parent: a build killed with `kill -9` leaves no process behind.

Every process pool of the package is made by `worker_pool`. Its workers ask the kernel to kill them
when their parent ends (Linux `prctl(PR_SET_PDEATHSIG, SIGKILL)`); elsewhere a watchdog thread polls
the parent's pid. Notebook kernels started by a worker end with it on their own: ipykernel polls its
parent (JPY_PARENT_PID, set by jupyter_client) and exits when the parent is gone.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1


def set_death_signal(sig: int = signal.SIGKILL) -> bool:
    """Ask the Linux kernel to send `sig` to this process when its parent ends; whether that was possible."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent_pid: int, interval: float) -> None:
    """Exit this process as soon as its parent is no longer `parent_pid` (runs in a daemon thread)."""
    while os.getppid() == parent_pid:
        time.sleep(interval)
    os._exit(1)


def die_with_parent(parent_pid: int, interval: float = 1.0) -> None:
    """Pool initializer: end this worker when the process that started it ends."""
    armed = set_death_signal()
    if os.getppid() != parent_pid:  # the parent ended before the death signal was armed
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent_pid, interval), daemon=True, name="watch-parent").start()


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of spawned worker processes that die with this one.

    spawn, not fork: a forked child inherits polars' thread pool mid-state and can deadlock."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=die_with_parent, initargs=(os.getpid(),))
