"""The raw corpus and its hand-kept manifest."""

from __future__ import annotations

import hashlib

import pytest

from analysis.manifest import check_manifest, read_manifest

from .conftest import ROOT, SEED_FILES, SEEDS, manifest_row, write_corpus


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seed notices are not beside the repository")
@pytest.mark.parametrize("notice_id,seed", sorted(SEED_FILES.items()))
def test_raw_notices_are_the_seeds_byte_for_byte(notice_id, seed):
    assert (ROOT / "data" / "raw" / "notices" / f"{notice_id}.txt").read_bytes() == (SEEDS / seed).read_bytes()


def test_shipped_manifest_matches_the_files():
    entries, problems = check_manifest(ROOT / "data" / "raw", read_manifest(ROOT / "data" / "raw" / "manifest.csv"))
    assert problems == []
    assert sorted(e.notice_id for e in entries) == sorted(SEED_FILES)


def test_manifest_records_the_original_seed_names():
    entries = {e.notice_id: e for e in read_manifest(ROOT / "data" / "raw" / "manifest.csv")}
    assert {nid: e.original_file for nid, e in entries.items()} == SEED_FILES


def test_missing_file_is_reported(tmp_path):
    write_corpus(tmp_path, {}, [{"notice_id": "gone-2024", "file": "notices/gone-2024.txt", "sha256": "0" * 64, "bytes": 3}])
    _, problems = check_manifest(tmp_path / "data" / "raw", read_manifest(tmp_path / "data" / "raw" / "manifest.csv"))
    assert [(p.reason, p.file) for p in problems] == [("missing_file", "notices/gone-2024.txt")]


def test_file_without_manifest_row_is_reported(tmp_path):
    write_corpus(tmp_path, {"stray-2024.txt": "通报".encode()}, [])
    _, problems = check_manifest(tmp_path / "data" / "raw", read_manifest(tmp_path / "data" / "raw" / "manifest.csv"))
    assert [(p.reason, p.file) for p in problems] == [("unregistered_file", "notices/stray-2024.txt")]
    assert "notices add" in problems[0].message


def test_hash_mismatch_is_reported_with_both_hashes(tmp_path):
    data = "通报".encode()
    row = manifest_row("edited-2024", "edited-2024.txt", data)
    write_corpus(tmp_path, {"edited-2024.txt": data + b"!"}, [row])
    _, problems = check_manifest(tmp_path / "data" / "raw", read_manifest(tmp_path / "data" / "raw" / "manifest.csv"))
    assert problems[0].reason == "hash_mismatch"
    assert hashlib.sha256(data + b"!").hexdigest()[:12] in problems[0].message and row["sha256"][:12] in problems[0].message


@pytest.mark.parametrize("notice_id,file", [("../x", "notices/../x.txt"), ("Bad Id", "notices/Bad Id.txt"),
                                            ("ok-2024", "../ok-2024.txt"), ("ok-2024", "notices/other.txt")])
def test_ids_that_could_escape_or_mislead_are_refused(tmp_path, notice_id, file):
    write_corpus(tmp_path, {}, [{"notice_id": notice_id, "file": file, "sha256": "0" * 64, "bytes": 1}])
    entries, problems = check_manifest(tmp_path / "data" / "raw", read_manifest(tmp_path / "data" / "raw" / "manifest.csv"))
    assert entries == [] and [p.reason for p in problems] == ["invalid_id"]


def test_duplicate_id_keeps_the_first_row(tmp_path):
    data = "通报".encode()
    row = manifest_row("twice-2024", "twice-2024.txt", data)
    write_corpus(tmp_path, {"twice-2024.txt": data}, [row, row])
    entries, problems = check_manifest(tmp_path / "data" / "raw", read_manifest(tmp_path / "data" / "raw" / "manifest.csv"))
    assert [e.notice_id for e in entries] == ["twice-2024"] and [p.reason for p in problems] == ["duplicate_id"]
