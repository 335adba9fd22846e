"""The notebooks run: re-runs only what changed, keeps what it was not asked to rebuild, publishes no failed page."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil

import polars as pl
import pytest

from analysis.build.store import read_table
from analysis.config import Paths
from analysis.site import runner
from analysis.site.execution import NotebookRun, execute_all
from analysis.site.parameters import ParameterError, Vocabulary
from analysis.site.plan import chosen_profiles, run_slug, slice_slug
from analysis.site.runner import (plan_run, read_ledger, remove_orphan_runs, remove_pages, run_notebooks, write_ledger)

from tests.conftest import run_build

NOTICES = pl.DataFrame({"notice_id": ["a-2024"], "province": ["山东省"], "province_code": ["370000"]})


def copy_of(executed, tmp_path) -> Paths:
    """A copy of the executed project, to change without touching the session's."""
    source, _ = executed
    root = tmp_path / "copy"
    shutil.copytree(source.root, root, ignore=shutil.ignore_patterns(".cache"))
    return Paths(root)


def notebook_outputs(nb_path) -> list[dict]:
    """All outputs of an executed notebook."""
    return [o for c in json.loads(nb_path.read_text(encoding="utf-8"))["cells"] for o in c.get("outputs", [])]


# --------------------------------------------------------------------------- names, ledger, leftovers


def test_a_slice_folder_names_its_province_by_division_code():
    assert slice_slug({"province": "山东省", "year": 2024}, NOTICES) == "province-370000_year-2024"


def test_a_named_run_hashes_a_value_that_is_unsafe_in_a_file_name():
    slug = run_slug({"notice_id": "../../etc/passwd", "year": 2024}, NOTICES)
    assert slug.startswith("notice_id-") and "/" not in slug and slug.endswith("_year-2024")


def test_auto_profiles_stop_at_the_profile_limit(monkeypatch):
    monkeypatch.setattr("analysis.site.plan.PROFILE_LIMIT", 2)
    vocabulary = Vocabulary(frozenset({"a", "b", "c"}), frozenset(), frozenset())
    assert chosen_profiles("auto", ["a", "b"], vocabulary) == ["a", "b"] and chosen_profiles("auto", ["a", "b", "c"], vocabulary) == []


def test_profiles_of_unknown_notices_are_refused():
    with pytest.raises(ParameterError, match="unknown notice id"):
        chosen_profiles(["a", "zz"], ["a"], Vocabulary(frozenset({"a"}), frozenset(), frozenset()))


def test_a_ledger_of_an_older_version_reads_as_keys(tmp_path):
    (tmp_path / ".runs.json").write_text(json.dumps({"index.ipynb": "abc"}), encoding="utf-8")
    assert read_ledger(tmp_path) == {"index.ipynb": {"key": "abc"}}


def test_the_ledger_is_written_sorted_and_reads_back(tmp_path):
    ledger = {"b.ipynb": {"key": "2", "notebook": "b", "parameters": {}}, "a.ipynb": {"key": "1", "notebook": "a", "parameters": {}}}
    write_ledger(tmp_path, ledger)
    assert read_ledger(tmp_path) == ledger and (tmp_path / ".runs.json").read_text(encoding="utf-8").index("a.ipynb") < 20


