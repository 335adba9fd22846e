"""Extract: documents, agencies and figures, on sentences cut from the notices."""

from __future__ import annotations

import pytest

from analysis.extract.agencies import NoticeContext, find_agencies
from analysis.extract.documents import bracket_spans, find_documents
from analysis.extract.figures import find_figures

TAIZHOU = NoticeContext("泰州市生态环境局", "city", "320000", "江苏省", "泰州市", None, "eco")
QINGDAO = NoticeContext("青岛市生态环境局", "city", "370000", "山东省", "青岛市", None, "eco")
GUANGZHOU = NoticeContext("广州市生态环境局", "city", "440000", "广东省", "广州市", None, "eco")
BOXING = NoticeContext("滨州市生态环境局博兴分局", "county", "370000", "山东省", "滨州市", "博兴县", "eco")


def agencies(text: str, ctx: NoticeContext, resources) -> list:
    """Agency mentions of a sentence."""
    spans = [(o, c + 1) for o, c, _ in bracket_spans(text)[0]]
    return find_agencies(text, resources, ctx, spans)


def documents(text: str, resources, ctx: NoticeContext = TAIZHOU):
    """Document mentions of a sentence."""
    found, warnings = find_documents(text, resources, agencies(text, ctx, resources), ctx.organisation)
    return found, warnings


# --------------------------------------------------------------------------- documents


def test_nested_notice_yields_the_notice_and_the_document_linked(resources):
    text = "5月28日印发《关于印发《泰州市生态环境系统关于规范涉企行政检查助力优化营商环境的实施细则》的通知》,为我市规范生态环境涉企行政检查提供有力抓手。"
    (outer, inner), _ = documents(text, resources)
    assert (outer.doc_type, outer.relation, outer.parent) == ("通知", "issued", None)
    assert inner.title == "泰州市生态环境系统关于规范涉企行政检查助力优化营商环境的实施细则"
    assert (inner.doc_type, inner.relation, inner.parent) == ("细则", "issued", 0)


def test_inner_title_in_angle_marks_takes_the_earlier_full_title(resources):
    text = ("一是加强政策跟踪问效,组织对《关于全力服务经济社会高质量发展的20条措施》政策清单落实情况进行评估,"
            "形成《关于〈全力服务经济社会高质量发展的20条措施〉落实情况的评估报告》。")
    first, report, inner = documents(text, resources, QINGDAO)[0]
    assert first.relation == "cited"
    assert (report.relation, report.doc_type) == ("submitted", "报告")
    assert report.canonical == "关于《全力服务经济社会高质量发展的20条措施》落实情况的评估报告"
    assert inner.canonical == "关于全力服务经济社会高质量发展的20条措施" and inner.parent == 1


def test_missing_opening_mark_is_recovered_after_a_document_verb(resources):
    text = "一是完善考核机制,印发2023年度机关处室目标绩效考核办法》《2023年度事业单位目标绩效考核办法》新增专项考核指标。"
    found, warnings = documents(text, resources, QINGDAO)
    assert [(d.title, d.recovered, d.confidence, d.relation) for d in found] == [
        ("2023年度机关处室目标绩效考核办法", True, "medium", "issued"), ("2023年度事业单位目标绩效考核办法", False, "high", "issued")]
    assert warnings == []


def test_ambiguous_missing_opening_mark_is_flagged_not_guessed(resources):
    text = "一是强化改革创新考核督导,在2023年度机关处室目标绩效考核办法等4项考核办法》中,将改革创新工作纳入考核。"
    found, warnings = documents(text, resources, QINGDAO)
    assert found == [] and warnings == ["unbalanced_title_mark"]


def test_short_form_resolves_to_the_earlier_full_title(resources):
    text = "三是3月初,举办全市《江苏省固体废物污染环境防治条例》学习宣贯会,部署新《条例》在我市贯彻落实。"
    full, short = documents(text, resources)[0]
    assert short.canonical == "江苏省固体废物污染环境防治条例" and short.abbreviation_of == full.canonical
    assert (full.relation, short.relation) == ("cited", "applied")


def test_national_law_short_name_takes_its_full_name(resources):
    text = "组织编发《环评法》《土壤法》《噪声法》普法小视频并在公众号发布。"
    found, _ = documents(text, resources, QINGDAO)
    assert [d.canonical for d in found] == ["中华人民共和国环境影响评价法", "中华人民共和国土壤污染防治法", "中华人民共和国噪声污染防治法"]
    assert {d.relation for d in found} == {"cited"}  # the videos were issued, not the laws


