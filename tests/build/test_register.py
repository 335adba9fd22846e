"""The raw corpus and its hand-kept manifest."""

from __future__ import annotations

import hashlib

import pytest

from analysis.build.register import RegisterEntry, check_register, read_register

from tests.conftest import ROOT, SEED_FILES, SEEDS, manifest_row, write_corpus


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seed notices are not beside the repository")
@pytest.mark.parametrize("notice_id,seed", sorted(SEED_FILES.items()))
def test_raw_notices_are_the_seeds_byte_for_byte(notice_id, seed):
    assert (ROOT / "data" / "raw" / "notices" / f"{notice_id}.txt").read_bytes() == (SEEDS / seed).read_bytes()


def test_shipped_manifest_matches_the_files():
    entries, problems = check_register(ROOT / "data" / "raw", read_register(ROOT / "data" / "raw" / "manifest.csv"))
    assert problems == []
    assert sorted(e.notice_id for e in entries) == sorted(SEED_FILES)


def test_manifest_records_the_original_seed_names():
    entries = {e.notice_id: e for e in read_register(ROOT / "data" / "raw" / "manifest.csv")}
    assert {nid: e.original_file for nid, e in entries.items()} == SEED_FILES


def test_missing_file_is_reported(tmp_path):
    write_corpus(tmp_path, {}, [{"notice_id": "gone-2024", "file": "notices/gone-2024.txt", "sha256": "0" * 64, "bytes": 3}])
    _, problems = check_register(tmp_path / "data" / "raw", read_register(tmp_path / "data" / "raw" / "manifest.csv"))
    assert [(p.reason, p.file) for p in problems] == [("missing_file", "notices/gone-2024.txt")]


def test_file_without_manifest_row_is_reported(tmp_path):
    write_corpus(tmp_path, {"stray-2024.txt": "通报".encode()}, [])
    _, problems = check_register(tmp_path / "data" / "raw", read_register(tmp_path / "data" / "raw" / "manifest.csv"))
    assert [(p.reason, p.file) for p in problems] == [("unregistered_file", "notices/stray-2024.txt")]
    assert "notices add" in problems[0].message


def test_hash_mismatch_is_reported_with_both_hashes(tmp_path):
    data = "通报".encode()
    row = manifest_row("edited-2024", "edited-2024.txt", data)
    write_corpus(tmp_path, {"edited-2024.txt": data + b"!"}, [row])
    _, problems = check_register(tmp_path / "data" / "raw", read_register(tmp_path / "data" / "raw" / "manifest.csv"))
    assert problems[0].reason == "hash_mismatch"
    assert hashlib.sha256(data + b"!").hexdigest()[:12] in problems[0].message and row["sha256"][:12] in problems[0].message


@pytest.mark.parametrize("notice_id,file", [("../x", "notices/../x.txt"), ("Bad Id", "notices/Bad Id.txt"),
                                            ("ok-2024", "../ok-2024.txt"), ("ok-2024", "notices/other.txt")])
def test_ids_that_could_escape_or_mislead_are_refused(tmp_path, notice_id, file):
    write_corpus(tmp_path, {}, [{"notice_id": notice_id, "file": file, "sha256": "0" * 64, "bytes": 1}])
    entries, problems = check_register(tmp_path / "data" / "raw", read_register(tmp_path / "data" / "raw" / "manifest.csv"))
    assert entries == [] and [p.reason for p in problems] == ["invalid_id"]


def test_duplicate_id_keeps_the_first_row(tmp_path):
    data = "通报".encode()
    row = manifest_row("twice-2024", "twice-2024.txt", data)
    write_corpus(tmp_path, {"twice-2024.txt": data}, [row, row])
    entries, problems = check_register(tmp_path / "data" / "raw", read_register(tmp_path / "data" / "raw" / "manifest.csv"))
    assert [e.notice_id for e in entries] == ["twice-2024"] and [p.reason for p in problems] == ["duplicate_id"]


def test_a_hidden_file_is_reported_not_ignored(tmp_path):
    write_corpus(tmp_path, {".notice-2024.txt.swp": b"\0swap"}, [])
    _, problems = check_register(tmp_path / "data" / "raw", read_register(tmp_path / "data" / "raw" / "manifest.csv"))
    assert [(p.reason, p.file) for p in problems] == [("unregistered_file", "notices/.notice-2024.txt.swp")]
    assert "hidden file" in problems[0].message


