# ---
# title: "Reading a rectification notice as data"
# subtitle: "Teaching notebook 1 — from a 公文 to rows, and back to the characters"
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,jupyter,-all
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
# A rectification notice is a 公文 with a fixed shape: an opening paragraph (who inspected whom, when), an outline
# of problems, measures under each problem (一是…二是…), often a status, and a signature. This notebook follows
# one notice — the Boxing branch of the Binzhou ecology and environment bureau — from its text to the tables.
#
# Try each exercise before opening the answer. The answers run, and check themselves against what the notice says.

# %% tags=["parameters"]
notice_id = "binzhou-boxing-sthjfj-2023"
root = None

# %%
import polars as pl

from analysis import views

t = views.load(["notices", "problems", "measures", "figures", "dates"], root)
text = views.text_of(notice_id, root)
notice = t["notices"].filter(pl.col("notice_id") == notice_id).row(0, named=True)
problems = t["problems"].filter(pl.col("notice_id") == notice_id).sort("start")
views.md("**The opening paragraph:**\n\n> " + views.cell(text.split("\n")[0], 400))

# %% [markdown]
# ## Exercise 1 — problems and statuses
# The notice declares how many rectification items (整改事项) it completed. Read the overview section
# (一、整改工作开展情况, part (三)) and find the declared numbers. Then count the problems in the table
# `problems` and their statuses. Do they agree?

# %% jupyter={"source_hidden": true} tags=["answer"]
#| code-fold: true
#| code-summary: "Answer"
statuses = dict(problems.group_by("status").len().iter_rows())
views.md(f"The notice says 已完成整改事项19个 and 已取得阶段性成效需长期坚持整改事项1个. The table has "
         f"{problems.height} problems: {statuses.get('completed', 0)} completed, {statuses.get('long_term', 0)} long-term.")
assert problems.height == 20 and statuses == {"completed": 19, "long_term": 1}
assert (notice["declared_items_completed"], notice["declared_items_long_term"]) == (19, 1)

# %% [markdown]
# ## Exercise 2 — how long did disclosure take?
# The opening paragraph gives the inspection period and the feedback date (without a year!). The signature
# block gives the date the notice was signed. How many days passed between feedback and signature?

# %% jupyter={"source_hidden": true} tags=["answer"]
#| code-fold: true
#| code-summary: "Answer"
lag = (notice["signature_date"] - notice["feedback_date"]).days
views.md(f"Feedback {notice['feedback_date']} (the 10月21日 of the opening takes the year of the inspection, 2022); "
         f"signed {notice['signature_date']}: **{lag} days**.")
assert str(notice["feedback_date"]) == "2022-10-21" and lag == 135

# %% [markdown]
# ## Exercise 3 — every number points back to the text
# Pick the figure 71.7% (空气质量优良率). Find its row in `figures` and use `start` and `end` to cut the
# characters out of the normalised text. What was counted?

# %% jupyter={"source_hidden": true} tags=["answer"]
#| code-fold: true
#| code-summary: "Answer"
row = t["figures"].filter((pl.col("notice_id") == notice_id) & (pl.col("text") == "71.7%")).row(0, named=True)
views.md(f"`text[{row['start']}:{row['end']}]` = **{text[row['start']:row['end']]}** — {row['what']}.")
assert text[row["start"]:row["end"]] == "71.7%" and row["what"] == "空气质量优良率"

# %% [markdown]
# ## Exercise 4 — measures, one by one
# Problem 11 (针对博兴县水环境质量2021年度考核排名下滑问题) lists its measures as 一是…二是…三是…. How many
# measures does it have, and which status?

# %% jupyter={"source_hidden": true} tags=["answer"]
#| code-fold: true
#| code-summary: "Answer"
p11 = problems.filter(pl.col("label") == "11.").row(0, named=True)
views.show(t["measures"].filter(pl.col("problem_key") == p11["problem_key"]), ["label", "text"], limit=80)

# %% jupyter={"source_hidden": true} tags=["answer"]
#| code-fold: true
assert (p11["measures"], p11["status"]) == (3, "long_term")
