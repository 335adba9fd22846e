"""Rows of the processed tables for one notice, built from the stage results (see analysis.contract.tables).

Rows are built column-wise: a table's rows are `Columns`, column name → one value per row, each column filled from
the stage results in one comprehension (no dict per row); `row_dicts` turns them into one dict per row for readers
that want that.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from datetime import date
from operator import attrgetter, itemgetter


from analysis.read.bodies import sector_of
from analysis.read.declared import pct_check
from analysis.contract.keys import measure_key, problem_key
from analysis.extract import Extraction, Locator
from analysis.read.ingest import IngestedNotice
from analysis.read.metadata import NoticeMetadata
from analysis.read.resources import Resources, per_resources
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
    if type(value) is str:  # most values: str() would return the same object after the tests below
        return value
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


Columns = dict[str, list]  # one table's rows, column-wise: column name → one value per row


def attribute_columns(items: list, attributes: dict[str, str]) -> Columns:
    """Columns read off objects: column name → the named attribute of every item, in order."""
    if not items:  # many a notice's tables are empty (no figures, no documents): no getters made for them
        return {column: [] for column in attributes}
    if len(attributes) < 2:  # attrgetter of one attribute gives the value, not a 1-tuple
        return {column: list(map(attrgetter(attribute), items)) for column, attribute in attributes.items()}
    # one getter per item for all attributes, the tuples transposed by zip: fewer calls than a getter per column
    return dict(zip(attributes, map(list, zip(*map(attrgetter(*attributes.values()), items)))))


def row_dicts(columns: Columns) -> list[dict]:
    """One dict per row of a table's columns."""
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def notice_row(notice: IngestedNotice, sha256: str, file: str, parsed: ParsedNotice, meta: NoticeMetadata,
               resources: Resources, warnings: list[str]) -> Columns:
    """The `notices` row (columns of one value)."""
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
    return {name: [value] for name, value in row.items()}


def field_rows(notice_id: str, meta: NoticeMetadata) -> Columns:
    """The `notice_fields` rows (one per field with a value: its first evidence), by field name."""
    first = {}
    for e in meta.evidence:
        first.setdefault(e.field, e)
    evidence = [first[name] for name in sorted(first)]
    return {"notice_id": [notice_id] * len(evidence), **attribute_columns(evidence, {"field": "field"}),
            "value": [_text_value(e.value) for e in evidence],
            **attribute_columns(evidence, {"start": "start", "end": "end", "method": "method"})}


def outline_rows(notice_id: str, parsed: ParsedNotice) -> Columns:
    """The `outline` rows."""
    text = parsed.text
    nodes = parsed.outline.nodes()
    return {"notice_id": [notice_id] * len(nodes), "path": [n.path for n in nodes], "depth": [n.path.count(".") + 1 for n in nodes],
            **attribute_columns(nodes, {"form": "form", "label": "label", "number": "number"}),
            "heading": [n.heading(text) for n in nodes], "role": [n.role or "other" for n in nodes],
            **attribute_columns(nodes, {"heading_start": "heading_start", "heading_end": "heading_end", "start": "start", "end": "end"})}


def problem_rows(notice_id: str, parsed: ParsedNotice) -> Columns:
    """The `problems` rows."""
    problems = parsed.problems
    planned = [len(p.planned) for p in problems]
    return {"problem_key": [problem_key(notice_id, p.path) for p in problems], "notice_id": [notice_id] * len(problems),
            **attribute_columns(problems, {
                "path": "path", "label": "label", "number": "number", "category": "category", "category_path": "category_path",
                "problem_group": "group", "status_group": "status_group", "title": "title", "title_start": "title_start",
                "title_end": "title_end", "status": "status", "status_source": "status_source", "status_start": "status_start",
                "status_end": "status_end", "start": "start", "end": "end"}),
            "measures": [len(p.done) for p in problems], "planned": planned, "has_next_steps": [n > 0 for n in planned]}


_VERB_RE_CACHE: dict[int, tuple[Resources, re.Pattern]] = {}


def _verb_regex(resources: Resources) -> re.Pattern:
    """Alternation of the action verbs (compiled once per Resources; unguarded, so `re` skips ahead by first character)."""
    return per_resources(_VERB_RE_CACHE, resources, lambda r: re.compile(trie_pattern(r.action_verbs, guard=False)))


Bounds = tuple[int, int, int | None, int | None]  # a measure's (start, end, progress start, progress end)


def span_flags(bounds: list[Bounds], positions: list[int]) -> list[bool]:
    """For each measure (by its measure_bounds), whether one of the sorted `positions` falls inside its text or its
    progress text."""
    # a bisect per measure: for some 65 measures and 30 positions, cheaper than numpy's calls over arrays
    count = len(positions)
    if not count:
        return [False] * len(bounds)
    flags = []
    for start, end, progress_start, progress_end in bounds:
        i = bisect_left(positions, start)
        if i < count and positions[i] < end:
            flags.append(True)
        elif progress_start is not None:
            i = bisect_left(positions, progress_start)
            flags.append(i < count and positions[i] < progress_end)
        else:
            flags.append(False)
    return flags


