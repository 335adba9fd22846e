"""The data contract: validation at write time, and the codebook kept in step with it."""

from __future__ import annotations

import polars as pl
import pytest

from analysis.contract.tables import TABLES
from analysis.contract.schema import SchemaError, frame, validate
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