def test_a_subfolder_is_reported_not_ignored(tmp_path):
    write_corpus(tmp_path, {}, [])
    (tmp_path / "data" / "raw" / "notices" / "drafts").mkdir()
    (tmp_path / "data" / "raw" / "notices" / "drafts" / "later-2024.txt").write_text("通报", encoding="utf-8")
    _, problems = check_register(tmp_path / "data" / "raw", read_register(tmp_path / "data" / "raw" / "manifest.csv"))
    assert [(p.reason, p.file) for p in problems] == [("unexpected_folder", "notices/drafts/")]
    assert "1 file(s)" in problems[0].message


def test_a_wrong_byte_count_is_named_as_such_not_as_two_equal_hashes(tmp_path):
    data = "通报".encode()
    row = manifest_row("counted-2024", "counted-2024.txt", data)
    row["bytes"] = len(data) + 1
    write_corpus(tmp_path, {"counted-2024.txt": data}, [row])
    _, problems = check_register(tmp_path / "data" / "raw", read_register(tmp_path / "data" / "raw" / "manifest.csv"))
    message = problems[0].message
    assert problems[0].reason == "hash_mismatch" and message.count(row["sha256"][:12]) == 0
    assert f"{len(data)} bytes, not the {len(data) + 1}" in message and "bytes column" in message


def test_printed_hash_prefixes_differ_even_when_the_first_twelve_characters_agree(tmp_path):
    data = "通报".encode()
    actual = hashlib.sha256(data).hexdigest()
    row = manifest_row("near-2024", "near-2024.txt", data)
    row["sha256"] = actual[:12] + ("0" if actual[12] != "0" else "1") + actual[13:]
    write_corpus(tmp_path, {"near-2024.txt": data}, [row])
    _, problems = check_register(tmp_path / "data" / "raw", read_register(tmp_path / "data" / "raw" / "manifest.csv"))
    assert f"sha256 {actual[:13]}…" in problems[0].message and f"records {row['sha256'][:13]}…" in problems[0].message


def test_the_add_command_check_suggests_registers_the_stray_file(tmp_path, monkeypatch):
    import shlex

    from typer.testing import CliRunner

    from analysis.cli import app

    from tests.conftest import copy_inputs

    root = copy_inputs(tmp_path / "p")
    (root / "data" / "raw" / "notices" / "stray-2024.txt").write_text("通报", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "--root", str(root)], env={"COLUMNS": "300"})
    assert result.exit_code == 1
    suggested = result.output.split("`notices add ")[1].split("`")[0]
    monkeypatch.chdir(root)  # the command is written for the repository's root
    assert CliRunner().invoke(app, ["add", *shlex.split(suggested)]).exit_code == 0
    assert CliRunner().invoke(app, ["check"]).exit_code == 0
    assert sorted(p.name for p in (root / "data" / "raw" / "notices").iterdir()).count("stray-2024.txt") == 1


def test_the_replace_command_a_hash_mismatch_suggests_records_the_new_copy(tmp_path, monkeypatch):
    import shlex

    from typer.testing import CliRunner

    from analysis.cli import app

    from tests.conftest import copy_inputs

    root = copy_inputs(tmp_path / "p")
    (root / "data" / "raw" / "notices" / "zibo-sthjj-2025.txt").write_bytes(b"edited")
    result = CliRunner().invoke(app, ["check", "--root", str(root)], env={"COLUMNS": "300"})
    suggested = result.output.split("`notices add ")[1].split("`")[0]
    monkeypatch.chdir(root)
    assert CliRunner().invoke(app, ["add", *shlex.split(suggested)]).exit_code == 0
    assert CliRunner().invoke(app, ["check"]).exit_code == 0


def test_a_raw_copy_is_redistributable_only_when_its_terms_say_so():
    entry = RegisterEntry("x", "notices/x.txt", "", 0)
    assert [RegisterEntry(**{**entry.__dict__, "terms": terms}).redistributable
            for terms in ("Redistributable: CC BY 4.0", "  redistributable: the page allows it", "", "may be redistributable",
                          "Official document; check the terms before republishing")] == [True, True, False, False, False]
