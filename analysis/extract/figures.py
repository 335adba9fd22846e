"""Figures: quantities with their unit or counter and what was counted (治气工程162个, 优良率71.7%, 12万亩).

Numbers are Arabic (with decimals) or Chinese numerals; Chinese numerals are converted only on
the captured span and only before a counter, never inside quotes (“三张清单”), never as an
ordinal (第四批) and never as an enumerator (一是). Figures inside dates, document titles and the
closing contact lines (telephone numbers, postcodes) are not figures. What was counted is the
noun right after a counter (144个高风险遗留地块) or, for rates, masses, money and areas — and for
counters with nothing after them — the noun right before the number (二氧化硫85.08吨).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.read.text import SpanIndex, cn_to_int, quoted_spans

UNITS: tuple[tuple[str, str, float, str], ...] = (
    # (unit as written, category, multiplier to base, base unit)
    ("个百分点", "percentage_points", 1, "个百分点"),
    ("%", "percent", 1, "%"),
    ("万吨", "mass", 10_000, "吨"), ("吨", "mass", 1, "吨"),
    ("万亩", "area", 10_000, "亩"), ("亩", "area", 1, "亩"),
    ("平方公里", "area", 1_000_000, "平方米"), ("万平方米", "area", 10_000, "平方米"), ("平方米", "area", 1, "平方米"),
    ("公里", "length", 1000, "米"), ("千米", "length", 1000, "米"), ("米", "length", 1, "米"),
    ("亿元", "money", 100_000_000, "元"), ("万元", "money", 10_000, "元"), ("元", "money", 1, "元"),
    ("人次", "count", 1, "人次"), ("辆", "count", 1, "辆"), ("家", "count", 1, "家"), ("个", "count", 1, "个"),
    ("条", "count", 1, "条"), ("项", "count", 1, "项"), ("次", "count", 1, "次"), ("件", "count", 1, "件"),
    ("人", "count", 1, "人"), ("名", "count", 1, "名"), ("份", "count", 1, "份"), ("期", "count", 1, "期"),
    ("座", "count", 1, "座"), ("处", "count", 1, "处"), ("户", "count", 1, "户"), ("批", "count", 1, "批"),
    ("类", "count", 1, "类"), ("套", "count", 1, "套"), ("台", "count", 1, "台"), ("场", "count", 1, "场"),
    ("宗", "count", 1, "宗"), ("起", "count", 1, "起"), ("轮", "count", 1, "轮"), ("天", "count", 1, "天"),
)
CN_COUNTERS = ("个", "家", "条", "项", "次", "件", "人", "名", "份", "期", "座", "处", "户", "批", "辆", "轮")
UNIT_ALT = "|".join(re.escape(u[0]) for u in sorted(UNITS, key=lambda u: -len(u[0])))
ARABIC_RE = re.compile(rf"(?=[近约超共累\d])(?P<approx_before>近|约|超过|共计|累计)?(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?)\s*(?P<approx>余|多)?\s*(?P<unit>{UNIT_ALT})(?P<approx_after>左右)?")
CN_RE = re.compile(rf"(?P<num>[一二两三四五六七八九十百千]+)(?P<approx>余|多)?(?P<unit>{'|'.join(CN_COUNTERS)})(?!是)")
REAR_NOUN_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z“”0-9]{1,12}?(?=[,。;:、(（)]|已|均|的|并|和|及|进行|开展|完成|正在|中|为|是|$)")
FRONT_NOUN_RE = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,12}$")
LEADING_VERB_RE = re.compile(r"^(已完成|已全部|已|共|累计|新增|完成|建成|排查|发现|开展|组织|压降|淘汰|接入|出具|查摆|制定|招聘|全县|全市|其中|达到|达|有|在|对|向|建立|设立|办理|处置)+")
NOT_NOUN_START = ("的", "以", "之", "内", "后", "前", "来", "中", "左右", "余")


@dataclass
class FigureMention:
    """One quantity stated in the text."""

    start: int
    end: int
    text: str
    value: float
    unit: str
    category: str  # count | percent | percentage_points | mass | area | length | money
    base_value: float
    base_unit: str
    what: str | None
    approximate: bool
    numeral: str  # arabic | chinese


def _what(text: str, start: int, end: int, category: str) -> str | None:
    """What a figure counts: the noun after a counter, else the noun before the number."""
    if category == "count":
        rear = REAR_NOUN_RE.match(text[end:end + 14])
        if rear and rear.group(0) and not rear.group(0).startswith(NOT_NOUN_START):
            return rear.group(0)
    front = FRONT_NOUN_RE.search(text[max(0, start - 14):start])
    if front:
        noun = LEADING_VERB_RE.sub("", front.group(0))
        noun = re.sub(r"^.*?(已完成|完成|共|累计|新增|达)", "", noun) or noun
        return noun or None
    return None


def find_figures(text: str, excluded: list[tuple[int, int]]) -> list[FigureMention]:
    """Quantities in `text` outside the excluded spans (dates, titles, contact lines)."""
    quotes = SpanIndex(quoted_spans(text))
    unit_info = {u[0]: u for u in UNITS}
    found: list[FigureMention] = []
    blocked_index = SpanIndex(excluded)

    def blocked(s: int, e: int) -> bool:
        return blocked_index.overlaps(s, e)

    for m in ARABIC_RE.finditer(text):
        s, e = m.start("num"), m.end()
        if blocked(s, e) or (s > 0 and text[s - 1] in "-/.:" and text[s - 2:s].strip()) or text[e:e + 1].isdigit():
            continue
        if s > 0 and (text[s - 1].isdigit() or text[s - 1] in "〔[【"):
            continue
        unit = m.group("unit")
        _, category, multiplier, base = unit_info[unit]
        value = float(m.group("num").replace(",", ""))
        approximate = bool(m.group("approx") or m.group("approx_before") in ("近", "约", "超过") or m.group("approx_after"))
        found.append(FigureMention(s, e, text[s:e], value, unit, category, value * multiplier, base,
                                   _what(text, s, e, category), approximate, "arabic"))
    arabic_taken = SpanIndex([(f.start, f.end) for f in found])
    for m in CN_RE.finditer(text):
        s, e = m.start(), m.end()
        if s > 0 and (text[s - 1] == "第" or text[s - 1].isdigit() or text[s - 1] in "一二两三四五六七八九十百千"):
            continue  # an ordinal (第四批) or the tail of a longer numeral
        if blocked(s, e) or quotes.contains(s) or arabic_taken.contains(s):
            continue
        value = cn_to_int(m.group("num"))
        if value is None or value == 0:
            continue
        unit = m.group("unit")
        _, category, multiplier, base = unit_info[unit]
        found.append(FigureMention(s, e, text[s:e], float(value), unit, category, float(value) * multiplier, base,
                                   _what(text, s, e, category), bool(m.group("approx")), "chinese"))
    return sorted(found, key=lambda f: (f.start, f.end))
