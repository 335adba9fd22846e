"""Evaluation: the processed tables against the hand annotations in data/annotations/.

Each comparison yields a check (section, field, notice, expected, got, ok). Required fields —
metadata, problem counts, titles, statuses, measure counts, document titles and canonical titles,
the agency, date and figure samples — must be 100% (`notices eval` exits with code 4 otherwise);
document types and relations and the unmarked-document detector are reported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
import yaml

from analysis.contract.schema import frame

REPORTED_ONLY = {("documents", "type"), ("documents", "relation"), ("documents_unmarked", "recall"),
                 ("documents_unmarked", "precision")}


@dataclass(frozen=True)
class Check:
    """One comparison of an annotated value with the tables."""

    notice_id: str
    section: str
    field: str
    item: str
    expected: object
    got: object

    @property
    def ok(self) -> bool:
        """Whether the two agree."""
        return _norm(self.expected) == _norm(self.got)


def _norm(value):
    """Comparable form of a value (dates as ISO, lists as tuples, whole floats as ints)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def load_annotations(folder: Path) -> dict[str, dict]:
    """Annotations by notice id."""
    found = {}
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[data["notice_id"]] = data
    return found


def metadata_checks(nid: str, ann: dict, notice: dict) -> list[Check]:
    """Every annotated metadata field against the notices row."""
    checks = []
    for field, expected in ann["metadata"].items():
        got = notice.get(field)
        if field == "inspection_kind":
            got = got.split(";") if got else []
        checks.append(Check(nid, "metadata", field, field, expected, got))
    return checks


def problem_checks(nid: str, ann: dict, problems: list[dict]) -> list[Check]:
    """Problem count, and label/title/status/measures/planned of each problem in order."""
    checks = [Check(nid, "problems", "count", "count", len(ann["problems"]), len(problems))]
    for i, expected in enumerate(ann["problems"]):
        got = problems[i] if i < len(problems) else {}
        item = f"#{i + 1} {expected['label']}"
        for field, column in (("label", "label"), ("title", "title"), ("status", "status"), ("measures", "measures"),
                              ("planned", "planned")):
            checks.append(Check(nid, "problems", field, item, expected[field], got.get(column)))
    return checks


def _match(expected: list[str], got: list[str]) -> list[int | None]:
    """For each expected title, the index of a matching got title (first unused with the same text, in order)."""
    used: set[int] = set()
    matches: list[int | None] = []
    for title in expected:
        index = next((j for j, g in enumerate(got) if j not in used and g == title), None)
        if index is not None:
            used.add(index)
        matches.append(index)
    return matches


def document_checks(nid: str, ann: dict, documents: list[dict]) -> list[Check]:
    """Recall and precision of marked titles; canonical, type and relation of matched ones; the unmarked detector."""
    checks = []
    marked = [d for d in documents if d["confidence"] != "low"]
    expected = ann.get("documents") or []
    matches = _match([e["title"] for e in expected], [d["title"] for d in marked])
    for e, m in zip(expected, matches):
        checks.append(Check(nid, "documents", "recall", e["title"], True, m is not None))
        if m is not None:
            d = marked[m]
            checks.append(Check(nid, "documents", "canonical", e["title"], e["canonical"], d["canonical_title"]))
            checks.append(Check(nid, "documents", "type", e["title"], e["type"], d["doc_type"]))
            checks.append(Check(nid, "documents", "relation", e["title"], e["relation"], d["relation"]))
    matched = {m for m in matches if m is not None}
    for j, d in enumerate(marked):
        checks.append(Check(nid, "documents", "precision", d["title"], True, j in matched))
    unmarked = [d for d in documents if d["confidence"] == "low"]
    expected_u = [e["title"] for e in ann.get("documents_unbracketed") or []]
    if expected_u:
        matches_u = _match(expected_u, [d["title"] for d in unmarked])
        for title, m in zip(expected_u, matches_u):
            checks.append(Check(nid, "documents_unmarked", "recall", title, True, m is not None))
        matched_u = {m for m in matches_u if m is not None}
        for j, d in enumerate(unmarked):
            checks.append(Check(nid, "documents_unmarked", "precision", d["title"], True, j in matched_u))
    return checks


