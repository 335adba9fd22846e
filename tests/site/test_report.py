"""The notebook runner's pure parts: front matter that hostile titles cannot break, checked parameters, named runs."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.site.charts import OfflineChart, script_json
from analysis.site.report import (ParameterError, front_matter_text, markdown_literal, markdown_text, one_line,
                             parse_parameters, profile_front_matter, resolve_notebook)
from analysis.site.views import cell

from tests.conftest import ROOT

HOSTILE_TITLES = [
    "中共某局党组关于巡察整改情况的通报<script>alert(5)</script>",
    '关于"引号"和\'单引号\'整改的通报',
    "关于整改: 进展 — key: value # not a comment",
    "关于{{< include /etc/passwd >}}整改的通报",
    "关于{{{< var x >}}}与{{% note %}}的通报",
    "关于`code`与```fence```的通报",
    "关于整改\n---\nlayout: evil\n的通报",
    "关于整改\r\n\ttitle: injected\n\n段落",
    "[点我](javascript:alert(1)) ![img](x.png) <https://x.example> $x^2$ @cite *强调* _下划_ ~删~ ^上^ #标签",
    "&lt;already escaped&gt; &amp; &#123;",
    "\\ backslash \\\\ and \\<",
    "关于\u202e反向\u200b零宽\x07整改",
    "--- ... -- 'smart' \"quotes\"",
    "<!-- comment --> <div onclick=alert(1)>x</div> <img src=x onerror=alert(1)>",
]


def body(front_matter: str) -> str:
    """The YAML between the --- lines."""
    assert front_matter.startswith("---\n") and front_matter.endswith("\n---")
    return front_matter[4:-4]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_front_matter_of_a_hostile_title_parses_back_to_the_literal_title(title):
    text = front_matter_text({"title": title, "description": f"{title} · 3 problems", "categories": [title, "2024"]})
    parsed = yaml.safe_load(body(text))
    assert set(parsed) == {"title", "description", "categories"}  # nothing injected
    assert markdown_text(parsed["title"]) == one_line(title)
    assert markdown_text(parsed["description"]) == one_line(f"{title} · 3 problems")
    assert [markdown_text(c) for c in parsed["categories"]] == [one_line(title), "2024"]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_front_matter_of_a_hostile_title_holds_no_live_markup(title):
    text = front_matter_text({"title": title, "description": title})
    assert "<script" not in text.lower() and "<" not in text and ">" not in text
    assert "{{<" not in text and "{{%" not in text and "{{" not in text
    value = yaml.safe_load(body(text))["title"]
    assert not re.search(r"(?<!\\)[`\[\]$@*_~^{}!]", value.replace("\\\\", ""))  # every Markdown mark escaped


def test_front_matter_keeps_dates_as_written():
    text = front_matter_text({"title": "标题", "date": "2024-04-19", "subtitle": None})
    assert text == '---\ntitle: "标题"\ndate: "2024-04-19"\n---'


def test_front_matter_refuses_an_unsafe_key():
    with pytest.raises(ValueError):
        front_matter_text({"title: x\nevil": "y"})


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_markdown_literal_round_trips_any_text(text):
    assert markdown_text(markdown_literal(text)) == one_line(text)
    parsed = yaml.safe_load(body(front_matter_text({"title": text, "description": "x"})))
    assert markdown_text(parsed["title"]) == one_line(text)


def test_profile_front_matter_escapes_the_organisation_in_the_description():
    from datetime import date

    notice = {"notice_id": "x-2024", "title": None, "organisation": "某局<script>alert(1)</script>", "signature_date": date(2024, 1, 2),
              "province": "山东省", "genre": "audit", "problems_parsed": 1, "measures_parsed": 2}
    text = front_matter_text(profile_front_matter(notice))
    parsed = yaml.safe_load(body(text))
    assert "<script" not in text and markdown_text(parsed["title"]) == "某局<script>alert(1)</script>：整改情况"
    assert parsed["categories"] == ["山东省", "Audit", "2024"] and parsed["date"] == "2024-01-02"


def test_a_table_cell_shows_markup_as_text():
    shown = cell("[点我](javascript:alert(1)) <b>x</b> `c` $m$ {{< include x >}}")
    assert "<b>" not in shown and "{{" not in shown and "\\[点我\\]" in shown and "\\`c\\`" in shown and "\\$m\\$" in shown


def test_chart_markdown_holds_no_tag_and_no_shortcode_from_its_data():
    spec = {"data": {"values": [{"label": "</script><script>alert(1)</script>{{< include x >}}"}]}, "mark": "point"}
    markdown = OfflineChart(spec).markdown()
    script = markdown.split('<script type="text/javascript">', 1)[1]
    assert "</script>" not in script.rsplit("</script>", 1)[0] and "{{" not in markdown and "alert(1)" in markdown
    assert json.loads(script_json(spec)) == spec


# --------------------------------------------------------------------------- parameters from the command line


PROFILE = ROOT / "notebooks" / "04_notice_profile.ipynb"
INDICATORS = ROOT / "notebooks" / "02_indicators.ipynb"


@pytest.mark.parametrize("texts,message", [
    (["import os; os.system('id'); x=1"], "not a plain identifier"),
    (["x;print(1);y=2"], "not a plain identifier"),
    (["x=1;print(1);y=2"], "has no parameter"),
    (["province=山东省"], "has no parameter"),
    (["notice_id"], "key=value"),
    (["root=/"], "set by the runner"),
])
def test_command_line_parameters_are_refused_before_anything_runs(texts, message):
    with pytest.raises(ParameterError, match=message):
        parse_parameters(PROFILE, texts)


def test_command_line_parameters_take_the_type_of_their_default():
    assert parse_parameters(INDICATORS, ["year=2024", "province=山东省"]) == {"year": 2024, "province": "山东省"}
    with pytest.raises(ParameterError, match="whole number"):
        parse_parameters(INDICATORS, ["year=2024); import os; ("])


@pytest.mark.parametrize("name,expected", [("teaching_01", "teaching_01_reading_a_notice.ipynb"),
                                           ("04_notice_profile", "04_notice_profile.ipynb"),
                                           ("02_indicators.ipynb", "02_indicators.ipynb")])
def test_a_notebook_is_named_by_its_stem_or_a_unique_start(name, expected):
    assert resolve_notebook(ROOT / "notebooks", name) == expected


@pytest.mark.parametrize("name,message", [("teaching", "could be"), ("../notebooks/00_home", "no notebook"), ("", "no notebook")])
def test_an_ambiguous_or_unknown_notebook_name_is_refused(name, message):
    with pytest.raises(ParameterError, match=message):
        resolve_notebook(ROOT / "notebooks", name)
