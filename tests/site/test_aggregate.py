"""Chart data: a chart gets the rows it draws — one per notice for small corpora, bounded distributions beyond."""

from __future__ import annotations

import polars as pl

from analysis.site.aggregate import (OTHER, PER_NOTICE_LIMIT, completion_data, day_bands, lag_data, measures_per_problem_data,
                                     network_view, share_bands, theme_data, top_n)


def indicators(n: int) -> pl.DataFrame:
    """An indicators-like frame of n notices (the columns the charts read)."""
    ids = [f"n{i:05d}" for i in range(n)]
    share = [(i % 11) / 10 for i in range(n)]
    return pl.DataFrame({"notice_id": ids, "completion_declared_measures": [None] * n, "completion_declared_problems": share,
                         "completion_declared_items": [None] * n, "completion_parsed": share,
                         "days_inspection_to_feedback": [i % 900 - 5 for i in range(n)], "days_feedback_to_signature": [None] * n})


def test_a_small_corpus_is_drawn_one_row_per_notice_and_stated_value():
    data = completion_data(indicators(3))
    assert data.columns == ["notice", "measure", "share"] and data.height == 6  # two stated completions each


def test_a_large_corpus_is_drawn_as_counts_per_band_whatever_its_size():
    data = completion_data(indicators(10_000))
    assert data.height == 20  # 10 bands × 2 stated completions, not 20,000 rows
    assert data.get_column("notices").sum() == 20_000


def test_the_limit_is_inclusive():
    assert "notice" in completion_data(indicators(PER_NOTICE_LIMIT)).columns
    assert "notice" not in completion_data(indicators(PER_NOTICE_LIMIT + 1)).columns


def test_share_bands_put_a_full_share_in_the_last_band_and_a_tenth_in_the_second():
    bands = share_bands(pl.DataFrame({"g": ["a"] * 3, "share": [1.0, 0.1, 0.0]}), "g").filter(pl.col("notices") > 0)
    assert bands.select("band", "label", "notices").rows() == [(0, "0–10%", 1), (1, "10–20%", 1), (9, "90–100%", 1)]


def test_share_bands_list_every_band_of_every_group_with_zeros():
    bands = share_bands(pl.DataFrame({"g": ["a", "b"], "share": [0.5, 0.5]}), "g")
    assert bands.height == 20 and bands.get_column("notices").sum() == 2


def test_day_bands_keep_negative_and_very_long_lags_in_a_band_of_their_own():
    bands = day_bands(pl.DataFrame({"g": ["a"] * 3, "days": [-3, 29, 5000]}), "g")
    assert bands.select("start", "label", "notices").rows() == [(-30, "below 0 days", 1), (0, "0–29 days", 1),
                                                                (720, "720 days or more", 1)]


def test_lags_of_many_notices_are_counted_per_interval_and_band():
    data = lag_data(indicators(1_000))
    assert set(data.get_column("interval")) == {"inspection end → feedback"} and data.get_column("notices").sum() == 1_000


def test_top_n_pools_the_rarer_values_and_names_the_missing_ones():
    frame = top_n(pl.DataFrame({"province": ["甲", "甲", "乙", None, None, None]}), "province", n=2)
    assert frame.get_column("province").to_list() == ["甲", "甲", OTHER, "no province read", "no province read",
                                                      "no province read"]


def test_measures_per_problem_of_a_large_corpus_are_capped_and_counted():
    problems = pl.DataFrame({"notice_id": [f"n{i % 500}" for i in range(5_517)], "measures": [i % 40 for i in range(5_517)],
                             "status": ["completed", "unknown"] * 2758 + ["completed"]})
    data = measures_per_problem_data(problems)
    assert data.height <= 16 * 2 and data.get_column("problems").sum() == 5_517
    assert data.filter(pl.col("measures") == 15).get_column("label").unique().to_list() == ["15+"]


def test_measures_per_problem_of_a_small_corpus_count_ticks_per_notice():
    problems = pl.DataFrame({"notice_id": ["a", "a", "b"], "measures": [2, 2, 3], "status": ["completed"] * 3})
    assert measures_per_problem_data(problems).rows() == [("a", 2, "completed", 2), ("b", 3, "completed", 1)]


def test_themes_of_a_large_corpus_are_averaged_by_province():
    n = 100
    mix = pl.DataFrame({"notice_id": [f"n{i}" for i in range(n)], "theme": ["air"] * n, "measures_with_theme": [1] * n,
                        "share": [0.2 if i < 50 else 0.4 for i in range(n)]})
    notices = pl.DataFrame({"notice_id": [f"n{i}" for i in range(n)], "province": ["甲" if i < 50 else "乙" for i in range(n)]})
    data = theme_data(mix, notices)
    assert data.select("group", "share", "notices").rows() == [("乙", 0.4, 50), ("甲", 0.2, 50)]


def test_a_network_view_keeps_the_heaviest_edges_among_the_top_nodes_and_drops_their_evidence():
    nodes = pl.DataFrame({"node_id": ["a", "b", "c", "d"], "label": ["A", "B", "C", "D"], "weighted_degree": [5.0, 4.0, 3.0, 1.0]})
    edges = pl.DataFrame({"source": ["a", "a", "b", "c"], "target": ["b", "c", "c", "d"], "relation": ["r"] * 4,
                          "weight": [3, 2, 1, 9], "evidence": ["k1;k2;k3", "k4", "k5", "k6"]})
    kept_nodes, kept_edges, note = network_view(nodes, edges, max_nodes=3, max_edges=1)
    assert kept_nodes.get_column("node_id").to_list() == ["a", "b", "c"] and kept_edges.rows() == [("a", "b", "r", 3)]
    assert note == "the 3 most connected nodes and the 1 heaviest edges among them"
