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

What is looked for and where it may start are in agency_patterns.py; roles and bodies in agency_context.py and
agency_bodies.py.
"""

from __future__ import annotations

import re
from dataclasses import replace

from analysis.extract.agency_bodies import (INSPECTION_ANCHOR_RE, INSPECTION_GROUP_RE, LEADING_ANCHOR_RE, LEADING_GROUP_RE, OWN_DISCIPLINE_RE,
                                            RECTIFICATION_ANCHOR_RE, RECTIFICATION_OFFICE_RE, party_tail, youth_league_before)
from analysis.extract.agency_context import (LEVEL_NAMES, AgencyMention, NoticeContext, collective_start, own_name, place_at, prefix_place, qualified,
                                             role_of, term_prefix)
from analysis.extract.agency_patterns import (BODY_CHARS, ENTERPRISE_ANCHOR_RE, ENTERPRISE_RE, INSPECTION_GROUP_CHARS, OWN_UNIT_RE, anchored,
                                              compiled_patterns, matches_from)
from analysis.read.places import Division, Gazetteer
from analysis.read.text import IntervalSet, SpanIndex
from analysis.read.resources import AgencyKind, Resources

LEVEL_CHARS = {"省": "province", "市": "city", "州": "city", "县": "county", "区": "county", "旗": "county"}
HAN_CHAR_RE = re.compile(r"[\u4e00-\u9fff]")
BRANCH_RE = re.compile(r"([\u4e00-\u9fff]{2,4}?)分局")
PARTNER_VERBS = ("会同", "协同", "联合")  # verbs that can look like the start of a place name (会同县)


DivisionTable = tuple[dict, frozenset]  # name (2 to 8 characters) → its one division; the names' last two characters
_DIVISION_TABLES: dict[tuple[int, str | None], tuple[Gazetteer, DivisionTable]] = {}


def _short_names_by_province(gaz: Gazetteer) -> dict[str, dict[str, list[Division]]]:
    """Province code → short names (2 to 8 characters, not also a full name) → that province's divisions of the name."""
    by_province: dict[str, dict[str, list[Division]]] = {}
    for name, divisions in gaz.by_short.items():
        if 2 <= len(name) <= 8 and name not in gaz.by_name:
            for d in divisions:
                by_province.setdefault(d.province_code, {}).setdefault(name, []).append(d)
    return by_province


def division_table(gaz: Gazetteer, province_code: str | None) -> DivisionTable:
    """The names division_before accepts in a province's notices, each with its division (built once per province):
    a full name that names one division, else a short name that names one division of the province."""
    key = (id(gaz), province_code)
    if key not in _DIVISION_TABLES:
        if province_code:
            table, endings = division_table(gaz, None)
            if (id(gaz), "short") not in _DIVISION_TABLES:
                _DIVISION_TABLES[(id(gaz), "short")] = gaz, _short_names_by_province(gaz)
            shorts = {name: found[0] for name, found in _DIVISION_TABLES[(id(gaz), "short")][1].get(province_code, {}).items()
                      if len(found) == 1}
            built = {**table, **shorts}, endings | {name[-2:] for name in shorts}
        else:
            table = {name: found[0] for name, found in gaz.by_name.items() if 2 <= len(name) <= 8 and len(found) == 1}
            built = table, frozenset(name[-2:] for name in table)
        _DIVISION_TABLES[key] = gaz, built  # gaz kept: its id stays its own
    return _DIVISION_TABLES[key][1]


def division_before(gaz: Gazetteer, text: str, pos: int, province_code: str | None = None) -> tuple[int, Division] | None:
    """A division name ending exactly at `pos`: a full name anywhere, a short name (泰州, 博兴) only in the notice's province."""
    return division_ending(division_table(gaz, province_code), text, pos)


def division_ending(divisions: DivisionTable, text: str, pos: int) -> tuple[int, Division] | None:
    """division_before, given the province's division_table (looked up once per notice)."""
    table, endings = divisions
    if pos < 2 or text[pos - 2:pos] not in endings:  # most positions end no name: one set test instead of seven look-ups
        return None
    for start in range(max(0, pos - 8), pos - 1):  # names of 8 characters down to 2
        found = table.get(text[start:pos])
        if found is not None:
            return start, found
    return None


def _level_of_division(division: Division) -> str:
    """Division level in agency terms (prefecture → city; a municipality is of provincial rank)."""
    return {"province": "province", "prefecture": "city", "county": "county"}[division.level]


def _inherent_level(alias: str, kind: AgencyKind | None = None) -> str | None:
    """Level an alias carries by itself: a central body's own name, …厅 provincial, …部 / 总局 / 署 / 总站 central."""
    if kind is not None and alias == kind.forms.get("central"):
        return "central"
    if alias.startswith(("中央", "党中央", "中共中央", "国务院", "全国")):
        return "central"
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
        return LEVEL_NAMES.get(level, "") + form
    return place + form


