"""The site check (analysis/site/check.py) on small rendered sites written here, page by page: one kind of problem
each, and a clean site."""

from __future__ import annotations

import json
from pathlib import Path

from analysis.site.check import SiteProblem, check_site, report, warning_problems

PAGE = """<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta charset="utf-8"><title>{title}</title>
<script src="{root}site_libs/quarto-nav/quarto-nav.js"></script>
<link href="{root}site_libs/bootstrap/bootstrap.min.css" rel="stylesheet" id="quarto-bootstrap">
{head}</head>
<body><nav><a href="{root}index.html">Home</a> <a href="{root}notices/">Notices</a> <a href="https://github.com/">GitHub</a>
<a href="#top">top</a> <a href="mailto:someone@example.org">mail</a></nav>
<main id="top">{body}</main></body></html>
"""
CLEAN_CSS = """.navbar{background-image:url("data:image/svg+xml,%3csvg xmlns='http://www.w3.org/2000/svg'%3e%3c/svg%3e")}
@font-face{font-family:bootstrap-icons;src:url("./bootstrap-icons.woff2?24e3") format("woff2")}"""


def page(title: str = "Page", head: str = "", body: str = "", depth: int = 0) -> str:
    """A page shaped like Quarto's, its links written from a page `depth` folders below the site root."""
    return PAGE.format(title=title, head=head, body=body, root="../" * depth)


def write_site(folder: Path, files: dict[str, str] | None = None) -> Path:
    """A small clean rendered site (home, a listing page, one notice page, a stylesheet with its font, search and listing
    indexes), with `files` (path → text) added or replacing its files; the site folder."""
    site = folder / "_site"
    pages = {
        "index.html": page("Home", body='<p><a href="notices/a-2024.html#text">a notice</a> <a href="about.html?x=1">about</a></p>'),
        "about.html": page("About", body='<img src="figures/%E5%9B%BE.png" alt="">'),
        "notices/index.html": page("Notices", body='<a href="a-2024.html">a-2024</a> <a href="../index.html">home</a>', depth=1),
        "notices/a-2024.html": page("a-2024", body='<pre class="notice-text">&lt;script src="https://x.org/x.js"&gt;</pre>', depth=1),
        "site_libs/quarto-nav/quarto-nav.js": "window.x = 1;\n",
        "site_libs/bootstrap/bootstrap.min.css": CLEAN_CSS,
        "site_libs/bootstrap/bootstrap-icons.woff2": "font",
        "figures/图.png": "png",
        "search.json": json.dumps([{"objectID": "notices/a-2024.html", "href": "notices/a-2024.html#text", "title": "a"},
                                   {"objectID": "index.html", "href": "index.html", "title": "Home"}]),
        "listings.json": json.dumps([{"listing": "/notices/index.html", "items": ["/notices/a-2024.html"]}]),
    }
    pages.update(files or {})
    for rel, text in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    return site


def kinds(problems: list[SiteProblem]) -> list[tuple[str, str, str]]:
    """The problems as plain tuples, for comparing."""
    return [(p.kind, p.page, p.target) for p in problems]


def test_a_clean_site_has_no_problem(tmp_path):
    assert check_site(write_site(tmp_path)) == []


def test_mathjax_and_its_polyfill_from_a_cdn_are_external_scripts(tmp_path):
    head = ('<script src="https://cdnjs.cloudflare.com/polyfill/v3/polyfill.min.js?features=es6"></script>\n'
            '<script id="MathJax-script" async src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml-full.js"></script>')
    site = write_site(tmp_path, {"notices/index.html": page("Notices", head, '<a href="a-2024.html">a</a>', depth=1)})
    assert kinds(check_site(site)) == [
        ("external script", "notices/index.html", "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml-full.js"),
        ("external script", "notices/index.html", "https://cdnjs.cloudflare.com/polyfill/v3/polyfill.min.js?features=es6")]


def test_require_and_jquery_from_a_cdn_are_external_scripts(tmp_path):
    head = ('<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js"></script>'
            '<script src="//cdnjs.cloudflare.com/ajax/libs/jquery/3.5.1/jquery.min.js"></script>')
    problems = check_site(write_site(tmp_path, {"about.html": page("About", head)}))
    assert {p.kind for p in problems} == {"external script"} and len(problems) == 2


def test_a_stylesheet_from_the_network_is_an_external_stylesheet(tmp_path):
    head = '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Source+Sans+Pro">'
    assert kinds(check_site(write_site(tmp_path, {"about.html": page("About", head)}))) == [
        ("external stylesheet", "about.html", "https://fonts.googleapis.com/css2?family=Source+Sans+Pro")]


def test_a_web_font_imported_by_the_theme_stylesheet_is_found(tmp_path):
    css = '@import url("https://fonts.googleapis.com/css2?family=Source+Sans+Pro:wght@300;400;700&display=swap");' + CLEAN_CSS
    assert kinds(check_site(write_site(tmp_path, {"site_libs/bootstrap/bootstrap.min.css": css}))) == [
        ("external stylesheet", "site_libs/bootstrap/bootstrap.min.css",
         "https://fonts.googleapis.com/css2?family=Source+Sans+Pro:wght@300;400;700&display=swap")]


def test_a_font_file_from_the_network_is_an_external_font(tmp_path):
    css = CLEAN_CSS + '@font-face{font-family:x;src:url(https://fonts.gstatic.com/s/x.woff2) format("woff2")}'
    assert kinds(check_site(write_site(tmp_path, {"site_libs/bootstrap/bootstrap.min.css": css}))) == [
        ("external font", "site_libs/bootstrap/bootstrap.min.css", "https://fonts.gstatic.com/s/x.woff2")]


