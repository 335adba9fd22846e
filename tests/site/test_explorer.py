"""The problems explorer: its data (one row per problem, the columns it shows), its page and its script (offline,
data inserted as text, filters that do what they say)."""

from __future__ import annotations

import json
import shutil
import subprocess

import polars as pl
import pytest
import yaml

from analysis.build.store import read_table
from analysis.config import Paths
from analysis.site.explorer import DATA_FILE, explorer_data, explorer_script, read_explorer_script, write_explorer_data

from tests.conftest import ROOT

SCRIPT = ROOT / "reports" / "assets" / "explorer.js"
PAGE = ROOT / "reports" / "problems.qmd"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="Node.js is not installed (the explorer's filters run in the browser)")


def decoded_rows(data: dict) -> list[dict]:
    """The explorer's data back as one dict per problem: what its table shows."""
    notices, columns, values = data["notices"], data["columns"], data["values"]
    rows = []
    for r in range(data["rows"]):
        n = columns["notice"][r]
        rows.append({"notice_id": notices["id"][n], "place": notices["place"][n],
                     "genre": None if notices["genre"][n] is None else values["genre"][notices["genre"][n]],
                     "path": columns["path"][r], "status": values["status"][columns["status"][r]],
                     "themes": [values["theme"][t] for t in columns["themes"][r]], "measures": columns["measures"][r]})
    return rows


def small_tables(title: str = "关于河道垃圾问题") -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """notices, problems and problem_indicators of three notices and five problems."""
    notices = pl.DataFrame({
        "notice_id": ["b-2024", "a-2023", "c-2025"], "title": ["乙局通报", None, "丙局 Report"],
        "issuing_body": ["乙局", "甲局", "丙局"], "province": ["山东省", "广东省", None], "city": ["青岛市", "广州市", None],
        "county": [None, "天河区", None], "genre": ["party_inspection", "environmental_inspection", "audit"]})
    problems = pl.DataFrame({
        "problem_key": ["a-2023:1", "a-2023:2", "b-2024:1", "b-2024:2", "c-2025:1"],
        "notice_id": ["a-2023", "a-2023", "b-2024", "b-2024", "c-2025"], "path": ["1", "2", "1", "2", "1"],
        "title": [title, "扬尘管控不力问题", "大气污染问题", "Water QUALITY problem", "审计发现的问题"],
        "status": ["completed", "long_term", "in_progress", "completed", "unknown"],
        "measures": [2, 0, 3, 1, 4], "start": [10, 50, 10, 90, 5]})
    indicators = pl.DataFrame({"problem_key": problems["problem_key"],
                               "themes": ["water", None, "air", "water;enforcement", ""]})
    return notices, problems, indicators


# --------------------------------------------------------------------------- the data


def test_the_data_has_one_row_per_problem_with_the_columns_the_page_shows(tables):
    data = explorer_data(tables["notices"], tables["problems"], tables["problem_indicators"])
    assert data["rows"] == tables["problems"].height
    assert {name: len(column) for name, column in data["columns"].items()} == dict.fromkeys(
        ["notice", "path", "title", "status", "themes", "measures"], tables["problems"].height)
    expected = (tables["problems"].join(tables["notices"].select("notice_id", "province", "city", "county", "genre"), on="notice_id")
                .join(tables["problem_indicators"].select("problem_key", "themes"), on="problem_key")
                .sort("notice_id", "start"))
    for row, want in zip(decoded_rows(data), expected.iter_rows(named=True)):
        assert row == {"notice_id": want["notice_id"], "path": want["path"], "status": want["status"],
                       "measures": want["measures"], "genre": want["genre"],
                       "place": " ".join(p for p in (want["province"], want["city"], want["county"]) if p),
                       "themes": sorted(want["themes"].split(";")) if want["themes"] else []}


def test_the_data_file_reads_back_and_is_written_only_when_it_changes(built, tmp_path):
    paths = Paths(tmp_path)  # a copy: the shared built corpus has no reports/ and must keep none
    shutil.copytree(built.processed, paths.processed)
    assert write_explorer_data(paths) is True
    assert write_explorer_data(paths) is False
    data = read_explorer_script((paths.reports / DATA_FILE).read_text(encoding="utf-8"))
    assert data["rows"] == read_table(built.processed, "problems").height


def test_markup_in_a_title_is_data_in_the_script_file():
    hostile = '</script><script>alert(1)</script> "q" \\ ${x}'
    assert read_explorer_script(explorer_script(explorer_data(*small_tables(hostile))))["columns"]["title"][0] == hostile


def test_line_separators_are_escaped_in_the_script_file():
    text = explorer_script({"place": "a\u2028b\u2029c"})
    assert "\u2028" not in text and "\u2029" not in text and read_explorer_script(text) == {"place": "a\u2028b\u2029c"}


def test_a_long_title_is_clipped_with_an_ellipsis():
    data = explorer_data(*small_tables("问" * 500))
    assert data["columns"]["title"][0] == "问" * 199 + "…"


# --------------------------------------------------------------------------- the page and its script


def test_the_explorer_script_loads_nothing_from_the_network():
    for path in (SCRIPT, PAGE):
        text = path.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, path


