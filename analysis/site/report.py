"""Reports: run the notebooks with papermill into reports/, write the site's generated pages, render with Quarto.

* Jobs: the corpus-level notebooks, one profile per notice (by default when the corpus has at most
  `PROFILE_LIMIT` notices — beyond that, per-notice pages are generated from the tables without a
  kernel, see `notice_page`), and slices asked for on the command line. `run_named` runs one
  notebook with parameters (`notices notebooks NAME -p key=value`) into reports/_runs/, off the site.
* Parameters are checked before anything runs: names must be parameters the notebook declares
  (papermill pastes names into code unescaped — raw `papermill -p` runs a crafted name as code),
  values must be known notice ids, provinces, genres, years or graphs of the expected type.
* Every notice-derived string that reaches Quarto metadata (front matter: title, description,
  categories) is written as one line of double-quoted YAML whose text is Markdown-literal
  (`markdown_literal`): Pandoc reads metadata strings as Markdown (DESIGN §7), so `<`, `>` and `&`
  become entities and every other ASCII punctuation mark is backslash-escaped — no HTML, shortcode,
  link, math, citation or smart quote can arise, and the reader sees the title as written.
* A job is skipped when its output exists and the fingerprint of its inputs — notebook source,
  parameters, the package's code, and the data it reads (per notice for profiles) — is unchanged.
* A run deletes nothing it was not asked to rebuild: profiles and slices made by earlier runs are
  kept (and listed when their data has changed since) unless `prune`, which lists what it removes.
* Teaching notebooks never fail a run: their answers check themselves and show a failed check as a
  warning on the page (collected into the run's warnings); one that stops with an error is
  published with the answers it computed and a warning saying where it stopped.
* Jobs run in worker processes that die with the runner (analysis.build.pool); a failed notebook is
  kept in reports/_failed/ and reported, never published. A run holds the lock on data/.
"""

from __future__ import annotations

import ast
import hashlib
import json
import keyword
import os
import re
import shutil
import string
import subprocess
import time
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import polars as pl

from analysis.config import Paths
from analysis.errors import ProjectError
from analysis.build.files import atomic_write_bytes
from analysis.build.lock import data_lock
from analysis.contract.values import GRAPH_NAMES
from analysis.contract.values import GENRE_VALUES
from analysis.build.store import read_table
from analysis.build.pool import worker_pool

PROFILE_LIMIT = 200
LEDGER = ".runs.json"
RUNS = "_runs"  # named runs with parameters (underscore: Quarto does not render them)
SELF_CHECK_KEY = "notices_self_check"  # output metadata of a teaching answer whose self-check failed
PAGES: tuple[tuple[str, str, bool], ...] = (
    # (notebook, output page, soft: a failure is a warning on the page, never a failed run)
    ("00_home.ipynb", "index.ipynb", False),
    ("01_corpus_overview.ipynb", "overview.ipynb", False),
    ("02_indicators.ipynb", "indicators.ipynb", False),
    ("03_network.ipynb", "network.ipynb", False),
    ("05_methods.ipynb", "methods.ipynb", False),
    ("teaching_01_reading_a_notice.ipynb", "teaching/reading-a-notice.ipynb", True),
    ("teaching_02_who_works_with_whom.ipynb", "teaching/who-works-with-whom.ipynb", True),
)
PROFILE_NOTEBOOK = "04_notice_profile.ipynb"
SLICE_NOTEBOOKS = ("01_corpus_overview.ipynb", "02_indicators.ipynb", "03_network.ipynb")
GENRE_LABELS = {"party_inspection": "Party inspection", "environmental_inspection": "Environmental inspection",
                "audit": "Audit", "other": "Other"}


class ParameterError(ProjectError):
    """A notebook parameter is unknown, unsafe, or has a value the corpus does not know."""


@dataclass(frozen=True)
class Job:
    """One notebook execution."""

    notebook: str  # file name in notebooks/
    output: str  # path relative to reports/
    parameters: dict
    front_matter: dict | None = None  # replaces the notebook's title cell (profiles)
    data_key: str = ""
    soft: bool = False  # teaching notebooks: a failure becomes a warning on the page


@dataclass
class JobResult:
    """What one execution gave (returned by the worker)."""

    output: str
    ok: bool
    message: str = ""
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


