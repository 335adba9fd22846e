"""Dates in notice text: absolute dates, ranges, months, quarters, fuzzy parts of months; year-less dates resolved.

A year-less date (9月4日, 3月底, 截至7月) takes its year from context, in this order:

1. the end of a range takes the year of its start (2023年3月15日至5月31日), plus one if it
   would fall before it;
2. in the opening paragraph, the nearest explicit year before it (the feedback date 9月4日
   follows the inspection period 2023年3月15日至5月31日), plus one if it would fall before
   that anchor;
3. elsewhere, when the opening states a date with its year (the feedback, as a rule), the first
   year that puts the date on or after it (the work reported follows the feedback: 11月 after a
   feedback of 2024年1月 is 2024年11月), unless that passes a signature dated after the anchor;
4. without a signature, the first year that puts the date on or after the nearest date before
   it that states its year (截止6月14日 after 2017年5月27日 is 2017);
5. else the report's own time: the latest year that puts the date on or before the signature
   date (the work reported happened before it was signed) — unless the text marks the date as
   planned (预计, 计划, 拟, 力争, 将于, ……前完成, 公示期为), in which case the earliest year on or
   after the signature.

今年 and 本年 count from the document's own date (signature, dateline or page date); 去年 from the year stated
earlier in its sentence (较去年同期), else the document's; 上年 — a budget's previous year — from the nearest year
stated before it. A day right after 今年 takes that year.

Every mention keeps its offsets, the precision it was stated with, and whether its year was
inferred.

Long because finding a date and resolving its year share the patterns, their fields and the DateMention they fill;
the year rules (`resolve` and the helpers after it) are the part to move to a module of their own if it grows again.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date

from analysis.read.text import char_table, run_table

Y = r"((?:19|20)\d{2})\s*年"
M = r"(1[0-2]|0?[1-9])\s*月"
D = r"(3[01]|[12]\d|0?[1-9])\s*[日号]"
SEP = r"\s*(?:至|到|—|–|-|~|～|－|——)\s*"
PART = r"(上旬|中旬|下旬|初|底|末|中)"
CN_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# (kind, regex) in priority order; each regex is tried at every position and the longest match wins.
PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("full_range", re.compile(Y + M + D + SEP + rf"(?:{Y})?(?:{M})?" + D)),
    ("month_range", re.compile(Y + M + r"份?" + PART + r"?" + SEP + rf"(?:{Y})?" + M + r"份?" + PART + r"?")),
    ("year_range", re.compile(r"((?:19|20)\d{2})\s*年?" + SEP + Y)),
    # parts of one month: 2025年3月上旬至中旬, 6月中下旬 (a range from the first part to the second)
    ("part_range", re.compile(rf"(?:{Y})?" + M + r"(上旬|中旬|下旬|初)" + SEP + r"(中旬|下旬|底|末)")),
    ("joined_parts", re.compile(rf"(?:{Y})?" + M + r"(上|中)(中|下)旬")),
    ("full", re.compile(Y + M + D)),
    # Pages that set 年 and 月 in separate elements lose them when copied: 2021915日, 20211228日, 2019年1221日,
    # 2024717日至830日. Read only when the digits split into a month and a day one way alone.
    ("compact_range", re.compile(r"((?:19|20)\d{2})年?(\d{2,4})[日号]" + SEP + r"(\d{2,4})[日号]")),
    ("compact_full", re.compile(r"((?:19|20)\d{2})年?(\d{2,4})[日号]")),
    ("compact_md", re.compile(r"(?<=[,。;\s])(\d{3,4})日(?=[,，])")),
    ("year_month", re.compile(Y + M + r"份?" + PART + r"?")),
    ("year_quarter", re.compile(Y + r"(?:第)?([一二三四1-4])季度")),
    ("year_half", re.compile(rf"(?:{Y}(?:度)?)?(上半年|下半年)")),
    ("year", re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")),
    ("md_range", re.compile(M + D + SEP + rf"(?:{M})?" + D)),
    ("md", re.compile(M + D)),
    ("month", re.compile(M + r"份?" + PART + r"?")),
    ("quarter", re.compile(r"(?:第)?([一二三四])季度")),
    ("relative_year", re.compile(r"(今年|去年|上年|本年)(上半年|下半年)?")),
)
# Words around a date that qualify it, each read right next to it (spaces between are skipped): ends of the
# words before it, starts of the words after it.
PLANNED_BEFORE = ("预计", "计划", "计划于", "计划在", "拟", "拟于", "拟在", "力争", "力争在", "力争于", "争取", "争取在", "争取于",
                  "将于", "将在", "将", "确保", "确保在", "确保于", "公示期为", "公示期", "公示时间为", "有效期至")
PLANNED_AFTER_RE = re.compile(r"^\s*(前|之前|以前)?\s*(完成|实现|建成|投运|出台|到位)|^\s*(底前|前)")
SINCE_AFTER = ("以来", "起")
AS_OF_BEFORE = ("截至", "截止", "到")  # 截至到 and 截止到 end in 到
BEFORE_AFTER = ("底前", "前", "之前", "以前")
PART_QUALIFIERS = {"上旬": "early", "初": "early", "中旬": "mid", "中": "mid", "下旬": "end", "底": "end", "末": "end"}


@dataclass(frozen=True)
class DateMention:
    """A date expression as found, before year resolution."""

    start: int
    end: int
    text: str
    pattern: str
    year: int | None
    month: int | None
    day: int | None
    end_year: int | None = None
    end_month: int | None = None
    end_day: int | None = None
    part: str | None = None  # 上旬 中旬 下旬 初 底 末 中
    end_part: str | None = None  # the same, for the end of a range of months
    quarter: int | None = None
    half: str | None = None
    relative: str | None = None


@dataclass(frozen=True)
class ResolvedDate:
    """A date mention with its interval, precision and how its year was found."""

    mention: DateMention
    kind: str  # point | range
    precision: str  # day | part_of_month | month | quarter | half_year | year
    value_start: date
    value_end: date
    iso: str
    qualifier: str | None  # since | as_of | before | early | mid | late | end
    year_inferred: bool
    year_source: str  # text | range | opening | signature | relative
    planned: bool
    in_title: bool


def _int(value: str | None) -> int | None:
    """int() of an optional group."""
    return int(value) if value else None


def split_compact(digits: str) -> tuple[int, int] | None:
    """(month, day) of run-together digits (915 → 9/15, 1228 → 12/28) when only one split is a real date."""
    readings = []
    for cut in (1, 2):
        month, day = int(digits[:cut]), digits[cut:]
        if 1 <= month <= 12 and len(day) in (1, 2) and not (len(day) == 2 and day.startswith("0") and cut == 2 and False):
            if 1 <= int(day) <= calendar.monthrange(2000, month)[1] and not (len(day) == 1 and len(digits) == 4):
                readings.append((month, int(day)))
    if len(digits) == 4:
        readings = [r for r in readings if r[0] >= 10 or digits[0] == "0"]
    return readings[0] if len(readings) == 1 else None


def mention_from_match(kind: str, m: re.Match) -> DateMention | None:
    """A DateMention for one regex match (None for run-together digits that split more than one way)."""
    g = m.groups()
    base = dict(start=m.start(), end=m.end(), text=m.group(0), pattern=kind)
    if kind in ("compact_full", "compact_range", "compact_md"):
        first = split_compact(g[1] if kind != "compact_md" else g[0])
        if first is None:
            return None
        if kind == "compact_md":
            return DateMention(**{**base, "pattern": "md"}, year=None, month=first[0], day=first[1])
        if kind == "compact_full":
            return DateMention(**{**base, "pattern": "full"}, year=int(g[0]), month=first[0], day=first[1])
        last = split_compact(g[2])
        if last is None:
            return None
        return DateMention(**{**base, "pattern": "full_range"}, year=int(g[0]), month=first[0], day=first[1],
                           end_year=None, end_month=last[0], end_day=last[1])
    if kind == "full_range":
        return DateMention(**base, year=int(g[0]), month=int(g[1]), day=int(g[2]),
                           end_year=_int(g[3]), end_month=_int(g[4]) or int(g[1]), end_day=int(g[5]))
    if kind == "month_range":  # 2024年4月上旬至7月上旬: parts of months bound the range
        return DateMention(**base, year=int(g[0]), month=int(g[1]), day=None, part=g[2], end_year=_int(g[3]), end_month=int(g[4]),
                           end_part=g[5])
    if kind == "year_range":
        return DateMention(**base, year=int(g[0]), month=None, day=None, end_year=int(g[1]))
    if kind in ("part_range", "joined_parts"):  # parts of one month bound the range
        first, last = (g[2], g[3]) if kind == "part_range" else (g[2] + "旬", g[3] + "旬")
        return DateMention(**{**base, "pattern": "month_range"}, year=_int(g[0]), month=int(g[1]), day=None, part=first,
                           end_year=None, end_month=int(g[1]), end_part=last)
    if kind == "full":
        return DateMention(**base, year=int(g[0]), month=int(g[1]), day=int(g[2]))
    if kind == "year_month":
        return DateMention(**base, year=int(g[0]), month=int(g[1]), day=None, part=g[2])
    if kind == "year_quarter":
        return DateMention(**base, year=int(g[0]), month=None, day=None, quarter=CN_Q[g[1]])
    if kind == "year_half":
        return DateMention(**base, year=_int(g[0]), month=None, day=None, half=g[1])
    if kind == "year":
        return DateMention(**base, year=int(g[0]), month=None, day=None)
    if kind == "md_range":
        return DateMention(**base, year=None, month=int(g[0]), day=int(g[1]), end_month=_int(g[2]) or int(g[0]), end_day=int(g[3]))
    if kind == "md":
        return DateMention(**base, year=None, month=int(g[0]), day=int(g[1]))
    if kind == "month":
        return DateMention(**base, year=None, month=int(g[0]), day=None, part=g[1])
    if kind == "quarter":
        return DateMention(**base, year=None, month=None, day=None, quarter=CN_Q[g[0]])
    return DateMention(**base, year=None, month=None, day=None, relative=g[0], half=g[1])


def _combined() -> re.Pattern:
    """One alternation of all patterns in priority order (inner groups made non-capturing), scanned in a single pass."""
    parts = []
    for i, (_, regex) in enumerate(PATTERNS):
        inner = re.sub(r"\((?!\?)", "(?:", regex.pattern)
        parts.append(f"(?P<p{i}>{inner})")
    return re.compile("(?=[\\d一二三四今去上本第下])(?:" + "|".join(parts) + ")")


SCAN_RE = _combined()
# Every character a date pattern can consume, and the characters one of them always holds (年 月 日 号 季): a date
# lies inside one run of the first that holds one of the second, so only those runs are scanned. The patterns have
# no negative look-around and look ahead one character at most.
DATE_CHARACTERS, DATE_ANCHORS = "年月日号份度第季旬初底末半今去上本中下一二三四至到—–-~～－", "年月日号季"
DATE_RUNS = run_table(char_table(DATE_CHARACTERS, r"\d\s"), char_table(DATE_ANCHORS))
# The same runs found by `re` from their anchors (few in a notice): the run's characters after and before each.
ANCHOR_RE = re.compile(f"[{DATE_ANCHORS}]")
RUN_RE = re.compile(f"[{re.escape(DATE_CHARACTERS)}\\d\\s]*")


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Non-overlapping date mentions in text[start:end], left to right; at each position the first pattern in
    priority order (longest forms first) wins."""
    end = len(text) if end is None else end
    mentions: list[DateMention] = []
    for pos, stop in date_runs(text, start, end):
        find_in_run(text, pos, stop, end, mentions)
    return mentions


