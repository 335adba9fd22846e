# ---
# title: "Methods and codebook"
# execute:
#   echo: false
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# ## How the tables are made
#
# 1. **Ingest** decodes each raw notice (UTF-8, UTF-8 with BOM, GB18030, HTML pages through a real parser),
#    converts traditional script with OpenCC `t2s` one character for one, maps full-width forms to half-width, and
#    removes page noise — every removed span is logged with its rule.
# 2. **Parse** reads the 公文 outline by marker form (一、 → (一) → 1. → 1) → ①), assigns roles to sections,
#    finds problems, measures (一是…二是…), next steps (下一步) and statuses, and the notice's metadata with the
#    characters each field was read from.
# 3. **Extract** finds policy documents (nested, unbalanced and abbreviated titles; unmarked titles with low
#    confidence), agencies (a gazetteer with place-qualified canonical names), dates (year-less dates resolved in
#    context) and figures.
# 4. **Indicators** and **networks** are computed from those tables only.
#
# The parse is evaluated against hand annotations of every shipped notice (`data/annotations/`, made by reading
# the notices following `docs/annotation-guide.md`).

# %% tags=["parameters"]
root = None

# %%
import polars as pl

from analysis.site import views
from analysis.contract.codebook import codebook_markdown

ev = views.load_evaluation(root)  # empty when data/annotations/ holds no annotations
views.evaluation_summary(ev)

# %%
views.show(ev.sort("section", "field"), caption="Evaluation by field")

# %% [markdown]
# ## Reading real notices: the development set
#
# The shipped notices are few, so the reading of notice-level facts is also measured on a development set of real
# notices of all three genres, read by hand (`data/annotations/devset.jsonl`; their texts are not ours to republish and
# stay with whoever collected them). The last recorded scores (`notices eval --devset … --record`, see `docs/devset.md`):

# %%
from analysis.corpus.devset import recorded_scores

views.md(recorded_scores(views.project(root).root) or "*No development-set scores have been recorded yet.*")

# %% [markdown]
# ## Precision of the extracted facts on real notices
#
# Each row below is one audit: `notices audit --table T --sample 40 --seed N` drew 40 rows of a table at random from
# real notices (the development set's, or a batch read only for an audit and recorded in
# `data/annotations/fresh-sources.jsonl`), and a reader judged each one by reading the words around its offsets
# (`data/annotations/audits/`: row keys, verdicts, error types and the reader's own short notes — never a notice's
# text). Precision is correct ÷ (correct + wrong); `unclear` rows (the text does not let a reader decide) are left
# out. `tuning` audits were read while the rules were being changed (their rows are not an honest estimate);
# `final` audits were drawn with a new seed after the last change to that table's rules. A draw kept to one batch of
# notices never read while tuning (`--notices`) takes every row of the batch when it has fewer than 40. A table with
# no `final` row has no honest estimate after its last rule change (docs/devset.md says why). Measures have only a
# small `final` draw, the whole of a fresh batch (2 rows, both correct): few stored copies of real notices reach
# their measures, so that table has no 40-row final yet.

# %%
audits = views.load_audits(root)
views.show(audits.with_columns((pl.col("precision") * 100).round(1).alias("precision %")),
           columns=["table", "label", "seed", "judged", "correct", "wrong", "unclear", "precision %", "errors"],
           caption="Precision audits of the extracted tables (random rows)") if audits.height else \
    views.md("*No precision audits have been recorded yet (`notices audit --help`).*")

# %%
views.md(codebook_markdown().replace("# Codebook", "## Codebook", 1))
