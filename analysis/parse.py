"""Parse: outline → sections by role → problems → measures (done and planned) → status.

Rules follow 公文 conventions, not any one notice:

* **Section roles** come from the top-level headings: overview (整改工作基本/开展/组织情况,
  主体责任情况), problems (…整改落实/进展情况, 整改任务, 反馈意见…), plans (今后/下一步工作打算).
  A notice whose top-level sections are 反馈问题(内容) + 整改措施 (+ 工作开展情况 + 验收意见)
  is a *single-task* notice (督察整改任务验收销号公示): one problem, its measures numbered
  as headings, their progress in a parallel section, its status in the acceptance section.
* **Problems** are the leaves of a problems section. A heading whose children state problems
  (关于/针对……问题) is a group: a category (关于……方面), a problem group (a problem split into
  sub-problems), or a status group ((一)已整改完成的整改事项 / (二)按计划持续推进的整改事项).
  A problem heading whose children do not state problems keeps them as its measures.
* **Measures** are the 一是…二是… of a problem (numbers may skip; a smaller number than the last
  one is a nested list inside the current measure) or, without an enumeration, the problem's
  text as one measure. 下一步 (next steps) opens the planned part: planned items are kept with
  kind `planned` and never counted as measures done.
* **Status** comes from the item (整改进展情况:已整改完成 at the start of its text, a status in
  brackets after its heading, or 该问题已整改完成 as its last sentence), else from its status
  group, else from the whole document (an acceptance section: 达到销号标准), else `unknown` —
  never "not done".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import NoticeError
from .outline import Node, Outline, build_outline
from .textutil import CIRCLED as CIRCLED_NUMBERS
from .textutil import cn_to_int, has_han

# --------------------------------------------------------------------------- vocabularies

PLAN_SECTION_RE = re.compile(r"(今后|下一步|下步|下阶段|下一阶段|工作打算|工作计划|努力方向|工作思路)")
OVERVIEW_SECTION_RE = re.compile(r"(基本情况|总体情况|开展情况|组织情况|组织领导|主体责任|工作情况|整改工作(的)?(部署|推进))")
PROBLEM_SECTION_RE = re.compile(r"(问题|整改(落实|进展|完成)?情况|整改任务|整改事项|反馈意见|整改落实)")
STATEMENT_SECTION_RE = re.compile(r"(反馈问题|问题内容|存在(的)?问题|问题描述|问题清单|主要问题|反馈意见内容)")
MEASURE_SECTION_RE = re.compile(r"(整改措施|主要措施|整改举措|措施)")
TARGET_SECTION_RE = re.compile(r"(整改目标|整改要求|目标)")
PROGRESS_SECTION_RE = re.compile(r"(开展情况|完成情况|落实情况|进展情况|整改情况|推进情况)")
ACCEPTANCE_SECTION_RE = re.compile(r"(验收|销号|自查|自评)")

PROBLEM_LIKE_RE = re.compile(r"^(关于|针对)[\s\S]*问题|问题(的整改|整改情况)?[。.]?$")
CATEGORY_LIKE_RE = re.compile(r"方面[。.]?$")
STATUS_WORD_RE = re.compile(r"(已(全部)?(整改)?完成|已整改|持续推进|正在(推进|整改)|长期坚持|阶段性成效|未完成|尚未|基本完成|按计划)")

LONG_TERM_RE = re.compile(r"(阶段性成效|长期坚持|长期整改|持续整改|久久为功)")
IN_PROGRESS_RE = re.compile(r"(持续推进|正在推进|正在整改|整改中|按计划推进|序时推进|尚未完成|未完成|部分完成|基本完成|推进中)")
COMPLETED_RE = re.compile(r"(已(全部)?整改完成|已完成整改|整改已完成|已(全部)?完成|已整改到位|已整改|已办结|已销号|完成整改|达到销号标准|整改完成)")

STATUS_START_RE = re.compile(r"(已|正在|持续|按计划|基本|部分|尚|未|取得)")
SENTENCE_STOP_RE = re.compile(r"[。;\n]")
STATUS_LABEL_RE = re.compile(r"\s*(整改(进展|落实|完成)?(情况)?|进展情况|完成情况|整改结果|整改成效|整改措施|落实情况)\s*[::]\s*")
HEADING_STATUS_RE = re.compile(r"[((]\s*(已完成|已整改完成|已整改|持续推进|长期坚持|阶段性成效|正在推进|基本完成)\s*[))]\s*[。.]?$")
TRAILING_STATUS_RE = re.compile(r"(目前|截至目前|现)?[,,]?(该|此|上述)问题(已|均已)(全部)?(整改完成|完成整改|整改到位)[。.]?\s*$")
# Enumerators that open measures, after a space, a punctuation mark or the start of the text; one scan finds all three
# families (their marks start with different characters, so they never overlap): 一是 二是, (1) (2), ① ②.
ENUM_RE = re.compile(r"(?<![^\s。;:,!?])(?:(?P<shi>[一二三四五六七八九十]{1,3})是|\((?P<paren>\d{1,2})\)|"
                     r"(?P<circled>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]))")
ENUM_FAMILIES = ("shi", "paren", "circled")
PLANNED_RE = re.compile(r"(?<![^\s。;])(下一步|下步|下阶段|下一阶段|今后)(?=[,::将要拟])[,::]?")
CLEAN_END_RE = re.compile(r"[。!?”)》\d日号]$")  # a sentence end, a closing mark, a date or a number
EMAIL_END_RE = re.compile(r"[\w.]@[\w.]+$")
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
    layout: str  # multi_problem | single_task
    problems: list[Problem]
    section_roles: dict[str, str]  # path → role for every outline node
    problem_sections: list[Node]
    overview_spans: list[tuple[int, int]]  # text outside problems where declared totals may stand
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- status


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


# --------------------------------------------------------------------------- measures


def _family_marks(family: str, matches: list[re.Match]) -> list[tuple[int, int, str]]:
    """(position, number, label) of one family of enumerators, in ascending order (nested lists skipped)."""
    found = []
    last = 0
    for m in matches:
        raw = m.group(family)
        number = int(raw) if raw.isdigit() else (CIRCLED_NUMBERS.index(raw) + 1 if raw in CIRCLED_NUMBERS else cn_to_int(raw))
        if number is None or number <= last:
            continue  # a nested list inside the current measure
        if not found and number > 2:
            continue  # a list does not open at 三
        found.append((m.start(), number, m.group(0)))
        last = number
    return found if len(found) >= 2 or (found and found[0][1] == 1 and family == "shi") else []


def enumerators(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Markers that open measures in text[start:end]: the outermost family (一是…, (1)…, ①…) of numbers in order."""
    by_family: dict[str, list[re.Match]] = {family: [] for family in ENUM_FAMILIES}
    for m in ENUM_RE.finditer(text, start, end):
        by_family[m.lastgroup].append(m)
    families = [marks for family in ENUM_FAMILIES if (marks := _family_marks(family, by_family[family]))]
    return min(families, key=lambda marks: marks[0][0]) if families else []


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Span without surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_measures(text: str, start: int, end: int, kind: str) -> list[Measure]:
    """Measures of one kind in text[start:end]: one per enumerator, or the whole span as one."""
    start, end = trim(text, start, end)
    if start >= end or not has_han(text, 4, start, end):
        return []
    marks = enumerators(text, start, end)
    if not marks:
        return [Measure(1, kind, "", None, start, end)]
    measures = []
    for i, (pos, number, label) in enumerate(marks):
        stop = marks[i + 1][0] if i + 1 < len(marks) else end
        s, e = trim(text, pos, stop)
        measures.append(Measure(i + 1, kind, label, number, s, e))
    return measures


