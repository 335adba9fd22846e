"""Metrics of the graphs: centralities, components and communities of each graph's nodes, and network_graphs.

Centralities: degree (normalised), weighted degree, betweenness (normalised, unweighted; estimated
from sampled sources on large graphs), eigenvector within each connected component of three or more
nodes (null elsewhere); communities: Louvain with a fixed seed on the undirected graph. The metrics
are computed by igraph's C core (vertices in sorted node order), because networkx's pure-Python
algorithms take minutes on the graphs of a few thousand notices. Betweenness is exact while
nodes × edges stays within `NetworkConfig.betweenness_budget` and is otherwise estimated from a
fixed-seed sample of source nodes (Brandes & Pich 2007); `network_graphs` records which, and how
each graph's metrics were computed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import igraph as ig
import polars as pl

from analysis.config import NetworkConfig
from analysis.contract.schema import frame
from analysis.contract.tables import TABLES
from analysis.contract.values import GRAPH_NAMES
from analysis.corpus.graphs import Graph

MIN_PIVOTS = 64
ROUND = 6


def to_igraph(graph: Graph) -> ig.Graph:
    """An igraph copy of a graph: vertex i is the i-th node in sorted order; edge attribute `weight`."""
    index = graph.nodes.select("node_id").with_row_index("i")
    edges = (graph.edges.join(index.rename({"node_id": "source", "i": "s"}), on="source")
             .join(index.rename({"node_id": "target", "i": "t"}), on="target").sort("s", "t"))
    H = ig.Graph(n=graph.nodes.height, edges=list(zip(edges.get_column("s").to_list(), edges.get_column("t").to_list())),
                 directed=graph.directed)
    H.es["weight"] = edges.get_column("weight").to_list()
    return H


def undirected(H: ig.Graph) -> ig.Graph:
    """H without edge directions (weights of opposite edges summed)."""
    return H.as_undirected(mode="collapse", combine_edges={"weight": "sum"}) if H.is_directed() else H


def ranked_groups(membership: list[int]) -> list[int]:
    """Group numbers re-assigned by size (largest = 0), then by their first vertex (vertices are in sorted order)."""
    first: dict[int, int] = {}
    size: dict[int, int] = {}
    for vertex, group in enumerate(membership):
        first.setdefault(group, vertex)
        size[group] = size.get(group, 0) + 1
    rank = {group: i for i, group in enumerate(sorted(size, key=lambda g: (-size[g], first[g])))}
    return [rank[group] for group in membership]


def components(U: ig.Graph) -> list[int]:
    """Connected component of each vertex, numbered by size."""
    return ranked_groups(U.connected_components().membership)


def communities(U: ig.Graph, seed: int) -> tuple[list[int], float | None]:
    """Louvain (multilevel) community of each vertex with a fixed-seed generator, numbered by size; and the modularity."""
    if U.ecount() == 0:
        return list(range(U.vcount())), None
    ig.set_random_number_generator(random.Random(seed))
    try:
        found = U.community_multilevel(weights="weight")
    finally:
        ig.set_random_number_generator(random)
    return ranked_groups(found.membership), found.modularity


def eigenvector(U: ig.Graph, component: list[int]) -> list[float | None]:
    """Weighted eigenvector centrality within each component of ≥ 3 vertices (unit length per component; else None)."""
    values: list[float | None] = [None] * U.vcount()
    members: dict[int, list[int]] = {}
    for vertex, group in enumerate(component):
        members.setdefault(group, []).append(vertex)
    for group in sorted(members):
        vertices = members[group]
        if len(vertices) < 3:
            continue
        try:
            found = U.induced_subgraph(vertices).eigenvector_centrality(weights="weight")
        except ig.InternalError:
            continue
        norm = sum(v * v for v in found) ** 0.5
        if norm > 0:
            for vertex, value in zip(vertices, found):
                values[vertex] = value / norm
    return values


def betweenness(H: ig.Graph, budget: int, seed: int) -> tuple[list[float], int | None]:
    """Normalised unweighted betweenness, exact or estimated from sampled sources; and the number of sources sampled."""
    n, m = H.vcount(), H.ecount()
    if n <= 2 or m == 0:
        return [0.0] * n, None
    scale = (1.0 if H.is_directed() else 2.0) / ((n - 1) * (n - 2))
    if n * m <= budget:
        return [b * scale for b in H.betweenness(directed=H.is_directed())], None
    k = min(n, max(MIN_PIVOTS, budget // m))
    sources = sorted(random.Random(seed).sample(range(n), k))
    raw = H.betweenness(directed=H.is_directed(), sources=sources, targets=None)
    return [b * scale * n / k for b in raw], k


@dataclass(frozen=True)
class Metrics:
    """Metrics of one graph's nodes (in sorted node order) and a summary of the graph."""

    nodes: pl.DataFrame
    summary: dict


