"""`notices release`: what the archive holds and leaves out, when it is refused, and that two runs give the same bytes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import frictionless
import polars as pl
import pytest
from typer.testing import CliRunner

from analysis.build.parts import part_files
from analysis.build.store import read_table
from analysis.build.register import read_register, sha256_bytes, write_register
from analysis.cli import app
from analysis.config import BuildConfig
from analysis.contract.tables import TABLES
from analysis.errors import ProjectError
from analysis.release.archive import ReleaseRefused, check_version, data_date, make_release, plan_release, stale_reasons

from tests.conftest import run_build
from tests.release.conftest import releasable_copy

runner = CliRunner()
DAY = date(2026, 1, 31)


@pytest.fixture(scope="module")
def project(built, tmp_path_factory):
    """A copy of the built project to release from (releases go into its dist/ or a folder of the test)."""
    return releasable_copy(built, tmp_path_factory.mktemp("release") / "p")


@pytest.fixture(scope="module")
def released(project, tmp_path_factory):
    """Version 1.2.3 of the shipped corpus, released into a folder of its own."""
    return make_release(BuildConfig(project), "1.2.3", DAY, tmp_path_factory.mktemp("dist"))


def names_in(archive: Path) -> list[str]:
    """The names inside an archive, without the release folder."""
    with zipfile.ZipFile(archive) as z:
        return [n.split("/", 1)[1] for n in z.namelist()]


def release_cli(root: Path, *args: str):
    """Run `notices release` on a project."""
    return runner.invoke(app, ["release", "--root", str(root), *args])


@pytest.mark.parametrize("version", ["1.0", "v1.0.0", "01.0.0", "1.0.0-rc1", "1.0.0 "])
def test_a_version_that_is_not_x_y_z_is_refused(version):
    with pytest.raises(ReleaseRefused, match="X.Y.Z"):
        check_version(version)


def test_two_releases_give_the_same_bytes(project, tmp_path):
    first = release_cli(project.root, "--version", "2.0.0", "--date", "2026-01-31", "--out", str(tmp_path))
    assert first.exit_code == 0, first.output
    archive, zenodo = tmp_path / "rectification-notices-2.0.0.zip", tmp_path / "rectification-notices-2.0.0.zenodo.json"
    before = archive.read_bytes(), zenodo.read_bytes()
    second = release_cli(project.root, "--version", "2.0.0", "--date", "2026-01-31", "--out", str(tmp_path), "--force")
    assert second.exit_code == 0, second.output
    assert (archive.read_bytes(), zenodo.read_bytes()) == before


def test_the_archive_holds_the_build_the_register_the_citation_and_checksums(released, project):
    names = names_in(released.archive)
    record = json.loads((project.processed / "MANIFEST").read_text(encoding="utf-8"))
    outputs = {f"data/processed/{rel}" for rel in record["outputs"] if not rel.startswith("text/") and "/part-" not in rel}
    assert outputs <= set(names)
    assert {f"data/processed/{t.stem}.{ext}" for t in TABLES.values() for ext in ("parquet", "csv")} <= set(names)
    assert not [n for n in names if "/part-" in n]
    assert {"data/processed/MANIFEST", "data/processed/datapackage.json", "data/processed/codebook.md", "data/raw/manifest.csv",
            "CITATION.cff", ".zenodo.json", "LICENSE", "README.md", "SHA256SUMS"} <= set(names)
    assert names == sorted(names)


def test_the_archived_tables_are_a_valid_data_package_of_the_builds_rows(released, project, tmp_path):
    with zipfile.ZipFile(released.archive) as z:
        z.extractall(tmp_path)
    data = tmp_path / released.folder / "data" / "processed"
    report = frictionless.validate(str(data / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:10]
    assert pl.read_parquet(data / "measures.parquet").equals(read_table(project.processed, "measures"))


def test_every_file_is_in_the_checksum_list_with_its_sha256(released):
    with zipfile.ZipFile(released.archive) as z:
        folder = released.folder
        sums = dict(reversed(line.split("  ", 1)) for line in z.read(f"{folder}/SHA256SUMS").decode().splitlines())
        files = [n for n in z.namelist() if not n.endswith("/SHA256SUMS")]
        assert sorted(sums) == sorted(n.split("/", 1)[1] for n in files)
        assert all(hashlib.sha256(z.read(n)).hexdigest() == sums[n.split("/", 1)[1]] for n in files)


def test_no_raw_copy_or_text_is_included_when_the_terms_do_not_allow_it(released):
    names = names_in(released.archive)
    assert not [n for n in names if n.startswith(("data/raw/notices/", "data/processed/text/"))]
    assert len(released.left_out) == 10


def test_a_raw_copy_and_its_text_are_included_when_the_terms_say_redistributable(built, tmp_path):
    project = releasable_copy(built, tmp_path / "p")
    register = project.register
    entries = [e.__class__(**{**e.__dict__, "terms": "redistributable: test copy"}) if e.notice_id == "zibo-sthjj-2025" else e
               for e in read_register(register)]
    write_register(register, entries)
    run_build(project.root, use_cache=True)
    names = names_in(make_release(BuildConfig(project), "1.0.0", DAY, tmp_path / "dist").archive)
    assert [n for n in names if n.startswith(("data/raw/notices/", "data/processed/text/"))] == \
        ["data/processed/text/zibo-sthjj-2025.txt", "data/raw/notices/zibo-sthjj-2025.txt"]


def test_the_archive_holds_no_absolute_path_of_this_machine(released, project):
    places = {str(project.root).encode(), str(project.root.resolve()).encode(), str(Path.home()).encode() + b"/"}
    with zipfile.ZipFile(released.archive) as z:
        assert all(not name.startswith("/") and ".." not in name for name in z.namelist())
        leaks = [n for n in z.namelist() for place in places if place in z.read(n)]
    assert leaks == []


def test_entries_have_one_timestamp_fixed_permissions_and_no_owner(released):
    with zipfile.ZipFile(released.archive) as z:
        infos = z.infolist()
    assert {(i.date_time, i.external_attr >> 16, i.create_system, i.extra) for i in infos} == \
        {((2026, 1, 31, 0, 0, 0), 0o100644, 3, b"")}


def test_the_citation_carries_the_version_and_date(released):
    with zipfile.ZipFile(released.archive) as z:
        citation = z.read(f"{released.folder}/CITATION.cff").decode()
    assert 'version: "1.2.3"' in citation and 'date-released: "2026-01-31"' in citation
    assert released.zenodo.read_bytes() == released.zenodo_bytes


def test_an_existing_archive_is_not_overwritten_without_force(project, tmp_path):
    assert release_cli(project.root, "--version", "1.0.0", "--out", str(tmp_path)).exit_code == 0
    result = release_cli(project.root, "--version", "1.0.0", "--out", str(tmp_path))
    assert result.exit_code == 2 and "already exists" in result.output and "--force" in result.output


def test_a_bad_version_exits_with_code_2(project, tmp_path):
    result = release_cli(project.root, "--version", "1.0", "--out", str(tmp_path))
    assert result.exit_code == 2 and "X.Y.Z" in result.output and not list(tmp_path.iterdir())


def test_a_release_of_a_corpus_changed_since_the_build_is_refused(built, tmp_path):
    project = releasable_copy(built, tmp_path / "p")
    (project.reference / "agency_rules.csv").write_text("changed\n", encoding="utf-8")
    result = release_cli(project.root, "--version", "1.0.0", "--out", str(tmp_path / "dist"))
    assert result.exit_code == 1 and "data/reference/agency_rules.csv" in result.output and "notices build" in result.output
    assert not (tmp_path / "dist").exists()


def test_a_release_of_an_altered_output_is_refused(built, tmp_path):
    project = releasable_copy(built, tmp_path / "p")
    (project.processed / "quarantine.csv").write_bytes(b"altered")
    assert stale_reasons(BuildConfig(project)) == ["data/processed/quarantine.csv is changed since the build"]
    with pytest.raises(ProjectError, match="not a current build"):
        make_release(BuildConfig(project), "1.0.0", DAY, tmp_path / "dist")


def test_a_release_without_a_build_is_refused(tmp_path):
    from tests.conftest import copy_inputs

    root = copy_inputs(tmp_path / "p")
    result = release_cli(root, "--version", "1.0.0", "--date", "2026-01-31")
    assert result.exit_code == 1 and "no MANIFEST" in result.output


def test_a_dry_run_lists_what_would_go_in_and_writes_nothing(project, tmp_path):
    result = release_cli(project.root, "--version", "1.0.0", "--out", str(tmp_path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "SHA256SUMS" in result.output and "left out" in result.output and not list(tmp_path.iterdir())


def test_the_release_date_is_the_newest_date_in_the_data_unless_given(project, tmp_path):
    newest = read_table(project.processed, "notices")["publication_date"].max()
    assert data_date(BuildConfig(project)) == newest
    assert plan_release(BuildConfig(project), "1.0.0", DAY, project.root / "dist", tmp_path).released == DAY


def test_sha256_of_the_register_in_the_archive_is_the_registers(released, project):
    with zipfile.ZipFile(released.archive) as z:
        data = z.read(f"{released.folder}/data/raw/manifest.csv")
    assert sha256_bytes(data) == sha256_bytes(project.register.read_bytes())
    assert list(csv.DictReader(io.StringIO(data.decode())))


def test_a_dry_run_without_a_build_says_so_in_one_line(tmp_path):
    from tests.conftest import copy_inputs

    result = release_cli(copy_inputs(tmp_path / "p"), "--version", "1.0.0", "--dry-run")
    assert result.exit_code == 1 and "no MANIFEST" in result.output and "Traceback" not in result.output


def test_a_dry_run_of_an_altered_build_lists_the_contents_and_says_it_would_be_refused(built, tmp_path):
    project = releasable_copy(built, tmp_path / "p")
    part = part_files(project.processed, "problems")[0]
    part.unlink()
    result = release_cli(project.root, "--version", "1.0.0", "--dry-run")
    assert result.exit_code == 1 and "SHA256SUMS" in result.output and f"problems/{part.name} is missing" in result.output


def test_a_release_into_data_processed_is_refused_with_code_2(project):
    result = release_cli(project.root, "--version", "1.0.0", "--out", str(project.processed))
    assert result.exit_code == 2 and "only `notices build` writes" in result.output
