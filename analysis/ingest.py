"""Ingest: raw bytes → normalised, simplified-script text, with a log of every character removed.

Order of work, each step one-to-one in length except the logged removals:

1. decode (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GB18030; HTML pages are reduced to
   their article text with a real parser, dropped elements logged);
2. traditional → simplified with OpenCC `t2s` (character-for-character, so offsets survive;
   the phrase-rewriting `*p` configurations are never used);
3. full-width forms → half-width (a fixed one-to-one map; NFKC is avoided because it
   changes lengths: ⑴ → "(1)");
4. page noise removed by rules that follow how Chinese government pages are built — page
   meta lines and date lines above the text, navigation crumbs (also when glued to the first
   sentence), table pipes, print/close links, repost trailers below the signature, `?`
   placeholders where a page had odd spaces, zero-width characters, carriage returns.

Every removal is kept as a `Removal` (rule, offsets in the decoded text, the removed text
and where it was in the normalised text), so len(decoded) - removed == len(normalised).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import NoticeError
from .textutil import han_count, has_han, iter_lines

# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Removal:
    """One span of the decoded text that is not in the normalised text."""

    rule: str
    start: int | None  # offset in the decoded text (None for HTML elements)
    end: int | None
    text: str
    at: int  # offset in the normalised text where the span used to be


@dataclass(frozen=True)
class PageMeta:
    """Facts about the web page the notice was copied from, taken from the noise removed."""

    page_date: str | None = None  # a date line such as 2025年07月06日 星期日 (repost or page date)
    page_published: str | None = None  # 发布日期/发布时间 as printed, e.g. 2025-09-24 18:41
    page_source: str | None = None  # 信息来源/来源 as printed


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


# --------------------------------------------------------------------------- decoding

BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])  # C0 controls but \t \n \f \r, and DEL
HTML_SNIFF_RE = re.compile(rb"^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I)
META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def looks_binary(data: bytes) -> bool:
    """Whether bytes are not text: NUL bytes (without a UTF-16 BOM) or many control bytes."""
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, CONTROL_BYTES))
    return controls > max(8, len(head) // 100)


def looks_like_html(data: bytes, suffix: str) -> bool:
    """Whether the file is an HTML page (by extension or by its first tag)."""
    return suffix.lower() in {".html", ".htm"} or bool(HTML_SNIFF_RE.match(data[:2048]))


NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
CJK_LIKE_RE = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2460-\u24ff]")


def plausible_chinese(text: str) -> bool:
    """Whether decoded text reads as Chinese (or ASCII) rather than mojibake."""
    non_ascii = len(NON_ASCII_RE.findall(text))
    return non_ascii == 0 or len(CJK_LIKE_RE.findall(text)) >= 0.6 * non_ascii


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM or GB18030; return (text, encoding)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise NoticeError("undecodable", f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc.reason} at byte {exc.start}") from exc
            return text.lstrip("\ufeff"), encoding
    candidates = ["utf-8", "gb18030"]
    if declared and declared.lower().replace("_", "-") in {"gbk", "gb2312", "gb18030"}:
        candidates = ["gb18030", "utf-8"]
    errors = []
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            errors.append(f"{encoding}: {exc.reason} at byte {exc.start}")
            continue
        if encoding == "utf-8" or plausible_chinese(text):  # strict UTF-8 is never mojibake; GB18030 decodes almost anything
            return text, encoding
        errors.append(f"{encoding}: decodes but does not read as Chinese text")
    raise NoticeError("undecodable", "not valid UTF-8, UTF-16 or GB18030 (" + "; ".join(errors) + ")")


# --------------------------------------------------------------------------- HTML

HTML_DROP_TAGS = {"script", "style", "noscript", "template", "iframe", "form", "nav", "header",
                  "footer", "aside", "button", "select", "svg", "canvas", "object", "embed"}
HTML_NOISE_ATTR_RE = re.compile(
    r"(^|[\s_\-])(nav|navbar|menu|breadcrumb|crumbs?|footer|header|top-?bar|toolbar|share|sidebar|"
    r"copyright|banner|search|login|weixin|qrcode|print|close|position|location|pager|pagination)($|[\s_\-\d])",
    re.I,
)
HTML_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                   "table", "section", "article", "main", "center", "blockquote", "pre", "dd", "dt", "hr"}


def html_to_text(html: str) -> tuple[str, list[Removal]]:
    """Article text of an HTML page (blocks on their own lines) and a log of the elements dropped."""
    from lxml import etree
    from lxml.html import HTMLParser, document_fromstring

    try:
        root = document_fromstring(html, parser=HTMLParser(remove_comments=True, remove_pis=True))
    except (etree.ParserError, ValueError) as exc:
        raise NoticeError("bad_html", f"the HTML page could not be parsed: {exc}") from exc
    removals: list[Removal] = []
    head = root.find("head")
    if head is not None:
        title = head.findtext("title") or ""
        removals.append(Removal("html_head", None, None, _clip(" ".join(title.split())), 0))
        head.drop_tree()
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        reason = None
        if element.tag in HTML_DROP_TAGS:
            reason = f"html_{element.tag}"
        else:
            attrs = " ".join(filter(None, (element.get("class"), element.get("id"), element.get("role"))))
            if attrs and HTML_NOISE_ATTR_RE.search(attrs):
                reason = "html_page_chrome"
        if reason:
            text = " ".join("".join(element.itertext()).split())
            removals.append(Removal(reason, None, None, _clip(text), 0))
            element.drop_tree()
    pieces: list[str] = []
    _collect_text(root, pieces)
    lines = [" ".join(line.split()) for line in "".join(pieces).split("\n")]
    text = "\n".join(line for line in lines if line)
    if not text.strip():
        raise NoticeError("no_text", "the HTML page holds no article text once scripts, styles and navigation are dropped")
    return text, removals


def _collect_text(element, pieces: list[str]) -> None:
    """Append the text of an element tree, putting block elements on lines of their own."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in HTML_BLOCK_TAGS:
        pieces.append("\n")
    if element.text and tag:
        pieces.append(element.text)
    for child in element:
        _collect_text(child, pieces)
        if child.tail:
            pieces.append(child.tail)
    if tag in HTML_BLOCK_TAGS:
        pieces.append("\n")


