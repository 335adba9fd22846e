# ---
# title: "Networks of agencies and policies"
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
# Agencies that act together in one measure, agencies and the policies they issue or apply, and notices and
# the policies they cite — the network the build computed (`notices build`; its options, such as `--hub-limit`,
# are in the summary under each chart). Drag to pan, scroll to zoom, hover for details. GraphML and GEXF files
# for Gephi and Cytoscape are in `data/processed/network/`.

# %% tags=["parameters"]
province = None
genre = None
year = None
graph = "agency_agency"
root = None

# %%
import polars as pl

from analysis.site import views
from analysis.site.charts import GRAPH_TITLES, network_chart

net, ids = views.load_network([graph, "agency_policy", "notice_policy"], province, genre, year, root)
nodes, edges = views.name_notice_nodes(net["network_nodes"], views.notice_names(root)), net["network_edges"]
views.md(f"**Slice:** {views.slice_label(province, genre, year)} — {len(ids)} notices."
         + (" Shown: the nodes they name and the edges between them, with the whole corpus's centralities, communities and "
            "counts." if province or genre or year else ""))

# %%
views.chart(network_chart(nodes.filter(pl.col("graph") == graph), edges.filter(pl.col("graph") == graph),
                          GRAPH_TITLES[graph]), graph)

# %%
views.graph_summary(net["network_graphs"], graph)

# %%
views.show(nodes.filter(pl.col("graph") == graph).sort("weighted_degree", descending=True),
           ["label", "kind", "type", "level", "notices", "degree", "weighted_degree", "betweenness", "eigenvector", "community"],
           rows=20, caption=f"Most connected nodes of {graph}", headers={"label": "name"})

# %%
communities = (nodes.filter(pl.col("graph") == graph).group_by("community")
               .agg(pl.len().alias("nodes"), pl.col("label").sort_by("weighted_degree", descending=True).head(5).str.join(" · ").alias("largest"))
               .sort("community"))
views.show(communities, caption="Louvain communities (fixed seed)", headers={"largest": "largest members"})

# %% [markdown]
# ## Agencies and policies

# %%
views.chart(network_chart(nodes.filter(pl.col("graph") == "agency_policy"), edges.filter(pl.col("graph") == "agency_policy"),
                          GRAPH_TITLES["agency_policy"], max_labels=10), "agency_policy")

# %%
views.graph_summary(net["network_graphs"], "agency_policy")

# %%
views.show(nodes.filter((pl.col("graph") == "notice_policy") & (pl.col("kind") == "document")).sort("notices", "weighted_degree",
                                                                                                    descending=True),
           ["label", "type", "notices", "weighted_degree"], rows=15, caption="Most cited policies", headers={"label": "policy"})
