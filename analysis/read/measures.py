"""Measures: how a problem's text is cut into the measures it reports done and the ones it plans.

Shared by notices with a numbered outline (analysis.read.parse) and without one (analysis.read.without_outline):

* **Measures** are the 一是…二是… of a problem (numbers may skip; a smaller number than the last
  one is a nested list inside the current measure) or, without an enumeration, the problem's
  text as one measure. 下一步 (next steps) opens the planned part: planned items are kept with
  kind `planned` and never counted as measures done. Measures end at the notice's closing lines (objections,
  contacts, status or responsibility fields, 特此通报) and at a closing paragraph of totals (问题N项, 建议N条,
  整改完成率N%); sentences about the notice itself (现将……公示, 公示期间, 联系电话) at either end are not measures.
* A numbered measure item stops before a later line that opens a field of the notice (整改完成情况:, 验收情况: …), and
  a labelled measures field (整改措施:) holds one measure per Arabic-numbered item when it numbers them so.

The enumerators of a notice are found once for every span the rules cut (enumerator_marks).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import Iterator

import numpy as np

from analysis.read.structure import Measure
from analysis.read.text import CIRCLED as CIRCLED_NUMBERS
from analysis.read.text import char_table, cn_to_int, code_points, has_han, prefiltered_finditer

# --------------------------------------------------------------------------- vocabularies

# Enumerators that open measures, after a space, a punctuation mark or the start of the text; one scan finds all three
# families (their marks start with different characters, so they never overlap): 一是 二是, (1) (2), ① ②.
ENUM_AFTER = "。;:,!?"  # what may stand before an enumerator besides whitespace (or nothing, at the start of the text)
ENUM_CHARS = "一二三四五六七八九十(①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"  # the characters an enumerator starts with
ENUM_RE = re.compile(rf"(?<![^\s{ENUM_AFTER}])(?:(?P<shi>[一二三四五六七八九十]{{1,3}})是|\((?P<paren>\d{{1,2}})\)|"
                     r"(?P<circled>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]))")
ENUM_START_RE = re.compile(f"[{ENUM_CHARS}]")  # where ENUM_RE can match (one class: `re` skips ahead)
# Where ENUM_RE can match, by two characters: 1 for one that may stand before an enumerator, 2 for one it starts with.
ENUM_KINDS = char_table(ENUM_AFTER, r"\s").astype(np.int8) + 2 * char_table(ENUM_CHARS).astype(np.int8)
ENUM_FAMILIES = ("shi", "paren", "circled")
PLANNED_RE = re.compile(r"(?<![^\s。;])(下一步|下步|下阶段|下一阶段|今后)(?=[,::将要拟])[,::]?")
PLANNED_WORD_RE = re.compile(r"下一步|下步|下阶段|下一阶段|今后")  # where PLANNED_RE can match (literals: `re` skips ahead)
# a line that ends the measures: how to object to a 公示, whom to call, a status or responsibility field, the signature
CLOSING_LINE_RE = re.compile(r"\n\s*(?:如(?:果)?(?:公众|群众|社会各界|广大干部群众)?对|公示期|公示时间|联系(?:电话|人|方式)|受理(?:部门|电话|单位)|"
                             r"监督(?:举报)?电话|举报电话|电子邮箱|特此(?:通报|公告|公示)|附件[::\d]|您访问的|"
                             r"(?:整改状态|整改时限|完成时限|责任(?:单位|领导|人)|牵头(?:单位|领导)|销号情况)\s*[::])")
ITEM_STATUS_LABEL_RE = re.compile(r"\n\s*(?:整改(?:落实|进展)?情况|落实情况)\s*[::]\s*")
# A sentence about the notice itself, not an action: that it is published (现将……公示, 情况予以公示), how to object
# (公示期间, 如有异议), whom to contact (联系电话, 电子邮箱), or its closing formula (特此通报). At the start or the end of
# a problem's text it is never a measure.
PUBLICATION_RE = re.compile(r"(现将|现对|现就|特将|以上)[^。\n]{0,60}(公示|公布|公告|予以公开|向社会公开)|情况(进行|予以|现予|向社会)?公示|"
                            r"公示(日期|时间|期)|如(有|对)[^。\n]{0,40}异议|欢迎[^。\n]{0,20}(监督|批评)|接受社会各界|"
                            r"联系(电话|人|地址|方式)|(监督|举报|受理)电话|受理(部门|单位)|电子(邮箱|信箱)|特此(通报|公告|公示|报告|说明)")
# A word each alternative of PUBLICATION_RE holds: literals only, so `re` skips ahead, and most sentences are settled
# without trying PUBLICATION_RE (which opens with groups, so `re` tries it at every position).
PUBLICATION_WORD_RE = re.compile(r"公|异议|欢迎|接受社会各界|联系|电话|受理|电子|特此")
SENTENCE_RE = re.compile(r"[^。!?;\n]+[。!?;]?")
SENTENCE_ENDS = "。!?;"  # what SENTENCE_RE takes after a sentence
SENTENCE_STOPS = SENTENCE_ENDS + "\n"  # what it takes no sentence across
NON_SPACE_RE = re.compile(r"\S")
# A paragraph of totals for the whole notice: counts of two kinds (问题N项, 建议N条, 制度N项, 已完成整改N项 …), a rate
# (整改完成率N%) or what was done by a date (截至……已完成整改N个). It closes a problem's text and is never a measure.
TOTALS_COUNT_RE = re.compile(r"(问题|建议|制度|整改|措施|任务|事项)[^,。;\n]{0,12}?\d+(?:\.\d+)?\s*(?:项|个|条|件)")
TOTALS_RATE_RE = re.compile(r"(整改|完成|办结|销号)率[^,。;\n]{0,6}?\d+(?:\.\d+)?\s*%")
TOTALS_DONE_RE = re.compile(r"(截至|截止|至此)[^。\n]{0,30}?(已完成整改|完成整改|整改完成|已整改|已办结|已销号)[^。\n]{0,12}?\d+\s*(?:项|个|条|件)")
ITEM_START_RE = re.compile(r"\s*(?:[一二三四五六七八九十]{1,3}[、是]|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[.、)]|[①-⑳])")
# A field label opening a line of a closure notice laid out as labelled fields (整改目标:, 整改完成情况:, 验收情况: …): a
# numbered measure item stops before it, and a labelled measures block (整改措施:) ends at it.
FIELD_LABEL_LINE_RE = re.compile(r"\n\s*(?:整改(?:任务)?(?:完成|落实|进展|验收)?情况|(?:任务)?完成情况|落实情况|验收情况|整改结果|整改成效|"
                                 r"整改效果|整改目标|目标任务|整改时限|完成时限|整改措施落实情况|整改主要工作及成效|达成情况|成效)\s*[:]")
# The label of a measures field (整改措施: / 主要措施: / 重点措施:) at the start of a line, its items after it.
MEASURES_LABEL_RE = re.compile(r"(?:^|\n)\s*(?:整改|主要|重点|具体)?(?:措施|举措)\s*[:]")
# An Arabic-numbered item (1、 1. 1)) after a line start or a stop: how a labelled measures block numbers its actions.
ARABIC_ITEM_RE = re.compile(r"(?:(?<=^)|(?<=[\s。;:]))(\d{1,2})[、.)](?!\d)", re.M)


# --------------------------------------------------------------------------- measures


def _family_marks(family: str, marks: list[tuple[int, int, str, str, str]]) -> list[tuple[int, int, str]]:
    """(position, number, label) of one family of enumerators (enumerator_marks), in ascending order (nested lists
    skipped)."""
    found = []
    last = 0
    for pos, _, _, raw, label in marks:
        number = enumerator_number(raw)
        if number is None or number <= last:
            continue  # a nested list inside the current measure
        if not found and number > 2:
            continue  # a list does not open at 三
        found.append((pos, number, label))
        last = number
    return found if len(found) >= 2 or (found and found[0][1] == 1 and family == "shi") else []


@lru_cache(maxsize=4)
def enumerator_marks(text: str) -> tuple[list[int], list[tuple[int, int, str, str, str]]]:
    """Every enumerator of a text, found once for all its spans: their starts, and (start, end, family, number as
    written, label) of each, in order. Tried only where ENUM_RE can match: at a character an enumerator starts with, at the start of
    the text or after whitespace or a punctuation mark."""
    kinds = ENUM_KINDS[code_points(text)]
    candidates = (np.flatnonzero((kinds[:-1] == 1) & (kinds[1:] == 2)) + 1).tolist()
    if len(kinds) and kinds[0] == 2:
        candidates.insert(0, 0)
    marks = []
    for pos in candidates:
        m = ENUM_RE.match(text, pos)
        if m is not None:
            family = m.lastgroup
            marks.append((pos, m.end(), family, m.group(family), m.group(0)))
    return [mark[0] for mark in marks], marks


@lru_cache(maxsize=None)
def enumerator_number(raw: str) -> int | None:
    """The number an enumerator writes as `raw` (二 → 2, 12 → 12, ③ → 3); None if it is none. isdecimal, not isdigit:
    a circled number passes isdigit, and int() cannot read it."""
    return int(raw) if raw.isdecimal() else (CIRCLED_NUMBERS.index(raw) + 1 if raw in CIRCLED_NUMBERS else cn_to_int(raw))


def enumerators(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Markers that open measures in text[start:end]: the outermost family (一是…, (1)…, ①…) of numbers in order.

    They are the text's enumerators (enumerator_marks) that lie inside the span: ENUM_RE reads no character after its
    match and none before it but the one its look-behind tests, and no two of its matches overlap (none holds a
    character that may stand before one), so scanning the span alone finds exactly these."""
    starts, marks = enumerator_marks(text)
    first = bisect_left(starts, start)
    stop = bisect_left(starts, end, first)
    if stop > first and marks[stop - 1][1] > end:
        stop -= 1  # the one mark that may run past the end (the marks do not overlap)
    if first == stop:
        return []
    inside = marks[first:stop]
    kinds = {mark[2] for mark in inside}
    if len(kinds) == 1:  # the usual case: one family
        return _family_marks(inside[0][2], inside)
    families = [found for family in ENUM_FAMILIES if family in kinds
                and (found := _family_marks(family, [mark for mark in inside if mark[2] == family]))]
    return min(families, key=lambda found: found[0][0]) if families else []


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Span without surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def publication_sentence(sentence: str) -> bool:
    """Whether a sentence speaks about the notice (its publication, objections, contacts, 特此通报), not an action;
    a sentence opening with an enumerator (一是, (1), 1.) is an item, never that."""
    return PUBLICATION_WORD_RE.search(sentence) is not None and PUBLICATION_RE.search(sentence) is not None \
        and not ITEM_START_RE.match(sentence)


