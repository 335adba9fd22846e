"""Graphs of agencies, policies, notices and inspection bodies, built from the extraction tables.

Graphs (node ids are `kind:name`, so an agency and a document of the same name stay apart):

* `agency_policy` (directed) — agency → document: the issuer of a document the notice says was
  issued or revised (relation issued/revised), and the notice's organisation → each document it
  applied (relation applied). Weight: mentions.
* `notice_policy` (directed) — notice → document for every mention (cites). A policy cited by
  two notices is one node with two notice edges.
* `agency_agency` (undirected) — agencies that act together in one measure: the notice's
  organisation and every other agency named in the measure (inspection bodies excluded).
  Weight: number of measures.
* `inspection` (directed) — inspecting body → inspected organisation, one edge per notice.
* projections — `agency_policy` onto agencies (sharing a document) and onto documents (sharing an
  agency); `notice_policy` onto notices (citing the same document) and onto documents (co-cited).
  A hub — a node with more neighbours than `NetworkConfig.hub_limit` — does not link its
  neighbours in a projection (flagged `hub` in network_nodes).

Nodes carry canonical name, kind, type, place and level; edges carry weight and the keys of the
evidence rows. Each graph is a pair of tidy polars frames, inserted in sorted order (networkx on
request: `Graph.to_networkx`). Centralities and communities: `analysis.corpus.metrics`; GraphML and
GEXF files: `analysis.corpus.exports`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from collections.abc import Iterator
from typing import TYPE_CHECKING

import polars as pl

from analysis.config import NetworkConfig

if TYPE_CHECKING:  # networkx is imported when a graph is asked for as one (a build that keeps its network never is)
    import networkx as nx

# Each graph is a pair of tidy frames — nodes and edges — built with polars from the extraction
# tables. An edge's rows of evidence ("links": one per mention, measure or notice) are grouped
# into one edge per pair, weight = number of links.

NODE_SCHEMA = {"node_id": pl.String, "label": pl.String, "kind": pl.String, "type": pl.String, "place": pl.String,
               "level": pl.String}
LINK_SCHEMA = {"source": pl.String, "target": pl.String, "relation": pl.String, "evidence": pl.String,
               "notice_id": pl.String}


@dataclass(frozen=True)
class Graph:
    """One graph: nodes (sorted by id; label, kind, type, place, level, notices, hub) and edges (sorted by source, target)."""

    name: str
    directed: bool
    nodes: pl.DataFrame
    edges: pl.DataFrame

    def to_networkx(self) -> nx.Graph:
        """The same graph as a networkx Graph or DiGraph (nodes and edges in sorted order, attributes as in the frames)."""
        import networkx as nx

        G = nx.DiGraph() if self.directed else nx.Graph()
        G.add_nodes_from((row.pop("node_id"), row) for row in self.nodes.iter_rows(named=True))
        G.add_edges_from((row.pop("source"), row.pop("target"), row) for row in self.edges.iter_rows(named=True))
        return G


def _non_empty(column: str) -> pl.Expr:
    """True where a text column holds something."""
    return pl.col(column).is_not_null() & (pl.col(column) != "")


def _prefixed(kind: str, column: str) -> pl.Expr:
    """`kind:value` node ids."""
    return pl.concat_str(pl.lit(f"{kind}:"), pl.col(column))


def assemble(name: str, directed: bool, nodes: pl.DataFrame, links: pl.DataFrame) -> Graph:
    """A graph from candidate node rows (first row per id wins) and evidence links (grouped into weighted edges)."""
    edges = (links.group_by("source", "target")
             .agg(pl.col("relation").unique().sort().str.join(";"), pl.len().cast(pl.Float64).alias("weight"),
                  pl.col("evidence").unique().sort().str.join(";"))
             .select("source", "target", "relation", "weight", "evidence").sort("source", "target"))
    incident = (pl.concat([links.select(pl.col("source").alias("node_id"), "notice_id"),
                           links.select(pl.col("target").alias("node_id"), "notice_id")])
                .group_by("node_id").agg(pl.col("notice_id").n_unique().alias("notices")))
    nodes = (nodes.select(list(NODE_SCHEMA)).unique("node_id", keep="first", maintain_order=True)
             .join(incident, on="node_id", how="left")
             .with_columns(pl.when(pl.col("kind") == "notice").then(1).otherwise(pl.col("notices").fill_null(0))
                           .cast(pl.Int64).alias("notices"), pl.lit(False).alias("hub"))
             .sort("node_id"))
    return Graph(name, directed, nodes, edges)


def agency_attributes(agencies: pl.DataFrame, notices: pl.DataFrame) -> pl.DataFrame:
    """type, place and level of each canonical agency (its first mention), else of a notice's organisation."""
    from_mentions = (agencies.filter(pl.col("type") != "own_unit").sort("mention_key")
                     .select(pl.col("canonical").alias("name"), "type", "place", "level"))
    from_notices = (notices.filter(_non_empty("organisation")).sort("notice_id")
                    .select(pl.col("organisation").alias("name"), pl.lit("government_department").alias("type"),
                            pl.when(_non_empty("county")).then(pl.col("county")).otherwise(pl.col("city")).alias("place"),
                            pl.col("admin_level").alias("level")))
    return pl.concat([from_mentions, from_notices]).unique("name", keep="first", maintain_order=True)


