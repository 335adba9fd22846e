"""The Frictionless Data Package of the published tables (`datapackage.json`), generated from the declarations like the codebook.

Every table is a resource — its single CSV file, `<table path>.csv` — with a Table Schema derived from its
declaration: types, descriptions, `required` for columns that may not be null, `enum` for allowed values, the table's
key as primary key and its references as foreign keys. It describes the published copy of the tables, not the build's
store (data/processed keeps the per-notice tables as Parquet parts, which a Data Package of CSV files cannot point
at): `notices export --format csv` writes it beside the CSV files it exports, and `notices release` puts both in its
archive. `frictionless validate datapackage.json` in that folder checks every CSV file against it
(tests/contract/test_datapackage.py does so on the shipped corpus).

CSV cannot tell an empty string from a null. An empty cell reads as missing, except in a string column that may not be
null: its field declares no missing values, so an empty cell there is the empty string (e.g. `measures.label`).
"""

from __future__ import annotations

import json
from typing import Iterable

from analysis.contract.schema import Column, Reference, Table
from analysis.contract.tables import TABLES

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
PACKAGE_NAME = "rectification-notices"
FIELD_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "date": "date"}
CSV_DIALECT = {"header": True, "delimiter": ",", "quoteChar": '"', "doubleQuote": True}  # how polars writes CSV
DATA_LICENCE = {"name": "MIT", "path": "https://opensource.org/licenses/MIT", "title": "MIT License"}
"""Licence of the processed tables: the repository's (LICENSE, CITATION.cff; a test keeps them in step). The notices
themselves are official documents with their own terms (data/raw/manifest.csv, column `terms`)."""
SOURCES = (
    {"title": "Rectification notices published by the inspected bodies, one row each in data/raw/manifest.csv "
              "(source_url, publisher, terms)"},
    {"title": "Administrative divisions and the agency gazetteer, listed with their licences in data/reference/SOURCES.md"},
)


def field_descriptor(column: Column) -> dict:
    """The Table Schema field of a column: type, description, example, constraints, missing values."""
    field: dict = {"name": column.name, "type": FIELD_TYPES[column.dtype],
                   "description": f"{column.meaning} Derivation: {column.derivation}"}
    if column.example:
        field["example"] = column.example
    if column.dtype == "bool":
        field["trueValues"], field["falseValues"] = ["true"], ["false"]
    constraints: dict = {}
    if not column.nullable:
        constraints["required"] = True
        if column.dtype == "str":
            field["missingValues"] = []  # an empty cell is the empty string, not a null
    if column.values is not None:
        constraints["enum"] = list(column.values)
    if constraints:
        field["constraints"] = constraints
    return field


def foreign_key(table: Table, reference: Reference) -> dict:
    """A Table Schema foreign key: the referencing columns and the referenced table's key (no resource: the table itself)."""
    target = {"fields": list(TABLES[reference.table].key)}
    if reference.table != table.name:
        target = {"resource": reference.table, **target}
    return {"fields": list(reference.columns), "reference": target}


def table_schema(table: Table, present: set[str]) -> dict:
    """The Table Schema of a table; foreign keys only to tables in `present`."""
    schema: dict = {"fields": [field_descriptor(c) for c in table.columns], "missingValues": [""],
                    "primaryKey": list(table.key)}
    keys = [foreign_key(table, r) for r in table.references if r.table in present]
    if keys:
        schema["foreignKeys"] = keys
    return schema


def resource(table: Table, present: set[str]) -> dict:
    """The resource of a table: its CSV file, what one row is, and its schema."""
    notes = f" {table.notes}" if table.notes else ""
    return {"name": table.name, "type": "table", "path": f"{table.stem}.csv", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "dialect": dict(CSV_DIALECT),
            "description": f"{table.grain[:1].upper()}{table.grain[1:]} (stage {table.stage}).{notes} The same rows, typed, are "
                           f"{table.stem}.parquet in a release and in `notices export --format parquet`.",
            "schema": table_schema(table, present)}


def datapackage(names: Iterable[str] | None = None) -> dict:
    """The Data Package descriptor of the named tables (default: all), in contract order."""
    present = set(TABLES if names is None else names)
    unknown = sorted(present - set(TABLES))
    if unknown:
        raise ValueError(f"unknown table(s) {unknown}")
    return {
        "$schema": PROFILE,
        "name": PACKAGE_NAME,
        "title": "Rectification notices as data: the processed tables",
        "description": "Tables read from Chinese rectification notices (整改情况通报) by the rectification-notices package: "
                       "notices, problems, measures, documents, agencies, dates, figures, indicators and networks. Every "
                       "column is described in codebook.md; start/end offsets point into text/<notice_id>.txt.",
        "licenses": [DATA_LICENCE],
        "sources": [dict(s) for s in SOURCES],
        "resources": [resource(t, present) for name, t in TABLES.items() if name in present],
    }


def datapackage_json(names: Iterable[str] | None = None) -> str:
    """datapackage.json of the named tables: the descriptor as UTF-8 JSON, keys in a fixed order (same bytes every time)."""
    return json.dumps(datapackage(names), ensure_ascii=False, indent=1) + "\n"
