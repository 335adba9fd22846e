"""Notice metadata: who issued it, where, when; who inspected whom and when; declared totals — each with its evidence.

A notice states its facts in several places, and every one is used (analysis.read.frame finds the title, the
opening, a speech's head and the signature):

* the **title** above the text (中共XX党组关于……的通报; a long title may be broken over lines); copies of web
  pages often lack it, and then the page's 文件名称 line stands in. Breadcrumbs, site names and URLs are never
  titles (ingest removes them);
* **page lines** (来源, 发布机构, 发布时间, 成文日期) — removed from the text at ingest, their values kept;
* a **speech** (reports to a people's congress) has a dateline (——2024年12月25日在……会议上) and a speaker line
  (XX市审计局局长 张三);
* the **opening** names the inspection: who inspected whom, when, in which round (see analysis.read.inspection);
* the **signature block** closes the notice: the body's name, then the date;
* **declared totals** stand in the opening and overview sections, never inside a problem (analysis.read.declared).

The issuing body is read from the signature, else the title's prefix before 关于, else the speaker's body, else
the body the inspectors fed back to (向XX党委反馈), else the page's 发布机构; the publication date from the
signature, else the speech's dateline, else the page's 成文日期 or publish date (`publication_date_source` says
which). A value never comes from nowhere: a field the notice does not state stays empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from analysis.read.bodies import body_kind_of, organisation_of, place_tier, tier_word
from analysis.read.date_resolution import resolve
from analysis.read.dates import ResolvedDate, find_dates
from analysis.read.declared import declared_totals
from analysis.read.frame import Speech, find_opening, find_signature, find_speech, find_title, front_end_of
from .inspection import (AUDIT_ACT_METHOD, Found, audit_kinds, genre_of, inspected_body, inspecting_body, kinds_of,
                         period_and_feedback, round_of, theme_of)
from .inspection_level import inspection_level
from analysis.read.page import PageMeta, iso_of
from analysis.read.places import Gazetteer, Place, find_divisions, place_of
from analysis.read.structure import ParsedNotice

__all__ = ["Evidence", "NoticeMetadata", "extract_metadata", "organisation_of"]

ORGAN = (r"(?:党组|党委|党工委|委员会|人民政府|政府|局|厅|署|委|办|办公室|部|院|公司|集团|医院|学校|大学|学院|中心|法院|检察院|街道|"
         r"镇|乡|村|社区|分局|支队|管委会|领导小组|协会|联合会|妇联|科协|工会|侨联|文联|残联|机关)")
# The body that speaks in the opening when the inspectors' sentence says only 我单位/我局: its name as the subject of
# the next sentence (县委宣传部高度重视……).
SELF_SUBJECT_RE = re.compile(r"(?:^|[。\n])\s*(?P<body>[^\s,，。;；:“”、]{3,30}?" + ORGAN + r")(?:领导班子|班子)?"
                             r"(?:高度重视|坚持|把|认真|立即|及时|第一时间|成立|召开|始终|切实|严格|对照|诚恳|全面)")
NOT_A_NAME_RE = re.compile(r"^(局党组|院党组|局党委|党组|党委|本局|我局|我院|巡察组|巡视组|督察组|市委|县委|区委|省委|市政府|县政府|区政府)$|"
                           r"^(巡察|巡视|督察|中央|我|本)")
AUDITED_REPORTS_RE = re.compile(r"现将[^。]{0,16}整改(结果|情况)")  # the audited body reports (an audit office: 现将审计结果公告如下)
ISSUER_REACH = 1500  # how far into the text the notice's own plan title or the body fed back to is looked for
TITLE_BODY_RE = re.compile(r"^(?P<body>[^\s,。;:]{2,50}?" + ORGAN + r")\s*(?:关于|对|组织开展|开展|召开|部署)")
PLAN_TITLE_RE = re.compile(r"《(?P<body>[^《》\s,。;:]{2,50}?" + ORGAN + r")关于[^《》]{0,60}?整改(?:工作)?(?:实施)?方案》")
FED_BACK_TO_RE = re.compile(r"向(?P<body>[^\s,,。;;、“”]{2,30}?(?:党组|党委|党工委|党支部|党总支|委员会|省委|市委|县委|区委|州委|旗委|盟委|"
                            r"人民政府|政府|局|厅|院|公司|集团|学校|大学|医院|中心|单位|社区|村|镇|街道))(?:领导班子)?(?:全面|集中|书面|正式)?反馈")
MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
PUBLISHER_ORGAN_RE = re.compile(ORGAN + "$")
AUDIT_OFFICE_END_RE = re.compile(r"审计(局|厅|署)$")
ZONE_END_RE = re.compile(r"(开发区|经开区|高新区|新区|园区)$")


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


# --------------------------------------------------------------------------- the stage


def extract_metadata(text: str, parsed: ParsedNotice, page: PageMeta, gazetteer: Gazetteer) -> NoticeMetadata:
    """All notice-level metadata of a parsed notice."""
    meta = NoticeMetadata()
    front_end = front_end_of(text, parsed)
    title = find_title(text, front_end)
    if title:
        meta.put("title", title[2], title[0], title[1], "title line above the text")
    elif page.page_title:
        meta.put("title", page.page_title, None, None, "the page's 文件名称 line (removed at ingest)")
    else:
        meta.put("title", None)
        meta.warnings.append("no_title")
    title_text = meta.values["title"] or ""
    opening = find_opening(text, front_end)
    meta.opening = opening
    if not opening:
        meta.warnings.append("no_opening_paragraph")
    speech = find_speech(text, front_end)

    body_span, date_span, signed = find_signature(text)
    meta.signature = signed
    meta.put("signature_date", signed, *(date_span or (None, None)), "signature block")
    if signed is None:
        meta.warnings.append("no_signature")

    page_day = next((date.fromisoformat(v) for v in (iso_of(page.page_written), iso_of(page.page_published), page.page_date) if v),
                    None)
    all_dates = resolve(text, find_dates(text), signed or speech.date, opening, signed or speech.date or page_day)
    meta.dates = all_dates
    spans = [s for s in [(title[0], title[1]) if title else None, (0, front_end)] if s]
    scope = title_text + " " + text[:front_end]
    genre, decided = genre_of(title_text, text[opening[0]:opening[1]] if opening else text[:front_end], text)
    meta.put("genre", genre, *(title[:2] if decided == "title" and title else opening or (None, None)),
             f"first inspection word in the {decided}")

    inspector, inspected = inspecting_body(genre, text, spans), inspected_body(text, spans)
    _issuer(meta, text, title, speech, body_span, page, spans, genre, inspector, inspected)
    organisation = organisation_of(meta.values.get("issuing_body"))
    if organisation is None and inspected and _names_a_body(inspected.value):
        organisation = organisation_of(inspected.value)
    meta.put("organisation", organisation, *_span_of(meta, "issuing_body"), "the issuing body without 中共 … 党组")

    round_spans = spans + [span for span in parsed.overview_spans if span[0] >= front_end]
    _inspection(meta, text, genre, spans, scope, all_dates, speech, round_spans, inspector, inspected)
    _place(meta, gazetteer, organisation, title_text, speech, page, text, opening, front_end)
    meta.values["inspection_level"] = None
    office_tier = _office_tier(meta, gazetteer)
    level = inspection_level(genre, meta.values.get("inspecting_body") or "", meta.values.get("round") or "",
                             scope, meta.values.get("province") in MUNICIPALITIES, office_tier)
    meta.put("inspection_level", level, *_span_of(meta, "inspecting_body"), "who inspected: 中央 / 省 / 市 / 县 in the group or office")

    meta.put("page_date", date.fromisoformat(page.page_date) if page.page_date else None, None, None, "page date line (removed at ingest)")
    meta.put("page_published", page.page_published, None, None, "page line 发布时间/发布日期 (removed at ingest)")
    meta.put("page_source", page.page_source or page.page_publisher, None, None, "page line 来源/发布机构 (removed at ingest)")
    _publication(meta, signed, date_span, speech, page)

    declared_spans = parsed.overview_spans if parsed.outline.roots else [(0, len(text))]
    if parsed.layout == "single_task":  # the task's own statement quotes the inspectors' figures, not the notice's totals
        declared_spans = [piece for start, end in declared_spans for piece in _without(start, end, parsed.problems)]
    for found in declared_totals(text, declared_spans, genre):
        meta.put(found.field, found.value, found.start, found.end, "declared in the opening or an overview section")
    return meta


def _without(start: int, end: int, problems) -> list[tuple[int, int]]:
    """Pieces of [start, end) outside the problems' statements (title spans)."""
    pieces = [(start, end)]
    for p in problems:
        pieces = [q for a, b in pieces for q in ((a, min(b, p.title_start)), (max(a, p.title_end), b)) if q[0] < q[1]]
    return pieces