def agency_nodes(names: pl.DataFrame, attributes: pl.DataFrame) -> pl.DataFrame:
    """Node rows of agencies (a `name` column) with their attributes."""
    return (names.unique("name").join(attributes, on="name", how="left")
            .select(_prefixed("agency", "name").alias("node_id"), pl.col("name").alias("label"), pl.lit("agency").alias("kind"),
                    "type", "place", "level"))


def document_nodes(documents: pl.DataFrame) -> pl.DataFrame:
    """Node rows of canonical documents (type of the first mention)."""
    return (documents.sort("mention_key").unique("canonical_title", keep="first", maintain_order=True)
            .select(_prefixed("document", "canonical_title").alias("node_id"), pl.col("canonical_title").alias("label"),
                    pl.lit("document").alias("kind"), pl.col("doc_type").alias("type"), pl.lit(None, pl.String).alias("place"),
                    pl.lit(None, pl.String).alias("level")))


def agency_policy_graph(documents: pl.DataFrame, notices: pl.DataFrame, agencies: pl.DataFrame) -> Graph:
    """Agency → document for documents issued or revised (by their issuer) or applied (by the notice's organisation)."""
    acts = (documents.join(notices.select("notice_id", "organisation"), on="notice_id", how="left")
            .with_columns(pl.when(pl.col("relation").is_in(["issued", "revised"])).then(pl.col("issuer"))
                          .when(pl.col("relation") == "applied").then(pl.col("organisation"))
                          .otherwise(None).alias("agent"))
            .filter(_non_empty("agent")).sort("mention_key"))
    links = acts.select(_prefixed("agency", "agent").alias("source"), _prefixed("document", "canonical_title").alias("target"),
                        "relation", pl.col("mention_key").alias("evidence"), "notice_id")
    nodes = pl.concat([agency_nodes(acts.select(pl.col("agent").alias("name")), agency_attributes(agencies, notices)),
                       document_nodes(documents).join(links.select(pl.col("target").alias("node_id")).unique(), on="node_id",
                                                      how="semi")])
    return assemble("agency_policy", True, nodes, links)


def notice_policy_graph(documents: pl.DataFrame, notices: pl.DataFrame) -> Graph:
    """Notice → document for every mention."""
    cited = documents.join(notices.select("notice_id"), on="notice_id", how="semi").sort("mention_key")
    links = cited.select(_prefixed("notice", "notice_id").alias("source"), _prefixed("document", "canonical_title").alias("target"),
                         pl.lit("cites").alias("relation"), pl.col("mention_key").alias("evidence"), "notice_id")
    notice_nodes = (notices.join(cited.select("notice_id").unique(), on="notice_id", how="semi")
                    .select(_prefixed("notice", "notice_id").alias("node_id"), pl.col("notice_id").alias("label"),
                            pl.lit("notice").alias("kind"), pl.col("genre").alias("type"), pl.col("city").alias("place"),
                            pl.col("admin_level").alias("level")))
    return assemble("notice_policy", True, pl.concat([notice_nodes, document_nodes(cited)]), links)


