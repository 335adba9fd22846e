"""The store: reading data/processed by contract name, and writing it safely: staged, validated, moved into place atomically, listed in MANIFEST.

A build writes every output into its own staging folder first (`.staging-<pid>-<random>/`, removed
only by the build that made it, or — once that build's process has ended — by a later build, which
says so). Only when all outputs are written does `commit` move them into place, one `os.replace` each
(atomic on one file system), delete outputs of the previous build that are no longer produced, and
write MANIFEST last. A failure or interrupt before `commit` leaves the previous outputs untouched.
A partial commit (`notices ingest`) replaces only the outputs it owns and deletes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import polars as pl

from analysis.errors import ProjectError
from analysis.build.files import atomic_write_bytes, pid_alive
from analysis.build.parts import (PARQUET_OPTIONS, is_partitioned, part_number, part_rel, scan_parts, split_parts,
                                  write_part)
from analysis.contract.schema import Table, validate
from analysis.contract.tables import TABLES
from analysis.contract.values import STAGES

BUILD_RECORD = "MANIFEST"
STAGING_PREFIX = ".staging-"
STAGING_RE = re.compile(r"^\.staging-(\d+)-[A-Za-z0-9_]+$")

__all__ = ["BUILD_RECORD", "StagedOutputs", "atomic_write_bytes", "changed_outputs", "notice_text", "read_build_record", "read_table",
           "read_tables", "scan_table", "sha256_file", "table_path", "built_tables", "table_outputs", "write_table_file",
           "verify_outputs", "write_table_files"]


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def staging_owner(name: str) -> int | None:
    """The pid of the build that made a staging folder (from its name), or None for a name of another form."""
    match = STAGING_RE.match(name)
    return int(match.group(1)) if match else None


def orphaned_staging(processed: Path) -> list[Path]:
    """Staging folders whose build has ended (its pid no longer runs, or the name carries no pid)."""
    if not processed.is_dir():
        return []
    found = []
    for path in sorted(processed.glob(f"{STAGING_PREFIX}*")):
        owner = staging_owner(path.name)
        if path.is_dir() and owner != os.getpid() and (owner is None or not pid_alive(owner)):
            found.append(path)
    return found


def remove_orphaned_staging(processed: Path) -> list[str]:
    """Delete the staging folders of builds that have ended; one message per folder removed."""
    messages = []
    for path in orphaned_staging(processed):
        owner = staging_owner(path.name)
        shutil.rmtree(path, ignore_errors=True)
        who = f"pid {owner}, no longer running" if owner is not None else "a build of an older version"
        messages.append(f"removed {path.name}/ in {processed.name}/, the unfinished outputs of an interrupted build ({who})")
    return messages


def write_table_file(df: pl.DataFrame, path: Path, fmt: str) -> None:
    """Write a table as one Parquet or CSV file (deterministic bytes: PARQUET_OPTIONS; polars' CSV)."""
    if fmt == "parquet":
        df.write_parquet(path, **PARQUET_OPTIONS)
    elif fmt == "csv":
        df.write_csv(path)
    else:
        raise ValueError(f"unknown table file format {fmt!r}")


def write_table_files(table: Table, df: pl.DataFrame, folder: Path) -> list[Path]:
    """Validate a frame and write it as Parquet and CSV (deterministic bytes) at its location under `folder`."""
    validate(table, df)
    stem = folder / table.stem
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in ("parquet", "csv"):
        if fmt in table.files:
            path = stem.with_name(f"{stem.name}.{fmt}")
            write_table_file(df, path, fmt)
            written.append(path)
    return written


def built_tables(record: dict) -> list[str]:
    """The tables a build record's build wrote (every table of the stages it ran, `--until`), in contract order."""
    until = record.get("code", {}).get("until", "network")
    reached = STAGES.index(until) if until in STAGES else len(STAGES) - 1
    return [name for name, table in TABLES.items() if STAGES.index(table.stage) <= reached]


def table_outputs(name: str, record: dict) -> list[str]:
    """The files of a table a build record lists: its Parquet and CSV file, or its parts."""
    stem = TABLES[name].stem
    if is_partitioned(name):
        return sorted(rel for rel in record.get("outputs", {}) if rel.startswith(f"{stem}/part-"))
    return [rel for rel in (f"{stem}.parquet", f"{stem}.csv") if rel in record.get("outputs", {})]


@dataclass
class StagedOutputs:
    """Outputs of one build, staged under data/processed/.staging-*/ until committed.

    Each output is recorded with its SHA-256 and size when it is staged. An output the last
    build already wrote, byte for byte, can be *kept* in place instead of being written again.
    """

    processed: Path
    staging: Path = field(init=False)
    outputs: dict[str, dict] = field(default_factory=dict)
    kept: set[str] = field(default_factory=set)
    cleaned: list[str] = field(default_factory=list)  # messages about orphaned staging folders removed

    def __post_init__(self) -> None:
        self.processed.mkdir(parents=True, exist_ok=True)
        self.cleaned = remove_orphaned_staging(self.processed)
        self.staging = Path(tempfile.mkdtemp(dir=self.processed, prefix=f"{STAGING_PREFIX}{os.getpid()}-"))

    def table(self, table: Table, df: pl.DataFrame, built_from: list[str] | None = None, dirty: set[int] | None = None,
              previous: dict[str, dict] | None = None) -> None:
        """Stage a validated table at its declared location: Parquet + CSV, or the parts of a partitioned table."""
        if is_partitioned(table.name):
            self.parts(table, df, built_from or ["corpus", "reference", "code"], dirty, previous or {})
            return
        for path in write_table_files(table, df, self.staging):
            self._record(path.relative_to(self.staging).as_posix(), sha256_file(path), path.stat().st_size,
                         built_from or ["corpus", "reference", "code"])

    def parts(self, table: Table, df: pl.DataFrame, built_from: list[str], dirty: set[int] | None,
              previous: dict[str, dict]) -> None:
        """Stage a partitioned table. With `dirty` (an incremental build), every part of the last build outside it is kept
        byte for byte with its MANIFEST record (`previous`), and `df` — the rows of the dirty parts — is written; without
        it, `df` is the whole table and every part is written. Each part written is validated first."""
        if df.columns != table.column_names:
            validate(table, df)  # names the difference
        if dirty is not None:
            prefix = f"{table.stem}/part-"
            for rel, info in sorted(previous.items()):
                if rel.startswith(prefix) and part_number(Path(rel)) not in dirty:
                    self.keep(rel, info)
        for part, rows in sorted(split_parts(df).items()):
            if dirty is None or part in dirty:
                self.file(part_rel(table, part), lambda path, rows=rows: write_part(validate(table, rows), path), built_from)

    def text(self, relpath: str, text: str, built_from: list[str]) -> None:
        """Stage a UTF-8 text file."""
        self.bytes(relpath, text.encode("utf-8"), built_from)

    def bytes(self, relpath: str, data: bytes, built_from: list[str]) -> None:
        """Stage a file of bytes."""
        path = self.staging / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self._record(relpath, hashlib.sha256(data).hexdigest(), len(data), built_from)

    def file(self, relpath: str, write: Callable[[Path], None], built_from: list[str]) -> None:
        """Stage a file written by `write(path)` (for outputs too large to hold in memory as bytes)."""
        path = self.staging / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path)
        self._record(relpath, sha256_file(path), path.stat().st_size, built_from)

    def adopt(self, relpath: str, sha256: str, size: int, built_from: list[str]) -> None:
        """Record a file that a worker process wrote into the staging folder itself."""
        self._record(relpath, sha256, size, built_from)

    def keep(self, relpath: str, info: dict) -> None:
        """Keep an output of the last build as it is (its MANIFEST record `info`: sha256, bytes, built_from)."""
        self._record(relpath, info["sha256"], info["bytes"], info["built_from"])
        self.kept.add(relpath)

    def drop(self, relpath: str) -> None:
        """Forget a staged output (and delete its staged file)."""
        self.outputs.pop(relpath, None)
        if relpath not in self.kept:
            (self.staging / relpath).unlink(missing_ok=True)
        self.kept.discard(relpath)

    def _record(self, relpath: str, sha256: str, size: int, built_from: list[str]) -> None:
        """Remember an output: its hash, size and what it was built from."""
        self.outputs[relpath] = {"sha256": sha256, "bytes": size, "built_from": sorted(built_from)}

    def discard(self) -> None:
        """Throw the staged outputs away (the previous outputs stay as they were)."""
        shutil.rmtree(self.staging, ignore_errors=True)

    def check_intact(self) -> None:
        """Raise ProjectError if the staging folder or a file staged in it has gone (removed by someone else)."""
        missing = [rel for rel in self.outputs if rel not in self.kept and not (self.staging / rel).is_file()]
        if not self.staging.is_dir() or missing:
            raise ProjectError(f"the staging folder {self.staging.name}/ (or {len(missing)} file(s) in it) was removed while "
                               "the build ran; nothing was committed and data/processed is as it was — run the build again")

    def commit(self, inputs: dict[str, dict[str, str]], code: dict[str, str], stage_inputs: dict[str, str] | None = None,
               partial: bool = False, hashes=None) -> dict:
        """Move staged outputs into place, drop stale ones, write MANIFEST last; return the manifest.

        `stage_inputs` records fingerprints of what corpus-level stages were computed from (so the
        next build can carry a stage over when they are unchanged). A `partial` commit replaces only
        the outputs staged now, deletes nothing, and keeps the last build's records of everything else
        (its code, inputs and stage fingerprints too, so the next build still sees what changed)."""
        self.check_intact()
        previous = read_build_record(self.processed)
        outputs = dict(previous.get("outputs", {})) if partial else {}
        outputs.update(self.outputs)
        outputs = {rel: outputs[rel] for rel in sorted(outputs)}
        for rel in sorted(self.outputs):
            if rel not in self.kept:
                target = self.processed / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.staging / rel, target)
                if hashes is not None:
                    hashes.remember(target, self.outputs[rel]["sha256"])
        if not partial:
            for rel in sorted(set(previous.get("outputs", {})) - set(outputs)):
                stale = self.processed / rel
                stale.unlink(missing_ok=True)
                _remove_empty_parents(stale.parent, self.processed)
        if partial and previous:
            manifest = {key: value for key, value in previous.items() if key != "outputs"}
            manifest["outputs"] = outputs
        else:
            manifest = {"format": 1, "code": code, "inputs": inputs, "outputs": outputs}
            if stage_inputs:
                manifest["stage_inputs"] = dict(sorted(stage_inputs.items()))
        atomic_write_bytes(self.processed / BUILD_RECORD, (record_json(manifest) + "\n").encode("utf-8"))
        self.discard()
        return manifest


