"""Notebook runs: one notebook executed with papermill, in a worker process, into its page in reports/.

* A `NotebookRun` names the notebook, its output page, its (already checked) parameters, and the front
  matter that replaces the notebook's title cell (notice profiles).
* Runs execute in worker processes that die with the runner (analysis.build.pool); each writes to a
  hidden `.<name>.running.ipynb` beside its page and renames it into place when it has run.
* A failed notebook is kept in reports/_failed/ and reported, never published.
* Light on purpose (no polars, no charts): worker processes import this module and nothing heavier.
* Teaching notebooks (`soft`) never fail a run: their answers check themselves and show a failed check
  as a warning on the page (collected into the run's warnings); one that stops with an error is
  published with the answers it computed and a warning saying where it stopped.
"""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from analysis.build.pool import worker_pool
from analysis.config import Paths
from analysis.site.frontmatter import front_matter_text, markdown_literal

SELF_CHECK_KEY = "notices_self_check"  # output metadata of a teaching answer whose self-check failed (listed as warnings)


@dataclass(frozen=True)
class NotebookRun:
    """One execution of a notebook into one page."""

    notebook: str  # file name in notebooks/
    output: str  # path relative to reports/
    parameters: dict
    front_matter: dict | None = None  # replaces the notebook's title cell (profiles)
    data_key: str = ""  # fingerprint of the data the run reads
    soft: bool = False  # teaching notebooks: a failure becomes a warning on the page


@dataclass
class RunResult:
    """What one notebook run gave (returned by the worker)."""

    output: str
    ok: bool
    message: str = ""
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def execute_all(paths: Paths, todo: list[tuple[NotebookRun, str]], runs_at_once: int) -> Iterator[tuple[RunResult, NotebookRun, str]]:
    """Execute notebook runs (each with its fingerprint) in worker processes that die with this one; yield
    (result, run, fingerprint) as each finishes."""
    if not todo:
        return
    with worker_pool(max(1, min(runs_at_once, len(todo)))) as pool:
        futures = {pool.submit(execute_run, run, str(paths.root), str(paths.reports), str(paths.notebooks)): (run, key)
                   for run, key in todo}
        for future in as_completed(futures):
            run, key = futures[future]
            yield future.result(), run, key


def cells_ran(notebook: Path) -> bool:
    """Whether papermill executed any cell of a (partly) executed notebook."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return False
    return any(c.get("execution_count") for c in cells)


def self_check_warnings(nb, output: str) -> list[str]:
    """The failed self-checks a teaching notebook reported in its outputs' metadata, one line each."""
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            for message in out.get("metadata", {}).get(SELF_CHECK_KEY, {}).get("failed", []):
                found.append(f"{output}: self-check did not pass — {message}")
    return found


def error_message(exc: Exception) -> str:
    """One line for a failed execution: the cell's exception, or papermill's own error."""
    if getattr(exc, "ename", None):  # an error raised by a cell
        first = (str(exc.evalue).strip().splitlines() or [""])[0]
        return f"{exc.ename}: {first}"
    return f"{type(exc).__name__}: {(str(exc).strip().splitlines() or [''])[-1]}"


def incomplete_page(nb, source: Path, message: str):
    """A teaching notebook that stopped at an error, made publishable: the answers it computed, error outputs and
    papermill's error banners removed, and a warning saying where it stopped."""
    import nbformat

    if nb is None:
        nb = nbformat.read(str(source), as_version=4)
    nb.cells = [c for c in nb.cells if "papermill-error-cell-tag" not in c.get("metadata", {}).get("tags", [])]
    for cell in nb.cells:
        if cell.get("outputs"):
            cell.outputs = [o for o in cell.outputs if o.get("output_type") != "error"]
    warning = nbformat.v4.new_markdown_cell(
        "::: {.callout-warning}\n**This page is incomplete.** Its answers stopped at an error on the current corpus ("
        f"{markdown_literal(message)}); the exercises after that point show no answer. The build went on.\n:::")
    at = 1 if nb.cells and nb.cells[0].cell_type == "raw" else 0
    nb.cells.insert(at, warning)
    return nb


def execute_run(run: NotebookRun, root: str, reports: str, notebooks: str) -> RunResult:
    """Run one notebook with papermill (in a worker process) into its output; what happened."""
    import nbformat
    import papermill as pm

    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 2)  # kernels inherit stderr and chatter about transports; failures come back as exceptions
    started = time.perf_counter()
    target = Path(reports) / run.output
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.running.ipynb")
    source = Path(notebooks) / run.notebook
    warnings: list[str] = []
    try:
        for attempt in (1, 2):
            try:
                pm.execute_notebook(str(source), str(tmp), parameters=run.parameters, cwd=root,
                                    kernel_name="python3", progress_bar=False, log_output=False, report_mode=False)
                break
            except Exception as exc:  # noqa: BLE001
                # A kernel that fails to start (two kernels launched at once can race for the same ports) has run no
                # cell: try once more. An error raised by a cell is the notebook's own and is reported at once.
                if attempt == 2 or getattr(exc, "ename", None) or cells_ran(tmp):
                    raise
        nb = nbformat.read(str(tmp), as_version=4)
    except Exception as exc:  # noqa: BLE001 — reported per notebook, the others go on
        message = error_message(exc)
        if run.soft:
            partial = nbformat.read(str(tmp), as_version=4) if tmp.exists() else None
            nb = incomplete_page(partial, source, message)
            warnings.append(f"{run.output}: stopped at an error ({message}); published with the answers computed before it")
        else:
            failed = Path(reports) / "_failed" / run.output
            failed.parent.mkdir(parents=True, exist_ok=True)
            if tmp.exists():
                os.replace(tmp, failed)
            return RunResult(run.output, False, f"{message} (notebook kept in reports/_failed/{run.output})",
                             time.perf_counter() - started)
    if run.soft:
        warnings += self_check_warnings(nb, run.output)
    if run.front_matter is not None:
        cell = nbformat.v4.new_raw_cell(front_matter_text(run.front_matter))
        if nb.cells and nb.cells[0].cell_type == "raw":
            nb.cells[0] = cell
        else:
            nb.cells.insert(0, cell)
    nbformat.write(nb, str(tmp))
    os.replace(tmp, target)
    return RunResult(run.output, True, "", time.perf_counter() - started, warnings)
