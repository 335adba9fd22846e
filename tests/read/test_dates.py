"""Dates: patterns, precision, and the year of year-less dates."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.read.dates import find_dates, resolve
from tests.conftest import consumed_characters


def resolved(text: str, signature: date | None = None, opening: tuple[int, int] | None = None):
    """(text, iso, precision) of every date in `text`."""
    return [(r.mention.text, r.iso, r.precision) for r in resolve(text, find_dates(text), signature, opening)]


@pytest.mark.parametrize("text,iso,precision", [
    ("2023年3月15日至5月31日", "2023-03-15/2023-05-31", "day"),
    ("2022年1月1日-12月31日", "2022-01-01/2022-12-31", "day"),
    ("2025年4月30日至2025年5月16日", "2025-04-30/2025-05-16", "day"),
    ("2013—2016年", "2013/2016", "year"),
    ("2024年四季度", "2024-Q4", "quarter"),
    ("2022年8月中旬", "2022-08", "part_of_month"),
    ("2023年度", "2023", "year"),
    ("2025年上半年", "2025-H1", "half_year"),
])
def test_explicit_patterns(text, iso, precision):
    assert resolved(text) == [(text, iso, precision)]


def test_year_less_feedback_takes_the_year_of_the_inspection_period():
    text = "2023年3月15日至5月31日,市委第七巡察组开展巡察。9月4日,市委巡察组反馈了巡察意见。"
    assert resolved(text, date(2024, 4, 19), (0, len(text)))[1] == ("9月4日", "2023-09-04", "day")


def test_year_less_feedback_after_new_year_moves_to_the_next_year():
    text = "2023年10月10日至12月20日,巡察组开展巡察。1月15日,巡察组反馈了意见。"
    assert resolved(text, date(2024, 6, 1), (0, len(text)))[1][1] == "2024-01-15"


@pytest.mark.parametrize("phrase,iso", [("截至7月", "2025-07"), ("2月25日", "2025-02-25"), ("3月底", "2025-03"), ("一季度", "2025-Q1"),
                                        ("11月3日", "2024-11-03"), ("今年以来", "2025")])
def test_body_dates_fall_on_or_before_the_signature(phrase, iso):
    (found,) = resolve(phrase, find_dates(phrase), date(2025, 9, 23))
    assert found.iso == iso and found.year_inferred


def test_planned_date_falls_after_the_signature():
    (found,) = resolve("计划于3月底前完成", find_dates("计划于3月底前完成"), date(2025, 9, 23))
    assert found.planned and found.iso == "2026-03"


def test_last_year_is_relative_to_the_year_in_the_same_sentence():
    text = "2022年1月1日-12月31日,全县优良天数共259天,较去年同期增加7.3个百分点。"
    assert resolved(text, date(2023, 3, 5))[-1] == ("去年", "2021", "year")


def test_dates_inside_titles_are_marked():
    text = "印发《泰州市市区建筑垃圾污染环境防治规划(2024—2035年)》"
    (found,) = resolve(text, find_dates(text), date(2025, 9, 23))
    assert found.in_title and found.iso == "2024/2035"


def test_counts_of_months_and_digit_tails_are_not_dates():
    assert find_dates("3个月内完成,编号12023年") == []


def test_impossible_day_is_not_a_date():
    assert find_dates("2月30日") == []


@pytest.mark.parametrize("text,iso", [
    ("2021915日,市人大常委会听取了报告", "2021-09-15"),  # 年 and 月 lost when the page was copied
    ("——20211228日在市人大常委会会议上", "2021-12-28"),
    ("2019年1221日验收组进行了现场验收", "2019-12-21"),
])
def test_run_together_dates_that_split_one_way_are_read(text, iso):
    assert [d.iso for d in resolve(text, find_dates(text), None)] == [iso]


def test_run_together_range_is_read():
    text = "2024717日至830日,市委第六巡察组开展了巡察"
    assert [d.iso for d in resolve(text, find_dates(text), None)] == ["2024-07-17/2024-08-30"]


def test_run_together_digits_that_split_two_ways_are_left_alone():
    text = "2025114日,巡察组反馈了意见"  # 1月14日 or 11月4日
    assert find_dates(text) == [] or all(d.pattern == "year" for d in find_dates(text))


# --------------------------------------------------------------------------- parts of a month and anchored years
# (sentences written for the tests in the way notices put them)


def test_a_range_of_parts_of_one_month_is_a_range():
    text = "计划于2025年3月上旬至中旬完成。"
    (r,) = resolve(text, find_dates(text), None)
    assert (r.kind, r.value_start.isoformat(), r.value_end.isoformat()) == ("range", "2025-03-01", "2025-03-20")


def test_joined_parts_of_a_month_are_a_range():
    text = "6月中下旬完成清理。"
    (r,) = resolve(text, find_dates(text), date(2025, 8, 1))
    assert (r.kind, r.value_start.isoformat(), r.value_end.isoformat()) == ("range", "2025-06-11", "2025-06-30")


def test_a_year_less_date_follows_the_feedback_of_the_opening():
    text = "2021年7月26日,巡察组反馈了意见。\n8月25日,召开专题民主生活会。"
    opening = (0, text.index("\n"))
    resolved = resolve(text, find_dates(text), date(2020, 12, 1), opening)  # a signature misread as before the feedback
    assert (resolved[-1].value_start.isoformat(), resolved[-1].year_source) == ("2021-08-25", "anchor")


def test_a_date_after_an_early_feedback_stays_in_the_feedback_year():
    text = "2024年1月18日,省委巡视组反馈了意见。\n11月,完成问题整改。"
    resolved = resolve(text, find_dates(text), date(2024, 12, 20), (0, text.index("\n")))
    assert resolved[-1].value_start.isoformat() == "2024-11-01"


def test_an_early_year_feedback_anchors_a_later_day_without_a_signature():
    text = "2022年9月5日至11月30日,巡察组进行了巡察。2023年1月9日反馈了意见。\n1月20日召开专题会议。"
    resolved = resolve(text, find_dates(text), None, (0, text.index("\n")))
    assert resolved[-1].value_start.isoformat() == "2023-01-20"


def test_a_day_right_after_this_year_takes_its_year():
    text = "2022年12月1日,巡视组反馈了意见。\n今年3月29日,召开会议。"
    resolved = resolve(text, find_dates(text), date(2024, 6, 1), (0, text.index("\n")))
    assert (resolved[-1].value_start.isoformat(), resolved[-1].year_source) == ("2024-03-29", "relative")


def test_without_a_signature_a_day_follows_the_nearest_dated_event_before_it():
    text = "1.2019年4月8日,乡政府下发限期整改通知。截止5月20日,均已整改到位。"
    assert resolve(text, find_dates(text), None)[-1].value_start.isoformat() == "2019-05-20"


def test_this_year_is_the_documents_year_not_the_sentences():
    text = "2019年9月至今年6月底,累计移交问题线索5条。"
    resolved = resolve(text, find_dates(text), None, None, date(2020, 7, 15))
    assert resolved[-1].value_start.isoformat() == "2020-06-21"


def test_a_budgets_previous_year_counts_from_the_year_reported():
    text = "2021年全区收支执行情况\n另有上年结余资金1.05亿元。"
    assert resolve(text, find_dates(text), None, None, date(2022, 8, 1))[-1].value_start.year == 2020


def test_days_before_a_stated_deadline_fall_before_it():
    text = "要求在2020年9月30日前全部拆除。6月2日,完成现场测量。"
    assert resolve(text, find_dates(text), None)[-1].value_start.isoformat() == "2020-06-02"


def test_date_runs_cover_every_character_a_pattern_consumes():
    from analysis.read.dates import DATE_RUNS, PATTERNS

    consumed = set().union(*(consumed_characters(regex) for _, regex in PATTERNS))
    assert consumed and all(DATE_RUNS[ord(c)] for c in consumed)


def test_dates_found_in_separate_runs():
    assert [m.text for m in find_dates("自2023年3月起,共12项,至6月底")] == ["2023年3月", "6月底"]


def test_a_date_text_reads_as_its_fields_once_for_every_place_it_stands():
    from analysis.read.dates import PATTERNS, reading_of

    full = next(i for i, (kind, _) in enumerate(PATTERNS) if kind == "full")
    fields = reading_of(full, "于2023年3月15日召开", 1, 15)
    assert fields["text"] == "2023年3月15日" and (fields["year"], fields["month"], fields["day"]) == (2023, 3, 15)
    assert "start" not in fields and "end" not in fields
    assert reading_of(full, "2023年2月30日", 0, 11) is None  # no 30th of February


def test_a_mention_made_from_its_fields_equals_one_made_by_its_constructor():
    from analysis.read.dates import DateMention, mention_at

    made = mention_at(3, 8, {**dict.fromkeys(list(DateMention.__dataclass_fields__)[2:]), "text": "3月15日", "pattern": "md",
                             "month": 3, "day": 15})
    assert made == DateMention(3, 8, "3月15日", "md", None, 3, 15)
    assert list(vars(made)) == list(DateMention.__dataclass_fields__)


def test_a_repeated_date_is_found_at_each_of_its_places():
    assert [(m.start, m.end) for m in find_dates("5月4日开会,5月4日反馈")] == [(0, 4), (7, 11)]


def test_words_around_a_date_qualify_it_across_spaces():
    assert [(r.qualifier, r.planned) for r in resolve("计划于 2024年6月 前完成", find_dates("计划于 2024年6月 前完成"), None)] == \
        [("before", True)]
    assert resolve("截至 2024年6月底", find_dates("截至 2024年6月底"), None)[0].qualifier == "as_of"
    assert resolve("2024年6月底 以来", find_dates("2024年6月底 以来"), None)[0].qualifier == "since"
    assert resolve("2024年6月底", find_dates("2024年6月底"), None)[0].qualifier == "end"


def test_an_interval_worked_out_once_is_the_same_for_every_mention_of_its_date():
    from analysis.read.dates import _interval, interval_of

    first, again = find_dates("2023年3月15日至5月31日;2023年3月15日至5月31日")
    assert interval_of(first, 2023) == interval_of(again, 2023) == _interval(first, 2023)
    assert interval_of(first, 2023)[4] == "2023-03-15/2023-05-31"


def test_a_resolved_date_made_from_its_values_equals_one_made_by_its_constructor():
    from analysis.read.dates import ResolvedDate, resolved_date

    mention = find_dates("2023年3月")[0]
    values = (mention, "point", "month", date(2023, 3, 1), date(2023, 3, 31), "2023-03", None, False, "text", False, False)
    assert resolved_date(*values) == ResolvedDate(*values)
    assert list(vars(resolved_date(*values))) == list(ResolvedDate.__dataclass_fields__)


def test_date_runs_read_the_same_characters_as_the_run_table():
    import re

    import numpy as np

    from analysis.read.dates import DATE_RUNS, RUN_RE
    from analysis.read.text import every_character

    one = re.compile(RUN_RE.pattern.removesuffix("*"))
    assert [m.start() for m in one.finditer(every_character())] == np.flatnonzero(DATE_RUNS).tolist()


def test_date_runs_are_found_around_their_anchors():
    from analysis.read.dates import date_runs

    text = "于 2023年3月,共12项\n到6月底。"
    assert date_runs(text, 0, len(text)) == [(1, 10), (14, 20)]  # each with the character after it; 12 holds no anchor
    assert date_runs(text, 5, 8) == [(5, 8)]  # cut to the span
    assert date_runs("共12项", 0, 4) == []
