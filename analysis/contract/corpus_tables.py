"""Declarations of the corpus tables: what the build assembles (quarantine, manifest checks) and what is computed from
the per-notice tables (indicators, evaluation, network)."""

from __future__ import annotations

from analysis.contract.schema import OF_NOTICE, OF_PROBLEM, C, Reference, Table, notice_id_column
from analysis.contract.values import GRAPH_NAMES, QUARANTINE_REASONS, QUARANTINE_STAGES

CORPUS_TABLES: tuple[Table, ...] = (
Table(
    name="quarantine", stage="assemble",
    grain="one row per raw file (or manifest row) that is not in the processed tables, with the reason",
    key=("file", "reason"),
    columns=(
        C("file", "str", "Path of the raw file relative to data/raw/.", "Manifest row or file on disk.", "notices/x.txt", False),
        C("notice_id", "str", "Notice id from the manifest (or the file name when unregistered).", "Manifest.", "x"),
        C("sha256", "str", "SHA-256 of the raw bytes (empty when the file is missing).", "Computed.", "ab12…"),
        C("stage", "str", "Stage that refused the file.", "manifest, ingest, parse or assemble.", "ingest", False,
          QUARANTINE_STAGES),
        C("reason", "str", "Short reason code.", "Set by the stage; see the codebook's list.", "empty", False, QUARANTINE_REASONS),
        C("message", "str", "What is wrong, in words, and what to do about it.", "Set by the stage.", "the file is empty", False),
        C("duplicate_of", "str", "For duplicates: the notice id that was kept.", "Same raw bytes or same normalised text.", "qingdao-sthjj-2024"),
    ),
    notes="Every raw file ends either in `notices` or here; `notices build` prints the counts and `--strict` fails on any row.",
),

Table(
    name="manifest_checks", stage="assemble",
    grain="one row per notice and hand-kept field that can be compared with what was extracted",
    key=("notice_id", "field"),
    references=(OF_NOTICE,),
    columns=(
        notice_id_column(),
        C("field", "str", "Field compared.", "body_as_signed, signature_date, script.", "signature_date", False),
        C("manifest_value", "str", "Value kept by hand in data/raw/manifest.csv.", "Manifest.", "2024年4月19日"),
        C("extracted_value", "str", "Value the pipeline extracted from the text.", "Parse/ingest.", "2024-04-19"),
        C("agree", "bool", "Whether the two say the same thing.", "Compared after normalising scripts and date formats.", "true"),
    ),
    notes="Hand-kept facts are never overwritten; disagreements are listed here and printed by `notices build`.",
),

Table(
    name="indicators", stage="indicators", grain="one row per notice", key=("notice_id",),
    references=(OF_NOTICE,),
    columns=(
        C("notice_id", "str", "Notice id.", "Manifest.", "taizhou-js-sthjj-2025", False),
        C("problems_declared", "int", "Problems the notice declares.", "notices.declared_problems.", "48"),
        C("problems_parsed", "int", "Problems parsed.", "notices.problems_parsed.", "48", False),
        C("problem_groups_parsed", "int", "Groups of problems parsed.", "notices.problem_groups_parsed.", "10", False),
        C("problems_agree", "bool", "See the indicator definition.", "Indicator problems_agree.", "true"),
        C("problems_agree_with", "str", "What the declared count matches.", "problems or groups.", "problems", True, ("problems", "groups")),
        C("measures_declared", "int", "Measures declared.", "notices.declared_measures.", "161"),
        C("measures_parsed", "int", "Done measures parsed.", "notices.measures_parsed.", "166", False),
        C("measures_agree", "bool", "See the indicator definition.", "Indicator measures_agree.", "false"),
        C("measures_per_problem", "float", "See the indicator definition.", "Indicator.", "3.4583"),
        C("problems_completed", "int", "Problems with status completed.", "problems.status.", "16", False),
        C("problems_long_term", "int", "Problems with status long_term.", "problems.status.", "0", False),
        C("problems_in_progress", "int", "Problems with status in_progress.", "problems.status.", "32", False),
        C("problems_status_unknown", "int", "Problems whose status the notice does not state.", "problems.status.", "0", False),
        C("completion_parsed", "float", "See the indicator definition.", "Indicator.", "0.3333"),
        C("completion_parsed_with_long_term", "float", "See the indicator definition.", "Indicator.", "0.3333"),
        C("completion_declared_measures", "float", "See the indicator definition.", "Indicator.", "0.677"),
        C("completion_declared_problems", "float", "See the indicator definition.", "Indicator.", "0.3333"),
        C("completion_declared_items", "float", "See the indicator definition.", "Indicator.", "0.95"),
        C("declared_status_agree", "bool", "See the indicator definition.", "Indicator.", "true"),
        C("days_inspection_to_feedback", "int", "See the indicator definition.", "Indicator.", "96"),
        C("days_feedback_to_signature", "int", "See the indicator definition.", "Indicator.", "228"),
        C("two_month_deadline", "date", "feedback_date + 2 calendar months.", "Calendar arithmetic (end of month if the day is missing).",
          "2023-11-04"),
        C("within_two_months", "bool", "See the indicator definition.", "Indicator.", "false"),
        C("specificity", "float", "See the indicator definition.", "Indicator.", "0.8"),
        C("share_with_date", "float", "See the indicator definition.", "Indicator.", "0.5"),
        C("share_with_figure", "float", "See the indicator definition.", "Indicator.", "0.4"),
        C("share_with_document", "float", "See the indicator definition.", "Indicator.", "0.3"),
        C("institutionalisation", "int", "See the indicator definition.", "Indicator.", "40", False),
        C("institutionalisation_incl_unmarked", "int", "Same, with unmarked titles.", "Indicator.", "52", False),
        C("collaboration_breadth", "int", "See the indicator definition.", "Indicator.", "12", False),
        C("formulaic_share", "float", "See the indicator definition.", "Indicator.", "0.06"),
        C("planned_items", "int", "See the indicator definition.", "Indicator.", "37", False),
        C("planned_share", "float", "See the indicator definition.", "Indicator.", "0.18"),
        C("top_theme", "str", "See the indicator definition.", "Indicator.", "party_discipline"),
    ),
    notes="Definitions, denominators and caveats: see 'Indicator definitions' below.",
),

Table(
    name="problem_indicators", stage="indicators", grain="one row per problem", key=("problem_key",),
    references=(OF_NOTICE, OF_PROBLEM),
    columns=(
        C("problem_key", "str", "Problem key.", "problems.", "binzhou-boxing-sthjfj-2023:2.4.3", False),
        C("notice_id", "str", "Notice id.", "problems.", "binzhou-boxing-sthjfj-2023", False),
        C("status", "str", "Problem status.", "problems.", "long_term", False),
        C("measures", "int", "Done measures.", "problems.", "3", False),
        C("planned", "int", "Next-step items.", "problems.", "0", False),
        C("specificity", "float", "Share of its done measures with a date, figure or document.", "As the notice-level indicator.", "0.6667"),
        C("documents_issued_revised", "int", "Distinct documents issued or revised in its text.", "documents.", "1", False),
        C("agencies_named", "int", "Distinct other agencies named in its measures.", "agencies.", "2", False),
        C("themes", "str", "Themes named in its done measures, ';'-separated in dictionary order.", "themes.csv.", "water;enforcement"),
    ),
),

Table(
    name="theme_mix", stage="indicators", grain="one row per notice and theme (all themes listed)", key=("notice_id", "theme"),
    references=(OF_NOTICE,),
    columns=(
        C("notice_id", "str", "Notice id.", "measures.", "qingdao-sthjj-2024", False),
        C("theme", "str", "Theme.", "data/dictionaries/themes.csv.", "air", False),
        C("measures_with_theme", "int", "Done measures naming one of the theme's keywords.", "Substring match.", "7", False),
        C("share", "float", "measures_with_theme / done measures (null when there are none).", "Ratio.", "0.0778"),
    ),
),

Table(
    name="evaluation", stage="evaluate", grain="one row per annotated field (section, field) over all annotated notices",
    key=("section", "field"),
    columns=(
        C("section", "str", "Part of the annotation.", "metadata, problems, documents, documents_unmarked, agencies, dates, figures.",
          "problems", False),
        C("field", "str", "Field compared.", "Annotation keys.", "measures", False),
        C("correct", "int", "Checks that agree.", "evaluate.py.", "106", False),
        C("total", "int", "Checks made.", "evaluate.py.", "106", False),
        C("accuracy", "float", "correct / total.", "Ratio (recall and precision for document mentions).", "1.0"),
        C("required", "bool", "Whether `notices eval` requires 100%.", "Type and relation of documents and the unmarked detector are "
          "reported only.", "true", False),
    ),
),

Table(
    name="evaluation_differences", stage="evaluate", grain="one row per check that failed", key=("notice_id", "section", "field", "item"),
    columns=(
        C("notice_id", "str", "Notice.", "Annotation.", "qingdao-sthjj-2024", False),
        C("section", "str", "Part of the annotation.", "evaluate.py.", "problems", False),
        C("field", "str", "Field compared.", "evaluate.py.", "measures", False),
        C("item", "str", "Which item (problem number, title, mention…).", "evaluate.py.", "#3 1)", False),
        C("expected", "str", "Annotated value.", "Annotation.", "4"),
        C("got", "str", "Value in the tables.", "Processed tables.", "3"),
    ),
),

Table(
    name="network_nodes", stage="network", grain="one row per graph and node", key=("graph", "node_id"), location="network/nodes",
    references=(Reference(("graph",), "network_graphs"),),
    columns=(
        C("graph", "str", "Graph the node belongs to.", "analysis/corpus/graphs.py.", "agency_agency", False, GRAPH_NAMES),
        C("node_id", "str", "kind:canonical name.", "Built from the tables.", "agency:泰州市住房和城乡建设局", False),
        C("label", "str", "Canonical name.", "agencies.canonical / documents.canonical_title / notices.notice_id.", "泰州市住房和城乡建设局", False),
        C("kind", "str", "agency, document, notice or inspection_body.", "Graph builder.", "agency", False,
          ("agency", "document", "notice", "inspection_body")),
        C("type", "str", "Agency type, document type or genre.", "agencies.type / documents.doc_type / notices.genre.", "government_department"),
        C("place", "str", "Place of an agency or notice.", "agencies.place / notices.city.", "泰州市"),
        C("level", "str", "Level of an agency or notice.", "agencies.level / notices.admin_level.", "city"),
        C("notices", "int", "Notices the node appears in.", "Evidence rows.", "1", False),
        C("hub", "bool", "In agency_policy and notice_policy: the node has more neighbours than the hub limit, so the projections "
          "do not link its neighbours through it (a national law cited by most notices would join them all and say nothing). "
          "False in the other graphs.", "Degree > NetworkConfig.hub_limit (see network_graphs.hub_limit).", "false", False),
        C("degree", "float", "Degree centrality: neighbours (in + out for directed graphs) over n − 1.",
          "igraph degree / (n − 1), as networkx.degree_centrality.", "0.25", False),
        C("weighted_degree", "float", "Sum of the weights of the node's edges.", "igraph strength(weights=weight).", "4", False),
        C("betweenness", "float", "Betweenness centrality (normalised like networkx: by (n − 1)(n − 2), × 2 if undirected; "
          "unweighted).", "igraph betweenness; exact, or estimated from sampled sources where network_graphs.betweenness "
          "= estimated.", "0.1", False),
        C("eigenvector", "float", "Weighted eigenvector centrality within the node's connected component (≥ 3 nodes), unit "
          "length per component.", "igraph eigenvector_centrality on the undirected component; null for components of 1–2 "
          "nodes or if ARPACK fails.", "0.3"),
        C("community", "int", "Louvain community (0 = largest).", "igraph community_multilevel (Louvain) on the undirected "
          "weighted graph with a fixed-seed generator (network_graphs); numbered by size, then by first node.", "0", False),
        C("component", "int", "Connected component (0 = largest).", "Undirected components, numbered by size, then by first node.", "0", False),
    ),
),

Table(
    name="network_edges", stage="network", grain="one row per graph and edge", key=("graph", "source", "target"),
    references=(Reference(("graph", "source"), "network_nodes"), Reference(("graph", "target"), "network_nodes")),
    location="network/edges",
    columns=(
        C("graph", "str", "Graph.", "analysis/corpus/graphs.py.", "agency_policy", False, GRAPH_NAMES),
        C("source", "str", "Source node id (for undirected graphs the smaller id).", "Graph builder.", "agency:泰州市生态环境局", False),
        C("target", "str", "Target node id.", "Graph builder.", "document:泰州市生态环境局经费支出报批制度", False),
        C("relation", "str", "Edge meaning (issued, revised, applied, cites, acts_with, inspected, shares …); several relations "
          "between the same pair are ';'-joined.", "Graph builder.", "issued", False),
        C("weight", "float", "Mentions (policy graphs), measures (agency_agency), notices (inspection) or shared neighbours "
          "(projections).", "Count.", "3", False),
        C("evidence", "str", "Keys of the rows the edge comes from (mention, measure or notice keys), ';'-joined.",
          "Tables.", "taizhou-js-sthjj-2025:d12;taizhou-js-sthjj-2025:d57", False),
    ),
),

Table(
    name="network_graphs", stage="network", grain="one row per graph", key=("graph",), location="network/graphs",
    notes="How each graph's metrics were computed; read it before comparing centralities across builds of different sizes.",
    columns=(
        C("graph", "str", "Graph.", "analysis/corpus/graphs.py.", "agency_agency", False, GRAPH_NAMES),
        C("directed", "bool", "Whether edges have a direction.", "Graph type.", "false", False),
        C("nodes", "int", "Nodes.", "Count.", "120", False),
        C("edges", "int", "Edges.", "Count.", "300", False),
        C("components", "int", "Connected components (directions ignored).", "igraph connected_components.", "4", False),
        C("largest_component", "int", "Nodes in the largest component.", "Count.", "100", False),
        C("communities", "int", "Louvain communities.", "network_nodes.community.", "7", False),
        C("modularity", "float", "Modularity of the Louvain partition (null without edges).", "igraph community_multilevel.", "0.41"),
        C("betweenness", "str", "exact, or estimated from `pivots` sampled source nodes (when nodes × edges exceeds the budget).",
          "NetworkConfig.betweenness_budget.", "exact", False, ("exact", "estimated")),
        C("pivots", "int", "Source nodes sampled for estimated betweenness (null when exact).", "max(64, budget // edges), fixed seed.", ""),
        C("hub_limit", "int", "Neighbours above which a node is a hub that projections do not link through.",
          "NetworkConfig.hub_limit (notices build --hub-limit).", "100", False),
        C("hubs", "int", "Hub nodes of this graph (agency_policy and notice_policy only; 0 elsewhere).", "network_nodes.hub.", "0", False),
        C("exported", "bool", "Whether network/<graph>.graphml and .gexf were written. A graph with more edges than the export "
          "limit is only in network_edges (Parquet): an XML file of millions of edges opens in no desktop tool.",
          "edges <= NetworkConfig.export_edge_limit (notices build --export-edge-limit).", "true", False),
    ),
),
)
