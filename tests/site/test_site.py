"""The Quarto website project: consistent, offline, escaped; and honest when Quarto is missing."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from analysis.build.store import read_table
from analysis.config import Paths
from analysis.site.frontmatter import markdown_text
from analysis.site.pages import write_generated_pages
from analysis.site.runner import run_notebooks

from tests.conftest import ROOT, copy_front_end, copy_inputs, manifest_row, run_build, write_corpus

pytestmark = pytest.mark.notebooks
CDN_RE = re.compile(r"(cdn\.|jsdelivr|unpkg|cdnjs|googleapis|<script[^>]+src=[\"']https?://)", re.I)


def navbar_hrefs(config: dict) -> list[str]:
    """Every href of the navbar (menus included)."""
    found = []

    def walk(items):
        for item in items:
            if "href" in item:
                found.append(item["href"])
            walk(item.get("menu", []))

    walk(config["website"]["navbar"]["left"])
    return found


def test_every_navbar_page_exists(executed):
    paths, _ = executed
    config = yaml.safe_load((paths.reports / "_quarto.yml").read_text(encoding="utf-8"))
    missing = [href for href in navbar_hrefs(config) if not (paths.reports / href).is_file()]
    assert missing == []


def test_quarto_renders_without_executing(executed):
    config = yaml.safe_load((executed[0].reports / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["execute"]["enabled"] is False and config["project"]["type"] == "website"
    assert config["website"]["search"] and "vega-offline" in config["filters"]


def test_listings_point_at_existing_pages(executed):
    paths, _ = executed
    for listing_page in ("notices/index.qmd", "teaching/index.qmd", "slices/index.qmd"):
        text = (paths.reports / listing_page).read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("---")[1])
        assert "listing" in front, listing_page
    assert list((paths.reports / "notices").glob("*.ipynb")) and list((paths.reports / "teaching").glob("*.ipynb"))


def test_every_notice_has_a_page(executed):
    paths, _ = executed
    ids = read_table(paths.processed, "notices").get_column("notice_id").to_list()
    pages = {p.stem for p in (paths.reports / "notices").iterdir() if p.suffix in (".ipynb", ".qmd") and p.stem != "index"}
    assert set(ids) == pages


def test_no_page_references_a_cdn(executed):
    paths, _ = executed
    for path in paths.reports.rglob("*"):
        if path.is_file() and path.suffix in (".ipynb", ".qmd", ".yml", ".lua", ".css") and "_site" not in path.parts:
            assert not CDN_RE.search(path.read_text(encoding="utf-8")), path


def test_vega_scripts_are_served_from_the_site(executed):
    paths, _ = executed
    extension = paths.reports / "_extensions" / "vega-offline"
    lua = (extension / "vega-offline.lua").read_text(encoding="utf-8")
    assert "add_html_dependency" in lua and '"vega-bundle.js"' in lua
    bundle = (extension / "vega-bundle.js").read_text(encoding="utf-8")
    assert len(bundle) > 200_000 and "vegaEmbed" in bundle
    assert yaml.safe_load((extension / "_extension.yml").read_text(encoding="utf-8"))["contributes"]["filters"] == ["vega-offline.lua"]


def test_css_names_a_cjk_font_stack():
    css = (ROOT / "reports" / "styles.css").read_text(encoding="utf-8")
    assert "Noto Sans CJK SC" in css and "Microsoft YaHei" in css and "PingFang SC" in css


def test_publish_workflow_uses_the_quarto_action():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    steps = [s.get("uses", "") for s in workflow["jobs"]["build-deploy"]["steps"]]
    assert any(s.startswith("quarto-dev/quarto-actions/publish") for s in steps)
    assert any(s.startswith("quarto-dev/quarto-actions/setup") for s in steps)


HOSTILE_TITLE = '中共某县水利局党组关于巡察整改情况的通报<script>alert(5)</script>{{< include x >}}: "q" `b`'
SCRIPT_NOTICE = (HOSTILE_TITLE + "\n"
                 "根据县委统一部署,2023年3月1日至4月30日,县委第二巡察组对县水利局党组开展了常规巡察。6月1日,县委巡察组反馈了巡察意见。\n"
                 "一、整改落实情况\n1.关于<script>alert(1)</script>问题\n整改情况:已整改完成。一是清理河道<b>垃圾</b>。二是建立巡河制度。\n"
                 "中共某县水利局党组\n2023年8月1日\n")


@pytest.fixture(scope="module")
def script_profile(tmp_path_factory):
    """A one-notice corpus whose title and text carry markup, built, with its profile executed: the project folder."""
    root = copy_inputs(tmp_path_factory.mktemp("script") / "p", notices=False)
    copy_front_end(root)
    data = SCRIPT_NOTICE.encode("utf-8")
    write_corpus(root, {"script-2023.txt": data}, [manifest_row("script-2023", "script-2023.txt", data)])
    run_build(root)
    report = run_notebooks(Paths(root), runs_at_once=1, profiles=["script-2023"], pages=False)
    assert "notices/script-2023.ipynb" in report.executed, report.failed
    return root


def test_profile_shows_markup_in_a_notice_as_text(script_profile):
    nb = (script_profile / "reports" / "notices" / "script-2023.ipynb").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in nb.replace("\\u003c", "<") and "&lt;script&gt;alert(1)&lt;/script&gt;" in nb
    assert "&lt;b&gt;垃圾&lt;/b&gt;" in nb


def front_matter_of(text: str) -> dict:
    """The YAML front matter at the start of a page's text, parsed."""
    assert text.startswith("---\n")
    return yaml.safe_load(text[4:text.index("\n---", 4)])


def test_an_executed_profile_with_a_hostile_title_has_safe_front_matter(script_profile):
    raw = (script_profile / "reports" / "notices" / "script-2023.ipynb").read_text(encoding="utf-8")
    head = "".join(json.loads(raw)["cells"][0]["source"])
    assert markdown_text(front_matter_of(head)["title"]) == HOSTILE_TITLE
    unescaped = raw.replace("\\u003c", "<")
    assert "<script>alert(5)" not in unescaped and "{{<" not in unescaped


def test_a_generated_page_with_a_hostile_title_has_safe_front_matter(script_profile):
    assert write_generated_pages(Paths(script_profile), ["script-2023"]) == ["notices/script-2023.qmd"]
    page = (script_profile / "reports" / "notices" / "script-2023.qmd").read_text(encoding="utf-8")
    front = front_matter_of(page)
    assert markdown_text(front["title"]) == HOSTILE_TITLE and markdown_text(front["description"]).startswith("某县水利局 · 1 problems")
    assert "<script>alert" not in page and "{{<" not in page