def date_runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """scan_bounds(text, DATE_RUNS, start, end), less the runs without an anchor inside text[start:end] (no date lies
    there): each run found around its first anchor, reading on with RUN_RE and back with it on the reversed span."""
    runs = []
    backwards = text[start:end][::-1]  # text[i] is backwards[end - 1 - i]
    pos = start
    while (anchor := ANCHOR_RE.search(text, pos, end)) is not None:
        at = anchor.start()
        after = RUN_RE.match(text, at, end).end()
        before = RUN_RE.match(backwards, end - at).end() - (end - at)
        runs.append((at - before, min(after + 1, end)))
        pos = after
    return runs


def find_in_run(text: str, pos: int, stop: int, end: int, mentions: list[DateMention]) -> None:
    """Add the date mentions found scanning text[pos:stop] (matches read up to `end`) to `mentions`."""
    while stop - pos > 1 and (found := SCAN_RE.search(text, pos, stop)) is not None:  # every date is 2 characters or more
        start, pos = found.span()
        if start > 0 and text[start - 1].isdigit():
            continue  # the tail of a longer number (2022年 in 12022年, 5月 in 15月)
        index = found.lastindex - 1  # the only groups are p0, p1, …: the pattern that matched
        if index in COUNTED and text[pos:pos + 1] == "个":
            continue
        # The combined pattern's match is the pattern's own (same alternative, same start; no date reads past its
        # run), so its text is the key and the pattern runs again only on a text not read before.
        key = (index, found.group())
        fields = READINGS.get(key, UNREAD)
        if fields is UNREAD:
            fields = READINGS[key] = reading_of(index, text, start, end)
        if fields is not None:
            mentions.append(mention_at(start, pos, fields))


