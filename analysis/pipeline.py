"""Wiring: raw manifest → per-notice stages (in parallel, cached) → corpus tables → outputs.

The stages themselves live in their modules; this module only moves data between them,
sends failures to quarantine, and writes the results through `analysis.store`.
"""

from __future__ import annotations

import hashlib
import pickle
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import polars as pl

from . import __version__
from .config import BuildConfig
from .errors import NoticeError
from .extract import extract_notice
from .evaluate import evaluate
from .indicators import compute_indicators
from .network import build_graphs, gexf_bytes, graphml_bytes, network_tables, with_measures
from .ingest import IngestedNotice, ingest
from .manifest import ManifestEntry, check_manifest, read_manifest, sha256_bytes
from .metadata import extract_metadata
from .parse import parse_structure, structure_warnings
from .records import manifest_check_rows, notice_tables
from .resources import load_resources
from .schema import TABLES, codebook_markdown, frame
from .store import StagedOutputs

# Bump when a rule changes what a notice yields without a code change the fingerprint would see.
PARSER_VERSION = "1"
PER_NOTICE_MODULES = ("ingest", "textutil", "errors", "pipeline", "outline", "parse", "dates", "places", "metadata",
                      "resources", "records", "extract/__init__", "extract/documents", "extract/agencies", "extract/figures")
PER_NOTICE_TABLES = ("notices", "notice_fields", "outline", "problems", "measures", "documents", "agencies", "dates", "figures")


@dataclass(frozen=True)
class NoticeTask:
    """What a worker needs to process one notice (picklable)."""

    notice_id: str
    file: str
    path: str
    sha256: str
    max_bytes: int
    root: str
    until: str = "network"


