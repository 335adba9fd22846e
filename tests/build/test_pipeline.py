"""Whole builds: bad inputs accounted for, nothing lost, atomic writes, byte-identical outputs."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest

from analysis.build.store import read_table
from analysis.build import store
from analysis.config import BuildConfig, Paths
from analysis.contract.tables import part_of
from analysis.build.pipeline import build

from tests.conftest import copy_inputs, manifest_row, raw_notice, run_build, write_corpus

SEED_IDS = ["binzhou-boxing-sthjfj-2023", "guangzhou-sthjj-2025", "qingdao-sthjj-2024", "taizhou-js-sthjj-2025", "zibo-sthjj-2025"]
NOTICE_HTML = ("<!DOCTYPE html><html><head><meta charset='gb2312'><title>整改</title><script>track()</script></head><body>"
               "<div class='nav'>首页 &gt; 信息公开</div><div class='article'><h1>中共某县水利局党组关于巡察整改情况的通报</h1>"
               "<p>根据县委统一部署,2023年3月1日至4月30日,县委第二巡察组对县水利局党组开展了常规巡察。6月1日,县委巡察组反馈了巡察意见。</p>"
               "<p>一、整改落实情况</p><p>1.关于河道管理不到位问题</p><p>整改情况:已整改完成。一是清理河道垃圾。二是建立巡河制度。</p>"
               "<p>中共某县水利局党组</p><p>2023年8月1日</p></div><div class='footer'>版权所有</div></body></html>")


def hashes(folder: Path, under: str = "") -> dict[str, str]:
    """SHA-256 of every file under a folder (only paths starting with `under`, if given)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.relative_to(folder).as_posix().startswith(under)}


def assert_same_as_a_full_build(root: Path) -> None:
    """data/processed as it stands equals, byte for byte, what a full (non-incremental) build writes."""
    incremental = hashes(root / "data" / "processed")
    run_build(root, use_cache=False)
    assert hashes(root / "data" / "processed") == incremental


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    """The five seeds plus every bad case of the reliability issue, built once."""
    root = copy_inputs(tmp_path_factory.mktemp("messy"), notices=False)
    files = {f"{nid}.txt": raw_notice(nid) for nid in SEED_IDS}
    taizhou = raw_notice("taizhou-js-sthjj-2025").decode("utf-8")
    bad = {
        "empty-2024.txt": b"",
        "binary-2024.txt": bytes(range(256)) * 64,
        "gb18030-2025.txt": raw_notice("binzhou-boxing-sthjfj-2023").decode("utf-8").replace("中共滨州市", "中共滨州").encode("gb18030"),
        "bom-2025.txt": b"\xef\xbb\xbf" + raw_notice("qingdao-sthjj-2024").decode("utf-8").replace("整改进展情况的通报", "整改进展情况通报").encode(),
        "page-2023.html": NOTICE_HTML.encode("gb18030"),
        "truncated-2025.txt": taizhou[: taizhou.index("一是全面压减")].encode("utf-8"),
        "not-a-notice-2024.txt": "本店新到一批春季服装,款式新颖,价格实惠,欢迎广大顾客前来选购。\n某服装店\n2024年1月1日\n".encode(),
        "no-outline-2024.txt": "根据市委统一部署,市委巡察组对某局党组开展了巡察。我局高度重视,认真整改。\n某局党组\n2024年1月1日\n".encode(),
        "exact-copy-2024.txt": raw_notice("qingdao-sthjj-2024"),
        "reencoded-copy-2025.txt": raw_notice("taizhou-js-sthjj-2025").decode("utf-8").encode("gb18030"),
        "huge-2024.txt": ("根据" * 5_300_000).encode("utf-8")[: 10 * 1024 * 1024],
        "stray-2024.txt": raw_notice("zibo-sthjj-2025").replace(b"2025", b"2024"),
    }
    files.update(bad)
    rows = [manifest_row(nid, f"{nid}.txt", raw_notice(nid)) for nid in SEED_IDS]  # curated first: duplicates keep these
    rows += [manifest_row(Path(name).stem, name, data) for name, data in bad.items() if name != "stray-2024.txt"]
    rows.append({"notice_id": "gone-2024", "file": "notices/gone-2024.txt", "sha256": "0" * 64, "bytes": 10})
    rows.append({"notice_id": "../x", "file": "notices/../x.txt", "sha256": "0" * 64, "bytes": 10})
    write_corpus(root, files, rows)
    report = run_build(root)
    return root, report, {name: len(data) for name, data in files.items()}


