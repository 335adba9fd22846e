"""Wiring: raw manifest → per-notice stages (in parallel, incremental) → corpus tables → outputs.

The stages themselves live in their modules; this module only moves data between them,
sends failures to quarantine, and writes the results through `analysis.build.store`.

Incremental builds: data/processed is its own cache. A notice whose raw bytes (SHA-256) and
the per-notice code (`code_fingerprint`: the modules of ingest, parse and extract plus the
reference data and dictionaries) are those of the last build is not processed again: its rows
are carried over from the last build's tables and its text file is kept in place. Indicator rows
(each a function of one notice's rows) are carried over likewise when the code and reference data
are unchanged; the network is carried over when the columns it is built from, its options and the
code are unchanged (fingerprints in MANIFEST's `stage_inputs`), else rebuilt; evaluation is always
recomputed. `plan_notices` decides per notice, and `notices build --dry-run` prints its decisions.

What is carried over is checked by content, never by size: every output the last build wrote is
hashed against its SHA-256 in MANIFEST, and anything missing or altered is rebuilt (so `notices
build` repairs whatever `notices verify` flags). A notice quarantined as `internal_error` (a bug, or
a failure of the machine) is never carried over: every build tries it again.

A build holds the exclusive lock on data/ (analysis.build.lock) from planning to commit; its workers die
with it (analysis.build.pool).
"""

from __future__ import annotations

import hashlib
import json
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import polars as pl

from analysis import __version__
from analysis.config import BuildConfig, NetworkConfig
from analysis.errors import NoticeError
from analysis.corpus.evaluate import evaluate
from analysis.extract import extract_notice
from analysis.corpus.indicators import compute_indicators
from analysis.read.ingest import IngestedNotice, ingest
from analysis.build.lock import data_lock
from analysis.build.register import RegisterEntry, check_register, raw_entries, read_register, sha256_bytes
from analysis.read.metadata import extract_metadata
from analysis.corpus.exports import gexf, graphml
from analysis.corpus.graphs import build_graphs, inputs_fingerprint, network_inputs
from analysis.corpus.metrics import network_tables
from analysis.read.parse import parse_structure, structure_warnings
from analysis.extract.rows import manifest_check_rows, notice_tables
from analysis.read.resources import load_resources
from analysis.contract.tables import TABLES
from analysis.contract.schema import SchemaError, frame
from analysis.contract.codebook import codebook_markdown
from analysis.build.store import StagedOutputs, changed_outputs, read_build_record
from analysis.build.pool import worker_pool

# Bump when a rule changes what a notice yields without a code change the fingerprint would see.
PARSER_VERSION = "2"
PER_NOTICE_MODULES = ("read/ingest", "read/text", "errors", "build/pipeline", "read/outline", "read/parse", "read/dates",
                      "read/places", "read/metadata", "read/bodies", "read/declared", "read/inspection", "read/resources",
                      "extract/rows", "contract/tables", "extract/__init__", "extract/documents", "extract/agencies",
                      "extract/figures")
PER_NOTICE_TABLES = ("notices", "notice_fields", "outline", "problems", "measures", "documents", "agencies", "dates", "figures")
STAGES = ("ingest", "parse", "extract", "indicators", "network")
INGEST_OUTPUTS = ("text/", "removals.parquet", "removals.csv")  # what `notices ingest` writes (and nothing else)
NEVER_CARRIED = ("duplicate", "internal_error")  # quarantine reasons decided afresh by every build


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
    text_dir: str | None = None  # where to write the normalised text (the staging folder's text/)


@dataclass
class NoticeOutcome:
    """What one notice yielded — its rows per table and its text's hash — or why it failed."""

    notice_id: str
    file: str
    sha256: str
    text_sha256: str | None = None
    text_bytes: int = 0
    rows: dict[str, list[dict]] = field(default_factory=dict)
    stage: str | None = None
    reason: str | None = None
    message: str | None = None
    carried: bool = False  # taken over from the last build instead of processed

    @property
    def ok(self) -> bool:
        """Whether the notice made it into the tables."""
        return self.reason is None


