"""Indicator definitions: each indicator's formula, denominator and caveats, declared before it is computed.

`analysis.corpus.indicators` computes them; the codebook prints these definitions.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    """One indicator's definition."""

    name: str
    label: str
    formula: str
    denominator: str
    caveats: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator("problems_agree", "Do the problems parsed match the number the notice declares?",
              "declared_problems = problems_parsed (problems_agree_with = problems) or = problem_groups_parsed (= groups).",
              "—", "Notices count differently: Binzhou declares its 10 feedback headings (反馈的10个问题) and reports 20 items under "
              "them; null when nothing is declared."),
    Indicator("measures_agree", "Do the measures parsed match the number declared?", "declared_measures = measures_parsed.", "—",
              "Declared measures belong to the rectification plan; a notice may report fewer or group them differently."),
    Indicator("measures_per_problem", "How many measures a problem gets.", "measures_parsed / problems_parsed.",
              "problems_parsed", "An unenumerated problem counts as one measure; long measures that bundle several actions count once."),
    Indicator("completion_parsed", "Share of problems the notice marks completed, among those with a stated status.",
              "problems_completed / (problems_parsed − problems_status_unknown).",
              "problems with a known status (completed, long_term, in_progress); unknown is reported, not counted as not done",
              "long_term (阶段性成效需长期坚持) counts as not completed here; completion_parsed_with_long_term counts it as done."),
    Indicator("completion_parsed_with_long_term", "Completed or long-term, among problems with a stated status.",
              "(problems_completed + problems_long_term) / (problems_parsed − problems_status_unknown).",
              "problems with a known status", "Treats 已取得阶段性成效 as rectified."),
    Indicator("completion_declared_measures", "Declared completion of measures.", "declared_measures_completed / declared_measures.",
              "declared_measures", "As the notice states it (Taizhou: 109/161 = 67.7%); declared_pct_check in `notices` says whether the "
              "printed percentage matches."),
    Indicator("completion_declared_problems", "Declared completion of problems.", "declared_problems_completed / declared_problems.",
              "declared_problems", "Null when the notice declares no completed problems."),
    Indicator("completion_declared_items", "Declared completion of rectification items (整改事项).",
              "declared_items_completed / (declared_items_completed + declared_items_long_term + declared_items_in_progress).",
              "declared items", "Binzhou: 19 / (19 + 1) = 0.95."),
    Indicator("declared_status_agree", "Do the parsed statuses agree with the declared counts?",
              "Every declared count of completed / long-term / in-progress problems or items equals the parsed count of that status.",
              "—", "Null when the notice declares no status counts."),
    Indicator("days_inspection_to_feedback", "Days from the end of the inspection to its feedback.", "feedback_date − inspection_end.",
              "—", "Year-less feedback dates take the year of the inspection period (feedback_year_inferred)."),
    Indicator("days_feedback_to_signature", "Days from feedback to the signed notice (disclosure lag).",
              "signature_date − feedback_date.", "—", "The signature date is the notice's date, not a repost or page date."),
    Indicator("within_two_months", "Was the notice signed within two months of the feedback?",
              "signature_date ≤ feedback_date + 2 calendar months.", "—",
              "The Party's inspection rules expect the rectification report within two months of feedback; a notice of "
              "'progress' (进展情况) may be published later on purpose, and publication may lag signature."),
    Indicator("specificity", "Share of measures that are checkable: they state a date, a figure or a named document.",
              "done measures with has_date or has_figure or has_document / done measures.", "done measures",
              "Dates inside document titles do not count; unmarked (low-confidence) documents do."),
    Indicator("share_with_date", "Share of measures stating a date.", "done measures with has_date / done measures.", "done measures", "—"),
    Indicator("share_with_figure", "Share of measures stating a figure.", "done measures with has_figure / done measures.",
              "done measures", "Figures in the contact lines are excluded at extraction."),
    Indicator("share_with_document", "Share of measures naming a policy document.", "done measures with has_document / done measures.",
              "done measures", "Counts marked and unmarked titles."),
    Indicator("institutionalisation", "Distinct documents the body says it issued or revised (rules made).",
              "count of distinct canonical_title with relation issued or revised and confidence high or medium.", "—",
              "institutionalisation_incl_unmarked adds low-confidence unmarked titles (the Guangzhou notice has no 《》)."),
    Indicator("collaboration_breadth", "Distinct other agencies named in the measures.",
              "count of distinct canonical agencies in done measures, not the notice's own units, not inspection bodies.", "—",
              "Named is not the same as acting together; role (partner/recipient) is in `agencies`."),
    Indicator("formulaic_share", "Share of measure text in set phrases (两个维护, 举一反三, 进一步 …).",
              "characters of done measures covered by data/dictionaries/formulaic_phrases.csv / characters of done measures.",
              "characters of done measures", "Register, not sincerity; see data/dictionaries/formulaic_phrases.md."),
    Indicator("planned_items", "Next-step (下一步) items.", "count of planned rows of `measures`.", "—", "Never counted as measures done."),
    Indicator("planned_share", "Share of items that are next steps.", "planned / (done + planned).", "done + planned measures", "—"),
    Indicator("top_theme", "Theme named in the most done measures.", "argmax over themes of measures_with_theme (ties: dictionary order).",
              "—", "Full distribution in `theme_mix`; keywords and rationale in data/dictionaries/themes.md."),
)
