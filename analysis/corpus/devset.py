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
OPTIONAL_KEYS = ("inferred", "corrections")
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
    inferred: tuple[str, ...] = ()  # gold fields a reader filled from knowledge the text does not state (not scored)
    corrections: tuple[dict, ...] = ()  # later changes to the gold: field, was, now, why


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
        unknown_inferred = [f for f in data.get("inferred", []) if f not in GOLD_FIELDS]
        if unknown_inferred:
            raise ValueError(f"{path.name} line {number} ({data['id']}): inferred names unknown field(s) {unknown_inferred}")
        records.append(DevNotice(**{k: data[k] for k in RECORD_KEYS}, inferred=tuple(data.get("inferred", ())),
                                 corrections=tuple(data.get("corrections", ()))))
    ids = [r.id for r in records]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"{path.name}: duplicate id(s) {', '.join(dupes)}")
    return records


# --------------------------------------------------------------------------- reading a text as the build does


def predict(notice_id: str, data: bytes, root: Path) -> tuple[dict | None, str | None, str]:
    """(the `notices` row, None, "") for a text, or (None, quarantine reason, message) when it would be quarantined:
    the build's own per-notice stages, nothing else."""
    from analysis.errors import NoticeError
    from analysis.read.ingest import ingest
    from analysis.extract.notice import read_notice
    from analysis.read.resources import load_resources

    try:
        notice = ingest(notice_id, data, ".txt")
        rows = read_notice(notice, hashlib.sha256(data).hexdigest(), f"devset/{notice_id}.txt", load_resources(root))
    except NoticeError as exc:
        return None, exc.reason, exc.message
    return rows["notices"][0], None, ""


# --------------------------------------------------------------------------- scoring

LIST_FIELDS = {name for name, kind in GOLD_FIELDS.items() if kind == "list"}
ANY_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*[年\-/.\s]\s*(\d{1,2})(?:\s*[月\-/.]\s*(\d{1,2}))?|((?:19|20)\d{2})(\d{2})(\d{2})")


def _squash(value: str) -> str:
    """A string as the scorer compares it: simplified script, half-width, no whitespace, no outer quotes."""
    from analysis.read.ingest import PINYIN_GLOSS_RE, to_half_width, to_simplified

    plain = PINYIN_GLOSS_RE.sub("", to_half_width(to_simplified(value)[0]))
    return "".join(plain.split()).strip("\"“”'‘’")


def comparable(name: str, value):
    """A gold or predicted value in the form the scorer compares (None for no value)."""
    if value is None or value == "" or value == []:
        return None
    kind = GOLD_FIELDS[name]
    if kind == "list":
        items = value.split(";") if isinstance(value, str) else list(value)
        return tuple(sorted(_squash(v) for v in items if v))
    if kind == "date":
        if hasattr(value, "isoformat"):
            return value.isoformat()
        m = ANY_DATE_RE.search(str(value))
        if not m:
            return str(value)
        y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        return f"{int(y):04d}-{int(mo):02d}" + (f"-{int(d):02d}" if d else "")
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    return _squash(str(value))


def agrees(name: str, gold, got) -> bool:
    """Whether a predicted value equals the gold one (dates compared at the gold's precision; numbers within 0.5%)."""
    if GOLD_FIELDS[name] == "date":
        return got[: len(gold)] == gold
    if GOLD_FIELDS[name] == "float":
        return abs(got - gold) <= max(0.01, 0.005 * abs(gold))
    return gold == got


@dataclass(frozen=True)
class FieldCheck:
    """One gold field of one notice against what the program read."""

    notice_id: str
    genre: str
    field: str
    gold: object
    got: object

    @property
    def outcome(self) -> str:
        """found, wrong, missed, false_positive or absent (neither states a value)."""
        if self.gold is None:
            return "absent" if self.got is None else "false_positive"
        if self.got is None:
            return "missed"
        return "found" if agrees(self.field, self.gold, self.got) else "wrong"


def checks_of(record: DevNotice, row: dict | None) -> list[FieldCheck]:
    """Every gold field of a record against a predicted `notices` row (None when the notice was quarantined); fields
    whose gold a reader inferred from outside the text are left out."""
    genre = record.gold.get("genre") or record.genre_read or "other"
    return [FieldCheck(record.id, genre, name, comparable(name, record.gold.get(name)),
                       comparable(name, (row or {}).get(name))) for name in GOLD_FIELDS if name not in record.inferred]


