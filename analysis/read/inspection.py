"""Who inspected or audited whom, in which round, of what kind, when: read from a notice's title and opening.

The three genres name these facts in their own conventional phrases:

* **巡视/巡察** (party inspection): 根据X委统一部署, [届]X委第N轮巡察…, X委第N巡察组 (or 巡察N组, 机动巡察一组)
  于[period] 对[body]开展了[常规/专项/提级交叉…]巡察, [date] 反馈了巡察意见. 巡视 is done by the central
  and provincial committees, 巡察 by city and county ones.
* **生态环境保护督察** (environmental inspection): 第N轮中央/省生态环境保护督察, 中央第N生态环境保护督察组
  于[period] 进驻/对[province]开展了[例行/专项]督察 or 督察"回头看", [date] 反馈了督察意见; 交办/转办 信访件
  in 第N批 batches; 整改任务 销号.
* **审计** (audit): [X审计局/厅/署] (派出审计组) 对[body][N年度][kind]进行了审计; reports to a people's
  congress name the year audited (2023年度) and the kind (预算执行和其他财政收支).

Every value keeps the span it was read from.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterator

from analysis.read.text import cn_to_int

CN = "一二三四五六七八九十"
AUDIT_ACT_METHOD = "audit office before 对…进行了审计"
GENRE_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("party_inspection", re.compile(r"巡视|巡察")),
    ("environmental_inspection", re.compile(r"(生态环境保护|生态环境|环境保护|环保)督察|督察(组|反馈|整改|回头看|“回头看”)|"
                                            r"信访举报件|群众信访举报转办")),
    ("audit", re.compile(r"审计")),
)

# (Led by a class of the characters a group's name can start with: every part before 巡视/巡察 is optional, so `re`
# would otherwise try them all at every character.)
PARTY_GROUP_RE = re.compile(
    r"(?=[中省自市州盟县区旗镇党巡第上提交机专联延])"
    rf"(?P<body>(?:(?:中共)?(?:中央|省委|自治区党委|市委|州委|盟委|县委|区委|旗委|镇党委|党委|党组)?"
    rf"(?:巡视巡察工作领导小组)?(?:第[{CN}]+(?:轮)?)?(?:巡察|巡视)?(?:市县|省市|上下)?(?:提级交叉|交叉|机动|专项|联动|提级|延伸)?"
    rf"(?:第[{CN}]+)?(?:巡视|巡察)(?:[{CN}]+)?组))"
)
ENV_GROUP_RE = re.compile(
    rf"(?P<body>(?:中央|国家|(?:[\u4e00-\u9fff]{{2,8}}?)?(?:省|自治区|市)(?:委)?)?(?:环保)?(?:第[{CN}]+)?"
    rf"(?:生态环境保护|环境保护|生态环境|环保)?督察(?:[{CN}]+)?组)"
)
OFFICE_REACH = 14
AUDIT_OFFICE_RE = re.compile(rf"(?P<body>审计署|[\u4e00-\u9fff]{{0,{OFFICE_REACH}}}?审计(?:厅|局))")
AUDIT_ACT_RE = re.compile(r"(进行了?(?:专项)?审计|开展了?(?:专项)?审计|实施了?审计|依法审计|审计了|组织对|派出(?:的)?审计组|审计调查|"
                          r"对[^。]{0,80}?(?:进行|开展|实施)了?[^。]{0,12}?审计)")
OFFICE_LEAD_RE = re.compile(r"^(?:根据|按照|依据|经|由|受|和|及|与|并|对|在|是|我|今年|近日|日前|随后|同时)+")

ROUND_RE = re.compile(
    rf"(?P<round>(?:(?P<term>[{CN}百]+)届\s*)?(?:(?:中央|省委|自治区党委|市委|州委|县委|区委|旗委)\s*)?第(?P<number>[{CN}]+)轮(?:第[{CN}]+批)?)"
)
BATCH_RE = re.compile(rf"(?P<round>第(?P<number>[{CN}\d]+)批)")
FISCAL_YEAR_RE = re.compile(r"(?P<round>(?P<year>(?:19|20)\d{2})\s*年度)")
AUDITED_OBJECT_RE = re.compile(r"[^。;,]{0,16}?(预算执行|财政收支|财务收支|决算|预算)")
TERM_RE = re.compile(rf"(?P<term>[{CN}百]+)届(?:中央|省委|自治区党委|市委|州委|县委|区委|旗委)")

KIND_WORDS: tuple[tuple[str, re.Pattern], ...] = (
    ("常规", re.compile(r"常规(巡察|巡视|督察)")), ("专项", re.compile(r"专项(巡察|巡视|督察)")),
    ("提级交叉", re.compile(r"提级交叉")), ("交叉", re.compile(r"交叉(?<!提级交叉)(巡察|巡视)")),
    ("机动", re.compile(r"机动(巡察|巡视)")), ("回头看", re.compile(r"回头看")),
    ("联动", re.compile(r"联动(巡察|巡视)|联动巡察组|市县联动|上下联动")), ("例行", re.compile(r"例行(督察|巡视|巡察)")),
    ("提级", re.compile(r"提级(?<!交叉提级)(巡察|巡视)(?!.{0,2}交叉)")),
)  # a look-behind comes after the word it guards, so `re` skips ahead to the word's first character
AUDIT_KINDS: tuple[tuple[str, re.Pattern], ...] = (
    ("budget_execution", re.compile(r"预算执行")),
    ("fiscal_revenue_expenditure", re.compile(r"财政(?<!其他财政)(财务)?收支(?:审计|情况)")),
    ("economic_responsibility", re.compile(r"经济责任")),
    ("natural_resources", re.compile(r"自然资源资产")),
    ("special_investigation", re.compile(r"专项审计调查")),
    ("special", re.compile(r"专项审计(?!调查)")),
    ("performance", re.compile(r"绩效审计")),
    ("tracking", re.compile(r"跟踪审计")),
    ("final_accounts", re.compile(r"决算审计|竣工决算")),
)
THEME_RE = re.compile(r"(?:开展了?|进行了?|召开|组织|的|对)(?P<theme>[^\s,,。;;“”、的了]{2,30}?)专项(?:巡察|巡视|督察)")
THEME_START_RE = re.compile(r"(?P<theme>[^\s,,。;;“”、]{2,30}?)专项(?:巡察|巡视|督察)")
THEME_TAIL_RE = re.compile(r"专项(?:巡察|巡视|督察)")
THEME_REACH = {THEME_RE: 33, THEME_START_RE: 30}  # how far before its 专项巡察 a match can start (its lead word, the theme)

INSPECTED_ORGAN = (r"(?:党组|党委|党工委|党总支|局|厅|委|委员会|政府|办公室|公司|集团|中心|单位|部门|院|所|站|部|办|镇|乡|街道|村|社区|"
                   r"协会|联合会|妇联|科协|工会|机关|侨联|文联|残联|"
                   r"学校|大学|学院|医院|省|市|县|区|旗|州|盟|自治区|班子|我局|我委|我院|我司|我公司|我校|我单位|我镇|"
                   r"负责同志|负责人|董事长|总经理|局长|校长|院长|主任|书记|镇长|乡长|县长|区长|市长)")
INSPECTED_RE = re.compile(
    r"对(?P<body>[^\s,,。;;:、“”]{1,40}?" + INSPECTED_ORGAN + r")(?:党组织)?(?:\([^()]{1,20}\))?"
    r"(?:[^。,;]{0,8}?(?:19|20)\d{2}年度?[^。,;]{0,40}?|(?:任期)?履行经济责任(?:情况)?)?(?:进行了?|开展了?|实施了?|进行|开展|实施)"
    r"[^。;]{0,40}?(?:巡察|巡视|督察|审计|回头看)"
)
STATIONED_RE = re.compile(r"进驻(?P<body>[^\s,,。;;:、“”]{2,12}?(?:省|自治区|市|县|区|旗|州|盟))")
FEEDBACK_RE = re.compile(r"反馈")
PUBLICITY_BEFORE_RE = re.compile(r"(公示|公开|公告)(期|时间|日期)?(为|是|:)?\s*$")


SENTENCE_END_RE = re.compile(r"[。;]")
CLAUSE_END_RE = re.compile(r"[。;,]")


def clause_after(text: str, pos: int, reach: int, ends: re.Pattern = SENTENCE_END_RE) -> str:
    """text[pos:pos + reach] up to its first end mark (。 or ; by default)."""
    stop = ends.search(text, pos, pos + reach)
    return text[pos:stop.start() if stop else pos + reach]


@dataclass(frozen=True)
class Found:
    """A value read from the text and where it stands."""

    value: object
    start: int | None
    end: int | None
    method: str


def genre_of(title: str, opening: str, text: str) -> tuple[str, str]:
    """(genre, where it was decided): the genre word that comes first in the title, else in the opening, else the
    genre whose words are most frequent in the first 3,000 characters; `other` when none is named."""
    for label, scope in (("title", title), ("opening", opening)):
        hits = [(m.start(), genre) for genre, regex in GENRE_PATTERNS if (m := regex.search(scope or ""))]
        if hits:
            return min(hits)[1], label
    head = text[:3000]
    counts = [(len(regex.findall(head)), -i, genre) for i, (genre, regex) in enumerate(GENRE_PATTERNS)]
    best = max(counts)
    return (best[2], "text") if best[0] else ("other", "none")


def strip_round(body: str) -> tuple[str, int]:
    """A group name without the round before it (十届市委第二轮巡察市委提级交叉巡察组 → 市委提级交叉巡察组) and the
    number of characters cut."""
    m = ROUND_RE.match(body)
    if not m:
        return body, 0
    cut = m.end()
    rest = body[cut:]
    if rest.startswith(("巡察", "巡视")) and not re.match(r"(巡察|巡视)[一二三四五六七八九十]*组", rest):
        cut += 2
    return body[cut:], cut


def party_group(text: str, start: int, end: int) -> Found | None:
    """The inspection group (市委第七巡察组, 县委巡察三组, 机动巡察一组) first named in text[start:end]."""
    for m in PARTY_GROUP_RE.finditer(text, start, end):
        body, cut = strip_round(m.group("body"))
        if body.startswith("中共"):
            body, cut = body[2:], cut + 2
        if re.fullmatch(r"(巡察|巡视)组", body):
            continue  # a bare 巡察组 names no group
        return Found(body, m.start("body") + cut, m.end("body"), "inspection group named in the opening")
    return None


def env_group(text: str, start: int, end: int) -> Found | None:
    """The environmental inspection group (中央第二生态环境保护督察组, 省委环保第二督察组) first named in text[start:end]."""
    if text.find("督察", start, end) == -1:
        return None  # every group's name holds 督察
    for m in ENV_GROUP_RE.finditer(text, start, end):
        body = m.group("body")
        lead = re.match(r"^.*?(?=中央|国家|[\u4e00-\u9fff]{0,8}?(?:省|自治区|市)(?:委)?(?:环保)?(?:第|生态|环境|督察))", body)
        cut = lead.end() if lead else 0
        cut += len(OFFICE_LEAD_RE.match(body[cut:]).group(0)) if OFFICE_LEAD_RE.match(body[cut:]) else 0
        body = body[cut:]
        if body in ("督察组",) or not re.search(r"(中央|省|自治区|市|第|生态|环境|环保)", body):
            continue
        return Found(body, m.start("body") + cut, m.end("body"), "inspection group named in the opening")
    return None


OFFICE_GLUE_RE = re.compile(r".*[的了和及与、,，“”《》()]")


def _office_name(body: str) -> tuple[str, int]:
    """An audit office's name without the words glued before it (根据…, 由, 的), and the characters cut."""
    lead = OFFICE_GLUE_RE.search(body)
    cut = lead.end() if lead else 0
    head = OFFICE_LEAD_RE.match(body[cut:])
    cut += len(head.group(0)) if head else 0
    return body[cut:], cut


