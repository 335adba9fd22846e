"""The notebooks run: execute what changed into reports/, write the generated pages and the problems explorer's data
(`explorer.write_explorer_data`), keep the run ledger.

* A notebook run is skipped when its page exists and its fingerprint (`plan.run_key`) is the one the
  ledger, reports/.runs.json, recorded when the page was made.
* A run deletes nothing it was not asked to rebuild: profiles and slices made by earlier runs are kept
  (and listed when their data has changed since) unless `prune`, which lists what it removes.
* `run_named` runs one notebook with parameters (`notices notebooks NAME -p key=value`) into
  reports/_runs/, off the site; nothing else in reports/ is touched.
* Every notice's rows are written next to its page as CSV and JSON to download (`downloads`).
* A run holds the lock on data/; half-written pages of interrupted runs are removed first.
* A site page whose notebook failed is replaced by a placeholder page with its title and why it is missing
  (`placeholder_page`), so the navbar and the listings never point to a page that was not built; the failed
  notebook is in reports/_failed/ and the next run tries it again.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from analysis.build.files import atomic_write_bytes
from analysis.build.fingerprint import package_fingerprint
from analysis.build.lock import data_lock
from analysis.build.store import read_table
from analysis.config import Paths
from analysis.errors import ProjectError
from analysis.site.downloads import remove_downloads, write_downloads
from analysis.site.execution import NotebookRun, execute_all
from analysis.site.explorer import EXPLORER_PAGE, write_explorer_data
from analysis.site.frontmatter import front_matter_text, markdown_literal
from analysis.site.pages import write_generated_pages
from analysis.site.parameters import Vocabulary, check_parameters, parse_parameters, resolve_notebook
from analysis.site.plan import corpus_key, notice_keys, page_keys, plan_runs, profile_run, run_key, run_slug
from analysis.site.quarto import note_changes, write_assets

LEDGER = ".runs.json"
PAGE_LEDGER = ".pages.json"  # notice id → fingerprint of its page written from the tables (plan.page_keys)
RUNS = "_runs"  # named runs with parameters (underscore: Quarto does not render them)
NO_MANIFEST = "data/processed has no MANIFEST: run `notices build` first"


@dataclass
class RunReport:
    """What a notebooks run did."""

    executed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    generated_pages: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)  # notices' rows as CSV and JSON written (changed ones only)
    explorer_changed: bool = False  # the problems explorer's data was rewritten
    removed: list[str] = field(default_factory=list)  # pages deleted: --prune, or the other form of a page made now
    kept: list[str] = field(default_factory=list)  # pages of earlier runs this run did not make, left in place
    stale: dict[str, str] = field(default_factory=dict)  # kept page → why it is out of date
    warnings: list[str] = field(default_factory=list)  # teaching self-checks that failed, soft failures
    cleaned: list[str] = field(default_factory=list)  # leftovers of interrupted runs removed
    placeholders: list[str] = field(default_factory=list)  # pages written in place of failed ones (see placeholder_page)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per executed notebook
    seconds: float = 0.0


# --------------------------------------------------------------------------- the ledger


def read_ledger(reports: Path) -> dict[str, dict]:
    """What earlier runs executed: output → {key, notebook, parameters} (older ledgers held the key alone)."""
    path = reports / LEDGER
    try:
        raw = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except ValueError:
        return {}
    return {out: (entry if isinstance(entry, dict) else {"key": entry}) for out, entry in raw.items()}


def write_ledger(reports: Path, ledger: dict[str, dict]) -> None:
    """Write the ledger atomically (sorted, so it is byte-stable)."""
    atomic_write_bytes(reports / LEDGER, (json.dumps(ledger, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


def ledger_entry(run: NotebookRun, key: str) -> dict:
    """The ledger's record of an executed notebook run."""
    return {"key": key, "notebook": run.notebook, "parameters": run.parameters}


