"""Figures: quantities with their unit or counter and what was counted (治气工程162个, 优良率71.7%, 12万亩).

Numbers are Arabic (with decimals) or Chinese numerals; Chinese numerals are converted only on
the captured span and only before a counter, never inside quotes (“三张清单”), never as an
ordinal (第四批) and never as an enumerator (一是). Figures inside dates, document titles and the
closing contact lines (telephone numbers, postcodes) are not figures. What was counted is the
noun right after a counter (144个高风险遗留地块) or, for rates, masses, money and areas — and for
counters with nothing after them — the head of the phrase right before the number (二氧化硫85.08吨); see
analysis.extract.figure_nouns.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy as np

from analysis.extract.figure_nouns import what_counted
from analysis.read.text import char_table, cn_to_int, code_points, quoted_spans

UNITS: tuple[tuple[str, str, float, str], ...] = (
    # (unit as written, category, multiplier to base, base unit)
    ("个百分点", "percentage_points", 1, "个百分点"),
    ("%", "percent", 1, "%"),
    ("万吨", "mass", 10_000, "吨"), ("吨", "mass", 1, "吨"),
    ("万亩", "area", 10_000, "亩"), ("亩", "area", 1, "亩"),
    ("平方公里", "area", 1_000_000, "平方米"), ("万平方米", "area", 10_000, "平方米"), ("平方米", "area", 1, "平方米"),
    ("公里", "length", 1000, "米"), ("千米", "length", 1000, "米"), ("米", "length", 1, "米"),
    ("亿元", "money", 100_000_000, "元"), ("万元", "money", 10_000, "元"), ("元", "money", 1, "元"),
    ("人次", "count", 1, "人次"), ("场次", "count", 1, "场次"), ("批次", "count", 1, "批次"), ("辆", "count", 1, "辆"), ("家", "count", 1, "家"), ("个", "count", 1, "个"),
    ("条", "count", 1, "条"), ("项", "count", 1, "项"), ("次", "count", 1, "次"), ("件", "count", 1, "件"),
    ("人", "count", 1, "人"), ("名", "count", 1, "名"), ("份", "count", 1, "份"), ("期", "count", 1, "期"),
    ("座", "count", 1, "座"), ("处", "count", 1, "处"), ("户", "count", 1, "户"), ("批", "count", 1, "批"),
    ("类", "count", 1, "类"), ("套", "count", 1, "套"), ("台", "count", 1, "台"), ("场", "count", 1, "场"),
    ("宗", "count", 1, "宗"), ("起", "count", 1, "起"), ("轮", "count", 1, "轮"),
    ("个多月", "duration", 1, "月"), ("个半月", "duration", 1, "月"), ("个工作日", "duration", 1, "工作日"), ("工作日", "duration", 1, "工作日"), ("个月", "duration", 1, "月"),
    ("天", "duration", 1, "天"), ("周", "duration", 1, "周"), ("小时", "duration", 1, "小时"),
)
CN_COUNTERS = ("个工作日", "个多月", "个半月", "个月", "场次", "个", "家", "条", "项", "次", "件", "人", "名", "份", "期", "座", "处", "户", "批", "辆", "轮", "天",
               "周")
UNIT_INFO = {u[0]: u[1:] for u in UNITS}  # unit as written: (category, multiplier, base unit)
UNIT_ALT = "|".join(re.escape(u[0]) for u in sorted(UNITS, key=lambda u: -len(u[0])))
NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
ARABIC_RE = re.compile(rf"(?=[近约超共累\d])(?P<approx_before>近|约|超过|共计|累计)?(?P<num>{NUMBER})"
                       rf"(?:\s*(?P<sep>-|~|～|—|至|到|、)\s*(?P<num2>{NUMBER}))?\s*(?P<approx>余|多)?\s*(?P<unit>{UNIT_ALT})(?P<approx_after>左右)?")
CN_RE = re.compile(rf"(?P<num>[一二两三四五六七八九十百千]+)(?P<approx>余|多)?(?P<unit>{'|'.join(CN_COUNTERS)})(?!是)")
# slogans and fixed phrases whose numerals count nothing (中央八项规定, 四个意识, 一岗双责, 三重一大)
SLOGAN_RE = re.compile(r"八项规定|三个代表|四个(?:意识|自信|全面|服务|着力)|两个(?:维护|确立|责任|务必)|一岗双责|三重一大|三会一课|三基本|"
                       r"三个环境|五位一体|两学一做|四风|一把手|一票否决|一体推进|一件一件|一项一项|一条一条|一个一个")
ARTICLE_BEFORE_RE = re.compile(r"(?:作为|成为|是|为|当前|这|那|每|逐)$")
PHASE_RE = re.compile(r"(?:项目|工程)$")
GLUED_DATE_RE = re.compile(r"(?:19|20)\d{6,}")
GLUED_DATE_LEAST = 8  # the fewest digits GLUED_DATE_RE takes
FOR_EACH_RE = re.compile(r"一[个名套项条件]以上|若干")
APPROX_BEFORE = {"近", "约", "超过", "共计", "累计"}  # ARABIC_RE's words before the number
DIGIT, CN_NUMERAL = 1, 2  # kinds of numeral characters, as bits
NUMERAL_KINDS = char_table("", r"\d").astype(np.int8) * DIGIT | char_table("一二两三四五六七八九十百千").astype(np.int8) * CN_NUMERAL
# what can follow a run of each kind in a match: for digits, more of the number, a space, a range mark, 余/多 or a
# unit (ARABIC_RE); for Chinese numerals, 余/多 or a counter (CN_RE)
AFTER_KINDS = (char_table(",." + "-~～—至到、" + "余多" + "".join(u[0][0] for u in UNITS), r"\s").astype(np.int8) * DIGIT
               | char_table("余多" + "".join(c[0] for c in CN_COUNTERS)).astype(np.int8) * CN_NUMERAL)


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
    value_end: float | None = None  # the upper end of a range (4、5次, 3至5个)


def range_end(value: float, second: str | None, sep: str | None) -> float | None:
    """The upper end of a range (3至5个, 3-5个; 4、5次 only for neighbours), or None when there is no range."""
    if not second:
        return None
    end = float(second.replace(",", ""))
    if sep == "、":
        return end if end == value + 1 else None
    return end if end > value else None


def cn_range(numeral: str) -> tuple[int, int] | None:
    """(low, high) of two neighbouring Chinese digits (三四个, 四五次), else None."""
    digits = "一二三四五六七八九"
    if len(numeral) == 2 and numeral[0] in digits and numeral[1] in digits and digits.index(numeral[1]) == digits.index(numeral[0]) + 1:
        return digits.index(numeral[0]) + 1, digits.index(numeral[1]) + 1
    return None


class Cover:
    """Spans for 'does anything here overlap / contain' questions about non-empty stretches: a span (a, b) overlaps
    [start, end) when a < end and b > start, and as no span ends before it starts, those that end by `start` are among
    those that start before `end`, so counting both in the sorted starts and ends answers (as merging the spans would,
    without sorting them as pairs)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.starts: list[int] = sorted([a for a, _ in spans])
        self.ends: list[int] = sorted([b for _, b in spans])

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end), not empty, overlaps any span."""
        return bisect_left(self.starts, end) > bisect_right(self.ends, start)

    def contains(self, pos: int) -> bool:
        """Whether `pos` lies inside a span."""
        return bisect_right(self.starts, pos) > bisect_right(self.ends, pos)


def is_han(ch: str) -> bool:
    """Whether `ch` is one character of U+4E00–U+9FFF."""
    return "\u4e00" <= ch <= "\u9fff"


def one_by_one_after(text: str, end: int, unit: str) -> bool:
    """Whether the words at `end` take 一 + `unit` again after a verb (整改一个、销号一个): 、 if there, then one to
    four Han characters and 一 + `unit` (as the pattern `、?` + Han{1,4} + 一unit matched at `end`, without a
    pattern compiled per counter)."""
    pos = end + 1 if text.startswith("、", end) else end  # 、 is no Han character: a match without it cannot pass it
    again = "一" + unit
    for length in range(1, 5):
        if not is_han(text[pos + length - 1:pos + length]):
            return False
        if text.startswith(again, pos + length):
            return True
    return False


def one_by_one_before(text: str, start: int, unit: str) -> bool:
    """Whether the words before `start` (at most 8 characters) end in 一 + `unit`, 、 if there, and one to four Han
    characters (完成一项销号一项), as the pattern 一unit + `、?` + Han{1,4} + `$` searched in text[start - 8:start]."""
    low = max(0, start - 8)
    end = start - 1 if text[start - 1:start] == "\n" else start  # $ also matches before a last newline
    again = "一" + unit
    for length in range(1, 5):
        if end - length < low or not is_han(text[end - length]):
            return False
        verb_at = end - length
        if text.endswith(again, low, verb_at) or (text[verb_at - 1:verb_at] == "、" and text.endswith(again, low, verb_at - 1)):
            return True
    return False


def counts_something(text: str, start: int, end: int, numeral: str) -> bool:
    """Whether a Chinese numeral and counter state a quantity: not a slogan (中央八项规定), not 每一/逐一, not 一 as an
    article (作为一项严肃的政治任务, 一项重要工作)."""
    if SLOGAN_RE.match(text, start) or ARTICLE_BEFORE_RE.search(text, max(0, start - 2), start) \
            or text[max(0, start - (end - start)):start] == text[start:end]:  # 一件一件: a manner, not a count
        return False
    if numeral == "一" and ("的" in text[end:end + 5].split(",")[0].split("。")[0] or text[start - 1:start] == "的"):
        return False  # 一项严肃的任务, 对湖北的一次全面体检: 一 as an article
    unit = text[start + len(numeral):end]
    if numeral == "一" and FOR_EACH_RE.search(text, max(0, start - 16), end + 16):
        return False  # 一个问题一名以上牵头领导、一个牵头单位和若干责任单位: a rule for each, not a count
    if numeral == "一":
        if one_by_one_after(text, end, unit) or one_by_one_before(text, start, unit):
            return False  # 整改一个、销号一个, 完成一项销号一项: one by one
    if unit == "次" and text.startswith("会议", end) and "届" in text[max(0, start - 6):start]:
        return False  # 十五届人大五次会议: the session's number, not a count
    if unit == "期" and (PHASE_RE.search(text, max(0, start - 2), start) or text.startswith(("工程", "项目"), end)):
        return False  # 项目一期, 二期工程: a phase, not a count
    return True


def numeral_starts(text: str) -> tuple[list[int], list[int]]:
    """Where matches of ARABIC_RE's number and of CN_RE can start: the maximal runs of digits and of Chinese numerals
    followed by what can follow them in a match (a run at the end of the text has nothing after it)."""
    points = code_points(text)
    kinds = NUMERAL_KINDS.take(points)
    bounds = (kinds[1:] != kinds[:-1]).nonzero()[0] + 1  # where one run ends and the next starts
    if not len(bounds):
        return [], []  # one run or none: nothing follows it
    # the run starting at bounds[i] ends at bounds[i + 1]: its kind where what follows it can follow that kind, else 0
    starts = bounds[:-1]
    kept = kinds.take(starts) & AFTER_KINDS.take(points.take(bounds[1:]))
    digits, chinese = starts[kept == DIGIT].tolist(), starts[kept == CN_NUMERAL].tolist()
    if first := kinds[0] & AFTER_KINDS[points[bounds[0]]]:  # the run at the very start, if a numeral's
        (digits if first == DIGIT else chinese).insert(0, 0)
    return digits, chinese


def arabic_matches(text: str, starts: list[int] | None = None) -> list[re.Match]:
    """The matches of ARABIC_RE.finditer(text), tried only where one can start, not at every character: at a run of
    digits followed by what can follow a number (its word before the number, 近/约/超过/共计/累计, tried first, as
    finditer reaches it first). A match never starts inside a run of digits: there it would also match one digit
    earlier, and it never ends on a digit. `starts`: numeral_starts' runs of digits, when already known."""
    found: list[re.Match] = []
    last = 0
    for pos in numeral_starts(text)[0] if starts is None else starts:
        if pos < last:
            continue
        start = pos
        if text[pos - 1:pos] in APPROX_BEFORE:
            start = pos - 1
        elif text[pos - 2:pos] in APPROX_BEFORE:
            start = pos - 2
        if (m := ARABIC_RE.match(text, start if start >= last else pos)):
            found.append(m)
            last = m.end()
    return found


