"""Documents cited without a full title: a 文号 on its own (按照X审〔2020〕5号文件要求) and a title whose closing 》 is
missing (《X实施方案 — the mark left open up to the end of a clause).

公文 cite a document by its number (发文字号: an organ's short code, the year in 〔〕, the serial number and 号) as often
as by its title; a number printed right after a title belongs to that title and is not read again here. A title left
open keeps the words from 《 up to the last genre word before the clause ends, and is kept only when it ends in one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from analysis.extract.document_titles import DocumentMention, doc_type_of
from analysis.read.resources import Resources
from analysis.read.text import squash

DOC_REF_RE = re.compile(r"(?P<num>(?P<code>[\u4e00-\u9fff]{1,12})[〔\[【]\s*(?:19|20)\d{2}\s*[〕\]】]\s*\d{1,4}\s*号)(?P<tail>文件|文)?")
# words before an organ's code that are not part of it: the organ's name, a preposition or a verb
CODE_LEAD_RE = re.compile(r"^.*(?:局|厅|政府|委员会|按照|根据|依据|印发|下发|转发|关于)(?=[\u4e00-\u9fff]{2,})")
OPEN_TITLE_RE = re.compile(r"[^《》,。;:!?\n]{4,60}")
REF_VERB_RE = re.compile(r"(印发|下发|出台|制定|修订)(?:了)?[^,。;\n]{0,4}$")
DOC_REF_MARKS = "〔[【"  # the mark every 文号 has right after its 1–12-character code


def mark_positions(text: str) -> list[int]:
    """Offsets of the DOC_REF_MARKS in a text, in order (one str.find scan per mark: far quicker than `re` testing a
    class of three characters at every character, and many notices have none)."""
    found = []
    for mark in DOC_REF_MARKS:
        at = text.find(mark)
        while at != -1:
            found.append(at)
            at = text.find(mark, at + 1)
    found.sort()
    return found


def doc_ref_matches(text: str) -> Iterator[re.Match]:
    """`DOC_REF_RE.finditer(text)`, the same matches, tried only just before each opening mark (not at every character).

    A match's code is a run of 1–12 characters of U+4E00–U+9FFF ending at the mark, so the leftmost start for a mark
    is where that run begins (at most 12 back, never before the end of the last match); what follows the mark does
    not depend on the start, so one attempt per mark decides it.
    """
    pos = 0
    for at in mark_positions(text):
        if at <= pos:
            continue
        start, limit = at, max(pos, at - 12)
        while start > limit and "\u4e00" <= text[start - 1] <= "\u9fff":
            start -= 1
        if start == at:
            continue
        m = DOC_REF_RE.match(text, start)
        if m:
            yield m
            pos = m.end()


def number_references(text: str, documents: list[DocumentMention]) -> list[DocumentMention]:
    """Documents cited by their 文号 alone (a number printed right after a title is that title's)."""
    after_titles = [(d.end, d.doc_number) for d in documents if d.doc_number]
    found = []
    for m in doc_ref_matches(text):
        lead = CODE_LEAD_RE.match(m.group("code"))
        start = m.start("num") + (lead.end() if lead else 0)
        num = re.sub(r"\s+", "", text[start:m.end("num")])
        if any(0 <= m.start() - end <= 4 and re.sub(r"\s+", "", n) == num for end, n in after_titles):
            continue
        if any(d.start <= m.start() < d.end for d in documents):
            continue
        relation = "issued" if REF_VERB_RE.search(text, max(0, m.start() - 10), m.start()) else "cited"
        found.append(DocumentMention(
            start=start, end=m.end("num"), title=text[start:m.end("num")], canonical=num, doc_type="文号", category="reference",
            relation=relation, verb=None, issuer=None, issuer_source="none", doc_number=num, bracketed=False,
            recovered=False, confidence="medium", flags=["number_only"]))
    return found


def open_titles(text: str, lone_open: list[int], resources: Resources) -> list[DocumentMention]:
    """Titles whose 《 is never closed: from the mark to the last genre word before the clause ends."""
    found = []
    for pos in lone_open:
        m = OPEN_TITLE_RE.match(text, pos + 1)
        if not m:
            continue
        run = m.group(0)
        for cut in range(len(run), 3, -1):
            doc_type, category = doc_type_of(run[:cut], resources)
            if doc_type not in ("other", "平台", "系统", "机制", "职责", "方法"):
                title = run[:cut]
                found.append(DocumentMention(
                    start=pos + 1, end=pos + 1 + cut, title=title, canonical=squash(title), doc_type=doc_type,
                    category=category, relation="cited", verb=None, issuer=None, issuer_source="none", doc_number=None,
                    bracketed=True, recovered=True, confidence="medium", flags=["unclosed_opening_mark"]))
                break
    return found
