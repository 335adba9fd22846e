"""Ingest: raw bytes → normalised, simplified-script text, with a log of every character removed.

Order of work, each step one-to-one in length except the logged removals:

1. decode (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GB18030; HTML pages are reduced to
   their article text with a real parser, dropped elements logged) — analysis.read.decode;
2. traditional → simplified with OpenCC `t2s` (character-for-character, so offsets survive;
   the phrase-rewriting `*p` configurations are never used);
3. full-width forms → half-width (a fixed one-to-one map; NFKC is avoided because it
   changes lengths: ⑴ → "(1)");
4. page noise removed by rules that follow how Chinese government pages are built — page
   meta lines and date lines above the text, navigation crumbs (also when glued to the first
   sentence), table pipes, print/close links, repost trailers below the signature, `?`
   placeholders where a page had odd spaces, zero-width characters, carriage returns (what each
   line is, page line, crumb, title or running text, is told by analysis.read.page).

Every removal is kept as a `Removal` (rule, offsets in the decoded text, the removed text
and where it was in the normalised text), so len(decoded) - removed == len(normalised).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from analysis.errors import NoticeError
from analysis.read.decode import META_CHARSET_RE, Removal, decode, html_to_text, looks_binary, looks_like_html
from analysis.read.page import (BREADCRUMB_HINT_RE, CRUMB_SEPARATOR_RE, DATE_LINE_RE, DATED_SITE_LINE_RE, DATELINE_TAIL_RE,
                                DOCUMENT_DATE_LINE_RE, LINK_HINT_RE, MEDIA_LINE_RE, NOTICE_WORD_RE, OPENING_START_RE, PAGE_DATE_RE,
                                PAGE_KEY_RE, PAGE_KEYS, PAGE_LINKS_RE, PIPES_ONLY_RE, SENTENCE_PUNCT_RE, SPACE_RE, TITLE_STAMP_RE,
                                TRAILER_RE, TRAILING_PIPES_RE, WEEKDAY_LINE_RE, PageMeta, _next_filled, is_dateline, is_headline,
                                is_nav_line, is_prose_line, is_title_line, iso_of, page_pairs, speaker_of, table_header_lines,
                                title_lines, without_trailing_pipes)
from analysis.read.text import HAN_RE, characters_changed, char_table, count_in, han_count, has_han, iter_lines

# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class IngestedNotice:
    """The result of ingesting one raw notice."""

    notice_id: str
    encoding: str
    is_html: bool
    script: str  # simplified | traditional | mixed (as detected before conversion)
    chars_converted: int
    decoded: str
    text: str
    removals: tuple[Removal, ...]
    page: PageMeta
    warnings: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------- script and width


@lru_cache(maxsize=1)
def _t2s():
    """OpenCC's character-level traditional → simplified converter (never the *p configs)."""
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> tuple[str, int]:
    """Text in simplified script, same length, and how many characters changed."""
    converted = _t2s().convert(text)
    if converted == text:
        return text, 0
    if len(converted) != len(text):  # a phrase mapping changed length: fall back to one character at a time
        converted = "".join(_t2s().convert(ch) if len(_t2s().convert(ch)) == 1 else ch for ch in text)
    return converted, characters_changed(text, converted)


HAN = char_table("", "\u3400-\u9fff")  # the characters text.han_count counts


def detect_script(text: str) -> tuple[str, str, int]:
    """(script, simplified text, characters changed): OpenCC t2s decides — no change means simplified; changing
    at least 5% of the Han characters means traditional (mainland pages typed in traditional script); less is mixed."""
    converted, changed = to_simplified(text)
    if changed == 0:
        return "simplified", text, 0
    han = max(1, count_in(text, HAN))
    if changed >= 0.05 * han:
        return "traditional", converted, changed
    return ("mixed" if changed >= 0.005 * han else "simplified"), converted, changed


WIDTH_TABLE = {0xFF01 + i: 0x21 + i for i in range(94)}
WIDTH_TABLE.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x202F: 0x20})


WIDE_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(WIDTH_TABLE)) + "]")


def to_half_width(text: str) -> str:
    """Full-width ASCII forms and odd spaces → their half-width form (one character each)."""
    return text.translate(WIDTH_TABLE) if WIDE_RE.search(text) else text


# --------------------------------------------------------------------------- page noise