@dataclass(frozen=True)
class NoticePlan:
    """What a build will do with one registered notice, and why."""

    notice_id: str
    file: str
    sha256: str
    action: str  # process | carry | carry_failure
    reason: str


@dataclass
class BuildReport:
    """What a build did, for the command line's summary."""

    parsed: list[str] = field(default_factory=list)
    quarantine: list[dict] = field(default_factory=list)
    disagreements: list[dict] = field(default_factory=list)
    cached: int = 0  # notices carried over from the last build
    processed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    outputs: int = 0
    up_to_date: bool = False
    network_carried: bool = False  # the network's inputs were unchanged, so its outputs were kept
    repaired: list[str] = field(default_factory=list)  # outputs that were missing or altered and were rebuilt
    cleaned: list[str] = field(default_factory=list)  # messages about staging folders of interrupted builds removed

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


def notice_frames(rows: dict[str, list[dict]]) -> dict[str, pl.DataFrame]:
    """Typed frames (the tables' contracts) of rows, table by table."""
    return {name: frame(TABLES[name], table_rows) for name, table_rows in rows.items()}


def check_rows(rows: dict[str, list[dict]]) -> None:
    """Raise SchemaError if a row carries a column its table does not declare (cheap; types are checked in frames)."""
    for name, table_rows in rows.items():
        declared = set(TABLES[name].column_names)
        for row in table_rows:
            if not declared.issuperset(row):
                raise SchemaError(f"table {name}: rows carry undeclared column(s) {', '.join(sorted(set(row) - declared))}")


def process_chunk(tasks: list[NoticeTask]) -> tuple[list[NoticeOutcome], dict[str, pl.DataFrame]]:
    """Process some notices; their outcomes (rows moved out) and one typed frame per table for all of them.

    Building a frame has a fixed cost of about a millisecond, so frames are built for a chunk of
    notices, not per notice. If a chunk's rows do not fit a contract's types, each notice is tried
    alone and the ones that fail are quarantined (internal_error), so one notice cannot sink the rest.
    """
    outcomes = [process_notice(task) for task in tasks]
    merged: dict[str, list[dict]] = {}
    for outcome in outcomes:
        for name, table_rows in outcome.rows.items():
            merged.setdefault(name, []).extend(table_rows)
    try:
        tables = notice_frames(merged)
    except Exception:  # find the notice(s) to blame
        tables, merged = {}, {}
        for outcome in (o for o in outcomes if o.ok):
            try:
                notice_frames(outcome.rows)
            except Exception as exc:
                outcome.stage, outcome.reason, outcome.rows = "assemble", "internal_error", {}
                outcome.message = f"{type(exc).__name__}: {exc}; please report it"
                continue
            for name, table_rows in outcome.rows.items():
                merged.setdefault(name, []).extend(table_rows)
        tables = notice_frames(merged)
    for outcome in outcomes:
        outcome.rows = {}
    return outcomes, tables


def read_notice(notice: IngestedNotice, sha256: str, file: str, resources, reached: Callable[[str], None] = lambda _: None
                ) -> dict[str, list[dict]]:
    """The rows of every per-notice table for an ingested notice: parse, metadata, extraction (raises NoticeError
    for a text that is not a notice); `reached` is told when the extract stage starts, for error messages."""
    parsed = parse_structure(notice.text)
    meta = extract_metadata(notice.text, parsed, notice.page, resources.gazetteer)
    reached("extract")
    extraction = extract_notice(notice.text, parsed, meta, resources)
    warnings = sorted(set(structure_warnings(parsed, meta.signature is not None) + meta.warnings + extraction.warnings
                          + list(notice.warnings)))
    return notice_tables(notice, sha256, file, parsed, meta, extraction, resources, warnings)


