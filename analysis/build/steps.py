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
from analysis.build.parts import (is_partitioned, part_files, part_number, part_number_of, parts_of_ids, read_rows_of,
                                  split_parts)
from analysis.build.register import RegisterEntry, check_register, read_register
from analysis.build.store import StagedOutputs
from analysis.build.worker import NoticeOutcome
from analysis.config import BuildConfig, NetworkConfig
from analysis.contract.schema import frame
from analysis.contract.tables import TABLES, tables_of
from analysis.corpus.evaluate import evaluate as evaluate_tables
from analysis.corpus.indicators import compute_indicators
from analysis.corpus.graphs import NETWORK_COLUMNS, inputs_fingerprint
from analysis.read.resources import load_resources


@dataclass
class CorpusState:
    """What the corpus stages of one build share: options, notices kept, rows collected, tables so far, outputs staged.

    In a full build `tables` holds every table whole. In an incremental one (`dirty` is a set of parts) a per-notice
    table is held only as the rows of the notices in the parts that changed (`changed`); the other parts stay on disk,
    kept byte for byte, and `full` or `rows_of` read them when a stage needs the whole table or some notices' rows."""

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
    stage_inputs: dict[str, str | dict[str, str]] = field(default_factory=dict)  # recorded in MANIFEST
    disagreements: list[dict] = field(default_factory=list)
    network_carried: bool = False
    dirty: set[int] | None = None  # parts rewritten by this build (None: all of them)
    changed: dict[str, pl.DataFrame] = field(default_factory=dict)  # partitioned table → rows of its dirty parts

    def write(self, names, rewrite_all: bool = False) -> None:
        """Stage some tables (of a partitioned table only its dirty parts, unless `rewrite_all`; the others are kept)."""
        previous = self.last.manifest.get("outputs", {}) if self.last else {}
        for name in names:
            partial = is_partitioned(name) and self.dirty is not None and not rewrite_all
            self.staged.table(TABLES[name], self.changed[name] if partial else self.tables[name],
                              dirty=self.dirty if partial else None, previous=previous)

    def dirty_parts(self) -> set[int] | None:
        """The parts whose notices changed since the last build (processed now, added, removed, newly quarantined);
        None if there is no last build to keep parts of."""
        if self.last is None:
            return None
        kept = {o.notice_id for o in self.kept}
        fresh = {o.notice_id for o in self.kept if not o.carried}
        return parts_of_ids(fresh | (kept ^ set(self.last.notices)))

    def full(self, name: str, columns: tuple[str, ...] | None = None) -> pl.DataFrame:
        """A whole table (some columns of it), rows in key order: held, or read from its kept parts and the changed rows."""
        if name in self.tables:
            return self.tables[name] if columns is None else self.tables[name].select(columns)
        table = TABLES[name]
        wanted = list(columns or table.column_names)
        read = wanted + [k for k in table.key if k not in wanted]
        clean = [f for f in part_files(self.config.paths.processed, name) if part_number(f) not in self.dirty]
        parts = [pl.scan_parquet(clean).select(read).collect()] if clean else []
        rows = pl.concat([*parts, self.changed[name].select(read)], how="vertical_relaxed")
        return rows.sort(list(table.key), nulls_last=True, maintain_order=True).select(wanted)

    def rows_of(self, name: str, notice_ids: list[str]) -> pl.DataFrame:
        """The rows of some notices in a table, in key order."""
        if name in self.tables:
            return self.tables[name].filter(pl.col("notice_id").is_in(notice_ids))
        kept_parts = [nid for nid in notice_ids if part_number_of(nid) not in self.dirty]
        rows = pl.concat([read_rows_of(self.config.paths.processed, name, kept_parts),
                          self.changed[name].filter(pl.col("notice_id").is_in(notice_ids))], how="vertical_relaxed")
        return frame(TABLES[name], rows)


def check_raw_register(config: BuildConfig, hashes=None) -> tuple[list[RegisterEntry], list[dict]]:
    """The manifest stage: the register's usable entries, and a quarantine row for each problem with it (`hashes`: the
    build's remembered hashes of files not written since, `analysis.build.hashcache`)."""
    entries, problems = check_register(config.paths.raw, read_register(config.paths.register), hashes)
    return entries, [quarantine_row(p.file, p.notice_id, p.sha256, "manifest", p.reason, p.message) for p in problems]


