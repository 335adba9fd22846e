# ---
# title: "Notice profile"
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
# One notice: who inspected whom and when, its outline, problems, measures, documents, agencies and dates —
# and its text with every extracted fact marked (hover a mark for what was read from it).

# %% tags=["parameters"]
notice_id = None
root = None

# %%
import polars as pl

from analysis.site import views
from analysis.site.charts import timeline_chart

notice_id = views.choose_notice(views.notice_ids(root), notice_id)
t = views.load_notices(["notices", "notice_fields", "outline", "problems", "measures", "documents", "agencies", "dates", "figures"],
                       [notice_id], root)
notice = t["notices"].filter(pl.col("notice_id") == notice_id).row(0, named=True)
views.md(f"## {views.cell(notice['title'] or notice['issuing_body'] or notice_id, 200)}\n\n"
         f"`{notice_id}` · {views.cell(notice['organisation'])} · {views.cell(notice['province'])} "
         f"{views.cell(notice['city'])} · signed {views.cell(notice['signature_date'])}")

# %%
views.show(views.notice_metadata(t, notice_id), caption="Metadata (with the rule that read each field)", limit=80)

# %% [markdown]
# ## Outline

# %%
views.show(t["outline"].filter(pl.col("notice_id") == notice_id).sort("start"), ["path", "label", "role", "heading"],
           rows=200, caption="Numbered headings and what they are")

# %% [markdown]
# ## Problems and measures

# %%
views.show(t["problems"].filter(pl.col("notice_id") == notice_id).sort("start"),
           ["path", "label", "title", "status", "status_source", "measures", "planned"], rows=200, limit=90, caption="Problems")

# %%
views.show(t["measures"].filter(pl.col("notice_id") == notice_id).sort("start"),
           ["measure_key", "kind", "label", "text", "has_date", "has_figure", "has_document"], rows=400, limit=90,
           caption="Measures (done) and next steps (planned)")

# %% [markdown]
# ## Documents and agencies

# %%
views.show(t["documents"].filter(pl.col("notice_id") == notice_id).sort("start"),
           ["title", "canonical_title", "doc_type", "relation", "issuer", "confidence"], rows=200, limit=70, caption="Policy documents")

# %%
views.show(t["agencies"].filter((pl.col("notice_id") == notice_id) & ~pl.col("is_self"))
           .group_by("canonical", "type", "level").agg(pl.len().alias("mentions"), pl.col("mention").unique().sort().str.join(" / "))
           .sort("mentions", descending=True), rows=100, caption="Other agencies named")

# %% [markdown]
# ## Dates

# %%
views.chart(timeline_chart(t["dates"].filter(pl.col("notice_id") == notice_id),
                           {"inspection ends": notice["inspection_end"], "feedback": notice["feedback_date"],
                            "signed": notice["signature_date"]}), "timeline")

# %% [markdown]
# ## The text, with what was read from it

# %%
views.highlighted_text(views.text_of(notice_id, root), views.notice_spans(t, notice_id))
