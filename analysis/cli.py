"""The `notices` command line: a thin front-end over analysis.build.pipeline and friends."""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from analysis.config import DEFAULT_MAX_BYTES, BuildConfig, NetworkConfig, Paths, find_project_root
from analysis.errors import ProjectError

if TYPE_CHECKING:
    from analysis.build.register import RegisterEntry

EXIT_CODES = """\
Exit codes: 0 success · 1 the build could not run, or a notebook failed (message says why) · 2 bad
command-line usage or a refused notebook parameter · 3 --strict and at least one raw file was quarantined ·
4 `notices eval` found a field below 100% · 5 `notices site` without Quarto installed · 6 --no-wait and
another command was writing to data/."""

LOCKING = """\
One writer at a time: build, ingest, add, notebooks and site hold an exclusive lock on data/. A second
one waits for the first, saying whom it waits for (--no-wait: exit 6 at once instead); a lock left by a
killed command is taken over. No command deletes outputs it was not asked to rebuild (see
docs/reliability.md)."""

PAPERMILL = """\
Notebook parameters: run a notebook with parameters as `notices notebooks NAME -p key=value`, which
accepts only names the notebook declares and values the corpus knows. Do not use raw `papermill -p`
with names you did not write: papermill pastes parameter names into the notebook's code unchecked, so
a crafted name such as "import os; os.system(...); x" runs as code."""

HELP = f"""\
Turn curated Chinese rectification notices (整改情况通报) into tidy tables, indicators,
networks of agencies and policies, executed notebooks and a Quarto website.

Pipeline: data/raw (notices + hand-kept manifest) → ingest → parse → extract →
data/processed (Parquet + CSV + codebook + MANIFEST) → indicators → network →
notebooks (papermill, into reports/) → site (quarto render reports/).

Start with `notices build` inside the repository. A raw file that cannot be used is never
dropped silently: it is listed in data/processed/quarantine.csv with the reason.

{LOCKING}

{PAPERMILL}

{EXIT_CODES}
"""

app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"]})
console = Console(stderr=True, highlight=False)

RootOption = typer.Option(None, "--root", help="Repository folder (default: found from the current folder).",
                          file_okay=False, dir_okay=True)
NoWaitOption = typer.Option(False, "--no-wait", help="If another command is writing (build, ingest, add, notebooks, site), "
                            "exit with code 6 at once instead of waiting for it to finish.")
LOCK_BUSY = 6


def fail(message: str, code: int = 1) -> None:
    """Print a one-line reason and exit with `code`."""
    console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def make_config(root: Optional[Path], jobs: Optional[int] = None, strict: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
                use_cache: bool = True, network: NetworkConfig | None = None) -> BuildConfig:
    """A BuildConfig for the repository at (or above) `root`."""
    try:
        paths = Paths(find_project_root(root))
    except ProjectError as exc:
        fail(str(exc))
    config = BuildConfig(paths, strict=strict, max_bytes=max_bytes, use_cache=use_cache,
                         network=network or NetworkConfig())
    return config.with_(workers=jobs) if jobs else config


def say(message: str) -> None:
    """A notice to the user on stderr (waiting for the lock, a lock taken over)."""
    console.print(f"[yellow]{message}[/]")


@contextmanager
def writing(config: BuildConfig, command: str, no_wait: bool) -> Iterator[None]:
    """Hold the lock on data/ for a command that writes (waiting with a message, or exit 6 with --no-wait)."""
    from analysis.build.lock import LockBusy, data_lock

    with ExitStack() as stack:
        try:
            stack.enter_context(data_lock(config.paths.root, command, wait=not no_wait, on_wait=say, on_takeover=say))
        except LockBusy as exc:
            fail(str(exc), LOCK_BUSY)
        yield