def planned_start(text: str, start: int, end: int) -> tuple[int, int] | None:
    """(keyword start, items start) of a 下一步 part inside text[start:end], if any."""
    m = PLANNED_RE.search(text, start, end)
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


# --------------------------------------------------------------------------- roles


def problem_like(heading: str) -> bool:
    """Whether a heading states a problem (关于……问题 / 针对……问题 / ……问题。)."""
    return bool(PROBLEM_LIKE_RE.search(heading)) and not CATEGORY_LIKE_RE.search(heading)


def section_role(heading: str, node: Node, text: str) -> str:
    """Role of a top-level section in a multi-problem notice."""
    if PLAN_SECTION_RE.search(heading):
        return "plans"
    overview = bool(OVERVIEW_SECTION_RE.search(heading))
    has_problems = any(problem_like(n.heading(text)) for n in node.walk() if n is not node)
    if has_problems and not overview:
        return "problems"
    if PROBLEM_SECTION_RE.search(heading) and not overview:
        return "problems"
    return "overview" if overview else "other"


def single_task_roles(roots: list[Node], text: str) -> dict[int, str] | None:
    """Roles of the sections of a single-task notice, or None if the notice is not one."""
    roles: dict[int, str] = {}
    for node in roots:
        h = node.heading(text)
        if STATEMENT_SECTION_RE.search(h):
            roles[id(node)] = "statement"
        elif MEASURE_SECTION_RE.search(h) and not PROGRESS_SECTION_RE.search(h):
            roles[id(node)] = "measures"
        elif TARGET_SECTION_RE.search(h):
            roles[id(node)] = "targets"
        elif ACCEPTANCE_SECTION_RE.search(h):
            roles[id(node)] = "acceptance"
        elif PROGRESS_SECTION_RE.search(h):
            roles[id(node)] = "progress"
        elif PLAN_SECTION_RE.search(h):
            roles[id(node)] = "plans"
        else:
            roles[id(node)] = "other"
    values = set(roles.values())
    return roles if {"statement", "measures"} <= values else None