def totals_line(line: str) -> bool:
    """Whether a line gives the notice's totals (counts of two kinds, a completion rate, what was done by a date)
    rather than an action; a line opening with an enumerator is an item, never that."""
    if ITEM_START_RE.match(line):
        return False
    kinds = {m.group(1) for m in TOTALS_COUNT_RE.finditer(line)}
    return bool(TOTALS_RATE_RE.search(line) or TOTALS_DONE_RE.search(line)) or len(kinds) >= 2


def totals_cut(text: str, start: int, end: int) -> int:
    """Where a span's closing run of totals lines begins (see totals_line), else `end`; the span's first line is never
    cut, so the run must follow some text of the problem."""
    cut = end
    first = start  # where the span's first line begins (a line is a run of characters other than a newline)
    while first < end and text[first] == "\n":
        first += 1
    pos = end
    while (newline := text.rfind("\n", first, pos)) != -1:  # the lines after the first, last first
        if newline + 1 < pos:
            line = text[newline + 1:pos]
            if line.strip():
                if not totals_line(line):
                    break
                cut = newline + 1
        pos = newline
    return cut


def publication_line_cut(text: str, start: int, end: int) -> int:
    """Where the first line after the span's first one opens with a sentence about the notice (以上整改情况向社会公示,
    如有异议……) — the rest of the span is the notice's closing — else `end`.

    Only the lines that hold a word of PUBLICATION_WORD_RE are read: a sentence about the notice holds one."""
    first = NON_SPACE_RE.search(text, start, end)
    if first is None:
        return end
    pos = text.find("\n", first.start(), end)  # the end of the first line that is not blank
    while pos != -1 and (word := PUBLICATION_WORD_RE.search(text, pos, end)) is not None:
        line_start = text.rfind("\n", pos, word.start()) + 1
        line_end = text.find("\n", word.start(), end)
        sentence = SENTENCE_RE.match(text[line_start:end if line_end == -1 else line_end].strip())
        if sentence and publication_sentence(sentence.group()):
            return line_start
        pos = line_end
    return end


