"""Where the per-notice stage runs: in this process, in a pool of worker processes on this machine, or on a Dask cluster.

The pipeline cuts the notices to process into chunks and hands them to an engine; the engine yields each chunk's
outcomes and typed frames as chunks complete. Completion order never matters: assembly sorts every table by its key
and the outcomes by notice id, so a build is byte-identical whatever the engine, the number of workers or the order in
which chunks finish (tests/build/test_engines.py).

On Dask (`notices build --cluster local|slurm|pbs` or `--scheduler tcp://HOST:PORT`) each chunk is one task. Workers
read the raw files from the project folder and write the normalised texts into the build's staging folder, so the
project must be on a file system every worker sees at the same path (as on a laptop, a workstation or a cluster's
shared storage); this is checked before any task is submitted. The rows come back to the build as Arrow IPC bytes
(lz4; about twice the notice's text, as rows carry their evidence), and only the build writes tables and MANIFEST: a task that is retried writes the same
text file again and returns the same bytes, so retries are harmless. A worker that dies mid-task has its chunk
rescheduled on another worker by the scheduler, up to `allowed_failures` times (the scheduler's allowed-failures); a
chunk that raises (a bug: a notice's own failures are quarantine rows, never exceptions) fails the build at once with
its notices named, and is not retried.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from pathlib import Path
from typing import Callable, Iterator, Protocol

import polars as pl

from analysis.build.pool import worker_pool
from analysis.build.worker import NoticeOutcome, NoticeTask, frames_from_ipc, process_chunk, process_chunk_ipc
from analysis.config import BuildConfig, ClusterConfig
from analysis.errors import ProjectError

ChunkResult = tuple[list[NoticeOutcome], dict[str, pl.DataFrame]]
ChunkFunction = Callable[[list[NoticeTask]], tuple[list[NoticeOutcome], dict[str, bytes]]]


class Engine(Protocol):
    """Runs chunks of notice tasks; yields each chunk's result as it completes."""

    slots: int  # chunks that can run at once (sizes the chunks)

    def prepare(self, staging: Path) -> None:
        """Check, once the staging folder exists, that the chunks can run (ProjectError if not)."""
        ...

    def run(self, parts: list[list[NoticeTask]]) -> Iterator[ChunkResult]:
        """Each chunk's outcomes and frames, in any order."""
        ...

    def close(self) -> None:
        """Let the workers go once the per-notice stage is done (the corpus stages run in the build process)."""
        ...


class LocalEngine:
    """This process (one slot), or a pool of spawned worker processes that die with it."""

    def __init__(self, workers: int) -> None:
        self.slots = max(1, workers)

    def prepare(self, staging: Path) -> None:
        """Nothing to check: the workers are this machine's processes."""

    def close(self) -> None:
        """Nothing to close: the pool ends with each `run`."""

    def run(self, parts: list[list[NoticeTask]]) -> Iterator[ChunkResult]:
        """Chunks in order: in a process pool when there are several workers and several chunks, else here."""
        if self.slots > 1 and len(parts) > 1:
            with worker_pool(self.slots) as pool:
                yield from pool.map(process_chunk, parts)
        else:
            for part in parts:
                yield process_chunk(part)


class DaskEngine:
    """Chunks as tasks of a Dask cluster, yielded as they complete (`distributed.as_completed`)."""

    def __init__(self, client, describe: str, root: Path, chunk_function: ChunkFunction = process_chunk_ipc,
                 release: Callable[[], None] | None = None) -> None:
        self.client, self.describe, self.root, self.chunk_function = client, describe, root, chunk_function
        self.slots = max(1, sum(client.nthreads().values()))
        self.release = release  # closes the client (and a cluster the build started)

    def close(self) -> None:
        """Close the client, and stop a cluster the build started (its workers' memory is free for the corpus stages)."""
        if self.release is not None:
            self.release()
            self.release = None

    def prepare(self, staging: Path) -> None:
        """Every connected worker must see the project and the staging folder (a shared file system)."""
        check_workers_see(self.client, self.root, staging)

    def run(self, parts: list[list[NoticeTask]]) -> Iterator[ChunkResult]:
        """Submit every chunk (keys unique to this build, never cached by the scheduler); yield results as they come."""
        from distributed import as_completed

        token = uuid.uuid4().hex[:12]
        keys = [f"notices-{token}-{i:06d}" for i in range(len(parts))]
        futures = self.client.map(self.chunk_function, parts, key=keys, pure=False, retries=0)
        waiting = {future.key: (i, future) for i, future in enumerate(futures)}
        completed = as_completed(futures, loop=self.client.loop)
        del futures  # a chunk's rows stay in its worker's memory while a future of it is held: drop each once taken
        try:
            for future in completed:
                i, _ = waiting.pop(future.key)
                result = self._result(future, parts[i])
                del future
                yield result
        finally:
            self.client.cancel([future for _, future in waiting.values()])

    def _result(self, future, part: list[NoticeTask]) -> ChunkResult:
        """A finished task's outcomes and frames, or ProjectError saying which notices' chunk failed and how."""
        from distributed import KilledWorker

        names = f"{part[0].notice_id} … {part[-1].notice_id}" if len(part) > 1 else part[0].notice_id
        try:
            outcomes, blobs = future.result()
        except KilledWorker as exc:
            raise ProjectError(f"the chunk of notices {names} was running on every worker that died while running it "
                               f"({exc}); the build on {self.describe} stopped and data/processed was left as it was") from exc
        except Exception as exc:
            raise ProjectError(f"the chunk of notices {names} failed on {self.describe}: {type(exc).__name__}: {exc}; "
                               "data/processed was left as it was (please report it)") from exc
        return outcomes, frames_from_ipc(blobs)


