"""Documents: generic phrases are not titles, types from every usual ending, 文号 references and unclosed marks
(sentences written for the tests in the way notices put them)."""

from __future__ import annotations

import pytest

from analysis.extract.agencies import NoticeContext
from analysis.extract.documents import find_documents

CTX = NoticeContext("某县教育局", "county", "620000", "甘肃省", "天水市", "秦州区", "education")


def titles(text: str, resources) -> list[tuple[str, str]]:
    """(title, doc_type) of every document mention of a sentence."""
    found, _ = find_documents(text, resources, [], CTX.organisation)
    return [(d.title, d.doc_type) for d in found]


@pytest.mark.parametrize("text", ["逐项研究并拿出有效的整改措施。", "支部年初制定了全年学习计划并抓好落实。",
                                  "结合实际,现制定如下整改方案。", "党支部研究制定反馈问题整改方案并上报。",
                                  "某街道出台了议事决策制度。"])
def test_generic_phrases_are_not_titles(text, resources):
    assert titles(text, resources) == []


def test_a_named_plan_without_marks_is_still_a_title(resources):
    assert titles("委托设计单位编制青龙湖水环境治理方案,按方案推进治理。", resources) == [("青龙湖水环境治理方案", "方案")]


def test_the_verb_before_an_unmarked_title_is_not_part_of_it(resources):
    assert not any(t.startswith("下发") for t, _ in titles("研究并下发区委巡视整改落实方案,压实责任。", resources))


@pytest.mark.parametrize("title,doc_type", [("关于新形势下党内政治生活的若干准则", "准则"), ("某开发区基础设施建设工程总承包合同", "合同"),
                                            ("2024年巡察整改进展情况台账", "台账"), ("2024年全区理论学习中心组专题学习安排", "安排"),
                                            ("某村村规民约公约", "公约")])
def test_the_type_comes_from_every_usual_ending(title, doc_type, resources):
    assert titles(f"学校制定《{title}》,逐项落实。", resources) == [(title, doc_type)]


def test_a_document_cited_by_its_number_alone(resources):
    found, _ = find_documents("按照县审计局县审〔2020〕5号文件要求,完成整改。", resources, [], None)
    assert [(d.title, d.doc_type, d.doc_number) for d in found] == [("县审〔2020〕5号", "文号", "县审〔2020〕5号")]


def test_a_number_printed_after_its_title_is_not_read_twice(resources):
    found, _ = find_documents("印发了《关于成立整改工作专班的通知》(某党发〔2024〕4号),明确分工。", resources, [], None)
    assert [d.doc_number for d in found] == ["某党发〔2024〕4号"]


def test_a_title_whose_closing_mark_is_missing(resources):
    found, _ = find_documents("认真学习《中国共产党纪律处分条例\n并开展专题研讨。", resources, [], None)
    assert [(d.title, d.doc_type) for d in found] == [("中国共产党纪律处分条例", "条例")]


@pytest.mark.parametrize("text", ["按照市环发〔2020〕5号文件要求", "关于印发甘肃省天水市秦州区教育局机关代字太长了〔2021〕12号的通知",
                                  "环审[2019] 3 号、环审【2020】4号文和〔2021〕7号", "局〔2020〕1号局〔2020〕2号", "〔2020〕5号",
                                  "审发〔20〕5号;审发〔2020〕号;审发 〔2020〕5号", ""])
def test_numbers_are_found_at_their_marks_as_a_scan_of_every_character_finds_them(text):
    from analysis.extract.document_references import DOC_REF_RE, doc_ref_matches

    assert [m.span() for m in doc_ref_matches(text)] == [m.span() for m in DOC_REF_RE.finditer(text)]


def test_a_title_refers_back_to_the_last_earlier_title_it_names():
    from analysis.extract.document_titles import EarlierTitles

    earlier = EarlierTitles()
    earlier.add("江苏省固体废物污染环境防治条例")
    earlier.add("关于加强河道管理的实施意见")
    assert earlier.referred("条例") == ("江苏省固体废物污染环境防治条例", "江苏省固体废物污染环境防治条例")
    assert earlier.referred("办法") == ("办法", None)
    assert earlier.referred("加强河道管理的实施意见") == ("关于加强河道管理的实施意见", "关于加强河道管理的实施意见")
    earlier.add("加强河道管理的实施意见")
    earlier.add("条例")
    assert earlier.referred("加强河道管理的实施意见") == ("加强河道管理的实施意见", None)
    assert earlier.referred("条例") == ("条例", None)


def test_a_title_key_drops_spaces_and_finds_a_short_name(resources):
    from analysis.extract.document_titles import title_key

    assert title_key("关于印发 〈某县河道管理办法〉的通知", resources) == ("关于印发《某县河道管理办法》的通知", None)
    assert title_key("环评法", resources) == ("环评法", "中华人民共和国环境影响评价法")
    assert title_key("环评法", resources) == ("环评法", "中华人民共和国环境影响评价法")  # the second time from the cache


