"""Front matter of site pages that no notice text can break.

Every notice-derived string that reaches Quarto metadata (front matter: title, description,
categories) is written as one line of double-quoted YAML whose text is Markdown-literal
(`markdown_literal`): Pandoc reads metadata strings as Markdown (docs/architecture.md, "Quarto and the offline site"), so `<`, `>` and `&`
become entities and every other ASCII punctuation mark is backslash-escaped — no HTML, shortcode,
link, math, citation or smart quote can arise, and the reader sees the title as written.

Light on purpose (no polars, no charts): notebook runs import it in their worker processes.
"""

from __future__ import annotations

import json
import re
import string

GENRE_LABELS = {"party_inspection": "Party inspection", "environmental_inspection": "Environmental inspection",
                "audit": "Audit", "other": "Other"}


MARKDOWN_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
ASCII_PUNCTUATION = frozenset(string.punctuation)
TEXT_FIELDS = ("title", "subtitle", "description", "categories")  # front-matter fields read as Markdown


def one_line(text: str) -> str:
    """Text on one line: control and format characters (bidi overrides, zero-width) dropped, whitespace runs → one space."""
    kept = "".join(c if c.isprintable() or c.isspace() else " " for c in text)
    return " ".join(kept.split())


def markdown_literal(text: str) -> str:
    """Markdown that Pandoc and Quarto show exactly as `text` (on one line): `<`, `>`, `&` as entities and every other
    ASCII punctuation mark backslash-escaped, so no HTML, shortcode ({{< >}}), link, code, math, citation or smart
    quote can arise from it."""
    return "".join(MARKDOWN_ENTITIES.get(c) or (f"\\{c}" if c in ASCII_PUNCTUATION else c) for c in one_line(text))


ENTITY_TEXT = {v: k for k, v in MARKDOWN_ENTITIES.items()}
LITERAL_RE = re.compile(r"&lt;|&gt;|&amp;|\\(.)")


def markdown_text(literal: str) -> str:
    """What a reader sees of a `markdown_literal` string (its inverse: entities and backslash escapes undone)."""
    return LITERAL_RE.sub(lambda m: ENTITY_TEXT.get(m.group(0)) or m.group(1), literal)


def front_matter_value(key: str, value: object) -> object:
    """A front-matter value made safe: text fields Markdown-literal (lists item by item), other values as they are."""
    if key in TEXT_FIELDS:
        if isinstance(value, (list, tuple)):
            return [markdown_literal(str(v)) for v in value]
        return markdown_literal(str(value))
    return value


def front_matter_text(front_matter: dict) -> str:
    """YAML front matter between --- lines: one `key: value` line per field, every string double-quoted (JSON syntax,
    which YAML reads as it is), text fields Markdown-literal; None values are left out."""
    lines = []
    for key, value in front_matter.items():
        if value is None:
            continue
        if not re.fullmatch(r"[a-z][a-z0-9_-]*", key):
            raise ValueError(f"front-matter key {key!r} is not a plain lower-case name")
        lines.append(f"{key}: {json.dumps(front_matter_value(key, value), ensure_ascii=False)}")
    return "---\n" + "\n".join(lines) + "\n---"


def profile_front_matter(notice: dict) -> dict:
    """Title, date, categories and description of a notice's page (for the listing; made safe by `front_matter_text`)."""
    signed = notice["signature_date"]
    title = notice["title"] or f"{notice['organisation'] or notice['notice_id']}：整改情况"
    return {
        "title": title,
        "date": signed.isoformat() if signed else None,
        "categories": [c for c in (notice["province"], GENRE_LABELS.get(notice["genre"], notice["genre"]),
                                   str(signed.year) if signed else None) if c],
        "description": f"{notice['organisation'] or ''} · {notice['problems_parsed']} problems · "
                       f"{notice['measures_parsed']} measures · {notice['notice_id']}",
    }
