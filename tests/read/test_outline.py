"""The 公文 outline: marker forms, levels, sequences, packed paragraphs."""

from __future__ import annotations

from analysis.read.outline import (CLOSING_RE, CLOSING_STARTS, boundary_candidates, build_outline, continues_numbering, forms_starting,
                                   match_marker, segment_spans, segments_of)


def headings(text: str) -> list[tuple[str, str, str]]:
    """(path, label, heading) of every node."""
    outline = build_outline(text)
    return [(n.path, n.label, n.heading(text)) for n in outline.nodes()]


def test_marker_forms_are_recognised():
    assert match_marker("一、整改", 0)[:4] == ("cn_dun", 1, 1, "一、")
    assert match_marker("(十二)关于", 0)[:4] == ("cn_paren", 2, 12, "(十二)")
    assert match_marker("10. 关于", 0)[:4] == ("arabic_dot", 3, 10, "10.")
    assert match_marker("3、关于", 0)[:4] == ("arabic_dot", 3, 3, "3、")
    assert match_marker("2)关于", 0)[:4] == ("arabic_paren", 4, 2, "2)")
    assert match_marker("(2)关于", 0)[:4] == ("arabic_paren", 4, 2, "(2)")
    assert match_marker("⑵关于", 0)[:4] == ("arabic_paren", 4, 2, "⑵")
    assert match_marker("③关于", 0)[:4] == ("circled", 5, 3, "③")


def test_decimal_number_is_not_a_marker():
    assert match_marker("2.0版本", 0) is None


def test_levels_follow_marker_form_even_when_one_is_skipped():
    text = "一、整改情况\n1.关于甲问题\n1)关于甲一问题\n整改情况:一是加强。\n2)关于甲二问题\n2.关于乙问题\n二、今后打算\n"
    assert headings(text) == [("1", "一、", "整改情况"), ("1.1", "1.", "关于甲问题"), ("1.1.1", "1)", "关于甲一问题"),
                              ("1.1.2", "2)", "关于甲二问题"), ("1.2", "2.", "关于乙问题"), ("2", "二、", "今后打算")]


def test_numbers_may_run_on_across_sibling_groups():
    text = "一、整改进展\n(一)关于甲方面\n1.针对A问题。\n2.针对B问题。\n(二)关于乙方面\n3.针对C问题。\n"
    assert [h[:2] for h in headings(text)] == [("1", "一、"), ("1.1", "(一)"), ("1.1.1", "1."), ("1.1.2", "2."),
                                               ("1.2", "(二)"), ("1.2.1", "3.")]


def test_a_list_does_not_start_in_the_middle():
    text = "一、情况\n(一)关于甲方面\n7.针对A问题。\n"
    assert [h[1] for h in headings(text)] == ["一、", "(一)"]


def test_a_number_out_of_sequence_is_not_a_heading():
    text = "一、情况\n1.关于甲问题\n整改中引用了第7.条规定。\n7.这不是标题\n2.关于乙问题\n"
    assert [h[1] for h in headings(text)] == ["一、", "1.", "2."]


def test_heading_runs_to_the_first_sentence_end_outside_quotes():
    text = "一、整改落实情况\n1.关于““环境就是民生”的责任意识不够强。”问题的整改。\n一是加强。\n(二)提高站位。局党组高度重视。\n"
    found = headings(text)
    assert found[1][2] == "关于““环境就是民生”的责任意识不够强。”问题的整改"


def test_two_sentence_problem_statement_is_one_heading():
    text = "一、反馈意见整改进展情况\n1.针对未压实监管责任。小清河附近存在成堆固体废物未清理问题。\n整改进展情况:已整改完成。\n"
    assert headings(text)[1][2] == "针对未压实监管责任。小清河附近存在成堆固体废物未清理问题"


def test_one_paragraph_notice_is_split_into_segments():
    text = ("关于整改任务的公示\n根据方案,现对整改工作进行公示。 一、反馈问题内容 部门和地方没有真正领会。 二、整改措施 "
            "(一)提高政治站位。牢固树立意识。 (二)严明工作责任。认真落实要求。 三、工作开展情况 (一)提高政治站位。全市树立理念。 "
            "(二)严明工作责任。严格落实。 四、自我验收意见 经全面自查整改,达到销号标准。\n淄博市生态环境局 2025年4月30日\n")
    outline = build_outline(text)
    assert outline.packed
    assert [(n.path, n.heading(text)) for n in outline.nodes()] == [
        ("1", "反馈问题内容"), ("2", "整改措施"), ("2.1", "提高政治站位"), ("2.2", "严明工作责任"), ("3", "工作开展情况"),
        ("3.1", "提高政治站位"), ("3.2", "严明工作责任"), ("4", "自我验收意见")]


def test_closing_lines_end_the_outline():
    text = "一、整改情况\n(一)关于甲问题。一是加强。\n欢迎广大干部群众监督。联系电话:0532-1234567。\n中共某局党组\n2024年4月19日\n"
    outline = build_outline(text)
    assert text[outline.closing_start:].startswith("欢迎广大干部群众监督")
    assert outline.roots[0].end == outline.closing_start


