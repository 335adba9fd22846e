"""Extract: policy documents, agencies, dates and figures of a parsed notice, each with offsets and keys."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from analysis.contract.keys import measure_key, problem_key
from analysis.read.dates import ResolvedDate
from analysis.read.metadata import NoticeMetadata
from analysis.read.resources import Resources
from analysis.read.structure import ParsedNotice
from analysis.extract.agencies import AgencyMention, NoticeContext, find_agencies, sector_key
from analysis.extract.document_titles import DocumentMention
from analysis.extract.documents import bracket_spans, find_documents
from analysis.extract.figures import FigureMention, find_figures


@dataclass
class Extraction:
    """Everything extracted from one notice."""

    documents: list[DocumentMention]
    agencies: list[AgencyMention]
    dates: list[ResolvedDate]
    figures: list[FigureMention]
    warnings: list[str] = field(default_factory=list)


@dataclass
class Locator:
    """Finds the problem and measure a text position sits in."""

    problem_starts: list[int]
    problem_spans: list[tuple[int, int, str]]
    measure_spans: list[tuple[int, int, str, str]]  # (start, end, problem key, measure key), progress spans included

    def locate(self, pos: int) -> tuple[str | None, str | None]:
        """(problem key, measure key) for a position (None where it is outside)."""
        problem = None
        i = bisect_right(self.problem_starts, pos) - 1
        if i >= 0 and self.problem_spans[i][0] <= pos < self.problem_spans[i][1]:
            problem = self.problem_spans[i][2]
        j = bisect_right(self.measure_starts, pos) - 1  # measure and progress spans never overlap
        if j >= 0:
            start, end, problem_key, measure_key = self.measure_spans[j]
            if start <= pos < end:
                return problem_key, measure_key
        return problem, None

    @property
    def measure_starts(self) -> list[int]:
        """Start offsets of the measure spans (sorted)."""
        if not hasattr(self, "_measure_starts"):
            self._measure_starts = [m[0] for m in self.measure_spans]
        return self._measure_starts


def make_locator(notice_id: str, parsed: ParsedNotice) -> Locator:
    """A Locator over the problems and measures of a parsed notice."""
    spans = sorted((p.start, p.end, problem_key(notice_id, p.path)) for p in parsed.problems)
    measures = []
    for p in parsed.problems:
        for m in p.measures:
            key = measure_key(notice_id, p.path, m.kind, m.index)
            measures.append((m.start, m.end, problem_key(notice_id, p.path), key))
            if m.progress_start is not None:
                measures.append((m.progress_start, m.progress_end, problem_key(notice_id, p.path), key))
    for m in parsed.loose_measures:
        measures.append((m.start, m.end, None, measure_key(notice_id, None, m.kind, m.index)))
    return Locator([s[0] for s in spans], spans, sorted(measures, key=lambda m: (m[0], m[1], m[3])))


def notice_context(meta: NoticeMetadata, resources: Resources) -> NoticeContext:
    """What the notice says about its own organisation and place."""
    v = meta.values
    return NoticeContext(v.get("organisation"), v.get("admin_level"), v.get("province_code"), v.get("province"), v.get("city"),
                         v.get("county"), sector_key(v.get("organisation"), resources), v.get("issuing_body"),
                         v.get("inspected_body"))


def extract_notice(text: str, parsed: ParsedNotice, meta: NoticeMetadata, resources: Resources) -> Extraction:
    """Documents, agencies, dates and figures of one notice."""
    brackets = bracket_spans(text)
    title_spans = [(o, c + 1) for o, c, _ in brackets[0]]
    ctx = notice_context(meta, resources)
    agencies = find_agencies(text, resources, ctx, title_spans, meta.values.get("inspecting_body"))
    headings = [(p.title_start, p.title_end) for p in parsed.problems]
    documents, warnings = find_documents(text, resources, agencies, ctx.organisation, headings, brackets)
    excluded = [(d.mention.start, d.mention.end) for d in meta.dates] + title_spans
    excluded.append((parsed.outline.closing_start, len(text)))
    excluded += [(d.start, d.end) for d in documents]
    figures = find_figures(text, excluded)
    return Extraction(documents, agencies, meta.dates, figures, warnings)
