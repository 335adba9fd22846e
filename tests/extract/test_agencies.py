"""Agencies in context: the notice's own place, compound bodies, central bodies, collectives, self and roles
(sentences written for the tests, in the way notices put them)."""

from __future__ import annotations

from analysis.extract.agencies import (NoticeContext, _part_keys, _short_names_by_province, division_before, division_ending,
                                       division_table, find_agencies, sector_key)
from analysis.extract.agency_context import collective_start, place_at, role_of, term_prefix

COUNTY_CITY = NoticeContext("市审计局", "county", "330000", "浙江省", "宁波市", "慈溪市", "audit_office")
MUNICIPAL_DISTRICT = NoticeContext("闵行区人民政府", "county", "310000", "上海市", None, "闵行区", "")
CITY_BUREAU = NoticeContext("市教育局", "city", "620000", "甘肃省", "天水市", None, "education",
                            "中共天水市教育局党组", "市教育局党组")
DISTRICT_COMMITTEE = NoticeContext("徐汇区委", "county", "310000", "上海市", None, "徐汇区", "")
PROVINCE_OFFICE = NoticeContext("省审计厅", "province", "620000", "甘肃省", None, None, "audit_office")


def found(text: str, ctx: NoticeContext, resources) -> list:
    """Agency mentions of a sentence."""
    return find_agencies(text, resources, ctx, [])


def by_mention(text: str, ctx: NoticeContext, resources) -> dict:
    """Mention → the agency found for it."""
    return {a.mention: a for a in found(text, ctx, resources)}


def test_a_county_level_city_keeps_its_own_level(resources):
    a = by_mention("市政府认真落实审计整改要求。", COUNTY_CITY, resources)["市政府"]
    assert (a.canonical, a.level, a.place) == ("慈溪市人民政府", "county", "慈溪市")


def test_a_municipality_is_what_its_districts_call_the_city(resources):
    a = by_mention("坚决贯彻市委、市政府关于生态环境保护的决策部署。", MUNICIPAL_DISTRICT, resources)["市政府"]
    assert (a.canonical, a.level) == ("上海市人民政府", "province")


def test_central_bodies_are_in_the_gazetteer(resources):
    names = {a.canonical: a.level for a in found("贯彻落实党中央、国务院决策部署和中共中央办公厅印发的意见。", COUNTY_CITY, resources)}
    assert names == {"中共中央": "central", "国务院": "central", "中共中央办公厅": "central"}


def test_a_rectification_leading_group_is_one_body_of_the_notice(resources):
    a = by_mention("局党组成立巡察整改工作领导小组,下设办公室。", CITY_BUREAU, resources)["巡察整改工作领导小组"]
    assert (a.key, a.type, a.is_self) == ("leading_group", "coordination_body", True)


def test_a_rectification_office_is_found_but_not_the_word_for_settled(resources):
    names = [a.mention for a in found("由巡视整改办统一调度;信访件已整改办结。", DISTRICT_COMMITTEE, resources)]
    assert names == ["巡视整改办"]


def test_a_committee_of_a_party_committee_is_kept_whole(resources):
    a = by_mention("报省委审计委员会办公室审定。", PROVINCE_OFFICE, resources)["省委审计委员会办公室"]
    assert (a.canonical, a.key) == ("甘肃省委审计委员会办公室", "party_body")


def test_the_discipline_committee_of_the_bureau_offices_is_not_split(resources):
    assert "局机关纪委" in by_mention("局机关纪委对整改情况开展监督检查。", CITY_BUREAU, resources)


def test_a_long_inspection_group_name_is_kept_with_its_place(resources):
    a = by_mention("江西省第三生态环境保护督察组交办的信访件已全部办理。", CITY_BUREAU, resources)["江西省第三生态环境保护督察组"]
    assert (a.level, a.place, a.role) == ("province", "江西省", "inspecting")


def test_an_inspection_group_numbered_after_its_kind(resources):
    assert "区委巡察二组" in by_mention("针对区委巡察二组指出的问题,逐条建立台账。", DISTRICT_COMMITTEE, resources)


def test_every_county_government_is_a_collective(resources):
    a = by_mention("把年度任务逐项交给各县(市、区)人民政府落实。", CITY_BUREAU, resources)["各县(市、区)人民政府"]
    assert (a.collective, a.is_self, a.place) == (True, False, "天水市")


def test_the_notices_own_body_is_self_however_it_is_written(resources):
    text = "市委第一巡察组对市教育局党组开展了巡察。我局高度重视,局党组专题研究。"
    mentions = found(text, CITY_BUREAU, resources)
    assert all(a.is_self for a in mentions if a.key != "inspection_group")
    assert {a.mention for a in mentions if a.is_self} >= {"市教育局", "我局", "局党组"}


