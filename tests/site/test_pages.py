"""Notice pages: one renderer for the executed profile and the page written from the tables."""

from __future__ import annotations

import json
import re

import polars as pl
import pytest
import yaml

from analysis.build.store import notice_text, read_table
from analysis.site.charts import OfflineChart
from analysis.site.frontmatter import markdown_text
from analysis.site.downloads import download_files
from analysis.site.pages import (GENERATED_NOTE, NOTICE_PAGE_TABLES, generated_page, notice_front_matter, notice_page_markdown,
                                 notice_sections)

NOTICE = "qingdao-sthjj-2024"
SECTIONS = ["## Problems and measures", "## Dates", "## Documents and agencies", "## The text, with what was read from it",
            "## How this page was read"]
BLOCKS_RE = re.compile(r"```.*?```|<pre.*?</pre>", re.S)  # raw HTML blocks and the notice's text hold no headings


def headings(markdown: str) -> list[str]:
    """The ATX headings of a Markdown page, in order (outside fenced blocks and the <pre> of the notice text)."""
    return re.findall(r"^#{1,6} .*$", BLOCKS_RE.sub("", markdown), re.M)


def notebook_markdown(nb_path) -> str:
    """What Quarto renders as Markdown from an executed notebook: its Markdown cells and text/markdown outputs, in order."""
    parts = []
    for cell in json.loads(nb_path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            parts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            if "text/markdown" in output.get("data", {}):
                parts.append("".join(output["data"]["text/markdown"]))
    return "\n\n".join(parts)


@pytest.fixture(scope="module")
def qingdao(tables):
    """The Qingdao notice's rows of the page tables, and its row of notices."""
    mine = {name: tables[name].filter(pl.col("notice_id") == NOTICE) for name in NOTICE_PAGE_TABLES}
    return mine, mine["notices"].row(0, named=True)


@pytest.fixture(scope="module")
def qingdao_text(built):
    """The normalised text of the Qingdao notice."""
    return notice_text(built.processed, NOTICE)


def test_a_notice_page_has_the_profile_sections_in_order(qingdao, qingdao_text):
    tables, _ = qingdao
    assert headings(notice_page_markdown(tables, NOTICE, qingdao_text)) == SECTIONS


def test_a_notice_page_opens_with_its_card_and_does_not_repeat_its_title(qingdao, qingdao_text):
    tables, notice = qingdao
    page = notice_page_markdown(tables, NOTICE, qingdao_text)
    assert page.startswith('```{=html}\n<div class="notice-card">')
    assert notice["title"] not in page.split("<pre", 1)[0]  # the title is the page's (front matter), shown once


def test_a_notice_page_lists_its_problems_measures_and_the_other_agencies(qingdao, qingdao_text):
    tables, _ = qingdao
    page = notice_page_markdown(tables, NOTICE, qingdao_text)
    measure = tables["measures"].sort("start").get_column("text")[0]
    agency = tables["agencies"].filter(~pl.col("is_self")).get_column("canonical")[0]
    assert page.count('<details class="problem"') == 19 and measure in page
    assert "<caption>Other agencies named</caption>" in page and agency in page


def test_a_notice_page_shows_no_ids_of_measures(qingdao, qingdao_text):
    tables, _ = qingdao
    page = notice_page_markdown(tables, NOTICE, qingdao_text)
    assert f"{NOTICE}:" not in page  # problem and measure keys stay in the downloads


def test_a_notice_page_ignores_rows_of_other_notices(tables, qingdao, qingdao_text):
    mine, _ = qingdao
    assert notice_page_markdown(tables, NOTICE, qingdao_text) == notice_page_markdown(mine, NOTICE, qingdao_text)


def test_the_timeline_is_an_offline_chart(qingdao, qingdao_text):
    tables, _ = qingdao
    charts = [part for part in notice_sections(tables, NOTICE, qingdao_text) if isinstance(part, OfflineChart)]
    assert len(charts) == 1 and charts[0].markdown().startswith("```{=html}")


def test_a_generated_page_has_the_profile_front_matter_then_a_note(qingdao, qingdao_text):
    tables, notice = qingdao
    page = generated_page(tables, notice, qingdao_text)
    front, rest = page[4:].split("\n---\n", 1)
    assert markdown_text(yaml.safe_load(front)["title"]) == notice["title"]
    assert rest.lstrip("\n").startswith(GENERATED_NOTE)


def test_a_notice_pages_front_matter_lists_its_downloads_as_resources(qingdao):
    _, notice = qingdao
    resources = notice_front_matter(notice)["resources"]
    assert resources[0] == "qingdao-sthjj-2024.json" and "qingdao-sthjj-2024.problems.csv" in resources
    assert resources == list(download_files(NOTICE).values()) and len(resources) == 1 + len(NOTICE_PAGE_TABLES)


@pytest.mark.notebooks
def test_a_generated_page_and_the_executed_profile_have_the_same_section_headings(executed):
    paths, _ = executed
    tables = {name: read_table(paths.processed, name) for name in NOTICE_PAGE_TABLES}
    for nid in tables["notices"].get_column("notice_id").to_list():
        notice = tables["notices"].filter(pl.col("notice_id") == nid).row(0, named=True)
        generated = generated_page(tables, notice, notice_text(paths.processed, nid))
        executed_headings = headings(notebook_markdown(paths.reports / "notices" / f"{nid}.ipynb"))
        assert headings(generated) == executed_headings == SECTIONS, nid
