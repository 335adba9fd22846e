"""Reading the processed tables (for notebooks, evaluation and the site): eager or lazy, always by contract name."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from analysis.corpus import evaluate
from analysis.corpus import indicators
from analysis.corpus import network  # noqa: F401 — their modules register the tables they write
from analysis.errors import ProjectError
from analysis.contract.tables import TABLES


def table_path(processed: Path, name: str) -> Path:
    """Parquet file of a table."""
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; tables are {', '.join(TABLES)}")
    return processed / f"{TABLES[name].stem}.parquet"


def scan_table(processed: Path, name: str) -> pl.LazyFrame:
    """A lazy scan of a processed table (nothing is read until .collect())."""
    path = table_path(processed, name)
    if not path.is_file():
        raise ProjectError(f"{path} does not exist: run `notices build` first")
    return pl.scan_parquet(path)


def read_table(processed: Path, name: str) -> pl.DataFrame:
    """A processed table, read in full."""
    return scan_table(processed, name).collect()


def read_tables(processed: Path, names: tuple[str, ...] | list[str]) -> dict[str, pl.DataFrame]:
    """Several processed tables by name."""
    return {name: read_table(processed, name) for name in names}


def notice_text(processed: Path, notice_id: str) -> str:
    """The normalised text of a notice (what every offset points into)."""
    path = processed / "text" / f"{notice_id}.txt"
    if not path.is_file():
        raise ProjectError(f"no normalised text for {notice_id!r} in {path.parent}: unknown notice, or run `notices build`")
    return path.read_text(encoding="utf-8")
