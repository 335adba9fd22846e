"""Notebook helpers: slices are read lazily and hold exactly the slice's rows; values are shown as text."""

from datetime import date

import polars as pl
import pytest

from analysis.build.store import read_table
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
        read_table(built.processed, "notices").get_column("notice_id").to_list())


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


# --------------------------------------------------------------------------- tables and names


def test_a_table_is_shown_as_html_in_a_raw_block_not_a_pipe_table():
    shown = views.show(pl.DataFrame({"agency": ["生态环境部"], "mentions": [3]}), caption="Agencies").text
    assert shown.startswith("```{=html}\n") and "<caption>Agencies</caption>" in shown and "|---" not in shown


def test_a_markdown_table_gives_its_columns_dashes_by_the_width_of_their_content():
    text = views.table_markdown(pl.DataFrame({"n": [1], "title": ["关于河道管理不到位问题的整改情况"]}))
    assert text.splitlines()[1] == "|---|" + "-" * 32 + "|"


NOTICES = pl.DataFrame({"notice_id": ["a-2024", "b-2024", "c-2023", "d-2025"],
                        "organisation": ["泰州市生态环境局", "泰州市生态环境局", None, None],
                        "issuing_body": ["中共泰州市生态环境局党组", "中共泰州市生态环境局党组", "中共某县水利局党组", None],
                        "signature_date": [date(2024, 4, 19), date(2024, 9, 1), date(2023, 8, 1), None]})


def test_notices_are_named_by_organisation_and_year():
    labels = views.notice_labels(NOTICES)
    assert labels["c-2023"] == "中共某县水利局党组 2023" and labels["d-2025"] == "d-2025"


def test_two_notices_of_one_organisation_and_year_keep_their_ids_in_their_names():
    labels = views.notice_labels(NOTICES)
    assert labels["a-2024"] == "泰州市生态环境局 2024 (a-2024)" and labels["b-2024"] == "泰州市生态环境局 2024 (b-2024)"


def test_a_table_of_notices_gets_their_names_first():
    named = views.with_notice_labels(pl.DataFrame({"notice_id": ["c-2023"], "problems": [1]}), views.notice_labels(NOTICES))
    assert named.columns == ["notice", "notice_id", "problems"] and named.row(0) == ("中共某县水利局党组 2023", "c-2023", 1)


def test_notice_nodes_of_the_network_are_named_and_other_nodes_kept():
    nodes = pl.DataFrame({"node_id": ["notice:c-2023", "agency:c-2023"], "label": ["c-2023", "c-2023"], "kind": ["notice", "agency"]})
    named = views.name_notice_nodes(nodes, views.notice_labels(NOTICES))
    assert named.get_column("label").to_list() == ["中共某县水利局党组 2023", "c-2023"]


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
