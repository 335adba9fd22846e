"""Indicators: comparable measures of how each body rectified, defined before they are computed.

`INDICATORS` holds each indicator's formula, denominator and caveats (the codebook prints them);
`compute_indicators` turns the parse/extract tables into three tables: `indicators` (one row
per notice), `problem_indicators` (one row per problem) and `theme_mix` (notice × theme).
Ratios are null — never 0 — when their denominator is 0 or unknown.
"""

from __future__ import annotations

import calendar
from datetime import date

import polars as pl

from analysis.read.resources import Resources
from analysis.contract.schema import frame
from analysis.read.text import trie_pattern

ROUND = 4




def ratio(numerator: float | int | None, denominator: float | int | None) -> float | None:
    """numerator / denominator rounded, or None when either is missing or the denominator is 0."""
    if numerator is None or denominator in (None, 0):
        return None
    return round(numerator / denominator, ROUND)


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (clamped to the month's end)."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def themes_in(texts: pl.Series, themes: tuple) -> pl.Series:
    """Themes whose keywords occur in each text, in dictionary order (one Aho–Corasick pass over the texts)."""
    keyword_themes = pl.DataFrame([(k, i, theme) for i, (theme, keywords) in enumerate(themes) for k in keywords],
                                  schema={"keyword": pl.String, "order": pl.Int64, "theme": pl.String}, orient="row")
    rows = pl.DataFrame({"text": texts}).with_row_index("row")
    if keyword_themes.height == 0:
        return pl.Series("themes", [[] for _ in range(rows.height)], dtype=pl.List(pl.String))
    found = (rows.select("row", pl.col("text").str.extract_many(keyword_themes.get_column("keyword").unique().to_list(),
                                                                   overlapping=True).alias("keyword"))
             .explode("keyword").drop_nulls("keyword").join(keyword_themes, on="keyword")
             .unique(["row", "order"]).sort("row", "order").group_by("row", maintain_order=True).agg("theme"))
    return (rows.select("row").join(found, on="row", how="left").sort("row")
            .select(pl.col("theme").fill_null(pl.lit([], pl.List(pl.String))).alias("themes")).to_series())


def formulaic_chars(text: pl.Expr, phrases: list[str]) -> pl.Expr:
    """Characters of `text` covered by formulaic phrases (leftmost, longest match first, no overlaps)."""
    if not phrases:
        return pl.lit(0, pl.Int64)
    pattern = trie_pattern(phrases, guard=False)
    return text.str.extract_all(pattern).list.eval(pl.element().str.len_chars()).list.sum().fill_null(0).cast(pl.Int64)


def _count_by(df: pl.DataFrame, key: str, name: str, expr: pl.Expr) -> pl.DataFrame:
    """One aggregate per key."""
    return df.group_by(key).agg(expr.alias(name))


def done_measures(measures: pl.DataFrame, resources: Resources) -> pl.DataFrame:
    """Done measures with their themes, formulaic characters and specificity flag."""
    done = measures.filter(pl.col("kind") == "done")
    return done.with_columns(
        themes_in(done.get_column("text"), resources.themes),
        formulaic_chars(pl.col("text"), [p for p, _ in resources.formulaic_phrases]).alias("formulaic"),
        (pl.col("has_date") | pl.col("has_figure") | pl.col("has_document")).alias("specific"),
    )


def theme_mix(notices: pl.DataFrame, done: pl.DataFrame, resources: Resources) -> pl.DataFrame:
    """Notice × theme counts and shares (every theme listed for every notice)."""
    grid = notices.select("notice_id").join(pl.DataFrame({"theme": [t for t, _ in resources.themes]}), how="cross")
    counts = (done.select("notice_id", "themes").explode("themes").drop_nulls("themes")
              .group_by("notice_id", "themes").len().rename({"themes": "theme", "len": "measures_with_theme"}))
    totals = done.group_by("notice_id").len().rename({"len": "done"})
    mix = (grid.join(counts, on=["notice_id", "theme"], how="left").join(totals, on="notice_id", how="left")
           .with_columns(pl.col("measures_with_theme").fill_null(0).cast(pl.Int64)))
    return mix.with_columns(
        pl.when(pl.col("done") > 0).then((pl.col("measures_with_theme") / pl.col("done")).round(ROUND)).otherwise(None).alias("share")
    ).select("notice_id", "theme", "measures_with_theme", "share")


def problem_indicators(problems: pl.DataFrame, done: pl.DataFrame, documents: pl.DataFrame, agencies: pl.DataFrame,
                       resources: Resources) -> pl.DataFrame:
    """Indicators of each problem."""
    order = pl.DataFrame({"theme": [t for t, _ in resources.themes], "order": list(range(len(resources.themes)))})
    spec = done.group_by("problem_key").agg(pl.len().alias("n"), pl.col("specific").sum().alias("specific"))
    themes = (done.select("problem_key", "themes").explode("themes").drop_nulls("themes").unique()
              .join(order, left_on="themes", right_on="theme").sort("problem_key", "order")
              .group_by("problem_key", maintain_order=True).agg(pl.col("themes").str.join(";")))
    docs = _count_by(documents.filter(pl.col("relation").is_in(["issued", "revised"]) & pl.col("problem_key").is_not_null()),
                     "problem_key", "documents_issued_revised", pl.col("canonical_title").n_unique())
    named = _count_by(agencies.filter(~pl.col("is_self") & (pl.col("type") != "inspection_body") & pl.col("measure_key").is_not_null()),
                      "problem_key", "agencies_named", pl.col("canonical").n_unique())
    joined = (problems.select("problem_key", "notice_id", "status", "measures", "planned")
              .join(spec, on="problem_key", how="left").join(themes, on="problem_key", how="left")
              .join(docs, on="problem_key", how="left").join(named, on="problem_key", how="left"))
    return joined.select(
        "problem_key", "notice_id", "status", "measures", "planned",
        pl.when(pl.col("n") > 0).then((pl.col("specific") / pl.col("n")).round(ROUND)).otherwise(None).alias("specificity"),
        pl.col("documents_issued_revised").fill_null(0), pl.col("agencies_named").fill_null(0), "themes")


def notice_indicators(notices: pl.DataFrame, problems: pl.DataFrame, measures: pl.DataFrame, done: pl.DataFrame,
                      documents: pl.DataFrame, agencies: pl.DataFrame, mix: pl.DataFrame, resources: Resources) -> list[dict]:
    """Indicators of each notice."""
    status = problems.group_by("notice_id").agg(
        *[(pl.col("status") == s).sum().alias(s) for s in ("completed", "long_term", "in_progress", "unknown")])
    done_stats = done.group_by("notice_id").agg(
        pl.len().alias("n_done"), pl.col("specific").sum().alias("specific"), pl.col("has_date").sum().alias("with_date"),
        pl.col("has_figure").sum().alias("with_figure"), pl.col("has_document").sum().alias("with_document"),
        pl.col("chars").sum().alias("measure_chars"), pl.col("formulaic").sum().alias("formulaic"))
    all_items = measures.group_by("notice_id").agg(pl.len().alias("n_items"))
    firm = documents.filter(pl.col("relation").is_in(["issued", "revised"])).group_by("notice_id").agg(
        pl.col("canonical_title").filter(pl.col("confidence") != "low").n_unique().alias("institutionalisation"),
        pl.col("canonical_title").n_unique().alias("institutionalisation_incl_unmarked"))
    done_keys = done.select("measure_key")
    collab = (agencies.filter(~pl.col("is_self") & (pl.col("type") != "inspection_body")).join(done_keys, on="measure_key", how="semi")
              .group_by("notice_id").agg(pl.col("canonical").n_unique().alias("collaboration_breadth")))
    order = {t: i for i, (t, _) in enumerate(resources.themes)}
    top = (mix.filter(pl.col("measures_with_theme") > 0).with_columns(pl.col("theme").replace_strict(order).alias("order"))
           .sort(["notice_id", "measures_with_theme", "order"], descending=[False, True, False])
           .group_by("notice_id", maintain_order=True).first().select("notice_id", pl.col("theme").alias("top_theme")))
    joined = notices
    for part in (status, done_stats, all_items, firm, collab, top):
        joined = joined.join(part, on="notice_id", how="left")
    rows = []
    for n in joined.iter_rows(named=True):
        completed, long_term = n["completed"] or 0, n["long_term"] or 0
        in_progress, unknown = n["in_progress"] or 0, n["unknown"] or 0
        known = n["problems_parsed"] - unknown
        declared_problems = n["declared_problems"]
        agree_with = None
        if declared_problems is not None:
            agree_with = ("problems" if declared_problems == n["problems_parsed"]
                          else "groups" if declared_problems == n["problem_groups_parsed"] else None)
        checks = [(d, p) for d, p in ((n["declared_problems_completed"], completed), (n["declared_items_completed"], completed),
                                      (n["declared_items_long_term"], long_term), (n["declared_items_in_progress"], in_progress))
                  if d is not None]
        items = [v for v in (n["declared_items_completed"], n["declared_items_long_term"], n["declared_items_in_progress"]) if v is not None]
        feedback, signature, inspection_end = n["feedback_date"], n["signature_date"], n["inspection_end"]
        deadline = add_months(feedback, 2) if feedback else None
        n_done, planned = n["n_done"] or 0, (n["n_items"] or 0) - (n["n_done"] or 0)
        rows.append({
            "notice_id": n["notice_id"], "problems_declared": declared_problems, "problems_parsed": n["problems_parsed"],
            "problem_groups_parsed": n["problem_groups_parsed"],
            "problems_agree": (agree_with is not None) if declared_problems is not None else None, "problems_agree_with": agree_with,
            "measures_declared": n["declared_measures"], "measures_parsed": n["measures_parsed"],
            "measures_agree": (n["declared_measures"] == n["measures_parsed"]) if n["declared_measures"] is not None else None,
            "measures_per_problem": ratio(n["measures_parsed"], n["problems_parsed"]),
            "problems_completed": completed, "problems_long_term": long_term, "problems_in_progress": in_progress,
            "problems_status_unknown": unknown,
            "completion_parsed": ratio(completed, known), "completion_parsed_with_long_term": ratio(completed + long_term, known),
            "completion_declared_measures": ratio(n["declared_measures_completed"], n["declared_measures"]),
            "completion_declared_problems": ratio(n["declared_problems_completed"], declared_problems),
            "completion_declared_items": ratio(n["declared_items_completed"], sum(items) if items else None),
            "declared_status_agree": all(d == p for d, p in checks) if checks else None,
            "days_inspection_to_feedback": (feedback - inspection_end).days if feedback and inspection_end else None,
            "days_feedback_to_signature": (signature - feedback).days if feedback and signature else None,
            "two_month_deadline": deadline, "within_two_months": (signature <= deadline) if deadline and signature else None,
            "specificity": ratio(n["specific"], n_done), "share_with_date": ratio(n["with_date"], n_done),
            "share_with_figure": ratio(n["with_figure"], n_done), "share_with_document": ratio(n["with_document"], n_done),
            "institutionalisation": n["institutionalisation"] or 0,
            "institutionalisation_incl_unmarked": n["institutionalisation_incl_unmarked"] or 0,
            "collaboration_breadth": n["collaboration_breadth"] or 0, "formulaic_share": ratio(n["formulaic"], n["measure_chars"]),
            "planned_items": planned, "planned_share": ratio(planned, n["n_items"]), "top_theme": n["top_theme"],
        })
    return rows


def compute_indicators(tables: dict[str, pl.DataFrame], resources: Resources) -> dict[str, pl.DataFrame]:
    """indicators, problem_indicators and theme_mix from the parse and extract tables."""
    from analysis.contract.tables import TABLES

    done = done_measures(tables["measures"], resources)
    mix = theme_mix(tables["notices"], done, resources)
    return {
        "indicators": frame(TABLES["indicators"], notice_indicators(tables["notices"], tables["problems"], tables["measures"], done,
                                                                  tables["documents"], tables["agencies"], mix, resources)),
        "problem_indicators": frame(TABLES["problem_indicators"],
                                    problem_indicators(tables["problems"], done, tables["documents"], tables["agencies"], resources)),
        "theme_mix": frame(TABLES["theme_mix"], mix),
    }
