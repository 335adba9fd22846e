"""Single-file copies of the partitioned tables, on demand (`notices export`): data/exports/<table>.parquet and .csv.

The build stores every per-notice table as parts (`analysis.build.parts`) so that a change to one notice
rewrites one part; writing each table again as one Parquet and one CSV file would cost every build as much
as the tables are large (at 10,000 notices, ≈ 800 MB of CSV: most of a one-notice rebuild). Users who want
one file per table ask for it. The copies go to data/exports/ — not data/processed/, whose files are all the
build's own and listed in its MANIFEST — with EXPORTED, a record of the build (its MANIFEST's SHA-256)
they were made from and each file's SHA-256. Same build, same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path

from analysis.build.files import atomic_write_bytes
from analysis.build.store import BUILD_RECORD, read_table, sha256_file, write_table_files
from analysis.contract.tables import PARTITIONED_TABLES, TABLES
from analysis.errors import ProjectError

EXPORT_RECORD = "EXPORTED"


def exports_folder(processed: Path) -> Path:
    """data/exports/, beside data/processed/."""
    return processed.parent / "exports"


def export_tables(processed: Path, names: list[str] | None = None, formats: tuple[str, ...] = ("parquet", "csv")) -> list[Path]:
    """Write single-file copies of partitioned tables (all of them if `names` is empty) into data/exports/; the files
    written. ProjectError for an unknown or unpartitioned table name, or without a build."""
    manifest = processed / BUILD_RECORD
    if not manifest.is_file():
        raise ProjectError(f"no {BUILD_RECORD} in {processed.name}/: run `notices build` first")
    chosen = list(names or PARTITIONED_TABLES)
    wrong = [n for n in chosen if n not in PARTITIONED_TABLES]
    if wrong:
        single = [n for n in wrong if n in TABLES]
        raise ProjectError(f"cannot export {', '.join(wrong)}: " + (f"{', '.join(single)} already single files in "
                           f"{processed.name}/; " if single else "") + f"the partitioned tables are {', '.join(PARTITIONED_TABLES)}")
    target = exports_folder(processed)
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(dir=target, prefix=".export-") as scratch:  # each file renamed into place whole
        for name in chosen:
            table = TABLES[name]
            keep = tuple(ext for ext in table.files if ext in formats)
            for path in write_table_files(replace(table, files=keep), read_table(processed, name), Path(scratch)):
                os.replace(path, target / path.name)
                written.append(target / path.name)
    build = hashlib.sha256(manifest.read_bytes()).hexdigest()
    record_path = target / EXPORT_RECORD
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.is_file() else {}
    record.update({p.relative_to(target).as_posix(): {"sha256": sha256_file(p), "from_manifest_sha256": build}
                   for p in written})
    atomic_write_bytes(record_path, (json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return written


def stale_exports(processed: Path) -> list[str]:
    """Exported files made from another build than the current one (or altered since)."""
    record_path = exports_folder(processed) / EXPORT_RECORD
    manifest = processed / BUILD_RECORD
    if not record_path.is_file() or not manifest.is_file():
        return []
    build = hashlib.sha256(manifest.read_bytes()).hexdigest()
    target = exports_folder(processed)
    return sorted(rel for rel, info in json.loads(record_path.read_text(encoding="utf-8")).items()
                  if info["from_manifest_sha256"] != build or not (target / rel).is_file()
                  or sha256_file(target / rel) != info["sha256"])
