"""Graph metrics (centralities, components, communities) on hand-computed fixtures and on the built corpus."""

from __future__ import annotations

import math

import networkx as nx
import polars as pl
import pytest

from analysis.config import NetworkConfig
from analysis.contract.values import GRAPH_NAMES
from analysis.corpus.graphs import Graph, assemble
from analysis.corpus.metrics import GraphTables, graph_metrics, graph_tables, network_tables

from tests.corpus.test_graphs import hand_agency_graph


def edge_graph(edges: list[tuple[str, str]], directed: bool = False) -> Graph:
    """A graph of plain nodes from an edge list (weight 1 each)."""
    names = sorted({n for e in edges for n in e})
    nodes = pl.DataFrame({"node_id": names, "label": names, "kind": ["agency"] * len(names)}).with_columns(
        pl.lit(None, pl.String).alias("type"), pl.lit(None, pl.String).alias("place"), pl.lit(None, pl.String).alias("level"))
    links = pl.DataFrame({"source": [s for s, _ in edges], "target": [t for _, t in edges], "relation": ["r"] * len(edges),
                          "evidence": [f"n:{i}" for i in range(len(edges))], "notice_id": ["n"] * len(edges)})
    return assemble("g", directed, nodes, links)


def test_degrees_of_the_hand_computed_agency_graph():
    rows = {r["label"]: r for r in graph_metrics(hand_agency_graph()).nodes.iter_rows(named=True)}
    assert {k: (v["degree"], v["weighted_degree"]) for k, v in rows.items()} == {
        "某市生态环境局": (1.0, 3.0), "某市公安局": (1.0, 3.0), "某市财政局": (1.0, 2.0)}


@pytest.mark.parametrize("directed", [False, True])
def test_exact_betweenness_matches_networkx(directed):
    G = nx.gnm_random_graph(40, 90, seed=7, directed=directed)
    graph = edge_graph([(f"v{s:02d}", f"v{t:02d}") for s, t in G.edges()], directed)
    expected = nx.betweenness_centrality(nx.relabel_nodes(G, lambda v: f"v{v:02d}"), normalized=True)
    found = dict(graph_metrics(graph).nodes.select("node_id", "betweenness").iter_rows())
    assert all(math.isclose(found[n], round(expected[n], 6), abs_tol=1e-6) for n in expected)


def test_betweenness_is_estimated_and_says_so_above_the_budget():
    G = nx.gnm_random_graph(200, 600, seed=3)
    graph = edge_graph([(f"v{s:03d}", f"v{t:03d}") for s, t in G.edges()])
    exact = dict(graph_metrics(graph).nodes.select("node_id", "betweenness").iter_rows())
    small = graph_metrics(graph, NetworkConfig(betweenness_budget=200 * 600 // 2))
    assert small.summary["betweenness"] == "estimated" and small.summary["pivots"] == 100
    estimated = dict(small.nodes.select("node_id", "betweenness").iter_rows())
    top = sorted(exact, key=exact.get, reverse=True)[:5]
    assert all(abs(estimated[n] - exact[n]) < 0.5 * exact[n] for n in top)


def test_eigenvector_of_a_star_has_unit_length():
    # star with four leaves: the centre holds 1/√2 of the vector, each leaf 1/√8
    graph = edge_graph([("c", "l1"), ("c", "l2"), ("c", "l3"), ("c", "l4")])
    values = dict(graph_metrics(graph).nodes.select("node_id", "eigenvector").iter_rows())
    assert math.isclose(values["c"], 1 / math.sqrt(2), abs_tol=1e-5)
    assert all(math.isclose(values[f"l{i}"], 1 / math.sqrt(8), abs_tol=1e-5) for i in range(1, 5))


def test_communities_are_numbered_by_size():
    # a triangle and a separate pair: two components, the triangle first
    nodes = graph_metrics(edge_graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])).nodes
    assert dict(nodes.select("node_id", "component").iter_rows()) == {"a": 0, "b": 0, "c": 0, "x": 1, "y": 1}
    assert dict(nodes.select("node_id", "community").iter_rows()) == {"a": 0, "b": 0, "c": 0, "x": 1, "y": 1}


def test_every_graph_has_a_summary_row_that_matches_its_rows(tables):
    summary = tables["network_graphs"]
    assert sorted(summary.get_column("graph").to_list()) == sorted(GRAPH_NAMES)
    counts = tables["network_nodes"].group_by("graph").len()
    assert dict(summary.select("graph", "nodes").iter_rows()) == dict(counts.iter_rows())
    edges = dict(tables["network_edges"].group_by("graph").len().iter_rows())
    assert all(row["edges"] == edges.get(row["graph"], 0) for row in summary.iter_rows(named=True))
    communities = tables["network_nodes"].group_by("graph").agg(pl.col("community").n_unique())
    assert dict(summary.select("graph", "communities").iter_rows()) == dict(communities.iter_rows())


def graph_rows(name: str, edges: list[tuple[str, str]]) -> GraphTables:
    """One small graph's rows of the network tables, under `name`."""
    graph = edge_graph(edges)
    return graph_tables(Graph(name, graph.directed, graph.nodes, graph.edges))


def test_network_tables_stack_the_graphs_in_key_order():
    each = {name: graph_rows(name, [("agency:b", "agency:c"), ("agency:a", "agency:b")]) for name in reversed(GRAPH_NAMES)}
    edges = network_tables(each)["network_edges"]
    assert edges.select("graph", "source", "target").rows() == sorted(edges.select("graph", "source", "target").rows())
    assert edges.height == 2 * len(GRAPH_NAMES)


def test_network_tables_refuse_a_missing_graph():
    with pytest.raises(ValueError, match="every graph"):
        network_tables({"inspection": graph_rows("inspection", [("agency:a", "agency:b")])})