OFFICE_WORD_RE = re.compile(r"审计[厅局署]")


def office_mentions(text: str, start: int, end: int) -> Iterator[re.Match]:
    """AUDIT_OFFICE_RE.finditer(text, start, end), found from the office words (审计厅/局/署): a name ends in one and
    starts at most OFFICE_REACH characters before it, so `re` tries only those positions, not every character."""
    pos = start
    while (word := OFFICE_WORD_RE.search(text, pos, end)) is not None:
        m = AUDIT_OFFICE_RE.search(text, max(pos, word.start() - OFFICE_REACH), end)  # matches by this word at the latest
        yield m
        pos = m.end()


OFFICE_CLAUSE_END_RE = re.compile(r"[,，。;]")
HEAD_PUNCT_RE = re.compile(r"[。,;:]")
OFFICE_HEAD_ROLE_RE = re.compile(r"\s*(局长|厅长|审计长|党组书记|副局长|副厅长)")  # a speech's speaker line: XX审计局局长 张三
OFFICE_ACT_WORD_RE = re.compile(r"(对|审计|派出|组织|依法)")


def audit_office(text: str, start: int, end: int) -> Found | None:
    """The audit office that audited, named in text[start:end]: the one whose own clause says it audited
    (X审计局派出审计组 / 组织对…进行了审计 / 依法审计了), else the first one the running text names."""
    first = None
    for m in office_mentions(text, start, end):
        body, cut = _office_name(m.group("body"))
        if body in ("审计局", "审计厅") or len(body) < 3:
            continue
        clause = clause_after(text, m.end(), min(end, m.end() + 120) - m.end(), OFFICE_CLAUSE_END_RE)
        following = clause_after(text, m.end(), min(end, m.end() + 160) - m.end())
        line_start = text.rfind("\n", 0, m.start()) + 1
        in_head = not HEAD_PUNCT_RE.search(text, line_start, m.start()) and m.start() - line_start < 40 \
            and OFFICE_HEAD_ROLE_RE.match(text[m.end():m.end() + 8])
        if OFFICE_ACT_WORD_RE.search(clause) and AUDIT_ACT_RE.search(following):
            return Found(body, m.start("body") + cut, m.end("body"), AUDIT_ACT_METHOD)
        if first is None and not in_head:
            first = Found(body, m.start("body") + cut, m.end("body"), "the audit office the report names")
    return first


