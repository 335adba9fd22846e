"""Figures: only quantities, durations as durations, ranges as ranges, what the number governs
(sentences written for the tests in the way notices put them)."""

from __future__ import annotations

import pytest

from analysis.extract.figures import find_figures


def figures(text: str) -> list:
    """Figures of a sentence."""
    return find_figures(text, [])


@pytest.mark.parametrize("text", ["严格落实中央八项规定精神。", "对反馈问题一件一件抓落实。", "始终把问题整改当作一项重要的政治责任。",
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
    assert figures("街道办联合对12家养殖户下发限期整改通知。")[0].what == "养殖户"


def test_a_comparison_word_is_not_part_of_what_was_counted():
    assert figures("收入比上年决算数8.21亿元增长2%")[0].what == "决算数"


@pytest.mark.parametrize("text", ["本轮巡察是对单位的一次全面体检。", "问题台账动态管理,做到整改一个、销号一个。", "对工业园区项目一期进行了审计。"])
def test_articles_slogans_and_phases_are_not_counts(text):
    assert figures(text) == []


def test_a_compound_counter_stays_whole():
    (found,) = figures("开展集中学习研讨12场次。")
    assert (found.value, found.unit) == (12, "场次")


def test_what_keeps_the_whole_noun_before_a_verb_of_change():
    assert figures("全县农村居民人均可支配收入分别增长6%")[0].what == "农村居民人均可支配收入"
    assert figures("共查找问题18项,整改完成率95%")[-1].what == "整改完成率"


def test_a_rule_for_each_problem_is_not_a_count():
    assert figures("每个问题明确一名以上分管领导、一个主办科室和若干协办科室。") == []


def test_what_is_the_noun_after_the_counter_before_its_role():
    assert figures("12名县领导任副组长")[0].what == "县领导"
    assert figures("区委4个巡察组对各学校进行了巡察")[0].what == "巡察组"


def test_a_date_whose_digits_ran_together_is_not_a_number():
    assert figures("公示时间:20230915日至202309225个工作日") == []


def test_a_number_in_a_quoted_policy_name_is_not_a_count():
    assert figures("出台惠企“25条”并抓好落实") == []


def test_growth_is_of_the_subject_not_the_comparison_base():
    assert figures("民生领域的投入分别比上年增长11.4%")[0].what == "投入"


def test_a_status_after_the_counter_is_not_what_was_counted():
    assert figures("31个具体问题有28个已完成整改")[-1].what != "已"


def test_an_event_counted_keeps_the_event_not_its_actor():
    assert figures("派出小分队到村组开展政策宣讲4场次")[0].what == "政策宣讲"


def test_a_session_number_is_not_a_count():
    assert figures("全面完成了县十八届人大三次会议确定的目标。") == []


@pytest.mark.parametrize("text,what", [("公共安全支出2.08亿元", "公共安全支出"), ("清单共26项整改任务,截至月底", "整改任务"),
                                       ("该局当年实际支出公务接待费1200元", "公务接待费"), ("新建或修订相关规章制度5项。", "相关规章制度"),
                                       ("提前下达金额12.6亿元", "提前下达金额")])
def test_what_is_the_head_of_the_phrase(text, what):
    assert figures(text)[0].what == what


def test_more_than_two_months_is_an_approximate_duration():
    (found,) = figures("进行了为期两个多月的专项检查")
    assert (found.value, found.category, found.approximate, found.what) == (2, "duration", True, None)


@pytest.mark.parametrize("text", ["组成4个督查组分赴各县区开展督查", "累计召开了7次领导小组会议研究部署有关工作", "对有关责任人员约谈3人、问责1人"])
def test_no_what_rather_than_a_clause(text):
    assert figures(text)[0].what is None


def test_one_by_one_without_a_mark_is_not_a_count():
    assert figures("坚持挂账督办,完成一项销号一项。") == []


def test_a_unit_word_before_a_rate_is_not_what_grew():
    assert figures("比上年决算数8.21亿元增长2.0%")[-1].what is None


def test_arabic_matches_equal_finditer():
    from analysis.extract.figures import ARABIC_RE, arabic_matches

    text = "共计12个问题,2023年完成1,2345个、3至5项,约30%"
    assert [m.span() for m in arabic_matches(text)] == [m.span() for m in ARABIC_RE.finditer(text)]


def test_arabic_matches_equal_finditer_with_words_before_and_runs():
    from analysis.extract.figures import ARABIC_RE, arabic_matches

    text = "超过约5个,近20万吨,共计3-5项,累计12,345.5亿元左右,2023年10月,第3批,超过7人"
    assert [m.span() for m in arabic_matches(text)] == [m.span() for m in ARABIC_RE.finditer(text)]
    assert [m.group("approx_before") for m in arabic_matches(text)] == ["约", "近", "共计", "累计", None, "超过"]


def test_cn_matches_equal_finditer():
    from analysis.extract.figures import CN_RE, cn_matches

    text = "整改三个问题,第四批,一二三四五次,十五届人大五次会议,两个多月,百余人,十二"
    assert [m.span() for m in cn_matches(text)] == [m.span() for m in CN_RE.finditer(text)]


def test_numeral_starts_splits_digits_and_chinese_numerals():
    from analysis.extract.figures import numeral_starts

    assert numeral_starts("第12项,三个,2023年,十五届") == ([1], [5])
    assert numeral_starts("") == numeral_starts("12") == numeral_starts("三") == ([], [])
    assert numeral_starts("3至5个三四次") == ([0, 2], [4])


def test_phrase_before_goes_back_to_the_last_clause_mark():
    from analysis.extract.figure_nouns import phrase_before

    assert phrase_before("社会保障和就业支出4.62亿元", 9) == "社会保障和就业支出"
    assert phrase_before("经费,会议费35816元", 6) == "会议费"
    assert phrase_before("1200元", 0) == ""


def test_head_of_a_phrase_and_its_plain_head():
    from analysis.extract.figure_nouns import head_of, plain_head

    assert head_of("投入比上年增长") == "投入"
    assert head_of("亿元增长") is None
    assert plain_head("公共安全支出") == "公共安全支出"
    assert plain_head("亿元增长") is None


def test_noun_after_a_counter():
    from analysis.extract.figure_nouns import noun_after

    assert noun_after("高风险遗留地块,已全部") == "高风险遗留地块"
    assert noun_after("督查组分赴各县区开展督查") is None


def test_cover_answers_as_merged_spans():
    from analysis.extract.figures import Cover

    cover = Cover([(10, 12), (0, 5), (4, 8), (8, 8)])
    assert [cover.contains(p) for p in (0, 7, 8, 9, 10, 12)] == [True, True, False, False, True, False]
    assert cover.overlaps(7, 9) and cover.overlaps(11, 20) and not cover.overlaps(8, 10) and not cover.overlaps(12, 14)
    assert not Cover([]).contains(0) and not Cover([]).overlaps(0, 3)


def test_one_by_one_after_and_before():
    from analysis.extract.figures import one_by_one_after, one_by_one_before

    assert one_by_one_after("整改一个、销号一个", 4, "个") and one_by_one_after("一项销号一项", 2, "项")
    assert not one_by_one_after("一个问题", 2, "个") and not one_by_one_after("一个、问题的整改", 2, "个")
    assert one_by_one_before("完成一项销号一项", 6, "项") and one_by_one_before("整改一个、销号一个", 7, "个")
    assert not one_by_one_before("整改两个销号一个", 6, "个") and not one_by_one_before("一个\n", 3, "个")
    assert one_by_one_before("一个销号\n一个", 5, "个")  # before a newline at the window's end, as $ matches


def test_is_han():
    from analysis.extract.figures import is_han

    assert is_han("一") and is_han("鿿") and not is_han("、") and not is_han("1") and not is_han("")


def test_numeral_starts_at_the_start_and_the_end_of_a_text():
    from analysis.extract.figures import numeral_starts

    assert numeral_starts("三个问题12项") == ([4], [0]) and numeral_starts("12项") == ([0], [])
    assert numeral_starts("共12") == ([], []) and numeral_starts("12三") == ([], [])


def test_ends_with_where_a_dollar_matches():
    from analysis.extract.figure_nouns import ends_with

    assert ends_with("支出增长", ("增长",)) and ends_with("支出增长\n", ("增长",)) and not ends_with("增长支出", ("增长",))
    assert not ends_with("", ("的",)) and not ends_with("增长\n\n", ("增长",))


def test_head_of_cuts_only_where_the_words_are():
    from analysis.extract.figure_nouns import head_of

    assert head_of("全市各类支出累计") == "各类支出" and head_of("问题") == "问题"
    assert head_of("已完成整改的问题") == "问题"
