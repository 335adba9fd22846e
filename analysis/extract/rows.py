"""Rows of the processed tables for one notice, built from the stage results (see analysis.contract.tables)."""

from __future__ import annotations

import re
from datetime import date

import numpy as np

from analysis.read.bodies import sector_of
from analysis.read.declared import pct_check
from analysis.contract.keys import measure_key, problem_key
from analysis.extract import Extraction, Locator, make_locator
from analysis.read.ingest import IngestedNotice
from analysis.read.metadata import NoticeMetadata
from analysis.read.resources import Resources
from analysis.read.structure import ParsedNotice, cut_by_end
from analysis.read.text import trie_pattern

DECLARED_INT = ("declared_categories", "declared_problems", "declared_measures", "declared_measures_completed",
                "declared_problems_completed", "declared_items_completed", "declared_items_long_term", "declared_items_in_progress",
                "declared_rules")
METADATA_COLUMNS = ("title", "issuing_body", "organisation", "province", "province_code", "city", "city_code", "county",
                    "county_code", "admin_level", "body_kind", "genre", "inspection_level", "inspection_theme", "inspecting_body",
                    "inspected_body", "round", "round_term", "round_number", "fiscal_year", "inspection_start", "inspection_end",
                    "inspection_precision", "feedback_date", "feedback_precision", "feedback_year_inferred", "signature_date",
                    "publication_date", "publication_date_source", "page_date", "page_published", "page_source",
                    "declared_completion_pct", "declared_amount")


def _text_value(value) -> str:
    """A metadata value as text for notice_fields."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def group_count(parsed: ParsedNotice) -> int:
    """Distinct first-level groups of problems (status groups looked through)."""
    if parsed.layout == "single_task":
        return len(parsed.problems)
    roles = parsed.section_roles
    section_paths = {n.path for n in parsed.problem_sections}
    groups = set()
    for problem in parsed.problems:
        parts = problem.path.split(".")
        depth = 1 if "" in section_paths or not section_paths else 2
        group = ".".join(parts[:depth])
        if roles.get(group) == "status_group" and len(parts) > depth:
            group = ".".join(parts[:depth + 1])
        groups.add(group)
    return len(groups)


def notice_row(notice: IngestedNotice, sha256: str, file: str, parsed: ParsedNotice, meta: NoticeMetadata,
               resources: Resources, warnings: list[str]) -> dict:
    """The `notices` row."""
    v = meta.values
    row = {
        "notice_id": notice.notice_id, "file": file, "sha256": sha256, "encoding": notice.encoding, "script": notice.script,
        "chars_converted": notice.chars_converted, "chars_decoded": len(notice.decoded), "chars": len(notice.text),
        "layout": parsed.layout, "sector": sector_of(v.get("organisation"), v.get("body_kind"), resources.sectors),
        "inspection_kind": ";".join(v.get("inspection_kind") or []) or None,
        "audit_kind": ";".join(v.get("audit_kind") or []) or None,
        "declared_pct_check": pct_check(v),
        "problems_parsed": len(parsed.problems), "problem_groups_parsed": group_count(parsed),
        "measures_parsed": sum(len(p.done) for p in parsed.problems) + sum(m.kind == "done" for m in parsed.loose_measures),
        "planned_parsed": sum(len(p.planned) for p in parsed.problems) + sum(m.kind == "planned" for m in parsed.loose_measures),
        "warnings": ";".join(sorted(set(warnings))) or None,
    }
    for name in METADATA_COLUMNS:
        row[name] = v.get(name)
    for name in DECLARED_INT:
        row[name] = int(v[name]) if v.get(name) is not None else None
    return row


def field_rows(notice_id: str, meta: NoticeMetadata) -> list[dict]:
    """The `notice_fields` rows (one per field with a value)."""
    rows = {}
    for e in meta.evidence:
        rows.setdefault(e.field, {"notice_id": notice_id, "field": e.field, "value": _text_value(e.value),
                                  "start": e.start, "end": e.end, "method": e.method})
    return [rows[k] for k in sorted(rows)]


def outline_rows(notice_id: str, parsed: ParsedNotice) -> list[dict]:
    """The `outline` rows."""
    text = parsed.text
    return [{"notice_id": notice_id, "path": n.path, "depth": n.path.count(".") + 1, "form": n.form, "label": n.label,
             "number": n.number, "heading": n.heading(text), "role": n.role or "other",
             "heading_start": n.heading_start, "heading_end": n.heading_end, "start": n.start, "end": n.end}
            for n in parsed.outline.nodes()]


def problem_rows(notice_id: str, parsed: ParsedNotice) -> list[dict]:
    """The `problems` rows."""
    rows = []
    for p in parsed.problems:
        rows.append({
            "problem_key": problem_key(notice_id, p.path), "notice_id": notice_id, "path": p.path, "label": p.label,
            "number": p.number, "category": p.category, "category_path": p.category_path, "problem_group": p.group,
            "status_group": p.status_group, "title": p.title, "title_start": p.title_start, "title_end": p.title_end,
            "status": p.status, "status_source": p.status_source, "status_start": p.status_start, "status_end": p.status_end,
            "start": p.start, "end": p.end, "measures": len(p.done), "planned": len(p.planned), "has_next_steps": bool(p.planned),
        })
    return rows


_VERB_RE_CACHE: dict[int, re.Pattern] = {}


def _verb_regex(resources: Resources) -> re.Pattern:
    """Alternation of the action verbs (compiled once per Resources; unguarded, so `re` skips ahead by first character)."""
    key = id(resources)
    if key not in _VERB_RE_CACHE:
        _VERB_RE_CACHE[key] = re.compile(trie_pattern(resources.action_verbs, guard=False))
    return _VERB_RE_CACHE[key]


def holds_any(positions: list[int], starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """For each span [start, end), whether one of the sorted `positions` falls inside it (all spans at once)."""
    found = np.asarray(positions, dtype=np.int64)
    i = np.searchsorted(found, starts, side="left")
    return (i < len(found)) & (found[np.minimum(i, len(found) - 1)] < ends) if len(found) else np.zeros(len(starts), bool)


def span_flags(bounds: tuple[np.ndarray, ...], positions: list[int]) -> list[bool]:
    """For each measure (by its measure_bounds), whether one of the sorted `positions` falls inside its text or its
    progress text."""
    starts, ends, progress_starts, progress_ends = bounds
    return (holds_any(positions, starts, ends) | holds_any(positions, progress_starts, progress_ends)).tolist()


def measure_bounds(measures: list) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(starts, ends, progress starts, progress ends) of measures as arrays (an empty span where there is no progress)."""
    bounds = np.array([(m.start, m.end, *((m.progress_start, m.progress_end) if m.progress_start is not None else (0, 0)))
                       for m in measures], dtype=np.int64).reshape(-1, 4)
    return bounds[:, 0], bounds[:, 1], bounds[:, 2], bounds[:, 3]


