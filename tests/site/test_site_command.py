"""`notices site`: renders, then checks the site; `notices site --check` checks a rendered site without Quarto."""

from __future__ import annotations

from typer.testing import CliRunner

from analysis.cli import app
from analysis.site import quarto

from tests.site.test_check import page, write_site
from tests.site.test_quarto import fake_quarto

runner = CliRunner()


def project(folder):
    """The smallest project folder the command line accepts."""
    (folder / "data" / "raw").mkdir(parents=True)
    (folder / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (folder / "reports").mkdir()
    return folder


def test_check_passes_a_clean_site_and_counts_its_pages(tmp_path):
    result = runner.invoke(app, ["site", "--site", str(write_site(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "4 page(s) checked" in result.output


def test_check_fails_with_the_problems_grouped_and_counted(tmp_path):
    head = '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=x[1]">'
    site = write_site(tmp_path, {"about.html": page("About", head, '<a href="gone.html">gone</a>')})
    result = runner.invoke(app, ["site", "--check", "--site", str(site)])
    assert result.exit_code == 1
    for line in ("2 problem(s) in the site:", "  broken link (1):", "    about.html: gone.html", "  external stylesheet (1):",
                 "    about.html: https://fonts.googleapis.com/css2?family=x[1]"):
        assert line in result.output.splitlines(), line


def test_check_reads_the_projects_rendered_site_by_default(tmp_path):
    root = project(tmp_path / "p")
    write_site(root / "reports")
    result = runner.invoke(app, ["site", "--check", "--root", str(root)])
    assert result.exit_code == 0 and "page(s) checked" in result.output


def test_site_fails_on_a_render_warning_and_shows_it_as_printed(tmp_path, monkeypatch):
    root = project(tmp_path / "p")
    site = write_site(tmp_path / "rendered")
    monkeypatch.setattr(quarto, "quarto_command", lambda: fake_quarto(tmp_path, 0, "[WARNING] Could not fetch [x].png", site))
    result = runner.invoke(app, ["site", "--root", str(root)])
    assert result.exit_code == 1
    assert "    quarto render: [WARNING] Could not fetch [x].png" in result.output.splitlines()


def test_site_renders_then_says_the_site_is_checked(tmp_path, monkeypatch):
    root = project(tmp_path / "p")
    site = write_site(tmp_path / "rendered")
    monkeypatch.setattr(quarto, "quarto_command", lambda: fake_quarto(tmp_path, 0, "Output created: _site/index.html", site))
    result = runner.invoke(app, ["site", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "site rendered and checked" in result.output
