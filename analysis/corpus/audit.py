"""Precision audits of the extracted tables on real notices: sample rows, show their evidence, record judgements.

An audit draws a random sample of rows of one table (agencies, measures, documents, figures or dates) from the
notices of the development set (their texts kept locally, checked against the recorded SHA-256), prints each row
with the words around its offsets, and writes a judgement file (data/annotations/audits/<table>-seed<N>.csv) with
one line per sampled row: the row's key and offsets, and empty `verdict`, `error_type` and `note` cells that a
reader fills in. Judgement files never hold a notice's words — only keys, offsets, verdicts and the reader's own
short notes. `notices eval` summarises every judgement file as per-table precision.

Verdicts: `correct` (every judged column of the row is right), `wrong` (a column is wrong, or the row should not
exist), `unclear` (the text does not let a reader decide; left out of precision).
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
from dataclasses import dataclass
from pathlib import Path

from analysis.corpus.devset import DevNotice

AUDIT_TABLES: dict[str, str] = {"agencies": "mention_key", "measures": "measure_key", "documents": "mention_key",
                                "figures": "figure_key", "dates": "date_key"}
JUDGED_COLUMNS: dict[str, tuple[str, ...]] = {
    "agencies": ("mention", "canonical", "kind", "type", "level", "place", "role", "is_self", "collective"),
    "measures": ("label", "kind", "truncated", "problem_key"),
    "documents": ("title", "canonical_title", "doc_type", "relation", "issuer", "doc_number", "abbreviation_of"),
    "figures": ("text", "value", "value_end", "unit", "category", "what"),
    "dates": ("text", "kind", "precision", "value_start", "value_end", "qualifier", "year_source"),
}
VERDICTS = ("correct", "wrong", "unclear")
FILE_COLUMNS = ("table", "seed", "label", "row_key", "notice_id", "sha256", "start", "end", "verdict", "error_type", "note")


@dataclass
class NoticeRows:
    """One real notice read by the per-notice stages: its normalised text and its rows of every per-notice table."""

    notice_id: str
    sha256: str
    text: str
    tables: dict[str, list[dict]]


def audit_texts(records: list[DevNotice], texts: Path) -> list[tuple[str, bytes]]:
    """(id, bytes) of every <id>.txt in a folder, in id order: a recorded notice only when its SHA-256 matches its record,
    a text without a record (a fresh sample, recorded in the judgement file by its hash) as it is."""
    recorded = {r.id: r.sha256 for r in records}
    found = []
    for path in sorted(texts.glob("*.txt")):
        data = path.read_bytes()
        if path.stem not in recorded or hashlib.sha256(data).hexdigest() == recorded[path.stem]:
            found.append((path.stem, data))
    return found


def only_notices(texts: list[tuple[str, bytes]], prefixes: list[str]) -> list[tuple[str, bytes]]:
    """The texts whose id starts with one of the prefixes (all of them when none is given): a draw kept to notices never
    read while the rules were tuned."""
    return [(notice_id, data) for notice_id, data in texts if not prefixes or notice_id.startswith(tuple(prefixes))]


def read_texts(texts: list[tuple[str, bytes]], root: Path, on_progress=None) -> list[NoticeRows]:
    """Each text read as the build reads it (quarantined ones left out)."""
    from analysis.errors import NoticeError
    from analysis.extract.notice import read_notice
    from analysis.read.ingest import ingest
    from analysis.read.resources import load_resources

    resources = load_resources(root)
    read: list[NoticeRows] = []
    for i, (notice_id, data) in enumerate(texts, start=1):
        sha = hashlib.sha256(data).hexdigest()
        try:
            notice = ingest(notice_id, data, ".txt")
            read.append(NoticeRows(notice_id, sha, notice.text, read_notice(notice, sha, f"audit/{notice_id}.txt", resources)))
        except NoticeError:
            pass
        if on_progress:
            on_progress(i, len(texts))
    return read


def sample_rows(notices: list[NoticeRows], table: str, size: int, seed: int) -> list[tuple[NoticeRows, dict]]:
    """`size` rows of a table drawn at random (the same for the same rows and seed), in key order."""
    key = AUDIT_TABLES[table]
    rows = sorted(((n, row) for n in notices for row in n.tables.get(table, [])), key=lambda pair: pair[1][key])
    chosen = random.Random(seed).sample(range(len(rows)), min(size, len(rows)))
    return [rows[i] for i in sorted(chosen)]


def shown(text: str) -> str:
    """Text on one line (line breaks as ⏎)."""
    return text.replace("\n", "⏎")


def evidence(text: str, start: int, end: int, width: int = 50, inner: int = 240) -> str:
    """The words around a span, the span in 【】 (a long span shown by its two ends)."""
    span = text[start:end]
    if len(span) > inner:
        span = span[: inner // 2] + " … " + span[-inner // 2:]
    return shown(f"{text[max(0, start - width):start]}【{span}】{text[end:end + width]}")


def problem_title(notice: NoticeRows, problem_key: str | None) -> str:
    """The heading of the problem a row belongs to (empty when none)."""
    for p in notice.tables.get("problems", []):
        if p["problem_key"] == problem_key:
            return p.get("title") or ""
    return ""


def describe(table: str, notice: NoticeRows, row: dict, width: int = 50) -> str:
    """A sampled row as the auditor reads it: key, judged columns, the evidence in context."""
    key = row[AUDIT_TABLES[table]]
    values = "; ".join(f"{c}={row[c]}" for c in JUDGED_COLUMNS[table] if c in row and row[c] not in (None, ""))
    lines = [f"{key} [{row['start']}:{row['end']}] {values}", "    " + evidence(notice.text, row["start"], row["end"], width)]
    if table == "measures":
        lines.append("    problem: " + shown(problem_title(notice, row.get("problem_key")))[:120])
    return "\n".join(lines)


def judgement_path(folder: Path, table: str, seed: int) -> Path:
    """Where the judgement file of a table's sample at a seed is kept."""
    return folder / f"{table}-seed{seed}.csv"


