"""Networks of agencies, policies, notices and inspection bodies, built from the extraction tables.

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

Nodes carry canonical name, kind, type, place and level; edges carry weight and the keys of the
evidence rows. Centralities: degree (normalised), weighted degree, betweenness (normalised,
unweighted), eigenvector within each connected component of three or more nodes (null
elsewhere, or if the power iteration does not converge); communities: networkx's Louvain with
a fixed seed on the undirected graph. Everything is inserted and written in sorted order, so
exports are byte-identical across runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import networkx as nx
import polars as pl

from .schema import C, Table, frame, register

SEED = 20240419
ROUND = 6
GRAPH_NAMES = ("agency_policy", "notice_policy", "agency_agency", "inspection",
               "agency_projection", "policy_projection_by_agency", "notice_projection", "policy_projection_by_notice")

register(Table(
    name="network_nodes", stage="network", grain="one row per graph and node", key=("graph", "node_id"),
    columns=(
        C("graph", "str", "Graph the node belongs to.", "analysis/network.py.", "agency_agency", False, GRAPH_NAMES),
        C("node_id", "str", "kind:canonical name.", "Built from the tables.", "agency:泰州市住房和城乡建设局", False),
        C("label", "str", "Canonical name.", "agencies.canonical / documents.canonical_title / notices.notice_id.", "泰州市住房和城乡建设局", False),
        C("kind", "str", "agency, document, notice or inspection_body.", "Graph builder.", "agency", False,
          ("agency", "document", "notice", "inspection_body")),
        C("type", "str", "Agency type, document type or genre.", "agencies.type / documents.doc_type / notices.genre.", "government_department"),
        C("place", "str", "Place of an agency or notice.", "agencies.place / notices.city.", "泰州市"),
        C("level", "str", "Level of an agency or notice.", "agencies.level / notices.admin_level.", "city"),
        C("notices", "int", "Notices the node appears in.", "Evidence rows.", "1", False),
        C("degree", "float", "Degree centrality (normalised by n − 1).", "networkx.degree_centrality.", "0.25", False),
        C("weighted_degree", "float", "Sum of the weights of the node's edges.", "Graph.degree(weight=).", "4", False),
        C("betweenness", "float", "Betweenness centrality (normalised, unweighted).", "networkx.betweenness_centrality.", "0.1", False),
        C("eigenvector", "float", "Eigenvector centrality within its connected component (≥ 3 nodes).",
          "networkx.eigenvector_centrality on the component; null where undefined or not converged.", "0.3"),
        C("community", "int", "Louvain community (0 = largest).", f"networkx louvain_communities(seed={SEED}) on the undirected graph; "
          "numbered by size, then by first node.", "0", False),
        C("component", "int", "Connected component (0 = largest).", "Undirected components, numbered by size, then by first node.", "0", False),
    ),
))

register(Table(
    name="network_edges", stage="network", grain="one row per graph and edge", key=("graph", "source", "target"),
    columns=(
        C("graph", "str", "Graph.", "analysis/network.py.", "agency_policy", False, GRAPH_NAMES),
        C("source", "str", "Source node id (for undirected graphs the smaller id).", "Graph builder.", "agency:泰州市生态环境局", False),
        C("target", "str", "Target node id.", "Graph builder.", "document:泰州市生态环境局经费支出报批制度", False),
        C("relation", "str", "Edge meaning (issued, revised, applied, cites, acts_with, inspected, shares …); several relations "
          "between the same pair are ';'-joined.", "Graph builder.", "issued", False),
        C("weight", "float", "Mentions (policy graphs), measures (agency_agency), notices (inspection) or shared neighbours "
          "(projections).", "Count.", "3", False),
        C("evidence", "str", "Keys of the rows the edge comes from (mention, measure or notice keys), ';'-joined.",
          "Tables.", "taizhou-js-sthjj-2025:d12;taizhou-js-sthjj-2025:d57", False),
    ),
))


@dataclass
class Graphs:
    """All graphs of a build, by name."""

    graphs: dict[str, nx.Graph]


def _node(G: nx.Graph, node_id: str, **attrs) -> None:
    """Add a node (attributes as strings, empty instead of null; GraphML cannot store None)."""
    clean = {k: ("" if v is None else v) for k, v in attrs.items()}
    if node_id not in G:
        G.add_node(node_id, **clean)


def _edge(store: dict, source: str, target: str, relation: str, evidence: str, weight: float = 1.0) -> None:
    """Accumulate weight, relations and evidence of an edge."""
    entry = store.setdefault((source, target), {"weight": 0.0, "relation": set(), "evidence": set()})
    entry["weight"] += weight
    entry["relation"].add(relation)
    entry["evidence"].add(evidence)


def _finish(G: nx.Graph, store: dict) -> nx.Graph:
    """A copy of G with nodes and the accumulated edges inserted in sorted order."""
    H = G.__class__()
    for n in sorted(G.nodes):
        H.add_node(n, **G.nodes[n])
    for (s, t) in sorted(store):
        e = store[(s, t)]
        H.add_edge(s, t, weight=float(e["weight"]), relation=";".join(sorted(e["relation"])),
                   evidence=";".join(sorted(e["evidence"])))
    return H


def _doc_attrs(documents: pl.DataFrame) -> dict[str, dict]:
    """Node attributes of each canonical document (first doc_type seen, notices cited by)."""
    attrs: dict[str, dict] = {}
    for row in documents.sort("mention_key").iter_rows(named=True):
        a = attrs.setdefault(row["canonical_title"], {"type": row["doc_type"], "notices": set()})
        a["notices"].add(row["notice_id"])
    return attrs


def agency_policy_graph(documents: pl.DataFrame, notices: pl.DataFrame, agencies: pl.DataFrame) -> nx.DiGraph:
    """Agency → document for documents issued, revised or applied."""
    G, store = nx.DiGraph(), {}
    organisation = dict(notices.select("notice_id", "organisation").iter_rows())
    agency_info = _agency_attrs(agencies, notices)
    docs = _doc_attrs(documents)
    for row in documents.sort("mention_key").iter_rows(named=True):
        relation = row["relation"]
        if relation in ("issued", "revised"):
            agent = row["issuer"]
        elif relation == "applied":
            agent = organisation.get(row["notice_id"])
        else:
            continue
        if not agent:
            continue
        doc = row["canonical_title"]
        info = agency_info.get(agent, {})
        _node(G, f"agency:{agent}", label=agent, kind="agency", type=info.get("type"), place=info.get("place"),
              level=info.get("level"))
        _node(G, f"document:{doc}", label=doc, kind="document", type=docs[doc]["type"], place=None, level=None)
        _edge(store, f"agency:{agent}", f"document:{doc}", relation, row["mention_key"])
    return _finish(G, store)


def notice_policy_graph(documents: pl.DataFrame, notices: pl.DataFrame) -> nx.DiGraph:
    """Notice → document for every mention."""
    G, store = nx.DiGraph(), {}
    info = {r["notice_id"]: r for r in notices.iter_rows(named=True)}
    docs = _doc_attrs(documents)
    for row in documents.sort("mention_key").iter_rows(named=True):
        n = info[row["notice_id"]]
        _node(G, f"notice:{row['notice_id']}", label=row["notice_id"], kind="notice", type=n["genre"], place=n["city"],
              level=n["admin_level"])
        _node(G, f"document:{row['canonical_title']}", label=row["canonical_title"], kind="document",
              type=docs[row["canonical_title"]]["type"], place=None, level=None)
        _edge(store, f"notice:{row['notice_id']}", f"document:{row['canonical_title']}", "cites", row["mention_key"])
    return _finish(G, store)


def _agency_attrs(agencies: pl.DataFrame, notices: pl.DataFrame) -> dict[str, dict]:
    """type / place / level of each canonical agency (first mention), and of each notice's organisation."""
    attrs: dict[str, dict] = {}
    for row in agencies.sort("mention_key").iter_rows(named=True):
        if row["type"] != "own_unit":
            attrs.setdefault(row["canonical"], {"type": row["type"], "place": row["place"], "level": row["level"]})
    for row in notices.iter_rows(named=True):
        if row["organisation"]:
            attrs.setdefault(row["organisation"], {"type": "government_department", "place": row["county"] or row["city"],
                                                   "level": row["admin_level"]})
    return attrs


