"""Figures: only quantities, durations as durations, ranges as ranges, what the number governs
(sentences written for the tests in the way notices put them)."""

from __future__ import annotations

import pytest

from analysis.extract.figures import find_figures


def figures(text: str) -> list:
    """Figures of a sentence."""
    return find_figures(text, [])


@pytest.mark.parametrize("text", ["严格落实中央八项规定精神。", "对反馈问题一件一件抓落实。", "把整改作为当前一项严肃的政治任务。",
                                  "每一项问题都明确责任人。", "完成整改任务第43项。"])
def test_numbers_that_are_not_quantities(text):
    assert figures(text) == []


def test_a_duration_is_a_duration_not_a_count():
    (found,) = figures("经过三个月集中整改,问题基本解决。")
    assert (found.value, found.unit, found.category) == (3, "个月", "duration")


def test_working_days_are_a_duration():
    (found,) = figures("公示期为10个工作日。")
    assert (found.value, found.category) == (10, "duration")


@pytest.mark.parametrize("text,low,high", [("每年开展4、5次检查", 4, 5), ("抽查3至5个项目", 3, 5), ("召开三四次会议", 3, 4)])
def test_ranges_are_kept_as_ranges(text, low, high):
    (found,) = figures(text)
    assert (found.value, found.value_end) == (low, high)


def test_a_list_of_numbers_is_not_a_range():
    found = figures("分别整改3、17项。")
    assert [(f.value, f.value_end) for f in found] == [(17, None)]


def test_what_is_the_noun_the_number_governs():
    assert figures("反馈的10个方面20个问题已整改。")[0].what == "方面"
    assert figures("镇政府联合对14家养鸡场下发整改通知书。")[0].what == "养鸡场"


def test_a_comparison_word_is_not_part_of_what_was_counted():
    assert figures("收入比上年决算数14.94亿元增长3%")[0].what == "决算数"


@pytest.mark.parametrize("text", ["这次巡视是对全省的一次全面体检。", "实行销号管理,做到整改一个、销号一个。", "对工业园区项目一期进行了审计。"])
def test_articles_slogans_and_phases_are_not_counts(text):
    assert figures(text) == []


def test_a_compound_counter_stays_whole():
    (found,) = figures("组织集中理论学习27场次。")
    assert (found.value, found.unit) == (27, "场次")


def test_what_keeps_the_whole_noun_before_a_verb_of_change():
    assert figures("城镇和农村居民人均可支配收入分别增长9%")[0].what == "城镇和农村居民人均可支配收入"
    assert figures("共发现问题77项,整改完成率100%")[-1].what == "整改完成率"


def test_a_rule_for_each_problem_is_not_a_count():
    assert figures("确保一个问题一名以上牵头领导、一个牵头单位和若干责任单位。") == []


def test_what_is_the_noun_after_the_counter_before_its_role():
    assert figures("12名县领导任副组长")[0].what == "县领导"
    assert figures("区委4个巡察组对各学校进行了巡察")[0].what == "巡察组"


def test_a_date_whose_digits_ran_together_is_not_a_number():
    assert figures("公示时间:20221122日至202211243个工作日") == []


def test_a_number_in_a_quoted_policy_name_is_not_a_count():
    assert figures("落实助企“47条”和稳经济一揽子政策") == []


def test_growth_is_of_the_subject_not_the_comparison_base():
    assert figures("各领域的投入分别比上年增长21.9%")[0].what == "投入"


def test_a_status_after_the_counter_is_not_what_was_counted():
    assert figures("45个具体问题有39个已完成整改")[-1].what != "已"


def test_an_event_counted_keeps_the_event_not_its_actor():
    assert figures("组建宣讲小分队深入社区开展理论宣讲3场次")[0].what == "理论宣讲"


def test_a_session_number_is_not_a_count():
    assert figures("圆满完成了市十五届人大五次会议批准的预算任务。") == []


@pytest.mark.parametrize("text,what", [("公共安全支出1.16亿元", "公共安全支出"), ("方案共39项整改任务,截至年底", "整改任务"),
                                       ("该单位账面实际支出公务接待费0元", "公务接待费"), ("制定或修订相关规章制度3项。", "相关规章制度"),
                                       ("提前下达金额672.8亿元", "提前下达金额")])
def test_what_is_the_head_of_the_phrase(text, what):
    assert figures(text)[0].what == what


def test_more_than_two_months_is_an_approximate_duration():
    (found,) = figures("开展为期两个多月的巡察整改回头看")
    assert (found.value, found.category, found.approximate, found.what) == (2, "duration", True, None)


@pytest.mark.parametrize("text", ["组成4个督查组分赴各县区开展督查", "先后召开了9次整改领导小组会议研究部署整改工作", "对相关责任人员约谈1人、问责2人"])
def test_no_what_rather_than_a_clause(text):
    assert figures(text)[0].what is None


def test_one_by_one_without_a_mark_is_not_a_count():
    assert figures("实行整改销号制度,完成一项销号一项。") == []


def test_a_unit_word_before_a_rate_is_not_what_grew():
    assert figures("比上年决算数14.94亿元增长3.0%")[-1].what is None
