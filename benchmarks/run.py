"""Benchmark the build: floor vs full per-notice path, scaled corpora, incremental rebuilds, notebooks and site.

    python3.11 tasks.py bench                       # 1k and 10k corpora, the shipped corpus's notebooks
    python3.11 tasks.py bench -- --sizes 1000       # quicker
    .venv/bin/python benchmarks/run.py --help

Everything runs in a scratch folder (deleted afterwards unless --keep). Each measured command runs
in its own process; peak memory is the largest sum of resident set sizes over the whole process
tree (the build and its workers), sampled every 50 ms. The targets of the performance issue are
printed beside the figures — they are targets, not tests: a miss is reported, not hidden.
Results go to benchmarks/results/<date>.md and .json, with a description of the machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGETS = {
    "dask_overhead": 1.15,  # LocalCluster build time ÷ process-pool build time, same corpus, same run
    "notices_per_core": 200.0,  # seed-sized notices per second per core
    "ratio_to_floor": 3.0,
    "speedup_vs_before": 3.0,  # --before's per-notice time ÷ this checkout's, same corpus, same run
    "build_10k_seconds": 120.0,
    "rss_10k_mb": 2048.0,
    "incremental_10k_seconds": 5.0,
}


# --------------------------------------------------------------------------- measuring a command

def tree_rss_kb(root_pid: int) -> int:
    """Resident memory (kB) of a process and all its descendants, from /proc (Linux); 0 elsewhere."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else []:
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status", encoding="ascii", errors="replace") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields.get("PPid", "0").strip() or 0)
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def measured(cmd: list[str], cwd: Path | None = None) -> dict:
    """Run a command; wall seconds, exit code, output and peak resident memory of its process tree (MB). The command
    (and the notebook kernels it starts) imports the package from this checkout (PYTHONPATH)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_kb(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    return {"seconds": seconds, "code": proc.returncode, "stdout": out, "stderr": err, "peak_rss_mb": peak[0] / 1024}


def child(*args: str, checkout: Path = ROOT) -> list[str]:
    """Command line that runs one of a checkout's measured steps (this one's by default) in a fresh interpreter: the
    script puts its own checkout first on the import path, so another checkout's step times that checkout's code."""
    return [sys.executable, str(checkout / "benchmarks" / "run.py"), "--child", *args]


def checkout_label(checkout: Path) -> str:
    """A checkout's commit (short hash and subject), or its folder's name when git cannot say."""
    try:
        out = subprocess.run(["git", "-C", str(checkout), "log", "-1", "--format=%h %s"], capture_output=True, text=True,
                             check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        out = ""
    return out or checkout.name


def fastest(runs: list[dict]) -> dict:
    """The run with the least wall time (on a shared machine, the one least slowed by other work)."""
    return min(runs, key=lambda r: r["seconds"])


def notices_cli(*args: str) -> list[str]:
    """Command line of the package's CLI in this interpreter."""
    return [sys.executable, "-c", "from analysis.cli import main; main()", *args]


def checked(result: dict, what: str) -> dict:
    """The result, or stop with the command's error output."""
    if result["code"] != 0:
        sys.exit(f"benchmark step failed ({what}, exit {result['code']}):\n{result['stderr'][-3000:]}")
    return result


# --------------------------------------------------------------------------- steps run in a child process

def entries_of(project: Path) -> list:
    """Manifest entries of a project, checked against its files."""
    from analysis.build.register import check_register, read_register

    raw = project / "data" / "raw"
    entries, _ = check_register(raw, read_register(raw / "manifest.csv"))
    return sorted(entries, key=lambda e: e.notice_id)


def step_floor(project: Path, limit: int) -> dict:
    """The floor: read + decode + OpenCC conversion to simplified script of every notice, nothing else."""
    from analysis.read.decode import decode
    from analysis.read.ingest import _t2s

    entries = entries_of(project)[:limit]
    convert = _t2s()
    started, cpu = time.perf_counter(), time.process_time()
    size = 0
    for e in entries:
        data = (project / "data" / "raw" / e.file).read_bytes()
        size += len(data)
        text, _ = decode(data)
        convert.convert(text)
    return {"notices": len(entries), "bytes": size, "seconds": time.perf_counter() - started,
            "cpu_seconds": time.process_time() - cpu}