def agency_graph(agencies: pl.DataFrame, measures: pl.DataFrame, notices: pl.DataFrame) -> nx.Graph:
    """Agencies that act together in one measure (the notice's organisation included)."""
    G, store = nx.Graph(), {}
    attrs = _agency_attrs(agencies, notices)
    organisation = dict(notices.select("notice_id", "organisation").iter_rows())
    done = set(measures.filter(pl.col("kind") == "done").get_column("measure_key").to_list())
    named = (agencies.filter(pl.col("measure_key").is_in(done) & ~pl.col("is_self") & (pl.col("type") != "inspection_body"))
             .group_by("measure_key").agg(pl.col("canonical").unique().sort(), pl.col("notice_id").first()).sort("measure_key"))
    for row in named.iter_rows(named=True):
        members = set(row["canonical"])
        if organisation.get(row["notice_id"]):
            members.add(organisation[row["notice_id"]])
        members = sorted(members)
        for name in members:
            a = attrs.get(name, {})
            _node(G, f"agency:{name}", label=name, kind="agency", type=a.get("type"), place=a.get("place"), level=a.get("level"))
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                _edge(store, f"agency:{a}", f"agency:{b}", "acts_with", row["measure_key"])
    return _finish(G, store)


INSPECTOR_PLACE_RE = re.compile(r"^(中央|省委|市委|州委|县委|区委)")