@dataclass
class RunReport:
    """What a notebooks run did."""

    executed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    generated_pages: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # pages deleted: --prune, or the other form of a page made now
    kept: list[str] = field(default_factory=list)  # pages of earlier runs this run did not make, left in place
    stale: dict[str, str] = field(default_factory=dict)  # kept page → why it is out of date
    warnings: list[str] = field(default_factory=list)  # teaching self-checks that failed, soft failures
    cleaned: list[str] = field(default_factory=list)  # leftovers of interrupted runs removed
    timings: dict[str, float] = field(default_factory=dict)  # seconds per executed notebook
    seconds: float = 0.0


# --------------------------------------------------------------------------- parameters


def declared_parameters(notebook: Path) -> dict[str, object]:
    """Names and default values assigned in the notebook's cell tagged `parameters`."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse("".join(cell["source"]))
            found = {}
            for node in tree.body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    found[node.targets[0].id] = ast.literal_eval(node.value)
            return found
    raise ParameterError(f"{notebook.name} has no cell tagged 'parameters'")


@dataclass(frozen=True)
class Vocabulary:
    """The values the corpus knows, for validating parameters."""

    notice_ids: frozenset
    provinces: frozenset
    years: frozenset

    @classmethod
    def of(cls, notices: pl.DataFrame) -> "Vocabulary":
        """From the notices table."""
        return cls(frozenset(notices.get_column("notice_id").to_list()),
                   frozenset(notices.get_column("province").drop_nulls().to_list()),
                   frozenset(notices.get_column("signature_date").drop_nulls().dt.year().to_list()))


def check_name(notebook: Path, name: object, declared: dict[str, object]) -> str:
    """A parameter name if it is a plain identifier the notebook declares; else ParameterError (names become code)."""
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise ParameterError(f"parameter name {name!r} is not a plain identifier; refused (names are pasted into code)")
    if name not in declared:
        raise ParameterError(f"{notebook.name} has no parameter {name!r}; its parameters are {', '.join(declared)}")
    return name


def check_parameters(notebook: Path, parameters: dict, vocabulary: Vocabulary) -> dict:
    """The parameters if every name is declared by the notebook and every value is known; else ParameterError."""
    declared = declared_parameters(notebook)
    for name, value in parameters.items():
        check_name(notebook, name, declared)
        if value is None:
            continue
        if name == "notice_id" and (not isinstance(value, str) or value not in vocabulary.notice_ids):
            raise ParameterError(f"unknown notice id {value!r}")
        if name == "province" and (not isinstance(value, str) or value not in vocabulary.provinces):
            raise ParameterError(f"province {value!r} is not in the corpus ({', '.join(sorted(vocabulary.provinces))})")
        if name == "genre" and value not in GENRE_VALUES:
            raise ParameterError(f"genre {value!r} is not one of {', '.join(GENRE_VALUES)}")
        if name == "year" and (not isinstance(value, int) or isinstance(value, bool) or value not in vocabulary.years):
            raise ParameterError(f"year {value!r} is not a signature year of the corpus ({', '.join(map(str, sorted(vocabulary.years)))})")
        if name == "graph" and value not in GRAPH_NAMES:
            raise ParameterError(f"graph {value!r} is not one of {', '.join(GRAPH_NAMES)}")
        if name == "root":
            raise ParameterError("root is set by the runner, not on the command line")
        default = declared[name]
        if default is not None and type(value) is not type(default):
            raise ParameterError(f"parameter {name} must be {type(default).__name__}, not {type(value).__name__}")
    return parameters


INT_PARAMETERS = ("year",)


def typed_value(name: str, raw: str, default: object) -> object:
    """A command-line value converted to the type of the parameter's default (year: a whole number; else text)."""
    if isinstance(default, bool):
        if raw.lower() not in ("true", "false"):
            raise ParameterError(f"parameter {name} is true or false, not {raw!r}")
        return raw.lower() == "true"
    if isinstance(default, int) or name in INT_PARAMETERS:
        if not re.fullmatch(r"-?\d+", raw.strip()):
            raise ParameterError(f"parameter {name} must be a whole number, not {raw!r}")
        return int(raw)
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError as exc:
            raise ParameterError(f"parameter {name} must be a number, not {raw!r}") from exc
    return raw


