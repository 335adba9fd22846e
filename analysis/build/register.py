"""The raw register, data/raw/manifest.csv: one hand-kept record per curated notice, checked against the files on disk.

Not to be confused with the build record, data/processed/MANIFEST (`analysis.build.store`), which lists what a build wrote.
"""

from __future__ import annotations

import csv
import hashlib
import os
import stat
import io
import re
from dataclasses import dataclass, fields
from pathlib import Path

from analysis.errors import ProjectError
from analysis.build.files import atomic_write_bytes

NOTICE_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RAW_SUFFIXES = (".txt", ".html", ".htm")
REDISTRIBUTABLE = "redistributable:"  # how a manifest row's `terms` start when the raw copy may be republished


@dataclass(frozen=True)
class RegisterEntry:
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

    @property
    def redistributable(self) -> bool:
        """Whether the raw copy may be republished: only when its terms start with `redistributable:` (never guessed)."""
        return self.terms.strip().lower().startswith(REDISTRIBUTABLE)


REGISTER_COLUMNS = tuple(f.name for f in fields(RegisterEntry))


@dataclass(frozen=True)
class RegisterProblem:
    """Something wrong between the manifest and the files; it becomes a quarantine record."""

    file: str
    notice_id: str
    reason: str
    message: str
    sha256: str = ""


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def read_register(path: Path) -> list[RegisterEntry]:
    """Rows of the manifest, in file order; raise ProjectError if it is unreadable."""
    if not path.is_file():
        raise ProjectError(f"the raw manifest {path} is missing: every raw notice needs a row in it (see README, 'Adding a notice')")
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("notice_id", "file", "sha256", "bytes") if c not in (reader.fieldnames or [])]
    if missing:
        raise ProjectError(f"{path} lacks the column(s) {', '.join(missing)}; expected {', '.join(REGISTER_COLUMNS)}")
    entries = []
    for line_no, row in enumerate(reader, start=2):
        values = {k: (row.get(k) or "").strip() for k in REGISTER_COLUMNS}
        try:
            values["bytes"] = int(values["bytes"] or 0)
        except ValueError as exc:
            raise ProjectError(f"{path}, line {line_no}: bytes must be a whole number, not {row.get('bytes')!r}") from exc
        entries.append(RegisterEntry(**values))
    return entries


def write_register(path: Path, entries: list[RegisterEntry]) -> None:
    """Write manifest rows in the order given — curation order, which decides which of two duplicates is kept."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REGISTER_COLUMNS)
    for entry in entries:
        writer.writerow([getattr(entry, c) for c in REGISTER_COLUMNS])
    atomic_write_bytes(path, buffer.getvalue().encode("utf-8"))


def id_problem(entry: RegisterEntry) -> str | None:
    """Why a manifest row's id or file path is unsafe or malformed, or None."""
    if NOTICE_ID_RE.fullmatch(entry.notice_id) and entry.file in (f"notices/{entry.notice_id}.txt",
                                                                    f"notices/{entry.notice_id}.html"):
        return None  # the usual, well-formed row (checked without building paths)
    if not NOTICE_ID_RE.fullmatch(entry.notice_id):
        return (f"notice id {entry.notice_id!r} is not a short lower-case id of letters, digits and hyphens "
                "(place-body-year, e.g. qingdao-sthjj-2024); ids become file names, so '/', '..' and spaces are refused")
    file = Path(entry.file)
    if file.is_absolute() or ".." in file.parts or file.parent != Path("notices"):
        return f"file {entry.file!r} must be notices/<notice_id>.txt or .html inside data/raw/"
    if file.stem != entry.notice_id or file.suffix.lower() not in RAW_SUFFIXES:
        return f"file {entry.file!r} must be named after its id: notices/{entry.notice_id}.txt (or .html)"
    return None


def raw_entries(raw_dir: Path) -> list[str]:
    """Everything in data/raw/notices/ (relative to data/raw/): files — hidden ones too — and folders, with a final '/'."""
    folder = raw_dir / "notices"
    if not folder.is_dir():
        return []
    with os.scandir(folder) as found:
        return sorted(f"notices/{e.name}/" if e.is_dir() else f"notices/{e.name}" for e in found)


def distinguishing_prefix(a: str, b: str, shortest: int = 12) -> int:
    """The shortest prefix length (at least `shortest`) at which two hashes differ, so that printed prefixes differ too."""
    n = shortest
    while n < max(len(a), len(b)) and a[:n] == b[:n]:
        n += 1
    return n


