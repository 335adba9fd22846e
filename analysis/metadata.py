"""Notice metadata: who inspected whom, when; who signed, when; where; declared totals — each with its evidence span.

Where things stand in a 公文 rectification notice:

* the **title** is a line above the opening paragraph (…关于…的通报/公示); copies taken from web
  pages often lack it (then it is null, never invented);
* the **opening paragraph** (根据……部署, ……巡察组对……开展了……巡察。……反馈了……意见) names the
  inspecting body, the inspected body, the kind and theme of inspection, its period and the
  feedback date;
* the **signature block** closes the notice: the body's name, then the date (on the next line or
  the same line). A repost date or a page's publish time is not a signature (those are kept by
  ingest as page facts);
* **declared totals** (48个问题 … 161条整改措施 … 109条已完成 … 67.7% … 形成制度机制25项) stand in the
  overview sections and in the preamble of the problems section, never inside a problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .dates import ResolvedDate, find_dates, resolve
from .ingest import PageMeta
from .parse import ParsedNotice
from .places import Gazetteer, Place, place_of
from .textutil import cn_to_int, iter_lines

NUM = r"(\d+|[一二三四五六七八九十百两]+)"
INSPECTION_RE = re.compile(r"(巡察|巡视|督察|审计)")
TITLE_WORDS_RE = re.compile(r"(关于|通报|公告|公示|报告|情况|通知|说明)")
SIGNATURE_RE = re.compile(r"^(?P<body>[^\s\d。,;:]{2,40}?)?\s*(?P<date>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*$")
BODY_LINE_RE = re.compile(r"^[^\s。,;:、\d]{2,40}$")
ROUND_RE = re.compile(r"(?P<round>(?:(?P<term>[一二三四五六七八九十百]+)届)?(?:中央|省委|市委|州委|县委|区委|旗委)?第(?P<number>[一二三四五六七八九十]+)轮)")
INSPECTOR_RE = re.compile(r"(?P<body>[^\s,,。;;:、]{2,40}?(?:巡察组|巡视组|督察组|审计组|审计局|审计厅|审计署))(?:于[^,,。]{0,30}?[,,]?)?(?:对|向|进驻)")
INSPECTED_RE = re.compile(r"对(?P<body>[^\s,,。;;]{2,40}?(?:党组|党委|党工委|局|厅|委|委员会|政府|办公室|公司|集团|中心|单位|部门|院|所|站))"
                          r"(?:开展了?|进行了?|实施了?)[^。]{0,24}?(?:巡察|巡视|督察|审计)")
FEEDBACK_RE = re.compile(r"反馈")
KIND_WORDS = (("提级交叉", re.compile(r"提级交叉")), ("交叉", re.compile(r"(?<!提级)交叉(巡察|巡视)")),
              ("常规", re.compile(r"常规(巡察|巡视)")), ("专项", re.compile(r"专项(巡察|巡视|督察)")),
              ("机动", re.compile(r"机动(巡察|巡视)")), ("回头看", re.compile(r"回头看")), ("联动", re.compile(r"联动(巡察|巡视)")),
              ("例行", re.compile(r"例行督察")))
THEME_RE = re.compile(r"(?:开展了?|进行了?|召开|组织|的|对)(?P<theme>[^\s,,。;;“”、的了]{2,30}?)专项(?:巡察|巡视|督察)")
THEME_START_RE = re.compile(r"(?P<theme>[^\s,,。;;“”、]{2,30}?)专项(?:巡察|巡视|督察)")
LEVEL_WORDS = (("central", re.compile(r"中央")), ("provincial", re.compile(r"省委|省(生态)?环境保护督察|省级")),
               ("municipal", re.compile(r"市委|州委|市级")), ("county", re.compile(r"县委|区委|旗委|县级")))
ORG_PREFIX_RE = re.compile(r"^中共")
ORG_SUFFIX_RE = re.compile(r"(党组|党委|党工委|机关党委|委员会)$")

DECLARED_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("declared_problems", re.compile(rf"(?:反馈|指出|交办|涉及|发现)(?:的)?(?:各类|共)?{NUM}个(?:具体)?问题")),
    ("declared_measures", re.compile(rf"{NUM}(?:条|项)(?:具体)?整改措施")),
    ("declared_measures_completed", re.compile(rf"{NUM}(?:条|项)(?:整改)?措施已(?:全部)?(?:完成|落实)|已完成(?:整改)?措施{NUM}(?:条|项)")),
    ("declared_completion_pct", re.compile(r"(?:总进度|完成率|整改完成率|整改率|完成比例)(?:为|达|达到)?\s*(\d+(?:\.\d+)?)\s*%")),
    ("declared_problems_completed", re.compile(rf"{NUM}个问题已(?:全部)?(?:整改)?完成|已(?:整改)?完成(?:整改)?问题{NUM}个")),
    ("declared_items_completed", re.compile(rf"已(?:整改)?完成(?:整改)?(?:事项|任务){NUM}(?:个|项)")),
    ("declared_items_long_term", re.compile(rf"(?:阶段性成效|长期坚持)[^,。;]{{0,12}}?(?:事项|问题|任务){NUM}(?:个|项)")),
    ("declared_items_in_progress", re.compile(rf"(?:正在|持续|按计划)推进[^,。;]{{0,8}}?(?:事项|问题|任务){NUM}(?:个|项)")),
    ("declared_rules", re.compile(rf"(?:形成|建立|出台|制定|修订)(?:完善)?[^,。;]{{0,6}}?(?:制度机制|规章制度|长效机制|制度){NUM}(?:项|个|件|条)")),
)


@dataclass
class Evidence:
    """A metadata value and the span of normalised text it was read from."""

    field: str
    value: object
    start: int | None
    end: int | None
    method: str


@dataclass
class NoticeMetadata:
    """Metadata of one notice, as values plus evidence rows."""

    values: dict = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dates: list[ResolvedDate] = field(default_factory=list)
    signature: date | None = None
    opening: tuple[int, int] | None = None

    def put(self, name: str, value, start: int | None = None, end: int | None = None, method: str = "") -> None:
        """Set a field and keep its evidence."""
        self.values[name] = value
        if value is not None and value != []:
            self.evidence.append(Evidence(name, value, start, end, method))


def find_title(text: str, preamble_end: int) -> tuple[int, int] | None:
    """Span of the title line above the opening paragraph, if the copy has one."""
    for line in iter_lines(text[:preamble_end]):
        s = line.text.strip()
        if not s:
            continue
        if 8 <= len(s) <= 100 and TITLE_WORDS_RE.search(s) and not re.search(r"[。,;]", s):
            lead = len(line.text) - len(line.text.lstrip())
            return line.start + lead, line.start + lead + len(s)
        if INSPECTION_RE.search(s) or len(s) > 100:
            return None
    return None


def find_opening(text: str, preamble_end: int) -> tuple[int, int] | None:
    """Span of the opening paragraph (the first paragraph naming an inspection, before the outline)."""
    for line in iter_lines(text[:preamble_end]):
        s = line.text.strip()
        if len(s) > 20 and INSPECTION_RE.search(s) and re.search(r"[。,]", s):
            lead = len(line.text) - len(line.text.lstrip())
            return line.start + lead, line.start + lead + len(s)
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
        found = find_dates(text, *date_span)
        signed = date(found[0].year, found[0].month, found[0].day) if found and found[0].day else None
        if m.group("body"):
            return (offset + m.start("body"), offset + m.end("body")), date_span, signed
        if i > 0 and BODY_LINE_RE.match(lines[i - 1].text.strip()):
            prev = lines[i - 1]
            lead = len(prev.text) - len(prev.text.lstrip())
            return (prev.start + lead, prev.start + lead + len(prev.text.strip())), date_span, signed
        return None, date_span, signed
    return None, None, None


def organisation_of(body: str) -> str:
    """The organ behind a signing body: 中共青岛市生态环境局党组 → 青岛市生态环境局."""
    return ORG_SUFFIX_RE.sub("", ORG_PREFIX_RE.sub("", body))


def genre_of(text: str) -> str:
    """party_inspection / environmental_inspection / audit / other from the opening and title."""
    if re.search(r"巡察|巡视", text):
        return "party_inspection"
    if re.search(r"(生态环境保护|环境保护|环保|生态环境)督察", text):
        return "environmental_inspection"
    if re.search(r"审计", text):
        return "audit"
    return "other"


def number(value: str) -> float | None:
    """A captured number (Arabic or Chinese) as a float."""
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    parsed = cn_to_int(value)
    return float(parsed) if parsed is not None else None


def declared_totals(text: str, spans: list[tuple[int, int]]) -> list[Evidence]:
    """Declared totals found in the overview spans (first mention of each)."""
    found: dict[str, Evidence] = {}
    for name, regex in DECLARED_PATTERNS:
        for start, end in sorted(spans):
            m = regex.search(text, start, end)
            if m:
                raw = next(g for g in m.groups() if g)
                value = number(raw)
                if value is not None and name not in found:
                    found[name] = Evidence(name, value, m.start(), m.end(), "declared")
                break
    return list(found.values())


def extract_metadata(text: str, parsed: ParsedNotice, page: PageMeta, gazetteer: Gazetteer) -> NoticeMetadata:
    """All notice-level metadata of a parsed notice."""
    meta = NoticeMetadata()
    preamble_end = parsed.outline.preamble_end
    title = find_title(text, preamble_end)
    meta.put("title", text[title[0]:title[1]] if title else None, *(title or (None, None)), "title line above the opening")
    if not title:
        meta.warnings.append("no_title")
    opening = find_opening(text, preamble_end)
    meta.opening = opening
    opening_text = text[opening[0]:opening[1]] if opening else ""
    if not opening:
        meta.warnings.append("no_opening_paragraph")

    body_span, date_span, signed = find_signature(text)
    meta.signature = signed
    issuing_body = text[body_span[0]:body_span[1]] if body_span else None
    meta.put("issuing_body", issuing_body, *(body_span or (None, None)), "signature block")
    meta.put("signature_date", signed, *(date_span or (None, None)), "signature block")
    if signed is None:
        meta.warnings.append("no_signature")

    all_dates = resolve(text, find_dates(text), signed, opening)
    meta.dates = all_dates
    scope_text = " ".join(filter(None, [opening_text, text[title[0]:title[1]] if title else ""]))
    genre = genre_of(scope_text or text[:2000])
    meta.put("genre", genre, *(opening or (None, None)), "inspection word in the opening or title")

    if opening:
        _opening_facts(meta, text, opening, all_dates)
    if meta.values.get("inspecting_body") is None:
        m = re.search(r"(中央|省)(生态)?环境保护督察组|(中央|省委|市委|县委)第[一二三四五六七八九十]+(巡视|巡察)组", text)
        meta.put("inspecting_body", m.group(0) if m else None, *(m.span() if m else (None, None)), "named elsewhere in the text")
    _round(meta, text, [span for span in (title, opening) if span])
    _kind_and_theme(meta, text, opening, parsed)
    if issuing_body:
        organisation = organisation_of(issuing_body)
        meta.put("organisation", organisation, *body_span, "issuing body without 中共 … 党组")
    else:
        inspected = next((e for e in meta.evidence if e.field == "inspected_body"), None)
        organisation = organisation_of(inspected.value) if inspected else None
        meta.put("organisation", organisation, *((inspected.start, inspected.end) if inspected else (None, None)),
                 "no signature block: the inspected body without 中共 … 党组")
    inspector = meta.values.get("inspecting_body") or ""
    level = next((name for name, regex in LEVEL_WORDS if regex.search(inspector + (meta.values.get("round") or ""))), None)
    if level is None and genre == "environmental_inspection":
        level = next((name for name, regex in LEVEL_WORDS if regex.search(scope_text)), None)
    meta.put("inspection_level", level, None, None, "who inspected: 中央 / 省委 / 市委 / 县委")

    context = [x for x in [organisation, meta.values.get("inspected_body"), text[title[0]:title[1]] if title else None] if x]
    place: Place = place_of(gazetteer, organisation or "", context)
    for name in ("province", "province_code", "city", "city_code", "county", "county_code", "admin_level"):
        meta.put(name, getattr(place, name), *(body_span or (None, None)), "division table, in the notice's context")
    if place.province is None:
        meta.warnings.append("place_not_resolved")

    meta.put("page_date", date.fromisoformat(page.page_date) if page.page_date else None, None, None, "page date line (removed at ingest)")
    meta.put("page_published", page.page_published, None, None, "page header (removed at ingest)")

    for evidence in declared_totals(text, parsed.overview_spans):
        meta.put(evidence.field, evidence.value, evidence.start, evidence.end, "declared in an overview section")
    return meta


def _opening_facts(meta: NoticeMetadata, text: str, opening: tuple[int, int], all_dates: list[ResolvedDate]) -> None:
    """Inspecting and inspected bodies, inspection period and feedback date from the opening paragraph."""
    o_start, o_end = opening
    inspector = INSPECTOR_RE.search(text, o_start, o_end)
    if inspector:
        body = inspector.group("body")
        start = inspector.start("body")
        round_m = ROUND_RE.match(body)
        if round_m:
            tail = body[round_m.end():]
            skip = len(round_m.group(0)) + (2 if tail.startswith(("巡察", "巡视")) else 0)
            body, start = body[skip:], start + skip
        meta.put("inspecting_body", body, start, start + len(body), "…组对…开展 in the opening")
    else:
        meta.values["inspecting_body"] = None
    inspected = INSPECTED_RE.search(text, o_start, o_end)
    meta.put("inspected_body", inspected.group("body") if inspected else None,
             *(inspected.span("body") if inspected else (None, None)), "对…开展 in the opening")
    opening_dates = [d for d in all_dates if o_start <= d.mention.start < o_end]
    period = next((d for d in opening_dates if d.kind == "range" and d.precision == "day"), None)
    meta.put("inspection_start", period.value_start if period else None, *(_span(period)), "first date range in the opening")
    meta.put("inspection_end", period.value_end if period else None, *(_span(period)), "first date range in the opening")
    feedback = None
    for d in opening_dates:
        if d is period or d.kind != "point":
            continue
        sentence_end = min([i for i in (text.find("。", d.mention.end, o_end),) if i != -1] or [o_end])
        if FEEDBACK_RE.search(text, d.mention.end, sentence_end):
            feedback = d
            break
    meta.put("feedback_date", feedback.value_start if feedback else None, *(_span(feedback)), "date of the sentence saying 反馈")
    meta.put("feedback_precision", feedback.precision if feedback else None, *(_span(feedback)), "as stated")
    meta.put("feedback_year_inferred", feedback.year_inferred if feedback else None, *(_span(feedback)),
             "a year-less date takes its year from the inspection period before it")


def _span(d: ResolvedDate | None) -> tuple[int | None, int | None]:
    """Offsets of a resolved date, or (None, None)."""
    return (d.mention.start, d.mention.end) if d else (None, None)


def _round(meta: NoticeMetadata, text: str, spans: list[tuple[int, int]]) -> None:
    """Inspection round (十三届市委第三轮) from the title or opening."""
    for start, end in spans:
        m = ROUND_RE.search(text, start, end)
        if m:
            meta.put("round", m.group("round"), m.start("round"), m.end("round"), "…届…第…轮 in the title or opening")
            term = cn_to_int(m.group("term")) if m.group("term") else None
            meta.put("round_term", term, m.start("round"), m.end("round"), "届 number")
            meta.put("round_number", cn_to_int(m.group("number")), m.start("round"), m.end("round"), "轮 number")
            return
    for name in ("round", "round_term", "round_number"):
        meta.values[name] = None


def _kind_and_theme(meta: NoticeMetadata, text: str, opening: tuple[int, int] | None, parsed: ParsedNotice) -> None:
    """Inspection kinds and theme: from the opening and the inspecting body; 专项 also from overview sections."""
    kinds: list[tuple[str, int, int]] = []
    sources = [opening] if opening else []
    for start, end in sources:
        for name, regex in KIND_WORDS:
            m = regex.search(text, start, end)
            if m:
                kinds.append((name, m.start(), m.end()))
    theme = None
    if opening:
        m = THEME_RE.search(text, *opening) or THEME_START_RE.search(text, *opening)
        if m:
            theme = (m.group("theme"), m.start("theme"), m.end("theme"))
    if not any(k[0] == "常规" for k in kinds) and theme is None:
        problem_spans = [(n.start, n.end) for n in parsed.problem_sections]
        for start, end in parsed.overview_spans:
            if any(ps <= start < pe for ps, pe in problem_spans):
                continue
            m = THEME_RE.search(text, start, end)
            if m:
                theme = (m.group("theme"), m.start("theme"), m.end("theme"))
                break
    if theme and not any(k[0] == "专项" for k in kinds):
        kinds.append(("专项", theme[1], theme[2]))
    names = sorted({k[0] for k in kinds}, key=[k for k, _ in KIND_WORDS].index)
    first = min(kinds, key=lambda k: k[1]) if kinds else None
    meta.put("inspection_kind", names, *( (first[1], first[2]) if first else (None, None)), "kind words in the opening")
    meta.put("inspection_theme", theme[0] if theme else None, *((theme[1], theme[2]) if theme else (None, None)),
             "…专项巡察 in the opening or an overview section")
