"""Chart data: the rows a chart draws, aggregated in polars before they reach Altair (docs/scaling.md).

A chart is handed what it shows, never a table's raw rows:

* one mark per notice while the corpus (or slice) has at most `PER_NOTICE_LIMIT` notices — a bar per
  notice can still be read;
* beyond that, distributions: notices counted in bands of a share (`share_bands`) or of days
  (`day_bands`), problems counted by their number of measures (capped), themes averaged by province
  with the smaller provinces pooled as "other provinces" (`top_n`);
* networks: the most connected nodes and the heaviest edges among them, with only the columns drawn
  (an edge's evidence — the keys of every measure behind it — grows with the corpus and is never drawn).

Every frame here has a number of rows bounded by its bins, categories or `PER_NOTICE_LIMIT`, not by the
size of the corpus, so no chart meets Altair's row limit (which stays as it is) and no page carries a
table's rows. The per-notice values stay in the tables under the charts and on each notice's page.
"""

from __future__ import annotations

import polars as pl

PER_NOTICE_LIMIT = 40  # notices drawn one by one; above this, distributions
SHARE_BANDS = 10  # 0–10 %, 10–20 %, … 90–100 %
DAY_WIDTH, DAY_BANDS = 30, 24  # 30-day bands up to 720 days; below 0 and 720 or more in a band each
MEASURE_CAP = 15  # problems with 15 or more measures are counted together
TOP_GROUPS = 15  # provinces drawn by name; the rest pooled
OTHER = "other provinces"
NO_PROVINCE = "no province read"
NODE_COLUMNS = ("node_id", "label", "kind", "type", "level", "notices", "weighted_degree", "betweenness", "eigenvector",
                "community")
EDGE_COLUMNS = ("source", "target", "relation", "weight")


def notice_count(frame: pl.DataFrame, column: str = "notice_id") -> int:
    """How many notices a frame has rows for."""
    return frame.get_column(column).n_unique() if frame.height else 0


def per_notice(frame: pl.DataFrame, column: str = "notice_id") -> bool:
    """Whether a chart of this frame draws one mark per notice (at most PER_NOTICE_LIMIT notices)."""
    return notice_count(frame, column) <= PER_NOTICE_LIMIT


def long_form(frame: pl.DataFrame, columns: dict[str, str], name: str, value: str) -> pl.DataFrame:
    """(notice, name, value) rows: one per notice and column whose value is not null; `columns` maps a column to the
    label the chart shows."""
    return (frame.unpivot(index="notice_id", on=list(columns), variable_name=name, value_name=value)
            .drop_nulls(value).with_columns(pl.col(name).replace_strict(columns, return_dtype=pl.String))
            .rename({"notice_id": "notice"}))


SHARE_LABELS = [f"{b * 100 // SHARE_BANDS}–{(b + 1) * 100 // SHARE_BANDS}%" for b in range(SHARE_BANDS)]


def share_bands(long: pl.DataFrame, group: str, value: str = "share") -> pl.DataFrame:
    """Notices counted by band of a share in [0, 1] (the last band includes 100 %), every band of every group listed
    (0 where none): (group, band, label, notices)."""
    band = (pl.col(value) * SHARE_BANDS).floor().clip(0, SHARE_BANDS - 1).cast(pl.Int64)
    counts = long.group_by(group, band.alias("band")).agg(pl.len().alias("notices"))
    grid = (long.select(pl.col(group).unique()).join(pl.DataFrame({"band": list(range(SHARE_BANDS)),
                                                                   "label": SHARE_LABELS}), how="cross"))
    return (grid.join(counts, on=[group, "band"], how="left").with_columns(pl.col("notices").fill_null(0))
            .sort(group, "band").select(group, "band", "label", "notices"))