def test_full_width_markers_work_after_width_mapping():
    from analysis.read.ingest import to_half_width

    text = to_half_width("一、整改情况\n（一）关于甲问题\n（二）关于乙问题\n")
    assert [h[1] for h in headings(text)] == ["一、", "(一)", "(二)"]


def test_a_problem_heading_ends_where_its_first_action_begins():
    text = "一、整改情况\n(一)关于仓库物资登记混乱的问题,已逐件盘点并建立出入库台账。\n"
    node = build_outline(text).nodes()[1]
    assert node.heading(text) == "关于仓库物资登记混乱的问题"
    assert text[node.body_start:].startswith("已逐件盘点")


def test_an_inline_measures_label_ends_the_heading():
    text = "一、整改情况\n1.值班记录填写不全,整改措施:补齐记录并由专人保管。\n"
    node = build_outline(text).nodes()[1]
    assert node.heading(text) == "值班记录填写不全"
    assert text[node.body_start:].startswith("整改措施:")


def test_a_heading_naming_two_problems_stays_whole():
    text = "一、整改情况\n(一)关于会费收缴的问题,关于档案借阅的问题。\n"
    assert headings(text)[1][2] == "关于会费收缴的问题,关于档案借阅的问题"


def test_an_inline_first_item_ends_the_heading():
    text = "一、整改情况\n(一)消防通道堵塞:(1)清走杂物;(2)划设禁停线。\n"
    node = build_outline(text).nodes()[1]
    assert node.heading(text) == "消防通道堵塞"


def test_an_item_opening_with_a_year_is_still_numbered():
    text = "一、整改措施\n1.2019年底前建成隔离围栏。\n2.2020年6月底前完成复绿。\n"
    assert [h[:2] for h in headings(text)] == [("1", "一、"), ("1.1", "1."), ("1.2", "2.")]


def test_forms_starting_a_character():
    assert [f[0] for f in forms_starting("三")] == ["cn_dun"]
    assert [f[0] for f in forms_starting("(")] == ["cn_paren", "arabic_paren"]
    assert [f[0] for f in forms_starting("7")] == ["arabic_dot", "arabic_paren"]
    assert [f[0] for f in forms_starting("７")] == ["arabic_dot", "arabic_paren"]  # a full-width digit is a digit too
    assert [f[0] for f in forms_starting("⑵")] == ["arabic_paren"]
    assert [f[0] for f in forms_starting("③")] == ["circled"]
    assert forms_starting("关") == () and forms_starting("") == ()


def test_closing_words_start_with_one_of_closing_starts():
    for word in ("欢迎", "如有意见", "如有异议", "如对", "联系电话", "监督电话", "举报电话", "电子邮箱", "特此通报", "附件1", "公示期"):
        assert CLOSING_RE.match(word) and word[0] in CLOSING_STARTS


def test_boundary_candidates_are_marker_characters_after_a_boundary():
    assert boundary_candidates("甲。一、乙 (二)丙;3.丁") == [2, 6, 11]
    assert boundary_candidates("一、甲乙") == []  # the start of the text is no boundary character
    assert boundary_candidates("甲。二是乙 ①丙") == [6]  # 二是 opens no marker: 二 is followed by neither 、 nor a numeral
    assert boundary_candidates("。一、") == [1] and boundary_candidates(" ①") == [1]  # at the end of the text
    assert boundary_candidates("。一") == [] and boundary_candidates("") == []


def test_segment_spans_are_stripped_lines():
    text = "  一、甲\n\n乙 \n"
    assert segment_spans(text) == ([(2, 5), (7, 8)], False)
    segments, packed = segments_of(text)
    assert [(s.start, s.end) for s in segments] == [(2, 5), (7, 8)] and not packed


def test_segment_spans_split_a_packed_line():
    text = "一、总体情况。(一)关于甲问题的整改情况已经完成了整改。(二)关于乙问题的整改情况也已经完成整改工作。"
    spans, packed = segment_spans(text)
    assert packed and [text[s:e][:3] for s, e in spans] == ["一、总", "(一)", "(二)"]


def test_continues_numbering():
    assert continues_numbering(1, "arabic_dot", None, [{}])
    assert not continues_numbering(2, "arabic_dot", None, [{}])
    assert continues_numbering(3, "arabic_dot", 2, [{}])
    assert continues_numbering(5, "arabic_dot", None, [{"arabic_dot": 4}, {}])  # runs on from a sibling group
    assert not continues_numbering(5, "arabic_dot", 1, [{"cn_paren": 4}])


def test_outside_quotes_finds_the_sentence_end_and_clause_marks_outside_quotes():
    from analysis.read.outline import outside_quotes

    text = "关于“甲,乙。”问题,丙;丁。戊,"
    assert outside_quotes(text, 0, len(text), True) == (14, [10, 12])
    assert outside_quotes(text, 0, len(text), False) == (14, [])
    assert outside_quotes("《甲。乙》丙", 0, 6, True) == (-1, [])
