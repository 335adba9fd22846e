"""The codebook (docs/codebook.md, data/processed/codebook.md), generated from the declarations."""

from __future__ import annotations

from analysis.contract.indicators import INDICATORS
from analysis.contract.schema import Table
from analysis.contract.tables import PARTITIONED_TABLES, PARTS, TABLES
from analysis.contract.values import STAGES


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return (text or "").replace("|", "\\|").replace("\n", " ")


def files_of(table: Table) -> str:
    """Where a table's files are in data/processed, and what `notices export` makes of it, for its heading line."""
    if table.name in PARTITIONED_TABLES:
        return (f"`{table.stem}/part-XX.parquet` (partitioned by notice id; `notices export` writes one file, "
                f"`{table.stem}.parquet` or `.csv`)")
    return ", ".join(f"`{table.stem}.{ext}`" for ext in table.files)


def _references(table: Table) -> str:
    """' · *references:* `problem_key` → problems …' for a table's foreign keys (empty without any)."""
    if not table.references:
        return ""
    return " · *references:* " + ", ".join(f"`{', '.join(r.columns)}` → [`{r.table}`](#{r.table})" for r in table.references)


def codebook_markdown() -> str:
    """The codebook (docs/codebook.md, data/processed/codebook.md) generated from the declarations."""
    lines = [
        "# Codebook",
        "",
        "Generated from the data contract (`analysis/contract/`) by `notices codebook`; do not edit by hand.",
        "Every table is validated against this contract before it is written to `data/processed/`, the build's store. "
        f"A table whose rows each belong to one notice is a Parquet dataset of up to {PARTS} parts, "
        "`<table>/part-XX.parquet`: a notice's rows are always in part XX = the first four bytes of SHA-256 of its id "
        f"modulo {PARTS}, sorted by the table's key, so a build after one notice changed rewrites one part of each. Read "
        "such a table whole with `pl.scan_parquet(\"data/processed/<table>/*.parquet\")` or "
        "`analysis.build.store.read_table`. The other tables are written as `<table>.parquet` and `<table>.csv`. "
        "`notices export --format csv` writes every table as one CSV file, with this codebook and `datapackage.json`, "
        "a Frictionless Data Package of the same tables (types, allowed values, primary and foreign keys) that "
        "`frictionless validate` checks the files against; `--format parquet` writes one Parquet file per table; "
        "`notices release` archives both. Offsets (`start`, `end`) index the notice's normalised text, "
        "`data/processed/text/<notice_id>.txt`: `text[start:end]` is the evidence of the row.",
        "",
        "## Tables",
        "",
        "| table | stage | one row per | key |",
        "|---|---|---|---|",
    ]
    ordered = sorted(TABLES.values(), key=lambda t: STAGES.index(t.stage))
    for table in ordered:
        lines.append(f"| [`{table.name}`](#{table.name}) | {table.stage} | {_cell(table.grain)} | `{', '.join(table.key)}` |")
    for table in ordered:
        lines += ["", f"## {table.name}", "", f"*Stage:* {table.stage} · *one row per* {table.grain} · *key:* "
                  f"`{', '.join(table.key)}` · *files:* " + files_of(table) + _references(table)]
        if table.notes:
            lines += ["", table.notes]
        lines += ["", "| column | type | meaning | how derived | example |", "|---|---|---|---|---|"]
        for c in table.columns:
            meaning = c.meaning + ("" if c.nullable else " *Never null.*")
            if c.values:
                meaning += " Values: " + ", ".join(f"`{v}`" for v in c.values) + "."
            lines.append(f"| `{c.name}` | {c.dtype} | {_cell(meaning)} | {_cell(c.derivation)} | {_cell(c.example)} |")
    lines += ["", "## Indicator definitions", "",
              "Each indicator is defined before it is computed: formula, denominator and caveats. Values are in the "
              "`indicators` table (one row per notice) unless noted.", ""]
    for ind in INDICATORS:
        lines += [f"### `{ind.name}`", "", ind.label, "", f"- *Formula:* {ind.formula}", f"- *Denominator:* {ind.denominator}",
                  f"- *Caveats:* {ind.caveats}", ""]
    return "\n".join(lines).rstrip() + "\n"
