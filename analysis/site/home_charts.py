"""The home page's charts: notices by province on a map of China, and signatures over time by genre.

* The map draws the province boundaries shipped in data/reference/china_provinces.topojson (Natural Earth, public
  domain; how it was made and matched to the division table: data/reference/SOURCES.md and
  scripts/vendor_province_map.py). The TopoJSON goes inline into the spec, so the chart needs nothing from the network.
  Provinces are joined to the notices by their six-digit division code; a province without notices is drawn grey.
* Counts are aggregated in polars before they reach a chart (one row per province, city, or month and genre), so
  the spec stays small at any corpus size. Legends and axes of counts show whole numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import polars as pl

from analysis.site.charts import PALETTE
from analysis.site.frontmatter import GENRE_LABELS

PROVINCE_MAP = "china_provinces.topojson"  # in data/reference/
PROVINCE_OBJECT = "provinces"  # the TopoJSON object; each geometry's properties: code, name
NO_NOTICES = "#e3e3e3"
PROJECTION = {"type": "conicEqualArea", "parallels": [25, 47], "rotate": [-105, 0]}  # an Albers projection for China
INTEGER = {"format": "d", "tickMinStep": 1}  # counts: whole numbers only, on axes and legends
EVERY_TICK_UP_TO = 8  # an axis of counts up to this has a tick at every whole number (tickMinStep alone still gives 0.5)
MONTHLY_UP_TO_YEARS = 6  # a timeline over more years counts signatures per year


def read_province_map(reference: Path) -> str:
    """The shipped TopoJSON of China's provinces (data/reference/china_provinces.topojson), as its compact JSON text
    (inline as text, the spec keeps it on one line in a notebook, which nbformat would otherwise spread one number a
    line)."""
    return (reference / PROVINCE_MAP).read_text(encoding="utf-8").strip()


def province_codes(topology: str) -> dict[str, str]:
    """Division code → name of every shape of the map."""
    return {g["properties"]["code"]: g["properties"]["name"] for g in json.loads(topology)["objects"][PROVINCE_OBJECT]["geometries"]}


def province_counts(notices: pl.DataFrame) -> pl.DataFrame:
    """Notices per province (by division code); notices without a province are left out."""
    return (notices.drop_nulls("province_code").group_by("province_code")
            .agg(pl.len().cast(pl.Int64).alias("notices")).sort("province_code"))


def city_counts(notices: pl.DataFrame, divisions: pl.DataFrame) -> pl.DataFrame:
    """Notices per city, placed at the city's coordinates in the division table (cities without them are left out)."""
    return (notices.drop_nulls("city_code").group_by("city_code", "city", "province").agg(pl.len().cast(pl.Int64).alias("notices"))
            .join(divisions.select(pl.col("code").alias("city_code"), "longitude", "latitude"), on="city_code", how="inner")
            .drop_nulls(["longitude", "latitude"]).sort("city_code"))


def count_legend_values(top: int) -> list[int]:
    """Whole-number legend entries from 1 to `top`: all of them up to 4, else 1, two steps between and `top`."""
    if top <= 4:
        return list(range(1, top + 1))
    return sorted({1, round(top / 3), round(2 * top / 3), top})


def count_axis(top: int) -> alt.Axis:
    """An axis of counts from 0 to `top` with whole-number ticks only."""
    return alt.Axis(values=list(range(top + 1)), **INTEGER) if top <= EVERY_TICK_UP_TO else alt.Axis(**INTEGER)


