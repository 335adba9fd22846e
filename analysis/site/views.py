"""Notebook helpers: load the tables, slice the corpus, and show tables, charts and texts without text/html.

Every display here is Markdown (plus plain text) so that Quarto renders it and never injects its
CDN-loaded widget scripts (docs/architecture.md, "Quarto and the offline site"); tables (`show`) are HTML in
Markdown raw blocks (`markup`). Text taken from notices is escaped wherever it is shown: in Markdown (`cell`)
HTML-escaped, and every character that starts Markdown syntax inline (links, code, emphasis, math, citations,
shortcodes) backslash-escaped; in HTML by `markup.esc` — so a notice containing `<script>` or
`[x](javascript:…)` shows the characters, not a script or a link.
"""

from __future__ import annotations

import html
from collections import Counter
from datetime import date
from pathlib import Path

import polars as pl

from analysis.build.store import notice_text, read_table, scan_table, table_path
from analysis.config import Paths, find_project_root
from analysis.contract.tables import TABLES
from analysis.contract.values import GRAPH_NAMES
from analysis.errors import ProjectError
from analysis.site.charts import OfflineChart
from analysis.site.markup import display_width, table_block
from analysis.site.parameters import ParameterError, Vocabulary, check_slice

TABLE_NAMES = tuple(TABLES)  # every processed table of the contract, in stage order


class Markdown:
    """A display object with only text/markdown and text/plain."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/markdown": self.text, "text/plain": self.text}

    def __str__(self) -> str:
        return self.text


def project(root: str | Path | None = None) -> Paths:
    """The project's paths, found from `root` or the current folder (works from notebooks/ and reports/)."""
    return Paths(find_project_root(Path(root) if root else None))


def load(names: tuple[str, ...] | list[str] = TABLE_NAMES, root: str | Path | None = None) -> dict[str, pl.DataFrame]:
    """Processed tables by name."""
    processed = project(root).processed
    return {name: read_table(processed, name) for name in names}


def load_columns(columns: dict[str, list[str]], root: str | Path | None = None) -> dict[str, pl.DataFrame]:
    """Some columns of some tables (table → columns), read lazily: only those columns are materialised."""
    processed = project(root).processed
    return {name: scan_table(processed, name).select(names).collect() for name, names in columns.items()}


def load_evaluation(root: str | Path | None = None) -> pl.DataFrame:
    """The evaluation table, or an empty one with its declared columns when the build wrote none (the evaluate stage
    runs only when data/annotations/ holds annotations: a corpus of one's own has none at first)."""
    processed = project(root).processed
    if not table_path(processed, "evaluation").is_file():
        return pl.DataFrame(schema=TABLES["evaluation"].polars_schema)
    return read_table(processed, "evaluation")


def load_audits(root: str | Path | None = None) -> pl.DataFrame:
    """Per-table precision from the judgement files of `notices audit` (data/annotations/audits/), one row a file."""
    from analysis.corpus.audit import audit_summary

    rows = audit_summary(project(root).annotations / "audits")
    columns = {"table": pl.Utf8, "seed": pl.Int64, "label": pl.Utf8, "judged": pl.Int64, "correct": pl.Int64, "wrong": pl.Int64,
               "unclear": pl.Int64, "precision": pl.Float64, "errors": pl.Utf8}
    frame = pl.DataFrame([{k: r[k] for k in columns} for r in rows], schema=columns)
    return frame.sort(["table", "label", "seed"])


def evaluation_summary(evaluation: pl.DataFrame) -> Markdown:
    """The evaluation in one sentence: required and reported-only checks that agree with the annotations, or that the
    corpus has no annotations."""
    if evaluation.is_empty():
        return Markdown("**Evaluation:** this corpus has no hand annotations (`data/annotations/` is empty), so the "
                        "extraction was not scored against any; `docs/annotation-guide.md` says how to annotate notices.")
    required, other = evaluation.filter(pl.col("required")), evaluation.filter(~pl.col("required"))
    correct, total = required.get_column("correct").sum(), required.get_column("total").sum()
    return Markdown(f"**Evaluation:** {correct} of {total} required checks agree with the annotations "
                    f"({pct(correct / total if total else None)}); reported-only checks: {other.get_column('correct').sum()} of "
                    f"{other.get_column('total').sum()}.")