def test_every_raw_file_is_parsed_or_quarantined(messy):
    _, report, files = messy
    assert sorted(report.raw_files) == sorted(f"notices/{name}" for name in files)
    assert report.unaccounted() == []
    quarantined_files = {q["file"] for q in report.quarantine if q["file"] in report.raw_files}
    assert len(report.parsed_files) + len(quarantined_files) == len(files)


def test_the_five_seeds_and_the_readable_bad_cases_are_parsed(messy):
    _, report, _ = messy
    assert set(SEED_IDS) <= set(report.parsed)
    assert {"gb18030-2025", "bom-2025", "page-2023", "truncated-2025", "no-outline-2024"} <= set(report.parsed)


def test_a_notice_without_an_outline_is_read_with_a_warning(messy):
    root, _, _ = messy
    row = read_table(root / "data" / "processed", "notices").filter(pl.col("notice_id") == "no-outline-2024").row(0, named=True)
    assert (row["layout"], row["genre"], row["issuing_body"], row["signature_date"].isoformat()) == (
        "paragraph", "party_inspection", "某局党组", "2024-01-01")
    assert "no_outline" in row["warnings"]


@pytest.mark.parametrize("file,reason", [
    ("notices/empty-2024.txt", "empty"), ("notices/binary-2024.txt", "binary"), ("notices/not-a-notice-2024.txt", "not_a_notice"),
    ("notices/exact-copy-2024.txt", "duplicate"), ("notices/reencoded-copy-2025.txt", "duplicate"),
    ("notices/huge-2024.txt", "too_large"), ("notices/stray-2024.txt", "unregistered_file"),
    ("notices/gone-2024.txt", "missing_file"), ("notices/../x.txt", "invalid_id"),
])
def test_bad_input_is_quarantined_with_its_reason(messy, file, reason):
    _, report, _ = messy
    rows = [q for q in report.quarantine if q["file"] == file]
    assert [q["reason"] for q in rows] == [reason]
    assert rows[0]["message"]


def test_duplicates_name_the_notice_that_was_kept(messy):
    _, report, _ = messy
    kept = {q["file"]: q["duplicate_of"] for q in report.quarantine if q["reason"] == "duplicate"}
    assert kept == {"notices/exact-copy-2024.txt": "qingdao-sthjj-2024", "notices/reencoded-copy-2025.txt": "taizhou-js-sthjj-2025"}


def test_organisation_falls_back_to_the_inspected_body_without_a_signature(messy):
    root, _, _ = messy
    row = read_table(root / "data" / "processed", "notices").filter(pl.col("notice_id") == "truncated-2025").row(0, named=True)
    assert (row["signature_date"], row["organisation"], row["city"]) == (None, "泰州市生态环境局", "泰州市")


def test_truncated_notice_is_kept_with_a_warning(messy):
    root, _, _ = messy
    notices = read_table(root / "data" / "processed", "notices")
    row = notices.filter(pl.col("notice_id") == "truncated-2025").row(0, named=True)
    # cut inside (二)22: its heading survives, its measures do not
    assert "truncated" in row["warnings"].split(";") and row["problems_parsed"] == 16 + 22
    problems = read_table(root / "data" / "processed", "problems").filter(pl.col("notice_id") == "truncated-2025")
    assert problems.sort("start").row(-1, named=True)["measures"] == 0


def test_html_notice_is_parsed(messy):
    root, _, _ = messy
    row = read_table(root / "data" / "processed", "notices").filter(pl.col("notice_id") == "page-2023").row(0, named=True)
    assert row["encoding"] == "html:gb18030" and row["problems_parsed"] == 1
    assert row["title"] == "中共某县水利局党组关于巡察整改情况的通报"


def test_quarantine_table_is_written(messy):
    root, report, _ = messy
    table = pl.read_csv(root / "data" / "processed" / "quarantine.csv")
    assert table.height == len(report.quarantine)


def test_strict_build_fails_on_quarantine(messy):
    from typer.testing import CliRunner

    from analysis.cli import app

    root, _, _ = messy
    result = CliRunner().invoke(app, ["build", "--root", str(root), "--strict", "--jobs", "1", "--no-cache"])
    assert result.exit_code == 3
    assert "raw files" in result.output and "quarantined" in result.output


