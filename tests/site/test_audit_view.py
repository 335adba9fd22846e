"""The methods page's audit table: one row per judgement file, precision from the verdicts."""

from __future__ import annotations

from analysis.site import views

from tests.conftest import ROOT


def test_the_audit_table_has_an_audit_of_every_table():
    audits = views.load_audits(ROOT)
    assert set(audits["table"].to_list()) == {"agencies", "measures", "documents", "figures", "dates"}


def test_a_final_audit_under_forty_rows_is_drawn_only_from_fresh_batches():
    import json

    from analysis.corpus.audit import judgement_path, read_judgements

    folder = ROOT / "data" / "annotations" / "audits"
    sources = (ROOT / "data" / "annotations" / "fresh-sources.jsonl").read_text(encoding="utf-8")
    fresh = {json.loads(line)["id"] for line in sources.splitlines() if line.strip()}
    audits = views.load_audits(ROOT)
    short = audits.filter((audits["label"] == "final") & (audits["judged"] < 40))
    for table, seed in zip(short["table"].to_list(), short["seed"].to_list()):
        assert {row["notice_id"] for row in read_judgements(judgement_path(folder, table, seed))} <= fresh


def test_every_audit_is_labelled_tuning_or_final():
    assert set(views.load_audits(ROOT)["label"].to_list()) <= {"tuning", "final"}
