"""The data contract: every processed table declared once — columns, types, meanings, keys — in stage order.

`TABLES` maps a table's name to its declaration (per-notice tables in `notice_tables`, corpus tables in
`corpus_tables`); `tables_of` lists the tables a stage writes, so no other module retypes a list of tables.
"""

from __future__ import annotations

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
