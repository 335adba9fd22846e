"""What the agency rules look for, and where in a notice it may start: the gazetteer's aliases and bare short forms
compiled into regexes, the fixed patterns of bodies, enterprises and the notice's own units, and the one candidate pass
over a notice that tells, for all of them at once, the offsets where a match may begin (the first characters of every
pattern, looked up in tables over the notice's code points); the rules that confirm a candidate try their regex only
there (matches_from), or only back from an anchor (anchored). The pass is built from the patterns' own beginnings, so
the two change together here; what a match means (its place, level and canonical name) is in agencies.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from analysis.extract.agency_bodies import (INSPECTION_GROUP_RE, INSPECTION_PREFIXES, LEADING_GROUP_RE, LEADING_PREFIXES, OWN_DISCIPLINE_PREFIXES,
                                            RECTIFICATION_OFFICE_RE, RECTIFICATION_PREFIXES)
from analysis.read.resources import Resources, per_resources
from analysis.read.text import CODE_POINTS, code_points, trie_pattern

ENTERPRISE_RE = re.compile(r"[\u4e00-\u9fff]{2,24}?(?:有限责任公司|股份有限公司|有限公司|集团有限公司|集团公司)")
ENTERPRISE_ANCHOR_RE = re.compile(r"有限责任公司|股份有限公司|有限公司|集团公司")
ENTERPRISE_PREFIXES = ("有限责", "股份有", "有限公", "集团公")  # how ENTERPRISE_ANCHOR_RE's matches begin


def literal_characters(regex: re.Pattern) -> frozenset[str]:
    """The characters a pattern made of literal (non-ASCII) characters and sets of them can consume: every non-ASCII
    character of its source (the pattern must have no ranges, negated sets or wildcards)."""
    return frozenset(c for c in regex.pattern if not c.isascii())


def anchored(regex: re.Pattern, anchors: Iterable[re.Match], text: str, reach: int,
             alphabet: frozenset[str] | None = None) -> list[re.Match]:
    """Matches of `regex` that end at one of the `anchors` (an anchor's matches, in order), starting at most `reach`
    characters before it (leftmost start wins) — the same matches as regex.finditer, without trying the regex at every
    position. With the `alphabet` of every character a match can consume, only starts after the last character
    outside it are tried."""
    found: list[re.Match] = []  # a list, not a generator: most notices have no anchor, and a generator costs more to set up
    last_end = 0
    for a in anchors:
        a_start, a_end = a.span()
        first = max(last_end, a_start - reach)
        if alphabet is not None:
            lowest = a_start
            while lowest > first and text[lowest - 1] in alphabet:
                lowest -= 1
            first = lowest
        for start in range(first, a_start + 1):
            m = regex.match(text, start, a_end)
            if m and m.end() == a_end:
                found.append(m)
                last_end = a_end
                break
    return found


SHORT_TEXT = 64  # texts this short are looked up offset by offset
FEW_OFFSETS = 160  # up to this many offsets that begin a prefix's pair, a dict look-up each costs less than a dozen array steps


class PrefixStarts:
    """Where each of several patterns may start in a text, told by how its matches can begin (their first three
    characters, or the whole match when it is two): a few array look-ups for all the patterns, instead of a scan by
    `re` per pattern (which tries a set of first characters at every character, slowly)."""

    def __init__(self, prefixes: list[Iterable[str]]) -> None:
        self.count = len(prefixes)
        chars = sorted({c for starts in prefixes for prefix in starts for c in prefix})
        self.base = len(chars) + 1  # a character's number: 0 for one no prefix holds, else 1, 2 …
        self.pair_type = np.uint16 if self.base < 1 << 8 else np.int64  # pairs of numbers fit in 16 bits
        self.numbers = np.zeros(CODE_POINTS, dtype=np.uint8 if self.base < 1 << 8 else np.int64)
        self.numbers[[ord(c) for c in chars]] = np.arange(1, self.base)
        mark_type = np.uint8 if self.count <= 8 else np.uint64
        self.pair_begins = np.zeros(self.base ** 2, dtype=mark_type)  # pair → the patterns a prefix of theirs begins with it
        self.pair_whole = np.zeros(self.base ** 2, dtype=mark_type)  # pair → the patterns it is a whole prefix of
        triples: dict[int, int] = {}
        self.marks: dict[str, int] = {}  # prefix → the patterns it begins (for short texts)
        for i, starts in enumerate(prefixes):
            for prefix in starts:
                self.marks[prefix] = self.marks.get(prefix, 0) | 1 << i
                self.pair_begins[self._code(prefix[:2])] |= 1 << i
                if len(prefix) == 2:
                    self.pair_whole[self._code(prefix)] |= 1 << i
                else:
                    triples[self._code(prefix)] = triples.get(self._code(prefix), 0) | 1 << i
        self.first_pairs = frozenset(prefix[:2] for prefix in self.marks)
        self.triple_codes = np.array(sorted(triples), dtype=np.int64)
        self.triple_marks = np.array([triples[code] for code in sorted(triples)], dtype=mark_type)

    def _starts_at(self, text: str, offsets: Iterable[int]) -> list[list[int]]:
        """`starts`, told offset by offset from the prefixes' table, at the given offsets (in order)."""
        found: list[list[int]] = [[] for _ in range(self.count)]
        marks_of = self.marks
        for pos in offsets:
            marks = marks_of.get(text[pos:pos + 2], 0) | marks_of.get(text[pos:pos + 3], 0)
            if marks & (marks - 1):  # more than one pattern
                for i in range(self.count):
                    if marks >> i & 1:
                        found[i].append(pos)
            elif marks:
                found[marks.bit_length() - 1].append(pos)
        return found

    def _short_starts(self, text: str) -> list[list[int]]:
        """`starts` for a short text (a body's name), offset by offset: the arrays' set-up would cost more."""
        return self._starts_at(text, [pos for pos in range(len(text) - 1) if text[pos:pos + 2] in self.first_pairs])

    def _code(self, prefix: str) -> int:
        """A prefix's characters as one number (their numbers as digits in base `base`)."""
        code = 0
        for c in prefix:
            code = code * self.base + int(self.numbers[ord(c)])
        return code

    def starts(self, text: str) -> list[list[int]]:
        """For each pattern, the offsets of `text` (in order) where one of its matches may begin."""
        if len(text) <= SHORT_TEXT:
            return self._short_starts(text)
        points = code_points(text)
        numbers = np.zeros(len(points) + 1, dtype=self.pair_type)  # 0 past the end: no prefix has it
        numbers[:-1] = self.numbers.take(points)
        pairs = numbers[:-2] * self.pair_type(self.base) + numbers[1:-1]
        at = np.flatnonzero(self.pair_begins.take(pairs))  # few offsets: the rest is done on them only
        if len(at) <= FEW_OFFSETS:
            return self._starts_at(text, at.tolist())
        pairs = pairs[at].astype(np.int64)
        marks = self.pair_whole.take(pairs)
        if len(self.triple_codes):
            triples = pairs * self.base + numbers.take(at + 2)
            found = np.minimum(np.searchsorted(self.triple_codes, triples), len(self.triple_codes) - 1)
            marks |= np.where(self.triple_codes.take(found) == triples, self.triple_marks.take(found), 0).astype(marks.dtype)
        kept = marks != 0
        at, marks = at[kept], marks[kept]
        return [at[(marks & (1 << i)) != 0].tolist() for i in range(self.count)]


def matches_from(regex: re.Pattern, text: str, starts: Iterable[int]) -> list[re.Match]:
    """The matches of regex.finditer(text), given (in order) every offset where one may start; `regex` never matches
    the empty string."""
    found: list[re.Match] = []  # a list, not a generator: most patterns have no start in a notice
    end = 0
    for start in starts:
        if start >= end and (m := regex.match(text, start)) is not None:
            end = m.end()
            found.append(m)
    return found


INSPECTION_GROUP_CHARS = literal_characters(INSPECTION_GROUP_RE)
BODY_CHARS = {"leading_group": literal_characters(LEADING_GROUP_RE), "rectification_office": literal_characters(RECTIFICATION_OFFICE_RE)}
OWN_UNIT_WORDS = ("局党组", "我局", "本局", "我院", "本院", "院党组", "我委", "本委", "委党组", "我办", "本办", "我单位", "本单位", "局机关",
                  "局领导班子", "局办公室", "派出局", "直属局")
OWN_UNIT_RE = re.compile(f"({'|'.join(OWN_UNIT_WORDS)})")
ALIAS_LEVEL_CHARS = "省市县区州旗"
BARE_LEVEL_CHARS = "省市县区"


def _alias_regex(aliases: set[str]) -> re.Pattern:
    """One regex over every alias (longest first) with an optional level character before it."""
    first = "".join(sorted({a[0] for a in aliases} | set(ALIAS_LEVEL_CHARS)))
    return re.compile(rf"(?=[{first}])(?P<prefix>[{ALIAS_LEVEL_CHARS}])?(?P<alias>{trie_pattern(aliases)})")


def _bare_regex(bare: set[str]) -> re.Pattern:
    """A regex for lists of bare short forms that end in 部门 / 机关."""
    one = trie_pattern(bare)
    first = "".join(sorted({b[0] for b in bare} | set(BARE_LEVEL_CHARS)))
    return re.compile(rf"(?=[{first}])(?P<prefix>[{BARE_LEVEL_CHARS}])?(?P<list>(?:{one})(?:[、和及与](?:{one}))*)(?:等)?(?:职能|有关|相关)?(?:部门|机关)")


def _prefixes(words: set[str], level_chars: str, after: str = "") -> set[str]:
    """How a word, or a level character and a word, begins: its first three characters, or a word of two characters
    (followed by one of `after`, when the pattern needs one of them after each word)."""
    return ({w[:3] for w in words if len(w) >= 3} | {c + w[:2] for c in level_chars for w in words}
            | {w + x for w in words if len(w) == 2 for x in after} | {w for w in words if len(w) == 2 and not after})


# the patterns PrefixStarts tells the starts of, in this order
PREFIX_PATTERNS = ("inspection", "leading", "rectification", "own_discipline", "alias", "bare_list", "enterprise", "own_unit")
BARE_AFTER = "、和及与等职有相部机"  # what follows each short form of a bare list: a separator, 等, 职能/有关/相关, 部门/机关


@dataclass(frozen=True)
class AgencyPatterns:
    """The compiled regexes and name → kind maps of the agency gazetteer of a Resources object."""

    alias: re.Pattern  # an alias with an optional level character before it
    bare_list: re.Pattern  # a list of bare short forms ending in 部门 / 机关
    bare_one: re.Pattern  # one bare short form
    alias_kind: dict  # alias → AgencyKind
    bare_kind: dict  # bare short form → AgencyKind
    starts: PrefixStarts  # where each of PREFIX_PATTERNS may start
    sector_aliases: tuple  # (alias, key) of the government departments, longest alias first (in gazetteer order at a length)


_CACHE: dict[int, tuple[Resources, AgencyPatterns]] = {}


def compiled_patterns(resources: Resources) -> AgencyPatterns:
    """The AgencyPatterns of a Resources object (built once)."""
    return per_resources(_CACHE, resources, _agency_patterns)


def _agency_patterns(resources: Resources) -> AgencyPatterns:
    """The patterns and tables the agency rules use, made from a Resources object's gazetteer of agencies."""
    kinds = resources.agency_kinds.values()
    alias_kind = {a: k for k in kinds for a in (*k.aliases, *k.needs_prefix)}
    bare_kind = {b: k for k in kinds for b in k.bare}
    aliases, bare = set(alias_kind) | set(resources.agency_rules), set(bare_kind)
    prefixes = {"inspection": INSPECTION_PREFIXES, "leading": LEADING_PREFIXES, "rectification": RECTIFICATION_PREFIXES,
                "own_discipline": OWN_DISCIPLINE_PREFIXES, "alias": _prefixes(aliases, ALIAS_LEVEL_CHARS),
                "bare_list": _prefixes(bare, BARE_LEVEL_CHARS, BARE_AFTER), "enterprise": ENTERPRISE_PREFIXES,
                "own_unit": _prefixes(set(OWN_UNIT_WORDS), "")}
    departments = [(a, k.key) for k in kinds if k.type == "government_department" for a in k.aliases if a]
    return AgencyPatterns(_alias_regex(aliases), _bare_regex(bare), re.compile(trie_pattern(bare, guard=False)),
                          alias_kind, bare_kind, PrefixStarts([prefixes[name] for name in PREFIX_PATTERNS]),
                          tuple(sorted(departments, key=lambda pair: -len(pair[0]))))
