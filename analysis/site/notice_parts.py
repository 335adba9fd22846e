"""The HTML parts of a notice's page: the header card, the problems as a compact list, the tables of what it names.

* `header_card`: who issued the notice and where, its genre, who inspected whom and when, feedback, signature and
  publication, declared against parsed counts, completion, and links to download the notice's rows.
* `problem_list`: one line per problem — a status badge, its label, its title (one line, cut with …) and how many
  measures and next steps it has — that opens (<details>) to its measures, its next steps apart, and the documents,
  agencies, dates and figures they cite. Grouped under the notice's category or status headings; two columns on
  a wide screen (reports/styles.css), so a notice of fifty problems fits in one screen before any is opened.

Everything from the notice is escaped with `markup.esc` (see its module).
"""

from __future__ import annotations

import polars as pl

from analysis.site.downloads import download_files
from analysis.site.frontmatter import GENRE_LABELS
from analysis.site.markup import esc, html_table

STATUS_BADGES = {"completed": "completed", "long_term": "long-term", "in_progress": "in progress", "unknown": "no status"}
STATUS_SOURCES = {"item": "stated for this problem", "heading": "stated in its heading", "group": "from the group heading",
                  "document": "from the document (acceptance)", "none": "no status stated"}
MISSING = '<span class="missing">not stated</span>'


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 measure', '3 measures'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def value_or_missing(*values, sep: str = " ") -> str:
    """The values that are set, escaped and joined by `sep`; 'not stated' when none is."""
    shown = [esc(v) for v in values if v not in (None, "")]
    return sep.join(shown) if shown else MISSING


# --------------------------------------------------------------------------- the header card


def counts(declared, parsed) -> str:
    """'48 declared · 48 parsed', marked when the two differ."""
    if declared is None:
        return f"{esc(parsed)} parsed <span class=\"missing\">(none declared)</span>"
    mark = "agree" if declared == parsed else "differ"
    return f'<span class="{mark}">{esc(declared)} declared · {esc(parsed)} parsed</span>'


def completion(notice: dict, problems: pl.DataFrame) -> str:
    """Completion as the notice declares it and as read from the problems' statuses."""
    declared = []
    if notice["declared_completion_pct"] is not None:
        declared.append(f"{esc(notice['declared_completion_pct'])}%")
    for done, total, what in (("declared_measures_completed", "declared_measures", "measures"),
                              ("declared_problems_completed", "declared_problems", "problems")):
        if notice[done] is not None:
            declared.append(f"{esc(notice[done])} of {esc(notice[total]) if notice[total] is not None else '?'} {what}")
    items = [f"{esc(notice[c])} {w}" for c, w in (("declared_items_completed", "completed"),
                                                  ("declared_items_long_term", "long-term"),
                                                  ("declared_items_in_progress", "in progress")) if notice[c] is not None]
    if items:
        declared.append("items: " + ", ".join(items))
    by_status = dict(problems.group_by("status").len().iter_rows()) if problems.height else {}
    parsed = ", ".join(f"{by_status[s]} {w}" for s, w in STATUS_BADGES.items() if by_status.get(s))
    return (f"declared: {' · '.join(declared) if declared else MISSING}<br>"
            f"parsed statuses: {esc(parsed) if parsed else MISSING} (of {plural(problems.height, 'problem')})")


def download_links(notice_id: str) -> str:
    """Links to the notice's rows: all as JSON, each table as CSV."""
    files = download_files(notice_id)
    csv = " · ".join(f'<a href="{esc(name)}" download>{esc(table.replace("_", " "))}</a>'
                     for table, name in files.items() if table != "json")
    return (f'<p class="downloads">Download this notice\'s rows: <a href="{esc(files["json"])}" download>all tables '
            f"(JSON)</a> · CSV: {csv}</p>")