def mismatch_message(entry: RegisterEntry, actual: str, size: int) -> str:
    """Why a raw file does not match its manifest row — the hash, or only the recorded size — and how to fix it."""
    replace = f"`notices add data/raw/{entry.file} --id {entry.notice_id} --replace`"
    recorded = entry.sha256
    if actual == recorded:
        return (f"{entry.file} has the sha256 the manifest records but {size} bytes, not the {entry.bytes} its row says; "
                f"correct the bytes column of the row, or re-record the file with {replace}")
    n = distinguishing_prefix(actual, recorded)
    return (f"{entry.file} has sha256 {actual[:n]}… ({size} bytes) but the manifest records {recorded[:n] or '(none)'}… "
            f"({entry.bytes} bytes); the raw copy changed — restore it, or record the new copy with {replace}")


def unregistered_problem(raw_dir: Path, rel: str) -> RegisterProblem:
    """The problem record of an entry of data/raw/notices/ that no manifest row names: a stray, hidden file or a folder."""
    path = raw_dir / rel
    name = path.name
    if rel.endswith("/"):
        count = sum(1 for p in path.rglob("*") if p.is_file())
        return RegisterProblem(rel, name, "unexpected_folder",
                               f"data/raw/{rel} is a folder ({count} file(s) in it); notices are read only from files directly in "
                               "data/raw/notices/ — register each notice in it with `notices add PATH --id <place-body-year>` "
                               "and move the folder out of data/raw/")
    digest = sha256_bytes(path.read_bytes())
    if name.startswith("."):
        return RegisterProblem(rel, name, "unregistered_file",
                               f"data/raw/{rel} is a hidden file, which is never read as a notice; delete it if it is editor or "
                               "system clutter, or, if it is a notice, move it out of data/raw/notices/ and register it with "
                               "`notices add PATH --id <place-body-year>`", digest)
    if NOTICE_ID_RE.fullmatch(path.stem) and path.suffix.lower() in RAW_SUFFIXES:
        return RegisterProblem(rel, path.stem, "unregistered_file",
                               f"data/raw/{rel} has no row in data/raw/manifest.csv; register it with "
                               f"`notices add data/raw/{rel} --id {path.stem}`", digest)
    return RegisterProblem(rel, path.stem, "unregistered_file",
                           f"data/raw/{rel} has no row in data/raw/manifest.csv, and its name is not an id "
                           "(place-body-year: lower-case letters, digits, hyphens; .txt or .html); move it out of "
                           "data/raw/notices/ and register it with `notices add PATH --id <place-body-year>`", digest)


def file_stat(path: Path) -> os.stat_result | None:
    """The stat of a regular file, or None if there is none at `path`."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st if stat.S_ISREG(st.st_mode) else None


def check_register(raw_dir: Path, entries: list[RegisterEntry], hashes=None) -> tuple[list[RegisterEntry], list[RegisterProblem]]:
    """Entries whose file is present and matches, and a problem record for everything else (`hashes`: a
    `analysis.build.hashcache.HashCache` whose remembered hashes of unchanged files may be used)."""
    good: list[RegisterEntry] = []
    problems: list[RegisterProblem] = []
    seen: dict[str, RegisterEntry] = {}
    listed_files: set[str] = set()
    for entry in entries:
        listed_files.add(entry.file)
        why = id_problem(entry)
        if why:
            problems.append(RegisterProblem(entry.file, entry.notice_id, "invalid_id", why))
            continue
        if entry.notice_id in seen:
            problems.append(RegisterProblem(entry.file, entry.notice_id, "duplicate_id",
                                            f"notice id {entry.notice_id!r} has more than one manifest row; the first is used"))
            continue
        seen[entry.notice_id] = entry
        path = raw_dir / entry.file
        st = file_stat(path)  # one stat per file: 10^4–10^6 of them in a build
        if st is None:
            problems.append(RegisterProblem(entry.file, entry.notice_id, "missing_file",
                                            f"the manifest lists {entry.file} but there is no such file in data/raw/"))
            continue
        if hashes is None:
            data = path.read_bytes()
            actual, size = sha256_bytes(data), len(data)
        else:
            actual, size = hashes.sha256(path, lambda p: sha256_bytes(p.read_bytes()), st), st.st_size
        if actual != entry.sha256 or size != entry.bytes:
            problems.append(RegisterProblem(entry.file, entry.notice_id, "hash_mismatch", mismatch_message(entry, actual, size),
                                            actual))
            continue
        good.append(entry)
    for rel in raw_entries(raw_dir):
        if rel not in listed_files:
            problems.append(unregistered_problem(raw_dir, rel))
    return good, problems
