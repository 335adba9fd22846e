"""Small text helpers shared by the stages: lines with offsets, Chinese numerals, quote-aware scans, and the shared scan.

The shared scan reads a notice's characters once as an array of code points (kept for the last few texts) and
looks them up in tables of character classes for all positions at once, so a rule visits only the runs or marks it
needs instead of having `re` try its pattern at every character, and no Python object is made per character.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Iterator, NamedTuple

import numpy as np


# --------------------------------------------------------------------------- the shared scan

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
    return int(np.count_nonzero(table.take(code_points_of(text))))


def characters_changed(text: str, other: str) -> int:
    """At how many offsets two texts of the same length differ."""
    return int(np.count_nonzero(code_points_of(text) != code_points_of(other)))


@lru_cache(maxsize=1)
def every_character() -> str:
    """All code points as one string (to classify them with `re` once)."""
    return np.arange(CODE_POINTS, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")


@lru_cache(maxsize=None)
def class_members(regex_class: str) -> np.ndarray:
    """The code points a regex class (such as `\\d\\s`) matches, found once per class (a scan of every code point
    costs ≈ 12 ms, and the tables built at import ask for `\\d` and `\\s` several times)."""
    members = np.array([m.start() for m in re.finditer(f"[{regex_class}]", every_character())], dtype=np.int64)
    members.setflags(write=False)  # shared by every table built from the class
    return members


def char_table(chars: str, regex_class: str = "") -> np.ndarray:
    """A lookup table over all code points: True for `chars` and for what the regex class (such as `\\d\\s`) matches."""
    table = np.zeros(CODE_POINTS, dtype=bool)
    table[[ord(c) for c in chars]] = True
    if regex_class:
        table[class_members(regex_class)] = True
    return table


def positions_in(text: str, table: np.ndarray, start: int = 0, end: int | None = None) -> list[int]:
    """Offsets in text[start:end] of the characters the table marks, in order."""
    found = np.flatnonzero(table.take(code_points(text)[start:end]))  # take: a third faster than table[...]
    return (found + start if start else found).tolist()


def run_table(alphabet: np.ndarray, anchors: np.ndarray) -> np.ndarray:
    """A lookup table for runs_holding: 0 outside `alphabet`, 1 inside it, 2 inside it and one of `anchors`."""
    return alphabet.astype(np.int8) + (alphabet & anchors).astype(np.int8)


def runs_holding(text: str, table: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of the maximal runs of characters of a run_table's alphabet that hold at least one of its anchors."""
    kinds = table.take(code_points(text))
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


# --------------------------------------------------------------------------- helpers

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "零〇一二三四五六七八九十百千两"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PAREN_DIGITS = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"

OPEN_QUOTES = "“‘「『"
CLOSE_QUOTES = "”’」』"
SENTENCE_END = "。!?;"

HAN_RE = re.compile(r"[\u3400-\u9fff]")
HAN_RUN_RE = re.compile(r"[\u3400-\u9fff]+")


class Line(NamedTuple):
    """A line of text and where it sits (end excludes the newline)."""

    start: int
    end: int
    text: str


def iter_lines(text: str) -> Iterator[Line]:
    """Every line of `text` with its start and end offsets."""
    return iter(lines_of(text))


@lru_cache(maxsize=4)
def lines_of(text: str) -> tuple[Line, ...]:
    """The lines of `text` with their offsets, kept for the last few texts (several stages walk a notice's lines)."""
    lines, pos = [], 0
    for chunk in text.split("\n"):
        end = pos + len(chunk)
        lines.append(Line(pos, end, chunk))
        pos = end + 1
    return tuple(lines)


def holds_word(text: str, words: tuple[str, ...], start: int = 0, end: int | None = None) -> bool:
    """Whether text[start:end] holds one of `words` (a cheap test before a pattern that needs one of them)."""
    end = len(text) if end is None else end
    return any(text.find(word, start, end) != -1 for word in words)


