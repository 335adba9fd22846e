"""Date resolution: the year of year-less dates, the words qualifying a date, intervals and resolved dates."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.read.date_resolution import resolve
from analysis.read.dates import find_dates


def resolved(text: str, signature: date | None = None, opening: tuple[int, int] | None = None):
    """(text, iso, precision) of every date in `text`."""
    return [(r.mention.text, r.iso, r.precision) for r in resolve(text, find_dates(text), signature, opening)]


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


def test_words_around_a_date_qualify_it_across_spaces():
    assert [(r.qualifier, r.planned) for r in resolve("计划于 2024年6月 前完成", find_dates("计划于 2024年6月 前完成"), None)] == \
        [("before", True)]
    assert resolve("截至 2024年6月底", find_dates("截至 2024年6月底"), None)[0].qualifier == "as_of"
    assert resolve("2024年6月底 以来", find_dates("2024年6月底 以来"), None)[0].qualifier == "since"
    assert resolve("2024年6月底", find_dates("2024年6月底"), None)[0].qualifier == "end"


def test_an_interval_worked_out_once_is_the_same_for_every_mention_of_its_date():
    from analysis.read.date_resolution import _interval, interval_of

    first, again = find_dates("2023年3月15日至5月31日;2023年3月15日至5月31日")
    assert interval_of(first, 2023) == interval_of(again, 2023) == _interval(first, 2023)
    assert interval_of(first, 2023)[4] == "2023-03-15/2023-05-31"


def test_a_resolved_date_made_from_its_values_equals_one_made_by_its_constructor():
    from analysis.read.date_resolution import resolved_date
    from analysis.read.dates import ResolvedDate

    mention = find_dates("2023年3月")[0]
    values = (mention, "point", "month", date(2023, 3, 1), date(2023, 3, 31), "2023-03", None, False, "text", False, False)
    assert resolved_date(*values) == ResolvedDate(*values)
    assert list(vars(resolved_date(*values))) == list(ResolvedDate.__dataclass_fields__)
