"""Measures: where they end (closing lines, totals, sentences about the notice), sub-items' headings, enumerators
(sentences written for the tests in the way notices put them)."""

from __future__ import annotations

from analysis.read.measures import (SENTENCE_RE, enumerator_marks, enumerator_number, enumerators, publication_line_cut,
                                    publication_trim, sentences_back, split_measures, totals_cut)


def texts(text: str) -> list[str]:
    """The texts of the done measures of a span."""
    return [text[m.start:m.end] for m in split_measures(text, 0, len(text), "done")]


def test_measures_stop_where_the_objection_notice_begins():
    text = "下一步,将持续开展日常巡查,防止问题反弹。\n如公众对整改结果有异议,请在公示期内反映。\n联系电话:0000-1234567"
    assert texts(text) == ["下一步,将持续开展日常巡查,防止问题反弹。"]


def test_a_status_field_line_ends_the_measures():
    text = "(1)清理河道垃圾12吨。\n(2)建立巡查台账。\n整改状态:已完成"
    assert texts(text) == ["(1)清理河道垃圾12吨。", "(2)建立巡查台账。"]


def test_a_sub_items_heading_and_label_are_not_part_of_its_measure():
    text = "(1)学习制度执行不严格\n整改情况:严格落实第一议题制度,全年开展集中学习12次。\n(2)台账管理不规范\n整改情况:重新建立台账。"
    assert texts(text) == ["严格落实第一议题制度,全年开展集中学习12次。", "重新建立台账。"]


def test_a_closing_paragraph_of_totals_is_not_part_of_the_last_measure():
    text = "重新核定车辆维修定点单位,维修费用一律转账支付。\n本次共指出问题6项,提出建议4条,新订制度2项。"
    assert texts(text) == ["重新核定车辆维修定点单位,维修费用一律转账支付。"]


def test_a_completion_rate_line_closes_the_measures():
    text = "一是补登图书资产台账。二是按季度盘点馆藏。\n截至本月,整改完成率为92%。"
    assert texts(text) == ["一是补登图书资产台账。", "二是按季度盘点馆藏。"]


def test_a_counting_sentence_that_is_the_whole_text_stays_a_measure():
    text = "组织排查食堂采购票据,发现问题7个,已整改7个。"
    assert texts(text) == [text]


def test_a_text_that_only_announces_the_publication_holds_no_measure():
    text = "”一事落实情况予以公示。公示期为5个工作日,如有异议请来电反映。"
    assert texts(text) == []


def test_a_publication_sentence_after_the_action_is_dropped():
    text = "对料场裸土全部覆盖防尘网,出入口加装冲洗设备。以上整改情况现予公示,欢迎社会各界监督。"
    assert texts(text) == ["对料场裸土全部覆盖防尘网,出入口加装冲洗设备。"]


def test_an_enumerated_item_about_making_things_public_is_still_a_measure():
    text = "一是将食堂收支情况予以公示。二是每月公开一次账目。"
    assert texts(text) == ["一是将食堂收支情况予以公示。", "二是每月公开一次账目。"]


def test_a_later_line_announcing_the_publication_ends_the_measures():
    text = "修缮围墙并加装监控。\n以上情况向社会公示,如有异议请书面反馈。逾期不予受理。"
    assert texts(text) == ["修缮围墙并加装监控。"]


def test_a_numbered_item_stops_before_a_later_field_label():
    from analysis.read.measures import item_span

    text = "5.印发巩固成果的通知。\n整改完成情况:\n已全部完成。"
    start, end = item_span(text, 0, len(text))
    assert text[start:end] == "5.印发巩固成果的通知。"


def test_arabic_items_need_two_in_order_from_one():
    from analysis.read.measures import arabic_items

    assert [n for _, n, _ in arabic_items("1、甲。2、乙。", 0, 6)] == [1, 2]
    assert arabic_items("2、只有一项。", 0, 6) == []


