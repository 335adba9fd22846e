"""The Excel workbook: one sheet per table, a codebook sheet, frozen headers, widths that fit, dates as dates.

Strings are written as strings, never as formulas, links or numbers (a cell starting with `=`, `+`, `-` or `@` stays
text). Excel's limits are met, not trusted: a sheet name is at most 31 characters, a cell at most 32,767 characters —
a longer text is cut, ends with a note saying so, and is listed on a `truncated` sheet (the CSV and Parquet files keep
it whole) — and a table with more rows than a sheet holds (1,048,575 below the header) is refused before anything is
written: export it as CSV or Stata, or leave it out with `--tables`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import polars as pl
import xlsxwriter

from analysis.contract.schema import Table
from analysis.errors import ProjectError

MAX_ROWS = 1_048_576  # rows of a sheet, the header included
MAX_CELL = 32_767  # characters of a cell
MAX_SHEET_NAME = 31
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                    "strings_to_numbers": False, "nan_inf_to_errors": True}
CODEBOOK_COLUMNS = ("table", "sheet", "column", "type", "may be null", "allowed values", "meaning", "how derived", "example")
MAX_WIDTH, MIN_WIDTH, SAMPLE_ROWS = 60, 6, 500


@dataclass(frozen=True)
class Truncation:
    """A text longer than a cell holds: where it is and how long it was."""

    table: str
    row: int  # 1-based data row of the sheet
    column: str
    chars: int


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid sheet name for a table: forbidden characters replaced, at most 31 characters, unique (case-insensitive)."""
    base = SHEET_FORBIDDEN.sub("_", name)[:MAX_SHEET_NAME]
    candidate, n = base, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f"~{n}"
        candidate = base[:MAX_SHEET_NAME - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


def sheet_names(tables: list[str]) -> dict[str, str]:
    """The sheet of each table, beside the `codebook` and `truncated` sheets."""
    taken = {"codebook", "truncated"}
    return {name: sheet_name(name, taken) for name in tables}


def truncation_note(chars: int) -> str:
    """The words that end a cut text."""
    return f" … [cut: {chars:,} characters in all; Excel holds {MAX_CELL:,} in a cell; the CSV and Parquet files have the whole text]"


def fit_cell(text: str) -> tuple[str, bool]:
    """A text that fits in a cell, and whether it had to be cut."""
    if len(text) <= MAX_CELL:
        return text, False
    note = truncation_note(len(text))
    return text[:MAX_CELL - len(note)] + note, True


def display_width(text: str) -> int:
    """Columns a text takes on screen (wide East Asian characters count twice)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_width(header: str, values: list[Any]) -> int:
    """A sensible width for a column: its header and the first rows' values, capped."""
    widest = max([display_width(header)] + [display_width(str(v)) for v in values if v is not None], default=0)
    return max(MIN_WIDTH, min(MAX_WIDTH, widest + 2))


def check_rows(tables: dict[str, pl.DataFrame]) -> None:
    """Refuse, before writing anything, a table with more rows than a sheet holds."""
    for name, df in tables.items():
        if len(df) + 1 > MAX_ROWS:
            raise ProjectError(f"table {name} has {len(df):,} rows; an Excel sheet holds {MAX_ROWS - 1:,} below its header. "
                               f"Export it with --format csv-excel or dta, or leave it out with --tables")


class WorkbookWriter:
    """Writes tables into one workbook, remembering the cells it had to cut."""

    def __init__(self, path: Path) -> None:
        self.book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
        self.header = self.book.add_format({"bold": True, "bottom": 1})
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.truncated: list[Truncation] = []

    def cell_writer(self, table: str, column: str, dtype: pl.DataType) -> Callable[[Any, int, int, Any], None]:
        """How one column's values are written: text as text, numbers, booleans, dates as dates; nulls left blank."""
        if dtype == pl.Date:
            return lambda ws, r, c, v: ws.write_datetime(r, c, v, self.date)
        if dtype == pl.Boolean:
            return lambda ws, r, c, v: ws.write_boolean(r, c, v)
        if dtype.is_numeric():
            return lambda ws, r, c, v: ws.write_number(r, c, v) if not (isinstance(v, float) and math.isnan(v)) else None

        def text(ws: Any, r: int, c: int, v: Any) -> None:
            """Write a text as a string cell, cut to fit and remembered if it is too long."""
            value, cut = fit_cell(str(v))
            if cut:
                self.truncated.append(Truncation(table, r, column, len(str(v))))
            ws.write_string(r, c, value)
        return text

    def sheet(self, title: str, name: str, df: pl.DataFrame) -> None:
        """Write a frame (of table `name`) as a sheet with a bold, frozen, filterable header."""
        ws = self.book.add_worksheet(title)
        writers = [self.cell_writer(name, c, t) for c, t in df.schema.items()]
        sample = df.head(SAMPLE_ROWS)
        for c, column in enumerate(df.columns):
            width = 12 if df.schema[column] == pl.Date else column_width(column, sample.get_column(column).to_list())
            ws.set_column(c, c, width)
            ws.write_string(0, c, column, self.header)
        for r, row in enumerate(df.iter_rows(), start=1):
            for c, value in enumerate(row):
                if value is not None:
                    writers[c](ws, r, c, value)
        ws.freeze_panes(1, 0)
        if df.width:
            ws.autofilter(0, 0, max(len(df), 1), df.width - 1)

    def close(self) -> None:
        """Finish the file."""
        self.book.close()


def codebook_frame(tables: dict[str, Table], sheets: dict[str, str]) -> pl.DataFrame:
    """One row per column of the exported tables: where it is and what it means (from the contract)."""
    rows = [{"table": t.name, "sheet": sheets[t.name], "column": c.name, "type": c.dtype,
             "may be null": "yes" if c.nullable else "no", "allowed values": ", ".join(c.values or ()),
             "meaning": c.meaning, "how derived": c.derivation, "example": c.example}
            for t in tables.values() for c in t.columns]
    return pl.DataFrame(rows, schema={k: pl.String for k in CODEBOOK_COLUMNS})


def truncated_frame(truncated: list[Truncation]) -> pl.DataFrame:
    """The cut cells, for the `truncated` sheet."""
    return pl.DataFrame([t.__dict__ for t in truncated], schema={"table": pl.String, "row": pl.Int64, "column": pl.String,
                                                                 "chars": pl.Int64})


def write_workbook(path: Path, tables: dict[str, Table], frames: dict[str, pl.DataFrame],
                   on_table: Callable[[str], None] | None = None) -> list[Truncation]:
    """Write the workbook: a codebook sheet, one sheet per table, a `truncated` sheet if any text was cut; the cuts."""
    check_rows(frames)
    sheets = sheet_names(list(frames))
    writer = WorkbookWriter(path)
    writer.sheet("codebook", "codebook", codebook_frame(tables, sheets))
    for name, df in frames.items():
        writer.sheet(sheets[name], name, df)
        if on_table:
            on_table(name)
    if writer.truncated:
        writer.sheet("truncated", "truncated", truncated_frame(writer.truncated))
    writer.close()
    return writer.truncated

