"""The `notices` application: its help, shared options, and what every command uses (config, lock, progress, errors)."""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from analysis.config import DEFAULT_MAX_BYTES, BuildConfig, NetworkConfig, Paths, find_project_root
from analysis.errors import ProjectError

EXIT_CODES = """\
Exit codes: 0 success · 1 the build could not run, or a notebook failed (message says why) · 2 bad
command-line usage or a refused notebook parameter · 3 --strict and at least one raw file was quarantined ·
4 `notices eval` found a field below 100% · 5 `notices site` without Quarto installed · 6 --no-wait and
another command was writing to data/."""

LOCKING = """\
One writer at a time: build, ingest, add, notebooks and site hold an exclusive lock on data/ (export
and release too, while they read data/processed, so that they hand out one build). A second one waits
for the first, saying whom it waits for (--no-wait: exit 6 at once instead); a lock left by a killed
command is taken over. No command deletes outputs it was not asked to rebuild (see docs/reliability.md)."""

PAPERMILL = """\
Notebook parameters: run a notebook with parameters as `notices notebooks NAME -p key=value`, which
accepts only names the notebook declares and values the corpus knows. Do not use raw `papermill -p`
with names you did not write: papermill pastes parameter names into the notebook's code unchecked, so
a crafted name such as "import os; os.system(...); x" runs as code."""

HELP = f"""\
Turn curated Chinese rectification notices (整改情况通报) into tidy tables, indicators,
networks of agencies and policies, executed notebooks and a Quarto website.

Pipeline: data/raw (notices + hand-kept manifest) → ingest → parse → extract →
data/processed (Parquet parts and files + codebook + MANIFEST) → indicators → network →
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
NoWaitOption = typer.Option(False, "--no-wait", help="If another command holds data/ (build, ingest, add, notebooks, site, "
                            "export, release), "
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
