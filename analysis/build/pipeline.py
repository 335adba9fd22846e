"""The build: raw register → per-notice stages (in parallel, incremental) → corpus stages → data/processed.

The stages, their order, outputs and code are declared in `analysis.build.stages`; this module runs
them: it checks the register (manifest stage), plans what the last build's outputs let it carry over
(`analysis.build.cache`; `notices build --dry-run` prints the plan), runs the per-notice steps up to
`--until` on worker processes (`analysis.build.worker`), then the corpus stages in order
(`analysis.build.steps`), staging every output and committing them with the build record last
(`analysis.build.store`). A build holds the exclusive lock on data/ (analysis.build.lock) from
planning to commit; its workers die with it (analysis.build.pool).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import polars as pl

from analysis import __version__
from analysis.build.assemble import TableCollector, assemble_table, quarantine_row, split_duplicates
from analysis.build.cache import LastBuild, NoticePlan, carried_outcome, last_build, plan_notices, up_to_date
from analysis.build.fingerprint import PARSER_VERSION, modules_fingerprint, package_fingerprint
from analysis.build.hashcache import HashCache, hash_cache
from analysis.build.lock import data_lock
from analysis.build.register import RegisterEntry, raw_entries, sha256_bytes
from analysis.build.stages import BY_NAME, check_until, corpus_stages, notice_steps, per_notice_modules, stage_modules
from analysis.build.steps import CorpusState, assemble, check_raw_register
from analysis.build.store import StagedOutputs, changed_outputs, read_build_record
from analysis.build.engines import Engine, open_engine
from analysis.build.worker import NoticeOutcome, NoticeTask, chunks
from analysis.config import BuildConfig
from analysis.contract.codebook import codebook_markdown
from analysis.contract.tables import TABLES, tables_of
from analysis.contract.values import PER_NOTICE_STAGES

INGEST_OUTPUTS = ("text/", "removals/")  # what `notices ingest` writes (and nothing else)


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


def build_code(config: BuildConfig, fingerprint: str, until: str) -> dict:
    """The `code` record of MANIFEST: versions, fingerprints and the options that shape the outputs."""
    net = config.network
    return {"package_version": __version__, "parser_version": PARSER_VERSION, "per_notice_fingerprint": fingerprint,
            "package_fingerprint": package_fingerprint(), "until": until, "max_bytes": config.max_bytes,
            "network": {"hub_limit": net.hub_limit, "betweenness_budget": net.betweenness_budget, "seed": net.seed,
                        "export_edge_limit": net.export_edge_limit}}


def collect_inputs(config: BuildConfig, entries: list[RegisterEntry]) -> dict[str, dict[str, str]]:
    """Input groups recorded in MANIFEST: the corpus (register + raw files) and reference data."""
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
    hashes: HashCache | None = None  # remembered hashes of files not written since (none for --full)

    def count(self, action: str) -> int:
        """Notices planned for one action."""
        return sum(1 for p in self.plans if p.action == action)


def plan_build(config: BuildConfig, until: str = "network") -> BuildPlan:
    """Check the register and the last build; decide, without writing anything, what a build would redo and why."""
    check_until(until)
    hashes = hash_cache(config.paths.root / "data", config.use_cache)
    entries, problem_rows = check_raw_register(config, hashes)
    fingerprint = modules_fingerprint(config.paths.root, per_notice_modules())
    record = read_build_record(config.paths.processed)
    changed = changed_outputs(config.paths.processed, record, hashes) if record else {}
    last, why_not = last_build(config, fingerprint, until, record, changed)
    inputs, code = collect_inputs(config, entries), build_code(config, fingerprint, until)
    return BuildPlan(entries, problem_rows, last, why_not, plan_notices(entries, last, why_not), inputs, code,
                     up_to_date(last, inputs, code, problem_rows), changed, hashes)


def build(config: BuildConfig, on_progress: Callable[[int, int], None] | None = None, until: str = "network") -> BuildReport:
    """Run the stages up to `until` on the raw corpus and write data/processed, holding the lock on data/; return what
    happened. `until="ingest"` (`notices ingest`) writes only the texts and the removal log and deletes nothing."""
    with data_lock(config.paths.root, "build" if until != "ingest" else "ingest", wait=config.wait):
        return _build(config, on_progress, until)


class Clock:
    """Seconds spent per step of a build, for the summary."""

    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds, self.started = seconds, time.perf_counter()
        self.last = self.started

    def lap(self, name: str) -> None:
        """Add the time since the last lap to `name`."""
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self.last
        self.last = now

    def stop(self) -> None:
        """Record the total."""
        self.seconds["total"] = time.perf_counter() - self.started


def _build(config: BuildConfig, on_progress: Callable[[int, int], None] | None, until: str) -> BuildReport:
    """The build itself (the caller holds the lock)."""
    report = BuildReport()
    clock = Clock(report.seconds)
    plan = plan_build(config, until)
    report.quarantine.extend(plan.problems)
    report.raw_files = raw_entries(config.paths.raw)
    report.repaired = sorted(plan.changed) if until != "ingest" else sorted(r for r in plan.changed if owned_by_ingest(r))
    clock.lap("plan")
    if plan.current:
        up_to_date_report(report, config, plan.last)
        plan.hashes.save()
        clock.stop()
        return report
    with open_engine(config if plan.count("process") else config.with_(cluster=None)) as engine:  # before staging
        return _build_staged(config, plan, until, report, clock, engine, on_progress)


def _build_staged(config: BuildConfig, plan: BuildPlan, until: str, report: BuildReport, clock: Clock, engine: Engine,
                  on_progress: Callable[[int, int], None] | None) -> BuildReport:
    """Stage every output of the build, then commit them (or discard them all if anything fails)."""
    staged = StagedOutputs(config.paths.processed)
    report.cleaned = staged.cleaned
    try:
        engine.prepare(staged.staging)
        kept, collected = run_notices(config, plan, until, staged, report, engine, on_progress)
        engine.close()  # a Dask cluster's workers are not needed by the corpus stages
        clock.lap("notices")
        state = CorpusState(config, plan.entries, kept, collected, plan.last, staged, report.quarantine,
                            tables_of(*PER_NOTICE_STAGES[:PER_NOTICE_STAGES.index(until) + 1]) if until in PER_NOTICE_STAGES
                            else tables_of(*PER_NOTICE_STAGES), stage_fingerprints(config))
        if until == "ingest":
            staged.table(*removals_only(state))
        else:
            assemble(state)
            report.disagreements = state.disagreements
            clock.lap("assemble")
            for stage in corpus_stages(until):
                stage.run(state)
                clock.lap(stage.name)
            report.network_carried = state.network_carried
            staged.text("codebook.md", codebook_markdown(), ["code"])
        record = staged.commit(plan.inputs, plan.code, state.stage_inputs, partial=until == "ingest", hashes=plan.hashes)
        plan.hashes.save()
        clock.lap("write")
    except BaseException:
        staged.discard()
        raise
    report.outputs = len(record["outputs"])
    clock.stop()
    return report


def stage_fingerprints(config: BuildConfig) -> dict[str, str]:
    """Fingerprint of each corpus stage's declared code (with the per-notice code's) and the reference data."""
    return {name: modules_fingerprint(config.paths.root, stage_modules(BY_NAME[name])) for name in ("indicators", "network")}


def removals_only(state: CorpusState):
    """The removals table of an ingest-only build (`notices ingest`)."""
    return TABLES["removals"], assemble_table("removals", state.kept, state.collected, state.config.paths.processed)


def run_notices(config: BuildConfig, plan: BuildPlan, until: str, staged: StagedOutputs, report: BuildReport, engine: Engine,
                on_progress: Callable[[int, int], None] | None) -> tuple[list[NoticeOutcome], TableCollector]:
    """Run the per-notice steps on the notices to process (on the engine: worker processes or a Dask cluster), take the
    others over from the last build; set duplicates aside; stage every kept notice's text. The notices kept, in id
    order, and their rows (chunks may complete in any order: outcomes are ordered by the plan, tables by their keys)."""
    text_dir = staged.staging / "text"
    text_dir.mkdir()
    tasks = make_tasks(config, plan.plans, until, str(text_dir))
    outcomes = {p.notice_id: carried_outcome(p, plan.last) for p in plan.plans if p.action != "process"}
    report.cached, report.processed = len(outcomes), len(tasks)
    done = len(outcomes)
    if on_progress:
        on_progress(done, len(plan.plans))

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if on_progress:
            on_progress(done, len(plan.plans))

    collected = TableCollector()
    for chunk_outcomes, chunk_tables in engine.run(chunks(tasks, engine.slots)):
        collected.add(chunk_tables)
        outcomes.update((o.notice_id, o) for o in chunk_outcomes)
        tick(len(chunk_outcomes))
    ordered = [outcomes[p.notice_id] for p in plan.plans]
    report.quarantine.extend(quarantine_row(o.file, o.notice_id, o.sha256, o.stage or "ingest", o.reason, o.message)
                             for o in ordered if not o.ok)
    kept, duplicates = split_duplicates([o for o in ordered if o.ok], {e.notice_id: i for i, e in enumerate(plan.entries)})
    kept.sort(key=lambda o: o.notice_id)
    report.quarantine.extend(duplicates)
    report.parsed = [o.notice_id for o in kept]
    report.parsed_files = [o.file for o in kept]
    previous_outputs = plan.last.manifest.get("outputs", {}) if plan.last else {}
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
    return kept, collected


def make_tasks(config: BuildConfig, plans: list[NoticePlan], until: str, text_dir: str | None) -> list[NoticeTask]:
    """One task per notice to process, in notice-id order, with the per-notice steps up to `until`."""
    raw = config.paths.raw
    steps = notice_steps(until if until in PER_NOTICE_STAGES else PER_NOTICE_STAGES[-1])
    return [NoticeTask(p.notice_id, p.file, str(raw / p.file), p.sha256, config.max_bytes, str(config.paths.root), steps,
                       text_dir) for p in plans if p.action == "process"]


def up_to_date_report(report: BuildReport, config: BuildConfig, last: LastBuild) -> None:
    """Fill the report of a build that found data/processed already current."""
    report.up_to_date = True
    report.quarantine = pl.read_parquet(config.paths.processed / "quarantine.parquet").to_dicts()
    report.parsed = sorted(last.notices)
    report.parsed_files = sorted(n["file"] for n in last.notices.values())
    report.cached = len(last.notices)
    report.outputs = len(last.manifest["outputs"])


def owned_by_ingest(relpath: str) -> bool:
    """Whether an output of data/processed is one that `notices ingest` writes."""
    return relpath.startswith(INGEST_OUTPUTS)
