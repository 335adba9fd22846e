"""What the agency rules look for and where it may start: prefixes of words, the offsets where patterns may begin,
and matches tried only there or back from an anchor."""

from __future__ import annotations

import re

from analysis.extract.agency_patterns import PrefixStarts, _prefixes, anchored, compiled_patterns, literal_characters, matches_from


def test_prefixes_of_words_with_and_without_a_level_character():
    assert _prefixes({"政府", "生态环境局"}, "市") == {"政府", "生态环", "市政府", "市生态"}
    assert _prefixes({"住建"}, "", "、部") == {"住建、", "住建部"}


def test_where_patterns_may_start_long_and_short_texts_alike():
    starts = PrefixStarts([("政府", "市政府"), ("领导小",)])
    text = "市政府成立领导小组,政府" + "。" * 80
    assert starts.starts(text) == [[0, 1, 10], [5]]
    assert starts.starts(text[:12]) == [[0, 1, 10], [5]]
    assert starts.starts("领导") == [[], []]  # 领导小 needs its third character


def test_where_patterns_may_start_in_a_text_with_many_candidate_offsets():
    starts = PrefixStarts([("政府", "市政府"), ("领导小",)])
    text = "市政府成立领导小组,政府" * 50  # 200 offsets begin a prefix's first two characters: looked up as arrays
    expected = [[12 * i + j for i in range(50) for j in (0, 1, 10)], [12 * i + 5 for i in range(50)]]
    assert starts.starts(text) == expected
    assert starts._starts_at(text, [12 * i + j for i in range(50) for j in (0, 1, 5, 6, 10)]) == expected


def test_matches_from_the_offsets_where_they_may_start():
    pattern = re.compile(r"市?政府")
    assert [m.group(0) for m in matches_from(pattern, "市政府和政府", [0, 1, 4])] == ["市政府", "政府"]


def test_the_characters_a_literal_pattern_can_consume():
    assert literal_characters(re.compile(r"(?P<who>省|市)?第[一二]组")) == frozenset("省市第一二组")


def test_anchored_matches_start_after_the_last_character_outside_the_alphabet():
    group, anchor = re.compile(r"[省市]?巡察组"), re.compile(r"巡察组")
    text = "对市巡察组和县巡察组"
    expected = [m.span() for m in group.finditer(text)]
    assert [m.span() for m in anchored(group, anchor.finditer(text), text, 5, frozenset("省市巡察组"))] == expected == [(1, 5), (7, 10)]


def test_the_patterns_of_a_resources_object_are_built_once_with_departments_longest_first(resources):
    patterns = compiled_patterns(resources)
    assert compiled_patterns(resources) is patterns
    lengths = [len(alias) for alias, _ in patterns.sector_aliases]
    assert lengths == sorted(lengths, reverse=True)
