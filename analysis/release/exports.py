"""`notices export`: the built tables as single files — Parquet, CSV with their Data Package, an Excel workbook,
Stata files, or CSV files that Excel opens correctly. The one way tables leave data/processed (`notices release`
uses it too).

- `parquet`: `<table>.parquet` per table, one file each (data/processed stores the per-notice and indicator tables
  as parts, `<table>/part-XX.parquet`; the file holds the same rows, in key order, written by the store's writer).
- `csv`: `<table>.csv` per table (UTF-8, as polars writes it), `datapackage.json` — the Frictionless Data Package of
  exactly these files (`analysis.contract.datapackage`) — and `codebook.md`: the published, validated package.
- `xlsx`: `rectification-notices.xlsx`, one sheet per table and a codebook sheet (`analysis.release.excel`).
- `dta`: `<table>.dta` per table and `variables.csv`, the map from columns to Stata variables (`analysis.release.stata`).
- `csv-excel`: `<table>.csv` per table in UTF-8 with a byte-order mark, which Excel needs to read Chinese text on
  Windows. Values are the same as in data/processed, unchanged: a text that starts with `=`, `+`, `-` or `@` stays
  as it is, and Excel may take it for a formula when it opens the file (the export counts such cells and says so;
  the xlsx workbook stores them as text).

`parquet` and `csv` files are named by the table's path in data/processed (`network/edges.csv`), which is what the
Data Package points at; the other formats by the table's name. Every file is written to a temporary name beside its
place and renamed into place when complete. The tables are read from data/processed after checking them against its
MANIFEST, so an export is always of one complete build; the same build gives the same bytes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import polars as pl

from analysis.build.files import atomic_write_bytes, atomic_write_with
from analysis.build.store import built_tables, changed_outputs, read_build_record, read_table, table_outputs, write_table_file
from analysis.contract.codebook import codebook_markdown
from analysis.contract.datapackage import datapackage_json
from analysis.contract.schema import Table, validate
from analysis.contract.tables import TABLES
from analysis.errors import ProjectError
from analysis.release.excel import write_workbook
from analysis.release.stata import variables_frame, write_dta

FORMATS = ("parquet", "csv", "xlsx", "dta", "csv-excel")
DATAPACKAGE = "datapackage.json"
CODEBOOK = "codebook.md"
WORKBOOK = "rectification-notices.xlsx"
VARIABLES = "variables.csv"
BOM = "\ufeff".encode("utf-8")
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass
class ExportReport:
    """What an export wrote and what it had to change or wants the reader to know."""

    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def bytes(self) -> int:
        """Size of everything written."""
        return sum(p.stat().st_size for p in self.files)


def choose_tables(requested: list[str]) -> list[str]:
    """The tables to export, in contract order: all of them, or those named (comma-separated or repeated)."""
    names = [n.strip() for item in requested for n in item.split(",") if n.strip()]
    unknown = sorted(set(names) - set(TABLES))
    if unknown:
        raise ProjectError(f"unknown table(s) {', '.join(unknown)}; tables are {', '.join(TABLES)}")
    return [name for name in TABLES if not names or name in names]


def check_out(processed: Path, out: Path) -> None:
    """Refuse an output folder inside data/processed, which only `notices build` writes."""
    if out.resolve() == processed.resolve() or processed.resolve() in out.resolve().parents:
        raise ProjectError(f"--out {out} is inside data/processed, which only `notices build` writes; choose another folder")


def check_built(processed: Path, names: list[str]) -> None:
    """Refuse to export from a folder without a build record, or whose tables differ from it."""
    record = read_build_record(processed)
    if not record:
        raise ProjectError(f"no build in {processed.name}/ (no MANIFEST): run `notices build` first")
    missing = [name for name in names if name not in built_tables(record)]
    if missing:
        raise ProjectError(f"the last build wrote no {', '.join(missing)} (did it stop early with --until?): run `notices build`")
    files = {rel for name in names for rel in table_outputs(name, record)}
    altered = [rel for rel in changed_outputs(processed, record) if rel in files]
    if altered:
        raise ProjectError(f"{', '.join(altered)} changed since the build (`notices verify` shows it): run `notices build` first")


def formula_like(df: pl.DataFrame) -> int:
    """Cells of text that start like a spreadsheet formula (=, +, -, @)."""
    texts = [c for c, t in df.schema.items() if t == pl.String]
    if not texts or not len(df):
        return 0
    return int(df.select(pl.sum_horizontal(pl.col(c).str.starts_with(s).fill_null(False).sum()
                                           for c in texts for s in FORMULA_STARTS)).item())


def csv_excel_bytes(df: pl.DataFrame) -> bytes:
    """A table as CSV for Excel: UTF-8 with a byte-order mark, CRLF line ends, dates ISO, values unchanged."""
    return BOM + df.write_csv(line_terminator="\r\n").encode("utf-8")


def export_table_files(tables: dict[str, Table], frames: Iterator[tuple[str, pl.DataFrame]], out: Path, fmt: str,
                       report: ExportReport) -> None:
    """Write one `<table path>.parquet` or `.csv` per table, validated against the contract first."""
    for name, df in frames:
        validate(tables[name], df)
        target = out / f"{tables[name].stem}.{fmt}"
        report.files.append(atomic_write_with(target, lambda p: write_table_file(df, p, fmt)))


def export_csv_package(tables: dict[str, Table], frames: Iterator[tuple[str, pl.DataFrame]], out: Path,
                       report: ExportReport) -> None:
    """Write the CSV files, the Data Package describing exactly them, and the codebook."""
    export_table_files(tables, frames, out, "csv", report)
    for name, text in ((DATAPACKAGE, datapackage_json(tables)), (CODEBOOK, codebook_markdown())):
        atomic_write_bytes(out / name, text.encode("utf-8"))
        report.files.append(out / name)


def export_csv_excel(tables: dict[str, Table], frames: Iterator[tuple[str, pl.DataFrame]], out: Path,
                     report: ExportReport) -> None:
    """Write <table>.csv for Excel per table; note cells Excel may read as formulas."""
    formulas = 0
    for name, df in frames:
        data = csv_excel_bytes(df)
        target = out / f"{name}.csv"
        report.files.append(atomic_write_with(target, lambda p: p.write_bytes(data)))
        formulas += formula_like(df)
    if formulas:
        report.notes.append(f"{formulas} text cell(s) start with =, +, - or @ and are written unchanged: Excel may read them "
                            "as formulas when it opens the CSV (the xlsx export keeps them as text)")


def export_dta(tables: dict[str, Table], frames: Iterator[tuple[str, pl.DataFrame]], out: Path, report: ExportReport) -> None:
    """Write <table>.dta per table and variables.csv; note renamed variables and strL columns."""
    variables = []
    for name, df in frames:
        target = out / f"{name}.dta"
        written = []
        report.files.append(atomic_write_with(target, lambda p: written.extend(write_dta(tables[name], df, p))))
        variables.extend(written)
    mapping = variables_frame(variables)
    report.files.append(atomic_write_with(out / VARIABLES, lambda p: p.write_bytes(BOM + mapping.write_csv().encode("utf-8"))))
    renamed = [f"{v.table}.{v.column} → {v.variable}" for v in variables if v.variable != v.column]
    if renamed:
        report.notes.append(f"{len(renamed)} column(s) renamed for Stata (see {VARIABLES}): " + ", ".join(renamed))
    long_texts = [f"{v.table}.{v.column}" for v in variables if v.stata_type == "strL"]
    if long_texts:
        report.notes.append("texts longer than 2,045 bytes, written as strL: " + ", ".join(long_texts))


def export_xlsx(tables: dict[str, Table], frames: dict[str, pl.DataFrame], out: Path, report: ExportReport,
                on_table: Callable[[str], None] | None) -> None:
    """Write the workbook; note cut cells."""
    cut = []
    report.files.append(atomic_write_with(out / WORKBOOK, lambda p: cut.extend(write_workbook(p, tables, frames, on_table))))
    if cut:
        report.notes.append(f"{len(cut)} cell(s) longer than Excel's 32,767 characters were cut and marked; they are "
                            "listed on the workbook's `truncated` sheet (the CSV and Parquet files keep them whole)")


def export(processed: Path, out: Path, fmt: str, names: list[str],
           on_table: Callable[[str], None] | None = None) -> ExportReport:
    """Export the named tables of data/processed into `out` in one format; what was written and noted."""
    if fmt not in FORMATS:
        raise ProjectError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    check_out(processed, out)
    check_built(processed, names)
    started, report = time.perf_counter(), ExportReport()
    tables = {name: TABLES[name] for name in names}

    def frames() -> Iterator[tuple[str, pl.DataFrame]]:
        """The tables one at a time (only one in memory), reporting each when it is done."""
        for name in names:
            yield name, read_table(processed, name)
            if on_table:
                on_table(name)

    if fmt == "parquet":
        export_table_files(tables, frames(), out, "parquet", report)
    elif fmt == "csv":
        export_csv_package(tables, frames(), out, report)
    elif fmt == "xlsx":
        export_xlsx(tables, {name: read_table(processed, name) for name in names}, out, report, on_table)
    elif fmt == "dta":
        export_dta(tables, frames(), out, report)
    else:
        export_csv_excel(tables, frames(), out, report)
    report.seconds = time.perf_counter() - started
    return report