def test_two_builds_are_byte_identical(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root)
    first = hashes(root / "data" / "processed")
    run_build(root)
    assert hashes(root / "data" / "processed") == first


def test_serial_parallel_and_incremental_builds_are_byte_identical(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root, workers=1)
    serial = hashes(root / "data" / "processed")
    run_build(root, workers=2)
    assert hashes(root / "data" / "processed") == serial
    report = run_build(root, workers=2, use_cache=True)  # nothing changed: nothing is rewritten
    assert report.up_to_date and hashes(root / "data" / "processed") == serial


def edit_notice(root: Path, notice_id: str, sentence: str = "整改工作持续推进。") -> None:
    """Change one raw notice (one sentence added to its first paragraph) and its manifest row, as a curator would."""
    import csv

    path = root / "data" / "raw" / "notices" / f"{notice_id}.txt"
    data = path.read_text(encoding="utf-8").replace("。", "。" + sentence, 1).encode("utf-8")
    path.write_bytes(data)
    manifest = root / "data" / "raw" / "manifest.csv"
    rows = list(csv.DictReader(manifest.open(encoding="utf-8")))
    for row in rows:
        if row["notice_id"] == notice_id:
            row.update(sha256=hashlib.sha256(data).hexdigest(), bytes=str(len(data)))
    write_corpus(root, {}, rows)


def test_changing_one_notice_reparses_only_that_notice(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root, use_cache=True)
    edit_notice(root, "zibo-sthjj-2025")
    report = run_build(root, use_cache=True)
    assert (report.processed, report.cached) == (1, 4)
    text = (root / "data" / "processed" / "text" / "zibo-sthjj-2025.txt").read_text(encoding="utf-8")
    assert "整改工作持续推进" in text


def test_an_incremental_build_equals_a_full_build(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root, use_cache=True)
    edit_notice(root, "qingdao-sthjj-2024")
    run_build(root, use_cache=True, workers=2)
    assert_same_as_a_full_build(root)


def test_the_network_is_kept_when_an_edit_moves_no_node_or_edge(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root, use_cache=True)
    before = hashes(root / "data" / "processed", under="network/")
    edit_notice(root, "zibo-sthjj-2025")  # a sentence naming no agency and no document
    report = run_build(root, use_cache=True)
    assert report.network_carried
    assert hashes(root / "data" / "processed", under="network/") == before


def test_the_network_is_rebuilt_when_an_edit_cites_a_new_document(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root, use_cache=True)
    edit_notice(root, "zibo-sthjj-2025", "我局按照《淄博市扬尘污染防治管理办法》开展整改。")
    report = run_build(root, use_cache=True)
    assert not report.network_carried
    nodes = pl.read_parquet(root / "data" / "processed" / "network" / "nodes.parquet")
    assert "document:淄博市扬尘污染防治管理办法" in nodes.get_column("node_id").to_list()
    assert_same_as_a_full_build(root)


def test_a_change_to_the_reference_data_reparses_every_notice(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root, use_cache=True)
    with (root / "data" / "reference" / "SOURCES.md").open("a", encoding="utf-8") as fh:
        fh.write("\nA note.\n")
    from analysis.build.pipeline import plan_build

    plan = plan_build(BuildConfig(Paths(root)))
    assert {p.action for p in plan.plans} == {"process"}
    assert plan.why_not == "the per-notice code or the reference data changed"


def test_a_deleted_text_output_is_rebuilt(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root, use_cache=True)
    before = hashes(root / "data" / "processed")
    (root / "data" / "processed" / "text" / "zibo-sthjj-2025.txt").unlink()
    report = run_build(root, use_cache=True)
    assert not report.up_to_date and hashes(root / "data" / "processed") == before


def test_quarantined_notices_stay_quarantined_in_an_incremental_build(tmp_path):
    root = copy_inputs(tmp_path / "p")
    files = {"empty-2024.txt": b"", "not-a-notice-2024.txt": "本店新到一批春季服装,款式新颖,价格实惠,欢迎广大顾客前来选购。\n某服装店\n2024年1月1日\n".encode()}
    import csv

    rows = list(csv.DictReader((root / "data" / "raw" / "manifest.csv").open(encoding="utf-8")))
    rows += [manifest_row(Path(name).stem, name, data) for name, data in files.items()]
    write_corpus(root, files, rows)
    first = run_build(root, use_cache=True)
    edit_notice(root, "zibo-sthjj-2025")
    second = run_build(root, use_cache=True)
    assert second.processed == 1 and second.cached == 6
    assert sorted((q["notice_id"], q["reason"]) for q in second.quarantine) == sorted(
        (q["notice_id"], q["reason"]) for q in first.quarantine) == [("empty-2024", "empty"), ("not-a-notice-2024", "not_a_notice")]