def test_half_written_pages_of_an_interrupted_run_are_removed(tmp_path):
    (tmp_path / "notices").mkdir()
    (tmp_path / "notices" / ".x.running.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "notices" / "x.ipynb").write_text("{}", encoding="utf-8")
    assert remove_orphan_runs(tmp_path) == ["removed notices/.x.running.ipynb, left by an interrupted notebook run"]
    assert [p.name for p in (tmp_path / "notices").iterdir()] == ["x.ipynb"]


def test_removing_the_last_page_of_a_slice_removes_its_folder(tmp_path):
    paths = Paths(tmp_path)
    rel = "slices/province-370000/indicators.ipynb"
    (paths.reports / rel).parent.mkdir(parents=True)
    (paths.reports / rel).write_text("{}", encoding="utf-8")
    ledger = {rel: {"key": "k"}}
    assert remove_pages(paths, [rel], ledger) == [rel]
    assert ledger == {} and not (paths.reports / rel).parent.exists() and (paths.reports / "slices").is_dir()


# --------------------------------------------------------------------------- runs on the executed corpus


@pytest.mark.notebooks
def test_nothing_changed_executes_nothing(executed):
    paths, _ = executed
    again = run_notebooks(paths, runs_at_once=2)
    assert again.executed == [] and again.failed == {} and len(again.skipped) == 12


@pytest.mark.notebooks
def test_a_code_change_executes_every_notebook_again(executed, monkeypatch):
    paths, _ = executed
    monkeypatch.setattr(runner, "package_fingerprint", lambda: "another version of the code")
    runs, _, todo, skipped = plan_run(paths)
    assert skipped == [] and len(todo) == len(runs) == 12


@pytest.mark.notebooks
def test_changing_one_notice_reruns_only_what_depends_on_it(tmp_path, executed):
    paths = copy_of(executed, tmp_path)
    raw = paths.root / "data" / "raw" / "notices" / "zibo-sthjj-2025.txt"
    data = raw.read_bytes().replace("研究议题757个".encode(), "研究议题758个".encode())
    raw.write_bytes(data)
    rows = list(csv.DictReader((paths.root / "data" / "raw" / "manifest.csv").open(encoding="utf-8")))
    for row in rows:
        if row["notice_id"] == "zibo-sthjj-2025":
            row["sha256"], row["bytes"] = hashlib.sha256(data).hexdigest(), str(len(data))
    with (paths.root / "data" / "raw" / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    run_build(paths.root)
    _, _, todo, skipped = plan_run(paths)
    rerun = sorted(run.output for run, _ in todo)
    assert "notices/zibo-sthjj-2025.ipynb" in rerun
    assert not any(r.startswith("notices/") and "zibo" not in r for r in rerun)
    assert {f"notices/{n}.ipynb" for n in ("qingdao-sthjj-2024", "guangzhou-sthjj-2025", "taizhou-js-sthjj-2025",
                                           "binzhou-boxing-sthjfj-2023")} <= set(skipped)


@pytest.mark.notebooks
def test_pages_from_tables_replace_executed_profiles_only_with_prune(tmp_path, executed):
    paths = copy_of(executed, tmp_path)
    report = run_notebooks(paths, runs_at_once=2, profiles="none", prune=True)
    assert len(report.generated_pages) == 5 and report.executed == []
    assert sorted(report.removed) == sorted(f"notices/{nid}.ipynb" for nid in read_table(paths.processed, "notices")
                                            .get_column("notice_id").to_list())
    page = (paths.reports / "notices" / "taizhou-js-sthjj-2025.qmd").read_text(encoding="utf-8")
    assert page.startswith('---\ntitle: "泰州市生态环境局：整改情况"') and "vegaEmbed(" in page and '<pre class="notice-text">' in page
    assert not (paths.reports / "notices" / "taizhou-js-sthjj-2025.ipynb").exists()


@pytest.mark.notebooks
def test_a_run_without_profiles_keeps_the_executed_profiles(tmp_path, executed):
    paths = copy_of(executed, tmp_path)
    before = {p.name: p.read_bytes() for p in (paths.reports / "notices").glob("*.ipynb")}
    report = run_notebooks(paths, runs_at_once=2, profiles="none")
    assert report.removed == [] and report.generated_pages == [] and len(report.kept) == 5 and report.stale == {}
    assert {p.name: p.read_bytes() for p in (paths.reports / "notices").glob("*.ipynb")} == before


@pytest.mark.notebooks
def test_a_run_keeps_slices_it_was_not_asked_for_and_prune_lists_what_goes(tmp_path, executed):
    paths = copy_of(executed, tmp_path)
    ledger = read_ledger(paths.reports)
    slice_pages = []
    for notebook, page in (("01_corpus_overview.ipynb", "overview.ipynb"), ("02_indicators.ipynb", "indicators.ipynb"),
                           ("03_network.ipynb", "network.ipynb")):  # a slice made by an earlier `--slice province=江苏省`
        rel = f"slices/province-320000/{page.replace('overview', 'corpus_overview')}"
        (paths.reports / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(paths.reports / page, paths.reports / rel)
        ledger[rel] = {"key": "made-by-an-older-run", "notebook": notebook, "parameters": {"province": "江苏省"}}
        slice_pages.append(rel)
    write_ledger(paths.reports, ledger)
    again = run_notebooks(paths, runs_at_once=2, slices=[])
    assert again.executed == [] and again.removed == [] and again.kept == sorted(slice_pages)
    assert again.stale == {rel: "made from older data or code" for rel in slice_pages}
    assert all((paths.reports / p).is_file() for p in slice_pages)
    pruned = run_notebooks(paths, runs_at_once=2, prune=True)
    assert pruned.removed == sorted(slice_pages) and pruned.executed == []
    assert not (paths.reports / "slices" / "province-320000").exists() and (paths.reports / "slices" / "index.qmd").is_file()


@pytest.mark.notebooks
def test_a_teaching_notebook_that_stops_at_an_error_is_published_with_a_warning(tmp_path):
    import nbformat

    from tests.conftest import copy_inputs

    root = copy_inputs(tmp_path / "p", notices=False)
    (root / "notebooks").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_raw_cell('---\ntitle: "Exercises"\n---'), nbformat.v4.new_code_cell("root = None"),
                nbformat.v4.new_code_cell("print('first answer')"), nbformat.v4.new_code_cell("raise ValueError('the corpus changed')"),
                nbformat.v4.new_code_cell("print('never reached')")]
    nb.cells[1].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(root / "notebooks" / "t.ipynb"))
    paths = Paths(root)
    [(result, _, _)] = list(execute_all(paths, [(NotebookRun("t.ipynb", "teaching/t.ipynb", {}, soft=True), "")], 1))
    assert result.ok and result.warnings == ["teaching/t.ipynb: stopped at an error (ValueError: the corpus changed); "
                                             "published with the answers computed before it"]
    page = root / "reports" / "teaching" / "t.ipynb"
    cells = json.loads(page.read_text(encoding="utf-8"))["cells"]
    assert cells[0]["cell_type"] == "raw" and "This page is incomplete" in "".join(cells[1]["source"])
    assert "first answer" in page.read_text(encoding="utf-8")
    assert not [o for o in notebook_outputs(page) if o["output_type"] == "error"]


@pytest.mark.notebooks
def test_a_failed_notebook_is_kept_aside_and_not_published(tmp_path):
    import nbformat

    from tests.conftest import copy_inputs

    root = copy_inputs(tmp_path / "p", notices=False)
    (root / "notebooks").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("root = None"), nbformat.v4.new_code_cell("raise ValueError('no such table')")]
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(root / "notebooks" / "c.ipynb"))
    [(result, _, _)] = list(execute_all(Paths(root), [(NotebookRun("c.ipynb", "corpus.ipynb", {}), "")], 1))
    assert not result.ok and result.message.startswith("ValueError: no such table")
    assert not (root / "reports" / "corpus.ipynb").exists() and (root / "reports" / "_failed" / "corpus.ipynb").is_file()


