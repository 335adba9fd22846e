"""Agencies: mentions of party and government bodies, departments, inspection and discipline bodies,
courts and procuratorates, monitoring centres and enterprises — each with a canonical name.

The gazetteer (data/reference/agencies.csv) lists kinds of agency with their names at each
level and their aliases; data/reference/agency_rules.csv holds the few abbreviations that
stand for several agencies (公检法) or need the notice's sector (省厅). A mention is qualified
by what stands right before it — a division name (泰州市, 博兴), or a level character
(省/市/县/区) meaning the notice's own province, city or county — else by the alias itself
(…厅 provincial, …部 central), else by the notice's own level: an unqualified 住建部门 in a
city bureau's notice is that city's 住房和城乡建设局. Bare short forms (住建, 城管, 交通 …) are
taken only in lists that end in 部门 (住建、城管、交通等职能部门) or right before 部门/机关.
Mentions inside 《》 belong to document titles and are not agency mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.read.places import Division, Gazetteer
from analysis.read.text import IntervalSet, SpanIndex, prefiltered_finditer, trie_pattern
from analysis.read.resources import AgencyKind, Resources

LEVEL_CHARS = {"省": "province", "市": "city", "州": "city", "县": "county", "区": "county", "旗": "county"}
INSPECTION_GROUP_RE = re.compile(
    r"(?P<who>中央|省委|市委|州委|县委|区委)?(?P<nth>第[一二三四五六七八九十]+)?(?P<kind>提级交叉|交叉|专项)?(?P<what>巡视|巡察|环境保护督察|生态环境保护督察)组")
ENTERPRISE_RE = re.compile(r"[\u4e00-\u9fff]{2,24}?(?:有限责任公司|股份有限公司|有限公司|集团有限公司|集团公司)")
ENTERPRISE_ANCHOR_RE = re.compile(r"有限责任公司|股份有限公司|有限公司|集团公司")
INSPECTION_ANCHOR_RE = re.compile(r"(?:巡视|巡察|督察)组")
HAN_CHAR_RE = re.compile(r"[\u4e00-\u9fff]")


def anchored(regex: re.Pattern, anchor: re.Pattern, text: str, reach: int):
    """Matches of `regex` that end at an occurrence of `anchor`, starting at most `reach` characters before it
    (leftmost start wins) — the same matches as regex.finditer, without trying the regex at every position."""
    last_end = 0
    for a in anchor.finditer(text):
        for start in range(max(last_end, a.start() - reach), a.start() + 1):
            m = regex.match(text, start, a.end())
            if m and m.end() == a.end():
                yield m
                last_end = m.end()
                break
OWN_UNIT_RE = re.compile(r"(局党组|我局|本局|局机关|局领导班子|局办公室|派出局|直属局)")
BRANCH_RE = re.compile(r"([\u4e00-\u9fff]{2,4}?)分局")
PARTNER_VERBS = ("会同", "协同", "联合")  # verbs that can look like the start of a place name (会同县)
PARTNER_BEFORE_RE = re.compile(r"(联合|会同|与|协同|配合|联动|协调|对接|邀请)\s*$")
RECIPIENT_BEFORE_RE = re.compile(r"(报送?|报请|上报|向|提请|提交|交办|移交|转交|送)\s*$")
ISSUER_AFTER_RE = re.compile(r"^\s*(印发|发布|下发|出台|制定|组织|召开|牵头|督促|开展)")


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
    role: str  # partner | recipient | issuer | mentioned
    is_self: bool
    method: str  # alias | bare_list | rule | pattern


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


ALIAS_LEVEL_CHARS = "省市县区州旗"
BARE_LEVEL_CHARS = "省市县区"


def _alias_regex(aliases: set[str]) -> re.Pattern:
    """One regex over every alias (longest first) with an optional level character before it."""
    first = "".join(sorted({a[0] for a in aliases} | set(ALIAS_LEVEL_CHARS)))
    return re.compile(rf"(?=[{first}])(?P<prefix>[{ALIAS_LEVEL_CHARS}])?(?P<alias>{trie_pattern(aliases)})")


def _bare_regex(bare: set[str]) -> re.Pattern:
    """A regex for lists of bare short forms that end in 部门 / 机关."""
    one = trie_pattern(bare)
    first = "".join(sorted({b[0] for b in bare} | set(BARE_LEVEL_CHARS)))
    return re.compile(rf"(?=[{first}])(?P<prefix>[{BARE_LEVEL_CHARS}])?(?P<list>(?:{one})(?:[、和及与](?:{one}))*)(?:等)?(?:职能|有关|相关)?(?:部门|机关)")


def _candidates(words: set[str], level_chars: str) -> re.Pattern:
    """Where a word, or a level character and a word, starts: an unguarded trie, which `re` scans quickly."""
    return re.compile(trie_pattern(words | {c + w for c in level_chars for w in words}, guard=False))


@dataclass(frozen=True)
class AgencyPatterns:
    """The compiled regexes and name → kind maps of the agency gazetteer of a Resources object."""

    alias: re.Pattern  # an alias with an optional level character before it
    alias_candidates: re.Pattern  # where `alias` may match
    bare_list: re.Pattern  # a list of bare short forms ending in 部门 / 机关
    bare_list_candidates: re.Pattern  # where `bare_list` may match
    bare_one: re.Pattern  # one bare short form
    alias_kind: dict  # alias → AgencyKind
    bare_kind: dict  # bare short form → AgencyKind


_CACHE: dict[int, AgencyPatterns] = {}


def _compiled(resources: Resources) -> AgencyPatterns:
    """The AgencyPatterns of a Resources object (built once)."""
    key = id(resources)
    if key not in _CACHE:
        kinds = resources.agency_kinds.values()
        alias_kind = {a: k for k in kinds for a in (*k.aliases, *k.needs_prefix)}
        bare_kind = {b: k for k in kinds for b in k.bare}
        aliases, bare = set(alias_kind) | set(resources.agency_rules), set(bare_kind)
        _CACHE[key] = AgencyPatterns(_alias_regex(aliases), _candidates(aliases, ALIAS_LEVEL_CHARS), _bare_regex(bare),
                                     _candidates(bare, BARE_LEVEL_CHARS), re.compile(trie_pattern(bare, guard=False)),
                                     alias_kind, bare_kind)
    return _CACHE[key]


def division_before(gaz: Gazetteer, text: str, pos: int, province_code: str | None = None) -> tuple[int, Division] | None:
    """A division name ending exactly at `pos`: a full name anywhere, a short name (泰州, 博兴) only in the notice's province."""
    for start in range(max(0, pos - 8), pos - 1):  # names of 8 characters down to 2
        name = text[start:pos]
        found = gaz.by_name.get(name)
        if not found and province_code and (short := gaz.by_short.get(name)):
            found = [d for d in short if d.province_code == province_code]
        if found and len(found) == 1:
            return start, found[0]
    return None


