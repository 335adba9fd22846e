"""The documents point at things that exist and their examples run: cited tests, the README's "Use the data" examples."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

CITED_RE = re.compile(r"`(?:(tests/[\w/]+\.py)::)?(test_\w+)`")


def cited_tests() -> list[tuple[str, str]]:
    """(file, test name) of every test the reliability page cites; a bare name belongs to the file cited before it."""
    cited = []
    for line in (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8").splitlines():
        current = None
        for path, name in CITED_RE.findall(line):
            current = path or current
            cited.append((current, name))
    return cited


def test_the_reliability_page_cites_tests():
    assert len(cited_tests()) > 20


def test_every_test_the_reliability_page_cites_exists():
    missing = [f"{path}::{name}" for path, name in cited_tests()
               if path is None or f"def {name}(" not in (ROOT / path).read_text(encoding="utf-8")]
    assert missing == []


def readme_examples(language: str) -> list[str]:
    """The code blocks of one language in the README's "Use the data" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Use the data\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, re.S)


def run_python(code: str, cwd) -> subprocess.CompletedProcess:
    """Run Python code in a fresh interpreter in a folder."""
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_every_use_the_data_example_is_two_lines():
    for language in ("python", "sql", "r", "stata"):
        [code] = readme_examples(language)
        assert len(code.strip().splitlines()) == 2, language


def test_the_readme_python_example_runs_on_the_built_tables(built):
    [code] = readme_examples("python")
    result = run_python(code, built.root)
    assert result.returncode == 0, result.stderr
    assert "completed" in result.stdout


def test_the_readme_duckdb_example_runs_on_the_built_tables(built):
    [sql] = readme_examples("sql")
    result = run_python(f"import duckdb\nprint(duckdb.sql({sql!r}).fetchall())", built.root)
    assert result.returncode == 0, result.stderr
    assert "completed" in result.stdout


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_the_readme_r_example_runs_where_r_and_arrow_are_installed(built):
    [code] = readme_examples("r")
    if subprocess.run(["Rscript", "-e", "library(arrow)"], capture_output=True).returncode:
        pytest.skip("the R package arrow is not installed")
    result = subprocess.run(["Rscript", "-e", code + "\nstopifnot(nrow(problems) > 0)"], cwd=built.root, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_the_readme_stata_example_uses_the_file_and_variable_the_dta_export_writes(built, tmp_path):
    import pyreadstat
    from typer.testing import CliRunner

    from analysis.cli import app

    [code] = readme_examples("stata")
    path, variable = re.search(r'use "([^"]+)"', code).group(1), re.search(r"tabulate (\w+)", code).group(1)
    root = tmp_path / "p"
    shutil.copytree(built.root, root)
    result = CliRunner().invoke(app, ["export", "--format", "dta", "--tables", "problems", "--root", str(root)])
    assert result.exit_code == 0, result.output
    _, meta = pyreadstat.read_dta(str(root / path), metadataonly=True, output_format="polars")
    assert variable in meta.column_names