# --------------------------------------------------------------------------- a page that could not be made


@pytest.fixture(scope="module")
def all_failed(built, tmp_path_factory):
    """A copy of the built shipped corpus whose notebook runs all fail (execution replaced: no kernel starts)."""
    from analysis.site.execution import RunResult
    from tests.conftest import copy_front_end

    root = tmp_path_factory.mktemp("all-failed") / "p"
    shutil.copytree(built.root, root)
    copy_front_end(root)

    def failing(paths, todo, runs_at_once):
        for run, key in todo:
            yield RunResult(run.output, False, "MaxRowsError: 5517 rows > 5000 <b>"), run, key

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runner, "execute_all", failing)
        return Paths(root), run_notebooks(Paths(root), profiles="none")


def test_a_failed_page_is_replaced_by_a_page_with_its_title_saying_why(all_failed):
    paths, report = all_failed
    cells = json.loads((paths.reports / "indicators.ipynb").read_text(encoding="utf-8"))["cells"]
    assert 'title: "Indicators"' in "".join(cells[0]["source"]) and "indicators.ipynb" in report.placeholders
    text = "".join(cells[1]["source"])
    assert "could not be made from the current corpus" in text and "`02_indicators.ipynb`" in text and "&lt;b&gt;" in text


def test_every_page_the_navbar_links_exists_when_every_notebook_failed(all_failed):
    import yaml

    paths, _ = all_failed
    config = yaml.safe_load((paths.reports / "_quarto.yml").read_text(encoding="utf-8"))
    items = config["website"]["navbar"]["left"]
    hrefs = [i["href"] for i in items if "href" in i] + [m["href"] for i in items for m in i.get("menu", [])]
    assert [h for h in hrefs if not (paths.reports / h).is_file()] == []