def _span_of(meta: NoticeMetadata, name: str) -> tuple[int | None, int | None]:
    """Evidence span of a field already set (or (None, None))."""
    found = next((e for e in meta.evidence if e.field == name), None)
    return (found.start, found.end) if found else (None, None)


NAMED_BODY_END_RE = re.compile(r"(党组|党委|党工委|委员会|委|政府|局|厅|院|公司|集团|中心|学校|大学|医院|协会|联合会|妇联|科协|工会|机关|"
                               r"镇|乡|街道|村|社区)$")


def _names_a_body(value: str) -> bool:
    """Whether an inspected 'body' is an organ rather than a bare place or 我局-style self-reference."""
    return bool(NAMED_BODY_END_RE.search(value)) and not value.startswith(("我", "本"))


def _issuer(meta: NoticeMetadata, text: str, title, speech: Speech, body_span, page: PageMeta, spans, genre: str,
            inspector: Found | None, inspected: Found | None) -> None:
    """The issuing body: signature, title prefix, speaker, the notice's own 整改方案, the body fed back to, the body
    inspected, an audit office reporting its own audit, or the page's publisher or source."""
    if body_span:
        meta.put("issuing_body", text[body_span[0]:body_span[1]], *body_span, "signature block")
        return
    if title:
        m = TITLE_BODY_RE.match(title[2])
        if m and not m.group("body").startswith("关于"):
            start = text.find(m.group("body")[:4], title[0])
            meta.put("issuing_body", m.group("body"), start, start + len(m.group("body")) if start >= 0 else None,
                     "the title's body before 关于")
            return
    if speech.speaker_body:
        meta.put("issuing_body", speech.speaker_body, *speech.speaker_span, "the speaker line of a speech")
        return
    plan = PLAN_TITLE_RE.search(text, 0, ISSUER_REACH)
    if plan:
        meta.put("issuing_body", plan.group("body"), plan.start("body"), plan.end("body"), "the body of the notice's own 整改方案")
        return
    for start, end in [*spans, (0, min(len(text), ISSUER_REACH))]:
        m = FED_BACK_TO_RE.search(text, start, end)
        if m and not m.group("body").startswith("我"):
            meta.put("issuing_body", m.group("body"), m.start("body"), m.end("body"), "the body the inspectors fed back to")
            return
    if inspected and _names_a_body(inspected.value) and genre != "audit":
        meta.put("issuing_body", inspected.value, inspected.start, inspected.end, "the body inspected (对…开展…)")
        return
    if inspected and inspected.value.startswith(("我", "本")):
        for m in SELF_SUBJECT_RE.finditer(text, inspected.end, min(len(text), inspected.end + 600)):
            if not NOT_A_NAME_RE.search(m.group("body")):
                meta.put("issuing_body", m.group("body"), m.start("body"), m.end("body"), "the body that speaks as 我单位 in the opening")
                return
    reports_own_audit = (genre == "audit" and inspector is not None and not (inspected and inspected.value.startswith("我")))
    if reports_own_audit and AUDITED_REPORTS_RE.search(text, 0, ISSUER_REACH) and inspected and _names_a_body(inspected.value):
        meta.put("issuing_body", inspected.value, inspected.start, inspected.end, "the audited body that reports its rectification")
        return
    if reports_own_audit and inspector.method == AUDIT_ACT_METHOD:
        meta.put("issuing_body", inspector.value, inspector.start, inspector.end, "the audit office that reports its audit")
        return
    if page.page_publisher and PUBLISHER_ORGAN_RE.search(page.page_publisher):
        meta.put("issuing_body", page.page_publisher, None, None, "the page's 发布机构 line (removed at ingest)")
        return
    if genre == "audit" and page.page_source and AUDIT_OFFICE_END_RE.search(page.page_source):
        meta.put("issuing_body", page.page_source, None, None, "an audit office's own page (来源 line, removed at ingest)")
        return
    if reports_own_audit:
        meta.put("issuing_body", inspector.value, inspector.start, inspector.end, "the audit office the report names")
        return
    meta.put("issuing_body", None)


