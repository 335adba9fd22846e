"""GraphML and GEXF exports: escaped and stable on a fixture, read back by networkx from the built corpus."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx
import polars as pl

from analysis.corpus.exports import gexf, graphml
from analysis.corpus.metrics import graph_metrics

from tests.corpus.test_metrics import edge_graph


def test_exports_escape_text_and_write_what_bytes_says(tmp_path):
    graph = edge_graph([("a<b>&\"c\"", "d\x01e"), ("d\x01e", "f")])
    nodes = graph_metrics(graph).nodes
    for document in (graphml(nodes, graph.edges, False), gexf(nodes, graph.edges, False, "2025-01-01", "test")):
        path = tmp_path / "g.xml"
        document.write(path)
        assert path.read_bytes() == document.bytes()
        root = ET.fromstring(document.bytes())  # well-formed: markup escaped, the control character dropped
        ids = {e.get("id") for e in root.iter() if e.tag.endswith("}node")}
        assert ids == {'a<b>&"c"', "de", "f"}


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