# The patterns whose match followed by 个 is a duration (3个月), not a date.
COUNTED = frozenset(i for i, (kind, _) in enumerate(PATTERNS) if kind in ("md", "month", "year_month"))
# What each date text reads as, by (pattern index, matched text): a mention's fields after its offsets, or None
# when it is no date. The fields depend on the matched text alone, and notices repeat their dates.
READINGS: dict[tuple[int, str], dict | None] = {}
READINGS_KEPT = 50_000  # emptied when it grows past this
UNREAD = object()


def reading_of(index: int, text: str, start: int, end: int) -> dict | None:
    """The fields (text onwards) of the DateMention that pattern `index` reads at `start`, or None when it reads none
    or an impossible date (2月30日, which also blocks its shorter readings, 2月)."""
    if len(READINGS) >= READINGS_KEPT:
        READINGS.clear()
    kind, regex = PATTERNS[index]
    m = regex.match(text, start, end)
    mention = mention_from_match(kind, m) if m is not None else None
    if mention is None or not valid(mention):
        return None
    fields = dict(vars(mention))
    del fields["start"], fields["end"]
    return fields


def mention_at(start: int, end: int, fields: dict) -> DateMention:
    """DateMention(start, end, **fields), made by filling the new object's attributes directly: a frozen dataclass
    sets each of its 15 fields through object.__setattr__, several times slower, and dates are the most frequent
    objects of a notice."""
    mention = object.__new__(DateMention)
    attributes = mention.__dict__
    attributes["start"] = start
    attributes["end"] = end
    attributes.update(fields)
    return mention


