"""The Quarto website project: consistent, offline, escaped; and honest when Quarto is missing."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from analysis.build.store import notice_text, read_table
from analysis.config import Paths
from analysis.site.frontmatter import markdown_text
from analysis.site.pages import NOTICE_PAGE_TABLES, generated_page, write_generated_pages
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


def test_dates_are_shown_as_iso_dates():
    config = yaml.safe_load((ROOT / "reports" / "_quarto.yml").read_text(encoding="utf-8"))
    listing = front_matter_of((ROOT / "reports" / "notices" / "index.qmd").read_text(encoding="utf-8"))["listing"]
    assert config["date-format"] == "iso" and listing["date-format"] == "iso"


def test_notice_pages_hide_their_code():
    metadata = yaml.safe_load((ROOT / "reports" / "notices" / "_metadata.yml").read_text(encoding="utf-8"))
    assert metadata["execute"]["echo"] is False


def test_code_stays_folded_where_it_teaches():
    config = yaml.safe_load((ROOT / "reports" / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["format"]["html"]["code-fold"] is True
    for page in ("teaching_01_reading_a_notice.ipynb", "teaching_02_who_works_with_whom.ipynb"):
        head = "".join(json.loads((ROOT / "notebooks" / page).read_text(encoding="utf-8"))["cells"][0]["source"])
        assert "echo" not in front_matter_of(head + "\n").get("execute", {}), page


def test_corpus_pages_hide_their_code(executed):
    paths, _ = executed
    for page in ("index.ipynb", "overview.ipynb", "indicators.ipynb", "network.ipynb"):
        head = "".join(json.loads((paths.reports / page).read_text(encoding="utf-8"))["cells"][0]["source"])
        assert front_matter_of(head + "\n")["execute"]["echo"] is False, page


def test_downloads_are_copied_into_the_site():
    config = yaml.safe_load((ROOT / "reports" / "_quarto.yml").read_text(encoding="utf-8"))
    assert {"notices/*.csv", "notices/*.json"} <= set(config["project"]["resources"])


def test_css_keeps_chinese_from_wrapping_per_character_and_lets_only_ids_break_anywhere():
    css = (ROOT / "reports" / "styles.css").read_text(encoding="utf-8")
    rules = dict(re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)))
    rules = {selector.strip(): body for selector, body in rules.items()}
    assert "word-break: keep-all" in rules["table.data-table th, table.data-table td"]
    assert "min-width: 14em" in rules["table.data-table td.text"]
    assert [s for s, body in rules.items() if "overflow-wrap: anywhere" in body] == ["table.data-table td.id"]
    assert "width: auto !important" in rules["table colgroup col"]  # Pandoc's fixed shares for wide pipe tables


def test_css_sets_each_problem_on_one_line_in_two_columns():
    css = (ROOT / "reports" / "styles.css").read_text(encoding="utf-8")
    assert re.search(r"\.problem-list \{[^}]*columns: 2", css)
    assert re.search(r"details\.problem \.p-title \{[^}]*white-space: nowrap;[^}]*text-overflow: ellipsis", css)
    assert re.search(r"details\.problem\[open\] \{[^}]*column-span: all", css)


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
                 "一、整改落实情况\n1.关于<script>alert(1)</script>{{< include y >}}`tick`</details>问题\n"
                 "整改情况:已整改完成。一是清理河道<b>垃圾</b></details>`x`{{< z >}}。二是建立巡河制度。\n"
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


def markdown_outputs(nb_path) -> list[str]:
    """The text/markdown outputs of an executed notebook."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return ["".join(o["data"]["text/markdown"]) for c in nb["cells"] for o in c.get("outputs", []) if "text/markdown" in o.get("data", {})]


def raw_blocks(markdown: str) -> list[str]:
    """The HTML inside the raw blocks of a page's Markdown."""
    return re.findall(r"^```\{=html\}\n(.*?)\n```$", markdown, re.S | re.M)


def assert_problem_markup_is_text(markdown: str) -> None:
    """The hostile problem title and measure show as characters in the problem list: no tag, shortcode, backtick or
    closing </details> of theirs reaches the HTML, and every raw block closes where it should."""
    listing = next(block for block in raw_blocks(markdown) if 'class="problem-list"' in block)
    assert "<script>" not in listing and "{{" not in listing and "`" not in listing
    assert listing.count("<details") == listing.count("</details>") == 1
    assert ("关于&lt;script&gt;alert(1)&lt;/script&gt;&#123;&#123;&lt; include y &gt;&#125;&#125;&#96;tick&#96;"
            "&lt;/details&gt;问题") in listing
    assert "一是清理河道&lt;b&gt;垃圾&lt;/b&gt;&lt;/details&gt;&#96;x&#96;&#123;&#123;&lt; z &gt;&#125;&#125;。" in listing
    assert markdown.count("```{=html}") == len(raw_blocks(markdown))  # no fence is closed early by the text


def test_a_profiles_problem_list_shows_markup_in_a_problem_and_its_measures_as_text(script_profile):
    nb = script_profile / "reports" / "notices" / "script-2023.ipynb"
    assert_problem_markup_is_text("\n".join(markdown_outputs(nb)))


def test_a_generated_pages_problem_list_shows_markup_in_a_problem_and_its_measures_as_text(script_profile):
    processed = Paths(script_profile).processed
    tables = {name: read_table(processed, name) for name in NOTICE_PAGE_TABLES}
    page = generated_page(tables, tables["notices"].row(0, named=True), notice_text(processed, "script-2023"))
    assert_problem_markup_is_text(page)


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
