"""Writing data/processed safely: staged, validated, moved into place atomically, listed in MANIFEST.

A build writes every output into a staging folder first. Only when all of them are written
does `commit` move them into place, one `os.replace` each (atomic on one file system),
delete outputs of the previous build that are no longer produced, and write MANIFEST last.
A failure or interrupt before `commit` leaves the previous outputs untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import polars as pl

from .schema import Table, validate

MANIFEST_NAME = "MANIFEST"


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write bytes to a temporary file beside `path`, then move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_table_files(table: Table, df: pl.DataFrame, folder: Path) -> list[Path]:
    """Validate a frame and write it as Parquet and CSV (deterministic bytes) at its location under `folder`."""
    validate(table, df)
    stem = folder / table.stem
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    if "parquet" in table.files:
        path = stem.with_name(f"{stem.name}.parquet")
        df.write_parquet(path, compression="zstd", compression_level=3, statistics=True)
        written.append(path)
    if "csv" in table.files:
        path = stem.with_name(f"{stem.name}.csv")
        df.write_csv(path)
        written.append(path)
    return written


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

    def __post_init__(self) -> None:
        self.processed.mkdir(parents=True, exist_ok=True)
        for old in self.processed.glob(".staging-*"):
            shutil.rmtree(old, ignore_errors=True)
        self.staging = Path(tempfile.mkdtemp(dir=self.processed, prefix=".staging-"))

    def table(self, table: Table, df: pl.DataFrame, built_from: list[str] | None = None) -> None:
        """Stage a validated table (Parquet + CSV) at its declared location."""
        for path in write_table_files(table, df, self.staging):
            self._record(path.relative_to(self.staging).as_posix(), sha256_file(path), path.stat().st_size,
                         built_from or ["corpus", "reference", "code"])

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

    def commit(self, inputs: dict[str, dict[str, str]], code: dict[str, str], stage_inputs: dict[str, str] | None = None) -> dict:
        """Move staged outputs into place, drop stale ones, write MANIFEST last; return the manifest.

        `stage_inputs` records fingerprints of what corpus-level stages were computed from (so the
        next build can carry a stage over when they are unchanged)."""
        outputs = {rel: self.outputs[rel] for rel in sorted(self.outputs)}
        previous = read_manifest(self.processed)
        for rel in outputs:
            if rel not in self.kept:
                target = self.processed / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.staging / rel, target)
        for rel in sorted(set(previous.get("outputs", {})) - set(outputs)):
            stale = self.processed / rel
            stale.unlink(missing_ok=True)
            _remove_empty_parents(stale.parent, self.processed)
        manifest = {"format": 1, "code": code, "inputs": inputs, "outputs": outputs}
        if stage_inputs:
            manifest["stage_inputs"] = dict(sorted(stage_inputs.items()))
        atomic_write_bytes(self.processed / MANIFEST_NAME,
                           (json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8"))
        self.discard()
        return manifest


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    """Remove empty folders from `folder` up to (not including) `stop`."""
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def read_manifest(processed: Path) -> dict:
    """The MANIFEST of the last committed build, or {} if there is none."""
    path = processed / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}


def verify_outputs(processed: Path) -> list[str]:
    """Differences between data/processed and its MANIFEST (empty list: all outputs match)."""
    manifest = read_manifest(processed)
    if not manifest:
        return [f"no {MANIFEST_NAME} in {processed}: run `notices build` first"]
    problems = []
    for rel, info in sorted(manifest["outputs"].items()):
        path = processed / rel
        if not path.is_file():
            problems.append(f"{rel}: missing")
        elif sha256_file(path) != info["sha256"]:
            problems.append(f"{rel}: changed since the build (sha256 differs)")
    return problems