def step_notices(project: Path, limit: int) -> dict:
    """The full per-notice path (ingest, parse, extract, typed frames), serial, on one core, as a worker runs it."""
    from analysis.config import DEFAULT_MAX_BYTES
    from analysis.build.stages import notice_steps
    from analysis.build.worker import NoticeTask, chunks, process_chunk

    entries = entries_of(project)[:limit]
    tasks = [NoticeTask(e.notice_id, e.file, str(project / "data" / "raw" / e.file), e.sha256, DEFAULT_MAX_BYTES, str(project),
                        notice_steps("extract"))
             for e in entries]
    process_chunk(tasks[:1])  # load the reference data once, as a worker does
    started, cpu = time.perf_counter(), time.process_time()
    failed = 0
    for part in chunks(tasks, 1):
        outcomes, _ = process_chunk(part)
        failed += sum(not o.ok for o in outcomes)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    size = sum(Path(task.path).stat().st_size for task in tasks)
    return {"notices": len(tasks), "bytes": size, "failed": failed, "seconds": seconds, "cpu_seconds": cpu}


def step_build(project: Path, jobs: int, full: bool, engine: str = "pool") -> dict:
    """One `notices build` (data only) with the pipeline's own stage timings; `engine` 'local' runs the per-notice stage
    on a Dask LocalCluster of `jobs` single-threaded worker processes (`notices build --cluster local -j JOBS`)."""
    from analysis.config import BuildConfig, ClusterConfig, Paths
    from analysis.build.pipeline import build

    config = BuildConfig(paths=Paths(project), workers=jobs, use_cache=not full,
                         cluster=ClusterConfig("local") if engine == "local" else None)
    report = build(config)
    return {"parsed": len(report.parsed), "quarantined": len(report.quarantine), "processed": report.processed,
            "carried": report.cached, "up_to_date": report.up_to_date, "network_carried": report.network_carried,
            "stages": report.seconds, **(corpus_shape(project / "data" / "processed") if full else {})}


def corpus_shape(processed: Path) -> dict:
    """Rows of the main tables, each graph's nodes and edges, and the bytes of data/processed (for docs/scaling.md; read
    after a full build only, so that the timed rebuilds measure the build alone)."""
    import polars as pl

    from analysis.build.store import read_table

    shape: dict = {"rows": {name: read_table(processed, name).height for name in ("notices", "problems", "measures",
                                                                                  "documents", "agencies")}}
    graphs = processed / "network" / "graphs.parquet"
    if graphs.is_file():
        shape["graphs"] = {r["graph"]: [r["nodes"], r["edges"]] for r in pl.read_parquet(graphs).iter_rows(named=True)}
    shape["processed_mb"] = sum(f.stat().st_size for f in processed.rglob("*") if f.is_file()) / 2**20
    return shape


def step_pages(project: Path) -> dict:
    """Per-notice site pages written from the tables (no kernel), for every notice of a built project."""
    from analysis.config import Paths
    from analysis.site.pages import write_generated_pages
    from analysis.build.store import read_table

    paths = Paths(project)
    ids = read_table(paths.processed, "notices").get_column("notice_id").to_list()
    started = time.perf_counter()
    written = write_generated_pages(paths, ids)
    return {"pages": len(written), "seconds": time.perf_counter() - started}


def step_notebooks(project: Path) -> dict:
    """Every notebook of a built project executed again (2 kernels at once), with each one's time."""
    from analysis.config import Paths
    from analysis.site.runner import run_notebooks

    report = run_notebooks(Paths(project), runs_at_once=2, force=True)
    if report.failed:
        raise SystemExit(f"notebooks failed: {sorted(report.failed)}")
    return {"executed": len(report.executed), "timings": report.timings, "seconds": report.seconds}