def load_notices(names: tuple[str, ...] | list[str], notice_ids: list[str], root: str | Path | None = None) -> dict[str, pl.DataFrame]:
    """Tables read lazily and cut to some notices: only their rows are materialised (corpus-wide tables whole)."""
    processed, wanted = project(root).processed, list(notice_ids)
    return {name: (scan_table(processed, name).filter(pl.col("notice_id").is_in(wanted)).collect()
                   if "notice_id" in TABLES[name].column_names else read_table(processed, name)) for name in names}


def load_slice(names: tuple[str, ...] | list[str], province: str | None = None, genre: str | None = None,
               year: int | None = None, root: str | Path | None = None) -> tuple[dict[str, pl.DataFrame], list[str]]:
    """The tables of one slice of the corpus, and its notice ids; checks the slice (`parameters.check_slice`: a
    ParameterError names what the corpus holds), reads only its rows."""
    ids = slice_ids(province, genre, year, root)
    return load_notices(names, ids, root), ids


def slice_ids(province: str | None = None, genre: str | None = None, year: int | None = None,
              root: str | Path | None = None) -> list[str]:
    """The notice ids of one slice of the corpus (checked like `load_slice`)."""
    notices = scan_table(project(root).processed, "notices").select("notice_id", "province", "genre", "signature_date").collect()
    check_slice(Vocabulary.of(notices), province, genre, year)
    return corpus_slice(notices, province, genre, year).get_column("notice_id").to_list()


def notice_ids(root: str | Path | None = None) -> pl.DataFrame:
    """The notices table's id column alone (cheap at any corpus size)."""
    return scan_table(project(root).processed, "notices").select("notice_id").collect()


def corpus_slice(notices: pl.DataFrame, province: str | None = None, genre: str | None = None, year: int | None = None) -> pl.DataFrame:
    """Notices of one province, genre and/or signature year (None keeps all)."""
    out = notices
    if province:
        out = out.filter(pl.col("province") == province)
    if genre:
        out = out.filter(pl.col("genre") == genre)
    if year:
        out = out.filter(pl.col("signature_date").dt.year() == year)
    return out


def slice_label(province: str | None, genre: str | None, year: int | None) -> str:
    """Human description of a slice."""
    parts = [p for p in (province, genre and genre.replace("_", " "), str(year) if year else None) if p]
    return ", ".join(parts) if parts else "all notices"


# --------------------------------------------------------------------------- the network, as the build computed it

ROW_GRAPHS = ("agency_policy", "notice_policy", "agency_agency", "inspection")  # evidence: keys of rows, `notice_id[:…]`


def load_network(graphs: tuple[str, ...] | list[str], province: str | None = None, genre: str | None = None,
                 year: int | None = None, root: str | Path | None = None) -> tuple[dict[str, pl.DataFrame], list[str]]:
    """Rows of network_nodes, network_edges and network_graphs for some graphs, as the build wrote them, and the
    slice's notice ids.

    The network is computed once, by the build, over the whole corpus (`notices build --hub-limit` …). A slice
    keeps, in each graph, the nodes its notices name — the ends of the edges of the graphs built from rows
    (agency_policy, notice_policy, agency_agency, inspection) whose evidence comes from one of its notices —
    and the edges between them; centralities, communities, weights, counts and network_graphs stay those of
    the whole corpus.
    """
    unknown = [g for g in graphs if g not in GRAPH_NAMES]
    if unknown:
        raise ParameterError(f"graph {unknown[0]!r} is not one of {', '.join(GRAPH_NAMES)}")
    processed, wanted = project(root).processed, pl.col("graph").is_in(list(graphs))
    ids = slice_ids(province, genre, year, root)
    nodes, edges = scan_table(processed, "network_nodes").filter(wanted), scan_table(processed, "network_edges").filter(wanted)
    if province or genre or year:
        named = named_by(scan_table(processed, "network_edges"), ids)
        nodes = nodes.filter(pl.col("node_id").is_in(named))
        edges = edges.filter(pl.col("source").is_in(named) & pl.col("target").is_in(named))
    return {"network_nodes": nodes.collect(), "network_edges": edges.collect(),
            "network_graphs": scan_table(processed, "network_graphs").filter(wanted).collect()}, ids


