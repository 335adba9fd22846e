"""The hand-kept raw manifest: one record per curated notice, checked against the files on disk."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, fields
from pathlib import Path

from .errors import ProjectError

NOTICE_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RAW_SUFFIXES = (".txt", ".html", ".htm")


@dataclass(frozen=True)
class ManifestEntry:
    """One row of data/raw/manifest.csv (hand-kept facts about one raw notice)."""

    notice_id: str
    file: str
    sha256: str
    bytes: int
    original_file: str = ""
    body_as_signed: str = ""
    signature_date_as_printed: str = ""
    script: str = ""
    source_url: str = ""
    publisher: str = ""
    collected_on: str = ""
    terms: str = ""
    collection_notes: str = ""


MANIFEST_COLUMNS = tuple(f.name for f in fields(ManifestEntry))


@dataclass(frozen=True)
class ManifestProblem:
    """Something wrong between the manifest and the files; it becomes a quarantine record."""

    file: str
    notice_id: str
    reason: str
    message: str
    sha256: str = ""


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def read_manifest(path: Path) -> list[ManifestEntry]:
    """Rows of the manifest, in file order; raise ProjectError if it is unreadable."""
    if not path.is_file():
        raise ProjectError(f"the raw manifest {path} is missing: every raw notice needs a row in it (see README, 'Adding a notice')")
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("notice_id", "file", "sha256", "bytes") if c not in (reader.fieldnames or [])]
    if missing:
        raise ProjectError(f"{path} lacks the column(s) {', '.join(missing)}; expected {', '.join(MANIFEST_COLUMNS)}")
    entries = []
    for line_no, row in enumerate(reader, start=2):
        values = {k: (row.get(k) or "").strip() for k in MANIFEST_COLUMNS}
        try:
            values["bytes"] = int(values["bytes"] or 0)
        except ValueError as exc:
            raise ProjectError(f"{path}, line {line_no}: bytes must be a whole number, not {row.get('bytes')!r}") from exc
        entries.append(ManifestEntry(**values))
    return entries


def write_manifest(path: Path, entries: list[ManifestEntry]) -> None:
    """Write manifest rows in the order given — curation order, which decides which of two duplicates is kept."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MANIFEST_COLUMNS)
    for entry in entries:
        writer.writerow([getattr(entry, c) for c in MANIFEST_COLUMNS])
    tmp = path.with_suffix(".csv.tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    tmp.replace(path)


def id_problem(entry: ManifestEntry) -> str | None:
    """Why a manifest row's id or file path is unsafe or malformed, or None."""
    if not NOTICE_ID_RE.fullmatch(entry.notice_id):
        return (f"notice id {entry.notice_id!r} is not a short lower-case id of letters, digits and hyphens "
                "(place-body-year, e.g. qingdao-sthjj-2024); ids become file names, so '/', '..' and spaces are refused")
    file = Path(entry.file)
    if file.is_absolute() or ".." in file.parts or file.parent != Path("notices"):
        return f"file {entry.file!r} must be notices/<notice_id>.txt or .html inside data/raw/"
    if file.stem != entry.notice_id or file.suffix.lower() not in RAW_SUFFIXES:
        return f"file {entry.file!r} must be named after its id: notices/{entry.notice_id}.txt (or .html)"
    return None


def check_manifest(raw_dir: Path, entries: list[ManifestEntry]) -> tuple[list[ManifestEntry], list[ManifestProblem]]:
    """Entries whose file is present and matches, and a problem record for everything else."""
    good: list[ManifestEntry] = []
    problems: list[ManifestProblem] = []
    seen: dict[str, ManifestEntry] = {}
    listed_files: set[str] = set()
    for entry in entries:
        listed_files.add(entry.file)
        why = id_problem(entry)
        if why:
            problems.append(ManifestProblem(entry.file, entry.notice_id, "invalid_id", why))
            continue
        if entry.notice_id in seen:
            problems.append(ManifestProblem(entry.file, entry.notice_id, "duplicate_id",
                                            f"notice id {entry.notice_id!r} has more than one manifest row; the first is used"))
            continue
        seen[entry.notice_id] = entry
        path = raw_dir / entry.file
        if not path.is_file():
            problems.append(ManifestProblem(entry.file, entry.notice_id, "missing_file",
                                            f"the manifest lists {entry.file} but there is no such file in data/raw/"))
            continue
        data = path.read_bytes()
        actual = sha256_bytes(data)
        if actual != entry.sha256 or len(data) != entry.bytes:
            problems.append(ManifestProblem(
                entry.file, entry.notice_id, "hash_mismatch",
                f"{entry.file} has sha256 {actual[:12]}… and {len(data)} bytes but the manifest records "
                f"{entry.sha256[:12] or '(none)'}… and {entry.bytes} bytes; the raw copy changed — restore it, or "
                f"record the new copy with `notices add {entry.file} --id {entry.notice_id} --replace`",
                actual))
            continue
        good.append(entry)
    notices_dir = raw_dir / "notices"
    if notices_dir.is_dir():
        for path in sorted(notices_dir.iterdir()):
            rel = f"notices/{path.name}"
            if path.is_file() and not path.name.startswith(".") and rel not in listed_files:
                problems.append(ManifestProblem(
                    rel, path.stem, "unregistered_file",
                    f"{rel} has no row in data/raw/manifest.csv; register it with `notices add {rel} --id <id>`",
                    sha256_bytes(path.read_bytes())))
    return good, problems
