"""A notice's page for reading: the header card, one line per problem opening to its measures, what they cite."""

from __future__ import annotations

import html
import re

import polars as pl
import pytest

from analysis.site.notice_parts import header_card, problem_list, problems_summary

TAIZHOU = "taizhou-js-sthjj-2025"
PART_TABLES = ("problems", "measures", "documents", "agencies", "dates", "figures")


def text_of(fragment: str) -> str:
    """What a reader sees of an HTML fragment: tags dropped, entities undone, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def card_fields(card: str) -> dict[str, str]:
    """The header card's fields: name → text shown."""
    return {name: text_of(value) for name, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", card, re.S)}


def problem_blocks(listing: str) -> list[str]:
    """Each problem's <details> element of a problem list."""
    return re.findall(r'<details class="problem".*?</details>', listing, re.S)


@pytest.fixture(scope="module")
def taizhou(tables):
    """The Taizhou notice's row of notices and its rows of the tables a page lists."""
    notice = tables["notices"].filter(pl.col("notice_id") == TAIZHOU).row(0, named=True)
    return notice, {name: tables[name].filter(pl.col("notice_id") == TAIZHOU) for name in PART_TABLES}


# --------------------------------------------------------------------------- the header card


def test_the_card_names_issuer_place_genre_inspection_and_dates(taizhou):
    notice, rows = taizhou
    fields = card_fields(header_card(notice, rows["problems"], rows["measures"]))
    assert fields["Issued by"] == "中共泰州市生态环境局党组 (泰州市生态环境局)"
    assert fields["Place"] == "江苏省 泰州市"
    assert fields["Genre"] == "Party inspection · municipal"
    assert fields["Inspected"] == "市委第六巡察组 → 泰州市生态环境局党组"
    assert fields["Inspection"] == "2024-07-10 – 2024-09-18"
    assert fields["Feedback"] == "2025-01-20"
    assert fields["Signed"] == "2025-09-23"
    assert fields["Published"] == "2025-09-23 (signature) · page: 2025-09-24 18:41"


def test_the_card_sets_declared_counts_against_parsed_ones(taizhou):
    notice, rows = taizhou
    card = header_card(notice, rows["problems"], rows["measures"])
    fields = card_fields(card)
    assert fields["Problems"] == "48 declared · 48 parsed" and '<span class="agree">48 declared' in card
    assert fields["Measures"] == "161 declared · 166 parsed · 37 next steps" and '<span class="differ">161 declared' in card


def test_the_card_gives_completion_as_declared_and_as_parsed(taizhou):
    notice, rows = taizhou
    fields = card_fields(header_card(notice, rows["problems"], rows["measures"]))
    assert fields["Completion"] == ("declared: 67.7% · 109 of 161 measures · 16 of 48 problems "
                                    "parsed statuses: 16 completed, 32 in progress (of 48 problems)")


def test_the_card_links_the_notices_rows_as_json_and_csv(taizhou):
    notice, rows = taizhou
    card = header_card(notice, rows["problems"], rows["measures"])
    assert '<a href="taizhou-js-sthjj-2025.json" download>' in card
    assert '<a href="taizhou-js-sthjj-2025.measures.csv" download>measures</a>' in card


def test_the_card_names_the_organisation_once_when_it_is_the_issuing_body(taizhou):
    notice, rows = taizhou
    card = header_card(dict(notice, issuing_body="淄博市生态环境局", organisation="淄博市生态环境局"), rows["problems"],
                       rows["measures"])
    assert card_fields(card)["Issued by"] == "淄博市生态环境局"


def test_the_card_does_not_repeat_the_title(taizhou):
    notice, rows = taizhou
    card = header_card(dict(notice, title="关于巡察整改进展情况的通报"), rows["problems"], rows["measures"])
    assert "关于巡察整改进展情况的通报" not in card


# --------------------------------------------------------------------------- the problems


def test_every_problem_is_one_line_with_a_status_badge_and_its_measure_count(taizhou):
    _, rows = taizhou
    blocks = problem_blocks(problem_list(rows))
    assert len(blocks) == 48
    summaries = [re.search(r"<summary>(.*?)</summary>", b, re.S).group(1) for b in blocks]
    assert all("\n" not in s and "<p" not in s and "<div" not in s for s in summaries)  # one line: inline spans only
    badges = [re.search(r'<span class="badge status-([a-z_]+)"', s).group(1) for s in summaries]
    assert badges.count("completed") == 16 and badges.count("in_progress") == 32
    assert all(re.search(r'<span class="p-count">\d+ measures?( · \d+ next steps?)?</span>', s) for s in summaries)


def test_a_problem_line_counts_its_measures_and_next_steps(taizhou):
    _, rows = taizhou
    first = problem_blocks(problem_list(rows))[0]  # 2.1.1: three measures (一是 … 三是), no next step
    assert '<span class="p-label">1.</span>' in first and '<span class="p-count">3 measures</span>' in first
    sixth_pending = next(b for b in problem_blocks(problem_list(rows)) if 'id="problem-2.2.6"' in b)
    assert '<span class="p-count">5 measures · 2 next steps</span>' in sixth_pending


def test_problems_are_listed_under_their_group_headings(taizhou):
    _, rows = taizhou
    listing = problem_list(rows)
    groups = re.findall(r'<p class="problem-group">(.*?)</p>', listing)
    assert groups == ["集中整改期内已整改完成的整改事项", "按计划持续推进的整改事项"]


def test_an_opened_problem_shows_its_measures_and_its_next_steps_apart(taizhou):
    _, rows = taizhou
    block = next(b for b in problem_blocks(problem_list(rows)) if 'id="problem-2.2.6"' in b)
    body = block.split("</summary>", 1)[1]
    measures, next_steps = body.split('<p class="p-sub">Next steps</p>', 1)
    mine = rows["measures"].filter(pl.col("problem_key") == f"{TAIZHOU}:2.2.6")
    assert all(html.escape(t, quote=True) in measures for t in mine.filter(pl.col("kind") == "done").get_column("text"))
    planned = mine.filter(pl.col("kind") == "planned").get_column("text").to_list()
    assert len(planned) == 2 and all(html.escape(t, quote=True) in next_steps and t not in measures for t in planned)
    assert next_steps.startswith('<div class="next-steps">')


def test_an_opened_problem_shows_the_documents_and_agencies_it_cites(taizhou):
    _, rows = taizhou
    first = problem_blocks(problem_list(rows))[0]
    cited = text_of(first.split('<dl class="cited">', 1)[1])
    assert "Documents 《2025年泰州市生态环境局长接访、约访、下访活动方案》 《关于开展局领导带案下访活动的通知》" in cited
    assert "Agencies 泰州市执法局" in cited and "Dates 2月25日" in cited and "Figures 8件" in cited


def test_the_summary_counts_problems_by_status_and_measures(taizhou):
    _, rows = taizhou
    assert problems_summary(rows["problems"], rows["measures"]).startswith(
        "48 problems (16 completed, 32 in progress), 166 measures and 37 next steps.")


# --------------------------------------------------------------------------- hostile text


HOSTILE = '<script>alert(1)</script>{{< include x >}}`b`</details>"'


def hostile_rows() -> dict[str, pl.DataFrame]:
    """One problem whose title, measure, next step and citations all carry markup."""
    key = "x-2024:1.1"
    return {
        "problems": pl.DataFrame({"problem_key": [key], "notice_id": ["x-2024"], "path": ["1.1"], "label": ["1."],
                                  "title": ["关于" + HOSTILE + "问题"], "status": ["completed"], "status_source": ["item"],
                                  "category": [HOSTILE], "status_group": [None], "problem_group": [None], "start": [10]},
                                 schema_overrides={"status_group": pl.String, "problem_group": pl.String}),
        "measures": pl.DataFrame({"problem_key": [key, key], "kind": ["done", "planned"], "label": ["一是", "1."],
                                  "text": ["一是清理" + HOSTILE, "下一步" + HOSTILE], "start": [20, 40]}),
        "documents": pl.DataFrame({"problem_key": [key], "canonical_title": [HOSTILE], "start": [25]}),
        "agencies": pl.DataFrame({"problem_key": [key], "canonical": [HOSTILE], "is_self": [False], "start": [26]}),
        "dates": pl.DataFrame({"problem_key": [key], "text": [HOSTILE], "start": [27]}),
        "figures": pl.DataFrame({"problem_key": [key], "text": [HOSTILE], "start": [28]}),
    }


def test_markup_in_a_problem_its_measures_and_citations_shows_as_text():
    listing = problem_list(hostile_rows())
    assert "<script" not in listing and "{{" not in listing and "`" not in listing and '"</' not in listing
    assert listing.count("<details") == listing.count("</details>") == 1  # the text's </details> closes nothing
    shown = text_of(listing)
    assert shown.count(HOSTILE) == 8  # group heading, title (and its tooltip aside), measure, next step, 4 citations


def test_markup_in_the_notices_fields_shows_as_text_in_the_card(taizhou):
    notice, rows = taizhou
    card = header_card(dict(notice, issuing_body=HOSTILE, inspecting_body=HOSTILE, province=HOSTILE), rows["problems"],
                       rows["measures"])
    assert "<script" not in card and "{{" not in card and "`" not in card
    fields = card_fields(card)
    assert fields["Issued by"].startswith(HOSTILE) and fields["Place"].startswith(HOSTILE)


def test_measures_outside_any_problem_are_listed_on_a_line_of_their_own():
    rows = {name: frame.clear() for name, frame in hostile_rows().items()}
    rows["measures"] = pl.DataFrame({"problem_key": [None], "kind": ["done"], "label": ["一是"], "text": ["一是建立巡河制度。"],
                                     "start": [5]}, schema_overrides={"problem_key": pl.String})
    listing = problem_list(rows)
    assert len(problem_blocks(listing)) == 1 and "Measures outside any problem" in listing
    assert '<span class="p-count">1 measure</span>' in listing and "<li>一是建立巡河制度。</li>" in listing
