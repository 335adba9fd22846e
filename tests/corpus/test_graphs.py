"""Graphs built from the tables: hand-computed fixtures and the built corpus."""

from __future__ import annotations

import polars as pl

from analysis.contract.schema import frame
from analysis.contract.tables import TABLES
from analysis.contract.values import GRAPH_NAMES
from analysis.corpus.graphs import Graph, agency_graph, each_graph, mark_hubs, notice_policy_graph, projection

from tests.corpus.test_indicators import agency, document, measure


def notices_frame(*rows: tuple[str, str]) -> pl.DataFrame:
    """notices rows (id, organisation) with the columns the graph builders read."""
    return frame(TABLES["notices"], [{"notice_id": nid, "file": "f", "sha256": "0", "encoding": "utf-8", "script": "simplified",
                                      "chars_converted": 0, "chars_decoded": 1, "chars": 1, "layout": "multi_problem",
                                      "genre": "party_inspection", "organisation": org, "city": "某市", "admin_level": "city",
                                      "problems_parsed": 1, "problem_groups_parsed": 1, "measures_parsed": 1, "planned_parsed": 0}
                                     for nid, org in rows])


def cites(*pairs: tuple[str, str]) -> pl.DataFrame:
    """documents rows: (notice, canonical title) citations."""
    return frame(TABLES["documents"], [document(f"{nid}:d{i}", None, None, title, "cited") | {"notice_id": nid}
                                       for i, (nid, title) in enumerate(pairs)])


def hand_agency_graph_inputs() -> tuple[pl.DataFrame, pl.DataFrame]:
    """agencies and measures rows of one notice: m1 names 公安局 and 财政局, m2 names 公安局, m3 names no one."""
    measures = frame(TABLES["measures"], [measure("n1:1:m1", "n1:1", "会同公安、财政部门检查"), measure("n1:1:m2", "n1:1", "联合公安查处"),
                                          measure("n1:1:m3", "n1:1", "召开会议")])
    agencies = frame(TABLES["agencies"], [agency("n1:a1", "n1:1:m1", "n1:1", "某市公安局"), agency("n1:a2", "n1:1:m1", "n1:1", "某市财政局"),
                                          agency("n1:a3", "n1:1:m2", "n1:1", "某市公安局")])
    return agencies, measures


def hand_agency_graph() -> Graph:
    """The agency graph of one notice (see hand_agency_graph_inputs)."""
    agencies, measures = hand_agency_graph_inputs()
    return agency_graph(agencies, measures, notices_frame(("n1", "某市生态环境局")))


def test_hand_computed_agency_graph():
    graph = hand_agency_graph()
    # m1: {生态环境局, 公安局, 财政局} → three pairs; m2: {生态环境局, 公安局} → one pair; m3 names no one
    weights = {(s.split(":")[1], t.split(":")[1]): w for s, t, w in graph.edges.select("source", "target", "weight").iter_rows()}
    assert weights == {("某市公安局", "某市生态环境局"): 2.0, ("某市生态环境局", "某市财政局"): 1.0, ("某市公安局", "某市财政局"): 1.0}
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


def test_canonical_agencies_are_single_nodes(tables):
    nodes = tables["network_nodes"].filter(pl.col("graph") == "agency_agency")
    assert nodes.get_column("label").n_unique() == nodes.height
    assert "泰州市住房和城乡建设局" in nodes.get_column("label").to_list()
    assert not any("住建部门" in label for label in nodes.get_column("label").to_list())


def test_every_edge_keeps_its_evidence_rows(tables):
    edges = tables["network_edges"].filter(pl.col("graph") == "agency_policy")
    keys = set(tables["documents"].get_column("mention_key").to_list())
    assert all(set(e.split(";")) <= keys for e in edges.get_column("evidence").to_list())


def test_each_graph_yields_every_graph_once():
    tables = {"notices": notices_frame(("n1", "某市生态环境局"), ("n2", "某市水务局")),
              "documents": cites(("n1", "《某市河道管理办法》"), ("n2", "《某市河道管理办法》")),
              "agencies": hand_agency_graph_inputs()[0], "measures": hand_agency_graph_inputs()[1]}
    names = [graph.name for graph in each_graph(tables)]
    assert sorted(names) == sorted(GRAPH_NAMES) and len(names) == len(GRAPH_NAMES)
