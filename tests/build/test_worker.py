"""The worker's handling of one notice's column-wise rows: checked, merged across notices."""

from __future__ import annotations

import gc

import pytest

from analysis.build.worker import (check_rows, declared_columns, merge_rows, merged_frames, notice_frames, notices_rows,
                                   row_counts, young_threshold)
from analysis.contract.schema import SchemaError


def test_check_rows_refuses_an_undeclared_column():
    with pytest.raises(SchemaError, match="undeclared"):
        check_rows({"quarantine": {"file": ["f"], "colour": ["red"]}})


def test_check_rows_refuses_columns_of_unequal_length():
    with pytest.raises(SchemaError, match="unequal"):
        check_rows({"quarantine": {"file": ["f", "g"], "stage": ["ingest"]}})


def test_merge_rows_fills_a_missing_column_with_nulls():
    merged: dict = {}
    merge_rows(merged, {"quarantine": {"file": ["a"], "stage": ["ingest"]}})
    merge_rows(merged, {"quarantine": {"file": ["b"]}})
    assert merged["quarantine"]["file"] == ["a", "b"] and merged["quarantine"]["stage"] == ["ingest", None]


def test_declared_columns_in_order_and_as_a_set():
    names, name_set = declared_columns("quarantine")
    assert names[0] == "file" and "stage" in name_set and len(name_set) == len(names)


def test_merged_frames_sort_rows_by_key_as_frames_do():
    merged: dict = {}
    merge_rows(merged, {"removals": {"notice_id": ["b", "b"], "seq": [2, 1], "rule": ["x", "y"]}})
    merge_rows(merged, {"removals": {"notice_id": ["a"], "seq": [1], "rule": ["z"]}})
    df = merged_frames(merged)["removals"]
    assert df.select("notice_id", "seq", "rule").rows() == [("a", 1, "z"), ("b", 1, "y"), ("b", 2, "x")]
    assert df.equals(notice_frames(merged)["removals"])


def test_row_counts_per_table():
    assert row_counts({"quarantine": {"file": ["a", "b"], "stage": ["x", "y"]}, "removals": {}}) == {"quarantine": 2, "removals": 0}


def test_notices_rows_cut_each_notice_out_of_the_merged_rows():
    first = {"quarantine": {"file": ["a", "b"], "stage": ["ingest", "parse"]}}
    second = {"quarantine": {"file": ["c"]}}
    merged: dict = {}
    for rows in (first, {}, second):
        merge_rows(merged, rows)
    parts = notices_rows(merged, [row_counts(first), {}, row_counts(second)])
    assert parts[0]["quarantine"]["file"] == ["a", "b"] and parts[0]["quarantine"]["stage"] == ["ingest", "parse"]
    assert parts[1] == {}
    assert parts[2]["quarantine"]["file"] == ["c"] and parts[2]["quarantine"]["stage"] == [None]


def test_young_threshold_raised_in_the_block_then_put_back():
    previous = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        with young_threshold(5000):
            assert gc.get_threshold() == (5000, 10, 10)
        assert gc.get_threshold() == (700, 10, 10)
        gc.set_threshold(9000, 10, 10)
        with young_threshold(5000):
            assert gc.get_threshold() == (9000, 10, 10)
        gc.set_threshold(0, 10, 10)
        with young_threshold(5000):
            assert gc.get_threshold() == (0, 10, 10)
    finally:
        gc.set_threshold(*previous)
