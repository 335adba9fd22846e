"""Ingest: decoding, script conversion, width mapping and logged removal of page noise."""

from __future__ import annotations

import pytest
import yaml

from analysis.errors import NoticeError
from analysis.read.decode import decode, plausible_chinese
from analysis.read.ingest import detect_script, ingest, to_decoded_offset, to_half_width, to_simplified

from tests.conftest import ROOT, raw_notice


def removed_chars(notice) -> int:
    """Characters the removal log accounts for."""
    return sum(r.end - r.start for r in notice.removals if r.start is not None)


def test_guangzhou_is_entirely_simplified():
    notice = ingest("guangzhou-sthjj-2025", raw_notice("guangzhou-sthjj-2025"))
    assert notice.script == "traditional"
    assert not set("廣東關黨") & set(notice.text)
    assert "中共广州市生态环境局党组" in notice.text


def test_guangzhou_length_is_raw_length_minus_logged_removals():
    notice = ingest("guangzhou-sthjj-2025", raw_notice("guangzhou-sthjj-2025"))
    raw_text = raw_notice("guangzhou-sthjj-2025").decode("utf-8")
    assert len(notice.text) == len(raw_text) - removed_chars(notice)


@pytest.mark.parametrize("notice_id", ["qingdao-sthjj-2024", "guangzhou-sthjj-2025", "zibo-sthjj-2025",
                                       "binzhou-boxing-sthjfj-2023", "taizhou-js-sthjj-2025"])
def test_every_removal_is_logged(notice_id):
    notice = ingest(notice_id, raw_notice(notice_id))
    rebuilt, pos = [], 0
    for r in notice.removals:
        rebuilt.append(notice.decoded[pos:r.start])
        assert notice.decoded[r.start:r.end] == r.text
        pos = r.end
    rebuilt.append(notice.decoded[pos:])
    assert len("".join(rebuilt)) == len(notice.text)


def test_traditional_conversion_keeps_offsets():
    text, changed = to_simplified("美麗廣州根據市委統一部署")
    assert text == "美丽广州根据市委统一部署"
    assert len(text) == 12 and changed == 4  # 麗 廣 據 統


def test_qingdao_repost_date_and_trailer_are_removed_and_logged():
    notice = ingest("qingdao-sthjj-2024", raw_notice("qingdao-sthjj-2024"))
    assert "2025年07月06日 星期日" not in notice.text
    assert "文章内容来自网络" not in notice.text
    rules = {r.rule: r.text for r in notice.removals}
    assert rules["page_date_line"].startswith("2025年07月06日 星期日")
    assert "文章内容来自网络,如有侵权,联系删除" in rules["repost_trailer"]
    assert notice.page.page_date == "2025-07-06"


def test_qingdao_signature_block_is_kept():
    notice = ingest("qingdao-sthjj-2024", raw_notice("qingdao-sthjj-2024"))
    assert "中共青岛市生态环境局党组" in notice.text and "2024年4月19日" in notice.text


def test_guangzhou_navigation_and_glued_crumb_are_removed():
    notice = ingest("guangzhou-sthjj-2025", raw_notice("guangzhou-sthjj-2025"))
    assert notice.text.startswith("根据市委统一部署,2024年3月29日至6月21日")
    logged = [(r.rule, r.text.strip()) for r in notice.removals]
    for crumb in ("公眾號", "微博", "粵商通", "機器人", "美麗廣州"):  # the log keeps the text as it was in the file
        assert ("navigation", crumb) in logged
    assert ("glued_navigation", "美麗廣州") in logged


def test_guangzhou_placeholder_question_marks_are_removed():
    notice = ingest("guangzhou-sthjj-2025", raw_notice("guangzhou-sthjj-2025"))
    assert "?" not in notice.text
    assert "三是强化组织领导" in notice.text and "一是建立“三张清单”" in notice.text
    assert sum(r.rule == "placeholder_question_mark" for r in notice.removals) == 5


def test_zibo_page_chrome_is_removed():
    notice = ingest("zibo-sthjj-2025", raw_notice("zibo-sthjj-2025"))
    assert "|" not in notice.text
    assert "打印本页" not in notice.text and "关闭窗口" not in notice.text
    assert notice.text.startswith("关于第一轮中央生态环境保护督察第一项整改任务的整改情况公示\n根据")
    assert {r.rule for r in notice.removals} == {"table_pipes", "page_links"}