def header_card(notice: dict, problems: pl.DataFrame, measures: pl.DataFrame) -> str:
    """The card at the top of a notice's page (HTML)."""
    genre = [GENRE_LABELS.get(notice["genre"], notice["genre"]), notice["inspection_level"], notice["inspection_kind"],
             notice["audit_kind"], notice["inspection_theme"], notice["round"]]
    period = (f"{esc(notice['inspection_start'])} – {esc(notice['inspection_end'])}"
              if notice["inspection_start"] or notice["inspection_end"] else MISSING)
    feedback = value_or_missing(notice["feedback_date"]) + (" (year inferred)" if notice["feedback_year_inferred"] else "")
    published = value_or_missing(notice["publication_date"])
    if notice["publication_date_source"] and notice["publication_date"]:
        published += f' <span class="muted">({esc(notice["publication_date_source"].replace("_", " "))})</span>'
    if notice["page_published"]:
        published += f' · page: {esc(notice["page_published"])}'
    planned = measures.filter(pl.col("kind") == "planned").height
    fields = [
        ("Issued by", value_or_missing(notice["issuing_body"])
         + (f' <span class="muted">({esc(notice["organisation"])})</span>'
            if notice["organisation"] and notice["organisation"] != notice["issuing_body"] else "")),
        ("Place", value_or_missing(notice["province"], notice["city"], notice["county"])),
        ("Genre", value_or_missing(*[g.replace("_", " ") if g else g for g in genre], sep=" · ")),
        ("Inspected", f"{value_or_missing(notice['inspecting_body'])} → {value_or_missing(notice['inspected_body'])}"),
        ("Inspection", period),
        ("Feedback", feedback),
        ("Signed", value_or_missing(notice["signature_date"])),
        ("Published", published),
        ("Problems", counts(notice["declared_problems"], notice["problems_parsed"])),
        ("Measures", counts(notice["declared_measures"], notice["measures_parsed"]) + f" · {plural(planned, 'next step')}"),
        ("Completion", completion(notice, problems)),
    ]
    rows = "\n".join(f'<div class="card-field{" wide" if name == "Completion" else ""}"><dt>{name}</dt><dd>{value}</dd></div>'
                     for name, value in fields)
    return (f'<div class="notice-card">\n<dl>\n{rows}\n</dl>\n{download_links(notice["notice_id"])}\n'
            f'<p class="card-id">Notice id <code>{esc(notice["notice_id"])}</code></p>\n</div>')


# --------------------------------------------------------------------------- the problems


def cited(rows: dict[str, pl.DataFrame], problem_key: str) -> str:
    """What a problem's text cites: documents, other agencies, dates and figures, each once, in text order (HTML)."""
    def of(name: str) -> pl.DataFrame:
        return rows[name].filter(pl.col("problem_key") == problem_key).sort("start")

    groups = [  # (name, items); each name's chips are coloured like its marks in the text
        ("Documents", [f"《{esc(t)}》" for t in of("documents").get_column("canonical_title").unique(maintain_order=True)]),
        ("Agencies", [esc(a) for a in of("agencies").filter(~pl.col("is_self")).get_column("canonical").unique(maintain_order=True)]),
        ("Dates", [esc(d) for d in of("dates").get_column("text").unique(maintain_order=True)]),
        ("Figures", [esc(f) for f in of("figures").get_column("text").unique(maintain_order=True)]),
    ]
    shown = [(name, items) for name, items in groups if items]
    if not shown:
        return ""
    chips = ["".join(f'<span class="chip">{item}</span>' for item in items) for _, items in shown]
    return '<dl class="cited">' + "".join(f'<dt>{name}</dt><dd class="cited-{name.lower()}">{c}</dd>'
                                          for (name, _), c in zip(shown, chips)) + "</dl>"


def measure_items(measures: pl.DataFrame) -> str:
    """A list of measures, each its text (with its label, 一是 …, when the text does not start with it) (HTML)."""
    items = []
    for m in measures.iter_rows(named=True):
        label = "" if not m["label"] or (m["text"] or "").startswith(m["label"]) else f'<span class="m-label">{esc(m["label"])}</span> '
        items.append(f"<li>{label}{esc(m['text'])}</li>")
    return f'<ul class="measures">{"".join(items)}</ul>'