def agency_graph(agencies: pl.DataFrame, measures: pl.DataFrame, notices: pl.DataFrame) -> Graph:
    """Agencies that act together in one measure (the notice's organisation included)."""
    done = measures.filter(pl.col("kind") == "done").select("measure_key")
    named = (agencies.filter(~pl.col("is_self") & (pl.col("type") != "inspection_body"))
             .join(done, on="measure_key", how="semi").select("measure_key", "notice_id", pl.col("canonical").alias("name")))
    own = (named.select("measure_key", "notice_id").unique().join(notices.select("notice_id", "organisation"), on="notice_id")
           .filter(_non_empty("organisation")).select("measure_key", "notice_id", pl.col("organisation").alias("name")))
    members = pl.concat([named, own]).unique()
    pairs = (members.join(members.select("measure_key", pl.col("name").alias("other")), on="measure_key")
             .filter(pl.col("name") < pl.col("other")))
    links = pairs.select(_prefixed("agency", "name").alias("source"), _prefixed("agency", "other").alias("target"),
                         pl.lit("acts_with").alias("relation"), pl.col("measure_key").alias("evidence"), "notice_id")
    return assemble("agency_agency", False, agency_nodes(members.select("name"), agency_attributes(agencies, notices)), links)


INSPECTOR_PLACE_RE = re.compile(r"^(中央|省委|市委|州委|县委|区委)")
INSPECTOR_PLACE = {"省委": "province", "市委": "city", "州委": "city", "县委": "county", "区委": "county"}


def inspecting_body_name(body: str, notice: dict) -> tuple[str, str | None]:
    """A full name for an inspecting body (市委巡察组 → 泰州市委巡察组, from the notice's place) and that place."""
    m = INSPECTOR_PLACE_RE.match(body)
    place = notice.get(INSPECTOR_PLACE[m.group(1)]) if m and m.group(1) in INSPECTOR_PLACE else None
    return ((place + body[1:]) if place else body), place


def inspection_graph(notices: pl.DataFrame) -> Graph:
    """Inspecting body → inspected organisation, one edge per notice."""
    nodes, links = [], []
    for row in notices.filter(_non_empty("inspecting_body") & _non_empty("organisation")).sort("notice_id").iter_rows(named=True):
        name, place = inspecting_body_name(row["inspecting_body"], row)
        nodes.append({"node_id": f"inspection_body:{name}", "label": name, "kind": "inspection_body", "type": row["genre"],
                      "place": place, "level": row["inspection_level"]})
        nodes.append({"node_id": f"agency:{row['organisation']}", "label": row["organisation"], "kind": "agency",
                      "type": "government_department", "place": row["county"] or row["city"], "level": row["admin_level"]})
        links.append({"source": f"inspection_body:{name}", "target": f"agency:{row['organisation']}", "relation": "inspected",
                      "evidence": row["notice_id"], "notice_id": row["notice_id"]})
    return assemble("inspection", True, pl.DataFrame(nodes, schema=NODE_SCHEMA), pl.DataFrame(links, schema=LINK_SCHEMA))


def mark_hubs(graph: Graph, hub_limit: int) -> Graph:
    """Flag the nodes of a bipartite graph with more neighbours than `hub_limit` (projections do not link through them)."""
    degree = pl.concat([graph.edges.select(pl.col("source").alias("node_id")), graph.edges.select(pl.col("target").alias("node_id"))]
                       ).group_by("node_id").agg(pl.len().alias("neighbours"))
    nodes = (graph.nodes.drop("hub").join(degree, on="node_id", how="left")
             .with_columns((pl.col("neighbours").fill_null(0) > hub_limit).alias("hub")).drop("neighbours").sort("node_id"))
    return Graph(graph.name, graph.directed, nodes, graph.edges)


