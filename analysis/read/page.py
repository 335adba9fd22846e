"""Page lines: the chrome and the document lines a web page prints around a notice's text, and the facts they carry.

Copies of Chinese government pages bring their page with them: `key: value` meta lines (索引号, 发布机构, 发布日期,
来源 …, also letter-spaced as 索 引 号, glued to the value before them, or to a compact date 发布日期20200103), date
lines (2025年07月06日 星期日, a view count after the date), a site's name beside its stamp, breadcrumbs (当前位置,
首页 > 栏目, also numbered), print/close/share links, table pipes, media links and repost trailers. This module
says what a line is — a page line and its pairs, a title (broken over up to four lines), a headline, a speech's
dateline or speaker, running text, a navigation crumb, a table's header cells — and keeps the page's facts as a
`PageMeta`; ingest decides which lines go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from analysis.read.text import has_han

# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class PageMeta:
    """Facts about the web page the notice was copied from, taken from the page lines removed."""

    page_date: str | None = None  # ISO date of a date line such as 2025年07月06日 星期日 (repost or page date)
    page_published: str | None = None  # 发布日期/发布时间/发表时间 as printed, e.g. 2025-09-24 18:41
    page_source: str | None = None  # 信息来源/来源/文章来源 as printed
    page_publisher: str | None = None  # 发布机构/发文机关 as printed
    page_written: str | None = None  # 成文日期 as printed
    page_title: str | None = None  # 文件名称/标题 as printed


# --------------------------------------------------------------------------- page lines

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
    "(?=[" + "".join(sorted({re.escape(k[0]) for k in PAGE_KEYS})) + "])"
    "(?P<key>" + "|".join(sorted(map(_spaced, GLUEABLE_KEYS), key=len, reverse=True)) + "|(?<![\u3400-\u9fff])(?:"
    + "|".join(sorted((_spaced(k) for k in PAGE_KEYS if k not in GLUEABLE_KEYS), key=len, reverse=True))
    + r"))\s*(?::\s*|(?=(?:19|20)\d{6}))"
)
# (Led by a class of the keys' first characters: one test rejects most positions before the keys are tried one by one.)
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
PROSE_PUNCT_RE = re.compile(r"[。,;!?]")


def without_trailing_pipes(line: str) -> str:
    """The line without the pipes (and spaces) it ends with; tested for a pipe first, as `re` would try the pattern at
    every character of a line that holds none."""
    return TRAILING_PIPES_RE.sub("", line) if "|" in line else line
LINK_TOKEN = r"(打印本页|打印正文|打印|关闭窗口|关闭本页|关闭|返回顶部|返回|收藏本页|收藏|分享|上一篇|下一篇|字号|大|中|小|TOP|top)"
LINK_HINT_RE = re.compile(r"【|\[|打印|关闭|返回|收藏|分享|上一篇|下一篇|TOP|top")  # literals only: `re` skips ahead by first character
PAGE_LINKS_RE = re.compile(r"^\s*(?:[【\[]\s*" + LINK_TOKEN + r"\s*[】\]]\s*|" + LINK_TOKEN + r"\s+)+\s*$")
MEDIA_LINE_RE = re.compile(r"^\s*(?:https?://\S+|www\.\S+|\S+\.(?:jpg|jpeg|png|gif|bmp|webp|pdf|docx?|xlsx?|wps|zip))\s*$", re.I)
TRAILER_RE = re.compile(
    r"(来自网络|如有侵权|侵权请|联系删除|转载|版权所有|免责声明|本文来源|原文链接|原标题|责任编辑|扫一扫|分享到|"
    r"打印本页|关闭窗口|返回顶部|来源[::]|编辑[::]|审核[::]|校对[::]|主办[::]|承办[::]|ICP备|网站标识码|技术支持|网站地图|联系我们)"
)


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
            and has_han(DATE_WORDS_RE.sub("", s), 6))


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
    s = without_trailing_pipes(line).strip()
    if not s or is_dateline(s) or (":" in s and page_pairs(s) is not None):
        return False
    if SALUTATION_RE.match(s):
        return True
    if OUTLINE_START_RE.match(s):
        return has_han(s, 4) and "首页" not in s and ">" not in s  # 1. 首页 / 2. > 栏目 is a numbered breadcrumb
    if OPENING_RE.search(s[:60]) and SENTENCE_PUNCT_RE.search(s):
        return True
    return len(s) > 40 and bool(PROSE_PUNCT_RE.search(s))


def is_body_line(line: str) -> bool:
    """Whether a line starts the notice proper (a title, a speech's dateline or speaker, or running text)."""
    s = without_trailing_pipes(line).strip()
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
            and has_han(DATE_WORDS_RE.sub("", s), 6))


def is_nav_line(line: str) -> bool:
    """Whether a line above the notice is a navigation crumb (short, no sentence punctuation, not a headline)."""
    s = line.strip()
    if not s:
        return False
    if BREADCRUMB_HINT_RE.match(s) or (CRUMB_SEPARATOR_RE.search(s) and len(s) <= 80
                                         and not SENTENCE_PUNCT_RE.search(re.sub(r"[>»›:]", "", s))):
        return True
    return len(s) <= 15 and not SENTENCE_PUNCT_RE.search(s) and not is_headline(s)


SPACE_RE = re.compile(r"\s")
DATE_AFTER_NAME_RE = re.compile(r"\s+(?=(?:19|20)\d{2}[\-/.年])")  # 某县水利局 2025-06-17: the name ends before the date
LETTER_SPACED_RE = re.compile(r"(?:[\u3400-\u9fff] )+[\u3400-\u9fff]")


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
        value = VALUE_END.split(raw.lstrip(" |"), maxsplit=1)[0].strip(" \t•·")
        key = SPACE_RE.sub("", m.group("key"))
        if PAGE_KEYS[key] in ("source", "publisher", "title"):
            value = DATE_AFTER_NAME_RE.split(value, maxsplit=1)[0].strip()
            if LETTER_SPACED_RE.fullmatch(value):
                value = value.replace(" ", "")  # 水 利 局: a name letter-spaced to fill its cell
        if len(value) > 60 or "。" in raw:
            return None  # a sentence that happens to start with a key word, not a page line
        pairs.append((key, value))  # values belong to the page line, whatever they hold
    residue = PAGE_CHROME_TOKEN_RE.sub("", residue)
    dated = PAGE_DATE_RE.search(residue) is not None
    residue = PAGE_DATE_RE.sub("", residue)
    return pairs if not has_han(residue, 4) or (dated and not has_han(residue, 13)) else None  # a site's name beside its stamp


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


# --------------------------------------------------------------------------- titles


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
