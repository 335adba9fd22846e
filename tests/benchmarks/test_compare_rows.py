"""benchmarks/compare_rows.py: dumps of the per-notice path's rows compare equal, and a changed row is reported."""

from __future__ import annotations

import shutil

import polars as pl
import pytest

from tests.benchmarks import load_script
from tests.conftest import ROOT, copy_inputs


@pytest.fixture(scope="module")
def compare_rows():
    """The script, loaded from its file."""
    return load_script("compare_rows.py", "compare_rows")


@pytest.fixture(scope="module")
def dumped(compare_rows, tmp_path_factory):
    """The shipped corpus's first two notices dumped twice."""
    base = tmp_path_factory.mktemp("rows")
    for name in ("a", "b"):
        assert compare_rows.main(["dump", str(ROOT), str(base / name), "--limit", "2"]) == 0
    return base


def test_two_dumps_of_the_same_notices_are_identical(compare_rows, dumped, capsys):
    assert compare_rows.main(["compare", str(dumped / "a"), str(dumped / "b")]) == 0
    out = capsys.readouterr().out
    assert "measures: identical" in out and out.strip().endswith("identical")
    digests = compare_rows.read_dump(dumped / "a")
    assert digests["notices"]["rows"] == 2 and digests["_outcomes"]["rows"] == 2


def test_a_changed_row_is_reported_by_its_key(compare_rows, dumped, tmp_path, capsys):
    changed = tmp_path / "changed"
    shutil.copytree(dumped / "b", changed)
    measures = pl.read_csv(changed / "measures.csv", infer_schema=False)
    key = measures["measure_key"][0]
    moved = pl.when(pl.int_range(pl.len()) == 0).then((pl.col("start").cast(pl.Int64) + 1).cast(pl.String)).otherwise("start")
    measures.with_columns(moved.alias("start")).write_csv(changed / "measures.csv")
    assert compare_rows.main(["compare", str(dumped / "a"), str(changed)]) == 1
    out = capsys.readouterr().out
    assert "measures: 1 rows differ" in out and f"changed: {key}" in out and "notices: identical" in out


def test_the_development_set_mode_reads_texts_without_a_record(compare_rows, tmp_path):
    project = copy_inputs(tmp_path / "p", notices=False)
    (project / "data" / "annotations").mkdir(parents=True)
    (project / "data" / "annotations" / "devset.jsonl").write_text("", encoding="utf-8")
    texts = tmp_path / "texts"
    texts.mkdir()
    shutil.copy(ROOT / "data" / "raw" / "notices" / "zibo-sthjj-2025.txt", texts / "zibo-2025.txt")
    digests = compare_rows.dump(project, tmp_path / "out", devset=True, texts=texts)
    assert digests["notices"]["rows"] == 1 and digests["problems"]["rows"] > 0
