"""Rows of the per-notice tables: the measures' flags computed for all measures at once."""

from __future__ import annotations

from types import SimpleNamespace

from numpy import array

from analysis.extract.rows import holds_any, measure_bounds, span_flags


def test_holds_any_tells_which_spans_hold_a_position():
    assert holds_any([4, 30], array([0, 5, 25]), array([5, 25, 31])).tolist() == [True, False, True]


def test_holds_any_without_positions():
    assert holds_any([], array([0, 5]), array([5, 9])).tolist() == [False, False]


def test_span_flags_count_the_progress_text():
    with_progress = SimpleNamespace(start=0, end=10, progress_start=50, progress_end=60)
    without = SimpleNamespace(start=20, end=30, progress_start=None, progress_end=None)
    assert span_flags(measure_bounds([with_progress, without]), [55]) == [True, False]