def plan_run(paths: Paths, profiles: str | list[str] = "auto", slices: list[dict] = (), force: bool = False,
             pages: bool = True, prune: bool = False
             ) -> tuple[list[NotebookRun], list[str], list[tuple[NotebookRun, str]], list[str]]:
    """(all notebook runs, notices with generated pages, runs to execute with their fingerprints, outputs that are up
    to date)."""
    runs, generated = plan_runs(paths, profiles, slices, pages, prune)
    ledger = read_ledger(paths.reports)
    code = package_fingerprint()
    todo, skipped = [], []
    for run in runs:
        key = run_key(run, paths.notebooks, code)
        if not force and ledger.get(run.output, {}).get("key") == key and (paths.reports / run.output).is_file():
            skipped.append(run.output)
        else:
            todo.append((run, key))
    return runs, generated, todo, sorted(skipped)


def remove_orphan_runs(reports: Path) -> list[str]:
    """Delete half-written notebooks of interrupted runs (.<name>.running.ipynb); one message each (the caller holds
    the lock, so no other run is writing them)."""
    messages = []
    for path in sorted(reports.rglob(".*.running.ipynb")) if reports.is_dir() else []:
        path.unlink(missing_ok=True)
        messages.append(f"removed {path.relative_to(reports).as_posix()}, left by an interrupted notebook run")
    return messages


# --------------------------------------------------------------------------- the run


def run_notebooks(paths: Paths, runs_at_once: int = 2, profiles: str | list[str] = "auto", slices: list[dict] = (),
                  force: bool = False, on_progress: Callable[[int, int, str], None] | None = None, pages: bool = True,
                  prune: bool = False, wait: bool = True) -> RunReport:
    """Execute what changed (`runs_at_once` notebook runs at once), write generated pages and shared assets, holding
    the lock on data/; return what was done.

    Pages of earlier runs that this run does not make (other slices and profiles, pages of notices no longer in the
    corpus) are kept and listed when out of date; `prune` removes them and lists them."""
    with data_lock(paths.root, "notebooks", wait=wait):
        return _run_notebooks(paths, runs_at_once, profiles, slices, force, on_progress, pages, prune)


def _run_notebooks(paths: Paths, runs_at_once: int, profiles: str | list[str], slices: list[dict], force: bool,
                   on_progress: Callable[[int, int, str], None] | None, pages: bool, prune: bool) -> RunReport:
    """The run itself (the caller holds the lock)."""
    started = time.perf_counter()
    report = RunReport()
    if not (paths.processed / "MANIFEST").is_file():
        raise ProjectError(NO_MANIFEST)
    report.cleaned = remove_orphan_runs(paths.reports)
    runs, generated, todo, skipped = plan_run(paths, profiles, slices, force, pages, prune)
    report.skipped = skipped
    ledger = read_ledger(paths.reports)
    total, done = len(runs), len(report.skipped)
    if on_progress:
        on_progress(done, total, "")
    for result, run, key in execute_all(paths, todo, runs_at_once):
        report.timings[result.output] = round(result.seconds, 3)
        report.warnings += result.warnings
        if result.ok:
            report.executed.append(result.output)
            if result.warnings and run.soft:
                ledger.pop(result.output, None)  # try again next time
            else:
                ledger[result.output] = ledger_entry(run, key)
        else:
            report.failed[result.output] = result.message
            ledger.pop(result.output, None)
            placeholder_page(paths, run, result.message)
            report.placeholders.append(result.output)
        done += 1
        if on_progress:
            on_progress(done, total, result.output)
        write_ledger(paths.reports, ledger)
    report.generated_pages = write_changed_pages(paths, generated)
    report.explorer_changed = write_explorer_data(paths)
    report.downloads = write_downloads(paths)
    planned = {run.output for run in runs} | {f"notices/{nid}.qmd" for nid in generated}
    report.removed = remove_other_forms(paths, {rel for rel in planned if (paths.reports / rel).is_file()}, ledger)
    leftovers = earlier_pages(paths, planned)
    if prune:
        report.removed += remove_pages(paths, leftovers, ledger)
        report.removed += remove_downloads(paths, set(read_table(paths.processed, "notices").get_column("notice_id").to_list()))
    else:
        report.kept = leftovers
        report.stale = stale_pages(paths, leftovers, ledger)
    write_ledger(paths.reports, ledger)
    note_changes(paths.reports, pages_to_render(paths, report), [rel for rel in report.removed if is_page(rel)])
    write_assets(paths)
    report.executed.sort()
    report.skipped.sort()
    report.seconds = time.perf_counter() - started
    return report


