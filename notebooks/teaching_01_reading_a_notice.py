# ---
# title: "Reading a rectification notice as data"
# subtitle: "Teaching notebook 1 — from a 公文 to rows, and back to the characters"
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,jupyter,-all
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
# A rectification notice is a 公文 with a fixed shape: an opening paragraph (who inspected whom, when), an outline
# of problems, measures under each problem (一是…二是…), often a status, and a signature. This notebook follows
# one notice from its text to the tables — by default a notice of the corpus this site was built from that has
# everything the exercises use (the Boxing branch of the Binzhou ecology and environment bureau when the corpus has
# it); any other notice works too (`notices notebooks teaching_01 -p notice_id=…`).
#
# Try each exercise before opening the answer. The answers are computed from the tables of the corpus this
# site was built from, and each checks itself against what the notice itself says: a check that does not pass
# is shown as a warning under the answer — a place where the reading and the notice disagree is worth a look.

# %% tags=["parameters"]
notice_id = None  # None: a notice with everything the exercises use (the Boxing notice when the corpus has it)
root = None

# %%
import polars as pl

from analysis.site import teaching, views

c = views.load_columns({"notices": ["notice_id", *teaching.DECLARED_COLUMNS, "feedback_date", "signature_date"],
                        "figures": ["notice_id", "what"], "problems": ["notice_id", "measures"]}, root)
asked = notice_id is not None
notice_id, lacking = teaching.choose_example(teaching.reading_features(c["notices"], c["figures"], c["problems"]), notice_id,
                                             prefer="binzhou-boxing-sthjfj-2023")
t = views.load_notices(["notices", "notice_fields", "problems", "measures", "figures"], [notice_id], root)
text = views.text_of(notice_id, root)
notice = t["notices"].row(0, named=True)
problems = t["problems"].sort("start")
views.md(f"**The notice:** {views.cell(notice['title'] or notice['issuing_body'] or notice_id, 200)} (`{notice_id}`)\n\n"
         "**Its opening paragraph:**\n\n> " + views.cell(teaching.opening(text, notice["title"]), 400) + "\n\n"
         + teaching.example_note(notice_id, lacking, asked))

# %% [markdown]
# ## Exercise 1 — problems and statuses
# Many notices declare how many problems or rectification items (整改事项) they completed, usually in an overview
# section (整改工作开展情况; in the Boxing notice, its part (三)). Find the declared numbers. Then count the
# problems in the table `problems` by status. Do they agree?

# %% jupyter={"source_hidden": true} tags=["answer"]
#| code-fold: true
#| code-summary: "Answer"
statuses = dict(problems.group_by("status").len().iter_rows())
declared = teaching.declared_statuses(notice)
answer = teaching.Answer().say(f"The table has **{views.plural(problems.height, 'problem')}**: {teaching.status_counts(statuses)}.")
if declared:
    answer.say(f"The notice declares {teaching.status_counts(declared)}.")
else:
    answer.say("The notice declares no completion totals, so the counts stand alone: read its problems one by one.")
for status, count in declared.items():
    answer.check(f"{teaching.STATUS_WORDS[status]} problems", count, statuses.get(status, 0),
                 "A difference means the reading missed or split a problem or a status line, or the notice counts "
                 "differently (some count items or measures, not problems): compare the problem list with the text.")
answer

# %% [markdown]
# ## Exercise 2 — how long did disclosure take?
# The opening paragraph gives the inspection period and the feedback date (often without a year: 10月21日). The
# signature block gives the date the notice was signed. How many days passed between feedback and signature?

# %% jupyter={"source_hidden": true} tags=["answer"]
#| code-fold: true
#| code-summary: "Answer"
feedback, signed = notice["feedback_date"], notice["signature_date"]
words = teaching.evidence(t["notice_fields"], text)
answer = teaching.Answer()
if feedback is None or signed is None:
    missing = "feedback" if feedback is None else "signature"
    answer.say(f"The tables have no {missing} date for this notice (it is not stated, or was not read), so the lag "
               "cannot be computed — a gap worth checking against the text.")
else:
    lag = (signed - feedback).days
    inferred = ", its year taken from the inspection period before it" if notice["feedback_year_inferred"] else ""
    answer.say(f"Feedback **{feedback}** (read from “{views.cell(words.get('feedback_date'))}”{inferred}); signed "
               f"**{signed}** (“{views.cell(words.get('signature_date'))}”): **{lag} days**.")
    answer.check("signed on or after the feedback", True, lag >= 0,
                 "A notice cannot report on feedback it has not received: one of the two dates was misread.")
answer

# %% [markdown]
# ## Exercise 3 — every number points back to the text
# Pick a figure the notice reports (in the Boxing notice, 71.7%: the share of days with good air, 空气质量优良率).
# Find its row in `figures` and use `start` and `end` to cut the characters out of the normalised text. What was
# counted?

# %% jupyter={"source_hidden": true} tags=["answer"]
#| code-fold: true
#| code-summary: "Answer"
row = teaching.pick(t["figures"].sort("start"), pl.col("text") == "71.7%", pl.col("what").is_not_null())
answer = teaching.Answer()
if row is None:
    answer.say("The extraction found no figures in this notice.")
else:
    answer.say(f"`text[{row['start']}:{row['end']}]` = **{views.cell(text[row['start']:row['end']])}** — "
               f"{views.cell(row['what'] or 'what was counted was not read')}.")
    answer.check("the characters at the figure's offsets", row["text"], text[row["start"]:row["end"]],
                 "The offsets should cut out exactly the words the figure was read from.")
answer

# %% [markdown]
# ## Exercise 4 — measures, one by one
# Take the problem with the most measures (the answer finds it). Its measures are written 一是…二是…三是…. How
# many are there, and what is the problem's status?

# %% jupyter={"source_hidden": true} tags=["answer"]
#| code-fold: true
#| code-summary: "Answer"
problem = teaching.pick(problems.filter(pl.col("measures") >= 1).sort(["measures", "start"], descending=[True, False]))
answer = teaching.Answer()
if problem is None:
    answer.say("No measures were read under any problem of this notice: read its problems in the text instead.")
else:
    mine = t["measures"].filter((pl.col("problem_key") == problem["problem_key"]) & (pl.col("kind") == "done")).sort("start")
    answer.say(f"Problem {views.cell(problem['label'])} — {views.cell(problem['title'], 80)} — has "
               f"**{problem['measures']} measures**; its status is **{teaching.STATUS_WORDS[problem['status']]}**.")
    answer.say(views.table_markdown(mine, ["label", "text"], rows=50, limit=80))
    answer.check("measure rows under the problem", problem["measures"], mine.height,
                 "The problem's count and the measures table should list the same measures.")
    answer.check("measures whose offsets point at their words", mine.height, teaching.spans_match(text, mine, "text"),
                 "Each measure's text should be the characters at its offsets.")
answer
