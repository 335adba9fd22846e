"""The per-notice work of a build: one raw file through the per-notice stages, in a worker process.

A task names the stage steps to run (taken from the declared stage list, `analysis.build.stages`,
up to `--until`); the worker runs them, checks the rows against the contract and returns them as
typed frames for a chunk of notices at a time (as Arrow IPC bytes from a Dask task; where chunks run
is `analysis.build.engines`). It never raises: a notice that fails becomes an
outcome with its stage, reason and message, and goes to quarantine alone.
"""

from __future__ import annotations

import gc
import hashlib
import io
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Callable, Iterator

import polars as pl

from analysis.contract.schema import SchemaError, frame
from analysis.contract.tables import TABLES
from analysis.errors import NoticeError
from analysis.extract.notice import NoticeReading, reading_rows
from analysis.extract.rows import Columns
from analysis.read.resources import Resources, load_resources

Step = Callable[[NoticeReading, Resources], None]


@dataclass(frozen=True)
class NoticeTask:
    """What a worker needs to process one notice (picklable: steps are module-level functions)."""

    notice_id: str
    file: str
    path: str
    sha256: str
    max_bytes: int
    root: str
    steps: tuple[tuple[str, Step], ...]  # (stage name, step) in stage order
    text_dir: str | None = None  # where to write the normalised text (the staging folder's text/)


@dataclass
class NoticeOutcome:
    """What one notice yielded — its rows per table and its text's hash — or why it failed."""

    notice_id: str
    file: str
    sha256: str
    text_sha256: str | None = None
    text_bytes: int = 0
    rows: dict[str, Columns] = field(default_factory=dict)  # column-wise, by table
    stage: str | None = None
    reason: str | None = None
    message: str | None = None
    carried: bool = False  # taken over from the last build instead of processed

    @property
    def ok(self) -> bool:
        """Whether the notice made it into the tables."""
        return self.reason is None


def notice_frames(rows: dict[str, Columns]) -> dict[str, pl.DataFrame]:
    """Typed frames (the tables' contracts) of column-wise rows, table by table."""
    return {name: frame(TABLES[name], table_rows) for name, table_rows in rows.items()}


def merged_frames(merged: dict[str, Columns]) -> dict[str, pl.DataFrame]:
    """`notice_frames` of rows merged by `merge_rows`, each sorted by its key without the in-order test first: a
    chunk's rows are seldom in key order (paths 1.10 before 1.2, keys d10 before d2), so the test mostly comes before a
    sort anyway."""
    return {name: frame(TABLES[name], columns, order_test=False) for name, columns in merged.items()}


@cache
def declared_columns(name: str) -> tuple[list[str], frozenset[str]]:
    """A table's column names, in declared order and as a set (the contract's list is made afresh at every call)."""
    names = TABLES[name].column_names
    return names, frozenset(names)


def check_rows(rows: dict[str, Columns]) -> None:
    """Raise SchemaError if a table's rows carry a column it does not declare or columns of unequal length (cheap; types
    are checked in frames)."""
    for name, columns in rows.items():
        if not declared_columns(name)[1].issuperset(columns):
            undeclared = set(columns) - declared_columns(name)[1]
            raise SchemaError(f"table {name}: rows carry undeclared column(s) {', '.join(sorted(undeclared))}")
        if len({len(values) for values in columns.values()}) > 1:
            raise SchemaError(f"table {name}: columns of unequal length")


def merge_rows(merged: dict[str, Columns], rows: dict[str, Columns]) -> None:
    """Append one notice's rows to the rows merged so far (every declared column; null where a notice has none)."""
    for name, columns in rows.items():
        into = merged.get(name)
        if into is None:
            into = merged[name] = {column: [] for column in declared_columns(name)[0]}
        count = len(next(iter(columns.values()), []))
        for column, values in into.items():
            values.extend(columns.get(column) or [None] * count)


def row_counts(rows: dict[str, Columns]) -> dict[str, int]:
    """How many rows a notice has in each of its tables."""
    return {name: len(next(iter(columns.values()), [])) for name, columns in rows.items()}


def notices_rows(merged: dict[str, Columns], counts: list[dict[str, int]]) -> list[dict[str, Columns]]:
    """The rows of each notice again, cut out of the rows `merge_rows` merged (`counts`: each notice's `row_counts`, in
    merge order); a notice's rows then carry every declared column (null where it had none)."""
    taken = dict.fromkeys(merged, 0)
    rows = []
    for notice_counts in counts:
        notice = {}
        for name, count in notice_counts.items():
            start = taken[name]
            notice[name] = {column: values[start:start + count] for column, values in merged[name].items()}
            taken[name] = start + count
        rows.append(notice)
    return rows


# The cyclic collector's first threshold while a chunk is processed (Python's is 700): a notice's parse and
# extraction keep more than 700 containers alive until its rows are made, so at 700 the collector ran about once a
# notice and traversed them all, to find next to no garbage (the notice's cycles are its outline's few dozen nodes)
YOUNG_THRESHOLD = 5000