def is_page(rel: str) -> bool:
    """Whether a file of reports/ is a page Quarto renders (a notebook or a .qmd), not a download beside it."""
    return rel.endswith((".ipynb", ".qmd"))


def pages_to_render(paths: Paths, report: RunReport) -> list[str]:
    """The pages an incremental render must render after this run: those made, and those whose resources changed
    (a notice page whose downloads were rewritten, the explorer page when its data was)."""
    pages = set(report.executed + report.generated_pages + report.placeholders)
    for rel in report.downloads:
        notice_id = rel.split("/", 1)[1].split(".", 1)[0]
        pages |= {page for page in (f"notices/{notice_id}.ipynb", f"notices/{notice_id}.qmd")
                  if (paths.reports / page).is_file()}
    if report.explorer_changed and (paths.reports / EXPLORER_PAGE).is_file():
        pages.add(EXPLORER_PAGE)
    return sorted(pages)


def write_changed_pages(paths: Paths, generated: list[str]) -> list[str]:
    """Write the pages from the tables of the notices whose page fingerprint changed since it was last written (or
    whose page is missing); record the fingerprints in reports/.pages.json; the pages written."""
    keys = page_keys(paths.processed, package_fingerprint()) if generated else {}
    path = paths.reports / PAGE_LEDGER
    try:
        recorded = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except ValueError:
        recorded = {}
    todo = [nid for nid in generated
            if recorded.get(nid) != keys.get(nid) or not (paths.reports / "notices" / f"{nid}.qmd").is_file()]
    written = write_generated_pages(paths, todo)
    atomic_write_bytes(path, (json.dumps({nid: keys[nid] for nid in generated if nid in keys}, sort_keys=True, indent=0)
                              + "\n").encode("utf-8"))
    return written


# --------------------------------------------------------------------------- a page that could not be made


PLACEHOLDER_KEY = "notices_placeholder"  # notebook metadata of a placeholder page


def placeholder_page(paths: Paths, run: NotebookRun, message: str) -> Path:
    """Write, in place of a page whose notebook failed, a page with the notebook's title (its front matter) saying
    that the page could not be made and why; it is never recorded in the ledger, so the next run tries again."""
    import nbformat

    source = nbformat.read(str(paths.notebooks / run.notebook), as_version=4)
    head = source.cells[0] if source.cells and source.cells[0].cell_type == "raw" else None
    front = (front_matter_text(run.front_matter) if run.front_matter is not None
             else head.source if head is not None else '---\ntitle: "' + run.output.rsplit("/", 1)[-1].split(".")[0] + '"\n---')
    nb = nbformat.v4.new_notebook()
    nb.metadata[PLACEHOLDER_KEY] = {"notebook": run.notebook, "error": message}
    nb.cells = [nbformat.v4.new_raw_cell(front), nbformat.v4.new_markdown_cell(
        "::: {.callout-warning}\n**This page could not be made from the current corpus.** Its notebook, "
        f"`{run.notebook}`, stopped with an error: {markdown_literal(message)}\n\nThe rest of the site was built; the "
        "next `notices notebooks` (or `notices build`) runs this notebook again.\n:::")]
    target = paths.reports / run.output
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, nbformat.writes(nb).encode("utf-8"))
    return target


# --------------------------------------------------------------------------- pages of earlier runs


def page_files(paths: Paths) -> list[str]:
    """Executed or generated pages under reports/notices and reports/slices (listing pages excepted)."""
    found = []
    for folder in ("notices", "slices"):
        base = paths.reports / folder
        for path in sorted(base.rglob("*")) if base.is_dir() else []:
            if path.is_file() and path.suffix in (".ipynb", ".qmd") and path.name != "index.qmd" and not path.name.startswith("."):
                found.append(path.relative_to(paths.reports).as_posix())
    return found


