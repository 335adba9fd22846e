"""Declared totals: the counts a notice states about itself, in the phrasings notices use (sentences made up)."""

from __future__ import annotations

import pytest

from analysis.read.declared import declared_totals, pct_check


def totals(text: str, genre: str = "party_inspection") -> dict:
    """Field → value of the declared totals in a whole text."""
    return {d.field: d.value for d in declared_totals(text, [(0, len(text))], genre)}


@pytest.mark.parametrize("text,expected", [
    ("针对巡察反馈的48个问题,制定整改措施161条。", {"declared_problems": 48, "declared_measures": 161}),
    ("巡察组共反馈问题25个,其中已完成整改19个。", {"declared_problems": 25, "declared_problems_completed": 19}),
    ("巡察反馈的四个方面38个问题,均已完成整改。", {"declared_categories": 4, "declared_problems": 38}),
    ("反馈意见细化分解为3个方面的7项问题,又细化为20个具体问题。", {"declared_categories": 3, "declared_problems": 20}),
    ("共梳理出具体问题17个,已整改到位15个。", {"declared_problems": 17, "declared_problems_completed": 15}),
    ("截至目前,45个具体问题有39个已完成整改。", {"declared_problems": 45, "declared_problems_completed": 39}),
    ("审计发现主要问题154个,涉及金额4亿元。", {"declared_problems": 154}),
])
def test_problem_counts_in_their_usual_phrasings(text, expected):
    found = totals(text)
    assert {k: found.get(k) for k in expected} == expected


def test_petition_cases_are_problems_and_handled_ones_completed():
    assert totals("督察组交办的第三批信访举报件共计68件,已办结51件。", "environmental_inspection") == {
        "declared_problems": 68, "declared_problems_completed": 51}


def test_rectification_tasks_are_problems_of_an_environmental_plan_but_measures_of_a_party_committee():
    text = "整改方案明确46项整改任务。"
    assert totals(text, "environmental_inspection") == {"declared_problems": 46}
    assert totals(text, "party_inspection") == {"declared_measures": 46}


def test_ordinals_are_not_counts():
    assert totals("第一项、第二项、第四项问题已经整改完成,第三项问题持续整改。") == {}


def test_a_part_of_a_total_is_not_the_total():
    assert "declared_problems" not in totals("其中3个问题正在整改,还有2个问题需要长期坚持。")


def test_a_self_check_count_without_an_inspection_verb_is_not_the_total():
    assert totals("纪委现场督查3次,发现问题3个,提出建议3条。") == {}


def test_a_completed_count_far_from_any_total_is_dropped():
    assert "declared_problems_completed" not in totals("本单位深入开展自查自纠工作,已完成整改12项。")


def test_one_fangmian_as_a_connective_is_not_a_category_count():
    assert "declared_categories" not in totals("一方面加强学习,另一方面完善制度,制定整改措施12条。")


@pytest.mark.parametrize("text,value", [("整改问题金额3.5亿元", 3.5e8), ("整改到位资金215587.84万元", 2155878400.0),
                                        ("整改问题金额120元", 120.0)])
def test_amounts_are_in_yuan(text, value):
    assert totals(text)["declared_amount"] == pytest.approx(value)


@pytest.mark.parametrize("text,rules", [("建立完善制度机制12项", 12), ("制定或修订相关规章制度3项", 3), ("建章立制5个", 5),
                                        ("新建、修订、完善12项规章制度", 12)])
def test_rules_made(text, rules):
    assert totals(text)["declared_rules"] == rules


def test_percentage_checked_against_measures_then_problems():
    assert pct_check({"declared_completion_pct": 67.7, "declared_measures": 161, "declared_measures_completed": 109}) == "consistent"
    assert pct_check({"declared_completion_pct": 76.0, "declared_problems": 25, "declared_problems_completed": 19}) == "consistent"
    assert pct_check({"declared_completion_pct": 90.0, "declared_problems": 25, "declared_problems_completed": 19}) == "inconsistent"


def test_counting_sentences_are_the_sentences_around_the_counts():
    from analysis.read.declared import counting_sentences

    text = "总体情况良好。其中三%未落实,共5个问题;\n没有数字。制定措施3\n条。"
    assert counting_sentences(text, [(0, len(text))]) == [(7, 21)]  # 三% is no count; a count never runs over a line break
    assert counting_sentences(text, [(9, 19)]) == [(9, 19)]  # a sentence is cut where its span is


def test_each_pattern_reads_only_phrases_holding_one_of_its_words():
    from analysis.read.declared import PATTERN_WORDS, PATTERNS

    assert len(PATTERN_WORDS) == len(PATTERNS)
    phrases = ["12个问题、30条整改措施已全部完成", "12个问题、30条整改措施已全部完成", "10个问题已完成整改", "已完成整改问题10个",
               "已完成其中的10个问题的整改", "办结10件", "10项整改任务", "整改任务共10项", "10条整改措施", "制定措施10条",
               "10条措施已完成", "已完成措施10条", "整改完成率95%", "已完成事项10个", "取得阶段性成效事项3个",
               "正在推进问题2个", "建立完善制度机制12项", "建章立制5个", "出台10项管理制度", "整改问题金额3.5亿元"]
    for (name, regex, _), words, phrase in zip(PATTERNS, PATTERN_WORDS, phrases):
        assert regex.search(phrase) and any(word in phrase for word in words), name


def test_a_sentence_holds_one_of_the_words_or_none():
    from analysis.read.declared import holds_one

    assert holds_one("制定整改措施12条", ("举措", "措施"))
    assert not holds_one("制定整改措施12条", ("举措", "任务"))
    assert not holds_one("", ("措施",))
