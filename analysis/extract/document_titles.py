"""Document titles: the record of a document mention, and what a title says about the document it names.

* **Canonical title.** Whitespace removed, 〈〉 written as 《》; a short form that refers back
  (《条例》 after 《江苏省固体废物污染环境防治条例》; an inner title that drops the 关于 of an earlier
  one; 以下简称《…》) takes the earlier full title; common short names of national laws
  (《环评法》) take their full name from data/dictionaries/document_abbreviations.csv.
* **Type** is the genre word at the end of the title, after parentheticals such as (试行) or
  (2024—2035年) and version tags such as 2.0版本 (data/dictionaries/document_types.csv).
* **Issuer in the title**: the organ named before 关于 (青岛市生态环境局关于… → 青岛市生态环境局).

The document verbs and genre words of the dictionaries are indexed once per Resources object (`lexicon`).
Where titles are found and how their relation and issuer are read from the text: analysis.extract.documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from analysis.read.resources import Resources, per_resources
from analysis.read.text import squash, trie_pattern

TRAILING_PARENS_RE = re.compile(r"(?:[((][^()()]*[))])+$")
VERSION_RE = re.compile(r"\d+(?:\.\d+)*版本?$")
ISSUER_IN_TITLE_RE = re.compile(r"^(?P<issuer>[^关]{2,30}?(?:局|厅|部|委|委员会|政府|办公室|办公厅|党组|党委|中心|院))关于")


@dataclass
class DocumentMention:
    """One mention of a policy document."""

    start: int  # title offsets: text[start:end] == title (inside the marks)
    end: int
    title: str
    canonical: str
    doc_type: str
    category: str
    relation: str  # issued | revised | applied | submitted | cited
    verb: str | None
    issuer: str | None
    issuer_source: str  # title | context | notice_body | none
    doc_number: str | None
    bracketed: bool
    recovered: bool
    confidence: str  # high | medium | low
    parent: int | None = None  # index of the enclosing mention
    abbreviation_of: str | None = None
    flags: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- dictionaries


@dataclass(frozen=True)
class Lexicon:
    """The document verbs and genre words of a Resources object, indexed for the look-ups made per title."""

    verbs: tuple[str, ...]  # every document verb, for str.endswith
    first_relation: dict[str, str]  # verb → relation (the first row of a verb wins)
    reversed_verbs: re.Pattern  # the verbs spelled backwards: a search of a reversed window finds the verb ending last
    type_of: dict[str, tuple[str, str]]  # genre word → (doc_type, category) (the first row of an ending wins)
    type_lengths: tuple[int, ...]  # lengths of the genre words, longest first
    verbs_by_first: dict[str, tuple[tuple[int, str, str], ...]]  # first character → (row, verb, relation), in row order
    types_met: dict[str, tuple[str, str]] = field(default_factory=dict)  # title → doc_type_of it, for titles met before
    keys_met: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # title → title_key of it


# titles recur across notices (the same laws and plans): what a title says is kept for this many titles at most
TITLES_KEPT = 1 << 16


def remember(kept: dict, key: str, value):
    """Store `value` under `key` in a cache of title facts (emptied when it holds TITLES_KEPT titles) and return it."""
    if len(kept) >= TITLES_KEPT:
        kept.clear()
    kept[key] = value
    return value


_LEXICONS: dict[int, tuple[Resources, Lexicon]] = {}
_last_lexicon: tuple = (None, None)  # the Resources object asked about last and its Lexicon (replaced as one pair)


def lexicon(resources: Resources) -> Lexicon:
    """The Lexicon of a Resources object (built once; the last one asked for is answered first, as a run uses one
    Resources object and asks dozens of times per notice)."""
    global _last_lexicon
    last = _last_lexicon
    if last[0] is resources:  # the object itself is kept in the pair, so no other can take its address
        return last[1]
    words = per_resources(_LEXICONS, resources, _lexicon_of)
    _last_lexicon = (resources, words)
    return words


def _lexicon_of(resources: Resources) -> Lexicon:
    """The document verbs and types of a Resources object, arranged for lookups."""
    verbs = tuple(v for v, _ in resources.document_verbs)
    first_relation: dict[str, str] = {}
    for verb, relation in resources.document_verbs:
        first_relation.setdefault(verb, relation)
    type_of: dict[str, tuple[str, str]] = {}
    for ending, doc_type, category in resources.document_types:
        type_of.setdefault(ending, (doc_type, category))
    by_first: dict[str, list[tuple[int, str, str]]] = {}
    for row, (verb, relation) in enumerate(resources.document_verbs):
        by_first.setdefault(verb[:1], []).append((row, verb, relation))
    reversed_verbs = re.compile(trie_pattern((v[::-1] for v in verbs), guard=False))
    return Lexicon(verbs, first_relation, reversed_verbs, type_of, tuple(sorted({len(e) for e in type_of}, reverse=True)),
                   {first: tuple(rows) for first, rows in by_first.items()})


def verbs_starting_in(chars: str, words: Lexicon) -> list[tuple[int, str, str]]:
    """(row, verb, relation) of the document verbs whose first character is one of `chars`, in row order: the only
    verbs that can be found in a text made of those characters."""
    return sorted(row for first in set(chars) for row in words.verbs_by_first.get(first, ()))


# --------------------------------------------------------------------------- title facts


def doc_type_of(title: str, resources: Resources) -> tuple[str, str]:
    """(doc_type, category) from the genre word at the end of a title (the longest one that fits)."""
    words = lexicon(resources)
    found = words.types_met.get(title)
    return found if found is not None else remember(words.types_met, title, _type_from_ending(title, words))


def end_char(text: str) -> str:
    """The character a match ending at `$` ends with: the last, or the one before a last newline ("" if none)."""
    return text[-2:-1] if text.endswith("\n") else text[-1:]


def _type_from_ending(title: str, words: Lexicon) -> tuple[str, str]:
    """doc_type_of a title, worked out."""
    # each pattern is tried only when the title ends as its matches do (most end in a genre word)
    core = TRAILING_PARENS_RE.sub("", title) if end_char(title) in (")", "）") else title
    last = end_char(core)
    core = (VERSION_RE.sub("", core) if last.isdecimal() or last in ("版", "本") else core).rstrip("”\"")
    for length in words.type_lengths:
        if length <= len(core) and (found := words.type_of.get(core[len(core) - length:])):
            return found
    return "other", "other"


def title_key(title: str, resources: Resources) -> tuple[str, str | None]:
    """(the title without whitespace and with 〈〉 as 《》, the full title of that short name in the dictionary or None)."""
    words = lexicon(resources)
    found = words.keys_met.get(title)
    if found is None:
        t = squash(title).replace("〈", "《").replace("〉", "》")
        found = remember(words.keys_met, title, (t, resources.document_abbreviations.get(t)))
    return found


class EarlierTitles:
    """The canonical titles of a notice so far, with the last position of each, so that a title finds the last one it
    refers back to without reading them all (only a short form, rare, reads them)."""

    SHORT_FORM = 4  # a title this short may abbreviate any earlier title that ends with it

    def __init__(self) -> None:
        self.titles: list[str] = []
        self.last: dict[str, int] = {}  # title → its last position

    def add(self, canonical: str) -> None:
        """Note the next canonical title."""
        self.last[canonical] = len(self.titles)
        self.titles.append(canonical)

    def referred(self, t: str) -> tuple[str, str | None]:
        """(canonical title, the earlier full title it abbreviates or None) of a title key `t`: the last earlier title
        that is `t` itself, 关于 + `t`, or (when `t` is short) ends with `t` decides."""
        if len(t) <= self.SHORT_FORM:
            for prior in reversed(self.titles):
                if prior.endswith(t):  # true of every title of those three kinds
                    return (t, None) if prior == t else (prior, prior)
            return t, None
        with_about = "关于" + t
        if self.last.get(with_about, -1) > self.last.get(t, -1):
            return with_about, with_about
        return t, None


def canonical_title(title: str, earlier: EarlierTitles, resources: Resources) -> tuple[str, str | None]:
    """(canonical title, the earlier full title it abbreviates or None)."""
    t, full = title_key(title, resources)
    if full is not None:
        return full, full
    return earlier.referred(t)


@lru_cache(maxsize=TITLES_KEPT)
def issuer_in_title(title: str) -> str | None:
    """The organ named before 关于 in a title (青岛市生态环境局关于… → 青岛市生态环境局)."""
    m = ISSUER_IN_TITLE_RE.match(title)
    return m.group("issuer") if m else None