def check_workers_see(client, root: Path, staging: Path) -> None:
    """ProjectError unless every connected worker sees the project folder and can write into the staging folder."""
    seen = client.run(_sees_project, str(root), str(staging))
    blind = sorted(worker for worker, ok in seen.items() if not ok)
    if blind:
        raise ProjectError(f"{len(blind)} Dask worker(s) ({', '.join(blind[:3])}) cannot see the project at {root} or write "
                           f"into {staging.name}/: a cluster build needs the project on a file system every worker sees at "
                           "the same path (README, Bigger corpora)")


def _sees_project(root: str, staging: str) -> bool:
    """On a worker: whether the raw register and the staging folder are there (and the folder is writable)."""
    import os

    return (Path(root) / "data" / "raw" / "manifest.csv").is_file() and os.access(staging, os.W_OK)


@contextlib.contextmanager
def dask_client(cluster: ClusterConfig, workers: int) -> Iterator[tuple[object, Callable[[], None], str]]:
    """A connected `distributed.Client` for a cluster configuration (started here unless it is a running scheduler), a
    function that closes both early, and a description; closed afterwards at the latest; ProjectError with the address
    if a scheduler cannot be reached."""
    import dask
    from distributed import Client

    describe = cluster.describe()
    with contextlib.ExitStack() as stack:
        stack.enter_context(dask.config.set({"distributed.scheduler.allowed-failures": cluster.allowed_failures,
                                             "distributed.worker.daemon": False,
                                             # Timers that take the GIL from the parsing thread many times a second
                                             # (measured: a worker spent ~30% more CPU than a pool process on the same
                                             # chunks): the sampling profiler (10 ms), the event loop's tick (20 ms), the
                                             # system monitor (0.5 s) and the memory monitor (0.1 s). The memory limits
                                             # are still enforced, checked each second.
                                             "distributed.worker.profile.enabled": False,
                                             "distributed.admin.tick.interval": "1s",
                                             "distributed.admin.system-monitor.interval": "5s",
                                             "distributed.worker.memory.monitor-interval": "1s"}))
        if cluster.kind == "scheduler":
            try:
                client = Client(cluster.address, timeout=cluster.connect_timeout, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ProjectError(f"cannot reach the Dask scheduler at {cluster.address} within {cluster.connect_timeout} "
                                   f"({type(exc).__name__}); nothing was built and data/processed is as it was") from exc
        else:
            made = stack.enter_context(start_cluster(cluster, workers))
            client = Client(made, set_as_default=False)
        stack.callback(client.close)
        yield client, stack.close, describe


def start_cluster(cluster: ClusterConfig, workers: int):
    """A new LocalCluster, or a dask-jobqueue cluster scaled to its jobs (they start as the queue lets them)."""
    if cluster.kind == "local":
        from distributed import LocalCluster

        return LocalCluster(n_workers=cluster.workers or workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                            dashboard_address=None, silence_logs=logging.ERROR,
                            scheduler_kwargs={"allowed_failures": cluster.allowed_failures})
    made = jobqueue_cluster(cluster)
    made.scale(jobs=cluster.jobs)
    return made


def jobqueue_cluster(cluster: ClusterConfig):
    """A dask-jobqueue SLURMCluster or PBSCluster from the configuration (no job is submitted until it is scaled)."""
    import dask_jobqueue

    kind = {"slurm": dask_jobqueue.SLURMCluster, "pbs": dask_jobqueue.PBSCluster}[cluster.kind]
    options = {"cores": cluster.cores, "memory": cluster.memory, "walltime": cluster.walltime,
               "processes": cluster.processes or cluster.cores, "queue": cluster.queue, "account": cluster.account,
               "python": cluster.python, "job_script_prologue": list(cluster.job_script_prologue) or None,
               "local_directory": cluster.local_directory, "interface": cluster.interface,
               "scheduler_options": {"dashboard_address": None}, "silence_logs": "error"}
    return kind(**{key: value for key, value in options.items() if value is not None})


@contextlib.contextmanager
def open_engine(config: BuildConfig) -> Iterator[Engine]:
    """The engine a build's configuration asks for: the local process pool, or a connected Dask cluster (closed
    afterwards). Call it before staging anything: an unreachable scheduler must leave data/processed untouched."""
    if config.cluster is None:
        yield LocalEngine(config.workers)
        return
    with dask_client(config.cluster, config.workers) as (client, release, describe):
        yield DaskEngine(client, describe, config.paths.root, process_chunk_ipc, release)
