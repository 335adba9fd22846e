# ---
# title: "Corpus overview and extraction quality"
# execute:
#   echo: false
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# What is in the corpus, what was set aside and why, and how well the extraction agrees with hand annotations.
# Parameters select a slice of the corpus: a province, a genre (party_inspection, environmental_inspection, audit,
# other) or a signature year.

# %% tags=["parameters"]
province = None
genre = None
year = None
root = None

# %%
import polars as pl

from analysis.site import views
from analysis.site.charts import evaluation_chart

s, ids = views.load_slice(["notices", "documents", "agencies", "dates", "figures", "removals"], province, genre, year, root)
t = views.load(["quarantine"], root)  # corpus-wide: files set aside
evaluation = views.load_evaluation(root)  # agreement with the annotations (empty without any)
labels = views.notice_names(root)  # notices by organisation and year (the id shows on hover)
views.md(f"**Slice:** {views.slice_label(province, genre, year)} — {len(ids)} notices.")

# %%
views.show(views.with_notice_labels(s["notices"], labels), ["notice", "province", "city", "genre", "layout", "signature_date",
                                                           "problems_parsed", "measures_parsed", "planned_parsed", "warnings"],
           caption="Notices", tips={"notice": "notice_id"})

# %% [markdown]
# ## What each notice yielded

# %%
counts = s["notices"].select("notice_id")
for name in ("documents", "agencies", "dates", "figures"):
    counts = counts.join(s[name].group_by("notice_id").len().rename({"len": name}), on="notice_id", how="left")
views.show(views.with_notice_labels(counts.fill_null(0), labels), caption="Extracted facts per notice", tips={"notice": "notice_id"})

# %% [markdown]
# ## Page noise removed at ingest
# Every character left out of the normalised text is logged with the rule that removed it.

# %%
views.show(s["removals"].group_by("rule").agg(pl.col("notice_id").n_unique().alias("notices"), pl.len().alias("spans"),
                                              pl.col("chars").sum()).sort("rule"),
           caption="Removals by rule (every span is listed in data/processed/removals/; `notices export removals` writes one CSV)")

# %% [markdown]
# ## Set aside
# Raw files that are not in the tables, with the reason (empty, binary, duplicate, no outline …).

# %%
views.show(t["quarantine"].select("file", "stage", "reason", "message", "duplicate_of"), caption="Quarantine")

# %% [markdown]
# ## Agreement with the hand annotations

# %%
views.evaluation_summary(evaluation)

# %%
views.chart(evaluation_chart(evaluation), "evaluation")

# %%
views.show(evaluation.sort("section", "field"), caption="Per-field agreement (all annotated notices)")