def assemble(state: CorpusState) -> None:
    """The assemble stage: per-notice tables (carried-over rows + fresh rows; in an incremental build only those of
    the parts that changed), quarantine and register checks."""
    processed = state.config.paths.processed
    state.dirty = state.dirty_parts()
    if state.dirty is None:
        state.tables = {name: assemble_table(name, state.kept, state.collected, processed) for name in state.per_notice_tables}
    else:
        touched = [o for o in state.kept if part_number_of(o.notice_id) in state.dirty]
        state.changed = {name: assemble_table(name, touched, state.collected, processed) for name in state.per_notice_tables}
    state.collected = TableCollector()  # its frames are now in `tables`
    state.tables["quarantine"] = frame(TABLES["quarantine"], state.quarantine)
    checks = manifest_check_rows(state.entries, hand_kept_notices(state))
    state.disagreements = [row for row in checks if row["agree"] is False]
    state.tables["manifest_checks"] = frame(TABLES["manifest_checks"], checks)
    state.write([*state.per_notice_tables, "quarantine", "manifest_checks"])


MANIFEST_CHECK_COLUMNS = ("notice_id", "issuing_body", "signature_date", "script")


def hand_kept_notices(state: CorpusState) -> list[dict]:
    """The notices' columns the register's hand-kept fields are checked against (none read when no entry has any)."""
    if not any(e.body_as_signed or e.signature_date_as_printed or e.script for e in state.entries):
        return []
    return state.full("notices", MANIFEST_CHECK_COLUMNS).to_dicts()


def indicators(state: CorpusState) -> None:
    """The indicators stage: computed for the notices processed now, the other notices' rows carried over when the last
    build's indicators came from the same code and reference data (every indicator is a function of one notice's rows)
    and their parts are intact; else computed for every notice."""
    state.stage_inputs["indicators"] = state.fingerprints["indicators"]
    names = tables_of("indicators")
    inputs = ("notices", "problems", "measures", "documents", "agencies")
    if not reusable_indicators(state):
        computed = compute_indicators({name: state.full(name) for name in inputs}, load_resources(state.config.paths.root))
        state.tables.update(computed)
        state.write(names, rewrite_all=True)
        return
    fresh = [o.notice_id for o in state.kept if not o.carried]
    computed = compute_indicators({name: state.rows_of(name, fresh) for name in inputs}, load_resources(state.config.paths.root))
    processed = state.config.paths.processed
    if state.dirty is None:  # no parts to keep (the last build is not reusable for rows): the whole tables
        carried = [o.notice_id for o in state.kept if o.carried]
        state.tables.update({name: frame(TABLES[name], pl.concat([read_rows_of(processed, name, carried), computed[name]],
                                                                 how="vertical_relaxed")) for name in names})
    else:
        carried = [o.notice_id for o in state.kept if o.carried and part_number_of(o.notice_id) in state.dirty]
        state.changed.update({name: frame(TABLES[name], pl.concat([read_rows_of(processed, name, carried), computed[name]],
                                                                  how="vertical_relaxed")) for name in names})
    state.write(names)


def evaluate(state: CorpusState) -> None:
    """The evaluate stage (only when data/annotations/ holds annotations)."""
    annotations = state.config.paths.annotations
    if annotations.is_dir() and any(annotations.glob("*.yml")):
        annotated = sorted(p.stem for p in annotations.glob("*.yml"))  # evaluation reads only these notices' rows
        tables = {name: state.rows_of(name, annotated) for name in state.per_notice_tables}
        state.tables["evaluation"], state.tables["evaluation_differences"] = evaluate_tables(annotations, tables)
        state.write(("evaluation", "evaluation_differences"))


def network(state: CorpusState) -> None:
    """The network stage: carried over when its inputs (the network's columns, part by part), options and code are
    unchanged — read and hashed only for the parts this build rewrote — else rebuilt from the whole input columns."""
    parts = network_part_fingerprints(state)
    fingerprint = network_fingerprint(parts, state)
    state.stage_inputs["network"] = fingerprint
    state.stage_inputs["network_parts"] = parts
    carried = carried_network(state.last, fingerprint)
    if carried is not None:  # e.g. only the wording of a measure changed: no node, edge or attribute did
        state.tables, state.changed = {}, {}
        for rel, info in carried.items():
            state.staged.keep(rel, info)
        state.network_carried = True
        return
    inputs_of_network = {name: state.full(name, columns) for name, columns in NETWORK_COLUMNS.items()}
    state.tables, state.changed = {}, {}  # the text-heavy columns are written; free them before the graphs need memory
    stage_network(state.staged, inputs_of_network, state.config.network)


