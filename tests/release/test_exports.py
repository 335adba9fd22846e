"""`notices export`: which tables, from which build, and CSV files that Excel reads as UTF-8 with the values unchanged."""

from __future__ import annotations

import io
import shutil

import polars as pl
import pytest
from typer.testing import CliRunner

from analysis.cli import app
from analysis.contract.tables import TABLES
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


def test_an_export_of_a_folder_without_a_build_is_refused(tmp_path):
    with pytest.raises(ProjectError, match="run `notices build` first"):
        check_built(tmp_path, ["notices"])


def test_an_export_of_a_table_altered_since_the_build_is_refused(built, tmp_path):
    processed = tmp_path / "processed"
    shutil.copytree(built.processed, processed)
    (processed / "notices.parquet").write_bytes(b"altered")
    with pytest.raises(ProjectError, match="notices.parquet changed since the build"):
        export(processed, tmp_path / "out", "xlsx", ["notices"])
    assert not (tmp_path / "out" / WORKBOOK).exists()


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