def remove_other_forms(paths: Paths, made: set[str], ledger: dict) -> list[str]:
    """Delete the other form of a notice page made now (x.qmd when x.ipynb was executed, and the reverse): both would
    render to the same page."""
    removed = []
    for rel in made:
        if rel.startswith("notices/"):
            other = str(Path(rel).with_suffix(".qmd" if rel.endswith(".ipynb") else ".ipynb").as_posix())
            if other not in made and (paths.reports / other).is_file():
                removed += remove_pages(paths, [other], ledger)
    return sorted(removed)


def earlier_pages(paths: Paths, made: set[str]) -> list[str]:
    """Pages under notices/ and slices/ that this run did not make (earlier slices and profiles, removed notices)."""
    return [rel for rel in page_files(paths) if rel not in made]


def remove_pages(paths: Paths, pages: list[str], ledger: dict) -> list[str]:
    """Delete pages (and folders left empty under slices/); the pages removed."""
    for rel in pages:
        path = paths.reports / rel
        path.unlink(missing_ok=True)
        ledger.pop(rel, None)
        parent = path.parent
        while parent != paths.reports and parent.parent != paths.reports and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return list(pages)


def stale_pages(paths: Paths, kept: list[str], ledger: dict) -> dict[str, str]:
    """Kept pages whose inputs have changed since they were made, with why (their notice or slice is gone, or the data
    or code they were made from changed)."""
    if not kept:
        return {}
    notices = read_table(paths.processed, "notices")
    vocabulary = Vocabulary.of(notices)
    by_id = {r["notice_id"]: r for r in notices.iter_rows(named=True)}
    code, corpus = package_fingerprint(), corpus_key(paths.processed)
    keys = notice_keys(paths.processed)
    stale = {}
    for rel in kept:
        entry = ledger.get(rel, {})
        if rel.startswith("notices/"):
            nid = Path(rel).stem
            if nid not in by_id:
                stale[rel] = "its notice is no longer in the corpus"
            elif rel.endswith(".ipynb") and entry.get("key") != run_key(profile_run(by_id[nid], keys[nid]), paths.notebooks, code):
                stale[rel] = "made from older data or code"
            continue
        try:
            run = NotebookRun(entry["notebook"], rel, entry["parameters"], None, corpus)
            check_parameters(paths.notebooks / run.notebook, run.parameters, vocabulary)
        except (KeyError, TypeError, ProjectError, OSError):
            stale[rel] = "its slice is no longer in the corpus (or was made by an older version)"
            continue
        if entry.get("key") != run_key(run, paths.notebooks, code):
            stale[rel] = "made from older data or code"
    return stale


# --------------------------------------------------------------------------- one notebook with parameters


def run_named(paths: Paths, name: str, parameter_texts: list[str], wait: bool = True) -> tuple[RunReport, str]:
    """Execute one notebook with `key=value` parameters (checked like every other run) into reports/_runs/<stem>/;
    (what happened, the output path relative to reports/). Nothing else in reports/ is touched."""
    notebook = resolve_notebook(paths.notebooks, name)
    parameters = parse_parameters(paths.notebooks / notebook, parameter_texts)
    with data_lock(paths.root, "notebooks", wait=wait):
        if not (paths.processed / "MANIFEST").is_file():
            raise ProjectError(NO_MANIFEST)
        notices = read_table(paths.processed, "notices")
        check_parameters(paths.notebooks / notebook, parameters, Vocabulary.of(notices))
        output = f"{RUNS}/{notebook[: -len('.ipynb')]}/{run_slug(parameters, notices)}.ipynb"
        report = RunReport()
        started = time.perf_counter()
        for result, _, _ in execute_all(paths, [(NotebookRun(notebook, output, parameters), "")], 1):
            report.timings[output] = round(result.seconds, 3)
            report.warnings += result.warnings
            if result.ok:
                report.executed.append(output)
            else:
                report.failed[output] = result.message
        report.seconds = time.perf_counter() - started
    return report, output