def test_the_explorer_script_inserts_data_as_text_only():
    code = SCRIPT.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in code, sink


def test_the_page_ships_its_script_and_data_as_resources():
    text = PAGE.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert front["resources"] == [DATA_FILE.as_posix(), "assets/explorer.js"]
    assert f'<script src="{DATA_FILE.as_posix()}"></script>' in text and '<script src="assets/explorer.js"></script>' in text


def test_the_navbar_links_the_explorer():
    config = yaml.safe_load((ROOT / "reports" / "_quarto.yml").read_text(encoding="utf-8"))
    assert {"href": "problems.qmd", "text": "Problems"} in config["website"]["navbar"]["left"]


# --------------------------------------------------------------------------- the filters, run by Node


def run_script(data: dict, expression: str, tmp_path):
    """Evaluate a JavaScript expression with `api` (the explorer's functions), `data` and `index` (prepared) bound."""
    (tmp_path / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    program = (f"const api = require({json.dumps(str(SCRIPT))}); const data = require({json.dumps(str(tmp_path / 'data.json'))});"
               f"const index = api.prepare(data); const all = {{province: -1, genre: -1, status: -1, theme: -1, text: ''}};"
               f"process.stdout.write(JSON.stringify({expression}));")
    result = subprocess.run([NODE, "-e", program], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def ids_of(data: dict, rows: list[int]) -> list[str]:
    """problem ids (notice:path) of row indexes."""
    return [f"{data['notices']['id'][data['columns']['notice'][r]]}:{data['columns']['path'][r]}" for r in rows]


@needs_node
def test_without_filters_every_problem_shows_in_notice_and_text_order(tmp_path):
    data = explorer_data(*small_tables())
    assert ids_of(data, run_script(data, "api.filterRows(index, all)", tmp_path)) == [
        "a-2023:1", "a-2023:2", "b-2024:1", "b-2024:2", "c-2025:1"]


@needs_node
def test_the_province_filter_keeps_the_problems_of_its_notices(tmp_path):
    data = explorer_data(*small_tables())
    shandong = data["values"]["province"].index("山东省")
    assert ids_of(data, run_script(data, f"api.filterRows(index, {{...all, province: {shandong}}})", tmp_path)) == [
        "b-2024:1", "b-2024:2"]


@needs_node
def test_the_theme_and_status_filters_combine(tmp_path):
    data = explorer_data(*small_tables())
    water, completed = data["values"]["theme"].index("water"), data["values"]["status"].index("completed")
    expression = f"api.filterRows(index, {{...all, theme: {water}, status: {completed}}})"
    assert ids_of(data, run_script(data, expression, tmp_path)) == ["a-2023:1", "b-2024:2"]


@needs_node
def test_the_genre_filter_keeps_the_problems_of_notices_of_that_genre(tmp_path):
    data = explorer_data(*small_tables())
    audit = data["values"]["genre"].index("audit")
    assert ids_of(data, run_script(data, f"api.filterRows(index, {{...all, genre: {audit}}})", tmp_path)) == ["c-2025:1"]


@needs_node
def test_the_text_search_matches_a_problem_or_its_notice_in_any_case(tmp_path):
    data = explorer_data(*small_tables())
    assert ids_of(data, run_script(data, "api.filterRows(index, {...all, text: ' water quality '})", tmp_path)) == ["b-2024:2"]
    assert ids_of(data, run_script(data, "api.filterRows(index, {...all, text: '广州'})", tmp_path)) == ["a-2023:1", "a-2023:2"]


@needs_node
def test_a_row_links_its_notice_page_and_names_the_values(tmp_path):
    data = explorer_data(*small_tables())
    assert run_script(data, "api.rowView(data, 3)", tmp_path) == {
        "noticeId": "b-2024", "notice": "乙局通报", "href": "notices/b-2024.html", "place": "山东省 青岛市",
        "genre": "party inspection", "path": "2", "problem": "Water QUALITY problem", "status": "completed",
        "themes": "enforcement, water", "measures": "1"}


@needs_node
def test_the_data_file_is_a_script_that_sets_the_explorers_data(tmp_path):
    data = explorer_data(*small_tables('</script>"'))
    data["notices"]["place"][0] = "a\u2028b"
    (tmp_path / "problems.js").write_text(explorer_script(data), encoding="utf-8")
    program = (f"const vm = require('vm'); const window = {{}};"
               f"vm.runInNewContext(require('fs').readFileSync({json.dumps(str(tmp_path / 'problems.js'))}, 'utf8'), {{window}});"
               f"process.stdout.write(JSON.stringify(window.PROBLEMS_EXPLORER));")
    assert json.loads(subprocess.run([NODE, "-e", program], capture_output=True, text=True, check=True).stdout) == data


# --------------------------------------------------------------------------- a notebooks run writes it


@pytest.mark.notebooks
def test_a_notebooks_run_writes_the_explorers_data(executed):
    paths, _ = executed
    data = read_explorer_script((paths.reports / DATA_FILE).read_text(encoding="utf-8"))
    assert data["rows"] == read_table(paths.processed, "problems").height
