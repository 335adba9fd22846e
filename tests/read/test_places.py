"""Places: divisions resolved in the notice's own context."""

from __future__ import annotations

import pytest

from analysis.read.places import place_of, short_name


@pytest.mark.parametrize("name,short", [("泰州市", "泰州"), ("博兴县", "博兴"), ("黔南布依族苗族自治州", "黔南"), ("内蒙古自治区", "内蒙古")])
def test_short_names(name, short):
    assert short_name(name) == short


def test_county_branch_needs_its_city(resources):
    place = place_of(resources.gazetteer, "滨州市生态环境局博兴分局")
    assert (place.county, place.county_code, place.admin_level) == ("博兴县", "371625", "county")


def test_unqualified_city_bureau_takes_the_place_from_context(resources):
    place = place_of(resources.gazetteer, "市生态环境局党组", ["中共泰州市生态环境局党组"])
    assert (place.province, place.city, place.city_code) == ("江苏省", "泰州市", "321200")


def test_taizhou_jiangsu_and_taizhou_zhejiang_are_different(resources):
    assert place_of(resources.gazetteer, "台州市生态环境局").city_code == "331000"
    assert place_of(resources.gazetteer, "泰州市生态环境局").city_code == "321200"


def test_ambiguous_district_without_context_is_left_unresolved(resources):
    assert place_of(resources.gazetteer, "朝阳区生态环境局").province is None


def test_municipality_district(resources):
    place = place_of(resources.gazetteer, "北京市朝阳区生态环境局")
    assert (place.province, place.city, place.county, place.admin_level) == ("北京市", None, "朝阳区", "county")


def test_short_name_before_a_zone_word_resolves(resources):
    place = place_of(resources.gazetteer, "武汉经开区")
    assert (place.province, place.city) == ("湖北省", "武汉市")


def test_province_short_name_resolves_in_running_text(resources):
    place = place_of(resources.gazetteer, "", ["下一步,广西将持续推进问题整改"])
    assert place.province == "广西壮族自治区"


def test_special_administrative_region_short_name_is_not_read_in_running_text(resources):
    assert place_of(resources.gazetteer, "", ["粤港澳大湾区建设和澳门相关工作"]).province is None
