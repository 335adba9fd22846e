"""Commands that make data/processed: build, ingest, check, verify."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table as RichTable

from analysis.cli.app import (DEFAULT_MAX_BYTES, NoWaitOption, RootOption, app, console, fail, make_config,
                              progress_bar, writing)
from analysis.config import BATCH_KINDS, BuildConfig, ClusterConfig, NetworkConfig, load_cluster_config
from analysis.errors import ProjectError
from analysis.cli.site_commands import run_site_notebooks, site_result


def print_summary(report, config: BuildConfig) -> None:
    """Print parsed/quarantined counts (adding up to the raw files), reasons and disagreements."""
    files = set(report.raw_files)
    on_files = [q for q in report.quarantine if q["file"] in files]
    reasons: dict[str, int] = {}
    for row in on_files:
        reasons[row["reason"]] = reasons.get(row["reason"], 0) + 1
    folder = config.paths.processed.relative_to(config.paths.root)
    console.print(f"[bold]{len(report.raw_files)} raw files: parsed {len(report.parsed)}, quarantined {len(on_files)}[/]"
                  + (f" ({', '.join(f'{k} {v}' for k, v in sorted(reasons.items()))})" if reasons else "")
                  + (f"; {folder}/ is up to date (same inputs, code and options), nothing rewritten" if report.up_to_date else
                     f"; {report.processed} processed, {report.cached} carried over from the last build; "
                     f"{report.outputs} outputs in {folder}/"
                     + ("; network kept (its input columns did not change)" if report.network_carried else "")))
    steps = ", ".join(f"{k} {v:.1f}" for k, v in report.seconds.items() if k != "total")
    console.print(f"took {report.seconds.get('total', 0):.1f} s ({steps})")
    for message in report.cleaned:
        console.print(f"[yellow]{message}[/]")
    if report.repaired:
        console.print(f"[yellow]rebuilt {len(report.repaired)} output(s) that were missing or altered since the last build:[/] "
                      + ", ".join(report.repaired[:8]) + (" …" if len(report.repaired) > 8 else ""))
    rows_only = report.manifest_only()
    if rows_only:
        console.print(f"[yellow]{len(rows_only)} manifest row(s) without a usable file:[/] "
                      + ", ".join(f"{q['notice_id']} ({q['reason']})" for q in rows_only))
    if report.quarantine:
        table = RichTable("file", "reason", "message", show_lines=False, box=None)
        for row in report.quarantine:
            table.add_row(row["file"], row["reason"], row["message"])
        console.print(table)
    for row in report.disagreements:
        console.print(f"[yellow]manifest vs text:[/] {row['notice_id']} {row['field']}: manifest {row['manifest_value']!r}, "
                      f"text {row['extracted_value']!r}")


def print_plan(config: BuildConfig, notebooks: bool, until: str = "network") -> None:
    """Print what `notices build` would redo, and why, without writing anything."""
    from analysis.build.pipeline import plan_build

    try:
        plan = plan_build(config, until)
    except ProjectError as exc:
        fail(str(exc))
    folder = config.paths.processed.relative_to(config.paths.root)
    if plan.current:
        console.print(f"{folder}/ is up to date: same raw files, reference data, code and options as its MANIFEST; "
                      "a build would rewrite nothing.")
    else:
        reasons: dict[tuple[str, str], list[str]] = {}
        for p in plan.plans:
            reasons.setdefault((p.action, p.reason), []).append(p.notice_id)
        table = RichTable("notices", "action", "why", "examples", box=None)
        verbs = {"process": "parse", "carry": "carry over", "carry_failure": "keep in quarantine"}
        for (action, reason), ids in sorted(reasons.items(), key=lambda kv: (kv[0][0] != "process", kv[0])):
            table.add_row(str(len(ids)), verbs[action], reason, ", ".join(ids[:3]) + (" …" if len(ids) > 3 else ""))
        console.print(table)
        if plan.changed:
            console.print(f"{len(plan.changed)} output(s) missing or altered since the last build would be rebuilt: "
                          + ", ".join(sorted(plan.changed)[:5]) + (" …" if len(plan.changed) > 5 else ""))
        if plan.problems:
            console.print(f"{len(plan.problems)} manifest problem(s) would be quarantined: "
                          + ", ".join(f"{q['file']} ({q['reason']})" for q in plan.problems[:5]))
        console.print(f"then: assemble the corpus tables, indicators, network{', evaluation' if config.paths.annotations.is_dir() else ''}; "
                      f"write {folder}/ (MANIFEST last)")
    if notebooks:
        from analysis.site.runner import plan_run

        if not plan.current or not (config.paths.processed / "MANIFEST").is_file():
            console.print("notebooks: those whose inputs change would be executed again (the data they read changes)")
            return
        try:
            _, generated, todo, skipped = plan_run(config.paths)
        except ProjectError as exc:
            fail(str(exc))
        else:
            console.print(f"notebooks: {len(todo)} to execute" + (f" ({', '.join(run.output for run, _ in todo[:5])}"
                          + (" …" if len(todo) > 5 else "") + ")" if todo else "") + f", {len(skipped)} up to date; "
                          f"{len(generated)} notice page(s) generated from the tables")


def cluster_option(cluster: Optional[str], scheduler: Optional[str], cluster_config: Optional[Path]) -> ClusterConfig | None:
    """The cluster the per-notice stage runs on, from --cluster/--scheduler/--cluster-config (exit 2 on a bad combination)."""
    if cluster and scheduler:
        fail("use one of --cluster and --scheduler, not both", 2)
    if scheduler:
        if cluster_config:
            fail("--cluster-config goes with --cluster slurm or pbs, not with --scheduler", 2)
        return ClusterConfig("scheduler", address=scheduler if "://" in scheduler else f"tcp://{scheduler}")
    if cluster is None:
        if cluster_config:
            fail("--cluster-config needs --cluster slurm or --cluster pbs", 2)
        return None
    if cluster not in ("local", *BATCH_KINDS):
        fail(f"--cluster {cluster!r}: choose local, {' or '.join(BATCH_KINDS)}", 2)
    if cluster in BATCH_KINDS:
        if cluster_config is None:
            fail(f"--cluster {cluster} needs --cluster-config FILE (cores, memory, walltime, jobs; README, Bigger corpora)", 2)
        try:
            return load_cluster_config(cluster, cluster_config)
        except ProjectError as exc:
            fail(str(exc), 2)
    if cluster_config:
        fail("--cluster-config is for --cluster slurm or pbs; --cluster local takes its workers from --jobs", 2)
    return ClusterConfig("local")


def run_build(config: BuildConfig, until: str) -> None:
    """Run the pipeline up to `until` with a progress bar and a summary."""
    from analysis.build.pipeline import build

    try:
        with progress_bar("notices") as bar:
            task = bar.add_task("notices", total=None)

            def update(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            report = build(config, on_progress=update, until=until)
    except ProjectError as exc:
        fail(str(exc))
    except Exception as exc:  # noqa: BLE001 — one line for users; NOTICES_DEBUG=1 shows the traceback
        if os.environ.get("NOTICES_DEBUG"):
            raise
        fail(f"the build failed and data/processed was left as it was: {type(exc).__name__}: {exc} "
             "(set NOTICES_DEBUG=1 for the traceback)")
    print_summary(report, config)
    if config.strict and report.quarantine:
        fail(f"--strict: {len(report.quarantine)} raw file(s) quarantined (see data/processed/quarantine.csv)", 3)


@app.command()
def build(
    root: Optional[Path] = RootOption,
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes for the per-notice stages (default: all cores)."),
    strict: bool = typer.Option(False, "--strict", help="Exit with code 3 if any raw file is quarantined."),
    full: bool = typer.Option(False, "--full", "--no-cache", help="Process every notice again instead of carrying unchanged "
                              "ones over from the last build."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only list what would be rebuilt and why; write nothing."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, help="Largest raw file accepted as one notice."),
    hub_limit: int = typer.Option(NetworkConfig.hub_limit, "--hub-limit", min=1, help="Network projections do not link "
                                  "through a node with more neighbours than this (e.g. a national law cited by most notices)."),
    export_edge_limit: int = typer.Option(NetworkConfig.export_edge_limit, "--export-edge-limit", min=0, help="Write GraphML/GEXF "
                                          "only for graphs with at most this many edges (all graphs stay in network/edges)."),
    skip_notebooks: bool = typer.Option(False, "--skip-notebooks", help="Stop after data/processed (no papermill, no site)."),
    skip_site: bool = typer.Option(False, "--skip-site", help="Execute the notebooks but do not render the site."),
    notebook_runs: int = typer.Option(2, "--notebook-jobs", min=1, help="Notebook runs at once (each starts a kernel)."),
    prune: bool = typer.Option(False, "--prune", help="Also delete notebook pages this build does not make (slices, "
                               "profiles of notices no longer in the corpus), listing each one."),
    until: str = typer.Option("network", "--until", metavar="STAGE", help="Stop after this stage of data/processed: ingest, "
                              "parse, extract, indicators, evaluate or network (see docs/architecture.md). Stopping "
                              "before network writes only the tables of the stages run and skips notebooks and site."),
    cluster: Optional[str] = typer.Option(None, "--cluster", metavar="KIND", help="Run the per-notice stage on Dask: 'local' "
                                          "starts a LocalCluster on this machine (--jobs workers); 'slurm' or 'pbs' submits "
                                          "dask-jobqueue jobs described by --cluster-config. Default: this machine's processes."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="tcp://HOST:PORT", help="Run the per-notice stage on a "
                                            "running Dask cluster (its scheduler's address); exit 1 if it cannot be reached."),
    cluster_config: Optional[Path] = typer.Option(None, "--cluster-config", metavar="FILE", help="YAML for --cluster slurm/pbs: "
                                                  "cores, memory, walltime, jobs (required); queue, account, processes, python, "
                                                  "job_script_prologue, local_directory, interface, allowed_failures."),
    no_wait: bool = NoWaitOption,
) -> None:
    """Run everything: data/raw/ → data/processed/ → executed notebooks in reports/ → the Quarto site.

    Incremental: a notice whose raw bytes and the per-notice code are unchanged since the last
    build is carried over, not parsed again (see --dry-run); corpus tables are re-assembled.
    Outputs are checked by content (SHA-256 in MANIFEST): anything `notices verify` flags is
    rebuilt. Holds the lock on data/ throughout (see `notices --help`).

    Bigger corpora: --cluster local, --scheduler tcp://HOST:PORT or --cluster slurm --cluster-config
    FILE run the per-notice stage as Dask tasks; every worker must see the project folder at the same
    path and run the same environment (environment.yml or requirements/lock.txt). The outputs are
    byte-identical to a build on this machine's processes.
    """
    from analysis.build.stages import STOP_POINTS

    if until not in STOP_POINTS:
        fail(f"--until {until!r} is not a stage; choose one of {', '.join(STOP_POINTS)}", 2)
    on = cluster_option(cluster, scheduler, cluster_config)
    config = make_config(root, jobs, strict, max_bytes, not full, NetworkConfig(hub_limit=hub_limit, export_edge_limit=export_edge_limit))
    config = config.with_(cluster=on)
    if dry_run:
        print_plan(config, notebooks=not skip_notebooks and until == "network", until=until)
        return
    with writing(config, "build", no_wait):
        run_build(config, until=until)
        if until != "network":
            console.print(f"stopped after the {until} stage: notebooks and the site need a full build")
            return
        if skip_notebooks:
            return
        run_site_notebooks(config, notebook_runs, "auto", [], False, prune)
        if skip_site:
            return
        from analysis.site.quarto import render_site

        code, message = render_site(config.paths)
    site_result(code, message, missing_quarto_fails=False)


@app.command()
def ingest(
    root: Optional[Path] = RootOption,
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Processes (default: all cores)."),
    strict: bool = typer.Option(False, "--strict", help="Exit with code 3 if any raw file is quarantined."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, help="Largest raw file accepted as one notice."),
    no_wait: bool = NoWaitOption,
) -> None:
    """Only decode and normalise: write data/processed/text/*.txt and the removal log.

    Writes nothing else and deletes nothing: the tables of an earlier build stay in place (if raw
    files changed since, they describe the older files until the next `notices build`).
    """
    config = make_config(root, jobs, strict, max_bytes)
    with writing(config, "ingest", no_wait):
        run_build(config, until="ingest")


@app.command()
def check(root: Optional[Path] = RootOption) -> None:
    """Check data/raw/manifest.csv against the files in data/raw/notices/ and say exactly what is wrong."""
    from analysis.build.register import check_register, read_register

    config = make_config(root)
    try:
        entries, problems = check_register(config.paths.raw, read_register(config.paths.register))
    except ProjectError as exc:
        fail(str(exc))
    for problem in problems:
        console.print(f"[yellow]{problem.reason}[/] {problem.file}: {problem.message}")
    console.print(f"{len(entries)} notice(s) registered and matching; {len(problems)} problem(s)")
    if problems:
        raise typer.Exit(1)


@app.command()
def verify(root: Optional[Path] = RootOption) -> None:
    """Check that data/processed still matches the MANIFEST of the last build."""
    from analysis.build.store import verify_outputs

    config = make_config(root)
    problems = verify_outputs(config.paths.processed)
    for line in problems:
        console.print(f"[yellow]{line}[/]")
    if problems:
        fail(f"{len(problems)} output(s) differ from data/processed/MANIFEST")
    console.print("data/processed matches its MANIFEST")
