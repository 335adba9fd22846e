"""benchmarks/run.py: the per-notice path of an earlier checkout is timed by that checkout's own script."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.benchmarks import load_script
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def run():
    """The script, loaded from its file."""
    return load_script("run.py", "bench_run")


def test_child_of_another_checkout_runs_that_checkouts_script(run, tmp_path):
    command = run.child("notices", "corpus", "10", checkout=tmp_path)
    assert command[1:] == [str(tmp_path / "benchmarks" / "run.py"), "--child", "notices", "corpus", "10"]


def test_child_defaults_to_this_checkout(run):
    assert Path(run.child("floor", "corpus", "1")[1]) == ROOT / "benchmarks" / "run.py"


def test_checkout_label_outside_git_is_the_folder_name(run, tmp_path):
    folder = tmp_path / "before"
    folder.mkdir()
    assert run.checkout_label(folder) == "before"


def test_fastest_is_the_run_with_least_wall_time(run):
    assert run.fastest([{"seconds": 3.0}, {"seconds": 1.5}, {"seconds": 2.0}]) == {"seconds": 1.5}


def test_before_without_the_script_is_refused(run, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["run.py", "--before", str(tmp_path)])
    with pytest.raises(SystemExit) as stop:
        run.main()
    assert stop.value.code == 2
    assert "not a checkout of this project" in capsys.readouterr().err


def test_notices_step_reports_cpu_time(run):
    result = run.step_notices(ROOT, 2)
    assert (result["notices"], result["failed"]) == (2, 0)
    assert 0 < result["cpu_seconds"]


def test_texts_corpus_numbers_the_texts_and_registers_them(tmp_path):
    corpus = load_script("corpus.py", "bench_corpus")
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "b-notice.txt").write_text("第二份通报", encoding="utf-8")
    (texts / "a-notice.txt").write_text("第一份通报", encoding="utf-8")
    (texts / "notes.md").write_text("not a text", encoding="utf-8")
    files = corpus.texts_corpus(ROOT, texts, tmp_path / "project")
    assert [f.name for f in files] == ["text-00001.txt", "text-00002.txt"]
    assert files[0].read_text(encoding="utf-8") == "第一份通报"  # name order: a-notice first
    manifest = (tmp_path / "project" / "data" / "raw" / "manifest.csv").read_text(encoding="utf-8").splitlines()
    assert len(manifest) == 3 and manifest[1].startswith("text-00001,notices/text-00001.txt,")


def test_path_rows_name_the_speedup_over_before(run):
    timing = {"floor": {"notices_per_s": 2000.0, "mb_per_s": 5.0, "rounds": [1.0]},
              "per_notice": {"notices_per_s": 100.0, "mb_per_s": 0.25, "ratio_to_floor": 20.0, "rounds": [2.0]},
              "before": {"checkout": "abc1234 old", "notices": 100, "seconds": 3.0, "ratio_to_floor": 30.0, "speedup": 1.5}}
    rows = run.path_rows("133 real texts", timing)
    speedup = [r for r in rows if r[0] == "133 real texts: speed-up over --before"]
    assert speedup == [("133 real texts: speed-up over --before", "1.50× (wall)", "≥ 3×", "missed")]