def test_taizhou_page_header_is_removed_but_its_publish_time_kept():
    notice = ingest("taizhou-js-sthjj-2025", raw_notice("taizhou-js-sthjj-2025"))
    assert notice.text.startswith("根据市委统一部署,市委第六巡察组")
    assert notice.page.page_published == "2025-09-24 18:41"
    assert notice.page.page_source == "市生态环境局"


@pytest.mark.parametrize("notice_id", ["qingdao-sthjj-2024", "guangzhou-sthjj-2025", "zibo-sthjj-2025",
                                       "binzhou-boxing-sthjfj-2023", "taizhou-js-sthjj-2025"])
def test_every_numbered_problem_heading_survives(notice_id):
    notice = ingest(notice_id, raw_notice(notice_id))
    annotation = yaml.safe_load((ROOT / "data" / "annotations" / f"{notice_id}.yml").read_text(encoding="utf-8"))
    for problem in annotation["problems"]:
        assert problem["title"] in notice.text, problem["label"]


@pytest.mark.parametrize("encoding,bom", [("gb18030", b""), ("utf-8", b"\xef\xbb\xbf")])
def test_reencoded_seed_gives_the_same_text(encoding, bom):
    original = ingest("taizhou-js-sthjj-2025", raw_notice("taizhou-js-sthjj-2025"))
    data = bom + raw_notice("taizhou-js-sthjj-2025").decode("utf-8").encode(encoding)
    again = ingest("taizhou-js-sthjj-2025", data)
    assert again.text == original.text
    assert again.encoding == ("gb18030" if encoding == "gb18030" else "utf-8-sig")


def test_traditional_seed_in_gb18030_gives_the_same_text():
    original = ingest("guangzhou-sthjj-2025", raw_notice("guangzhou-sthjj-2025"))
    again = ingest("guangzhou-sthjj-2025", raw_notice("guangzhou-sthjj-2025").decode("utf-8").encode("gb18030"))
    assert again.text == original.text


def test_crlf_line_ends_are_logged():
    body = "根据市委统一部署,市委第一巡察组对某局党组开展了巡察。\r\n一、整改情况\r\n(一)关于某问题。一是加强管理。\r\n"
    notice = ingest("x", body.encode("utf-8"))
    assert "\r" not in notice.text
    assert sum(r.rule == "carriage_return" for r in notice.removals) == 3


def test_full_width_forms_map_one_to_one():
    assert to_half_width("（一）关于，问题：１２３") == "(一)关于,问题:123"
    assert len(to_half_width("（一）　")) == 4


def test_genuine_question_mark_inside_a_sentence_is_kept():
    body = "根据市委统一部署,市委第一巡察组对某局党组开展了巡察。问题在哪里?一是查找原因。二是落实整改。"
    notice = ingest("x", body.encode("utf-8"))
    assert "在哪里?一是" in notice.text


def test_offsets_map_back_to_the_decoded_text():
    notice = ingest("guangzhou-sthjj-2025", raw_notice("guangzhou-sthjj-2025"))
    pos = notice.text.index("市委第七巡察组")
    raw_pos = to_decoded_offset(notice.removals, pos)
    assert notice.decoded[raw_pos:raw_pos + 7] == "市委第七巡察組"


def test_html_page_is_reduced_to_its_article_text():
    html = ("<html><head><meta charset='utf-8'><title>页面</title><script>var x=1;</script><style>p{}</style></head>"
            "<body><nav>首页 &gt; 通知公告</nav><div class='breadcrumb'>当前位置</div><div class='content'>"
            "<p>根据市委统一部署,市委第一巡察组对某局党组开展了巡察。</p><p>一、整改情况</p>"
            "<p>(一)关于某某问题。一是加强管理。</p></div><div id='footer'>版权所有</div></body></html>")
    notice = ingest("x", html.encode("utf-8"), ".html")
    assert notice.is_html and notice.encoding == "html:utf-8"
    assert notice.text.splitlines()[:2] == ["根据市委统一部署,市委第一巡察组对某局党组开展了巡察。", "一、整改情况"]
    rules = {r.rule for r in notice.removals}
    assert {"html_head", "html_nav", "html_page_chrome"} <= rules
    assert "var x" not in notice.text and "版权所有" not in notice.text


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"),
    (b"   \n\n  ", "empty"),
    (bytes(range(256)) * 4, "binary"),
    (b"\x81\x30\xff\xfe\xfd" * 50, "undecodable"),
])
def test_unreadable_input_raises_with_a_reason(data, reason):
    with pytest.raises(NoticeError) as err:
        ingest("x", data)
    assert err.value.reason == reason