SIGNATURE_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*\|*\s*$")
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
ZERO_WIDTH_RE = re.compile(f"[{ZERO_WIDTH}]")
CARRIAGE_RETURN_RE = re.compile("\r")
# A `?` at the start of a word (after a space, a punctuation mark or 一是…); the `?` comes first and the look-behinds
# check the characters before it, so `re` skips straight to question marks.
PLACEHOLDER_QMARK_RE = re.compile(r"\?(?:(?<![^\s,、;:。，；：]\?)|(?<=[一二三四五六七八九十]是\?))(?=[^\s?!.,;:。？])")
QMARK_IN_WORD_RE = re.compile(r"(?<=[\u3400-\u9fff])\?(?=[\u3400-\u9fff])")
# Pinyin glosses that some reposting sites put after characters: 根據(jù) — a parenthesised syllable with a tone mark.
PINYIN_GLOSS_RE = re.compile(r"\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7}\)")
# (it starts with its literal bracket, so `re` skips straight to brackets; the character before must be Han: checked in code)


@dataclass
class _Noise:
    """Spans found so far and the page facts they carried."""

    spans: list[tuple[int, int, str]] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def keep(self, key: str, value: str | None) -> None:
        """Record a page fact (the first value of each key wins)."""
        if value and key not in self.facts:
            self.facts[key] = value

    def keep_pairs(self, pairs: list[tuple[str, str]], line: str) -> None:
        """Record the facts of a page line's pairs (a bare date-time on the line counts as the publish time)."""
        for key, value in pairs:
            kind = PAGE_KEYS[SPACE_RE.sub("", key)]
            if kind in ("source", "publisher", "title", "written"):
                self.keep(kind, value)
            elif kind == "published" and iso_of(value):
                self.keep("published", value)
        if "published" not in self.facts:
            unlabelled = line
            for _, value in pairs:
                unlabelled = unlabelled.replace(value, " ") if value else unlabelled  # 更新时间:2025-04-10 is not a publish date
            bare = PAGE_DATE_RE.search(PAGE_KEY_RE.sub(" ", unlabelled))
            if bare and iso_of(bare.group(0)):
                self.keep("published", bare.group(0))


def _remove_line(noise: _Noise, lines: list, index: int, rule: str, removed: set[int]) -> None:
    """Record a whole line (and one adjacent newline) as removed."""
    line = lines[index]
    if index + 1 < len(lines):
        noise.spans.append((line.start, line.end + 1, rule))
    elif index > 0 and (index - 1) not in removed:
        noise.spans.append((line.start - 1, line.end, rule))
    else:
        noise.spans.append((line.start, line.end, rule))
    removed.add(index)


def _head(noise: _Noise, lines: list, removed: set[int]) -> int:
    """Classify the lines above the running text: page lines, crumbs and links go; the title, a speech's dateline
    and speaker stay. Returns the index of the first line of running text."""
    body = next((i for i, ln in enumerate(lines) if is_prose_line(ln.text) and NOTICE_WORD_RE.search(ln.text)), len(lines))
    kept: set[int] = table_header_lines(lines, body)  # a table's header cells are the document's, not navigation
    nav_texts: list[str] = []
    i = 0
    while i < body:
        s = lines[i].text.strip()
        if not s or i in kept:
            i += 1
            continue
        pairs = page_pairs(s)
        nxt = _next_filled(lines, i, body)
        if pairs is not None:
            if len(pairs) == 1 and not pairs[0][1] and nxt is not None:
                value = lines[nxt].text.strip()
                if len(value) <= 60 and page_pairs(value) is None and not is_title_line(value) or PAGE_KEYS[pairs[0][0]] == "title":
                    pairs = [(pairs[0][0], value)]
                    noise.keep_pairs(pairs, value)
                    _remove_line(noise, lines, i, "page_meta", removed)
                    _remove_line(noise, lines, nxt, "page_meta", removed)
                    i = nxt + 1
                    continue
            noise.keep_pairs(pairs, s)
            _remove_line(noise, lines, i, "page_meta", removed)
        elif kept and DOCUMENT_DATE_LINE_RE.fullmatch(s):
            kept.add(i)  # a date under a title or a speaker is the document's own date
        elif DATE_LINE_RE.match(s):
            if re.search(r"星期|周[一二三四五六日天]", s) or (nxt is not None and WEEKDAY_LINE_RE.match(lines[nxt].text)):
                noise.keep("date_line", iso_of(s))  # a calendar widget or a repost's date line
            else:  # the page's own stamp: when it went up (a view count after it is dropped)
                noise.keep("published", re.sub(r"\s+\d{1,7}$", "", s.strip(" •·▪●-*")).strip())
            _remove_line(noise, lines, i, "page_date_line", removed)
        elif DATED_SITE_LINE_RE.match(s):
            found = DATED_SITE_LINE_RE.match(s)
            noise.keep("published", found.group(1))
            noise.keep("source", found.group("site"))
            _remove_line(noise, lines, i, "page_meta", removed)
        elif WEEKDAY_LINE_RE.match(s):
            _remove_line(noise, lines, i, "page_date_line", removed)
        elif PIPES_ONLY_RE.match(s):
            _remove_line(noise, lines, i, "table_pipes", removed)
        elif PAGE_LINKS_RE.match(without_trailing_pipes(s)) or MEDIA_LINE_RE.match(s):
            _remove_line(noise, lines, i, "page_links", removed)
        elif BREADCRUMB_HINT_RE.match(s) or (CRUMB_SEPARATOR_RE.search(s) and is_nav_line(s)):
            nav_texts.append(s)
            _remove_line(noise, lines, i, "navigation", removed)
        elif is_title_line(without_trailing_pipes(s)) or is_headline(s):
            kept.update(title_lines(lines, i, body))
            stamp = TITLE_STAMP_RE.search(lines[i].text)
            if stamp:  # a page prints its date beside the headline: 关于……的通报 2026-02-13
                noise.keep("published", stamp.group(1))
                noise.spans.append((lines[i].start + stamp.start(), lines[i].start + stamp.end(), "page_date_line"))
        elif is_dateline(s):
            kept.add(i)
            if not DATELINE_TAIL_RE.search(s) and nxt is not None and DATELINE_TAIL_RE.search(lines[nxt].text):
                kept.add(nxt)
        elif speaker_of(s):
            kept.add(i)
        elif s.endswith("|") and len(s) <= 40:
            kept.add(i)  # a table cell (序号 |): the table is the document's, only its pipes go
        elif is_nav_line(s):
            nav_texts.append(s)
            _remove_line(noise, lines, i, "navigation", removed)
        else:
            noise.warnings.append("unrecognised_preamble")
        i += 1
    if body < len(lines) and nav_texts:
        first = lines[body]
        stripped = first.text.lstrip()
        lead = len(first.text) - len(stripped)
        for nav in sorted(set(nav_texts), key=len, reverse=True):
            rest = stripped[len(nav):]
            if stripped.startswith(nav) and OPENING_START_RE.match(rest):
                noise.spans.append((first.start + lead, first.start + lead + len(nav), "glued_navigation"))
                break
    return body


