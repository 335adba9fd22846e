"""Notebooks: executed with papermill on the shipped corpus and on a changed one; sources stripped, paired, parameterised."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from pathlib import Path

import polars as pl
import pytest

from analysis.build.store import read_table
from analysis.config import Paths
from analysis.site.execution import NotebookRun, execute_all
from analysis.site.runner import run_notebooks

from tests.conftest import ROOT, run_build

pytestmark = pytest.mark.notebooks


def outputs(nb_path: Path) -> list[dict]:
    """All outputs of an executed notebook."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return [o for c in nb["cells"] for o in c.get("outputs", [])]


def test_every_notebook_ran_without_error(executed):
    paths, report = executed
    assert report.failed == {}
    expected = {"index.ipynb", "overview.ipynb", "indicators.ipynb", "network.ipynb", "methods.ipynb",
                "teaching/reading-a-notice.ipynb", "teaching/who-works-with-whom.ipynb"}
    expected |= {f"notices/{nid}.ipynb" for nid in read_table(paths.processed, "notices").get_column("notice_id").to_list()}
    assert set(report.executed) == expected
    for rel in expected:
        assert not [o for o in outputs(paths.reports / rel) if o["output_type"] == "error"], rel


HTML_TYPES = ("text/html", "application/javascript")  # either makes Quarto load require.js and jQuery from a CDN


@pytest.mark.parametrize("project", ["executed", "changed"])
def test_no_output_is_html(project, request):
    # the shipped corpus (profiles executed) and a changed one (pages generated; reading runs for every notice id)
    paths, _ = request.getfixturevalue(project)
    notebooks = list(paths.reports.rglob("*.ipynb"))
    assert len(notebooks) >= 7
    for nb_path in notebooks:
        for output in outputs(nb_path):
            found = [t for t in HTML_TYPES if t in output.get("data", {})]
            assert found == [], f"{nb_path.relative_to(paths.reports)}: {found}"


def test_notice_pages_show_html_only_through_markdown_raw_blocks(executed):
    paths, _ = executed
    for nb_path in (paths.reports / "notices").glob("*.ipynb"):
        for output in outputs(nb_path):
            markdown = "".join(output.get("data", {}).get("text/markdown", ""))
            bare = re.sub(r"```\{=html\}\n.*?\n```|<p class=\"mark-legend\">.*?</pre>"  # raw blocks, the marked text
                          r"|<div id=\"vega-[0-9a-f]+\" class=\"vega-chart\">\n<img [^\n]*>\n</div>\n<script [^\n]*</script>\n",  # a chart
                          "", markdown, flags=re.S)
            assert not re.search(r"<(details|table|div|script)\b", bare), nb_path.name


def test_charts_carry_vega_lite_an_svg_and_a_vega_embed_block(executed):
    paths, _ = executed
    charts = [o["data"] for o in outputs(paths.reports / "indicators.ipynb") if "application/vnd.vegalite.v5+json" in o.get("data", {})]
    assert len(charts) >= 4
    for data in charts:
        markdown = "".join(data["text/markdown"])
        assert markdown.startswith('<div id="vega-') and "vegaEmbed(" in markdown and '<img src="data:image/svg+xml;' in markdown
        assert not re.search(r"<(script|link)[^>]* (src|href)=", markdown)  # nothing loaded from anywhere


def chart_outputs(nb_path: Path) -> dict[str, dict]:
    """The charts of an executed notebook by name (their text/plain, `<chart NAME>`)."""
    return {"".join(o["data"]["text/plain"]): o["data"] for o in outputs(nb_path)
            if "application/vnd.vegalite.v5+json" in o.get("data", {})}


def test_the_home_page_maps_the_provinces_and_shows_when_notices_were_signed(executed):
    paths, _ = executed
    charts = chart_outputs(paths.reports / "index.ipynb")
    assert list(charts) == ["<chart where the notices come from>", "<chart when the notices were signed>"]
    shapes = charts["<chart where the notices come from>"]["application/vnd.vegalite.v5+json"]["layer"][0]
    assert shapes["mark"]["type"] == "geoshape" and shapes["data"]["format"] == {"type": "topojson", "feature": "provinces"}


