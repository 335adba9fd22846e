"""Partitioned tables: every table whose rows belong to one notice is a dataset of Parquet parts by notice id.

`data/processed/<table>/part-XX.parquet` holds the rows of the notices whose id falls in part XX
(`analysis.contract.tables.part_of`: SHA-256 of the id, modulo 64), sorted by the table's key; a part
without rows has no file. A build rewrites only the parts of notices that changed (processed again,
added, removed or newly quarantined): every other part is kept byte for byte, with its MANIFEST record.
Readers (`analysis.build.store.read_table`, `scan_table`) see one table sorted by its key, as before.
Single-file Parquet and CSV copies of these tables are made on demand by `notices export`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable

import polars as pl

from analysis.contract.schema import Table, frame
from analysis.contract.tables import PARTITIONED_TABLES, TABLES, part_of

PART_COLUMN = "__part"


@lru_cache(maxsize=None)
def part_number_of(notice_id: str) -> int:
    """`part_of`, remembered (a build asks for the same ids again and again)."""
    return part_of(notice_id)


def part_number(path: Path) -> int:
    """The part number of a part file (part-07.parquet → 7)."""
    return int(path.stem.removeprefix("part-"))


def part_rel(table: Table, part: int) -> str:
    """A part's path under data/processed."""
    return f"{table.stem}/part-{part:02d}.parquet"


def parts_of_ids(notice_ids: Iterable[str]) -> set[int]:
    """The parts some notices are stored in."""
    return {part_number_of(nid) for nid in notice_ids}


def split_parts(df: pl.DataFrame) -> dict[int, pl.DataFrame]:
    """A table's rows by part (each part keeps the frame's row order)."""
    if not df.height:
        return {}
    ids = df.get_column("notice_id").unique()
    mapping = pl.DataFrame({"notice_id": ids, PART_COLUMN: [part_number_of(nid) for nid in ids.to_list()]},
                           schema={"notice_id": pl.String, PART_COLUMN: pl.Int64})
    tagged = df.join(mapping, on="notice_id", how="left", maintain_order="left")
    return {key[0]: part.drop(PART_COLUMN) for key, part in tagged.partition_by(PART_COLUMN, as_dict=True,
                                                                               maintain_order=True).items()}


# How every Parquet file of a build is written. The rows per row group are fixed because polars otherwise
# follows the frame's chunks in memory, which depend on how the frame was put together (one graph at a time, say).
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 3, "statistics": True, "row_group_size": 512 * 512}


def write_part(df: pl.DataFrame, path: Path) -> None:
    """Write one part (deterministic bytes: PARQUET_OPTIONS)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.write_parquet(path, **PARQUET_OPTIONS)


def part_files(processed: Path, name: str) -> list[Path]:
    """The part files of a partitioned table on disk, in part order."""
    return sorted((processed / TABLES[name].stem).glob("part-*.parquet"))


def scan_parts(processed: Path, name: str, notice_ids: Iterable[str] | None = None) -> pl.LazyFrame:
    """A lazy scan of a partitioned table's parts (of those holding `notice_ids` only, if given), unsorted."""
    table = TABLES[name]
    files = part_files(processed, name)
    if notice_ids is not None:
        wanted = {f"part-{p:02d}.parquet" for p in parts_of_ids(notice_ids)}
        files = [f for f in files if f.name in wanted]
    if not files:
        return pl.LazyFrame(schema=table.polars_schema)
    return pl.scan_parquet(files)


def read_rows_of(processed: Path, name: str, notice_ids: list[str]) -> pl.DataFrame:
    """The rows of some notices in a partitioned table (only their parts are read)."""
    if not notice_ids:
        return frame(TABLES[name], [])
    return scan_parts(processed, name, notice_ids).filter(pl.col("notice_id").is_in(notice_ids)).collect()


def is_partitioned(name: str) -> bool:
    """Whether a table is stored as parts."""
    return name in PARTITIONED_TABLES
