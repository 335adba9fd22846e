"""`notices audit`: draw a random sample of a table's rows on real notices, show their evidence, write a judgement file."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table as RichTable

from analysis.cli.app import RootOption, app, console, fail, make_config, progress_bar


@app.command()
def audit(
    table: str = typer.Option(..., "--table", help="Table to audit: agencies, measures, documents, figures or dates."),
    sample: int = typer.Option(40, "--sample", min=1, help="How many rows to draw."),
    seed: int = typer.Option(..., "--seed", help="Seed of the random draw (the same seed and code draw the same rows)."),
    texts: Optional[Path] = typer.Option(None, "--texts", file_okay=False, help="Folder of the development set's texts "
                                         "(<id>.txt, kept locally, never committed; default data/devset/texts)."),
    devset: Optional[Path] = typer.Option(None, "--devset", dir_okay=False,
                                          help="Development-set records (default data/annotations/devset.jsonl)."),
    out: Optional[Path] = typer.Option(None, "--out", file_okay=False,
                                       help="Folder of judgement files (default data/annotations/audits)."),
    notices: list[str] = typer.Option([], "--notices", help="Draw only from notices whose id starts with this prefix "
                                      "(repeatable), e.g. a batch never read while tuning."),
    label: str = typer.Option("", "--label", help="A word stored with the judgements, e.g. tuning or final."),
    width: int = typer.Option(50, "--width", min=0, help="Characters of context shown on each side of a row's span."),
    force: bool = typer.Option(False, "--force", help="Overwrite a judgement file that already has verdicts filled in."),
    no_file: bool = typer.Option(False, "--no-file", help="Only print the sample; write no judgement file."),
    root: Optional[Path] = RootOption,
) -> None:
    """Audit a table's precision on real notices: read every text of --texts with the per-notice stages (a text of the
    development set only when it matches its recorded SHA-256; any other <id>.txt as it is, kept by its hash), draw
    --sample rows of --table at random with --seed, print each with the words around its offsets, and write
    <out>/<table>-seed<N>.csv with the rows' keys and offsets and empty verdict, error_type and note cells.

    Fill in the verdicts by reading (correct, wrong or unclear; error_type a short word such as place, level,
    not_a_title; note in your own words — never copy a notice's text), then `notices eval` prints per-table
    precision from every judgement file. A file that has verdicts is not overwritten without --force.
    """
    from analysis.corpus.audit import (AUDIT_TABLES, audit_texts, describe, has_verdicts, judgement_csv, judgement_path, only_notices,
                                       read_texts, sample_rows)
    from analysis.corpus.devset import read_devset

    if table not in AUDIT_TABLES:
        fail(f"--table must be one of {', '.join(AUDIT_TABLES)}", 2)
    config = make_config(root)
    root_dir = config.paths.root
    texts = texts or root_dir / "data" / "devset" / "texts"
    if not texts.is_dir():
        fail(f"no folder {texts}: the development set's texts are kept locally (see docs/devset.md)", 2)
    folder = out or config.paths.annotations / "audits"
    path = judgement_path(folder, table, seed)
    if not no_file and has_verdicts(path) and not force:
        fail(f"{path.name} already has verdicts; pass --force to draw it again (the verdicts are lost) or use another --seed", 2)
    try:
        records = read_devset(devset or config.paths.annotations / "devset.jsonl")
    except (OSError, ValueError) as exc:
        fail(f"cannot read the development set: {exc}", 2)
    found = only_notices(audit_texts(records, texts), notices)
    with progress_bar("reading") as bar:
        task = bar.add_task("reading", total=len(found))
        notices = read_texts(found, root_dir, lambda done, total: bar.update(task, completed=done))
    sampled = sample_rows(notices, table, sample, seed)
    total = sum(len(n.tables.get(table, [])) for n in notices)
    typer.echo(f"{len(sampled)} of {total} {table} rows from {len(notices)} notices (seed {seed})")
    for notice, row in sampled:
        typer.echo(describe(table, notice, row, width))
    if not no_file:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(judgement_csv(table, seed, label, sampled), encoding="utf-8")
        console.print(f"wrote {path}: fill in verdict (correct, wrong, unclear), error_type and note")


def print_audit_summary(folder: Path) -> None:
    """Per-table precision from the judgement files in a folder (nothing when there are none)."""
    from analysis.corpus.audit import audit_summary

    try:
        summary = audit_summary(folder)
    except (OSError, ValueError) as exc:
        fail(f"cannot read the judgement files: {exc}", 2)
    if not summary:
        return
    table = RichTable("table", "seed", "label", "judged", "correct", "wrong", "unclear", "precision", box=None)
    for row in sorted(summary, key=lambda r: (r["table"], r["label"] != "final", r["seed"])):
        precision = "–" if row["precision"] is None else f"{100 * row['precision']:.1f}%"
        table.add_row(row["table"], str(row["seed"]), row["label"], str(row["judged"]), str(row["correct"]), str(row["wrong"]),
                      str(row["unclear"]), precision, style="bold" if row["label"] == "final" else "")
    console.print("precision audits on real notices (data/annotations/audits):")
    console.print(table)
