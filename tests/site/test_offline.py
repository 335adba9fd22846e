"""The Quarto project renders an offline, warning-free site: no MathJax, no web font, listings that match files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

REPORTS = ROOT / "reports"
TEX_MATH_RE = re.compile(r"\$[^$\s][^$]*\$|\\\(|\\\[|\\begin\{")


def quarto_config() -> dict:
    return yaml.safe_load((REPORTS / "_quarto.yml").read_text(encoding="utf-8"))


def front_matter(path: Path) -> dict:
    """The YAML front matter of a .qmd page."""
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def listing_matches(page: Path) -> list[Path]:
    """The files a listing page's contents match, as Quarto resolves globs on disk (names starting with _ or . and
    the page itself excluded)."""
    contents = front_matter(page)["listing"]["contents"]
    found = []
    for pattern in [contents] if isinstance(contents, str) else contents:
        found += [p for p in page.parent.glob(pattern) if p.is_file() and p != page
                  and not any(part.startswith(("_", ".")) for part in p.relative_to(page.parent).parts)]
    return found


def test_math_is_rendered_as_plain_text_so_no_page_loads_mathjax():
    assert quarto_config()["format"]["html"]["html-math-method"] == "plain"


def test_no_page_source_uses_tex_math():
    sources = [*(ROOT / "notebooks").glob("*.py"), *REPORTS.rglob("*.qmd")]
    assert sources and [p.name for p in sources if TEX_MATH_RE.search(p.read_text(encoding="utf-8"))] == []


def test_the_theme_imports_no_web_font():
    assert quarto_config()["format"]["html"]["theme"] == ["cosmo", "offline.scss"]
    scss = (REPORTS / "offline.scss").read_text(encoding="utf-8")
    assert scss.startswith("/*-- scss:defaults --*/") and re.search(r"^\$web-font-path: false;$", scss, re.MULTILINE)


def test_the_slices_listing_matches_a_file_before_any_slice_is_run():
    assert yaml.safe_load((REPORTS / "slices" / "slices.yml").read_text(encoding="utf-8")) == []
    assert [p.name for p in listing_matches(REPORTS / "slices" / "index.qmd")] == ["slices.yml"]


@pytest.mark.notebooks
def test_every_listing_matches_files_after_a_notebooks_run(executed):
    paths, _ = executed
    for page in ("notices/index.qmd", "teaching/index.qmd", "slices/index.qmd"):
        assert listing_matches(paths.reports / page), page
