"""Teaching answers: computed, shown, and checked — a failed check is a visible warning, never an exception."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analysis.errors import ProjectError
from analysis.site.execution import SELF_CHECK_KEY
from analysis.site.teaching import (READING_FEATURES, Answer, choose_example, declared_statuses, example_note, listed, pick,
                                    reading_features, spans_match, status_counts)


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


# --------------------------------------------------------------------------- the example notice


def corpus(declared: list[int | None]):
    """notices, figures and problems of notices n0, n1 … (n1 has every feature when declared[1] is set)."""
    ids = [f"n{i}" for i in range(len(declared))]
    notices = pl.DataFrame({"notice_id": ids, "declared_items_completed": declared, "declared_items_long_term": [None] * len(ids),
                            "declared_items_in_progress": [None] * len(ids), "declared_problems_completed": [None] * len(ids),
                            "feedback_date": [None] + [date(2024, 1, 1)] * (len(ids) - 1),
                            "signature_date": [date(2024, 3, 1)] * len(ids)}, schema_overrides={"declared_items_completed": pl.Int64})
    figures = pl.DataFrame({"notice_id": ids, "what": ["优良率"] * len(ids)})
    problems = pl.DataFrame({"notice_id": ids, "measures": [3] * len(ids)})
    return reading_features(notices, figures, problems)


def test_the_example_is_a_notice_with_every_feature_the_exercises_use():
    assert choose_example(corpus([5, None, 7])) == ("n2", [])  # n0 has no feedback date, n1 declares nothing


def test_the_preferred_notice_is_taken_only_among_the_best():
    assert choose_example(corpus([5, None, 7, 3]), prefer="n3") == ("n3", [])
    assert choose_example(corpus([5, None, 7]), prefer="n1") == ("n2", [])


def test_without_a_complete_notice_the_closest_is_taken_and_what_it_lacks_is_named():
    notice_id, lacking = choose_example(corpus([None, None]))
    assert notice_id == "n1" and lacking == [READING_FEATURES["declares"]]
    assert "No notice of this corpus has everything" in example_note(notice_id, lacking, asked=False)


def test_a_notice_asked_for_is_taken_even_when_it_lacks_features():
    assert choose_example(corpus([5, None, 7]), "n0") == ("n0", [READING_FEATURES["dated"]])


def test_an_unknown_notice_asked_for_is_refused():
    with pytest.raises(ProjectError):
        choose_example(corpus([5]), "n9")


def test_long_lists_of_ids_are_cut_with_a_count():
    assert listed([f"n{i}" for i in range(25)], limit=2) == "`n0`, `n1` and 23 more"