def named_by(network_edges: pl.LazyFrame, notice_ids: list[str]) -> list[str]:
    """Nodes that some notices name: the ends of edges of the graphs built from rows with evidence from those notices."""
    from_them = (pl.col("evidence").str.split(";").list.eval(pl.element().str.split(":").list.first().is_in(notice_ids))
                 .list.any())
    ends = network_edges.filter(pl.col("graph").is_in(ROW_GRAPHS) & from_them)
    return pl.concat([ends.select(pl.col("source").alias("node_id")), ends.select(pl.col("target").alias("node_id"))]
                     ).unique().collect().get_column("node_id").sort().to_list()


def graph_summary(network_graphs: pl.DataFrame, graph: str) -> Markdown:
    """One graph's row of network_graphs in words: size, components, communities, how betweenness was computed, hubs."""
    rows = network_graphs.filter(pl.col("graph") == graph)
    if rows.is_empty():
        return Markdown(f"*The build wrote no graph {cell(graph)}.*")
    g = rows.row(0, named=True)
    modularity = f", modularity {g['modularity']:.3f}" if g["modularity"] is not None else ""
    between = "exact" if g["betweenness"] == "exact" else f"estimated from {g['pivots']} sampled source nodes"
    files = ("GraphML and GEXF in `data/processed/network/`" if g["exported"]
             else "too many edges for GraphML/GEXF: in `data/processed/network/edges.parquet` only")
    return Markdown(f"**{cell(graph)}** ({'directed' if g['directed'] else 'undirected'}): {plural(g['nodes'], 'node')} and "
                    f"{plural(g['edges'], 'edge')} in {plural(g['components'], 'connected component')} (the largest has "
                    f"{plural(g['largest_component'], 'node')}); {plural(g['communities'], 'Louvain community', 'Louvain communities')}"
                    f"{modularity}; betweenness {between}; hub limit {g['hub_limit']} neighbours ({plural(g['hubs'], 'hub')}); "
                    f"{files}.")


# --------------------------------------------------------------------------- display


CELL_ESCAPED = frozenset("\\`*_[]{}|$@~^#")  # Markdown syntax that can start inside a line
HTML_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def cell(value, limit: int = 120) -> str:
    """A value as safe Markdown on one line (a table cell, a sentence): HTML-escaped, inline Markdown syntax
    backslash-escaped, no newlines, clipped."""
    if value is None:
        return "—"
    if isinstance(value, float):
        text = f"{value:.4g}"
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "".join(HTML_ENTITIES.get(c) or (f"\\{c}" if c in CELL_ESCAPED else c) for c in text)


