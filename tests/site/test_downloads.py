"""A notice's rows to download from its page: exactly its rows, next to its page, listed for Quarto to copy."""

from __future__ import annotations

import io
import json

import polars as pl
import pytest
import yaml

from analysis.build.store import read_table
from analysis.config import Paths
from analysis.site.downloads import NOTICE_PAGE_TABLES, download_contents, download_files, remove_downloads

TAIZHOU = "taizhou-js-sthjj-2025"


def test_downloads_are_named_by_notice_and_table():
    files = download_files("a-2024")
    assert files["json"] == "a-2024.json" and files["problems"] == "a-2024.problems.csv"
    assert list(files) == ["json", *NOTICE_PAGE_TABLES]


@pytest.fixture(scope="module")
def taizhou_files(tables):
    """The Taizhou notice's downloads, made from the whole corpus's tables: file name → bytes."""
    return download_contents(tables, TAIZHOU)


def test_each_csv_holds_exactly_the_notices_rows(taizhou_files, tables):
    problems = pl.read_csv(io.BytesIO(taizhou_files[f"{TAIZHOU}.problems.csv"]))
    measures = pl.read_csv(io.BytesIO(taizhou_files[f"{TAIZHOU}.measures.csv"]))
    assert problems.height == 48 and set(problems.get_column("notice_id")) == {TAIZHOU}
    assert measures.height == 166 + 37  # measures and next steps
    expected = tables["measures"].filter(pl.col("notice_id") == TAIZHOU).get_column("measure_key").sort().to_list()
    assert measures.get_column("measure_key").sort().to_list() == expected
    assert problems.columns == tables["problems"].columns


def test_the_json_holds_every_table_of_the_page_with_the_notices_rows(taizhou_files, tables):
    data = json.loads(taizhou_files[f"{TAIZHOU}.json"])
    assert data["notice_id"] == TAIZHOU and list(data["tables"]) == list(NOTICE_PAGE_TABLES)
    for name, rows in data["tables"].items():
        assert len(rows) == tables[name].filter(pl.col("notice_id") == TAIZHOU).height, name
        assert {r["notice_id"] for r in rows} <= {TAIZHOU}, name
    assert data["tables"]["notices"][0]["signature_date"] == "2025-09-23"


def test_a_table_without_rows_of_the_notice_is_a_header_alone(tables):
    empty = {name: tables[name].clear() for name in NOTICE_PAGE_TABLES}
    files = download_contents(dict(empty, notices=tables["notices"].filter(pl.col("notice_id") == TAIZHOU)), TAIZHOU)
    assert files[f"{TAIZHOU}.figures.csv"].decode("utf-8") == ",".join(tables["figures"].columns) + "\n"


def test_downloads_of_notices_that_are_gone_are_removed_and_nothing_else(tmp_path):
    folder = tmp_path / "reports" / "notices"
    folder.mkdir(parents=True)
    for name in ("a-2024.json", "a-2024.problems.csv", "b-2023.json", "b-2023.problems.csv", "b-2023.ipynb", "index.qmd",
                 "notes.csv"):
        (folder / name).write_text("x", encoding="utf-8")
    removed = remove_downloads(Paths(tmp_path), {"a-2024"})
    assert removed == ["notices/b-2023.json", "notices/b-2023.problems.csv"]
    assert sorted(p.name for p in folder.iterdir()) == ["a-2024.json", "a-2024.problems.csv", "b-2023.ipynb", "index.qmd",
                                                         "notes.csv"]


@pytest.mark.notebooks
def test_every_notice_page_has_its_downloads_next_to_it_listed_as_resources(executed):
    paths, _ = executed
    for nid in read_table(paths.processed, "notices").get_column("notice_id").to_list():
        nb = json.loads((paths.reports / "notices" / f"{nid}.ipynb").read_text(encoding="utf-8"))
        head = "".join(nb["cells"][0]["source"])
        resources = yaml.safe_load(head[4:head.index("\n---", 4)])["resources"]
        assert resources == list(download_files(nid).values()), nid
        assert all((paths.reports / "notices" / name).is_file() for name in resources), nid


@pytest.mark.notebooks
def test_the_downloads_on_disk_hold_the_notices_rows(executed):
    paths, _ = executed
    problems = pl.read_csv(paths.reports / "notices" / f"{TAIZHOU}.problems.csv")
    assert problems.height == 48 and set(problems.get_column("notice_id")) == {TAIZHOU}