def _inspection(meta: NoticeMetadata, text: str, genre: str, spans, scope: str, all_dates, speech: Speech,
                round_spans, inspector: Found | None, inspected: Found | None) -> None:
    """Inspecting and inspected bodies, round, kinds, theme, audit kinds, period and feedback date."""
    if inspector is None and genre == "audit":
        for name in ("speaker", "issuing_body"):
            value, span = (speech.speaker_body, speech.speaker_span) if name == "speaker" else \
                (meta.values.get("issuing_body"), _span_of(meta, "issuing_body"))
            if value and AUDIT_OFFICE_END_RE.search(value):
                inspector = Found(value, *(span or (None, None)), f"the audit office that {'speaks' if name == 'speaker' else 'issues'}")
                break
    meta.put("inspecting_body", inspector.value if inspector else None, *((inspector.start, inspector.end) if inspector else (None, None)),
             inspector.method if inspector else "")
    meta.put("inspected_body", inspected.value if inspected else None,
             *((inspected.start, inspected.end) if inspected else (None, None)), inspected.method if inspected else "")
    found, term, number, fiscal = round_of(genre, text, round_spans)
    meta.put("round", found.value if found else None, *((found.start, found.end) if found else (None, None)), found.method if found else "")
    meta.put("round_term", term, *((found.start, found.end) if found else (None, None)), "届 number")
    meta.put("round_number", number, *((found.start, found.end) if found else (None, None)), "轮/批 number")
    meta.put("fiscal_year", fiscal, *((found.start, found.end) if found else (None, None)), "the year audited")
    kinds = kinds_of(text, spans) if genre in ("party_inspection", "environmental_inspection") else []
    theme = theme_of(text, spans) if genre in ("party_inspection", "environmental_inspection") else None
    if theme is None and genre == "party_inspection" and not any(k[0] == "常规" for k in kinds):
        theme = theme_of(text, round_spans)  # 专项巡察 named in an overview section
    if theme and not any(k[0] == "专项" for k in kinds):
        kinds.append(("专项", theme.start, theme.end))
    first = min(kinds, key=lambda k: k[1]) if kinds else None
    meta.put("inspection_kind", [k[0] for k in kinds], *((first[1], first[2]) if first else (None, None)), "kind words in the title or opening")
    meta.put("inspection_theme", theme.value if theme else None, *((theme.start, theme.end) if theme else (None, None)),
             theme.method if theme else "")
    audits = audit_kinds(text, spans) if genre == "audit" else []
    meta.put("audit_kind", [a[0] for a in audits], *((audits[0][1], audits[0][2]) if audits else (None, None)),
             "audit kind words in the title or opening")
    period, feedback = period_and_feedback(text, all_dates, spans[-1:])
    meta.put("inspection_start", period.value_start if period else None, *_date_span(period), "first period (…至…) in the opening")
    ranged = period if period is not None and period.kind == "range" else None  # 自……起: a start without an end
    meta.put("inspection_end", ranged.value_end if ranged else None, *_date_span(ranged), "first period (…至…) in the opening")
    meta.put("inspection_precision", period.precision if period else None, *_date_span(period), "as stated")
    meta.put("feedback_date", feedback.value_start if feedback else None, *_date_span(feedback), "date of the clause saying 反馈")
    meta.put("feedback_precision", feedback.precision if feedback else None, *_date_span(feedback), "as stated")
    meta.put("feedback_year_inferred", feedback.year_inferred if feedback else None, *_date_span(feedback),
             "a year-less date takes its year from the dates before it")


