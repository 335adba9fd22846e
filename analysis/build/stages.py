"""The pipeline, declared once: every stage with what it runs, what it reads and writes, and the code it depends on.

The build runs these stages in this order (`notices build --until STAGE` stops after one), the cache
fingerprints are computed from each stage's declared modules, and each stage's outputs are the tables
the contract assigns to it (`analysis.contract.tables.tables_of`). Per-notice stages run once per
notice in a worker (their `run` is a step on a `NoticeReading`); corpus stages run once per build on
the corpus tables (their `run` takes the build's `CorpusState`, see `analysis.build.steps`). Two stages are
run by the pipeline at fixed points rather than from the loop: manifest (its `run` takes the build's
config and is called while planning) and assemble (always, right after the per-notice stages).

A module that a stage imports but does not declare would let an incremental build keep stale rows;
tests/build/test_stages.py walks the imports and fails if any is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from analysis.build import steps
from analysis.contract.tables import tables_of
from analysis.contract.values import PER_NOTICE_STAGES, STAGES
from analysis.extract.notice import extract_step, ingest_step, parse_step

CONTRACT = ("contract/schema", "contract/tables", "contract/notice_tables", "contract/corpus_tables", "contract/values",
            "contract/keys")


@dataclass(frozen=True)
class Stage:
    """One stage of the pipeline."""

    name: str  # one of analysis.contract.values.STAGES
    scope: str  # notice: once per notice, in a worker; corpus: once per build
    summary: str
    run: Callable
    modules: tuple[str, ...]  # package modules (paths inside analysis/, no .py) whose code decides the outputs
    inputs: tuple[str, ...] = ()  # tables a corpus stage reads

    @property
    def outputs(self) -> tuple[str, ...]:
        """The tables this stage writes (from the contract)."""
        return tables_of(self.name)


PIPELINE: tuple[Stage, ...] = (
    Stage("manifest", "corpus", "check the raw register (data/raw/manifest.csv) against data/raw/notices/",
          steps.check_raw_register, ("build/register", "errors", "build/files")),
    Stage("ingest", "notice", "decode and normalise a raw file; log every span removed", ingest_step,
          ("read/__init__", "read/decode", "read/page", "read/ingest", "read/text", "errors", "extract/notice", "extract/rows", "build/worker",
           "read/resources", "read/places", *CONTRACT)),
    Stage("parse", "notice", "outline, problems, measures' spans and the notice's metadata", parse_step,
          ("read/outline", "read/structure", "read/measures", "read/parse", "read/without_outline", "read/dates",
           "read/date_resolution", "read/frame", "read/metadata", "read/bodies", "read/declared", "read/inspection",
           "read/inspection_level")),
    Stage("extract", "notice", "documents, agencies, dates and figures, placed in the outline; measures' rows", extract_step,
          ("extract/__init__", "extract/document_titles", "extract/documents", "extract/document_references", "extract/unmarked_documents",
           "extract/agencies", "extract/agency_bodies", "extract/agency_context", "extract/agency_patterns", "extract/figures",
           "extract/figure_nouns")),
    Stage("assemble", "corpus", "corpus tables from the notices' rows: carried over or fresh, duplicates set aside, quarantine, "
          "register checks", steps.assemble, ("build/assemble", "build/cache", "build/store", "build/parts", "build/register", "build/files", "config", *CONTRACT),
          tables_of(*PER_NOTICE_STAGES)),
    Stage("indicators", "corpus", "indicators per notice and per problem, theme mix", steps.indicators,
          ("corpus/indicators", "contract/indicators"), ("notices", "problems", "measures", "documents", "agencies")),
    Stage("evaluate", "corpus", "the tables against the hand annotations in data/annotations/", steps.evaluate,
          ("corpus/evaluate",), ("notices", "problems", "measures", "documents", "agencies", "dates", "figures")),
    Stage("network", "corpus", "graphs of agencies, documents and notices; their metrics; GraphML/GEXF", steps.network,
          ("corpus/graphs", "corpus/metrics", "corpus/exports", "config"), ("notices", "documents", "agencies", "measures")),
)
BY_NAME = {stage.name: stage for stage in PIPELINE}
STOP_POINTS = tuple(s.name for s in PIPELINE if s.name not in ("manifest", "assemble"))  # what --until accepts


def per_notice_modules() -> tuple[str, ...]:
    """Every module the per-notice stages declare (their fingerprint decides whether a notice is carried over)."""
    return tuple(sorted({m for s in PIPELINE if s.scope == "notice" for m in s.modules}))


def stage_modules(stage: Stage) -> tuple[str, ...]:
    """The modules whose code a stage's outputs depend on: its own, plus the per-notice stages' (whose rows it reads)."""
    own = set(stage.modules)
    return tuple(sorted(own | set(per_notice_modules()) if stage.name != "manifest" else own))


def notice_steps(until: str) -> tuple[tuple[str, Callable], ...]:
    """The per-notice steps a worker runs for a build that stops after `until`."""
    last = STAGES.index(until)
    return tuple((s.name, s.run) for s in PIPELINE if s.scope == "notice" and STAGES.index(s.name) <= last)


def corpus_stages(until: str) -> tuple[Stage, ...]:
    """The corpus stages after assembly that a build stopping after `until` runs, in order."""
    last = STAGES.index(until)
    return tuple(s for s in PIPELINE if s.scope == "corpus" and s.name not in ("manifest", "assemble")
                 and STAGES.index(s.name) <= last)


def check_until(until: str) -> str:
    """`until` if it is a stage a build can stop after; else ValueError naming the choices."""
    if until not in STOP_POINTS:
        raise ValueError(f"unknown stage {until!r}; a build can stop after {', '.join(STOP_POINTS)}")
    return until


def stages_markdown() -> str:
    """The stage list as a Markdown table (docs/architecture.md carries it; a test keeps the two in step)."""
    lines = ["| # | stage | runs | reads | writes | code (analysis/…) |", "|---|---|---|---|---|---|"]
    for number, stage in enumerate(PIPELINE, start=1):
        reads = "raw files" if stage.name in ("manifest", "ingest") else (", ".join(stage.inputs) or "the notice's text")
        writes = ", ".join(f"`{name}`" for name in stage.outputs) or "quarantine rows"
        runs = "per notice" if stage.scope == "notice" else "per build"
        modules = [m for m in stage.modules if m not in CONTRACT] + (["contract/*"] if set(CONTRACT) <= set(stage.modules) else [])
        lines.append(f"| {number} | **{stage.name}** — {stage.summary} | {runs} | {reads} | {writes} | {', '.join(modules)} |")
    return "\n".join(lines) + "\n"
