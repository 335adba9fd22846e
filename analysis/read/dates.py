"""Dates in notice text: where a notice states a date — absolute dates, ranges, months, quarters, fuzzy parts of
months, run-together digits, 今年/去年 — found as `DateMention`s, each with its offsets, the pattern it was read with
and the fields it states (a year-less one keeps its year empty).

All date patterns are scanned in one pass over the runs of characters a date can consume; at each position the first
pattern in priority order (the longest forms first) wins. What each mention resolves to, a `ResolvedDate` with its
interval, precision and inferred year, is worked out by analysis.read.date_resolution.
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


# What a mention resolves to (worked out by analysis.read.date_resolution), defined beside the mention it holds.
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


def with_year(m: DateMention, year: int) -> DateMention:
    """A copy of a mention with its year set."""
    return replace(m, year=year)
