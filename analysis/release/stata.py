"""Stata files: one .dta per table (format 118, Stata 14 and later, UTF-8), labelled from the contract.

Every variable carries its column's meaning as its label (cut to Stata's 80 characters) and every file its table's
grain. Names are ASCII identifiers of at most 32 characters (a variable with value labels: 28, since the label set
is named after it); a longer name is cut and made unique, and `variables.csv` beside the files maps every column to
its variable. Columns with allowed values (status, genre …) become numbered categories with value labels in the
contract's order, booleans 0/1 labelled false/true, whole numbers `long` when they fit (else `double`), dates `%td`.
Stata has no missing string: a null text is written as "". Texts longer than 2,045 bytes are written as strL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyreadstat

from analysis.contract.schema import Column, Table

MAX_NAME = 32
MAX_LABELLED_NAME = 28  # pyreadstat names a variable's label set <name><counter>; Stata allows 32 characters
MAX_LABEL = 80
MAX_STR = 2045  # bytes of a str# variable; longer texts are strL
LONG_MIN, LONG_MAX = -2_147_483_647, 2_147_483_620  # Stata `long` (the values above are its missing codes)
RESERVED = {"_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long", "_n", "_N", "_pi",
            "_pred", "_rc", "_skip", "strL", "using", "with"}
BOOL_LABELS = {0: "false", 1: "true"}
DTA_VERSION = 14  # writes format 118: Unicode, readable by Stata 14 and later


@dataclass(frozen=True)
class Variable:
    """One column as a Stata variable: the row of variables.csv."""

    table: str
    column: str
    variable: str
    stata_type: str
    label: str
    value_labels: str
    note: str


def identifier(name: str) -> str:
    """An ASCII Stata identifier for a column name (letters, digits, underscores; not starting with a digit)."""
    ascii_name = re.sub(r"[^A-Za-z0-9_]", "_", name) or "v"
    return f"v{ascii_name}" if ascii_name[0].isdigit() else ascii_name


def stata_names(columns: list[Column]) -> dict[str, str]:
    """Column name → variable name: an identifier within Stata's length limits, not reserved, unique in the file."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        limit = MAX_LABELLED_NAME if column.values is not None or column.dtype == "bool" else MAX_NAME
        base = identifier(column.name)
        base = f"{base}_" if base in RESERVED or re.fullmatch(r"str(\d+|L)", base) else base
        candidate, n = base[:limit], 1
        while candidate in taken:
            n += 1
            candidate = base[:limit - len(str(n)) - 1] + f"_{n}"
        taken.add(candidate)
        names[column.name] = candidate
    return names


def cut(text: str, limit: int = MAX_LABEL) -> str:
    """A label within Stata's length (… marks a cut)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def categories(column: Column) -> dict[int, str]:
    """Value labels of a column with allowed values: 1, 2, … in the contract's order."""
    return {i: value for i, value in enumerate(column.values or (), start=1)}


def fits_long(series: pl.Series) -> bool:
    """Whether every value of a whole-number column fits Stata's `long`."""
    values = series.drop_nulls()
    return not len(values) or (values.min() >= LONG_MIN and values.max() <= LONG_MAX)


def stata_column(column: Column, series: pl.Series) -> tuple[pl.Series, str, dict[int, str] | None, str]:
    """A column as Stata stores it: the values, the Stata type, value labels, and a note on what changed."""
    if column.values is not None:
        codes = {v: k for k, v in categories(column).items()}
        return series.replace_strict(codes, default=None, return_dtype=pl.Int16), "int", categories(column), \
            "allowed values as numbered categories with value labels"
    if column.dtype == "bool":
        return series.cast(pl.Int8), "byte", dict(BOOL_LABELS), "false/true as 0/1 with value labels"
    if column.dtype == "int":
        return (series.cast(pl.Int32), "long", None, "") if fits_long(series) else \
            (series.cast(pl.Float64), "double", None, "whole numbers beyond Stata's long, as double")
    if column.dtype == "str":
        longest = int(series.str.len_bytes().max() or 0)
        note = "null as empty string" if column.nullable else ""
        return series.fill_null(""), "strL" if longest > MAX_STR else "str", None, note
    return series, {"float": "double", "date": "double %td"}[column.dtype], None, ""


def write_dta(table: Table, df: pl.DataFrame, path: Path) -> list[Variable]:
    """Write a table as a .dta file with variable, value and file labels; its rows of variables.csv."""
    names = stata_names(list(table.columns))
    data, variables, value_labels = {}, [], {}
    for column in table.columns:
        name = names[column.name]
        values, stata_type, labels, note = stata_column(column, df.get_column(column.name))
        data[name] = values.alias(name)
        if labels:
            value_labels[name] = labels
        if name != column.name:
            note = "; ".join(filter(None, [f"renamed from {column.name} (Stata: ASCII, at most {MAX_NAME} characters)", note]))
        variables.append(Variable(table.name, column.name, name, stata_type, cut(column.meaning),
                                  "; ".join(f"{k}={v}" for k, v in (labels or {}).items()), note))
    frame = pl.DataFrame(data)
    pyreadstat.write_dta(frame, str(path), file_label=cut(f"{table.name}: {table.grain}"),
                         column_labels={v.variable: v.label for v in variables}, version=DTA_VERSION,
                         variable_value_labels=value_labels,
                         variable_format={names[c.name]: "%td" for c in table.columns if c.dtype == "date"})
    return variables


def variables_frame(variables: list[Variable]) -> pl.DataFrame:
    """variables.csv: every exported column, its Stata variable, type, label, value labels and what changed."""
    return pl.DataFrame([v.__dict__ for v in variables],
                        schema={k: pl.String for k in Variable.__dataclass_fields__})
