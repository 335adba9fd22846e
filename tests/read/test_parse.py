"""Parse: problems, measures, next steps and status — on the seeds and on variants that follow 公文 conventions."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.errors import NoticeError
from analysis.read.ingest import ingest
from analysis.read.metadata import extract_metadata
from analysis.read.parse import parse_structure
from analysis.read.structure import status_of

from tests.conftest import ROOT, raw_notice


def parse_seed(notice_id: str):
    """Parse one shipped notice."""
    return parse_structure(ingest(notice_id, raw_notice(notice_id)).text)


def parse_text(text: str, resources):
    """Ingest, parse and read the metadata of a literal notice."""
    notice = ingest("variant", text.encode("utf-8"))
    parsed = parse_structure(notice.text)
    return parsed, extract_metadata(notice.text, parsed, notice.page, resources.gazetteer)


def test_binzhou_has_ten_headings_and_twenty_items():
    parsed = parse_seed("binzhou-boxing-sthjfj-2023")
    assert len(parsed.problems) == 20
    assert len({p.category_path for p in parsed.problems}) == 10
    assert [p.label for p in parsed.problems] == [f"{i}." for i in range(1, 21)]


def test_binzhou_statuses_are_nineteen_completed_and_one_long_term():
    statuses = [p.status for p in parse_seed("binzhou-boxing-sthjfj-2023").problems]
    assert statuses.count("completed") == 19 and statuses.count("long_term") == 1
    assert statuses[10] == "long_term"  # 11.针对博兴县水环境质量2021年度考核排名下滑问题


def test_binzhou_status_sentence_is_not_a_measure():
    first = parse_seed("binzhou-boxing-sthjfj-2023").problems[0]
    assert len(first.measures) == 1
    assert first.status_source == "item"


def test_taizhou_problems_are_the_items_under_the_two_status_groups():
    problems = parse_seed("taizhou-js-sthjj-2025").problems
    assert len(problems) == 48
    assert [p.status for p in problems] == ["completed"] * 16 + ["in_progress"] * 32
    assert {p.status_source for p in problems} == {"group"}


def test_taizhou_next_steps_are_planned_not_measures():
    problems = parse_seed("taizhou-js-sthjj-2025").problems
    green = problems[16]  # (二)1.关于“贯彻绿色低碳发展要求不够有力…”: 一是…四是, then 下一步,将继续推进实施减排工程
    assert (len(green.done), len(green.planned)) == (4, 1)
    beauty = problems[18]  # (二)3.: 一是…六是, then 下一步,一是…二是…三是…
    assert (len(beauty.done), len(beauty.planned)) == (6, 3)
    petitions = problems[20]  # (二)5.: no 下一步
    assert (len(petitions.done), len(petitions.planned)) == (2, 0)
    assert sum(len(p.planned) for p in problems) == 37


def test_measure_numbers_may_skip():
    finance = parse_seed("taizhou-js-sthjj-2025").problems[33]  # (二)18.: 一是 二是 三是 五是
    assert [m.number for m in finance.done] == [1, 2, 3, 5]


def test_qingdao_sub_problems_are_the_problems():
    parsed = parse_seed("qingdao-sthjj-2024")
    assert len(parsed.problems) == 19
    assert parsed.problems[0].group == "关于推进优化营商环境工作不够有力问题"
    assert parsed.problems[4].title == "关于营造良好环保服务市场氛围还有差距问题" and parsed.problems[4].group is None
    assert {p.status for p in parsed.problems} == {"unknown"}


def test_overview_and_plans_are_not_problems():
    parsed = parse_seed("qingdao-sthjj-2024")
    roles = {n.heading(parsed.text): n.role for n in parsed.outline.roots}
    assert roles == {"整改工作基本情况": "overview", "重点整改问题清单所列问题整改落实情况": "problems", "今后整改工作打算": "plans"}


def test_guangzhou_task_items_are_problems_with_unknown_status():
    problems = parse_seed("guangzhou-sthjj-2025").problems
    assert len(problems) == 18
    assert problems[0].title == "不断增强学以致用、争先创优意识"
    assert problems[0].category == "关于履行生态文明建设的政治责任方面"
    assert {p.status for p in problems} == {"unknown"}


def test_zibo_single_task_has_six_measures_with_progress():
    parsed = parse_seed("zibo-sthjj-2025")
    assert parsed.layout == "single_task"
    (problem,) = parsed.problems
    assert problem.status == "completed" and problem.status_source == "document"
    assert [m.label for m in problem.measures] == ["(一)", "(二)", "(三)", "(四)", "(五)", "(六)"]
    text = parsed.text
    assert all(m.progress_start is not None for m in problem.measures)
    assert text[problem.measures[1].progress_start:].startswith("(二)严明工作责任。严格落实“党政同责”")


@pytest.mark.parametrize("phrase,status", [("已整改完成", "completed"), ("已取得阶段性成效需长期坚持整改", "long_term"),
                                           ("按计划持续推进的整改事项", "in_progress"), ("集中整改期内已整改完成的整改事项", "completed"),
                                           ("加强组织领导", None)])
def test_status_words(phrase, status):
    assert status_of(phrase) == status


FULL_WIDTH = """中共某市自然资源局党组关于巡察整改情况的通报
根据市委统一部署，2023年4月10日至6月10日，市委第三巡察组对市自然资源局党组开展了常规巡察。8月15日，市委巡察组反馈了巡察意见。
一、整改落实情况
（一）关于耕地保护责任落实不到位问题
整改情况：已整改完成。（1）组织开展耕地保护专项检查3次。（2）修订耕地保护考核办法。
（二）关于违法用地查处不及时问题
整改情况：（1）建立违法用地动态巡查机制。（2）立案查处违法用地12宗。（3）约谈相关镇街负责人。
二、下一步工作打算
（一）持续巩固整改成果。
中共某市自然资源局党组
2023年10月8日
"""


def test_full_width_markers_and_bracketed_measure_numbers(resources):
    parsed, _ = parse_text(FULL_WIDTH, resources)
    assert [p.title for p in parsed.problems] == ["关于耕地保护责任落实不到位问题", "关于违法用地查处不及时问题"]
    assert [len(p.done) for p in parsed.problems] == [2, 3]
    assert [p.status for p in parsed.problems] == ["completed", "unknown"]


PAREN_PROBLEMS = """根据省委统一部署,2023年4月10日至6月10日,省委第三巡视组对省生态环境厅党组开展了常规巡视。8月15日,省委巡视组向省生态环境厅党组反馈了巡视意见。
一、整改工作开展情况
厅党组高度重视。
二、反馈问题整改情况
(1)关于落实河长制不到位的问题
整改进展:已完成整改。一是召开专题会议。二是印发《河湖长制工作要点》。
(2)关于监测数据质量不高的问题
整改进展:正在整改。一是开展数据质量核查。
中共某省生态环境厅党组
2023年11月20日
"""


def test_bracketed_arabic_problem_numbers(resources):
    parsed, _ = parse_text(PAREN_PROBLEMS, resources)
    assert [(p.label, p.status, len(p.done)) for p in parsed.problems] == [("(1)", "completed", 2), ("(2)", "in_progress", 1)]


def test_xunshi_notice_metadata(resources):
    _, meta = parse_text(PAREN_PROBLEMS, resources)
    v = meta.values
    assert (v["genre"], v["inspecting_body"], v["inspection_kind"], v["inspection_level"]) == (
        "party_inspection", "省委第三巡视组", ["常规"], "provincial")
    assert str(v["feedback_date"]) == "2023-08-15" and v["feedback_year_inferred"] is True
    assert str(v["signature_date"]) == "2023-11-20"


COUNTY = """根据市委统一部署,2023年5月8日至6月30日,市委第二巡察组对徐州市生态环境局沛县分局党组开展了巡察。9月1日,市委第二巡察组反馈了巡察意见。
一、整改落实情况
1.关于执法检查流于形式问题
一是开展执法人员培训。二是修订执法检查工作规程。
2.关于环保专项资金监管不严问题
加强资金拨付审核。
中共徐州市生态环境局沛县分局党组
2023年12月1日
"""


def test_county_bureau_resolves_to_its_county(resources):
    parsed, meta = parse_text(COUNTY, resources)
    v = meta.values
    assert (v["province"], v["city"], v["county"], v["county_code"], v["admin_level"]) == ("江苏省", "徐州市", "沛县", "320322", "county")
    assert [len(p.done) for p in parsed.problems] == [2, 1]


def test_notice_without_status_words_is_unknown_not_undone(resources):
    parsed, _ = parse_text(COUNTY, resources)
    assert {p.status for p in parsed.problems} == {"unknown"}
    assert {p.status_source for p in parsed.problems} == {"none"}


ONE_PARAGRAPH = ("根据市委统一部署,2023年3月1日至4月30日,市委第五巡察组对市水务局党组开展了专项巡察。6月2日,市委巡察组反馈了巡察意见。"
                 "现将整改情况公布如下。 一、整改落实情况 1.关于供水管网漏损率偏高问题。整改情况:已整改完成。一是更换老旧管网12公里。"
                 "二是建立漏损监测平台。 2.关于工程项目验收不规范问题。整改情况:已取得阶段性成效需长期坚持整改。一是修订验收办法。"
                 " 二、下一步工作打算 持续巩固整改成果。\n中共某市水务局党组\n2023年9月5日\n")


def test_one_paragraph_notice(resources):
    parsed, meta = parse_text(ONE_PARAGRAPH, resources)
    assert parsed.outline.packed
    assert [(p.title, p.status, len(p.done)) for p in parsed.problems] == [
        ("关于供水管网漏损率偏高问题", "completed", 2), ("关于工程项目验收不规范问题", "long_term", 1)]
    assert meta.values["inspection_kind"] == ["专项"]


# Notices without a numbered outline, and single-task notices: written for these tests after shapes seen on real
# pages (no sentence is copied from a notice).

PROSE_NOTICE = ("根据县委统一部署,县委巡察组对某镇党委开展了巡察。现将整改情况公布如下:"
                "一是召开专题会议,逐条研究反馈意见;二是修订财务管理制度3项;三是清退违规补贴1.2万元。下一步,将持续巩固整改成果。")


def test_prose_notice_without_outline_is_read_not_refused(resources):
    parsed, meta = parse_text(PROSE_NOTICE, resources)
    assert (parsed.layout, parsed.problems) == ("enumerated", [])
    assert "no_outline" in parsed.warnings and "no_problems_stated" in parsed.warnings
    assert parsed.loose_measures == []  # 一是… outside any problem describe the work overall: measures belong to problems
    assert meta.values["genre"] == "party_inspection" and meta.values["inspected_body"] == "某镇党委"


def test_one_paragraph_without_numbering_is_a_paragraph_layout(resources):
    parsed, _ = parse_text("根据市委部署,市委巡察组对某局开展了巡察。我局高度重视,逐项整改,目前反馈问题均已整改完成。", resources)
    assert parsed.layout == "paragraph" and parsed.loose_measures == []


def test_text_that_names_no_rectification_is_not_a_notice():
    notice = ingest("x", "本店新到一批春季服装,款式新颖,价格实惠,欢迎广大顾客前来选购,数量有限,售完即止。".encode())
    with pytest.raises(NoticeError) as err:
        parse_structure(notice.text)
    assert (err.value.reason, err.value.stage) == ("not_a_notice", "parse")


def test_single_task_announced_in_prose_has_one_problem_with_its_status(resources):
    text = ("按照督察整改工作有关要求,现将某区督察反馈问题第5项关于“河道沿线存在生活垃圾堆放问题”整改任务落实情况进行公示。"
            "一是清理河道垃圾;二是建立日常巡查机制。经现场核查,该问题已完成整改,达到销号标准。")
    parsed, _ = parse_text(text, resources)
    assert parsed.layout == "single_task"
    [problem] = parsed.problems
    assert problem.title == "河道沿线存在生活垃圾堆放问题"
    assert (problem.status, len(problem.done)) == ("completed", 2)


def test_single_task_whose_first_heading_runs_into_the_task(resources):
    text = ("某县人民政府关于第3号整改任务的验收销号意见\n"
            "一、整改任务秸秆焚烧管控不到位,网格化监管落实不够。\n二、整改目标全面杜绝秸秆焚烧。\n"
            "三、完成情况:一是加密巡查;二是推进综合利用。\n四、验收意见已完成整改,同意销号。\n")
    parsed, _ = parse_text(text, resources)
    assert parsed.layout == "single_task"
    [problem] = parsed.problems
    assert problem.title == "秸秆焚烧管控不到位,网格化监管落实不够"
    assert problem.status == "completed" and len(problem.done) == 2


def test_single_task_with_labelled_lines_and_numbered_measures(resources):
    text = ("关于某区督察反馈问题整改任务(序号三)整改情况的公示\n"
            "现对督察反馈问题(序号三)整改完成情况进行公示。\n"
            "整改任务:部分乡镇对整改工作重视不够,推进缓慢。\n整改目标:压实责任。\n整改完成情况:\n"
            "1、定期召开推进会议。\n2、每月调度,跟踪督办。\n特此公示!\n")
    parsed, _ = parse_text(text, resources)
    assert parsed.layout == "single_task"
    [problem] = parsed.problems
    assert problem.title == "部分乡镇对整改工作重视不够,推进缓慢"
    assert [m.label for m in problem.done] == ["1、", "2、"]


def test_table_of_one_cell_per_line_is_a_table_layout(resources):
    text = ("群众信访举报转办情况\n序号\n受理编号\n行政区域\n交办问题基本情况\n处理和整改情况\n"
            "1\nX0001\n某县\n某养殖场污水直排,周边村民反映强烈。\n已责令停产整改,督察组交办问题已办结。\n")
    parsed, _ = parse_text(text, resources)
    assert parsed.layout == "table"


def test_overview_sub_headings_are_never_problems(resources):
    text = ("根据县委统一部署,县委巡察组对某局党组开展了巡察。现将巡察整改进展情况予以公布。\n"
            "一、健全组织领导,抓紧抓实问题整改\n(一)强化组织核心。局党组召开专题会议。\n(二)强化跟踪指导。成立工作专班。\n"
            "二、巡察反馈问题的整改情况\n(一)关于落实主体责任方面\n1.关于理论学习不深入的问题。整改情况:已整改完成。一是制定学习计划;二是开展专题研讨。\n")
    parsed, _ = parse_text(text, resources)
    assert [p.title for p in parsed.problems] == ["关于理论学习不深入的问题"]
    assert parsed.section_roles["1"] == "overview" and parsed.section_roles["1.1"] == "overview_item"


def test_a_plan_numbered_by_task_is_enumerated(resources):
    text = ("为落实督察反馈意见,特制定本整改方案。\n一、总体要求\n(一)指导思想。坚持问题导向。\n"
            "二、主要任务\n一是推进大气污染治理;二是加强水环境保护。\n")
    parsed, _ = parse_text(text, resources)
    assert parsed.layout == "enumerated"


def test_annotations_cover_every_seed():
    assert sorted(p.stem for p in (ROOT / "data" / "annotations").glob("*.yml")) == sorted(
        p.stem for p in (ROOT / "data" / "raw" / "notices").glob("*.txt"))


def test_parse_is_pure(tmp_path: Path):
    text = ingest("taizhou-js-sthjj-2025", raw_notice("taizhou-js-sthjj-2025")).text
    first, second = parse_structure(text), parse_structure(text)
    assert [(p.path, p.status, len(p.measures)) for p in first.problems] == [(p.path, p.status, len(p.measures)) for p in second.problems]


def test_a_trailing_status_line_is_the_status_not_a_measure(resources):
    text = ("二、整改落实情况\n1.关于制度执行不严格的问题。\n一是修订管理办法;二是开展专项检查。\n整改状态:已完成\n"
            "2.关于台账管理不规范的问题。\n建立统一台账。\n整改状态:持续推进\n")
    parsed, _ = parse_text("根据市委部署,市委巡察组对某局开展了巡察。\n" + text, resources)
    assert [(p.status, len(p.done)) for p in parsed.problems] == [("completed", 2), ("in_progress", 1)]
    assert all("整改状态" not in parsed.text[m.start:m.end] for p in parsed.problems for m in p.measures)


def test_a_sub_heading_opening_with_guanyu_is_a_sub_problem_not_a_measure():
    text = "一、反馈问题整改情况\n1.关于“内部管理不够规范”问题的整改\n(1)关于用印登记。已建立用印登记簿,逐次登记。\n"
    parsed = parse_structure(text)
    assert [p.title for p in parsed.problems] == ["关于用印登记"]
    assert parsed.problems[0].group == "关于“内部管理不够规范”问题的整改"


def test_a_sub_heading_with_its_own_rectification_label_is_a_sub_problem():
    text = ("一、巡察整改任务落实情况\n(一)关于执行财经纪律方面的问题\n1.差旅审批把关不严\n"
            "整改情况:修订差旅管理办法,报销前逐单复核。\n2.合同归档滞后\n整改情况:已集中补归档。\n")
    parsed = parse_structure(text)
    assert [p.title for p in parsed.problems] == ["差旅审批把关不严", "合同归档滞后"]
    assert [text[m.start:m.end] for m in parsed.problems[0].measures] == ["修订差旅管理办法,报销前逐单复核。"]


def test_an_organising_section_without_a_top_level_is_no_problem():
    text = ("(一)党委书记推动整改工作情况\n1.带头认领问题,亲自督办整改。\n"
            "(二)关于会议室超标准装修的问题\n整改情况:已拆除超标部分。\n")
    assert [p.title for p in parse_structure(text).problems] == ["关于会议室超标准装修的问题"]


def test_a_statement_section_may_name_the_inspection_before_its_finding():
    text = "一、第三轮省生态环境保护督察反馈问题\n某河道两岸堆放砂石问题。\n二、整改措施\n(一)清运全部砂石。\n(二)沿岸设立界桩。\n"
    parsed = parse_structure(text)
    assert parsed.layout == "single_task" and len(parsed.problems[0].measures) == 2


def test_a_task_announced_by_its_number_takes_the_items_of_its_measures_section():
    text = ("现对督察反馈问题(问题编号十二)“城郊排污口长期未封堵问题”整改完成情况进行公示。\n"
            "一、整改时限:2020年底前。\n二、整改措施:\n1、封堵排污口。\n2、加装在线监控。\n")
    (problem,) = parse_structure(text).problems
    assert problem.title == "城郊排污口长期未封堵问题"
    assert [text[m.start:m.end] for m in problem.measures] == ["1、封堵排污口。", "2、加装在线监控。"]


def test_a_section_of_measures_and_their_results_numbers_its_measures():
    text = ("一、反馈问题\n城区两条水沟雨后发黑发臭。\n二、整改措施及完成情况\n1、清掏沟底淤泥。\n已清淤约300立方米。\n"
            "2、封堵沿街混接管道。\n三、整改目标\n水沟不再发黑。\n")
    (problem,) = parse_structure(text).problems
    assert [text[m.start:m.end] for m in problem.measures] == ["1、清掏沟底淤泥。\n已清淤约300立方米。", "2、封堵沿街混接管道。"]


def test_a_labelled_measures_field_without_an_outline_gives_one_measure_per_numbered_item():
    text = ("现将督察反馈问题整改任务(序号五)销号情况公示如下。\n整改问题:林场内一处猪圈未批先建。\n"
            "整改措施:1、拆除猪圈;2、恢复植被。\n整改完成情况:1、已拆除;2、已补植。\n")
    (problem,) = parse_structure(text).problems
    assert problem.title == "林场内一处猪圈未批先建"
    assert [text[m.start:m.end] for m in problem.measures] == ["1、拆除猪圈;", "2、恢复植被。"]


def test_a_measures_label_heading_below_the_top_level_gives_its_items():
    text = ("现将督察反馈意见整改任务(序号九)验收情况公示如下。\n一、整改任务\n1、整改问题:堆场苫盖不全,起风扬尘。\n"
            "2、整改时限:2024年6月\n3、整改措施:\n①加装防尘网。\n②配备洒水车。\n")
    (problem,) = parse_structure(text).problems
    assert [text[m.start:m.end] for m in problem.measures] == ["①加装防尘网。", "②配备洒水车。"]


def test_numbered_items_after_a_measures_label_are_measures_not_problems():
    text = ("一、督察组反馈问题情况\n某林场毁林种植面积较大。\n整改措施:\n1.制定还林计划。\n2.逐块签订管护责任书。\n"
            "整改完成情况:\n已全部还林。\n二、公示时间\n2020年1月2日至1月8日。\n")
    (problem,) = parse_structure(text).problems
    assert [text[m.start:m.end] for m in problem.measures] == ["1.制定还林计划。", "2.逐块签订管护责任书。"]


def test_a_claim_judged_untrue_is_not_a_problem():
    text = "督察交办信访件办理情况\n(一)反映某厂夜间偷排废水问题,不属实\n经连续三晚蹲守,未见外排。\n(二)反映某厂噪声扰民问题,属实\n已加装隔音墙。\n"
    assert [p.title for p in parse_structure(text).problems] == ["反映某厂噪声扰民问题,属实"]


def test_lines_under_a_work_and_effect_label_of_a_pasted_form_are_one_tasks_measures():
    text = ("督察交办问题整改销号表\n反馈问题\n某镇河道两岸堆放生活垃圾。\n整改主要工作及成效\n"
            "1.组织清运河岸垃圾。\n2.增设垃圾收集点三处。\n")
    parsed = parse_structure(text)
    (problem,) = parsed.problems
    assert parsed.layout == "single_task"
    assert problem.title == "某镇河道两岸堆放生活垃圾"
    assert [text[m.start:m.end] for m in problem.measures] == ["1.组织清运河岸垃圾。", "2.增设垃圾收集点三处。"]


def test_a_pasted_forms_action_wrapped_over_two_lines_is_one_measure():
    text = "督察整改销号表\n整改主要工作及成效\n1.制定巡河方案,落实镇村两级\n巡查责任。\n2.安装监控探头。\n"
    (problem,) = parse_structure(text).problems
    assert text[problem.measures[0].start:problem.measures[0].end] == "1.制定巡河方案,落实镇村两级\n巡查责任。"


def test_a_pasted_forms_last_action_stops_before_its_effect_line():
    text = "督察整改销号表\n整改主要工作及成效\n1.拆除违建棚屋。\n2.复绿空地。\n成效:该问题已完成整改。\n"
    (problem,) = parse_structure(text).problems
    assert text[problem.measures[-1].start:problem.measures[-1].end] == "2.复绿空地。"


def test_items_stating_problems_under_a_measures_label_stay_problems():
    text = "巡察整改情况\n整改措施\n1.关于会议记录不全的问题\n已补齐记录。\n2.关于台账缺失的问题\n已建立台账。\n"
    assert [p.title for p in parse_structure(text).problems] == ["关于会议记录不全的问题", "关于台账缺失的问题"]
