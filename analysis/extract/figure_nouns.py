"""What a figure counts, read the way a quantity phrase is built in Chinese.

A counter governs the noun after it (144个|高风险遗留地块): that noun, up to the next clause mark or verb, is what was
counted. A number with nothing after it closes a phrase whose head stands before it (会议费|35816元, 已办结|40件,
社会保障和就业支出|4.62亿元): the words back to the previous clause mark, less a verb of change or the copula at
their end (增长, 为, 达到), a date, an actor and the verb before a long phrase's head (该单位账面实际支出|公务接待费),
and a comparison base (投入比上年增长9%: the 投入 grew). What is left must be a plain noun phrase — at most fourteen
characters, no verb inside (研究, 约谈, 被 …) — or there is no answer: a wrong noun is worse than none.
"""

from __future__ import annotations

import re
from functools import lru_cache

REAR_NOUN_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z“”]{1,12}?(?=[,。;:、(（)\d]|已|均|的|并|和|及|进行|开展|完成|正在|中|为|是|下发|签订|予以|"
                          r"给予|被|得到|纳入|实现|达到|通过|办结|立案|处罚|问责|约谈|查出|发现|反映|指出|不需|不再|不属|未|对|有(?!限)|"
                          r"任(?:组长|副组长|第一|成员|主任|组员)|担任|负责|$)")
NOT_NOUN_START = ("的", "以", "之", "内", "后", "前", "来", "中", "左右", "余", "已", "均", "正在", "未", "并", "和", "及")
CLAUSE_MARKS = r"[,。;:、!?()（）“”\n\d.%]"
CLAUSE_MARK_RE = re.compile(CLAUSE_MARKS)
UP_TO_LAST_MARK_RE = re.compile(rf"(?s).*{CLAUSE_MARKS}")  # greedy: it ends right after the last clause mark
FRONT_TAILS = ("增长", "下降到", "下降", "减少", "增加", "提高到", "提高", "提升到", "提升", "上升到", "上升", "降低", "达到", "达", "为",
               "约", "的有", "有", "占", "共", "合计", "共计", "累计")
FRONT_TAIL_RE = re.compile(rf"(?:分别|共|合计|共计|累计)?(?:{'|'.join(FRONT_TAILS)})+$")
CHANGES = ("增长", "下降", "减少", "增加", "提高", "降低", "上升", "提升")
CHANGE_ENDS = CHANGES + tuple(change + "到" for change in CHANGES)  # what CHANGE_END_RE matches
CHANGE_END_RE = re.compile(rf"(?:{'|'.join(CHANGES)})到?$")
COMPARISON_RE = re.compile(r"比上年|比去年|较上年|较去年|同比")
LEAD_WORDS = ("年度", "年底", "年初", "年末", "年", "月底", "月初", "月", "日", "底", "或", "和", "及", "并", "其中", "共", "累计", "全县", "全市",
              "全区", "全省")
LEAD_RE = re.compile(rf"^(?:{'|'.join(LEAD_WORDS)})+")
# verbs that, inside what was found, show it is a clause rather than a noun phrase: better no answer than a clause
CLAUSE_VERB_RE = re.compile(r".(?:印发|下发|研究|部署|约谈|查出|采纳|召开|开展|组织|推进|落实|制定|投用|新增|分赴|前往|深入|担任|被|对|向|将|把|已)")
MOST = 14
UNIT_WORDS = ("亿", "万", "元", "吨", "亩", "个", "件", "项", "家", "人", "次", "米", "%")
HEAD_AFTER_RE = re.compile(r"^.*(?:的|累计|开展|召开|组织|举办|进行|先后|分别|支出|制定|修订|建立|完善|出台|清理|追回|收缴|发放)")
LEAD_VERBS = ("已完成", "已全部", "新增", "完成", "建成", "排查", "发现", "压降", "淘汰", "接入", "出具", "查摆", "招聘", "达到", "达", "有", "在",
              "对", "向", "设立", "办理", "处置")
