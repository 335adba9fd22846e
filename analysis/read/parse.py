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
  A problem heading whose children do not state problems keeps them as its measures; a child states a
  (sub-)problem when it reads as one, opens with 关于, or carries its own 整改情况:/整改措施: label.
* **Measures** are cut from a problem's text as analysis.read.measures says (一是…二是…, or the text as
  one measure; 下一步 opens the planned part).
* **Status** comes from the item (整改进展情况:已整改完成 at the start of its text, a status in
  brackets after its heading, or 该问题已整改完成 as its last sentence), else from its status
  group, else from the whole document (an acceptance section: 达到销号标准), else `unknown` —
  never "not done".
* A notice **without a numbered outline** is read by analysis.read.without_outline.
"""

from __future__ import annotations

import re

from analysis.errors import NoticeError
from analysis.read.outline import Node, Outline, build_outline
from analysis.read.measures import item_span, measures_of, trim
from analysis.read.structure import (DOC_ACCEPTANCE_RE, Measure, ParsedNotice, Problem, closing_status_line, status_of, status_slot,
                                     trailing_status)
from analysis.read.without_outline import SINGLE_TASK_PROSE_RE, one_task, parse_without_outline

# --------------------------------------------------------------------------- vocabularies

PLAN_SECTION_RE = re.compile(r"(今后|下一步|下步|下阶段|下一阶段|工作打算|工作计划|努力方向|工作思路)")
OVERVIEW_SECTION_RE = re.compile(r"(基本情况|总体情况|开展情况|组织情况|组织领导|主体责任|工作情况|整改工作(的)?(部署|推进)|组织(整改|落实|推进|开展)|"
                                 r"政治(责任|站位|自觉)|思想(认识|自觉)|高度重视|总体推进|统筹推进|责任落实|领导班子)")
PLAN_OUTLINE_RE = re.compile(r"^(总体要求|指导思想|基本原则|工作原则|工作目标|主要目标|总体目标|主要任务|重点任务|工作措施|保障措施|"
                             r"组织实施|工作要求|实施步骤|工作安排|进度安排)")
PROBLEM_SECTION_STRONG_RE = re.compile(r"(反馈(意见|问题)|问题(的)?整改|整改任务|具体问题|问题清单)")
PROBLEM_SECTION_RE = re.compile(r"(问题|整改(落实|进展|完成)?情况|整改任务|整改事项|反馈意见|整改落实)")
STATEMENT_SECTION_RE = re.compile(r"(反馈问题|问题内容|存在(的)?问题|问题描述|问题清单|主要问题|反馈意见内容)")
# A single task's statement section: its heading names the task (整改任务, 反馈意见(建议), 交办问题 …) and either stops
# there or runs straight into the task's text; 反馈问题整改情况 is a problems section, not a statement.
STATEMENT_HEAD_RE = re.compile(r"^([^,。:]{0,24}?(督察|巡视|巡察|审计))?(反馈问题|反馈意见|问题内容|整改任务|整改问题|交办问题|存在(的)?问题|问题描述|主要问题|任务来源|"
                               r"问题基本情况|基本情况)(内容|建议|基本情况|描述)?")
MEASURE_SECTION_RE = re.compile(r"(整改措施|主要措施|整改举措|措施)")
TARGET_SECTION_RE = re.compile(r"(整改目标|整改要求|目标)")
PROGRESS_SECTION_RE = re.compile(r"(开展情况|完成情况|落实情况|进展情况|整改情况|推进情况)")
ACCEPTANCE_SECTION_RE = re.compile(r"(验收|销号|自查|自评)")

PROBLEM_LIKE_RE = re.compile(r"^(关于|针对)[\s\S]*问题|问题(的整改|整改情况)?[。.]?$")
CATEGORY_LIKE_RE = re.compile(r"方面[。.]?$")
# A heading's own rectification label on the line after it (整改情况: / 整改措施:): a problem carries one, a measure never.
OWN_LABEL_RE = re.compile(r"\s*整改(?:措施|情况|进展(?:情况)?|落实情况|结果)\s*[:]")
STATUS_WORD_RE = re.compile(r"(已(全部)?(整改)?完成|已整改|持续推进|正在(推进|整改)|长期坚持|阶段性成效|未完成|尚未|基本完成|按计划)")
HEADING_STATUS_RE = re.compile(r"[((]\s*(已完成|已整改完成|已整改|持续推进|长期坚持|阶段性成效|正在推进|基本完成)\s*[))]\s*[。.]?$")
# A heading that is only a measures label (4、整改措施:), below the top level of a single task's outline.
MEASURE_LABEL_HEADING_RE = re.compile(r"^(整改|主要|重点|具体)?(措施|举措)[:]?$")
# The end of a heading's own text that announces its numbered children as measures (……\n整改措施:).
MEASURES_BEFORE_ITEMS_RE = re.compile(r"(?:^|\n)\s*(整改|主要|重点|具体)?(措施|举措)\s*[:]?\s*$")
# A form pasted one cell per line: the cell that names its one task, on the line after its label (反馈问题⏎……).
CELL_TASK_RE = re.compile(r"(?<=(?:反馈问题|交办问题|整改任务|整改问题|问题内容)\n)[^\n]{6,300}")
NOTHING_RE = re.compile("")
# The label cell of such a form's measures-and-results column (整改主要工作及成效⏎1.……), ending the text before its items.
MEASURES_CELL_LABEL_RE = re.compile(r"\n\s*(?:整改)?(?:主要工作|措施|举措)(?:及(?:成效|完成情况|落实情况))?\s*[:]?\s*$")
# A heading that judges a reported claim untrue (反映……问题,不属实): a finding of an investigation, not a problem.
UNTRUE_FINDING_RE = re.compile(r"(不属实|反映不实|查无实据)[。.]?$")
CLEAN_END_RE = re.compile(r"[。!?”)》\d日号]$")  # a sentence end, a closing mark, a date or a number
EMAIL_END_RE = re.compile(r"[\w.]@[\w.]+$")


# --------------------------------------------------------------------------- roles


def problem_like(heading: str) -> bool:
    """Whether a heading states a problem (关于……问题 / 针对……问题 / ……问题。)."""
    return bool(PROBLEM_LIKE_RE.search(heading)) and not CATEGORY_LIKE_RE.search(heading)


def states_problem(node: Node, text: str) -> bool:
    """Whether a heading below a problem states a (sub-)problem rather than a measure: it reads as one (关于……问题),
    opens with 关于, or is followed by its own 整改情况:/整改措施: label."""
    heading = node.heading(text)
    return problem_like(heading) or heading.startswith("关于") or bool(OWN_LABEL_RE.match(text, node.body_start, node.own_end()))


def section_role(heading: str, node: Node, text: str) -> str:
    """Role of a top-level section in a multi-problem notice: plans (下一步), overview (how the rectification was
    organised: 组织领导, 主体责任, 政治站位 … — its sub-headings are never problems), problems, or other.

    A section whose headings below state problems (关于……问题) is a problems section unless its own heading is an
    overview's; a section without them is an overview when its heading says so, else a problems section when its
    heading names the problems (反馈问题整改, 整改落实情况)."""
    if PLAN_SECTION_RE.search(heading):
        return "plans"
    overview = bool(OVERVIEW_SECTION_RE.search(heading))
    strong = bool(PROBLEM_SECTION_STRONG_RE.search(heading))
    has_problems = any(problem_like(n.heading(text)) for n in node.walk() if n is not node)
    if has_problems and (strong or not overview):
        return "problems"
    if overview:
        return "overview"
    if strong or PROBLEM_SECTION_RE.search(heading):
        return "problems"
    return "other"


def measure_items(roots: list[Node], text: str) -> list[Node]:
    """The numbered items of a single task's measures section (三、整改措施: 1、2、3、), or of a deeper heading that is only
    a measures label (4、整改措施: ①②③); empty when it has none."""
    top = [k for node in roots if MEASURE_SECTION_RE.search(node.heading(text)) and not PROGRESS_SECTION_RE.search(node.heading(text))
           for k in node.children]
    if top:
        return top
    return [k for root in roots for node in root.walk() if node is not root and MEASURE_LABEL_HEADING_RE.match(node.heading(text))
            for k in node.children]


def measures_announced(node: Node, text: str) -> bool:
    """Whether a heading's own text ends with a measures label (……\n整改措施:), so that its numbered children are the
    measures of the task it states rather than problems."""
    if not node.children:
        return False
    return bool(MEASURES_BEFORE_ITEMS_RE.search(text[node.body_start:node.own_end()]))


def cell_form_task(roots: list[Node], text: str) -> re.Match | None:
    """The one task of a form pasted one cell per line whose numbered lines sit under its measures-and-results label
    (反馈问题⏎……⏎整改主要工作及成效⏎1.……⏎2.……): those lines are the task's measures, not problems. The match is the
    task's cell when its label line is kept, else empty at the first item (the task is not named); None otherwise."""
    first = roots[0].start
    if not MEASURES_CELL_LABEL_RE.search(text, max(0, first - 40), first):
        return None
    if any(states_problem(k, text) or k.children for k in roots):
        return None
    return CELL_TASK_RE.search(text, 0, first) or NOTHING_RE.match(text, first)