def day_bands(long: pl.DataFrame, group: str, value: str = "days") -> pl.DataFrame:
    """Notices counted by band of days: DAY_BANDS bands of DAY_WIDTH days, one below 0 (a date misread) and one for
    DAY_WIDTH × DAY_BANDS days or more: (group, start, end, label, notices) with `start`/`end` the band's bounds."""
    band = (pl.col(value) // DAY_WIDTH).clip(-1, DAY_BANDS)
    last = DAY_WIDTH * DAY_BANDS
    label = (pl.when(pl.col("band") < 0).then(pl.lit("below 0 days"))
             .when(pl.col("band") >= DAY_BANDS).then(pl.lit(f"{last} days or more"))
             .otherwise(pl.format("{}–{} days", pl.col("start"), pl.col("end") - 1)))
    return (long.group_by(group, band.alias("band")).agg(pl.len().alias("notices"))
            .with_columns((pl.col("band") * DAY_WIDTH).alias("start"), ((pl.col("band") + 1) * DAY_WIDTH).alias("end"))
            .with_columns(label.alias("label")).sort(group, "band").select(group, "start", "end", "label", "notices"))


def top_n(frame: pl.DataFrame, column: str, n: int = TOP_GROUPS, other: str = OTHER, missing: str = NO_PROVINCE) -> pl.DataFrame:
    """The frame with `column` kept for its n most frequent values (ties by value) and `other` for the rest; nulls
    become `missing` (counted like any value)."""
    values = frame.get_column(column).fill_null(missing)
    counts = values.value_counts(name="rows").sort(["rows", column], descending=[True, False])
    kept = counts.head(n).get_column(column).to_list()
    return frame.with_columns(pl.when(values.is_in(kept)).then(values).otherwise(pl.lit(other)).alias(column))


# --------------------------------------------------------------------------- one chart each


COMPLETION = {"completion_declared_measures": "declared: measures", "completion_declared_problems": "declared: problems",
              "completion_declared_items": "declared: items", "completion_parsed": "parsed: problems with a stated status"}
LAGS = {"days_inspection_to_feedback": "inspection end → feedback", "days_feedback_to_signature": "feedback → signed notice"}
SPECIFICITY = {"share_with_date": "date", "share_with_figure": "figure", "share_with_document": "document",
               "specificity": "any of these"}


def completion_data(indicators: pl.DataFrame) -> pl.DataFrame:
    """Per notice (notice, measure, share) or, above the limit, notices by band of share completed per measure."""
    long = long_form(indicators, COMPLETION, "measure", "share")
    return long if per_notice(indicators) else share_bands(long, "measure")


def lag_data(indicators: pl.DataFrame) -> pl.DataFrame:
    """Per notice (notice, interval, days) or, above the limit, notices by band of days per interval."""
    long = long_form(indicators, LAGS, "interval", "days")
    return long if per_notice(indicators) else day_bands(long, "interval")


def specificity_data(indicators: pl.DataFrame) -> pl.DataFrame:
    """Per notice (notice, evidence, share) or, above the limit, notices by band of share per kind of evidence."""
    long = long_form(indicators, SPECIFICITY, "evidence", "share")
    return long if per_notice(indicators) else share_bands(long, "evidence")


def measures_per_problem_data(problems: pl.DataFrame) -> pl.DataFrame:
    """Problems counted per notice, number of measures and status; above the limit, per number of measures (MEASURE_CAP
    or more together) and status: (…, measures, status, problems)."""
    if per_notice(problems):
        return (problems.group_by("notice_id", "measures", "status").agg(pl.len().alias("problems"))
                .sort("notice_id", "measures", "status"))
    capped = pl.col("measures").clip(0, MEASURE_CAP)
    return (problems.group_by(capped.alias("measures"), "status").agg(pl.len().alias("problems"))
            .with_columns(pl.when(pl.col("measures") >= MEASURE_CAP).then(pl.lit(f"{MEASURE_CAP}+"))
                          .otherwise(pl.col("measures").cast(pl.String)).alias("label"))
            .sort("measures", "status"))


def theme_data(theme_mix: pl.DataFrame, notices: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per notice (group = notice id, share) or, above the limit, the mean share per province (the TOP_GROUPS with the
    most notices, the rest pooled; all notices together without `notices`): (group, theme, share, notices)."""
    if per_notice(theme_mix):
        return theme_mix.select(pl.col("notice_id").alias("group"), "theme", "share", "measures_with_theme",
                                pl.lit(1, pl.UInt32).alias("notices"))
    if notices is None:
        grouped = theme_mix.with_columns(pl.lit("all notices").alias("group"))
    else:
        places = top_n(notices.select("notice_id", "province"), "province").rename({"province": "group"})
        grouped = theme_mix.join(places, on="notice_id", how="left")
    return (grouped.group_by("group", "theme").agg(pl.col("share").mean(), pl.col("measures_with_theme").sum(),
                                                   pl.col("notice_id").n_unique().cast(pl.UInt32).alias("notices"))
            .sort("group", "theme"))


def network_view(nodes: pl.DataFrame, edges: pl.DataFrame, max_nodes: int, max_edges: int) -> tuple[pl.DataFrame, pl.DataFrame, str]:
    """The `max_nodes` most connected nodes and the `max_edges` heaviest edges among them, with only the columns a
    chart draws; and a note saying what was left out ("" when nothing was)."""
    notes = []
    if nodes.height > max_nodes:
        nodes = nodes.sort("weighted_degree", "node_id", descending=[True, False]).head(max_nodes)
        notes.append(f"the {max_nodes} most connected nodes")
    keep = nodes.get_column("node_id").implode()
    edges = edges.filter(pl.col("source").is_in(keep) & pl.col("target").is_in(keep))
    if edges.height > max_edges:
        edges = edges.sort("weight", "source", "target", descending=[True, False, False]).head(max_edges)
        notes.append(f"the {max_edges:,} heaviest edges" + (" among them" if notes else ""))
    nodes = nodes.select([c for c in NODE_COLUMNS if c in nodes.columns])
    edges = edges.select([c for c in EDGE_COLUMNS if c in edges.columns])
    return nodes, edges, " and ".join(notes)
