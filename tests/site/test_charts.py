"""Charts: the offline display block carries the chart's data as JSON that cannot close its script or open a shortcode;
a chart's static SVG is stable and shows in nbconvert's HTML and through Pandoc without any text/html output."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse

import pytest

from analysis.site.charts import OfflineChart, compact_svg, script_json, svg_data_url

from tests.conftest import ROOT

HOSTILE_SPEC = {"data": {"values": [{"label": "</script><script>alert(1)</script>{{< include x >}}"}]}, "mark": "point"}


def test_chart_markdown_holds_no_tag_and_no_shortcode_from_its_data():
    markdown = OfflineChart(HOSTILE_SPEC).markdown()
    script = markdown.split('<script type="text/javascript">', 1)[1]
    assert "</script>" not in script.rsplit("</script>", 1)[0] and "{{" not in markdown and "alert(1)" in markdown


def test_script_json_reads_back_as_the_spec():
    assert json.loads(script_json(HOSTILE_SPEC)) == HOSTILE_SPEC


# --------------------------------------------------------------------------- the static form (nbconvert, Quarto)

BARS = {"data": {"values": [{"genre": "audit", "n": 1}, {"genre": "other", "n": 3}]}, "mark": "bar",
        "encoding": {"x": {"field": "genre", "type": "nominal"}, "y": {"field": "n", "type": "quantitative"}}}
GRADIENT = {"data": {"values": [{"x": 1, "y": 1, "v": 1}, {"x": 2, "y": 2, "v": 5}]}, "mark": "square",
            "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"},
                         "color": {"field": "v", "type": "quantitative"}}}  # a gradient legend: vl-convert numbers its id


def test_a_chart_shows_as_vega_lite_and_markdown_and_never_as_html():
    bundle = OfflineChart(BARS, "bars")._repr_mimebundle_()
    assert sorted(bundle) == ["application/vnd.vegalite.v5+json", "text/markdown", "text/plain"]
    assert bundle["text/plain"] == "<chart bars>"


def test_the_notebook_markdown_is_an_unfenced_html_block_with_the_image_and_a_script_that_waits_for_vega():
    chart = OfflineChart(BARS, "bars")
    lines = chart.static_markdown().splitlines()
    assert lines[0] == f'<div id="{chart.element_id}" class="vega-chart">' and "```" not in chart.static_markdown()
    assert lines[1].startswith('<img src="data:image/svg+xml;charset=utf-8,%3Csvg') and lines[1].endswith('alt="chart: bars">')
    assert lines[3].startswith('<script type="text/javascript">if (window.vegaEmbed) { vegaEmbed("#vega-')


def test_the_notebook_markdown_holds_no_tag_and_no_shortcode_from_its_data():
    markdown = OfflineChart(HOSTILE_SPEC).static_markdown()
    script = markdown.split('<script type="text/javascript">', 1)[1]
    assert "</script>" not in script.rsplit("</script>", 1)[0] and "{{" not in markdown and "alert(1)" in markdown


def test_the_svg_data_url_reads_back_and_holds_no_quote_tag_brace_or_non_ascii_character():
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><text fill="#000">山东省 {{< x >}} & 100%</text></svg>'
    url = svg_data_url(svg)
    assert urllib.parse.unquote(url.split(",", 1)[1]) == svg
    assert not set(url) & set('"<>{}&#') and url.isascii()


def test_compact_svg_renames_ids_in_order_and_their_references():
    svg = ('<svg><defs><linearGradient id="gradient_7"/><clipPath id="clip12"/></defs>'
           '<path fill="url(#gradient_7)" clip-path="url(#clip12)"/><use href="#clip12"/></svg>')
    assert compact_svg(svg, "vega-abc") == (
        '<svg><defs><linearGradient id="vega-abc-1"/><clipPath id="vega-abc-2"/></defs>'
        '<path fill="url(#vega-abc-1)" clip-path="url(#vega-abc-2)"/><use href="#vega-abc-2"/></svg>')


def test_compact_svg_rounds_path_data_to_a_tenth_and_other_numbers_to_a_hundredth():
    svg = '<svg><path d="M387.861,160.107L-1.04999,2.5Z" transform="translate(91.52459999999999,193.6)"/><text>0.12345</text></svg>'
    assert compact_svg(svg, "p") == '<svg><path d="M387.9,160.1L-1.0,2.5Z" transform="translate(91.52,193.6)"/><text>0.12345</text></svg>'


def test_a_charts_svg_does_not_depend_on_the_charts_drawn_before_it():
    first = OfflineChart(GRADIENT).svg()
    OfflineChart(dict(GRADIENT, mark="circle")).svg()
    assert OfflineChart(GRADIENT).svg() == first


def test_a_charts_svg_is_the_same_in_a_fresh_process():
    code = ("import json, sys; from analysis.site.charts import OfflineChart; "
            "sys.stdout.write(OfflineChart(json.loads(sys.argv[1])).svg())")
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    fresh = subprocess.run([sys.executable, "-c", code, json.dumps(GRADIENT)], capture_output=True, text=True, env=env,
                           check=True).stdout
    assert fresh == OfflineChart(GRADIENT).svg()


def test_nbconvert_ranks_markdown_above_svg_so_the_markdown_must_carry_the_image():
    from nbconvert import HTMLExporter

    priority = HTMLExporter().default_config["NbConvertBase"]["display_data_priority"]
    assert priority.index("text/markdown") < priority.index("image/svg+xml")


def test_nbconvert_shows_a_chart_as_an_image_not_as_a_raw_block():
    import nbformat
    from nbconvert import HTMLExporter

    bundle = OfflineChart(BARS, "bars")._repr_mimebundle_()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("chart", execution_count=1, outputs=[
        nbformat.v4.new_output("display_data", data=bundle)])])
    page, _ = HTMLExporter().from_notebook_node(nb)
    assert re.search(r'<img [^>]*src="data:image/svg\+xml;charset=utf-8,%3Csvg', page)
    assert "{=html}" not in page and "```" not in page


def pandoc_html(markdown: str, tmp_path) -> subprocess.CompletedProcess:
    """Pandoc (the Markdown reader Quarto uses) turning a Markdown output into HTML through the site's Vega extension,
    with Quarto's one call the extension makes stood in for (it reports the dependency on stderr)."""
    stub = ('quarto = {doc = {add_html_dependency = function(d) io.stderr:write("dependency " .. d.name .. '
            '" " .. d.scripts[1] .. "\\n") end}}\n')
    extension = (ROOT / "reports" / "_extensions" / "vega-offline" / "vega-offline.lua").read_text(encoding="utf-8")
    (tmp_path / "filter.lua").write_text(stub + extension, encoding="utf-8")
    # Quarto wraps a cell's Markdown output in a fenced div
    (tmp_path / "page.md").write_text(f"::: {{.cell-output .cell-output-display}}\n{markdown}\n:::\n", encoding="utf-8")
    return subprocess.run(["pandoc", "-f", "markdown", "-t", "html", "--lua-filter", "filter.lua", "page.md"],
                          cwd=tmp_path, capture_output=True, text=True, check=True)


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed (Quarto ships its own)")
def test_pandoc_keeps_the_charts_div_image_and_script_and_the_extension_loads_vega(tmp_path):
    chart = OfflineChart(BARS, "bars")
    result = pandoc_html(chart.static_markdown(), tmp_path)
    assert result.stderr == "dependency vega-offline vega-bundle.js\n"
    assert f'<div id="{chart.element_id}" class="vega-chart">' in result.stdout
    assert '<img src="data:image/svg+xml;charset=utf-8,' in result.stdout
    assert f'<script type="text/javascript">if (window.vegaEmbed) {{ vegaEmbed("#{chart.element_id}"' in result.stdout


