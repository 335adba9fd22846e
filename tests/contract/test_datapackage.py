"""datapackage.json: a Table Schema per table derived from the contract, valid with frictionless on the exported corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import frictionless
import polars as pl
import pytest
import yaml

from analysis.contract.datapackage import DATA_LICENCE, datapackage, datapackage_json, field_descriptor
from analysis.contract.schema import C, DTYPES
from analysis.contract.codebook import codebook_markdown
from analysis.contract.tables import TABLES
from analysis.release.exports import choose_tables, export

from tests.conftest import ROOT, run_build, copy_inputs


@pytest.fixture(scope="module")
def package(built, tmp_path_factory) -> Path:
    """The built corpus exported as CSV with its Data Package (`notices export --format csv`)."""
    folder = tmp_path_factory.mktemp("package")
    export(built.processed, folder, "csv", choose_tables([]))
    return folder


def errors_of(report: frictionless.Report) -> list[str]:
    """Error types of a validation report."""
    return [error.type for task in report.tasks for error in task.errors] + [e.type for e in report.errors]


def package_of(folder: Path, names: list[str]) -> Path:
    """A datapackage.json of some tables, written into a folder holding their CSV files."""
    path = folder / "datapackage.json"
    path.write_text(datapackage_json(names), encoding="utf-8")
    return path


def copy_tables(package: Path, folder: Path, names: list[str]) -> None:
    """Copy the exported CSV files of some tables into a folder."""
    for name in names:
        target = folder / f"{TABLES[name].stem}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(package / f"{TABLES[name].stem}.csv", target)


def test_every_reference_names_declared_columns_of_the_same_types_as_the_key_it_points_to():
    for table in TABLES.values():
        for reference in table.references:
            target = TABLES[reference.table]
            assert len(reference.columns) == len(target.key), (table.name, reference)
            types = {c.name: c.dtype for c in table.columns}
            target_types = {c.name: c.dtype for c in target.columns}
            assert [types[c] for c in reference.columns] == [target_types[c] for c in target.key], (table.name, reference)


def test_no_key_column_may_be_null():
    for table in TABLES.values():
        nullable = [c.name for c in table.columns if c.name in table.key and c.nullable]
        assert nullable == [], table.name


def test_a_field_takes_its_type_meaning_and_allowed_values_from_its_column():
    field = field_descriptor(C("status", "str", "Status.", "Parse.", "completed", False, ("completed", "unknown")))
    assert field["type"] == "string" and field["description"].startswith("Status.")
    assert field["constraints"] == {"required": True, "enum": ["completed", "unknown"]}
    assert field["example"] == "completed"


def test_every_contract_type_has_a_table_schema_type():
    types = {field_descriptor(C("x", dtype, "m", "d"))["type"] for dtype in DTYPES}
    assert types == {"string", "integer", "number", "boolean", "date"}


def test_an_empty_cell_of_a_string_column_that_may_not_be_null_is_the_empty_string():
    assert field_descriptor(C("label", "str", "m", "d", nullable=False))["missingValues"] == []
    assert "missingValues" not in field_descriptor(C("title", "str", "m", "d"))


def test_the_key_is_the_primary_key_and_references_are_foreign_keys():
    schema = next(r for r in datapackage()["resources"] if r["name"] == "measures")["schema"]
    assert schema["primaryKey"] == ["measure_key"]
    assert {"fields": ["problem_key"], "reference": {"resource": "problems", "fields": ["problem_key"]}} in schema["foreignKeys"]


def test_a_reference_to_the_table_itself_names_no_resource():
    schema = next(r for r in datapackage()["resources"] if r["name"] == "documents")["schema"]
    assert {"fields": ["parent_key"], "reference": {"fields": ["mention_key"]}} in schema["foreignKeys"]


def test_foreign_keys_to_tables_left_out_are_left_out():
    resources = datapackage(["notices", "measures"])["resources"]
    measures = next(r for r in resources if r["name"] == "measures")["schema"]
    assert [k["reference"]["resource"] for k in measures["foreignKeys"]] == ["notices"]


def test_every_table_is_a_resource_pointing_at_its_csv_file():
    resources = datapackage()["resources"]
    assert [r["name"] for r in resources] == list(TABLES)
    assert {r["path"] for r in resources} == {f"{t.stem}.csv" for t in TABLES.values()}


def test_the_datapackage_is_the_same_bytes_every_time():
    assert datapackage_json() == datapackage_json()
    assert json.loads(datapackage_json()) == datapackage()


def test_the_data_licence_is_the_repositorys():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["license"] == DATA_LICENCE["name"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith(f"{DATA_LICENCE['title']}\n")


def test_the_csv_export_writes_the_datapackage_and_the_codebook_beside_the_files(package):
    assert (package / "datapackage.json").read_text(encoding="utf-8") == datapackage_json()
    assert (package / "codebook.md").read_text(encoding="utf-8") == codebook_markdown()
    assert all((package / r["path"]).is_file() for r in datapackage()["resources"])


def test_the_build_store_holds_no_datapackage(built):
    assert not (built.processed / "datapackage.json").exists()
    assert "datapackage.json" not in json.loads((built.processed / "MANIFEST").read_text(encoding="utf-8"))["outputs"]


def test_the_exported_corpus_is_a_valid_data_package(package):
    report = frictionless.validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:10]


def test_an_export_of_a_build_that_stopped_early_describes_only_the_tables_asked_for(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root, until="parse")
    export(root / "data" / "processed", tmp_path / "out", "csv", ["notices", "problems"])
    described = {r["name"] for r in json.loads((tmp_path / "out" / "datapackage.json").read_text())["resources"]}
    assert described == {"notices", "problems"}
    assert frictionless.validate(str(tmp_path / "out" / "datapackage.json")).valid


def test_a_duplicated_key_fails_validation(package, tmp_path):
    copy_tables(package, tmp_path, ["notices"])
    rows = pl.read_csv(tmp_path / "notices.csv", infer_schema=False)
    pl.concat([rows, rows.head(1)]).write_csv(tmp_path / "notices.csv")
    assert "primary-key" in errors_of(frictionless.validate(str(package_of(tmp_path, ["notices"]))))


def test_a_wrong_type_fails_validation(package, tmp_path):
    copy_tables(package, tmp_path, ["notices"])
    rows = pl.read_csv(tmp_path / "notices.csv", infer_schema=False)
    rows.with_columns(pl.lit("many").alias("chars")).write_csv(tmp_path / "notices.csv")
    assert "type-error" in errors_of(frictionless.validate(str(package_of(tmp_path, ["notices"]))))


def test_a_broken_foreign_key_fails_validation(package, tmp_path):
    copy_tables(package, tmp_path, ["notices", "problems"])
    rows = pl.read_csv(tmp_path / "problems.csv", infer_schema=False)
    rows.with_columns(pl.lit("no-such-notice").alias("notice_id")).write_csv(tmp_path / "problems.csv")
    assert "foreign-key" in errors_of(frictionless.validate(str(package_of(tmp_path, ["notices", "problems"]))))


@pytest.mark.parametrize("value", ["sometimes", ""])
def test_a_value_outside_the_allowed_values_or_a_missing_required_value_fails_validation(package, tmp_path, value):
    copy_tables(package, tmp_path, ["problems"])
    rows = pl.read_csv(tmp_path / "problems.csv", infer_schema=False)
    rows.with_columns(pl.lit(value).alias("status")).write_csv(tmp_path / "problems.csv")
    assert "constraint-error" in errors_of(frictionless.validate(str(package_of(tmp_path, ["problems"]))))