def projection(graph: Graph, kind: str, name: str) -> Graph:
    """Undirected projection of a bipartite graph onto its nodes of one kind (weight: shared neighbours, hubs excepted).

    A hub (a national law cited by most notices, say) would join every pair of its neighbours and
    say nothing about them, so it is left out as a shared neighbour; see `mark_hubs`. Node ids are
    replaced by integers (in sorted order) for the self-join, which is what makes this fast.
    """
    hubs = graph.nodes.filter(pl.col("hub")).select(pl.col("node_id").alias("via"))
    is_member = pl.col("source").str.starts_with(f"{kind}:")
    pairs = (graph.edges.select(pl.when(is_member).then(pl.col("source")).otherwise(pl.col("target")).alias("member"),
                                pl.when(is_member).then(pl.col("target")).otherwise(pl.col("source")).alias("via"))
             .unique().join(hubs, on="via", how="anti"))
    members = pairs.select(pl.col("member").unique().sort()).with_row_index("m")
    vias = pairs.select(pl.col("via").unique().sort()).with_row_index("v")
    coded = pairs.join(members, on="member").join(vias, on="via").select("m", "v")
    shared = (coded.join(coded.rename({"m": "o"}), on="v").filter(pl.col("m") < pl.col("o"))
              .group_by("m", "o").agg(pl.len().cast(pl.Float64).alias("weight"), pl.col("v").sort())
              .sort("m", "o"))
    member_ids, member_names = members.get_column("m"), members.get_column("member")
    via_ids, via_labels = vias.get_column("v"), vias.get_column("via").str.splitn(":", 2).struct.field("field_1")
    edges = shared.select(
        pl.col("m").replace_strict(member_ids, member_names, return_dtype=pl.String).cast(pl.String).alias("source"),
        pl.col("o").replace_strict(member_ids, member_names, return_dtype=pl.String).cast(pl.String).alias("target"),
        pl.lit("shares").alias("relation"), "weight",
        pl.col("v").list.eval(pl.element().replace_strict(via_ids, via_labels, return_dtype=pl.String)).list.join(";")
        .cast(pl.String).alias("evidence"))
    if shared.is_empty():  # polars keeps the integer codes' type when the mapping is empty
        edges = graph.edges.clear()
    nodes = graph.nodes.filter(pl.col("kind") == kind).with_columns(pl.lit(False).alias("hub"))
    return Graph(name, False, nodes, edges)


# The only columns the graphs are built from: the network stage is carried over from the last
# build when these (and the code and options) are unchanged — a fixed typo in a measure moves no edge.
NETWORK_COLUMNS = {
    "notices": ("notice_id", "organisation", "province", "city", "county", "admin_level", "genre", "inspecting_body",
                "inspection_level", "signature_date"),
    "documents": ("notice_id", "mention_key", "relation", "issuer", "canonical_title", "doc_type"),
    "agencies": ("notice_id", "mention_key", "measure_key", "canonical", "type", "place", "level", "is_self"),
    "measures": ("measure_key", "kind"),
}


def network_inputs(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The columns of the corpus tables that the graphs are built from."""
    return {name: tables[name].select(columns) for name, columns in NETWORK_COLUMNS.items()}


def inputs_fingerprint(inputs: dict[str, pl.DataFrame], *extra: str) -> str:
    """SHA-256 over the network's input frames (schema and row hashes, in row order) and any extra strings."""
    digest = hashlib.sha256(pl.__version__.encode())
    for name in sorted(inputs):
        df = inputs[name]
        digest.update(f"{name}:{df.height}:{df.schema}".encode())
        if df.height:
            for seed in (1, 2):  # two 64-bit row hashes: a changed row goes unnoticed with odds ~2^-128
                digest.update(df.hash_rows(seed=seed).to_numpy().tobytes())
    for value in extra:
        digest.update(value.encode())
    return digest.hexdigest()


def each_graph(tables: dict[str, pl.DataFrame], config: NetworkConfig = NetworkConfig()) -> Iterator[Graph]:
    """Every graph of GRAPH_NAMES, one at a time, from the notices, measures, documents and agencies tables (only
    NETWORK_COLUMNS are read): a caller that keeps only what it needs of each holds one large graph at a time."""
    inputs = network_inputs(tables)
    notices, documents, agencies, measures = inputs["notices"], inputs["documents"], inputs["agencies"], inputs["measures"]
    ap = mark_hubs(agency_policy_graph(documents, notices, agencies), config.hub_limit)
    yield ap
    yield projection(ap, "agency", "agency_projection")
    yield projection(ap, "document", "policy_projection_by_agency")
    del ap
    np_ = mark_hubs(notice_policy_graph(documents, notices), config.hub_limit)
    yield np_
    yield projection(np_, "notice", "notice_projection")
    yield projection(np_, "document", "policy_projection_by_notice")
    del np_
    yield agency_graph(agencies, measures, notices)
    yield inspection_graph(notices)
