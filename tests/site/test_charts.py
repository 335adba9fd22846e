"""Charts: the offline display block carries the chart's data as JSON that cannot close its script or open a shortcode."""

from __future__ import annotations

import json

from analysis.site.charts import OfflineChart, script_json

HOSTILE_SPEC = {"data": {"values": [{"label": "</script><script>alert(1)</script>{{< include x >}}"}]}, "mark": "point"}


def test_chart_markdown_holds_no_tag_and_no_shortcode_from_its_data():
    markdown = OfflineChart(HOSTILE_SPEC).markdown()
    script = markdown.split('<script type="text/javascript">', 1)[1]
    assert "</script>" not in script.rsplit("</script>", 1)[0] and "{{" not in markdown and "alert(1)" in markdown


def test_script_json_reads_back_as_the_spec():
    assert json.loads(script_json(HOSTILE_SPEC)) == HOSTILE_SPEC


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
