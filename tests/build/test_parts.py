"""Partitioned tables: a notice's rows in one stable part, parts kept when their notices did not change."""

from __future__ import annotations

import json
import subprocess
import sys

import polars as pl

from analysis.build.parts import part_files, read_rows_of, split_parts, write_part
from analysis.build.store import read_table
from analysis.contract.tables import PARTITIONED_TABLES, PARTS, part_of
from tests.build.test_pipeline import edit_notice, hashes
from tests.conftest import copy_inputs, run_build


def test_a_notices_part_is_the_same_in_another_python_process():
    code = "from analysis.contract.tables import part_of; print(part_of('zibo-sthjj-2025'))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": "123", "PYTHONPATH": ":".join(sys.path)})
    assert int(other.stdout) == part_of("zibo-sthjj-2025") == 26


def test_parts_spread_notice_ids_over_every_part():
    assert {part_of(f"gen-{i:05d}-2024") for i in range(2000)} == set(range(PARTS))


def test_split_parts_keeps_each_notices_rows_together_in_order():
    df = pl.DataFrame({"notice_id": ["b", "a", "b", "c"], "seq": [1, 2, 3, 4]})
    parts = split_parts(df)
    assert sum(p.height for p in parts.values()) == 4
    assert parts[part_of("b")].filter(pl.col("notice_id") == "b")["seq"].to_list() == [1, 3]


def test_a_partitioned_table_reads_back_whole_and_sorted_by_its_key(built):
    notices = read_table(built.processed, "notices")
    assert notices["notice_id"].to_list() == sorted(notices["notice_id"].to_list()) and notices.height == 5
    assert len(part_files(built.processed, "notices")) == len({part_of(n) for n in notices["notice_id"]})


def test_rows_of_some_notices_are_read_from_their_parts_only(built):
    rows = read_rows_of(built.processed, "measures", ["zibo-sthjj-2025"])
    assert rows.height and set(rows["notice_id"]) == {"zibo-sthjj-2025"}


def test_every_partitioned_table_is_listed_part_by_part_in_manifest(built):
    outputs = json.loads((built.processed / "MANIFEST").read_text(encoding="utf-8"))["outputs"]
    for name in PARTITIONED_TABLES:
        assert f"{name}.parquet" not in outputs and f"{name}.csv" not in outputs
    assert "notices/part-26.parquet" in outputs


def test_a_one_notice_change_rewrites_only_its_parts_and_the_corpus_outputs(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root, use_cache=True)
    before = hashes(root / "data" / "processed")
    edit_notice(root, "zibo-sthjj-2025")
    run_build(root, use_cache=True)
    after = hashes(root / "data" / "processed")
    changed = {rel for rel in after if before.get(rel) != after[rel]}
    parts = {rel for rel in changed if "/part-" in rel}
    assert parts and all(rel.endswith("/part-26.parquet") for rel in parts)
    unchanged_parts = {rel for rel in after if "/part-" in rel and not rel.endswith("/part-26.parquet")}
    assert unchanged_parts and not unchanged_parts & changed


def test_a_removed_notice_takes_its_rows_out_of_its_part(tmp_path):
    import csv

    from tests.conftest import write_corpus

    root = copy_inputs(tmp_path / "p")
    run_build(root, use_cache=True)
    manifest = root / "data" / "raw" / "manifest.csv"
    rows = [r for r in csv.DictReader(manifest.open(encoding="utf-8")) if r["notice_id"] != "taizhou-js-sthjj-2025"]
    (root / "data" / "raw" / "notices" / "taizhou-js-sthjj-2025.txt").unlink()
    write_corpus(root, {}, rows)
    run_build(root, use_cache=True)
    processed = root / "data" / "processed"
    assert "taizhou-js-sthjj-2025" not in read_table(processed, "measures")["notice_id"].to_list()
    assert not (processed / "measures" / "part-45.parquet").exists()  # its only notice is gone


def test_parquet_bytes_do_not_depend_on_how_the_frame_is_chunked(tmp_path):
    whole = pl.DataFrame({"seq": list(range(600_000))})
    pieces = pl.concat([whole[:100_000], whole[100_000:]], rechunk=False)  # as when graphs are stacked one by one
    write_part(whole, tmp_path / "whole.parquet")
    write_part(pieces, tmp_path / "pieces.parquet")
    assert (tmp_path / "whole.parquet").read_bytes() == (tmp_path / "pieces.parquet").read_bytes()