@contextmanager
def young_threshold(count: int) -> Iterator[None]:
    """Run the block with the cyclic collector's first threshold raised to `count` (left as it is if already as
    high, or 0), then put it back."""
    previous = gc.get_threshold()
    if not 0 < previous[0] < count:
        yield
        return
    gc.set_threshold(count, *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def process_chunk(tasks: list[NoticeTask]) -> tuple[list[NoticeOutcome], dict[str, pl.DataFrame]]:
    """Process some notices; their outcomes (rows moved out) and one typed frame per table for all of them.

    Building a frame has a fixed cost of about a millisecond, so frames are built for a chunk of
    notices, not per notice. If a chunk's rows do not fit a contract's types, each notice is tried
    alone and the ones that fail are quarantined (internal_error), so one notice cannot sink the rest.
    """
    with young_threshold(YOUNG_THRESHOLD):
        outcomes, counts, merged = [], [], {}
        for task in tasks:
            outcome = process_notice(task)
            # merged as soon as made, the notice's own lists freed: held to the chunk's end, a chunk's thousands of
            # lists made the cyclic collector run more often and move them to its older generations, whose full
            # collections scan the whole heap (the loaded resources too)
            counts.append(row_counts(outcome.rows))
            merge_rows(merged, outcome.rows)
            outcome.rows = {}
            outcomes.append(outcome)
        try:
            tables = merged_frames(merged)
        except Exception:  # find the notice(s) to blame
            merged, parts = {}, notices_rows(merged, counts)
            for outcome, rows in zip(outcomes, parts):
                if not outcome.ok:
                    continue
                try:
                    notice_frames(rows)
                except Exception as exc:
                    outcome.stage, outcome.reason = "assemble", "internal_error"
                    outcome.message = f"{type(exc).__name__}: {exc}; please report it"
                    continue
                merge_rows(merged, rows)
            tables = merged_frames(merged)
        return outcomes, tables


def frames_to_ipc(tables: dict[str, pl.DataFrame]) -> dict[str, bytes]:
    """Frames as Arrow IPC bytes (what a Dask task sends back: compact, typed, independent of pickling)."""
    encoded = {}
    for name, df in tables.items():
        buffer = io.BytesIO()
        df.write_ipc(buffer, compression="lz4")
        encoded[name] = buffer.getvalue()
    return encoded


def frames_from_ipc(blobs: dict[str, bytes]) -> dict[str, pl.DataFrame]:
    """The frames of `frames_to_ipc` again."""
    return {name: pl.read_ipc(io.BytesIO(blob)) for name, blob in blobs.items()}


def process_chunk_ipc(tasks: list[NoticeTask]) -> tuple[list[NoticeOutcome], dict[str, bytes]]:
    """`process_chunk` for a Dask task: the outcomes and each table's frame as Arrow IPC bytes."""
    outcomes, tables = process_chunk(tasks)
    return outcomes, frames_to_ipc(tables)


def process_notice(task: NoticeTask) -> NoticeOutcome:
    """Run the task's stage steps on one raw file and write its text; never raises (failures become outcomes).

    The rows are checked against the tables' contracts here (a notice whose rows break them is
    quarantined alone); they become typed frames a chunk of notices at a time (`process_chunk`).
    """
    outcome = NoticeOutcome(task.notice_id, task.file, task.sha256)
    stage = "ingest"
    try:
        reading = NoticeReading(task.notice_id, task.file, task.sha256, Path(task.path).read_bytes(), task.max_bytes)
        resources = load_resources(Path(task.root))
        for stage, step in task.steps:
            step(reading, resources)
            if stage == "ingest":
                text = reading.notice.text.encode("utf-8")
                outcome.text_sha256, outcome.text_bytes = hashlib.sha256(text).hexdigest(), len(text)
        stage = "assemble"
        rows = reading_rows(reading, resources)
        if "notices" in rows:
            rows["notices"]["text_sha256"] = [outcome.text_sha256]
        check_rows(rows)
        outcome.rows = rows
        if task.text_dir is not None:
            (Path(task.text_dir) / f"{task.notice_id}.txt").write_bytes(text)
    except NoticeError as exc:
        outcome.stage, outcome.reason, outcome.message = exc.stage or stage, exc.reason, exc.message
        outcome.rows = {}
    except Exception as exc:  # a bug must not stop the other notices, nor vanish
        last = traceback.extract_tb(exc.__traceback__)[-1]
        outcome.stage, outcome.reason, outcome.rows = stage, "internal_error", {}
        outcome.message = f"{type(exc).__name__}: {exc} (at {Path(last.filename).name}:{last.lineno}); please report it"
    return outcome


def chunks(tasks: list[NoticeTask], workers: int, largest: int = 32) -> list[list[NoticeTask]]:
    """Tasks cut into chunks: at most `largest`, and small enough that every process gets several."""
    size = max(1, min(largest, len(tasks) // (workers * 4) or 1))
    return [tasks[i:i + size] for i in range(0, len(tasks), size)]