def process_notice(task: NoticeTask) -> NoticeOutcome:
    """Run every per-notice stage on one raw file and write its text; never raises (failures become outcomes).

    The rows are checked against the tables' contracts here (a notice whose rows break them is
    quarantined alone); they become typed frames a chunk of notices at a time (`process_chunk`).
    """
    outcome = NoticeOutcome(task.notice_id, task.file, task.sha256)
    stage = "ingest"
    try:
        data = Path(task.path).read_bytes()
        notice = ingest(task.notice_id, data, Path(task.file).suffix, task.max_bytes)
        text = notice.text.encode("utf-8")
        outcome.text_sha256, outcome.text_bytes = hashlib.sha256(text).hexdigest(), len(text)
        rows = {"removals": removal_rows(notice)}
        if task.until != "ingest":
            stage = "parse"

            def reached(name: str) -> None:
                nonlocal stage
                stage = name

            rows.update(read_notice(notice, task.sha256, task.file, load_resources(Path(task.root)), reached))
            rows["notices"][0]["text_sha256"] = outcome.text_sha256
        stage = "assemble"
        check_rows(rows)
        outcome.rows = rows
        if task.text_dir is not None:
            (Path(task.text_dir) / f"{task.notice_id}.txt").write_bytes(text)
    except NoticeError as exc:
        outcome.stage, outcome.reason, outcome.message = exc.stage or stage, exc.reason, exc.message
        outcome.rows = {}
    except Exception as exc:  # a bug must not stop the other notices, nor vanish
        last = traceback.extract_tb(exc.__traceback__)[-1]
        outcome.stage, outcome.reason, outcome.rows = stage, "internal_error", {}
        outcome.message = f"{type(exc).__name__}: {exc} (at {Path(last.filename).name}:{last.lineno}); please report it"
    return outcome


# --------------------------------------------------------------------------- what to rebuild


def code_fingerprint(root: Path, modules: Iterable[str] = PER_NOTICE_MODULES) -> str:
    """Hash of the code and reference data that per-notice results depend on."""
    digest = hashlib.sha256(f"{__version__}:{PARSER_VERSION}".encode())
    package = Path(__file__).resolve().parents[1]
    for name in sorted(modules):
        digest.update(name.encode())
        digest.update((package / f"{name}.py").read_bytes())
    for folder in (root / "data" / "reference", root / "data" / "dictionaries"):
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def build_code(config: BuildConfig, fingerprint: str, until: str) -> dict:
    """The `code` record of MANIFEST: versions, fingerprints and the options that shape the outputs."""
    package = Path(__file__).resolve().parents[1]
    everything = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        everything.update(path.relative_to(package).as_posix().encode())
        everything.update(path.read_bytes())
    net = config.network
    return {"package_version": __version__, "parser_version": PARSER_VERSION, "per_notice_fingerprint": fingerprint,
            "package_fingerprint": everything.hexdigest(), "until": until, "max_bytes": config.max_bytes,
            "network": {"hub_limit": net.hub_limit, "betweenness_budget": net.betweenness_budget, "seed": net.seed,
                        "export_edge_limit": net.export_edge_limit}}


@dataclass(frozen=True)
class LastBuild:
    """What the last build recorded: its MANIFEST, its notices (id → sha256, file, text_sha256), its per-notice
    failures, and which of its outputs are no longer as it wrote them (path → 'missing' or 'changed')."""

    manifest: dict
    notices: dict[str, dict]
    failures: dict[str, dict]
    manifest_problems: list[dict]
    changed: dict[str, str] = field(default_factory=dict)

    def intact(self, relpath: str) -> bool:
        """Whether an output of the last build is on disk with the content MANIFEST records."""
        return relpath in self.manifest.get("outputs", {}) and relpath not in self.changed


def read_back_tables() -> list[str]:
    """Parquet files of the last build that a build reads rows from to carry notices over."""
    return [f"{TABLES[name].stem}.parquet" for name in ("quarantine", *PER_NOTICE_TABLES)]