def test_oversized_file_is_refused_with_the_limit_in_the_message():
    with pytest.raises(NoticeError) as err:
        ingest("x", "根据".encode("utf-8") * 1000, max_bytes=100)
    assert err.value.reason == "too_large" and "--max-bytes" in err.value.message


def test_gb18030_is_detected_for_gbk_bytes():
    text, encoding = decode("关于整改情况的通报".encode("gbk"))
    assert (text, encoding) == ("关于整改情况的通报", "gb18030")


def test_simplified_text_is_not_converted():
    text = "中共青岛市生态环境局党组关于巡察整改进展情况的通报"
    assert detect_script(text) == ("simplified", text, 0)


def test_traditional_text_is_detected_and_converted():
    assert detect_script("中共廣州市生態環境局黨組") == ("traditional", "中共广州市生态环境局党组", 5)


# --------------------------------------------------------------------------- page lines and document heads (written for
# these tests, after the shapes of real pages: nothing below is copied from a notice)


def test_page_lines_are_removed_and_their_values_kept():
    raw = ("首页 > 信息公开 > 巡察整改\n"
           "某县教育局党组关于巡察整改进展情况的通报\n"
           "发布时间:2025-03-02 09:15 信息来源:某县教育局 浏览次数: 字号:[大][中][小]\n"
           "根据县委统一部署,县委第二巡察组对县教育局党组开展了常规巡察,现将整改情况公布如下。\n")
    notice = ingest("x", raw.encode())
    assert notice.text.startswith("某县教育局党组关于巡察整改进展情况的通报\n根据县委统一部署")
    assert (notice.page.page_published, notice.page.page_source) == ("2025-03-02 09:15", "某县教育局")
    assert [r.rule for r in notice.removals] == ["navigation", "page_meta"]


def test_page_table_with_pipes_and_letter_spaced_labels_is_read():
    raw = ("索 引 号: | 0001/2024-0012 | 成文日期: | 2024-06-30 |\n"
           "发布机构: | 某市审计局 | ||\n"
           "关于2023年度市级预算执行和其他财政收支的审计工作报告\n"
           "根据审计法的规定,市审计局对2023年度市级预算执行情况进行了审计。\n")
    page = ingest("x", raw.encode()).page
    assert (page.page_written, page.page_publisher) == ("2024-06-30", "某市审计局")


def test_key_on_one_line_and_value_on_the_next():
    raw = ("• 发布机构:\n\n    某区文旅局\n\n• 成文日期:\n\n    2023-05-04\n"
           "根据区委统一部署,区委第一巡察组对区文旅局党组进行了巡察。现将巡察整改情况予以公布。\n")
    page = ingest("x", raw.encode()).page
    assert (page.page_publisher, page.page_written) == ("某区文旅局", "2023-05-04")


def test_a_sentence_that_starts_with_a_key_word_is_not_a_page_line():
    raw = "根据市委部署开展了巡察整改。\n资金来源:区财政统筹安排,已全部拨付到位,用于整改项目建设。\n"
    assert "资金来源" in ingest("x", raw.encode()).text


def test_speech_dateline_and_speaker_line_stay_in_the_text():
    raw = ("关于2023年度县级预算执行审计查出问题\n整改情况的报告\n"
           "——2024年12月20日在县第十八届人民代表大会常务委员会第十五次会议上\n"
           "县审计局局长 王某某\n"
           "主任、各位副主任、各位委员:\n受县人民政府委托,我向本次会议报告审计查出问题的整改情况,请予审议。\n")
    text = ingest("x", raw.encode()).text
    assert "县审计局局长 王某某" in text and "——2024年12月20日在" in text
    assert text.startswith("关于2023年度县级预算执行审计查出问题\n整改情况的报告")


def test_a_date_under_the_speaker_is_the_documents_date_not_page_noise():
    raw = "某区审计局局长 李某\n2023年9月28日\n主任、各位副主任、各位委员:\n受区人民政府委托,报告审计情况。\n"
    notice = ingest("x", raw.encode())
    assert "2023年9月28日" in notice.text and notice.page.page_date is None