def inspecting_body(genre: str, text: str, spans: list[tuple[int, int]]) -> Found | None:
    """Who inspected: the group or office of the notice's genre, first named in the title or opening spans."""
    finder = {"party_inspection": party_group, "environmental_inspection": env_group, "audit": audit_office}.get(genre)
    if finder is None:
        return None
    if genre == "audit":  # the running text says who audited; a title only names the office that reports
        spans = sorted(spans, key=lambda span: span[1] - span[0], reverse=True)
    for start, end in spans:
        found = finder(text, start, end)
        if found:
            return found
    return None


def inspected_body(text: str, spans: list[tuple[int, int]]) -> Found | None:
    """The body inspected (对XX开展了巡察 / 对XX进行了审计 / 进驻XX省), as written."""
    for start, end in spans:
        m = INSPECTED_RE.search(text, start, end)
        if m:
            body = m.group("body")
            lead = OFFICE_LEAD_RE.match(body)
            cut = len(lead.group(0)) if lead and len(lead.group(0)) < len(body) - 1 and not body.startswith("我") else 0
            return Found(body[cut:], m.start("body") + cut, m.end("body"), "对…开展/进行…巡察/督察/审计")
        m = STATIONED_RE.search(text, start, end)
        if m:
            return Found(m.group("body"), m.start("body"), m.end("body"), "进驻…")
    return None


