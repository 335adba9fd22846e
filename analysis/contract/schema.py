"""How a table is declared and checked: Column, Table, `frame` (typed rows) and `validate` (a frame against its declaration).

The declarations themselves are in `analysis.contract.tables`; nothing here knows about a particular table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

DTYPES = {
    "str": pl.String,
    "int": pl.Int64,
    "float": pl.Float64,
    "bool": pl.Boolean,
    "date": pl.Date,
}


@dataclass(frozen=True)
class Column:
    """One column: name, type, what it means, how it is derived, an example value."""

    name: str
    dtype: str
    meaning: str
    derivation: str
    example: str = ""
    nullable: bool = True
    values: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Reference:
    """A foreign key: `columns` of a row name one row of `table` by that table's key (null columns name nothing)."""

    columns: tuple[str, ...]
    table: str


@dataclass(frozen=True)
class Table:
    """One table of data/processed: its grain, key, columns and the other tables its rows point to."""

    name: str
    stage: str
    grain: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    notes: str = ""
    files: tuple[str, ...] = field(default=("parquet", "csv"))
    location: str = ""  # path under data/processed without extension; default: the table's name
    references: tuple[Reference, ...] = ()  # foreign keys (checked on the exported corpus: tests/contract/test_datapackage.py)

    @property
    def stem(self) -> str:
        """Where the table's files live under data/processed (without extension)."""
        return self.location or self.name

    @property
    def column_names(self) -> list[str]:
        """Column names in declared order."""
        return [c.name for c in self.columns]

    @property
    def polars_schema(self) -> dict[str, pl.DataType]:
        """Column name → polars dtype."""
        return {c.name: DTYPES[c.dtype] for c in self.columns}


class SchemaError(ValueError):
    """A frame does not meet its table's declaration."""


def C(name: str, dtype: str, meaning: str, derivation: str, example: str = "", nullable: bool = True,
      values: tuple[str, ...] | None = None) -> Column:
    """Shorthand for a Column."""
    return Column(name, dtype, meaning, derivation, example, nullable, values)


def frame(table: Table, rows: list[dict] | dict[str, list] | pl.DataFrame, order_test: bool = True) -> pl.DataFrame:
    """A typed frame of `rows` (dicts, columns — column name → values —, or a frame with the declared columns) with the
    table's columns in order, sorted by its key; `order_test=False` sorts without first testing whether the rows are
    in key order (cheaper where they seldom are: a stable sort leaves rows in key order as they are)."""
    names = table.column_names
    if isinstance(rows, dict):
        unknown = sorted(set(rows) - set(names))
        if unknown:
            raise SchemaError(f"table {table.name}: rows carry undeclared column(s) {', '.join(unknown)}")
        count = len(next(iter(rows.values()), []))
        data = {name: rows[name] if name in rows else [None] * count for name in names}
        df = pl.DataFrame(data, schema=table.polars_schema, strict=True)
    elif isinstance(rows, pl.DataFrame):
        unknown = sorted(set(rows.columns) - set(names))
        if unknown:
            raise SchemaError(f"table {table.name}: frame carries undeclared column(s) {', '.join(unknown)}")
        df = rows.select([pl.col(n).cast(dtype) if n in rows.columns else pl.lit(None, dtype).alias(n)
                          for n, dtype in table.polars_schema.items()])
    else:
        unknown = sorted(set().union(*rows) - set(names))
        if unknown:
            raise SchemaError(f"table {table.name}: rows carry undeclared column(s) {', '.join(unknown)}")
        data = {name: [row.get(name) for row in rows] for name in names}
        df = pl.DataFrame(data, schema=table.polars_schema, strict=True)
    if order_test and in_key_order(df, table.key):
        return df
    return df.sort(list(table.key), nulls_last=True, maintain_order=True)


ORDERED_DTYPES = (pl.String, pl.Int64, pl.Int32, pl.UInt32, pl.Date, pl.Boolean)


