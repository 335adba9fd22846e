"""A generated corpus of 300 notices (benchmarks/corpus.py): built, and every notebook of the site executed.

Charts get aggregated data, pages stay small, the teaching notebooks pick their examples from this corpus
(which has no hand annotations), and the navbar points only to pages that were made (docs/scaling.md).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
import yaml

from analysis.config import Paths
from analysis.site.plan import PAGES
from analysis.site.runner import run_notebooks

from tests.conftest import ROOT, copy_front_end, run_build

pytestmark = [pytest.mark.notebooks, pytest.mark.slow]
SIZE = 300
LARGEST_PAGE = 1_000_000  # bytes of an executed notebook
LARGEST_DATASET = 1_000  # rows of any chart's data


def make_corpus(target: Path, size: int) -> None:
    """benchmarks/corpus.py's generated project (loaded from its file: benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "benchmarks" / "corpus.py")
    module = sys.modules.setdefault("bench_corpus", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)  # registered first: its dataclasses look their module up
    module.make_corpus(ROOT, target, size)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """300 generated notices built (2 workers) and every notebook run (2 at once; notice pages from the tables)."""
    root = tmp_path_factory.mktemp("scale") / "p"
    make_corpus(root, SIZE)
    copy_front_end(root)
    run_build(root, workers=2)
    report = run_notebooks(Paths(root), runs_at_once=2)
    return Paths(root), report


def outputs(path: Path) -> list[dict]:
    """Every output of an executed notebook."""
    return [o for c in json.loads(path.read_text(encoding="utf-8"))["cells"] for o in c.get("outputs", [])]


def test_every_notebook_runs_without_error_on_300_generated_notices(generated):
    paths, report = generated
    assert report.failed == {} and report.placeholders == []
    assert sorted(report.executed) == sorted(output for _, output, _ in PAGES)
    assert [w for w in report.warnings if "stopped at an error" in w] == []
    assert [rel for rel in report.executed if [o for o in outputs(paths.reports / rel) if o["output_type"] == "error"]] == []


def test_every_notice_has_a_page(generated):
    paths, report = generated
    assert len(list((paths.reports / "notices").glob("gen-*.qmd"))) == SIZE


def test_no_chart_is_handed_more_than_a_thousand_rows(generated):
    paths, report = generated
    sizes = {rel: max([len(v) for o in outputs(paths.reports / rel)
                       for v in o.get("data", {}).get("application/vnd.vegalite.v5+json", {}).get("datasets", {}).values()] or [0])
             for rel in report.executed}
    assert {rel: n for rel, n in sizes.items() if n > LARGEST_DATASET} == {}


def test_no_executed_page_is_larger_than_a_megabyte(generated):
    paths, report = generated
    sizes = {rel: (paths.reports / rel).stat().st_size for rel in report.executed}
    assert {rel: size for rel, size in sizes.items() if size > LARGEST_PAGE} == {}


def test_the_reading_notebook_follows_a_generated_notice_with_every_feature(generated):
    paths, _ = generated
    text = "".join("".join(o["data"]["text/markdown"]) for o in outputs(paths.reports / "teaching" / "reading-a-notice.ipynb")
                   if "text/markdown" in o.get("data", {}))
    assert "This page follows `gen-" in text and "a notice of this corpus with everything the exercises use" in text


def test_pages_say_the_corpus_has_no_annotations(generated):
    paths, _ = generated
    text = "".join("".join(o["data"].get("text/markdown", "")) for o in outputs(paths.reports / "methods.ipynb") if "data" in o)
    assert "this corpus has no hand annotations" in text


def test_every_navbar_link_points_to_a_page_that_was_made(generated):
    paths, _ = generated
    items = yaml.safe_load((paths.reports / "_quarto.yml").read_text(encoding="utf-8"))["website"]["navbar"]["left"]
    hrefs = [i["href"] for i in items if "href" in i] + [m["href"] for i in items for m in i.get("menu", [])]
    assert [h for h in hrefs if not (paths.reports / h).is_file()] == []
