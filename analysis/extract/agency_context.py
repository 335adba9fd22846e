"""How a notice's own place, body and sentences qualify an agency mention: the place a level character means, the
notice's own name, collective mentions, and the role a sentence gives a body.

公文 conventions these rules follow:

* A level character stands for the notice's own division at that level: 市委 in a notice of 慈溪市 (a county-level
  city) is 慈溪市委, not its prefecture's; 市委 in a district notice of a municipality (上海市松江区) is the
  municipality's, which is of provincial rank.
* The notice's own body may be written in full (中共某县教育局党组), by a level character (县教育局), or as 本局/我局/
  局党组; every form is the same body, so every form is `is_self`.
* 各县(市、区)人民政府, 各级纪委 name every body of a kind below the notice's place: a collective, not one body.
* Roles come from the sentence: 对X开展巡察 / 向X反馈 make X the inspected body; a 巡视组/巡察组/督察组 is the
  inspecting body; X印发/制定 makes X the issuer of a document; X召开/组织/牵头 makes X the acting body; 联合/会同 a
  partner; 报/向…提请 a recipient.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
LEVEL_NAMES = {"province": "省级", "city": "市级", "county": "县级"}
TERM_BEFORE_RE = re.compile(r"(?P<char>[省市县区])(?:第)?[一二三四五六七八九十]+届$")
COLLECTIVE_BEFORE_RE = re.compile(r"各(?:级|(?:[省市州县区乡镇街](?:[((][^()()\n]{1,8}[))])?)+)?$")
COLLECTIVE_LAST = frozenset("各级省市州县区乡镇街)")  # how a collective phrase can end
INSPECTED_BEFORE_RE = re.compile(r"对$")
INSPECTION_AFTER_RE = re.compile(r"^[^,。;:\n]{0,20}?(?:开展|进行|实施)[^,。;:\n]{0,12}?(?:巡视|巡察|审计|督察)")
FEEDBACK_BEFORE_RE = re.compile(r"向$")
FEEDBACK_AFTER_RE = re.compile(r"^[^,。;:\n]{0,8}?反馈")
PARTNER_WORDS = ("联合", "会同", "与", "协同", "配合", "联动", "协调", "对接", "邀请")
PARTNER_BEFORE_RE = re.compile(rf"({'|'.join(PARTNER_WORDS)})\s*$")
RECIPIENT_WORDS = ("报送?", "报请", "上报", "提请", "提交", "交办", "移交", "转交", "送")
RECIPIENT_BEFORE_RE = re.compile(rf"({'|'.join(RECIPIENT_WORDS)})\s*$")
ISSUER_WORDS = ("印发", "发布", "下发", "出台", "制定", "制发", "修订", "审定")
ISSUER_AFTER_RE = re.compile(rf"^\s*(?:研究)?(?:{'|'.join(ISSUER_WORDS)})")
ACTING_WORDS = ("先后", "多次", "及时", "立即", "迅速", "专门", "坚持", "认真", "高度重视", "召开", "组织", "牵头", "督促", "开展", "成立",
                "建立", "对照", "研究", "部署", "听取", "审议", "认领", "把", "将", "针对", "结合", "按照", "围绕", "全面", "切实", "始终",
                "积极", "主动")
ACTING_AFTER_RE = re.compile(rf"^\s*(?:{'|'.join(ACTING_WORDS)})")
# a role read before a mention needs it to follow 对, 向 or a verb's last character (报送? ends in 报 or 送), or a space;
# a role read after it needs it to be followed by a verb's first character or a space
ROLE_LAST_BEFORE = frozenset("对向报" + "".join(w.rstrip("?")[-1] for w in PARTNER_WORDS + RECIPIENT_WORDS))
ROLE_FIRST_AFTER = frozenset("研" + "".join(w[0] for w in ISSUER_WORDS + ACTING_WORDS))
OWN_PREFIX_RE = re.compile(r"^(?:中共|中国共产党)")


@dataclass
class AgencyMention:
    """One mention of an agency in the notice text."""

    start: int
    end: int
    mention: str
    canonical: str
    key: str  # kind of agency (gazetteer key), or inspection_group / enterprise / own_unit
    type: str
    level: str  # central | province | city | county | unknown
    place: str | None
    role: str  # inspecting | inspected | recipient | partner | issuer | acting | mentioned
    is_self: bool
    method: str  # alias | bare_list | rule | pattern
    collective: bool = False  # 各县(市、区)人民政府: every body of the kind below the place, not one body


@dataclass(frozen=True)
class NoticeContext:
    """What a notice says about itself, used to qualify mentions."""

    organisation: str | None
    level: str | None
    province_code: str | None
    province: str | None
    city: str | None
    county: str | None
    sector_key: str  # gazetteer key of the notice's own sector (eco for 生态环境局)
    issuing_body: str | None = None
    inspected_body: str | None = None


def prefix_place(ctx, char: str) -> tuple[str, str | None]:
    """(level, place) that a level character before a name stands for in this notice."""
    if char == "省":
        return "province", ctx.province
    if char in "市州":
        if char == "市" and ctx.county and ctx.county.endswith("市"):
            return "county", ctx.county  # a county-level city calls itself 市
        if char == "市" and not ctx.city and ctx.province in MUNICIPALITIES:
            return "province", ctx.province
        return "city", ctx.city
    return "county", ctx.county


def place_at(ctx, level: str) -> str | None:
    """The notice's own place at a level (a municipality stands in for the city level of its districts)."""
    if level == "city":
        return None if not ctx.city and ctx.province in MUNICIPALITIES else ctx.city
    if level == "county":
        return ctx.county
    return ctx.province if level == "province" else None


