"""The site's side of the benchmark (site_bench: `site` is a module of Python's own): every notebook run on a generated corpus, the pages made, and their sizes.

`benchmarks/run.py` calls this for each generated corpus (unless `--no-site`): the corpus notebooks and
teaching notebooks are executed with papermill (2 at once, as `notices build` does), notice pages are
written from the tables, and then one notice is changed, the corpus rebuilt and the notebooks run again
(what an update costs, and how many pages it re-makes). Recorded: seconds per notebook, the largest
executed notebook (bytes on disk, and the Markdown Quarto renders from it), the notice pages (count,
largest, total). Quarto itself is not installable on the benchmark machine, so its time is an estimate:
pages × the 0.7 s per page of the last real render (docs/scaling.md), labelled as such.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

QUARTO_SECONDS_PER_PAGE = 0.7  # measured: 308 pages in 3 min 34 s (docs/scaling.md)
SKIPPED_FOLDERS = ("_failed", "_runs", "_site", ".quarto")


def copy_front_end(root: Path, project: Path) -> None:
    """The notebooks and the Quarto project's hand-written files, into a generated project (its notice pages, already
    written from its tables, are left as they are; none of a checkout's own pages is copied)."""
    shutil.copytree(root / "notebooks", project / "notebooks", dirs_exist_ok=True)

    def made(folder: str, names: list[str]) -> list[str]:
        generated = Path(folder).name == "notices"
        skipped = ("_site", "_failed", "_runs", ".runs.json", ".unrendered.json", ".pages.json", "figures",
                   "vega-bundle.js", ".quarto")
        return [n for n in names if n.endswith(".ipynb") or n in skipped or (generated and n.endswith(".qmd") and n != "index.qmd")]

    shutil.copytree(root / "reports", project / "reports", dirs_exist_ok=True, ignore=made)


def markdown_bytes(notebook: Path) -> int:
    """The Markdown Quarto renders from an executed notebook: markdown and code cells' sources and each output's
    text/markdown (else text/plain) — a chart's spec counted once, not twice as the .ipynb holds it."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    total = 0
    for cell in nb["cells"]:
        total += len("".join(cell.get("source", "")).encode("utf-8"))
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            text = data.get("text/markdown", data.get("text/plain", output.get("text", "")))
            total += len("".join(text).encode("utf-8"))
    return total


def page_sizes(reports: Path) -> dict:
    """Executed notebooks and generated notice pages of a site: counts, the largest, totals (bytes)."""
    pages = [p for p in reports.rglob("*") if p.suffix in (".ipynb", ".qmd") and p.is_file() and not p.name.startswith(".")
             and not any(part in SKIPPED_FOLDERS for part in p.relative_to(reports).parts)]
    executed = {p.relative_to(reports).as_posix(): p.stat().st_size for p in pages if p.suffix == ".ipynb"}
    generated = {p.relative_to(reports).as_posix(): p.stat().st_size for p in pages
                 if p.suffix == ".qmd" and p.parent.name == "notices" and p.name != "index.qmd"}
    largest = max(executed, key=executed.get) if executed else None
    biggest_page = max(generated, key=generated.get) if generated else None
    return {"pages": len(pages), "executed": executed,
            "largest_executed": {"page": largest, "bytes": executed.get(largest, 0),
                                 "markdown_bytes": markdown_bytes(reports / largest) if largest else 0},
            "notice_pages": {"count": len(generated), "bytes": sum(generated.values()),
                             "largest": {"page": biggest_page, "bytes": generated.get(biggest_page, 0)}}}


def step_site(project: Path) -> dict:
    """Run the site's notebooks on a built project (what changed since the last run; notice pages from the tables)."""
    from analysis.config import Paths
    from analysis.site.runner import run_notebooks

    started = time.perf_counter()
    report = run_notebooks(Paths(project), runs_at_once=2)
    if report.failed:
        raise SystemExit(f"notebooks failed: {report.failed}")
    return {"seconds": time.perf_counter() - started, "timings": report.timings, "executed": sorted(report.executed),
            "generated": len(report.generated_pages), "warnings": report.warnings, **page_sizes(project / "reports")}


def kb(n: int) -> str:
    """Bytes as kB or MB."""
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 1024:.0f} kB"


def summary_rows(size: str, site: dict) -> list[tuple[str, str, str, str]]:
    """(measure, value, target, verdict) rows for one corpus's site figures."""
    first, again = site["first"], site["again"]
    slowest = max(first["timings"], key=first["timings"].get)
    big, page = first["largest_executed"], first["notice_pages"]["largest"]
    estimate = first["pages"] * QUARTO_SECONDS_PER_PAGE
    return [
        (f"{size}: notebooks (papermill, 2 at once)", f"{len(first['executed'])} in {first['seconds']:.0f} s (slowest "
         f"{slowest} {first['timings'][slowest]:.0f} s); {first['generated']:,} notice pages written", "", ""),
        (f"{size}: largest executed notebook", f"{big['page']} {kb(big['bytes'])} (Markdown rendered from it: "
         f"{kb(big['markdown_bytes'])})", "< 1 MB", "met" if big["bytes"] < 2**20 else "missed"),
        (f"{size}: notice pages", f"{first['notice_pages']['count']:,}, {kb(first['notice_pages']['bytes'])} in all; largest "
         f"{page['page']} {kb(page['bytes'])}", "", ""),
        (f"{size}: notebooks after one notice changed", f"{again['seconds']:.0f} s: {len(again['executed'])} notebooks "
         f"re-executed, {again['generated']} notice page rewritten", "", ""),
        (f"{size}: Quarto full render (estimate, not measured)", f"{first['pages']:,} pages × {QUARTO_SECONDS_PER_PAGE} s ≈ "
         f"{estimate / 60:.0f} min", "", ""),
    ]
