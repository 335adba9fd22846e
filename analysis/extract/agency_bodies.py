"""Bodies named by a pattern rather than the gazetteer: inspection groups, leading groups and their offices,
rectification offices, and the committees and offices of a party committee (X委审计委员会办公室).

A body named as a compound (区委审计委员会, 局机关纪委, 巡视整改工作领导小组办公室) is one body and is kept whole:
its head alone (区委) is a different body.
"""

from __future__ import annotations

import re

NUMERAL = "一二三四五六七八九十"
INSPECTION_GROUP_RE = re.compile(
    rf"(?P<who>中央|省委|市委|州委|县委|区委|省|市|县|区)?(?P<nth>第[{NUMERAL}]+)?(?P<kind>提级交叉|交叉|专项|联动)?"
    rf"(?P<what>巡视|巡察|环境保护督察|生态环境保护督察)(?P<ord>第?[{NUMERAL}]+)?组")
INSPECTION_ANCHOR_RE = re.compile(rf"(?:巡视|巡察|督察)(?:第?[{NUMERAL}]+)?组")
INSPECTION_PREFIXES = tuple(f"{kind}{c}" for kind in ("巡视", "巡察", "督察") for c in "第组" + NUMERAL)  # how INSPECTION_ANCHOR_RE's
# matches begin
TOPIC = r"(?:巡视|巡察|审计|督察|生态环境保护督察|环保督察|环境保护督察)"
LEADING_GROUP_RE = re.compile(
    rf"(?P<level>[省市县区](?:委)?)?(?P<name>(?:中央)?{TOPIC}(?:反馈意见|反馈问题)?(?:整改)?(?:落实)?(?:工作)?|整改(?:落实)?(?:工作)?)"
    r"领导小组(?P<office>办公室)?")
LEADING_ANCHOR_RE = re.compile(r"领导小组(?:办公室)?")
LEADING_PREFIXES = ("领导小",)  # how LEADING_ANCHOR_RE's matches begin
RECTIFICATION_OFFICE_RE = re.compile(rf"(?P<level>[省市县区](?:委)?)?(?P<name>{TOPIC}?整改办(?:公室)?)(?![结理法事件])")
RECTIFICATION_ANCHOR_RE = re.compile(r"整改办(?:公室)?(?![结理法事件])")
RECTIFICATION_PREFIXES = ("整改办",)  # how RECTIFICATION_ANCHOR_RE's matches begin
PARTY_TAIL_RE = re.compile(r"(?:[\u4e00-\u9fff]{1,8}?(?:委员会|领导小组)(?:办公室)?|巡察办|巡视办|(?:巡视|巡察)?整改办(?![结理法事件]))")
PARTY_TAIL_STOP = "对向在和与及、,。;:对将把从为由经"
OWN_DISCIPLINE_RE = re.compile(r"(?:局|院|委|办|中心)?机关(?:纪委|党委|党总支|党支部)")
OWN_DISCIPLINE_PREFIXES = ("局机关", "院机关", "委机关", "办机关", "中心机", "机关纪", "机关党")  # how OWN_DISCIPLINE_RE's matches begin


def party_tail(text: str, end: int) -> int:
    """Where a compound body that starts with a party committee's name ends (区委|审计委员会办公室), or `end`."""
    m = PARTY_TAIL_RE.match(text, end)
    if not m or any(c in PARTY_TAIL_STOP for c in m.group(0)[:-3]):
        return end
    return m.end()


def youth_league_before(text: str, start: int) -> bool:
    """Whether a committee's name is that of a Communist Youth League committee (共青团某县委员会, 团县委)."""
    return text[max(0, start - 3):start].endswith(("共青团", "团"))
