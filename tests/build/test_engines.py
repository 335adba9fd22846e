"""The per-notice stage on Dask: same bytes as a serial build, worker deaths survived, an unreachable scheduler refused.

These tests start real LocalClusters (worker processes, TCP on 127.0.0.1 only). Most share one cluster and reach it
as a running scheduler (`--scheduler`); the worker-death test starts its own (`--cluster local`).
"""

from __future__ import annotations

import functools
import os
import socket

import pytest

from analysis.build.engines import LocalEngine, check_workers_see
from analysis.build.store import read_table
from analysis.build.worker import process_chunk_ipc
from analysis.config import ClusterConfig
from analysis.errors import ProjectError
from tests.build.test_pipeline import hashes
from tests.conftest import copy_inputs, run_build

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scheduler():
    """A LocalCluster of two single-threaded worker processes, running for the module; its address."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> dict[str, str]:
    """The hashes of data/processed after a serial build of the shipped corpus."""
    root = copy_inputs(tmp_path_factory.mktemp("serial"))
    run_build(root)
    return hashes(root / "data" / "processed")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def die_once(marker: str, tasks):
    """A chunk function for tests: the first call anywhere ends its worker process (os._exit); every later call works."""
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return process_chunk_ipc(tasks)
    os._exit(1)


def raise_and_log(log: str, tasks):
    """A chunk function for tests: records its first notice id, then raises (a bug in the chunk, not in a notice)."""
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(tasks[0].notice_id + "\n")
    raise RuntimeError("a bug outside any notice")


def explode_on(notice_id: str, tasks):
    """A chunk function for tests: one notice's row-making raises inside the worker; the rest is the real chunk."""
    import analysis.build.worker as worker

    real = worker.reading_rows

    def rows(reading, resources):
        if reading.notice_id == notice_id:
            raise ZeroDivisionError("injected")
        return real(reading, resources)

    worker.reading_rows = rows
    try:
        return process_chunk_ipc(tasks)
    finally:
        worker.reading_rows = real


def test_a_build_on_a_running_scheduler_is_byte_identical_to_a_serial_build(tmp_path, scheduler, serial):
    root = copy_inputs(tmp_path / "p")
    report = run_build(root, cluster=ClusterConfig("scheduler", address=scheduler))
    assert report.processed == 5 and hashes(root / "data" / "processed") == serial


def test_a_local_cluster_build_whose_worker_dies_retries_its_chunk_and_equals_a_serial_build(tmp_path, monkeypatch, serial):
    import analysis.build.engines as engines

    marker = tmp_path / "killed"
    monkeypatch.setattr(engines, "process_chunk_ipc", functools.partial(die_once, str(marker)))
    root = copy_inputs(tmp_path / "p")
    report = run_build(root, workers=2, cluster=ClusterConfig("local"))
    assert marker.exists()  # a worker process did die, on the first chunk it ran
    assert sorted(report.parsed) == sorted(read_table(root / "data" / "processed", "notices")["notice_id"])
    assert len(report.parsed) == 5 and hashes(root / "data" / "processed") == serial


def test_an_unreachable_scheduler_is_one_error_naming_its_address_and_nothing_is_written(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root)
    before = hashes(root / "data" / "processed")
    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(ProjectError, match=f"cannot reach the Dask scheduler at {address}"):
        run_build(root, cluster=ClusterConfig("scheduler", address=address, connect_timeout="2s"))
    assert hashes(root / "data" / "processed") == before
    assert not list((root / "data" / "processed").glob(".staging-*"))


def test_a_chunk_that_raises_fails_the_build_once_naming_its_notices(tmp_path, monkeypatch, scheduler):
    import analysis.build.engines as engines

    log = tmp_path / "calls.txt"
    monkeypatch.setattr(engines, "process_chunk_ipc", functools.partial(raise_and_log, str(log)))
    root = copy_inputs(tmp_path / "p")
    with pytest.raises(ProjectError, match="failed on the Dask scheduler at .*RuntimeError: a bug outside any notice"):
        run_build(root, cluster=ClusterConfig("scheduler", address=scheduler))
    calls = log.read_text(encoding="utf-8").split()
    assert len(calls) == len(set(calls))  # no chunk was retried
    assert not (root / "data" / "processed" / "MANIFEST").exists()