def test_the_inspected_body_is_not_an_issuer(resources):
    a = by_mention("县委巡察组对县民政局开展常规巡察。", COUNTY_CITY, resources)["县民政局"]
    assert a.role == "inspected"


def test_feedback_given_to_a_body_makes_it_the_inspected_one(resources):
    a = by_mention("2024年6月5日,市委第一巡察组向市教育局党组反馈了巡察意见。", CITY_BUREAU, resources)["市教育局"]
    assert (a.role, a.is_self) == ("inspected", True)


def test_a_report_to_a_congress_makes_it_a_recipient(resources):
    a = by_mention("受市政府委托,现向市人大常委会报告整改结果。", COUNTY_CITY, resources)["市人大常委会"]
    assert a.role == "recipient"


def test_a_youth_league_committee_is_not_the_party_committee(resources):
    a = by_mention("共青团安乡县委员会整改工作情况", NoticeContext(None, "county", "430000", "湖南省", "常德市", "安乡县", ""),
                   resources)
    assert [(m.key, m.type) for m in a.values()] == [("youth_league", "mass_organisation")]


def test_the_provincial_office_of_the_notice_is_named_with_its_province(resources):
    a = by_mention("省审计厅对省级预算执行情况进行了审计。", PROVINCE_OFFICE, resources)["省审计厅"]
    assert (a.canonical, a.is_self) == ("甘肃省审计厅", True)


def test_a_division_name_right_before_a_position(resources):
    gaz = resources.gazetteer
    assert division_before(gaz, "由泰州市生态环境局牵头", 4)[1].name == "泰州市"
    assert division_before(gaz, "由泰州生态环境局牵头", 3, "320000") == (1, gaz.by_name["泰州市"][0])
    assert division_before(gaz, "由泰州生态环境局牵头", 3, "370000") is None  # a short name only in its own province
    assert division_before(gaz, "由市生态环境局牵头", 2) is None


def test_a_division_name_right_before_a_position_from_the_provinces_table(resources):
    gaz = resources.gazetteer
    assert division_ending(division_table(gaz, "320000"), "由泰州生态环境局牵头", 3) == (1, gaz.by_name["泰州市"][0])
    assert division_ending(division_table(gaz, None), "由泰州生态环境局牵头", 3) is None


def test_the_division_table_holds_short_names_only_for_its_province(resources):
    table, endings = division_table(resources.gazetteer, "370000")
    assert table["博兴"].name == "博兴县" and "泰州" not in table and "泰州市" in table
    assert "兴县" in endings and "博兴" in endings


def test_the_notices_own_place_at_each_level():
    assert [place_at(COUNTY_CITY, level) for level in ("province", "city", "county", "central")] == ["浙江省", "宁波市", "慈溪市", None]
    assert place_at(MUNICIPAL_DISTRICT, "city") is None and place_at(MUNICIPAL_DISTRICT, "county") == "闵行区"


def test_the_level_character_of_an_ordinal_term_right_before_a_name():
    assert term_prefix("省十二届人大常委会", 4) == "省"
    assert term_prefix("省十二届\n人大常委会", 5) == "省"  # the term may end a line
    assert term_prefix("省十二届的人大常委会", 5) is None and term_prefix("人大常委会", 0) is None


def test_roles_read_around_a_mention_also_across_a_space():
    assert role_of("提请 市人大常委会审议", 3, 9, "people_congress") == "recipient"
    assert role_of("会同市财政局", 2, 6, "finance") == "partner"
    assert role_of("市政府 召开专题会议", 0, 3, "government") == "acting"
    assert role_of("市政府的决策部署", 0, 3, "government") == "mentioned"
    assert role_of("省纪委", 0, 3, "inspection_group") == "inspecting"


def test_short_names_are_grouped_by_province(resources):
    shorts = _short_names_by_province(resources.gazetteer)
    assert [d.name for d in shorts["370000"]["博兴"]] == ["博兴县"]
    assert "博兴" not in shorts["320000"] and "泰州市" not in shorts["320000"]


def test_the_agencies_a_part_of_the_notices_name_mentions_are_kept(resources):
    first = _part_keys("市教育局党组", resources, CITY_BUREAU)
    assert "天水市教育局" in first
    assert _part_keys("市教育局党组", resources, CITY_BUREAU) is first


def test_a_collective_phrase_right_before_a_mention():
    assert collective_start("交给各县(市、区)人民政府", 9) == 2
    assert collective_start("交给各级人民政府", 4) == 2
    assert collective_start("交给县人民政府", 3) is None


def test_the_sector_of_the_notice_is_its_department_named_in_its_organisation(resources):
    assert sector_key("天水市教育局", resources) == "education"
    assert sector_key("慈溪市审计局", resources) == "audit_office"
    assert sector_key(None, resources) == "" and sector_key("某某有限公司", resources) == ""