def test_charts_of_notices_name_them_when_given_their_names():
    import polars as pl

    from analysis.site.charts import specificity_chart

    indicators = pl.DataFrame({"notice_id": ["a-2024"], "share_with_date": [0.5], "share_with_figure": [None],
                               "share_with_document": [0.25], "specificity": [0.5]}, schema_overrides={"share_with_figure": pl.Float64})
    spec = OfflineChart(specificity_chart(indicators, {"a-2024": "泰州市生态环境局 2024"})).spec
    data = next(iter(spec["datasets"].values()))
    assert {row["notice"] for row in data} == {"泰州市生态环境局 2024"}


def test_the_completion_chart_names_notices_and_keeps_its_measures():
    import polars as pl

    from analysis.site.charts import completion_chart

    indicators = pl.DataFrame({"notice_id": ["a-2024"], "completion_declared_measures": [0.677], "completion_declared_problems": [None],
                               "completion_declared_items": [None], "completion_parsed": [0.3333]},
                              schema_overrides={"completion_declared_problems": pl.Float64, "completion_declared_items": pl.Float64})
    spec = OfflineChart(completion_chart(indicators, {"a-2024": "泰州市生态环境局 2025"})).spec
    rows = [row for data in spec["datasets"].values() for row in data]
    assert {(r["notice"], r["measure"]) for r in rows} == {("泰州市生态环境局 2025", "declared: measures"),
                                                           ("泰州市生态环境局 2025", "parsed: problems with a stated status")}