def parse_parameters(notebook: Path, texts: list[str]) -> dict:
    """`key=value` arguments → typed parameters; names are checked against the notebook before anything else."""
    declared = declared_parameters(notebook)
    parameters: dict = {}
    for text in texts:
        if "=" not in text:
            raise ParameterError(f"a parameter is key=value, not {text!r}")
        name, raw = text.split("=", 1)
        name = check_name(notebook, name.strip(), declared)
        if name == "root":
            raise ParameterError("root is set by the runner, not on the command line")
        parameters[name] = typed_value(name, raw.strip(), declared[name])
    return parameters


def resolve_notebook(notebooks: Path, name: str) -> str:
    """The notebook file a command-line name means: its file name, its stem, or a unique start of its stem."""
    names = sorted(p.name for p in notebooks.glob("*.ipynb"))
    stems = {n[: -len(".ipynb")]: n for n in names}
    if name in names:
        return name
    if name in stems:
        return stems[name]
    matches = [n for stem, n in stems.items() if stem.startswith(name)] if name else []
    if len(matches) == 1:
        return matches[0]
    listing = ", ".join(stems) or "none"
    if matches:
        raise ParameterError(f"{name!r} could be {', '.join(m[:-6] for m in matches)}; say which (notebooks: {listing})")
    raise ParameterError(f"no notebook {name!r} in {notebooks.name}/ (notebooks: {listing})")


def run_slug(parameters: dict, notices: pl.DataFrame) -> str:
    """A file-system-safe name for a set of parameters (provinces by division code, other unsafe values by hash)."""
    parts = []
    for key in sorted(parameters):
        value = parameters[key]
        if key == "province" and isinstance(value, str):
            value = slice_slug({"province": value}, notices).split("-", 1)[1]
        text = str(value)
        if not re.fullmatch(r"[A-Za-z0-9._-]{1,60}", text):
            text = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
        parts.append(f"{key}-{text}")
    return "_".join(parts) or "defaults"


def parse_slice(text: str) -> dict:
    """'province=山东省' / 'genre=audit' / 'year=2024' → a parameter dict (values checked later)."""
    if "=" not in text:
        raise ParameterError(f"a slice is key=value (province=…, genre=…, year=…), not {text!r}")
    key, value = (part.strip() for part in text.split("=", 1))
    if key not in ("province", "genre", "year"):
        raise ParameterError(f"slices are by province, genre or year, not {key!r}")
    if key == "year":
        if not value.isdigit():
            raise ParameterError(f"year must be a number, not {value!r}")
        return {key: int(value)}
    return {key: value}


def slice_slug(parameters: dict, notices: pl.DataFrame) -> str:
    """A file-system-safe folder name for a slice (provinces by division code)."""
    parts = []
    for key in ("province", "genre", "year"):
        if key in parameters:
            value = parameters[key]
            if key == "province":
                codes = notices.filter(pl.col("province") == value).get_column("province_code").drop_nulls()
                value = codes[0] if len(codes) else "unknown"
            parts.append(f"{key}-{value}")
    return "_".join(parts)


# --------------------------------------------------------------------------- fingerprints


