"""Precision audits: deterministic samples, evidence in context, judgement files and their summary (texts made up)."""

from __future__ import annotations

import hashlib

from typer.testing import CliRunner

from analysis.cli import app
from analysis.corpus.audit import (NoticeRows, audit_summary, audit_texts, evidence, has_verdicts, judgement_csv,
                                   only_notices, read_judgements, read_texts, sample_rows)
from analysis.corpus.devset import DevNotice

from tests.conftest import ROOT

TEXT = ("中共某县教育局党组关于巡察整改进展情况的通报\n"
        "根据县委统一部署,2024年3月1日至4月30日,县委第二巡察组对县教育局党组开展了常规巡察。"
        "2024年6月5日,县委第二巡察组向县教育局党组反馈了巡察意见。现将整改情况公布如下。\n")


def notice(n: int, rows: int) -> NoticeRows:
    """A made-up notice with `rows` date rows."""
    dates = [{"date_key": f"n{n}:t{i}", "start": i, "end": i + 2, "text": "x"} for i in range(rows)]
    return NoticeRows(f"n{n}", "0" * 64, "某" * 100, {"dates": dates})


def record(notice_id: str, data: bytes) -> DevNotice:
    """A devset record for a text."""
    return DevNotice(notice_id, "party_inspection", "u", "q", 1, hashlib.sha256(data).hexdigest(), len(data), "", False, "", "", {})


def test_the_same_seed_draws_the_same_rows():
    notices = [notice(1, 30), notice(2, 30)]
    first = [r["date_key"] for _, r in sample_rows(notices, "dates", 10, seed=7)]
    assert first == [r["date_key"] for _, r in sample_rows(notices, "dates", 10, seed=7)]
    assert first != [r["date_key"] for _, r in sample_rows(notices, "dates", 10, seed=8)]


def test_a_sample_larger_than_the_table_takes_every_row():
    assert len(sample_rows([notice(1, 3)], "dates", 40, seed=1)) == 3


def test_evidence_marks_the_span_and_shows_line_breaks():
    assert evidence("甲乙\n丙丁戊", 3, 5, width=2) == "乙⏎【丙丁】戊"


def test_a_long_span_is_shown_by_its_two_ends():
    shown = evidence("字" * 500, 0, 500, width=0, inner=20)
    assert shown.startswith("【" + "字" * 10) and " … " in shown


def test_a_fresh_judgement_file_has_keys_and_empty_verdicts(tmp_path):
    path = tmp_path / "dates-seed1.csv"
    path.write_text(judgement_csv("dates", 1, "tuning", sample_rows([notice(1, 5)], "dates", 2, 1)), encoding="utf-8")
    rows = read_judgements(path)
    assert len(rows) == 2 and all(r["verdict"] == "" and r["row_key"].startswith("n1:t") for r in rows)
    assert not has_verdicts(path)


def test_the_summary_counts_precision_without_unclear_rows(tmp_path):
    (tmp_path / "dates-seed3.csv").write_text(
        "table,seed,label,row_key,notice_id,sha256,start,end,verdict,error_type,note\n"
        "dates,3,final,a:t1,a,x,0,2,correct,,\ndates,3,final,a:t2,a,x,3,5,wrong,year,\n"
        "dates,3,final,a:t3,a,x,6,8,unclear,,\ndates,3,final,a:t4,a,x,9,9,correct,,\n", encoding="utf-8")
    [row] = audit_summary(tmp_path)
    assert (row["judged"], row["correct"], row["wrong"], row["precision"], row["errors"]) == (4, 2, 1, 0.6667, "year 1")


def test_a_recorded_text_that_changed_is_left_out_and_an_unrecorded_one_is_read(tmp_path):
    (tmp_path / "a.txt").write_bytes(TEXT.encode())
    (tmp_path / "b.txt").write_bytes(TEXT.encode())
    found = audit_texts([record("a", b"another text")], tmp_path)
    assert [notice_id for notice_id, _ in found] == ["b"]


def test_texts_are_read_into_every_extract_table(tmp_path):
    [read] = read_texts([("c", TEXT.encode())], ROOT)
    assert read.text.startswith("中共某县教育局党组") and {"agencies", "dates", "measures"} <= set(read.tables)


def test_the_command_refuses_to_overwrite_judged_rows(tmp_path):
    texts, out = tmp_path / "texts", tmp_path / "audits"
    texts.mkdir()
    out.mkdir()
    (texts / "c.txt").write_bytes(TEXT.encode())
    (out / "dates-seed1.csv").write_text("table,seed,label,row_key,notice_id,sha256,start,end,verdict,error_type,note\n"
                                         "dates,1,,c:t1,c,x,0,1,correct,,\n", encoding="utf-8")
    runner = CliRunner()
    args = ["audit", "--table", "dates", "--seed", "1", "--texts", str(texts), "--out", str(out), "--root", str(ROOT)]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2 and "--force" in refused.output
    forced = runner.invoke(app, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert "c:t1" in forced.output and not has_verdicts(out / "dates-seed1.csv")


def test_the_command_names_the_tables_it_can_audit(tmp_path):
    result = CliRunner().invoke(app, ["audit", "--table", "problems", "--seed", "1", "--root", str(ROOT)])
    assert result.exit_code == 2 and "agencies" in result.output


def test_a_draw_can_be_kept_to_notices_of_one_batch():
    texts = [("ab-001", b"x"), ("cd-001", b"y"), ("cd-002", b"z")]
    assert [i for i, _ in only_notices(texts, ["cd-"])] == ["cd-001", "cd-002"]
    assert only_notices(texts, []) == texts