def _date_span(d: ResolvedDate | None) -> tuple[int | None, int | None]:
    """Offsets of a resolved date, or (None, None)."""
    return (d.mention.start, d.mention.end) if d else (None, None)


SELF_TIER_RE = re.compile(r"(?:我|全)(省|自治区|市|州|盟|县|旗|区|镇|乡|街道)")
SELF_TIERS = {"省": "province", "自治区": "province", "市": "city", "州": "city", "盟": "city", "县": "county", "旗": "county",
              "镇": "township", "乡": "township", "街道": "township"}


def _place(meta: NoticeMetadata, gazetteer: Gazetteer, organisation: str | None, title: str, speech: Speech, page: PageMeta,
           text: str, opening, front_end: int) -> None:
    """Province, city, county and their codes; admin level and body kind of the organisation.

    The organisation's own name decides the place when it names one; else, in order, the body inspected, the
    title, a speech's meeting, the page's publisher and source, the opening and the rest of the front matter.
    Without an organisation, the tier comes from how the notice speaks of itself (我省 / 全市 / 我县 …)."""
    context = [meta.values.get("inspected_body"), title, speech.meeting, page.page_publisher, page.page_source,
               text[opening[0]:opening[1]] if opening else "", text[:max(front_end, ISSUER_REACH)]]
    place: Place = place_of(gazetteer, organisation or "", [c for c in context if c])
    own_tier = place_tier(organisation) if organisation and not find_divisions(gazetteer, organisation) else None  # a bare 市/区 name
    if own_tier in ("city", "province") and place.county and not (own_tier == "city" and place.county.endswith("市")):
        # 市林湿局 is a city bureau, whatever county the text names next (but a 县级市's 市审计局 is that county-level city's)
        place = Place(place.province, place.province_code, *((place.city, place.city_code) if own_tier == "city" else (None, None)),
                      None, None, own_tier)
    issuer_span = _span_of(meta, "issuing_body")  # set before, and by nothing here
    for name in ("province", "province_code", "city", "city_code", "county", "county_code"):
        meta.put(name, getattr(place, name), *issuer_span, "division table, in the notice's context")
    if place.province is None:
        meta.warnings.append("place_not_resolved")
    kind = body_kind_of(organisation)
    if kind == "other" and ZONE_END_RE.search(organisation or ""):
        kind = body_kind_of(meta.values.get("issuing_body"))  # a zone led by its 党工委: the issuing committee's kind
    level = tier_word(organisation)
    if level == "enterprise" and kind != "enterprise":
        level = None
    zone = bool(ZONE_END_RE.search(organisation or ""))
    if zone:
        level = None  # a development zone's tier is not the tier of the city it lies in
    elif level is None and organisation:
        order = {"province": 0, "city": 1, "county": 2, "township": 3}
        level = place.admin_level or own_tier
        if own_tier in order and order.get(level, -1) < order[own_tier]:
            level = own_tier  # 区审计局 in a text that names only its province is still county-level
    elif level is None:
        self_word = SELF_TIER_RE.search(text, 0, front_end)
        if self_word:
            word = self_word.group(1)
            level = "province" if word == "区" and (place.province or "").endswith("自治区") and not place.county else \
                SELF_TIERS.get(word, "county" if word == "区" else None)
        else:
            level = place.admin_level
    meta.put("admin_level", level, *issuer_span, "the body's own tier word, else its place")
    meta.put("body_kind", kind, *issuer_span, "the organ word at the end of the organisation's name")


