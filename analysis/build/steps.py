"""What each corpus stage does in a build: the `run` functions the stage list (`analysis.build.stages`) points to.

Each takes the build's `CorpusState` — the corpus tables so far, the last build (for what can be carried
over), the staging folder — computes its tables, stages them for writing and records its fingerprint.
Indicator rows (each a function of one notice's rows) are carried over for carried-over notices when
the indicators' code and reference data are unchanged; the network is carried over when its input
columns, options and code are unchanged; evaluation is always recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from analysis import __version__
from analysis.build.assemble import TableCollector, assemble_table, manifest_check_rows, quarantine_row
from analysis.build.cache import LastBuild
from analysis.build.parts import is_partitioned, parts_of_ids, read_rows_of
from analysis.build.register import RegisterEntry, check_register, read_register
from analysis.build.store import StagedOutputs
from analysis.build.worker import NoticeOutcome
from analysis.config import BuildConfig, NetworkConfig
from analysis.contract.schema import frame
from analysis.contract.tables import TABLES, tables_of
from analysis.corpus.evaluate import evaluate as evaluate_tables
from analysis.corpus.indicators import compute_indicators
from analysis.corpus.exports import gexf, graphml
from analysis.corpus.graphs import build_graphs, inputs_fingerprint, network_inputs
from analysis.corpus.metrics import network_tables
from analysis.read.resources import load_resources


@dataclass
class CorpusState:
    """What the corpus stages of one build share: options, notices kept, rows collected, tables so far, outputs staged."""

    config: BuildConfig
    entries: list[RegisterEntry]
    kept: list[NoticeOutcome]
    collected: TableCollector
    last: LastBuild | None
    staged: StagedOutputs
    quarantine: list[dict]
    per_notice_tables: tuple[str, ...]  # the per-notice tables this build makes (up to --until)
    fingerprints: dict[str, str]  # stage → fingerprint of its declared code and the reference data
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    stage_inputs: dict[str, str] = field(default_factory=dict)  # recorded in MANIFEST
    disagreements: list[dict] = field(default_factory=list)
    network_carried: bool = False

    def write(self, names, rewrite_all: bool = False) -> None:
        """Stage some of the tables for writing (of a partitioned table, only the parts that changed; every part if
        `rewrite_all`)."""
        previous = self.last.manifest.get("outputs", {}) if self.last else {}
        dirty = None if rewrite_all else self.dirty_parts()
        for name in names:
            self.staged.table(TABLES[name], self.tables[name], dirty=dirty if is_partitioned(name) else None,
                              previous=previous)

    def dirty_parts(self) -> set[int] | None:
        """The parts whose notices changed since the last build (processed now, added, removed, newly quarantined);
        None if there is no last build to keep parts of."""
        if self.last is None:
            return None
        kept = {o.notice_id for o in self.kept}
        fresh = {o.notice_id for o in self.kept if not o.carried}
        return parts_of_ids(fresh | (kept ^ set(self.last.notices)))


def check_raw_register(config: BuildConfig) -> tuple[list[RegisterEntry], list[dict]]:
    """The manifest stage: the register's usable entries, and a quarantine row for each problem with it."""
    entries, problems = check_register(config.paths.raw, read_register(config.paths.register))
    return entries, [quarantine_row(p.file, p.notice_id, p.sha256, "manifest", p.reason, p.message) for p in problems]


def assemble(state: CorpusState) -> None:
    """The assemble stage: per-notice tables (carried-over rows + fresh rows), quarantine and register checks."""
    processed = state.config.paths.processed
    state.tables = {name: assemble_table(name, state.kept, state.collected, processed) for name in state.per_notice_tables}
    state.collected = TableCollector()  # its frames are now in `tables`
    state.tables["quarantine"] = frame(TABLES["quarantine"], state.quarantine)
    checks = manifest_check_rows(state.entries, state.tables["notices"].to_dicts())
    state.disagreements = [row for row in checks if row["agree"] is False]
    state.tables["manifest_checks"] = frame(TABLES["manifest_checks"], checks)
    state.write(state.tables)


def indicators(state: CorpusState) -> None:
    """The indicators stage."""
    state.stage_inputs["indicators"] = state.fingerprints["indicators"]
    computed, reused = indicator_tables(state.tables, state.kept, state.last, state.fingerprints["indicators"], state.config)
    state.tables.update(computed)
    state.write(computed, rewrite_all=not reused)


def evaluate(state: CorpusState) -> None:
    """The evaluate stage (only when data/annotations/ holds annotations)."""
    annotations = state.config.paths.annotations
    if annotations.is_dir() and any(annotations.glob("*.yml")):
        state.tables["evaluation"], state.tables["evaluation_differences"] = evaluate_tables(annotations, state.tables)
        state.write(("evaluation", "evaluation_differences"))


def network(state: CorpusState) -> None:
    """The network stage: rebuilt, or carried over when its inputs, options and code are unchanged."""
    inputs_of_network = network_inputs(state.tables)
    state.tables = {}  # the text-heavy columns are written; free them before the graphs need memory
    fingerprint = inputs_fingerprint(inputs_of_network, state.fingerprints["network"], repr(state.config.network))
    state.stage_inputs["network"] = fingerprint
    carried = carried_network(state.last, fingerprint)
    if carried is not None:  # e.g. only the wording of a measure changed: no node, edge or attribute did
        for rel, info in carried.items():
            state.staged.keep(rel, info)
        state.network_carried = True
    else:
        stage_network(state.staged, inputs_of_network, state.config.network)


def indicator_tables(tables: dict[str, pl.DataFrame], kept: list[NoticeOutcome], last: LastBuild | None, fingerprint: str,
                     config: BuildConfig) -> tuple[dict[str, pl.DataFrame], bool]:
    """The indicator tables: computed for the notices processed now, carried over for the others when the last build's
    indicators came from the same code and reference data (every indicator is a function of one notice's rows) and
    their parts are as the last build wrote them; and whether rows were carried over."""
    resources = load_resources(config.paths.root)
    processed = config.paths.processed
    carried = [o.notice_id for o in kept if o.carried]
    stems = tuple(f"{TABLES[name].stem}/" for name in tables_of("indicators"))
    reusable = (last is not None and carried and last.manifest.get("stage_inputs", {}).get("indicators") == fingerprint
                and all(last.intact(rel) for rel in last.manifest.get("outputs", {}) if rel.startswith(stems)))
    if not reusable:
        return compute_indicators(tables, resources), False
    fresh = [o.notice_id for o in kept if not o.carried]
    computed = compute_indicators({name: (df.filter(pl.col("notice_id").is_in(fresh)) if "notice_id" in df.columns else df)
                                   for name, df in tables.items()}, resources)
    return {name: frame(TABLES[name], pl.concat([read_rows_of(processed, name, carried), computed[name]],
                                                how="vertical_relaxed"))
            for name in tables_of("indicators")}, True


def carried_network(last: LastBuild | None, fingerprint: str) -> dict[str, dict] | None:
    """The last build's network outputs (path → MANIFEST record) if they were computed from the same inputs and are
    all still in place with the content MANIFEST records; else None."""
    if last is None or last.manifest.get("stage_inputs", {}).get("network") != fingerprint:
        return None
    outputs = {rel: info for rel, info in last.manifest.get("outputs", {}).items() if rel.startswith("network/")}
    return outputs if outputs and all(last.intact(rel) for rel in outputs) else None


def stage_network(staged: StagedOutputs, tables: dict[str, pl.DataFrame], config: NetworkConfig) -> None:
    """Build the graphs from the corpus tables (NETWORK_COLUMNS suffice) and compute their metrics; stage their tables and
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
