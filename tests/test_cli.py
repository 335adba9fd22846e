"""The command line: help that explains, exit codes, one-line failures."""

from __future__ import annotations

from typer.testing import CliRunner

from analysis.cli import app

from tests.conftest import copy_inputs

runner = CliRunner()


def test_help_explains_the_pipeline_and_exit_codes():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for words in ("ingest", "quarantine", "Exit codes", "build", "eval", "notebooks", "site"):
        assert words in result.output


def test_every_command_has_help():
    for command in ("build", "ingest", "check", "verify", "eval", "codebook", "add", "notebooks", "site", "export", "release",
                    "audit"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output, command


def test_outside_a_project_the_error_is_one_line(tmp_path):
    result = runner.invoke(app, ["build", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert "no project found" in result.output and "Traceback" not in result.output


def test_eval_on_the_shipped_corpus_passes(built):
    result = runner.invoke(app, ["eval", "--root", str(built.root)])
    assert result.exit_code == 0, result.output
    assert "every required field is at 100%" in result.output


def test_eval_fails_with_code_4_when_an_annotation_disagrees(tmp_path):
    root = copy_inputs(tmp_path / "p")
    assert runner.invoke(app, ["build", "--root", str(root), "-j", "1", "--skip-notebooks"]).exit_code == 0
    path = root / "data" / "annotations" / "zibo-sthjj-2025.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("signature_date: '2025-04-30'", "signature_date: '2025-05-01'"),
                    encoding="utf-8")
    result = runner.invoke(app, ["eval", "--root", str(root)])
    assert result.exit_code == 4 and "signature_date" in result.output


def test_check_reports_an_edited_raw_file(tmp_path):
    root = copy_inputs(tmp_path / "p")
    (root / "data" / "raw" / "notices" / "zibo-sthjj-2025.txt").write_bytes(b"edited")
    result = runner.invoke(app, ["check", "--root", str(root)])
    assert result.exit_code == 1 and "hash_mismatch" in result.output


def test_add_registers_a_notice_byte_for_byte(tmp_path):
    root = copy_inputs(tmp_path / "p")
    source = tmp_path / "new.txt"
    source.write_bytes("根据市委统一部署,市委第一巡察组对某局党组开展了巡察。".encode("gb18030"))
    result = runner.invoke(app, ["add", str(source), "--id", "mouju-2024", "--root", str(root), "--source-url", "https://example.org/n"])
    assert result.exit_code == 0, result.output
    assert (root / "data" / "raw" / "notices" / "mouju-2024.txt").read_bytes() == source.read_bytes()
    assert runner.invoke(app, ["check", "--root", str(root)]).exit_code == 0
    manifest = (root / "data" / "raw" / "manifest.csv").read_text(encoding="utf-8").splitlines()
    assert manifest[-1].startswith("mouju-2024,notices/mouju-2024.txt,")


def test_add_refuses_an_unsafe_id(tmp_path):
    root = copy_inputs(tmp_path / "p")
    source = tmp_path / "new.txt"
    source.write_text("通报", encoding="utf-8")
    result = runner.invoke(app, ["add", str(source), "--id", "../evil", "--root", str(root)])
    assert result.exit_code == 2 and not (root / "data" / "raw" / "evil.txt").exists()


def test_verify_detects_a_changed_output(tmp_path):
    root = copy_inputs(tmp_path / "p")
    runner.invoke(app, ["build", "--root", str(root), "-j", "1", "--skip-notebooks"])
    assert runner.invoke(app, ["verify", "--root", str(root)]).exit_code == 0
    (root / "data" / "processed" / "quarantine.csv").write_text("tampered", encoding="utf-8")
    result = runner.invoke(app, ["verify", "--root", str(root)])
    assert result.exit_code == 1 and "quarantine.csv" in result.output


def test_build_without_notebooks_folder_says_so(tmp_path):
    root = copy_inputs(tmp_path / "p")
    result = runner.invoke(app, ["build", "--root", str(root), "-j", "1"])
    assert result.exit_code == 1 and "notebook(s) missing" in result.output and "Traceback" not in result.output
