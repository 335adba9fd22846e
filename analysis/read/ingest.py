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
from datetime import date
from functools import lru_cache

from analysis.errors import NoticeError
from analysis.read.text import HAN_RE, han_count, has_han, iter_lines

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
    """Facts about the web page the notice was copied from, taken from the page lines removed."""

    page_date: str | None = None  # ISO date of a date line such as 2025年07月06日 星期日 (repost or page date)
    page_published: str | None = None  # 发布日期/发布时间/发表时间 as printed, e.g. 2025-09-24 18:41
    page_source: str | None = None  # 信息来源/来源/文章来源 as printed
    page_publisher: str | None = None  # 发布机构/发文机关 as printed
    page_written: str | None = None  # 成文日期 as printed
    page_title: str | None = None  # 文件名称/标题 as printed


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

# Page lines: `key: value` pairs a web page prints around an article. Keys whose values are facts about the document
# are kept (their lines are still removed from the text); the rest are chrome.
PAGE_KEYS: dict[str, str] = {
    "信息来源": "source", "文章来源": "source", "稿件来源": "source", "新闻来源": "source", "来源": "source",
    "发布机构": "publisher", "发文机关": "publisher", "发布单位": "publisher", "发文单位": "publisher", "发布部门": "publisher",
    "信息公开单位": "publisher", "公开单位": "publisher", "所属机构": "publisher",
    "发布时间": "published", "发布日期": "published", "发表时间": "published", "发表日期": "published", "发稿时间": "published",
    "公开日期": "published", "生成日期": "published", "日期": "published",
    "时间": "published", "成文日期": "written", "成文时间": "written", "印发日期": "written", "发文日期": "written",
    "信息提供日期": "published", "信息时间": "published", "文件名称": "title", "标题": "title", "信息名称": "title",
    **{key: "chrome" for key in (
        "信息索引号", "索引号", "主题分类", "组配分类", "体裁分类", "服务对象分类", "主题词", "关键词", "公开方式", "公开范围",
        "公开时限", "公开形式", "有效性", "文号", "文件编号", "发文字号", "浏览次数", "访问次数", "阅读次数", "点击数", "点击量",
        "阅读量", "浏览量", "访问量", "浏览", "文号", "体裁", "生效日期", "作者", "编辑", "责任编辑", "审核", "校对", "字号", "字体", "分享到", "分享", "版面",
        "当前报纸名称", "所属栏目", "栏目", "分类", "信息分类", "内容分类", "失效日期", "废止日期", "视力保护色", "保护视力色",
        "打印", "关闭", "更新时间", "更新日期")},  # an update time is not when the notice was published
}
GLUEABLE_KEYS = tuple(k for k in PAGE_KEYS if len(k) >= 3) + ("作者", "字号")


def _spaced(key: str) -> str:
    """A key as a regex that also matches it with spaces between its characters (索 引 号, as pages align labels)."""
    return r"\s?".join(map(re.escape, key))


PAGE_KEY_RE = re.compile(
    "(?P<key>" + "|".join(sorted(map(_spaced, GLUEABLE_KEYS), key=len, reverse=True)) + "|(?<![\u3400-\u9fff])(?:"
    + "|".join(sorted((_spaced(k) for k in PAGE_KEYS if k not in GLUEABLE_KEYS), key=len, reverse=True))
    + r"))\s*(?::\s*|(?=(?:19|20)\d{6}))"
)
# Keys of three characters or more are page words even when glued to the value before them (宿州市环境保护局浏览量:);
# two-character keys (来源, 时间, 日期) count only after a non-Han character, so 资金来源: in a sentence is not one.
# 发布日期20200103 (a key glued to a compact date) is a pair too.
# A value ends at a pipe, two spaces, a bracket, or a space before another label (a known one, letter-spaced or not,
# or any short unspaced word before a colon).
VALUE_END = re.compile(r"\||\s{2,}|[【\[]|\s+(?=(?:" + "|".join(sorted(map(_spaced, PAGE_KEYS), key=len, reverse=True))
                       + r")\s*:|[\u3400-\u9fff]{2,8}:)")