def test_a_notice_that_raises_on_a_worker_is_quarantined_alone(tmp_path, monkeypatch, scheduler):
    import analysis.build.engines as engines

    monkeypatch.setattr(engines, "process_chunk_ipc", functools.partial(explode_on, "zibo-sthjj-2025"))
    root = copy_inputs(tmp_path / "p")
    report = run_build(root, cluster=ClusterConfig("scheduler", address=scheduler))
    assert [(q["notice_id"], q["reason"]) for q in report.quarantine] == [("zibo-sthjj-2025", "internal_error")]
    assert len(report.parsed) == 4


def test_progress_reaches_every_notice_on_a_cluster(tmp_path, scheduler):
    root = copy_inputs(tmp_path / "p")
    seen: list[tuple[int, int]] = []
    from analysis.build.pipeline import build
    from analysis.config import BuildConfig, Paths

    build(BuildConfig(Paths(root), workers=1, use_cache=False, cluster=ClusterConfig("scheduler", address=scheduler)),
          on_progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 5) and seen[-1] == (5, 5) and len(seen) >= 3


def test_workers_that_cannot_see_the_project_are_refused(tmp_path, scheduler):
    from distributed import Client

    with Client(scheduler, set_as_default=False) as client, pytest.raises(ProjectError, match="cannot see the project"):
        check_workers_see(client, tmp_path / "elsewhere", tmp_path)


def test_the_local_engine_runs_chunks_in_this_process_with_one_worker():
    assert list(LocalEngine(1).run([])) == []


def test_a_build_with_nothing_to_process_starts_no_cluster(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root)
    address = f"tcp://127.0.0.1:{free_port()}"  # unreachable: a build that needed it would fail
    report = run_build(root, use_cache=True, cluster=ClusterConfig("scheduler", address=address))
    assert report.up_to_date


def test_a_slurm_cluster_is_made_from_the_yaml_options(tmp_path):
    from analysis.build.engines import jobqueue_cluster
    from analysis.config import load_cluster_config

    path = tmp_path / "slurm.yml"
    path.write_text("cores: 8\nmemory: 16GB\nwalltime: '02:00:00'\nqueue: normal\njobs: 4\n"
                    "job_script_prologue: ['source env/bin/activate']\n", encoding="utf-8")
    with jobqueue_cluster(load_cluster_config("slurm", path)) as cluster:  # no job is submitted until it is scaled
        script = cluster.job_script()
    assert "#SBATCH -p normal" in script and "#SBATCH -t 02:00:00" in script and "--nthreads 1" in script
    assert "source env/bin/activate" in script and "--nworkers 8" in script


def test_the_cluster_option_shows_in_the_build_help():
    from typer.testing import CliRunner

    from analysis.cli import app

    result = CliRunner().invoke(app, ["build", "--help"], env={"COLUMNS": "200"})
    for words in ("--cluster", "--scheduler", "--cluster-config", "slurm"):
        assert words in result.output


def test_an_unreachable_scheduler_exits_1_from_the_command_line(tmp_path):
    from typer.testing import CliRunner

    from analysis.cli import app

    root = copy_inputs(tmp_path / "p")
    address = f"tcp://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(app, ["build", "--root", str(root), "--scheduler", address, "--skip-notebooks"])
    assert result.exit_code == 1 and address in result.output and "Traceback" not in result.output
    assert not (root / "data" / "processed" / "MANIFEST").exists()


def test_scheduler_and_cluster_together_are_refused_with_exit_2(tmp_path):
    from typer.testing import CliRunner

    from analysis.cli import app

    root = copy_inputs(tmp_path / "p")
    result = CliRunner().invoke(app, ["build", "--root", str(root), "--scheduler", "tcp://127.0.0.1:1", "--cluster", "local"])
    assert result.exit_code == 2 and "one of" in result.output