# --------------------------------------------------------------------------- charts of a large corpus


def rows_drawn(chart) -> int:
    """The most rows any dataset of a chart's spec holds."""
    spec = OfflineChart(chart).spec
    return max([len(v) for v in spec.get("datasets", {}).values()] or [0])


def large_indicators(n: int):
    import polars as pl

    share = [(i % 11) / 10 for i in range(n)]
    return pl.DataFrame({"notice_id": [f"n{i:05d}" for i in range(n)], "completion_declared_measures": share,
                         "completion_declared_problems": share, "completion_declared_items": share, "completion_parsed": share,
                         "days_inspection_to_feedback": [i % 400 for i in range(n)],
                         "days_feedback_to_signature": [i % 300 for i in range(n)], "share_with_date": share,
                         "share_with_figure": share, "share_with_document": share, "specificity": share})


def test_indicator_charts_of_ten_thousand_notices_draw_bounded_data():
    from analysis.site.charts import completion_chart, lags_chart, specificity_chart

    data = large_indicators(10_000)
    assert [rows_drawn(chart(data)) <= 60 for chart in (completion_chart, lags_chart, specificity_chart)] == [True] * 3


def test_a_chart_of_many_notices_says_how_they_were_counted():
    from analysis.site.charts import completion_chart

    title = OfflineChart(completion_chart(large_indicators(500))).spec["title"]
    assert "500 notices, counted by band of share completed" in title["subtitle"]


def test_the_theme_heatmap_of_many_notices_has_a_row_per_province_not_per_notice():
    import polars as pl

    from analysis.site.charts import theme_heatmap

    n = 5_000
    mix = pl.DataFrame({"notice_id": [f"n{i}" for i in range(n) for _ in range(2)], "theme": ["air", "water"] * n,
                        "measures_with_theme": [1] * (2 * n), "share": [0.5] * (2 * n)})
    notices = pl.DataFrame({"notice_id": [f"n{i}" for i in range(n)], "province": [f"省{i % 40}" for i in range(n)]})
    assert rows_drawn(theme_heatmap(mix, notices)) == 16 * 2  # 15 provinces by name and the others pooled, two themes


def test_the_network_chart_draws_neither_evidence_nor_more_than_its_edge_budget():
    import polars as pl

    from analysis.site.charts import network_chart

    ids = [f"a{i}" for i in range(60)]
    nodes = pl.DataFrame({"node_id": ids, "label": ids, "kind": ["agency"] * 60, "type": ["bureau"] * 60, "level": ["city"] * 60,
                          "notices": [1] * 60, "weighted_degree": [float(i) for i in range(60)], "betweenness": [0.0] * 60,
                          "eigenvector": [0.0] * 60, "community": [0] * 60})
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    edges = pl.DataFrame({"source": [a for a, _ in pairs], "target": [b for _, b in pairs], "relation": ["with"] * len(pairs),
                          "weight": [1] * len(pairs), "evidence": ["x:1;" * 50] * len(pairs)})
    spec = OfflineChart(network_chart(nodes, edges, "t", max_edges=500)).spec
    assert max(len(v) for v in spec["datasets"].values()) == 500 and "evidence" not in json.dumps(spec)