def province_map(notices: pl.DataFrame, divisions: pl.DataFrame, topology: str) -> alt.LayerChart:
    """Provinces coloured by their notices (grey: none), cities with notices as dots sized by their notices."""
    provinces = province_counts(notices)
    cities = city_counts(notices, divisions)
    top = int(provinces.get_column("notices").max() or 1)
    city_top = int(cities.get_column("notices").max() or 1)
    shapes = alt.Chart(alt.Data(values=topology, format=alt.DataFormat(type="topojson", feature=PROVINCE_OBJECT))).mark_geoshape(
        stroke="white", strokeWidth=0.7).transform_lookup(
        lookup="properties.code", from_=alt.LookupData(provinces, key="province_code", fields=["notices"]),
    ).transform_calculate(notices="datum.notices || 0", province="datum.properties.name").encode(
        color=alt.condition("datum.notices > 0", alt.Color(
            "notices:Q", title="notices in the province",
            scale=alt.Scale(scheme={"name": "blues", "extent": [0.3, 0.95]}, domain=[1, max(top, 2)]),
            legend=alt.Legend(values=count_legend_values(top), **INTEGER)), alt.value(NO_NOTICES)),
        tooltip=[alt.Tooltip("province:N"), alt.Tooltip("notices:Q", format="d")])
    dots = alt.Chart(cities).mark_circle(color="#d1495b", opacity=0.85, stroke="white", strokeWidth=0.8).encode(
        longitude="longitude:Q", latitude="latitude:Q",
        size=alt.Size("notices:Q", title="notices in the city", scale=alt.Scale(range=[40, 400], domain=[0, city_top]),
                      legend=alt.Legend(values=count_legend_values(city_top), **INTEGER)),
        tooltip=["province:N", "city:N", alt.Tooltip("notices:Q", format="d")])
    return alt.layer(shapes, dots).project(**PROJECTION).properties(
        width=520, height=420, title=alt.Title("Where the notices come from", subtitle="grey: no notice in the corpus"))


def signature_counts(notices: pl.DataFrame) -> tuple[pl.DataFrame, str]:
    """Notices signed per month (per year when the first and last signature years are MONTHLY_UP_TO_YEARS or more
    apart) and genre, with the unit ("month" or "year"); notices without a signature date are left out."""
    dated = notices.drop_nulls("signature_date")
    if dated.is_empty():
        return pl.DataFrame(schema={"period": pl.Date, "genre": pl.String, "notices": pl.Int64}), "month"
    first, last = dated.get_column("signature_date").min(), dated.get_column("signature_date").max()
    unit = "month" if last.year - first.year < MONTHLY_UP_TO_YEARS else "year"
    counts = (dated.group_by(pl.col("signature_date").dt.truncate("1mo" if unit == "month" else "1y").alias("period"), "genre")
              .agg(pl.len().cast(pl.Int64).alias("notices")).sort("period", "genre"))
    return counts, unit


def signature_timeline(notices: pl.DataFrame) -> alt.Chart:
    """Notices by the month (or year) they were signed, stacked by genre."""
    counts, unit = signature_counts(notices)
    undated = notices.get_column("signature_date").null_count()
    data = counts.with_columns(pl.col("genre").replace_strict(GENRE_LABELS, default=pl.col("genre")).alias("genre_label"),
                               pl.col("period").cast(pl.String))
    labels = list(GENRE_LABELS.values())
    top = int(counts.group_by("period").agg(pl.col("notices").sum()).get_column("notices").max() or 1)
    time_unit, label_format = ("utcyearmonth", "%Y-%m") if unit == "month" else ("utcyear", "%Y")
    subtitle = f"notices signed per {unit}" + (f"; {undated} without a signature date not shown" if undated else "")
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("period:T", timeUnit=time_unit, title=None, axis=alt.Axis(format=label_format, labelAngle=0)),
        y=alt.Y("sum(notices):Q", title="notices", axis=count_axis(top)),
        color=alt.Color("genre_label:N", title=None, scale=alt.Scale(domain=labels, range=PALETTE[:len(labels)]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("period:T", timeUnit=time_unit, title=unit, format=label_format), alt.Tooltip("genre_label:N", title="genre"),
                 alt.Tooltip("sum(notices):Q", title="notices", format="d")],
    ).properties(width=560, height=180, title=alt.Title("When the notices were signed", subtitle=subtitle))

