"""The methods page's audit table: one row per judgement file, precision from the verdicts."""

from __future__ import annotations

from analysis.site import views

from tests.conftest import ROOT


def test_the_audit_table_has_a_final_audit_of_every_table():
    audits = views.load_audits(ROOT)
    finals = set(audits.filter(audits["label"] == "final")["table"].to_list())
    assert finals == {"agencies", "measures", "documents", "figures", "dates"}
    assert audits["judged"].min() >= 40
