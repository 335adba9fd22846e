"""Commands that hand the data to others: export (Parquet, CSV with its Data Package, Excel, Stata, CSV for Excel) and release (a versioned archive)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from analysis.cli.app import NoWaitOption, RootOption, app, console, fail, make_config, progress_bar, writing
from analysis.errors import ProjectError

EXPORT_HELP = """\
Export the built tables as single files, into --out (default dist/<format>/).

parquet: one <table>.parquet per table. data/processed stores the per-notice and indicator tables as parts
(<table>/part-XX.parquet) so that a rebuild after one notice changed rewrites one part; this joins each into one file.

csv: one <table>.csv per table (UTF-8), datapackage.json — a Frictionless Data Package of these files (types, allowed
values, primary and foreign keys; `frictionless validate datapackage.json` checks them) — and codebook.md.

xlsx: rectification-notices.xlsx — a codebook sheet and one sheet per table, header frozen, dates as dates, text always
as text (a cell starting with =, +, - or @ never becomes a formula). A text longer than Excel's 32,767 characters is cut,
marked, and listed on a `truncated` sheet; a table with more than 1,048,575 rows is refused (use csv-excel or dta).

dta: one Stata file per table (format 118, Stata 14+) with variable labels, value labels for coded columns and booleans,
long texts as strL, and variables.csv mapping every column to its Stata name (names are cut to 32 characters).

csv-excel: one CSV per table in UTF-8 with a byte-order mark, so that Excel on Windows shows Chinese text. Values are
written unchanged; Excel may read a cell starting with =, +, - or @ as a formula (the export says how many there are).

Reads data/processed as the last build wrote it (refused if `notices verify` would flag a table) and holds the lock on
data/ meanwhile, so a build cannot change the tables half-way. The same build gives the same bytes."""

RELEASE_HELP = """\
Make a versioned archive of the data for a deposit: dist/rectification-notices-X.Y.Z.zip and its Zenodo metadata
dist/rectification-notices-X.Y.Z.zenodo.json.

The archive holds every table as one Parquet and one CSV file with datapackage.json and the codebook (made by the export
code from data/processed), the network, the build record MANIFEST, the raw register,
the raw copies (and normalised texts) of notices whose manifest terms start with `redistributable:` and no others,
CITATION.cff with this version and date, .zenodo.json, LICENSE, a README and SHA256SUMS. Two runs give the same bytes.

Refused (exit 1) unless data/processed is a current, complete build — run `notices build` first; refused (exit 2) for a
version that is not X.Y.Z, or when that version's archive exists (--force replaces it). The release date is --date, or
else the newest date in the data (never the clock). See README, "Releasing and citing a version"."""


def parse_date(text: Optional[str]) -> Optional[date]:
    """A --date option's value (YYYY-MM-DD), or None; exit 2 when malformed."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"--date {text!r} is not a date (YYYY-MM-DD)", 2)


