"""Resolving date mentions: each DateMention of analysis.read.dates becomes a ResolvedDate — an interval, its
precision, the words qualifying it, and its year, inferred from context when the text does not state it.

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
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from analysis.read.dates import DateMention, ResolvedDate

# Words around a date that qualify it, each read right next to it (spaces between are skipped): ends of the
# words before it, starts of the words after it.
PLANNED_BEFORE = ("预计", "计划", "计划于", "计划在", "拟", "拟于", "拟在", "力争", "力争在", "力争于", "争取", "争取在", "争取于",
                  "将于", "将在", "将", "确保", "确保在", "确保于", "公示期为", "公示期", "公示时间为", "有效期至")
PLANNED_AFTER_RE = re.compile(r"^\s*(前|之前|以前)?\s*(完成|实现|建成|投运|出台|到位)|^\s*(底前|前)")
SINCE_AFTER = ("以来", "起")
AS_OF_BEFORE = ("截至", "截止", "到")  # 截至到 and 截止到 end in 到
BEFORE_AFTER = ("底前", "前", "之前", "以前")
PART_QUALIFIERS = {"上旬": "early", "初": "early", "中旬": "mid", "中": "mid", "下旬": "end", "底": "end", "末": "end"}


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