def cn_matches(text: str, starts: list[int] | None = None) -> list[re.Match]:
    """The matches of CN_RE.finditer(text), tried only where a run of Chinese numerals followed by 余/多 or a counter
    starts: a match inside a run would also match one numeral earlier, and none ends on a numeral. `starts`:
    numeral_starts' runs of Chinese numerals, when already known."""
    return [m for pos in (numeral_starts(text)[1] if starts is None else starts) if (m := CN_RE.match(text, pos))]


def find_figures(text: str, excluded: list[tuple[int, int]]) -> list[FigureMention]:
    """Quantities in `text` outside the excluded spans (dates, titles, contact lines)."""
    quoted = quoted_spans(text)
    quotes = Cover(quoted)
    names = Cover([(a, b) for a, b in quoted if b - a <= 14])  # a short quoted name (“16条”), not a quoted sentence
    found: list[FigureMention] = []
    blocked = Cover(excluded).overlaps
    digit_starts, cn_starts = numeral_starts(text)
    # no slogan test here: SLOGAN_RE's phrases all open with a Chinese numeral, never with a digit
    for m in arabic_matches(text, digit_starts):
        approx_before, number, sep, second, approx, unit, approx_after = m.groups()
        s, e = m.start("num"), m.end()
        if s > 0 and (text[s - 1] in "-/.:" and text[s - 2:s].strip() or text[s - 1].isdigit() or text[s - 1] in "〔[【"
                      or text[s - 1] == "第"):
            continue  # part of a code or a date (2023-11, 1.2.3), an ordinal (任务第43项)
        if text[e:e + 1].isdigit() or blocked(s, e) or names.contains(s):
            continue  # a name in quotes (稳经济“16条”)
        if len(number) >= GLUED_DATE_LEAST and GLUED_DATE_RE.fullmatch(number):
            continue  # a date whose digits ran together (20221124), not a number
        category, multiplier, base = UNIT_INFO[unit]
        value = float(number.replace(",", ""))
        value_end = range_end(value, second, sep)
        if second and value_end is None:
            s = m.start("num2")  # a list (3、17项): only the last number counts the unit
            value = float(second.replace(",", ""))
        approximate = bool(approx or approx_before in ("近", "约", "超过") or approx_after)
        found.append(FigureMention(s, e, text[s:e], value, unit, category, value * multiplier, base,
                                   what_counted(text, s, e, category), approximate, "arabic", value_end))
    arabic_taken = Cover([(f.start, f.end) for f in found])
    for m in cn_matches(text, cn_starts):
        s, e = m.start(), m.end()
        if s > 0 and (text[s - 1] == "第" or text[s - 1].isdigit() or text[s - 1] in "一二两三四五六七八九十百千"):
            continue  # an ordinal (第四批) or the tail of a longer numeral
        if blocked(s, e) or quotes.contains(s) or arabic_taken.contains(s):
            continue
        numeral, approx, unit = m.groups()
        if not counts_something(text, s, e, numeral):
            continue
        value, value_end = cn_to_int(numeral), cn_range(numeral)
        if value_end is not None:
            value, value_end = value_end
        if value is None or value == 0:
            continue
        category, multiplier, base = UNIT_INFO[unit]
        found.append(FigureMention(s, e, text[s:e], float(value), unit, category, float(value) * multiplier, base,
                                   what_counted(text, s, e, category), bool(approx) or "多" in unit, "chinese",
                                   float(value_end) if value_end is not None else None))
    return sorted(found, key=lambda f: (f.start, f.end))
