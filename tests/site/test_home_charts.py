"""The home page's map and timeline: the shipped boundaries cover the division table; counts are whole numbers."""

from __future__ import annotations

import csv
import json
import re
from datetime import date

import polars as pl

from analysis.site.charts import OfflineChart
from analysis.site.home_charts import (NO_NOTICES, PROVINCE_MAP, count_legend_values, province_codes, province_counts,
                                       province_map, read_province_map, signature_counts, signature_timeline)

from tests.conftest import ROOT

REFERENCE = ROOT / "data" / "reference"

# Two squares (rings clockwise, as d3-geo wants exterior rings) standing for two provinces.
SQUARES = json.dumps({"type": "Topology", "arcs": [
    [[117, 36], [117, 37], [119, 37], [119, 36], [117, 36]],
    [[113, 23], [113, 24], [115, 24], [115, 23], [113, 23]]],
    "objects": {"provinces": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "arcs": [[0]], "properties": {"code": "370000", "name": "山东省"}},
        {"type": "Polygon", "arcs": [[1]], "properties": {"code": "440000", "name": "广东省"}}]}}})
DIVISIONS = pl.DataFrame({"code": ["370200", "370300", "440100"], "longitude": [120.38, 118.05, 113.26],
                          "latitude": [36.07, 36.81, 23.13]})
NOTICE_SCHEMA = {"notice_id": pl.String, "province": pl.String, "province_code": pl.String, "city": pl.String,
                 "city_code": pl.String, "genre": pl.String, "signature_date": pl.Date}


def notices(rows: list[tuple]) -> pl.DataFrame:
    """A notices table with the columns the home page's charts read."""
    return pl.DataFrame(rows, schema=NOTICE_SCHEMA, orient="row")


QINGDAO = ("qd", "山东省", "370000", "青岛市", "370200", "party_inspection", date(2024, 4, 19))
ZIBO = ("zb", "山东省", "370000", "淄博市", "370300", "environmental_inspection", date(2024, 4, 30))
ZIBO_AGAIN = ("zb2", "山东省", "370000", "淄博市", "370300", "party_inspection", date(2024, 6, 2))
GUANGZHOU = ("gz", "广东省", "440000", "广州市", "440100", "party_inspection", date(2025, 11, 20))
NOWHERE = ("x", None, None, None, None, "audit", None)


def texts(svg: str) -> list[str]:
    """The text elements of an SVG, in order."""
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def numbers(svg: str) -> list[str]:
    """The text elements of an SVG that are numbers (axis and legend labels)."""
    return [t for t in texts(svg) if re.fullmatch(r"-?[\d.,]+", t)]


def read_csv(name: str) -> list[dict]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------- the shipped boundaries


def division_provinces() -> dict[str, str]:
    return {r["code"]: r["name"] for r in read_csv("admin_divisions.csv") if r["level"] == "province"}


def test_every_province_of_the_division_table_is_a_shape_of_the_map_and_no_other():
    assert province_codes(read_province_map(REFERENCE)) == division_provinces()


def test_taiwan_hong_kong_and_macau_are_shapes_with_the_division_tables_codes():
    shapes = province_codes(read_province_map(REFERENCE))
    assert {code: shapes[code] for code in ("710000", "810000", "820000")} == {
        "710000": "台湾省", "810000": "香港特别行政区", "820000": "澳门特别行政区"}


def test_natural_earths_units_are_matched_to_provinces_of_the_division_table():
    provinces = division_provinces()
    units = read_csv("province_map_units.csv")
    assert all(provinces[u["code"]] == u["name"] for u in units)
    whole = {u["adm0_a3"]: u["code"] for u in units if not u["iso_3166_2"]}  # every admin-1 unit of an admin-0 unit
    assert whole == {"TWN": "710000", "HKG": "810000", "MAC": "820000"}


def test_the_shipped_map_is_a_small_quantized_topology_with_its_source_recorded():
    path = REFERENCE / PROVINCE_MAP
    topology = json.loads(path.read_text(encoding="utf-8"))
    assert path.stat().st_size < 300_000 and "transform" in topology and list(topology["objects"]) == ["provinces"]
    sources = (REFERENCE / "SOURCES.md").read_text(encoding="utf-8")
    assert f"`{PROVINCE_MAP}`" in sources and "Natural Earth" in sources and "public domain" in sources


# --------------------------------------------------------------------------- the map


def test_notices_are_counted_per_province_code_and_those_without_a_province_left_out():
    counts = province_counts(notices([QINGDAO, ZIBO, GUANGZHOU, NOWHERE]))
    assert counts.rows() == [("370000", 2), ("440000", 1)]


def test_a_province_without_notices_is_drawn_grey():
    svg = OfflineChart(province_map(notices([QINGDAO]), DIVISIONS, SQUARES)).svg()
    assert svg.count(f'fill="{NO_NOTICES}"') == 1


def test_provinces_with_notices_are_not_grey():
    svg = OfflineChart(province_map(notices([QINGDAO, GUANGZHOU]), DIVISIONS, SQUARES)).svg()
    assert f'fill="{NO_NOTICES}"' not in svg


def test_the_map_legends_show_whole_numbers_only():
    svg = OfflineChart(province_map(notices([QINGDAO, ZIBO, ZIBO_AGAIN, GUANGZHOU]), DIVISIONS, SQUARES)).svg()
    assert numbers(svg) == ["1", "2", "3", "1", "2"]  # provinces: 1–3 notices; cities: 1–2


def test_legend_entries_are_every_count_up_to_four_then_four_spread_whole_numbers():
    assert [count_legend_values(n) for n in (1, 4, 30)] == [[1], [1, 2, 3, 4], [1, 10, 20, 30]]


# --------------------------------------------------------------------------- the timeline


def test_signatures_are_counted_per_month_and_genre():
    counts, unit = signature_counts(notices([QINGDAO, ZIBO, ZIBO_AGAIN, GUANGZHOU, NOWHERE]))
    assert unit == "month" and counts.rows() == [
        (date(2024, 4, 1), "environmental_inspection", 1), (date(2024, 4, 1), "party_inspection", 1),
        (date(2024, 6, 1), "party_inspection", 1), (date(2025, 11, 1), "party_inspection", 1)]


def test_signatures_over_more_than_six_years_are_counted_per_year():
    old = ("old", "山东省", "370000", "青岛市", "370200", "party_inspection", date(2016, 5, 1))
    counts, unit = signature_counts(notices([old, QINGDAO, ZIBO_AGAIN]))
    assert unit == "year" and counts.rows() == [(date(2016, 1, 1), "party_inspection", 1),
                                                (date(2024, 1, 1), "party_inspection", 2)]


def test_the_timeline_axis_shows_whole_numbers_only():
    svg = OfflineChart(signature_timeline(notices([QINGDAO, ZIBO, GUANGZHOU]))).svg()
    assert numbers(svg) == ["0", "1", "2"]


def test_the_timeline_says_how_many_notices_have_no_signature_date():
    svg = OfflineChart(signature_timeline(notices([QINGDAO, NOWHERE]))).svg()
    assert "notices signed per month; 1 without a signature date not shown" in texts(svg)
