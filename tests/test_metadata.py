"""Notice metadata with evidence: who inspected whom and when, signature, place, declared totals."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.ingest import ingest
from analysis.metadata import extract_metadata, find_signature, organisation_of
from analysis.parse import parse_structure

from .conftest import raw_notice


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