@app.command(help=EXPORT_HELP)
def export(
    fmt: str = typer.Option(..., "--format", "-f", metavar="parquet|csv|xlsx|dta|csv-excel", help="What to write: one "
                            "Parquet file per table, CSV files with their Data Package, an Excel workbook, Stata files, "
                            "or CSV files for Excel."),
    tables: list[str] = typer.Option([], "--tables", "-t", help="Tables to export (comma-separated or repeated; default: "
                                     "all). `notices export -f xlsx -t notices,problems,measures`."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", file_okay=False, help="Folder to write into (default "
                                       "dist/<format>/); files there of the same names are replaced."),
    root: Optional[Path] = RootOption,
    no_wait: bool = NoWaitOption,
) -> None:
    from analysis.release.exports import FORMATS, check_out, choose_tables, export as run_export

    config = make_config(root)
    if fmt not in FORMATS:
        fail(f"--format {fmt!r} is not one of {', '.join(FORMATS)}", 2)
    try:
        names = choose_tables(tables)
    except ProjectError as exc:
        fail(str(exc), 2)
    target = out if out is not None else config.paths.root / "dist" / fmt
    try:
        check_out(config.paths.processed, target)
    except ProjectError as exc:
        fail(str(exc), 2)
    with writing(config, "export", no_wait):
        try:
            with progress_bar(f"export {fmt}") as bar:
                task = bar.add_task(fmt, total=len(names))
                report = run_export(config.paths.processed, target, fmt, names, lambda _name: bar.advance(task))
        except ProjectError as exc:
            fail(str(exc))
    for note in report.notes:
        console.print(f"[yellow]note:[/] {note}")
    console.print(f"wrote {len(report.files)} file(s), {report.bytes / 1e6:.1f} MB, into {shown(target, config.paths.root)} "
                  f"in {report.seconds:.1f} s")


def shown(path: Path, root: Path) -> str:
    """A path relative to the repository when it is inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix() + "/"
    except ValueError:
        return str(path)


@app.command(help=RELEASE_HELP)
def release(
    version: str = typer.Option(..., "--version", help="Version of the release, X.Y.Z (e.g. 1.0.0)."),
    released: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Release date written into "
                                           "CITATION.cff and .zenodo.json (default: the newest date in the data)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", file_okay=False, help="Folder for the archive (default dist/)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing archive of this version."),
    dry_run: bool = typer.Option(False, "--dry-run", help="List what the archive would hold and leave out; write nothing."),
    root: Optional[Path] = RootOption,
    no_wait: bool = NoWaitOption,
) -> None:
    from analysis.release.archive import ReleaseRefused, check_version, make_release

    config = make_config(root)
    when = parse_date(released)
    target = out if out is not None else config.paths.root / "dist"
    try:
        check_version(version)
        if dry_run:
            dry_run_release(config, version, when, target)
            return
        with writing(config, "release", no_wait), progress_bar("release") as bar:
            task = bar.add_task("release", total=None)
            made = make_release(config, version, when, target, force, lambda entry: bar.advance(task))
    except ReleaseRefused as exc:
        fail(str(exc), 2)
    except ProjectError as exc:
        fail(str(exc))
    for path, why in made.left_out:
        console.print(f"[yellow]left out[/] {path}: {why}")
    console.print(f"wrote {shown(target, config.paths.root)}{made.archive.name} ({len(made.entries)} files, "
                  f"{made.archive.stat().st_size / 1e6:.1f} MB; sha256 {sha256_of(made.archive)}) and {made.zenodo.name}, "
                  f"version {made.version} of {made.released.isoformat()}")


def dry_run_release(config, version: str, when: Optional[date], target: Path) -> None:
    """List what a release would hold and leave out; fail, as the release would, when the build is not current."""
    from analysis.build.store import read_build_record
    from analysis.release.archive import data_date, plan_release, stale_reasons

    reasons = stale_reasons(config)
    if not read_build_record(config.paths.processed):
        fail("; ".join(reasons))
    with tempfile.TemporaryDirectory(prefix="notices-release-") as scratch:  # the exported tables, to list their sizes
        made = plan_release(config, version, when or data_date(config), target, Path(scratch))
        print_contents(made)
    if made.archive.exists():
        console.print(f"[yellow]{made.archive.name} exists already: the release would need --force[/]")
    if reasons:
        fail("it would be refused: " + "; ".join(reasons) + ". Run `notices build` first")


def print_contents(made) -> None:
    """List the files a release would hold and those it would leave out."""
    for entry in made.entries:
        console.print(f"{entry.size:>12,}  {made.folder}/{entry.name}")
    for path, why in made.left_out:
        console.print(f"[yellow]left out[/] {path}: {why}")
    console.print(f"{len(made.entries)} files, {made.bytes / 1e6:.1f} MB before compression, into {made.archive.name} "
                  f"(version {made.version} of {made.released.isoformat()}); nothing written (--dry-run)")


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file."""
    from analysis.build.store import sha256_file

    return sha256_file(path)
