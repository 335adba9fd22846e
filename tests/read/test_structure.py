"""Structure: a measure cut by the end of a cut copy, the status line or sentence that closes a problem's text
(sentences written for the tests in the way notices put them)."""

from __future__ import annotations

from analysis.read.structure import cut_by_end


def test_a_measure_that_runs_into_the_end_of_a_cut_copy_is_truncated():
    text = "一是修订财务制度3项。二是开展专项检查,对发现的"
    assert cut_by_end(text, len(text)) and not cut_by_end(text, text.index("二是"))


def test_a_measure_ending_a_sentence_at_the_end_is_not_truncated():
    text = "一是修订财务制度3项。\n"
    assert not cut_by_end(text, len(text.rstrip()))


def test_closing_status_line_is_found_at_the_end_of_a_span():
    from analysis.read.structure import closing_status_line

    text = "一是清理台账。\n整改状态:已完成"
    assert closing_status_line(text, 0, len(text)).group("status") == "已完成"


def test_a_span_without_a_status_word_has_no_closing_status_line():
    from analysis.read.structure import closing_status_line

    assert closing_status_line("一是清理台账。二是建立制度。", 0, 14) is None


def test_trailing_status_sentence():
    from analysis.read.structure import trailing_status

    assert trailing_status("建立长效机制。目前该问题已整改完成。") is not None


def test_trailing_status_is_only_at_the_end():
    from analysis.read.structure import trailing_status

    assert trailing_status("建立长效机制。该问题已整改完成。\n ") is not None
    assert trailing_status("该问题已整改完成。下一步继续巩固。") is None