def valid(m: DateMention) -> bool:
    """Whether the numbers form a real calendar date (day within its month)."""
    for y, mo, d in ((m.year or 2000, m.month, m.day), (m.end_year or m.year or 2000, m.end_month, m.end_day)):
        if mo is not None and d is not None and d > calendar.monthrange(y, mo)[1]:
            return False
    return True


def _month_bounds(year: int, month: int, part: str | None) -> tuple[date, date]:
    """First and last day of a month, or of a part of it (上旬 1–10, 中旬 11–20, 下旬/底/末 21–end)."""
    last = calendar.monthrange(year, month)[1]
    if part in ("上旬", "初"):
        return date(year, month, 1), date(year, month, 10)
    if part in ("中旬", "中"):
        return date(year, month, 11), date(year, month, 20)
    if part in ("下旬", "底", "末"):
        return date(year, month, 21), date(year, month, last)
    return date(year, month, 1), date(year, month, last)


def _context_flags(text: str, m: DateMention) -> tuple[str | None, bool]:
    """(qualifier, planned) from the words around a mention."""
    before = text[max(0, m.start - 8):m.start].rstrip()
    after = text[m.end:m.end + 6].lstrip()
    if after.startswith(SINCE_AFTER):
        qualifier = "since"
    elif before.endswith(AS_OF_BEFORE):
        qualifier = "as_of"
    elif after.startswith(BEFORE_AFTER):
        qualifier = "before"
    else:
        qualifier = PART_QUALIFIERS.get(m.part)
    return qualifier, before.endswith(PLANNED_BEFORE)


def _in_title(text: str, pos: int) -> bool:
    """Whether `pos` lies inside 《…》 (the date is part of a document's title)."""
    opened = text.rfind("《", 0, pos)
    return opened != -1 and text.find("》", opened, pos) == -1 and text.find("》", pos) != -1