def term_prefix(text: str, start: int) -> str | None:
    """The level character of an ordinal term right before a name (省十二届人大常委会 → 省)."""
    if "届" not in text[max(0, start - 2):start]:  # the term ends right before the name (or before a newline there)
        return None
    m = TERM_BEFORE_RE.search(text, max(0, start - 8), start)
    return m.group("char") if m else None


def qualified(name: str, ctx) -> str:
    """A body's name with the place its level character stands for (省审计厅 → 甘肃省审计厅); 中共 dropped."""
    name = OWN_PREFIX_RE.sub("", name.strip())
    if name and name[0] in "省市州县区" and not name.startswith(("市场", "区域", "县域", "省份")):
        level, place = prefix_place(ctx, name[0])
        if place and not name.startswith(place):
            return place + name[1:]
    return name


def own_name(ctx) -> str | None:
    """The notice's own organisation, qualified by its place."""
    return qualified(ctx.organisation, ctx) if ctx.organisation else None


def collective_start(text: str, start: int) -> int | None:
    """Where a collective phrase (各县(市、区), 各级) right before a mention starts, if there is one."""
    if not start or text[start - 1] not in COLLECTIVE_LAST:
        return None  # most mentions follow another character: no regex is tried
    m = COLLECTIVE_BEFORE_RE.search(text, max(0, start - 12), start)
    return m.start() if m and m.end() == start else None


def role_of(text: str, start: int, end: int, key: str) -> str:
    """inspecting, inspected, recipient, partner, issuer, acting or mentioned, from the words around a mention."""
    if key == "inspection_group":
        return "inspecting"
    last = text[start - 1] if start else ""
    if last in ROLE_LAST_BEFORE or last.isspace():  # most mentions follow a character no role reads: no regex is tried
        before = text[max(0, start - 4):start]
        after = text[end:end + 30]
        if (INSPECTED_BEFORE_RE.search(before) and INSPECTION_AFTER_RE.match(after)) or \
                (FEEDBACK_BEFORE_RE.search(before) and FEEDBACK_AFTER_RE.match(after)):
            return "inspected"
        if RECIPIENT_BEFORE_RE.search(before) or before.endswith("向"):
            return "recipient"
        if PARTNER_BEFORE_RE.search(before):
            return "partner"
    first = text[end:end + 1]
    if first in ROLE_FIRST_AFTER or first.isspace():
        after = text[end:end + 30]
        if ISSUER_AFTER_RE.match(after):
            return "issuer"
        if ACTING_AFTER_RE.match(after):
            return "acting"
    return "mentioned"