def run_child(args: list[str]) -> None:
    """Dispatch a child step and print its JSON result."""
    name, project = args[0], Path(args[1])
    if name == "floor":
        result = step_floor(project, int(args[2]))
    elif name == "notices":
        result = step_notices(project, int(args[2]))
    elif name == "build":
        result = step_build(project, int(args[2]), args[3] == "full", args[4] if len(args) > 4 else "pool")
    elif name == "notebooks":
        result = step_notebooks(project)
    elif name == "pages":
        result = step_pages(project)
    elif name == "site":
        from site_bench import step_site

        result = step_site(project)
    else:
        raise SystemExit(f"unknown child step {name}")
    print(json.dumps(result))


# --------------------------------------------------------------------------- the benchmark

def digest_tree(folder: Path) -> str:
    """One hash over every file (path and bytes) under a folder."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def edit_one_notice(project: Path, which: int = 0) -> str:
    """Change one character of one notice's text and its manifest row (as a curator fixing a typo would); `which`
    picks another notice than the middle one."""
    import csv

    manifest = project / "data" / "raw" / "manifest.csv"
    with manifest.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    row = rows[(len(rows) // 2 + which) % len(rows)]
    path = project / "data" / "raw" / row["file"]
    data = path.read_bytes()
    encoding = "gb18030" if "gb18030" in row.get("collection_notes", "") else "utf-8"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text, encoding = data.decode("gb18030"), "gb18030"
    data = text.replace("整改", "整治", 1).encode(encoding)
    path.write_bytes(data)
    row["sha256"], row["bytes"] = hashlib.sha256(data).hexdigest(), str(len(data))
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return row["notice_id"]


def child_json(result: dict) -> dict:
    """The JSON a child step printed (its last line)."""
    return json.loads(result["stdout"].strip().splitlines()[-1])


def bench_site(project: Path, jobs: int, say) -> dict:
    """Every notebook of the site on a generated corpus, the pages' sizes; then one notice changed and run again."""
    from site_bench import copy_front_end

    copy_front_end(ROOT, project)
    first = child_json(checked(measured(child("site", str(project))), "notebooks"))
    say(f"{project.name}: {len(first['executed'])} notebooks in {first['seconds']:.0f} s; largest "
        f"{first['largest_executed']['page']} {first['largest_executed']['bytes']:,} bytes")
    edit_one_notice(project, 1)
    checked(measured(child("build", str(project), str(jobs), "incremental")), "incremental build")
    again = child_json(checked(measured(child("site", str(project))), "notebooks after one change"))
    say(f"{project.name}: after one notice changed, notebooks in {again['seconds']:.0f} s")
    return {"first": first, "again": {k: again[k] for k in ("seconds", "timings", "executed", "generated")}}


def clear_outputs(project: Path) -> None:
    """Remove a project's build outputs and remembered hashes, so that its next build starts from nothing."""
    shutil.rmtree(project / "data" / "processed", ignore_errors=True)
    (project / "data" / ".hashes.json").unlink(missing_ok=True)