def measure_bounds(measures: list) -> list[Bounds]:
    """(start, end, progress start, progress end) of measures (progress None where there is none)."""
    return [(m.start, m.end, m.progress_start, m.progress_end if m.progress_start is not None else None) for m in measures]


Owned = tuple[list, list, list]  # every measure of a notice, its problem key (None for a loose one) and its measure key


def owned_measures(notice_id: str, parsed: ParsedNotice) -> Owned:
    """The notice's measures (its problems', in order, then the loose ones) with their problem keys and measure keys."""
    measures, problem_keys, measure_keys = [], [], []
    for p in parsed.problems:
        key = problem_key(notice_id, p.path)  # once per problem, not per measure
        for m in p.measures:
            measures.append(m)
            problem_keys.append(key)
            measure_keys.append(measure_key(notice_id, p.path, m.kind, m.index))
    for m in parsed.loose_measures:
        measures.append(m)
        problem_keys.append(None)
        measure_keys.append(measure_key(notice_id, None, m.kind, m.index))
    return measures, problem_keys, measure_keys


def owned_locator(notice_id: str, parsed: ParsedNotice, owned: Owned) -> Locator:
    """The Locator `make_locator` makes, from the keys the measures' rows made (so that each key is made once)."""
    spans = sorted((p.start, p.end, problem_key(notice_id, p.path)) for p in parsed.problems)
    measure_spans = []
    for m, owner, key in zip(*owned):
        measure_spans.append((m.start, m.end, owner, key))
        if owner is not None and m.progress_start is not None:  # as make_locator: a loose measure's progress is not placed
            measure_spans.append((m.progress_start, m.progress_end, owner, key))
    return Locator([s[0] for s in spans], spans, sorted(measure_spans, key=itemgetter(0, 1, 3)))


def measure_rows(notice_id: str, parsed: ParsedNotice, extraction: Extraction, resources: Resources,
                 owned: Owned | None = None) -> Columns:
    """The `measures` rows, with the has_* flags from extraction (`owned`: the notice's owned_measures, if made)."""
    text = parsed.text
    findall = _verb_regex(resources).findall
    measures, problem_keys, measure_keys = owned or owned_measures(notice_id, parsed)
    bounds = measure_bounds(measures)
    text_end = len(text.rstrip())  # a span ending at or after it has nothing but whitespace after it

    def verbs(start: int, end: int, progress_start: int | None, progress_end: int | None) -> str:
        found = findall(text, start, end)
        if progress_start is not None:
            found += findall(text, progress_start, progress_end)
        return ";".join(dict.fromkeys(found))  # first-seen order

    def truncated(end: int, progress_end: int | None) -> bool:
        end = max(end, progress_end or 0)
        return end >= text_end and cut_by_end(text, end)

    return {"measure_key": measure_keys, "problem_key": problem_keys, "notice_id": [notice_id] * len(measures),
            **attribute_columns(measures, {"kind": "kind", "index": "index", "label": "label", "number": "number"}),
            "text": [text[start:end] for start, end, _, _ in bounds],
            **attribute_columns(measures, {"start": "start", "end": "end", "progress_start": "progress_start",
                                           "progress_end": "progress_end"}),
            "chars": [end - start for start, end, _, _ in bounds],
            "truncated": [truncated(end, m.progress_end) for (_, end, _, _), m in zip(bounds, measures)],
            "verbs": [verbs(*b) for b in bounds],
            "has_date": span_flags(bounds, sorted([d.mention.start for d in extraction.dates if not d.in_title])),
            "has_figure": span_flags(bounds, sorted([f.start for f in extraction.figures])),
            "has_document": span_flags(bounds, sorted([d.start for d in extraction.documents])),
            "has_agency": span_flags(bounds, sorted([a.start for a in extraction.agencies if not a.is_self]))}


def locate_all(locator: Locator, positions: list[int]) -> tuple[list[str | None], list[str | None]]:
    """The problem keys and measure keys of positions, as `Locator.locate` finds them one by one."""
    problem_starts, problem_spans = locator.problem_starts, locator.problem_spans
    measure_starts, measure_spans = locator.measure_starts, locator.measure_spans
    problems, measures = [], []
    for position in positions:
        # the measure first: a position in a measure takes that measure's problem, so the problem is looked up only
        # outside measures (bisect_right - 1 is the last span starting at or before the position)
        j = bisect_right(measure_starts, position) - 1
        if j >= 0 and position < measure_spans[j][1]:
            problems.append(measure_spans[j][2])
            measures.append(measure_spans[j][3])
            continue
        i = bisect_right(problem_starts, position) - 1
        problems.append(problem_spans[i][2] if i >= 0 and position < problem_spans[i][1] else None)
        measures.append(None)
    return problems, measures


