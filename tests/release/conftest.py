"""Fixtures of the release tests: the built corpus exported once per format, and a project copy to release from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.config import Paths
from analysis.release.exports import choose_tables, export

from tests.conftest import ROOT


@pytest.fixture(scope="session")
def exported(built, tmp_path_factory) -> dict[str, Path]:
    """format → folder holding the export of every table of the built corpus."""
    folders = {}
    for fmt in ("parquet", "csv", "xlsx", "dta", "csv-excel"):
        folders[fmt] = tmp_path_factory.mktemp(f"export-{fmt}")
        export(built.processed, folders[fmt], fmt, choose_tables([]))
    return folders


def releasable_copy(built: Paths, target: Path) -> Paths:
    """A copy of the built project with the repository's CITATION.cff and LICENSE, to release from."""
    shutil.copytree(built.root, target, symlinks=True, ignore=shutil.ignore_patterns("dist", ".notices.lock"))
    for name in ("CITATION.cff", "LICENSE"):
        shutil.copy(ROOT / name, target / name)
    return Paths(target)
