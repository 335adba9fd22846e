"""The development set of real notices: records of where each text came from and what a reader found in it.

Texts of real notices may not be copied into the repository, so `data/annotations/devset.jsonl`
keeps, per notice, its address, how it was found, the SHA-256 and length of the text as read,
and the hand-read value of every notice-level field (`GOLD_FIELDS`; null when the text does not
state it). The texts themselves live in a git-ignored folder (`data/devset/texts/<id>.txt`).
The rules for reading each field are in docs/annotation-guide.md.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

# field → kind of value: str, int, float, date (ISO day or month), list (of str)
GOLD_FIELDS: dict[str, str] = {
    "title": "str", "issuing_body": "str", "organisation": "str",
    "province": "str", "city": "str", "county": "str", "admin_level": "str", "body_kind": "str", "sector": "str",
    "genre": "str", "inspection_level": "str", "inspection_kind": "list", "audit_kind": "list", "inspection_theme": "str",
    "inspecting_body": "str", "inspected_body": "str", "round": "str", "round_term": "int", "round_number": "int",
    "fiscal_year": "int", "inspection_start": "date", "inspection_end": "date", "feedback_date": "date",
    "signature_date": "date", "publication_date": "date", "page_published": "date", "page_source": "str",
    "declared_categories": "int", "declared_problems": "int", "declared_problems_completed": "int",
    "declared_measures": "int", "declared_measures_completed": "int", "declared_completion_pct": "float",
    "declared_rules": "int", "declared_amount": "float", "layout": "str",
}
CHOICES: dict[str, tuple[str, ...]] = {
    "admin_level": ("central", "province", "city", "county", "township", "enterprise"),
    "body_kind": ("party_committee", "government", "department", "legislature", "judiciary", "enterprise",
                  "public_institution", "mass_organisation", "grassroots", "other"),
    "sector": ("general", "ecology_environment", "natural_resources", "water", "housing_construction", "agriculture",
               "forestry", "urban_management", "transport", "emergency_management", "market_regulation",
               "development_reform", "finance", "audit", "health", "education", "culture_tourism", "public_security",
               "justice", "civil_affairs", "tax", "human_resources", "commerce", "science_technology", "discipline",
               "party_affairs", "enterprise", "other"),
    "genre": ("party_inspection", "environmental_inspection", "audit", "other"),
    "inspection_level": ("central", "provincial", "municipal", "county"),
    "layout": ("multi_problem", "single_task", "enumerated", "paragraph", "table"),
}
LIST_CHOICES: dict[str, tuple[str, ...]] = {
    "inspection_kind": ("常规", "专项", "提级交叉", "交叉", "机动", "回头看", "联动", "例行", "提级"),
    "audit_kind": ("budget_execution", "fiscal_revenue_expenditure", "economic_responsibility", "natural_resources",
                   "special_investigation", "special", "performance", "tracking", "final_accounts"),
}
RECORD_KEYS = ("id", "genre_read", "url", "query", "rank", "sha256", "chars", "collected_on", "cut", "layout_seen", "notes", "gold")
DATE_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,60}$")


@dataclass(frozen=True)
class DevNotice:
    """One record of the development set."""

    id: str
    genre_read: str
    url: str
    query: str
    rank: int | None
    sha256: str
    chars: int
    collected_on: str
    cut: bool
    layout_seen: str
    notes: str
    gold: dict


def gold_problems(gold: dict) -> list[str]:
    """What is wrong with a gold record (missing or unknown fields, values of the wrong kind); empty when it is fine."""
    problems = [f"missing field {name}" for name in GOLD_FIELDS if name not in gold]
    problems += [f"unknown field {name}" for name in gold if name not in GOLD_FIELDS]
    for name, kind in GOLD_FIELDS.items():
        value = gold.get(name)
        if value is None:
            continue
        if kind == "str" and not (isinstance(value, str) and value.strip()):
            problems.append(f"{name}: expected a non-empty string, got {value!r}")
        elif kind == "int" and not (isinstance(value, int) and not isinstance(value, bool)):
            problems.append(f"{name}: expected an integer, got {value!r}")
        elif kind == "float" and not (isinstance(value, (int, float)) and not isinstance(value, bool)):
            problems.append(f"{name}: expected a number, got {value!r}")
        elif kind == "date" and not (isinstance(value, str) and DATE_RE.match(value)):
            problems.append(f"{name}: expected YYYY-MM-DD or YYYY-MM, got {value!r}")
        elif kind == "list" and not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
            problems.append(f"{name}: expected a non-empty list of strings (or null), got {value!r}")
        if name in CHOICES and value not in CHOICES[name]:
            problems.append(f"{name}: {value!r} is not one of {', '.join(CHOICES[name])}")
        if name in LIST_CHOICES and isinstance(value, list):
            problems += [f"{name}: {v!r} is not one of {', '.join(LIST_CHOICES[name])}" for v in value if v not in LIST_CHOICES[name]]
    return problems


def text_fingerprint(data: bytes) -> tuple[str, int]:
    """(SHA-256 of the bytes, length in characters of their UTF-8 text)."""
    return hashlib.sha256(data).hexdigest(), len(data.decode("utf-8"))


def make_record(notice_id: str, text_bytes: bytes, gold: dict, **facts) -> dict:
    """A devset record for a text and its gold values (raises ValueError when the gold record is not well formed)."""
    if not ID_RE.match(notice_id):
        raise ValueError(f"id {notice_id!r}: use lower-case letters, digits and '-'")
    problems = gold_problems(gold)
    if problems:
        raise ValueError(f"{notice_id}: " + "; ".join(problems))
    sha, chars = text_fingerprint(text_bytes)
    record = {"id": notice_id, "genre_read": facts.get("genre_read") or gold.get("genre") or "other",
              "url": facts.get("url", ""), "query": facts.get("query", ""), "rank": facts.get("rank"), "sha256": sha,
              "chars": chars, "collected_on": facts.get("collected_on", ""), "cut": bool(facts.get("cut", False)),
              "layout_seen": facts.get("layout_seen", ""), "notes": facts.get("notes", ""),
              "gold": {name: gold.get(name) for name in GOLD_FIELDS}}
    return record


def read_devset(path: Path) -> list[DevNotice]:
    """Records of a devset file (one JSON object per line; blank lines skipped)."""
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path.name} line {number}: not JSON ({exc.msg})") from exc
        missing = [k for k in RECORD_KEYS if k not in data]
        if missing:
            raise ValueError(f"{path.name} line {number}: missing {', '.join(missing)}")
        problems = gold_problems(data["gold"])
        if problems:
            raise ValueError(f"{path.name} line {number} ({data['id']}): " + "; ".join(problems))
        records.append(DevNotice(**{k: data[k] for k in RECORD_KEYS}))
    ids = [r.id for r in records]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"{path.name}: duplicate id(s) {', '.join(dupes)}")
    return records
