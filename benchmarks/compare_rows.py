"""Row-for-row comparison of the per-notice path's output, before and after a change to the rules' code.

    .venv/bin/python benchmarks/compare_rows.py dump PROJECT OUT            # a corpus: PROJECT/data/raw/manifest.csv
    .venv/bin/python benchmarks/compare_rows.py dump PROJECT OUT --devset   # the development set of real notices
    .venv/bin/python benchmarks/compare_rows.py compare BEFORE AFTER        # exit 1 on any difference

`dump` runs every notice through the per-notice stages (ingest, parse, extract, typed frames) exactly as
a build's worker does (`analysis.build.worker.process_chunk`, serially, in chunks), and writes into OUT
one canonical CSV per table — its rows sorted by the table's key, every value as text — plus
`_outcomes.csv` (each notice's quarantine stage and reason, empty when it made it) and `digests.json`
(rows and SHA-256 of each file). With `--devset`, the notices are the texts of the development set
(PROJECT/data/annotations/devset.jsonl; texts in PROJECT/data/devset/texts/ or `--texts`), each checked
against its recorded SHA-256 as `notices audit` checks them; the reference data is PROJECT's.

`compare` prints, per table, `identical` or how many rows differ (keys only before, only after, or in
both with other values) and the first few differing keys. Keep dumps outside the repository.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUTCOMES = "_outcomes"  # the pseudo-table of every notice's outcome (key: notice_id)
DIGESTS = "digests.json"


# --------------------------------------------------------------------------- which notices

def corpus_tasks(project: Path, limit: int | None = None) -> list:
    """A worker's tasks (ingest → extract) for the notices of a project's manifest that match their files, in id order."""
    from analysis.build.register import check_register, read_register
    from analysis.build.stages import notice_steps
    from analysis.build.worker import NoticeTask
    from analysis.config import DEFAULT_MAX_BYTES

    raw = project / "data" / "raw"
    entries, _ = check_register(raw, read_register(raw / "manifest.csv"))
    entries = sorted(entries, key=lambda e: e.notice_id)[:limit]
    steps = notice_steps("extract")
    return [NoticeTask(e.notice_id, e.file, str(raw / e.file), e.sha256, DEFAULT_MAX_BYTES, str(project), steps) for e in entries]


def devset_tasks(project: Path, texts: Path, limit: int | None = None) -> list:
    """A worker's tasks for the development set's texts (a recorded text only when its SHA-256 matches), in id order."""
    from analysis.build.stages import notice_steps
    from analysis.build.worker import NoticeTask
    from analysis.config import DEFAULT_MAX_BYTES
    from analysis.corpus.audit import audit_texts
    from analysis.corpus.devset import read_devset

    records = read_devset(project / "data" / "annotations" / "devset.jsonl")
    steps = notice_steps("extract")
    found = audit_texts(records, texts)[:limit]
    return [NoticeTask(nid, f"devset/{nid}.txt", str(texts / f"{nid}.txt"), hashlib.sha256(data).hexdigest(), DEFAULT_MAX_BYTES,
                       str(project), steps) for nid, data in found]


# --------------------------------------------------------------------------- running and dumping

def run_tasks(tasks: list, chunk: int = 32) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """Every per-notice table's frame for the tasks (as a worker makes them, a chunk at a time) and their outcomes."""
    from analysis.build.worker import process_chunk

    parts: dict[str, list[pl.DataFrame]] = {}
    outcomes: list[dict] = []
    for i in range(0, len(tasks), chunk):
        done, frames = process_chunk(tasks[i:i + chunk])
        outcomes += [{"notice_id": o.notice_id, "stage": o.stage, "reason": o.reason} for o in done]
        for name, df in frames.items():
            parts.setdefault(name, []).append(df)
    tables = {name: pl.concat(dfs, how="vertical") for name, dfs in parts.items()}
    return tables, pl.DataFrame(outcomes, schema={"notice_id": pl.String, "stage": pl.String, "reason": pl.String})


def table_key(name: str) -> list[str]:
    """The key columns of a table (of the contract, or notice_id for the outcomes)."""
    from analysis.contract.tables import TABLES

    return ["notice_id"] if name == OUTCOMES else list(TABLES[name].key)