def _pick_year(month: int, day: int | None, reference: date, planned: bool) -> int:
    """Year that puts (month, day) on or before `reference` (or on or after it when planned)."""
    d = day or 1
    on_or_before = (month, d) <= (reference.month, reference.day)
    if planned:
        return reference.year if (month, d) >= (reference.month, reference.day) else reference.year + 1
    return reference.year if on_or_before else reference.year - 1


def resolve(text: str, mentions: list[DateMention], signature: date | None,
            opening: tuple[int, int] | None = None, document: date | None = None) -> list[ResolvedDate]:
    """Resolve every mention to an interval, inferring missing years from context (see module doc)."""
    explicit_full = [date(m.year, m.month, m.day) for m in mentions if m.pattern in ("full", "full_range") and m.year]
    reference = signature or (max(explicit_full) if explicit_full else None)
    resolved = []
    last_explicit_year: int | None = None
    anchor: date | None = None  # the latest date the opening states with its year (the feedback, as a rule)
    for m in mentions:
        qualifier, planned = _context_flags(text, m)
        in_title = _in_title(text, m.start)
        year, source = m.year, "text"
        in_opening = opening is not None and opening[0] <= m.start < opening[1]
        before = resolved[-1] if resolved else None
        if year is None and m.month and before is not None and before.mention.relative in ("今年", "本年", "去年", "上年") \
                and before.mention.end == m.start:
            year, source = before.value_start.year, "relative"  # 今年3月29日: the year 今年 stands for
        if year is None:
            if m.relative:
                base = _relative_base(text, mentions, m, document or signature, reference, last_explicit_year)
                if base is None:
                    continue
                year = base - (1 if m.relative in ("去年", "上年") else 0)
                source = "relative"
            elif in_opening and last_explicit_year is not None:
                year, source = last_explicit_year, "opening"
            elif signature is None and not planned and m.month and (near := _nearest_before(resolved, m)) is not None:
                day, deadline = near  # no signature: the dated event before it; a deadline (……前) comes after the work
                year = _pick_year(m.month, m.day, day, False) if deadline else _year_after(m.month, m.day, day)
                source = "anchor"
            elif anchor is not None and not planned and m.month:
                year, source = _year_after(m.month, m.day, anchor), "anchor"
                if signature is not None and signature >= anchor and date(year, m.month, m.day or 1) > signature:
                    year, source = _pick_year(m.month, m.day, signature, planned), "signature"
            elif reference is not None:
                month = m.month or ((m.quarter - 1) * 3 + 1 if m.quarter else (7 if m.half == "下半年" else 1))
                year, source = _pick_year(month, m.day, reference, planned), "signature"
            else:
                continue
        try:
            item = interval_of(m, year)
        except ValueError:
            continue
        if source == "opening" and resolved:
            anchor = max((r.value_end for r in resolved if opening and opening[0] <= r.mention.start < opening[1]), default=None)
            if anchor and item[3] < anchor:
                item = interval_of(m, year + 1)
        kind, precision, start_d, end_d, iso = item
        resolved.append(resolved_date(m, kind, precision, start_d, end_d, iso, qualifier, m.year is None, source,
                                      planned, in_title))
        if m.year is not None:
            last_explicit_year = m.end_year or m.year
            if in_opening and m.month and not in_title:
                anchor = max(anchor or start_d, start_d)
    return resolved


def _nearest_before(resolved: list[ResolvedDate], m: DateMention) -> tuple[date, bool] | None:
    """(its day, whether it is a deadline) of the nearest date before `m` that states its year at day or month
    precision, outside titles; a deadline (planned, or ……前) is given by its last day."""
    for r in reversed(resolved):
        if not r.year_inferred and not r.in_title and r.mention.month:
            deadline = r.planned or r.qualifier == "before"
            return (r.value_end if deadline else r.value_start), deadline
    return None


def _year_after(month: int, day: int | None, anchor: date) -> int:
    """Year that puts (month, day) on or after `anchor`: the work a notice reports follows the feedback."""
    return anchor.year if (month, day or 1) >= (anchor.month, anchor.day) else anchor.year + 1