def time_path(project: Path, n: int, rounds: int, before: Path | None, say, label: str) -> dict:
    """The floor and the per-notice path (and --before's) on the first `n` notices of a project, alternated `rounds`
    times, the fastest of each kept: {"floor", "per_notice"[, "before"]}."""
    runs: dict[str, list[dict]] = {"floor": [], "notices": [], "before": []}
    for _ in range(rounds):  # floor, this checkout's path and --before's, alternated
        runs["floor"].append(child_json(checked(measured(child("floor", str(project), str(n))), "floor")))
        runs["notices"].append(child_json(checked(measured(child("notices", str(project), str(n))), "per-notice path")))
        if before is not None:
            runs["before"].append(child_json(checked(measured(child("notices", str(project), str(n), checkout=before)),
                                                     "per-notice path of --before")))
    floor, full = fastest(runs["floor"]), fastest(runs["notices"])
    out: dict = {}
    out["floor"] = {**floor, "notices_per_s": floor["notices"] / floor["seconds"], "mb_per_s": floor["bytes"] / 2**20 / floor["seconds"],
                    "rounds": [r["seconds"] for r in runs["floor"]]}
    out["per_notice"] = {**full, "notices_per_s": full["notices"] / full["seconds"], "mb_per_s": full["bytes"] / 2**20 / full["seconds"],
                         "ratio_to_floor": full["seconds"] / floor["seconds"], "rounds": [r["seconds"] for r in runs["notices"]]}
    say(f"{label}: floor {out['floor']['notices_per_s']:.0f}/s, full path {out['per_notice']['notices_per_s']:.0f}/s per core")
    if before is not None:
        old = fastest(runs["before"])
        out["before"] = {**old, "checkout": checkout_label(before), "rounds": [r["seconds"] for r in runs["before"]],
                         "speedup": old["seconds"] / full["seconds"], "ratio_to_floor": old["seconds"] / floor["seconds"]}
        if "cpu_seconds" in old and "cpu_seconds" in full:
            out["before"]["cpu_speedup"] = old["cpu_seconds"] / full["cpu_seconds"]
        say(f"{label}: per-notice path {out['before']['speedup']:.2f}× faster than --before ({out['before']['checkout']})")
    return out


def bench_texts(texts: Path, scratch: Path, rounds: int, before: Path | None, say) -> dict:
    """The floor and the per-notice path on a folder of real notices' texts (copied into a scratch project)."""
    from corpus import texts_corpus

    project = scratch / "texts"
    files = texts_corpus(ROOT, texts, project)
    if not files:
        sys.exit(f"--texts {texts}: no .txt file in it")
    out = {"size": len(files), "raw_mb": sum(f.stat().st_size for f in files) / 2**20,
           **time_path(project, len(files), rounds, before, say, "real texts")}
    shutil.rmtree(project)
    return out


