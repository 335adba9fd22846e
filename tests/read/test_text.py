"""Small text helpers: word tests before a costly pattern, and scans tried only where a cheap pattern points."""

from __future__ import annotations

import re

from analysis.read.text import holds_word, prefiltered_finditer


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
