"""`notices release`: a versioned, checksummed archive of the data for a deposit, and its metadata.

`dist/rectification-notices-X.Y.Z.zip` holds one folder, `rectification-notices-X.Y.Z/`:

- `data/processed/` — every table as one Parquet and one CSV file with `datapackage.json` and `codebook.md`, written
  by the export code (`notices export --format parquet` and `--format csv`: the per-notice tables, stored as parts in
  data/processed, are joined into one file each); every other output the build recorded in its MANIFEST (the
  network's GraphML/GEXF files, the normalised texts) except the texts of notices whose raw copy may not be
  redistributed; and the MANIFEST itself, the build record (inputs, code, the store's files and their SHA-256);
- `data/raw/manifest.csv` and, from `data/raw/notices/`, only the raw copies whose `terms` start with
  `redistributable:`;
- `CITATION.cff` (version, date, type dataset, the data's licence), `.zenodo.json`, `LICENSE`, a `README.md` saying
  what is inside and how to cite it, and `SHA256SUMS` (`sha256sum -c SHA256SUMS` checks every other file).

`dist/rectification-notices-X.Y.Z.zenodo.json` beside it is the deposit's metadata. A release is made only from a
current build (nothing `notices build` would rewrite, nothing `notices verify` flags). Made twice, it is the same
bytes: entries sorted, one timestamp (the release date), fixed permissions, no owner, deflate at zlib's default level, and
nothing from the machine, the clock or the user.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from analysis.build.files import atomic_write_bytes, atomic_write_with
from analysis.build.pipeline import plan_build
from analysis.build.register import check_register, read_register
from analysis.build.store import BUILD_RECORD, built_tables, changed_outputs, read_build_record, scan_table, table_outputs
from analysis.config import BuildConfig, NetworkConfig
from analysis.contract.datapackage import PACKAGE_NAME
from analysis.errors import ProjectError
from analysis.release.citation import cite_as, read_citation, release_citation, zenodo_json
from analysis.release.exports import CODEBOOK, DATAPACKAGE, check_out, export

VERSION_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
FILE_MODE = 0o100644  # a regular file, rw-r--r--


class ReleaseRefused(ProjectError):
    """The release was asked for wrongly (a bad version, an archive that exists): exit code 2."""


@dataclass(frozen=True)
class Entry:
    """One file of the archive: its name inside the release folder, and its bytes or the file they are read from."""

    name: str
    source: Path | None = None
    data: bytes | None = None

    @property
    def size(self) -> int:
        """Bytes of the file."""
        return len(self.data) if self.data is not None else self.source.stat().st_size

    def sha256(self) -> str:
        """Hex SHA-256 of the file."""
        if self.data is not None:
            return hashlib.sha256(self.data).hexdigest()
        digest = hashlib.sha256()
        with self.source.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()


@dataclass
class Release:
    """What a release holds and leaves out, and where it goes."""

    version: str
    released: date
    archive: Path
    zenodo: Path
    entries: list[Entry] = field(default_factory=list)
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    zenodo_bytes: bytes = b""

    @property
    def folder(self) -> str:
        """The one folder inside the archive."""
        return f"{PACKAGE_NAME}-{self.version}"

    @property
    def bytes(self) -> int:
        """Bytes of everything inside, before compression."""
        return sum(e.size for e in self.entries)


def check_version(version: str) -> str:
    """The version if it is X.Y.Z (numbers without leading zeros); ReleaseRefused otherwise."""
    if not VERSION_RE.match(version):
        raise ReleaseRefused(f"--version {version!r} is not X.Y.Z (three whole numbers, e.g. 1.0.0)")
    return version


def recorded_config(config: BuildConfig, record: dict) -> BuildConfig:
    """The build options the last build recorded (so that a build with --hub-limit is not taken for stale)."""
    code = record.get("code", {})
    network = NetworkConfig(**code["network"]) if isinstance(code.get("network"), dict) else config.network
    return config.with_(max_bytes=code.get("max_bytes", config.max_bytes), network=network, use_cache=True)


def differing(now: dict, then: dict) -> list[str]:
    """Keys whose values differ between two flat records."""
    return sorted(k for k in set(now) | set(then) if now.get(k) != then.get(k))


def stale_reasons(config: BuildConfig) -> list[str]:
    """Why data/processed is not a current, complete build (empty: it is one)."""
    record = read_build_record(config.paths.processed)
    if not record:
        return ["data/processed holds no build (no MANIFEST): run `notices build`"]
    reasons = [f"data/processed/{rel} is {state} since the build" for rel, state in changed_outputs(config.paths.processed,
                                                                                                   record).items()]
    if record.get("code", {}).get("until") != "network":
        reasons.append("the last build stopped early (--until); run a whole `notices build`")
    plan = plan_build(recorded_config(config, record))
    if not plan.current and not reasons:
        inputs = [k for group in ("corpus", "reference")
                  for k in differing(plan.inputs.get(group, {}), record.get("inputs", {}).get(group, {}))]
        code = differing(plan.code, record.get("code", {}))
        if inputs:
            reasons.append(f"{len(inputs)} input(s) changed since the build, e.g. {', '.join(inputs[:3])}")
        if code:
            reasons.append(f"the code or options changed since the build ({', '.join(code[:3])})")
        if not inputs and not code:
            reasons.append("a build would redo part of it (a quarantined notice to retry, or a register problem changed)")
    return reasons


def data_date(config: BuildConfig) -> date:
    """The newest date the data knows: a notice's publication date or a copy's collection date."""
    dates = []
    record = read_build_record(config.paths.processed)
    if record and "notices" in built_tables(record):
        notices = scan_table(config.paths.processed, "notices").select("publication_date").collect()
        dates += notices["publication_date"].drop_nulls().to_list()
    for entry in read_register(config.paths.register):
        try:
            dates.append(date.fromisoformat(entry.collected_on))
        except ValueError:
            pass
    if not dates:
        raise ReleaseRefused("the data holds no date to release it under; pass --date YYYY-MM-DD")
    return max(dates)


def processed_entries(config: BuildConfig, allowed: set[str], release: Release, scratch: Path) -> None:
    """The tables as single files with their Data Package and codebook (exported into `scratch`), the build's other
    outputs and its MANIFEST; texts of notices that may not be redistributed are left out."""
    record = read_build_record(config.paths.processed)
    if not record:
        return
    altered = changed_outputs(config.paths.processed, record)  # (none in a release: stale_reasons refused it; a dry run lists the rest)
    names = [name for name in built_tables(record) if not any(rel in altered for rel in table_outputs(name, record))]
    for fmt in ("parquet", "csv"):
        export(config.paths.processed, scratch / fmt, fmt, names)
    release.entries += [Entry(f"data/processed/{path.relative_to(scratch / fmt).as_posix()}", path)
                        for fmt in ("parquet", "csv") for path in sorted((scratch / fmt).rglob("*")) if path.is_file()]
    of_tables = {rel for name in names for rel in table_outputs(name, record)} | {CODEBOOK, DATAPACKAGE}
    for rel in sorted([*record.get("outputs", {}), BUILD_RECORD]):
        if rel in of_tables or not (config.paths.processed / rel).is_file():
            continue  # a table (exported above), or missing since the build: stale_reasons says so, and no release is made
        if rel.startswith("text/") and Path(rel).stem not in allowed:
            release.left_out.append((f"data/processed/{rel}", "the notice's raw copy may not be redistributed "
                                                              "(its manifest terms do not start with `redistributable:`)"))
            continue
        release.entries.append(Entry(f"data/processed/{rel}", config.paths.processed / rel))


def raw_entries(config: BuildConfig, release: Release) -> set[str]:
    """The raw register and the raw copies that may be redistributed; the ids of those notices."""
    entries, _ = check_register(config.paths.raw, read_register(config.paths.register))
    release.entries.append(Entry("data/raw/manifest.csv", config.paths.register))
    allowed = set()
    for entry in sorted(entries, key=lambda e: e.file):
        if entry.redistributable:
            allowed.add(entry.notice_id)
            release.entries.append(Entry(f"data/raw/{entry.file}", config.paths.raw / entry.file))
        else:
            release.left_out.append((f"data/raw/{entry.file}", f"terms: {entry.terms or '(none recorded)'}"))
    return allowed


def readme(release: Release, citation: dict, tables: int) -> bytes:
    """README.md of the release: what is inside, how to check it, how to cite it, what was left out."""
    raw = sum(1 for e in release.entries if e.name.startswith("data/raw/notices/"))
    lines = [
        f"# {citation['title']}", "", f"Version {release.version}, {release.released.isoformat()}.", "",
        "## What is here", "",
        f"- `data/processed/`: {tables} tables, each as one Parquet and one CSV file; `codebook.md` describes every column; "
        "`datapackage.json` is a Frictionless Data Package of the CSV files (`frictionless validate "
        "data/processed/datapackage.json`); `network/` holds the graphs; `MANIFEST` is the build record (the inputs and "
        "code the tables were built from, and the files of the build's store, where per-notice tables are Parquet parts).",
        f"- `data/raw/manifest.csv`: the register of the notices (source, publisher, terms). Raw copies included: {raw} "
        "(only those whose terms start with `redistributable:`); texts left out are listed below.",
        "- `CITATION.cff`, `.zenodo.json`: citation and deposit metadata. `LICENSE`: the licence of the tables.",
        "- `SHA256SUMS`: run `sha256sum -c SHA256SUMS` in this folder to check every file.", "",
        "## Cite", "", cite_as(citation, release.version, release.released)
        + " Add the DOI of this version from the repository that holds it.", "",
        "Cite each notice by its issuing body, title and signature date (`data/processed/notices.csv`).", "",
    ]
    if release.left_out:
        lines += ["## Left out", ""] + [f"- `{path}`: {why}" for path, why in release.left_out] + [""]
    return "\n".join(lines).encode("utf-8")


def sha256sums(entries: list[Entry]) -> bytes:
    """SHA256SUMS in the format `sha256sum -c` reads, one line per file, sorted by name."""
    return "".join(f"{e.sha256()}  {e.name}\n" for e in sorted(entries, key=lambda e: e.name)).encode("utf-8")


def plan_release(config: BuildConfig, version: str, released: date, out: Path, scratch: Path) -> Release:
    """Everything a release would hold and leave out; only the exported tables are written (into `scratch`)."""
    check_version(version)
    try:
        check_out(config.paths.processed, out)
    except ProjectError as exc:
        raise ReleaseRefused(str(exc)) from exc
    text, citation = read_citation(config.paths.root / "CITATION.cff")
    name = f"{PACKAGE_NAME}-{version}"
    release = Release(version, released, out / f"{name}.zip", out / f"{name}.zenodo.json")
    allowed = raw_entries(config, release)
    processed_entries(config, allowed, release, scratch)
    release.zenodo_bytes = zenodo_json(citation, version, released)
    release.entries += [Entry("CITATION.cff", data=release_citation(text, version, released).encode("utf-8")),
                        Entry(".zenodo.json", data=release.zenodo_bytes)]
    if (config.paths.root / "LICENSE").is_file():
        release.entries.append(Entry("LICENSE", config.paths.root / "LICENSE"))
    tables = sum(1 for e in release.entries if e.name.startswith("data/processed/") and e.name.endswith(".parquet"))
    release.entries.append(Entry("README.md", data=readme(release, citation, tables)))
    release.entries.append(Entry("SHA256SUMS", data=sha256sums(release.entries)))
    release.entries.sort(key=lambda e: e.name)
    return release


def zip_info(name: str, released: date) -> zipfile.ZipInfo:
    """A zip entry with a fixed timestamp, permissions and system, and no owner."""
    info = zipfile.ZipInfo(name, date_time=(max(released.year, 1980), released.month, released.day, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, whatever the machine
    info.external_attr = FILE_MODE << 16
    return info


def write_zip(path: Path, release: Release, on_entry: Callable[[Entry], None] | None = None) -> None:
    """Write the archive: every entry under the release folder, in name order (`on_entry` after each)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:  # zlib's default level
        for entry in release.entries:
            info = zip_info(f"{release.folder}/{entry.name}", release.released)
            with archive.open(info, "w", force_zip64=entry.size >= 1 << 31) as target:
                if entry.data is not None:
                    target.write(entry.data)
                else:
                    with entry.source.open("rb") as source:
                        shutil.copyfileobj(source, target, 1 << 20)
            if on_entry:
                on_entry(entry)


def make_release(config: BuildConfig, version: str, released: date | None, out: Path, force: bool = False,
                 on_entry: Callable[[Entry], None] | None = None) -> Release:
    """Check, then write the archive and its .zenodo.json into `out` (each atomically); what was released.

    `released` None: the newest date in the data (`data_date`)."""
    check_version(version)
    reasons = stale_reasons(config)
    if reasons:
        raise ProjectError("data/processed is not a current build, so it is not released: " + "; ".join(reasons)
                           + ". Run `notices build` first")
    archive = out / f"{PACKAGE_NAME}-{version}.zip"
    if archive.exists() and not force:
        raise ReleaseRefused(f"{archive.name} already exists in {out.name}/; a released version is not overwritten "
                             "(pass --force to replace it, or choose another --version)")
    with tempfile.TemporaryDirectory(prefix="notices-release-") as scratch:
        release = plan_release(config, version, released or data_date(config), out, Path(scratch))
        atomic_write_with(release.archive, lambda p: write_zip(p, release, on_entry))
    atomic_write_bytes(release.zenodo, release.zenodo_bytes)
    return release