def test_images_from_the_network_are_found_in_src_srcset_and_inline_styles(tmp_path):
    body = ('<img src="https://example.org/a.png"><img srcset="../figures/%E5%9B%BE.png 1x, https://example.org/b.png 2x">'
            '<div style="background:url(\'https://example.org/c.jpg\')"></div>')
    problems = check_site(write_site(tmp_path, {"notices/a-2024.html": page("a", body=body, depth=1)}))
    assert sorted(p.target for p in problems) == ["https://example.org/a.png", "https://example.org/b.png",
                                                  "https://example.org/c.jpg"]
    assert {p.kind for p in problems} == {"external image"}


def test_a_script_url_inside_an_inline_script_is_an_external_script(tmp_path):
    head = '<script>var s = document.createElement("script"); s.src = "https://unpkg.com/lib@1.0.0/dist/lib.min.js";</script>'
    assert kinds(check_site(write_site(tmp_path, {"about.html": page("About", head)}))) == [
        ("external script", "about.html", "https://unpkg.com/lib@1.0.0/dist/lib.min.js")]


def test_an_ojs_cell_is_a_problem_even_with_its_runtime_served_locally(tmp_path):
    head = '<script type="module" src="site_libs/quarto-ojs/quarto-ojs-runtime.js"></script>'
    site = write_site(tmp_path, {"about.html": page("About", head), "site_libs/quarto-ojs/quarto-ojs-runtime.js": "x"})
    assert [p.kind for p in check_site(site)] == ["OJS cell (loads its libraries from a CDN at run time)"]


def test_a_link_to_a_missing_page_is_a_broken_link(tmp_path):
    body = '<a href="notices/b-2025.html">b</a>'
    assert kinds(check_site(write_site(tmp_path, {"about.html": page("About", body=body)}))) == [
        ("broken link", "about.html", "notices/b-2025.html")]


def test_a_link_to_a_folder_needs_its_index_page(tmp_path):
    site = write_site(tmp_path)
    (site / "notices" / "index.html").unlink()
    problems = check_site(site)
    assert ("broken link", "index.html", "notices/") in kinds(problems)
    assert ("broken listing", "listings.json", "notices/index.html") in kinds(problems)


def test_a_missing_local_script_is_a_missing_script(tmp_path):
    site = write_site(tmp_path)
    (site / "site_libs" / "quarto-nav" / "quarto-nav.js").unlink()
    assert {(p.kind, p.target) for p in check_site(site)} == {("missing script", "site_libs/quarto-nav/quarto-nav.js"),
                                                             ("missing script", "../site_libs/quarto-nav/quarto-nav.js")}


def test_a_missing_font_of_a_stylesheet_is_a_missing_font(tmp_path):
    site = write_site(tmp_path)
    (site / "site_libs" / "bootstrap" / "bootstrap-icons.woff2").unlink()
    assert kinds(check_site(site)) == [("missing font", "site_libs/bootstrap/bootstrap.min.css", "./bootstrap-icons.woff2?24e3")]


def test_a_link_that_climbs_out_of_the_site_is_a_problem(tmp_path):
    body = '<a href="../../data/processed/notices.csv">the table</a>'
    assert kinds(check_site(write_site(tmp_path, {"notices/a-2024.html": page("a", body=body, depth=1)}))) == [
        ("link out of the site", "notices/a-2024.html", "../../data/processed/notices.csv")]


def test_a_search_entry_of_a_missing_page_is_a_broken_search_entry(tmp_path):
    index = json.dumps([{"objectID": "notices/gone.html", "href": "notices/gone.html#text", "title": "gone"}])
    assert kinds(check_site(write_site(tmp_path, {"search.json": index}))) == [
        ("broken search entry", "search.json", "notices/gone.html#text")]


def test_a_listing_item_of_a_missing_page_is_a_broken_listing_item(tmp_path):
    listings = json.dumps([{"listing": "/notices/index.html", "items": ["/notices/a-2024.html", "/notices/gone.html"]}])
    assert kinds(check_site(write_site(tmp_path, {"listings.json": listings}))) == [
        ("broken listing item", "notices/index.html", "/notices/gone.html")]


def test_a_folder_without_a_rendered_site_is_one_problem(tmp_path):
    assert [p.kind for p in check_site(tmp_path / "_site")] == ["no site"]


def test_a_listing_warning_is_one_problem_with_its_contents():
    output = ("[ 1/3] index.ipynb\nWARN: The listing in 'slices/index.qmd' using the following contents:\n- **/*.ipynb\n"
              "doesn't match any files or folders.\n[ 2/3] about.qmd\nOutput created: _site/index.html\n")
    assert kinds(warning_problems(output)) == [("render warning", "quarto render", "WARN: The listing in 'slices/index.qmd' "
                                                "using the following contents: - **/*.ipynb doesn't match any files or folders.")]


def test_pandoc_warnings_are_render_warnings_and_progress_lines_are_not():
    output = "[ 1/2] a.qmd\n[WARNING] Could not fetch resource x.png\n\n[ 2/2] b.qmd\nOutput created: _site/index.html\n"
    assert [p.target for p in warning_problems(output)] == ["[WARNING] Could not fetch resource x.png"]


def test_the_report_groups_and_counts_problems_by_kind():
    problems = [SiteProblem("broken link", f"p{i}.html", "gone.html") for i in range(3)]
    problems.append(SiteProblem("external script", "index.html", "https://cdn.example.org/x.js"))
    text = report(problems, limit=2)
    assert text.splitlines() == ["4 problem(s) in the site:", "  broken link (3):", "    p0.html: gone.html",
                                 "    p1.html: gone.html", "    … and 1 more", "  external script (1):",
                                 "    index.html: https://cdn.example.org/x.js"]