def _place_name(ctx: NoticeContext, level: str) -> str | None:
    """The notice's own place at a level."""
    return {"province": ctx.province, "city": ctx.city, "county": ctx.county}.get(level)


def _level_of_division(division: Division) -> str:
    """Division level in agency terms (prefecture → city)."""
    return {"province": "province", "prefecture": "city", "county": "county"}[division.level]


def _inherent_level(alias: str) -> str | None:
    """Level an alias carries by itself: …厅 provincial, …部 / 总局 / 署 / 总站 central."""
    if alias.endswith("厅") or alias.endswith("厅党组"):
        return "province"
    if (alias.endswith("部") and not alias.endswith("部门")) or alias.endswith(("总局", "署", "总站")):
        return "central"
    return None


def canonical_name(kind: AgencyKind, level: str, place: str | None, alias: str = "") -> str:
    """Canonical agency name: place + the kind's name at that level (central names stand alone); kinds without
    standard names (monitoring centres, enforcement units) keep the name as written."""
    form = kind.forms.get(level) or kind.forms.get("city") or alias or kind.key
    if level == "central":
        return kind.forms.get("central") or form
    if not place:
        return {"province": "省级", "city": "市级", "county": "县级"}.get(level, "") + form
    return place + form


def _qualify(text: str, alias_start: int, prefix: str | None, alias: str, resources: Resources, ctx: NoticeContext
             ) -> tuple[str, str | None, int]:
    """(level, place name, mention start) of an alias: a division name before it, else a level character, else the alias, else the notice."""
    found = division_before(resources.gazetteer, text, alias_start, ctx.province_code)
    if found and found[1].name.startswith(PARTNER_VERBS) and found[1].name not in (ctx.county, ctx.city):
        found = None  # 某局会同县自然资源局: 会同 is "together with" (the county 会同县 only in its own notices)
    if found:
        div_start, division = found
        return _level_of_division(division), division.name, div_start
    if prefix:
        level = LEVEL_CHARS[prefix]
        return level, _place_name(ctx, level), alias_start - 1
    inherent = _inherent_level(alias)
    if inherent:
        return inherent, (_place_name(ctx, inherent) if inherent != "central" else None), alias_start
    return ctx.level or "unknown", (_place_name(ctx, ctx.level) if ctx.level else None), alias_start