PAGE_CHROME_TOKEN_RE = re.compile(r"[\[【(]\s*(?:大|中|小|打印|关闭|收藏|T)\s*[\]】)]|T\|T|[•·▪●○◆◇■□>»›|*\-–—]|\s")
PAGE_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*[年\-/.\s]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})|((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
DATE_LINE_RE = re.compile(
    r"^[\s•·▪●\-*]*(\d{4})\s*[年\-/.\s]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?\s*(\d{1,2}:\d{2}(:\d{2})?)?\s*"
    r"(星期[一二三四五六日天]|周[一二三四五六日天])?\s*(\d{1,7})?\s*$"
)  # a bare number after the date is the page's view count
DATED_SITE_LINE_RE = re.compile(r"^[\s•·]*((?:19|20)\d{2}[\-/.]\d{1,2}[\-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)\s+"
                                r"(?P<site>[\u3400-\u9fff·]{2,24})\s*$")  # 2025-06-17 09:00 某省纪委监委网站
TITLE_STAMP_RE = re.compile(r"\s+((?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)\s*$")
# A date standing alone under the title: 2023年9月28日, (二〇一六年九月五日公告)
DOCUMENT_DATE_LINE_RE = re.compile(r"[(（]?(?:(?:19|20)\d{2}|[二〇零○][〇零○一二三四五六七八九]{3})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*"
                                   r"[\d一二三四五六七八九十]{1,3}\s*日\s*(?:公告|发布|印发|通过)?[)）]?")
WEEKDAY_LINE_RE = re.compile(r"^\s*(星期[一二三四五六日天]|周[一二三四五六日天])\s*$")
BREADCRUMB_HINT_RE = re.compile(r"^\s*(当前位置|您现在的位置|您当前的位置|您当前所在位置|所在位置|当前所在位置|首页\s*[>»›])")
SENTENCE_PUNCT_RE = re.compile(r"[。,;:!?、]")
TITLE_RE = re.compile(r"(关于|通报|公告|公示|报告|情况|通知|说明)")
TITLE_END_RE = re.compile(r"(通报|报告|公告|公示|情况|通知|说明|意见|方案|决定|清单|台账|一览表|进展|总结)\s*$")
TITLE_JOIN_START_RE = re.compile(r"^(和|及|与|暨|的|以及|并|中|情况|整改|执行|问题)")
OPENING_RE = re.compile(r"(根据|按照|依据|遵照|为|经)[^。]{0,30}?(部署|要求|安排|规定|精神|决定)")
OPENING_START_RE = re.compile(r"^(根据|按照|依据|遵照|为|经|近日|日前|\d{4}年)")
OUTLINE_START_RE = re.compile(r"^\s*([一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|\d{1,2}[.、](?!\d))")
SALUTATION_RE = re.compile(r"^[^。;]{2,40}(委员|常委会|同志|主任|代表|领导|单位|部门|各位)[^。;]{0,12}:\s*$")
# A speech: its dateline (——2024年12月25日在……会议上) and its speaker (XX市审计局局长 张三) are part of the document.
DATELINE_RE = re.compile(r"^[\s(（\-—–]*(?:19|20)\d{2}.{0,12}?[日号]\s*在.{2,80}?(上|上的(讲话|报告|发言))?[\s)）]*$")
DATELINE_START_RE = re.compile(r"^[\s(（]*[\-—–]{1,2}\s*(?:19|20)\d{2}.{0,12}?[日号]\s*在")
DATELINE_TAIL_RE = re.compile(r"(会议|大会|会)上[\s)）]*$")
SPEAKER_ROLES = ("党组书记、局长", "党组书记、厅长", "党组书记、主任", "审计长", "副审计长", "局长", "副局长", "厅长", "副厅长",
                 "主任", "副主任", "省长", "副省长", "市长", "副市长", "县长", "副县长", "区长", "副区长", "书记", "副书记",
                 "负责人", "署长", "部长", "委员")
SPEAKER_RE = re.compile(r"^\s*(?P<body>[\u3400-\u9fff()]{2,30}?)(?P<role>" + "|".join(SPEAKER_ROLES)
                        + r")\s*(?P<name>[\u3400-\u9fff·]{2,4})\s*$")
PIPES_ONLY_RE = re.compile(r"^[\s|]*\|[\s|]*$")
TRAILING_PIPES_RE = re.compile(r"\s*\|+\s*$")
LINK_TOKEN = r"(打印本页|打印正文|打印|关闭窗口|关闭本页|关闭|返回顶部|返回|收藏本页|收藏|分享|上一篇|下一篇|字号|大|中|小|TOP|top)"
LINK_HINT_RE = re.compile(r"【|\[|打印|关闭|返回|收藏|分享|上一篇|下一篇|TOP|top")  # literals only: `re` skips ahead by first character
PAGE_LINKS_RE = re.compile(r"^\s*(?:[【\[]\s*" + LINK_TOKEN + r"\s*[】\]]\s*|" + LINK_TOKEN + r"\s+)+\s*$")
MEDIA_LINE_RE = re.compile(r"^\s*(?:https?://\S+|www\.\S+|\S+\.(?:jpg|jpeg|png|gif|bmp|webp|pdf|docx?|xlsx?|wps|zip))\s*$", re.I)
TRAILER_RE = re.compile(
    r"(来自网络|如有侵权|侵权请|联系删除|转载|版权所有|免责声明|本文来源|原文链接|原标题|责任编辑|扫一扫|分享到|"
    r"打印本页|关闭窗口|返回顶部|来源[::]|编辑[::]|审核[::]|校对[::]|主办[::]|承办[::]|ICP备|网站标识码|技术支持|网站地图|联系我们)"
)
SIGNATURE_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*\|*\s*$")
ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
# A `?` at the start of a word (after a space, a punctuation mark or 一是…); the `?` comes first and the look-behinds
# check the characters before it, so `re` skips straight to question marks.
PLACEHOLDER_QMARK_RE = re.compile(r"\?(?:(?<![^\s,、;:。，；：]\?)|(?<=[一二三四五六七八九十]是\?))(?=[^\s?!.,;:。？])")
QMARK_IN_WORD_RE = re.compile(r"(?<=[\u3400-\u9fff])\?(?=[\u3400-\u9fff])")
# Pinyin glosses that some reposting sites put after characters: 根據(jù) — a parenthesised syllable with a tone mark.
PINYIN_GLOSS_RE = re.compile(r"\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7}\)")
# (it starts with its literal bracket, so `re` skips straight to brackets; the character before must be Han: checked in code)


DATE_WORDS_RE = re.compile(r"[\d〇零○一二三四五六七八九十]{2,4}\s*年\s*[\d一二三四五六七八九十]{1,2}\s*月(\s*[\d一二三四五六七八九十]{1,3}\s*日)?")


# Column names of the tables notices publish (flattened one cell per line when a page is copied).
TABLE_COLUMN_RE = re.compile(r"^\s*(序号|编号|受理编号|行政区域|交办问题|交办问题基本情况|问题|整改任务|整改目标|整改措施|整改时限|完成时限|"
                             r"责任单位|牵头责任单位|整改落实单位|责任领导|责任人|完成情况|办理情况|整改情况|处理和整改情况|调查核实情况|"
                             r"是否属实|污染类型|问责情况|备注|类型|数量|单位|时间)\s*\|?\s*$")


def table_header_lines(lines: list, limit: int) -> set[int]:
    """Indices of a table's header cells above the running text: runs of three or more column-name lines."""
    cells: set[int] = set()
    run: list[int] = []
    for i in range(limit):
        s = lines[i].text.strip()
        if not s:
            continue
        if TABLE_COLUMN_RE.match(s):
            run.append(i)
            continue
        if len(run) >= 3:
            cells.update(run)
        run = []
    if len(run) >= 3:
        cells.update(run)
    return cells


CRUMB_SEPARATOR_RE = re.compile(r"(?:^|[\s\u3400-\u9fff])[>»›]{1,2}(?:[\s\u3400-\u9fff]|$)")  # 首页 > 政务公开, not <script>


def is_title_line(line: str) -> bool:
    """Whether a line reads as a 公文 title (…关于…的通报/情况/公示), never a breadcrumb, a page line or a date."""
    s = line.strip()
    return (8 <= len(s) <= 100 and bool(TITLE_RE.search(s)) and not s.endswith(("。", ",", ";", ":"))
            and not BREADCRUMB_HINT_RE.match(s) and not CRUMB_SEPARATOR_RE.search(s) and "|" not in s
            and han_count(DATE_WORDS_RE.sub("", s)) >= 6)


def is_dateline(line: str) -> bool:
    """Whether a line is a speech's dateline (——2024年12月25日在……会议上), or its first part."""
    s = line.strip()
    return bool(DATELINE_RE.match(s)) or bool(DATELINE_START_RE.match(s))


def speaker_of(line: str) -> re.Match | None:
    """The speaker line of a speech (XX市审计局局长 张三), if `line` is one."""
    s = line.strip()
    return SPEAKER_RE.match(s) if len(s) <= 40 and not SENTENCE_PUNCT_RE.search(s) else None


def is_prose_line(line: str) -> bool:
    """Whether a line is the notice's running text: an opening sentence, a salutation or a numbered heading."""
    s = TRAILING_PIPES_RE.sub("", line).strip()
    if not s or is_dateline(s) or (":" in s and page_pairs(s) is not None):
        return False
    if SALUTATION_RE.match(s):
        return True
    if OUTLINE_START_RE.match(s):
        return han_count(s) >= 4 and not re.search(r"首页|>", s)  # 1. 首页 / 2. > 栏目 is a numbered breadcrumb
    if OPENING_RE.search(s[:60]) and SENTENCE_PUNCT_RE.search(s):
        return True
    return len(s) > 40 and bool(re.search(r"[。,;!?]", s))


def is_body_line(line: str) -> bool:
    """Whether a line starts the notice proper (a title, a speech's dateline or speaker, or running text)."""
    s = TRAILING_PIPES_RE.sub("", line).strip()
    return is_title_line(s) or is_dateline(s) or speaker_of(s) is not None or is_prose_line(s)


# The running text of a notice names the trade somewhere in its first sentence; a line of prose that names none of these
# (a spam banner, a site's slogan) does not start the notice.
NOTICE_WORD_RE = re.compile(r"(整改|巡察|巡视|督察|审计|根据|按照|依据|党|政府|委员会|局|厅|委|问题|反馈|部署|公示|通报|报告|受.{1,10}委托)")
HEADLINE_WORDS_RE = re.compile(r"(整改|巡察|巡视|督察|审计|销号|核查|通报|公示|公告|报告)")


def is_headline(line: str) -> bool:
    """Whether a short line is an article's headline rather than a site's column name: eight characters or more and a
    word of the trade (整改, 巡察, 督察, 审计, 销号, 通报 …), no sentence punctuation."""
    s = line.strip()
    return (8 <= len(s) <= 60 and bool(HEADLINE_WORDS_RE.search(s)) and not re.search(r"[。;>»›|:]|[!?]$", s)
            and han_count(DATE_WORDS_RE.sub("", s)) >= 6)


def is_nav_line(line: str) -> bool:
    """Whether a line above the notice is a navigation crumb (short, no sentence punctuation, not a headline)."""
    s = line.strip()
    if not s:
        return False
    if BREADCRUMB_HINT_RE.match(s) or (CRUMB_SEPARATOR_RE.search(s) and len(s) <= 80
                                         and not SENTENCE_PUNCT_RE.search(re.sub(r"[>»›:]", "", s))):
        return True
    return len(s) <= 15 and not SENTENCE_PUNCT_RE.search(s) and not is_headline(s)


def page_pairs(line: str) -> list[tuple[str, str]] | None:
    """The `key: value` pairs of a page line (索引号: … 发布机构: … 发布日期: …), or None when the line is not one."""
    found = list(PAGE_KEY_RE.finditer(line))
    if not found:
        return None
    pairs = []
    residue = line[:found[0].start()]
    for i, m in enumerate(found):
        stop = found[i + 1].start() if i + 1 < len(found) else len(line)
        raw = line[m.end():stop]
        value = re.split(VALUE_END, raw.lstrip(" |"), maxsplit=1)[0].strip(" \t•·")
        if PAGE_KEYS[re.sub(r"\s", "", m.group("key"))] in ("source", "publisher", "title"):
            value = re.split(r"\s+(?=(?:19|20)\d{2}[\-/.年])", value, maxsplit=1)[0].strip()
            if re.fullmatch(r"(?:[\u3400-\u9fff] )+[\u3400-\u9fff]", value):
                value = value.replace(" ", "")  # 水 利 局: a name letter-spaced to fill its cell
        if len(value) > 60 or "。" in raw:
            return None  # a sentence that happens to start with a key word, not a page line
        pairs.append((re.sub(r"\s", "", m.group("key")), value))  # values belong to the page line, whatever they hold
    residue = PAGE_CHROME_TOKEN_RE.sub("", residue)
    dated = PAGE_DATE_RE.search(residue) is not None
    residue = PAGE_DATE_RE.sub("", residue)
    return pairs if han_count(residue) < 4 or (dated and han_count(residue) <= 12) else None  # a site's name beside its stamp


def iso_of(value: str | None) -> str | None:
    """The first full date in a printed value (2025-09-24 18:41, 2025年9月24日, 20250924) as ISO, or None."""
    m = PAGE_DATE_RE.search(value or "")
    if not m:
        return None
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    try:
        return date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return None


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
            kind = PAGE_KEYS[re.sub(r"\s", "", key)]
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


def _next_filled(lines: list, index: int, limit: int) -> int | None:
    """Index of the next non-blank line after `index` (before `limit`), or None."""
    for j in range(index + 1, limit):
        if lines[j].text.strip():
            return j
    return None


def title_lines(lines: list, index: int, limit: int) -> list[int]:
    """Indices of a title starting at line `index`, with the lines it continues on (a title broken over up to 4 lines)."""
    taken = [index]
    joined = lines[index].text.strip()
    while len(taken) < 4 and not TITLE_END_RE.search(joined):
        j = _next_filled(lines, taken[-1], limit)
        if j is None:
            break
        s = lines[j].text.strip()
        if len(s) > 40 or SENTENCE_PUNCT_RE.search(s) or is_dateline(s) or speaker_of(s) or page_pairs(s) is not None:
            break
        taken.append(j)
        joined += s
    if len(taken) > 1 and not TITLE_END_RE.search(joined):
        return [index]
    return taken


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
        elif PAGE_LINKS_RE.match(TRAILING_PIPES_RE.sub("", s)) or MEDIA_LINE_RE.match(s):
            _remove_line(noise, lines, i, "page_links", removed)
        elif BREADCRUMB_HINT_RE.match(s) or (CRUMB_SEPARATOR_RE.search(s) and is_nav_line(s)):
            nav_texts.append(s)
            _remove_line(noise, lines, i, "navigation", removed)
        elif is_title_line(TRAILING_PIPES_RE.sub("", s)) or is_headline(s):
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

    for i in range(len(lines)):
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
        page=PageMeta(noise.facts.get("date_line"), noise.facts.get("published"), noise.facts.get("source"),
                      noise.facts.get("publisher"), noise.facts.get("written"), noise.facts.get("title")),
        warnings=tuple(sorted(set(warnings))),
    )