def bench_size(size: int, scratch: Path, jobs: int, sample: int, identity: bool, say, site: bool = True,
               dask: bool = False, pages: bool = True, dask_rounds: int = 1, path_rounds: int = 1,
               before: Path | None = None) -> dict:
    """Every measurement on one generated corpus."""
    from corpus import make_corpus

    project = scratch / f"corpus-{size}"
    started = time.perf_counter()
    make_corpus(ROOT, project, size)
    out: dict = {"size": size, "generate_seconds": time.perf_counter() - started}
    raw = sum(p.stat().st_size for p in (project / "data" / "raw" / "notices").iterdir())
    out["raw_mb"] = raw / 2**20
    say(f"{size}: corpus generated ({out['raw_mb']:.1f} MB) in {out['generate_seconds']:.0f} s")

    out.update(time_path(project, min(size, sample), path_rounds, before, say, str(size)))

    result = checked(measured(child("build", str(project), str(jobs), "full")), "build")
    out["build"] = {"seconds": result["seconds"], "peak_rss_mb": result["peak_rss_mb"], **child_json(result)}
    say(f"{size}: build with {jobs} processes in {result['seconds']:.1f} s, peak {result['peak_rss_mb']:.0f} MB")
    parallel_digest = digest_tree(project / "data" / "processed")

    if dask:  # on a fresh copy of the same corpus, so that it starts as the pool build did: with no outputs to replace
        twin = scratch / f"corpus-{size}-dask"
        make_corpus(ROOT, twin, size)
        result = checked(measured(child("build", str(twin), str(jobs), "full", "local")), "LocalCluster build")
        out["dask"] = {"seconds": result["seconds"], "peak_rss_mb": result["peak_rss_mb"], **child_json(result),
                       "identical_to_pool": digest_tree(twin / "data" / "processed") == parallel_digest,
                       "rounds": [{"pool": out["build"]["seconds"], "dask": result["seconds"]}]}
        for _ in range(dask_rounds - 1):  # pool and LocalCluster again, alternated, each from no outputs
            times = {}
            for engine, extra in (("pool", ()), ("dask", ("local",))):
                clear_outputs(twin)
                times[engine] = checked(measured(child("build", str(twin), str(jobs), "full", *extra)), f"{engine} build")["seconds"]
            out["dask"]["rounds"].append(times)
        rounds = out["dask"]["rounds"]
        out["dask"]["overhead"] = min(r["dask"] for r in rounds) / min(r["pool"] for r in rounds)
        shutil.rmtree(twin)
        say(f"{size}: build on a LocalCluster of {jobs} workers in {result['seconds']:.1f} s "
            f"({out['dask']['overhead']:.2f}× the process pool, fastest of {len(rounds)} round(s) each), "
            f"peak {result['peak_rss_mb']:.0f} MB, same bytes: {out['dask']['identical_to_pool']}")

    result = checked(measured(child("build", str(project), str(jobs), "incremental")), "no-op build")
    out["noop"] = {"seconds": result["seconds"], **child_json(result)}
    edited = edit_one_notice(project)
    result = checked(measured(child("build", str(project), str(jobs), "incremental")), "incremental build")
    out["incremental"] = {"seconds": result["seconds"], "peak_rss_mb": result["peak_rss_mb"], "edited": edited, **child_json(result)}
    say(f"{size}: no-op rebuild {out['noop']['seconds']:.1f} s; after editing one notice {result['seconds']:.1f} s")

    if pages:
        result = checked(measured(child("pages", str(project))), "pages")
        out["pages"] = {"seconds": result["seconds"], **child_json(result)}

    if identity:
        serial = scratch / f"corpus-{size}-serial"
        make_corpus(ROOT, serial, size)
        edit_one_notice(serial)
        edit_digest = digest_tree(project / "data" / "processed")
        result = checked(measured(child("build", str(serial), "1", "full")), "serial build")
        out["serial"] = {"seconds": result["seconds"], "peak_rss_mb": result["peak_rss_mb"],
                         # the same edited corpus: serial full build vs the parallel build made incremental by the edit
                         "identical_to_parallel": digest_tree(serial / "data" / "processed") == edit_digest}
        say(f"{size}: serial build {result['seconds']:.1f} s; identical to the parallel+incremental build: "
            f"{out['serial']['identical_to_parallel']}")
        shutil.rmtree(serial)
    if site:  # last: it changes another notice
        out["site"] = bench_site(project, jobs, say)
    out["parallel_digest"] = parallel_digest
    shutil.rmtree(project)
    return out


def bench_shipped(scratch: Path, say) -> dict:
    """Build, notebooks (all executed, one kernel each) and site on the shipped corpus, in a copy of the project."""
    project = scratch / "shipped"
    ignore = shutil.ignore_patterns(".venv", ".git", "_site", ".quarto", "__pycache__", "*.egg-info")
    project.mkdir()
    for name in ("analysis", "notebooks", "reports", "data", "pyproject.toml", "README.md"):
        source = ROOT / name
        (shutil.copytree(source, project / name, ignore=ignore) if source.is_dir() else shutil.copy(source, project / name))
    out: dict = {}
    build = checked(measured(notices_cli("build", "--root", str(project), "--full", "--skip-notebooks"), cwd=project), "build")
    out["build_seconds"] = build["seconds"]
    runs = checked(measured(child("notebooks", str(project)), cwd=project), "notebooks")
    timings = child_json(runs)["timings"]
    profile_seconds = [s for k, s in timings.items() if k.startswith("notices/")]
    out["notebooks"] = {"seconds": runs["seconds"], "peak_rss_mb": runs["peak_rss_mb"], "executed": len(timings), "timings": timings,
                        "profile_seconds_mean": sum(profile_seconds) / len(profile_seconds) if profile_seconds else None}
    say(f"shipped corpus: {len(timings)} notebooks executed in {runs['seconds']:.1f} s")
    site = measured(notices_cli("site", "--root", str(project)), cwd=project)
    message = " ".join((site["stdout"] + site["stderr"]).split())
    out["site"] = {"seconds": site["seconds"], "code": site["code"], "message": message.split(". ")[0] + ("." if ". " in message else "")}
    say(f"shipped corpus: site step exit {site['code']}: {out['site']['message']}")
    shutil.rmtree(project)
    return out


