"""Teaching answers: computed, shown, and checked — a failed check is a visible warning, never an exception."""

from __future__ import annotations

import polars as pl

from analysis.site.execution import SELF_CHECK_KEY
from analysis.site.teaching import Answer, declared_statuses, pick, spans_match, status_counts


def test_an_answer_whose_checks_pass_says_so_in_one_line():
    data, metadata = Answer().say("**20 problems**").check("completed problems", 19, 19)._repr_mimebundle_()
    assert data["text/markdown"].startswith("**20 problems**") and "*Self-check passed:* completed problems" in data["text/markdown"]
    assert "callout-warning" not in data["text/markdown"] and metadata == {}


def test_a_failed_check_is_a_warning_that_explains_and_is_recorded():
    answer = Answer().say("**19 completed**").check("completed problems", 18, 19, "The notice may count items.")
    data, metadata = answer._repr_mimebundle_()
    text = data["text/markdown"]
    assert "::: {.callout-warning}" in text and "expected 18, found 19" in text and "The notice may count items." in text
    assert metadata == {SELF_CHECK_KEY: {"failed": ["completed problems: expected 18, found 19"]}}


def test_an_answer_without_checks_shows_only_its_text():
    data, metadata = Answer().say("No figures.")._repr_mimebundle_()
    assert data["text/markdown"] == "No figures.\n" and metadata == {}


def test_checked_values_from_notices_are_escaped():
    data, _ = Answer().check("<b>name</b>", "[x](javascript:1)", "y")._repr_mimebundle_()
    assert "<b>" not in data["text/markdown"] and "\\[x\\]" in data["text/markdown"]


def test_pick_takes_the_first_preference_that_matches_else_the_first_row():
    df = pl.DataFrame({"text": ["1个", "71.7%", "3吨"], "what": [None, "优良率", "垃圾"]})
    assert pick(df, pl.col("text") == "71.7%")["text"] == "71.7%"
    assert pick(df, pl.col("text") == "99%", pl.col("what").is_not_null())["text"] == "71.7%"
    assert pick(df, pl.col("text") == "99%")["text"] == "1个" and pick(df.clear()) is None


def test_declared_statuses_prefer_items_then_completed_problems():
    items = {"declared_items_completed": 19, "declared_items_long_term": 1, "declared_items_in_progress": None,
             "declared_problems_completed": 16}
    assert declared_statuses(items) == {"completed": 19, "long_term": 1}
    assert declared_statuses({**items, "declared_items_completed": None, "declared_items_long_term": None}) == {"completed": 16}
    assert declared_statuses({"declared_problems_completed": None}) == {}
    assert status_counts({"long_term": 1, "completed": 19}) == "19 completed, 1 long-term"


def test_spans_match_counts_rows_whose_offsets_cut_out_their_words():
    rows = pl.DataFrame({"start": [0, 3], "end": [2, 5], "text": ["整改", "不对"]})
    assert spans_match("整改情况通报", rows, "text") == 1
