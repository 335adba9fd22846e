"""The data contract: every processed table declared once — columns, types, meanings, keys — in stage order.

`TABLES` maps a table's name to its declaration (per-notice tables in `notice_tables`, corpus tables in
`corpus_tables`); `tables_of` lists the tables a stage writes, so no other module retypes a list of tables.
"""

from __future__ import annotations

import hashlib

from analysis.contract.corpus_tables import CORPUS_TABLES
from analysis.contract.notice_tables import NOTICE_TABLES
from analysis.contract.schema import Table
from analysis.contract.values import PER_NOTICE_STAGES, STAGES

TABLES: dict[str, Table] = {t.name: t for t in sorted(NOTICE_TABLES + CORPUS_TABLES, key=lambda t: STAGES.index(t.stage))}


def tables_of(*stages: str) -> tuple[str, ...]:
    """Names of the tables the given stages write, in contract order."""
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        raise ValueError(f"unknown stage(s) {unknown}; stages are {', '.join(STAGES)}")
    return tuple(name for name, table in TABLES.items() if table.stage in stages)


PER_NOTICE_TABLES = tables_of(*PER_NOTICE_STAGES)  # each notice's rows, carried over or computed afresh

# Tables whose rows each belong to one notice are stored as a dataset of parts, `<stem>/part-XX.parquet`, a notice's
# rows always in part `part_of(notice_id)`: a change to one notice rewrites one part of each table, not the table.
PARTITIONED_TABLES = (*PER_NOTICE_TABLES, *tables_of("indicators"))
PARTS = 64  # fixed: changing it moves every notice to another part (a build then rewrites every part)


def part_of(notice_id: str) -> int:
    """The part a notice's rows are stored in: the first four bytes of SHA-256 of its id, modulo PARTS (the same in
    every process and on every machine, unlike Python's salted hash())."""
    return int.from_bytes(hashlib.sha256(notice_id.encode("utf-8")).digest()[:4], "big") % PARTS
