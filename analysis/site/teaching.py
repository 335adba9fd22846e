"""Teaching notebooks: answers that state facts about whatever corpus they run on, and check themselves.

An answer is computed in the notebook from the tables and shown with `Answer` (Markdown only). Its
self-checks compare what the tables say with what the notice itself says — its declared totals, the
characters at the recorded offsets, the evidence the network keeps. A check that does not pass is
shown on the page as a warning (what was expected, what was found, what a difference may mean) and
recorded in the output's metadata so the notebook runner lists it; it never raises, so a teaching
notebook never fails a build because the corpus changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from analysis.contract.values import STATUS_VALUES
from analysis.errors import ProjectError
from analysis.site.execution import SELF_CHECK_KEY
from analysis.site.views import cell

STATUS_WORDS = {"completed": "completed", "long_term": "long-term", "in_progress": "in progress", "unknown": "without a status"}
DECLARED_ITEMS = {"completed": "declared_items_completed", "long_term": "declared_items_long_term",
                  "in_progress": "declared_items_in_progress"}
DECLARED_COLUMNS = (*DECLARED_ITEMS.values(), "declared_problems_completed")  # the notices columns of declared totals


@dataclass(frozen=True)
class Check:
    """One self-check: what the notice (or the other tables) say against what the answer found."""

    claim: str
    expected: object
    found: object
    why: str = ""  # what a difference may mean

    @property
    def ok(self) -> bool:
        """Whether the two agree."""
        return self.expected == self.found

    def describe(self) -> str:
        """The check in words (Markdown-safe)."""
        return f"{cell(self.claim)}: expected {cell(self.expected)}, found {cell(self.found)}"


@dataclass
class Answer:
    """An answer cell's output: Markdown text and self-checks; a failed check is a visible warning, never an error."""

    parts: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    def say(self, text: str) -> "Answer":
        """Add a paragraph (Markdown written by the notebook; escape notice text with views.cell)."""
        self.parts.append(text)
        return self

    def check(self, claim: str, expected: object, found: object, why: str = "") -> "Answer":
        """Add a self-check."""
        self.checks.append(Check(claim, expected, found, why))
        return self

    def failed(self) -> list[Check]:
        """The checks that did not pass."""
        return [c for c in self.checks if not c.ok]

    def markdown(self) -> str:
        """The answer, then its self-checks: one line when all pass, a warning callout listing those that do not."""
        text = "\n\n".join(self.parts)
        failed = self.failed()
        if self.checks and not failed:
            text += "\n\n*Self-check passed:* " + "; ".join(c.describe() for c in self.checks) + "."
        if failed:
            lines = [f"- {c.describe()}." + (f" {c.why}" if c.why else "") for c in failed]
            text += ("\n\n::: {.callout-warning}\n**Self-check did not pass on this corpus.** The answer above is computed "
                     "from the tables; the checks below compare it with what the notice says:\n\n" + "\n".join(lines) + "\n:::")
        return text + "\n"

    def _repr_mimebundle_(self, include=None, exclude=None):
        text = self.markdown()
        metadata = {SELF_CHECK_KEY: {"failed": [c.describe() for c in self.failed()]}} if self.failed() else {}
        return {"text/markdown": text, "text/plain": text}, metadata

    def __str__(self) -> str:
        return self.markdown()


def pick(df: pl.DataFrame, *preferences: pl.Expr) -> dict | None:
    """The first row matching the first preference that any row matches; else the first row; None for no rows."""
    for condition in preferences:
        chosen = df.filter(condition)
        if chosen.height:
            return chosen.row(0, named=True)
    return df.row(0, named=True) if df.height else None


def opening(text: str, title: str | None) -> str:
    """The notice's first line of text that is not its title (the opening paragraph, as a rule)."""
    for line in text.split("\n"):
        if line.strip() and line.strip() != (title or "").strip():
            return line.strip()
    return ""


def declared_statuses(notice: dict) -> dict[str, int]:
    """Problem or item counts by status that the notice declares (its 事项 totals, else completed problems)."""
    items = {status: notice[column] for status, column in DECLARED_ITEMS.items() if notice.get(column) is not None}
    if items:
        return items
    completed = notice.get("declared_problems_completed")
    return {"completed": completed} if completed is not None else {}


