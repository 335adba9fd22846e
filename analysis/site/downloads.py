"""A notice's rows as files to download from its page: one CSV per table and one JSON of them all.

The files sit next to the notice's page in reports/notices/ (`<id>.json`, `<id>.<table>.csv`) and are listed under
`resources:` in the page's front matter (`pages.notice_front_matter`), so Quarto copies them into _site/. Every
table a notice page shows is written, with a header only when the notice has no rows in it, so the list of files
depends on the notice id alone.
"""

from __future__ import annotations

import json

import polars as pl

from analysis.build.files import atomic_write_bytes
from analysis.build.store import read_table
from analysis.config import Paths
from analysis.contract.tables import tables_of

NOTICE_PAGE_TABLES = tables_of("parse", "extract")  # what a notice page shows: its rows of the per-notice tables


def download_files(notice_id: str) -> dict[str, str]:
    """File names (relative to the notice's page) of a notice's downloads: "json" and each table's CSV."""
    return {"json": f"{notice_id}.json", **{name: f"{notice_id}.{name}.csv" for name in NOTICE_PAGE_TABLES}}


def download_contents(tables: dict[str, pl.DataFrame], notice_id: str) -> dict[str, bytes]:
    """File name → bytes of a notice's downloads (`tables`: at least its rows of every NOTICE_PAGE_TABLES table)."""
    mine = {name: tables[name].filter(pl.col("notice_id") == notice_id) for name in NOTICE_PAGE_TABLES}
    names = download_files(notice_id)
    everything = {"notice_id": notice_id, "tables": {name: json.loads(df.write_json()) for name, df in mine.items()}}
    out = {names["json"]: (json.dumps(everything, ensure_ascii=False, indent=1) + "\n").encode("utf-8")}
    out.update({names[name]: df.write_csv().encode("utf-8") for name, df in mine.items()})
    return out


def write_downloads(paths: Paths) -> list[str]:
    """Write the downloads of every notice of the corpus into reports/notices/ (only files whose content changed);
    the files written, relative to reports/."""
    tables = {name: read_table(paths.processed, name) for name in NOTICE_PAGE_TABLES}
    parts = {name: df.partition_by("notice_id", as_dict=True, maintain_order=True) for name, df in tables.items()}
    folder = paths.reports / "notices"
    written = []
    for nid in sorted(tables["notices"].get_column("notice_id").to_list()):
        mine = {name: parts[name].get((nid,), tables[name].clear()) for name in NOTICE_PAGE_TABLES}
        for name, data in download_contents(mine, nid).items():
            target = folder / name
            if not target.is_file() or target.read_bytes() != data:
                target.parent.mkdir(parents=True, exist_ok=True)
                atomic_write_bytes(target, data)
                written.append(f"notices/{name}")
    return written


def remove_downloads(paths: Paths, keep: set[str]) -> list[str]:
    """Delete the downloads of notices not in `keep` (notice ids); the files removed, relative to reports/."""
    folder = paths.reports / "notices"
    removed = []
    for path in sorted(folder.glob("*.json")) + sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        owner = path.name.split(".", 1)[0]
        if owner not in keep and path.name in download_files(owner).values():
            path.unlink()
            removed.append(f"notices/{path.name}")
    return removed

