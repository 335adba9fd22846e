"""Indicators on a literal fixture worked out by hand, and on the seeds."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.corpus.indicators import add_months, compute_indicators
from analysis.contract.tables import TABLES
from analysis.contract.schema import frame

NOTICE = {
    "notice_id": "n1", "file": "notices/n1.txt", "sha256": "0" * 64, "encoding": "utf-8", "script": "simplified",
    "chars_converted": 0, "chars_decoded": 100, "chars": 100, "layout": "multi_problem", "genre": "party_inspection",
    "declared_problems": 3, "declared_measures": 4, "declared_measures_completed": 2, "declared_completion_pct": 50.0,
    "inspection_end": date(2023, 12, 1), "feedback_date": date(2024, 1, 31), "signature_date": date(2024, 3, 31),
    "problems_parsed": 3, "problem_groups_parsed": 2, "measures_parsed": 4, "planned_parsed": 1,
}


def problem(key: str, status: str, measures: int, planned: int = 0) -> dict:
    """A problems row."""
    return {"problem_key": key, "notice_id": "n1", "path": key[-1], "label": "1.", "title": "关于某问题", "title_start": 0,
            "title_end": 1, "status": status, "status_source": "item", "start": 0, "end": 10, "measures": measures,
            "planned": planned, "has_next_steps": planned > 0}


def measure(key: str, problem_key: str, text: str, kind: str = "done", **flags) -> dict:
    """A measures row."""
    return {"measure_key": key, "problem_key": problem_key, "notice_id": "n1", "kind": kind, "index": 1, "label": "",
            "text": text, "start": 0, "end": len(text), "chars": len(text), "verbs": "",
            "has_date": flags.get("date", False), "has_figure": flags.get("figure", False),
            "has_document": flags.get("document", False), "has_agency": flags.get("agency", False)}


def document(key: str, problem_key: str, measure_key: str, canonical: str, relation: str, confidence: str = "high") -> dict:
    """A documents row."""
    return {"mention_key": key, "notice_id": "n1", "problem_key": problem_key, "measure_key": measure_key, "title": canonical,
            "canonical_title": canonical, "doc_type": "规定", "doc_category": "rules", "relation": relation,
            "issuer_source": "none", "bracketed": confidence != "low", "recovered": False, "confidence": confidence,
            "start": 0, "end": 1}


def agency(key: str, measure_key: str, problem_key: str, canonical: str, type_: str = "government_department",
           is_self: bool = False) -> dict:
    """An agencies row."""
    return {"mention_key": key, "notice_id": "n1", "problem_key": problem_key, "measure_key": measure_key, "mention": canonical,
            "canonical": canonical, "kind": "x", "type": type_, "level": "city", "role": "mentioned", "is_self": is_self,
            "method": "alias", "start": 0, "end": 1}


@pytest.fixture()
def fixture_tables():
    """One notice, three problems, four done measures and one planned item."""
    return {
        "notices": frame(TABLES["notices"], [NOTICE]),
        "problems": frame(TABLES["problems"], [problem("n1:1", "completed", 2), problem("n1:2", "long_term", 1),
                                               problem("n1:3", "unknown", 1, 1)]),
        "measures": frame(TABLES["measures"], [
            measure("n1:1:m1", "n1:1", "切实开展检查", date=True),   # 6 chars, 切实 = 2 formulaic
            measure("n1:1:m2", "n1:1", "召开执法会议"),              # 6 chars, theme enforcement (执法)
            measure("n1:2:m1", "n1:2", "印发规定", document=True),  # 4 chars
            measure("n1:3:m1", "n1:3", "举一反三整改", figure=True),  # 6 chars, 举一反三 = 4 formulaic
            measure("n1:3:p1", "n1:3", "下一步继续推进", kind="planned"),
        ]),
        "documents": frame(TABLES["documents"], [
            document("n1:d1", "n1:2", "n1:2:m1", "A规定", "issued"), document("n1:d2", "n1:1", "n1:1:m1", "B办法", "applied"),
            document("n1:d3", "n1:2", "n1:2:m1", "A规定", "revised"), document("n1:d4", "n1:3", None, "C方案", "issued", "low"),
        ]),
        "agencies": frame(TABLES["agencies"], [
            agency("n1:a1", "n1:1:m1", "n1:1", "某市公安局"), agency("n1:a2", "n1:1:m1", "n1:1", "某市生态环境局", "own_unit", True),
            agency("n1:a3", "n1:3:m1", "n1:3", "某市财政局"), agency("n1:a4", "n1:1:m2", "n1:1", "某市委巡察组", "inspection_body"),
        ]),
    }


def test_hand_computed_notice_indicators(fixture_tables, resources):
    row = compute_indicators(fixture_tables, resources)["indicators"].row(0, named=True)
    expected = {
        "problems_agree": True, "problems_agree_with": "problems", "measures_agree": True, "measures_per_problem": 1.3333,
        "problems_completed": 1, "problems_long_term": 1, "problems_status_unknown": 1,
        "completion_parsed": 0.5,  # 1 completed of 2 with a known status; the unknown one is out of the denominator
        "completion_parsed_with_long_term": 1.0, "completion_declared_measures": 0.5,
        "days_inspection_to_feedback": 61,  # 2023-12-01 → 2024-01-31
        "days_feedback_to_signature": 60,  # 2024-01-31 → 2024-03-31 (29 days of a leap February + 31)
        "two_month_deadline": date(2024, 3, 31), "within_two_months": True,
        "specificity": 0.75, "share_with_date": 0.25, "share_with_figure": 0.25, "share_with_document": 0.25,
        "institutionalisation": 1,  # A规定, issued then revised: one document
        "institutionalisation_incl_unmarked": 2,  # + the unmarked C方案
        "collaboration_breadth": 2,  # 公安局 and 财政局; the notice's own units and the inspection group do not count
        "formulaic_share": 0.2727,  # (2 + 4) / (6 + 6 + 4 + 6)
        "planned_items": 1, "planned_share": 0.2, "top_theme": "enforcement",
    }
    assert {k: row[k] for k in expected} == expected


def test_hand_computed_problem_indicators(fixture_tables, resources):
    rows = {r["problem_key"]: r for r in compute_indicators(fixture_tables, resources)["problem_indicators"].to_dicts()}
    assert (rows["n1:1"]["specificity"], rows["n1:1"]["documents_issued_revised"], rows["n1:1"]["agencies_named"],
            rows["n1:1"]["themes"]) == (0.5, 0, 1, "enforcement")
    assert (rows["n1:2"]["specificity"], rows["n1:2"]["documents_issued_revised"]) == (1.0, 1)
    assert (rows["n1:3"]["agencies_named"], rows["n1:3"]["planned"]) == (1, 1)


def test_theme_mix_lists_every_theme(fixture_tables, resources):
    mix = compute_indicators(fixture_tables, resources)["theme_mix"]
    assert mix.height == len(resources.themes)
    assert mix.filter(mix["theme"] == "enforcement").row(0, named=True)["share"] == 0.25


def test_unknown_statuses_give_no_completion_rate(fixture_tables, resources):
    fixture_tables["problems"] = fixture_tables["problems"].with_columns(status=__import__("polars").lit("unknown"))
    row = compute_indicators(fixture_tables, resources)["indicators"].row(0, named=True)
    assert row["completion_parsed"] is None and row["problems_status_unknown"] == 3


def test_add_months_clamps_to_month_end():
    assert add_months(date(2024, 12, 31), 2) == date(2025, 2, 28)


# --------------------------------------------------------------------------- seeds


def test_taizhou_declared_and_parsed_completion_both_appear(tables):
    row = tables["indicators"].filter(tables["indicators"]["notice_id"] == "taizhou-js-sthjj-2025").row(0, named=True)
    assert row["completion_declared_measures"] == round(109 / 161, 4)
    assert (row["problems_completed"], row["problems_parsed"], row["completion_parsed"]) == (16, 48, round(16 / 48, 4))
    assert row["declared_status_agree"] is True


def test_binzhou_declared_items_agree_with_parsed_statuses(tables):
    row = tables["indicators"].filter(tables["indicators"]["notice_id"] == "binzhou-boxing-sthjfj-2023").row(0, named=True)
    assert (row["problems_completed"], row["problems_long_term"], row["declared_status_agree"]) == (19, 1, True)
    assert row["completion_declared_items"] == 0.95
    assert (row["problems_agree"], row["problems_agree_with"]) == (True, "groups")


@pytest.mark.parametrize("notice_id", ["qingdao-sthjj-2024", "guangzhou-sthjj-2025"])
def test_notices_without_status_words_show_unknown_not_zero(tables, notice_id):
    row = tables["indicators"].filter(tables["indicators"]["notice_id"] == notice_id).row(0, named=True)
    assert row["completion_parsed"] is None and row["problems_status_unknown"] == row["problems_parsed"]


@pytest.mark.parametrize("notice_id,to_feedback,to_signature", [
    ("qingdao-sthjj-2024", 96, 228),           # 2023-05-31 → 2023-09-04 → 2024-04-19
    ("guangzhou-sthjj-2025", 90, 427),         # 2024-06-21 → 2024-09-19 → 2025-11-20
    ("binzhou-boxing-sthjfj-2023", 60, 135),   # 2022-08-22 → 2022-10-21 → 2023-03-05
    ("taizhou-js-sthjj-2025", 124, 246),       # 2024-09-18 → 2025-01-20 → 2025-09-23
])
def test_disclosure_lags_equal_the_day_counts_read_from_the_texts(tables, notice_id, to_feedback, to_signature):
    row = tables["indicators"].filter(tables["indicators"]["notice_id"] == notice_id).row(0, named=True)
    assert (row["days_inspection_to_feedback"], row["days_feedback_to_signature"]) == (to_feedback, to_signature)
    assert row["within_two_months"] is False