def read_judgements(path: Path) -> list[dict]:
    """The lines of a judgement file (raises ValueError when a verdict is not one of VERDICTS)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows, start=2):
        verdict = (row.get("verdict") or "").strip()
        if verdict and verdict not in VERDICTS:
            raise ValueError(f"{path.name} line {number}: verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
    return rows


def has_verdicts(path: Path) -> bool:
    """Whether a judgement file exists with at least one verdict filled in."""
    return path.is_file() and any((row.get("verdict") or "").strip() for row in read_judgements(path))


def judgement_csv(table: str, seed: int, label: str, sampled: list[tuple[NoticeRows, dict]]) -> str:
    """A fresh judgement file for a sample: keys and offsets, verdicts left empty."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FILE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for notice, row in sampled:
        writer.writerow({"table": table, "seed": seed, "label": label, "row_key": row[AUDIT_TABLES[table]],
                         "notice_id": notice.notice_id, "sha256": notice.sha256, "start": row["start"], "end": row["end"],
                         "verdict": "", "error_type": "", "note": ""})
    return out.getvalue()


def audit_summary(folder: Path) -> list[dict]:
    """Per judgement file: table, seed, label, rows, judged, correct, wrong, unclear, precision (correct ÷ correct + wrong)."""
    summary = []
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        rows = read_judgements(path)
        if not rows:
            continue
        verdicts = [(row.get("verdict") or "").strip() for row in rows]
        correct, wrong = verdicts.count("correct"), verdicts.count("wrong")
        errors: dict[str, int] = {}
        for row, verdict in zip(rows, verdicts):
            if verdict == "wrong":
                for error in filter(None, (row.get("error_type") or "").split(";")):
                    errors[error.strip()] = errors.get(error.strip(), 0) + 1
        summary.append({"file": path.name, "table": rows[0]["table"], "seed": int(rows[0]["seed"]), "label": rows[0].get("label") or "",
                        "rows": len(rows), "judged": correct + wrong + verdicts.count("unclear"), "correct": correct,
                        "wrong": wrong, "unclear": verdicts.count("unclear"),
                        "precision": round(correct / (correct + wrong), 4) if correct + wrong else None,
                        "errors": "; ".join(f"{e} {n}" for e, n in sorted(errors.items(), key=lambda kv: (-kv[1], kv[0])))})
    return summary