def _qualify(text: str, alias_start: int, prefix: str | None, alias: str, divisions: DivisionTable, ctx: NoticeContext,
             kind: AgencyKind | None = None) -> tuple[str, str | None, int]:
    """(level, place name, mention start) of an alias: a division name before it, else a level character, else the alias, else the notice."""
    found = division_ending(divisions, text, alias_start)
    if found and found[1].name.startswith(PARTNER_VERBS) and found[1].name not in (ctx.county, ctx.city):
        found = None  # 某局会同县自然资源局: 会同 is "together with" (the county 会同县 only in its own notices)
    if found:
        div_start, division = found
        return _level_of_division(division), division.name, div_start
    if prefix:
        level, place = prefix_place(ctx, prefix)
        return level, place, alias_start - 1
    inherent = _inherent_level(alias, kind)
    if inherent:
        return inherent, (place_at(ctx, inherent) if inherent != "central" else None), alias_start
    term = term_prefix(text, alias_start)
    if term:
        level, place = prefix_place(ctx, term)
        return level, place, alias_start
    return ctx.level or "unknown", (place_at(ctx, ctx.level) if ctx.level else None), alias_start


WHO_LEVEL = {"中央": "central", "省委": "province", "市委": "city", "州委": "city", "县委": "county", "区委": "county",
             "省": "province", "市": "city", "县": "county", "区": "county"}


def _group_place(text: str, m: re.Match, divisions: DivisionTable, ctx: NoticeContext) -> tuple[str, str | None, int]:
    """(level, place, start) of an inspection group: a division right before it, else its level word and the notice's place."""
    who = m.group("who")
    found = division_ending(divisions, text, m.start())
    if who and len(who) == 1:  # 安徽省第二…督察组: the division's name ends in the level word
        whole = division_ending(divisions, text, m.start() + 1)
        found = whole if whole and whole[0] < m.start() and whole[1].name.endswith(who) else None
        who = None if found else who
    if found and not who:
        return _level_of_division(found[1]), found[1].name, found[0]
    if not who:
        return "unknown", None, m.start()
    if who == "中央":
        return "central", None, m.start()
    level, place = prefix_place(ctx, who[0])
    return level, place, m.start()


def _group_canonical(name: str, level: str, place: str | None) -> str:
    """An inspection group's name qualified by its place (市委第七巡察组 → 广州市委第七巡察组)."""
    if not place or level == "central" or name.startswith(place):
        return name
    return place + name[1:] if name[0] in "省市州县区" else place + name


NAME_PARTS_RE = re.compile(r"[\s、,和]+")  # what separates the bodies of a name (市委、市政府)
PARTY_GROUP_SUFFIX_RE = re.compile(r"(?:党组|党委|党总支|党支部|领导班子)$")
_OWN_PARTS: dict[tuple[int, str, NoticeContext], tuple[Resources, frozenset[str]]] = {}


def _part_keys(part: str, resources: Resources, bare: NoticeContext) -> frozenset[str]:
    """Canonical names of the agencies one part of the notice's own name mentions (kept per part and notice context:
    notices of one body share them)."""
    key = (id(resources), part, bare)
    entry = _OWN_PARTS.get(key)
    if entry is None:
        if len(_OWN_PARTS) >= 4096:
            _OWN_PARTS.clear()
        names = frozenset(a.canonical for a in find_agencies(part, resources, bare, [], None, self_keys=set()))
        entry = _OWN_PARTS[key] = resources, names  # resources kept: its id stays its own
    return entry[1]


def _self_keys(ctx: NoticeContext, resources: Resources) -> set[str]:
    """Canonical names of the notice's own body, however its organisation, issuer and inspected body are written."""
    own: set[str] = set()
    bare = replace(ctx, issuing_body=None, inspected_body=None)
    for name in {ctx.organisation, ctx.issuing_body, ctx.inspected_body} - {None, ""}:
        for part in NAME_PARTS_RE.split(name):
            if not part:
                continue
            own.add(qualified(part, ctx))
            own.add(qualified(PARTY_GROUP_SUFFIX_RE.sub("", part), ctx))
            own.update(_part_keys(part, resources, bare))
    return {name for name in own if len(name) >= 2}


