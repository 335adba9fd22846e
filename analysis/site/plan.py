"""What a notebooks run makes: the site's notebook runs, their names, and the fingerprints of their inputs.

* The runs: the corpus-level notebooks (`PAGES`), one profile per notice (by default when the corpus
  has at most `PROFILE_LIMIT` notices — beyond that, per-notice pages are generated from the tables
  without a kernel, see `pages.notice_sections`), and slices asked for on the command line.
* Every run's parameters are checked (`parameters.check_parameters`) before anything runs.
* A run's fingerprint (`run_key`) covers the notebook source, its parameters and front matter, the
  package's code (`build.fingerprint.package_fingerprint`), and the data it reads: every processed
  output for corpus pages and slices, the notice's own rows and text for a profile (`notice_keys`).
* A page written from the tables is rewritten only when its fingerprint (`page_keys`: the notice's rows, by
  row hashes, its text's SHA-256, and the package's code) differs from the one recorded in
  reports/.pages.json when it was last written — finding the one changed notice of 10,000 costs seconds,
  not a render of every page.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import polars as pl

from analysis.build.store import read_table, scan_table
from analysis.config import Paths
from analysis.errors import ProjectError
from analysis.site.execution import NotebookRun
from analysis.site.pages import NOTICE_PAGE_TABLES, notice_front_matter
from analysis.site.parameters import ParameterError, Vocabulary, check_parameters

PROFILE_LIMIT = 200
PAGES: tuple[tuple[str, str, bool], ...] = (
    # (notebook, output page, soft: a failure is a warning on the page, never a failed run)
    ("00_home.ipynb", "index.ipynb", False),
    ("01_corpus_overview.ipynb", "overview.ipynb", False),
    ("02_indicators.ipynb", "indicators.ipynb", False),
    ("03_network.ipynb", "network.ipynb", False),
    ("05_methods.ipynb", "methods.ipynb", False),
    ("teaching_01_reading_a_notice.ipynb", "teaching/reading-a-notice.ipynb", True),
    ("teaching_02_who_works_with_whom.ipynb", "teaching/who-works-with-whom.ipynb", True),
)
PROFILE_NOTEBOOK = "04_notice_profile.ipynb"
SLICE_NOTEBOOKS = ("01_corpus_overview.ipynb", "02_indicators.ipynb", "03_network.ipynb")


# --------------------------------------------------------------------------- names of outputs


def slice_slug(parameters: dict, notices: pl.DataFrame) -> str:
    """A file-system-safe folder name for a slice (provinces by division code)."""
    parts = []
    for key in ("province", "genre", "year"):
        if key in parameters:
            value = parameters[key]
            if key == "province":
                codes = notices.filter(pl.col("province") == value).get_column("province_code").drop_nulls()
                value = codes[0] if len(codes) else "unknown"
            parts.append(f"{key}-{value}")
    return "_".join(parts)


def run_slug(parameters: dict, notices: pl.DataFrame) -> str:
    """A file-system-safe name for a set of parameters (provinces by division code, other unsafe values by hash)."""
    parts = []
    for key in sorted(parameters):
        value = parameters[key]
        if key == "province" and isinstance(value, str):
            value = slice_slug({"province": value}, notices).split("-", 1)[1]
        text = str(value)
        if not re.fullmatch(r"[A-Za-z0-9._-]{1,60}", text):
            text = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
        parts.append(f"{key}-{text}")
    return "_".join(parts) or "defaults"


# --------------------------------------------------------------------------- fingerprints


def corpus_key(processed: Path) -> str:
    """Hash of every processed output (from MANIFEST)."""
    manifest = json.loads((processed / "MANIFEST").read_text(encoding="utf-8"))
    return hashlib.sha256(json.dumps(manifest["outputs"], sort_keys=True).encode()).hexdigest()


def notice_keys(processed: Path) -> dict[str, str]:
    """Hash of each notice's own rows in every table its page shows and of its text (what its profile reads)."""
    digests: dict[str, hashlib._Hash] = {}
    for name in NOTICE_PAGE_TABLES:
        df = read_table(processed, name)
        for (nid,), part in sorted(df.partition_by("notice_id", as_dict=True, maintain_order=True).items()):
            digests.setdefault(nid, hashlib.sha256()).update(name.encode() + part.write_csv().encode("utf-8"))
    for nid, digest in digests.items():
        digest.update((processed / "text" / f"{nid}.txt").read_bytes())
    return {nid: digest.hexdigest() for nid, digest in sorted(digests.items())}


