"""Policy documents: titles in 《》 (nested, unbalanced, abbreviated) and titles named without marks.

Rules, following how 公文 cite documents:

* **Marks.** 《…》 with 〈…〉 (or 《…》) inside for a title within a title: 《关于印发《X》的通知》
  yields the notice and X, linked; 《关于〈X〉落实情况的评估报告》 yields the report and X. A
  title never runs across a line. A 》 whose 《 is missing is recovered only when a document
  verb stands right before the title (印发X》) and the title ends in a genre word; otherwise it
  is left out and reported as a warning (在X等4项考核办法》中 cannot be cut safely).
* **Canonical title** and **type** of a title: see analysis.extract.document_titles.
* **Relation** comes from the verb that governs the mention (data/dictionaries/document_verbs.csv):
  the nearest document verb before it in its clause; titles listed after one verb (印发《A》《B》,
  《A》和…下发的《B》) share it; a verb + 的 right before the title (发布的《X》) only describes the
  document, so the verb before that phrase governs; after 对 the verb follows the title
  (对《X》进行修订, 对《X》予以公开); with no verb before it, a verb right after (新《条例》在我市贯彻落实).
  A title used as a modifier of a following noun (《X》月调度制度, 《X》普法小视频) is cited, not
  issued. 形成…报告 is `submitted`; nothing recognised means `cited`.
* **Issuer**: the organ in the title (青岛市生态环境局关于…), else an agency named right before
  the verb or the title (山东省生态环境厅发布的《…》, 省厅《…》), else — for documents the notice
  says were issued or revised — the notice's own organisation.
* **文号** in brackets after a title (府办函〔2022〕198号, also with [] () 【】).
* **Unmarked titles** (the Guangzhou notice has no 《》): see analysis.extract.unmarked_documents.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from analysis.read.text import char_table, positions_in
from analysis.read.resources import Resources
from analysis.extract.agencies import AgencyMention
from analysis.extract.document_titles import (DocumentMention, EarlierTitles, Lexicon, canonical_title, doc_type_of,
                                             issuer_in_title, lexicon, verbs_starting_in)
from analysis.extract.document_references import number_references, open_titles
from analysis.extract.unmarked_documents import find_unmarked

OPENERS, CLOSERS = "《〈", "》〉"
CLAUSE_BOUNDARY = "。;:!?\n,"
CONNECTORS = ("、", "和", "及", "与", "以及", "或", "并")
PAREN_RE = re.compile(r"[((][^()()]{0,40}[))]")
DOC_NUMBER_RE = re.compile(r"\s*[((]?\s*(?P<num>[\u4e00-\u9fff]{1,12}[〔\[(【]\s*(?:19|20)\d{2}\s*[〕\])】]\s*\d{1,4}\s*号)\s*[))]?")
SHORT_FORM_RE = re.compile(r"以下简称[::]?\s*$")
ATTRIBUTIVE_HEAD_RE = re.compile(r"^(月调度|调度|普法|视频|小视频|学习宣贯|宣贯会|学习会|培训|讲座|落实情况|执行情况|实施情况|政策清单|专题)")


# --------------------------------------------------------------------------- marks


TITLE_MARKS = char_table(OPENERS + CLOSERS)


def bracket_spans(text: str) -> tuple[list[tuple[int, int, int | None]], list[int], list[int]]:
    """((open, close, parent index) for balanced marks, lone closing marks, lone opening marks)."""
    stack: list[tuple[int, int]] = []  # (open position, slot)
    lone_close: list[int] = []
    lone_open: list[int] = []
    slots: list[list | None] = []
    last = 0  # where the mark before stood
    for i in positions_in(text, TITLE_MARKS):
        # a newline leaves every mark still open unclosed; only one with marks open matters, so it is looked for
        # between two marks, not visited at each of the text's lines
        if stack and text.find("\n", last, i) != -1:
            lone_open.extend(pos for pos, _ in stack)
            for _, slot in stack:
                slots[slot] = None
            stack.clear()
        last = i
        if text[i] in OPENERS:
            slots.append([i, -1, stack[-1][1] if stack else None])
            stack.append((i, len(slots) - 1))
        elif stack:
            pos, slot = stack.pop()
            slots[slot][1] = i
        else:
            lone_close.append(i)
    lone_open.extend(pos for pos, _ in stack)  # what is open at the end of the text, as at a newline
    for _, slot in stack:
        slots[slot] = None
    index_map: dict[int, int] = {}
    spans: list[tuple[int, int, int | None]] = []
    for slot, value in enumerate(slots):
        if value is not None and value[1] != -1:
            index_map[slot] = len(spans)
            spans.append((value[0], value[1], value[2]))
    return [(o, c, index_map.get(p) if p is not None else None) for o, c, p in spans], lone_close, lone_open


# --------------------------------------------------------------------------- relation


def _verb_at_end(window: str, words: Lexicon) -> tuple[str, str] | None:
    """The document verb in `window` that ends last (the longest of those ending there) as (verb, relation)."""
    found = words.reversed_verbs.search(window[::-1])
    if found is None:
        return None
    verb = found.group()[::-1]
    return verb, words.first_relation[verb]


def _verb_at_start(window: str, words: Lexicon, reach: int = 10) -> tuple[str, str] | None:
    """The earliest document verb within the first `reach` characters of `window`."""
    best: tuple[int, str, str] | None = None
    for _, verb, relation in verbs_starting_in(window[:reach + 1], words):  # a verb found starts by `reach`
        pos = window.find(verb, 0, reach + len(verb))
        if pos != -1 and window[pos + len(verb):pos + len(verb) + 2] == "情况":
            continue  # 《X》落实情况: a noun phrase, not a verb
        if pos != -1 and (best is None or pos < best[0] or (pos == best[0] and len(verb) > len(best[1]))):
            best = (pos, verb, relation)
    return (best[1], best[2]) if best else None


def _verb_starting(window: str, words: Lexicon) -> tuple[str, str] | None:
    """A document verb at the very start of `window`."""
    for _, verb, relation in words.verbs_by_first.get(window[:1], ()):
        if window.startswith(verb):
            return verb, relation
    return None


NOT_CLAUSE_BOUNDARY_RE = re.compile("[^" + re.escape(CLAUSE_BOUNDARY) + "]*")


@lru_cache(maxsize=4)
def reversed_text(text: str) -> str:
    """A text spelled backwards (kept for the last few texts), so that a clause's start is found by reading forwards."""
    return text[::-1]


