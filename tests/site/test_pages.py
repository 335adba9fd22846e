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
from analysis.site.pages import GENERATED_NOTE, NOTICE_PAGE_TABLES, generated_page, notice_page_markdown, notice_sections

NOTICE = "qingdao-sthjj-2024"
SECTIONS = ["## Outline", "## Problems and measures", "## Documents and agencies", "## Dates",
            "## The text, with what was read from it"]
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
    assert headings(notice_page_markdown(tables, NOTICE, qingdao_text))[1:] == SECTIONS


def test_a_notice_page_opens_with_the_notice_title_and_who_signed_when(qingdao, qingdao_text):
    tables, notice = qingdao
    first = notice_sections(tables, NOTICE, qingdao_text)[0].text
    assert first.startswith(f"## {notice['title']}") and f"`{NOTICE}`" in first and f"signed {notice['signature_date']}" in first


def test_a_notice_page_lists_its_measures_and_the_other_agencies(qingdao, qingdao_text):
    tables, _ = qingdao
    page = notice_page_markdown(tables, NOTICE, qingdao_text)
    measure = tables["measures"].get_column("measure_key").sort()[0]
    agency = tables["agencies"].filter(~pl.col("is_self")).get_column("canonical")[0]
    assert "**Measures (done) and next steps (planned)**" in page and measure in page
    assert "**Other agencies named**" in page and agency in page


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


@pytest.mark.notebooks
def test_a_generated_page_and_the_executed_profile_have_the_same_section_headings(executed):
    paths, _ = executed
    tables = {name: read_table(paths.processed, name) for name in NOTICE_PAGE_TABLES}
    for nid in tables["notices"].get_column("notice_id").to_list():
        notice = tables["notices"].filter(pl.col("notice_id") == nid).row(0, named=True)
        generated = generated_page(tables, notice, notice_text(paths.processed, nid))
        executed_headings = headings(notebook_markdown(paths.reports / "notices" / f"{nid}.ipynb"))
        assert headings(generated) == executed_headings and executed_headings[1:] == SECTIONS, nid
