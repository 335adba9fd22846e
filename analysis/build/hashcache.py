"""Remembered SHA-256 of files that have not been written since they were hashed (as git's index does).

A build hashes every raw file (against the raw register) and every output (against MANIFEST). At 10,000
notices that is 1.4 GB a build, at 10^6 notices about 100 GB: most of a rebuild after one notice changed.
`data/.hashes.json` records, for each file a build hashed, its size, modification time, change time and
inode with the hash. A later build re-hashes a file whenever any of the four differs and trusts the
recorded hash only when all are the same. Any write to a file sets its change time (ctime) to the
current time, and no tool can set ctime back (only a change of the system clock could), so an edit,
a copy over it, or a restored modification time is always seen. A file changed within a second of
the record being written ("racily clean", git's term) is always hashed again. `notices verify` and
`notices build --full` never use the record: they hash every file (a full build then writes a new one).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from analysis.build.files import atomic_write_bytes

RECORD_NAME = ".hashes.json"
RACY_NS = 1_000_000_000  # files changed this close to the record's writing are hashed again


def stat_key(path: Path, st: os.stat_result | None = None) -> list[int] | None:
    """What must be unchanged for a remembered hash to be trusted: size, mtime, ctime (ns) and inode (from `st` when the
    caller has just taken it); None if missing."""
    if st is None:
        try:
            st = path.stat()
        except OSError:
            return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


class HashCache:
    """SHA-256 of files by path, re-computed whenever a file's stat differs from when it was hashed."""

    def __init__(self, record: Path | None, load: bool = True) -> None:
        self.record = record
        self.entries: dict[str, list] = {}
        self.written_ns = 0
        if load and record is not None and record.is_file():
            try:
                data = json.loads(record.read_text(encoding="utf-8"))
                self.entries, self.written_ns = data.get("files", {}), int(data.get("written_ns", 0))
            except (OSError, ValueError, TypeError):
                self.entries = {}

    def known(self, path: Path) -> str | None:
        """The remembered SHA-256 of a file whose stat is unchanged (and not racy), else None."""
        known = self.entries.get(str(path))
        if known is None:
            return None
        key = stat_key(path)
        return known[4] if key is not None and known[:4] == key and key[2] < self.written_ns - RACY_NS else None

    def sha256(self, path: Path, compute, st: os.stat_result | None = None) -> str | None:
        """The file's SHA-256: remembered if its stat (`st`, or taken now) is unchanged and not racy, else `compute(path)`
        (and remembered); None if the file is missing."""
        key = stat_key(path, st)
        if key is None:
            return None
        name = str(path)
        known = self.entries.get(name)
        if known is not None and known[:4] == key and key[2] < self.written_ns - RACY_NS:
            return known[4]
        digest = compute(path)
        if stat_key(path) == key:  # not written while it was read
            self.entries[name] = [*key, digest]
        return digest

    def remember(self, path: Path, digest: str) -> None:
        """Record the hash of a file the build has just written (its content known from staging)."""
        key = stat_key(path)
        if key is not None:
            self.entries[str(path)] = [*key, digest]

    def save(self, keep: set[str] | None = None) -> None:
        """Write the record (only the entries for files that still exist, or those named in `keep`)."""
        if self.record is None:
            return
        entries = {name: value for name, value in sorted(self.entries.items())
                   if (name in keep if keep is not None else os.path.exists(name))}
        payload = {"written_ns": time.time_ns(), "files": entries}
        try:
            atomic_write_bytes(self.record, json.dumps(payload, separators=(",", ":")).encode("utf-8"))
        except OSError:
            pass  # a cache: a build that cannot write it only hashes everything again next time


def hash_cache(data_dir: Path, enabled: bool) -> HashCache:
    """The build's hash record in data/. When `enabled` is False (`--full`) the old record is not read — every file is
    hashed — but a new one is written, so the next build need not hash everything again."""
    return HashCache(data_dir / RECORD_NAME, load=enabled)