def tally(checks: list[FieldCheck], by: str) -> list[dict]:
    """Counts of outcomes grouped by `by` ('field' or 'genre'), plus an 'all' row."""
    groups: dict[str, dict] = {}
    for check in checks:
        for key in (getattr(check, by), "all"):
            counts = groups.setdefault(key, {by: key, "stated": 0, "found": 0, "wrong": 0, "missed": 0, "false_positive": 0,
                                             "given": 0})
            outcome = check.outcome
            if outcome != "absent":
                counts[outcome] += 1
            counts["stated"] += check.gold is not None
            counts["given"] += check.got is not None
    rows = []
    for key in sorted(groups, key=lambda k: (k == "all", k)):
        counts = groups[key]
        counts["found_share"] = round(counts["found"] / counts["stated"], 4) if counts["stated"] else None
        counts["false_positive_share"] = round(counts["false_positive"] / counts["given"], 4) if counts["given"] else None
        rows.append(counts)
    return rows


@dataclass
class DevsetRun:
    """What `notices eval --devset` read and found."""

    checks: list[FieldCheck]
    skipped: list[tuple[str, str]]  # (id, why): text missing or changed since it was recorded
    quarantined: list[tuple[str, str, str]]  # (id, reason, message)
    rows: dict[str, dict]  # id → predicted notices row


def run_devset(records: list[DevNotice], texts: Path, root: Path, on_progress=None) -> DevsetRun:
    """Read every recorded text whose hash matches and check its gold fields."""
    run = DevsetRun([], [], [], {})
    for i, record in enumerate(records, start=1):
        path = texts / f"{record.id}.txt"
        if not path.is_file():
            run.skipped.append((record.id, "no text file"))
        else:
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != record.sha256:
                run.skipped.append((record.id, "the text differs from the recorded one (sha256)"))
            else:
                row, reason, message = predict(record.id, data, root)
                if row is None:
                    run.quarantined.append((record.id, reason or "", message))
                else:
                    run.rows[record.id] = row
                run.checks.extend(checks_of(record, row))
        if on_progress:
            on_progress(i, len(records))
    return run


SCORES_MARKER = "<!-- scores -->"


def recorded_scores(root: Path) -> str | None:
    """The development-set score tables last recorded in docs/devset.md (`notices eval --devset … --record`), if any."""
    path = root / "docs" / "devset.md"
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    return text.split(SCORES_MARKER, 1)[1].strip() if SCORES_MARKER in text else None


def scores_markdown(run: DevsetRun) -> str:
    """The development-set scores as Markdown tables (per genre, then per field)."""
    genre_of = {c.notice_id: c.genre for c in run.checks}
    per_genre = {g: sum(1 for v in genre_of.values() if v == g) for g in sorted(set(genre_of.values()))}

    def pct(value) -> str:
        return "–" if value is None else f"{100 * value:.1f}%"

    lines = [f"{len(genre_of)} real notices read ({', '.join(f'{n} {g}' for g, n in per_genre.items())}); "
             f"{len(run.quarantined)} quarantined; {len(run.skipped)} skipped (text missing or changed).", "",
             "| genre | stated values | found | wrong | missed | false positives | found share | false-positive share |",
             "|---|---|---|---|---|---|---|---|"]
    for row in tally(run.checks, "genre"):
        lines.append(f"| {row['genre']} | {row['stated']} | {row['found']} | {row['wrong']} | {row['missed']} | "
                     f"{row['false_positive']} | {pct(row['found_share'])} | {pct(row['false_positive_share'])} |")
    lines += ["", "| field | stated | found | wrong | missed | false positives | found share |", "|---|---|---|---|---|---|---|"]
    for row in tally(run.checks, "field"):
        lines.append(f"| `{row['field']}` | {row['stated']} | {row['found']} | {row['wrong']} | {row['missed']} | "
                     f"{row['false_positive']} | {pct(row['found_share'])} |")
    return "\n".join(lines) + "\n"