def classify(node: Node, text: str, context: dict) -> list[tuple[Node, dict]]:
    """Assign roles below a problems section; return (problem node, its context) pairs."""
    kids = node.children
    heading = node.heading(text)
    if not kids:
        node.role = "problem"
        return [(node, context)]
    if any(problem_like(k.heading(text)) for k in kids) or any(k.children for k in kids):
        ctx = dict(context)
        if problem_like(heading):
            node.role = "problem_group"
            ctx["group"] = heading
        elif STATUS_WORD_RE.search(heading) and status_of(heading):
            node.role = "status_group"
            ctx["status_group"] = heading
            ctx["group_status"] = status_of(heading)
        else:
            node.role = "category"
            ctx.setdefault("category", heading)
            ctx.setdefault("category_path", node.path)
        return [pair for k in kids for pair in classify(k, text, ctx)]
    if problem_like(heading):
        node.role = "problem"
        for k in kids:
            for n in k.walk():
                n.role = "measure" if n is k else "measure_part"
        return [(node, context)]
    if STATUS_WORD_RE.search(heading) and status_of(heading):
        node.role = "status_group"
        ctx = dict(context, status_group=heading, group_status=status_of(heading))
    else:
        node.role = "category"
        ctx = dict(context)
        ctx.setdefault("category", heading)
        ctx.setdefault("category_path", node.path)
    return [pair for k in kids for pair in classify(k, text, ctx)]


# --------------------------------------------------------------------------- problems


def problem_from_node(node: Node, text: str, context: dict) -> Problem:
    """A Problem for a leaf (or measure-holding) node: title, status, measures."""
    title_start, title_end = node.heading_start, node.heading_end
    title = text[title_start:title_end]
    problem = Problem(node.path, node.label, node.number, title, title_start, title_end, node.start, node.end,
                      category=context.get("category"), category_path=context.get("category_path"),
                      group=context.get("group"), status_group=context.get("status_group"))
    heading_status = HEADING_STATUS_RE.search(title)
    body_end = node.own_end()
    begin, status, s_start, s_end = status_slot(text, node.body_start, body_end)
    if status:
        problem.status, problem.status_source, problem.status_start, problem.status_end = status, "item", s_start, s_end
    elif heading_status:
        problem.status, problem.status_source = status_of(heading_status.group(1)), "heading"
        problem.status_start, problem.status_end = title_start + heading_status.start(1), title_start + heading_status.end(1)
    else:
        body = text[begin:body_end].rstrip()
        trailing = TRAILING_STATUS_RE.search(body)
        if trailing:
            problem.status, problem.status_source = "completed", "item"
            problem.status_start, problem.status_end = begin + trailing.start(), begin + trailing.end()
    if problem.status_source == "none" and context.get("group_status"):
        problem.status, problem.status_source = context["group_status"], "group"
    if node.children:  # measures numbered as headings
        measures = []
        for i, kid in enumerate(node.children, start=1):
            s, e = trim(text, kid.start, kid.end)
            measures.append(Measure(i, "done", kid.label, kid.number, s, e))
        problem.measures = measures
    else:
        problem.measures = measures_of(text, begin, body_end)
    return problem