def machine() -> dict:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    from importlib.metadata import version

    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": memory, "system": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(),
            "packages": {name: version(name) for name in ("polars", "igraph", "networkx", "opencc", "papermill", "dask",
                                                          "distributed")},
            "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None}


def verdict(value: float | None, target: float, higher_is_better: bool) -> str:
    """'met' or 'missed' for a figure against its target."""
    if value is None:
        return "n/a"
    return "met" if (value >= target if higher_is_better else value <= target) else "missed"


def path_rows(n: str, s: dict) -> list[tuple[str, str, str, str]]:
    """Summary rows of one corpus's floor and per-notice path (and --before's), labelled by `n`."""
    pn, fl = s["per_notice"], s["floor"]
    rows = [
        (f"{n}: floor (read+decode+OpenCC), 1 core", f"{fl['notices_per_s']:.0f} notices/s, {fl['mb_per_s']:.2f} MB/s", "", ""),
        (f"{n}: ingest+parse+extract, 1 core", f"{pn['notices_per_s']:.0f} notices/s, {pn['mb_per_s']:.2f} MB/s",
         f"≥ {TARGETS['notices_per_core']:.0f}/s", verdict(pn["notices_per_s"], TARGETS["notices_per_core"], True)),
        (f"{n}: time / floor's time", f"{pn['ratio_to_floor']:.1f}×", f"≤ {TARGETS['ratio_to_floor']:.0f}×",
         verdict(pn["ratio_to_floor"], TARGETS["ratio_to_floor"], False)),
    ]
    if len(pn.get("rounds", [])) > 1:
        rows.append((f"{n}: path rounds (floor; path{'; --before' if 'before' in s else ''}), s",
                     "; ".join(", ".join(f"{t:.1f}" for t in r) for r in
                               (fl["rounds"], pn["rounds"], *([s["before"]["rounds"]] if "before" in s else []))),
                     "fastest of each", ""))
    if "before" in s:
        bf = s["before"]
        cpu = f", CPU time {bf['cpu_speedup']:.2f}×" if "cpu_speedup" in bf else ""
        rows += [(f"{n}: per-notice path of --before ({bf['checkout']})",
                  f"{bf['notices'] / bf['seconds']:.0f} notices/s, {bf['ratio_to_floor']:.1f}× the floor", "", ""),
                 (f"{n}: speed-up over --before", f"{bf['speedup']:.2f}× (wall{cpu})", f"≥ {TARGETS['speedup_vs_before']:.0f}×",
                  verdict(bf["speedup"], TARGETS["speedup_vs_before"], True))]
    return rows


