"""One notice through the per-notice stages: ingest → parse → extract, then its rows of every per-notice table.

`NoticeReading` holds what the stages have found so far; each step fills in one stage's result, so the
build runs exactly the steps up to `notices build --until` (declared in `analysis.build.stages`), and
`notices eval --devset` reads a text with the same steps as the build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from analysis.extract import Extraction, extract_notice
from analysis.extract.rows import Columns, notice_tables, removal_rows, row_dicts
from analysis.read.ingest import IngestedNotice, ingest
from analysis.read.metadata import NoticeMetadata, extract_metadata
from analysis.read.parse import ParsedNotice, parse_structure, structure_warnings
from analysis.read.resources import Resources


@dataclass
class NoticeReading:
    """One raw notice and what the per-notice stages have found in it so far."""

    notice_id: str
    file: str
    sha256: str
    data: bytes
    max_bytes: int
    notice: IngestedNotice | None = None
    parsed: ParsedNotice | None = None
    meta: NoticeMetadata | None = None
    extraction: Extraction | None = None
    done: list[str] = field(default_factory=list)  # the stages run, in order


def ingest_step(reading: NoticeReading, resources: Resources) -> None:
    """Decode and normalise the raw bytes (raises NoticeError for a file that is not a usable text)."""
    reading.notice = ingest(reading.notice_id, reading.data, PurePosixPath(reading.file).suffix, reading.max_bytes)


def parse_step(reading: NoticeReading, resources: Resources) -> None:
    """Outline, problems and measures' spans, and the notice's metadata (raises NoticeError for a text that is not a notice)."""
    text = reading.notice.text
    reading.parsed = parse_structure(text)
    reading.meta = extract_metadata(text, reading.parsed, reading.notice.page, resources.gazetteer)


def extract_step(reading: NoticeReading, resources: Resources) -> None:
    """Documents, agencies, dates and figures, placed in the outline."""
    reading.extraction = extract_notice(reading.notice.text, reading.parsed, reading.meta, resources)


def reading_rows(reading: NoticeReading, resources: Resources) -> dict[str, Columns]:
    """The notice's rows of every per-notice table its stages reached (removals; parse tables; extract tables), column-wise."""
    rows = {"removals": removal_rows(reading.notice)}
    if reading.parsed is not None:
        warnings = (structure_warnings(reading.parsed, reading.meta.signature is not None) + reading.meta.warnings
                    + (reading.extraction.warnings if reading.extraction is not None else []) + list(reading.notice.warnings))
        rows.update(notice_tables(reading.notice, reading.sha256, reading.file, reading.parsed, reading.meta,
                                  reading.extraction, resources, sorted(set(warnings))))
    return rows


def read_notice(notice: IngestedNotice, sha256: str, file: str, resources: Resources) -> dict[str, list[dict]]:
    """The parse and extract tables' rows of an ingested notice, as the build makes them (raises NoticeError for a text
    that is not a notice)."""
    reading = NoticeReading(notice.notice_id, file, sha256, b"", 0, notice=notice)
    parse_step(reading, resources)
    extract_step(reading, resources)
    rows = reading_rows(reading, resources)
    del rows["removals"]
    return {name: row_dicts(columns) for name, columns in rows.items()}
