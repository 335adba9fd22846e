"""Small text helpers: the shared scan (code points, class tables, marked positions, anchored runs), word tests before
a costly pattern, and scans tried only where a cheap pattern points."""

from __future__ import annotations

import re

from analysis.read.text import (Line, characters_changed, char_table, class_members, unquoted_marks, code_points, count_in, holds_word, iter_lines,
                                 positions_in, prefiltered_finditer, run_table, runs_holding, scan_bounds, trie_pattern)


def test_holds_word_looks_only_inside_the_span():
    assert holds_word("甲乙丙丁", ("丙丁",), 1, 4) and not holds_word("甲乙丙丁", ("丙丁",), 0, 3)


def test_prefiltered_finditer_equals_finditer_in_a_span():
    regex = re.compile(r"(?<![甲])乙+")
    text = "甲乙乙丙乙乙丁乙"
    found = [m.span() for m in prefiltered_finditer(re.compile("乙"), regex, text, 1, 7)]
    assert found == [m.span() for m in regex.finditer(text, 1, 7)] == [(2, 3), (4, 6)]


def test_quoted_spans_keep_the_outermost_quotes():
    from analysis.read.text import quoted_spans

    assert quoted_spans("甲“乙‘丙’丁”戊“己") == [(1, 8)]


def test_code_points_are_one_per_character():
    assert code_points("甲a😀").tolist() == [ord("甲"), ord("a"), ord("😀")]


def test_char_table_marks_listed_characters():
    table = char_table("甲乙")
    assert table[ord("甲")] and table[ord("乙")] and not table[ord("丙")]


def test_class_members_are_the_code_points_the_class_matches():
    digits = class_members(r"\d")
    assert {ord("0"), ord("9"), 0x663} <= set(digits.tolist())  # 0x663: ARABIC-INDIC DIGIT THREE, a decimal digit too
    assert ord("a") not in set(digits.tolist()) and ord("一") not in set(digits.tolist())


def test_class_members_are_found_once_per_class_and_read_only():
    assert class_members(r"\s") is class_members(r"\s")
    assert not class_members(r"\s").flags.writeable


def test_char_table_marks_a_regex_class():
    table = char_table("", r"\d\s")
    assert table[ord("7")] and table[ord("\u3000")] and table[ord("٣")] and not table[ord("x")]


def test_positions_in_a_span():
    assert positions_in("甲,乙,丙,", char_table(","), 2, 6) == [3, 5]


def test_positions_in_from_the_start():
    assert positions_in("“甲”乙", char_table("“”")) == [0, 2]


def test_iter_lines_gives_offsets_without_the_newline():
    assert list(iter_lines("一、甲\n\n乙丙")) == [Line(0, 3, "一、甲"), Line(4, 4, ""), Line(5, 7, "乙丙")]


def test_iter_lines_twice_gives_the_same_lines():
    text = "甲\n乙\n"
    assert list(iter_lines(text)) == list(iter_lines(text)) == [Line(0, 1, "甲"), Line(2, 3, "乙"), Line(4, 4, "")]


def test_runs_holding_an_anchor():
    table = run_table(char_table("ab", r"\d"), char_table("b"))
    assert runs_holding("aa1 aab x1b", table) == [(4, 7), (9, 11)]


def test_scan_bounds_keep_the_character_after_a_run():
    table = run_table(char_table("ab", r"\d"), char_table("b"))
    assert scan_bounds("aa1 aab x1b", table, 0, 10) == [(4, 8), (9, 10)]


def test_count_in_counts_marked_characters():
    assert count_in("甲a乙b", char_table("", "\u3400-\u9fff")) == 2


def test_characters_changed_counts_differing_offsets():
    assert characters_changed("後來的發展", "后来的发展") == 3


WIDE = [chr(0x4E00 + i) + "局" for i in range(40)] + ["一局长"]  # 40 first characters: a node wider than FANOUT


def test_a_wide_trie_finds_the_longest_word_at_each_place():
    spans = [m.span() for m in re.finditer(trie_pattern(WIDE), "丁局与一局长和丂局")]
    assert spans == [(0, 2), (3, 6), (7, 9)]


def test_an_unguarded_trie_has_no_look_around():
    pattern = trie_pattern(WIDE, guard=False)
    assert "(?=" not in pattern and [m.span() for m in re.finditer(pattern, "丁局与一局长")] == [(0, 2), (3, 6)]


def test_unquoted_marks_skip_what_quotes_and_title_marks_enclose():
    text = "甲,“乙,丙”,《丁,戊》,己。"
    assert list(unquoted_marks(text, ",。")) == [1, 7, 13, 15]


def test_unquoted_marks_ignore_an_unmatched_closing_mark():
    assert list(unquoted_marks("甲”,乙", ",")) == [2]