def round_of(genre: str, text: str, spans: list[tuple[int, int]]) -> tuple[Found | None, int | None, int | None, int | None]:
    """(round as written, 届 number, 轮/批 number, fiscal year): …届…第…轮 (巡视/巡察, 督察), 第N批 (督察), N年度 (audits)."""
    for start, end in spans:
        if text.find("轮", start, end) == -1:
            continue  # every round names its 轮; a span without one is not scanned
        m = next((m for m in ROUND_RE.finditer(text, start, end) if "回头看" not in clause_after(text, m.end(), 40, CLAUSE_END_RE)),
                 None)
        if m and genre != "audit":  # 对第一轮督察整改情况开展了"回头看": the round is the earlier inspection's
            term = cn_to_int(m.group("term")) if m.group("term") else None
            return Found(m.group("round"), m.start("round"), m.end("round"), "…届…第…轮 in the title or opening"), term, \
                cn_to_int(m.group("number")), None
    if genre == "audit":
        candidates = [m for start, end in spans for m in FISCAL_YEAR_RE.finditer(text, start, end)
                      if AUDITED_OBJECT_RE.match(text, m.end()) or AUDIT_ACT_RE.search(clause_after(text, m.end(), 80))]
        in_act = [m for m in candidates if re.search(r"对[^。;,]{0,20}$", text[max(0, m.start() - 24):m.start()])]
        m = (in_act or candidates or [None])[0]
        if m:
            return Found(m.group("round"), m.start("round"), m.end("round"), "the year audited (N年度)"), None, None, \
                int(m.group("year"))
        return None, None, None, None
    for start, end in spans:
        m = TERM_RE.search(text, start, end) if text.find("届", start, end) != -1 else None  # every term names its 届
        if m:
            return None, cn_to_int(m.group("term")), None, None
    return None, None, None, None


