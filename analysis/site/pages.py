"""Notice pages: the one renderer of a notice's page, and the pages written from the tables without a kernel.

* `notice_sections` is a notice's page: notebook 04 shows its parts (executed profiles), and
  `write_generated_pages` writes the same parts as Markdown for notices whose profile is not executed
  (no kernel), so the two forms of a notice page have the same sections and cannot drift apart.
* The page is for reading: a header card (`notice_parts.header_card`), the problems as one line each that open to
  their measures (`notice_parts.problem_list`), the dates, the documents and agencies named, the text with every
  extracted fact marked, and — folded — the metadata fields and the outline the page was read from. HTML reaches
  the page as Markdown raw blocks (`markup`); charts stay offline (`OfflineChart`).
* A page's front matter (`notice_front_matter`) is the one an executed profile gets, and lists the notice's
  downloads (`downloads`) as resources so that Quarto copies them into _site/.
"""

from __future__ import annotations

import polars as pl

from analysis.build.files import atomic_write_bytes
from analysis.build.store import notice_text, read_table
from analysis.config import Paths
from analysis.site.charts import OfflineChart, timeline_chart
from analysis.site.downloads import NOTICE_PAGE_TABLES, download_files
from analysis.site.frontmatter import front_matter_text, profile_front_matter
from analysis.site.markup import block, html_table
from analysis.site.notice_parts import agencies_table, documents_table, folded, header_card, problem_list, problems_summary
from analysis.site.views import Markdown, highlighted_text, notice_metadata, notice_spans

GENERATED_NOTE = "*This page was written from the tables (no notebook run).*"
SECTIONS = ("Problems and measures", "Dates", "Documents and agencies", "The text, with what was read from it",
            "How this page was read")


# --------------------------------------------------------------------------- one notice's page


def notice_sections(tables: dict[str, pl.DataFrame], notice_id: str, text: str) -> list[Markdown | OfflineChart]:
    """A notice's page, part by part in page order: the header card, the problems and their measures, dates, documents
    and agencies, the text with every extracted fact marked, and (folded) the metadata and outline it was read from.
    `tables` holds at least the notice's rows of `NOTICE_PAGE_TABLES` (rows of other notices are ignored); `text` is
    its normalised text."""
    def rows(name: str, in_text_order: bool = True) -> pl.DataFrame:
        mine = tables[name].filter(pl.col("notice_id") == notice_id)
        return mine.sort("start") if in_text_order else mine

    notice = rows("notices", False).row(0, named=True)
    mine = {name: rows(name) for name in ("problems", "measures", "documents", "agencies", "dates", "figures")}
    milestones = {"inspection ends": notice["inspection_end"], "feedback": notice["feedback_date"], "signed": notice["signature_date"]}
    problems, measures = mine["problems"], mine["measures"]
    read_from = (folded("Metadata: each field, its value and the rule that read it",
                        html_table(notice_metadata(tables, notice_id), rows=200))
                 + folded("Outline: the numbered headings and the role each was given",
                          html_table(rows("outline"), ["path", "label", "role", "heading"], rows=400)))
    return [
        Markdown(block(header_card(notice, problems, measures))),
        Markdown(f"## {SECTIONS[0]}\n\n{problems_summary(problems, measures)}"),
        Markdown(block(problem_list(mine), ("column-page",))),
        Markdown(f"## {SECTIONS[1]}"),
        OfflineChart(timeline_chart(rows("dates", False), milestones), "timeline"),
        Markdown(f"## {SECTIONS[2]}"),
        Markdown(block(documents_table(mine["documents"]), ("column-page", "notice-tables"))),
        Markdown(block(agencies_table(mine["agencies"]), ("column-body-outset", "notice-tables"))),
        Markdown(f"## {SECTIONS[3]}"),
        highlighted_text(text, notice_spans(tables, notice_id)),
        Markdown(f"## {SECTIONS[4]}"),
        Markdown(block(read_from)),
    ]


def part_markdown(part: Markdown | OfflineChart) -> str:
    """The Markdown Quarto renders for one part of a page (a chart: its offline vegaEmbed block)."""
    return part.markdown() if isinstance(part, OfflineChart) else part.text


def notice_page_markdown(tables: dict[str, pl.DataFrame], notice_id: str, text: str) -> str:
    """A notice's page as one Markdown document (without front matter): `notice_sections`, block after block."""
    return "\n".join(part_markdown(part).rstrip("\n") + "\n" for part in notice_sections(tables, notice_id, text))


def notice_front_matter(notice: dict) -> dict:
    """The front matter of a notice's page, executed or generated: title, date, categories, description for the
    listing, and its downloads as resources (Quarto copies them into _site/)."""
    return {**profile_front_matter(notice), "resources": list(download_files(notice["notice_id"]).values())}


def generated_page(tables: dict[str, pl.DataFrame], notice: dict, text: str) -> str:
    """A notice's .qmd page written from its rows of the tables (when its profile notebook is not executed)."""
    return "\n".join([front_matter_text(notice_front_matter(notice)) + "\n", GENERATED_NOTE + "\n",
                      notice_page_markdown(tables, notice["notice_id"], text)])


def write_generated_pages(paths: Paths, notice_ids: list[str]) -> list[str]:
    """Write reports/notices/<id>.qmd for notices without an executed profile (only where the content changed)."""
    if not notice_ids:
        return []
    wanted = sorted(set(notice_ids))
    tables = {name: read_table(paths.processed, name).filter(pl.col("notice_id").is_in(wanted)) for name in NOTICE_PAGE_TABLES}
    by_id = {r["notice_id"]: r for r in tables["notices"].iter_rows(named=True)}
    parts = {name: tables[name].partition_by("notice_id", as_dict=True, maintain_order=True) for name in NOTICE_PAGE_TABLES}
    written = []
    for nid in notice_ids:
        target = paths.reports / "notices" / f"{nid}.qmd"
        mine = {name: parts[name].get((nid,), tables[name].clear()) for name in NOTICE_PAGE_TABLES}
        content = generated_page(mine, by_id[nid], notice_text(paths.processed, nid))
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_text(encoding="utf-8") != content:
            atomic_write_bytes(target, content.encode("utf-8"))
            written.append(f"notices/{nid}.qmd")
    return written
