"""HTML for the pages: text from notices stays text; tables take their widths from their content."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analysis.site.markup import block, clamp, column_kind, esc, html_table, raw_html, table_block

HOSTILE = '<script>alert(1)</script>{{< include x >}}`b`</details>"q"'


def test_text_in_html_shows_markup_as_characters():
    assert esc(HOSTILE) == ("&lt;script&gt;alert(1)&lt;/script&gt;&#123;&#123;&lt; include x &gt;&#125;&#125;&#96;b&#96;"
                            "&lt;/details&gt;&quot;q&quot;")


def test_text_in_html_is_one_line_and_clipped():
    assert esc("第一行\n第二行\u202e", limit=5) == "第一行 …"


def test_a_raw_block_is_fenced_for_html():
    assert raw_html("<p>x</p>") == "```{=html}\n<p>x</p>\n```\n"


def test_a_raw_block_refuses_a_line_that_would_close_its_fence():
    with pytest.raises(ValueError):
        raw_html("<p>\n```\n</p>")


def test_a_block_can_take_the_width_of_the_page():
    assert block("<p>x</p>", ("column-page",)) == "::: {.column-page}\n```{=html}\n<p>x</p>\n```\n:::\n"


def test_short_text_is_not_clamped():
    assert clamp("整改完成") == "整改完成"


def test_long_text_is_clamped_whole_inside_a_details():
    text = "一是" + "建立巡河制度" * 12
    assert clamp(text) == f'<details class="clamp"><summary><span class="clamped">{text}</span></summary></details>'


@pytest.mark.parametrize("name,values,kind", [
    ("problems", [1, 2], "num"),
    ("share", [0.5, None], "num"),
    ("agrees", [True, False], "flag"),
    ("signed", [date(2024, 4, 19), None], "date"),
    ("measure_key", ["guangzhou-sthjj-2025:2.6.1:m1", "x"], "id"),
    ("agency", ["泰州市住房和城乡建设局", "生态环境部"], "short"),
    ("title", ["关于““环境就是民生”的责任意识不够强,环境保护与以人为本的要求有差距", "x"], "text"),
])
def test_columns_are_set_by_kind(name, values, kind):
    assert column_kind(pl.DataFrame({name: values}), name) == kind


def test_a_table_takes_no_fixed_widths_and_is_left_to_quarto_untouched():
    html = html_table(pl.DataFrame({"agency": ["生态环境部"], "mentions": [3]}))
    assert 'data-quarto-disable-processing="true"' in html and "quarto-html-table-processing: none" in html
    assert "<col" not in html and "width" not in html
    assert '<th class="short">agency</th><th class="num">mentions</th>' in html
    assert '<td class="short">生态环境部</td><td class="num">3</td>' in html


def test_an_id_hides_behind_its_label():
    df = pl.DataFrame({"notice": ["泰州市生态环境局 2025"], "notice_id": ["taizhou-js-sthjj-2025"]})
    html = html_table(df, tips={"notice": "notice_id"})
    assert '<td class="short"><span title="taizhou-js-sthjj-2025">泰州市生态环境局 2025</span></td>' in html
    assert "<th" in html and ">notice id<" not in html  # the id is not a column of its own


def test_a_table_shows_markup_in_its_cells_as_text():
    html = html_table(pl.DataFrame({"title": [HOSTILE]}), caption="</caption><script>")
    assert "<script>" not in html and "{{<" not in html and "`" not in html and html.count("</details>") == 0
    assert "&lt;/details&gt;" in html and "&lt;/caption&gt;&lt;script&gt;" in html


def test_a_missing_value_is_a_dash_and_a_flag_a_tick():
    html = html_table(pl.DataFrame({"share": [None], "agrees": [True]}, schema={"share": pl.Float64, "agrees": pl.Boolean}))
    assert '<td class="num"><span class="missing">—</span></td><td class="flag">✓</td>' in html


def test_rows_beyond_the_limit_are_counted_not_shown():
    html = html_table(pl.DataFrame({"n": list(range(5))}), rows=2)
    assert html.count("<tr>") == 3 and "3 more rows not shown." in html


def test_a_wide_table_takes_the_width_of_the_page_and_a_narrow_one_the_body():
    wide = pl.DataFrame({f"column_{i}": ["泰州市住房和城乡建设局"] for i in range(6)})
    assert table_block(wide).startswith("::: {.column-page}\n```{=html}")
    assert table_block(pl.DataFrame({"agency": ["生态环境部"]})).startswith("```{=html}")
