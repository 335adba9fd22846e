"""Bodies as 公文 name them: the organ behind a party body, its kind, its administrative tier and its sector.

A party body is named after the organ it leads: 中共XX市生态环境局党组 is the party group of the
bureau, so the organisation is XX市生态环境局; 中共XX县委员会 is the county's party committee (XX县委);
中共XX镇委员会 is a township's (XX镇党委). The organ word at the end of a name says what it is
(局/厅/委/办 a department, 人民政府 a government, 法院 a court, 医院 a hospital, 公司/集团 an enterprise),
and the place word says its tier (镇/乡/街道 township, 县/区/县级市/旗 county, 市/州/盟 city,
省/自治区 province); a name without a place word takes its tier from the notice's place.
"""

from __future__ import annotations

import re

PARTY_PREFIX_RE = re.compile(r"^中国共产党|^中共")
PARTY_SUFFIX_RE = re.compile(r"(机关党委|党组|党委|党工委|党总支|党支部|总支部委员会|支部委员会|党支部委员会|支部)$")
ORGAN_END_RE = re.compile(
    r"(局|厅|署|委|办|部|院|所|站|室|中心|公司|集团|银行|医院|学校|大学|学院|中学|小学|政府|法院|检察院|分局|支队|大队|"
    r"馆|会|社|镇|乡|街道|村|社区|场|处|科|队|组|协|联|机关|开发区|经开区|高新区|新区|园区|管委会)$"
)
COMMITTEE_RE = re.compile(r"^(?P<place>.+?)(?P<kind>省|自治区|市|州|盟|县|区|旗)委员会$")
TOWNSHIP_COMMITTEE_RE = re.compile(r"^(?P<place>.+?(?:镇|乡|街道|苏木))委员会$")

# (kind, regex on the organisation), first match wins: the organ word at the end decides, the more specific first.
BODY_KINDS: tuple[tuple[str, re.Pattern], ...] = (
    ("legislature", re.compile(r"(人大常委会|人民代表大会(常务委员会)?|人大)$")),
    ("judiciary", re.compile(r"(法院|检察院)$")),
    ("enterprise", re.compile(r"(公司|集团|银行|集团\)有限公司|股份有限公司|有限责任公司|厂|矿)$")),
    ("public_institution", re.compile(r"(医院|卫生院|学校|大学|学院|中学|小学|幼儿园|研究院|研究所|研究中心|科学院|党校|"
                                      r"图书馆|博物馆|纪念馆|馆|电视台|报社|出版社|疾病预防控制中心|中心)$")),
    ("mass_organisation", re.compile(r"(总工会|工会|团委|共青团.*|妇联|妇女联合会|科协|科学技术协会|文联|文学艺术界联合会|残联|"
                                     r"残疾人联合会|侨联|工商联|红十字会|社科联|作协|记协)$")),
    ("grassroots", re.compile(r"(村|社区|村委会|居委会|村民委员会|居民委员会|嘎查)$")),
    ("party_committee", re.compile(r"(省委|自治区党委|市委|州委|盟委|县委|区委|旗委|镇党委|乡党委|街道党工委|党工委|镇委|乡委|"
                                   r"(?:省|市|县|区|旗|州)委员会|(?:镇|乡|街道)委员会|党委)$")),
    ("government", re.compile(r"(人民政府|政府|管委会|管理委员会|行政公署|镇|乡|街道|街道办事处|办事处|苏木)$")),
    ("department", re.compile(r"(局|厅|署|委|办|部|办公室|分局|支队|大队|处|所|站|监狱|戒毒所|委员会)$")),
)

# (tier, regex): a body word names its own tier.
TIER_WORDS: tuple[tuple[str, re.Pattern], ...] = (
    ("enterprise", re.compile(r"(公司|集团|银行)$")),
    ("central", re.compile(r"^(中共中央|中央|国务院|全国|最高人民法院|最高人民检察院|国家|中华人民共和国)")),
    ("township", re.compile(r"(镇|乡|街道|苏木)(党委|党工委|人民政府|政府|办事处|委员会)?$|(镇|乡|街道|苏木)(?!.*(县|区|市|旗))")),
)


