"""The Quarto website: its offline assets, static figures for papers, and `quarto render reports/`.

* The site draws charts with Vega scripts served by its own extension (reports/_extensions/vega-offline),
  never from a CDN: `write_assets` writes the bundle (re-written only when vl-convert changes) and
  exports the key corpus charts as SVG and PNG into reports/figures/.
* `render_site` runs Quarto, which renders the executed notebooks without executing them, then checks the
  rendered site (`check.check_site`: offline, every internal link and listing resolves) and Quarto's output
  (no warning); without Quarto it says so plainly (exit code 5 on the command line) — everything before it
  is done.
"""

from __future__ import annotations

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


def quarto_command() -> str | None:
    """Path of the quarto executable, if any."""
    return shutil.which("quarto")


def render_site(paths: Paths) -> tuple[int, str]:
    """Run `quarto render reports/` and check the result; (exit code, output path or message).

    A render that succeeds but warns, or whose site loads anything from the network or has a broken internal
    link or listing, fails (exit code 1) with the list of problems."""
    quarto = quarto_command()
    if quarto is None:
        return 5, QUARTO_MISSING
    result = subprocess.run([quarto, "render", str(paths.reports)], cwd=paths.root, text=True, capture_output=True)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
        return 1, f"quarto render failed (exit {result.returncode}):\n{tail}"
    site = paths.reports / "_site"
    problems = warning_problems(f"{result.stdout or ''}\n{result.stderr or ''}") + check_site(site)
    where = (site / "index.html").relative_to(paths.root).as_posix()
    if problems:
        return 1, f"site rendered into {where}, but the check failed.\n{report(problems)}"
    return 0, f"site rendered and checked (offline, every internal link and listing resolves): {where}"