def _office_tier(meta: NoticeMetadata, gazetteer: Gazetteer) -> str | None:
    """Tier of the audit office that audited: its own place when it names one, else the notice's place for a bare 市/区/县 office."""
    office = meta.values.get("inspecting_body") or ""
    if meta.values.get("genre") != "audit" or not office:
        return None
    own = place_of(gazetteer, office, [])
    if own.admin_level:
        return own.admin_level
    if office.startswith("市") and (meta.values.get("county") or "").endswith("市"):
        return "county"  # a county-level city's 市审计局
    if office.startswith(("区", "县", "旗")):
        return "county"
    if office.startswith("市"):
        return "city"
    if office.startswith(("省", "自治区")):
        return "province"
    return None


def _publication(meta: NoticeMetadata, signed: date | None, date_span, speech: Speech, page: PageMeta) -> None:
    """The document's own date and the rule that chose it."""
    written, published = iso_of(page.page_written), iso_of(page.page_published)
    if signed:
        value, source, span = signed, "signature", date_span
    elif speech.date:
        value, source, span = speech.date, "dateline", speech.date_span
    elif written:
        value, source, span = date.fromisoformat(written), "page_written", None
    elif published:
        value, source, span = date.fromisoformat(published), "page_published", None
    elif page.page_date:
        value, source, span = date.fromisoformat(page.page_date), "page_date", None
    else:
        value = source = span = None
    meta.put("publication_date", value, *(span or (None, None)), f"{source} (see publication_date_source)" if source else "")
    meta.put("publication_date_source", source, *(span or (None, None)),
             "signature > dateline > page 成文日期 > page publish date > page date line")