def clause_start(text: str, pos: int, floor: int = 0) -> int:
    """Start of the clause containing `pos` (after the last , 。 ; : ! ? or newline), at least `floor`."""
    back_from = len(text) - pos  # text[pos - 1] spelled backwards
    return max(floor, pos - NOT_CLAUSE_BOUNDARY_RE.match(reversed_text(text), back_from).end() + back_from)


def clause_end(text: str, pos: int) -> int:
    """End of the clause containing `pos`."""
    return NOT_CLAUSE_BOUNDARY_RE.match(text, pos).end()


ATTRIBUTIVE_VERB_RE = re.compile(r"(印发|发布|下发|出台|制定|修订|颁布|出台了)的\s*$")
DUI_AT_END_RE = re.compile(r"对\s*$")
LIGHT_VERB_RE = re.compile(r"^[^,。;]{0,12}?(?:进行了?|予以|加以)")


def _attributive_before(text: str, start: int, end: int) -> re.Match | None:
    """ATTRIBUTIVE_VERB_RE.search(text, start, end), tried only when text[start:end] ends in 的 or a space (as every
    match does; a title seldom follows 的)."""
    last = text[end - 1] if end > start else ""
    return ATTRIBUTIVE_VERB_RE.search(text, start, end) if last == "的" or last.isspace() else None


class Governing(NamedTuple):
    """How a mention is governed: the verb, its relation, where the verb sits, and where an issuer may stand."""

    verb: str | None
    relation: str
    verb_at: int | None  # offset of the verb in the text
    issuer_until: int | None  # an agency ending here (before 发布的 / before the verb / before the title) issued it


