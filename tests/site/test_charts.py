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
