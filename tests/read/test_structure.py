"""Measures: where they end (closing lines, the end of a cut copy), sub-items' headings, overview points
(sentences written for the tests in the way notices put them)."""

from __future__ import annotations

from analysis.read.structure import cut_by_end, split_measures


def texts(text: str) -> list[str]:
    """The texts of the done measures of a span."""
    return [text[m.start:m.end] for m in split_measures(text, 0, len(text), "done")]


def test_a_measure_that_runs_into_the_end_of_a_cut_copy_is_truncated():
    text = "一是修订财务制度3项。二是开展专项检查,对发现的"
    assert cut_by_end(text, len(text)) and not cut_by_end(text, text.index("二是"))


def test_a_measure_ending_a_sentence_at_the_end_is_not_truncated():
    text = "一是修订财务制度3项。\n"
    assert not cut_by_end(text, len(text.rstrip()))


def test_measures_stop_where_the_objection_notice_begins():
    text = "下一步,将持续开展日常巡查,防止问题反弹。\n如公众对整改结果有异议,请在公示期内反映。\n联系电话:0000-1234567"
    assert texts(text) == ["下一步,将持续开展日常巡查,防止问题反弹。"]


def test_a_status_field_line_ends_the_measures():
    text = "(1)清理河道垃圾12吨。\n(2)建立巡查台账。\n整改状态:已完成"
    assert texts(text) == ["(1)清理河道垃圾12吨。", "(2)建立巡查台账。"]


def test_a_sub_items_heading_and_label_are_not_part_of_its_measure():
    text = "(1)学习制度执行不严格\n整改情况:严格落实第一议题制度,全年开展集中学习12次。\n(2)台账管理不规范\n整改情况:重新建立台账。"
    assert texts(text) == ["严格落实第一议题制度,全年开展集中学习12次。", "重新建立台账。"]
