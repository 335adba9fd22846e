"""Declared totals: the counts a notice states about itself (problems fed back, measures, completed, rate, rules, money).

Notices state them in a handful of conventional phrasings, in the opening or an overview section,
never inside a problem: 反馈问题48个 / 梳理出N个具体问题 / N个方面M个问题 / 交办信访件N件 / 审计发现问题N个;
制定整改措施N条; 已完成整改N个 / N个问题已整改完成 / 已办结N件; 整改完成率X% / 总进度X%; 建立完善制度N项;
整改问题金额X亿元.

A bare count of problems is taken as the notice's total only when its sentence says so: a verb of handing
problems over comes before it (反馈, 指出, 交办, 转办, 梳理, 查出, 审计发现 …), or 共/共计 does, or a count of
completed ones follows it (45个具体问题有39个已完成整改). A count of completed problems is kept only after a
declared total (it is a count *of* those problems). Ordinals (第四项) are never counts. 整改任务 are the problems
of an environmental inspection's plan but the measures of a party committee's. The first phrase of each kind wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.read.text import cn_to_int

NUM = r"(?<![第\d.一二三四五六七八九十百千两])(\d+|[一二三四五六七八九十百千两]+)(?![\d.])"
CASES = r"(?:交办|转办)?(?:的)?(?:群众)?(?:环境)?(?:信访(?:举报)?(?:件|问题|案件)?|举报件|案件)"
PROBLEM_VERB_RE = re.compile(r"(反馈|指出|交办|转办|梳理|查出|列出|反映|归纳|移交|对应|针对|涉及|存在(?:的)?|"
                             r"(?:巡察|巡视|督察|审计|检查)[^,。;]{0,4}?发现|(?:巡察|巡视|督察|审计)的)")
TOTAL_WORD_RE = re.compile(r"(共|共计|合计|总计)\s*$")
DONE = r"(?:全部|完全)?(?:完成整改|整改完成|整改到位|整改落实|整改销号|办结|完成|销号|整改)(?:合计|共计|共)?"
NOT_MEASURES = r"(?!(?:整改)?措施|条措施)"
PROBLEM_COUNT_RES = (
    re.compile(rf"{NUM}(?:个|项|条|件)(?:具体|主要|突出|重点)?问题(?!的?具体表现|表现|案例|线索)"),
    re.compile(rf"问题(?:共|共计|合计)?{NUM}(?:个|项|条|件)"),
    re.compile(rf"{NUM}件{CASES}"),
    re.compile(rf"{CASES}(?:共|共计|合计)?{NUM}件"),
)
CASE_WORDS = ("信访", "举报件", "案件")  # one of them stands in every match of CASES
# Words one of which stands in every match of the pattern of the same place (a sentence without them is not searched).
PROBLEM_COUNT_WORDS = (("问题",), ("问题",), CASE_WORDS, CASE_WORDS)
CATEGORY_RE = re.compile(rf"{NUM}(?:个|大)?方面")
CATEGORY_PROBLEMS_RE = re.compile(rf"{NUM}(?:个|大)?方面(?:的)?问题")
KINDS_RE = re.compile(rf"{NUM}类问题")  # 类: problems under 方面 (3个方面11类问题), else the categories themselves
MEASURE_COUNT_RE = re.compile(rf"{NUM}(?:条|项)(?:具体)?整改(?:措施|举措)")
REFINED_RE = re.compile(r"(细化|分解|梳理为|梳理出|细分)")
SUBCOUNT_BEFORE_RE = re.compile(r"(其中|其中的|含|包括|还有|尚有|剩余|其余|另有)\s*$")
FOLLOWED_BY_DONE_RE = re.compile(rf"^[^。;]{{0,30}}?(?:有|其中)?{NUM}(?:个|项|件)(?:问题)?(?:已|均已)|^[^。;]{{0,30}}?已(?:全部)?{DONE}")

PATTERNS: tuple[tuple[str, re.Pattern, int], ...] = (  # (field, regex, group holding the number)
    ("declared_problems_completed", re.compile(rf"{NUM}(?:个|项|件|条)(?:问题|事项|任务)、{NUM}(?:条|项)(?:整改)?措施(?:已|均已|已经){DONE}"), 1),
    ("declared_measures_completed", re.compile(rf"{NUM}(?:个|项|件|条)(?:问题|事项|任务)、{NUM}(?:条|项)(?:整改)?措施(?:已|均已|已经){DONE}"), 2),
    ("declared_problems_completed", re.compile(rf"{NUM}(?:个|项|件|条)(?:问题|事项|任务|{CASES})?(?:已|均已|已经){DONE}{NOT_MEASURES}"), 1),
    ("declared_problems_completed", re.compile(rf"(?:已|累计)(?:[^,。;\d]{{0,4}}?){DONE}(?:的)?(?:问题)?{NUM}(?:个|项|件)(?!措施|整改措施)"), 1),
    ("declared_problems_completed", re.compile(rf"已完成[^,。;]{{0,24}}?{NUM}(?:个|项|件)问题(?:的)?整改"), 1),
    ("declared_problems_completed", re.compile(rf"(?<!未)(?:完成整改|办结|销号)(?:问题)?{NUM}(?:个|项|件)(?!措施)"), 1),
    ("declared_tasks", re.compile(rf"{NUM}(?:项|个|条)(?:具体)?整改任务"), 1),
    ("declared_tasks", re.compile(rf"整改任务(?:共|共计)?{NUM}(?:项|个|条)"), 1),
    ("declared_measures", re.compile(rf"{NUM}(?:条|项)(?:具体)?整改(?:措施|举措)"), 1),
    ("declared_measures", re.compile(rf"(?:制定|明确|提出|细化)(?:了)?(?:具体)?(?:整改)?(?:措施|举措)(?:共)?{NUM}(?:条|项)"), 1),
    ("declared_measures_completed", re.compile(rf"{NUM}(?:条|项)(?:整改)?(?:措施|举措)已(?:全部)?(?:完成|落实)"), 1),
    ("declared_measures_completed", re.compile(rf"已完成(?:整改)?(?:措施|举措){NUM}(?:条|项)"), 1),
    ("declared_completion_pct", re.compile(r"(?:总进度|完成率|整改完成率|整改率|办结率|销号率|完成比例|整改到位率)(?:为|达|达到|是)?\s*(\d+(?:\.\d+)?)\s*%"), 1),
    ("declared_items_completed", re.compile(rf"已(?:整改)?完成(?:整改)?(?:事项|任务){NUM}(?:个|项)"), 1),
    ("declared_items_long_term", re.compile(rf"(?:阶段性成效|长期坚持)[^,。;]{{0,12}}?(?:事项|问题|任务){NUM}(?:个|项)"), 1),
    ("declared_items_in_progress", re.compile(rf"(?:正在|持续|按计划)推进[^,。;]{{0,8}}?(?:事项|问题|任务){NUM}(?:个|项)"), 1),
    ("declared_rules", re.compile(rf"(?:形成|建立|出台|制定|修订|完善|健全|新建|新增)(?:和|、|并|及|或)?(?:完善|健全|修订|修改)?(?:完善)?(?:各类|相关)?"
                                  rf"[^,。;]{{0,6}}?(?:制度机制|规章制度|长效机制|管理制度|制度)(?:共|共计)?{NUM}(?:项|个|件|条|份)"), 1),
    ("declared_rules", re.compile(rf"(?:建章立制|整章建制)(?:共|共计)?{NUM}(?:项|个|件|条|份)"), 1),
    ("declared_rules", re.compile(rf"(?:形成|建立|出台|制定|修订|完善|健全|新建|新增)[^,。;]{{0,6}}?{NUM}(?:项|个|件|条|份)(?:规章|管理|长效)?(?:制度|机制)"), 1),
    ("declared_amount", re.compile(r"整改(?:到位)?(?:问题)?(?:金额|资金)(?:共计|共|合计|为|达)?\s*(\d+(?:\.\d+)?)\s*(亿|万)?元"), 1),
)
# Words one of which stands in every phrase the pattern of the same place in PATTERNS reads: a sentence without
# them is not searched.
PATTERN_WORDS: tuple[tuple[str, ...], ...] = (
    ("措施",), ("措施",), ("已",), ("已", "累计"), ("已完成",), ("完成整改", "办结", "销号"),
    ("整改任务",), ("整改任务",), ("整改措施", "整改举措"), ("措施", "举措"), ("措施已", "举措已"), ("已完成",),
    ("%",), ("完成",), ("阶段性成效", "长期坚持"), ("推进",),
    ("制度", "机制"), ("建章立制", "整章建制"), ("制度", "机制"),
    ("元",),
)
PERCENT_CHECK_TOLERANCE = 0.05
COMPLETED_NEAR = 400  # characters after a declared total within which a completed count refers to it


@dataclass(frozen=True)
class Declared:
    """One declared total: field, value, evidence span."""

    field: str
    value: float
    start: int
    end: int


DECIMAL_RE = re.compile(r"\d+(\.\d+)?")


def number(value: str) -> float | None:
    """A captured number (Arabic or Chinese) as a float."""
    if DECIMAL_RE.fullmatch(value):
        return float(value)
    parsed = cn_to_int(value)
    return float(parsed) if parsed is not None else None


def holds_one(sentence: str, words: tuple[str, ...]) -> bool:
    """Whether `sentence` holds one of `words` (a substring test on the sentence itself: cheaper than a find in the whole
    text with bounds, and sentences are short)."""
    for word in words:
        if word in sentence:
            return True
    return False


def sentence_before(text: str, pos: int, floor: int) -> str:
    """The part of the sentence that comes before `pos` (back to 。; or a line break, not before `floor`)."""
    cut = max(text.rfind(ch, floor, pos) for ch in "。;\n")
    return text[max(cut + 1, floor):pos]


def problem_counts(text: str, start: int, end: int) -> list[Declared]:
    """Counts of problems in text[start:end] that their sentence declares as the notice's total (see module doc)."""
    found = []
    sentence = text[start:end]
    for regex, words in zip((*PROBLEM_COUNT_RES, KINDS_RE), (*PROBLEM_COUNT_WORDS, ("类问题",))):
        if not holds_one(sentence, words):
            continue
        for m in regex.finditer(text, start, end):
            before = sentence_before(text, m.start(), start) + text[m.start():m.start(1)]  # 转办信访件23件: the verb may be matched
            after = text[m.end():min(end, m.end() + 40)].split("\n")[0]
            if SUBCOUNT_BEFORE_RE.search(before) or re.match(r"(?:的)?(?:已|均已|已经)", after):
                continue  # a part (其中N个) or itself a count of completed ones (N个问题已整改)
            if regex is KINDS_RE and not CATEGORY_RE.search(before):
                continue
            if PROBLEM_VERB_RE.search(before) or TOTAL_WORD_RE.search(before) or FOLLOWED_BY_DONE_RE.search(after):
                value = number(m.group(1))
                if value is not None and m.group(1) != "一":  # 揭示一个问题 / 每一个问题: a slogan, not a count
                    found.append(Declared("declared_problems", value, m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    for i, count in enumerate(found[:-1]):  # N项问题 … 细化(分解)为M个具体问题: the finer count is the notice's
        finer = found[i + 1]
        between = text[count.end:finer.start]
        if "。" not in between and REFINED_RE.search(between):
            return [finer] + found[i + 2:]
    return found


def categories(text: str, start: int, end: int, problems: list[Declared]) -> Declared | None:
    """The categories of problems: N个方面的问题; N个方面 before a declared count of problems or measures in its
    sentence; N类问题 without a 方面 count."""
    counts = [p.start for p in problems]
    sentence = text[start:end]
    if holds_one(sentence, ("整改措施", "整改举措")):
        counts += [m.start() for m in MEASURE_COUNT_RE.finditer(text, start, end)]
    if not holds_one(sentence, ("方面", "类问题")):
        return None  # CATEGORY_RE and KINDS_RE need one of them
    for m in CATEGORY_RE.finditer(text, start, end):
        value = number(m.group(1))
        if m.group(1) == "一":
            continue  # 一方面……另一方面, 一个方面: a connective or a slogan, not a count
        follows = any(m.end() <= c <= m.end() + 40 and "。" not in text[m.end():c] for c in counts)
        if value is not None and (follows or CATEGORY_PROBLEMS_RE.match(text, m.start())):
            return Declared("declared_categories", value, m.start(), m.end())
    for m in KINDS_RE.finditer(text, start, end):
        value = number(m.group(1))
        if value is not None and not CATEGORY_RE.search(sentence_before(text, m.start(), start)):
            return Declared("declared_categories", value, m.start(), m.end())
    return None


SENTENCE_RE = re.compile(r"[^。;\n]+[。;\n]?")
COUNT_TOKEN_RE = re.compile(r"\d\s*(?:个|项|条|件|类|%|亿|万|元)|[一二三四五六七八九十百两]\s*(?:个|项|条|件|类|大?方面)|\d\s*方面")
# COUNT_TOKEN_RE without line breaks: a token inside a sentence never holds one (a line break ends the sentence), so
# these tokens, searched across the spans, are those of the sentences.
SENTENCE_COUNT_RE = re.compile(r"\d[^\S\n]*(?:个|项|条|件|类|%|亿|万|元)|[一二三四五六七八九十百两][^\S\n]*(?:个|项|条|件|类|大?方面)|"
                               r"\d[^\S\n]*方面")
# Where such a token may start: a pattern that begins with one character class, which `re` scans for quickly (it
# also takes 三% or 5大方面, which SENTENCE_COUNT_RE then turns down).
COUNT_CANDIDATE_RE = re.compile(r"[\d一二三四五六七八九十百两][^\S\n]*(?:个|项|条|件|类|%|亿|万|元|大?方面)")
SENTENCE_END_RE = re.compile(r"[。;\n]")


def counting_sentences(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences (SENTENCE_RE's, in each span) of the spans that hold a count (N个/项/条/件, N%, N元, N方面): the
    only places a total can stand. Reading these alone gives the same totals as reading the whole spans, much faster.
    Found from the counts: the sentence around each count not in a sentence found already."""
    found = []
    for start, end in sorted(spans):
        begin = pos = start  # a sentence begins at the span's start or after the last sentence found; the search at pos
        while (count := COUNT_CANDIDATE_RE.search(text, pos, end)) is not None:
            at = count.start()
            pos = at + 1
            if not SENTENCE_COUNT_RE.match(text, at, end):
                continue
            first = max(begin, text.rfind("。", begin, at) + 1, text.rfind(";", begin, at) + 1, text.rfind("\n", begin, at) + 1)
            stop = SENTENCE_END_RE.search(text, at, end)
            begin = pos = stop.end() if stop else end
            found.append((first, pos))
    return found


def declared_totals(text: str, spans: list[tuple[int, int]], genre: str = "other") -> list[Declared]:
    """Declared totals in the spans (in text order): the first phrase of each kind."""
    found: dict[str, Declared] = {}
    for start, end in counting_sentences(text, spans):
        sentence = text[start:end]
        problems = problem_counts(text, start, end)
        if problems and "declared_problems" not in found:
            found["declared_problems"] = problems[0]
        if "declared_categories" not in found:
            category = categories(text, start, end, problems)
            if category:
                found["declared_categories"] = category
        for (name, regex, group), words in zip(PATTERNS, PATTERN_WORDS):
            if name in found or not holds_one(sentence, words):
                continue
            m = regex.search(text, start, end)
            if not m:
                continue
            raw = m.group(group)
            value = number(raw)
            if value is None or raw == "一":
                continue  # 整改一个、销号一个 / 完成一项销号一项: 一 in a slogan is not a count
            if name == "declared_amount":
                value *= {"亿": 1e8, "万": 1e4}.get(m.group(2) or "", 1.0)
            found[name] = Declared(name, value, m.start(), m.end())
    tasks = found.pop("declared_tasks", None)
    if tasks is not None:
        as_field = "declared_problems" if genre == "environmental_inspection" else "declared_measures"
        if as_field not in found or found[as_field].start > tasks.start:
            found[as_field] = Declared(as_field, tasks.value, tasks.start, tasks.end)
    done = found.get("declared_problems_completed")
    totals = [d for d in found.values() if d.field in ("declared_problems", "declared_measures", "declared_categories")]
    if done is not None and not any(t.start <= done.start <= t.end + COMPLETED_NEAR for t in totals):
        del found["declared_problems_completed"]
    return sorted(found.values(), key=lambda d: d.start)


def pct_check(values: dict) -> str | None:
    """consistent / inconsistent for a declared percentage against completed / total (measures, else problems)."""
    pct = values.get("declared_completion_pct")
    if pct is None:
        return None
    for done, total in (("declared_measures_completed", "declared_measures"), ("declared_problems_completed", "declared_problems")):
        if values.get(done) and values.get(total):
            ratio = 100 * values[done] / values[total]
            return "consistent" if abs(round(ratio, 1) - pct) <= PERCENT_CHECK_TOLERANCE else "inconsistent"
    return None
