"""Bodies: the organ behind a party body, its kind, its tier word, its sector."""

from __future__ import annotations

import pytest

from analysis.read.bodies import body_kind_of, organisation_of, place_tier, sector_of, tier_word
from analysis.read.resources import load_resources

from tests.conftest import ROOT


@pytest.mark.parametrize("body,organisation", [
    ("中共青岛市生态环境局党组", "青岛市生态环境局"),
    ("中共某县委员会", "某县委"),
    ("中共某镇委员会", "某镇党委"),
    ("中共某街道工作委员会", "中共某街道工作委员会"[2:]),
    ("中共成都空港城市发展集团有限公司委员会", "成都空港城市发展集团有限公司"),
    ("县科协党组", "县科协"),
    ("共青团某县委员会", "共青团某县委员会"),
    ("中共某经开区党工委", "某经开区"),
    ("某县人民政府", "某县人民政府"),
])
def test_organisation_behind_a_party_body(body, organisation):
    assert organisation_of(body) == organisation


@pytest.mark.parametrize("organisation,kind", [
    ("某县委", "party_committee"), ("某镇党委", "party_committee"), ("某县人民政府", "government"),
    ("某市生态环境局", "department"), ("某区人民法院", "judiciary"), ("某县人民医院", "public_institution"),
    ("某某集团有限公司", "enterprise"), ("某市妇女联合会", "mass_organisation"), ("某村", "grassroots"),
    ("某县委 某县人民政府", "party_committee"),
])
def test_kind_from_the_organ_word(organisation, kind):
    assert body_kind_of(organisation) == kind


@pytest.mark.parametrize("name,tier", [("某镇党委", "township"), ("国家某某局", "central"), ("某某集团有限公司", "enterprise")])
def test_tier_words(name, tier):
    assert tier_word(name) == tier


@pytest.mark.parametrize("name,tier", [("区法院", "county"), ("市卫健委党委", "city"), ("县教育局", "county"),
                                       ("某经开区", None), ("省委", "province")])
def test_tier_of_a_bare_place_word(name, tier):
    assert place_tier(name) == tier


@pytest.mark.parametrize("organisation,kind,sector", [
    ("某县委", "party_committee", "general"), ("某市审计局", "department", "audit"), ("某县公安局", "department", "public_security"),
    ("某区人民法院", "judiciary", "justice"), ("某市卫生健康委员会", "department", "health"), ("某县科协", "mass_organisation",
                                                                                              "science_technology"),
    ("某市林湿局", "department", "forestry"), ("某某集团有限公司", "enterprise", "enterprise"), ("某县档案馆", "public_institution", "other"),
])
def test_sector_from_the_dictionary(organisation, kind, sector):
    assert sector_of(organisation, kind, load_resources(ROOT).sectors) == sector
