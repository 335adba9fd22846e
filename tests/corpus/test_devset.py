"""The development set of real notices: record checks and the scorer (texts made up; the real ones stay local)."""

from __future__ import annotations

import json

import pytest

from analysis.corpus.devset import GOLD_FIELDS, FieldCheck, gold_problems, make_record, read_devset, run_devset, tally

from tests.conftest import ROOT

TEXT = ("中共某县教育局党组关于巡察整改进展情况的通报\n"
        "根据县委统一部署,2024年3月1日至4月30日,县委第二巡察组对县教育局党组开展了常规巡察。"
        "2024年6月5日,县委第二巡察组向县教育局党组反馈了巡察意见。现将整改情况公布如下。\n").encode()


def gold(**values) -> dict:
    """A gold record: every field null but those given."""
    return {name: values.get(name) for name in GOLD_FIELDS}


def test_a_gold_record_must_have_every_field():
    assert "missing field title" in gold_problems({"genre": "audit"})


def test_malformed_values_are_refused_with_reasons():
    problems = gold_problems(gold(signature_date="2024/4/19", declared_problems="48", genre="inspection"))
    assert any("signature_date" in p for p in problems) and any("declared_problems" in p for p in problems)
    assert any("genre" in p for p in problems)


def test_record_hash_and_length_are_of_the_text():
    record = make_record("dp-x", TEXT, gold(genre="party_inspection"), url="u", query="q")
    assert (record["chars"], len(record["sha256"])) == (len(TEXT.decode()), 64)


@pytest.mark.parametrize("gold_value,got,outcome", [("2024-06-05", "2024-06-05", "found"), ("2024-06", "2024-06-05", "found"),
                                                    ("2024-06-05", None, "missed"), (None, "2024-06-05", "false_positive"),
                                                    ("2024-06-05", "2024-06-06", "wrong"), (None, None, "absent")])
def test_outcomes(gold_value, got, outcome):
    assert FieldCheck("x", "audit", "feedback_date", gold_value, got).outcome == outcome


def score(tmp_path, gold_values: dict, text: bytes = TEXT, **extra) -> tuple[dict, object]:
    """Write one record and its text, run the scorer, return per-field outcomes and the run."""
    record = make_record("dp-x", text, gold(**gold_values), url="u", query="q")
    record.update(extra)
    (tmp_path / "devset.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "dp-x.txt").write_bytes(text)
    run = run_devset(read_devset(tmp_path / "devset.jsonl"), tmp_path / "texts", ROOT)
    return {c.field: c.outcome for c in run.checks}, run


def test_scorer_reads_the_text_and_compares_after_normalising(tmp_path):
    outcomes, _ = score(tmp_path, {"title": "中共某县教育局党组關於巡察整改進展情況的通報", "genre": "party_inspection",
                                   "inspecting_body": "县委第二巡察组", "feedback_date": "2024-06-05", "inspection_kind": ["常规"]})
    assert {f: outcomes[f] for f in ("title", "genre", "inspecting_body", "feedback_date", "inspection_kind")} == dict.fromkeys(
        ("title", "genre", "inspecting_body", "feedback_date", "inspection_kind"), "found")
    assert outcomes["round"] == "absent"


def test_inferred_gold_fields_are_not_scored(tmp_path):
    outcomes, _ = score(tmp_path, {"genre": "party_inspection", "province": "某省"}, inferred=["province"])
    assert "province" not in outcomes


def test_a_changed_text_is_skipped_not_scored(tmp_path):
    _, run = score(tmp_path, {"genre": "party_inspection"})
    (tmp_path / "texts" / "dp-x.txt").write_bytes(TEXT + b"x")
    again = run_devset(read_devset(tmp_path / "devset.jsonl"), tmp_path / "texts", ROOT)
    assert again.checks == [] and again.skipped == [("dp-x", "the text differs from the recorded one (sha256)")]


def test_tally_shares():
    checks = [FieldCheck("a", "audit", "genre", "audit", "audit"), FieldCheck("a", "audit", "title", "t", None),
              FieldCheck("a", "audit", "round", None, "2023年度")]
    row = next(r for r in tally(checks, "genre") if r["genre"] == "all")
    assert (row["stated"], row["found"], row["missed"], row["false_positive"], row["given"]) == (2, 1, 1, 1, 2)
    assert (row["found_share"], row["false_positive_share"]) == (0.5, 0.5)


def test_the_shipped_development_set_is_well_formed():
    records = read_devset(ROOT / "data" / "annotations" / "devset.jsonl")
    assert len(records) >= 80
    assert {r.gold["genre"] for r in records} == {"party_inspection", "environmental_inspection", "audit"}
    assert all(r.url.startswith("http") and len(r.sha256) == 64 for r in records)
