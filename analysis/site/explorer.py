"""The problems explorer's data: every problem of the corpus, columnar, for reports/problems.qmd.

The page (reports/problems.qmd) filters the problems by province, genre, status and theme and searches their
text with a small self-written script (reports/assets/explorer.js, no library, nothing from the network). Its
data is one file written by every notebooks run, reports/data/problems.js: a JavaScript assignment of one JSON
object (a script file, not fetched JSON, so that the page also works opened from disk), holding only the columns
the page shows, column by column, with repeated values stored once:

* `notices`: one entry per notice — id, title, place (province city county), province and genre (indexes
  into `values`);
* `columns`: one entry per problem, in notice and text order — notice (index into `notices`), path, title
  (clipped to `TITLE_LIMIT` characters), status (index into `values.status`), themes (indexes into
  `values.theme`) and measures (done measures);
* `values`: the provinces, genres, statuses and themes the filters offer.

At 10,000 notices (~200,000 problems) the file is some 20 MB and the page shows one page of rows at a time.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from analysis.build.files import atomic_write_bytes
from analysis.build.store import scan_table
from analysis.config import Paths
from analysis.contract.values import GENRE_VALUES, STATUS_VALUES

DATA_FILE = Path("data") / "problems.js"  # relative to reports/
EXPLORER_PAGE = "problems.qmd"  # the page that shows it, relative to reports/
VARIABLE = "window.PROBLEMS_EXPLORER"
FORMAT = 1
TITLE_LIMIT = 200


def clip(text: str | None, limit: int = TITLE_LIMIT) -> str:
    """A text on one line, at most `limit` characters (an ellipsis marks a cut)."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def explorer_data(notices: pl.DataFrame, problems: pl.DataFrame, problem_indicators: pl.DataFrame) -> dict:
    """The explorer's data (see the module docstring) from the notices, problems and problem_indicators tables."""
    notices = notices.sort("notice_id")
    rows = (problems.select("problem_key", "notice_id", "path", "title", "status", "measures", "start")
            .join(problem_indicators.select("problem_key", "themes"), on="problem_key", how="left")
            .filter(pl.col("notice_id").is_in(notices.get_column("notice_id").to_list()))
            .sort("notice_id", "start", "path"))
    themes_of = [sorted(set(t.split(";"))) if t else [] for t in rows.get_column("themes").to_list()]
    values = {
        "province": sorted(notices.get_column("province").drop_nulls().unique().to_list()),
        "genre": [g for g in GENRE_VALUES if g in set(notices.get_column("genre").to_list())],
        "status": [s for s in STATUS_VALUES if s in set(rows.get_column("status").to_list())],
        "theme": sorted({t for themes in themes_of for t in themes}),
    }
    position = {name: {v: i for i, v in enumerate(vs)} for name, vs in values.items()}
    notice_rows = notices.select("notice_id", "title", "issuing_body", "province", "city", "county", "genre").to_dicts()
    index = {n["notice_id"]: i for i, n in enumerate(notice_rows)}
    return {
        "format": FORMAT,
        "rows": rows.height,
        "values": values,
        "notices": {
            "id": [n["notice_id"] for n in notice_rows],
            "title": [clip(n["title"] or n["issuing_body"] or n["notice_id"]) for n in notice_rows],
            "place": [" ".join(p for p in (n["province"], n["city"], n["county"]) if p) for n in notice_rows],
            "province": [position["province"].get(n["province"]) for n in notice_rows],
            "genre": [position["genre"].get(n["genre"]) for n in notice_rows],
        },
        "columns": {
            "notice": [index[nid] for nid in rows.get_column("notice_id").to_list()],
            "path": rows.get_column("path").to_list(),
            "title": [clip(t) for t in rows.get_column("title").to_list()],
            "status": [position["status"][s] for s in rows.get_column("status").to_list()],
            "themes": [[position["theme"][t] for t in themes] for themes in themes_of],
            "measures": rows.get_column("measures").to_list(),
        },
    }


def explorer_script(data: dict) -> str:
    """The data file's text: one JavaScript assignment of the data as JSON (U+2028/2029 escaped for old parsers)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return (f"// Problems of the corpus for the problems explorer (problems.qmd), written by `notices notebooks`.\n"
            f"{VARIABLE} = {text};\n")


def read_explorer_script(text: str) -> dict:
    """The data held by a data file's text (the inverse of `explorer_script`)."""
    start = text.index(f"{VARIABLE} = ") + len(VARIABLE) + 3
    return json.loads(text[start:].rstrip().removesuffix(";"))


def write_explorer_data(paths: Paths) -> bool:
    """Write reports/data/problems.js from the processed tables (only when its content changed); whether it was written."""
    processed = paths.processed
    notices = scan_table(processed, "notices").select("notice_id", "title", "issuing_body", "province", "city", "county",
                                                      "genre").collect()
    problems = scan_table(processed, "problems").select("problem_key", "notice_id", "path", "title", "status", "measures",
                                                        "start").collect()
    indicators = scan_table(processed, "problem_indicators").select("problem_key", "themes").collect()
    content = explorer_script(explorer_data(notices, problems, indicators)).encode("utf-8")
    target = paths.reports / DATA_FILE
    if target.is_file() and target.read_bytes() == content:
        return False
    atomic_write_bytes(target, content)
    return True