def summary_rows(results: dict) -> list[tuple[str, str, str, str]]:
    """(measure, value, target, verdict) rows for the printed table."""
    from site_bench import summary_rows as site_rows

    rows = []
    for s in results["sizes"]:
        n = f"{s['size']:,}"
        rows += path_rows(n, s)
        b = s["build"]
        stages = ", ".join(f"{k} {v:.1f}" for k, v in b["stages"].items())
        big = s["size"] >= 10000
        rows += [
            (f"{n}: build, {results['jobs']} processes", f"{b['seconds']:.1f} s ({stages})",
             f"< {TARGETS['build_10k_seconds']:.0f} s" if big else "", verdict(b["seconds"], TARGETS["build_10k_seconds"], False) if big else ""),
            (f"{n}: indicators + network", f"{b['stages'].get('indicators', 0) + b['stages'].get('network', 0):.1f} s", "", ""),
            (f"{n}: peak RSS (build + workers)", f"{b['peak_rss_mb']:.0f} MB", f"< {TARGETS['rss_10k_mb']:.0f} MB" if big else "",
             verdict(b["peak_rss_mb"], TARGETS["rss_10k_mb"], False) if big else ""),
            (f"{n}: rebuild, nothing changed", f"{s['noop']['seconds']:.1f} s", "", ""),
            (f"{n}: rebuild after one notice changed", f"{s['incremental']['seconds']:.1f} s ({s['incremental']['processed']} parsed, "
             f"{s['incremental']['carried']} carried)", f"< {TARGETS['incremental_10k_seconds']:.0f} s" if big else "",
             verdict(s["incremental"]["seconds"], TARGETS["incremental_10k_seconds"], False) if big else ""),
        ]
        if "pages" in s:
            rows.append((f"{n}: notice pages from the tables", f"{s['pages']['pages']} pages in {s['pages']['seconds']:.1f} s", "", ""))
        if "dask" in s:
            d = s["dask"]
            rounds = d.get("rounds", [])
            timed = "; rounds (pool, LocalCluster): " + ", ".join(f"{r['pool']:.0f}/{r['dask']:.0f} s" for r in rounds) if len(rounds) > 1 else ""
            rows += [(f"{n}: build, Dask LocalCluster ({results['jobs']} workers)", f"{d['seconds']:.1f} s "
                      f"({d['overhead']:.2f}× the process pool{', fastest against fastest' if len(rounds) > 1 else ''}; "
                      f"notices {d['stages'].get('notices', 0):.1f} s{timed}), peak "
                      f"{d['peak_rss_mb']:.0f} MB; same bytes as the pool: {d['identical_to_pool']}",
                      f"≤ {TARGETS['dask_overhead']:.2f}×", verdict(d["overhead"], TARGETS["dask_overhead"], False))]
        if "site" in s:
            rows += site_rows(n, s["site"])
        if "serial" in s:
            rows.append((f"{n}: serial build (1 process)", f"{s['serial']['seconds']:.1f} s; same bytes as parallel: "
                         f"{s['serial']['identical_to_parallel']}", "identical", "met" if s["serial"]["identical_to_parallel"] else "missed"))
    if results.get("texts"):
        rows += path_rows(f"{results['texts']['size']} real texts ({results['texts']['raw_mb']:.1f} MB)", results["texts"])
    if results.get("shipped"):
        sh = results["shipped"]
        nb = sh["notebooks"]
        profile = f"; one notice profile ≈ {nb['profile_seconds_mean']:.1f} s of kernel time" if nb.get("profile_seconds_mean") else ""
        rows += [
            ("shipped corpus: build", f"{sh['build_seconds']:.1f} s", "", ""),
            ("shipped corpus: notebooks (papermill, 2 at once)", f"{nb['executed']} notebooks in {nb['seconds']:.1f} s{profile}", "", ""),
            ("shipped corpus: site", f"exit {sh['site']['code']}: {sh['site']['message']}", "", ""),
        ]
    return rows


