# ---
# title: "Who works with whom: the agency network"
# subtitle: "Teaching notebook 2 — agencies, canonical names and co-occurrence"
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
# Measures often name other agencies: 会同住建部门, 与公检法机关联勤联动, 报省厅审核. The same agency is written
# many ways, so the extraction gives each mention a canonical name qualified by place. This notebook builds the
# network of agencies that appear together in one measure.

# %% tags=["parameters"]
root = None

# %%
import polars as pl

from analysis import views
from analysis.charts import network_chart

t = views.load(["agencies", "network_nodes", "network_edges"], root)
agencies = t["agencies"]
nodes = t["network_nodes"].filter(pl.col("graph") == "agency_agency")
edges = t["network_edges"].filter(pl.col("graph") == "agency_agency")
views.chart(network_chart(nodes, edges, "agencies acting together in one measure"), "agency network")

# %% [markdown]
# ## Exercise 1 — one agency, many names
# In the Taizhou notice the housing bureau appears as 住建部门 and as 市住建部门. Which canonical name do both get?

# %% jupyter={"source_hidden": true} tags=["answer"]
#| code-fold: true
#| code-summary: "Answer"
housing = agencies.filter((pl.col("notice_id") == "taizhou-js-sthjj-2025") & pl.col("mention").is_in(["住建部门", "市住建部门"]))
names = sorted(set(housing.get_column("canonical").to_list()))
views.md(f"Both are **{names[0]}**.")
assert names == ["泰州市住房和城乡建设局"]

# %% [markdown]
# ## Exercise 2 — an abbreviation that names three agencies
# The Guangzhou notice says 与公检法机关联勤联动. What does 公检法 stand for, at the city's level?

# %% jupyter={"source_hidden": true} tags=["answer"]
#| code-fold: true
#| code-summary: "Answer"
three = sorted(agencies.filter((pl.col("notice_id") == "guangzhou-sthjj-2025") & (pl.col("mention") == "公检法"))
               .get_column("canonical").to_list())
views.md("公检法 = " + "、".join(three))
assert three == ["广州市中级人民法院", "广州市人民检察院", "广州市公安局"]

# %% [markdown]
# ## Exercise 3 — who links the notices?
# Which agency is named in the most notices? (Hint: the `notices` column of the node table.) Read the notices to
# check: where does it appear?

# %% jupyter={"source_hidden": true} tags=["answer"]
#| code-fold: true
#| code-summary: "Answer"
top = nodes.filter(pl.col("kind") == "agency").sort(["notices", "label"], descending=[True, False]).row(0, named=True)
views.md(f"**{top['label']}** — named in measures of {top['notices']} notices (Binzhou, Qingdao and Taizhou).")
assert (top["label"], top["notices"]) == ("生态环境部", 3)

# %% [markdown]
# ## Exercise 4 — degree by hand
# In the agency graph an edge joins two agencies named in the same measure (the notice's own bureau included).
# Take the Qingdao measure that lists 住建、城管、交通、水务、园林等职能部门: how many agencies act together there,
# and how many edges does that measure create?

# %% jupyter={"source_hidden": true} tags=["answer"]
#| code-fold: true
#| code-summary: "Answer"
measure = agencies.filter((pl.col("notice_id") == "qingdao-sthjj-2024") & (pl.col("mention") == "园林")).row(0, named=True)["measure_key"]
members = set(agencies.filter((pl.col("measure_key") == measure) & ~pl.col("is_self")).get_column("canonical").to_list()) | {"青岛市生态环境局"}
pairs = len(members) * (len(members) - 1) // 2
views.md(f"{len(members)} agencies (the five departments and the bureau itself) → {pairs} edges.")
assert len(members) == 6 and pairs == 15