def test_a_time_stamp_under_the_headline_is_the_publish_time_and_a_weekday_line_a_page_date():
    stamped = ingest("x", "某局巡察整改情况公示\n2025-04-29 10:20\n根据市委统一部署,市委巡察组开展了巡察。\n".encode()).page
    widget = ingest("x", "2025年07月06日 星期日\n某局巡察整改情况公示\n根据市委统一部署,市委巡察组开展了巡察。\n".encode()).page
    assert (stamped.page_published, stamped.page_date) == ("2025-04-29 10:20", None)
    assert (widget.page_published, widget.page_date) == (None, "2025-07-06")


def test_a_date_printed_beside_the_headline_is_removed_and_kept():
    notice = ingest("x", "中共某区民政局党组关于巡察整改进展情况的通报 2026-02-13\n根据区委统一部署,区委巡察组开展了巡察。\n".encode())
    assert notice.text.startswith("中共某区民政局党组关于巡察整改进展情况的通报\n")
    assert notice.page.page_published == "2026-02-13"


def test_numbered_breadcrumb_is_not_the_start_of_the_text():
    raw = "1. 首页\n2. > 政务公开 >\n某县贯彻落实督察反馈意见整改方案\n为推进督察反馈问题整改,结合实际,制定本方案。\n"
    assert ingest("x", raw.encode()).text.startswith("某县贯彻落实督察反馈意见整改方案")


def test_short_headline_is_not_navigation():
    raw = "新闻中心\n严格督察要求 落实问题整改\n省委环保督察组来我县检查,县环保局积极配合,对发现的问题立行立改。\n"
    text = ingest("x", raw.encode()).text
    assert "严格督察要求 落实问题整改" in text and "新闻中心" not in text


def test_pinyin_glosses_are_removed_and_logged():
    notice = ingest("x", "根據(jù)中央統(tǒng)一部署,中央巡視組開展了巡視,現將整改情況予以公布。".encode())
    assert notice.text == "根据中央统一部署,中央巡视组开展了巡视,现将整改情况予以公布。"
    assert [r.text for r in notice.removals if r.rule == "pinyin_gloss"] == ["(jù)", "(tǒng)"]


def test_parentheses_that_are_not_pinyin_stay():
    text = ingest("x", "根据市委统一部署,对某局(以下简称局)开展了巡察(a)。整改情况如下。".encode()).text
    assert "(以下简称局)" in text and "(a)" in text


def test_table_cells_above_the_text_are_kept_without_their_pipes():
    raw = "群众信访举报转办情况(编号:001)\n序号 |\n受理编号 |\n行政区域 |\n1 |\n某县某镇养殖场污水外排,督察组交办后已整改。\n"
    text = ingest("x", raw.encode()).text
    assert "序号\n受理编号\n行政区域" in text and "|" not in text


def test_body_line_rules_look_only_at_lines_with_a_pipe_link_or_trailer():
    from analysis.read.ingest import lines_to_check
    from analysis.read.text import iter_lines

    text = "正文第一行\n表头 | 数值\n【打印本页】\n正文末行\n转载请注明\n来源:某网站"
    lines = list(iter_lines(text))
    assert lines_to_check(text, lines, 3) == [1, 2, 4, 5]


def test_plausible_chinese_counts_cjk_among_the_non_ascii_characters():
    assert plausible_chinese("abc 123")  # no non-ASCII character at all
    assert plausible_chinese("关于整改“情况”的通报,①")  # Han, curly quotes and circled numbers are CJK-like
    assert not plausible_chinese("ÃÂ©Ã¨Â¿ÂÃ¥Â")  # mojibake: Latin-1 letters only
    assert plausible_chinese("关于整改" + "é" * 2) and not plausible_chinese("关于" + "é" * 2)  # 4 of 6, 2 of 4 (0.6 needed)


def test_zero_width_characters_are_removed_and_logged():
    notice = ingest("t", "中共某市生态环境局党组关于巡察\u200b整改进展\ufeff情况的通报。根据市委巡察工作统一部署,现将整改情况予以公布。".encode())
    assert "\u200b" not in notice.text and "\ufeff" not in notice.text
    assert [r.rule for r in notice.removals].count("zero_width") == 2


def test_a_line_loses_the_pipes_it_ends_with_and_is_kept_whole_without_any():
    from analysis.read.page import without_trailing_pipes

    assert without_trailing_pipes("序号 | 问题 |  ") == "序号 | 问题"
    assert without_trailing_pipes("序号 | 问题") == "序号 | 问题"
    assert without_trailing_pipes("没有竖线的一行  ") == "没有竖线的一行  "