@pytest.mark.parametrize("sentence,relation", [
    ("印发《青岛市大气污染防治百日攻坚专项行动方案》,组织各区市制定落实方案。", "issued"),
    ("修订《青岛市生态环境局行政处罚程序规定》,促进行政执法工作的程序化。", "revised"),
    ("严格落实《青岛市进一步提升国省控地表水考核断面水环境质量工作方案》,坚持常态化监测。", "applied"),
    ("二是对照厅党组《关于进一步加强市县系统党的建设的指导意见》,建立党建责任清单。", "applied"),
    ("形成《“无废城市”建设进展评价报告》,并报送省厅。", "submitted"),
    ("局党组成员集体学习研讨《优化营商环境条例》等法规制度。", "cited"),
    ("结合我县水环境质量对《博兴县地表水水质生态赔偿制度》进行修订。", "revised"),
])
def test_relation_follows_the_governing_verb(sentence, relation, resources):
    assert documents(sentence, resources)[0][0].relation == relation


def test_same_document_in_two_places_has_one_canonical_title(resources):
    text = ("5月28日,出台《泰州市生态环境局经费支出报批制度》。三是根据《泰州市生态环境局经费支出报批制度》,严格对照合同约定的支付条件办理。")
    found, _ = documents(text, resources)
    assert [d.canonical for d in found] == ["泰州市生态环境局经费支出报批制度"] * 2
    assert [d.relation for d in found] == ["issued", "applied"]


def test_attributive_verb_names_the_issuer_not_the_relation(resources):
    text = ("严格按照山东省生态环境厅发布的《山东省建设项目主要大气污染物排放总量替代指标核算及管理办法》"
            "和滨州市生态环境局下发的《关于加强建设项目主要污染物排放总量指标管理工作的通知》,严格按照二倍替代原则。")
    first, second = documents(text, resources, BOXING)[0]
    assert (first.relation, first.issuer, first.issuer_source) == ("applied", "山东省生态环境厅", "context")
    assert (second.relation, second.issuer) == ("applied", "滨州市生态环境局")


def test_issuer_in_the_title(resources):
    (found,), _ = documents("印发《青岛市生态环境局关于做好重点项目环评攻坚帮扶的通知》,提前介入服务。", resources, QINGDAO)
    assert (found.issuer, found.issuer_source) == ("青岛市生态环境局", "title")


def test_issued_without_a_named_issuer_is_the_notice_body(resources):
    (found,), _ = documents("二是4月14日,印发《关于开展局领导带案下访活动的通知》。", resources)
    assert (found.issuer, found.issuer_source) == ("泰州市生态环境局", "notice_body")


@pytest.mark.parametrize("number", ["府办函〔2022〕198号", "泰环发[2023]12号", "苏环办(2024)5号", "鲁环发【2021】7号"])
def test_document_number_after_the_title(number, resources):
    (found,), _ = documents(f"印发《关于加强扬尘污染防治的通知》({number}),明确责任。", resources)
    assert found.doc_number == number


def test_unmarked_plan_is_found_with_low_confidence(resources):
    text = "二是深入践行“两山”理念。印发实施广州市创建生态文明建设示范区规划,指导部分区编制实践创新基地建设实施方案。"
    found, _ = documents(text, resources, GUANGZHOU)
    assert [(d.title, d.relation, d.confidence, d.bracketed) for d in found][0] == (
        "广州市创建生态文明建设示范区规划", "issued", "low", False)


def test_generic_unmarked_names_are_not_documents(resources):
    found, _ = documents("印发管理制度,规范应急物资站点日常管理。修订完善相关管理规章,著力提升管理水平。", resources, GUANGZHOU)
    assert found == []


def test_type_ignores_trailing_parentheticals_and_versions(resources):
    text = "印发《泰州市市区建筑垃圾污染环境防治规划(2024—2035年)》,出台了《优化营商环境惠企措施2.0版本》。"
    assert [d.doc_type for d in documents(text, resources)[0]] == ["规划", "措施"]


# --------------------------------------------------------------------------- agencies


def canonical(text: str, ctx: NoticeContext, resources) -> list[tuple[str, str]]:
    """(mention, canonical) of every agency in a sentence."""
    return [(a.mention, a.canonical) for a in agencies(text, ctx, resources)]