def test_a_placeholder_is_not_recorded_as_made_so_the_next_run_tries_again(all_failed):
    paths, _ = all_failed
    _, _, todo, skipped = plan_run(paths, profiles="none")
    assert "indicators.ipynb" in {run.output for run, _ in todo} and "indicators.ipynb" not in skipped


def test_the_pages_a_run_made_are_noted_for_the_next_incremental_render(all_failed):
    from analysis.site.quarto import read_changes

    paths, report = all_failed
    made = read_changes(paths.reports)["made"]
    assert "indicators.ipynb" in made and set(report.generated_pages) <= made


# --------------------------------------------------------------------------- pages from the tables, only where changed


@pytest.fixture
def pages_written(built, tmp_path, monkeypatch):
    """A copy of the built shipped corpus whose pages from the tables were written once; later calls to the page writer
    are recorded (the notice ids each call was asked to write)."""
    from tests.conftest import copy_front_end

    root = tmp_path / "p"
    shutil.copytree(built.root, root)
    copy_front_end(root)
    paths = Paths(root)
    ids = read_table(paths.processed, "notices").get_column("notice_id").to_list()
    runner.write_changed_pages(paths, ids)
    asked = []
    real = runner.write_generated_pages
    monkeypatch.setattr(runner, "write_generated_pages", lambda p, todo: asked.append(list(todo)) or real(p, todo))
    return paths, ids, asked


def test_unchanged_notices_are_not_written_again(pages_written):
    paths, ids, asked = pages_written
    assert runner.write_changed_pages(paths, ids) == [] and asked == [[]]


def test_only_the_notice_whose_rows_changed_is_written_again(pages_written):
    from analysis.build.parts import part_rel
    from analysis.contract.tables import TABLES, part_of

    paths, ids, asked = pages_written
    part = paths.processed / part_rel(TABLES["problems"], part_of("zibo-sthjj-2025"))
    problems = pl.read_parquet(part)
    problems.with_columns(pl.when(pl.col("notice_id") == "zibo-sthjj-2025").then("(改)" + pl.col("title"))
                          .otherwise(pl.col("title")).alias("title")).write_parquet(part)
    assert runner.write_changed_pages(paths, ids) == ["notices/zibo-sthjj-2025.qmd"] and asked == [["zibo-sthjj-2025"]]


def test_a_missing_page_is_written_again(pages_written):
    paths, ids, asked = pages_written
    (paths.reports / "notices" / "qingdao-sthjj-2024.qmd").unlink()
    assert runner.write_changed_pages(paths, ids) == ["notices/qingdao-sthjj-2024.qmd"]
