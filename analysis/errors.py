"""Errors that send one notice to quarantine without stopping the others."""

from __future__ import annotations


class NoticeError(Exception):
    """A notice cannot go further; `reason` is a short code, `message` says why in words."""

    def __init__(self, reason: str, message: str, stage: str = "ingest") -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message
        self.stage = stage


class ProjectError(Exception):
    """The project itself is mis-configured (no data/raw, unreadable manifest …): stop the build."""
