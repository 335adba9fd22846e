"""The codebook (docs/codebook.md, data/processed/codebook.md), generated from the declarations."""

from __future__ import annotations

from analysis.contract.indicators import INDICATORS
from analysis.contract.schema import Table
from analysis.contract.tables import TABLES
from analysis.contract.values import STAGES


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return (text or "").replace("|", "\\|").replace("\n", " ")


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
        "Every table is written to `data/processed/` as Parquet and CSV, validated against this contract before it is "
        "written. Offsets (`start`, `end`) index the notice's normalised text, `data/processed/text/<notice_id>.txt`: "
        "`text[start:end]` is the evidence of the row. `data/processed/datapackage.json` describes the same tables as a "
        "Frictionless Data Package (types, allowed values, primary and foreign keys), so that `frictionless validate` "
        "can check the CSV files.",
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
                  f"`{', '.join(table.key)}` · *files:* " + ", ".join(f"`{table.stem}.{ext}`" for ext in table.files)
                  + _references(table)]
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
