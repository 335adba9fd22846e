"""Commands that make reports/: notebooks (papermill runs) and site (Quarto)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from analysis.cli.app import PAPERMILL, NoWaitOption, RootOption, app, console, fail, make_config, progress_bar, writing
from analysis.config import BuildConfig
from analysis.errors import ProjectError


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
    if report.downloads:
        console.print(f"wrote {len(report.downloads)} download file(s) of notices' rows (CSV, JSON) next to their pages")
    print_page_changes(report)
    for line in report.warnings:
        console.print(f"[yellow]warning[/] {line}")
    for output, message in sorted(report.failed.items()):
        console.print(f"[red]failed[/] {output}: {message}")
    if report.placeholders:
        console.print(f"wrote {len(report.placeholders)} placeholder page(s) saying why they are missing: "
                      + ", ".join(sorted(report.placeholders)))
    if report.failed:
        fail(f"{len(report.failed)} notebook(s) failed")


def print_page_changes(report) -> None:
    """List the pages a run removed, and the pages of earlier runs it kept (with those now out of date)."""
    if report.removed:
        console.print(f"removed {len(report.removed)} file(s): " + ", ".join(report.removed))
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


@app.command(help="""Render the Quarto website (quarto render reports/), then check it.

The check: no page loads a script, stylesheet, font, image or frame from the network (the site works offline),
every internal link, listing item and search entry resolves, and Quarto printed no warning. A site that fails
the check exits with code 1 and the list of problems; without Quarto, exit code 5 says what to install.

--changed renders only the pages the notebooks runs made since the last render (one `quarto render reports/<page>`
each; Quarto re-renders the listings that list them) and deletes the pages removed since; the whole site when it
was never rendered (docs/scaling.md). The whole site is checked either way.

--check only checks a site rendered earlier (reports/_site, or --site DIR), without Quarto.""")
def site(root: Optional[Path] = RootOption, no_wait: bool = NoWaitOption,
         check: bool = typer.Option(False, "--check", help="Only check the rendered site (no render, no Quarto needed)."),
         site_dir: Optional[Path] = typer.Option(None, "--site", help="The rendered site to check (default: reports/_site); "
                                                 "implies --check.", file_okay=False, dir_okay=True),
         changed: bool = typer.Option(False, "--changed", help="Render only the pages made or removed since the last "
                                      "render; the whole site when it was never rendered.")) -> None:
    if check or site_dir is not None:
        check_rendered_site(site_dir if site_dir is not None else make_config(root).paths.reports / "_site")
        return
    from analysis.site.quarto import render_site

    config = make_config(root)
    with writing(config, "site", no_wait):
        code, message = render_site(config.paths, changed_only=changed)
    site_result(code, message)


def site_result(code: int, message: str, missing_quarto_fails: bool = True) -> None:
    """Say how the render and its check went: the message's first line as the verdict, the rest (Quarto's output,
    the problems found) printed as it is. Exit with `code` unless it is 0 (or 5, Quarto missing, when
    `missing_quarto_fails` is False: `notices build` carries on without the site)."""
    head, _, details = message.partition("\n")
    if details:
        console.print(details, markup=False, highlight=False, soft_wrap=True)
    if code == 0:
        console.print(head, style="green", markup=False, highlight=False, soft_wrap=True)
    elif code == 5 and not missing_quarto_fails:
        console.print(head, style="yellow", markup=False, highlight=False)
    else:
        fail(escape(head), code)


def check_rendered_site(site_dir: Path) -> None:
    """Check a rendered site and print what is wrong with it, grouped and counted (exit 1 if anything is)."""
    from analysis.site.check import check_site, report, site_files

    problems = check_site(site_dir)
    if problems:
        console.print(report(problems), markup=False, highlight=False, soft_wrap=True)
        fail(escape(f"{len(problems)} problem(s) in {site_dir}"))
    pages = sum(1 for rel in site_files(site_dir) if rel.endswith(".html"))
    console.print(f"{site_dir}: {pages} page(s) checked — offline, every internal link, listing item and search entry "
                  "resolves", style="green", markup=False, highlight=False, soft_wrap=True)
