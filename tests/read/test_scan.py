"""The shared character scan: code points, class tables, marked positions and anchored runs."""

from __future__ import annotations

from analysis.read.scan import (characters_changed, char_table, code_points, count_in, positions_in, run_table, runs_holding,
                                 scan_bounds)


def test_code_points_are_one_per_character():
    assert code_points("甲a😀").tolist() == [ord("甲"), ord("a"), ord("😀")]


def test_char_table_marks_listed_characters():
    table = char_table("甲乙")
    assert table[ord("甲")] and table[ord("乙")] and not table[ord("丙")]


def test_char_table_marks_a_regex_class():
    table = char_table("", r"\d\s")
    assert table[ord("7")] and table[ord("\u3000")] and table[ord("٣")] and not table[ord("x")]


def test_positions_in_a_span():
    assert positions_in("甲,乙,丙,", char_table(","), 2, 6) == [3, 5]


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
