"""One scan of a notice's characters, shared by the rules: its code points as an array, looked up in tables of
character classes for all positions at once, so a rule visits only the runs or marks it needs instead of having
`re` try its pattern at every character (and no Python object is made per character).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

CODE_POINTS = 0x110000


def code_points_of(text: str) -> np.ndarray:
    """The code point of every character of `text`."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


@lru_cache(maxsize=4)
def code_points(text: str) -> np.ndarray:
    """code_points_of a notice's text, kept for the last few texts so that the stages share one scan."""
    return code_points_of(text)


def count_in(text: str, table: np.ndarray) -> int:
    """How many characters of `text` (a whole text, read once) the table marks."""
    return int(np.count_nonzero(table[code_points_of(text)]))


def characters_changed(text: str, other: str) -> int:
    """At how many offsets two texts of the same length differ."""
    return int(np.count_nonzero(code_points_of(text) != code_points_of(other)))


@lru_cache(maxsize=1)
def every_character() -> str:
    """All code points as one string (to classify them with `re` once)."""
    return np.arange(CODE_POINTS, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")


def char_table(chars: str, regex_class: str = "") -> np.ndarray:
    """A lookup table over all code points: True for `chars` and for what the regex class (such as `\\d\\s`) matches."""
    table = np.zeros(CODE_POINTS, dtype=bool)
    table[[ord(c) for c in chars]] = True
    if regex_class:
        table[[m.start() for m in re.finditer(f"[{regex_class}]", every_character())]] = True
    return table


def positions_in(text: str, table: np.ndarray, start: int = 0, end: int | None = None) -> list[int]:
    """Offsets in text[start:end] of the characters the table marks, in order."""
    return (np.flatnonzero(table[code_points(text)[start:end]]) + start).tolist()


def run_table(alphabet: np.ndarray, anchors: np.ndarray) -> np.ndarray:
    """A lookup table for runs_holding: 0 outside `alphabet`, 1 inside it, 2 inside it and one of `anchors`."""
    return alphabet.astype(np.int8) + (alphabet & anchors).astype(np.int8)


def runs_holding(text: str, table: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of the maximal runs of characters of a run_table's alphabet that hold at least one of its anchors."""
    kinds = table[code_points(text)]
    inside = np.zeros(len(kinds) + 2, dtype=np.int8)
    inside[1:-1] = kinds > 0
    edges = np.diff(inside)
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    anchors = np.flatnonzero(kinds == 2)
    held = np.searchsorted(anchors, starts) < np.searchsorted(anchors, ends)
    return list(zip(starts[held].tolist(), ends[held].tolist()))


def scan_bounds(text: str, table: np.ndarray, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(pos, endpos) to scan in text[start:end] for a pattern that consumes only a run_table's alphabet, always
    consumes one of its anchors and has no negative look-around: the runs_holding, each with the one character after
    it that a look-ahead may read. Scanning these finds the same matches as scanning the whole span."""
    end = len(text) if end is None else end
    return [(max(s, start), min(e + 1, end)) for s, e in runs_holding(text, table) if s < end and e > start]