LEAD_VERB_RE = re.compile(rf"^(?:{'|'.join(LEAD_VERBS)})+")
LONG = 10
COMPARED_TO_RE = re.compile(r"^.*(?:比上年|比去年|较上年|较去年|同比|比|较)(?=..)")
UP_TO_DE_RE = re.compile(r"^.*的")
# what is cut from a phrase's front, in turn, whether always or only from a LONG phrase, and a cheap test that the
# phrase has what a match needs (its first words; 比 or 较; 的)
HEAD_RULES = ((LEAD_VERB_RE, True, lambda p: p.startswith(LEAD_VERBS)),
              (COMPARED_TO_RE, True, lambda p: "比" in p or "较" in p), (UP_TO_DE_RE, True, lambda p: "的" in p),
              (HEAD_AFTER_RE, False, lambda p: True))
SEPARATELY_END_RE = re.compile(r"分别$")
DE_END_RE = re.compile(r"的$")
SEEN = 4096  # how many short strings' answers are kept: a notice repeats its phrases (问题, 整改措施 ...)


def what_counted(text: str, start: int, end: int, category: str) -> str | None:
    """What a figure counts: the noun a counter governs, else the head of the phrase the number closes; None when
    neither is a plain noun phrase (a clause, a duration)."""
    if category == "duration":
        return None
    if category == "count" and "\u4e00" <= text[end:end + 1] <= "\u9fff" and not text.startswith(NOT_NOUN_START, end):
        return noun_after(text[end:end + 14])  # a noun follows the counter: it is what was counted
    return plain_head(phrase_before(text, start))


@lru_cache(maxsize=SEEN)
def noun_after(following: str) -> str | None:
    """The plain noun phrase at the start of the words after a counter, if any."""
    rear = REAR_NOUN_RE.match(following)
    return plain(rear.group(0)) if rear else None


def plain(phrase: str | None) -> str | None:
    """A phrase when it is a plain noun phrase (at most MOST characters, no verb inside), else None."""
    if not phrase or len(phrase) > MOST or CLAUSE_VERB_RE.search(phrase):
        return None
    return phrase


def front_head(text: str, start: int) -> str | None:
    """The head of the phrase that ends right before a number (back to the previous clause mark)."""
    return head_of(phrase_before(text, start))


def phrase_before(text: str, start: int) -> str:
    """The words right before a number back to the previous clause mark (at most 24 characters)."""
    window = text[max(0, start - 24):start]
    marked = UP_TO_LAST_MARK_RE.match(window)
    return window[marked.end():] if marked else window


@lru_cache(maxsize=SEEN)
def plain_head(phrase: str) -> str | None:
    """The head of a phrase before a number when it is a plain noun phrase, else None."""
    return plain(head_of(phrase))


def head_of(phrase: str) -> str | None:
    """The head of the words before a number (phrase_before): less a verb of change or the copula at their end, a
    date, an actor and its verb, a comparison base."""
    if phrase.startswith(UNIT_WORDS):
        return None  # 14.94亿元增长3%: the words before belong to the figure before
    # each pattern below is tried only when the words it needs are there (most phrases are a bare noun)
    changed = ends_with(phrase, CHANGE_ENDS)
    if ends_with(phrase, FRONT_TAILS):  # the words FRONT_TAIL_RE ends with
        phrase = FRONT_TAIL_RE.sub("", phrase) or phrase
    if changed:  # 投入比上年增长9%: the subject grew, not the comparison base
        subject = SEPARATELY_END_RE.sub("", COMPARISON_RE.split(phrase)[0])
        phrase = subject if len(subject) >= 2 else phrase
    if phrase.startswith(LEAD_WORDS):
        phrase = LEAD_RE.sub("", phrase)
    if ends_with(phrase, ("的",)):
        phrase = DE_END_RE.sub("", phrase)
    for rule, always, needs in HEAD_RULES:
        if (always or len(phrase) > LONG) and needs(phrase):
            shorter = rule.sub("", phrase)
            phrase = shorter if len(shorter) >= 2 else phrase
    return phrase or None


def ends_with(phrase: str, words: tuple[str, ...]) -> bool:
    """Whether `phrase` ends with one of `words` where `$` can match: at its end, or before a last newline."""
    return (phrase[:-1] if phrase.endswith("\n") else phrase).endswith(words)
