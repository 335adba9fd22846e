"""per_resources: what is built from a Resources object is built once and served only to that object."""

from __future__ import annotations

from analysis.read.resources import per_resources


def test_built_once_per_object():
    cache, calls, first = {}, [], object()
    build = lambda r: calls.append(r) or len(calls)  # noqa: E731 - counts its calls
    assert per_resources(cache, first, build) == per_resources(cache, first, build) == 1
    assert calls == [first]


def test_an_entry_left_by_another_object_under_the_same_id_is_not_served():
    now, before = object(), object()
    cache = {id(now): (before, "built from the object that had this id before")}
    assert per_resources(cache, now, lambda r: "built from this one") == "built from this one"
