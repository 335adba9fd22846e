"""Places: resolve the bodies named in a notice to province / prefecture / county with division codes.

Uses the vendored division table (data/reference/admin_divisions.csv, see SOURCES.md), in the
notice's own context: a prefecture named in the issuing body gives meaning to 市生态环境局 and
narrows county names (博兴 in 滨州市生态环境局博兴分局 is 博兴县, 371625); 分局 / 派出局 of a city
bureau are county-level offices. Short forms without suffix (博兴, 泰州) are accepted only
right before an office word or inside the context of their parent, so common words are not
taken for places.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis.read.text import trie_pattern

SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
            "地区", "林区", "特区", "省", "市", "县", "区", "旗", "盟")
ETHNIC_RE = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,4}族)+自治(?:州|县|旗)$")
OFFICE_AFTER_SHORT = re.compile(r"(分局|派出局|局|县|区|市|生态环境局|生态环境分局|环保局|环境局|经开区|经济技术开发区|高新区|高新技术产业开发区|开发区|新区)")


@dataclass(frozen=True)
class Division:
    """One row of the division table."""

    code: str
    name: str
    level: str  # province | prefecture | county
    province_code: str
    prefecture_code: str
    short: str


@dataclass(frozen=True)
class Place:
    """Where a body sits: the chain of divisions and the body's administrative level."""

    province: str | None = None
    province_code: str | None = None
    city: str | None = None
    city_code: str | None = None
    county: str | None = None
    county_code: str | None = None
    admin_level: str | None = None  # province | city | county (a 直辖市's districts and counties are county-level, city empty)


def short_name(name: str) -> str:
    """A division's name without its suffix (泰州市 → 泰州, 黔南布依族苗族自治州 → 黔南)."""
    ethnic = ETHNIC_RE.match(name)
    if ethnic:
        return ethnic.group(1)
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class Gazetteer:
    """The division table, indexed by code and by full and short name."""

    by_code: dict
    by_name: dict  # full name → [Division]
    by_short: dict  # short name → [Division]
    name_re: re.Pattern

    def get(self, code: str | None) -> Division | None:
        """Division by code."""
        return self.by_code.get(code) if code else None


@lru_cache(maxsize=4)
def load_gazetteer(path: Path) -> Gazetteer:
    """Read the division table once per process."""
    by_code, by_name, by_short = {}, {}, {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            division = Division(row["code"], row["name"], row["level"], row["province_code"], row["prefecture_code"],
                                short_name(row["name"]))
            if division.level == "prefecture" and division.name == by_code.get(division.province_code, division).name \
                    and division.code != division.province_code:
                by_code[division.code] = division  # a municipality's own prefecture row: reachable by code only
                continue
            by_code[division.code] = division
            by_name.setdefault(division.name, []).append(division)
            if division.short != division.name:
                by_short.setdefault(division.short, []).append(division)
    return Gazetteer(by_code, by_name, by_short, re.compile(trie_pattern(set(by_name) | set(by_short))))


def _within(division: Division, scope: Division | None) -> bool:
    """Whether a division lies inside `scope` (or no scope is set)."""
    if scope is None:
        return True
    if scope.level == "province":
        return division.province_code == scope.code
    if scope.level == "prefecture":
        return division.prefecture_code == scope.code
    return division.code == scope.code


def _after_a_place(gaz: Gazetteer, text: str, pos: int) -> bool:
    """Whether a place name ends right at `pos` (乌海 before 海南区: 海南 there is a district, not the province)."""
    return any(text[pos - n:pos] in gaz.by_short or text[pos - n:pos] in gaz.by_name for n in (2, 3, 4) if pos >= n)


def find_divisions(gaz: Gazetteer, text: str, scope: Division | None = None) -> list[tuple[int, int, Division]]:
    """Divisions named in `text`: full names anywhere; a province's short name (广西, 江苏) anywhere when it names no
    other division; other short names only before an office word or inside `scope`."""
    found = []
    for m in gaz.name_re.finditer(text):
        name = m.group(0)
        candidates = [d for d in gaz.by_name.get(name, []) if _within(d, scope)]
        if not candidates and (scope is not None or OFFICE_AFTER_SHORT.match(text, m.end())):
            candidates = [d for d in gaz.by_short.get(name, []) if _within(d, scope)]
        if not candidates and scope is None and len(name) >= 2 and not _after_a_place(gaz, text, m.start()):
            shorts = gaz.by_short.get(name, [])
            if len(shorts) == 1 and shorts[0].level == "province" and shorts[0].code[:2] not in ("71", "81", "82"):
                candidates = shorts
        if len(candidates) > 1:  # 泰州市 the prefecture over a county of the same name; ambiguous otherwise
            order = {"province": 0, "prefecture": 1, "county": 2}
            best = min(order[d.level] for d in candidates)
            candidates = [d for d in candidates if order[d.level] == best]
        if len(candidates) == 1:
            found.append((m.start(), m.end(), candidates[0]))
    return found


def place_of(gaz: Gazetteer, body: str, context: list[str] = ()) -> Place:
    """Place and level of a body (e.g. 滨州市生态环境局博兴分局); later texts are used only when earlier ones name no place."""
    province = prefecture = county = None
    for text in [body, *context]:
        for _, _, division in find_divisions(gaz, text or "", province):  # once a province is named, stay inside it
            if division.level == "province":
                province = province or division
            elif division.level == "prefecture":
                prefecture = prefecture or division
            else:
                county = county or division
        if province is not None and province.name.endswith("市") and county is None:  # 北京市朝阳区: a 直辖市's district
            county = next((d for _, _, d in find_divisions(gaz, text or "", province) if d.level == "county"), None)
        if text is body and province is not None and prefecture is None and county is None \
                and not re.search(r"(市|州|盟|县|区|旗|镇|乡|街道)", body[body.find(province.short) + len(province.short):]):
            break  # a province's own body (湖北省委): the places named later are not where it sits
        if prefecture or county:
            if prefecture and county is None:
                county = next((d for _, _, d in find_divisions(gaz, text or "", prefecture) if d.level == "county"), None)
            break
    if county and prefecture and county.prefecture_code != prefecture.code:
        county = None
    if county and prefecture is None:
        prefecture = gaz.get(county.prefecture_code)
    if province is None and (prefecture or county):
        province = gaz.get((prefecture or county).province_code)
    if province is not None and province.name.endswith("市"):
        prefecture = None  # a 直辖市 is its own city: its districts and counties sit directly under it
    level = None
    if county or re.search(r"(分局|派出局|县|旗)", body or ""):
        level = "county"
    elif prefecture:
        level = "city"
    elif province:
        level = "province"
    return Place(
        province.name if province else None, province.code if province else None,
        prefecture.name if prefecture else None, prefecture.code if prefecture else None,
        county.name if county else None, county.code if county else None, level,
    )