def named(table: tuple[tuple[str, re.Pattern], ...], text: str, spans: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """(name, start, end) of each entry of `table` whose words the spans state, first mention, in the table's order."""
    found: dict[str, tuple[str, int, int]] = {}
    for start, end in spans:
        for name, regex in table:
            m = regex.search(text, start, end)
            if m and name not in found:
                found[name] = (name, m.start(), m.end())
    order = [name for name, _ in table]
    return sorted(found.values(), key=lambda k: order.index(k[0]))


def kinds_of(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """Kinds of inspection stated in the spans (常规, 专项, 提级交叉, 交叉, 机动, 回头看, 联动, 例行, 提级)."""
    return named(KIND_WORDS, text, spans)


def audit_kinds(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """Kinds of audit named in the spans (budget_execution, economic_responsibility, …)."""
    return named(AUDIT_KINDS, text, spans)


def theme_search(regex: re.Pattern, text: str, start: int, end: int) -> re.Match | None:
    """regex.search(text, start, end) for THEME_RE or THEME_START_RE, tried only before each 专项巡察/巡视/督察 in turn: a
    match ends at the first one its theme reaches, THEME_REACH characters from its start at most (`re` would otherwise
    try the theme's lazy repeat at every character)."""
    pos = start
    while (tail := THEME_TAIL_RE.search(text, pos, end)) is not None:
        found = regex.search(text, max(start, tail.start() - THEME_REACH[regex]), tail.end())
        if found is not None:
            return found
        pos = tail.end()
    return None


def theme_of(text: str, spans: list[tuple[int, int]]) -> Found | None:
    """The theme of a 专项 inspection (words before 专项巡察/专项督察)."""
    for start, end in spans:
        if text.find("专项", start, end) == -1:
            continue  # both patterns need 专项; a span without it is not scanned
        m = theme_search(THEME_RE, text, start, end) or theme_search(THEME_START_RE, text, start, end)
        if m:
            theme = m.group("theme")
            lead = re.match(r"^(及|和|与|、|以及|暨)", theme)
            cut = lead.end() if lead else 0
            theme = theme[cut:]
            if len(theme) < 2 or theme in ("开展", "进行", "一次") or re.fullmatch(r"(中央|省委|市委|县委|区委)", theme) \
                    or re.search(r"(对|组|进行|开展|部署)", theme):
                continue
            return Found(theme, m.start("theme") + cut, m.end("theme"), "…专项巡察 in the title or opening")
    return None


INSPECTION_ACT_RE = re.compile(r"(巡察|巡视|督察|审计|回头看|进驻)")
AUDIT_SYSTEM_RE = re.compile(r"^[,\s]*(全市|全省|全区|全县|全国)?[^,。]{0,6}审计(机关|系统|部门)")  # 全市审计机关: not one audit
STARTING_RE = re.compile(r"\s*(起|开始)")


def period_and_feedback(text: str, dates, spans: list[tuple[int, int]]):
    """(inspection period, feedback date) among resolved dates in the spans: the first range of day or month
    precision whose sentence names the inspection or audit (not a publicity period, not the reporting year of a
    work report), and the first point date whose clause says 反馈."""
    inside = [d for d in dates if spans[0][0] <= d.mention.start < spans[0][1]] if len(spans) == 1 else \
        [d for d in dates if any(s <= d.mention.start < e for s, e in spans)]
    period = None
    for d in inside:
        if d.kind != "range" or d.precision not in ("day", "month", "part_of_month"):
            continue
        if PUBLICITY_BEFORE_RE.search(text[max(0, d.mention.start - 8):d.mention.start]):
            continue
        sentence = clause_after(text, d.mention.end, 150)
        if INSPECTION_ACT_RE.search(sentence) and not AUDIT_SYSTEM_RE.match(sentence):
            period = d
            break
    if period is None:  # 于2022年10月24日起……进行了审计: a start without an end
        for d in inside:
            after = text[d.mention.end:d.mention.end + 4]
            if d.kind == "point" and d.precision == "day" and STARTING_RE.match(after) \
                    and INSPECTION_ACT_RE.search(clause_after(text, d.mention.end, 150)):
                period = d
                break
    feedback = None
    starts = sorted(d.mention.start for d in dates)
    for d in inside:
        if d is period or d.kind != "point" or d.precision not in ("day", "month", "part_of_month"):
            continue
        following = bisect_right(starts, d.mention.start)  # the first date after it
        stop = min(starts[following], d.mention.end + 60) if following < len(starts) else d.mention.end + 60
        if FEEDBACK_RE.search(clause_after(text, d.mention.end, stop - d.mention.end)):
            feedback = d
            break
    return period, feedback
