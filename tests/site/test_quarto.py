"""The Quarto step: offline assets and figures for papers; honest when Quarto is missing or fails."""

from __future__ import annotations

import shutil
import stat

import pytest

from analysis.config import Paths
from analysis.site import quarto
from analysis.site.quarto import QUARTO_MISSING, VEGA_BUNDLE, VEGA_EXTENSION, render_site

from tests.site.test_check import page, write_site


def fake_quarto(folder, exit_code: int, stderr: str, site=None) -> str:
    """An executable standing in for quarto: copies the rendered site `site` (a folder) into reports/_site, prints
    `stderr` and exits with `exit_code`."""
    path = folder / "quarto"
    copy = f"rm -rf \"$2/_site\" && cp -R '{site}' \"$2/_site\"\n" if site else ""
    path.write_text(f"#!/bin/sh\n{copy}echo '{stderr}' >&2\nexit {exit_code}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_site_step_says_plainly_that_quarto_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    code, message = render_site(Paths(tmp_path))
    assert code == 5 and message == QUARTO_MISSING
    assert "environment.yml" in message and "reports/" in message


def test_a_failed_render_reports_quartos_last_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(quarto, "quarto_command", lambda: fake_quarto(tmp_path, 3, "ERROR: no such page"))
    code, message = render_site(Paths(tmp_path))
    assert code == 1 and message == "quarto render failed (exit 3):\nERROR: no such page"


def test_a_rendered_site_is_checked_and_says_where_it_is(tmp_path, monkeypatch):
    site = write_site(tmp_path / "rendered")
    monkeypatch.setattr(quarto, "quarto_command", lambda: fake_quarto(tmp_path, 0, "Output created: _site/index.html", site))
    (tmp_path / "reports").mkdir()
    assert render_site(Paths(tmp_path)) == (0, "site rendered and checked (offline, every internal link and listing "
                                               "resolves): reports/_site/index.html")


def test_a_render_that_warns_fails_with_the_warning(tmp_path, monkeypatch):
    site = write_site(tmp_path / "rendered")
    monkeypatch.setattr(quarto, "quarto_command", lambda: fake_quarto(tmp_path, 0, "WARN: unresolved link", site))
    (tmp_path / "reports").mkdir()
    code, message = render_site(Paths(tmp_path))
    assert code == 1 and message.splitlines()[-2:] == ["  render warning (1):", "    quarto render: WARN: unresolved link"]


def test_a_rendered_site_that_loads_from_a_cdn_fails_with_the_problem(tmp_path, monkeypatch):
    head = '<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml-full.js"></script>'
    site = write_site(tmp_path / "rendered", {"about.html": page("About", head)})
    monkeypatch.setattr(quarto, "quarto_command", lambda: fake_quarto(tmp_path, 0, "Output created: _site/index.html", site))
    (tmp_path / "reports").mkdir()
    code, message = render_site(Paths(tmp_path))
    assert code == 1 and message.startswith("site rendered into reports/_site/index.html, but the check failed.")
    assert "about.html: https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml-full.js" in message


@pytest.mark.notebooks
def test_static_figures_are_exported(executed):
    paths, _ = executed
    for stem in ("completion", "lags", "specificity", "themes"):
        assert (paths.reports / "figures" / f"{stem}.svg").read_text(encoding="utf-8").startswith("<svg")
        assert (paths.reports / "figures" / f"{stem}.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.notebooks
def test_the_vega_bundle_is_stamped_with_the_version_that_wrote_it(executed):
    import vl_convert as vlc

    paths, _ = executed
    bundle = (paths.reports / VEGA_EXTENSION / VEGA_BUNDLE).read_text(encoding="utf-8")
    assert bundle.startswith(f"// vl-convert {vlc.__version__}, Vega-Lite 6.4\n")


# --------------------------------------------------------------------------- rendering only what changed


def logging_quarto(folder) -> str:
    """An executable standing in for quarto that appends its arguments to folder/calls and succeeds."""
    path = folder / "quarto"
    path.write_text(f'#!/bin/sh\necho "$@" >> {folder / "calls"}\n', encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


@pytest.fixture
def rendered(tmp_path, monkeypatch):
    """A project whose site was rendered once, with a page made and one removed since."""
    reports = tmp_path / "reports"
    for rel in ("notices/a.qmd", "indicators.ipynb", "_site/index.html", "_site/notices/gone.html", "_site/notices/a.html"):
        (reports / rel).parent.mkdir(parents=True, exist_ok=True)
        (reports / rel).write_text("x", encoding="utf-8")
    quarto.note_changes(reports, ["notices/a.qmd", "notices/gone.qmd"], [])
    quarto.note_changes(reports, ["indicators.ipynb"], ["notices/gone.qmd"])
    monkeypatch.setattr(quarto, "quarto_command", lambda: logging_quarto(tmp_path))
    return Paths(tmp_path)


def test_an_incremental_render_renders_only_the_pages_made_since_the_last(rendered):
    code, message = render_site(rendered, changed_only=True)
    calls = (rendered.root / "calls").read_text(encoding="utf-8").splitlines()
    assert code == 0 and calls == [f"render {rendered.reports / 'indicators.ipynb'}", f"render {rendered.reports / 'notices/a.qmd'}"]
    assert message.startswith("rendered 2 changed page(s), removed 1 and checked")


def test_an_incremental_render_deletes_the_html_of_removed_pages(rendered):
    render_site(rendered, changed_only=True)
    assert not (rendered.reports / "_site" / "notices" / "gone.html").exists()
    assert (rendered.reports / "_site" / "notices" / "a.html").exists()


def test_a_render_clears_the_list_of_changes(rendered):
    render_site(rendered, changed_only=True)
    assert quarto.read_changes(rendered.reports) == {"made": set(), "removed": set()}


def test_without_a_rendered_site_an_incremental_render_renders_the_whole_project(rendered):
    (rendered.reports / "_site" / "index.html").unlink()
    render_site(rendered, changed_only=True)
    assert (rendered.root / "calls").read_text(encoding="utf-8").splitlines() == [f"render {rendered.reports}"]
