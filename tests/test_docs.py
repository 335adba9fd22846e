"""The documents point at things that exist: every test docs/reliability.md cites is a test of the suite."""

from __future__ import annotations

import re

from tests.conftest import ROOT

CITED_RE = re.compile(r"`(?:(tests/[\w/]+\.py)::)?(test_\w+)`")


def cited_tests() -> list[tuple[str, str]]:
    """(file, test name) of every test the reliability page cites; a bare name belongs to the file cited before it."""
    cited = []
    for line in (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8").splitlines():
        current = None
        for path, name in CITED_RE.findall(line):
            current = path or current
            cited.append((current, name))
    return cited


def test_the_reliability_page_cites_tests():
    assert len(cited_tests()) > 20


def test_every_test_the_reliability_page_cites_exists():
    missing = [f"{path}::{name}" for path, name in cited_tests()
               if path is None or f"def {name}(" not in (ROOT / path).read_text(encoding="utf-8")]
    assert missing == []
