"""The level of government that inspected or audited a body — central, provincial, municipal or county — read from
the inspecting group's or audit office's name, the round, and the opening's words.

Quirks of the conventions it follows: in the four 直辖市 (北京, 上海, 天津, 重庆) the 市委, its 督察 and its 审计局 are
provincial and a 区委 is county-level; 巡视 is done only by the central and provincial committees (巡察 below them);
document titles cited in 《》 name other bodies and are not read.
"""

from __future__ import annotations

import re

AUDIT_SCOPE_LEVEL_RE = re.compile(r"(省级|省本级|自治区本级|自治区级|市级|市本级|州本级|县级|县本级|区级|区本级|旗本级)")
MUNICIPALITY_RE = re.compile(r"(北京|上海|天津|重庆)")
CITED_TITLE_RE = re.compile(r"《[^《》]*》")
COUNTY_AUDIT_OFFICE_RE = re.compile(r"(县|区|旗)审计局")
PROVINCE_WORD_RE = re.compile(r"(省委|自治区党委|省|自治区)")
CITY_WORD_RE = re.compile(r"(市委|州委|盟委|市)")
COUNTY_WORD_RE = re.compile(r"(县委|区委|旗委|县|区|旗)")


def inspection_level(genre: str, inspector: str, round_text: str, scope: str, municipality: bool,
                     office_tier: str | None) -> str | None:
    """central / provincial / municipal / county: who inspected, from the group's or office's name.

    In a 直辖市 the 市委, its 督察 and its 审计局 are provincial and a 区委 county-level; 巡视 is done only by
    central and provincial committees; an audit office takes the tier of its place (a 县级市 office is
    county-level), else the level of the budget it audited (市级预算执行 → municipal). Words inside 《》 (titles of
    documents cited) are not read."""
    scope = CITED_TITLE_RE.sub("", scope)
    words = inspector + " " + round_text
    municipality = municipality or bool(MUNICIPALITY_RE.search(inspector))
    if genre == "audit":
        if "审计署" in words:
            return "central"
        tiers = {"province": "provincial", "city": "provincial" if municipality else "municipal", "county": "county",
                 "township": "county"}
        if office_tier in tiers:
            return tiers[office_tier]
        if "审计厅" in words:  # (省|自治区)审计厅 or a bare 审计厅
            return "provincial"
        if COUNTY_AUDIT_OFFICE_RE.search(words):
            return "county"
        if "审计局" in words:
            return "provincial" if municipality else "municipal"
        found = AUDIT_SCOPE_LEVEL_RE.search(scope)
        if found:
            word = found.group(1)
            if word.startswith(("省", "自治区")):
                return "provincial"
            if word.startswith(("市", "州")):
                return "provincial" if municipality else "municipal"
            return "county"
        return None
    if "中央" in words:
        return "central"
    if PROVINCE_WORD_RE.search(words):
        return "provincial"
    if CITY_WORD_RE.search(words):
        return "provincial" if municipality else "municipal"
    if COUNTY_WORD_RE.search(words):
        return "county"
    if genre == "party_inspection" and "巡视" in words:
        return "central" if "中央" in scope else "provincial"
    if genre == "environmental_inspection" and re.search(r"中央(生态)?环(境保护|保)督察", scope):
        return "central"
    if genre == "environmental_inspection" and re.search(r"((省|自治区)(委)?|省级|(北京|上海|天津|重庆)市?(委)?)(第[一二三四五六七八九十]+)?"
                                                         r"(生态)?环(境保护|保)督察", scope):
        return "provincial"
    return None