def test_the_home_page_stays_small(executed):
    paths, _ = executed
    assert (paths.reports / "index.ipynb").stat().st_size < 512 * 1024


def test_nbconvert_shows_the_home_pages_charts_as_images(executed):
    from nbconvert import HTMLExporter

    paths, _ = executed
    page, _ = HTMLExporter().from_filename(str(paths.reports / "index.ipynb"))
    assert len(re.findall(r'<img [^>]*src="data:image/svg\+xml;charset=utf-8,%3Csvg', page)) == 2
    code_blocks = re.findall(r'<pre>.*?</pre>', page, flags=re.S)  # tables stay raw blocks: Quarto's route (issue 15)
    assert not [block for block in code_blocks if "vegaEmbed" in block or "vega-chart" in block]


def test_the_home_page_executed_again_has_the_same_outputs(executed):
    paths, _ = executed
    job = NotebookRun("00_home.ipynb", "_runs/again/index.ipynb", {}, soft=False)
    try:
        [(result, _, _)] = list(execute_all(paths, [(job, "")], 1))
        assert result.ok, result.message
        assert outputs(paths.reports / job.output) == outputs(paths.reports / "index.ipynb")
    finally:
        shutil.rmtree(paths.reports / "_runs" / "again", ignore_errors=True)


def test_teaching_answers_ran_and_checked_themselves(executed):
    paths, _ = executed
    for page in ("teaching/reading-a-notice.ipynb", "teaching/who-works-with-whom.ipynb"):
        nb = json.loads((paths.reports / page).read_text(encoding="utf-8"))
        answers = [c for c in nb["cells"] if "answer" in c.get("metadata", {}).get("tags", [])]
        assert len(answers) >= 4 and all(c["execution_count"] for c in answers)
        assert all(c["metadata"].get("jupyter", {}).get("source_hidden") for c in answers)


def test_profile_pages_carry_front_matter_for_the_listing(executed):
    paths, _ = executed
    nb = json.loads((paths.reports / "notices" / "qingdao-sthjj-2024.ipynb").read_text(encoding="utf-8"))
    head = "".join(nb["cells"][0]["source"])
    assert nb["cells"][0]["cell_type"] == "raw"
    assert 'title: "中共青岛市生态环境局党组关于十三届市委第三轮巡察整改进展情况的通报"' in head and 'date: "2024-04-19"' in head


def test_home_page_numbers_come_from_the_data(executed):
    paths, _ = executed
    text = "".join("".join(o["data"]["text/markdown"]) for o in outputs(paths.reports / "index.ipynb")
                   if "text/markdown" in o.get("data", {}))
    problems = read_table(paths.processed, "problems").height
    assert f"**{problems} problems**" in text and "**5 notices**" in text


# --------------------------------------------------------------------------- sources


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_sources_are_stripped_and_parameterised(notebook):
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and not c.get("execution_count") for c in code)
    assert sum("parameters" in c.get("metadata", {}).get("tags", []) for c in code) == 1
    assert nb["cells"][0]["cell_type"] == "raw" and "".join(nb["cells"][0]["source"]).startswith("---")


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_paired_scripts_are_in_sync(notebook):
    import jupytext

    paired = jupytext.read(notebook.with_suffix(".py"))
    source = jupytext.read(notebook)
    assert [c.source for c in paired.cells] == [c.source for c in source.cells]


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_hold_no_long_function_definitions(notebook):
    import ast

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            source = "\n".join(line for line in "".join(cell["source"]).splitlines() if not line.startswith(("#|", "%")))
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    assert node.end_lineno - node.lineno < 5, f"{notebook.name}: move {node.name} into analysis/"


NETWORK_NOTEBOOKS = ("03_network.ipynb", "teaching_02_who_works_with_whom.ipynb")