def _clip(text: str, limit: int = 200) -> str:
    """Text shortened for the removal log."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
    return converted, sum(map(str.__ne__, text, converted))


def detect_script(text: str) -> tuple[str, str, int]:
    """(script, simplified text, characters changed): OpenCC t2s decides — no change means simplified; changing
    at least 5% of the Han characters means traditional (mainland pages typed in traditional script); less is mixed."""
    converted, changed = to_simplified(text)
    if changed == 0:
        return "simplified", text, 0
    han = max(1, han_count(text))
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

PAGE_META_RE = re.compile(
    r"^[\s\-*•·>]*(信息来源|来源|文章来源|发布日期|发布时间|发稿时间|日期|时间|浏览次数|访问次数|阅读次数|"
    r"点击数|点击量|阅读量|作者|编辑|责任编辑|字号|字体|分享到?|【字体|索引号|发文机关|主题分类)\s*[::]\s*(.*)$"
)
DATE_LINE_RE = re.compile(
    r"^\s*(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?\s*(星期[一二三四五六日天]|周[一二三四五六日天])?\s*$"
)
BREADCRUMB_RE = re.compile(r"(首页|当前位置|您现在的位置|所在位置).*|.*\s*[>»›]\s*.*")
SENTENCE_PUNCT_RE = re.compile(r"[。,;:!?、]")
TITLE_RE = re.compile(r"(关于|通报|公告|公示|报告|情况|通知|说明)")
OPENING_RE = re.compile(r"(根据|按照|依据|遵照|为|经)[^。]{0,30}?(部署|要求|安排|规定|精神|决定)")
OPENING_START_RE = re.compile(r"^(根据|按照|依据|遵照|为|经|近日|日前|\d{4}年)")
PIPES_ONLY_RE = re.compile(r"^[\s|]*\|[\s|]*$")
TRAILING_PIPES_RE = re.compile(r"\s*\|+\s*$")
LINK_TOKEN = r"(打印本页|打印正文|打印|关闭窗口|关闭本页|关闭|返回顶部|返回|收藏本页|收藏|分享|上一篇|下一篇|字号|大|中|小|TOP|top)"
LINK_HINT_RE = re.compile(r"【|\[|打印|关闭|返回|收藏|分享|上一篇|下一篇|TOP|top")  # literals only: `re` skips ahead by first character
PAGE_LINKS_RE = re.compile(r"^\s*(?:[【\[]\s*" + LINK_TOKEN + r"\s*[】\]]\s*|" + LINK_TOKEN + r"\s+)+\s*$")
TRAILER_RE = re.compile(
    r"(来自网络|如有侵权|侵权请|联系删除|转载|版权所有|免责声明|本文来源|原文链接|原标题|责任编辑|扫一扫|分享到|"
    r"打印本页|关闭窗口|返回顶部|来源[::]|编辑[::]|审核[::]|校对[::])"
)
SIGNATURE_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*\|*\s*$")
ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
# A `?` at the start of a word (after a space, a punctuation mark or 一是…); the `?` comes first and the look-behinds
# check the characters before it, so `re` skips straight to question marks.
PLACEHOLDER_QMARK_RE = re.compile(r"\?(?:(?<![^\s,、;:。，；：]\?)|(?<=[一二三四五六七八九十]是\?))(?=[^\s?!.,;:。？])")
QMARK_IN_WORD_RE = re.compile(r"(?<=[\u3400-\u9fff])\?(?=[\u3400-\u9fff])")


def is_title_line(line: str) -> bool:
    """Whether a line reads as a 公文 title (…关于…的通报/情况/公示)."""
    s = line.strip()
    return 8 <= len(s) <= 100 and bool(TITLE_RE.search(s)) and not s.endswith(("。", ",", ";"))


def is_body_line(line: str) -> bool:
    """Whether a line starts the notice proper (a title or an opening sentence)."""
    s = TRAILING_PIPES_RE.sub("", line).strip()
    if is_title_line(s):
        return True
    if OPENING_RE.search(s[:60]) and SENTENCE_PUNCT_RE.search(s):
        return True
    return len(s) > 40 and bool(SENTENCE_PUNCT_RE.search(s))


def is_nav_line(line: str) -> bool:
    """Whether a line above the notice is a navigation crumb (short, no sentence punctuation)."""
    s = line.strip()
    if not s:
        return False
    if BREADCRUMB_RE.fullmatch(s) and len(s) <= 80 and not SENTENCE_PUNCT_RE.search(s.replace(">", "")):
        return True
    return len(s) <= 15 and not SENTENCE_PUNCT_RE.search(s)


@dataclass
class _Noise:
    """Spans found so far and the page facts they carried."""

    spans: list[tuple[int, int, str]] = field(default_factory=list)
    page_date: str | None = None
    page_published: str | None = None
    page_source: str | None = None
    warnings: list[str] = field(default_factory=list)


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


def find_noise(text: str, decoded: str) -> _Noise:
    """Spans of page noise in normalised-width simplified `text` (`decoded` is the same text before width mapping)."""
    noise = _Noise()
    lines = list(iter_lines(text))
    removed: set[int] = set()

    body_start = next((i for i, ln in enumerate(lines) if is_body_line(ln.text)), len(lines))
    nav_texts: list[str] = []
    for i in range(body_start):
        s = lines[i].text.strip()
        if not s:
            continue
        meta = PAGE_META_RE.match(s)
        date = DATE_LINE_RE.match(s)
        if meta:
            key, value = meta.group(1), meta.group(2).strip()
            if key in {"发布日期", "发布时间", "发稿时间", "日期", "时间"} and value:
                noise.page_published = value
            elif key in {"信息来源", "来源", "文章来源"} and value:
                noise.page_source = value
            _remove_line(noise, lines, i, "page_meta", removed)
        elif date:
            noise.page_date = f"{int(date.group(1)):04d}-{int(date.group(2)):02d}-{int(date.group(3)):02d}"
            _remove_line(noise, lines, i, "page_date_line", removed)
        elif PIPES_ONLY_RE.match(s):
            _remove_line(noise, lines, i, "table_pipes", removed)
        elif PAGE_LINKS_RE.match(s):
            _remove_line(noise, lines, i, "page_links", removed)
        elif is_nav_line(s):
            nav_texts.append(s)
            _remove_line(noise, lines, i, "navigation", removed)
        else:
            noise.warnings.append("unrecognised_preamble")

    if body_start < len(lines) and nav_texts:
        first = lines[body_start]
        stripped = first.text.lstrip()
        lead = len(first.text) - len(stripped)
        for nav in sorted(set(nav_texts), key=len, reverse=True):
            rest = stripped[len(nav):]
            if stripped.startswith(nav) and OPENING_START_RE.match(rest):
                noise.spans.append((first.start + lead, first.start + lead + len(nav), "glued_navigation"))
                break

    signature = None
    for i in range(len(lines) - 1, body_start - 1, -1):
        s = lines[i].text
        if SIGNATURE_DATE_RE.search(s) and not SENTENCE_PUNCT_RE.search(SIGNATURE_DATE_RE.sub("", s)):
            signature = i
            break

    for i in range(body_start, len(lines)):
        line = lines[i]
        s = line.text.strip()
        if not s:
            continue
        has_pipe = "|" in s
        if has_pipe and PIPES_ONLY_RE.match(s):
            _remove_line(noise, lines, i, "table_pipes", removed)
        elif LINK_HINT_RE.search(s) and PAGE_LINKS_RE.match(TRAILING_PIPES_RE.sub("", s) if has_pipe else s):
            _remove_line(noise, lines, i, "page_links", removed)
        elif signature is not None and i > signature and TRAILER_RE.search(s):
            _remove_line(noise, lines, i, "repost_trailer", removed)
        elif has_pipe:
            pipes = TRAILING_PIPES_RE.search(line.text)
            if pipes and "|" in pipes.group(0):
                noise.spans.append((line.start + pipes.start(), line.end, "table_pipes"))

    for match in PLACEHOLDER_QMARK_RE.finditer(decoded):
        noise.spans.append((match.start(), match.end(), "placeholder_question_mark"))
    for match in ZERO_WIDTH_RE.finditer(text):
        noise.spans.append((match.start(), match.end(), "zero_width"))
    for match in re.finditer("\r", text):
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
    if QMARK_IN_WORD_RE.search(text):
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
        page=PageMeta(noise.page_date, noise.page_published, noise.page_source),
        warnings=tuple(sorted(set(warnings))),
    )