def find_agencies(text: str, resources: Resources, ctx: NoticeContext, title_spans: list[tuple[int, int]],
                  inspecting_body: str | None = None, self_keys: set[str] | None = None) -> list[AgencyMention]:
    """Every agency mention of a notice, in text order."""
    patterns = compiled_patterns(resources)
    alias_kind, bare_kind = patterns.alias_kind, patterns.bare_kind
    kinds = resources.agency_kinds
    divisions = division_table(resources.gazetteer, ctx.province_code)
    own = _self_keys(ctx, resources) if self_keys is None else self_keys
    own_canonical = own_name(ctx)
    own_level, own_place = ctx.level or "unknown", place_at(ctx, ctx.level) if ctx.level else None
    mentions: list[AgencyMention] = []
    taken = IntervalSet()
    titles = SpanIndex(title_spans)
    inspection, leading, rectification, own_discipline, alias_at, bare_list_at, enterprise, own_unit = patterns.starts.starts(text)

    def add(m: AgencyMention) -> None:
        if taken.overlaps(m.start, m.end):
            return
        taken.add(m.start, m.end)
        m.is_self = m.is_self or (m.canonical in own and not m.collective)
        m.role = role_of(text, m.start, m.end, m.key) if not m.is_self or m.role == "mentioned" else m.role
        mentions.append(m)

    def self_check(kind: AgencyKind, level: str, place: str | None, explicit_place: bool) -> bool:
        return kind.key == ctx.sector_key and level == ctx.level and (not explicit_place or place == own_place)

    inspector = INSPECTION_GROUP_RE.fullmatch(inspecting_body or "")
    for m in anchored(INSPECTION_GROUP_RE, matches_from(INSPECTION_ANCHOR_RE, text, inspection), text, 18, INSPECTION_GROUP_CHARS):
        if titles.contains(m.start()):
            continue
        level, place, start = _group_place(text, m, divisions, ctx)
        canonical = _group_canonical(text[start:m.end()] if start < m.start() else m.group(0), level, place)
        if inspector and (m.group("who") is None or m.group("nth") is None and m.group("ord") is None) \
                and start == m.start() and m.group("what") == inspector.group("what"):
            level, place, _ = _group_place(inspecting_body, inspector, divisions, ctx)
            canonical = _group_canonical(inspecting_body, level, place)  # 巡察组 in the notice of 市委第七巡察组's inspection
        add(AgencyMention(start, m.end(), text[start:m.end()], canonical, "inspection_group", "inspection_body", level, place,
                          "inspecting", False, "pattern"))

    for regex, anchors, key in ((LEADING_GROUP_RE, matches_from(LEADING_ANCHOR_RE, text, leading), "leading_group"),
                                (RECTIFICATION_OFFICE_RE, matches_from(RECTIFICATION_ANCHOR_RE, text, rectification),
                                 "rectification_office")):
        for m in anchored(regex, anchors, text, 24, BODY_CHARS[key]):
            if titles.contains(m.start()):
                continue
            level_word = m.group("level")
            if level_word:
                level, place = prefix_place(ctx, level_word[0])
                canonical = qualified(m.group(0), ctx)
            else:
                level, place = own_level, own_place
                canonical = (own_canonical or "") + m.group(0)
            # a rectification group or office is set up by the inspected body itself; its prefix names whose inspection it is
            is_self = "整改" in m.group("name") or level == ctx.level
            add(AgencyMention(m.start(), m.end(), m.group(0), canonical, key, "coordination_body", level, place,
                              "mentioned", is_self, "pattern"))

    for m in matches_from(OWN_DISCIPLINE_RE, text, own_discipline):
        if not titles.contains(m.start()):
            add(AgencyMention(m.start(), m.end(), m.group(0), (own_canonical or "") + m.group(0), "own_unit", "own_unit",
                              own_level, own_place, "mentioned", True, "pattern"))

    for m in matches_from(patterns.alias, text, alias_at):
        if titles.contains(m.start()):
            continue
        alias, prefix = m.group("alias"), m.group("prefix")
        start = m.start("alias")
        if alias in resources.agency_rules:
            keys, rule_level = resources.agency_rules[alias]
            level, place = prefix_place(ctx, prefix) if prefix else (ctx.level or "unknown", None)
            level = rule_level or level
            if alias == "省厅":
                if not ctx.sector_key:
                    continue  # 省厅 means the provincial department of the notice's own sector, which is unknown here
                keys = (ctx.sector_key,)
            place = place if prefix and not rule_level else (place_at(ctx, level) if level != "central" else None)
            mention_start = m.start() if prefix else start
            for key in keys:
                kind = kinds[key]
                mentions.append(AgencyMention(mention_start, m.end(), text[mention_start:m.end()],
                                              canonical_name(kind, level, place), key, kind.type, level, place,
                                              role_of(text, mention_start, m.end(), key), self_check(kind, level, place, False),
                                              "rule"))
            if not taken.overlaps(mention_start, m.end()):
                taken.add(mention_start, m.end())
            continue
        kind = alias_kind[alias]
        if kind.key == "party_committee":
            found = division_ending(divisions, text, start)
            if not found and (whole := division_ending(divisions, text, start + 1)):
                found = whole if whole[1].name.endswith(alias[0]) and whole[0] < start else None  # 南县委: 南县 + 委
            level, place = (_level_of_division(found[1]), found[1].name) if found else prefix_place(ctx, alias[0])
            if found and found[1].level == "county":
                level = "county"
            mention_start = found[0] if found else start
            end = m.end() + 2 if text.startswith("员会", m.end()) else m.end()  # 某县委员会: the committee's full name
            if youth_league_before(text, mention_start):
                mention_start -= 3 if text[max(0, mention_start - 3):mention_start] == "共青团" else 1
                add(AgencyMention(mention_start, end, text[mention_start:end], "共青团" + (place or "") + "委", "youth_league",
                                  "mass_organisation", level, place, "mentioned", False, "alias"))
                continue
            tail = party_tail(text, end)
            if tail > end:
                body = text[m.end():tail]
                add(AgencyMention(mention_start, tail, text[mention_start:tail], (place + "委" + body) if place else alias + body,
                                  "party_body", "party_organ", level, place, "mentioned", False, "alias"))
                continue
            canonical = (place + "委") if place else LEVEL_NAMES.get(level, "") + "党委"
            add(AgencyMention(mention_start, end, text[mention_start:end], canonical, kind.key, kind.type, level, place,
                              "mentioned", False, "alias"))
            continue
        level, place, mention_start = _qualify(text, start, prefix, alias, divisions, ctx, kind)
        end = m.end()
        explicit = mention_start < start or prefix is not None
        if alias in kind.needs_prefix and not explicit:
            continue  # 政府 alone (政府采购), 监测站 alone (基层监测站): not a named agency
        canonical = canonical_name(kind, level, place, alias)
        is_self = self_check(kind, level, place, explicit)
        if kind.key == ctx.sector_key and (branch := BRANCH_RE.match(text, end)) and ctx.organisation \
                and ctx.organisation.endswith(branch.group(0)):
            end, canonical, level, is_self = branch.end(), own_canonical or ctx.organisation, "county", True
        elif is_self and own_canonical:
            canonical = own_canonical
        group = collective_start(text, mention_start)
        if group is not None and not is_self:
            add(AgencyMention(group, end, text[group:end], (own_place or "") + text[group:end], kind.key, kind.type,
                              level, own_place, "mentioned", False, "alias", collective=True))
            continue
        add(AgencyMention(mention_start, end, text[mention_start:end], canonical, kind.key, kind.type, level, place,
                          "mentioned", is_self, "alias"))

    for m in matches_from(patterns.bare_list, text, bare_list_at):
        if titles.contains(m.start()):
            continue
        prefix = m.group("prefix")
        level, place = prefix_place(ctx, prefix) if prefix else (own_level, own_place)
        for part in patterns.bare_one.finditer(text, m.start("list"), m.end("list")):
            kind = bare_kind[part.group(0)]
            is_self = self_check(kind, level, place, False)
            canonical = own_canonical if is_self and own_canonical else canonical_name(kind, level, place)
            add(AgencyMention(part.start(), part.end(), part.group(0), canonical, kind.key, kind.type, level, place,
                              role_of(text, m.start(), m.end(), kind.key), is_self, "bare_list"))

    for m in anchored(ENTERPRISE_RE, matches_from(ENTERPRISE_ANCHOR_RE, text, enterprise), text, 24):
        if not titles.contains(m.start()):
            add(AgencyMention(m.start(), m.end(), m.group(0), m.group(0), "enterprise", "enterprise", "unknown", None,
                              "mentioned", False, "pattern"))

    for m in matches_from(OWN_UNIT_RE, text, own_unit):
        if titles.contains(m.start()):
            continue
        sub = m.group(0) in ("派出局", "直属局")
        canonical = (own_canonical or "") + (m.group(0) if sub else "")
        add(AgencyMention(m.start(), m.end(), m.group(0), canonical or m.group(0), "own_unit", "own_unit",
                          own_level, own_place, "mentioned", True, "pattern"))
    return sorted(mentions, key=lambda a: (a.start, a.end, a.canonical))


def sector_key(organisation: str | None, resources: Resources) -> str:
    """Gazetteer key of the notice's own sector (the kind whose alias the organisation's name contains)."""
    if not organisation:
        return ""
    for alias, key in compiled_patterns(resources).sector_aliases:  # the first found is the longest (the gazetteer's first at a length)
        if alias in organisation:
            return key
    return ""