def key_increases(key: tuple[str, ...]) -> pl.Expr:
    """True where a row's key is greater than the previous row's (lexicographically; null on the first row)."""
    expr = pl.col(key[-1]) > pl.col(key[-1]).shift(1)
    for column in reversed(key[:-1]):
        expr = (pl.col(column) > pl.col(column).shift(1)) | ((pl.col(column) == pl.col(column).shift(1)) & expr)
    return expr


def in_key_order(df: pl.DataFrame, key: tuple[str, ...]) -> bool:
    """Whether the rows are already sorted by `key` and unique on it (no nulls in it): then a sort is a no-op, a
    duplicate check needless, and a large frame need not be copied for either."""
    if df.height < 2:
        return True
    if any(df.schema[c] not in ORDERED_DTYPES for c in key) or any(df.get_column(c).null_count() for c in key):
        return False
    return bool(df.select(key_increases(key).slice(1).all()).item())


def validate(table: Table, df: pl.DataFrame) -> pl.DataFrame:
    """Check a frame against its declaration; return it unchanged or raise SchemaError."""
    where = f"table {table.name}"
    if df.columns != table.column_names:
        missing = [c for c in table.column_names if c not in df.columns]
        extra = [c for c in df.columns if c not in table.column_names]
        raise SchemaError(f"{where}: columns differ from the contract (missing {missing}, undeclared {extra})")
    for column in table.columns:
        actual = df.schema[column.name]
        if actual != DTYPES[column.dtype] and not (len(df) == 0 and actual == pl.Null):
            raise SchemaError(f"{where}: column {column.name} is {actual}, the contract says {column.dtype}")
        series = df.get_column(column.name)
        if not column.nullable and series.null_count():
            raise SchemaError(f"{where}: column {column.name} has {series.null_count()} null value(s) but may not be null")
        if column.values is not None:
            bad = sorted(set(series.drop_nulls().unique().to_list()) - set(column.values))
            if bad:
                raise SchemaError(f"{where}: column {column.name} has value(s) {bad} outside {list(column.values)}")
    if len(df) and not in_key_order(df, table.key):
        dupes = df.group_by(list(table.key)).len().filter(pl.col("len") > 1)
        if len(dupes):
            raise SchemaError(f"{where}: key {list(table.key)} is not unique, e.g. {dupes.row(0)}")
    if {"start", "end"} <= set(df.columns) and len(df):
        bad = df.filter(pl.col("start") > pl.col("end"))
        if len(bad):
            raise SchemaError(f"{where}: {len(bad)} row(s) with start > end")
    return df


# Columns and references shared by several tables

OF_NOTICE = Reference(("notice_id",), "notices")  # a row of a notice that made it into the tables
OF_PROBLEM = Reference(("problem_key",), "problems")
OF_MEASURE = Reference(("measure_key",), "measures")


def notice_id_column() -> Column:
    """The notice_id column every per-notice table starts with."""
    return C("notice_id", "str", "Notice id from data/raw/manifest.csv (place-body-year).", "Hand-kept manifest.",
             "taizhou-js-sthjj-2025", nullable=False)


def offset_columns(what: str) -> tuple[Column, Column]:
    """The start/end columns that tie a row to its evidence in the normalised text."""
    return (
        C("start", "int", f"Offset of the first character of the {what} in the notice's normalised text.",
          "Character index (0-based) into data/processed/text/<notice_id>.txt.", "1503", nullable=False),
        C("end", "int", f"Offset just after the last character of the {what} (text[start:end]).",
          "Character index (exclusive).", "1530", nullable=False),
    )


def problem_measure_key_columns() -> tuple[Column, Column]:
    """The problem_key/measure_key columns of a mention (where in the outline it sits)."""
    return (
        C("problem_key", "str", "Problem the mention sits in (null outside problems).",
          "The problem whose span contains the mention.", "taizhou-js-sthjj-2025:2.1.3"),
        C("measure_key", "str", "Measure the mention sits in (null outside measures).",
          "The measure whose span (or progress span) contains the mention.", "taizhou-js-sthjj-2025:2.1.3:m2"),
    )
