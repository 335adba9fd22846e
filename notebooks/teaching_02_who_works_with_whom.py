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
#
# The answers are computed from the tables of the corpus this site was built from, and each checks itself; a
# check that does not pass is shown as a warning under the answer.

# %% tags=["parameters"]
root = None

# %%
import polars as pl

from analysis.site import teaching, views
from analysis.site.charts import network_chart

t = views.load(["notices", "measures", "agencies"], root)
agencies = t["agencies"]
done = t["measures"].filter(pl.col("kind") == "done").select("measure_key")
net, _ = views.load_network(["agency_agency"], root=root)  # the network the build computed
nodes, edges = net["network_nodes"], net["network_edges"]
views.chart(network_chart(nodes, edges, "agencies acting together in one measure"), "agency network")

# %% [markdown]
# ## Exercise 1 — one agency, many names
# Notices write the same agency in several ways (among the shipped notices, the Taizhou one calls the housing bureau
# both 住建部门 and 市住建部门). Find an agency that one notice names in more than one way. Which canonical name do the mentions get?

# %% jupyter={"source_hidden": true} tags=["answer"]
#| code-fold: true
#| code-summary: "Answer"
ways = (agencies.filter(~pl.col("is_self")).group_by("notice_id", "canonical")
        .agg(pl.col("mention").unique().sort().alias("ways")).filter(pl.col("ways").list.len() > 1).sort("notice_id", "canonical"))
example = teaching.pick(ways, (pl.col("notice_id") == "taizhou-js-sthjj-2025") & (pl.col("canonical") == "泰州市住房和城乡建设局"))
answer = teaching.Answer()
if example is None:
    answer.say("No notice of this corpus writes one agency in two ways.")
else:
    rows = agencies.filter((pl.col("notice_id") == example["notice_id"]) & (pl.col("canonical") == example["canonical"]))
    answer.say(f"In `{example['notice_id']}`, {' and '.join(views.cell(w) for w in example['ways'])} are all "
               f"**{views.cell(example['canonical'])}**. In this corpus {ways.height} agencies are written in more than one "
               "way within one notice:")
    answer.say(views.table_markdown(ways.with_columns(pl.col("ways").list.join(" / ")), rows=10))
    answer.check("mentions whose offsets point at their words", rows.height,
                 teaching.spans_match(views.text_of(example["notice_id"], root), rows, "mention"),
                 "Each mention should be the characters at its offsets in the notice's text.")
answer

# %% [markdown]
# ## Exercise 2 — a word that names several agencies
# Some words stand for several agencies at once: the shipped Guangzhou notice says 与公检法机关联勤联动, and 公检法 is the
# police, the procuratorate and the court. Which mentions of this corpus name more than one agency, and which?

# %% jupyter={"source_hidden": true} tags=["answer"]
#| code-fold: true
#| code-summary: "Answer"
several = (agencies.group_by("notice_id", "start", "end", "mention").agg(pl.col("canonical").unique().sort().alias("agencies"))
           .filter(pl.col("agencies").list.len() > 1).sort("notice_id", "start"))
example = teaching.pick(several, pl.col("mention") == "公检法")
answer = teaching.Answer()
if example is None:
    answer.say("No mention of this corpus names more than one agency.")
else:
    answer.say(f"In `{example['notice_id']}`, {views.cell(example['mention'])} = "
               + "、".join(views.cell(a) for a in example["agencies"]) + f". All {several.height} such mentions:")
    answer.say(views.table_markdown(several.with_columns(pl.col("agencies").list.join("、")), ["notice_id", "mention", "agencies"]))
    if example["mention"] == "公检法":
        answer.check("agencies 公检法 stands for", 3, len(example["agencies"]),
                     "公检法 is the public security bureau, the procuratorate and the court of the place; fewer means one of "
                     "them could not be placed.")
answer

# %% [markdown]
# ## Exercise 3 — who links the notices?
# Which agency is named in the most notices? (Hint: the `notices` column of the node table.) Then check the
# network's own evidence: every edge keeps the keys of the measures it comes from.

# %% jupyter={"source_hidden": true} tags=["answer"]
#| code-fold: true
#| code-summary: "Answer"
top = teaching.pick(nodes.filter(pl.col("kind") == "agency").sort(["notices", "label"], descending=[True, False]))
answer = teaching.Answer()
if top is None:
    answer.say("The agency network of this corpus is empty: no measure names two agencies.")
else:
    touching = edges.filter((pl.col("source") == top["node_id"]) | (pl.col("target") == top["node_id"]))
    where = sorted({key.split(":")[0] for keys in touching.get_column("evidence").to_list() for key in keys.split(";")})
    answer.say(f"**{views.cell(top['label'])}** — named in measures of {top['notices']} notices: {teaching.listed(where)}.")
    answer.check("notices in the evidence of its edges", top["notices"], len(where),
                 "A node's notice count and the measures its edges come from should name the same notices.")
answer

# %% [markdown]
# ## Exercise 4 — degree by hand
# In the agency graph an edge joins two agencies named in the same measure (the notice's own organisation
# included). Take the measure that names the most agencies (in the shipped Qingdao notice, one lists 住建、城管、交通、
# 水务、园林等职能部门): how many agencies act together there, and how many edges does that measure create?

# %% jupyter={"source_hidden": true} tags=["answer"]
#| code-fold: true
#| code-summary: "Answer"
named = (agencies.filter(~pl.col("is_self") & (pl.col("type") != "inspection_body")).join(done, on="measure_key", how="semi")
         .group_by("notice_id", "measure_key").agg(pl.col("canonical").unique().sort().alias("named"))
         .with_columns(pl.col("named").list.len().alias("n")).sort(["n", "measure_key"], descending=[True, False]))
busiest = teaching.pick(named)
answer = teaching.Answer()
if busiest is None:
    answer.say("No measure of this corpus names another agency.")
else:
    organisation = t["notices"].filter(pl.col("notice_id") == busiest["notice_id"]).row(0, named=True)["organisation"]
    members = set(busiest["named"]) | ({organisation} if organisation else set())
    pairs = len(members) * (len(members) - 1) // 2
    cited = edges.filter(pl.col("evidence").str.split(";").list.contains(busiest["measure_key"])).height
    answer.say(f"Measure `{busiest['measure_key']}` names {busiest['n']} other agencies ("
               + "、".join(views.cell(a) for a in busiest["named"]) + f"); with the notice's own organisation, "
               f"**{len(members)} agencies** act together → **{pairs} edges** (n·(n−1)/2).")
    answer.check("edges of the agency graph citing this measure", pairs, cited,
                 "Every pair of agencies in one measure should be an edge that keeps the measure's key as evidence.")
answer