def _relative_base(text: str, mentions: list[DateMention], m: DateMention, document: date | None, reference: date | None,
                   last_year: int | None) -> int | None:
    """The year 今年/去年/上年 count from: 今年 and 本年 the document's own year; 去年 the year stated earlier in its
    sentence (较去年同期), else the document's; 上年 (a budget's previous year) the nearest year stated before it."""
    known = document or reference
    in_sentence = _sentence_year(text, mentions, m)
    if m.relative == "上年":
        stated = in_sentence or last_year
    elif m.relative == "去年":
        stated = in_sentence or (document.year if document else None)  # 2022年…较去年同期: the sentence's year
    else:
        stated = document.year if document else in_sentence
    return stated if stated is not None else (known.year if known else None)


def _sentence_year(text: str, mentions: list[DateMention], m: DateMention) -> int | None:
    """The last explicit year stated earlier in the same sentence as `m` (去年同期 after 2022年…)."""
    sentence_start = max(text.rfind(ch, 0, m.start) for ch in "。;!?\n") + 1
    years = [x.end_year or x.year for x in mentions if sentence_start <= x.start < m.start and x.year]
    return years[-1] if years else None


RESOLVED_FIELDS = tuple(ResolvedDate.__dataclass_fields__)


def resolved_date(*values) -> ResolvedDate:
    """ResolvedDate(*values), made as mention_at makes a mention: by filling the new object's attributes directly."""
    item = object.__new__(ResolvedDate)
    item.__dict__.update(zip(RESOLVED_FIELDS, values))
    return item


# The intervals already worked out, by year and the fields _interval reads: notices repeat their dates.
INTERVALS: dict[tuple, tuple[str, str, date, date, str]] = {}
INTERVALS_KEPT = 50_000  # emptied when it grows past this


def interval_of(m: DateMention, year: int) -> tuple[str, str, date, date, str]:
    """_interval(m, year), worked out once per year and date (raises ValueError as it does)."""
    key = (year, m.pattern, m.month, m.day, m.end_year, m.end_month, m.end_day, m.part, m.end_part, m.quarter, m.half)
    found = INTERVALS.get(key)
    if found is None:
        if len(INTERVALS) >= INTERVALS_KEPT:
            INTERVALS.clear()
        found = INTERVALS[key] = _interval(m, year)
    return found


def _interval(m: DateMention, year: int) -> tuple[str, str, date, date, str]:
    """(kind, precision, first day, last day, iso) of a mention in a given year."""
    if m.pattern in ("full_range", "md_range"):
        start = date(year, m.month, m.day)
        end_year = m.end_year or year
        end = date(end_year, m.end_month, m.end_day)
        if end < start and not m.end_year:
            end = date(end_year + 1, m.end_month, m.end_day)
        return "range", "day", start, end, f"{start.isoformat()}/{end.isoformat()}"
    if m.pattern == "month_range":
        start = _month_bounds(year, m.month, m.part)[0]
        end_year = m.end_year or (year if m.end_month >= m.month else year + 1)
        end = _month_bounds(end_year, m.end_month, m.end_part)[1]
        if m.part or m.end_part:
            return "range", "part_of_month", start, end, f"{start.isoformat()}/{end.isoformat()}"
        return "range", "month", start, end, f"{start:%Y-%m}/{end:%Y-%m}"
    if m.pattern == "year_range":
        return "range", "year", date(year, 1, 1), date(m.end_year, 12, 31), f"{year}/{m.end_year}"
    if m.pattern in ("full", "md"):
        d = date(year, m.month, m.day)
        return "point", "day", d, d, d.isoformat()
    if m.pattern in ("year_month", "month"):
        start, end = _month_bounds(year, m.month, m.part)
        precision = "part_of_month" if m.part else "month"
        return "point", precision, start, end, f"{year:04d}-{m.month:02d}"
    if m.quarter:
        first = (m.quarter - 1) * 3 + 1
        return "point", "quarter", date(year, first, 1), _month_bounds(year, first + 2, None)[1], f"{year}-Q{m.quarter}"
    if m.half:
        if m.half == "上半年":
            return "point", "half_year", date(year, 1, 1), date(year, 6, 30), f"{year}-H1"
        return "point", "half_year", date(year, 7, 1), date(year, 12, 31), f"{year}-H2"
    return "point", "year", date(year, 1, 1), date(year, 12, 31), f"{year:04d}"


def with_year(m: DateMention, year: int) -> DateMention:
    """A copy of a mention with its year set."""
    return replace(m, year=year)