def last_build(config: BuildConfig, fingerprint: str, until: str, manifest: dict, changed: dict[str, str]
               ) -> tuple[LastBuild | None, str]:
    """The last build (its MANIFEST and the outputs no longer as it wrote them), if its per-notice results can be
    reused by this one; else None and the reason."""
    if not config.use_cache:
        return None, "a full rebuild was asked for"
    processed = config.paths.processed
    if not manifest:
        return None, "no earlier build"
    code = manifest.get("code", {})
    if until != "network" or code.get("until") != "network":
        return None, "the last build or this one stops before the network stage"
    if code.get("per_notice_fingerprint") != fingerprint:
        return None, "the per-notice code or the reference data changed"
    if code.get("max_bytes") != config.max_bytes:
        return None, "--max-bytes changed"
    altered = [rel for rel in read_back_tables() if rel in changed or rel not in manifest.get("outputs", {})]
    if altered:
        return None, f"{altered[0]} is missing or changed since the last build (its sha256 differs from MANIFEST)"
    try:
        notices = pl.read_parquet(processed / "notices.parquet", columns=["notice_id", "file", "sha256", "text_sha256"])
        failures = pl.read_parquet(processed / "quarantine.parquet")
    except (OSError, pl.exceptions.PolarsError) as exc:
        return None, f"the last build's tables cannot be read ({type(exc).__name__})"
    per_notice_failures = failures.filter(pl.col("stage").is_in(["ingest", "parse", "extract", "assemble"])
                                          & (pl.col("reason") != "duplicate"))
    return LastBuild(manifest, {r["notice_id"]: r for r in notices.iter_rows(named=True)},
                     {r["notice_id"]: r for r in per_notice_failures.iter_rows(named=True)},
                     sorted_rows(failures.filter(pl.col("stage") == "manifest").to_dicts()), changed), ""


def sorted_rows(rows: list[dict]) -> list[dict]:
    """Quarantine rows in a canonical order (for comparing two builds)."""
    return sorted(rows, key=lambda r: (r["file"], r["notice_id"] or "", r["reason"]))


def plan_notices(entries: list[RegisterEntry], last: LastBuild | None, why_not: str) -> list[NoticePlan]:
    """For each registered notice (in id order): process it, or carry its result over from the last build, and why."""
    plans = []
    for e in sorted(entries, key=lambda e: e.notice_id):
        before = last.notices.get(e.notice_id) if last else None
        failed = last.failures.get(e.notice_id) if last else None
        if last is None:
            action, reason = "process", why_not
        elif before is not None and before["sha256"] == e.sha256 and before["file"] == e.file:
            if last.intact(f"text/{e.notice_id}.txt"):
                action, reason = "carry", "unchanged"
            else:
                action, reason = "process", "its normalised text is missing or altered in data/processed (sha256 differs)"
        elif failed is not None and failed["reason"] in NEVER_CARRIED:
            action, reason = "process", f"quarantined before as {failed['reason']}, which is never carried over"
        elif failed is not None and failed["sha256"] == e.sha256 and failed["file"] == e.file:
            action, reason = "carry_failure", f"unchanged; quarantined before ({failed['reason']})"
        elif before is not None or failed is not None:
            action, reason = "process", "raw file changed"
        else:
            action, reason = "process", "new notice"
        plans.append(NoticePlan(e.notice_id, e.file, e.sha256, action, reason))
    return plans


def carried_outcome(plan: NoticePlan, last: LastBuild) -> NoticeOutcome:
    """The outcome of a notice taken over from the last build (its rows are read later, table by table)."""
    if plan.action == "carry_failure":
        failed = last.failures[plan.notice_id]
        return NoticeOutcome(plan.notice_id, plan.file, plan.sha256, stage=failed["stage"], reason=failed["reason"],
                             message=failed["message"], carried=True)
    info = last.manifest["outputs"][f"text/{plan.notice_id}.txt"]
    return NoticeOutcome(plan.notice_id, plan.file, plan.sha256, text_sha256=last.notices[plan.notice_id]["text_sha256"],
                         text_bytes=info["bytes"], carried=True)


# --------------------------------------------------------------------------- running