def inspection_graph(notices: pl.DataFrame) -> nx.DiGraph:
    """Inspecting body → inspected organisation, one edge per notice."""
    G, store = nx.DiGraph(), {}
    for row in notices.sort("notice_id").iter_rows(named=True):
        body, target = row["inspecting_body"], row["organisation"]
        if not body or not target:
            continue
        m = INSPECTOR_PLACE_RE.match(body)
        place = {"省委": row["province"], "市委": row["city"], "州委": row["city"], "县委": row["county"], "区委": row["county"]}.get(
            m.group(1)) if m else None
        name = (place + body[1:]) if place else body
        _node(G, f"inspection_body:{name}", label=name, kind="inspection_body", type=row["genre"], place=place,
              level=row["inspection_level"])
        _node(G, f"agency:{target}", label=target, kind="agency", type="government_department", place=row["county"] or row["city"],
              level=row["admin_level"])
        _edge(store, f"inspection_body:{name}", f"agency:{target}", "inspected", row["notice_id"])
    return _finish(G, store)


def projection(G: nx.DiGraph, kind: str) -> nx.Graph:
    """Undirected projection of a bipartite graph onto the nodes of one kind (weight: shared neighbours)."""
    U = G.to_undirected()
    keep = sorted(n for n, d in U.nodes(data=True) if d["kind"] == kind)
    P, store = nx.Graph(), {}
    for n in keep:
        P.add_node(n, **U.nodes[n])
    for i, a in enumerate(keep):
        na = set(U[a])
        for b in keep[i + 1:]:
            shared = sorted(na & set(U[b]))
            if shared:
                _edge(store, a, b, "shares", ";".join(s.split(":", 1)[1] for s in shared), float(len(shared)))
    return _finish(P, store)


def annotate_notices(G: nx.Graph) -> nx.Graph:
    """Set each node's `notices`: distinct notices in the evidence of its edges (a notice node counts itself)."""
    for node in G.nodes:
        found = set()
        for _, _, e in (G.in_edges(node, data=True) if G.is_directed() else []):
            found.update(k.split(":")[0] for k in e["evidence"].split(";"))
        for _, _, e in G.edges(node, data=True):
            found.update(k.split(":")[0] for k in e["evidence"].split(";"))
        G.nodes[node]["notices"] = 1 if G.nodes[node].get("kind") == "notice" else len(found)
    return G


def build_graphs(tables: dict[str, pl.DataFrame]) -> dict[str, nx.Graph]:
    """All graphs from the notices, measures, documents and agencies tables."""
    notices, documents, agencies, measures = tables["notices"], tables["documents"], tables["agencies"], tables["measures"]
    ap = annotate_notices(agency_policy_graph(documents, notices, agencies))
    np_ = annotate_notices(notice_policy_graph(documents, notices))
    return {
        "agency_policy": ap,
        "notice_policy": np_,
        "agency_agency": annotate_notices(agency_graph(agencies, measures, notices)),
        "inspection": annotate_notices(inspection_graph(notices)),
        "agency_projection": projection(ap, "agency"),
        "policy_projection_by_agency": projection(ap, "document"),
        "notice_projection": projection(np_, "notice"),
        "policy_projection_by_notice": projection(np_, "document"),
    }


# --------------------------------------------------------------------------- measures of the graphs


def _ranked_groups(groups: list[set]) -> list[list[str]]:
    """Node groups sorted by size (largest first), then by their first node."""
    return sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))


def communities(G: nx.Graph) -> dict[str, int]:
    """Louvain community of each node (fixed seed), numbered by size."""
    U = G.to_undirected() if G.is_directed() else G
    if U.number_of_edges() == 0:
        return {n: i for i, n in enumerate(sorted(U.nodes))}
    found = nx.community.louvain_communities(U, weight="weight", seed=SEED)
    return {n: i for i, group in enumerate(_ranked_groups(found)) for n in group}


