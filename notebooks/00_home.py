# ---
# title: "Rectification notices as data"
# subtitle: "Chinese inspection rectification notices (整改情况通报), parsed into tables, indicators and networks"
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
# After a Party inspection (巡视/巡察), an ecological-environment inspection (生态环境保护督察) or an audit, the
# inspected body publishes how it rectified the problems found. This site reads such notices as data: every
# problem, measure, document, agency, date and figure below points back to the characters of the notice it came
# from. The numbers on this page are computed from the tables when the notebooks run.

# %% tags=["parameters"]
root = None

# %%
import polars as pl

from analysis.site import views
from analysis.site.home_charts import province_map, read_province_map, signature_timeline

t = views.load(["notices", "problems", "measures", "documents", "agencies", "indicators", "quarantine"], root)
notices, indicators = t["notices"], t["indicators"]
reference = views.project(root).reference
divisions = pl.read_csv(reference / "admin_divisions.csv", schema_overrides={"code": pl.String})

# %%
views.corpus_summary(t)

# %%
views.chart(province_map(notices, divisions, read_province_map(reference)), "where the notices come from")

# %% [markdown]
# Boundaries from Natural Earth (public domain), simplified and drawn as Natural Earth draws them: a map for
# orientation, not an official one. Taiwan, Hong Kong and Macau, which the division table lists at the provincial
# level (台湾省, 香港特别行政区, 澳门特别行政区), are drawn like every province: grey while the corpus holds no notice
# from them.

# %%
views.chart(signature_timeline(notices), "when the notices were signed")

# %%
by_province = (notices.group_by("province", "city").agg(pl.len().alias("notices"), pl.col("problems_parsed").sum().alias("problems"))
               .sort("province", "city"))
views.show(by_province, caption="Notices by province and city")

# %%
headline = views.with_notice_labels(notices.join(indicators, on="notice_id"), views.notice_labels(notices)).select(
    "notice", "notice_id", "genre", "signature_date", "problems_parsed", "completion_parsed",
    "completion_declared_measures", "days_feedback_to_signature", "specificity").sort("signature_date")
views.show(headline, caption="Headline indicators (definitions on the Methods page)", tips={"notice": "notice_id"})