def status_counts(counts: dict[str, int]) -> str:
    """'19 completed, 1 long-term' in the order of the status values."""
    ordered = [f"{counts[s]} {STATUS_WORDS[s]}" for s in STATUS_VALUES if s in counts]
    return ", ".join(ordered) if ordered else "none"


def evidence(notice_fields: pl.DataFrame, text: str) -> dict[str, str]:
    """The words each metadata field was read from (field → text[start:end]), for fields with offsets."""
    rows = notice_fields.filter(pl.col("start").is_not_null() & pl.col("end").is_not_null())
    return {r["field"]: text[r["start"]:r["end"]] for r in rows.iter_rows(named=True)}


def spans_match(text: str, rows: pl.DataFrame, column: str) -> int:
    """How many rows' `column` equals the characters at their own offsets (text[start:end])."""
    return sum(text[start:end] == words for start, end, words in rows.select("start", "end", column).iter_rows())


# --------------------------------------------------------------------------- choosing the example notice


READING_FEATURES = {  # what the exercises of "Reading a notice" need of their notice, in exercise order
    "declares": "declared completion totals (exercise 1)",
    "dated": "a feedback date and a signature date (exercise 2)",
    "figure": "a figure whose object was read (exercise 3)",
    "measures": "a problem with at least two measures (exercise 4)",
}


def reading_features(notices: pl.DataFrame, figures: pl.DataFrame, problems: pl.DataFrame) -> pl.DataFrame:
    """Per notice, which of READING_FEATURES it has (a boolean column each) and how many (`score`)."""
    declared = pl.any_horizontal([pl.col(c).is_not_null() for c in DECLARED_COLUMNS])
    has = notices.select("notice_id", declared.alias("declares"),
                         (pl.col("feedback_date").is_not_null() & pl.col("signature_date").is_not_null()).alias("dated"))
    for name, ids in (("figure", figures.filter(pl.col("what").is_not_null()).get_column("notice_id")),
                      ("measures", problems.filter(pl.col("measures") >= 2).get_column("notice_id"))):
        has = has.with_columns(pl.col("notice_id").is_in(ids.unique().implode()).alias(name))
    return has.with_columns(pl.sum_horizontal(list(READING_FEATURES)).alias("score")).sort("notice_id")


def choose_example(features: pl.DataFrame, notice_id: str | None = None, prefer: str | None = None) -> tuple[str, list[str]]:
    """(the notice a teaching notebook shows, the features of READING_FEATURES it lacks): the one asked for, else the
    notice with the most features — `prefer` among those if it is one of them, else the first by id."""
    if features.is_empty():
        raise ProjectError("the corpus has no notices: run `notices build` first")
    if notice_id is None:
        best = features.filter(pl.col("score") == pl.col("score").max()).get_column("notice_id").to_list()
        notice_id = prefer if prefer in best else best[0]
    row = features.filter(pl.col("notice_id") == notice_id)
    if row.is_empty():
        raise ProjectError(f"unknown notice id {notice_id!r}")
    return notice_id, [text for name, text in READING_FEATURES.items() if not row.get_column(name)[0]]


def example_note(notice_id: str, lacking: list[str], asked: bool) -> str:
    """Why this notice is the example, or what it lacks (Markdown)."""
    if not lacking:
        return (f"This page follows `{notice_id}`" + ("" if asked else ", a notice of this corpus with everything the "
                "exercises use") + ": declared totals, dated feedback and signature, a figure, a problem with several measures.")
    whose = "The notice asked for" if asked else "No notice of this corpus has everything the exercises use; the closest,"
    return (f"::: {{.callout-note}}\n{whose} `{notice_id}`, lacks " + "; ".join(lacking) +
            ". Those exercises say so instead of answering.\n:::")


def listed(values: list[str], limit: int = 20) -> str:
    """Ids (plain [a-z0-9-] names, as notice ids are) as inline code, comma-separated, the first `limit` of them and how many more."""
    shown = ", ".join(f"`{v}`" for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")
