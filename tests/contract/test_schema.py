"""The data contract: validation at write time, and the codebook kept in step with it."""

from __future__ import annotations

import polars as pl
import pytest

from analysis.contract.tables import TABLES
from analysis.contract.schema import SchemaError, frame, in_key_order, validate
from analysis.contract.codebook import codebook_markdown

from tests.conftest import ROOT


def test_codebook_in_docs_is_generated_from_the_schema():
    assert (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8") == codebook_markdown()


def test_every_table_and_column_is_in_the_codebook():
    text = codebook_markdown()
    for table in TABLES.values():
        assert f"## {table.name}" in text
        for column in table.columns:
            assert f"| `{column.name}` |" in text, (table.name, column.name)


def test_every_indicator_is_defined_in_the_codebook():
    from analysis.contract.indicators import INDICATORS

    text = codebook_markdown()
    assert all(f"### `{i.name}`" in text and i.formula in text for i in INDICATORS)


def test_built_tables_meet_the_contract(tables):
    for name, df in tables.items():
        validate(TABLES[name], df)


def test_duplicate_keys_are_refused():
    rows = [{"notice_id": "a", "field": "x", "value": "1", "method": "m"}] * 2
    with pytest.raises(SchemaError, match="not unique"):
        validate(TABLES["notice_fields"], frame(TABLES["notice_fields"], rows))


def test_values_outside_the_declared_set_are_refused():
    row = {"file": "f", "stage": "ingest", "reason": "bored", "message": "m"}
    with pytest.raises(SchemaError, match="outside"):
        validate(TABLES["quarantine"], frame(TABLES["quarantine"], [row]))


def test_undeclared_columns_are_refused():
    with pytest.raises(SchemaError, match="undeclared"):
        frame(TABLES["quarantine"], [{"file": "f", "colour": "red"}])


def test_columns_make_the_same_frame_as_rows():
    rows = [{"file": "b", "stage": "ingest", "reason": "empty"}, {"file": "a", "stage": "parse", "reason": "not_a_notice"}]
    columns = {"file": ["b", "a"], "stage": ["ingest", "parse"], "reason": ["empty", "not_a_notice"]}
    assert frame(TABLES["quarantine"], columns).equals(frame(TABLES["quarantine"], rows))


def test_undeclared_columns_are_refused_column_wise():
    with pytest.raises(SchemaError, match="undeclared"):
        frame(TABLES["quarantine"], {"file": ["f"], "colour": ["red"]})


def test_offsets_point_at_the_evidence(tables, built):
    text = (built.processed / "text" / "taizhou-js-sthjj-2025.txt").read_text(encoding="utf-8")
    for name, column in (("documents", "title"), ("agencies", "mention"), ("dates", "text"), ("figures", "text"), ("measures", "text")):
        rows = tables[name].filter(pl.col("notice_id") == "taizhou-js-sthjj-2025").to_dicts()
        assert rows and all(text[r["start"]:r["end"]] == r[column] for r in rows), name


def test_empty_tables_keep_their_columns():
    df = frame(TABLES["figures"], [])
    assert df.columns == TABLES["figures"].column_names and validate(TABLES["figures"], df).height == 0


def test_an_agency_may_carry_every_tier_a_notice_may_have():
    # An agency without a place of its own takes the notice's tier, which may be township or enterprise
    # (a generated corpus with a township body's notice once failed the build on this).
    from analysis.contract.values import ADMIN_LEVELS

    levels = next(c for c in TABLES["agencies"].columns if c.name == "level").values
    notice_levels = next(c for c in TABLES["notices"].columns if c.name == "admin_level").values
    assert notice_levels == ADMIN_LEVELS and set(ADMIN_LEVELS) | {"unknown"} == set(levels)


def test_rows_sorted_and_unique_on_the_key_are_in_key_order():
    df = pl.DataFrame({"graph": ["a", "a", "b"], "node": ["乙", "甲", "a"]})  # 乙 (U+4E59) sorts before 甲 (U+7532)
    assert in_key_order(df, ("graph", "node"))


def test_a_repeated_key_is_not_in_key_order():
    assert not in_key_order(pl.DataFrame({"graph": ["a", "a"], "node": ["x", "x"]}), ("graph", "node"))


def test_a_later_row_with_a_smaller_key_is_not_in_key_order():
    assert not in_key_order(pl.DataFrame({"graph": ["a", "b", "a"], "node": ["z", "a", "y"]}), ("graph", "node"))


def test_a_null_in_the_key_leaves_the_order_to_a_sort():
    assert not in_key_order(pl.DataFrame({"graph": ["a", None], "node": ["x", "y"]}), ("graph", "node"))


def test_the_key_order_check_agrees_with_polars_sort_on_mixed_scripts():
    names = ["文件", "document:a", "agency:市局", "agency:Z", "agency:区局", "", "agency:市局办"]
    df = pl.DataFrame({"graph": ["g"] * len(names), "node": names}).sort("graph", "node")
    assert in_key_order(df, ("graph", "node"))
    assert not in_key_order(df.reverse(), ("graph", "node"))


def test_frame_keeps_rows_already_in_key_order_and_sorts_others():
    table = TABLES["network_graphs"]
    rows = [{"graph": g, "directed": True, "nodes": 0, "edges": 0} for g in ("notice_policy", "agency_policy")]
    assert frame(table, rows)["graph"].to_list() == ["agency_policy", "notice_policy"]
    assert frame(table, rows[::-1])["graph"].to_list() == ["agency_policy", "notice_policy"]



def test_frame_without_the_order_test_sorts_the_same():
    table = TABLES["network_graphs"]
    rows = [{"graph": g, "directed": True, "nodes": n, "edges": 0} for g, n in (("notice_policy", 1), ("agency_policy", 2))]
    for ordered in (rows, rows[::-1]):
        assert frame(table, ordered, order_test=False).equals(frame(table, ordered))
