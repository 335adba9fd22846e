"""`notices export`: which tables, from which build; single Parquet and CSV files equal to the store's tables; CSV files that
Excel reads as UTF-8 with the values unchanged."""

from __future__ import annotations

import io
import shutil

import polars as pl
import pytest
from typer.testing import CliRunner

from analysis.build.parts import part_files
from analysis.build.store import read_table
from analysis.cli import app
from analysis.contract.tables import PARTITIONED_TABLES, TABLES
from analysis.errors import ProjectError
from analysis.release.exports import BOM, WORKBOOK, check_built, choose_tables, csv_excel_bytes, export, formula_like

runner = CliRunner()


def test_tables_are_chosen_comma_separated_or_repeated_in_contract_order():
    assert choose_tables(["problems,notices", "measures"]) == ["notices", "problems", "measures"]
    assert choose_tables([]) == list(TABLES)


def test_an_unknown_table_is_refused_with_the_known_names():
    with pytest.raises(ProjectError, match="unknown table.*problemz.*notices"):
        choose_tables(["problemz"])


def test_csv_for_excel_starts_with_a_byte_order_mark():
    assert csv_excel_bytes(pl.DataFrame({"title": ["整改"]})).startswith(BOM + b"title\r\n")


def test_csv_for_excel_leaves_a_formula_like_value_unchanged_and_counts_it():
    df = pl.DataFrame({"text": ["=1+1", "@x", "-", "整改", None]})
    back = pl.read_csv(io.BytesIO(csv_excel_bytes(df)), schema={"text": pl.String})
    assert back.equals(df) and formula_like(df) == 3


def test_every_table_reads_back_from_its_csv_for_excel(exported, tables):
    for name, df in tables.items():
        data = (exported["csv-excel"] / f"{name}.csv").read_bytes()
        assert data.startswith(BOM), name
        back = pl.read_csv(io.BytesIO(data[len(BOM):]), schema=TABLES[name].polars_schema)
        assert back.equals(df), name


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_every_table_is_exported_as_one_file_at_its_path_holding_the_stores_rows(exported, tables, fmt):
    for name, df in tables.items():
        path = exported[fmt] / f"{TABLES[name].stem}.{fmt}"
        back = pl.read_parquet(path) if fmt == "parquet" else pl.read_csv(path, schema=TABLES[name].polars_schema)
        assert back.equals(df), name


def test_the_partitioned_tables_are_joined_from_their_parts(built, exported):
    for name in PARTITIONED_TABLES:
        parts = part_files(built.processed, name)
        rows = sum(pl.read_parquet(p).height for p in parts)
        assert pl.read_parquet(exported["parquet"] / f"{TABLES[name].stem}.parquet").height == rows, name


def test_a_single_file_export_is_the_same_bytes_when_made_again(built, exported, tmp_path):
    for fmt in ("parquet", "csv"):
        report = export(built.processed, tmp_path / fmt, fmt, choose_tables([]))
        for path in report.files:
            assert path.read_bytes() == (exported[fmt] / path.relative_to(tmp_path / fmt)).read_bytes(), path


def test_an_export_of_a_folder_without_a_build_is_refused(tmp_path):
    with pytest.raises(ProjectError, match="run `notices build` first"):
        check_built(tmp_path, ["notices"])


def test_an_export_of_a_table_altered_since_the_build_is_refused(built, tmp_path):
    processed = tmp_path / "processed"
    shutil.copytree(built.processed, processed)
    part = part_files(processed, "notices")[0]
    part.write_bytes(b"altered")
    with pytest.raises(ProjectError, match=f"notices/{part.name} changed since the build"):
        export(processed, tmp_path / "out", "xlsx", ["notices"])
    assert not (tmp_path / "out" / WORKBOOK).exists()


def test_notices_export_writes_csv_files_with_their_data_package_into_out(built, tmp_path):
    result = runner.invoke(app, ["export", "--format", "csv", "--tables", "problems,network_edges", "--out", str(tmp_path),
                                 "--root", str(built.root)])
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == \
        ["codebook.md", "datapackage.json", "network/edges.csv", "problems.csv"]
    assert pl.read_csv(tmp_path / "problems.csv", schema=TABLES["problems"].polars_schema).equals(read_table(built.processed, "problems"))


def test_notices_export_writes_the_tables_asked_for_into_out(built, tmp_path):
    result = runner.invoke(app, ["export", "--format", "dta", "--tables", "notices,problems", "--out", str(tmp_path),
                                 "--root", str(built.root)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notices.dta", "problems.dta", "variables.csv"]


def test_notices_export_refuses_an_unknown_format_or_table_with_code_2(built, tmp_path):
    for args in (["--format", "sav"], ["--format", "xlsx", "--tables", "problemz"]):
        result = runner.invoke(app, ["export", *args, "--out", str(tmp_path), "--root", str(built.root)])
        assert result.exit_code == 2 and "Traceback" not in result.output, args


def test_an_export_into_data_processed_is_refused_with_code_2(built):
    result = runner.invoke(app, ["export", "--format", "csv-excel", "--out", str(built.processed / "excel"), "--root", str(built.root)])
    assert result.exit_code == 2 and "only `notices build` writes" in result.output
    assert not (built.processed / "excel").exists()