def record_json(value, depth: int = 0) -> str:
    """JSON of a build record, keys sorted: a dict that holds dicts or many entries one entry per line, anything else on
    one line (written by json's C encoder: indenting every entry of a 10^4-file record in Python took most of a second)."""
    if isinstance(value, dict) and value and (len(value) > 8 or any(isinstance(v, dict) for v in value.values())):
        pad = " " * (depth + 1)
        lines = ",\n".join(f"{pad}{json.dumps(key, ensure_ascii=False)}: {record_json(value[key], depth + 1)}"
                           for key in sorted(value))
        return "{\n" + lines + "\n" + " " * depth + "}"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    """Remove empty folders from `folder` up to (not including) `stop`."""
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def read_build_record(processed: Path) -> dict:
    """The MANIFEST of the last committed build, or {} if there is none."""
    path = processed / BUILD_RECORD
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}


def changed_outputs(processed: Path, manifest: dict, hashes=None) -> dict[str, str]:
    """Outputs listed in a MANIFEST that are missing or whose content (SHA-256) differs: path → 'missing' or 'changed'.
    Every file is hashed (content, never size), on a few threads (hashlib releases the GIL) — or, given `hashes` (an
    `analysis.build.hashcache.HashCache`), its remembered hash is used when the file has not been written since."""
    outputs = sorted(manifest.get("outputs", {}).items())

    def state(item: tuple[str, dict]) -> str | None:
        path = processed / item[0]
        if not path.is_file():
            return "missing"
        digest = sha256_file(path) if hashes is None else hashes.sha256(path, sha256_file)  # (remembered for next time)
        return "changed" if digest != item[1]["sha256"] else None

    def remembered(item: tuple[str, dict]) -> str | None | bool:
        known = hashes.known(processed / item[0]) if hashes is not None else None
        return (None if known == item[1]["sha256"] else "changed") if known else False  # False: hash it

    first = [remembered(item) for item in outputs]
    todo = [item for item, found in zip(outputs, first) if found is False]
    with ThreadPoolExecutor(max_workers=4) as pool:
        hashed = dict(zip((rel for rel, _ in todo), pool.map(state, todo, chunksize=64)))
    states = [hashed[rel] if found is False else found for (rel, _), found in zip(outputs, first)]
    return {rel: found for (rel, _), found in zip(outputs, states) if found}