def sample_checks(nid: str, ann: dict, agencies: list[dict], dates: list[dict], figures: list[dict]) -> list[Check]:
    """The agency, date and figure samples, and strings that must not be read as figures."""
    checks = []
    for sample in ann.get("agencies") or []:
        found = sorted({a["canonical"] for a in agencies if a["mention"] == sample["mention"]})
        checks.append(Check(nid, "agencies", "canonical", sample["mention"], sorted(sample["canonical"]), found))
    for sample in ann.get("dates") or []:
        same = [d for d in dates if d["text"] == sample["text"]]
        got = same[sample["occurrence"] - 1]["iso"] if len(same) >= sample["occurrence"] else None
        checks.append(Check(nid, "dates", "iso", f"{sample['text']} #{sample['occurrence']}", sample["iso"], got))
    for sample in ann.get("figures") or []:
        same = [f for f in figures if f["text"] == sample["text"]]
        got = same[sample["occurrence"] - 1] if len(same) >= sample["occurrence"] else {}
        item = f"{sample['text']} #{sample['occurrence']}"
        checks.append(Check(nid, "figures", "value", item, float(sample["value"]), got.get("value")))
        checks.append(Check(nid, "figures", "unit", item, sample["unit"], got.get("unit")))
        checks.append(Check(nid, "figures", "base_value", item, float(sample["base_value"]), got.get("base_value")))
    for text in ann.get("not_figures") or []:
        wrong = [f["text"] for f in figures if f["text"].startswith(text)]
        checks.append(Check(nid, "figures", "not_a_figure", text, [], wrong))
    return checks


def run_checks(annotations: dict[str, dict], tables: dict[str, pl.DataFrame]) -> list[Check]:
    """Every check for every annotated notice (a notice missing from the tables fails its metadata)."""
    checks: list[Check] = []

    def rows(name: str, nid: str) -> list[dict]:
        return tables[name].filter(pl.col("notice_id") == nid).to_dicts()

    for nid, ann in sorted(annotations.items()):
        notice = next(iter(rows("notices", nid)), {})
        checks += metadata_checks(nid, ann, notice)
        problems = sorted(rows("problems", nid), key=lambda p: p["start"])
        checks += problem_checks(nid, ann, problems)
        checks += document_checks(nid, ann, sorted(rows("documents", nid), key=lambda d: d["start"]))
        checks += sample_checks(nid, ann, rows("agencies", nid), rows("dates", nid), rows("figures", nid))
    return checks


def summarise(checks: list[Check]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(evaluation, evaluation_differences) frames from checks."""
    from analysis.contract.tables import TABLES

    totals: Counter = Counter()
    correct: Counter = Counter()
    for c in checks:
        totals[(c.section, c.field)] += 1
        correct[(c.section, c.field)] += c.ok
    summary = [{"section": s, "field": f, "correct": correct[(s, f)], "total": n,
                "accuracy": round(correct[(s, f)] / n, 4) if n else None, "required": (s, f) not in REPORTED_ONLY}
               for (s, f), n in totals.items()]
    seen: Counter = Counter()
    diffs = []
    for c in checks:
        if not c.ok:
            seen[(c.notice_id, c.section, c.field, c.item)] += 1
            n = seen[(c.notice_id, c.section, c.field, c.item)]
            diffs.append({"notice_id": c.notice_id, "section": c.section, "field": c.field,
                          "item": c.item if n == 1 else f"{c.item} ({n})", "expected": str(_norm(c.expected)), "got": str(_norm(c.got))})
    return frame(TABLES["evaluation"], summary), frame(TABLES["evaluation_differences"], diffs)


def evaluate(annotation_dir: Path, tables: dict[str, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Evaluation summary and differences for the annotated notices."""
    return summarise(run_checks(load_annotations(annotation_dir), tables))


def all_required_perfect(summary: pl.DataFrame) -> bool:
    """Whether every required field is at 100%."""
    required = summary.filter(pl.col("required"))
    return bool(len(required)) and bool((required.get_column("correct") == required.get_column("total")).all())