def governing_verb(text: str, open_pos: int, close_pos: int, prev: "DocumentMention | None", prev_close: int | None,
                   words: Lexicon) -> Governing:
    """The verb that governs a title opening at `open_pos` (see the module doc for the rules)."""
    backwards = reversed_text(text)  # text[i] is backwards[size - 1 - i]
    size = len(text)
    start = open_pos - NOT_CLAUSE_BOUNDARY_RE.match(backwards, size - open_pos).end() + size - open_pos  # clause_start
    if prev is not None and prev_close is not None and prev_close >= start:
        attributive = _attributive_before(text, prev_close + 1, open_pos)
        core = text[prev_close + 1:attributive.start() if attributive else open_pos].replace("·", "").strip(" ()()")
        if not core or (core.startswith(CONNECTORS) and _verb_at_end(core, words) is None):
            return Governing(prev.verb, prev.relation, None, attributive.start() if attributive else None)
        start = prev_close + 1  # the same span was searched for an attributive verb just now
    else:
        attributive = _attributive_before(text, start, open_pos)
    window_end = open_pos
    issuer_until = None
    if attributive:  # 山东省生态环境厅发布的《X》: 发布 describes X; its subject issued X
        window_end = issuer_until = attributive.start()
    last = text[window_end - 1] if window_end > start else ""  # every DUI_AT_END_RE match ends on 对 or a space
    if (last == "对" or last.isspace()) and DUI_AT_END_RE.search(text[start:window_end]):
        after = _after_list(text, close_pos)  # 对《X》进行修订: the verb follows the title
        light = LIGHT_VERB_RE.match(after)
        found = _verb_starting(after[light.end():] if light else after, words)
        return Governing(found[0], found[1], None, issuer_until) if found else Governing(None, "cited", None, issuer_until)
    # _verb_at_end of text[start:window_end], read in the text spelled backwards (no window cut and turned round)
    ending = words.reversed_verbs.search(backwards, size - window_end, size - start)
    if ending:
        verb = ending.group()[::-1]
        return Governing(verb, words.first_relation[verb], size - ending.end(), issuer_until)
    found = _verb_at_start(text[close_pos + 1:min(clause_end(text, close_pos + 1), close_pos + 12)], words)
    if found and found[1] == "applied":  # 新《条例》在我市贯彻落实
        return Governing(found[0], found[1], None, issuer_until)
    return Governing(None, "cited", None, issuer_until)


def issuers_by_end(agencies: list[AgencyMention]) -> dict[int, tuple[int, str]]:
    """(list position, canonical name) of the first agency mention ending at each offset that may issue a document
    (not a recipient or partner, not the notice's own units)."""
    by_end: dict[int, tuple[int, str]] = {}
    for i, agency in enumerate(agencies):
        if agency.type != "own_unit" and agency.role not in ("recipient", "partner"):
            by_end.setdefault(agency.end, (i, agency.canonical))
    return by_end


def issuer_before(issuers: dict[int, tuple[int, str]], pos: int, gap: int = 1) -> str | None:
    """Canonical name of the first listed issuer (see issuers_by_end) ending at most `gap` characters before `pos`."""
    if gap == 0:
        found_at = issuers.get(pos)
        return found_at[1] if found_at else None
    found = [issuers[end] for end in range(pos - gap, pos + 1) if end in issuers]
    return min(found)[1] if found else None


# --------------------------------------------------------------------------- the extractor


