"""Notice pages: the one renderer of a notice's page, and the pages written from the tables without a kernel.

* `notice_sections` is a notice's page: notebook 04 shows its parts (executed profiles), and
  `write_generated_pages` writes the same parts as Markdown for notices whose profile is not executed
  (no kernel), so the two forms of a notice page have the same sections and cannot drift apart.
  Charts stay offline (`OfflineChart`: Vega-Lite for JupyterLab, a raw HTML block for Quarto).
* A generated page's front matter is the one an executed profile gets (`frontmatter.profile_front_matter`).
"""

from __future__ import annotations

import polars as pl

from analysis.build.files import atomic_write_bytes
from analysis.build.store import notice_text, read_table
from analysis.config import Paths
from analysis.contract.tables import tables_of
from analysis.site.charts import OfflineChart, timeline_chart
from analysis.site.frontmatter import front_matter_text, profile_front_matter
from analysis.site.views import Markdown, cell, highlighted_text, notice_metadata, notice_spans, show

NOTICE_PAGE_TABLES = tables_of("parse", "extract")  # what a notice page shows: its rows of the per-notice tables
GENERATED_NOTE = "*This page was written from the tables (no notebook run).*"


# --------------------------------------------------------------------------- one notice's page


def notice_sections(tables: dict[str, pl.DataFrame], notice_id: str, text: str) -> list[Markdown | OfflineChart]:
    """A notice's page, part by part in page order: who and when, metadata, outline, problems and measures, documents
    and agencies, dates, and the text with every extracted fact marked. `tables` holds at least the notice's rows of
    `NOTICE_PAGE_TABLES` (rows of other notices are ignored); `text` is its normalised text."""
    def rows(name: str, in_text_order: bool = True) -> pl.DataFrame:
        mine = tables[name].filter(pl.col("notice_id") == notice_id)
        return mine.sort("start") if in_text_order else mine

    notice = rows("notices", False).row(0, named=True)
    agencies = (rows("agencies").filter(~pl.col("is_self"))  # ties in the order the text first names them
                .group_by("canonical", "type", "level", maintain_order=True)
                .agg(pl.len().alias("mentions"), pl.col("mention").unique().sort().str.join(" / "))
                .sort("mentions", descending=True, maintain_order=True))
    milestones = {"inspection ends": notice["inspection_end"], "feedback": notice["feedback_date"], "signed": notice["signature_date"]}
    return [
        Markdown(f"## {cell(notice['title'] or notice['issuing_body'] or notice_id, 200)}\n\n"
                 f"`{notice_id}` · {cell(notice['organisation'])} · {cell(notice['province'])} "
                 f"{cell(notice['city'])} · signed {cell(notice['signature_date'])}"),
        show(notice_metadata(tables, notice_id), caption="Metadata (with the rule that read each field)", limit=80),
        Markdown("## Outline"),
        show(rows("outline"), ["path", "label", "role", "heading"], rows=200, caption="Numbered headings and what they are"),
        Markdown("## Problems and measures"),
        show(rows("problems"), ["path", "label", "title", "status", "status_source", "measures", "planned"], rows=200,
             limit=90, caption="Problems"),
        show(rows("measures"), ["measure_key", "kind", "label", "text", "has_date", "has_figure", "has_document"],
             rows=400, limit=90, caption="Measures (done) and next steps (planned)"),
        Markdown("## Documents and agencies"),
        show(rows("documents"), ["title", "canonical_title", "doc_type", "relation", "issuer", "confidence"], rows=200,
             limit=70, caption="Policy documents"),
        show(agencies, rows=100, caption="Other agencies named"),
        Markdown("## Dates"),
        OfflineChart(timeline_chart(rows("dates", False), milestones), "timeline"),
        Markdown("## The text, with what was read from it"),
        highlighted_text(text, notice_spans(tables, notice_id)),
    ]


def part_markdown(part: Markdown | OfflineChart) -> str:
    """The Markdown Quarto renders for one part of a page (a chart: its offline vegaEmbed block)."""
    return part.markdown() if isinstance(part, OfflineChart) else part.text


def notice_page_markdown(tables: dict[str, pl.DataFrame], notice_id: str, text: str) -> str:
    """A notice's page as one Markdown document (without front matter): `notice_sections`, block after block."""
    return "\n".join(part_markdown(part).rstrip("\n") + "\n" for part in notice_sections(tables, notice_id, text))


def generated_page(tables: dict[str, pl.DataFrame], notice: dict, text: str) -> str:
    """A notice's .qmd page written from its rows of the tables (when its profile notebook is not executed)."""
    return "\n".join([front_matter_text(profile_front_matter(notice)) + "\n", GENERATED_NOTE + "\n",
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
