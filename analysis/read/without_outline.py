"""Notices without a numbered outline: a 销号公示 or a 信访件 in one paragraph, prose with 一是/二是, a flattened table.

Such a notice has one problem when its opening names one task or case (第N项问题, 反馈意见第N项, (序号N), a
受理编号, “……”问题 … 销号): the task is the text of a 整改任务: line, else a quoted “……”问题, else the phrase
that names it; its measures are its 一是…/(1)… or its text; its status comes from the acceptance words
(达到销号标准, 已完成整改). Otherwise it states no problem, and its 一是…/(1)… are not read as measures (a
measure belongs to a problem; points outside any describe the work overall). The
layout is `table` (rows of |-separated cells, a header of one column name per line, or a run of eight one-cell
lines), `single_task`, `enumerated` (一是…/(1)…) or `paragraph`; a `no_outline` warning always says the outline
was missing. one_task also reads a single task that the preamble of an outlined notice announces.
"""

from __future__ import annotations

import re

from analysis.read.outline import Node, Outline
from analysis.read.page import TABLE_COLUMN_RE
from analysis.read.measures import block_measures, enumerators, item_span, labelled_measures_block, measures_of
from analysis.read.structure import DOC_ACCEPTANCE_RE, Measure, ParsedNotice, Problem

TABLE_ROW_RE = re.compile(r"^[^|\n]*\|[^|\n]*\|", re.M)
SINGLE_TASK_PROSE_RE = re.compile(
    r"(第\s*[\d一二三四五六七八九十]+\s*[项号]\s*(整改)?(任务|问题)|反馈(意见|问题)[^。,;]{0,6}?(第\s*[\d一二三四五六七八九十]+\s*项|\(序号\s*\d+\))|"
    r"(受理|交办)?编号[:]?\s*[A-Z]*\d{6,}|整改任务(编号|序号)|\((序号|问题编号)\s*[\d一二三四五六七八九十]+\)|"
    r"“[^”]{4,200}”问题[^。]{0,12}?(已完成整改|已整改完成|整改完成)[^。]{0,30}?销号)")
TASK_LABEL_RE = re.compile(r"^\s*(整改任务|整改问题|反馈问题|交办问题|问题内容)\s*[:]\s*(?P<task>\S.{6,400}?)\s*$", re.M)
TASK_QUOTE_RE = re.compile(r"关于“(?P<task>[^”]{8,400})”|“(?P<task2>[^”]{8,400}问题)”")


CELL_LINE_RE = re.compile(r"^[^。,;:!?、]{1,8}$")


def is_table_shaped(text: str) -> bool:
    """Whether the text holds a flattened table: rows of |-separated cells; a header of one cell per line
    (序号 / 整改任务 / 责任单位 / 整改时限 / 完成情况 …, three column names or more); or a run of eight or more
    one-cell lines (short words and numbers)."""
    if len(TABLE_ROW_RE.findall(text)) >= 3:
        return True
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if sum(1 for line in lines if TABLE_COLUMN_RE.match(line)) >= 3:
        return True
    run = 0
    for line in lines:
        run = run + 1 if CELL_LINE_RE.match(line.rstrip(" |")) else 0
        if run >= 8:
            return True
    return False


def layout_without_outline(text: str, start: int) -> str:
    """table (rows of |-separated cells or a header of one cell per line), enumerated (一是…/(1)…) or paragraph."""
    if is_table_shaped(text):
        return "table"
    return "enumerated" if enumerators(text, start, len(text)) else "paragraph"


def task_span(text: str, single: re.Match, front_end: int) -> tuple[int, int]:
    """Where the one task of a single-task notice is stated: a 整改任务: line, a quoted “……”问题, or the phrase that
    names the task (第N项问题)."""
    labelled = TASK_LABEL_RE.search(text, 0, min(len(text), front_end + 600))
    if labelled:
        return labelled.span("task")
    quoted = TASK_QUOTE_RE.search(text, 0, min(len(text), front_end + 400))
    if quoted:
        return quoted.span("task" if quoted.group("task") else "task2")
    return single.span()


def one_task(text: str, single: re.Match, front_end: int, items: list[Node]) -> Problem:
    """The problem of a single-task notice without statement sections: its task, its measures (the numbered items,
    else 一是… or the text), its status from the acceptance words (达到销号标准, 已完成整改)."""
    t_start, t_end = task_span(text, single, front_end)
    after_task = max(t_end, single.end())
    if t_end > t_start and text[t_end - 1] == "。":
        t_end -= 1
    problem = Problem("1", "", None, text[t_start:t_end], t_start, t_end, 0, len(text))
    block = labelled_measures_block(text, after_task, len(text))
    if items:
        spanned = [(node, span) for node in items if (span := item_span(text, node.start, node.end))]
        problem.measures = [Measure(i, "done", node.label, node.number, *span) for i, (node, span) in enumerate(spanned, start=1)]
        for node in items:
            node.role = "measure"
    elif block:  # 整改措施:1、……2、……整改任务完成情况:…… — the measures are the field's items
        problem.measures = block_measures(text, *block)
    else:
        problem.measures = measures_of(text, after_task, len(text))
    found = DOC_ACCEPTANCE_RE.search(text)
    if found:
        problem.status, problem.status_source, problem.status_start, problem.status_end = "completed", "document", *found.span()
    return problem


def parse_without_outline(text: str, outline: Outline) -> ParsedNotice:
    """A notice without a numbered outline: one problem when it reports on one task or case (a 销号公示, a 信访件),
    else no problem and no measures: measures are read only under a problem the notice states (its 一是… points
    outside any problem describe the work overall). A warning says what could not be read."""
    warnings = ["no_outline"]
    marks = enumerators(text, 0, len(text))
    front_end = marks[0][0] if marks else min(len(text), 1500)
    layout = layout_without_outline(text, 0)
    head = text[:front_end]
    problems: list[Problem] = []
    loose: list[Measure] = []
    single = SINGLE_TASK_PROSE_RE.search(head)
    if single:
        layout = "table" if layout == "table" else "single_task"
        problems.append(one_task(text, single, front_end, []))
    else:
        warnings.append("no_problems_stated")
    return ParsedNotice(text, outline, layout, problems, {}, [], [(0, front_end)], warnings, loose, front_end)
