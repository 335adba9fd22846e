"""Charts: Altair builders (pure functions of tables) and an offline display object for notebooks and Quarto.

`OfflineChart` shows a chart without any `text/html` output (docs/architecture.md, "Quarto and the offline site"):
JupyterLab draws the `application/vnd.vegalite.v5+json` entry natively; Quarto and `jupyter nbconvert --to html` both
take the `text/markdown` entry (both rank it above images) — a raw HTML block, not fenced, that both pass through: a
`<div>` holding the chart as a static SVG image, then a `vegaEmbed` call that replaces the image with the interactive
chart where Vega is loaded (Quarto's pages load it from the site's own extension, reports/_extensions/vega-offline,
never from a CDN). The SVG is not repeated as an `image/svg+xml` entry: every reader above ranks the Markdown or the
Vega-Lite entry first, and a third copy of each chart would make big pages bigger still. The element id is a hash
of the spec and vl-convert's SVG is deterministic, so executed notebooks are byte-stable. `export` writes PNG and SVG.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
import urllib.parse
from pathlib import Path

import altair as alt
import networkx as nx
import polars as pl

from analysis.config import NetworkConfig
from analysis.site.aggregate import (DAY_WIDTH, MEASURE_CAP, PER_NOTICE_LIMIT, SHARE_LABELS, completion_data, lag_data,
                                     measures_per_problem_data, network_view, notice_count, per_notice, specificity_data,
                                     theme_data)

V5_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
VL_VERSION = "6.4"  # the Vega-Lite vl-convert compiles with (the site's bundle carries the same)
FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
PALETTE = ["#1f5b99", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d96a3", "#6a4c93", "#2e4057"]
THEME_LABELS = {
    "air": "Air", "water": "Water", "soil_waste": "Soil & waste", "ecology": "Ecology", "enforcement": "Enforcement",
    "approvals_eia": "Approvals & EIA", "business_environment": "Business environment", "party_discipline": "Party discipline",
    "finance_procurement": "Finance & procurement", "personnel": "Personnel", "digital_monitoring": "Digital monitoring",
}


def _config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """House style: CJK-capable font, quiet axes."""
    return chart.configure(font=FONT).configure_axis(labelFontSize=11, titleFontSize=12, grid=False).configure_view(stroke=None)


JSON_IN_HTML = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def script_json(value) -> str:
    """JSON safe inside a <script> of a raw HTML block: no `<`, `>`, `&` (so no `</script>` and no tag) and no `{{`
    (so no Quarto shortcode), all written as \\u escapes, which only occur inside JSON strings."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return "".join(JSON_IN_HTML.get(c, c) for c in text).replace("{{", "{\\u007b")


SVG_ID_RE = re.compile(r'\sid="([^"]+)"')
SVG_REF_RE = re.compile(r'url\(#([^)]+)\)|href="#([^"]+)"')
SVG_ATTRIBUTE_RE = re.compile(r'\s([a-z-]+)="([^"]*)"')
DECIMALS_RE = re.compile(r"-?\d+\.\d{3,}")
URL_SAFE = ",.-_/:=;()!*'"  # left as they are in an SVG data URL; everything else is percent-encoded


def compact_svg(svg: str, prefix: str) -> str:
    """vl-convert's SVG made stable and smaller: the ids it numbers from a counter that runs on across charts
    (gradient_3, clip7) renamed `prefix-1`, `prefix-2` … in order of appearance, so a chart's SVG does not depend on the
    charts drawn before it; numbers in attributes rounded (path data to a tenth of a pixel, others to two decimals)."""
    names = {old: f"{prefix}-{i}" for i, old in enumerate(dict.fromkeys(SVG_ID_RE.findall(svg)), 1)}
    svg = SVG_ID_RE.sub(lambda m: f' id="{names[m.group(1)]}"', svg)
    svg = SVG_REF_RE.sub(lambda m: f"url(#{names.get(m.group(1), m.group(1))})" if m.group(1)
                         else f'href="#{names.get(m.group(2), m.group(2))}"', svg)

    def rounded(m: re.Match) -> str:
        digits = ".1f" if m.group(1) == "d" else ".2f"
        return f' {m.group(1)}="' + DECIMALS_RE.sub(lambda n: format(float(n.group()), digits), m.group(2)) + '"'

    return SVG_ATTRIBUTE_RE.sub(rounded, svg)


def svg_data_url(svg: str) -> str:
    """An SVG as a data URL (percent-encoded: no quote, tag, brace or non-ASCII character is left; smaller than base64)."""
    return "data:image/svg+xml;charset=utf-8," + urllib.parse.quote(svg, safe=URL_SAFE)


class OfflineChart:
    """A chart shown without text/html: Vega-Lite JSON for JupyterLab, a static SVG and a vegaEmbed call for Quarto and
    nbconvert."""

    def __init__(self, chart: alt.TopLevelMixin | dict, name: str | None = None) -> None:
        self.spec = chart if isinstance(chart, dict) else _config(chart).to_dict()
        self.name = name
        self._svg: str | None = None

    @property
    def element_id(self) -> str:
        """Stable id derived from the spec."""
        payload = json.dumps(self.spec, sort_keys=True, ensure_ascii=False)
        return "vega-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]

    def _embed_call(self) -> str:
        options = '{"actions": {"export": true, "source": false, "compiled": false, "editor": false}}'
        return f'vegaEmbed("#{self.element_id}", {script_json(self.spec)}, {options});'

    def markdown(self) -> str:
        """The Quarto block of a page written without a kernel (.qmd): a fenced raw HTML div and vegaEmbed call, no
        image (scripts served by the site's extension)."""
        return (f'```{{=html}}\n<div id="{self.element_id}" class="vega-chart"></div>\n'
                f'<script type="text/javascript">{self._embed_call()}</script>\n```\n')

    def svg(self) -> str:
        """The chart as a static SVG (vl-convert, computed once, made stable by `compact_svg`; without the ARIA
        labels of every mark, which an image does not expose; text stays text, drawn with the reader's fonts)."""
        if self._svg is None:
            import vl_convert as vlc

            quiet = dict(self.spec, config={**self.spec.get("config", {}), "aria": False})  # no ARIA labels on every mark
            self._svg = compact_svg(vlc.vegalite_to_svg(quiet, vl_version=VL_VERSION), self.element_id)
        return self._svg

    def static_markdown(self) -> str:
        """The notebook's Markdown: a raw HTML block (not fenced) that nbconvert (mistune) and Quarto (Pandoc) both pass
        through — the SVG as an image inside the chart's div, which vegaEmbed empties and fills where Vega is loaded."""
        alt_text = html.escape(f"chart: {self.name or self.element_id}", quote=True)
        return (f'<div id="{self.element_id}" class="vega-chart">\n'
                f'<img src="{svg_data_url(self.svg())}" alt="{alt_text}">\n</div>\n'
                f'<script type="text/javascript">if (window.vegaEmbed) {{ {self._embed_call()} }}</script>\n')

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        v5 = dict(self.spec, **{"$schema": V5_SCHEMA})
        return {"application/vnd.vegalite.v5+json": v5, "text/markdown": self.static_markdown(),
                "text/plain": f"<chart {self.name or self.element_id}>"}

    def export(self, folder: Path, stem: str) -> list[Path]:
        """Write the chart as SVG and PNG (for papers); returns the paths."""
        import vl_convert as vlc

        folder.mkdir(parents=True, exist_ok=True)
        svg, png = folder / f"{stem}.svg", folder / f"{stem}.png"
        svg.write_text(self.svg(), encoding="utf-8")
        png.write_bytes(vlc.vegalite_to_png(self.spec, vl_version=VL_VERSION, scale=2))
        return [svg, png]


# --------------------------------------------------------------------------- corpus charts


def named(data: pl.DataFrame, labels: dict[str, str] | None, column: str = "notice") -> pl.DataFrame:
    """`data` with the notice ids in `column` replaced by their labels (organisation and year, `views.notice_labels`);
    as it is when no labels are given (e.g. for figures exported without a CJK font) or the chart counts notices."""
    if not labels or column not in data.columns:
        return data
    return data.with_columns(pl.col(column).replace_strict(labels, default=pl.col(column), return_dtype=pl.String))


def _caption(title: str, data: pl.DataFrame, drawn: int, what: str) -> alt.TitleParams:
    """A chart's title, with a subtitle saying what is drawn: one mark per notice, or how the notices were counted."""
    if "notice" in data.columns or "notice_id" in data.columns:
        subtitle = f"One row per notice ({drawn})."
    else:
        subtitle = (f"{drawn:,} notices, counted {what} (more than {PER_NOTICE_LIMIT} notices: each notice's own values "
                    "are on its page and in data/processed/indicators/; `notices export indicators` writes one CSV).")
    return alt.TitleParams(title, subtitle=subtitle, anchor="start")


def completion_chart(indicators: pl.DataFrame, labels: dict[str, str] | None = None) -> alt.LayerChart | alt.Chart:
    """Declared and parsed completion: per notice up to PER_NOTICE_LIMIT notices (a notice that states no statuses is
    listed with a note, not as 0%), else notices by band of share completed. `labels`: notice id → name shown."""
    data, title = named(completion_data(indicators), labels), "Completion: as declared, and as parsed from statuses"
    colour = alt.Color("measure:N", title=None, scale=alt.Scale(range=PALETTE), legend=alt.Legend(orient="bottom", columns=2))
    caption = _caption(title, data, notice_count(indicators), "by band of share completed")
    if "notice" not in data.columns:
        return alt.Chart(data).mark_bar().encode(
            x=alt.X("label:N", title="share completed", scale=alt.Scale(domain=SHARE_LABELS)), xOffset="measure:N",
            y=alt.Y("notices:Q", title="notices"), color=colour, tooltip=["measure:N", "label:N", "notices:Q"],
        ).properties(width=480, title=caption)
    notes = named(indicators.filter(pl.col("completion_parsed").is_null()).select(
        pl.col("notice_id").alias("notice"), pl.lit("no status stated for any problem").alias("note")), labels)
    order = sorted(named(indicators.select(pl.col("notice_id").alias("notice")), labels).get_column("notice").to_list())
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("notice:N", title=None, sort=order), yOffset="measure:N",
        x=alt.X("share:Q", title="share completed", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=colour, tooltip=["notice:N", "measure:N", alt.Tooltip("share:Q", format=".1%")],
    )
    note = alt.Chart(notes).mark_text(align="left", dx=4, color="#666", fontStyle="italic").encode(
        y=alt.Y("notice:N", sort=order), x=alt.value(0), text="note:N")
    return alt.layer(bars, note).properties(width=420, title=caption)


def lags_chart(indicators: pl.DataFrame, labels: dict[str, str] | None = None) -> alt.LayerChart:
    """Days from inspection end to feedback and from feedback to signature, with the two-month mark: per notice up to
    PER_NOTICE_LIMIT notices, else notices by band of 30 days."""
    data, title = named(lag_data(indicators), labels), "Disclosure lags (dashed: about two months)"
    colour = alt.Color("interval:N", title=None, scale=alt.Scale(range=PALETTE[:2]), legend=alt.Legend(orient="bottom"))
    rule = alt.Chart(pl.DataFrame({"days": [61]})).mark_rule(strokeDash=[4, 3], color="#444").encode(x="days:Q")
    caption = _caption(title, data, notice_count(indicators), f"by band of {DAY_WIDTH} days")
    if "notice" not in data.columns:
        bars = alt.Chart(data).mark_rect(opacity=0.55).encode(
            x=alt.X("start:Q", title="days"), x2="end:Q", y=alt.Y("notices:Q", title="notices"), y2=alt.datum(0), color=colour,
            tooltip=["interval:N", "label:N", "notices:Q"])
        return alt.layer(bars, rule).properties(width=480, title=caption)
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("notice:N", title=None), yOffset="interval:N", x=alt.X("days:Q", title="days"), color=colour,
        tooltip=["notice:N", "interval:N", "days:Q"])
    return alt.layer(bars, rule).properties(width=420, title=caption)


def specificity_chart(indicators: pl.DataFrame, labels: dict[str, str] | None = None) -> alt.Chart:
    """Share of measures with a date, a figure, a document — and any of them: per notice up to PER_NOTICE_LIMIT
    notices, else notices by band of share."""
    data, title = named(specificity_data(indicators), labels), "How checkable are the measures?"
    colour = alt.Color("evidence:N", scale=alt.Scale(range=PALETTE), title="measure states")
    caption = _caption(title, data, notice_count(indicators), "by band of the share of their measures")
    if "notice" not in data.columns:
        return alt.Chart(data).mark_line(point=True).encode(
            x=alt.X("label:N", title="share of measures", scale=alt.Scale(domain=SHARE_LABELS)),
            y=alt.Y("notices:Q", title="notices"),
            color=colour, tooltip=["evidence:N", "label:N", "notices:Q"]).properties(width=480, title=caption)
    return alt.Chart(data).mark_circle(size=110).encode(
        x=alt.X("share:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title="share of measures"),
        y=alt.Y("notice:N", title=None), color=colour,
        tooltip=["notice:N", "evidence:N", alt.Tooltip("share:Q", format=".1%")],
    ).properties(width=420, title=caption)


def theme_heatmap(theme_mix: pl.DataFrame, notices: pl.DataFrame | None = None,
                  labels: dict[str, str] | None = None) -> alt.Chart:
    """Share of each notice's measures that name each theme: per notice up to PER_NOTICE_LIMIT notices, else the mean
    share by province (given `notices`; the largest provinces by name, the rest pooled) or over all notices."""
    data = named(theme_data(theme_mix, notices), labels if per_notice(theme_mix) else None, "group").with_columns(
        pl.col("theme").replace_strict(THEME_LABELS, default=pl.col("theme")).alias("theme_label"))
    many = not per_notice(theme_mix)
    subtitle = (f"Mean share over the notices of each row ({notice_count(theme_mix):,} notices); each notice's own mix is on "
                "its page." if many else f"One row per notice ({notice_count(theme_mix)}).")
    return alt.Chart(data).mark_rect().encode(
        x=alt.X("theme_label:N", title=None, sort=list(THEME_LABELS.values()), axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("group:N", title="province" if many and notices is not None else None),
        color=alt.Color("share:Q", title="share of measures", scale=alt.Scale(scheme="yellowgreenblue"),
                        legend=alt.Legend(format="%")),
        tooltip=["group:N", "theme_label:N", "notices:Q", "measures_with_theme:Q", alt.Tooltip("share:Q", format=".0%")],
    ).properties(width=alt.Step(42), height=alt.Step(26),
                 title=alt.TitleParams("Theme mix of the measures", subtitle=subtitle, anchor="start"))


STATUS_COLOURS = alt.Scale(domain=["completed", "long_term", "in_progress", "unknown"],
                           range=["#66a182", "#edae49", "#d1495b", "#8d96a3"])


def measures_per_problem_chart(problems: pl.DataFrame, labels: dict[str, str] | None = None) -> alt.Chart:
    """Measures per problem, coloured by status: per notice up to PER_NOTICE_LIMIT notices (a tick per notice, number
    of measures and status), else problems counted by their number of measures."""
    data, title = measures_per_problem_data(problems), "Measures per problem"
    if "notice_id" in data.columns:
        data = named(data.with_columns(pl.col("notice_id").alias("notice")), labels)
    drawn = notice_count(problems)
    if "notice_id" not in data.columns:
        subtitle = (f"{problems.height:,} problems of {drawn:,} notices, counted by their number of measures "
                    f"({MEASURE_CAP} or more together); each notice's problems are on its page.")
        return alt.Chart(data).mark_bar().encode(
            x=alt.X("label:N", title="measures per problem", sort=alt.SortField("measures")), y=alt.Y("problems:Q"),
            color=alt.Color("status:N", scale=STATUS_COLOURS), tooltip=["label:N", "status:N", "problems:Q"],
        ).properties(width=480, title=alt.TitleParams(title, subtitle=subtitle, anchor="start"))
    return alt.Chart(data).mark_tick(thickness=2, size=16).encode(
        x=alt.X("measures:Q", title="measures per problem"), y=alt.Y("notice:N", title=None),
        color=alt.Color("status:N", scale=STATUS_COLOURS), tooltip=["notice:N", "measures:Q", "status:N", "problems:Q"],
    ).properties(width=420, title=alt.TitleParams(title, subtitle=f"One row per notice ({drawn}).", anchor="start"))


def evaluation_chart(evaluation: pl.DataFrame) -> alt.Chart:
    """Accuracy of each annotated section against the hand annotations."""
    data = evaluation.group_by("section").agg(pl.col("correct").sum(), pl.col("total").sum()).with_columns(
        (pl.col("correct") / pl.col("total")).alias("accuracy")).sort("section")
    return alt.Chart(data).mark_bar(color=PALETTE[3]).encode(
        y=alt.Y("section:N", title=None), x=alt.X("accuracy:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        tooltip=["section:N", "correct:Q", "total:Q", alt.Tooltip("accuracy:Q", format=".1%")],
    ).properties(width=380, title="Agreement with the hand annotations")


# --------------------------------------------------------------------------- network

GRAPH_TITLES = {
    "agency_agency": "Agencies acting together in one measure",
    "agency_policy": "Agencies and the policies they issue, revise or apply",
    "notice_policy": "Notices and the policies they cite",
    "inspection": "Who inspected whom",
    "agency_projection": "Agencies sharing a policy",
    "policy_projection_by_agency": "Policies sharing an agency",
    "notice_projection": "Notices citing the same policy",
    "policy_projection_by_notice": "Policies cited together",
}


def layout(nodes: pl.DataFrame, edges: pl.DataFrame, seed: int = NetworkConfig.seed) -> pl.DataFrame:
    """Node positions: a seeded spring layout of each connected component, components packed in rows by size."""
    G = nx.Graph()
    G.add_nodes_from(sorted(nodes.get_column("node_id").to_list()))
    for s, t, w in edges.select("source", "target", "weight").sort(["source", "target"]).iter_rows():
        G.add_edge(s, t, weight=w)
    components = sorted((sorted(c) for c in nx.connected_components(G)), key=lambda c: (-len(c), c[0]))
    row_width = 2.2 * max(1.0, G.number_of_nodes() ** 0.5)
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for component in components:
        radius = max(0.6, len(component) ** 0.5 / 1.6)
        if x > 0 and x + 2 * radius > row_width:
            x, y, row_height = 0.0, y - row_height - 0.8, 0.0
        sub = G.subgraph(component)
        raw = nx.spring_layout(sub, seed=seed, k=2.0 / max(1, len(component)) ** 0.5, iterations=300) if len(component) > 1 \
            else {component[0]: (0.0, 0.0)}
        xs, ys = [p[0] for p in raw.values()], [p[1] for p in raw.values()]
        span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        for node, (px, py) in raw.items():
            positions[node] = (x + radius + (px - cx) / span * 2 * radius, y - radius + (py - cy) / span * 2 * radius)
        x += 2 * radius + 0.8
        row_height = max(row_height, 2 * radius)
    return pl.DataFrame({"node_id": list(positions), "x": [round(p[0], 4) for p in positions.values()],
                         "y": [round(p[1], 4) for p in positions.values()]})


def network_chart(nodes: pl.DataFrame, edges: pl.DataFrame, title: str, max_labels: int = 8, max_nodes: int = 100,
                  max_edges: int = 300) -> alt.LayerChart:
    """Interactive node-link view of the `max_nodes` most connected nodes and the `max_edges` heaviest edges among them
    (said in the title when some are left out; `aggregate.network_view`): drag to pan, scroll to zoom, hover for
    details; colour = community, size = weighted degree."""
    nodes, edges, left_out = network_view(nodes, edges, max_nodes, max_edges)
    if left_out:
        title = f"{title} ({left_out})"
    pos = layout(nodes, edges)
    placed = nodes.join(pos, on="node_id", how="left")
    lines = (edges.join(pos.rename({"node_id": "source", "x": "x1", "y": "y1"}), on="source")
             .join(pos.rename({"node_id": "target", "x": "x2", "y": "y2"}), on="target"))
    top = set(placed.sort("weighted_degree", descending=True).head(max_labels).get_column("node_id").to_list())
    placed = placed.with_columns(pl.when(pl.col("node_id").is_in(list(top))).then(pl.col("label")).otherwise(pl.lit("")).alias("shown"))
    zoom = alt.selection_interval(bind="scales")
    hover = alt.selection_point(on="pointerover", fields=["community"], empty=False)
    pad = alt.Scale(zero=False, padding=24)
    rule = alt.Chart(lines).mark_rule(color="#9aa5b1").encode(
        x=alt.X("x1:Q", axis=None, scale=pad), y=alt.Y("y1:Q", axis=None, scale=pad), x2="x2:Q", y2="y2:Q",
        strokeWidth=alt.StrokeWidth("weight:Q", scale=alt.Scale(range=[0.5, 4]), legend=None), opacity=alt.value(0.5),
        tooltip=["source:N", "target:N", "relation:N", "weight:Q"])
    dots = alt.Chart(placed).mark_circle(stroke="white", strokeWidth=0.8).encode(
        x=alt.X("x:Q", axis=None, scale=pad), y=alt.Y("y:Q", axis=None, scale=pad),
        size=alt.Size("weighted_degree:Q", scale=alt.Scale(range=[40, 900]), title="weighted degree"),
        color=alt.Color("community:N", scale=alt.Scale(range=PALETTE), title="community"),
        shape=alt.Shape("kind:N", title="kind"),
        opacity=alt.condition(hover, alt.value(1), alt.value(0.85)),
        tooltip=["label:N", "kind:N", "type:N", "level:N", "notices:Q", "weighted_degree:Q", "betweenness:Q", "eigenvector:Q",
                 "community:N"]).add_params(hover)
    text = alt.Chart(placed).mark_text(dy=-12, fontSize=10, fontWeight="bold", color="#333").encode(x="x:Q", y="y:Q", text="shown:N")
    return alt.layer(rule, dots, text).add_params(zoom).properties(width=680, height=520, title=title)


# --------------------------------------------------------------------------- one notice


TIMELINE_LANES = ["milestones", "stated", "planned"]


@functools.cache
def _timeline_template() -> str:
    """The timeline's Vega-Lite spec with named datasets `dates` and `milestones`, built and validated once (JSON)."""
    lanes = TIMELINE_LANES
    dates, marks = alt.NamedData(name="dates"), alt.NamedData(name="milestones")
    spans = alt.Chart(dates).mark_rule(strokeWidth=7, opacity=0.6).encode(
        x=alt.X("value_start:T", title=None), x2="value_end:T", y=alt.Y("lane:N", title=None, sort=lanes),
        color=alt.Color("lane:N", scale=alt.Scale(domain=lanes, range=["#d1495b", PALETTE[0], PALETTE[2]]), legend=None),
        tooltip=["text:N", "iso:N", "precision:N"])
    ticks = alt.Chart(dates).mark_tick(thickness=2, size=16, color="#333").encode(
        x="value_start:T", y=alt.Y("lane:N", sort=lanes), tooltip=["text:N", "iso:N"])
    points = alt.Chart(marks).mark_point(shape="diamond", size=90, filled=True, color="#d1495b").encode(
        x="day:T", y=alt.Y("lane:N", sort=lanes), tooltip=["event:N", "day:T"])
    labels = alt.Chart(marks).mark_text(align="left", dx=6, fontSize=10, color="#d1495b").encode(
        x="day:T", y=alt.Y("lane:N", sort=lanes), yOffset=alt.YOffset("i:O", scale=alt.Scale(range=[-10, 10])),
        text="event:N")
    chart = alt.layer(spans, ticks, points, labels).properties(width=620, height=150, title="Dates stated in the notice")
    return json.dumps(_config(chart).to_dict(), sort_keys=True, ensure_ascii=False)


def _json_rows(df: pl.DataFrame) -> list[dict]:
    """Rows as JSON values (dates as ISO strings), as Vega-Lite reads them."""
    return json.loads(df.write_json())


def timeline_chart(dates: pl.DataFrame, milestones: dict[str, object]) -> dict:
    """The dates a notice states on a time line (a lane for dates reported, one for planned ones), with its inspection,
    feedback and signature on a lane of their own — a Vega-Lite spec (a fixed template plus this notice's rows, so a
    page per notice costs no chart validation)."""
    data = dates.filter(~pl.col("in_title")).select(
        "text", "iso", "precision", pl.col("value_start").cast(pl.String), pl.col("value_end").cast(pl.String),
        pl.when(pl.col("planned")).then(pl.lit("planned")).otherwise(pl.lit("stated")).alias("lane"))
    marks = pl.DataFrame([{"lane": "milestones", "event": k, "day": str(v)} for k, v in milestones.items() if v is not None],
                         schema={"lane": pl.String, "event": pl.String, "day": pl.String}).with_row_index("i")
    spec = json.loads(_timeline_template())
    spec["datasets"] = {"dates": _json_rows(data), "milestones": _json_rows(marks)}
    return spec
