"""Notebook helpers: slices are read lazily and hold exactly the slice's rows; values are shown as text."""

import polars as pl
import pytest

from analysis.site import views
from analysis.errors import ProjectError


def test_a_province_slice_holds_only_that_provinces_notices(built):
    tables, ids = views.load_slice(["notices", "measures"], province="江苏省", root=built.root)
    assert ids == ["taizhou-js-sthjj-2025"]  # the Taizhou (Jiangsu) notice is the only one from Jiangsu
    assert set(tables["measures"].get_column("notice_id")) == {"taizhou-js-sthjj-2025"}


def test_an_unknown_province_is_refused_before_anything_is_read(built):
    with pytest.raises(ProjectError):
        views.load_slice(["notices"], province="火星省", root=built.root)


def test_loading_one_notice_reads_only_its_rows(built):
    tables = views.load_notices(["problems", "quarantine"], ["qingdao-sthjj-2024"], root=built.root)
    assert set(tables["problems"].get_column("notice_id")) == {"qingdao-sthjj-2024"}
    assert tables["quarantine"].equals(views.load(["quarantine"], root=built.root)["quarantine"])  # corpus-wide: whole


def test_the_whole_corpus_slice_equals_the_eager_tables(built):
    tables, ids = views.load_slice(["notices", "documents"], root=built.root)
    eager = views.load(["notices", "documents"], root=built.root)
    assert len(ids) == 5 and all(tables[name].equals(eager[name]) for name in tables)


def test_notice_ids_lists_every_notice(built):
    assert views.notice_ids(built.root).get_column("notice_id").sort().to_list() == sorted(
        pl.read_parquet(built.processed / "notices.parquet").get_column("notice_id").to_list())


def test_a_table_cell_shows_markup_as_text():
    shown = views.cell("[点我](javascript:alert(1)) <b>x</b> `c` $m$ {{< include x >}}")
    assert "<b>" not in shown and "{{" not in shown and "\\[点我\\]" in shown and "\\`c\\`" in shown and "\\$m\\$" in shown


def test_the_corpus_summary_does_not_count_a_missing_province_as_one(tables):
    t = {name: tables[name] for name in ("notices", "problems", "measures", "documents", "agencies", "quarantine")}
    extra = t["notices"].head(1).with_columns(pl.lit("unplaced-2024").alias("notice_id"), pl.lit(None, pl.String).alias("province"))
    t["notices"] = pl.concat([t["notices"], extra])
    text = views.corpus_summary(t).text
    assert "**6 notices** from **3 provinces** (1 notice without a known province)" in text


# --------------------------------------------------------------------------- the network, as the build wrote it


def test_the_network_is_read_as_the_build_wrote_it(tables, built):
    net, ids = views.load_network(["agency_agency", "notice_policy"], root=built.root)
    assert len(ids) == 5
    for name in ("network_nodes", "network_edges", "network_graphs"):
        assert net[name].equals(tables[name].filter(pl.col("graph").is_in(["agency_agency", "notice_policy"])))


def test_a_slice_of_the_network_keeps_the_nodes_its_notices_name(tables, built):
    net, ids = views.load_network(["agency_agency", "notice_policy"], province="江苏省", root=built.root)
    assert ids == ["taizhou-js-sthjj-2025"]
    nodes, edges = net["network_nodes"], net["network_edges"]
    notices = nodes.filter(pl.col("kind") == "notice").get_column("label").to_list()
    assert notices == ["taizhou-js-sthjj-2025"]
    assert "泰州市住房和城乡建设局" in nodes.get_column("label").to_list()
    assert not nodes.filter(pl.col("label").str.starts_with("青岛")).height  # Qingdao (Shandong) bodies are not named by Taizhou
    kept = set(nodes.get_column("node_id").to_list())
    assert all(s in kept and t in kept for s, t in edges.select("source", "target").iter_rows())
    whole = tables["network_nodes"].join(nodes.select("graph", "node_id"), on=["graph", "node_id"], how="semi")
    assert nodes.sort("graph", "node_id").equals(whole.sort("graph", "node_id"))  # the whole corpus's centralities
    assert net["network_graphs"].equals(tables["network_graphs"].filter(pl.col("graph").is_in(["agency_agency", "notice_policy"])))


def test_an_unknown_graph_is_refused(built):
    with pytest.raises(ProjectError, match="not one of"):
        views.load_network(["no_such_graph"], root=built.root)


def test_the_graph_summary_says_what_network_graphs_says(tables):
    row = tables["network_graphs"].filter(pl.col("graph") == "agency_agency").row(0, named=True)
    text = views.graph_summary(tables["network_graphs"], "agency_agency").text
    assert text.startswith(f"**agency\\_agency** (undirected): {row['nodes']} nodes and {row['edges']} edges")
    assert f"{row['communities']} Louvain communities" in text and f"hub limit {row['hub_limit']} neighbours" in text


def test_a_corpus_without_annotations_has_an_empty_evaluation_with_its_columns(tmp_path):
    from analysis.contract.tables import TABLES
    from tests.conftest import copy_inputs

    root = copy_inputs(tmp_path / "p", notices=False)
    evaluation = views.load_evaluation(root)
    assert evaluation.is_empty() and evaluation.columns == TABLES["evaluation"].column_names


def test_an_empty_evaluation_is_summarised_as_no_annotations():
    from analysis.contract.tables import TABLES

    text = str(views.evaluation_summary(pl.DataFrame(schema=TABLES["evaluation"].polars_schema)))
    assert "no hand annotations" in text and "%" not in text


def test_the_evaluation_summary_counts_required_checks(tables):
    required = tables["evaluation"].filter(pl.col("required"))
    text = str(views.evaluation_summary(tables["evaluation"]))
    assert f"{required.get_column('correct').sum()} of {required.get_column('total').sum()} required checks" in text