def organisation_of(body: str | None) -> str | None:
    """The organ behind a signing body: 中共XX市生态环境局党组 → XX市生态环境局; 中共XX县委员会 → XX县委."""
    if not body:
        return None
    name = PARTY_PREFIX_RE.sub("", body.strip())
    if name.startswith("共青团"):
        return name  # the Youth League's committee is its organ
    branch = re.match(r"^(?P<unit>.+?)(?:党总支部委员会|总支部委员会|党支部委员会|支部委员会|党总支|党支部)$", name)
    if branch and ORGAN_END_RE.search(branch.group("unit")):
        return branch.group("unit")  # 中共某中学支部委员会: the branch of the school
    township = TOWNSHIP_COMMITTEE_RE.match(name)
    if township:
        return township.group("place") + ("党工委" if township.group("place").endswith("街道") else "党委")
    committee = COMMITTEE_RE.match(name)
    if committee:
        return committee.group("place") + committee.group("kind") + "委"
    if name.endswith("委员会") and ORGAN_END_RE.search(name[:-3]):
        return name[:-3]  # XX局委员会 (a bureau's party committee) → XX局
    stripped = PARTY_SUFFIX_RE.sub("", name)
    if stripped != name and ORGAN_END_RE.search(stripped) and not stripped.endswith(("镇", "乡", "街道")):
        return stripped
    return name


def body_kind_of(organisation: str | None) -> str | None:
    """party_committee, government, department, legislature, judiciary, enterprise, public_institution,
    mass_organisation, grassroots or other — from the organ word at the end of the name."""
    if not organisation:
        return None
    name = re.sub(r"[(（][^()（）]*[)）]$", "", organisation.strip())  # 《(试行)》-style trailing notes
    name = name.split()[0] if name.split() else name  # a joint signature (XX县委 XX县人民政府): the first body
    for kind, regex in BODY_KINDS:
        if regex.search(name):
            return kind
    return "other"


def tier_word(organisation: str | None) -> str | None:
    """A tier the name states by itself (central, township, enterprise), else None."""
    if not organisation:
        return None
    for tier, regex in TIER_WORDS:
        if regex.search(organisation):
            return tier
    return None


TOWNSHIP_WORD_RE = re.compile(r"(镇|乡|街道|苏木)")
ZONE_WORD_RE = re.compile(r"(开发区|经开区|高新区|新区|园区|保护区|景区)")
COUNTY_ORGAN_RE = re.compile(r"(县|区|旗)(?:委|人民政府|政府|[^市省]{0,12}(局|委|办|院|部))")
CITY_ORGAN_RE = re.compile(r"(市|州|盟)(?:委|人民政府|政府|[^县区旗省]{0,12}(局|委|办|院|部|中心))")
PROVINCE_ORGAN_RE = re.compile(r"(省|自治区)(?:委|党委|人民政府|政府)")


def place_tier(name: str) -> str | None:
    """The tier a bare place word implies when no division resolves: 省/自治区 province, 市/州/盟 city, 县/区/旗 county."""
    if TOWNSHIP_WORD_RE.search(name):
        return "township"
    if ZONE_WORD_RE.search(name):
        return None  # a zone's tier is not in its name
    if name.startswith(("县", "区", "旗")) or COUNTY_ORGAN_RE.search(name):
        return "county"
    if name.startswith(("市", "州", "盟")) or CITY_ORGAN_RE.search(name):
        return "city"
    if name.startswith(("省", "自治区")) or PROVINCE_ORGAN_RE.search(name):
        return "province"
    return None


def sector_of(organisation: str | None, body_kind: str | None, dictionary: tuple[tuple[str, str], ...]) -> str | None:
    """Policy sector of an organisation: a locality's party committee, government or congress is `general`; a
    department, institution or enterprise by the first keyword of data/dictionaries/sectors.csv it contains (file
    order: specific words first); an enterprise without one is `enterprise`; anything else `other`."""
    if not organisation:
        return None
    if body_kind in ("party_committee", "government", "legislature") or re.search(r"(开发区|经开区|高新区|新区)$", organisation):
        return "general"
    for keyword, sector in dictionary:
        if keyword in organisation:
            return sector
    if body_kind == "enterprise":
        return "enterprise"
    return "other"
