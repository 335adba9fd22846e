"""Date mentions: the patterns, what each reads, the runs scanned (their years: test_date_resolution)."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.read.date_resolution import resolve
from analysis.read.dates import find_dates
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


# --------------------------------------------------------------------------- parts of a month
# (sentences written for the tests in the way notices put them)


def test_a_range_of_parts_of_one_month_is_a_range():
    text = "计划于2025年3月上旬至中旬完成。"
    (r,) = resolve(text, find_dates(text), None)
    assert (r.kind, r.value_start.isoformat(), r.value_end.isoformat()) == ("range", "2025-03-01", "2025-03-20")


def test_joined_parts_of_a_month_are_a_range():
    text = "6月中下旬完成清理。"
    (r,) = resolve(text, find_dates(text), date(2025, 8, 1))
    assert (r.kind, r.value_start.isoformat(), r.value_end.isoformat()) == ("range", "2025-06-11", "2025-06-30")


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
