"""Rows of the per-notice tables: built column-wise, the measures' flags computed for all measures at once."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace


from analysis.extract import Locator, make_locator
from analysis.extract.rows import (_text_value, attribute_columns, locate_all, measure_bounds, owned_locator, owned_measures,
                                   row_dicts, span_flags)


def test_span_flags_count_the_progress_text():
    with_progress = SimpleNamespace(start=0, end=10, progress_start=50, progress_end=60)
    without = SimpleNamespace(start=20, end=30, progress_start=None, progress_end=None)
    assert span_flags(measure_bounds([with_progress, without]), [55]) == [True, False]


def test_attribute_columns_read_nested_attributes():
    items = [SimpleNamespace(mention=SimpleNamespace(text="甲")), SimpleNamespace(mention=SimpleNamespace(text="乙"))]
    assert attribute_columns(items, {"text": "mention.text"}) == {"text": ["甲", "乙"]}


def test_row_dicts_turn_columns_into_rows():
    assert row_dicts({"a": [1, 2], "b": ["x", "y"]}) == [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]


def test_span_flags_without_positions():
    assert span_flags(measure_bounds([SimpleNamespace(start=0, end=10, progress_start=None, progress_end=None)]), []) == [False]


def test_attribute_columns_read_several_attributes_in_one_pass():
    items = [SimpleNamespace(a=1, b="x"), SimpleNamespace(a=2, b="y")]
    assert attribute_columns(items, {"first": "a", "second": "b"}) == {"first": [1, 2], "second": ["x", "y"]}
    assert attribute_columns([], {"first": "a", "second": "b"}) == {"first": [], "second": []}


def test_locate_all_finds_problems_and_measures_as_locate_does():
    locator = Locator([10, 50], [(10, 40, "n:1"), (50, 90, "n:2")],
                      [(12, 20, "n:1", "n:1:m1"), (60, 70, "n:2", "n:2:m1"), (95, 99, None, "n:m1")])
    positions = [0, 10, 15, 20, 45, 65, 89, 96]
    assert locate_all(locator, positions) == (
        [None, "n:1", "n:1", "n:1", None, "n:2", "n:2", None], [None, None, "n:1:m1", None, None, "n:2:m1", None, "n:m1"])
    assert locate_all(locator, positions) == tuple(map(list, zip(*map(locator.locate, positions))))


def measure(kind: str, index: int, start: int, end: int, progress: tuple[int, int] | None = None) -> SimpleNamespace:
    """A measure as the rows read it."""
    return SimpleNamespace(kind=kind, index=index, start=start, end=end, progress_start=progress and progress[0],
                           progress_end=progress and progress[1])


def test_owned_measures_key_each_measure_by_its_problem():
    parsed = SimpleNamespace(problems=[SimpleNamespace(path="1.2", measures=[measure("done", 1, 0, 5), measure("planned", 1, 5, 9)])],
                             loose_measures=[measure("done", 1, 20, 30)])
    measures, problem_keys, measure_keys = owned_measures("n", parsed)
    assert [m.start for m in measures] == [0, 5, 20]
    assert problem_keys == ["n:1.2", "n:1.2", None] and measure_keys == ["n:1.2:m1", "n:1.2:p1", "n:m1"]


def test_owned_locator_is_the_locator_make_locator_makes():
    parsed = SimpleNamespace(
        problems=[SimpleNamespace(path="2", start=50, end=90, measures=[measure("done", 2, 60, 70), measure("done", 1, 52, 58, (80, 88))]),
                  SimpleNamespace(path="1", start=10, end=40, measures=[measure("planned", 1, 12, 20)])],
        loose_measures=[measure("done", 1, 95, 99, (100, 110))])  # a loose measure's progress is not placed
    assert owned_locator("n", parsed, owned_measures("n", parsed)) == make_locator("n", parsed)


def test_text_value_of_each_kind_of_metadata_value():
    assert [_text_value(v) for v in ("甲", date(2024, 3, 1), ["甲", "乙"], True, 12.0, 12.5, 7)] == [
        "甲", "2024-03-01", "甲;乙", "true", "12", "12.5", "7"]
