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