@dataclass
class NoticeOutcome:
    """What one notice yielded: rows per table, its normalised text, or the reason it failed."""

    notice_id: str
    file: str
    sha256: str
    text: str | None = None
    text_sha256: str | None = None
    rows: dict[str, list[dict]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    stage: str | None = None
    reason: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the notice made it into the tables."""
        return self.reason is None


@dataclass
class BuildReport:
    """What a build did, for the command line's summary."""

    parsed: list[str] = field(default_factory=list)
    quarantine: list[dict] = field(default_factory=list)
    disagreements: list[dict] = field(default_factory=list)
    cached: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    outputs: int = 0

    raw_files: list[str] = field(default_factory=list)  # every file in data/raw/notices/
    parsed_files: list[str] = field(default_factory=list)

    def unaccounted(self) -> list[str]:
        """Raw files that are neither in the tables nor in quarantine (always empty; checked by tests)."""
        seen = set(self.parsed_files) | {q["file"] for q in self.quarantine}
        return [f for f in self.raw_files if f not in seen]

    def manifest_only(self) -> list[dict]:
        """Quarantine rows about manifest rows that have no raw file."""
        files = set(self.raw_files)
        return [q for q in self.quarantine if q["file"] not in files]


# --------------------------------------------------------------------------- per notice


def removal_rows(notice: IngestedNotice) -> list[dict]:
    """Rows of the `removals` table for one ingested notice."""
    return [
        {"notice_id": notice.notice_id, "seq": i, "rule": r.rule, "raw_start": r.start, "raw_end": r.end,
         "chars": (r.end - r.start) if r.start is not None else len(r.text), "normalised_at": r.at, "text": r.text}
        for i, r in enumerate(notice.removals, start=1)
    ]


def process_notice(task: NoticeTask) -> NoticeOutcome:
    """Run every per-notice stage on one raw file; never raises (failures become outcomes)."""
    outcome = NoticeOutcome(task.notice_id, task.file, task.sha256)
    stage = "ingest"
    try:
        data = Path(task.path).read_bytes()
        notice = ingest(task.notice_id, data, Path(task.file).suffix, task.max_bytes)
        outcome.text = notice.text
        outcome.text_sha256 = hashlib.sha256(notice.text.encode("utf-8")).hexdigest()
        outcome.warnings.extend(notice.warnings)
        outcome.rows["removals"] = removal_rows(notice)
        if task.until == "ingest":
            return outcome
        stage = "parse"
        resources = load_resources(Path(task.root))
        parsed = parse_structure(notice.text)
        meta = extract_metadata(notice.text, parsed, notice.page, resources.gazetteer)
        stage = "extract"
        extraction = extract_notice(notice.text, parsed, meta, resources)
        warnings = structure_warnings(parsed, meta.signature is not None) + meta.warnings + extraction.warnings + list(notice.warnings)
        outcome.warnings = sorted(set(warnings))
        outcome.rows.update(notice_tables(notice, task.sha256, task.file, parsed, meta, extraction, resources, outcome.warnings))
    except NoticeError as exc:
        outcome.stage, outcome.reason, outcome.message = exc.stage or stage, exc.reason, exc.message
    except Exception as exc:  # a bug must not stop the other notices, nor vanish
        last = traceback.extract_tb(exc.__traceback__)[-1]
        outcome.stage, outcome.reason = stage, "internal_error"
        outcome.message = f"{type(exc).__name__}: {exc} (at {Path(last.filename).name}:{last.lineno}); please report it"
    return outcome


# --------------------------------------------------------------------------- cache


def code_fingerprint(root: Path, modules: Iterable[str] = PER_NOTICE_MODULES) -> str:
    """Hash of the code and reference data that per-notice results depend on."""
    digest = hashlib.sha256(f"{__version__}:{PARSER_VERSION}".encode())
    package = Path(__file__).resolve().parent
    for name in sorted(modules):
        digest.update(name.encode())
        digest.update((package / f"{name}.py").read_bytes())
    for folder in (root / "data" / "reference", root / "data" / "dictionaries"):
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_path(cache_dir: Path, task: NoticeTask, fingerprint: str) -> Path:
    """Where one notice's cached outcome lives."""
    return cache_dir / "notices" / f"{task.notice_id}-{task.sha256[:16]}-{fingerprint[:16]}-{task.max_bytes}-{task.until}.pkl"


def load_cached(path: Path) -> NoticeOutcome | None:
    """A cached outcome, or None if absent or unreadable."""
    try:
        with path.open("rb") as fh:
            outcome = pickle.load(fh)
        return outcome if isinstance(outcome, NoticeOutcome) else None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        return None


def save_cached(path: Path, outcome: NoticeOutcome) -> None:
    """Store an outcome (write to a temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{time.monotonic_ns()}.tmp")
    with tmp.open("wb") as fh:
        pickle.dump(outcome, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


# --------------------------------------------------------------------------- running


def make_tasks(config: BuildConfig, entries: list[ManifestEntry], until: str = "network") -> list[NoticeTask]:
    """One task per registered, hash-checked notice, in notice-id order."""
    raw = config.paths.raw
    per_notice = "ingest" if until == "ingest" else "network"
    return [NoticeTask(e.notice_id, e.file, str(raw / e.file), e.sha256, config.max_bytes, str(config.paths.root), per_notice)
            for e in sorted(entries, key=lambda e: e.notice_id)]


def run_tasks(tasks: list[NoticeTask], config: BuildConfig, report: BuildReport,
              on_progress: Callable[[int], None] | None = None) -> list[NoticeOutcome]:
    """Process notices (from cache where possible, the rest in `config.jobs` processes), in id order."""
    fingerprint = code_fingerprint(config.paths.root)
    outcomes: dict[str, NoticeOutcome] = {}
    todo: list[NoticeTask] = []
    for task in tasks:
        cached = load_cached(cache_path(config.paths.cache, task, fingerprint)) if config.use_cache else None
        if cached is not None:
            outcomes[task.notice_id] = cached
            report.cached += 1
            if on_progress:
                on_progress(1)
        else:
            todo.append(task)
    if config.jobs > 1 and len(todo) > 1:
        chunk = max(1, min(64, len(todo) // (config.jobs * 4) or 1))
        with ProcessPoolExecutor(max_workers=config.jobs) as pool:
            for outcome in pool.map(process_notice, todo, chunksize=chunk):
                outcomes[outcome.notice_id] = outcome
                if on_progress:
                    on_progress(1)
    else:
        for task in todo:
            outcome = process_notice(task)
            outcomes[outcome.notice_id] = outcome
            if on_progress:
                on_progress(1)
    if config.use_cache:
        for task in todo:
            save_cached(cache_path(config.paths.cache, task, fingerprint), outcomes[task.notice_id])
    return [outcomes[t.notice_id] for t in tasks]


def quarantine_row(file: str, notice_id: str, sha256: str, stage: str, reason: str, message: str,
                   duplicate_of: str | None = None) -> dict:
    """One row of the quarantine table."""
    return {"file": file, "notice_id": notice_id, "sha256": sha256, "stage": stage, "reason": reason,
            "message": message, "duplicate_of": duplicate_of}


def split_duplicates(outcomes: list[NoticeOutcome], order: dict[str, int]) -> tuple[list[NoticeOutcome], list[dict]]:
    """Keep the notice registered first (manifest order) of each set of identical raw bytes or normalised texts."""
    kept: list[NoticeOutcome] = []
    duplicates: list[dict] = []
    by_bytes: dict[str, str] = {}
    by_text: dict[str, str] = {}
    for outcome in sorted(outcomes, key=lambda o: (order.get(o.notice_id, len(order)), o.notice_id)):
        if outcome.sha256 in by_bytes:
            first = by_bytes[outcome.sha256]
            duplicates.append(quarantine_row(outcome.file, outcome.notice_id, outcome.sha256, "assemble", "duplicate",
                                             f"exact duplicate: the same raw bytes as {first}, which is kept", first))
        elif outcome.text_sha256 in by_text:
            first = by_text[outcome.text_sha256]
            duplicates.append(quarantine_row(outcome.file, outcome.notice_id, outcome.sha256, "assemble", "duplicate",
                                             f"same text as {first} after decoding and normalisation (a re-encoded or "
                                             f"re-formatted copy); {first} is kept", first))
        else:
            by_bytes[outcome.sha256] = outcome.notice_id
            by_text[outcome.text_sha256] = outcome.notice_id
            kept.append(outcome)
    return kept, duplicates


def gather_rows(outcomes: list[NoticeOutcome], table: str) -> list[dict]:
    """All rows of one table across notices, in notice order."""
    return [row for outcome in outcomes for row in outcome.rows.get(table, [])]


# --------------------------------------------------------------------------- the build


def stage_network(staged: StagedOutputs, tables: dict[str, pl.DataFrame]) -> None:
    """Build the graphs and stage their tables and GraphML/GEXF exports under network/."""
    graphs = build_graphs(tables)
    net = network_tables(graphs)
    staged.table(TABLES["network_nodes"], net["network_nodes"], subdir="network", stem="nodes")
    staged.table(TABLES["network_edges"], net["network_edges"], subdir="network", stem="edges")
    dates = tables["notices"].get_column("signature_date").drop_nulls()
    stamp = dates.max().isoformat() if len(dates) else "1970-01-01"
    for name, G in graphs.items():
        H = with_measures(G, net["network_nodes"], name)
        staged.bytes(f"network/{name}.graphml", graphml_bytes(H), ["corpus", "reference", "code"])
        staged.bytes(f"network/{name}.gexf", gexf_bytes(H, stamp), ["corpus", "reference", "code"])


def collect_inputs(config: BuildConfig, entries: list[ManifestEntry]) -> dict[str, dict[str, str]]:
    """Input groups recorded in MANIFEST: the corpus (manifest + raw files) and reference data."""
    root = config.paths.root
    corpus = {"data/raw/manifest.csv": sha256_bytes(config.paths.manifest.read_bytes())}
    for entry in entries:
        corpus[f"data/raw/{entry.file}"] = entry.sha256
    reference = {}
    for folder in (config.paths.reference, config.paths.dictionaries, config.paths.annotations):
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                reference[path.relative_to(root).as_posix()] = sha256_bytes(path.read_bytes())
    return {"corpus": corpus, "reference": reference}


STAGES = ("ingest", "parse", "extract", "indicators", "network")


def build(config: BuildConfig, on_progress: Callable[[int, int], None] | None = None, until: str = "network") -> BuildReport:
    """Run the stages up to `until` on the raw corpus and write data/processed; return what happened."""
    if until not in STAGES:
        raise ValueError(f"unknown stage {until!r}; stages are {', '.join(STAGES)}")
    report = BuildReport()
    started = time.perf_counter()
    entries, problems = check_manifest(config.paths.raw, read_manifest(config.paths.manifest))
    report.quarantine.extend(quarantine_row(p.file, p.notice_id, p.sha256, "manifest", p.reason, p.message) for p in problems)
    tasks = make_tasks(config, entries, until)
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if on_progress:
            on_progress(done, len(tasks))

    outcomes = run_tasks(tasks, config, report, tick)
    report.seconds["notices"] = time.perf_counter() - started
    failed = [o for o in outcomes if not o.ok]
    report.quarantine.extend(quarantine_row(o.file, o.notice_id, o.sha256, o.stage or "ingest", o.reason, o.message)
                             for o in failed)
    kept, duplicates = split_duplicates([o for o in outcomes if o.ok], {e.notice_id: i for i, e in enumerate(entries)})
    kept.sort(key=lambda o: o.notice_id)
    report.quarantine.extend(duplicates)
    report.parsed = [o.notice_id for o in kept]
    report.parsed_files = [o.file for o in kept]
    notices_dir = config.paths.raw / "notices"
    report.raw_files = sorted(f"notices/{p.name}" for p in notices_dir.iterdir()
                              if p.is_file() and not p.name.startswith(".")) if notices_dir.is_dir() else []

    staged = StagedOutputs(config.paths.processed)
    try:
        for outcome in kept:
            staged.text(f"text/{outcome.notice_id}.txt", outcome.text, [f"data/raw/{outcome.file}", "code"])
        staged.table(TABLES["removals"], frame(TABLES["removals"], gather_rows(kept, "removals")))
        staged.table(TABLES["quarantine"], frame(TABLES["quarantine"], report.quarantine))
        if until != "ingest":
            tables = {name: frame(TABLES[name], gather_rows(kept, name)) for name in PER_NOTICE_TABLES}
            checks = manifest_check_rows(entries, gather_rows(kept, "notices"))
            report.disagreements = [row for row in checks if row["agree"] is False]
            tables["manifest_checks"] = frame(TABLES["manifest_checks"], checks)
            if STAGES.index(until) >= STAGES.index("indicators"):
                started_ind = time.perf_counter()
                tables.update(compute_indicators(tables, load_resources(config.paths.root)))
                report.seconds["indicators"] = time.perf_counter() - started_ind
            if until == "network":
                started_net = time.perf_counter()
                stage_network(staged, tables)
                report.seconds["network"] = time.perf_counter() - started_net
            if config.paths.annotations.is_dir() and any(config.paths.annotations.glob("*.yml")):
                tables["evaluation"], tables["evaluation_differences"] = evaluate(config.paths.annotations, tables)
            for name, df in tables.items():
                staged.table(TABLES[name], df)
            staged.text("codebook.md", codebook_markdown(), ["code"])
        manifest = staged.commit(collect_inputs(config, entries),
                                 {"package_version": __version__, "parser_version": PARSER_VERSION,
                                  "per_notice_fingerprint": code_fingerprint(config.paths.root)})
    except BaseException:
        staged.discard()
        raise
    report.outputs = len(manifest["outputs"])
    report.seconds["total"] = time.perf_counter() - started
    return report