def graph_metrics(graph: Graph, config: NetworkConfig = NetworkConfig()) -> Metrics:
    """Centralities, communities and components of one graph's nodes, and the graph's summary row."""
    H = to_igraph(graph)
    U = undirected(H)
    n = H.vcount()
    component = components(U)
    community, modularity = communities(U, config.seed)
    between, pivots = betweenness(H, config.betweenness_budget, config.seed)
    eig = eigenvector(U, component)
    values = pl.DataFrame({
        "degree": [d / (n - 1) for d in H.degree()] if n > 1 else [0.0] * n,
        "weighted_degree": [float(w) for w in H.strength(weights="weight")] if n else [],
        "betweenness": between,
        "eigenvector": eig,
    }, schema={"degree": pl.Float64, "weighted_degree": pl.Float64, "betweenness": pl.Float64, "eigenvector": pl.Float64})
    nodes = pl.concat([graph.nodes, values.with_columns(pl.all().round(ROUND)),
                       pl.DataFrame({"community": community, "component": component}, schema={"community": pl.Int64, "component": pl.Int64})],
                      how="horizontal")
    summary = {"graph": graph.name, "directed": graph.directed, "nodes": n, "edges": graph.edges.height,
               "components": len(set(component)), "largest_component": component.count(0) if n else 0,
               "communities": len(set(community)), "modularity": round(modularity, ROUND) if modularity is not None else None,
               "betweenness": "exact" if pivots is None else "estimated", "pivots": pivots,
               "hub_limit": config.hub_limit, "hubs": graph.nodes.get_column("hub").sum(),
               "exported": graph.edges.height <= config.export_edge_limit}
    return Metrics(nodes, summary)


@dataclass(frozen=True)
class GraphTables:
    """One graph's rows of network_nodes and network_edges (each in key order) and its row of network_graphs."""

    nodes: pl.DataFrame
    edges: pl.DataFrame
    summary: dict


def graph_tables(graph: Graph, config: NetworkConfig = NetworkConfig()) -> GraphTables:
    """One graph's rows of the three network tables."""
    metrics = graph_metrics(graph, config)
    return GraphTables(frame(TABLES["network_nodes"], metrics.nodes.with_columns(pl.lit(graph.name).alias("graph"))),
                       frame(TABLES["network_edges"], graph.edges.with_columns(pl.lit(graph.name).alias("graph"))),
                       metrics.summary)


def network_tables(each: dict[str, GraphTables]) -> dict[str, pl.DataFrame]:
    """network_nodes, network_edges and network_graphs of every graph (graph name → its tables): each graph's rows are in
    key order already, so the graphs are stacked in name order, not sorted again — sorting the edges of a large corpus
    would copy them all."""
    names = sorted(each)
    if names != sorted(GRAPH_NAMES):
        raise ValueError(f"network tables need every graph of {list(GRAPH_NAMES)}, got {names}")
    return {"network_nodes": frame(TABLES["network_nodes"], pl.concat([each[name].nodes for name in names])),
            "network_edges": frame(TABLES["network_edges"], pl.concat([each[name].edges for name in names])),
            "network_graphs": frame(TABLES["network_graphs"], [each[name].summary for name in GRAPH_NAMES])}
