"""Notebook helpers: slices are read lazily and hold exactly the slice's rows; values are shown as text."""

import polars as pl
import pytest

from analysis.site import views
from analysis.errors import ProjectError


def test_a_province_slice_holds_only_that_provinces_notices(built):
    tables, ids = views.load_slice(["notices", "measures"], province="江苏省", root=built.root)
    assert ids == ["taizhou-js-sthjj-2025"]  # the Taizhou (Jiangsu) notice is the only one from Jiangsu
    assert set(tables["measures"].get_column("notice_id")) == {"taizhou-js-sthjj-2025"}


def test_an_unknown_province_is_refused_before_anything_is_read(built):
    with pytest.raises(ProjectError):
        views.load_slice(["notices"], province="火星省", root=built.root)


def test_loading_one_notice_reads_only_its_rows(built):
    tables = views.load_notices(["problems", "quarantine"], ["qingdao-sthjj-2024"], root=built.root)
    assert set(tables["problems"].get_column("notice_id")) == {"qingdao-sthjj-2024"}
    assert tables["quarantine"].equals(views.load(["quarantine"], root=built.root)["quarantine"])  # corpus-wide: whole


def test_the_whole_corpus_slice_equals_the_eager_tables(built):
    tables, ids = views.load_slice(["notices", "documents"], root=built.root)
    eager = views.load(["notices", "documents"], root=built.root)
    assert len(ids) == 5 and all(tables[name].equals(eager[name]) for name in tables)


def test_notice_ids_lists_every_notice(built):
    assert views.notice_ids(built.root).get_column("notice_id").sort().to_list() == sorted(
        pl.read_parquet(built.processed / "notices.parquet").get_column("notice_id").to_list())


def test_a_table_cell_shows_markup_as_text():
    shown = views.cell("[点我](javascript:alert(1)) <b>x</b> `c` $m$ {{< include x >}}")
    assert "<b>" not in shown and "{{" not in shown and "\\[点我\\]" in shown and "\\`c\\`" in shown and "\\$m\\$" in shown


def test_the_corpus_summary_does_not_count_a_missing_province_as_one(tables):
    t = {name: tables[name] for name in ("notices", "problems", "measures", "documents", "agencies", "quarantine")}
    extra = t["notices"].head(1).with_columns(pl.lit("unplaced-2024").alias("notice_id"), pl.lit(None, pl.String).alias("province"))
    t["notices"] = pl.concat([t["notices"], extra])
    text = views.corpus_summary(t).text
    assert "**6 notices** from **3 provinces** (1 notice without a known province)" in text