WHO_LEVEL = {"中央": "central", "省委": "province", "市委": "city", "州委": "city", "县委": "county", "区委": "county"}


def _inspection_canonical(name: str, ctx: NoticeContext) -> str:
    """An inspection group's name qualified by the notice's place (市委第七巡察组 → 广州市委第七巡察组)."""
    m = INSPECTION_GROUP_RE.fullmatch(name)
    if not m or not m.group("who"):
        return name
    level = WHO_LEVEL[m.group("who")]
    place = _place_name(ctx, level) if level != "central" else None
    return place + name[1:] if place and name[0] in "省市州县区" else name


def _role(text: str, start: int, end: int) -> str:
    """partner / recipient / issuer / mentioned, from the words right around the mention."""
    before = text[max(0, start - 4):start]
    after = text[end:end + 4]
    if RECIPIENT_BEFORE_RE.search(before):
        return "recipient"
    if PARTNER_BEFORE_RE.search(before):
        return "partner"
    if ISSUER_AFTER_RE.match(after):
        return "issuer"
    return "mentioned"


def find_agencies(text: str, resources: Resources, ctx: NoticeContext, title_spans: list[tuple[int, int]],
                  inspecting_body: str | None = None) -> list[AgencyMention]:
    """Every agency mention of a notice, in text order."""
    patterns = _compiled(resources)
    alias_kind, bare_kind = patterns.alias_kind, patterns.bare_kind
    kinds = resources.agency_kinds
    inspector_canonical = _inspection_canonical(inspecting_body, ctx) if inspecting_body else None
    mentions: list[AgencyMention] = []
    taken = IntervalSet()
    titles = SpanIndex(title_spans)

    def add(m: AgencyMention) -> None:
        if taken.overlaps(m.start, m.end):
            return
        taken.add(m.start, m.end)
        mentions.append(m)

    def self_check(kind: AgencyKind, level: str, place: str | None, explicit_place: bool) -> bool:
        same_level = level == ctx.level
        same_place = not explicit_place or place == _place_name(ctx, level)
        return kind.key == ctx.sector_key and same_level and same_place

    for m in anchored(INSPECTION_GROUP_RE, INSPECTION_ANCHOR_RE, text, 16):
        if titles.contains(m.start()):
            continue
        who = m.group("who")
        canonical = _inspection_canonical(m.group(0), ctx)
        level = WHO_LEVEL.get(who, "unknown")
        place = _place_name(ctx, level) if level not in ("central", "unknown") else None
        if inspector_canonical and (who is None or (m.group("nth") is None and inspector_canonical.startswith(canonical[:-3]))):
            canonical = inspector_canonical  # 巡察组 / 市委巡察组 in the notice of 市委第七巡察组's inspection
            level = WHO_LEVEL.get((INSPECTION_GROUP_RE.fullmatch(inspecting_body or "") or m).group("who"), level)
            place = _place_name(ctx, level) if level not in ("central", "unknown") else None
        add(AgencyMention(m.start(), m.end(), m.group(0), canonical, "inspection_group", "inspection_body", level, place,
                          _role(text, m.start(), m.end()), False, "pattern"))

    for m in prefiltered_finditer(patterns.alias_candidates, patterns.alias, text):
        if titles.contains(m.start()):
            continue
        alias, prefix = m.group("alias"), m.group("prefix")
        start = m.start("alias")
        if alias in resources.agency_rules:
            keys, rule_level = resources.agency_rules[alias]
            level = rule_level or (LEVEL_CHARS[prefix] if prefix else ctx.level or "unknown")
            if alias == "省厅":
                if not ctx.sector_key:
                    continue  # 省厅 means the provincial department of the notice's own sector, which is unknown here
                keys = (ctx.sector_key,)
            place = _place_name(ctx, level) if level != "central" else None
            mention_start = m.start() if prefix else start
            for key in keys:
                kind = kinds[key]
                add_kind = AgencyMention(mention_start, m.end(), text[mention_start:m.end()], canonical_name(kind, level, place),
                                         key, kind.type, level, place, _role(text, mention_start, m.end()),
                                         self_check(kind, level, place, False), "rule")
                mentions.append(add_kind)
            if not taken.overlaps(mention_start, m.end()):
                taken.add(mention_start, m.end())
            continue
        kind = alias_kind[alias]
        if kind.key == "party_committee":
            level = LEVEL_CHARS[alias[0]]
            found = division_before(resources.gazetteer, text, start, ctx.province_code)
            place = found[1].name if found else _place_name(ctx, level)
            mention_start = found[0] if found else start
            canonical = (place + "委") if place else alias
            add(AgencyMention(mention_start, m.end(), text[mention_start:m.end()], canonical, kind.key, kind.type, level, place,
                              _role(text, mention_start, m.end()), False, "alias"))
            continue
        level, place, mention_start = _qualify(text, start, prefix, alias, resources, ctx)
        end = m.end()
        explicit = mention_start < start or prefix is not None
        if alias in kind.needs_prefix and not explicit:
            continue  # 政府 alone (政府采购), 监测站 alone (基层监测站): not a named agency
        canonical = canonical_name(kind, level, place, alias)
        branch = BRANCH_RE.match(text, end)
        is_self = self_check(kind, level, place, explicit)
        if kind.key == ctx.sector_key and branch and ctx.organisation and ctx.organisation.endswith(branch.group(0)):
            end, canonical, level, is_self = branch.end(), ctx.organisation, "county", True
        elif is_self and ctx.organisation:
            canonical = ctx.organisation
        add(AgencyMention(mention_start, end, text[mention_start:end], canonical, kind.key, kind.type, level, place,
                          _role(text, mention_start, end), is_self, "alias"))

    for m in prefiltered_finditer(patterns.bare_list_candidates, patterns.bare_list, text):
        if titles.contains(m.start()):
            continue
        prefix = m.group("prefix")
        level = LEVEL_CHARS[prefix] if prefix else (ctx.level or "unknown")
        place = _place_name(ctx, level)
        for part in patterns.bare_one.finditer(text, m.start("list"), m.end("list")):
            kind = bare_kind[part.group(0)]
            is_self = self_check(kind, level, place, False)
            canonical = ctx.organisation if is_self and ctx.organisation else canonical_name(kind, level, place)
            add(AgencyMention(part.start(), part.end(), part.group(0), canonical, kind.key, kind.type, level, place,
                              _role(text, m.start(), m.end()), is_self, "bare_list"))

    for m in anchored(ENTERPRISE_RE, ENTERPRISE_ANCHOR_RE, text, 24):
        if not titles.contains(m.start()):
            add(AgencyMention(m.start(), m.end(), m.group(0), m.group(0), "enterprise", "enterprise", "unknown", None,
                              _role(text, m.start(), m.end()), False, "pattern"))

    for m in OWN_UNIT_RE.finditer(text):
        if titles.contains(m.start()):
            continue
        sub = m.group(0) in ("派出局", "直属局")
        canonical = (ctx.organisation or "") + (m.group(0) if sub else "")
        add(AgencyMention(m.start(), m.end(), m.group(0), canonical or m.group(0), "own_unit", "own_unit",
                          ctx.level or "unknown", _place_name(ctx, ctx.level) if ctx.level else None,
                          _role(text, m.start(), m.end()), True, "pattern"))
    return sorted(mentions, key=lambda a: (a.start, a.end, a.canonical))


def sector_key(organisation: str | None, resources: Resources) -> str:
    """Gazetteer key of the notice's own sector (the kind whose alias the organisation's name contains)."""
    if not organisation:
        return ""
    best = ""
    best_len = 0
    for kind in resources.agency_kinds.values():
        for alias in kind.aliases:
            if alias in organisation and len(alias) > best_len and kind.type == "government_department":
                best, best_len = kind.key, len(alias)
    return best
