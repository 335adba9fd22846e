"""`notices export`: single-file copies of the partitioned tables in data/exports/, on demand."""

from __future__ import annotations

import shutil

import polars as pl
import pytest
from typer.testing import CliRunner

from analysis.build.exports import export_tables, exports_folder, stale_exports
from analysis.build.store import read_table
from analysis.cli import app
from analysis.contract.tables import PARTITIONED_TABLES
from analysis.errors import ProjectError


@pytest.fixture()
def project(tmp_path, built):
    """A copy of the built shipped corpus (so exports do not touch the shared one)."""
    root = tmp_path / "p"
    shutil.copytree(built.root, root)
    return root


def test_every_partitioned_table_is_exported_as_one_parquet_and_one_csv_file(project):
    processed = project / "data" / "processed"
    written = export_tables(processed)
    names = {p.name for p in written}
    for name in PARTITIONED_TABLES:
        assert {f"{name}.parquet", f"{name}.csv"} <= names
    assert pl.read_parquet(exports_folder(processed) / "measures.parquet").equals(read_table(processed, "measures"))


def test_an_export_is_byte_identical_when_made_again_from_the_same_build(project):
    processed = project / "data" / "processed"
    first = {p.name: p.read_bytes() for p in export_tables(processed, ["notices"])}
    assert {p.name: p.read_bytes() for p in export_tables(processed, ["notices"])} == first


def test_exports_older_than_the_build_are_listed_by_verify(project):
    processed = project / "data" / "processed"
    export_tables(processed, ["notices"], ("csv",))
    assert stale_exports(processed) == []
    (processed / "MANIFEST").write_text((processed / "MANIFEST").read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert stale_exports(processed) == ["notices.csv"]


def test_a_table_that_is_not_partitioned_is_refused_with_the_choices(project):
    with pytest.raises(ProjectError, match="quarantine already single files.*the partitioned tables are removals"):
        export_tables(project / "data" / "processed", ["quarantine"])


def test_the_export_command_writes_into_data_exports(project):
    result = CliRunner().invoke(app, ["export", "problems", "--csv", "--root", str(project)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "data" / "exports").iterdir()) == ["EXPORTED", "problems.csv"]
