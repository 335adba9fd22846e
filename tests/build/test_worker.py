"""The worker's handling of one notice's column-wise rows: checked, merged across notices."""

from __future__ import annotations

import pytest

from analysis.build.worker import check_rows, merge_rows
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