def sentences_back(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of the sentences that SENTENCE_RE.finditer finds in text[start:end], last first: each run of
    characters other than a sentence end or a newline, with the sentence end that follows it."""
    pos = end
    while pos > start:
        stop = pos
        while stop > start and text[stop - 1] in SENTENCE_STOPS:
            stop -= 1
        if stop == start:
            return
        # after the last of SENTENCE_STOPS before the run (one rfind each: a generator over them costs more than they do)
        begin = max(start, text.rfind("。", start, stop) + 1, text.rfind("!", start, stop) + 1, text.rfind("?", start, stop) + 1,
                    text.rfind(";", start, stop) + 1, text.rfind("\n", start, stop) + 1)
        yield begin, stop + 1 if stop < end and text[stop] in SENTENCE_ENDS else stop
        pos = begin


def publication_trim(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the sentences about the notice (publication_sentence) that open or close it.

    The sentences are read from either end and only as far as the first that is not about the notice; a span without
    a word of PUBLICATION_WORD_RE holds no such sentence (most spans), so it is not cut into sentences."""
    if PUBLICATION_WORD_RE.search(text, start, end) is None:
        return start, max(start, end)
    kept = None  # the first sentence not about the notice
    for m in SENTENCE_RE.finditer(text, start, end):
        sentence = m.group()
        if not sentence.strip():
            continue
        if not publication_sentence(sentence):
            kept = m
            break
        start = m.end()
    if kept is not None:
        for s, e in sentences_back(text, kept.end(), end):
            sentence = text[s:e]
            if not sentence.strip():
                continue
            if not publication_sentence(sentence):
                break
            end = s
    return start, max(start, end)


def closing_cut(text: str, start: int, end: int) -> int:
    """Where the measures of a span end: at the first closing line (objections to a 公示, contacts, status or
    responsibility fields, 特此通报), else `end`."""
    m = CLOSING_LINE_RE.search(text, start, end)
    return m.start() if m else end


def one_line(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] breaks no line but in the whitespace that ends it."""
    newline = text.find("\n", start, end)
    return newline == -1 or text[newline:end].isspace()


def measure_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The part of text[start:end] that can hold measures: before the closing lines and the closing totals, without
    the sentences about the notice at either end or opening a later line, trimmed; None when nothing of four Han
    characters is left."""
    if not one_line(text, start, end):  # the closing lines, publication lines and totals lines each open a later line
        end = publication_line_cut(text, start, closing_cut(text, start, end))
        end = totals_cut(text, start, end)
    start, end = trim(text, *publication_trim(text, start, end))
    return (start, end) if start < end and has_han(text, 4, start, end) else None


def item_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of one numbered measure item (a heading's child, a numbered line): as measure_span, but stopping before
    a later line that opens a field of the notice (整改完成情况:, 验收情况:, 整改目标: …)."""
    first_line = text.find("\n", start, end)
    if first_line >= 0:
        label = FIELD_LABEL_LINE_RE.search(text, first_line, end)
        end = label.start() if label else end
    return measure_span(text, start, end)


def labelled_measures_block(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The text of a measures field (整改措施: …) in text[start:end], up to the next field label or the end; None when
    there is no such label."""
    label = MEASURES_LABEL_RE.search(text, start, end)
    if label is None:
        return None
    following = FIELD_LABEL_LINE_RE.search(text, label.end(), end)
    return label.end(), following.start() if following else end


def arabic_items(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(position, number, label) of Arabic-numbered items 1、2、3、 in text[start:end], in order from 1; empty unless
    there are two or more."""
    found: list[tuple[int, int, str]] = []
    for m in ARABIC_ITEM_RE.finditer(text, start, end):
        if int(m.group(1)) == len(found) + 1:
            found.append((m.start(), len(found) + 1, m.group(0)))
    return found if len(found) >= 2 else []


def block_measures(text: str, start: int, end: int) -> list[Measure]:
    """Measures of a labelled measures block: one per Arabic-numbered item when it numbers them so, else as
    measures_of reads it (一是…, (1)…, ①…, or the block as one)."""
    items = arabic_items(text, start, end)
    if not items:
        return measures_of(text, start, end)
    measures = []
    for i, (pos, number, label) in enumerate(items):
        stop = items[i + 1][0] if i + 1 < len(items) else end
        span = measure_span(text, pos, stop)
        if span:
            measures.append(Measure(len(measures) + 1, "done", label, number, *span))
    return measures


def after_item_heading(text: str, start: int, end: int) -> int:
    """Where an enumerated sub-item's measures start: after its heading line and 整改情况: label, when it has them."""
    m = ITEM_STATUS_LABEL_RE.search(text, start, min(end, start + 120))
    return m.end() if m and "。" not in text[start:m.start()] else start


def split_measures(text: str, start: int, end: int, kind: str) -> list[Measure]:
    """Measures of one kind in text[start:end]: one per enumerator, or the whole span as one."""
    span = measure_span(text, start, end)
    if span is None:
        return []
    start, end = span
    marks = enumerators(text, start, end)
    if not marks:
        return [Measure(1, kind, "", None, start, end)]
    measures = []
    for i, (pos, number, label) in enumerate(marks):
        stop = marks[i + 1][0] if i + 1 < len(marks) else end
        s, e = trim(text, after_item_heading(text, pos, stop), stop)
        measures.append(Measure(i + 1, kind, label, number, s, e))
    return measures


def planned_start(text: str, start: int, end: int) -> tuple[int, int] | None:
    """(keyword start, items start) of a 下一步 part inside text[start:end], if any."""
    if text.find("下", start, end) == -1 and text.find("今", start, end) == -1:
        return None  # each word opens with 下 or 今, and str.find passes over a span faster than `re`
    m = next(prefiltered_finditer(PLANNED_WORD_RE, PLANNED_RE, text, start, end), None)
    return (m.start(), m.end()) if m else None


def measures_of(text: str, start: int, end: int) -> list[Measure]:
    """Done measures and planned items of a problem's text."""
    split = planned_start(text, start, end)
    done_end = split[0] if split else end
    done = split_measures(text, start, done_end, "done")
    planned: list[Measure] = []
    if split:
        planned = split_measures(text, split[1], end, "planned")
        if planned and not planned[0].label:
            planned[0].start = split[0]  # a single planned item keeps its 下一步
    return done + planned
