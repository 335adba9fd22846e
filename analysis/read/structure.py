"""Structure: what a parsed notice is (ParsedNotice, Problem, Measure), and the status phrases of its items.

Shared by notices with a numbered outline (analysis.read.parse) and without one (analysis.read.without_outline); how a
problem's text is cut into measures is analysis.read.measures.

* **Status phrases** say long-term (长期坚持, 阶段性成效 …), in progress (持续推进, 基本完成, 未完成 …) or
  completed (已整改完成, 已办结, 达到销号标准 …), read in that order; a short sentence that starts with a status
  word (已, 正在, 持续 …) after an optional 整改情况: label is the item's own status. Where else a status may
  stand (its heading, its status group, the whole document) is the parsers' business.
* A measure is **cut by the end** of a cut copy when nothing but whitespace follows it and it ends no sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.read.outline import Node, Outline
from analysis.read.text import holds_word

# --------------------------------------------------------------------------- vocabularies

LONG_TERM_RE = re.compile(r"(阶段性成效|长期坚持|长期整改|持续整改|久久为功)")
IN_PROGRESS_RE = re.compile(r"(持续推进|正在推进|正在整改|整改中|按计划推进|序时推进|尚未完成|未完成|部分完成|基本完成|推进中)")
COMPLETED_RE = re.compile(r"(已(全部)?整改完成|已完成整改|整改已完成|已(全部)?完成|已整改到位|已整改|已办结|已销号|完成整改|达到销号标准|整改完成)")

STATUS_START_RE = re.compile(r"(已|正在|持续|按计划|基本|部分|尚|未|取得)")
SENTENCE_STOP_RE = re.compile(r"[。;\n]")
STATUS_LABEL_RE = re.compile(r"\s*(整改(进展|落实|完成)?(情况)?|进展情况|完成情况|整改结果|整改成效|整改措施|落实情况)\s*[::]\s*")
DOC_ACCEPTANCE_RE = re.compile(r"(达到销号标准|已(全部)?完成整改|完成自我验收|通过验收|已(全部)?整改完成)")


@dataclass
class Measure:
    """One enumerated measure (done or planned) of a problem."""

    index: int  # 1, 2, … within its kind
    kind: str  # done | planned
    label: str  # 一是, (一), or "" when the problem's text is one measure
    number: int | None  # number as written (一是 → 1)
    start: int
    end: int
    progress_start: int | None = None  # parallel progress text (single-task notices)
    progress_end: int | None = None


@dataclass
class Problem:
    """One problem of a notice with its measures and status."""

    path: str
    label: str
    number: int | None
    title: str
    title_start: int
    title_end: int
    start: int
    end: int
    status: str = "unknown"
    status_source: str = "none"  # item | heading | group | document | none
    status_start: int | None = None
    status_end: int | None = None
    category: str | None = None
    category_path: str | None = None
    group: str | None = None  # problem group (parent problem) title
    status_group: str | None = None
    measures: list[Measure] = field(default_factory=list)

    @property
    def done(self) -> list[Measure]:
        """Measures reported as done or under way."""
        return [m for m in self.measures if m.kind == "done"]

    @property
    def planned(self) -> list[Measure]:
        """Next steps (下一步)."""
        return [m for m in self.measures if m.kind == "planned"]


@dataclass
class ParsedNotice:
    """The structure of one notice."""

    text: str
    outline: Outline
    layout: str  # multi_problem | single_task | enumerated | paragraph | table
    problems: list[Problem]
    section_roles: dict[str, str]  # path → role for every outline node
    problem_sections: list[Node]
    overview_spans: list[tuple[int, int]]  # text outside problems where declared totals may stand
    warnings: list[str] = field(default_factory=list)
    loose_measures: list[Measure] = field(default_factory=list)  # measures of a notice that states no problem
    front_end: int = 0  # without an outline: where the opening ends (the first enumerated measure)


# --------------------------------------------------------------------------- status

# A status line closing a problem: 整改状态:已完成 / 完成情况:已办结 (its own line or sentence; never part of a measure).
STATUS_LINE_END_RE = re.compile(r"(?:^|[\n。;])\s*(?:整改状态|整改进度|完成情况|办理情况|整改结果)\s*[:]\s*(?P<status>[^\n。;]{2,16}?)[。.]?\s*$")
TRAILING_STATUS_RE = re.compile(r"(目前|截至目前|现)?[,,]?(该|此|上述)问题(已|均已)(全部)?(整改完成|完成整改|整改到位)[。.]?\s*$")
# The words each of the two must hold: `re` would try them at every position, so a span without one is not scanned.
STATUS_LINE_WORDS = ("整改状态", "整改进度", "完成情况", "办理情况", "整改结果")
STATUS_LINE_WORD_RE = re.compile("|".join(STATUS_LINE_WORDS))  # one scan for the five (literals: `re` skips ahead)
TRAILING_STATUS_WORDS = ("整改完成", "完成整改", "整改到位")


def closing_status_line(text: str, start: int, end: int) -> re.Match | None:
    """The status line that closes text[start:end] (整改状态:已完成 as its last line or sentence), if any."""
    return STATUS_LINE_END_RE.search(text, start, end) if STATUS_LINE_WORD_RE.search(text, start, end) else None


def trailing_status(body: str) -> re.Match | None:
    """The closing sentence that says a problem's text is done (该问题已整改完成), if any.

    Its last word (整改完成 …, four characters) ends the text but for a 。 and whitespace, so only the tail is looked at."""
    tail = max(0, len(body.rstrip()) - 5)
    return TRAILING_STATUS_RE.search(body) if holds_word(body, TRAILING_STATUS_WORDS, tail) else None


def status_of(phrase: str) -> str | None:
    """completed / long_term / in_progress for a status phrase, None if it states none."""
    if LONG_TERM_RE.search(phrase):
        return "long_term"
    if IN_PROGRESS_RE.search(phrase):
        return "in_progress"
    if COMPLETED_RE.search(phrase):
        return "completed"
    return None


def status_slot(text: str, start: int, end: int) -> tuple[int, str | None, int, int]:
    """Where measures begin after an optional 整改情况: label and status sentence; (begin, status, s_start, s_end)."""
    pos = start
    while pos < end and text[pos].isspace():
        pos += 1
    label = STATUS_LABEL_RE.match(text, pos, end)
    if label:
        pos = label.end()
    stop = SENTENCE_STOP_RE.search(text, pos, end)
    sentence_end = stop.start() if stop else end
    sentence = text[pos:sentence_end]
    status = status_of(sentence) if 0 < len(sentence) <= 30 and STATUS_START_RE.match(sentence) else None
    if status:
        return min(end, sentence_end + 1), status, pos, sentence_end
    return pos, None, -1, -1


# --------------------------------------------------------------------------- cut copies


def cut_by_end(text: str, end: int) -> bool:
    """Whether a span ending at `end` was cut by the end of the text: nothing but whitespace follows it and it does not
    end a sentence."""
    return not text[end:].strip() and end > 0 and text[end - 1] not in "。!?;!?;”」』))】"
