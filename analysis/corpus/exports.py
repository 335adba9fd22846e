"""Exports for Gephi, Cytoscape and networkx: GraphML and GEXF of one graph's rows of network_nodes and network_edges.

Written straight from the tables (streamed, UTF-8), so the exports say exactly what the tables say.
networkx reads both back (tests check it); a null eigenvector is written as -1 because GraphML and
GEXF have no null. Rows come sorted from the tables, so the files are byte-identical across runs.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl

XML_FORBIDDEN = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
EXPORT_NODE_ATTRIBUTES = (("kind", "string"), ("type", "string"), ("place", "string"), ("level", "string"), ("notices", "long"),
                          ("hub", "boolean"), ("degree", "double"), ("weighted_degree", "double"), ("betweenness", "double"),
                          ("eigenvector", "double"), ("community", "long"), ("component", "long"))
EXPORT_EDGE_ATTRIBUTES = (("relation", "string"), ("evidence", "string"))


def _xml(expr: pl.Expr) -> pl.Expr:
    """Values as XML-safe text (escaped; characters XML 1.0 forbids dropped; null as empty)."""
    return (expr.cast(pl.String).fill_null("").str.replace_all(XML_FORBIDDEN, "").str.replace_all("&", "&amp;", literal=True)
            .str.replace_all("<", "&lt;", literal=True).str.replace_all(">", "&gt;", literal=True)
            .str.replace_all('"', "&quot;", literal=True))


def _export_frames(nodes: pl.DataFrame, edges: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Node and edge columns as escaped text, ready to be spliced into XML."""
    node_text = nodes.select(_xml(pl.col("node_id")).alias("node_id"), _xml(pl.col("label")).alias("label"),
                             *[_xml(pl.col(c).fill_null(-1.0) if c == "eigenvector" else pl.col(c)).alias(c)
                               for c, _ in EXPORT_NODE_ATTRIBUTES])
    edge_text = edges.select(_xml(pl.col("source")).alias("source"), _xml(pl.col("target")).alias("target"),
                             _xml(pl.col("weight")).alias("weight"), *[_xml(pl.col(c)).alias(c) for c, _ in EXPORT_EDGE_ATTRIBUTES])
    return node_text, edge_text


@dataclass(frozen=True)
class XmlDocument:
    """An export as its opening lines, its element lines (polars Series, never turned into Python strings) and its closing lines."""

    head: list[str]
    body: list[pl.Series]
    tail: list[str]

    def write(self, path: Path) -> None:
        """Write the document (UTF-8, one element per line)."""
        with path.open("wb") as fh:
            fh.write(("\n".join(self.head) + "\n").encode("utf-8"))
            for lines in self.body:
                if len(lines):
                    pl.DataFrame({"line": lines}).write_csv(fh, include_header=False, quote_style="never")
            fh.write(("\n".join(self.tail) + "\n").encode("utf-8"))

    def bytes(self) -> bytes:
        """The document's bytes (same as `write` produces)."""
        buffer = io.BytesIO()
        buffer.write(("\n".join(self.head) + "\n").encode("utf-8"))
        for lines in self.body:
            if len(lines):
                pl.DataFrame({"line": lines}).write_csv(buffer, include_header=False, quote_style="never")
        buffer.write(("\n".join(self.tail) + "\n").encode("utf-8"))
        return buffer.getvalue()


def graphml(nodes: pl.DataFrame, edges: pl.DataFrame, directed: bool) -> XmlDocument:
    """GraphML of one graph's rows of network_nodes and network_edges (typed attributes)."""
    node_keys = [("label", "string"), *EXPORT_NODE_ATTRIBUTES]
    node_text, edge_text = _export_frames(nodes, edges)
    head = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']
    head += [f'  <key id="n{i}" for="node" attr.name="{name}" attr.type="{kind}"/>' for i, (name, kind) in enumerate(node_keys)]
    edge_keys = [("weight", "double"), *EXPORT_EDGE_ATTRIBUTES]
    head += [f'  <key id="e{i}" for="edge" attr.name="{name}" attr.type="{kind}"/>' for i, (name, kind) in enumerate(edge_keys)]
    head.append(f'  <graph edgedefault="{"directed" if directed else "undirected"}">')
    node_lines = node_text.select(pl.concat_str(
        pl.lit('    <node id="'), pl.col("node_id"), pl.lit('">'),
        *[pl.concat_str(pl.lit(f'<data key="n{i}">'), pl.col(name), pl.lit("</data>")) for i, (name, _) in enumerate(node_keys)],
        pl.lit("</node>"))).to_series()
    edge_lines = edge_text.select(pl.concat_str(
        pl.lit('    <edge source="'), pl.col("source"), pl.lit('" target="'), pl.col("target"), pl.lit('">'),
        *[pl.concat_str(pl.lit(f'<data key="e{i}">'), pl.col(name), pl.lit("</data>")) for i, (name, _) in enumerate(edge_keys)],
        pl.lit("</edge>"))).to_series()
    return XmlDocument(head, [node_lines, edge_lines], ["  </graph>", "</graphml>"])


def gexf(nodes: pl.DataFrame, edges: pl.DataFrame, directed: bool, stamp: str, creator: str) -> XmlDocument:
    """GEXF 1.2 of one graph's rows of network_nodes and network_edges (`stamp`: the lastmodifieddate, for stable bytes)."""
    node_text, edge_text = _export_frames(nodes, edges)
    head = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">',
            f'  <meta lastmodifieddate="{stamp}"><creator>{creator}</creator></meta>',
            f'  <graph defaultedgetype="{"directed" if directed else "undirected"}" mode="static">',
            '    <attributes class="node" mode="static">',
            *[f'      <attribute id="{i}" title="{name}" type="{kind}"/>' for i, (name, kind) in enumerate(EXPORT_NODE_ATTRIBUTES)],
            '    </attributes>',
            '    <attributes class="edge" mode="static">',
            *[f'      <attribute id="{i}" title="{name}" type="{kind}"/>' for i, (name, kind) in enumerate(EXPORT_EDGE_ATTRIBUTES)],
            '    </attributes>',
            '    <nodes>']
    node_lines = node_text.select(pl.concat_str(
        pl.lit('      <node id="'), pl.col("node_id"), pl.lit('" label="'), pl.col("label"), pl.lit('"><attvalues>'),
        *[pl.concat_str(pl.lit(f'<attvalue for="{i}" value="'), pl.col(name), pl.lit('"/>'))
          for i, (name, _) in enumerate(EXPORT_NODE_ATTRIBUTES)],
        pl.lit("</attvalues></node>"))).to_series()
    edge_lines = edge_text.with_row_index("id").select(pl.concat_str(
        pl.lit('      <edge id="'), pl.col("id").cast(pl.String), pl.lit('" source="'), pl.col("source"), pl.lit('" target="'),
        pl.col("target"), pl.lit('" weight="'), pl.col("weight"), pl.lit('"><attvalues>'),
        *[pl.concat_str(pl.lit(f'<attvalue for="{i}" value="'), pl.col(name), pl.lit('"/>'))
          for i, (name, _) in enumerate(EXPORT_EDGE_ATTRIBUTES)],
        pl.lit("</attvalues></edge>"))).to_series()
    return XmlDocument(head, [node_lines, pl.Series(["    </nodes>", "    <edges>"]), edge_lines],
                       ["    </edges>", "  </graph>", "</gexf>"])