def measure_rows(notice_id: str, parsed: ParsedNotice, extraction: Extraction, resources: Resources) -> list[dict]:
    """The `measures` rows, with the has_* flags from extraction."""
    text = parsed.text
    verb_re = _verb_regex(resources)
    owned = [(path, m) for path, measures in [(p.path, p.measures) for p in parsed.problems] + [(None, parsed.loose_measures)]
             for m in measures]
    measures = [m for _, m in owned]
    bounds = measure_bounds(measures)
    has_date = span_flags(bounds, sorted(d.mention.start for d in extraction.dates if not d.in_title))
    has_figure = span_flags(bounds, sorted(f.start for f in extraction.figures))
    has_document = span_flags(bounds, sorted(d.start for d in extraction.documents))
    has_agency = span_flags(bounds, sorted(a.start for a in extraction.agencies if not a.is_self))
    text_end = len(text.rstrip())  # a span ending at or after it has nothing but whitespace after it
    rows = []
    for n, (path, m) in enumerate(owned):
        verbs = verb_re.findall(text, m.start, m.end)
        if m.progress_start is not None:
            verbs += verb_re.findall(text, m.progress_start, m.progress_end)
        end = max(m.end, m.progress_end or 0)
        rows.append({
            "measure_key": measure_key(notice_id, path, m.kind, m.index),
            "problem_key": problem_key(notice_id, path) if path is not None else None,
            "notice_id": notice_id, "kind": m.kind, "index": m.index, "label": m.label, "number": m.number,
            "text": text[m.start:m.end], "start": m.start, "end": m.end,
            "progress_start": m.progress_start, "progress_end": m.progress_end, "chars": m.end - m.start,
            "truncated": end >= text_end and cut_by_end(text, end),
            "verbs": ";".join(dict.fromkeys(verbs)),  # first-seen order
            "has_date": has_date[n], "has_figure": has_figure[n], "has_document": has_document[n], "has_agency": has_agency[n],
        })
    return rows


