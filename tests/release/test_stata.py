"""Stata files: names within Stata's rules, labels from the contract, long texts as strL, every table read back."""

from __future__ import annotations

import math
import struct
from datetime import date

import polars as pl
import pyreadstat
import pytest

from analysis.contract.schema import C, Table
from analysis.contract.tables import TABLES
from analysis.release.exports import VARIABLES
from analysis.release.stata import MAX_LABELLED_NAME, MAX_NAME, stata_names, write_dta

STATUS = ("completed", "long_term", "in_progress", "unknown")
SMALL = Table("small", "parse", "one row per problem", ("k",), (
    C("k", "int", "Key.", "d", nullable=False),
    C("text", "str", "The problem's text.", "d"),
    C("status", "str", "Rectification status.", "d", values=STATUS),
    C("done", "bool", "Whether it is done.", "d"),
    C("day", "date", "Day.", "d"),
    C("share", "float", "Share.", "d"),
))


def write_small(tmp_path, rows: list[dict]):
    """Write SMALL with some rows; read it back (labels applied) with its metadata."""
    path = tmp_path / "small.dta"
    write_dta(SMALL, pl.DataFrame(rows, schema=SMALL.polars_schema), path)
    return path, *pyreadstat.read_dta(str(path), output_format="polars", apply_value_formats=True)


def variable_types(path) -> list[int]:
    """The type codes of a format-118 file's variables (32768 = strL), read from its header."""
    data = path.read_bytes()
    count = struct.unpack("<H", data[data.index(b"<K>") + 3:][:2])[0]
    start = data.index(b"<variable_types>") + len(b"<variable_types>")
    return list(struct.unpack(f"<{count}H", data[start:start + 2 * count]))


def test_names_are_ascii_identifiers_within_stata_limits_and_unique():
    columns = [C("a_column_name_that_is_much_longer_than_stata_allows", "int", "m", "d"),
               C("a_column_name_that_is_much_longer_than_stata_allows_too", "int", "m", "d"),
               C("整改", "str", "m", "d"), C("2nd", "int", "m", "d"), C("in", "int", "m", "d"),
               C("a_coded_column_name_longer_than_28", "str", "m", "d", values=("x",))]
    names = list(stata_names(columns).values())
    assert len(set(names)) == len(names)
    assert all(n.isascii() and n.replace("_", "a").isalnum() and not n[0].isdigit() and len(n) <= MAX_NAME for n in names)
    assert names[3:5] == ["v2nd", "in_"] and len(names[5]) <= MAX_LABELLED_NAME


def test_a_long_chinese_text_is_written_as_strl_and_read_back_whole(tmp_path):
    text = "整改落实情况" * 1000  # 6,000 characters, 18,000 bytes in UTF-8
    path, df, _ = write_small(tmp_path, [{"k": 1, "text": text}, {"k": 2, "text": None}])
    assert df["text"].to_list() == [text, ""]
    assert variable_types(path)[1] == 32768


def test_allowed_values_are_labelled_categories_in_the_contracts_order(tmp_path):
    path, df, meta = write_small(tmp_path, [{"k": 1, "status": "long_term"}, {"k": 2, "status": "completed"}])
    assert df["status"].cast(pl.String).to_list() == ["long_term", "completed"]
    codes = pyreadstat.read_dta(str(path), output_format="polars")[0]["status"].to_list()
    assert codes == [2, 1] and meta.variable_value_labels["status"] == dict(enumerate(STATUS, start=1))


def test_booleans_are_0_and_1_labelled_false_and_true(tmp_path):
    path, _, meta = write_small(tmp_path, [{"k": 1, "done": True}, {"k": 2, "done": False}, {"k": 3}])
    assert pyreadstat.read_dta(str(path), output_format="polars")[0]["done"].to_list() == [1, 0, None]
    assert meta.variable_value_labels["done"] == {0: "false", 1: "true"}


def test_dates_are_stata_dates(tmp_path):
    _, df, meta = write_small(tmp_path, [{"k": 1, "day": date(2024, 4, 19)}])
    assert df["day"].to_list() == [date(2024, 4, 19)] and meta.original_variable_types["day"] == "%td"


def test_variable_and_file_labels_come_from_the_contract(tmp_path):
    _, _, meta = write_small(tmp_path, [{"k": 1}])
    assert meta.column_names_to_labels["text"] == "The problem's text."
    assert meta.file_label == "small: one row per problem"


def test_a_renamed_column_is_recorded_in_the_variables_file(exported):
    mapping = pl.read_csv(exported["dta"] / VARIABLES)
    row = mapping.filter(pl.col("column") == "institutionalisation_incl_unmarked").row(0, named=True)
    assert row["variable"] == "institutionalisation_incl_unmark" and "renamed" in row["note"]
    assert len(mapping) == sum(len(t.columns) for t in TABLES.values())


def expected_in_stata(column, value):
    """A value of the tables as Stata holds it once labels are applied."""
    if column.dtype == "bool":
        return None if value is None else str(value).lower()
    if column.dtype == "str" and column.values is None:  # coded columns keep their nulls as missing codes
        return value or ""
    return value


@pytest.mark.parametrize("name", list(TABLES))
def test_every_table_reads_back_from_stata(exported, tables, name):
    mapping = pl.read_csv(exported["dta"] / VARIABLES).filter(pl.col("table") == name)
    back, _ = pyreadstat.read_dta(str(exported["dta"] / f"{name}.dta"), output_format="polars", apply_value_formats=True)
    back = back.rename(dict(zip(mapping["variable"], mapping["column"])))
    df = tables[name]
    assert back.columns == df.columns and len(back) == len(df)
    for column in TABLES[name].columns:
        got = back[column.name].cast(pl.String).to_list() if column.values or column.dtype == "bool" else back[column.name].to_list()
        expected = [expected_in_stata(column, v) for v in df[column.name].to_list()]
        if column.dtype == "float":
            assert all((e is None and g is None) or math.isclose(e, g) or (math.isnan(e) and g is None)
                       for e, g in zip(expected, got)), column.name
        else:
            assert got == expected, column.name