PIPE_RE = re.compile(r"\|")


def lines_holding(regex: re.Pattern, text: str, starts: list[int], pos: int = 0) -> set[int]:
    """Indices of the lines (by their sorted start offsets) holding a match of `regex` at or after `pos` (a one-line regex)."""
    return {bisect_right(starts, m.start()) - 1 for m in regex.finditer(text, pos)}


def lines_to_check(text: str, lines: list, tail_from: int) -> list[int]:
    """The lines a body line rule can remove or trim, in order: those holding a pipe or a link word, and below
    `tail_from` those holding a repost trailer word (one scan of the text for each, not a search per line)."""
    starts = [line.start for line in lines]
    found = lines_holding(PIPE_RE, text, starts) | lines_holding(LINK_HINT_RE, text, starts)
    if tail_from + 1 < len(lines):
        found |= lines_holding(TRAILER_RE, text, starts, starts[tail_from + 1])
    return sorted(found)


def find_noise(text: str, decoded: str) -> _Noise:
    """Spans of page noise in normalised-width simplified `text` (`decoded` is the same text before width mapping)."""
    noise = _Noise()
    lines = list(iter_lines(text))
    removed: set[int] = set()
    body_start = _head(noise, lines, removed)

    signature = None
    for i in range(len(lines) - 1, body_start - 1, -1):
        s = lines[i].text
        if SIGNATURE_DATE_RE.search(s) and not SENTENCE_PUNCT_RE.search(SIGNATURE_DATE_RE.sub("", s)):
            signature = i
            break
    last_prose = next((i for i in range(len(lines) - 1, body_start - 1, -1)
                       if lines[i].text.rstrip().endswith("。") or is_prose_line(lines[i].text)), body_start)
    tail_from = signature if signature is not None else last_prose

    for i in lines_to_check(text, lines, tail_from):
        line = lines[i]
        s = line.text.strip()
        if not s or i in removed:
            continue
        has_pipe = "|" in s
        if has_pipe and PIPES_ONLY_RE.match(s):
            _remove_line(noise, lines, i, "table_pipes", removed)
        elif LINK_HINT_RE.search(s) and PAGE_LINKS_RE.match(TRAILING_PIPES_RE.sub("", s) if has_pipe else s):
            _remove_line(noise, lines, i, "page_links", removed)
        elif i > tail_from and TRAILER_RE.search(s):
            pairs = page_pairs(s)
            if pairs:
                noise.keep_pairs([(k, v) for k, v in pairs if PAGE_KEYS[k] in ("source", "publisher")], s)
            _remove_line(noise, lines, i, "repost_trailer", removed)
        elif has_pipe:
            pipes = TRAILING_PIPES_RE.search(line.text)
            if pipes and "|" in pipes.group(0):
                noise.spans.append((line.start + pipes.start(), line.end, "table_pipes"))

    for match in PLACEHOLDER_QMARK_RE.finditer(decoded):
        noise.spans.append((match.start(), match.end(), "placeholder_question_mark"))
    if "(" in text:
        for match in PINYIN_GLOSS_RE.finditer(text):
            if match.start() > 0 and HAN_RE.match(text, match.start() - 1):
                noise.spans.append((match.start(), match.end(), "pinyin_gloss"))
    if any(ch in text for ch in ZERO_WIDTH):  # most texts hold none: a substring test each is cheaper than a class scan
        for match in ZERO_WIDTH_RE.finditer(text):
            noise.spans.append((match.start(), match.end(), "zero_width"))
    if "\r" in text:
        for match in CARRIAGE_RETURN_RE.finditer(text):
            noise.spans.append((match.start(), match.end(), "carriage_return"))
    return noise


