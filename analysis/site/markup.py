"""HTML for the site's pages: escaped text, Markdown raw blocks, readable tables.

Pages never hold a `text/html` output (docs/architecture.md, "Quarto and the offline site"): HTML reaches a page
as a Markdown raw block (```` ```{=html} ````) inside a `text/markdown` output, optionally inside a Quarto div that
sets its width (`.column-page` …). Everything taken from the data is escaped by `esc`: `&`, `<`, `>` and quotes as
HTML entities (no tag, no attribute, no `</details>` can arise), backticks and braces too, so no line of a raw
block can close its fence and no Quarto shortcode (`{{< >}}`) can start.

Tables (`html_table`) take their column widths from their content: no fixed widths, numbers and dates never
wrapped, ids set small and allowed to break anywhere, Chinese text with a minimum width and never wrapped between
every character (CSS in reports/styles.css), long text clamped to two lines with a click to expand (`<details>`).
Quarto's own HTML-table processing is switched off for them (it would re-write the cells).
"""

from __future__ import annotations

import re
from datetime import date, datetime

import polars as pl

from analysis.site.frontmatter import one_line

RAW_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;", "{": "&#123;",
                "}": "&#125;"}
NO_TABLE_PROCESSING = "<!--| quarto-html-table-processing: none -->"
ID_COLUMNS = frozenset({"file", "node_id", "source", "target", "evidence"})
CLAMP_AT = 60  # characters: longer text in a table cell is clamped (two lines) and expands on a click
SHORT_TEXT = 30  # display width (a Chinese character counts two): text columns whose values all fit never wrap


def plain(value) -> str:
    """A value as text: dates ISO, floats to 4 significant digits, None empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def esc(value, limit: int | None = None) -> str:
    """A value as HTML text for a raw block, on one line: entities for `& < > " ' ` { }`, clipped to `limit`."""
    text = one_line(plain(value))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return "".join(RAW_ENTITIES.get(c, c) for c in text)


def raw_html(html: str) -> str:
    """A Markdown raw HTML block (Pandoc passes it through untouched). `html` must be built with `esc`."""
    if re.search(r"^\s*(```|~~~)", html, re.M):
        raise ValueError("a raw HTML block cannot hold a code fence")
    return f"```{{=html}}\n{html.strip()}\n```\n"


def quarto_div(markdown: str, classes: tuple[str, ...] | list[str] = ()) -> str:
    """Markdown inside a Quarto div with some classes (e.g. column-page: the width of the page); no classes: as is."""
    if not classes:
        return markdown
    return "::: {" + " ".join(f".{c}" for c in classes) + "}\n" + markdown.rstrip("\n") + "\n:::\n"


def block(html: str, classes: tuple[str, ...] | list[str] = ()) -> str:
    """An HTML fragment as a raw block, in a Quarto div with `classes`."""
    return quarto_div(raw_html(html), classes)


def clamp(text, at: int = CLAMP_AT) -> str:
    """Escaped text; when longer than `at` characters, clamped to two lines and expanded by a click (<details>)."""
    shown = esc(text)
    if len(one_line(plain(text))) <= at:
        return shown
    return f'<details class="clamp"><summary><span class="clamped">{shown}</span></summary></details>'


# --------------------------------------------------------------------------- tables


def display_width(text: str) -> int:
    """Columns a text takes in a monospace view: CJK and full-width characters count two."""
    return sum(2 if ord(c) >= 0x1100 else 1 for c in text)


def column_kind(df: pl.DataFrame, name: str) -> str:
    """How a column is set: num, flag, date, id, short (never wrapped) or text (wraps between words, clamped)."""
    dtype = df.schema[name]
    if dtype.is_numeric():
        return "num"
    if dtype == pl.Boolean:
        return "flag"
    if dtype.is_temporal():
        return "date"
    if name in ID_COLUMNS or name.endswith(("_id", "_key")):
        return "id"
    widest = max((display_width(one_line(plain(v))) for v in df.get_column(name).to_list()), default=0)
    return "short" if widest <= SHORT_TEXT else "text"


def table_width(df: pl.DataFrame, columns: list[str]) -> int:
    """A rough width of a table in monospace columns (each column: its widest value, text capped where it wraps)."""
    total = 0
    for name in columns:
        widest = max([display_width(one_line(plain(v))) for v in df.get_column(name).to_list()] + [len(name)])
        total += min(widest, 36 if column_kind(df, name) == "text" else 60) + 3
    return total


def width_classes(width: int) -> tuple[str, ...]:
    """Quarto column classes for a table of a given width: the page's width for wide tables."""
    if width > 110:
        return ("column-page",)
    if width > 80:
        return ("column-body-outset",)
    return ()


def table_cell(value, kind: str, tip=None) -> str:
    """One <td>: flags as ✓, missing values as a dash, long text clamped; `tip` (an id …) shown on hover."""
    if value is None:
        inner = '<span class="missing">—</span>'
    elif kind == "flag":
        inner = "✓" if value else ""
    elif kind == "text":
        inner = clamp(value)
    else:
        inner = esc(value)
    if tip is not None:
        inner = f'<span title="{esc(tip)}">{inner}</span>'
    return f'<td class="{kind}">{inner}</td>'


def html_table(df: pl.DataFrame, columns: list[str] | None = None, rows: int = 40, caption: str | None = None,
               headers: dict[str, str] | None = None, tips: dict[str, str] | None = None) -> str:
    """A table of the first `rows` rows (HTML, for a raw block). `headers`: column → heading (default: the name with
    spaces); `tips`: column → the column whose value is shown on hover (an id behind a label; not a column of its own
    unless `columns` names it)."""
    headers, tips = headers or {}, tips or {}
    columns = list(columns or [c for c in df.columns if c not in tips.values()])
    head = df.head(rows)
    kinds = {name: column_kind(head, name) for name in columns}
    lines = [NO_TABLE_PROCESSING, '<div class="table-scroll">',
             '<table class="table table-sm data-table" data-quarto-disable-processing="true">']
    if caption:
        lines.append(f"<caption>{esc(caption)}</caption>")
    lines.append("<thead><tr>" + "".join(f'<th class="{kinds[c]}">{esc(headers.get(c, c.replace("_", " ")))}</th>'
                                          for c in columns) + "</tr></thead>")
    lines.append("<tbody>")
    tip_values = {c: head.get_column(t).to_list() for c, t in tips.items() if c in columns}
    for i, row in enumerate(head.select(columns).iter_rows()):
        lines.append("<tr>" + "".join(table_cell(v, kinds[c], tip_values[c][i] if c in tip_values else None)
                                      for c, v in zip(columns, row)) + "</tr>")
    lines += ["</tbody>", "</table>", "</div>"]
    if df.height > rows:
        lines.append(f'<p class="table-note">{df.height - rows} more rows not shown.</p>')
    return "\n".join(lines)


def table_block(df: pl.DataFrame, columns: list[str] | None = None, rows: int = 40, caption: str | None = None,
                headers: dict[str, str] | None = None, tips: dict[str, str] | None = None) -> str:
    """`html_table` as a raw block, as wide as its content needs (the page's width for wide tables)."""
    columns = list(columns or [c for c in df.columns if c not in (tips or {}).values()])
    return block(html_table(df, columns, rows, caption, headers, tips), width_classes(table_width(df.head(rows), columns)))
