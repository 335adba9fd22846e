"""The Excel workbook: text stays text, Excel's limits are met, and every table reads back as it was written."""

from __future__ import annotations

import math
import zipfile
from datetime import date, datetime

import openpyxl
import polars as pl
import pytest

from analysis.contract.schema import C, Table
from analysis.contract.tables import TABLES
from analysis.errors import ProjectError
from analysis.release import excel
from analysis.release.excel import MAX_CELL, column_width, fit_cell, sheet_name, sheet_names, write_workbook
from analysis.release.exports import WORKBOOK

TEXTS = Table("texts", "parse", "one row per text", ("k",), (C("k", "int", "Key.", "d", nullable=False), C("text", "str", "Text.", "d")))


def one_table(tmp_path, rows: list[dict], table: Table = TEXTS):
    """Write a workbook of one small table; the path and the cut cells."""
    path = tmp_path / "t.xlsx"
    cut = write_workbook(path, {table.name: table}, {table.name: pl.DataFrame(rows, schema=table.polars_schema)})
    return path, cut


def cell_values(value) -> object:
    """A value as it reads back from Excel, in the terms of the tables (dates as dates)."""
    return value.date() if isinstance(value, datetime) else value


def same(expected, got) -> bool:
    """Whether a value read back from Excel is the one written (numbers to Excel's 16 significant digits)."""
    if isinstance(expected, float) and got is not None:
        return math.isclose(expected, got, rel_tol=1e-15) or (math.isnan(expected) and got is None)
    if expected == "":
        return got in ("", None)
    return expected == got


@pytest.mark.parametrize("text", ["=1+1", "+86 10 1234", "-3", "@SUM(A1)", "=HYPERLINK(\"http://x\",\"y\")"])
def test_a_text_that_starts_like_a_formula_is_written_as_text(tmp_path, text):
    path, _ = one_table(tmp_path, [{"k": 1, "text": text}])
    cell = openpyxl.load_workbook(path)["texts"]["B2"]
    assert (cell.value, cell.data_type) == (text, "s")
    with zipfile.ZipFile(path) as book:
        assert not any(b"<f>" in book.read(n) for n in book.namelist() if n.startswith("xl/worksheets/"))


def test_a_text_longer_than_a_cell_is_cut_marked_and_listed(tmp_path):
    text = "整改" * 20_000
    path, cut = one_table(tmp_path, [{"k": 1, "text": text}])
    book = openpyxl.load_workbook(path)
    value = book["texts"]["B2"].value
    assert len(value) == MAX_CELL and value.startswith("整改整改") and "40,000 characters" in value
    assert [(t.table, t.row, t.column, t.chars) for t in cut] == [("texts", 1, "text", 40_000)]
    assert [c.value for c in book["truncated"][2]] == ["texts", 1, "text", 40_000]


def test_a_text_that_fits_is_not_touched():
    assert fit_cell("x" * MAX_CELL) == ("x" * MAX_CELL, False)


def test_a_table_longer_than_a_sheet_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(excel, "MAX_ROWS", 3)
    with pytest.raises(ProjectError, match="3 rows"):
        one_table(tmp_path, [{"k": i, "text": "x"} for i in range(3)])
    assert not (tmp_path / "t.xlsx").exists()


def test_sheet_names_are_at_most_31_characters_without_forbidden_characters_and_unique():
    taken: set[str] = set()
    first, second = sheet_name("a_table_name_that_is_far_too_long_for_excel", taken), sheet_name("a_table_name_that_is_far_too_long_for_excel_too", taken)
    assert len(first) == len(second) == 31 and first != second
    assert sheet_name("what/ever[1]?", set()) == "what_ever_1__"
    assert "codebook" not in sheet_names(["codebook"]).values()


def test_dates_are_dates_and_the_header_is_frozen(tmp_path):
    table = Table("days", "parse", "one row per day", ("day",), (C("day", "date", "Day.", "d", nullable=False), C("ok", "bool", "OK.", "d")))
    path, _ = one_table(tmp_path, [{"day": date(2024, 4, 19), "ok": True}], table)
    sheet = openpyxl.load_workbook(path)["days"]
    assert sheet["A2"].is_date and sheet["A2"].value.date() == date(2024, 4, 19)
    assert sheet["B2"].value is True
    assert sheet.freeze_panes == "A2"


def test_wide_characters_make_a_wider_column_up_to_a_cap():
    assert column_width("t", ["整改措施"]) > column_width("t", ["abcd"])
    assert column_width("t", ["x" * 500]) == excel.MAX_WIDTH


def test_the_codebook_sheet_describes_every_exported_column(exported):
    rows = list(openpyxl.load_workbook(exported["xlsx"] / WORKBOOK, read_only=True)["codebook"].values)
    described = {(r[0], r[2]) for r in rows[1:]}
    assert described == {(t.name, c.name) for t in TABLES.values() for c in t.columns}


def test_the_workbook_has_a_sheet_per_table_after_the_codebook(exported):
    assert openpyxl.load_workbook(exported["xlsx"] / WORKBOOK, read_only=True).sheetnames == ["codebook", *TABLES]


def test_every_table_reads_back_from_the_workbook_as_it_was_written(exported, tables):
    book = openpyxl.load_workbook(exported["xlsx"] / WORKBOOK, read_only=True)
    for name, df in tables.items():
        rows = list(book[name].values)
        assert list(rows[0]) == df.columns, name
        assert len(rows) - 1 == len(df), name
        for expected, got in zip(df.iter_rows(), rows[1:]):
            bad = [(c, e, g) for c, e, g in zip(df.columns, expected, map(cell_values, got)) if not same(e, g)]
            assert bad == [], (name, bad[:3])
