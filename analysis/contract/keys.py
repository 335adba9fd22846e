"""Keys that tie rows of different tables together: a problem's and a measure's key (see the codebook)."""

from __future__ import annotations


def problem_key(notice_id: str, path: str) -> str:
    """Key of a problem: notice id + outline path."""
    return f"{notice_id}:{path}"


def measure_key(notice_id: str, path: str | None, kind: str, index: int) -> str:
    """Key of a measure: problem key + m<index> (done) or p<index> (planned); notice id + m<index> for a measure of a
    notice that states no problem (path None)."""
    owner = problem_key(notice_id, path) if path is not None else notice_id
    return f"{owner}:{'m' if kind == 'done' else 'p'}{index}"