def make_tasks(config: BuildConfig, plans: list[NoticePlan], until: str, text_dir: Path | None) -> list[NoticeTask]:
    """One task per notice to process, in notice-id order."""
    raw = config.paths.raw
    per_notice = "ingest" if until == "ingest" else "network"
    return [NoticeTask(p.notice_id, p.file, str(raw / p.file), p.sha256, config.max_bytes, str(config.paths.root), per_notice,
                       str(text_dir) if text_dir else None)
            for p in plans if p.action == "process"]


def chunks(tasks: list[NoticeTask], jobs: int, largest: int = 32) -> list[list[NoticeTask]]:
    """Tasks cut into chunks: at most `largest`, and small enough that every process gets several."""
    size = max(1, min(largest, len(tasks) // (jobs * 4) or 1))
    return [tasks[i:i + size] for i in range(0, len(tasks), size)]


def run_tasks(tasks: list[NoticeTask], jobs: int, on_progress: Callable[[int], None] | None = None
              ) -> Iterator[tuple[list[NoticeOutcome], dict[str, pl.DataFrame]]]:
    """Process notices in `jobs` processes (or in this one), yielding each chunk's outcomes and frames in task order."""
    parts = chunks(tasks, jobs)
    if jobs > 1 and len(parts) > 1:
        with worker_pool(jobs) as pool:  # spawned workers that die with this process
            for outcomes, tables in pool.map(process_chunk, parts):
                if on_progress:
                    on_progress(len(outcomes))
                yield outcomes, tables
    else:
        for part in parts:
            outcomes, tables = process_chunk(part)
            if on_progress:
                on_progress(len(outcomes))
            yield outcomes, tables


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


@dataclass
class TableCollector:
    """Frames of chunks of notices gathered table by table as they arrive, merged every `batch` chunks (few large
    frames, not thousands of small ones: memory stays proportional to the rows)."""

    batch: int = 16
    merged: dict[str, list[pl.DataFrame]] = field(default_factory=dict)
    pending: dict[str, list[pl.DataFrame]] = field(default_factory=dict)
    count: int = 0

    def add(self, tables: dict[str, pl.DataFrame]) -> None:
        """Take one chunk's frames."""
        for name, df in tables.items():
            self.pending.setdefault(name, []).append(df)
        self.count += 1
        if self.count % self.batch == 0:
            self.merge()

    def merge(self) -> None:
        """Merge the pending frames of each table into one."""
        for name, parts in self.pending.items():
            if parts:
                self.merged.setdefault(name, []).append(pl.concat(parts, how="vertical_relaxed", rechunk=True))
        self.pending = {}

    def rows(self, name: str) -> list[pl.DataFrame]:
        """Everything collected for one table (merged first)."""
        self.merge()
        return self.merged.get(name, [])


def assemble_table(name: str, kept: list[NoticeOutcome], collected: TableCollector, processed: Path) -> pl.DataFrame:
    """One corpus table: rows carried over from the last build's table plus the rows of the notices processed now."""
    carried = [o.notice_id for o in kept if o.carried]
    fresh = [o.notice_id for o in kept if not o.carried]
    parts = [df.filter(pl.col("notice_id").is_in(fresh)) for df in collected.rows(name)]
    if carried:
        parts.insert(0, pl.read_parquet(processed / f"{TABLES[name].stem}.parquet").filter(pl.col("notice_id").is_in(carried)))
    return frame(TABLES[name], pl.concat(parts, how="vertical_relaxed") if parts else [])


# --------------------------------------------------------------------------- the build


INDICATOR_TABLES = ("indicators", "problem_indicators", "theme_mix")


def indicator_tables(tables: dict[str, pl.DataFrame], kept: list[NoticeOutcome], last: LastBuild | None, fingerprint: str,
                     config: BuildConfig) -> dict[str, pl.DataFrame]:
    """The indicator tables: computed for the notices processed now, carried over for the others when the last build's
    indicators came from the same code and reference data (every indicator is a function of one notice's rows) and
    their files are as the last build wrote them."""
    resources = load_resources(config.paths.root)
    processed = config.paths.processed
    carried = [o.notice_id for o in kept if o.carried]
    reusable = (last is not None and carried and last.manifest.get("stage_inputs", {}).get("indicators") == fingerprint
                and all(last.intact(f"{TABLES[name].stem}.parquet") for name in INDICATOR_TABLES))
    if not reusable:
        return compute_indicators(tables, resources)
    fresh = [o.notice_id for o in kept if not o.carried]
    computed = compute_indicators({name: (df.filter(pl.col("notice_id").is_in(fresh)) if "notice_id" in df.columns else df)
                                   for name, df in tables.items()}, resources)
    return {name: frame(TABLES[name], pl.concat([pl.read_parquet(processed / f"{TABLES[name].stem}.parquet")
                                                 .filter(pl.col("notice_id").is_in(carried)), computed[name]],
                                                how="vertical_relaxed"))
            for name in INDICATOR_TABLES}


def network_fingerprint(tables: dict[str, pl.DataFrame], config: NetworkConfig, code: dict) -> str:
    """What the network stage's outputs are a function of: its input columns, its options and the package's code."""
    return inputs_fingerprint(network_inputs(tables), json.dumps(code, sort_keys=True), repr(config))


def carried_network(last: LastBuild | None, fingerprint: str) -> dict[str, dict] | None:
    """The last build's network outputs (path → MANIFEST record) if they were computed from the same inputs and are
    all still in place with the content MANIFEST records; else None."""
    if last is None or last.manifest.get("stage_inputs", {}).get("network") != fingerprint:
        return None
    outputs = {rel: info for rel, info in last.manifest.get("outputs", {}).items() if rel.startswith("network/")}
    return outputs if outputs and all(last.intact(rel) for rel in outputs) else None


def stage_network(staged: StagedOutputs, tables: dict[str, pl.DataFrame], config: NetworkConfig) -> None:
    """Build and measure the graphs from the corpus tables (NETWORK_COLUMNS suffice); stage their tables and
    GraphML/GEXF exports under network/."""
    graphs = build_graphs(tables, config)
    net = network_tables(graphs, config)
    for name, df in net.items():
        staged.table(TABLES[name], df)
    dates = tables["notices"].get_column("signature_date").drop_nulls()
    stamp = dates.max().isoformat() if len(dates) else "1970-01-01"
    for name, graph in graphs.items():
        if graph.edges.height > config.export_edge_limit:
            continue  # recorded as exported = false in network_graphs
        nodes = net["network_nodes"].filter(pl.col("graph") == name)
        edges = net["network_edges"].filter(pl.col("graph") == name)
        staged.file(f"network/{name}.graphml", graphml(nodes, edges, graph.directed).write, ["corpus", "reference", "code"])
        staged.file(f"network/{name}.gexf", gexf(nodes, edges, graph.directed, stamp, f"rectification-notices {__version__}").write,
                    ["corpus", "reference", "code"])


def collect_inputs(config: BuildConfig, entries: list[RegisterEntry]) -> dict[str, dict[str, str]]:
    """Input groups recorded in MANIFEST: the corpus (manifest + raw files) and reference data."""
    root = config.paths.root
    corpus = {"data/raw/manifest.csv": sha256_bytes(config.paths.register.read_bytes())}
    for entry in entries:
        corpus[f"data/raw/{entry.file}"] = entry.sha256
    reference = {}
    for folder in (config.paths.reference, config.paths.dictionaries, config.paths.annotations):
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                reference[path.relative_to(root).as_posix()] = sha256_bytes(path.read_bytes())
    return {"corpus": corpus, "reference": reference}


def list_raw_files(config: BuildConfig) -> list[str]:
    """Every entry of data/raw/notices/ (relative to data/raw): files, hidden ones included, and folders (with a '/')."""
    return raw_entries(config.paths.raw)


def up_to_date(last: LastBuild | None, inputs: dict, code: dict, problems: list[dict]) -> bool:
    """Whether data/processed already holds exactly what this build would write (same inputs, code, options,
    manifest problems; every output present with the content MANIFEST records; nothing to retry)."""
    if last is None or last.manifest.get("inputs") != inputs or last.manifest.get("code") != code:
        return False
    if last.manifest_problems != sorted_rows(problems) or last.changed:
        return False
    return not any(f["reason"] in NEVER_CARRIED for f in last.failures.values())


@dataclass
class BuildPlan:
    """What a build would do: the checked manifest, the last build (if reusable), each notice's fate, whether all is current."""

    entries: list[RegisterEntry]
    problems: list[dict]  # quarantine rows of manifest problems
    last: LastBuild | None
    why_not: str
    plans: list[NoticePlan]
    inputs: dict
    code: dict
    current: bool  # data/processed already holds what this build would write
    changed: dict[str, str] = field(default_factory=dict)  # outputs of the last build missing or altered since

    def count(self, action: str) -> int:
        """Notices planned for one action."""
        return sum(1 for p in self.plans if p.action == action)


def plan_build(config: BuildConfig, until: str = "network") -> BuildPlan:
    """Check the manifest and the last build; decide, without writing anything, what a build would redo and why."""
    if until not in STAGES:
        raise ValueError(f"unknown stage {until!r}; stages are {', '.join(STAGES)}")
    entries, problems = check_register(config.paths.raw, read_register(config.paths.register))
    fingerprint = code_fingerprint(config.paths.root)
    manifest = read_build_record(config.paths.processed)
    changed = changed_outputs(config.paths.processed, manifest) if manifest else {}
    last, why_not = last_build(config, fingerprint, until, manifest, changed)
    inputs, code = collect_inputs(config, entries), build_code(config, fingerprint, until)
    problem_rows = [quarantine_row(p.file, p.notice_id, p.sha256, "manifest", p.reason, p.message) for p in problems]
    return BuildPlan(entries, problem_rows, last, why_not, plan_notices(entries, last, why_not), inputs, code,
                     up_to_date(last, inputs, code, problem_rows), changed)


def build(config: BuildConfig, on_progress: Callable[[int, int], None] | None = None, until: str = "network") -> BuildReport:
    """Run the stages up to `until` on the raw corpus and write data/processed, holding the lock on data/; return what
    happened. `until="ingest"` (`notices ingest`) writes only the texts and the removal log and deletes nothing."""
    with data_lock(config.paths.root, "build" if until != "ingest" else "ingest", wait=config.wait):
        return _build(config, on_progress, until)


def _build(config: BuildConfig, on_progress: Callable[[int, int], None] | None, until: str) -> BuildReport:
    """The build itself (the caller holds the lock)."""
    report = BuildReport()
    started = time.perf_counter()
    clock = started

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.seconds[name] = report.seconds.get(name, 0.0) + now - clock
        clock = now

    plan = plan_build(config, until)
    entries, last, plans, inputs, code = plan.entries, plan.last, plan.plans, plan.inputs, plan.code
    report.quarantine.extend(plan.problems)
    report.raw_files = list_raw_files(config)
    report.repaired = sorted(plan.changed) if until != "ingest" else sorted(r for r in plan.changed if owned_by_ingest(r))
    lap("plan")
    if plan.current:
        report.up_to_date = True
        report.quarantine = last_quarantine(config)
        report.parsed = sorted(last.notices)
        report.parsed_files = sorted(n["file"] for n in last.notices.values())
        report.cached = len(last.notices)
        report.outputs = len(last.manifest["outputs"])
        report.seconds["total"] = time.perf_counter() - started
        return report

    staged = StagedOutputs(config.paths.processed)
    report.cleaned = staged.cleaned
    try:
        text_dir = staged.staging / "text"
        text_dir.mkdir()
        tasks = make_tasks(config, plans, until, text_dir)
        outcomes = {p.notice_id: carried_outcome(p, last) for p in plans if p.action != "process"}
        report.cached, report.processed = len(outcomes), len(tasks)
        done = len(outcomes)
        if on_progress:
            on_progress(done, len(plans))

        def tick(n: int) -> None:
            nonlocal done
            done += n
            if on_progress:
                on_progress(done, len(plans))

        collected = TableCollector()
        for chunk_outcomes, chunk_tables in run_tasks(tasks, config.jobs, tick):
            collected.add(chunk_tables)
            outcomes.update((o.notice_id, o) for o in chunk_outcomes)
        ordered = [outcomes[p.notice_id] for p in plans]
        lap("notices")

        report.quarantine.extend(quarantine_row(o.file, o.notice_id, o.sha256, o.stage or "ingest", o.reason, o.message)
                                 for o in ordered if not o.ok)
        kept, duplicates = split_duplicates([o for o in ordered if o.ok], {e.notice_id: i for i, e in enumerate(entries)})
        kept.sort(key=lambda o: o.notice_id)
        report.quarantine.extend(duplicates)
        report.parsed = [o.notice_id for o in kept]
        report.parsed_files = [o.file for o in kept]
        previous_outputs = last.manifest.get("outputs", {}) if last else {}
        for outcome in kept:
            rel = f"text/{outcome.notice_id}.txt"
            if outcome.carried:
                staged.keep(rel, previous_outputs[rel])
            else:
                staged.adopt(rel, outcome.text_sha256, outcome.text_bytes, [f"data/raw/{outcome.file}", "code"])
        parsed = set(report.parsed)
        for outcome in ordered:
            if not outcome.carried and outcome.notice_id not in parsed:
                (text_dir / f"{outcome.notice_id}.txt").unlink(missing_ok=True)

        processed = config.paths.processed
        stage_inputs: dict[str, str] = {}
        staged.table(TABLES["removals"], assemble_table("removals", kept, collected, processed))
        if until != "ingest":
            staged.table(TABLES["quarantine"], frame(TABLES["quarantine"], report.quarantine))
            tables = {name: assemble_table(name, kept, collected, processed) for name in PER_NOTICE_TABLES}
            del collected  # its frames are now in `tables`
            checks = manifest_check_rows(entries, tables["notices"].to_dicts())
            report.disagreements = [row for row in checks if row["agree"] is False]
            tables["manifest_checks"] = frame(TABLES["manifest_checks"], checks)
            lap("assemble")
            if STAGES.index(until) >= STAGES.index("indicators"):
                stage_inputs["indicators"] = hashlib.sha256(json.dumps(code, sort_keys=True).encode()).hexdigest()
                tables.update(indicator_tables(tables, kept, last, stage_inputs["indicators"], config))
                lap("indicators")
            if config.paths.annotations.is_dir() and any(config.paths.annotations.glob("*.yml")):
                tables["evaluation"], tables["evaluation_differences"] = evaluate(config.paths.annotations, tables)
                lap("evaluate")
            for name, df in tables.items():
                staged.table(TABLES[name], df)
            lap("write")
            if until == "network":
                inputs_of_network = network_inputs(tables)
                del tables  # the text-heavy columns are written; free them before the graphs need memory
                stage_inputs["network"] = network_fingerprint(inputs_of_network, config.network, code)
                carried = carried_network(last, stage_inputs["network"])
                if carried is not None:  # e.g. only the wording of a measure changed: no node, edge or attribute did
                    for rel, info in carried.items():
                        staged.keep(rel, info)
                    report.network_carried = True
                else:
                    stage_network(staged, inputs_of_network, config.network)
                lap("network")
            staged.text("codebook.md", codebook_markdown(), ["code"])
        manifest = staged.commit(inputs, code, stage_inputs, partial=until == "ingest")
        lap("write")
    except BaseException:
        staged.discard()
        raise
    report.outputs = len(manifest["outputs"])
    report.seconds["total"] = time.perf_counter() - started
    return report


def owned_by_ingest(relpath: str) -> bool:
    """Whether an output of data/processed is one that `notices ingest` writes."""
    return relpath.startswith(INGEST_OUTPUTS[0]) or relpath in INGEST_OUTPUTS[1:]


def last_quarantine(config: BuildConfig) -> list[dict]:
    """The quarantine table of the last build, as rows."""
    return pl.read_parquet(config.paths.processed / "quarantine.parquet").to_dicts()
