"""The assemble stage: the corpus tables from the notices' rows — carried-over and fresh rows joined, duplicates set
aside, the quarantine and the checks of the hand-kept register against what was read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from analysis.build.parts import read_rows_of
from analysis.build.worker import NoticeOutcome
from analysis.contract.schema import frame
from analysis.contract.tables import TABLES
from analysis.read.ingest import to_simplified
from analysis.read.text import squash


def quarantine_row(file: str, notice_id: str, sha256: str, stage: str, reason: str, message: str,
                   duplicate_of: str | None = None) -> dict:
    """One row of the quarantine table."""
    return {"file": file, "notice_id": notice_id, "sha256": sha256, "stage": stage, "reason": reason,
            "message": message, "duplicate_of": duplicate_of}


def split_duplicates(outcomes: list[NoticeOutcome], order: dict[str, int]) -> tuple[list[NoticeOutcome], list[dict]]:
    """Keep the notice registered first (manifest order) of each set of identical raw bytes or normalised texts."""
    kept: list[NoticeOutcome] = []
    duplicates: list[dict] = []
    by_bytes: dict[str, str] = {}
    by_text: dict[str, str] = {}
    for outcome in sorted(outcomes, key=lambda o: (order.get(o.notice_id, len(order)), o.notice_id)):
        if outcome.sha256 in by_bytes:
            first = by_bytes[outcome.sha256]
            duplicates.append(quarantine_row(outcome.file, outcome.notice_id, outcome.sha256, "assemble", "duplicate",
                                             f"exact duplicate: the same raw bytes as {first}, which is kept", first))
        elif outcome.text_sha256 in by_text:
            first = by_text[outcome.text_sha256]
            duplicates.append(quarantine_row(outcome.file, outcome.notice_id, outcome.sha256, "assemble", "duplicate",
                                             f"same text as {first} after decoding and normalisation (a re-encoded or "
                                             f"re-formatted copy); {first} is kept", first))
        else:
            by_bytes[outcome.sha256] = outcome.notice_id
            by_text[outcome.text_sha256] = outcome.notice_id
            kept.append(outcome)
    return kept, duplicates


@dataclass
class TableCollector:
    """Frames of chunks of notices gathered table by table as they arrive, merged every `batch` chunks (few large
    frames, not thousands of small ones: memory stays proportional to the rows)."""

    batch: int = 16
    merged: dict[str, list[pl.DataFrame]] = field(default_factory=dict)
    pending: dict[str, list[pl.DataFrame]] = field(default_factory=dict)
    count: int = 0

    def add(self, tables: dict[str, pl.DataFrame]) -> None:
        """Take one chunk's frames."""
        for name, df in tables.items():
            self.pending.setdefault(name, []).append(df)
        self.count += 1
        if self.count % self.batch == 0:
            self.merge()

    def merge(self) -> None:
        """Merge the pending frames of each table into one."""
        for name, parts in self.pending.items():
            if parts:
                self.merged.setdefault(name, []).append(pl.concat(parts, how="vertical_relaxed", rechunk=True))
        self.pending = {}

    def take(self, name: str) -> list[pl.DataFrame]:
        """Everything collected for one table (merged first), handed over: the collector keeps no reference to it, so its
        memory is freed as soon as the table is assembled, not when every table is."""
        self.merge()
        return self.merged.pop(name, [])


def assemble_table(name: str, kept: list[NoticeOutcome], collected: TableCollector, processed: Path) -> pl.DataFrame:
    """One corpus table: rows carried over from the last build's table plus the rows of the notices processed now."""
    carried = [o.notice_id for o in kept if o.carried]
    fresh = [o.notice_id for o in kept if not o.carried]
    parts = [df.filter(pl.col("notice_id").is_in(fresh)) for df in collected.take(name)]
    if carried:
        parts.insert(0, read_rows_of(processed, name, carried))
    return frame(TABLES[name], pl.concat(parts, how="vertical_relaxed") if parts else [])


def _printed_date(text: str) -> date | None:
    """A date printed as 2024年4月19日 (or ISO), or None."""
    m = re.search(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})", text or "")
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def manifest_check_rows(entries, notice_rows: list[dict]) -> list[dict]:
    """Hand-kept manifest facts compared with what the pipeline extracted (both kept; agree flags disagreements)."""
    by_id = {row["notice_id"]: row for row in notice_rows}
    rows = []
    for entry in sorted(entries, key=lambda e: e.notice_id):
        row = by_id.get(entry.notice_id)
        if row is None:
            continue
        pairs = []
        if entry.body_as_signed:
            kept = squash(to_simplified(entry.body_as_signed)[0])
            pairs.append(("body_as_signed", entry.body_as_signed, row["issuing_body"],
                          row["issuing_body"] is not None and kept == squash(row["issuing_body"])))
        if entry.signature_date_as_printed:
            printed = _printed_date(entry.signature_date_as_printed)
            found = row["signature_date"]
            pairs.append(("signature_date", entry.signature_date_as_printed, found.isoformat() if found else None,
                          printed is not None and printed == found))
        if entry.script:
            pairs.append(("script", entry.script, row["script"], entry.script == row["script"]))
        for name, manifest_value, extracted, agree in pairs:
            rows.append({"notice_id": entry.notice_id, "field": name, "manifest_value": manifest_value,
                         "extracted_value": extracted, "agree": bool(agree)})
    return rows