def located(notice_id: str, positions: list[int], locator: Locator) -> Columns:
    """The notice_id, problem_key and measure_key columns of rows at these positions."""
    problems, measures = locate_all(locator, positions)
    return {"notice_id": [notice_id] * len(positions), "problem_key": problems, "measure_key": measures}


def document_rows(notice_id: str, extraction: Extraction, locator: Locator) -> Columns:
    """The `documents` rows, keyed in text order."""
    order = sorted(range(len(extraction.documents)), key=lambda i: (extraction.documents[i].start, extraction.documents[i].end))
    key_of = {i: f"{notice_id}:d{n}" for n, i in enumerate(order, start=1)}
    documents = [extraction.documents[i] for i in order]
    return {"mention_key": [key_of[i] for i in order], **located(notice_id, [d.start for d in documents], locator),
            **attribute_columns(documents, {
                "title": "title", "canonical_title": "canonical", "doc_type": "doc_type", "doc_category": "category",
                "relation": "relation", "verb": "verb", "issuer": "issuer", "issuer_source": "issuer_source",
                "doc_number": "doc_number", "bracketed": "bracketed", "recovered": "recovered", "confidence": "confidence"}),
            "parent_key": [key_of[d.parent] if d.parent is not None else None for d in documents],
            **attribute_columns(documents, {"abbreviation_of": "abbreviation_of", "start": "start", "end": "end"})}


def agency_rows(notice_id: str, extraction: Extraction, locator: Locator) -> Columns:
    """The `agencies` rows."""
    agencies = extraction.agencies
    return {"mention_key": [f"{notice_id}:a{n}" for n in range(1, len(agencies) + 1)],
            **located(notice_id, [a.start for a in agencies], locator),
            **attribute_columns(agencies, {
                "mention": "mention", "canonical": "canonical", "kind": "key", "type": "type", "level": "level", "place": "place",
                "role": "role", "is_self": "is_self", "collective": "collective", "method": "method", "start": "start", "end": "end"})}


def date_rows(notice_id: str, extraction: Extraction, locator: Locator) -> Columns:
    """The `dates` rows."""
    dates = extraction.dates
    return {"date_key": [f"{notice_id}:t{n}" for n in range(1, len(dates) + 1)],
            **located(notice_id, [d.mention.start for d in dates], locator),
            **attribute_columns(dates, {
                "text": "mention.text", "pattern": "mention.pattern", "kind": "kind", "precision": "precision", "value_start": "value_start", "value_end": "value_end", "iso": "iso",
                "qualifier": "qualifier", "year_inferred": "year_inferred", "year_source": "year_source", "planned": "planned",
                "in_title": "in_title", "start": "mention.start", "end": "mention.end"})}


def figure_rows(notice_id: str, extraction: Extraction, locator: Locator) -> Columns:
    """The `figures` rows."""
    figures = extraction.figures
    return {"figure_key": [f"{notice_id}:f{n}" for n in range(1, len(figures) + 1)],
            **located(notice_id, [f.start for f in figures], locator),
            **attribute_columns(figures, {
                "text": "text", "value": "value", "value_end": "value_end", "unit": "unit", "category": "category",
                "base_value": "base_value", "base_unit": "base_unit", "what": "what", "approximate": "approximate",
                "numeral": "numeral", "start": "start", "end": "end"})}


def notice_tables(notice: IngestedNotice, sha256: str, file: str, parsed: ParsedNotice, meta: NoticeMetadata,
                  extraction: Extraction | None, resources: Resources, warnings: list[str]) -> dict[str, Columns]:
    """The rows of the parse tables and, when the notice was extracted, of the extract tables, by table name."""
    nid = notice.notice_id
    tables = {
        "notices": notice_row(notice, sha256, file, parsed, meta, resources, warnings),
        "notice_fields": field_rows(nid, meta),
        "outline": outline_rows(nid, parsed),
        "problems": problem_rows(nid, parsed),
    }
    if extraction is not None:
        owned = owned_measures(nid, parsed)
        locator = owned_locator(nid, parsed, owned)
        tables.update({
            "measures": measure_rows(nid, parsed, extraction, resources, owned),
            "documents": document_rows(nid, extraction, locator),
            "agencies": agency_rows(nid, extraction, locator),
            "dates": date_rows(nid, extraction, locator),
            "figures": figure_rows(nid, extraction, locator),
        })
    return tables


def removal_rows(notice: IngestedNotice) -> Columns:
    """Rows of the `removals` table for one ingested notice."""
    removals = notice.removals
    return {"notice_id": [notice.notice_id] * len(removals), "seq": list(range(1, len(removals) + 1)),
            **attribute_columns(removals, {"rule": "rule", "raw_start": "start", "raw_end": "end"}),
            "chars": [(r.end - r.start) if r.start is not None else len(r.text) for r in removals],
            **attribute_columns(removals, {"normalised_at": "at", "text": "text"})}