def canonical(df: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """A frame as it is compared: every column as text (nulls stay null), rows sorted by the key."""
    text = df.select([pl.col(c).cast(pl.String) for c in df.columns])
    return text.sort(key, nulls_last=True, maintain_order=True) if len(text) else text


def csv_bytes(df: pl.DataFrame) -> bytes:
    """The canonical CSV of a frame (null written as an empty cell, no quoting beyond what CSV needs)."""
    return df.write_csv().encode("utf-8")


def all_tables(found: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The per-notice tables (ingest, parse, extract) in contract order, an empty frame for a table no notice reached."""
    from analysis.contract.schema import frame
    from analysis.contract.tables import TABLES, tables_of

    return {name: found.get(name, frame(TABLES[name], [])) for name in tables_of("ingest", "parse", "extract")}


def write_dump(tables: dict[str, pl.DataFrame], outcomes: pl.DataFrame, out: Path) -> dict[str, dict]:
    """Write each table's canonical CSV and digests.json into `out`; the digests (rows, sha256 per table)."""
    out.mkdir(parents=True, exist_ok=True)
    digests: dict[str, dict] = {}
    for name, df in {**tables, OUTCOMES: outcomes}.items():
        data = csv_bytes(canonical(df, table_key(name)))
        (out / f"{name}.csv").write_bytes(data)
        digests[name] = {"rows": len(df), "sha256": hashlib.sha256(data).hexdigest()}
    (out / DIGESTS).write_text(json.dumps(digests, indent=2) + "\n", encoding="utf-8")
    return digests


def dump(project: Path, out: Path, devset: bool = False, texts: Path | None = None, limit: int | None = None) -> dict[str, dict]:
    """Run the per-notice path on a corpus or the development set and write the canonical dump; its digests."""
    if devset:
        tasks = devset_tasks(project, texts or project / "data" / "devset" / "texts", limit)
    else:
        tasks = corpus_tasks(project, limit)
    if not tasks:
        raise SystemExit(f"no notices found in {project}" + (" (development set)" if devset else ""))
    tables, outcomes = run_tasks(tasks)
    return write_dump(all_tables(tables), outcomes, out)


# --------------------------------------------------------------------------- comparing two dumps

def read_dump(folder: Path) -> dict[str, dict]:
    """The digests of a dump folder (raises SystemExit when it is not one)."""
    path = folder / DIGESTS
    if not path.is_file():
        raise SystemExit(f"{folder} is not a dump of compare_rows.py (no {DIGESTS})")
    return json.loads(path.read_text(encoding="utf-8"))


def read_canonical(path: Path) -> pl.DataFrame:
    """A dumped table, every column as text (an empty cell read as null)."""
    return pl.read_csv(path, infer_schema=False) if path.stat().st_size else pl.DataFrame()


def key_text(row: dict, key: list[str]) -> str:
    """A row's key as one printable string."""
    return "|".join("" if row[k] is None else str(row[k]) for k in key)


def differing_keys(before: pl.DataFrame, after: pl.DataFrame, key: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Keys only before, only after, and in both with other values (each sorted)."""
    if before.columns != after.columns:
        shared = [c for c in before.columns if c in after.columns]
        before, after = before.select(shared), after.select(shared)
    keys_b = {key_text(r, key): r for r in before.iter_rows(named=True)}
    keys_a = {key_text(r, key): r for r in after.iter_rows(named=True)}
    only_b = sorted(set(keys_b) - set(keys_a))
    only_a = sorted(set(keys_a) - set(keys_b))
    changed = sorted(k for k in set(keys_b) & set(keys_a) if keys_b[k] != keys_a[k])
    return only_b, only_a, changed


def compare_table(before: Path, after: Path, name: str, shown: int = 5) -> tuple[bool, str]:
    """(identical?, a one-line verdict) for one table of two dumps."""
    path_b, path_a = before / f"{name}.csv", after / f"{name}.csv"
    if not path_b.is_file() or not path_a.is_file():
        return False, f"{name}: only in {'the second' if path_a.is_file() else 'the first'} dump"
    if path_b.read_bytes() == path_a.read_bytes():
        return True, f"{name}: identical"
    df_b, df_a = read_canonical(path_b), read_canonical(path_a)
    columns = "" if df_b.columns == df_a.columns else f" (columns differ: {sorted(set(df_b.columns) ^ set(df_a.columns))})"
    only_b, only_a, changed = differing_keys(df_b, df_a, table_key(name))
    n = len(only_b) + len(only_a) + len(changed)
    parts = [f"{label} {', '.join(keys[:shown])}{' …' if len(keys) > shown else ''}"
             for label, keys in (("changed:", changed), ("only before:", only_b), ("only after:", only_a)) if keys]
    return False, f"{name}: {n} rows differ{columns} ({len(df_b)} before, {len(df_a)} after)" + ("; " if parts else "") + "; ".join(parts)


def compare(before: Path, after: Path, shown: int = 5) -> tuple[bool, list[str]]:
    """(identical?, one line per table) for two dump folders."""
    names = list(dict.fromkeys([*read_dump(before), *read_dump(after)]))
    results = [compare_table(before, after, name, shown) for name in names]
    return all(same for same, _ in results), [line for _, line in results]


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, dump or compare; the exit code (1 when two dumps differ)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    d = commands.add_parser("dump", help="run the per-notice path and write canonical tables and digests")
    d.add_argument("project", type=Path, help="a project folder (data/raw/manifest.csv, data/reference, data/dictionaries)")
    d.add_argument("out", type=Path, help="folder to write <table>.csv, _outcomes.csv and digests.json into")
    d.add_argument("--devset", action="store_true", help="read the development set's texts instead of the raw corpus")
    d.add_argument("--texts", type=Path, help="folder of the development set's texts (default PROJECT/data/devset/texts)")
    d.add_argument("--limit", type=int, help="only the first N notices (in id order)")
    c = commands.add_parser("compare", help="compare two dumps table by table; exit 1 on any difference")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    c.add_argument("--show", type=int, default=5, help="differing keys shown per table (default 5)")
    options = parser.parse_args(argv)
    if options.command == "dump":
        digests = dump(options.project.resolve(), options.out, options.devset, options.texts, options.limit)
        for name, info in digests.items():
            print(f"{name}: {info['rows']} rows, sha256 {info['sha256'][:16]}")
        return 0
    same, lines = compare(options.before, options.after, options.show)
    print("\n".join(lines))
    print("identical" if same else "DIFFERENT")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