def test_dry_run_lists_what_would_be_rebuilt_and_writes_nothing(tmp_path):
    from typer.testing import CliRunner

    from analysis.cli import app

    root = copy_inputs(tmp_path / "p")
    run_build(root, use_cache=True)
    edit_notice(root, "binzhou-boxing-sthjfj-2023")
    before = hashes(root / "data" / "processed")
    result = CliRunner().invoke(app, ["build", "--root", str(root), "--dry-run", "--skip-notebooks"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "raw file changed" in result.output and "binzhou-boxing-sthjfj-2023" in result.output
    assert "4" in result.output and "unchanged" in result.output
    assert hashes(root / "data" / "processed") == before


def test_manifest_lists_every_output_with_its_hash_and_inputs(built):
    manifest = store.read_build_record(built.processed)
    on_disk = hashes(built.processed)
    del on_disk["MANIFEST"]
    assert {k: v["sha256"] for k, v in manifest["outputs"].items()} == on_disk
    assert manifest["inputs"]["corpus"]["data/raw/notices/qingdao-sthjj-2024.txt"] == hashlib.sha256(
        raw_notice("qingdao-sthjj-2024")).hexdigest()
    assert manifest["outputs"]["text/qingdao-sthjj-2024.txt"]["built_from"] == ["code", "data/raw/notices/qingdao-sthjj-2024.txt"]


def test_failure_while_writing_leaves_the_previous_outputs_intact(tmp_path, monkeypatch):
    root = copy_inputs(tmp_path / "p")
    run_build(root)
    before = hashes(root / "data" / "processed")
    calls = {"n": 0}
    real = store.write_table_files

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full (injected)")
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "write_table_files", failing)
    (root / "data" / "raw" / "notices" / "zibo-sthjj-2025.txt").write_bytes(b"")  # the build would change outputs
    with pytest.raises(OSError, match="injected"):
        run_build(root)
    assert hashes(root / "data" / "processed") == before
    assert read_table(root / "data" / "processed", "notices").height == 5
    assert not list((root / "data" / "processed").glob(".staging-*"))


def test_outputs_of_a_removed_notice_are_deleted(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root)
    import csv

    manifest = root / "data" / "raw" / "manifest.csv"
    rows = [r for r in csv.DictReader(manifest.open(encoding="utf-8")) if r["notice_id"] != "zibo-sthjj-2025"]
    write_corpus(root, {}, rows)
    (root / "data" / "raw" / "notices" / "zibo-sthjj-2025.txt").unlink()
    run_build(root)
    assert not (root / "data" / "processed" / "text" / "zibo-sthjj-2025.txt").exists()
    assert store.verify_outputs(root / "data" / "processed") == []


def test_build_config_is_passed_not_global(tmp_path):
    root = copy_inputs(tmp_path / "p")
    report = build(BuildConfig(Paths(root), workers=1, use_cache=False, max_bytes=1000))
    assert {q["reason"] for q in report.quarantine} == {"too_large"} and report.parsed == []


def test_a_notice_whose_rows_break_a_column_type_is_quarantined_alone(tmp_path, monkeypatch):
    from analysis.extract import notice as reading

    root = copy_inputs(tmp_path / "p")
    real = reading.notice_tables

    def broken(notice, *args, **kwargs):
        rows = real(notice, *args, **kwargs)
        if notice.notice_id == "zibo-sthjj-2025":
            rows["problems"]["start"][0] = "not an offset"
        return rows

    monkeypatch.setattr(reading, "notice_tables", broken)
    report = build(BuildConfig(Paths(root), workers=1, use_cache=False))
    assert [(q["notice_id"], q["stage"], q["reason"]) for q in report.quarantine] == [("zibo-sthjj-2025", "assemble", "internal_error")]
    assert "zibo-sthjj-2025" not in report.parsed and len(report.parsed) == 4


def test_indicators_are_computed_only_for_the_changed_notice(tmp_path, monkeypatch):
    from analysis.build import steps

    root = copy_inputs(tmp_path / "p")
    run_build(root, use_cache=True)
    edit_notice(root, "taizhou-js-sthjj-2025")
    seen = []
    real = steps.compute_indicators

    def recording(tables, resources):
        seen.append(sorted(tables["notices"].get_column("notice_id").to_list()))
        return real(tables, resources)

    monkeypatch.setattr(steps, "compute_indicators", recording)
    run_build(root, use_cache=True)
    assert seen == [["taizhou-js-sthjj-2025"]]
    assert_same_as_a_full_build(root)
    assert seen[-1] == sorted(read_table(root / "data" / "processed", "notices").get_column("notice_id").to_list())


# --------------------------------------------------------------------------- the cache trusts content, not sizes


def same_size_edit(path: Path) -> None:
    """Change a file's bytes without changing its size (one byte flipped in the middle)."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle] = (data[middle] + 1) % 256
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("relpath", ["text/zibo-sthjj-2025.txt", "measures/part-26.parquet", "indicators/part-26.parquet",
                                     "network/nodes.parquet", "quarantine.csv"])
def test_a_same_size_corruption_is_repaired_by_the_next_build(tmp_path, relpath):
    root = copy_inputs(tmp_path / "p")
    run_build(root, use_cache=True)
    before = hashes(root / "data" / "processed")
    same_size_edit(root / "data" / "processed" / relpath)
    assert store.verify_outputs(root / "data" / "processed") == [f"{relpath}: changed since the build (sha256 differs)"]
    report = run_build(root, use_cache=True)
    assert not report.up_to_date and report.repaired == [relpath]
    assert hashes(root / "data" / "processed") == before and store.verify_outputs(root / "data" / "processed") == []


def test_a_build_with_nothing_altered_is_up_to_date(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root, use_cache=True)
    report = run_build(root, use_cache=True)
    assert report.up_to_date and report.repaired == []


def test_internal_error_is_never_carried_over(tmp_path, monkeypatch):
    from analysis.extract import notice as reading

    root = copy_inputs(tmp_path / "p")
    real = reading.extract_notice

    def flaky(text, parsed, meta, resources):
        if "博兴" in text:
            raise MemoryError("the machine ran out of memory (injected)")
        return real(text, parsed, meta, resources)

    monkeypatch.setattr(reading, "extract_notice", flaky)
    first = run_build(root, use_cache=True)
    assert [(q["notice_id"], q["reason"]) for q in first.quarantine] == [("binzhou-boxing-sthjfj-2023", "internal_error")]
    monkeypatch.setattr(reading, "extract_notice", real)
    second = run_build(root, use_cache=True)
    assert not second.up_to_date and second.quarantine == [] and "binzhou-boxing-sthjfj-2023" in second.parsed
    assert (second.processed, second.cached) == (1, 4)


def test_a_build_whose_staging_folder_is_removed_commits_nothing(tmp_path, monkeypatch):
    import shutil

    from analysis.build import steps

    root = copy_inputs(tmp_path / "p")
    run_build(root)
    before = hashes(root / "data" / "processed")
    real = steps.evaluate_tables

    def vandal(*args, **kwargs):  # another process deletes this build's staging folder half-way
        for staging in (root / "data" / "processed").glob(".staging-*"):
            shutil.rmtree(staging)
        return real(*args, **kwargs)

    monkeypatch.setattr(steps, "evaluate_tables", vandal)
    (root / "data" / "raw" / "notices" / "zibo-sthjj-2025.txt").write_bytes(b"")
    with pytest.raises(Exception, match="staging folder"):
        run_build(root)
    assert hashes(root / "data" / "processed") == before


# --------------------------------------------------------------------------- ingest writes its own outputs only


def test_ingest_after_a_build_leaves_the_tables(tmp_path):
    from typer.testing import CliRunner

    from analysis.cli import app

    root = copy_inputs(tmp_path / "p")
    run_build(root, use_cache=True)
    before = hashes(root / "data" / "processed")
    result = CliRunner().invoke(app, ["ingest", "--root", str(root), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert hashes(root / "data" / "processed") == before  # same raw files: the same texts, and every table kept
    assert store.verify_outputs(root / "data" / "processed") == []
    assert run_build(root, use_cache=True).up_to_date


def test_ingest_after_a_raw_change_rewrites_only_texts_and_removals(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root, use_cache=True)
    before = hashes(root / "data" / "processed")
    edit_notice(root, "zibo-sthjj-2025")
    run_build(root, until="ingest")
    after = hashes(root / "data" / "processed")
    changed = sorted(rel for rel in before if after.get(rel) != before[rel])
    assert changed == ["MANIFEST", "removals/part-26.parquet", "text/zibo-sthjj-2025.txt"]  # the edit moves removals
    assert set(after) == set(before) and store.verify_outputs(root / "data" / "processed") == []
    report = run_build(root, use_cache=True)  # the next build brings the tables up to the new raw file
    assert (report.processed, report.cached) == (1, 4)
    assert_same_as_a_full_build(root)


def test_ingest_on_a_fresh_project_writes_texts_and_removals_only(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root, until="ingest")
    written = sorted(hashes(root / "data" / "processed"))
    removals = read_table(root / "data" / "processed", "removals").get_column("notice_id").unique().to_list()
    parts = sorted({f"removals/part-{part_of(nid):02d}.parquet" for nid in removals})  # notices with removals only
    assert removals and written == sorted(["MANIFEST", *parts] + [f"text/{nid}.txt" for nid in SEED_IDS])


# --------------------------------------------------------------------------- nothing in data/raw/notices is ignored


def test_hidden_files_and_subfolders_are_accounted_for(tmp_path):
    root = copy_inputs(tmp_path / "p")
    notices = root / "data" / "raw" / "notices"
    (notices / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (notices / "drafts").mkdir()
    (notices / "drafts" / "later-2024.txt").write_text("通报", encoding="utf-8")
    report = run_build(root)
    assert report.unaccounted() == [] and len(report.parsed) == 5
    reasons = {q["file"]: q["reason"] for q in report.quarantine}
    assert reasons == {"notices/.DS_Store": "unregistered_file", "notices/drafts/": "unexpected_folder"}


def test_dry_run_lists_altered_outputs_it_would_rebuild(tmp_path):
    from typer.testing import CliRunner

    from analysis.cli import app

    root = copy_inputs(tmp_path / "p")
    run_build(root, use_cache=True)
    same_size_edit(root / "data" / "processed" / "text" / "qingdao-sthjj-2024.txt")
    result = CliRunner().invoke(app, ["build", "--root", str(root), "--dry-run", "--skip-notebooks"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "1 output(s) missing or altered since the last build would be rebuilt: text/qingdao-sthjj-2024.txt" in result.output
    assert "its normalised text is missing or altered" in result.output


# --------------------------------------------------------------------------- --until stops after any stage


def written_tables(root: Path) -> set[str]:
    """Tables (by file stem, or the folder of a partitioned table) a build left in data/processed."""
    processed = root / "data" / "processed"
    return {(p.parent if p.name.startswith("part-") else p.with_suffix("")).relative_to(processed).as_posix()
            for p in processed.rglob("*.parquet")}


def test_until_parse_writes_the_parse_tables_and_no_extraction(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root, until="parse")
    assert written_tables(root) == {"removals", "notices", "notice_fields", "outline", "problems", "quarantine", "manifest_checks"}


def test_until_parse_does_not_run_the_extractors(tmp_path, monkeypatch):
    from analysis.extract import notice as reading

    def refuse(*args, **kwargs):
        raise AssertionError("extraction ran")

    monkeypatch.setattr(reading, "extract_notice", refuse)
    root = copy_inputs(tmp_path / "p")
    report = run_build(root, until="parse")
    assert report.quarantine == [] and len(report.parsed) == 5


def test_until_extract_writes_every_per_notice_table_and_no_corpus_stage(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root, until="extract")
    assert {"measures", "documents", "agencies", "dates", "figures"} <= written_tables(root)
    assert not written_tables(root) & {"indicators", "evaluation", "network/nodes"}


def test_until_indicators_stops_before_evaluation_and_network(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root, until="indicators")
    tables = written_tables(root)
    assert {"indicators", "problem_indicators", "theme_mix"} <= tables and not tables & {"evaluation", "network/nodes"}


def test_a_full_build_after_a_partial_one_equals_a_full_build(tmp_path):
    root = copy_inputs(tmp_path / "p")
    run_build(root, until="parse")
    run_build(root, use_cache=True)
    assert_same_as_a_full_build(root)
