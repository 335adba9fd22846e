"""The `notices` command line: a thin front-end over analysis.pipeline and friends."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from .config import DEFAULT_MAX_BYTES, BuildConfig, Paths, find_project_root
from .errors import ProjectError

EXIT_CODES = """\
Exit codes: 0 success · 1 the build could not run (message says why) · 2 bad command-line usage ·
3 --strict and at least one raw file was quarantined · 4 `notices eval` found a field below 100%."""

HELP = f"""\
Turn curated Chinese rectification notices (整改情况通报) into tidy tables, indicators,
networks of agencies and policies, executed notebooks and a Quarto website.

Pipeline: data/raw (notices + hand-kept manifest) → ingest → parse → extract →
data/processed (Parquet + CSV + codebook + MANIFEST) → indicators → network →
notebooks (papermill, into reports/) → site (quarto render reports/).

Start with `notices build` inside the repository. A raw file that cannot be used is never
dropped silently: it is listed in data/processed/quarantine.csv with the reason.

{EXIT_CODES}
"""

app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"]})
console = Console(stderr=True, highlight=False)

RootOption = typer.Option(None, "--root", help="Repository folder (default: found from the current folder).",
                          file_okay=False, dir_okay=True)


def fail(message: str, code: int = 1) -> None:
    """Print a one-line reason and exit with `code`."""
    console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def make_config(root: Optional[Path], jobs: Optional[int] = None, strict: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
                use_cache: bool = True) -> BuildConfig:
    """A BuildConfig for the repository at (or above) `root`."""
    try:
        paths = Paths(find_project_root(root))
    except ProjectError as exc:
        fail(str(exc))
    config = BuildConfig(paths, strict=strict, max_bytes=max_bytes, use_cache=use_cache,
                         progress=sys.stderr.isatty())
    return config.with_(jobs=jobs) if jobs else config


def progress_bar(description: str) -> Progress:
    """A rich progress bar on stderr."""
    return Progress(TextColumn(f"[bold]{description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=False)


def print_summary(report, config: BuildConfig) -> None:
    """Print parsed/quarantined counts, reasons and disagreements."""
    reasons: dict[str, int] = {}
    for row in report.quarantine:
        reasons[row["reason"]] = reasons.get(row["reason"], 0) + 1
    console.print(f"[bold]parsed {len(report.parsed)}[/], quarantined {len(report.quarantine)}"
                  + (f" ({', '.join(f'{k} {v}' for k, v in sorted(reasons.items()))})" if reasons else "")
                  + f"; {report.cached} from cache; {report.outputs} outputs in {config.paths.processed.relative_to(config.paths.root)}/")
    if report.quarantine:
        table = RichTable("file", "reason", "message", show_lines=False, box=None)
        for row in report.quarantine:
            table.add_row(row["file"], row["reason"], row["message"])
        console.print(table)
    for row in report.disagreements:
        console.print(f"[yellow]manifest vs text:[/] {row['notice_id']} {row['field']}: manifest {row['manifest_value']!r}, "
                      f"text {row['extracted_value']!r}")


def run_build(config: BuildConfig, until: str) -> None:
    """Run the pipeline up to `until` with a progress bar and a summary."""
    from .pipeline import build

    try:
        with progress_bar(f"{until:>7}: notices") as bar:
            task = bar.add_task("notices", total=None)

            def update(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            report = build(config, on_progress=update, until=until)
    except ProjectError as exc:
        fail(str(exc))
    print_summary(report, config)
    if config.strict and report.quarantine:
        fail(f"--strict: {len(report.quarantine)} raw file(s) quarantined (see data/processed/quarantine.csv)", 3)


@app.command()
def build(
    root: Optional[Path] = RootOption,
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Processes for per-notice work (default: all cores)."),
    strict: bool = typer.Option(False, "--strict", help="Exit with code 3 if any raw file is quarantined."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Re-process every notice instead of reusing .cache/."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, help="Largest raw file accepted as one notice."),
) -> None:
    """Run every stage on data/raw/ and write data/processed/ (tables, texts, MANIFEST)."""
    run_build(make_config(root, jobs, strict, max_bytes, not no_cache), until="network")


@app.command()
def ingest(
    root: Optional[Path] = RootOption,
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Processes (default: all cores)."),
    strict: bool = typer.Option(False, "--strict", help="Exit with code 3 if any raw file is quarantined."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, help="Largest raw file accepted as one notice."),
) -> None:
    """Only decode and normalise: write data/processed/text/*.txt and the removal log."""
    run_build(make_config(root, jobs, strict, max_bytes), until="ingest")


@app.command()
def check(root: Optional[Path] = RootOption) -> None:
    """Check data/raw/manifest.csv against the files in data/raw/notices/ and say exactly what is wrong."""
    from .manifest import check_manifest, read_manifest

    config = make_config(root)
    try:
        entries, problems = check_manifest(config.paths.raw, read_manifest(config.paths.manifest))
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
    from .store import verify_outputs

    config = make_config(root)
    problems = verify_outputs(config.paths.processed)
    for line in problems:
        console.print(f"[yellow]{line}[/]")
    if problems:
        fail(f"{len(problems)} output(s) differ from data/processed/MANIFEST")
    console.print("data/processed matches its MANIFEST")


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
