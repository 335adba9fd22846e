"""Commands about the data itself: eval (annotations, development set), codebook, add (the raw register)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.table import Table as RichTable

from analysis.cli.app import NoWaitOption, RootOption, app, console, fail, make_config, progress_bar, writing
from analysis.config import BuildConfig
from analysis.errors import ProjectError

if TYPE_CHECKING:
    from analysis.build.register import RegisterEntry


def eval_devset(config: BuildConfig, devset: Path, texts: Path, show: int, record: bool) -> None:
    """Score the notice-level fields of the development set of real notices; print per genre and per field."""
    from analysis.corpus.devset import read_devset, run_devset, scores_markdown, tally

    try:
        records = read_devset(devset)
    except (OSError, ValueError) as exc:
        fail(f"cannot read the development set: {exc}", 2)
    if not texts.is_dir():
        fail(f"no folder {texts}: the development set's texts are kept locally (see docs/annotation-guide.md)", 2)
    with progress_bar("devset") as bar:
        task = bar.add_task("devset", total=len(records))
        run = run_devset(records, texts, config.paths.root, lambda done, total: bar.update(task, completed=done))
    for label, by in (("genre", "genre"), ("field", "field")):
        table = RichTable(label, "stated", "found", "wrong", "missed", "false pos.", "found %", "false pos. %", box=None)
        for row in tally(run.checks, by):
            share = row["found_share"]
            table.add_row(row[by], str(row["stated"]), str(row["found"]), str(row["wrong"]), str(row["missed"]),
                          str(row["false_positive"]), "–" if share is None else f"{100 * share:.1f}%",
                          "–" if row["false_positive_share"] is None else f"{100 * row['false_positive_share']:.1f}%",
                          style="" if share is None or share >= 0.95 else "yellow")
        console.print(table)
    for nid, reason, message in run.quarantined:
        console.print(f"[red]quarantined[/] {nid}: {reason} — {message}")
    for nid, why in run.skipped:
        console.print(f"[yellow]skipped[/] {nid}: {why}")
    wrong = [c for c in run.checks if c.outcome in ("wrong", "missed", "false_positive")]
    for check in wrong[:show]:
        console.print(f"[yellow]{check.notice_id}[/] {check.field} {check.outcome}: gold {check.gold!r}, read {check.got!r}")
    if len(wrong) > show:
        console.print(f"… {len(wrong) - show} more (raise --show)")
    if record:
        path = config.paths.root / "docs" / "devset.md"
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        from analysis.corpus.devset import SCORES_MARKER as marker
        head = text.split(marker)[0].rstrip() + "\n\n" if marker in text else text
        path.write_text(head + marker + "\n\n" + scores_markdown(run), encoding="utf-8")
        console.print(f"wrote the scores into {path.relative_to(config.paths.root)}")


@app.command("eval")
def eval_(
    root: Optional[Path] = RootOption,
    devset: Optional[Path] = typer.Option(None, "--devset", dir_okay=False, help="Score the development set of real notices "
                                          "(data/annotations/devset.jsonl) instead of the shipped annotations."),
    texts: Optional[Path] = typer.Option(None, "--texts", file_okay=False, help="Folder holding the development set's texts "
                                         "(<id>.txt, kept locally, never committed; default data/devset/texts)."),
    show: int = typer.Option(40, "--show", min=0, help="With --devset: how many disagreements to print."),
    record: bool = typer.Option(False, "--record", help="With --devset: write the score tables into docs/devset.md."),
) -> None:
    """Compare data/processed with the hand annotations in data/annotations/ and print per-field accuracy, then the
    per-table precision recorded by `notices audit` judgement files (data/annotations/audits/).

    With --devset, read each real notice of the development set (texts in --texts, checked against
    their recorded SHA-256) with the per-notice stages and score every notice-level field per genre:
    found, wrong, missed and false positives.
    """
    if devset is not None:
        config = make_config(root)
        eval_devset(config, devset, texts or config.paths.root / "data" / "devset" / "texts", show, record)
        return
    from analysis.corpus.evaluate import all_required_perfect, evaluate
    from analysis.build.store import read_tables

    config = make_config(root)
    try:
        tables = read_tables(config.paths.processed, ["notices", "problems", "documents", "agencies", "dates", "figures"])
    except ProjectError as exc:
        fail(str(exc))
    summary, differences = evaluate(config.paths.annotations, tables)
    table = RichTable("section", "field", "correct", "total", "accuracy", "required", box=None)
    for row in summary.sort(["section", "field"]).iter_rows(named=True):
        style = "" if row["correct"] == row["total"] else ("red" if row["required"] else "yellow")
        table.add_row(row["section"], row["field"], str(row["correct"]), str(row["total"]),
                      f"{100 * (row['accuracy'] or 0):.1f}%", "yes" if row["required"] else "reported", style=style)
    console.print(table)
    for row in differences.iter_rows(named=True):
        console.print(f"[yellow]{row['notice_id']}[/] {row['section']}.{row['field']} {row['item']}: "
                      f"annotated {row['expected']!r}, tables {row['got']!r}")
    from analysis.cli.audit_commands import print_audit_summary

    print_audit_summary(config.paths.annotations / "audits")
    if not all_required_perfect(summary):
        fail("some required fields are below 100% (see the differences above)", 4)
    console.print("[green]every required field is at 100%[/]")


STAGES_BEGIN, STAGES_END = "<!-- stages -->\n", "<!-- /stages -->"


def with_stage_table(architecture: str, table: str) -> str:
    """docs/architecture.md with the generated stage table between its markers."""
    start, end = architecture.index(STAGES_BEGIN) + len(STAGES_BEGIN), architecture.index(STAGES_END)
    return architecture[:start] + table + architecture[end:]


@app.command()
def codebook(
    root: Optional[Path] = RootOption,
    check: bool = typer.Option(False, "--check", help="Only check that the generated documents are up to date (exit 1 if not)."),
) -> None:
    """Write docs/codebook.md from the data contract (analysis/contract/) and the stage table of docs/architecture.md
    from the stage list (analysis/build/stages.py)."""
    from analysis.build.stages import stages_markdown
    from analysis.contract.codebook import codebook_markdown

    config = make_config(root)
    docs = config.paths.root / "docs"
    codebook_path, architecture_path = docs / "codebook.md", docs / "architecture.md"
    generated = {codebook_path: codebook_markdown()}
    if architecture_path.is_file():
        generated[architecture_path] = with_stage_table(architecture_path.read_text(encoding="utf-8"), stages_markdown())
    for path, text in generated.items():
        name = path.relative_to(config.paths.root).as_posix()
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                fail(f"{name} is out of date: run `notices codebook`")
            console.print(f"{name} is up to date")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        console.print(f"wrote {name}")


@app.command()
def add(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The raw notice (.txt or .html) to add, exactly as collected."),
    notice_id: str = typer.Option(..., "--id", help="Short id: place-body-year, lower case, e.g. qingdao-sthjj-2024."),
    source_url: str = typer.Option("", "--source-url", help="Where the copy came from (leave empty if unknown)."),
    publisher: str = typer.Option("", "--publisher", help="Who published the page."),
    collected_on: str = typer.Option("", "--collected-on", help="Date the copy was collected (YYYY-MM-DD)."),
    body_as_signed: str = typer.Option("", "--body", help="The signing body exactly as printed."),
    signature_date: str = typer.Option("", "--signature-date", help="The signature date exactly as printed, e.g. 2024年4月19日."),
    script: str = typer.Option("", "--script", help="simplified or traditional, as you read it."),
    terms: str = typer.Option("", "--terms", help="Licence or terms note. Start it with `redistributable:` (e.g. "
                              "\"redistributable: the page allows republishing, CC BY 4.0\") only when the raw copy may be "
                              "republished: `notices release` includes only such raw copies."),
    notes: str = typer.Option("", "--notes", help="Collection notes (what you know about the copy)."),
    replace: bool = typer.Option(False, "--replace", help="Replace the file and row of an existing id."),
    root: Optional[Path] = RootOption,
    no_wait: bool = NoWaitOption,
) -> None:
    """Copy a raw notice into data/raw/notices/ byte for byte and record it in data/raw/manifest.csv.

    Holds the lock on data/, so several `notices add` at once each add their row.
    """
    from analysis.build.register import RegisterEntry, id_problem

    config = make_config(root)
    suffix = file.suffix.lower() if file.suffix.lower() in (".txt", ".html", ".htm") else ".txt"
    entry = RegisterEntry(notice_id, f"notices/{notice_id}{suffix}", "", 0, file.name, body_as_signed, signature_date, script,
                          source_url, publisher, collected_on, terms, notes)
    why = id_problem(entry)
    if why:
        fail(why, 2)
    with writing(config, "add", no_wait):
        try:
            entry = add_notice(config, file, entry, replace)
        except ProjectError as exc:
            fail(str(exc), 2)
    console.print(f"added {entry.file} ({entry.bytes} bytes, sha256 {entry.sha256[:12]}…) to data/raw/manifest.csv")
    if not (body_as_signed and signature_date):
        console.print("[yellow]fill in body_as_signed and signature_date_as_printed in the manifest by reading the notice[/]")


def add_notice(config: BuildConfig, file: Path, entry: "RegisterEntry", replace: bool) -> "RegisterEntry":
    """Copy the file into place and write its manifest row (the caller holds the lock); the row written."""
    from analysis.build.files import atomic_write_bytes
    from analysis.build.register import RegisterEntry, read_register, sha256_bytes, write_register

    notice_id = entry.notice_id
    entries = read_register(config.paths.register) if config.paths.register.is_file() else []
    existing = [e for e in entries if e.notice_id == notice_id]
    if existing and not replace:
        raise ProjectError(f"{notice_id} is already in the manifest; pass --replace to record a new copy")
    data = file.read_bytes()
    target = config.paths.raw / entry.file
    if file.resolve() != target.resolve():
        atomic_write_bytes(target, data)
    if existing:
        old = existing[0]
        kept = {k: getattr(entry, k) or getattr(old, k) for k in ("original_file", "body_as_signed", "signature_date_as_printed",
                                                                   "script", "source_url", "publisher", "collected_on", "terms",
                                                                   "collection_notes")}
        entry = RegisterEntry(notice_id, entry.file, "", 0, **kept)
    entry = RegisterEntry(**{**entry.__dict__, "sha256": sha256_bytes(data), "bytes": len(data)})
    if existing:
        write_register(config.paths.register, [entry if e.notice_id == notice_id else e for e in entries])
    else:
        write_register(config.paths.register, [*entries, entry])
    return entry