def table_markdown(df: pl.DataFrame, columns: list[str] | None = None, rows: int = 40, limit: int = 120) -> str:
    """A Markdown pipe table of the first `rows` rows (for answers read in JupyterLab as well as on the site). The dashes
    under the header follow the width of each column's content, so that Pandoc, which sizes the columns of a wide
    pipe table by them, gives long text the room and short values little."""
    columns = columns or df.columns
    head = df.select(columns).head(rows)
    body = [[cell(v, limit) for v in row] for row in head.iter_rows()]
    widths = [min(40, max([display_width(cell(c))] + [display_width(r[i]) for r in body])) for i, c in enumerate(columns)]
    lines = ["| " + " | ".join(cell(c) for c in columns) + " |", "|" + "|".join("-" * max(3, w) for w in widths) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    if df.height > rows:
        lines.append(f"\n*{df.height - rows} more rows not shown.*")
    return "\n".join(lines) + "\n"


def show(df: pl.DataFrame, columns: list[str] | None = None, rows: int = 40, caption: str | None = None,
         headers: dict[str, str] | None = None, tips: dict[str, str] | None = None) -> Markdown:
    """Show a frame as a readable table (an HTML raw block in Markdown, never a text/html output; see
    `markup.html_table`): widths from the content, the page's width when it is wide, long text clamped with a click
    to expand. `headers`: column → heading; `tips`: column → a column shown on hover (an id behind a label)."""
    return Markdown(table_block(df, columns, rows, caption, headers, tips))


def notice_labels(notices: pl.DataFrame) -> dict[str, str]:
    """A short name for each notice, for charts and tables: its organisation (else issuing body, else id) and the year
    it was signed; the id is added where two notices would share a name."""
    names = {}
    for r in notices.iter_rows(named=True):
        year = r["signature_date"].year if r.get("signature_date") else None
        names[r["notice_id"]] = " ".join(str(p) for p in (r.get("organisation") or r.get("issuing_body") or r["notice_id"], year) if p)
    seen = Counter(names.values())
    return {nid: (f"{name} ({nid})" if seen[name] > 1 else name) for nid, name in names.items()}


def notice_names(root: str | Path | None = None) -> dict[str, str]:
    """`notice_labels` of every notice of the corpus (read from four columns of the notices table)."""
    columns = ["notice_id", "organisation", "issuing_body", "signature_date"]
    return notice_labels(scan_table(project(root).processed, "notices").select(columns).collect())


def with_notice_labels(df: pl.DataFrame, labels: dict[str, str], column: str = "notice_id", to: str = "notice") -> pl.DataFrame:
    """`df` with a first column `to` holding the label (`notice_labels`) of the notice in `column`."""
    return df.with_columns(pl.col(column).replace_strict(labels, default=pl.col(column)).alias(to)).select(to, pl.exclude(to))


def name_notice_nodes(nodes: pl.DataFrame, labels: dict[str, str]) -> pl.DataFrame:
    """network_nodes with notice nodes labelled by organisation and year (`notice_labels`) instead of their ids."""
    renamed = pl.col("label").replace_strict(labels, default=pl.col("label"))
    return nodes.with_columns(pl.when(pl.col("kind") == "notice").then(renamed).otherwise(pl.col("label")).alias("label"))


def md(text: str) -> Markdown:
    """Show Markdown written by the notebook (numbers in it come from the data)."""
    return Markdown(text)


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 province', '4 provinces'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def corpus_summary(t: dict[str, pl.DataFrame]) -> Markdown:
    """The home page's corpus at a glance (counts from the tables; a notice without a province is not a province)."""
    notices = t["notices"]
    provinces = notices.get_column("province").drop_nulls().n_unique()
    unplaced = notices.get_column("province").null_count()
    dates = notices.get_column("signature_date").drop_nulls()
    measures = t["measures"]
    text = (f"The corpus holds **{plural(notices.height, 'notice')}** from **{plural(provinces, 'province')}**"
            + (f" ({plural(unplaced, 'notice')} without a known province)" if unplaced else "")
            + (f", signed between {dates.min()} and {dates.max()}" if len(dates) else "") + ". "
            f"They report **{t['problems'].height} problems** with **{measures.filter(pl.col('kind') == 'done').height} "
            f"measures** and **{measures.filter(pl.col('kind') == 'planned').height} next steps**, and name "
            f"**{t['documents'].get_column('canonical_title').n_unique()} distinct policy documents** and "
            f"**{t['agencies'].filter(~pl.col('is_self')).get_column('canonical').n_unique()} other agencies**. "
            f"{plural(t['quarantine'].height, 'raw file')} {'was' if t['quarantine'].height == 1 else 'were'} set aside with a "
            "stated reason (see the corpus overview).")
    return Markdown(text)


def chart(c, name: str | None = None) -> OfflineChart:
    """Show an Altair chart offline (see analysis.site.charts.OfflineChart)."""
    return OfflineChart(c, name)


def pct(value: float | None) -> str:
    """A share as a percentage, or 'not stated'."""
    return "not stated" if value is None else f"{100 * value:.1f}%"


MARK_CLASSES = {"document": "m-doc", "agency": "m-agency", "date": "m-date", "figure": "m-figure", "problem": "m-problem"}


def highlighted_text(text: str, spans: list[tuple[int, int, str, str]]) -> Markdown:
    """The notice text with spans marked (<mark> with a tooltip), all of it HTML-escaped, in a <pre> block."""
    pieces, pos = [], 0
    for start, end, kind, title in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < pos or end <= start:
            continue  # overlapping spans: the first (longest) one wins
        pieces.append(html.escape(text[pos:start], quote=False))
        pieces.append(f'<mark class="{MARK_CLASSES.get(kind, "m-other")}" title="{html.escape(title, quote=True)}">'
                      f'{html.escape(text[start:end], quote=False)}</mark>')
        pos = end
    pieces.append(html.escape(text[pos:], quote=False))
    legend = " ".join(f'<mark class="{cls}">{name}</mark>' for name, cls in MARK_CLASSES.items() if name != "problem")
    return Markdown(f'<p class="mark-legend">{legend}</p>\n\n<pre class="notice-text">{"".join(pieces)}</pre>\n')


# --------------------------------------------------------------------------- one notice


def notice_spans(tables: dict[str, pl.DataFrame], notice_id: str) -> list[tuple[int, int, str, str]]:
    """Spans of a notice's extracted facts, for highlighting: (start, end, kind, tooltip)."""
    def rows(name):
        return tables[name].filter(pl.col("notice_id") == notice_id)

    spans = [(r["title_start"], r["title_end"], "problem", f"problem {r['path']}: {r['status']}") for r in rows("problems").iter_rows(named=True)]
    spans += [(r["start"], r["end"], "document", f"{r['relation']} · {r['doc_type']} · {r['canonical_title']}")
              for r in rows("documents").iter_rows(named=True)]
    spans += [(r["start"], r["end"], "agency", f"{r['canonical']} ({r['type']}, {r['level']})") for r in rows("agencies").iter_rows(named=True)]
    spans += [(r["start"], r["end"], "date", f"{r['iso']} ({r['precision']})") for r in rows("dates").iter_rows(named=True)]
    spans += [(r["start"], r["end"], "figure", f"{r['value']:g} {r['unit']} · {r['what'] or ''}") for r in rows("figures").iter_rows(named=True)]
    return spans


def notice_metadata(tables: dict[str, pl.DataFrame], notice_id: str) -> pl.DataFrame:
    """Field / value / evidence rows of one notice."""
    fields = tables["notice_fields"].filter(pl.col("notice_id") == notice_id)
    return fields.select("field", "value", "method").sort("field")


def choose_notice(notices: pl.DataFrame, notice_id: str | None, prefer: str | None = None) -> str:
    """The notice to show: the one asked for (which must exist), else `prefer` if the corpus has it, else its first."""
    ids = sorted(notices.get_column("notice_id").to_list())
    if not ids:
        raise ProjectError("the corpus has no notices: run `notices build` first")
    if notice_id is None:
        return prefer if prefer in ids else ids[0]
    if notice_id not in ids:
        raise ProjectError(f"unknown notice id {notice_id!r}; known ids start {', '.join(ids[:5])}")
    return notice_id


def text_of(notice_id: str, root: str | Path | None = None) -> str:
    """A notice's normalised text."""
    return notice_text(project(root).processed, notice_id)
