"""The methods page's audit table: one row per judgement file, precision from the verdicts."""

from __future__ import annotations

from analysis.site import views

from tests.conftest import ROOT


def test_the_audit_table_has_an_audit_of_every_table():
    audits = views.load_audits(ROOT)
    assert set(audits["table"].to_list()) == {"agencies", "measures", "documents", "figures", "dates"}


def test_every_final_audit_judged_at_least_forty_rows():
    audits = views.load_audits(ROOT)
    assert audits.filter(audits["label"] == "final")["judged"].min() >= 40


def test_every_audit_is_labelled_tuning_or_final():
    assert set(views.load_audits(ROOT)["label"].to_list()) <= {"tuning", "final"}
