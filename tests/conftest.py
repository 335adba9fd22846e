"""Shared fixtures: the repository's inputs, a corpus built in a temporary copy, small project factories."""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
from pathlib import Path

import polars as pl
import pytest

from analysis.config import BuildConfig, Paths
from analysis.build.pipeline import build
from analysis.read.resources import load_resources
from analysis.build.store import read_table

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SEED_FILES = {
    "qingdao-sthjj-2024": "000_96493b39001e348f.txt",
    "guangzhou-sthjj-2025": "001_f5b1d4cc3ccb7d7f.txt",
    "zibo-sthjj-2025": "002_af3a83945fc0fbc2.txt",
    "binzhou-boxing-sthjfj-2023": "003_9cd276bed1f33fa8.txt",
    "taizhou-js-sthjj-2025": "004_09118109d97c64dd.txt",
}
MANIFEST_HEADER = ["notice_id", "file", "sha256", "bytes", "original_file", "body_as_signed", "signature_date_as_printed",
                   "script", "source_url", "publisher", "collected_on", "terms", "collection_notes"]


def raw_notice(notice_id: str) -> bytes:
    """Bytes of a shipped raw notice."""
    return (ROOT / "data" / "raw" / "notices" / f"{notice_id}.txt").read_bytes()


def copy_inputs(target: Path, notices: bool = True) -> Path:
    """A project folder with the repository's reference data, dictionaries and annotations (and raw corpus)."""
    (target / "data").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    for sub in ("reference", "dictionaries"):
        shutil.copytree(ROOT / "data" / sub, target / "data" / sub)
    if notices:
        shutil.copytree(ROOT / "data" / "raw", target / "data" / "raw")
        shutil.copytree(ROOT / "data" / "annotations", target / "data" / "annotations")
    else:
        (target / "data" / "raw" / "notices").mkdir(parents=True)
    return target


def write_corpus(root: Path, files: dict[str, bytes], rows: list[dict] | None = None) -> None:
    """Write raw files (name → bytes) and a manifest: given rows, or one correct row per file."""
    folder = root / "data" / "raw" / "notices"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    if rows is None:
        rows = [{"notice_id": Path(name).stem, "file": f"notices/{name}", "sha256": hashlib.sha256(data).hexdigest(),
                 "bytes": len(data)} for name, data in sorted(files.items())]
    with (root / "data" / "raw" / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=MANIFEST_HEADER, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in MANIFEST_HEADER})


def manifest_row(notice_id: str, name: str, data: bytes) -> dict:
    """A correct manifest row for a file."""
    return {"notice_id": notice_id, "file": f"notices/{name}", "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def run_build(root: Path, until: str = "network", **options):
    """Build a project folder quietly (one process unless asked, no cache; `until="ingest"` is `notices ingest`)."""
    config = BuildConfig(Paths(root), workers=options.pop("workers", 1), use_cache=options.pop("use_cache", False),
                         **options)
    return build(config, until=until)


@pytest.fixture(scope="session")
def resources():
    """Reference data and dictionaries of the repository."""
    return load_resources(ROOT)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Paths:
    """The shipped corpus built into a temporary copy of the project (the repository's data/processed is untouched)."""
    root = copy_inputs(tmp_path_factory.mktemp("built"))
    run_build(root)
    return Paths(root)


@pytest.fixture(scope="session")
def tables(built) -> dict[str, pl.DataFrame]:
    """Every processed table of the built corpus, by name."""
    from analysis.contract.tables import TABLES

    return {name: read_table(built.processed, name) for name in TABLES}


def copy_front_end(root: Path) -> None:
    """Notebooks and the Quarto project's hand-written files."""
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copytree(ROOT / "reports", root / "reports",
                    ignore=shutil.ignore_patterns("*.ipynb", "_site", "_failed", ".runs.json", ".unrendered.json", ".pages.json",
                                                  "figures", "vega-bundle.js", ".quarto", "*.csv", "*.json"))
    for generated in (root / "reports" / "notices").glob("*.qmd"):
        if generated.name != "index.qmd":
            generated.unlink()


@pytest.fixture(scope="session")
def executed(tmp_path_factory):
    """The shipped corpus built, and every notebook executed, in a temporary copy of the project."""
    root = copy_inputs(tmp_path_factory.mktemp("executed"))
    copy_front_end(root)
    run_build(root)
    paths = Paths(root)
    from analysis.site.runner import run_notebooks

    report = run_notebooks(paths, runs_at_once=2)
    return paths, report


def consumed_characters(regex: re.Pattern) -> set[str]:
    """Characters a pattern can consume as written: its literals and the members of its classes (\\d and \\s left out;
    any other open class fails)."""
    from re import _parser

    def walk(parsed) -> set[str]:
        found: set[str] = set()
        for op, av in parsed:
            name = str(op)
            if name == "LITERAL":
                found.add(chr(av))
            elif name == "IN":
                found.update(chr(a) for o, a in av if str(o) == "LITERAL")
                found.update(chr(c) for o, a in av if str(o) == "RANGE" for c in range(a[0], a[1] + 1))
                assert all(str(o) in ("LITERAL", "RANGE") or str(a) in ("CATEGORY_DIGIT", "CATEGORY_SPACE") for o, a in av), av
            elif name in ("ANY", "NOT_LITERAL", "CATEGORY"):
                assert name == "CATEGORY" and str(av) in ("CATEGORY_DIGIT", "CATEGORY_SPACE"), (name, av)
            elif name in ("MAX_REPEAT", "MIN_REPEAT"):
                found |= walk(av[2])
            elif name == "SUBPATTERN":
                found |= walk(av[3])
            elif name == "BRANCH":
                for branch in av[1]:
                    found |= walk(branch)
        return found

    return walk(_parser.parse(regex.pattern))