def organising_section(node: Node, text: str) -> bool:
    """Whether a section of a notice without a 一、 level reports how the rectification was organised (党组书记组织落实
    整改工作情况, 巡察整改主体责任落实情况): an overview heading that names 整改 and states no problem, over no problems."""
    heading = node.heading(text)
    return ("整改" in heading and not problem_like(heading) and section_role(heading, node, text) == "overview")


def single_task_roles(roots: list[Node], text: str) -> dict[int, str] | None:
    """Roles of the sections of a single-task notice, or None if the notice is not one."""
    roles: dict[int, str] = {}
    for node in roots:
        h = node.heading(text)
        statement = STATEMENT_HEAD_RE.match(h)
        rest = h[statement.end():] if statement else ""
        if statement and not re.match(r"(的)?(整改|落实|进展|完成|办理|情况|目标|要求)", rest):
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
    has_problem_items = any(problem_like(n.heading(text)) for root in roots for n in root.walk() if n is not root)
    if "statement" in values and values & {"measures", "progress", "acceptance", "targets"} and not has_problem_items:
        return roles
    return None


def classify(node: Node, text: str, context: dict) -> list[tuple[Node, dict]]:
    """Assign roles below a problems section; return (problem node, its context) pairs."""
    kids = node.children
    heading = node.heading(text)
    if not kids:
        if UNTRUE_FINDING_RE.search(heading):
            node.role = "finding"
            return []
        node.role = "problem"
        return [(node, context)]
    if measures_announced(node, text) and not any(states_problem(k, text) or k.children for k in kids):
        node.role = "problem"
        for k in kids:
            k.role = "measure"
        return [(node, context)]
    if any(states_problem(k, text) for k in kids) or any(k.children for k in kids):
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
    closing = closing_status_line(text, node.body_start, body_end)
    closing_status = status_of(closing.group("status")) if closing else None
    if closing_status:
        body_end = closing.start() + (1 if text[closing.start()] in "\n。;" else 0)  # the status line is no measure
    begin, status, s_start, s_end = status_slot(text, node.body_start, body_end)
    if status:
        problem.status, problem.status_source, problem.status_start, problem.status_end = status, "item", s_start, s_end
    elif heading_status:
        problem.status, problem.status_source = status_of(heading_status.group(1)), "heading"
        problem.status_start, problem.status_end = title_start + heading_status.start(1), title_start + heading_status.end(1)
    elif closing_status:
        problem.status, problem.status_source = closing_status, "item"
        problem.status_start, problem.status_end = closing.start("status"), closing.end("status")
    else:
        body = text[begin:body_end].rstrip()
        trailing = trailing_status(body)
        if trailing:
            problem.status, problem.status_source = "completed", "item"
            problem.status_start, problem.status_end = begin + trailing.start(), begin + trailing.end()
    if problem.status_source == "none" and context.get("group_status"):
        problem.status, problem.status_source = context["group_status"], "group"
    if node.children:  # measures numbered as headings
        spanned = [(kid, span) for kid in node.children if (span := item_span(text, kid.start, kid.end))]
        problem.measures = [Measure(i, "done", kid.label, kid.number, *span) for i, (kid, span) in enumerate(spanned, start=1)]
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
    s, e = trim(text, statement.body_start, statement.own_end())
    if s >= e:  # the heading runs into the task's text: 一、整改任务秸秆禁烧……
        label = STATEMENT_HEAD_RE.match(statement.heading(text))
        s, e = trim(text, statement.heading_start + (label.end() if label else 0), statement.own_end())
        s += 1 if text[s:s + 1] in ":" else 0
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
        spanned = [(kid, span) for kid in measure_nodes if (span := item_span(text, kid.start, kid.end))]
        for i, (kid, (ms, me)) in enumerate(spanned, start=1):
            measure = Measure(i, "done", kid.label, kid.number, ms, me)
            match = next((p for p in progress_nodes if p.heading(text) == kid.heading(text)), None)
            if match is None and i <= len(progress_nodes):
                match = progress_nodes[i - 1]
            if match is not None:
                measure.progress_start, measure.progress_end = trim(text, match.start, match.end)
            problem.measures.append(measure)
    else:
        for node in by_role.get("measures", []) or by_role.get("progress", []):
            if node.children:  # 二、整改措施及完成情况 1、2、3、: the section numbers its measures as headings
                spanned = [(kid, span) for kid in node.children if (span := item_span(text, kid.start, kid.end))]
                problem.measures.extend(Measure(len(problem.measures) + i, "done", kid.label, kid.number, *span)
                                        for i, (kid, span) in enumerate(spanned, start=1))
                continue
            label = re.match(r"[^:。]{2,12}:", node.heading(text))  # 三、完成情况:一是……: the measures start in the heading
            start = node.heading_start + label.end() if label else node.body_start
            problem.measures.extend(measures_of(text, start, node.end))
    if progress_nodes and measure_nodes and len(progress_nodes) != len(measure_nodes):
        warnings.append("progress_items_differ_from_measures")
    for node in by_role.get("acceptance", []):
        body_s, body_e = trim(text, node.heading_start, node.end)  # 四、验收意见已完成整改,同意销号: the heading may say it
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
    if not is_rectification_text(text):
        raise NoticeError("not_a_notice", "the text names no inspection, audit or rectification (巡视, 巡察, 督察, 审计, 整改), "
                          "so it is not read as a rectification notice", "parse")
    if not outline.roots:
        return parse_without_outline(text, outline)
    problems: list[Problem] = []
    problem_sections: list[Node] = []
    overview_spans: list[tuple[int, int]] = [(0, outline.preamble_end)]
    roles = single_task_roles(outline.roots, text) if outline.roots[0].rank == 1 else None
    announced = SINGLE_TASK_PROSE_RE.search(text, 0, outline.preamble_end)
    if roles:
        layout = "single_task"
        problems = parse_single_task(outline, text, roles, warnings)
    elif announced and not any(problem_like(n.heading(text)) for n in outline.nodes()):
        layout = "single_task"  # 关于……整改任务(序号十)……的公示 with its measures numbered 1、2、3、
        problems = [one_task(text, announced, outline.preamble_end, measure_items(outline.roots, text) or outline.roots)]
    elif outline.roots[0].rank > 1 and (cell_task := cell_form_task(outline.roots, text)):
        layout = "single_task"  # 反馈问题⏎……⏎整改主要工作及成效⏎1.……: a form pasted one cell per line
        problems = [one_task(text, cell_task, outline.preamble_end, outline.roots)]
    else:
        layout = "multi_problem"
        top = outline.roots
        if top[0].rank > 1:  # no 一、 level: the numbered items are the problems section itself, but for how it was organised
            pseudo = Node("none", 0, 0, "", top[0].start, top[0].start, top[0].start, outline.closing_start, children=top)
            pseudo.path = ""
            for node in top:
                if organising_section(node, text):
                    node.role = "overview"
                    overview_spans.append((node.start, node.end))
                    for n in node.walk():
                        n.role = n.role or "overview_item"
            pairs = [p for k in top if k.role != "overview" for p in classify(k, text, {})]
            problem_sections.append(pseudo)
        else:
            pairs = []
            for node in top:
                role = section_role(node.heading(text), node, text)
                node.role = role
                if role == "problems":
                    problem_sections.append(node)
                    overview_spans.append((node.body_start, node.own_end()))
                    if measures_announced(node, text) and not any(states_problem(k, text) or k.children for k in node.children):
                        pairs.append((node, {}))  # one task stated in the section's text, its numbered items its measures
                        for k in node.children:
                            k.role = "measure"
                        continue
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
        if layout == "multi_problem" and any(PLAN_OUTLINE_RE.search(n.heading(text)) for n in outline.roots) \
                and not any(n.role in ("overview", "problems") for n in outline.roots):
            layout = "enumerated"  # a plan (总体要求 / 主要任务 / 保障措施): its outline numbers measures, not problems
    section_roles = {n.path: (n.role or "other") for n in outline.nodes()}
    return ParsedNotice(text, outline, layout, problems, section_roles, problem_sections, overview_spans, warnings)


NOTICE_WORDS_RE = re.compile(r"巡视|巡察|督察|审计|整改|信访举报|查处|销号|问责")


def is_rectification_text(text: str) -> bool:
    """Whether a text is about rectification at all: it names an inspection, an audit, 整改 or the handling of a case
    (信访举报, 查处, 销号, 问责) at least once.

    This is the only test for "not a rectification notice": layout, length and outline never decide it."""
    return NOTICE_WORDS_RE.search(text) is not None


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
