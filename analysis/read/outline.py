"""The outline of a 公文: numbered headings 一、 → (一) → 1. → 1)/(1)/⑴ → ① as a tree with offsets.

公文 number their levels by the *form* of the marker, not by indentation, so the tree is
built from marker forms ranked in that conventional order; a level may be skipped (a notice
may go 一、 → 1. → 1)). A marker is taken as a heading only

* at the start of a line — or, in a line packed with a whole section (notices published as
  one paragraph), at the start of a whitespace-separated segment or right after a sentence
  end — and
* when its number continues the sequence (1 after its parent opens, or the previous number
  of the same form + 1; numbering may run on across sibling groups, as 5. under (二) after
  4. under (一)).

A heading's text runs to the first sentence end outside quotes and 《》; when the whole
line is a problem statement ending in 问题 (…问题。/…问题的整改。) the whole line is the
heading, as in 针对……。……问题。 A heading stops where its first action begins inside that sentence: after the
problem clause of 关于……问题(情况属实), ……, or before an inline 一是 / (1) / 整改措施: label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np

from analysis.read.text import (CIRCLED, PAREN_DIGITS, char_table, cn_to_int, code_points,
                               find_outside_quotes, has_han, iter_lines, unquoted_marks)

CN = "一二三四五六七八九十"

# (form, rank, regex at the start of a segment); group 1 is the number as written.
MARKER_FORMS: tuple[tuple[str, int, re.Pattern], ...] = (
    ("cn_dun", 1, re.compile(rf"([{CN}]{{1,3}})、")),
    ("cn_paren", 2, re.compile(rf"\(([{CN}]{{1,3}})\)")),
    ("arabic_dot", 3, re.compile(r"(\d{1,2})(?:\.|、)(?:(?!\d)|(?=(?:19|20)\d\d年))")),  # 1.2021年底前…: an item opening with a year
    ("arabic_paren", 4, re.compile(rf"(?:\((\d{{1,2}})\)|(\d{{1,2}})\)(?!\d)|([{PAREN_DIGITS}]))")),
    ("circled", 5, re.compile(rf"([{CIRCLED}])")),
)
MARKER_START_RE = re.compile(rf"[{CN}(\d{PAREN_DIGITS}{CIRCLED}]")  # the characters a marker can start with
# The forms a marker may take by its first character (a digit other than 0-9 as \d reads it: see forms_starting): the
# forms are tried in rank order, and a form whose pattern cannot begin with that character is not tried at all.
FORMS_BY_START: dict[str, tuple[tuple[str, int, re.Pattern], ...]] = {
    **{ch: MARKER_FORMS[0:1] for ch in CN},
    "(": (MARKER_FORMS[1], MARKER_FORMS[3]),
    **{ch: MARKER_FORMS[2:4] for ch in "0123456789"},
    **{ch: MARKER_FORMS[3:4] for ch in PAREN_DIGITS},
    **{ch: MARKER_FORMS[4:5] for ch in CIRCLED},
}
# A marker after whitespace or a sentence end. The character before it is part of the match (so `re` skips ahead to
# candidates instead of testing a lookbehind at every position); group `marker` is the marker itself.
BOUNDARY_MARKER_RE = re.compile(
    rf"[\s。;:](?P<marker>[{CN}]{{1,3}}、|\([{CN}]{{1,3}}\)|\d{{1,2}}[.、](?:(?!\d)|(?=(?:19|20)\d\d年))|\(\d{{1,2}}\)|\d{{1,2}}\)(?!\d)|[{PAREN_DIGITS}{CIRCLED}])"
)
# How every BOUNDARY_MARKER_RE match opens: 1 for the character before the marker; the marker's first character, 3 for
# a marker of one character (⑴, ①), else 2 — then followed by one of MARKER_SECOND (一、 (一) 1. 1、 1) 12 (1)).
BOUNDARY_KINDS = (char_table("。;:", r"\s").astype(np.int8) + 2 * char_table(f"{CN}(", r"\d").astype(np.int8)
                  + 3 * char_table(PAREN_DIGITS + CIRCLED).astype(np.int8))
MARKER_SECOND = char_table(f"{CN}、.)", r"\d")
PROBLEM_LINE_END_RE = re.compile(r"问题(的整改|的整改情况|整改情况)?[。.]?\s*$")
CLOSING_RE = re.compile(r"\s*(欢迎|如有意见|如有异议|如对|联系(电话|方式|人)|监督电话|举报电话|电子邮箱|特此(通报|公告|公示)|附件[::\d]|公示(期|时间))")
CLOSING_STARTS = frozenset("欢如联监举电特附公")  # the first characters of CLOSING_RE's words (a segment opens with no space)
PACKED_MIN_CHARS = 40
# Where a heading's first action begins inside its sentence: after the problem clause of a 关于/针对 heading (……问题,
# ……问题情况属实, ……问题的整改情况) at a comma, semicolon or colon; or at an inline 一是 or measures/status label.
PROBLEM_CLAUSE_END_RE = re.compile(r"问题(?:情况)?(?:属实)?(?:的整改(?:情况)?|整改情况)?$")
INLINE_ACTION_RE = re.compile(r"[,;:]\s*(?=一是|\(1\)|①|1[.、](?!\d)|整改(?:措施|情况|进展(?:情况)?|落实情况|结果)\s*:)")
SENTENCE_ENDS = "。!?"  # where a heading's sentence ends
CLAUSE_MARKS = ",;:"  # where a 关于/针对 heading's problem clause may end
# What heading_extent looks for outside quotes and titles in one scan: sentence ends and, in a 关于/针对 heading, clause
# marks.
HEADING_MARKS = SENTENCE_ENDS + CLAUSE_MARKS


@dataclass
class Node:
    """One numbered heading and the text it governs."""

    form: str
    rank: int
    number: int
    label: str  # the marker as written, e.g. "(一)", "1.", "1)"
    start: int  # where the marker starts
    heading_start: int
    heading_end: int
    end: int = -1  # end of the node's whole span (children included)
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = field(default=None, repr=False)
    path: str = ""
    role: str = ""

    def heading(self, text: str) -> str:
        """The heading's text."""
        return text[self.heading_start:self.heading_end]

    @property
    def body_start(self) -> int:
        """Where the node's own body begins (after the heading and its sentence end)."""
        return self._body_start

    _body_start: int = 0

    def own_end(self) -> int:
        """End of the node's own text (before its first child)."""
        return self.children[0].start if self.children else self.end

    def walk(self):
        """This node and all below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Outline:
    """The numbered structure of a notice and the unnumbered parts around it."""

    roots: list[Node]
    preamble_end: int  # text before the first heading (title, opening paragraph)
    closing_start: int  # contact lines and signature after the outline
    packed: bool  # whether any line carried several headings (one-paragraph layout)

    def nodes(self) -> list[Node]:
        """Every node in document order."""
        return [n for root in self.roots for n in root.walk()]


@dataclass(frozen=True)
class Segment:
    """A line, or a whitespace-separated piece of a packed line, with its offsets."""

    start: int
    end: int


def forms_starting(ch: str) -> tuple[tuple[str, int, re.Pattern], ...]:
    """The marker forms whose pattern can begin with the character `ch` (none for most characters)."""
    forms = FORMS_BY_START.get(ch)
    if forms is not None:
        return forms
    return MARKER_FORMS[2:4] if ch.isdecimal() else ()  # \d matches every decimal digit, as isdecimal tells them


def match_marker(text: str, pos: int) -> tuple[str, int, int, str, int] | None:
    """(form, rank, number, label, end) if a marker starts at `pos`, else None."""
    for form, rank, regex in forms_starting(text[pos:pos + 1]):
        m = regex.match(text, pos)
        if not m:
            continue
        raw = m.group(m.lastindex)  # the one group that took part (the number as written)
        if form == "arabic_paren" and raw in PAREN_DIGITS:
            number = PAREN_DIGITS.index(raw) + 1
        elif form == "circled":
            number = CIRCLED.index(raw) + 1
        else:
            number = cn_to_int(raw) if not raw.isdigit() else int(raw)
        if number is None or number < 1:
            continue
        return form, rank, number, m.group(0), m.end()
    return None


def boundary_markers(text: str, start: int, end: int) -> Iterator[re.Match]:
    """Markers in text[start:end] after whitespace or a sentence end (which may be the character before `start`)."""
    return BOUNDARY_MARKER_RE.finditer(text, max(0, start - 1), end)


def is_packed(text: str, start: int, end: int) -> bool:
    """Whether a line carries several headings (a section published as one paragraph)."""
    if end - start < PACKED_MIN_CHARS:
        return False
    markers = boundary_markers(text, start, end)
    return next(markers, None) is not None and next(markers, None) is not None


def split_packed(text: str, start: int, end: int) -> list[Segment]:
    """Pieces of a packed line: split at whitespace and before markers that follow a sentence end."""
    cuts = {start, end}
    depth = 0
    for i in range(start, end):
        ch = text[i]
        if ch in "“《〈":
            depth += 1
        elif ch in "”》〉":
            depth = max(0, depth - 1)
        elif depth == 0 and ch.isspace():
            cuts.add(i)
            cuts.add(i + 1)
    for m in boundary_markers(text, start, end):
        if text[m.start()] in "。;:":
            cuts.add(m.start("marker"))
    points = sorted(cuts)
    segments = []
    for a, b in zip(points, points[1:]):
        piece = text[a:b]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            segments.append(Segment(a + lead, b - trail))
    return segments


def boundary_candidates(text: str) -> list[int]:
    """Offsets where a boundary marker (BOUNDARY_MARKER_RE) may begin its marker: the first two characters a marker can
    start with (or a marker of one character), right after whitespace or a sentence end. Every such marker starts at
    one of them."""
    points = code_points(text)
    kinds = BOUNDARY_KINDS.take(points)  # take: faster than indexing
    second = MARKER_SECOND.take(points)
    opens = kinds[1:] == 3
    opens[:-1] |= (kinds[1:-1] == 2) & second[2:]
    return (np.flatnonzero((kinds[:-1] == 1) & opens) + 1).tolist()


def segment_spans(text: str) -> tuple[list[tuple[int, int]], bool]:
    """(start, end) of the lines of the text (packed lines split into segments), without surrounding whitespace, and
    whether any line was packed."""
    spans: list[tuple[int, int]] = []
    packed_any = False
    start = 0
    # A packed line has two boundary markers, so two candidates: a line with fewer is not scanned for them.
    candidates = boundary_candidates(text)
    count, k = len(candidates), 0
    for line in text.split("\n"):  # as iter_lines reads them, without a tuple per line
        end = start + len(line)
        body = line.lstrip()
        if body:
            while k < count and candidates[k] < start:
                k += 1
            if k + 1 < count and candidates[k + 1] < end and end - start >= PACKED_MIN_CHARS and is_packed(text, start, end):
                packed_any = True
                spans.extend((seg.start, seg.end) for seg in split_packed(text, start, end))
            else:
                spans.append((end - len(body), end - (len(body) - len(body.rstrip()))))
        start = end + 1
    return spans, packed_any


def segments_of(text: str) -> tuple[list[Segment], bool]:
    """Lines of the text (packed lines split into segments) and whether any line was packed."""
    spans, packed_any = segment_spans(text)
    return [Segment(start, end) for start, end in spans], packed_any


def outside_quotes(text: str, start: int, end: int, with_clauses: bool) -> tuple[int, list[int]]:
    """In one scan of text[start:end]: where the first sentence end (SENTENCE_ENDS) outside “…” and 《…》 stands, else
    -1, and (with_clauses) the clause marks (CLAUSE_MARKS) outside them before it."""
    clauses: list[int] = []
    for i in unquoted_marks(text, HEADING_MARKS if with_clauses else SENTENCE_ENDS, start, end):
        if text[i] in SENTENCE_ENDS:
            return i, clauses
        clauses.append(i)
    return -1, clauses


def action_start(text: str, start: int, stop: int, clauses: list[int]) -> tuple[int, int] | None:
    """(heading_end, body_start) when the first action begins inside a heading's sentence text[start:stop]: after the
    problem clause of a 关于/针对 heading (关于……问题,已…… → 关于……问题) at one of its clause marks outside quotes
    (`clauses`, from outside_quotes; empty for another heading), or at an inline 一是 or 整改措施:/整改情况: label, or the
    first item of an inline list ((1), ①, 1.); None when the sentence is all heading."""
    for mark in clauses:
        rest = text[mark + 1:stop]
        if PROBLEM_CLAUSE_END_RE.search(text, start, mark) and has_han(rest, 6) and not PROBLEM_LINE_END_RE.search(rest):
            return mark, mark + 1
    inline = INLINE_ACTION_RE.search(text, start + 4, stop)
    return (inline.start(), inline.end()) if inline else None


def heading_extent(text: str, start: int, end: int) -> tuple[int, int, int]:
    """(heading_start, heading_end, body_start) of a heading whose text begins at `start` in a segment ending at `end`;
    a heading stops where its first action begins (action_start)."""
    while start < end and text[start] in " \t":
        start += 1
    stop, clauses = outside_quotes(text, start, end, text.startswith(("关于", "针对"), start))
    cut = action_start(text, start, end if stop == -1 else stop, clauses)
    if cut:
        return start, cut[0], cut[1]
    if stop == -1:
        return start, end, end
    rest = text[stop + 1:end]
    if rest.strip() and len(rest) <= 80 and PROBLEM_LINE_END_RE.search(rest) and find_outside_quotes(rest.rstrip("。. "), "。!?") == -1:
        # 针对……。……问题。 — a problem statement of two sentences is still one heading
        return start, end - 1 if text[end - 1] in "。." else end, end
    return start, stop, stop + 1


def continues_numbering(number: int, form: str, last_sibling: int | None, scopes: list[dict[str, int]]) -> bool:
    """Whether a new heading of `form` numbered `number` continues its sequence: 1 as its parent's first child of that
    form, else its last such sibling + 1, or the last number of that form in an enclosing scope + 1."""
    if number == (1 if last_sibling is None else last_sibling + 1):
        return True
    return any(number == scope[form] + 1 for scope in scopes if form in scope)


def build_outline(text: str) -> Outline:
    """The outline tree of a normalised notice text."""
    spans, packed = segment_spans(text)
    roots: list[Node] = []
    stack: list[Node] = []
    # Parallel to the stack, with the roots' level first: the last number per form among each level's descendants
    # (scopes) and among its children (children_last).
    scopes: list[dict[str, int]] = [{}]
    children_last: list[dict[str, int]] = [{}]
    closing_start = len(text)
    for seg_start, seg_end in spans:
        if roots and text[seg_start] in CLOSING_STARTS and CLOSING_RE.match(text, seg_start):
            closing_start = seg_start
            break
        found = match_marker(text, seg_start)
        if not found:
            continue
        form, rank, number, label, marker_end = found
        while stack and stack[-1].rank >= rank:
            stack.pop()
            scopes.pop()
            children_last.pop()
        if not continues_numbering(number, form, children_last[-1].get(form), scopes):
            continue
        parent = stack[-1] if stack else None
        h_start, h_end, body = heading_extent(text, marker_end, seg_end)
        node = Node(form, rank, number, label, seg_start, h_start, h_end, parent=parent)
        node._body_start = body
        (parent.children if parent else roots).append(node)
        children_last[-1][form] = number
        for scope in scopes:
            scope[form] = number
        stack.append(node)
        scopes.append({})
        children_last.append({})
    if closing_start == len(text) and roots:
        closing_start = _closing_after(text, roots)
    _close_spans(roots, closing_start)
    _assign_paths(roots, "")
    preamble_end = roots[0].start if roots else closing_start
    return Outline(roots, preamble_end, closing_start, packed)


def _closing_after(text: str, roots: list[Node]) -> int:
    """Start of the signature block when no closing line was recognised (last short lines after the outline)."""
    last_start = max(n.start for r in roots for n in r.walk())
    lines = [ln for ln in iter_lines(text) if ln.start > last_start and ln.text.strip()]
    tail = len(text)
    for line in reversed(lines):
        s = line.text.strip()
        if len(s) <= 40 and not re.search(r"[。,;:]", s):  # a signature line has no punctuation (整改状态:… is no signature)
            tail = line.start
        else:
            break
    return tail


def _close_spans(nodes: list[Node], end: int) -> None:
    """Set each node's end: the start of its next sibling, or its parent's end."""
    for i, node in enumerate(nodes):
        node.end = nodes[i + 1].start if i + 1 < len(nodes) else end
        _close_spans(node.children, node.end)


def _assign_paths(nodes: list[Node], prefix: str) -> None:
    """Paths by position among siblings: 2, 2.1, 2.1.3 …"""
    for i, node in enumerate(nodes, start=1):
        node.path = f"{prefix}.{i}" if prefix else str(i)
        _assign_paths(node.children, node.path)