def test_a_title_type_is_the_same_when_read_again(resources):
    from analysis.extract.document_titles import doc_type_of

    assert doc_type_of("某县河道管理办法(试行)", resources) == ("办法", "rules")
    assert doc_type_of("某县河道管理办法(试行)", resources) == ("办法", "rules")
    assert doc_type_of("某县河道", resources) == ("other", "other")


def test_title_facts_kept_are_bounded(monkeypatch):
    from analysis.extract import document_titles

    monkeypatch.setattr(document_titles, "TITLES_KEPT", 2)
    kept: dict = {}
    assert document_titles.remember(kept, "甲", 1) == 1
    document_titles.remember(kept, "乙", 2)
    document_titles.remember(kept, "丙", 3)
    assert kept == {"丙": 3}


def test_clause_bounds_are_the_punctuation_around_a_position():
    from analysis.extract.documents import clause_end, clause_start

    text = "一,二三。四五"
    assert [clause_start(text, pos) for pos in range(len(text) + 1)] == [0, 0, 2, 2, 2, 5, 5, 5]
    assert clause_start(text, 6, floor=6) == 6
    assert [clause_end(text, pos) for pos in range(len(text) + 1)] == [1, 1, 4, 4, 4, 7, 7, 7]


def test_the_verbs_that_can_start_in_a_text_come_in_their_rows_order(resources):
    from analysis.extract.document_titles import lexicon, verbs_starting_in

    rows = verbs_starting_in("印发了", lexicon(resources))
    verbs = [verb for _, verb, _ in rows]
    assert "印发" in verbs and "发布" in verbs and "制定" not in verbs
    assert [row for row, _, _ in rows] == sorted(row for row, _, _ in rows)
    assert verbs == [verb for verb, _ in resources.document_verbs if verb[0] in "印发了"]


def test_facts_of_an_unmarked_title_are_none_for_a_generic_phrase(resources):
    from analysis.extract.unmarked_documents import _relations, unmarked_facts

    assert unmarked_facts("青龙湖水环境治理方案", resources) == ("青龙湖水环境治理方案", "方案", "plan")
    assert unmarked_facts("青龙湖水环境治理方案", resources) == ("青龙湖水环境治理方案", "方案", "plan")
    assert unmarked_facts("整改方案", resources) is None
    assert _relations(resources)["印发"] == "issued"


def test_the_marks_of_numbers_are_found_in_order():
    from analysis.extract.document_references import mark_positions

    assert mark_positions("甲【1】乙〔2〕丙[3]〔") == [1, 5, 9, 12]
    assert mark_positions("没有文号") == []


def test_an_attributive_verb_is_looked_for_only_before_a_de():
    from analysis.extract.documents import _attributive_before

    text = "省厅印发的 《某办法》和印发《某方案》"
    assert _attributive_before(text, 0, 6).group(1) == "印发"
    assert _attributive_before(text, 0, 5).span() == (2, 5)
    assert _attributive_before(text, 12, 14) is None
    assert _attributive_before(text, 3, 3) is None


def test_asides_in_brackets_are_blanked_to_the_same_length():
    from analysis.extract.documents import mask_parentheticals

    assert mask_parentheticals("印发《甲》(以下简称,乙)并落实") == "印发《甲》(······)并落实"
    assert mask_parentheticals("没有括号") == "没有括号"


def test_the_lexicon_asked_for_last_is_that_of_the_same_resources(resources):
    from analysis.extract.document_titles import lexicon

    words = lexicon(resources)
    assert lexicon(resources) is words and "印发" in words.verbs


def test_the_governing_verb_is_the_last_before_the_title_in_its_clause(resources):
    from analysis.extract.document_titles import lexicon
    from analysis.extract.documents import governing_verb

    text = "局发布通知,县印发了《某县河道管理办法》"
    assert governing_verb(text, 10, 20, None, None, lexicon(resources))[:3] == ("印发了", "issued", 7)  # the longest verb ending last
    assert governing_verb("学习《某县河道管理办法》", 2, 12, None, None, lexicon(resources))[:3] == (None, "cited", None)


def test_bracket_spans_close_at_a_newline_only_what_is_open():
    from analysis.extract.documents import bracket_spans

    assert bracket_spans("《甲\n》") == ([], [3], [0])
    assert bracket_spans("《甲〈乙〉》\n\n《丙》") == ([(0, 5, None), (2, 4, 0), (8, 10, None)], [], [])
    assert bracket_spans("\n《甲") == ([], [], [1])


def test_end_char_is_where_a_dollar_match_ends():
    from analysis.extract.document_titles import end_char

    assert end_char("办法(试行)") == ")" and end_char("办法(试行)\n") == ")" and end_char("") == end_char("\n") == ""


def test_the_type_skips_a_version_and_brackets_at_the_end(resources):
    from analysis.extract.document_titles import doc_type_of

    assert doc_type_of("某县河道管理办法2.0版本", resources) == ("办法", "rules")
    assert doc_type_of("某县河道管理办法(2024—2035年)", resources) == ("办法", "rules")