def imported_modules(notebook: Path) -> set[str]:
    """Modules the notebook's code cells import."""
    import ast

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    found = set()
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            source = "\n".join(line for line in "".join(cell["source"]).splitlines() if not line.startswith(("#|", "%")))
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Import):
                    found |= {alias.name for alias in node.names}
                elif isinstance(node, ast.ImportFrom):
                    found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_read_the_network_the_build_computed(notebook):
    # the network is computed once, by the build (with its --hub-limit …); pages read network_nodes/edges/graphs
    imported = imported_modules(notebook)
    builders = ("analysis.corpus.graphs", "analysis.corpus.metrics", "analysis.corpus.exports")
    assert not [m for m in imported if m.startswith(builders)], notebook.name
    if notebook.name in NETWORK_NOTEBOOKS:
        assert not [m for m in imported if m == "analysis.corpus" or m.startswith("analysis.corpus.")], notebook.name


def test_the_network_page_shows_the_network_of_a_build_with_another_hub_limit(tmp_path, tables):
    from analysis.config import NetworkConfig

    from tests.conftest import copy_front_end, copy_inputs

    root = copy_inputs(tmp_path / "p")
    copy_front_end(root)
    run_build(root, network=NetworkConfig(hub_limit=5))
    paths = Paths(root)
    graphs = read_table(paths.processed, "network_graphs")
    assert set(graphs.get_column("hub_limit").to_list()) == {5}
    job = NotebookRun("03_network.ipynb", "_runs/hub-limit/network.ipynb", {"graph": "policy_projection_by_notice"}, soft=False)
    [(result, _, _)] = list(execute_all(paths, [(job, "")], 1))
    assert result.ok, result.message
    text = markdown_outputs(paths.reports / job.output)
    projection, policy = (graphs.filter(pl.col("graph") == g).row(0, named=True)
                          for g in ("policy_projection_by_notice", "agency_policy"))
    default = tables["network_graphs"].filter(pl.col("graph") == "policy_projection_by_notice").row(0, named=True)
    assert projection["edges"] < default["edges"]  # hubs no longer link the policies their notices cite together
    assert (f"**policy\\_projection\\_by\\_notice** (undirected): {projection['nodes']} nodes and {projection['edges']} edges"
            in text)
    assert f"hub limit 5 neighbours ({policy['hubs']} hubs)" in text and policy["hubs"] > 0


# --------------------------------------------------------------------------- teaching notebooks on a changed corpus


ADDED_NOTICE = ("中共某县水利局党组关于巡察整改情况的通报\n"
                "根据县委统一部署,2023年3月1日至4月30日,县委第二巡察组对县水利局党组开展了常规巡察。6月1日,县委巡察组反馈了巡察意见。\n"
                "一、整改落实情况\n1.关于河道管理不到位问题\n整改情况:已整改完成。一是会同生态环境部清理河道垃圾。二是建立巡河制度。\n"
                "中共某县水利局党组\n2023年8月1日\n")


@pytest.fixture(scope="module")
def changed(tmp_path_factory):
    """The shipped corpus with the Boxing notice's declared total edited (19 → 18 completed items) and one notice added
    that names 生态环境部 in a measure: built, and every page executed (profiles as pages from the tables)."""
    from tests.conftest import copy_front_end, copy_inputs

    root = copy_inputs(tmp_path_factory.mktemp("changed"))
    copy_front_end(root)
    raw = root / "data" / "raw" / "notices"
    boxing = raw / "binzhou-boxing-sthjfj-2023.txt"
    boxing.write_bytes(boxing.read_bytes().replace("已完成整改事项19个".encode(), "已完成整改事项18个".encode()))
    (raw / "shuili-2023.txt").write_text(ADDED_NOTICE, encoding="utf-8")
    rows = [r for r in csv.DictReader((root / "data" / "raw" / "manifest.csv").open(encoding="utf-8"))]
    for row in rows:
        if row["notice_id"] == "binzhou-boxing-sthjfj-2023":
            data = boxing.read_bytes()
            row["sha256"], row["bytes"] = hashlib.sha256(data).hexdigest(), str(len(data))
    data = ADDED_NOTICE.encode("utf-8")
    rows.append({"notice_id": "shuili-2023", "file": "notices/shuili-2023.txt", "sha256": hashlib.sha256(data).hexdigest(),
                 "bytes": str(len(data))})
    with (root / "data" / "raw" / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: r.get(k, "") for k in rows[0]} for r in rows)
    run_build(root)
    report = run_notebooks(Paths(root), runs_at_once=2, profiles="none")
    return Paths(root), report