def find_documents(text: str, resources: Resources, agencies: list[AgencyMention], organisation: str | None,
                   headings: list[tuple[int, int]] = (), brackets: tuple | None = None) -> tuple[list[DocumentMention], list[str]]:
    """Document mentions of a notice (bracketed, recovered, nested, unmarked) and warnings; `brackets` is
    bracket_spans(text) when the caller has it already."""
    spans, lone_close, lone_open = brackets if brackets is not None else bracket_spans(text)
    warnings: list[str] = []
    if lone_open:
        warnings.append(f"unclosed_title_mark:{len(lone_open)}")
    items: list[tuple[int, int, int, int | None, bool]] = [(o + 1, c, o, p, False) for o, c, p in spans]
    recovered_verbs: dict[int, tuple[str, str]] = {}
    for close in lone_close:
        recovered = recover_unbalanced(text, close, resources)
        if recovered:
            title_start, verb, relation = recovered
            recovered_verbs[title_start] = (verb, relation)
            items.append((title_start, close, title_start - 1, None, True))
        else:
            warnings.append("unbalanced_title_mark")
    items.sort(key=lambda t: (t[0], t[1]))
    # what only titles in marks need: read for a notice that has one (many have none)
    masked = mask_parentheticals(text) if items else text
    issuers = issuers_by_end(agencies) if items else {}
    words = lexicon(resources)
    mentions: list[DocumentMention] = []
    canonical_so_far = EarlierTitles()
    position_of: dict[tuple[int, int], int] = {}
    last_top: tuple[DocumentMention, int] | None = None
    for start, end, open_pos, parent_slot, recovered in items:
        title = text[start:end]
        parent_index = None
        if parent_slot is not None:
            po, pc, _ = spans[parent_slot]
            parent_index = position_of.get((po + 1, pc))
        canonical, abbreviation_of = canonical_title(title, canonical_so_far, resources)
        before = max(0, open_pos - 8)
        if text.find("以下简称", before, open_pos) != -1 and SHORT_FORM_RE.search(text[before:open_pos]) and mentions:
            canonical, abbreviation_of = mentions[-1].canonical, mentions[-1].canonical
        doc_type, category = doc_type_of(canonical, resources)
        if parent_index is not None:
            outer = mentions[parent_index]
            inner_window = text[outer.start:open_pos]
            found = _verb_at_end(inner_window, words) if inner_window.rstrip().endswith(words.verbs) else None
            verb, relation = found if found else (None, "cited")
            issuer, issuer_source = (outer.issuer, outer.issuer_source) if relation in ("issued", "revised") else (None, "none")
        else:
            prev, prev_close = (last_top if last_top else (None, None))
            if recovered:
                verb, relation = recovered_verbs[start]
                governed = Governing(verb, relation, open_pos - len(verb), None)
            else:
                governed = governing_verb(masked, open_pos, end, prev, prev_close, words)
                verb, relation = governed.verb, governed.relation
            if relation in ("issued", "revised", "submitted") and ATTRIBUTIVE_HEAD_RE.match(_after_list(text, end)):
                relation, verb = "cited", None  # 《X》月调度制度: the title modifies the verb's real object
            if verb == "形成" and doc_type != "报告":
                relation = "issued"
            issuer, issuer_source = issuer_in_title(canonical), "title"
            if issuer is None:
                issuer = (issuer_before(issuers, governed.issuer_until) if governed.issuer_until is not None else None) \
                    or issuer_before(issuers, open_pos, gap=0) \
                    or (issuer_before(issuers, governed.verb_at, gap=0) if relation == "issued" and governed.verb_at else None)
                issuer_source = "context" if issuer else "none"
            if issuer is None and relation in ("issued", "revised") and organisation:
                issuer, issuer_source = organisation, "notice_body"
        number = DOC_NUMBER_RE.match(text, end + 1)
        # the fields in their order, not named: 17 keywords cost more than the rest of the call (made per title)
        mention = DocumentMention(
            start, end, title, canonical, doc_type, category, relation, verb, issuer, issuer_source,
            number.group("num") if number else None, True, recovered,  # doc_number, bracketed, recovered
            "medium" if recovered else "high", parent_index, abbreviation_of,  # confidence, parent, abbreviation_of
            (["recovered_opening_mark"] if recovered else []) + (["abbreviation"] if abbreviation_of else []),  # flags
        )
        position_of[(start, end)] = len(mentions)
        mentions.append(mention)
        canonical_so_far.add(canonical)
        if parent_index is None:
            last_top = (mention, end)
    mentions.extend(open_titles(text, lone_open, resources))
    # a title inside its marks or inside an outer title adds nothing to the spans taken: the outermost marks, the titles
    # recovered or left open (outside every pair of marks) and the headings cover them all
    taken = [(o, c) for o, c, p in spans if p is None] + [(m.start, m.end) for m in mentions if m.recovered] + list(headings)
    mentions.extend(find_unmarked(text, resources, taken, organisation))
    mentions.extend(number_references(text, mentions))
    return mentions, warnings


def mask_parentheticals(text: str) -> str:
    """Text with short bracketed asides (以下简称…) blanked out, same length, so their punctuation ends no clause."""
    return PAREN_RE.sub(_blanked, text)


def _blanked(aside: re.Match) -> str:
    """A bracketed aside with what is inside its brackets written as ·."""
    found = aside.group()
    return found[0] + "·" * (len(found) - 2) + found[-1]


LISTED_TITLE_RE = re.compile(r"\s*(?:[、和及与]\s*)?《[^《》\n]{1,80}》")


def _after_list(text: str, close: int) -> str:
    """Text after a title and any titles listed right after it (《A》《B》、《C》…)."""
    pos = close + 1
    while True:
        m = LISTED_TITLE_RE.match(text, pos)
        if not m:
            return text[pos:pos + 10]
        pos = m.end()


def recover_unbalanced(text: str, close: int, resources: Resources) -> tuple[int, str, str] | None:
    """(title start, verb, relation) of a title whose 》 at `close` lacks its 《, when a document verb stands right before it."""
    start = max(clause_start(text, close), text.rfind("》", 0, close) + 1, text.rfind("《", 0, close) + 1)
    segment = text[start:close]
    for _, verb, relation in verbs_starting_in(segment, lexicon(resources)):
        idx = segment.find(verb)
        if idx != -1 and idx + len(verb) < len(segment):
            title = segment[idx + len(verb):].lstrip("了")
            title_start = close - len(title)
            if (4 <= len(title) <= 60 and doc_type_of(title, resources)[0] != "other"
                    and not re.search(r"等\s*\d+\s*[项个部件]", title) and not re.search(r"[,。;、]", title)):
                return title_start, verb, relation
    return None