def test_every_publication_pattern_holds_a_publication_word():
    from analysis.read.measures import PUBLICATION_RE, PUBLICATION_WORD_RE

    sentences = ["现将整改情况予以公示", "公示期间为五个工作日", "如对整改情况有异议", "欢迎社会各界监督", "接受社会各界监督",
                 "联系电话:略", "举报电话:略", "受理单位:某局", "电子邮箱:略", "特此通报"]
    assert all(PUBLICATION_RE.search(s) and PUBLICATION_WORD_RE.search(s) for s in sentences)


def test_sentences_back_are_the_sentences_last_first():
    text = "甲乙。丙丁;\n\n戊己 "
    assert list(sentences_back(text, 0, len(text))) == [(8, 11), (3, 6), (0, 3)]
    assert list(sentences_back(text, 1, 4)) == [(3, 4), (1, 3)]
    assert list(sentences_back(text, 0, 7)) == [m.span() for m in SENTENCE_RE.finditer(text, 0, 7)][::-1]
    assert list(sentences_back("。\n;", 0, 3)) == []


def test_publication_trim_drops_sentences_about_the_notice_at_either_end():
    text = "现将整改情况公示如下。一是加强管理。二是完善制度。特此公告。"
    start, end = publication_trim(text, 0, len(text))
    assert text[start:end] == "一是加强管理。二是完善制度。"
    only = "特此公告。"
    assert publication_trim(only, 0, len(only)) == (len(only), len(only))


def test_publication_trim_keeps_a_span_without_a_publication_word_whole():
    text = "\n一是加强管理。\n二是完善制度。 "
    assert publication_trim(text, 0, len(text)) == (0, len(text))
    assert publication_trim(text, 5, 3) == (5, 5)


def test_totals_cut_leaves_the_first_line():
    text = "\n加强管理。\n问题12项,建议3条\n \n整改完成率100%"
    assert totals_cut(text, 0, len(text)) == text.index("问题")
    assert totals_cut("问题12项,建议3条", 0, 10) == 10
    assert totals_cut(text, 0, text.index("\n问题")) == text.index("\n问题")


def test_publication_line_cut_at_a_later_line_about_the_notice():
    text = "联系群众加强管理。\n完善制度。\n以上整改情况予以公示。\n如有异议请反映。"
    assert publication_line_cut(text, 0, len(text)) == text.index("以上")
    assert publication_line_cut(text, 0, text.index("以上")) == text.index("以上")
    assert publication_line_cut("以上情况予以公示。", 0, 9) == 9  # the first line is never cut


def test_enumerator_marks_are_every_enumerator_of_the_text():
    text = "一是甲;(2)乙 二是丙。统一是"
    starts, marks = enumerator_marks(text)
    assert starts == [0, 4, 9]
    assert marks == [(0, 2, "shi", "一", "一是"), (4, 7, "paren", "2", "(2)"), (9, 11, "shi", "二", "二是")]


def test_enumerators_of_a_span_are_the_marks_inside_it():
    text = "一是甲;(2)乙 二是丙。"
    assert enumerators(text, 0, len(text)) == [(0, 1, "一是"), (9, 2, "二是")]
    assert enumerators(text, 0, 10) == [(0, 1, "一是")]  # 二是 runs past the span's end
    assert enumerators(text, 1, len(text)) == []  # a list does not open at 二 alone


def test_enumerator_number():
    assert enumerator_number("十二") == 12 and enumerator_number("7") == 7


def test_enumerator_number_of_a_circled_number():
    assert enumerator_number("③") == 3


def test_measures_enumerated_with_circled_numbers():
    assert texts("整改情况:①修订财务制度3项;②开展专项检查2次。") == ["①修订财务制度3项;", "②开展专项检查2次。"]


def test_planned_start_of_a_next_steps_part():
    from analysis.read.measures import planned_start

    text = "一是加强管理。下一步,将完善制度。"
    assert planned_start(text, 0, len(text)) == (7, 11)
    assert planned_start(text, 0, 7) is None


def test_one_line_breaks_no_line_but_in_its_closing_whitespace():
    from analysis.read.measures import one_line

    assert one_line("加强管理。", 0, 5) and one_line("加强管理。\n \n", 0, 8)
    assert not one_line("加强管理。\n特此通报", 0, 10) and not one_line("\n加强管理。", 0, 6)
    assert one_line("加强管理。\n特此通报", 0, 6)
