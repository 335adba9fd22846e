"""What a build can take over from the last one: data/processed is its own cache.

A notice whose raw bytes (SHA-256) and per-notice code (the fingerprint of the modules the per-notice
stages declare, with the reference data) are those of the last build is not processed again: its rows
are carried over from the last build's tables and its text file is kept in place. What is carried over
is checked by content, never by size: every output the last build wrote is hashed against its SHA-256
in the build record (MANIFEST) — or its hash remembered while the file has not been written since
(`analysis.build.hashcache`) — and anything missing or altered is rebuilt (so `notices build` repairs
whatever `notices verify` flags). A notice quarantined as `internal_error` (a bug, or a failure of the
machine) or as a duplicate is never carried over: every build decides it afresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from analysis.build.parts import scan_parts
from analysis.build.register import RegisterEntry
from analysis.build.worker import NoticeOutcome
from analysis.config import BuildConfig
from analysis.contract.tables import PER_NOTICE_TABLES, TABLES
from analysis.contract.values import PER_NOTICE_STAGES

NEVER_CARRIED = ("duplicate", "internal_error")  # quarantine reasons decided afresh by every build


@dataclass(frozen=True)
class NoticePlan:
    """What a build will do with one registered notice, and why."""

    notice_id: str
    file: str
    sha256: str
    action: str  # process | carry | carry_failure
    reason: str


@dataclass(frozen=True)
class LastBuild:
    """What the last build recorded: its MANIFEST, its notices (id → sha256, file, text_sha256), its per-notice
    failures, and which of its outputs are no longer as it wrote them (path → 'missing' or 'changed')."""

    manifest: dict
    notices: dict[str, dict]
    failures: dict[str, dict]
    manifest_problems: list[dict]
    changed: dict[str, str] = field(default_factory=dict)

    def intact(self, relpath: str) -> bool:
        """Whether an output of the last build is on disk with the content MANIFEST records."""
        return relpath in self.manifest.get("outputs", {}) and relpath not in self.changed


def read_back_outputs(manifest: dict) -> list[str]:
    """Files of the last build that a build reads rows from to carry notices over: the quarantine and every part of
    the per-notice tables."""
    stems = tuple(f"{TABLES[name].stem}/" for name in PER_NOTICE_TABLES)
    return [f"{TABLES['quarantine'].stem}.parquet", *(rel for rel in manifest.get("outputs", {}) if rel.startswith(stems))]


def notice_rows_carried(outputs: dict[str, dict]) -> bool:
    """Whether the last build stored its per-notice tables as parts (builds before partitioned tables did not)."""
    return any(rel.startswith(f"{TABLES['notices'].stem}/part-") for rel in outputs)


def last_build(config: BuildConfig, fingerprint: str, until: str, manifest: dict, changed: dict[str, str]
               ) -> tuple[LastBuild | None, str]:
    """The last build (its MANIFEST and the outputs no longer as it wrote them), if its per-notice results can be
    reused by this one; else None and the reason."""
    if not config.use_cache:
        return None, "a full rebuild was asked for"
    processed = config.paths.processed
    if not manifest:
        return None, "no earlier build"
    code = manifest.get("code", {})
    if until != "network" or code.get("until") != "network":
        return None, "the last build or this one stops before the network stage"
    if code.get("per_notice_fingerprint") != fingerprint:
        return None, "the per-notice code or the reference data changed"
    if code.get("max_bytes") != config.max_bytes:
        return None, "--max-bytes changed"
    if not notice_rows_carried(manifest.get("outputs", {})):
        return None, "the last build wrote its tables as single files (before partitioned tables)"
    altered = [rel for rel in read_back_outputs(manifest) if rel in changed or rel not in manifest.get("outputs", {})]
    if altered:
        return None, f"{altered[0]} is missing or changed since the last build (its sha256 differs from MANIFEST)"
    try:
        notices = scan_parts(processed, "notices").select("notice_id", "file", "sha256", "text_sha256").collect()
        failures = pl.read_parquet(processed / "quarantine.parquet")
    except (OSError, pl.exceptions.PolarsError) as exc:
        return None, f"the last build's tables cannot be read ({type(exc).__name__})"
    per_notice_failures = failures.filter(pl.col("stage").is_in([*PER_NOTICE_STAGES, "assemble"])
                                          & (pl.col("reason") != "duplicate"))
    return LastBuild(manifest, {r["notice_id"]: r for r in notices.iter_rows(named=True)},
                     {r["notice_id"]: r for r in per_notice_failures.iter_rows(named=True)},
                     sorted_rows(failures.filter(pl.col("stage") == "manifest").to_dicts()), changed), ""


def sorted_rows(rows: list[dict]) -> list[dict]:
    """Quarantine rows in a canonical order (for comparing two builds)."""
    return sorted(rows, key=lambda r: (r["file"], r["notice_id"] or "", r["reason"]))


def plan_notices(entries: list[RegisterEntry], last: LastBuild | None, why_not: str) -> list[NoticePlan]:
    """For each registered notice (in id order): process it, or carry its result over from the last build, and why."""
    plans = []
    for e in sorted(entries, key=lambda e: e.notice_id):
        before = last.notices.get(e.notice_id) if last else None
        failed = last.failures.get(e.notice_id) if last else None
        if last is None:
            action, reason = "process", why_not
        elif before is not None and before["sha256"] == e.sha256 and before["file"] == e.file:
            if last.intact(f"text/{e.notice_id}.txt"):
                action, reason = "carry", "unchanged"
            else:
                action, reason = "process", "its normalised text is missing or altered in data/processed (sha256 differs)"
        elif failed is not None and failed["reason"] in NEVER_CARRIED:
            action, reason = "process", f"quarantined before as {failed['reason']}, which is never carried over"
        elif failed is not None and failed["sha256"] == e.sha256 and failed["file"] == e.file:
            action, reason = "carry_failure", f"unchanged; quarantined before ({failed['reason']})"
        elif before is not None or failed is not None:
            action, reason = "process", "raw file changed"
        else:
            action, reason = "process", "new notice"
        plans.append(NoticePlan(e.notice_id, e.file, e.sha256, action, reason))
    return plans


def carried_outcome(plan: NoticePlan, last: LastBuild) -> NoticeOutcome:
    """The outcome of a notice taken over from the last build (its rows are read later, table by table)."""
    if plan.action == "carry_failure":
        failed = last.failures[plan.notice_id]
        return NoticeOutcome(plan.notice_id, plan.file, plan.sha256, stage=failed["stage"], reason=failed["reason"],
                             message=failed["message"], carried=True)
    info = last.manifest["outputs"][f"text/{plan.notice_id}.txt"]
    return NoticeOutcome(plan.notice_id, plan.file, plan.sha256, text_sha256=last.notices[plan.notice_id]["text_sha256"],
                         text_bytes=info["bytes"], carried=True)


def up_to_date(last: LastBuild | None, inputs: dict, code: dict, problems: list[dict]) -> bool:
    """Whether data/processed already holds exactly what this build would write (same inputs, code, options,
    manifest problems; every output present with the content MANIFEST records; nothing to retry)."""
    if last is None or last.manifest.get("inputs") != inputs or last.manifest.get("code") != code:
        return False
    if last.manifest_problems != sorted_rows(problems) or last.changed:
        return False
    return not any(f["reason"] in NEVER_CARRIED for f in last.failures.values())
