"""Networks on hand-computed fixtures and on the built corpus."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import networkx as nx
import polars as pl
import pytest

from analysis.config import NetworkConfig
from analysis.corpus.network import Graph, agency_graph, assemble, mark_hubs, measure, notice_policy_graph, projection
from analysis.contract.tables import TABLES
from analysis.contract.schema import frame

from tests.corpus.test_indicators import agency, document, measure as measure_row


def notices_frame(*rows: tuple[str, str]) -> pl.DataFrame:
    """notices rows (id, organisation) with the columns the graph builders read."""
    return frame(TABLES["notices"], [{"notice_id": nid, "file": "f", "sha256": "0", "encoding": "utf-8", "script": "simplified",
                                      "chars_converted": 0, "chars_decoded": 1, "chars": 1, "layout": "multi_problem",
                                      "genre": "party_inspection", "organisation": org, "city": "某市", "admin_level": "city",
                                      "problems_parsed": 1, "problem_groups_parsed": 1, "measures_parsed": 1, "planned_parsed": 0}
                                     for nid, org in rows])


def edge_graph(edges: list[tuple[str, str]], directed: bool = False) -> Graph:
    """A graph of plain nodes from an edge list (weight 1 each)."""
    names = sorted({n for e in edges for n in e})
    nodes = pl.DataFrame({"node_id": names, "label": names, "kind": ["agency"] * len(names)}).with_columns(
        pl.lit(None, pl.String).alias("type"), pl.lit(None, pl.String).alias("place"), pl.lit(None, pl.String).alias("level"))
    links = pl.DataFrame({"source": [s for s, _ in edges], "target": [t for _, t in edges], "relation": ["r"] * len(edges),
                          "evidence": [f"n:{i}" for i in range(len(edges))], "notice_id": ["n"] * len(edges)})
    return assemble("g", directed, nodes, links)


def cites(*pairs: tuple[str, str]) -> pl.DataFrame:
    """documents rows: (notice, canonical title) citations."""
    return frame(TABLES["documents"], [document(f"{nid}:d{i}", None, None, title, "cited") | {"notice_id": nid}
                                       for i, (nid, title) in enumerate(pairs)])


def test_hand_computed_agency_graph():
    measures = frame(TABLES["measures"], [measure_row("n1:1:m1", "n1:1", "会同公安、财政部门检查"), measure_row("n1:1:m2", "n1:1", "联合公安查处"),
                                          measure_row("n1:1:m3", "n1:1", "召开会议")])
    agencies = frame(TABLES["agencies"], [agency("n1:a1", "n1:1:m1", "n1:1", "某市公安局"), agency("n1:a2", "n1:1:m1", "n1:1", "某市财政局"),
                                          agency("n1:a3", "n1:1:m2", "n1:1", "某市公安局")])
    graph = agency_graph(agencies, measures, notices_frame(("n1", "某市生态环境局")))
    # m1: {生态环境局, 公安局, 财政局} → three pairs; m2: {生态环境局, 公安局} → one pair; m3 names no one
    weights = {(s.split(":")[1], t.split(":")[1]): w for s, t, w in graph.edges.select("source", "target", "weight").iter_rows()}
    assert weights == {("某市公安局", "某市生态环境局"): 2.0, ("某市生态环境局", "某市财政局"): 1.0, ("某市公安局", "某市财政局"): 1.0}
    rows = {r["label"]: r for r in measure(graph).nodes.iter_rows(named=True)}
    assert {k: (v["degree"], v["weighted_degree"]) for k, v in rows.items()} == {
        "某市生态环境局": (1.0, 3.0), "某市公安局": (1.0, 3.0), "某市财政局": (1.0, 2.0)}
    G = graph.to_networkx()
    assert G.edges["agency:某市公安局", "agency:某市生态环境局"]["evidence"] == "n1:1:m1;n1:1:m2"


def test_policy_cited_by_two_notices_is_one_node_with_two_notice_edges():
    documents = frame(TABLES["documents"], [document("n1:d1", None, None, "中华人民共和国行政处罚法", "cited") | {"notice_id": "n1"},
                                            document("n2:d1", None, None, "中华人民共和国行政处罚法", "applied") | {"notice_id": "n2"}])
    G = notice_policy_graph(documents, notices_frame(("n1", "甲局"), ("n2", "乙局"))).to_networkx()
    assert sorted(G.predecessors("document:中华人民共和国行政处罚法")) == ["notice:n1", "notice:n2"]
    assert G.number_of_nodes() == 3


def test_notices_citing_the_same_policy_are_linked_in_the_projection():
    documents = cites(("n1", "甲市扬尘管理办法"), ("n2", "甲市扬尘管理办法"), ("n3", "乙市河长制规定"))
    graph = mark_hubs(notice_policy_graph(documents, notices_frame(("n1", "甲局"), ("n2", "甲局"), ("n3", "乙局"))), 100)
    shared = projection(graph, "notice", "notice_projection")
    assert shared.edges.select("source", "target", "weight", "evidence").rows() == [("notice:n1", "notice:n2", 1.0, "甲市扬尘管理办法")]
    assert shared.nodes.get_column("node_id").to_list() == ["notice:n1", "notice:n2", "notice:n3"]


def test_a_hub_policy_does_not_link_its_citers():
    # a law cited by all three notices (more than the limit of 2) links nobody; the local rule still links n1 and n2
    documents = cites(("n1", "中华人民共和国环境保护法"), ("n2", "中华人民共和国环境保护法"), ("n3", "中华人民共和国环境保护法"),
                      ("n1", "甲市扬尘管理办法"), ("n2", "甲市扬尘管理办法"))
    graph = mark_hubs(notice_policy_graph(documents, notices_frame(("n1", "甲局"), ("n2", "甲局"), ("n3", "乙局"))), 2)
    assert graph.nodes.filter(pl.col("hub")).get_column("label").to_list() == ["中华人民共和国环境保护法"]
    shared = projection(graph, "notice", "notice_projection")
    assert shared.edges.select("source", "target", "evidence").rows() == [("notice:n1", "notice:n2", "甲市扬尘管理办法")]


@pytest.mark.parametrize("directed", [False, True])
def test_exact_betweenness_matches_networkx(directed):
    G = nx.gnm_random_graph(40, 90, seed=7, directed=directed)
    graph = edge_graph([(f"v{s:02d}", f"v{t:02d}") for s, t in G.edges()], directed)
    expected = nx.betweenness_centrality(nx.relabel_nodes(G, lambda v: f"v{v:02d}"), normalized=True)
    found = dict(measure(graph).nodes.select("node_id", "betweenness").iter_rows())
    assert all(math.isclose(found[n], round(expected[n], 6), abs_tol=1e-6) for n in expected)


def test_betweenness_is_estimated_and_says_so_above_the_budget():
    G = nx.gnm_random_graph(200, 600, seed=3)
    graph = edge_graph([(f"v{s:03d}", f"v{t:03d}") for s, t in G.edges()])
    exact = dict(measure(graph).nodes.select("node_id", "betweenness").iter_rows())
    small = measure(graph, NetworkConfig(betweenness_budget=200 * 600 // 2))
    assert small.summary["betweenness"] == "estimated" and small.summary["pivots"] == 100
    estimated = dict(small.nodes.select("node_id", "betweenness").iter_rows())
    top = sorted(exact, key=exact.get, reverse=True)[:5]
    assert all(abs(estimated[n] - exact[n]) < 0.5 * exact[n] for n in top)


def test_eigenvector_of_a_star_has_unit_length():
    # star with four leaves: the centre holds 1/√2 of the vector, each leaf 1/√8
    graph = edge_graph([("c", "l1"), ("c", "l2"), ("c", "l3"), ("c", "l4")])
    values = dict(measure(graph).nodes.select("node_id", "eigenvector").iter_rows())
    assert math.isclose(values["c"], 1 / math.sqrt(2), abs_tol=1e-5)
    assert all(math.isclose(values[f"l{i}"], 1 / math.sqrt(8), abs_tol=1e-5) for i in range(1, 5))


def test_communities_are_numbered_by_size():
    # a triangle and a separate pair: two components, the triangle first
    nodes = measure(edge_graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])).nodes
    assert dict(nodes.select("node_id", "component").iter_rows()) == {"a": 0, "b": 0, "c": 0, "x": 1, "y": 1}
    assert dict(nodes.select("node_id", "community").iter_rows()) == {"a": 0, "b": 0, "c": 0, "x": 1, "y": 1}


def test_canonical_agencies_are_single_nodes(tables):
    nodes = tables["network_nodes"].filter(pl.col("graph") == "agency_agency")
    assert nodes.get_column("label").n_unique() == nodes.height
    assert "泰州市住房和城乡建设局" in nodes.get_column("label").to_list()
    assert not any("住建部门" in label for label in nodes.get_column("label").to_list())


def test_every_graph_has_a_summary_row_that_matches_its_rows(tables):
    summary = tables["network_graphs"]
    counts = tables["network_nodes"].group_by("graph").len()
    assert dict(summary.select("graph", "nodes").iter_rows()) == dict(counts.iter_rows())
    edges = dict(tables["network_edges"].group_by("graph").len().iter_rows())
    assert all(row["edges"] == edges.get(row["graph"], 0) for row in summary.iter_rows(named=True))


def test_graphml_opens_with_networkx_and_declares_typed_attributes(built):
    path = built.processed / "network" / "agency_agency.graphml"
    G = nx.read_graphml(path)
    node = next(iter(G.nodes(data=True)))[1]
    assert isinstance(node["degree"], float) and isinstance(node["community"], int) and isinstance(node["label"], str)
    assert isinstance(node["hub"], bool)
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in ET.parse(path).getroot()
            if k.tag.endswith("key")}
    assert keys[("node", "degree")] == "double" and keys[("node", "community")] in ("int", "long")
    assert keys[("edge", "weight")] == "double" and keys[("edge", "evidence")] == "string"
    rows = pl.read_parquet(built.processed / "network" / "edges.parquet").filter(pl.col("graph") == "agency_agency")
    assert G.number_of_edges() == rows.height


def test_gexf_opens_with_networkx(built):
    G = nx.read_gexf(built.processed / "network" / "notice_policy.gexf")
    nodes = pl.read_parquet(built.processed / "network" / "nodes.parquet").filter(pl.col("graph") == "notice_policy")
    assert G.number_of_nodes() == nodes.height
    some = nodes.row(0, named=True)
    assert G.nodes[some["node_id"]]["label"] == some["label"]


def test_every_edge_keeps_its_evidence_rows(tables):
    edges = tables["network_edges"].filter(pl.col("graph") == "agency_policy")
    keys = set(tables["documents"].get_column("mention_key").to_list())
    assert all(set(e.split(";")) <= keys for e in edges.get_column("evidence").to_list())