def parse_single_task(outline: Outline, text: str, roles: dict[int, str], warnings: list[str]) -> list[Problem]:
    """The one problem of a single-task notice (statement, numbered measures, progress, acceptance)."""
    by_role: dict[str, list[Node]] = {}
    for node in outline.roots:
        by_role.setdefault(roles[id(node)], []).append(node)
        node.role = roles[id(node)]
    statement = by_role["statement"][0]
    s, e = trim(text, statement.body_start, statement.end)
    if e > s and text[e - 1] == "。":
        e -= 1  # titles are quoted without their final 。
    problem = Problem(statement.path, statement.label, statement.number, text[s:e], s, e,
                      outline.roots[0].start, outline.closing_start)
    measure_nodes = [k for n in by_role.get("measures", []) for k in n.children]
    progress_nodes = [k for n in by_role.get("progress", []) for k in n.children]
    for kid in measure_nodes:
        kid.role = "measure"
    for kid in progress_nodes:
        kid.role = "progress"
    if measure_nodes:
        for i, kid in enumerate(measure_nodes, start=1):
            ms, me = trim(text, kid.start, kid.end)
            measure = Measure(i, "done", kid.label, kid.number, ms, me)
            match = next((p for p in progress_nodes if p.heading(text) == kid.heading(text)), None)
            if match is None and i <= len(progress_nodes):
                match = progress_nodes[i - 1]
            if match is not None:
                measure.progress_start, measure.progress_end = trim(text, match.start, match.end)
            problem.measures.append(measure)
    else:
        for node in by_role.get("measures", []):
            problem.measures.extend(measures_of(text, node.body_start, node.end))
    if progress_nodes and len(progress_nodes) != len(measure_nodes):
        warnings.append("progress_items_differ_from_measures")
    for node in by_role.get("acceptance", []):
        body_s, body_e = trim(text, node.body_start, node.end)
        found = DOC_ACCEPTANCE_RE.search(text, body_s, body_e)
        if found:
            problem.status, problem.status_source = "completed", "document"
            problem.status_start, problem.status_end = found.start(), found.end()
        else:
            status = status_of(text[body_s:body_e])
            if status:
                problem.status, problem.status_source = status, "document"
                problem.status_start, problem.status_end = body_s, body_e
    return [problem]


def parse_structure(text: str) -> ParsedNotice:
    """Outline, section roles, problems, measures and statuses of a normalised notice text."""
    outline = build_outline(text)
    warnings: list[str] = []
    if not outline.roots:
        raise NoticeError("no_outline", "no numbered outline (一、 / (一) / 1. …) was found, so no problems can be read; "
                          "the notice is kept out of the tables rather than counted with zero problems", "parse")
    problems: list[Problem] = []
    problem_sections: list[Node] = []
    overview_spans: list[tuple[int, int]] = [(0, outline.preamble_end)]
    roles = single_task_roles(outline.roots, text) if outline.roots[0].rank == 1 else None
    if roles:
        layout = "single_task"
        problems = parse_single_task(outline, text, roles, warnings)
    else:
        layout = "multi_problem"
        top = outline.roots
        if top[0].rank > 1:  # no 一、 level: the numbered items are the problems section itself
            pseudo = Node("none", 0, 0, "", top[0].start, top[0].start, top[0].start, outline.closing_start, children=top)
            pseudo.path = ""
            pairs = [p for k in top for p in classify(k, text, {})]
            problem_sections.append(pseudo)
        else:
            pairs = []
            for node in top:
                role = section_role(node.heading(text), node, text)
                node.role = role
                if role == "problems":
                    problem_sections.append(node)
                    overview_spans.append((node.body_start, node.own_end()))
                    pairs.extend(p for k in node.children for p in classify(k, text, {}))
                    if not node.children:
                        warnings.append("problems_section_without_items")
                else:
                    overview_spans.append((node.start, node.end))
                    for n in node.walk():
                        if n is not node:
                            n.role = f"{role}_item"
        problems = [problem_from_node(node, text, ctx) for node, ctx in pairs]
    if not problems:
        warnings.append("no_problems_found")
    section_roles = {n.path: (n.role or "other") for n in outline.nodes()}
    return ParsedNotice(text, outline, layout, problems, section_roles, problem_sections, overview_spans, warnings)


def email_at_end(text: str) -> bool:
    """Whether `text` ends with an e-mail address (its @ is the last @ of the text, so only the end is looked at)."""
    at = text.rfind("@")
    return at > 0 and EMAIL_END_RE.match(text, at - 1) is not None


def structure_warnings(parsed: ParsedNotice, has_signature: bool) -> list[str]:
    """Warnings about a parse that looks cut short or thin."""
    warnings = list(parsed.warnings)
    text = parsed.text.rstrip()
    if parsed.problems:
        last = parsed.problems[-1]
        if not last.measures:
            warnings.append("problem_without_measures")
    ends_cleanly = bool(CLEAN_END_RE.match(text, max(0, len(text) - 1))) or email_at_end(text)
    if not has_signature and (not ends_cleanly or (parsed.problems and not parsed.problems[-1].measures)):
        warnings.append("truncated")
    return sorted(set(warnings))
