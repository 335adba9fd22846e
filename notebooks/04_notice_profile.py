# ---
# title: "Notice profile"
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
# One notice: who inspected whom and when, its outline, problems, measures, documents, agencies and dates —
# and its text with every extracted fact marked (hover a mark for what was read from it).

# %% tags=["parameters"]
notice_id = None
root = None

# %%
from IPython.display import display

from analysis.site import pages, views

notice_id = views.choose_notice(views.notice_ids(root), notice_id)
t = views.load_notices(pages.NOTICE_PAGE_TABLES, [notice_id], root)
display(*pages.notice_sections(t, notice_id, views.text_of(notice_id, root)))
