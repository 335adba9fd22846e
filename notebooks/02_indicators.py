# ---
# title: "Indicators"
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
# Comparable measures of how each body rectified. Every indicator is defined — formula, denominator, caveats —
# on the Methods page before it is computed here. Completion rates stay empty, not zero, when a notice states
# no statuses.

# %% tags=["parameters"]
province = None
genre = None
year = None
root = None

# %%
from analysis.site import views
from analysis.site.charts import completion_chart, lags_chart, measures_per_problem_chart, specificity_chart, theme_heatmap

s, ids = views.load_slice(["notices", "indicators", "problems", "theme_mix"], province, genre, year, root)
labels = views.notice_labels(s["notices"])  # notices by organisation and year (the id shows on hover in tables)
views.md(f"**Slice:** {views.slice_label(province, genre, year)} — {len(ids)} notices.")

# %% [markdown]
# ## Completion: declared and parsed

# %%
views.chart(completion_chart(s["indicators"], labels), "completion")

# %%
views.show(views.with_notice_labels(s["indicators"], labels).select("notice", "notice_id", "problems_declared", "problems_parsed", "problems_agree_with", "problems_completed",
                                  "problems_long_term", "problems_in_progress", "problems_status_unknown", "completion_parsed",
                                  "completion_declared_measures", "completion_declared_items", "declared_status_agree"),
           caption="Problems and their statuses", tips={"notice": "notice_id"})

# %% [markdown]
# ## Disclosure lags

# %%
views.chart(lags_chart(s["indicators"], labels), "lags")

# %% [markdown]
# ## How concrete are the measures?

# %%
views.chart(specificity_chart(s["indicators"], labels), "specificity")

# %%
views.chart(measures_per_problem_chart(s["problems"], labels), "measures per problem")

# %%
views.show(views.with_notice_labels(s["indicators"], labels).select("notice", "notice_id", "measures_per_problem", "specificity", "institutionalisation",
                                  "institutionalisation_incl_unmarked", "collaboration_breadth", "formulaic_share", "planned_items",
                                  "top_theme"), caption="Specificity, rules made, collaboration, register",
           tips={"notice": "notice_id"})

# %% [markdown]
# ## What the measures are about

# %%
views.chart(theme_heatmap(s["theme_mix"], s["notices"], labels), "themes")