def merge_spans(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sort spans and drop those inside an earlier one (line removals swallow their inner spans)."""
    merged: list[tuple[int, int, str]] = []
    for start, end, rule in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start >= end:
            continue
        if merged and start < merged[-1][1]:
            prev_start, prev_end, prev_rule = merged[-1]
            merged[-1] = (prev_start, max(prev_end, end), prev_rule)
            continue
        merged.append((start, end, rule))
    return merged


def apply_removals(text: str, spans: list[tuple[int, int, str]], source: str | None = None) -> tuple[str, list[Removal]]:
    """Text without the spans, and a Removal record for each (its text taken from `source`, the decoded original)."""
    source = text if source is None else source
    out: list[str] = []
    removals: list[Removal] = []
    pos = 0
    kept = 0
    for start, end, rule in merge_spans(spans):
        out.append(text[pos:start])
        kept += start - pos
        removals.append(Removal(rule, start, end, source[start:end], kept))
        pos = end
    out.append(text[pos:])
    return "".join(out), removals


def to_decoded_offset(removals: tuple[Removal, ...] | list[Removal], offset: int) -> int:
    """Map an offset in the normalised text back to the decoded raw text."""
    shift = 0
    for removal in removals:
        if removal.start is None or removal.at > offset:
            break
        shift += removal.end - removal.start
    return offset + shift


# --------------------------------------------------------------------------- the stage


def ingest(notice_id: str, data: bytes, suffix: str = ".txt", max_bytes: int | None = None) -> IngestedNotice:
    """Decode, convert and clean one raw notice; raise NoticeError when it cannot be read as a notice."""
    if max_bytes is not None and len(data) > max_bytes:
        raise NoticeError("too_large", f"{len(data) / 2**20:.1f} MiB is over the {max_bytes / 2**20:.1f} MiB limit for one notice "
                          "(raise it with --max-bytes if the file really is one notice)")
    if not data.strip():
        raise NoticeError("empty", "the file is empty" if not data else "the file holds only whitespace")
    if looks_binary(data):
        raise NoticeError("binary", "the file is binary (NUL or control bytes), not text")
    is_html = looks_like_html(data, suffix)
    declared = None
    if is_html:
        found = META_CHARSET_RE.search(data[:4096])
        declared = found.group(1).decode("ascii", "ignore") if found else None
    decoded, encoding = decode(data, declared)
    html_removals: list[Removal] = []
    warnings: list[str] = []
    if is_html:
        if suffix.lower() not in {".html", ".htm"}:
            warnings.append("html_in_text_file")
        decoded, html_removals = html_to_text(decoded)
    if not decoded.strip():
        raise NoticeError("empty", f"the file decodes ({encoding}) to whitespace only")

    script, simplified, changed = detect_script(decoded)
    normal_width = to_half_width(simplified)
    noise = find_noise(normal_width, decoded)
    text, removals = apply_removals(normal_width, noise.spans, decoded)
    warnings.extend(noise.warnings)
    if "?" in text and QMARK_IN_WORD_RE.search(text):
        warnings.append("question_mark_inside_word")
    if "\ufffd" in text:
        warnings.append("replacement_character")
    if not has_han(text, 20):
        raise NoticeError("no_text", f"only {han_count(text)} Chinese characters remain after removing page noise")
    return IngestedNotice(
        notice_id=notice_id,
        encoding=("html:" if is_html else "") + encoding,
        is_html=is_html,
        script=script,
        chars_converted=changed,
        decoded=decoded,
        text=text,
        removals=tuple(html_removals + removals),
        page=PageMeta(noise.facts.get("date_line"), noise.facts.get("published"), noise.facts.get("source"),
                      noise.facts.get("publisher"), noise.facts.get("written"), noise.facts.get("title")),
        warnings=tuple(sorted(set(warnings))),
    )