def document_rows(notice_id: str, extraction: Extraction, locator: Locator) -> list[dict]:
    """The `documents` rows, keyed in text order."""
    order = sorted(range(len(extraction.documents)), key=lambda i: (extraction.documents[i].start, extraction.documents[i].end))
    key_of = {i: f"{notice_id}:d{n}" for n, i in enumerate(order, start=1)}
    rows = []
    for i in order:
        d = extraction.documents[i]
        problem, measure = locator.locate(d.start)
        rows.append({
            "mention_key": key_of[i], "notice_id": notice_id, "problem_key": problem, "measure_key": measure,
            "title": d.title, "canonical_title": d.canonical, "doc_type": d.doc_type, "doc_category": d.category,
            "relation": d.relation, "verb": d.verb, "issuer": d.issuer, "issuer_source": d.issuer_source,
            "doc_number": d.doc_number, "bracketed": d.bracketed, "recovered": d.recovered, "confidence": d.confidence,
            "parent_key": key_of[d.parent] if d.parent is not None else None, "abbreviation_of": d.abbreviation_of,
            "start": d.start, "end": d.end,
        })
    return rows


def agency_rows(notice_id: str, extraction: Extraction, locator: Locator) -> list[dict]:
    """The `agencies` rows."""
    rows = []
    for n, a in enumerate(extraction.agencies, start=1):
        problem, measure = locator.locate(a.start)
        rows.append({"mention_key": f"{notice_id}:a{n}", "notice_id": notice_id, "problem_key": problem, "measure_key": measure,
                     "mention": a.mention, "canonical": a.canonical, "kind": a.key, "type": a.type, "level": a.level,
                     "place": a.place, "role": a.role, "is_self": a.is_self, "collective": a.collective, "method": a.method, "start": a.start, "end": a.end})
    return rows


def date_rows(notice_id: str, extraction: Extraction, locator: Locator) -> list[dict]:
    """The `dates` rows."""
    rows = []
    for n, d in enumerate(extraction.dates, start=1):
        problem, measure = locator.locate(d.mention.start)
        rows.append({"date_key": f"{notice_id}:t{n}", "notice_id": notice_id, "problem_key": problem, "measure_key": measure,
                     "text": d.mention.text, "pattern": d.mention.pattern, "kind": d.kind, "precision": d.precision,
                     "value_start": d.value_start, "value_end": d.value_end, "iso": d.iso, "qualifier": d.qualifier,
                     "year_inferred": d.year_inferred, "year_source": d.year_source, "planned": d.planned,
                     "in_title": d.in_title, "start": d.mention.start, "end": d.mention.end})
    return rows


def figure_rows(notice_id: str, extraction: Extraction, locator: Locator) -> list[dict]:
    """The `figures` rows."""
    rows = []
    for n, f in enumerate(extraction.figures, start=1):
        problem, measure = locator.locate(f.start)
        rows.append({"figure_key": f"{notice_id}:f{n}", "notice_id": notice_id, "problem_key": problem, "measure_key": measure,
                     "text": f.text, "value": f.value, "value_end": f.value_end, "unit": f.unit, "category": f.category, "base_value": f.base_value,
                     "base_unit": f.base_unit, "what": f.what, "approximate": f.approximate, "numeral": f.numeral,
                     "start": f.start, "end": f.end})
    return rows


def notice_tables(notice: IngestedNotice, sha256: str, file: str, parsed: ParsedNotice, meta: NoticeMetadata,
                  extraction: Extraction | None, resources: Resources, warnings: list[str]) -> dict[str, list[dict]]:
    """The rows of the parse tables and, when the notice was extracted, of the extract tables, by table name."""
    nid = notice.notice_id
    tables = {
        "notices": [notice_row(notice, sha256, file, parsed, meta, resources, warnings)],
        "notice_fields": field_rows(nid, meta),
        "outline": outline_rows(nid, parsed),
        "problems": problem_rows(nid, parsed),
    }
    if extraction is not None:
        locator = make_locator(nid, parsed)
        tables.update({
            "measures": measure_rows(nid, parsed, extraction, resources),
            "documents": document_rows(nid, extraction, locator),
            "agencies": agency_rows(nid, extraction, locator),
            "dates": date_rows(nid, extraction, locator),
            "figures": figure_rows(nid, extraction, locator),
        })
    return tables


def removal_rows(notice: IngestedNotice) -> list[dict]:
    """Rows of the `removals` table for one ingested notice."""
    return [
        {"notice_id": notice.notice_id, "seq": i, "rule": r.rule, "raw_start": r.start, "raw_end": r.end,
         "chars": (r.end - r.start) if r.start is not None else len(r.text), "normalised_at": r.at, "text": r.text}
        for i, r in enumerate(notice.removals, start=1)
    ]
