"""Reports: run the notebooks with papermill into reports/, write the site's generated pages, render with Quarto.

* Jobs: the corpus-level notebooks, one profile per notice (by default when the corpus has at most
  `PROFILE_LIMIT` notices — beyond that, per-notice pages are generated from the tables without a
  kernel, see `notice_page`), and slices asked for on the command line.
* Parameters are checked before anything runs: names must be parameters the notebook declares
  (papermill pastes names into code unescaped), values must be known notice ids, provinces,
  genres, years or graphs of the expected type.
* A job is skipped when its output exists and the fingerprint of its inputs — notebook source,
  parameters, the package's code, and the data it reads (per notice for profiles) — is unchanged.
* Jobs run in parallel processes; a failed notebook is kept in reports/_failed/ and reported,
  never published.
"""

from __future__ import annotations

import ast
import hashlib
import json
import keyword
import multiprocessing
import os
import re
import shutil
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import polars as pl
import yaml

from .config import Paths
from .errors import ProjectError
from .network import GRAPH_NAMES
from .schema import GENRE_VALUES
from .tables import read_table

PROFILE_LIMIT = 200
LEDGER = ".runs.json"
PAGES: tuple[tuple[str, str, bool], ...] = (
    # (notebook, output page, takes slice parameters)
    ("00_home.ipynb", "index.ipynb", False),
    ("01_corpus_overview.ipynb", "overview.ipynb", True),
    ("02_indicators.ipynb", "indicators.ipynb", True),
    ("03_network.ipynb", "network.ipynb", True),
    ("05_methods.ipynb", "methods.ipynb", False),
    ("teaching_01_reading_a_notice.ipynb", "teaching/reading-a-notice.ipynb", False),
    ("teaching_02_who_works_with_whom.ipynb", "teaching/who-works-with-whom.ipynb", False),
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


@dataclass
class RunReport:
    """What a notebooks run did."""

    executed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    generated_pages: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
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


def check_parameters(notebook: Path, parameters: dict, vocabulary: Vocabulary) -> dict:
    """The parameters if every name is declared by the notebook and every value is known; else ParameterError."""
    declared = declared_parameters(notebook)
    for name, value in parameters.items():
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise ParameterError(f"parameter name {name!r} is not a plain identifier; refused (names are pasted into code)")
        if name not in declared:
            raise ParameterError(f"{notebook.name} has no parameter {name!r}; its parameters are {', '.join(declared)}")
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


def profile_front_matter(notice: dict) -> dict:
    """Title, date, categories and description of a notice's page (for the listing)."""
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


def plan_jobs(paths: Paths, profiles: str | list[str] = "auto", slices: list[dict] = (), pages: bool = True
              ) -> tuple[list[Job], list[str]]:
    """(jobs to run, notice ids whose pages are generated without a kernel); `pages=False` leaves out the corpus pages."""
    missing = [nb for nb in [p[0] for p in PAGES] + [PROFILE_NOTEBOOK] if not (paths.notebooks / nb).is_file()]
    if missing:
        raise ProjectError(f"notebook(s) missing from {paths.notebooks.name}/: {', '.join(missing)}")
    notices = read_table(paths.processed, "notices")
    vocabulary = Vocabulary.of(notices)
    corpus = corpus_key(paths.processed)
    jobs = [Job(nb, out, {}, None, corpus) for nb, out, _ in PAGES] if pages else []
    ids = sorted(vocabulary.notice_ids)
    if profiles == "auto":
        chosen = ids if len(ids) <= PROFILE_LIMIT else []
    elif profiles == "all":
        chosen = ids
    elif profiles == "none":
        chosen = []
    else:
        chosen = list(profiles)
        unknown = sorted(set(chosen) - vocabulary.notice_ids)
        if unknown:
            raise ParameterError(f"unknown notice id(s) {', '.join(unknown)}")
    keys = notice_keys(paths.processed) if chosen else {}
    by_id = {r["notice_id"]: r for r in notices.iter_rows(named=True)}
    for nid in chosen:
        jobs.append(Job(PROFILE_NOTEBOOK, f"notices/{nid}.ipynb", {"notice_id": nid}, profile_front_matter(by_id[nid]), keys[nid]))
    for parameters in slices:
        check_parameters(paths.notebooks / SLICE_NOTEBOOKS[0], parameters, vocabulary)
        slug = slice_slug(parameters, notices)
        for nb in SLICE_NOTEBOOKS:
            page = nb.split("_", 1)[1]
            jobs.append(Job(nb, f"slices/{slug}/{page}", dict(parameters), None, corpus))
    for job in jobs:
        check_parameters(paths.notebooks / job.notebook, job.parameters, vocabulary)
    generated = [nid for nid in ids if nid not in set(chosen)]
    return jobs, generated


def _front_matter_text(front_matter: dict) -> str:
    """YAML front matter between --- lines."""
    return "---\n" + yaml.safe_dump(front_matter, allow_unicode=True, sort_keys=False).strip() + "\n---"


def cells_ran(notebook: Path) -> bool:
    """Whether papermill executed any cell of a (partly) executed notebook."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return False
    return any(c.get("execution_count") for c in cells)


def execute_job(job: Job, root: str, reports: str, notebooks: str) -> tuple[str, bool, str, float]:
    """Run one notebook with papermill (in a worker process); returns (output, ok, message, seconds)."""
    import nbformat
    import papermill as pm

    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 2)  # kernels inherit stderr and chatter about transports; failures come back as exceptions
    started = time.perf_counter()
    target = Path(reports) / job.output
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.running.ipynb")
    try:
        for attempt in (1, 2):
            try:
                pm.execute_notebook(str(Path(notebooks) / job.notebook), str(tmp), parameters=job.parameters, cwd=root,
                                    kernel_name="python3", progress_bar=False, log_output=False, report_mode=False)
                break
            except Exception as exc:  # noqa: BLE001
                # A kernel that fails to start (two kernels launched at once can race for the same ports) has run no
                # cell: try once more. An error raised by a cell is the notebook's own and is reported at once.
                if attempt == 2 or getattr(exc, "ename", None) or cells_ran(tmp):
                    raise
    except Exception as exc:  # noqa: BLE001 — reported per notebook, the others go on
        failed = Path(reports) / "_failed" / job.output
        failed.parent.mkdir(parents=True, exist_ok=True)
        if tmp.exists():
            os.replace(tmp, failed)
        if getattr(exc, "ename", None):  # an error raised by a cell
            first = (str(exc.evalue).strip().splitlines() or [""])[0]
            message = f"{exc.ename}: {first}"
        else:
            message = f"{type(exc).__name__}: {(str(exc).strip().splitlines() or [''])[-1]}"
        return job.output, False, f"{message} (notebook kept in reports/_failed/{job.output})", time.perf_counter() - started
    nb = nbformat.read(str(tmp), as_version=4)
    if job.front_matter is not None:
        cell = nbformat.v4.new_raw_cell(_front_matter_text({k: v for k, v in job.front_matter.items() if v is not None}))
        if nb.cells and nb.cells[0].cell_type == "raw":
            nb.cells[0] = cell
        else:
            nb.cells.insert(0, cell)
    nbformat.write(nb, str(tmp))
    os.replace(tmp, target)
    return job.output, True, "", time.perf_counter() - started


def plan_run(paths: Paths, profiles: str | list[str] = "auto", slices: list[dict] = (), force: bool = False,
             pages: bool = True) -> tuple[list[Job], list[str], list[tuple[Job, str]], list[str]]:
    """(all jobs, notices with generated pages, jobs to execute with their keys, outputs that are up to date)."""
    jobs, generated = plan_jobs(paths, profiles, slices, pages)
    ledger_path = paths.reports / LEDGER
    ledger = json.loads(ledger_path.read_text(encoding="utf-8")) if ledger_path.is_file() else {}
    code = code_key(paths.root)
    todo, skipped = [], []
    for job in jobs:
        key = job_key(job, paths.notebooks, code)
        if not force and ledger.get(job.output) == key and (paths.reports / job.output).is_file():
            skipped.append(job.output)
        else:
            todo.append((job, key))
    return jobs, generated, todo, sorted(skipped)


def run_notebooks(paths: Paths, jobs_count: int = 2, profiles: str | list[str] = "auto", slices: list[dict] = (),
                  force: bool = False, on_progress: Callable[[int, int, str], None] | None = None, pages: bool = True) -> RunReport:
    """Execute what changed, write generated pages and shared assets; return what was done."""
    started = time.perf_counter()
    report = RunReport()
    if not (paths.processed / "MANIFEST").is_file():
        raise ProjectError("data/processed has no MANIFEST: run `notices build` first")
    jobs, generated, todo, skipped = plan_run(paths, profiles, slices, force, pages)
    report.skipped = skipped
    reports, notebooks = paths.reports, paths.notebooks
    ledger_path = reports / LEDGER
    ledger = json.loads(ledger_path.read_text(encoding="utf-8")) if ledger_path.is_file() else {}
    total, done = len(jobs), len(report.skipped)
    if on_progress:
        on_progress(done, total, "")
    if todo:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=max(1, min(jobs_count, len(todo))), mp_context=context) as pool:
            futures = {pool.submit(execute_job, job, str(paths.root), str(reports), str(notebooks)): (job, key) for job, key in todo}
            for future in as_completed(futures):
                job, key = futures[future]
                output, ok, message, seconds = future.result()
                report.timings[output] = round(seconds, 3)
                if ok:
                    report.executed.append(output)
                    ledger[output] = key
                else:
                    report.failed[output] = message
                    ledger.pop(output, None)
                done += 1
                if on_progress:
                    on_progress(done, total, output)
                ledger_path.write_text(json.dumps(ledger, sort_keys=True, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    report.generated_pages = write_generated_pages(paths, generated)
    if pages:  # a partial run does not know the full set of pages
        report.removed = remove_stale(paths, {job.output for job in jobs} | {f"notices/{nid}.qmd" for nid in generated}, ledger)
    ledger_path.write_text(json.dumps(ledger, sort_keys=True, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    write_assets(paths)
    report.executed.sort()
    report.skipped.sort()
    report.seconds = time.perf_counter() - started
    return report


def remove_stale(paths: Paths, wanted: set[str], ledger: dict) -> list[str]:
    """Delete executed or generated pages no job produces any more (a notice removed from the corpus)."""
    removed = []
    for folder in ("notices", "slices"):
        base = paths.reports / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(paths.reports).as_posix()
            if path.is_file() and path.suffix in (".ipynb", ".qmd") and path.name != "index.qmd" and rel not in wanted:
                path.unlink()
                ledger.pop(rel, None)
                removed.append(rel)
    return removed


# --------------------------------------------------------------------------- pages without a kernel


def notice_page(tables: dict[str, pl.DataFrame], notice: dict, text: str) -> str:
    """A notice's page written straight from its rows of the tables (used when its profile notebook is not executed)."""
    from .charts import OfflineChart, timeline_chart
    from .views import cell, highlighted_text, notice_spans, table_markdown

    nid = notice["notice_id"]
    front = _front_matter_text({k: v for k, v in profile_front_matter(notice).items() if v is not None}) + "\n\n"

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
    from .tables import notice_text

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
            target.write_text(content, encoding="utf-8")
            written.append(f"notices/{nid}.qmd")
        executed = target.with_suffix(".ipynb")
        if executed.exists():
            executed.unlink()
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
    from .charts import OfflineChart, completion_chart, lags_chart, specificity_chart, theme_heatmap

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
