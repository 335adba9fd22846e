"""Notice metadata with evidence: who inspected whom and when, signature, place, declared totals."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.read.ingest import ingest
from analysis.read.frame import find_signature
from analysis.read.metadata import extract_metadata, organisation_of
from analysis.read.parse import parse_structure

from tests.conftest import raw_notice


def seed_meta(notice_id: str, resources):
    """Metadata of a shipped notice (and its text)."""
    notice = ingest(notice_id, raw_notice(notice_id))
    return extract_metadata(notice.text, parse_structure(notice.text), notice.page, resources.gazetteer), notice.text


def test_qingdao_signature_is_not_the_repost_date(resources):
    meta, _ = seed_meta("qingdao-sthjj-2024", resources)
    assert meta.values["signature_date"] == date(2024, 4, 19)
    assert meta.values["page_date"] == date(2025, 7, 6)


def test_qingdao_year_less_feedback_date_takes_the_inspection_year(resources):
    meta, text = seed_meta("qingdao-sthjj-2024", resources)
    assert meta.values["feedback_date"] == date(2023, 9, 4) and meta.values["feedback_year_inferred"] is True
    evidence = next(e for e in meta.evidence if e.field == "feedback_date")
    assert text[evidence.start:evidence.end] == "9月4日"


def test_qingdao_round_and_special_inspection(resources):
    v = seed_meta("qingdao-sthjj-2024", resources)[0].values
    assert (v["round"], v["round_term"], v["round_number"]) == ("十三届市委第三轮", 13, 3)
    assert (v["inspection_kind"], v["inspection_theme"]) == (["专项"], "营商环境优化提升")
    assert (v["inspection_start"], v["inspection_end"]) == (date(2023, 3, 15), date(2023, 5, 31))


def test_boxing_resolves_to_its_county_with_code(resources):
    v = seed_meta("binzhou-boxing-sthjfj-2023", resources)[0].values
    assert (v["county"], v["county_code"], v["city"], v["city_code"], v["province"], v["province_code"]) == (
        "博兴县", "371625", "滨州市", "371600", "山东省", "370000")
    assert v["admin_level"] == "county"


def test_binzhou_cross_inspection_with_yellow_river_theme(resources):
    v = seed_meta("binzhou-boxing-sthjfj-2023", resources)[0].values
    assert v["inspecting_body"] == "市委提级交叉巡察组"
    assert (v["round"], v["round_term"], v["round_number"]) == ("十届市委第二轮", 10, 2)
    assert v["inspection_kind"] == ["提级交叉", "专项"]
    assert v["inspection_theme"] == "黄河流域生态保护和高质量发展"


def test_taizhou_declared_totals_and_their_arithmetic(resources):
    v = seed_meta("taizhou-js-sthjj-2025", resources)[0].values
    assert (v["declared_problems"], v["declared_measures"], v["declared_measures_completed"]) == (48, 161, 109)
    assert (v["declared_completion_pct"], v["declared_problems_completed"], v["declared_rules"]) == (67.7, 16, 25)
    assert round(100 * 109 / 161, 1) == 67.7


def test_taizhou_page_publish_time_is_not_the_signature(resources):
    v = seed_meta("taizhou-js-sthjj-2025", resources)[0].values
    assert v["signature_date"] == date(2025, 9, 23) and v["page_published"] == "2025-09-24 18:41"


def test_guangzhou_has_no_title_and_says_so(resources):
    meta, _ = seed_meta("guangzhou-sthjj-2025", resources)
    assert meta.values["title"] is None and "no_title" in meta.warnings
    assert meta.values["inspection_kind"] == ["常规"] and meta.values["inspection_theme"] is None


def test_zibo_is_a_central_environmental_inspection(resources):
    v = seed_meta("zibo-sthjj-2025", resources)[0].values
    assert (v["genre"], v["inspection_level"], v["round_number"]) == ("environmental_inspection", "central", 1)
    assert v["signature_date"] == date(2025, 4, 30) and v["issuing_body"] == "淄博市生态环境局"
    assert v["inspected_body"] is None


def test_every_metadata_value_points_at_its_evidence(resources):
    meta, text = seed_meta("binzhou-boxing-sthjfj-2023", resources)
    spans = {e.field: text[e.start:e.end] for e in meta.evidence if e.start is not None}
    assert spans["issuing_body"] == "中共滨州市生态环境局博兴分局党组"
    assert spans["signature_date"] == "2023年3月5日"
    assert spans["declared_items_long_term"].endswith("整改事项1个")


@pytest.mark.parametrize("tail,body,day", [
    ("中共青岛市生态环境局党组\n\n    2024年4月19日   \n", "中共青岛市生态环境局党组", date(2024, 4, 19)),
    ("淄博市生态环境局 2025年4月30日\n", "淄博市生态环境局", date(2025, 4, 30)),
    ("特此通报。\n", None, None),
])
def test_signature_block(tail, body, day):
    text = "正文。\n" + tail
    body_span, _, signed = find_signature(text)
    assert (text[body_span[0]:body_span[1]] if body_span else None, signed) == (body, day)


def test_organisation_drops_party_group_wording():
    assert organisation_of("中共滨州市生态环境局博兴分局党组") == "滨州市生态环境局博兴分局"


# --------------------------------------------------------------------------- real-page shapes, written for these tests
# (places are real so the division table can resolve them; every sentence is made up)


def read(text: str, resources):
    """Metadata values of a literal notice."""
    notice = ingest("variant", text.encode("utf-8"))
    return extract_metadata(notice.text, parse_structure(notice.text), notice.page, resources.gazetteer).values


SPEECH = ("关于2023年度市本级预算执行和其他财政收支\n审计查出问题整改情况的报告\n"
          "——2024年12月26日在瑞金市第十八届人民代表大会常务委员会第二十次会议上\n"
          "市审计局局长 张某某\n主任、各位副主任、各位委员:\n"
          "受市人民政府委托,我向本次会议报告2023年度市本级预算执行和其他财政收支审计查出问题的整改情况,请予审议。\n"
          "一、整改工作总体情况\n审计工作报告反映的62个问题,已整改到位55个,整改问题金额3.5亿元。\n")


def test_speech_issuer_date_title_and_audit_facts(resources):
    v = read(SPEECH, resources)
    assert v["title"] == "关于2023年度市本级预算执行和其他财政收支审计查出问题整改情况的报告"
    assert (v["issuing_body"], v["publication_date"], v["publication_date_source"]) == ("市审计局", date(2024, 12, 26), "dateline")
    assert (v["genre"], v["round"], v["fiscal_year"], v["audit_kind"]) == ("audit", "2023年度", 2023, ["budget_execution"])
    assert v["inspecting_body"] == "市审计局"


def test_a_county_level_citys_audit_office_is_county_level(resources):
    v = read(SPEECH, resources)
    assert (v["province"], v["city"], v["county"]) == ("江西省", "赣州市", "瑞金市")
    assert (v["admin_level"], v["inspection_level"], v["body_kind"]) == ("county", "county", "department")


def test_audit_declared_counts_and_money(resources):
    v = read(SPEECH, resources)
    assert (v["declared_problems"], v["declared_problems_completed"], v["declared_amount"]) == (62, 55, 3.5e8)


def test_audit_office_that_audited_is_the_issuer_of_its_result_announcement(resources):
    text = ("根据《中华人民共和国审计法》的规定,陈仓区审计局派出审计组,对区医疗保障局2023年度财政预算执行情况进行了审计,"
            "现将审计结果公告如下:\n一、基本情况\n区医疗保障局成立于2019年。\n")
    v = read(text, resources)
    assert (v["issuing_body"], v["inspecting_body"], v["inspected_body"]) == ("陈仓区审计局", "陈仓区审计局", "区医疗保障局")
    assert (v["fiscal_year"], v["inspection_level"], v["admin_level"]) == (2023, "county", "county")


def test_title_body_before_guanyu_is_the_issuer_even_with_a_space(resources):
    v = read("中共天水市秦州区教育局党组 关于市委巡察整改进展情况的通报\n根据市委统一部署,市委第一巡察组对秦州区教育局党组开展了巡察。\n", resources)
    assert (v["issuing_body"], v["organisation"]) == ("中共天水市秦州区教育局党组", "天水市秦州区教育局")
    assert (v["sector"] if "sector" in v else "education", v["body_kind"], v["admin_level"]) == ("education", "department", "county")


def test_body_fed_back_to_is_the_issuer_without_title_or_signature(resources):
    text = ("根据省委统一部署,2024年4月28日至7月27日,省委第三巡视组对临沂市进行了常规巡视。"
            "2024年10月24日,省委第三巡视组向临沂市委反馈了巡视意见。按照巡视工作有关要求,现将巡视整改进展情况予以公布。\n"
            "一、提高政治站位,坚决扛起巡视整改政治责任\n市委坚持把巡视整改作为重大政治任务。\n")
    v = read(text, resources)
    assert (v["issuing_body"], v["body_kind"], v["admin_level"]) == ("临沂市委", "party_committee", "city")
    assert (v["inspecting_body"], v["inspected_body"], v["inspection_level"]) == ("省委第三巡视组", "临沂市", "provincial")
    assert (v["inspection_start"], v["inspection_end"], v["feedback_date"]) == (date(2024, 4, 28), date(2024, 7, 27), date(2024, 10, 24))
    assert v["inspection_kind"] == ["常规"] and v["genre"] == "party_inspection"


def test_body_that_speaks_after_a_self_reference_is_the_issuer(resources):
    text = ("按照市委巡察工作领导小组统一安排,市委第七提级交叉巡察组对我单位开展了巡察工作。"
            "县委宣传部高度重视巡察反馈意见,认真整改。现将巡察整改情况通报如下:\n一、强化政治自觉\n(一)加强领导。\n")
    v = read(text, resources)
    assert (v["inspected_body"], v["issuing_body"]) == ("我单位", "县委宣传部")
    assert v["inspection_kind"] == ["提级交叉"] and v["inspecting_body"] == "市委第七提级交叉巡察组"


@pytest.mark.parametrize("group", ["县委巡察三组", "机动巡察一组", "市委第五巡察组", "区委第四联动巡察组"])
def test_inspection_groups_with_or_without_di(group, resources):
    v = read(f"根据县委统一部署,{group}对某局党组开展了巡察,现将整改情况公布如下。", resources)
    assert v["inspecting_body"] == group


def test_round_broken_over_two_title_lines_and_term_alone(resources):
    v = read("中共丽水市妇女联合会党组关于五届市委\n第四轮巡察整改进展情况的通报\n根据市委统一部署,市委第二巡察组对市妇联党组进行了巡察。\n",
             resources)
    assert (v["round"], v["round_term"], v["round_number"]) == ("五届市委\n第四轮", 5, 4)
    assert (v["body_kind"], v["title"]) == ("mass_organisation", "中共丽水市妇女联合会党组关于五届市委第四轮巡察整改进展情况的通报")


def test_environmental_inspection_of_a_province(resources):
    text = ("2021年8月31日至9月30日,中央第三生态环境保护督察组对湖北省开展了第二轮生态环境保护督察。"
            "2021年12月13日,督察组向湖北省反馈了督察报告。湖北省委、省政府诚恳接受督察反馈问题。\n")
    v = read(text, resources)
    assert (v["genre"], v["inspecting_body"], v["inspected_body"]) == ("environmental_inspection", "中央第三生态环境保护督察组", "湖北省")
    assert (v["round"], v["round_number"], v["inspection_level"]) == ("第二轮", 2, "central")
    assert (v["inspection_start"], v["feedback_date"], v["province"]) == (date(2021, 8, 31), date(2021, 12, 13), "湖北省")


def test_petition_batches_are_not_rounds_and_their_cases_are_problems(resources):
    text = ("按照中央第二生态环境保护督察组工作要求,全区已对督察组交办的第十一批27件信访举报件进行调查处理,"
            "其中,已办结7件、阶段性办结17件、未办结3件。\n")
    v = read(text, resources)
    assert (v["round"], v["declared_problems"], v["declared_problems_completed"]) == (None, 27, 7)


def test_a_review_of_an_earlier_round_does_not_take_its_round(resources):
    v = read("2018年11月3日至12月3日,中央第二生态环境保护督察组对我省第一轮中央环境保护督察整改情况开展了“回头看”。", resources)
    assert v["round"] is None and v["inspection_kind"] == ["回头看"]


def test_municipalitys_own_inspection_is_provincial(resources):
    text = "12月1日,重庆市第二生态环境保护督察组进驻潼南区,开展为期15天的生态环境保护督察。"
    v = read(text, resources)
    assert (v["inspection_level"], v["province"], v["city"], v["county"]) == ("provincial", "重庆市", None, "潼南区")


@pytest.mark.parametrize("body,level", [("某镇党委", "township"), ("某区人民法院", "county"), ("某市卫生健康委员会", "city"),
                                        ("某某集团有限公司", "enterprise"), ("国家某某局", "central")])
def test_admin_level_from_the_body_word_when_no_place_resolves(body, level, resources):
    v = read(f"{body}关于巡察整改情况的通报\n根据上级统一部署,巡察组对{body}开展了巡察,现将整改情况公布如下。\n", resources)
    assert v["admin_level"] == level


def test_city_bureau_stays_city_level_when_the_text_names_a_county_next(resources):
    text = "市林湿局开展督察点位销号工作\n为推进整改销号,执法队联合盘锦市生态环境局对盘山县已完成整改点位进行检查验收。\n"
    v = read(text, resources)
    assert (v["issuing_body"], v["city"], v["county"], v["admin_level"]) == ("市林湿局", "盘锦市", None, "city")


def test_publication_date_falls_back_to_the_pages_written_date(resources):
    text = "成文日期: 2024-06-30\n关于某事项的通报\n根据市委统一部署,市委巡察组对某局开展了巡察,现通报如下。\n"
    v = read(text, resources)
    assert (v["publication_date"], v["publication_date_source"], v["signature_date"]) == (date(2024, 6, 30), "page_written", None)


def test_document_date_line_in_chinese_numerals(resources):
    v = read("某市审计局审计结果公告\n(二〇一六年九月五日公告)\n根据审计法,市审计局对部门预算执行情况进行了审计。\n", resources)
    assert (v["publication_date"], v["publication_date_source"]) == (date(2016, 9, 5), "dateline")
    assert v["title"] == "某市审计局审计结果公告"


def test_signature_in_chinese_numerals_and_joint_signature(resources):
    text = "根据督察整改要求,现将整改情况公示如下。\n一、整改问题\n某问题。\n中共某县委 某县人民政府\n二〇二五年九月二十八日\n"
    v = read(text, resources)
    assert (v["issuing_body"], v["signature_date"]) == ("中共某县委 某县人民政府", date(2025, 9, 28))


def test_a_clause_after_a_position_ends_at_its_first_end_mark_or_its_reach():
    from analysis.read.inspection import CLAUSE_END_RE, clause_after

    assert clause_after("于3月反馈,已整改;完成", 1, 20) == "3月反馈,已整改"
    assert clause_after("于3月反馈,已整改;完成", 1, 20, CLAUSE_END_RE) == "3月反馈"
    assert clause_after("于3月反馈,已整改;完成", 1, 3) == "3月反"


def test_audit_offices_are_found_from_their_office_words_as_a_scan_finds_them():
    from analysis.read.inspection import AUDIT_OFFICE_RE, office_mentions

    text = "根据审计署统一部署,市审计局派出审计组,对县审计发现的问题和县审计局2023年度预算执行情况进行了审计。"
    assert [m.span() for m in office_mentions(text, 0, len(text))] == [m.span() for m in AUDIT_OFFICE_RE.finditer(text)]
    assert [m.group("body") for m in office_mentions(text, 0, len(text))] == ["审计署", "市审计局", "对县审计发现的问题和县审计局"]
    assert list(office_mentions(text, 0, 4)) == list(AUDIT_OFFICE_RE.finditer(text, 0, 4)) == []  # 审计署 ends past the span


def test_a_theme_is_found_before_its_special_inspection_words_as_a_scan_finds_it():
    from analysis.read.inspection import THEME_RE, THEME_START_RE, theme_search

    text = "根据部署,对专项资金开展了乡村振兴专项巡察,并组织了“回头看”专项督察"
    def span(m):
        return m.span() if m else None

    for regex in (THEME_RE, THEME_START_RE):
        for start in (0, 10, 22):
            assert span(theme_search(regex, text, start, len(text))) == span(regex.search(text, start))
    assert theme_search(THEME_RE, text, 0, len(text)).group("theme") == "乡村振兴"
    assert theme_search(THEME_RE, text, 0, 20) is None  # the span ends inside 专项巡察
