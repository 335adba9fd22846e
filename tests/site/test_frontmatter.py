"""Front matter that hostile titles cannot break: it parses back to the literal title and holds no live markup."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.site.frontmatter import front_matter_text, markdown_literal, markdown_text, one_line, profile_front_matter

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
SCRIPT_NOTICE = {"notice_id": "x-2024", "title": None, "organisation": "某局<script>alert(1)</script>",
                 "signature_date": date(2024, 1, 2), "province": "山东省", "genre": "audit", "problems_parsed": 1,
                 "measures_parsed": 2}


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


def test_profile_front_matter_escapes_the_organisation_in_the_title():
    text = front_matter_text(profile_front_matter(SCRIPT_NOTICE))
    parsed = yaml.safe_load(body(text))
    assert "<script" not in text and markdown_text(parsed["title"]) == "某局<script>alert(1)</script>：整改情况"


def test_profile_front_matter_files_the_page_by_province_genre_and_year():
    parsed = yaml.safe_load(body(front_matter_text(profile_front_matter(SCRIPT_NOTICE))))
    assert parsed["categories"] == ["山东省", "Audit", "2024"] and parsed["date"] == "2024-01-02"