def problem_line(problem: dict, rows: dict[str, pl.DataFrame]) -> str:
    """One problem: a <details> whose summary is one line, opening to its measures, next steps and citations."""
    mine = rows["measures"].filter(pl.col("problem_key") == problem["problem_key"]).sort("start")
    done, planned = mine.filter(pl.col("kind") == "done"), mine.filter(pl.col("kind") == "planned")
    status = problem["status"] if problem["status"] in STATUS_BADGES else "unknown"
    how = STATUS_SOURCES.get(problem["status_source"], problem["status_source"] or "")
    count = plural(done.height, "measure") + (f" · {plural(planned.height, 'next step')}" if planned.height else "")
    body = []
    if done.height:
        body.append(f'<p class="p-sub">Measures</p>{measure_items(done)}')
    if planned.height:
        body.append(f'<p class="p-sub">Next steps</p><div class="next-steps">{measure_items(planned)}</div>')
    if not done.height and not planned.height:
        body.append('<p class="missing">No measure was read for this problem.</p>')
    body.append(cited(rows, problem["problem_key"]))
    return (f'<details class="problem" id="problem-{esc(problem["path"])}"><summary>'
            f'<span class="badge status-{status}" title="{esc(how)}">{STATUS_BADGES[status]}</span>'
            f'<span class="p-label">{esc(problem["label"])}</span>'
            f'<span class="p-title" title="{esc(problem["title"])}">{esc(problem["title"])}</span>'
            f'<span class="p-count">{count}</span></summary>\n'
            f'<div class="p-body">{"".join(body)}</div></details>')


def group_of(problem: dict) -> str | None:
    """The heading a problem is listed under: its category, status group or problem group."""
    return problem["category"] or problem["status_group"] or problem["problem_group"]


def problem_list(rows: dict[str, pl.DataFrame]) -> str:
    """Every problem of a notice, one line each, in text order under their group headings (HTML); `rows`: the notice's
    rows of problems, measures, documents, agencies, dates and figures."""
    lines, heading = [], None
    for problem in rows["problems"].sort("start").iter_rows(named=True):
        group = group_of(problem)
        if group and group != heading:
            lines.append(f'<p class="problem-group">{esc(group)}</p>')
        heading = group
        lines.append(problem_line(problem, rows))
    loose = rows["measures"].filter(pl.col("problem_key").is_null()).sort("start")
    if loose.height:
        lines.append(f'<details class="problem"><summary><span class="badge status-unknown">—</span>'
                     f'<span class="p-title">Measures outside any problem</span>'
                     f'<span class="p-count">{plural(loose.height, "measure")}</span></summary>'
                     f'<div class="p-body">{measure_items(loose)}</div></details>')
    return '<div class="problem-list">\n' + "\n".join(lines) + "\n</div>"


def problems_summary(problems: pl.DataFrame, measures: pl.DataFrame) -> str:
    """One sentence (Markdown) over the list: problems by status, measures and next steps."""
    by_status = dict(problems.group_by("status").len().iter_rows()) if problems.height else {}
    statuses = ", ".join(f"{by_status[s]} {w}" for s, w in STATUS_BADGES.items() if by_status.get(s))
    done = measures.filter(pl.col("kind") == "done").height
    planned = measures.height - done
    return (f"{plural(problems.height, 'problem')}" + (f" ({statuses})" if statuses else "")
            + f", {plural(done, 'measure')} and {plural(planned, 'next step')}. "
            "Open a problem for its measures, its next steps and the documents, agencies, dates and figures they cite.")


# --------------------------------------------------------------------------- what the notice names


def documents_table(documents: pl.DataFrame) -> str:
    """The policy documents a notice names, once each in order of first mention (HTML)."""
    docs = (documents.sort("start").group_by("canonical_title", maintain_order=True)
            .agg(pl.col("doc_type").first(), pl.col("relation").first(), pl.col("issuer").drop_nulls().first(),
                 pl.len().alias("mentions"), pl.col("confidence").first()))
    return html_table(docs, ["canonical_title", "doc_type", "relation", "issuer", "mentions", "confidence"], rows=500,
                      caption="Policy documents (once each, in order of first mention)",
                      headers={"canonical_title": "document", "doc_type": "type"})


def agencies_table(agencies: pl.DataFrame) -> str:
    """The other agencies a notice names, most named first (HTML)."""
    named = (agencies.filter(~pl.col("is_self")).sort("start")
             .group_by("canonical", "type", "level", maintain_order=True)
             .agg(pl.len().alias("mentions"), pl.col("mention").unique().sort().str.join(" / ").alias("as written"))
             .sort("mentions", descending=True, maintain_order=True))
    return html_table(named, rows=500, caption="Other agencies named", headers={"canonical": "agency"})


def folded(summary: str, html: str) -> str:
    """HTML folded under a one-line summary (closed <details>)."""
    return f'<details class="folded"><summary>{esc(summary)}</summary>\n{html}\n</details>'
