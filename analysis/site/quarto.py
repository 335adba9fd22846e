"""The Quarto website: its offline assets, static figures for papers, and `quarto render reports/`.

* The site draws charts with Vega scripts served by its own extension (reports/_extensions/vega-offline),
  never from a CDN: `write_assets` writes the bundle (re-written only when vl-convert changes) and
  exports the key corpus charts as SVG and PNG into reports/figures/.
* `render_site` runs Quarto, which renders the executed notebooks without executing them, then checks the
  rendered site (`check.check_site`: offline, every internal link and listing resolves) and Quarto's output
  (no warning); without Quarto it says so plainly (exit code 5 on the command line) — everything before it
  is done.
* Incremental: every notebooks run adds the pages it made or removed to reports/.unrendered.json
  (`note_changes`); `render_site(changed_only=True)` (`notices site --changed`) renders only those, one
  `quarto render reports/<page>` each — Quarto re-renders the listings that list them and updates the
  search index for them — and deletes the HTML of removed pages (docs/scaling.md); the whole site is
  checked after either.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from analysis.build.store import read_table
from analysis.config import Paths
from analysis.site.check import check_site, report, warning_problems
from analysis.site.charts import OfflineChart, completion_chart, lags_chart, specificity_chart, theme_heatmap

VEGA_EXTENSION = Path("_extensions") / "vega-offline"
VEGA_BUNDLE = "vega-bundle.js"
QUARTO_MISSING = ("Quarto is not installed (no `quarto` command on PATH), so the website was not rendered. "
                  "Everything up to it is done: the executed notebooks are in reports/. To render the site, install Quarto: "
                  "the conda environment (`conda env create -f environment.yml`) has it, quarto.org has installers, and "
                  "`python3.11 tasks.py build` tries `pip install quarto-cli` (which downloads Quarto from github.com); "
                  "then run `notices site` (README, \"The website\").")


def write_assets(paths: Paths) -> None:
    """The offline Vega bundle for the site's extension, and PNG/SVG of the key charts for papers."""
    import vl_convert as vlc

    bundle = paths.reports / VEGA_EXTENSION / VEGA_BUNDLE
    stamp = f"// vl-convert {vlc.__version__}, Vega-Lite 6.4\n"
    if not bundle.is_file() or not bundle.read_text(encoding="utf-8").startswith(stamp):
        bundle.parent.mkdir(parents=True, exist_ok=True)
        bundle.write_text(stamp + vlc.javascript_bundle(vl_version="6.4"), encoding="utf-8")
    export_figures(paths)


def export_figures(paths: Paths) -> list[Path]:
    """Static SVG and PNG of the key corpus charts in reports/figures/ (labels are ids and English, so no CJK font is needed)."""
    indicators = read_table(paths.processed, "indicators")
    theme_mix = read_table(paths.processed, "theme_mix")
    folder = paths.reports / "figures"
    written = []
    for stem, chart in (("completion", completion_chart(indicators)), ("lags", lags_chart(indicators)),
                        ("specificity", specificity_chart(indicators)), ("themes", theme_heatmap(theme_mix))):
        written += OfflineChart(chart).export(folder, stem)
    return written


UNRENDERED = ".unrendered.json"  # pages made or removed since the last render


def read_changes(reports: Path) -> dict[str, set[str]]:
    """Pages (relative to reports/) made and removed since the last render."""
    path = reports / UNRENDERED
    try:
        raw = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except ValueError:
        raw = {}
    return {"made": set(raw.get("made", [])), "removed": set(raw.get("removed", []))}


def note_changes(reports: Path, made: list[str], removed: list[str]) -> None:
    """Add pages a notebooks run made or removed to what the next incremental render renders or deletes."""
    changes = read_changes(reports)
    changes["made"] = (changes["made"] - set(removed)) | set(made)
    changes["removed"] = (changes["removed"] - set(made)) | set(removed)
    if changes["made"] or changes["removed"] or (reports / UNRENDERED).is_file():
        reports.mkdir(parents=True, exist_ok=True)
        (reports / UNRENDERED).write_text(json.dumps({k: sorted(v) for k, v in changes.items()}, indent=1) + "\n",
                                          encoding="utf-8")


def html_of(rel: str) -> str:
    """Where Quarto writes a page's HTML under _site/ (notices/x.qmd → notices/x.html)."""
    return str(Path(rel).with_suffix(".html").as_posix())


def quarto_command() -> str | None:
    """Path of the quarto executable, if any."""
    return shutil.which("quarto")


def render_site(paths: Paths, changed_only: bool = False) -> tuple[int, str]:
    """Run `quarto render reports/` — or, with `changed_only` and a site already rendered, only the pages made since
    the last render (deleting the HTML of pages removed since) — and check the result; (exit code, message).

    A render that succeeds but warns, or whose site loads anything from the network or has a broken internal
    link or listing, fails (exit code 1) with the list of problems."""
    quarto = quarto_command()
    if quarto is None:
        return 5, QUARTO_MISSING
    site = paths.reports / "_site"
    if changed_only and (site / "index.html").is_file():
        changes = read_changes(paths.reports)
        for rel in sorted(changes["removed"]):
            (site / html_of(rel)).unlink(missing_ok=True)
        targets = [paths.reports / rel for rel in sorted(changes["made"]) if (paths.reports / rel).is_file()]
        done = f"rendered {len(targets)} changed page(s), removed {len(changes['removed'])}"
    else:
        targets = [paths.reports]
        done = "site rendered"
    outputs = []
    for target in targets:
        code, output = quarto_render(quarto, paths, target)
        if code:
            return code, output
        outputs.append(output)
    (paths.reports / UNRENDERED).unlink(missing_ok=True)
    problems = warning_problems("\n".join(outputs)) + check_site(site)
    where = (site / "index.html").relative_to(paths.root).as_posix()
    if problems:
        return 1, f"{done} into {where}, but the check failed.\n{report(problems)}"
    return 0, f"{done} and checked (offline, every internal link and listing resolves): {where}"


def quarto_render(quarto: str, paths: Paths, target: Path) -> tuple[int, str]:
    """`quarto render TARGET` (the project, or one page of it): (0, Quarto's output) or (1, why it failed)."""
    result = subprocess.run([quarto, "render", str(target)], cwd=paths.root, text=True, capture_output=True)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
        return 1, f"quarto render failed (exit {result.returncode}):\n{tail}"
    return 0, f"{result.stdout or ''}\n{result.stderr or ''}"