def verify_outputs(processed: Path) -> list[str]:
    """Differences between data/processed and its MANIFEST (empty list: all outputs match)."""
    manifest = read_build_record(processed)
    if not manifest:
        return [f"no {BUILD_RECORD} in {processed.name}/: run `notices build` first"]
    words = {"missing": "missing", "changed": "changed since the build (sha256 differs)"}
    return [f"{rel}: {words[state]}" for rel, state in changed_outputs(processed, manifest).items()]


# --------------------------------------------------------------------------- reading the tables


def table_path(processed: Path, name: str) -> Path:
    """Where a table is stored: its Parquet file, or the folder of its parts (a partitioned table)."""
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; tables are {', '.join(TABLES)}")
    stem = TABLES[name].stem
    return processed / stem if is_partitioned(name) else processed / f"{stem}.parquet"


def scan_table(processed: Path, name: str) -> pl.LazyFrame:
    """A lazy scan of a processed table, rows in key order (nothing is read until .collect()); a partitioned table is
    read from its parts as one table."""
    path = table_path(processed, name)
    if is_partitioned(name):
        if not path.is_dir() and not (processed / BUILD_RECORD).is_file():
            raise ProjectError(f"{path} does not exist: run `notices build` first")
        return scan_parts(processed, name).sort(list(TABLES[name].key), nulls_last=True, maintain_order=True)
    if not path.is_file():
        raise ProjectError(f"{path} does not exist: run `notices build` first")
    return pl.scan_parquet(path)


def read_table(processed: Path, name: str) -> pl.DataFrame:
    """A processed table, read in full."""
    return scan_table(processed, name).collect()


def read_tables(processed: Path, names: tuple[str, ...] | list[str]) -> dict[str, pl.DataFrame]:
    """Several processed tables by name."""
    return {name: read_table(processed, name) for name in names}


def notice_text(processed: Path, notice_id: str) -> str:
    """The normalised text of a notice (what every offset points into)."""
    path = processed / "text" / f"{notice_id}.txt"
    if not path.is_file():
        raise ProjectError(f"no normalised text for {notice_id!r} in {path.parent}: unknown notice, or run `notices build`")
    return path.read_text(encoding="utf-8")