def components(G: nx.Graph) -> dict[str, int]:
    """Connected component of each node (undirected), numbered by size."""
    U = G.to_undirected() if G.is_directed() else G
    return {n: i for i, group in enumerate(_ranked_groups(list(nx.connected_components(U)))) for n in group}


def eigenvector(G: nx.Graph) -> dict[str, float | None]:
    """Eigenvector centrality within each connected component of ≥ 3 nodes (None elsewhere or without convergence)."""
    U = G.to_undirected() if G.is_directed() else G
    values: dict[str, float | None] = {n: None for n in U.nodes}
    for group in nx.connected_components(U):
        if len(group) < 3:
            continue
        sub = U.subgraph(sorted(group))
        try:
            values.update(nx.eigenvector_centrality(sub, max_iter=1000, tol=1e-9, weight="weight"))
        except nx.PowerIterationFailedConvergence:
            continue
    return values


def node_rows(name: str, G: nx.Graph) -> list[dict]:
    """Rows of network_nodes for one graph."""
    n = G.number_of_nodes()
    degree = nx.degree_centrality(G) if n > 1 else {v: 0.0 for v in G}
    between = nx.betweenness_centrality(G, normalized=True) if n > 2 else {v: 0.0 for v in G}
    eig, comm, comp = eigenvector(G), communities(G), components(G)
    strength = dict(G.degree(weight="weight"))
    rows = []
    for node in sorted(G.nodes):
        d = G.nodes[node]
        rows.append({"graph": name, "node_id": node, "label": d.get("label") or node, "kind": d.get("kind"),
                     "type": d.get("type") or None, "place": d.get("place") or None, "level": d.get("level") or None,
                     "notices": int(d.get("notices", 0)),
                     "degree": round(degree[node], ROUND), "weighted_degree": round(float(strength[node]), ROUND),
                     "betweenness": round(between[node], ROUND),
                     "eigenvector": round(eig[node], ROUND) if eig.get(node) is not None else None,
                     "community": comm[node], "component": comp[node]})
    return rows


def edge_rows(name: str, G: nx.Graph) -> list[dict]:
    """Rows of network_edges for one graph."""
    rows = []
    for s, t, e in G.edges(data=True):
        if not G.is_directed() and t < s:
            s, t = t, s
        rows.append({"graph": name, "source": s, "target": t, "relation": e["relation"], "weight": e["weight"],
                     "evidence": e["evidence"]})
    return sorted(rows, key=lambda r: (r["source"], r["target"]))


def network_tables(graphs: dict[str, nx.Graph]) -> dict[str, pl.DataFrame]:
    """network_nodes and network_edges for every graph."""
    from .schema import TABLES

    nodes = [row for name in GRAPH_NAMES for row in node_rows(name, graphs[name])]
    edges = [row for name in GRAPH_NAMES for row in edge_rows(name, graphs[name])]
    return {"network_nodes": frame(TABLES["network_nodes"], nodes), "network_edges": frame(TABLES["network_edges"], edges)}


def with_measures(G: nx.Graph, nodes: pl.DataFrame, name: str) -> nx.Graph:
    """A copy of G whose nodes also carry their centralities and community (typed for Gephi)."""
    H = G.copy()
    for row in nodes.filter(pl.col("graph") == name).iter_rows(named=True):
        attrs = H.nodes[row["node_id"]]
        for key in ("degree", "weighted_degree", "betweenness"):
            attrs[key] = float(row[key])
        attrs["eigenvector"] = float(row["eigenvector"]) if row["eigenvector"] is not None else -1.0
        attrs["community"] = int(row["community"])
        attrs["component"] = int(row["component"])
    return H


def graphml_bytes(G: nx.Graph) -> bytes:
    """GraphML of a graph (typed attributes: string, int, double)."""
    return ("\n".join(nx.generate_graphml(G, prettyprint=True)) + "\n").encode("utf-8")


def gexf_bytes(G: nx.Graph, stamp: str) -> bytes:
    """GEXF of a graph, with networkx's 'today' in the meta element replaced by `stamp` (so the bytes are stable)."""
    text = "\n".join(nx.generate_gexf(G, prettyprint=True)) + "\n"
    return re.sub(r'lastmodifieddate="[^"]*"', f'lastmodifieddate="{stamp}"', text, count=1).encode("utf-8")
