"""Networks on a hand-computed fixture and on the built corpus."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx
import polars as pl

from analysis.network import agency_graph, node_rows, notice_policy_graph
from analysis.schema import TABLES, frame

from .test_indicators import agency, document, measure


def notices_frame(*rows: tuple[str, str]) -> pl.DataFrame:
    """notices rows (id, organisation) with the columns the graph builders read."""
    return frame(TABLES["notices"], [{"notice_id": nid, "file": "f", "sha256": "0", "encoding": "utf-8", "script": "simplified",
                                      "chars_converted": 0, "chars_decoded": 1, "chars": 1, "layout": "multi_problem",
                                      "genre": "party_inspection", "organisation": org, "city": "某市", "admin_level": "city",
                                      "problems_parsed": 1, "problem_groups_parsed": 1, "measures_parsed": 1, "planned_parsed": 0}
                                     for nid, org in rows])


def test_hand_computed_agency_graph():
    measures = frame(TABLES["measures"], [measure("n1:1:m1", "n1:1", "会同公安、财政部门检查"), measure("n1:1:m2", "n1:1", "联合公安查处"),
                                          measure("n1:1:m3", "n1:1", "召开会议")])
    agencies = frame(TABLES["agencies"], [agency("n1:a1", "n1:1:m1", "n1:1", "某市公安局"), agency("n1:a2", "n1:1:m1", "n1:1", "某市财政局"),
                                          agency("n1:a3", "n1:1:m2", "n1:1", "某市公安局")])
    G = agency_graph(agencies, measures, notices_frame(("n1", "某市生态环境局")))
    # m1: {生态环境局, 公安局, 财政局} → three pairs; m2: {生态环境局, 公安局} → one pair; m3 names no one
    weights = {tuple(sorted((a.split(":")[1], b.split(":")[1]))): d["weight"] for a, b, d in G.edges(data=True)}
    assert weights == {("某市公安局", "某市生态环境局"): 2.0, ("某市生态环境局", "某市财政局"): 1.0, ("某市公安局", "某市财政局"): 1.0}
    rows = {r["label"]: r for r in node_rows("agency_agency", G)}
    assert {k: (v["degree"], v["weighted_degree"]) for k, v in rows.items()} == {
        "某市生态环境局": (1.0, 3.0), "某市公安局": (1.0, 3.0), "某市财政局": (1.0, 2.0)}
    assert G.edges["agency:某市公安局", "agency:某市生态环境局"]["evidence"] == "n1:1:m1;n1:1:m2"


def test_policy_cited_by_two_notices_is_one_node_with_two_notice_edges():
    documents = frame(TABLES["documents"], [document("n1:d1", None, None, "中华人民共和国行政处罚法", "cited") | {"notice_id": "n1"},
                                            document("n2:d1", None, None, "中华人民共和国行政处罚法", "applied") | {"notice_id": "n2"}])
    G = notice_policy_graph(documents, notices_frame(("n1", "甲局"), ("n2", "乙局")))
    assert sorted(G.predecessors("document:中华人民共和国行政处罚法")) == ["notice:n1", "notice:n2"]
    assert G.number_of_nodes() == 3


def test_canonical_agencies_are_single_nodes(tables):
    nodes = tables["network_nodes"].filter(pl.col("graph") == "agency_agency")
    assert nodes.get_column("label").n_unique() == nodes.height
    assert "泰州市住房和城乡建设局" in nodes.get_column("label").to_list()
    assert not any("住建部门" in label for label in nodes.get_column("label").to_list())


def test_graphml_opens_with_networkx_and_declares_typed_attributes(built):
    path = built.processed / "network" / "agency_agency.graphml"
    G = nx.read_graphml(path)
    node = next(iter(G.nodes(data=True)))[1]
    assert isinstance(node["degree"], float) and isinstance(node["community"], int) and isinstance(node["label"], str)
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in ET.parse(path).getroot()
            if k.tag.endswith("key")}
    assert keys[("node", "degree")] == "double" and keys[("node", "community")] in ("int", "long")
    assert keys[("edge", "weight")] == "double" and keys[("edge", "evidence")] == "string"


def test_gexf_opens_with_networkx(built):
    G = nx.read_gexf(built.processed / "network" / "notice_policy.gexf")
    assert G.number_of_nodes() == pl.read_parquet(built.processed / "network" / "nodes.parquet").filter(
        pl.col("graph") == "notice_policy").height


def test_every_edge_keeps_its_evidence_rows(tables):
    edges = tables["network_edges"].filter(pl.col("graph") == "agency_policy")
    keys = set(tables["documents"].get_column("mention_key").to_list())
    assert all(set(e.split(";")) <= keys for e in edges.get_column("evidence").to_list())