def part_fingerprints(tables: dict[str, pl.DataFrame]) -> dict[str, str]:
    """Part number (as text) → fingerprint of the network's input columns of the notices stored in that part."""
    split = {name: split_parts(df.sort(list(TABLES[name].key), nulls_last=True, maintain_order=True))
             for name, df in tables.items()}
    numbers = sorted({part for by_part in split.values() for part in by_part})
    return {str(part): inputs_fingerprint({name: by_part[part].select(NETWORK_COLUMNS[name])
                                           for name, by_part in split.items() if part in by_part}) for part in numbers}


def network_part_fingerprints(state: CorpusState) -> dict[str, str]:
    """The fingerprint of each part's network inputs: computed for the parts this build wrote, the last build's for the
    others (all computed when the last build recorded none, or in a full build)."""
    before = state.last.manifest.get("stage_inputs", {}).get("network_parts") if state.last else None
    if state.dirty is None or not isinstance(before, dict):
        return part_fingerprints({name: state.full(name, tuple(dict.fromkeys(("notice_id", *TABLES[name].key, *columns))))
                                  for name, columns in NETWORK_COLUMNS.items()})
    fresh = part_fingerprints({name: state.changed[name] for name in NETWORK_COLUMNS})
    kept = {part: value for part, value in before.items() if int(part) not in state.dirty}
    return dict(sorted({**kept, **fresh}.items(), key=lambda item: int(item[0])))


def network_fingerprint(parts: dict[str, str], state: CorpusState) -> str:
    """The network's fingerprint: its parts' inputs, its code and reference data, its options."""
    return inputs_fingerprint({}, *(f"{part}:{value}" for part, value in parts.items()), state.fingerprints["network"],
                              repr(state.config.network))


def reusable_indicators(state: CorpusState) -> bool:
    """Whether the last build's indicator rows can be carried over: same code and reference data, every part intact."""
    last = state.last
    stems = tuple(f"{TABLES[name].stem}/" for name in tables_of("indicators"))
    return (last is not None and any(o.carried for o in state.kept)
            and last.manifest.get("stage_inputs", {}).get("indicators") == state.fingerprints["indicators"]
            and all(last.intact(rel) for rel in last.manifest.get("outputs", {}) if rel.startswith(stems)))


def carried_network(last: LastBuild | None, fingerprint: str) -> dict[str, dict] | None:
    """The last build's network outputs (path → MANIFEST record) if they were computed from the same inputs and are
    all still in place with the content MANIFEST records; else None."""
    if last is None or last.manifest.get("stage_inputs", {}).get("network") != fingerprint:
        return None
    outputs = {rel: info for rel, info in last.manifest.get("outputs", {}).items() if rel.startswith("network/")}
    return outputs if outputs and all(last.intact(rel) for rel in outputs) else None


def stage_network(staged: StagedOutputs, tables: dict[str, pl.DataFrame], config: NetworkConfig) -> None:
    """Build the graphs from the corpus tables (NETWORK_COLUMNS suffice) and compute their metrics one graph at a time;
    stage their tables and GraphML/GEXF exports under network/."""
    from analysis.corpus.exports import gexf, graphml  # (igraph and the graph code only when the network is rebuilt)
    from analysis.corpus.graphs import each_graph
    from analysis.corpus.metrics import graph_tables, network_tables

    dates = tables["notices"].get_column("signature_date").drop_nulls()
    stamp = dates.max().isoformat() if len(dates) else "1970-01-01"
    each = {}
    for graph in each_graph(tables, config):
        rows = each[graph.name] = graph_tables(graph, config)
        if rows.summary["exported"]:  # else recorded as exported = false in network_graphs
            staged.file(f"network/{graph.name}.graphml", graphml(rows.nodes, rows.edges, graph.directed).write,
                        ["corpus", "reference", "code"])
            staged.file(f"network/{graph.name}.gexf",
                        gexf(rows.nodes, rows.edges, graph.directed, stamp, f"rectification-notices {__version__}").write,
                        ["corpus", "reference", "code"])
        del graph, rows
    for name, df in network_tables(each).items():
        staged.table(TABLES[name], df)