def code_key(root: Path) -> str:
    """Hash of the package's code (a change re-runs the notebooks)."""
    digest = hashlib.sha256()
    for path in sorted((root / "analysis").rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def corpus_key(processed: Path) -> str:
    """Hash of every processed output (from MANIFEST)."""
    manifest = json.loads((processed / "MANIFEST").read_text(encoding="utf-8"))
    return hashlib.sha256(json.dumps(manifest["outputs"], sort_keys=True).encode()).hexdigest()


NOTICE_TABLES = ("notices", "notice_fields", "outline", "problems", "measures", "documents", "agencies", "dates", "figures")


def notice_keys(processed: Path) -> dict[str, str]:
    """Hash of each notice's own rows in every table and of its text (what its profile reads)."""
    digests: dict[str, hashlib._Hash] = {}
    for name in NOTICE_TABLES:
        df = read_table(processed, name)
        for (nid,), part in sorted(df.partition_by("notice_id", as_dict=True, maintain_order=True).items()):
            digests.setdefault(nid, hashlib.sha256()).update(name.encode() + part.write_csv().encode("utf-8"))
    for nid, digest in digests.items():
        digest.update((processed / "text" / f"{nid}.txt").read_bytes())
    return {nid: digest.hexdigest() for nid, digest in sorted(digests.items())}


def job_key(job: Job, notebooks: Path, code: str) -> str:
    """Fingerprint of a job's inputs."""
    digest = hashlib.sha256((notebooks / job.notebook).read_bytes())
    digest.update(json.dumps(job.parameters, sort_keys=True, ensure_ascii=False).encode())
    digest.update(json.dumps(job.front_matter, sort_keys=True, ensure_ascii=False, default=str).encode())
    digest.update(code.encode())
    digest.update(job.data_key.encode())
    return digest.hexdigest()


# --------------------------------------------------------------------------- jobs


MARKDOWN_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
ASCII_PUNCTUATION = frozenset(string.punctuation)
TEXT_FIELDS = ("title", "subtitle", "description", "categories")  # front-matter fields read as Markdown


def one_line(text: str) -> str:
    """Text on one line: control and format characters (bidi overrides, zero-width) dropped, whitespace runs → one space."""
    kept = "".join(c if c.isprintable() or c.isspace() else " " for c in text)
    return " ".join(kept.split())


def markdown_literal(text: str) -> str:
    """Markdown that Pandoc and Quarto show exactly as `text` (on one line): `<`, `>`, `&` as entities and every other
    ASCII punctuation mark backslash-escaped, so no HTML, shortcode ({{< >}}), link, code, math, citation or smart
    quote can arise from it."""
    return "".join(MARKDOWN_ENTITIES.get(c) or (f"\\{c}" if c in ASCII_PUNCTUATION else c) for c in one_line(text))


ENTITY_TEXT = {v: k for k, v in MARKDOWN_ENTITIES.items()}
LITERAL_RE = re.compile(r"&lt;|&gt;|&amp;|\\(.)")


def markdown_text(literal: str) -> str:
    """What a reader sees of a `markdown_literal` string (its inverse: entities and backslash escapes undone)."""
    return LITERAL_RE.sub(lambda m: ENTITY_TEXT.get(m.group(0)) or m.group(1), literal)


def front_matter_value(key: str, value: object) -> object:
    """A front-matter value made safe: text fields Markdown-literal (lists item by item), other values as they are."""
    if key in TEXT_FIELDS:
        if isinstance(value, (list, tuple)):
            return [markdown_literal(str(v)) for v in value]
        return markdown_literal(str(value))
    return value


def front_matter_text(front_matter: dict) -> str:
    """YAML front matter between --- lines: one `key: value` line per field, every string double-quoted (JSON syntax,
    which YAML reads as it is), text fields Markdown-literal; None values are left out."""
    lines = []
    for key, value in front_matter.items():
        if value is None:
            continue
        if not re.fullmatch(r"[a-z][a-z0-9_-]*", key):
            raise ValueError(f"front-matter key {key!r} is not a plain lower-case name")
        lines.append(f"{key}: {json.dumps(front_matter_value(key, value), ensure_ascii=False)}")
    return "---\n" + "\n".join(lines) + "\n---"


def profile_front_matter(notice: dict) -> dict:
    """Title, date, categories and description of a notice's page (for the listing; made safe by `front_matter_text`)."""
    signed = notice["signature_date"]
    title = notice["title"] or f"{notice['organisation'] or notice['notice_id']}：整改情况"
    return {
        "title": title,
        "date": signed.isoformat() if signed else None,
        "categories": [c for c in (notice["province"], GENRE_LABELS.get(notice["genre"], notice["genre"]),
                                   str(signed.year) if signed else None) if c],
        "description": f"{notice['organisation'] or ''} · {notice['problems_parsed']} problems · "
                       f"{notice['measures_parsed']} measures · {notice['notice_id']}",
    }


def plan_jobs(paths: Paths, profiles: str | list[str] = "auto", slices: list[dict] = (), pages: bool = True,
              prune: bool = False) -> tuple[list[Job], list[str]]:
    """(jobs to run, notice ids whose pages are generated without a kernel); `pages=False` leaves out the corpus pages.

    A notice keeps a profile executed by an earlier run (no page is generated over it) unless `prune`."""
    missing = [nb for nb in [p[0] for p in PAGES] + [PROFILE_NOTEBOOK] if not (paths.notebooks / nb).is_file()]
    if missing:
        raise ProjectError(f"notebook(s) missing from {paths.notebooks.name}/: {', '.join(missing)}")
    notices = read_table(paths.processed, "notices")
    vocabulary = Vocabulary.of(notices)
    corpus = corpus_key(paths.processed)
    jobs = [Job(nb, out, {}, None, corpus, soft) for nb, out, soft in PAGES] if pages else []
    ids = sorted(vocabulary.notice_ids)
    chosen = chosen_profiles(profiles, ids, vocabulary)
    keys = notice_keys(paths.processed) if chosen else {}
    by_id = {r["notice_id"]: r for r in notices.iter_rows(named=True)}
    for nid in chosen:
        jobs.append(profile_job(by_id[nid], keys[nid]))
    for parameters in slices:
        jobs += slice_jobs(paths, parameters, notices, vocabulary, corpus)
    for job in jobs:
        check_parameters(paths.notebooks / job.notebook, job.parameters, vocabulary)
    executed = {nid for nid in ids if (paths.reports / "notices" / f"{nid}.ipynb").is_file()}
    generated = [nid for nid in ids if nid not in set(chosen) and (prune or nid not in executed)]
    return jobs, generated


def chosen_profiles(profiles: str | list[str], ids: list[str], vocabulary: Vocabulary) -> list[str]:
    """The notices whose profile notebook a run executes: auto (all up to PROFILE_LIMIT notices), all, none, or a list."""
    if profiles == "auto":
        return ids if len(ids) <= PROFILE_LIMIT else []
    if profiles == "all":
        return ids
    if profiles == "none":
        return []
    chosen = list(profiles)
    unknown = sorted(set(chosen) - vocabulary.notice_ids)
    if unknown:
        raise ParameterError(f"unknown notice id(s) {', '.join(unknown)}")
    return chosen


def profile_job(notice: dict, data_key: str) -> Job:
    """The execution of one notice's profile page."""
    nid = notice["notice_id"]
    return Job(PROFILE_NOTEBOOK, f"notices/{nid}.ipynb", {"notice_id": nid}, profile_front_matter(notice), data_key)


def slice_jobs(paths: Paths, parameters: dict, notices: pl.DataFrame, vocabulary: Vocabulary, corpus: str) -> list[Job]:
    """The corpus notebooks run for one slice, into slices/<slug>/."""
    check_parameters(paths.notebooks / SLICE_NOTEBOOKS[0], parameters, vocabulary)
    slug = slice_slug(parameters, notices)
    return [Job(nb, f"slices/{slug}/{nb.split('_', 1)[1]}", dict(parameters), None, corpus) for nb in SLICE_NOTEBOOKS]


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


def execute_job(job: Job, root: str, reports: str, notebooks: str) -> JobResult:
    """Run one notebook with papermill (in a worker process) into its output; what happened."""
    import nbformat
    import papermill as pm

    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 2)  # kernels inherit stderr and chatter about transports; failures come back as exceptions
    started = time.perf_counter()
    target = Path(reports) / job.output
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.running.ipynb")
    source = Path(notebooks) / job.notebook
    warnings: list[str] = []
    try:
        for attempt in (1, 2):
            try:
                pm.execute_notebook(str(source), str(tmp), parameters=job.parameters, cwd=root,
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
        if job.soft:
            partial = nbformat.read(str(tmp), as_version=4) if tmp.exists() else None
            nb = incomplete_page(partial, source, message)
            warnings.append(f"{job.output}: stopped at an error ({message}); published with the answers computed before it")
        else:
            failed = Path(reports) / "_failed" / job.output
            failed.parent.mkdir(parents=True, exist_ok=True)
            if tmp.exists():
                os.replace(tmp, failed)
            return JobResult(job.output, False, f"{message} (notebook kept in reports/_failed/{job.output})",
                             time.perf_counter() - started)
    if job.soft:
        warnings += self_check_warnings(nb, job.output)
    if job.front_matter is not None:
        cell = nbformat.v4.new_raw_cell(front_matter_text(job.front_matter))
        if nb.cells and nb.cells[0].cell_type == "raw":
            nb.cells[0] = cell
        else:
            nb.cells.insert(0, cell)
    nbformat.write(nb, str(tmp))
    os.replace(tmp, target)
    return JobResult(job.output, True, "", time.perf_counter() - started, warnings)


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


def ledger_entry(job: Job, key: str) -> dict:
    """The ledger's record of an executed job."""
    return {"key": key, "notebook": job.notebook, "parameters": job.parameters}


def plan_run(paths: Paths, profiles: str | list[str] = "auto", slices: list[dict] = (), force: bool = False,
             pages: bool = True, prune: bool = False) -> tuple[list[Job], list[str], list[tuple[Job, str]], list[str]]:
    """(all jobs, notices with generated pages, jobs to execute with their keys, outputs that are up to date)."""
    jobs, generated = plan_jobs(paths, profiles, slices, pages, prune)
    ledger = read_ledger(paths.reports)
    code = code_key(paths.root)
    todo, skipped = [], []
    for job in jobs:
        key = job_key(job, paths.notebooks, code)
        if not force and ledger.get(job.output, {}).get("key") == key and (paths.reports / job.output).is_file():
            skipped.append(job.output)
        else:
            todo.append((job, key))
    return jobs, generated, todo, sorted(skipped)


def remove_orphan_runs(reports: Path) -> list[str]:
    """Delete half-written notebooks of interrupted runs (.<name>.running.ipynb); one message each (the caller holds
    the lock, so no other run is writing them)."""
    messages = []
    for path in sorted(reports.rglob(".*.running.ipynb")) if reports.is_dir() else []:
        path.unlink(missing_ok=True)
        messages.append(f"removed {path.relative_to(reports).as_posix()}, left by an interrupted notebook run")
    return messages


def run_notebooks(paths: Paths, jobs_count: int = 2, profiles: str | list[str] = "auto", slices: list[dict] = (),
                  force: bool = False, on_progress: Callable[[int, int, str], None] | None = None, pages: bool = True,
                  prune: bool = False, wait: bool = True) -> RunReport:
    """Execute what changed, write generated pages and shared assets, holding the lock on data/; return what was done.

    Pages of earlier runs that this run does not make (other slices and profiles, pages of notices no longer in the
    corpus) are kept and listed when out of date; `prune` removes them and lists them."""
    with data_lock(paths.root, "notebooks", wait=wait):
        return _run_notebooks(paths, jobs_count, profiles, slices, force, on_progress, pages, prune)


def _run_notebooks(paths: Paths, jobs_count: int, profiles: str | list[str], slices: list[dict], force: bool,
                   on_progress: Callable[[int, int, str], None] | None, pages: bool, prune: bool) -> RunReport:
    """The run itself (the caller holds the lock)."""
    started = time.perf_counter()
    report = RunReport()
    if not (paths.processed / "MANIFEST").is_file():
        raise ProjectError("data/processed has no MANIFEST: run `notices build` first")
    report.cleaned = remove_orphan_runs(paths.reports)
    jobs, generated, todo, skipped = plan_run(paths, profiles, slices, force, pages, prune)
    report.skipped = skipped
    ledger = read_ledger(paths.reports)
    total, done = len(jobs), len(report.skipped)
    if on_progress:
        on_progress(done, total, "")
    for result, job, key in execute_all(paths, todo, jobs_count):
        report.timings[result.output] = round(result.seconds, 3)
        report.warnings += result.warnings
        if result.ok:
            report.executed.append(result.output)
            if result.warnings and job.soft:
                ledger.pop(result.output, None)  # try again next time
            else:
                ledger[result.output] = ledger_entry(job, key)
        else:
            report.failed[result.output] = result.message
            ledger.pop(result.output, None)
        done += 1
        if on_progress:
            on_progress(done, total, result.output)
        write_ledger(paths.reports, ledger)
    report.generated_pages = write_generated_pages(paths, generated)
    planned = {job.output for job in jobs} | {f"notices/{nid}.qmd" for nid in generated}
    report.removed = remove_other_forms(paths, {rel for rel in planned if (paths.reports / rel).is_file()}, ledger)
    leftovers = earlier_pages(paths, planned)
    if prune:
        report.removed += remove_pages(paths, leftovers, ledger)
    else:
        report.kept = leftovers
        report.stale = stale_pages(paths, leftovers, ledger)
    write_ledger(paths.reports, ledger)
    write_assets(paths)
    report.executed.sort()
    report.skipped.sort()
    report.seconds = time.perf_counter() - started
    return report


def execute_all(paths: Paths, todo: list[tuple[Job, str]], jobs_count: int):
    """Execute jobs in worker processes that die with this one; yield (result, job, key) as each finishes."""
    if not todo:
        return
    with worker_pool(max(1, min(jobs_count, len(todo)))) as pool:
        futures = {pool.submit(execute_job, job, str(paths.root), str(paths.reports), str(paths.notebooks)): (job, key)
                   for job, key in todo}
        for future in as_completed(futures):
            job, key = futures[future]
            yield future.result(), job, key


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
    code, corpus = code_key(paths.root), corpus_key(paths.processed)
    keys = notice_keys(paths.processed)
    stale = {}
    for rel in kept:
        entry = ledger.get(rel, {})
        if rel.startswith("notices/"):
            nid = Path(rel).stem
            if nid not in by_id:
                stale[rel] = "its notice is no longer in the corpus"
            elif rel.endswith(".ipynb") and entry.get("key") != job_key(profile_job(by_id[nid], keys[nid]), paths.notebooks, code):
                stale[rel] = "made from older data or code"
            continue
        try:
            job = Job(entry["notebook"], rel, entry["parameters"], None, corpus)
            check_parameters(paths.notebooks / job.notebook, job.parameters, vocabulary)
        except (KeyError, TypeError, ProjectError, OSError):
            stale[rel] = "its slice is no longer in the corpus (or was made by an older version)"
            continue
        if entry.get("key") != job_key(job, paths.notebooks, code):
            stale[rel] = "made from older data or code"
    return stale


def run_named(paths: Paths, name: str, parameter_texts: list[str], wait: bool = True) -> tuple[RunReport, str]:
    """Execute one notebook with `key=value` parameters (checked like every other run) into reports/_runs/<stem>/;
    (what happened, the output path relative to reports/). Nothing else in reports/ is touched."""
    notebook = resolve_notebook(paths.notebooks, name)
    parameters = parse_parameters(paths.notebooks / notebook, parameter_texts)
    with data_lock(paths.root, "notebooks", wait=wait):
        if not (paths.processed / "MANIFEST").is_file():
            raise ProjectError("data/processed has no MANIFEST: run `notices build` first")
        notices = read_table(paths.processed, "notices")
        check_parameters(paths.notebooks / notebook, parameters, Vocabulary.of(notices))
        output = f"{RUNS}/{notebook[: -len('.ipynb')]}/{run_slug(parameters, notices)}.ipynb"
        report = RunReport()
        started = time.perf_counter()
        for result, _, _ in execute_all(paths, [(Job(notebook, output, parameters), "")], 1):
            report.timings[output] = round(result.seconds, 3)
            report.warnings += result.warnings
            if result.ok:
                report.executed.append(output)
            else:
                report.failed[output] = result.message
        report.seconds = time.perf_counter() - started
    return report, output


# --------------------------------------------------------------------------- pages without a kernel


def notice_page(tables: dict[str, pl.DataFrame], notice: dict, text: str) -> str:
    """A notice's page written straight from its rows of the tables (used when its profile notebook is not executed)."""
    from analysis.site.charts import OfflineChart, timeline_chart
    from analysis.site.views import cell, highlighted_text, notice_spans, table_markdown

    nid = notice["notice_id"]
    front = front_matter_text(profile_front_matter(notice)) + "\n\n"

    def rows(name: str) -> pl.DataFrame:
        return tables[name].sort("start") if "start" in tables[name].columns else tables[name]

    parts = [front,
             f"`{nid}` · {cell(notice['organisation'])} · {cell(notice['province'])} {cell(notice['city'])} · "
             f"signed {cell(notice['signature_date'])} · *page generated from the tables (no notebook run)*\n",
             "## Metadata\n", table_markdown(rows("notice_fields").select("field", "value", "method").sort("field"), limit=80),
             "## Problems\n", table_markdown(rows("problems"), ["path", "label", "title", "status", "measures", "planned"], rows=500, limit=90),
             "## Documents\n", table_markdown(rows("documents"), ["title", "canonical_title", "doc_type", "relation", "confidence"], rows=500, limit=70),
             "## Dates\n",
             OfflineChart(timeline_chart(rows("dates"), {"inspection ends": notice["inspection_end"],
                                                         "feedback": notice["feedback_date"], "signed": notice["signature_date"]})).markdown(),
             "## Text\n", highlighted_text(text, notice_spans(tables, nid)).text]
    return "\n".join(parts)


def write_generated_pages(paths: Paths, notice_ids: list[str]) -> list[str]:
    """Write reports/notices/<id>.qmd for notices without an executed profile (only where the content changed)."""
    if not notice_ids:
        return []
    from analysis.build.store import notice_text

    names = ("notices", "notice_fields", "problems", "documents", "agencies", "dates", "figures")
    wanted = sorted(set(notice_ids))
    tables = {name: read_table(paths.processed, name).filter(pl.col("notice_id").is_in(wanted)) for name in names}
    by_id = {r["notice_id"]: r for r in tables["notices"].iter_rows(named=True)}
    parts = {name: tables[name].partition_by("notice_id", as_dict=True, maintain_order=True) for name in names}
    written = []
    for nid in notice_ids:
        target = paths.reports / "notices" / f"{nid}.qmd"
        mine = {name: parts[name].get((nid,), tables[name].clear()) for name in names}
        content = notice_page(mine, by_id[nid], notice_text(paths.processed, nid))
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_text(encoding="utf-8") != content:
            atomic_write_bytes(target, content.encode("utf-8"))
            written.append(f"notices/{nid}.qmd")
    return written


# --------------------------------------------------------------------------- shared assets


VEGA_EXTENSION = Path("_extensions") / "vega-offline"
VEGA_BUNDLE = "vega-bundle.js"


def write_assets(paths: Paths) -> None:
    """The offline Vega bundle for the site's extension, and PNG/SVG of the key charts for papers."""
    import vl_convert as vlc

    bundle = paths.reports / VEGA_EXTENSION / VEGA_BUNDLE
    stamp = f"// vl-convert {vlc.__version__}, Vega-Lite 6.4\n"
    if not bundle.is_file() or not bundle.read_text(encoding="utf-8").startswith(stamp):
        bundle.parent.mkdir(parents=True, exist_ok=True)
        bundle.write_text(stamp + vlc.javascript_bundle(vl_version="6.4"), encoding="utf-8")
    export_figures(paths)


def export_figures(paths: Paths) -> list[Path]:
    """Static SVG and PNG of the key corpus charts in reports/figures/ (labels are ids and English, so no CJK font is needed)."""
    from analysis.site.charts import OfflineChart, completion_chart, lags_chart, specificity_chart, theme_heatmap

    indicators = read_table(paths.processed, "indicators")
    theme_mix = read_table(paths.processed, "theme_mix")
    folder = paths.reports / "figures"
    written = []
    for stem, chart in (("completion", completion_chart(indicators)), ("lags", lags_chart(indicators)),
                        ("specificity", specificity_chart(indicators)), ("themes", theme_heatmap(theme_mix))):
        written += OfflineChart(chart).export(folder, stem)
    return written


# --------------------------------------------------------------------------- Quarto


QUARTO_MISSING = ("Quarto is not installed (no `quarto` command on PATH), so the website was not rendered. "
                  "Everything up to it is done: the executed notebooks are in reports/. To render the site, use the conda "
                  "environment (`conda env create -f environment.yml` installs Quarto) or install Quarto from "
                  "quarto.org, then run `notices site`.")


def quarto_command() -> str | None:
    """Path of the quarto executable, if any."""
    return shutil.which("quarto")


def render_site(paths: Paths) -> tuple[int, str]:
    """Run `quarto render reports/`; (exit code, output path or message)."""
    quarto = quarto_command()
    if quarto is None:
        return 5, QUARTO_MISSING
    result = subprocess.run([quarto, "render", str(paths.reports)], cwd=paths.root, text=True, capture_output=True)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
        return 1, f"quarto render failed (exit {result.returncode}):\n{tail}"
    warnings = [line for line in (result.stderr or "").splitlines() if re.search(r"WARN|warning", line)]
    site = paths.reports / "_site" / "index.html"
    return 0, f"site rendered: {site.relative_to(paths.root)}" + (f" ({len(warnings)} warning lines)" if warnings else "")