def progress_bar(description: str) -> Progress:
    """A rich progress bar on stderr."""
    return Progress(TextColumn(f"[bold]{description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=False)


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
    no_wait: bool = NoWaitOption,
) -> None:
    """Run everything: data/raw/ → data/processed/ → executed notebooks in reports/ → the Quarto site.

    Incremental: a notice whose raw bytes and the per-notice code are unchanged since the last
    build is carried over, not parsed again (see --dry-run); corpus tables are re-assembled.
    Outputs are checked by content (SHA-256 in MANIFEST): anything `notices verify` flags is
    rebuilt. Holds the lock on data/ throughout (see `notices --help`).
    """
    from analysis.build.stages import STOP_POINTS

    if until not in STOP_POINTS:
        fail(f"--until {until!r} is not a stage; choose one of {', '.join(STOP_POINTS)}", 2)
    config = make_config(root, jobs, strict, max_bytes, not full, NetworkConfig(hub_limit=hub_limit, export_edge_limit=export_edge_limit))
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
    if code == 5:
        console.print(f"[yellow]{message}[/]")
    elif code != 0:
        fail(message)
    else:
        console.print(f"[green]{message}[/]")


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


def run_site_notebooks(config: BuildConfig, runs_at_once: int, profiles, slices: list[dict], force: bool, prune: bool = False) -> None:
    """Execute the notebooks with a progress bar and report what ran, was skipped, kept, removed, warned or failed."""
    from analysis.site.runner import run_notebooks

    try:
        with progress_bar("notebooks") as bar:
            task = bar.add_task("notebooks", total=None)

            def update(done: int, total: int, _name: str) -> None:
                bar.update(task, completed=done, total=total)

            report = run_notebooks(config.paths, runs_at_once, profiles, slices, force, update, prune=prune)
    except ProjectError as exc:
        fail(str(exc), 2 if type(exc).__name__ == "ParameterError" else 1)
    for message in report.cleaned:
        console.print(f"[yellow]{message}[/]")
    if report.executed:
        console.print(f"executed {len(report.executed)} notebook(s) in {report.seconds:.0f} s; {len(report.skipped)} unchanged")
    else:
        console.print(f"nothing to execute: all {len(report.skipped)} notebooks are up to date")
    if report.generated_pages:
        console.print(f"wrote {len(report.generated_pages)} notice page(s) from the tables (no kernel)")
    print_page_changes(report)
    for line in report.warnings:
        console.print(f"[yellow]warning[/] {line}")
    for output, message in sorted(report.failed.items()):
        console.print(f"[red]failed[/] {output}: {message}")
    if report.failed:
        fail(f"{len(report.failed)} notebook(s) failed")


def print_page_changes(report) -> None:
    """List the pages a run removed, and the pages of earlier runs it kept (with those now out of date)."""
    if report.removed:
        console.print(f"removed {len(report.removed)} page(s): " + ", ".join(report.removed))
    if report.kept:
        console.print(f"kept {len(report.kept)} page(s) of earlier runs that this run does not make "
                      "(`notices notebooks --prune` removes them)")
    for page, why in sorted(report.stale.items()):
        console.print(f"[yellow]out of date[/] {page}: {why}")


@app.command(help=f"""Execute the notebooks with papermill into reports/ (only those whose inputs changed).

Without NAME: the site's pages — corpus pages, notice profiles (--profiles) and slices (--slice). Pages made by
earlier runs that this run does not make (other slices, other profiles) are kept; --prune removes them and lists
each one.

With NAME: only that notebook (e.g. teaching_01, 04_notice_profile), with parameters given as -p key=value, into
reports/_runs/<notebook>/ (not part of the site); nothing else is touched.

{PAPERMILL}
""")
def notebooks(
    name: Optional[str] = typer.Argument(None, help="One notebook to run with -p parameters: its file name, stem, or a "
                                         "unique start of the stem (e.g. teaching_01)."),
    parameter: list[str] = typer.Option([], "--parameter", "-p", help="key=value for NAME (repeatable); the name must be a "
                                        "parameter the notebook declares and the value one the corpus knows."),
    root: Optional[Path] = RootOption,
    runs_at_once: int = typer.Option(2, "--jobs", "-j", min=1, help="Notebook runs at once (each starts a kernel)."),
    profiles: str = typer.Option("auto", "--profiles", help="Notice profiles to execute: auto (all when the corpus has at most "
                                 "200 notices, else none), all, none, or a comma-separated list of ids. Notices without an "
                                 "executed profile get a page written from the tables."),
    slice_: list[str] = typer.Option([], "--slice", help="Also run the corpus notebooks for a slice: province=…, genre=… or "
                                     "year=… (repeatable; each is one slice)."),
    force: bool = typer.Option(False, "--force", help="Execute even notebooks whose inputs have not changed."),
    prune: bool = typer.Option(False, "--prune", help="Delete pages this run does not make (other slices and profiles, "
                               "pages of notices no longer in the corpus), listing each one."),
    no_wait: bool = NoWaitOption,
) -> None:
    from analysis.site.parameters import parse_slice

    config = make_config(root)
    if name is not None:
        if slice_ or profiles != "auto" or prune or force:
            fail("NAME runs one notebook with -p parameters; --slice, --profiles, --prune and --force are for the site's pages", 2)
        with writing(config, "notebooks", no_wait):
            run_named_notebook(config, name, parameter)
        return
    if parameter:
        fail("-p key=value needs a NAME: the notebook to run with it (e.g. `notices notebooks teaching_01 -p notice_id=…`)", 2)
    try:
        slices = [parse_slice(s) for s in slice_]
    except ProjectError as exc:
        fail(str(exc), 2)
    chosen = profiles if profiles in ("auto", "all", "none") else [p.strip() for p in profiles.split(",") if p.strip()]
    with writing(config, "notebooks", no_wait):
        run_site_notebooks(config, runs_at_once, chosen, slices, force, prune)


def run_named_notebook(config: BuildConfig, name: str, parameters: list[str]) -> None:
    """Run one notebook with checked parameters into reports/_runs/ and say where it went."""
    from analysis.site.runner import run_named

    try:
        report, output = run_named(config.paths, name, parameters)
    except ProjectError as exc:
        fail(str(exc), 2 if type(exc).__name__ == "ParameterError" else 1)
    for line in report.warnings:
        console.print(f"[yellow]warning[/] {line}")
    if report.failed:
        fail(f"{output}: {report.failed[output]}")
    console.print(f"executed {name} into reports/{output} in {report.seconds:.0f} s (not part of the site)")


@app.command()
def site(root: Optional[Path] = RootOption, no_wait: bool = NoWaitOption) -> None:
    """Render the Quarto website (quarto render reports/); says plainly when Quarto is missing."""
    from analysis.site.quarto import render_site

    config = make_config(root)
    with writing(config, "site", no_wait):
        code, message = render_site(config.paths)
    if code == 0:
        console.print(f"[green]{message}[/]")
        return
    fail(message, code)


def eval_devset(config: BuildConfig, devset: Path, texts: Path, show: int, record: bool) -> None:
    """Score the notice-level fields of the development set of real notices; print per genre and per field."""
    from analysis.corpus.devset import read_devset, run_devset, scores_markdown, tally

    try:
        records = read_devset(devset)
    except (OSError, ValueError) as exc:
        fail(f"cannot read the development set: {exc}", 2)
    if not texts.is_dir():
        fail(f"no folder {texts}: the development set's texts are kept locally (see docs/annotation-guide.md)", 2)
    with progress_bar("devset") as bar:
        task = bar.add_task("devset", total=len(records))
        run = run_devset(records, texts, config.paths.root, lambda done, total: bar.update(task, completed=done))
    for label, by in (("genre", "genre"), ("field", "field")):
        table = RichTable(label, "stated", "found", "wrong", "missed", "false pos.", "found %", "false pos. %", box=None)
        for row in tally(run.checks, by):
            share = row["found_share"]
            table.add_row(row[by], str(row["stated"]), str(row["found"]), str(row["wrong"]), str(row["missed"]),
                          str(row["false_positive"]), "–" if share is None else f"{100 * share:.1f}%",
                          "–" if row["false_positive_share"] is None else f"{100 * row['false_positive_share']:.1f}%",
                          style="" if share is None or share >= 0.95 else "yellow")
        console.print(table)
    for nid, reason, message in run.quarantined:
        console.print(f"[red]quarantined[/] {nid}: {reason} — {message}")
    for nid, why in run.skipped:
        console.print(f"[yellow]skipped[/] {nid}: {why}")
    wrong = [c for c in run.checks if c.outcome in ("wrong", "missed", "false_positive")]
    for check in wrong[:show]:
        console.print(f"[yellow]{check.notice_id}[/] {check.field} {check.outcome}: gold {check.gold!r}, read {check.got!r}")
    if len(wrong) > show:
        console.print(f"… {len(wrong) - show} more (raise --show)")
    if record:
        path = config.paths.root / "docs" / "devset.md"
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        from analysis.corpus.devset import SCORES_MARKER as marker
        head = text.split(marker)[0].rstrip() + "\n\n" if marker in text else text
        path.write_text(head + marker + "\n\n" + scores_markdown(run), encoding="utf-8")
        console.print(f"wrote the scores into {path.relative_to(config.paths.root)}")


@app.command("eval")
def eval_(
    root: Optional[Path] = RootOption,
    devset: Optional[Path] = typer.Option(None, "--devset", dir_okay=False, help="Score the development set of real notices "
                                          "(data/annotations/devset.jsonl) instead of the shipped annotations."),
    texts: Optional[Path] = typer.Option(None, "--texts", file_okay=False, help="Folder holding the development set's texts "
                                         "(<id>.txt, kept locally, never committed; default data/devset/texts)."),
    show: int = typer.Option(40, "--show", min=0, help="With --devset: how many disagreements to print."),
    record: bool = typer.Option(False, "--record", help="With --devset: write the score tables into docs/devset.md."),
) -> None:
    """Compare data/processed with the hand annotations in data/annotations/ and print per-field accuracy.

    With --devset, read each real notice of the development set (texts in --texts, checked against
    their recorded SHA-256) with the per-notice stages and score every notice-level field per genre:
    found, wrong, missed and false positives.
    """
    if devset is not None:
        config = make_config(root)
        eval_devset(config, devset, texts or config.paths.root / "data" / "devset" / "texts", show, record)
        return
    from analysis.corpus.evaluate import all_required_perfect, evaluate
    from analysis.build.store import read_tables

    config = make_config(root)
    try:
        tables = read_tables(config.paths.processed, ["notices", "problems", "documents", "agencies", "dates", "figures"])
    except ProjectError as exc:
        fail(str(exc))
    summary, differences = evaluate(config.paths.annotations, tables)
    table = RichTable("section", "field", "correct", "total", "accuracy", "required", box=None)
    for row in summary.sort(["section", "field"]).iter_rows(named=True):
        style = "" if row["correct"] == row["total"] else ("red" if row["required"] else "yellow")
        table.add_row(row["section"], row["field"], str(row["correct"]), str(row["total"]),
                      f"{100 * (row['accuracy'] or 0):.1f}%", "yes" if row["required"] else "reported", style=style)
    console.print(table)
    for row in differences.iter_rows(named=True):
        console.print(f"[yellow]{row['notice_id']}[/] {row['section']}.{row['field']} {row['item']}: "
                      f"annotated {row['expected']!r}, tables {row['got']!r}")
    if not all_required_perfect(summary):
        fail("some required fields are below 100% (see the differences above)", 4)
    console.print("[green]every required field is at 100%[/]")


STAGES_BEGIN, STAGES_END = "<!-- stages -->\n", "<!-- /stages -->"


def with_stage_table(architecture: str, table: str) -> str:
    """docs/architecture.md with the generated stage table between its markers."""
    start, end = architecture.index(STAGES_BEGIN) + len(STAGES_BEGIN), architecture.index(STAGES_END)
    return architecture[:start] + table + architecture[end:]


@app.command()
def codebook(
    root: Optional[Path] = RootOption,
    check: bool = typer.Option(False, "--check", help="Only check that the generated documents are up to date (exit 1 if not)."),
) -> None:
    """Write docs/codebook.md from the data contract (analysis/contract/) and the stage table of docs/architecture.md
    from the stage list (analysis/build/stages.py)."""
    from analysis.build.stages import stages_markdown
    from analysis.contract.codebook import codebook_markdown

    config = make_config(root)
    docs = config.paths.root / "docs"
    codebook_path, architecture_path = docs / "codebook.md", docs / "architecture.md"
    generated = {codebook_path: codebook_markdown()}
    if architecture_path.is_file():
        generated[architecture_path] = with_stage_table(architecture_path.read_text(encoding="utf-8"), stages_markdown())
    for path, text in generated.items():
        name = path.relative_to(config.paths.root).as_posix()
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                fail(f"{name} is out of date: run `notices codebook`")
            console.print(f"{name} is up to date")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        console.print(f"wrote {name}")


@app.command()
def add(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The raw notice (.txt or .html) to add, exactly as collected."),
    notice_id: str = typer.Option(..., "--id", help="Short id: place-body-year, lower case, e.g. qingdao-sthjj-2024."),
    source_url: str = typer.Option("", "--source-url", help="Where the copy came from (leave empty if unknown)."),
    publisher: str = typer.Option("", "--publisher", help="Who published the page."),
    collected_on: str = typer.Option("", "--collected-on", help="Date the copy was collected (YYYY-MM-DD)."),
    body_as_signed: str = typer.Option("", "--body", help="The signing body exactly as printed."),
    signature_date: str = typer.Option("", "--signature-date", help="The signature date exactly as printed, e.g. 2024年4月19日."),
    script: str = typer.Option("", "--script", help="simplified or traditional, as you read it."),
    terms: str = typer.Option("", "--terms", help="Licence or terms note."),
    notes: str = typer.Option("", "--notes", help="Collection notes (what you know about the copy)."),
    replace: bool = typer.Option(False, "--replace", help="Replace the file and row of an existing id."),
    root: Optional[Path] = RootOption,
    no_wait: bool = NoWaitOption,
) -> None:
    """Copy a raw notice into data/raw/notices/ byte for byte and record it in data/raw/manifest.csv.

    Holds the lock on data/, so several `notices add` at once each add their row.
    """
    from analysis.build.register import RegisterEntry, id_problem

    config = make_config(root)
    suffix = file.suffix.lower() if file.suffix.lower() in (".txt", ".html", ".htm") else ".txt"
    entry = RegisterEntry(notice_id, f"notices/{notice_id}{suffix}", "", 0, file.name, body_as_signed, signature_date, script,
                          source_url, publisher, collected_on, terms, notes)
    why = id_problem(entry)
    if why:
        fail(why, 2)
    with writing(config, "add", no_wait):
        try:
            entry = add_notice(config, file, entry, replace)
        except ProjectError as exc:
            fail(str(exc), 2)
    console.print(f"added {entry.file} ({entry.bytes} bytes, sha256 {entry.sha256[:12]}…) to data/raw/manifest.csv")
    if not (body_as_signed and signature_date):
        console.print("[yellow]fill in body_as_signed and signature_date_as_printed in the manifest by reading the notice[/]")


def add_notice(config: BuildConfig, file: Path, entry: "RegisterEntry", replace: bool) -> "RegisterEntry":
    """Copy the file into place and write its manifest row (the caller holds the lock); the row written."""
    from analysis.build.files import atomic_write_bytes
    from analysis.build.register import RegisterEntry, read_register, sha256_bytes, write_register

    notice_id = entry.notice_id
    entries = read_register(config.paths.register) if config.paths.register.is_file() else []
    existing = [e for e in entries if e.notice_id == notice_id]
    if existing and not replace:
        raise ProjectError(f"{notice_id} is already in the manifest; pass --replace to record a new copy")
    data = file.read_bytes()
    target = config.paths.raw / entry.file
    if file.resolve() != target.resolve():
        atomic_write_bytes(target, data)
    if existing:
        old = existing[0]
        kept = {k: getattr(entry, k) or getattr(old, k) for k in ("original_file", "body_as_signed", "signature_date_as_printed",
                                                                   "script", "source_url", "publisher", "collected_on", "terms",
                                                                   "collection_notes")}
        entry = RegisterEntry(notice_id, entry.file, "", 0, **kept)
    entry = RegisterEntry(**{**entry.__dict__, "sha256": sha256_bytes(data), "bytes": len(data)})
    if existing:
        write_register(config.paths.register, [entry if e.notice_id == notice_id else e for e in entries])
    else:
        write_register(config.paths.register, [*entries, entry])
    return entry


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except ProjectError as exc:  # raised outside a command's own handling
        console.print(f"[bold red]error:[/] {exc}")
        sys.exit(1)


if __name__ == "__main__":
    main()