def markdown(results: dict) -> str:
    """The results as a Markdown page."""
    m = results["machine"]
    lines = [f"# Benchmark {results['date']}", "",
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM, {m['system']}, Python {m['python']}; "
             + ", ".join(f"{k} {v}" for k, v in m["packages"].items()) + "."
             + (f" Load average when the run started: {', '.join(f'{x:.1f}' for x in m['load_average_at_start'])} "
                "(1, 5, 15 min; the machine is shared)." if m.get("load_average_at_start") else "")
             + (f" When it ended: {', '.join(f'{x:.1f}' for x in results['load_average_at_end'])}."
                if results.get("load_average_at_end") else ""), "",
             f"Command: `{results['command']}`", "",
             "| measure | value | target | |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in summary_rows(results)]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Parse options, run the measurements, print and save the table."""
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        run_child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="Comma-separated corpus sizes to generate (default 1000,10000).")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="Processes for the builds (default: all cores).")
    parser.add_argument("--sample", type=int, default=1000, help="Notices timed serially for the floor and per-core figures.")
    parser.add_argument("--identity-size", type=int, default=1000, help="Corpus size on which a serial build is compared "
                        "byte for byte with the parallel, incremental one (0 to skip).")
    parser.add_argument("--dask-sizes", default="10000", help="Corpus sizes at which a build on a Dask LocalCluster (--jobs "
                        "workers) is measured against the process pool in the same run (default 10000; '' to skip).")
    parser.add_argument("--dask-rounds", type=int, default=1, help="Pool and LocalCluster builds, alternated, at each "
                        "--dask-sizes size; the overhead is the fastest LocalCluster build over the fastest pool build "
                        "(on a shared machine, 2–3 rounds keep another job's load from deciding the figure; default 1).")
    parser.add_argument("--path-rounds", type=int, default=1, help="Times the floor and the per-notice path are each "
                        "measured, alternated; the fastest of each is reported (default 1).")
    parser.add_argument("--before", type=Path, help="A checkout of an earlier commit (e.g. made with `git worktree add "
                        "../before <commit>`): its own per-notice path is timed on the same corpus, alternated with this "
                        "checkout's, and the speed-up reported.")
    parser.add_argument("--texts", type=Path, help="A folder of real notices' texts (*.txt; e.g. the development set's, "
                        "data/devset/texts, kept locally): the floor and the per-notice path (and --before's) are also "
                        "timed on them, --path-rounds times each. Generated notices repeat phrases far more than real ones.")
    parser.add_argument("--no-shipped", action="store_true", help="Skip notebooks and site on the shipped corpus.")
    parser.add_argument("--no-site", action="store_true", help="Skip the notebooks and pages on the generated corpora.")
    parser.add_argument("--no-pages", action="store_true", help="Skip writing the notice pages from the tables.")
    parser.add_argument("--keep", type=Path, help="Scratch folder to use and keep (default: a temporary one, deleted).")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results", help="Where to write <date>.md and .json.")
    options = parser.parse_args()
    shown = {str(options.before): "<before>"} if options.before else {}  # no machine's path in the results
    if options.texts is not None:
        if not options.texts.is_dir():
            parser.error(f"--texts {options.texts}: not a folder")
        shown[str(options.texts)] = "<texts>"
    if options.before is not None:
        if not (options.before / "benchmarks" / "run.py").is_file():
            parser.error(f"--before {options.before}: not a checkout of this project (no benchmarks/run.py in it)")
        options.before = options.before.resolve()

    def say(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)

    scratch = options.keep or Path(tempfile.mkdtemp(prefix="notices-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    command = "python benchmarks/run.py " + " ".join(shown.get(a, a) for a in sys.argv[1:] if not a.startswith(str(scratch)))
    results: dict = {"date": date.today().isoformat(), "machine": machine(), "jobs": options.jobs, "command": command.strip(), "sizes": []}
    try:
        for size in (int(s) for s in options.sizes.split(",") if s.strip()):
            results["sizes"].append(bench_size(size, scratch, options.jobs, options.sample, size == options.identity_size, say,
                                               not options.no_site, str(size) in options.dask_sizes.split(","),
                                               not options.no_pages, max(1, options.dask_rounds),
                                               max(1, options.path_rounds), options.before))
        if options.texts is not None:
            results["texts"] = bench_texts(options.texts, scratch, max(1, options.path_rounds), options.before, say)
        if not options.no_shipped:
            results["shipped"] = bench_shipped(scratch, say)
        results["load_average_at_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    finally:
        if options.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)
    page = markdown(results)
    print()
    print(page)
    options.out.mkdir(parents=True, exist_ok=True)
    (options.out / f"{results['date']}.md").write_text(page, encoding="utf-8")
    (options.out / f"{results['date']}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {(options.out / results['date']).relative_to(ROOT) if options.out.is_relative_to(ROOT) else options.out}.md/.json")


if __name__ == "__main__":
    main()
