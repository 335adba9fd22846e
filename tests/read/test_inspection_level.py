"""The level of government that inspected or audited, read from the inspector's name, the round and the opening."""

from __future__ import annotations

from analysis.read.inspection_level import inspection_level


def test_the_national_audit_office_is_central():
    assert inspection_level("audit", "审计署", "", "", False, None) == "central"


def test_a_municipality_audit_bureau_is_provincial():
    assert inspection_level("audit", "重庆市审计局", "", "", False, None) == "provincial"


def test_an_audit_office_takes_the_tier_of_its_place():
    assert inspection_level("audit", "某某市审计局", "", "", False, "county") == "county"


def test_an_unnamed_audit_office_takes_the_level_of_the_budget_audited():
    assert inspection_level("audit", "", "", "市级预算执行和其他财政收支", False, None) == "municipal"


def test_a_county_committee_group_is_county_level():
    assert inspection_level("party_inspection", "县委第二巡察组", "", "", False, None) == "county"


def test_a_district_committee_in_a_municipality_is_county_level_and_its_city_committee_provincial():
    assert inspection_level("party_inspection", "区委第一巡察组", "", "", True, None) == "county"
    assert inspection_level("party_inspection", "市委第三巡察组", "", "", True, None) == "provincial"


def test_a_bare_xunshi_group_is_provincial_unless_the_opening_names_the_centre():
    assert inspection_level("party_inspection", "第四巡视组", "", "根据省委统一部署", False, None) == "provincial"
    assert inspection_level("party_inspection", "第四巡视组", "", "根据中央统一部署", False, None) == "central"


def test_a_central_environmental_inspection_is_read_from_the_opening():
    assert inspection_level("environmental_inspection", "督察组", "", "中央生态环境保护督察反馈意见", False, None) == "central"


def test_a_level_named_only_inside_a_cited_title_is_not_read():
    assert inspection_level("audit", "", "", "《省级预算管理办法》", False, None) is None