def cn_to_int(numeral: str) -> int | None:
    """Value of a Chinese numeral such as 十三, 二十一, 一百零五, 两; None if it is not one."""
    if not numeral:
        return None
    if numeral.isdigit():
        return int(numeral)
    total, section, digit = 0, 0, None
    for ch in numeral:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            section += (1 if digit is None else digit) * CN_UNITS[ch]
            digit = None
        elif ch in CN_BIG_UNITS:
            total += (section + (digit or 0)) * CN_BIG_UNITS[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def han_count(text: str) -> int:
    """Number of Han characters in `text`."""
    return sum(map(len, HAN_RUN_RE.findall(text)))


@lru_cache(maxsize=None)
def _at_least_han_re(n: int) -> re.Pattern:
    """A regex matching from a position through the `n`-th Han character after it."""
    return re.compile(rf"(?:[^\u3400-\u9fff]*[\u3400-\u9fff]){{{n}}}")


def has_han(text: str, at_least: int, start: int = 0, end: int | None = None) -> bool:
    """Whether text[start:end] has at least `at_least` (≥ 1) Han characters (stops at the last one needed)."""
    return _at_least_han_re(at_least).match(text, start, len(text) if end is None else end) is not None


@lru_cache(maxsize=None)
def _marks_and(chars: str) -> re.Pattern:
    """A regex for any quote or title mark, or any of `chars`."""
    return re.compile("[" + "".join(map(re.escape, OPEN_QUOTES + CLOSE_QUOTES + "《〈》〉" + chars)) + "]")


def unquoted_marks(text: str, chars: str, start: int = 0, end: int | None = None) -> Iterator[int]:
    """Indexes in text[start:end] of `chars` not inside “…” or 《…》, in order (an unmatched closing mark is ignored)."""
    quote_depth = 0
    title_depth = 0
    for m in _marks_and(chars).finditer(text, start, len(text) if end is None else end):
        ch = m.group()
        if ch in OPEN_QUOTES:
            quote_depth += 1
        elif ch in CLOSE_QUOTES:
            quote_depth = max(0, quote_depth - 1)
        elif ch in "《〈":
            title_depth += 1
        elif ch in "》〉":
            title_depth = max(0, title_depth - 1)
        elif quote_depth == 0 and title_depth == 0:
            yield m.start()


def find_outside_quotes(text: str, chars: str, start: int = 0, end: int | None = None) -> int:
    """First index in text[start:end] of any of `chars` not inside “…” or 《…》; -1 if none."""
    return next(unquoted_marks(text, chars, start, end), -1)


QUOTE_MARKS = char_table(OPEN_QUOTES + CLOSE_QUOTES)


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of a notice's text inside balanced “…” quotes (outermost only)."""
    spans, depth, opened = [], 0, 0
    for i in positions_in(text, QUOTE_MARKS):
        ch = text[i]
        if ch in OPEN_QUOTES:
            if depth == 0:
                opened = i
            depth += 1
        elif ch in CLOSE_QUOTES and depth:
            depth -= 1
            if depth == 0:
                spans.append((opened, i + 1))
    return spans


def inside_any(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `pos` falls inside one of the (sorted or unsorted) spans."""
    return any(s <= pos < e for s, e in spans)


class SpanIndex:
    """Sorted, merged spans for fast 'does anything here overlap / contain' questions."""

    def __init__(self, spans) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for s, e in sorted(spans):
            if self.ends and s <= self.ends[-1]:
                if e > self.ends[-1]:
                    self.ends[-1] = e
            else:
                self.starts.append(s)
                self.ends.append(e)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps any span."""
        i = bisect_right(self.starts, end - 1) - 1
        return i >= 0 and self.ends[i] > start

    def contains(self, pos: int) -> bool:
        """Whether `pos` lies inside a span."""
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


WHITESPACE_RE = re.compile(r"\s+")


def squash(text: str) -> str:
    """`text` without whitespace (for comparing titles and names)."""
    return WHITESPACE_RE.sub("", text)


def trie_pattern(words, guard: bool = True) -> str:
    """A regex alternation of literal words, factored as a trie so `re` branches on each character
    (much faster than a flat alternation of hundreds of words); longer words win at each position.
    `guard=False` leaves out the leading look-ahead and those that split wide nodes (see `alternation`), for regex
    engines without look-around (e.g. polars)."""
    trie: dict = {}
    for word in words:
        if not word:
            continue
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def render(node: dict) -> str:
        end = node.get("", False)
        branches = [(ch, re.escape(ch) + render(child)) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = alternation(branches, guard)
        return f"(?:{body})?" if end else body

    body = render(trie)
    if not body:
        return "(?!)"
    if not guard:
        return body
    first = "".join(sorted({re.escape(w[0]) for w in trie}))
    return f"(?=[{first}]){body}"  # one class test rejects most positions before the alternation is tried


FANOUT = 16  # branches tried one by one at most; wider nodes are split by their first characters


def alternation(branches: list[tuple[str, str]], split: bool) -> str:
    """`re` alternation of a trie node's branches ((first character, pattern) pairs with distinct first characters).
    `re` tries a group's branches one after another, which is slow when a node has hundreds (a gazetteer's first
    characters); with `split`, such a group is cut in two halves, each behind a look-ahead on its first characters, so
    a position is sent to its one possible branch in a few class tests. The matches are the same: at most one branch
    can match where a given character stands."""
    if len(branches) == 1:
        return branches[0][1]
    if not split or len(branches) <= FANOUT:
        return "(?:" + "|".join(pattern for _, pattern in branches) + ")"
    half = len(branches) // 2
    low, high = branches[:half], branches[half:]
    return (f"(?:(?=[{''.join(re.escape(ch) for ch, _ in low)}]){alternation(low, split)}"
            f"|(?=[{''.join(re.escape(ch) for ch, _ in high)}]){alternation(high, split)})")


def prefiltered_finditer(candidates: re.Pattern, regex: re.Pattern, text: str, start: int = 0,
                         end: int | None = None) -> Iterator[re.Match]:
    """The matches of regex.finditer(text, start, end), found faster when `regex` starts with a look-behind, a look-ahead
    or an optional part (which keep `re` from skipping ahead): `candidates` must match wherever `regex` can match, and
    should be a pattern `re` scans quickly (such as an unguarded trie); `regex` must never match the empty string."""
    end = len(text) if end is None else end
    pos = start
    while (hit := candidates.search(text, pos, end)) is not None:
        found = regex.match(text, hit.start(), end)
        if found is None:
            pos = hit.start() + 1
        else:
            yield found
            pos = found.end()


class IntervalSet:
    """Disjoint intervals added one by one, with an overlap test (for first-come, first-kept matching)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps an interval already added."""
        i = bisect_right(self.starts, end - 1) - 1
        return i >= 0 and self.ends[i] > start

    def add(self, start: int, end: int) -> None:
        """Add an interval (callers check overlaps first)."""
        i = bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)