def page_keys(processed: Path, code: str) -> dict[str, str]:
    """Fingerprint of what each notice's generated page is made from: its rows of every table the page shows (hashes of
    rows, so nothing is rendered; the notices row holds the text's SHA-256) and the code (`code`: the package
    fingerprint; polars' version too, whose row hashes are stable only within a version)."""
    per_table = []
    for name in NOTICE_PAGE_TABLES:
        rows = scan_table(processed, name)
        per_table.append(rows.select("notice_id", pl.struct(pl.exclude("notice_id")).hash(seed=0).alias("h"))
                         .group_by("notice_id").agg(pl.col("h").sort()).select("notice_id", pl.col("h").hash(seed=0).alias(name)))
    hashes = pl.concat([lf.collect() for lf in per_table], how="diagonal").group_by("notice_id").agg(
        [pl.col(name).drop_nulls().first() for name in NOTICE_PAGE_TABLES]).sort("notice_id")
    salt = f"{code}|polars {pl.__version__}|"
    return {row[0]: hashlib.sha256((salt + "|".join(str(v) for v in row[1:])).encode()).hexdigest()
            for row in hashes.iter_rows()}


def run_key(run: NotebookRun, notebooks: Path, code: str) -> str:
    """Fingerprint of a notebook run's inputs (`code`: the package fingerprint)."""
    digest = hashlib.sha256((notebooks / run.notebook).read_bytes())
    digest.update(json.dumps(run.parameters, sort_keys=True, ensure_ascii=False).encode())
    digest.update(json.dumps(run.front_matter, sort_keys=True, ensure_ascii=False, default=str).encode())
    digest.update(code.encode())
    digest.update(run.data_key.encode())
    return digest.hexdigest()


# --------------------------------------------------------------------------- the runs of the site


def plan_runs(paths: Paths, profiles: str | list[str] = "auto", slices: list[dict] = (), pages: bool = True,
              prune: bool = False) -> tuple[list[NotebookRun], list[str]]:
    """(notebook runs, notice ids whose pages are generated without a kernel); `pages=False` leaves out the corpus
    pages.

    A notice keeps a profile executed by an earlier run (no page is generated over it) unless `prune`."""
    missing = [nb for nb in [p[0] for p in PAGES] + [PROFILE_NOTEBOOK] if not (paths.notebooks / nb).is_file()]
    if missing:
        raise ProjectError(f"notebook(s) missing from {paths.notebooks.name}/: {', '.join(missing)}")
    notices = read_table(paths.processed, "notices")
    vocabulary = Vocabulary.of(notices)
    corpus = corpus_key(paths.processed)
    runs = [NotebookRun(nb, out, {}, None, corpus, soft) for nb, out, soft in PAGES] if pages else []
    ids = sorted(vocabulary.notice_ids)
    chosen = chosen_profiles(profiles, ids, vocabulary)
    keys = notice_keys(paths.processed) if chosen else {}
    by_id = {r["notice_id"]: r for r in notices.iter_rows(named=True)}
    for nid in chosen:
        runs.append(profile_run(by_id[nid], keys[nid]))
    for parameters in slices:
        runs += slice_runs(paths, parameters, notices, vocabulary, corpus)
    for run in runs:
        check_parameters(paths.notebooks / run.notebook, run.parameters, vocabulary)
    executed = {nid for nid in ids if (paths.reports / "notices" / f"{nid}.ipynb").is_file()}
    generated = [nid for nid in ids if nid not in set(chosen) and (prune or nid not in executed)]
    return runs, generated


def chosen_profiles(profiles: str | list[str], ids: list[str], vocabulary: Vocabulary) -> list[str]:
    """The notices whose profile notebook a run executes: auto (all up to PROFILE_LIMIT notices), all, none, or a list."""
    if profiles == "auto":
        return ids if len(ids) <= PROFILE_LIMIT else []
    if profiles == "all":
        return ids
    if profiles == "none":
        return []
    chosen = list(profiles)
    unknown = sorted(set(chosen) - vocabulary.notice_ids)
    if unknown:
        raise ParameterError(f"unknown notice id(s) {', '.join(unknown)}")
    return chosen


def profile_run(notice: dict, data_key: str) -> NotebookRun:
    """The run of one notice's profile page."""
    nid = notice["notice_id"]
    return NotebookRun(PROFILE_NOTEBOOK, f"notices/{nid}.ipynb", {"notice_id": nid}, notice_front_matter(notice), data_key)


def slice_runs(paths: Paths, parameters: dict, notices: pl.DataFrame, vocabulary: Vocabulary, corpus: str) -> list[NotebookRun]:
    """The corpus notebooks run for one slice, into slices/<slug>/."""
    check_parameters(paths.notebooks / SLICE_NOTEBOOKS[0], parameters, vocabulary)
    slug = slice_slug(parameters, notices)
    return [NotebookRun(nb, f"slices/{slug}/{nb.split('_', 1)[1]}", dict(parameters), None, corpus) for nb in SLICE_NOTEBOOKS]
