"""Commands run at the same time, and killed: nothing lost, nothing left running.

These tests start real `notices` processes. They synchronise on files and processes they can observe
(a staging folder appearing, a "waiting" message, a worker process existing), never on sleeps, and use
generous time limits for a loaded machine.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from analysis.build.store import read_table
from analysis.cli import app
from analysis.build.files import pid_alive

from tests.conftest import ROOT, copy_inputs, manifest_row, raw_notice, write_corpus
from tests.build.test_lock import wait_until

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and uses POSIX signals")

SEED_IDS = ["binzhou-boxing-sthjfj-2023", "guangzhou-sthjj-2025", "qingdao-sthjj-2024", "taizhou-js-sthjj-2025", "zibo-sthjj-2025"]
SMALL_NOTICE = ("中共某县{n}局党组关于巡察整改情况的通报\n根据县委统一部署,2023年3月1日至4月30日,县委第二巡察组对县{n}局党组开展了"
                "常规巡察。6月1日,县委巡察组反馈了巡察意见。\n一、整改落实情况\n1.关于制度不健全问题\n整改情况:已整改完成。一是修订制度{n}项。"
                "\n中共某县{n}局党组\n2023年8月1日\n")


def big_corpus(root: Path, copies: int) -> list[str]:
    """The five seeds plus `copies` edited copies of each (distinct texts, so no duplicates); the notice ids."""
    copy_inputs(root)
    rows = list(csv.DictReader((root / "data" / "raw" / "manifest.csv").open(encoding="utf-8")))
    files = {}
    for nid in SEED_IDS:
        text = raw_notice(nid).decode("utf-8")
        for i in range(copies):
            copy_id = f"{nid.split('-')[0]}{i}-{nid.split('-', 1)[1]}"
            data = text.replace("。", f"。整改工作第{i}次推进。", 1).encode("utf-8")
            files[f"{copy_id}.txt"] = data
            rows.append(manifest_row(copy_id, f"{copy_id}.txt", data))
    write_corpus(root, files, rows)
    return sorted(r["notice_id"] for r in rows)


def notices(root: Path, *args: str, log: Path | None = None) -> subprocess.Popen:
    """Start `notices ARGS --root ROOT` in its own process (stdout and stderr to `log`)."""
    out = log.open("w", encoding="utf-8") if log else subprocess.DEVNULL
    return subprocess.Popen([sys.executable, "-m", "analysis.cli", *args, "--root", str(root)], stdout=out,
                            stderr=subprocess.STDOUT, cwd=ROOT, env={**os.environ, "COLUMNS": "200"})


def children(pid: int) -> set[int]:
    """Direct children of a process (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def descendants(pid: int) -> set[int]:
    """Every process below `pid`."""
    found, todo = set(), [pid]
    while todo:
        for child in children(todo.pop()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def cmdline(pid: int) -> str:
    """A process's command line ('' once it has gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def manifest_ids(root: Path) -> list[str]:
    """Notice ids of the raw manifest."""
    return sorted(r["notice_id"] for r in csv.DictReader((root / "data" / "raw" / "manifest.csv").open(encoding="utf-8")))


def test_two_overlapping_builds_and_an_add_lose_no_notice(tmp_path):
    root = tmp_path / "p"
    big_corpus(root, 3)
    extra = tmp_path / "extra.txt"
    extra.write_text(SMALL_NOTICE.format(n="林业"), encoding="utf-8")
    first = notices(root, "build", "--full", "-j", "1", "--skip-notebooks", log=tmp_path / "first.log")
    try:
        wait_until(lambda: list((root / "data" / "processed").glob(".staging-*")))  # the first build is under way …
        os.kill(first.pid, signal.SIGSTOP)  # … and stays so while the others start
        second = notices(root, "build", "-j", "1", "--skip-notebooks", log=tmp_path / "second.log")
        adder = notices(root, "add", str(extra), "--id", "linye-2023", log=tmp_path / "add.log")
        wait_until(lambda: all("waiting" in (tmp_path / f"{name}.log").read_text(encoding="utf-8") for name in ("second", "add")))
    finally:
        os.kill(first.pid, signal.SIGCONT)
    assert [p.wait(timeout=600) for p in (first, second, adder)] == [0, 0, 0]
    last = notices(root, "build", "-j", "1", "--skip-notebooks", log=tmp_path / "last.log")
    assert last.wait(timeout=600) == 0
    processed = root / "data" / "processed"
    parsed = sorted(read_table(processed, "notices").get_column("notice_id").to_list())
    assert parsed == manifest_ids(root) and "linye-2023" in parsed
    assert pl.read_parquet(processed / "quarantine.parquet").filter(pl.col("reason") == "internal_error").height == 0
    assert not list(processed.glob(".staging-*"))


def test_eight_parallel_adds_write_eight_rows(tmp_path):
    root = copy_inputs(tmp_path / "p")
    before = manifest_ids(root)
    procs = []
    for i in range(8):
        source = tmp_path / f"n{i}.txt"
        source.write_text(SMALL_NOTICE.format(n=f"第{i}"), encoding="utf-8")
        procs.append(notices(root, "add", str(source), "--id", f"add{i}-2023"))
    assert [p.wait(timeout=600) for p in procs] == [0] * 8
    assert manifest_ids(root) == sorted(before + [f"add{i}-2023" for i in range(8)])
    assert CliRunner().invoke(app, ["check", "--root", str(root)]).exit_code == 0


@pytest.fixture(scope="module")
def killed_build(tmp_path_factory):
    """A parallel build killed with SIGKILL while its workers were busy: (root, its pid, the processes under it)."""
    root = tmp_path_factory.mktemp("killed") / "p"
    big_corpus(root, 7)
    build = notices(root, "build", "--full", "-j", "2", "--skip-notebooks")
    workers = wait_until(lambda: {p for p in descendants(build.pid) if "spawn_main" in cmdline(p)}, timeout=300)
    below = descendants(build.pid)
    build.kill()
    build.wait(timeout=60)
    return root, build.pid, below | workers


def test_no_worker_outlives_a_killed_build(killed_build):
    _, _, below = killed_build
    assert below
    wait_until(lambda: not any(pid_alive(p) for p in below), timeout=120)


def test_the_next_build_takes_over_the_lock_and_removes_the_killed_builds_staging(killed_build):
    root, pid, _ = killed_build
    processed = root / "data" / "processed"
    assert [p.name for p in processed.glob(".staging-*")] and all(p.name.startswith(f".staging-{pid}-") for p in processed.glob(".staging-*"))
    result = CliRunner().invoke(app, ["build", "--root", str(root), "-j", "1", "--skip-notebooks"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert f"took over the lock on data/ left by `notices build` (pid {pid}" in result.output
    assert f".staging-{pid}-" in result.output and "no longer running" in result.output
    assert not list(processed.glob(".staging-*"))
    assert sorted(read_table(processed, "notices").get_column("notice_id").to_list()) == manifest_ids(root)


@pytest.mark.notebooks
def test_no_kernel_outlives_a_killed_notebook_run(tmp_path, executed):
    import shutil

    source, _ = executed
    root = tmp_path / "copy"
    shutil.copytree(source.root, root, ignore=shutil.ignore_patterns(".cache"))
    run = notices(root, "notebooks", "--force", "-j", "1")
    wait_until(lambda: [p for p in descendants(run.pid) if "ipykernel" in cmdline(p)], timeout=300)
    below = descendants(run.pid)
    run.kill()
    run.wait(timeout=60)
    wait_until(lambda: not any(pid_alive(p) for p in below), timeout=120)
