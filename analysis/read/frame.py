"""Frame: where a notice states its own facts around its running text — title, opening, speech head, signature.

* the **title** above the text (中共XX党组关于……的通报; a long title may be broken over lines, a tag such as
  【通报】 before it is dropped); breadcrumbs, site names and URLs are never titles (ingest removes them);
* the **opening** paragraph: the first paragraph of running text that names an inspection or audit;
* a **speech** (reports to a people's congress) has a dateline (——2024年12月25日在……会议上) or a date standing
  alone under its title, and a speaker line (XX市审计局局长 张三);
* the **signature block** closes the notice: the body's name (two bodies may sign jointly, on one line or two),
  then the date, in Arabic or Chinese numerals (二〇二四年十二月), or eight run-together digits where a copied
  page lost its 年月日.

Each is found with its offsets in the normalised text; analysis.read.metadata turns them into metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from analysis.read.dates import find_dates
from analysis.read.page import (DOCUMENT_DATE_LINE_RE, is_dateline, is_headline, is_prose_line, is_title_line, speaker_of,
                                title_lines)
from analysis.read.structure import ParsedNotice
from analysis.read.text import iter_lines

INSPECTION_RE = re.compile(r"(巡察|巡视|督察|审计)")
SIGNATURE_RE = re.compile(r"^(?P<body>[^\s\d。,;:]{2,40}?(?: [^\s\d。,;:]{2,40}?)?)?\s*(?P<date>(?:(?:19|20)\d{2}|[二〇零○O][〇零○O一二三四五六七八九]{3})\s*年\s*"
                          r"[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))\s*$")
# (a date whose 年月日 a copied page lost, 20221122, counts only standing alone on the last line)
BODY_LINE_RE = re.compile(r"^[^\s。,;:、\d]{2,40}(?: [^\s。,;:、\d]{2,40})?$")  # one body, or two signing jointly
TITLE_TAG_RE = re.compile(r"^\s*[【\[][^】\]]{1,8}[】\]]\s*")
CN_DATE_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
JOINT_BODY_RE = re.compile(r"(委|委员会|党委|党组|人民政府|政府)$")


@dataclass(frozen=True)
class Speech:
    """The head of a speech: its dateline and its speaker."""

    date: date | None
    date_span: tuple[int, int] | None
    meeting: str | None
    speaker_body: str | None
    speaker_span: tuple[int, int] | None


# --------------------------------------------------------------------------- where things stand


def head_lines(text: str, front_end: int):
    """Non-blank lines above the running text (title, dateline, speaker), in order."""
    for line in iter_lines(text[:front_end]):
        if not line.text.strip():
            continue
        if is_prose_line(line.text):
            return
        yield line


def find_title(text: str, front_end: int) -> tuple[int, int, str] | None:
    """(start, end, title) of the title above the running text, joined when broken over lines; None without one."""
    lines = list(iter_lines(text[:front_end]))
    for i, line in enumerate(lines):
        s = line.text.strip()
        if not s:
            continue
        if is_prose_line(line.text):
            return None
        bare = TITLE_TAG_RE.sub("", s.lstrip("•·▪●-* ")).rstrip(" |")
        if not (is_title_line(bare) or is_headline(bare)) or is_dateline(bare) or speaker_of(bare):
            continue
        taken = title_lines(lines, i, len(lines))
        pieces = [TITLE_TAG_RE.sub("", lines[j].text.strip().lstrip("•·▪●-* ")).rstrip(" |") for j in taken]
        first, last = lines[taken[0]], lines[taken[-1]]
        start = first.start + first.text.index(pieces[0])
        end = last.start + last.text.rindex(pieces[-1]) + len(pieces[-1])
        return start, end, "".join(pieces)
    return None


def find_opening(text: str, front_end: int) -> tuple[int, int] | None:
    """Span of the opening paragraph: the first paragraph of running text that names an inspection or audit."""
    for line in iter_lines(text[:front_end]):
        s = line.text.strip()
        if len(s) > 20 and INSPECTION_RE.search(s) and re.search(r"[。,]", s):
            lead = len(line.text) - len(line.text.lstrip())
            return line.start + lead, line.start + lead + len(s)
    return None


def front_end_of(text: str, parsed: ParsedNotice) -> int:
    """End of the notice's front matter: where its numbered outline starts, or (without one) 1,500 characters in."""
    if parsed.outline.roots:
        return parsed.outline.preamble_end
    return min(len(text), parsed.front_end if parsed.front_end else 1500)