def markdown_outputs(nb_path: Path) -> str:
    """Every text/markdown output of an executed notebook, joined."""
    return "\n".join("".join(o["data"]["text/markdown"]) for o in outputs(nb_path) if "text/markdown" in o.get("data", {}))


def test_teaching_notebooks_run_when_the_corpus_changes_their_answers(changed):
    paths, report = changed
    assert report.failed == {}
    assert {"teaching/reading-a-notice.ipynb", "teaching/who-works-with-whom.ipynb"} <= set(report.executed)
    assert "**生态环境部** — named in measures of 4 notices" in markdown_outputs(paths.reports / "teaching" / "who-works-with-whom.ipynb")


def test_a_failed_self_check_is_a_warning_on_the_page_and_in_the_run(changed):
    paths, report = changed
    text = markdown_outputs(paths.reports / "teaching" / "reading-a-notice.ipynb")
    assert "The notice declares 18 completed, 1 long-term" in text
    assert "Self-check did not pass" in text and "::: {.callout-warning}" in text and "expected 18, found 19" in text
    assert [w for w in report.warnings if w.startswith("teaching/reading-a-notice.ipynb: self-check did not pass")]


def test_the_home_page_counts_only_known_provinces(changed):
    paths, _ = changed
    text = markdown_outputs(paths.reports / "index.ipynb")
    assert "**6 notices** from **3 provinces** (1 notice without a known province)" in text


def test_the_reading_notebook_works_for_every_notice_id(changed):
    paths, _ = changed
    ids = read_table(paths.processed, "notices").get_column("notice_id").to_list()
    runs = [(NotebookRun("teaching_01_reading_a_notice.ipynb", f"_runs/every/{nid}.ipynb", {"notice_id": nid}, soft=False), "")
            for nid in ids]
    results = [result for result, _, _ in execute_all(paths, runs, 2)]
    assert len(results) == len(ids) == 6
    assert [r.output for r in results if not r.ok] == []
    for nid in ids:
        nb = paths.reports / "_runs" / "every" / f"{nid}.ipynb"
        assert f"(`{nid}`)" in markdown_outputs(nb)
        assert not [o for o in outputs(nb) if o["output_type"] == "error"]


def test_notebooks_name_with_a_parameter_runs_off_the_site_and_touches_nothing_else(changed):
    from typer.testing import CliRunner

    from analysis.cli import app

    paths, _ = changed
    before = {p: p.read_bytes() for p in paths.reports.rglob("*") if p.is_file() and "_runs" not in p.parts}
    result = CliRunner().invoke(app, ["notebooks", "teaching_01", "-p", "notice_id=shuili-2023", "--root", str(paths.root)],
                                env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    output = paths.reports / "_runs" / "teaching_01_reading_a_notice" / "notice_id-shuili-2023.ipynb"
    assert "(`shuili-2023`)" in markdown_outputs(output)
    assert {p: p.read_bytes() for p in paths.reports.rglob("*") if p.is_file() and "_runs" not in p.parts} == before


@pytest.mark.parametrize("args,message", [
    (["teaching_01", "-p", "import os; os.system('touch pwned'); x=1"], "not a plain identifier"),
    (["teaching_01", "-p", "notice_id=no-such-notice"], "unknown notice id"),
    (["04_notice", "-p", "province=山东省"], "has no parameter"),
    (["-p", "notice_id=zibo-sthjj-2025"], "needs a NAME"),
])
def test_notebooks_refuses_bad_parameters_before_running_anything(changed, args, message):
    from typer.testing import CliRunner

    from analysis.cli import app

    paths, _ = changed
    runs = sorted(p.name for p in (paths.reports / "_runs").rglob("*")) if (paths.reports / "_runs").exists() else []
    result = CliRunner().invoke(app, ["notebooks", *args, "--root", str(paths.root)], env={"COLUMNS": "300"})
    assert result.exit_code == 2 and message in result.output
    assert not (paths.root / "pwned").exists() and not (ROOT / "pwned").exists()
    assert (sorted(p.name for p in (paths.reports / "_runs").rglob("*")) if (paths.reports / "_runs").exists() else []) == runs