def test_one_housing_bureau_however_it_is_named(resources):
    text = "五是会同住建部门对建筑工地开展常态化检查。五是会同市住建部门,完成规划编制。积极组织住建、城管等职能部门开展整治。"
    names = {c for m, c in canonical(text, TAIZHOU, resources) if m in ("住建部门", "市住建部门", "住建")}
    assert names == {"泰州市住房和城乡建设局"}


def test_gongjianfa_names_three_agencies(resources):
    found = canonical("与公检法机关联勤联动,对重大环境违法案件形成部门会商和联合督办。", GUANGZHOU, resources)
    assert [c for m, c in found if m == "公检法"] == ["广州市中级人民法院", "广州市人民检察院", "广州市公安局"]


def test_provincial_department_of_the_notices_sector(resources):
    assert canonical("5月底完成跟踪评估报告,并报省厅审核。", TAIZHOU, resources) == [("省厅", "江苏省生态环境厅")]


def test_explicit_place_qualifies_the_agency(resources):
    found = canonical("山东省生态环境厅发布的办法和生态环境部发布的名录", BOXING, resources)
    assert found == [("山东省生态环境厅", "山东省生态环境厅"), ("生态环境部", "生态环境部")]


def test_the_notices_own_branch_is_self(resources):
    (found,) = agencies("二是市生态环境局博兴分局以砖瓦窑为重点开展整治。", BOXING, resources)
    assert (found.canonical, found.is_self) == ("滨州市生态环境局博兴分局", True)


def test_bare_short_forms_need_a_list_ending_in_department(resources):
    assert canonical("积极构建绿色交通体系,加强应急物资储备。", QINGDAO, resources) == []
    assert [c for _, c in canonical("联合公安、应急等部门开展管控", TAIZHOU, resources)] == ["泰州市公安局", "泰州市应急管理局"]


def test_government_alone_is_not_an_agency(resources):
    assert canonical("更新完善政府采购管理制度", GUANGZHOU, resources) == []


def test_agencies_inside_titles_are_left_to_the_title(resources):
    assert canonical("印发《青岛市生态环境局关于开展审批领域专项整治的通知》", QINGDAO, resources) == []


def test_inspection_group_is_qualified_by_the_notices_city(resources):
    assert canonical("市委第七巡察组对市生态环境局党组开展了常规巡察", GUANGZHOU, resources)[0] == ("市委第七巡察组", "广州市委第七巡察组")


# --------------------------------------------------------------------------- figures


@pytest.mark.parametrize("text,value,unit,base", [
    ("已完成治气工程162个,其中VOCs项目完成62个", 162, "个", 162),
    ("空气质量优良率71.7%,较去年同期增加", 71.7, "%", 71.7),
    ("累计压降二氧化硫85.08吨、氮氧化物217.33吨", 85.08, "吨", 85.08),
    ("完成省政府下达的12万亩池塘标准化改造任务", 12, "万亩", 120000),
    ("累计淘汰2700辆国三及以下排放标准柴油货车", 2700, "辆", 2700),
    ("金额20万元(不含)以下项目", 20, "万元", 200000),
    ("开展两期2025年全市机动车执法培训班", 2, "期", 2),
])
def test_figures_with_units(text, value, unit, base):
    first = find_figures(text, [])[0]
    assert (first.value, first.unit, first.base_value) == (value, unit, base)


def test_what_was_counted():
    assert find_figures("累计压降二氧化硫85.08吨", [])[0].what == "二氧化硫"
    assert find_figures("已完成治气工程162个,", [])[0].what == "治气工程"
    assert find_figures("对9家环评公司进行约谈", [])[0].what == "环评公司"


@pytest.mark.parametrize("text", ["一是建立“三张清单”。二是压实责任。", "城阳区成功创建第四批省级示范区", "每半年开展一次", "编号0532-82862757"])
def test_not_figures(text):
    found = [f.text for f in find_figures(text, [])]
    assert not any(t.startswith(("一是", "三张", "四批", "0532", "8286")) for t in found)


def test_approximate_figures_are_flagged():
    assert find_figures("累计开展10余次", [])[0].approximate
    assert not find_figures("累计开展10次", [])[0].approximate


def test_huitong_as_together_with_is_not_the_county_of_that_name(resources):
    from analysis.extract.agencies import NoticeContext, find_agencies

    text = "一是市生态环境局会同县自然资源局开展联合检查。"
    ctx = NoticeContext("泰州市生态环境局", "city", "320000", "江苏省", "泰州市", None, "ecology_environment")
    canon = {a.mention: a.canonical for a in find_agencies(text, resources, ctx, [], None)}
    assert not any("会同县" in c for c in canon.values())