def cn_date_number(value: str) -> int | None:
    """二〇二四 → 2024, 十二 → 12, 三十 → 30 (the numerals of a date written out)."""
    if value.isdigit():
        return int(value)
    if all(ch in CN_DATE_DIGITS for ch in value) and len(value) == 4:
        return int("".join(str(CN_DATE_DIGITS[ch]) for ch in value))
    from analysis.read.text import cn_to_int

    return cn_to_int(value)


def signature_date_of(printed: str) -> date | None:
    """The date of a signature line, in Arabic or Chinese numerals (or eight run-together digits)."""
    compact = re.fullmatch(r"\s*((?:19|20)\d{2})(\d{2})(\d{2})\s*", printed)
    if compact:
        try:
            return date(*map(int, compact.groups()))
        except ValueError:
            return None
    m = re.search(r"(\S{4})\s*年\s*(\S{1,3}?)\s*月\s*(\S{1,3}?)\s*日", printed)
    if not m:
        return None
    parts = [cn_date_number(g) for g in m.groups()]
    if None in parts:
        return None
    try:
        return date(*parts)
    except ValueError:
        return None


def find_signature(text: str) -> tuple[tuple[int, int] | None, tuple[int, int] | None, date | None]:
    """(body span, date span, date) of the signature block at the end of the notice."""
    lines = [ln for ln in iter_lines(text) if ln.text.strip()]
    for i in range(len(lines) - 1, max(-1, len(lines) - 6), -1):
        line = lines[i]
        m = SIGNATURE_RE.match(line.text.strip())
        if not m:
            continue
        lead = len(line.text) - len(line.text.lstrip())
        offset = line.start + lead
        date_span = (offset + m.start("date"), offset + m.end("date"))
        signed = signature_date_of(m.group("date"))
        if m.group("body"):
            return (offset + m.start("body"), offset + m.end("body")), date_span, signed
        if i > 0 and BODY_LINE_RE.match(lines[i - 1].text.strip()) and not is_title_line(lines[i - 1].text):
            prev = lines[i - 1]
            first = prev
            if i > 1 and JOINT_BODY_RE.search(lines[i - 2].text.strip()) and BODY_LINE_RE.match(lines[i - 2].text.strip()):
                first = lines[i - 2]  # 中共某区委 / 某区人民政府: two bodies sign on two lines
            lead = len(first.text) - len(first.text.lstrip())
            return (first.start + lead, prev.start + len(prev.text.rstrip())), date_span, signed
        return None, date_span, signed
    return None, None, None


def find_speech(text: str, front_end: int) -> Speech:
    """The dateline (its date and meeting) and the speaker's body of a speech, when the notice is one."""
    when = span = meeting = body = body_span = None
    for line in head_lines(text, front_end):
        s = line.text.strip()
        lead = line.start + len(line.text) - len(line.text.lstrip())
        if when is None and is_dateline(s):
            found = find_dates(text, lead, lead + len(s))
            if found and found[0].year and found[0].month and found[0].day:
                d = found[0]
                when, span = date(d.year, d.month, d.day), (d.start, d.end)
                meeting = s[s.index("在") + 1:].rstrip("上)） ") if "在" in s else None
            continue
        if when is None and DOCUMENT_DATE_LINE_RE.fullmatch(s):
            when, span = signature_date_of(s), (lead, lead + len(s))
            continue
        speaker = speaker_of(s)
        if speaker and body is None:
            body = speaker.group("body")
            body_span = (lead + speaker.start("body"), lead + speaker.end("body"))
    return Speech(when, span, meeting, body, body_span)
