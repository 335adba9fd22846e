"""A release's citation metadata: CITATION.cff with its version and date, .zenodo.json from the same facts."""

from __future__ import annotations

import json
from datetime import date

import pytest
import yaml

from analysis.errors import ProjectError
from analysis.release.citation import cite_as, read_citation, release_citation, zenodo_json

from tests.conftest import ROOT

CFF = """cff-version: 1.2.0
title: "Notices as data"
type: software
authors:
  - family-names: Li
    given-names: Hua
    orcid: "https://orcid.org/0000-0002-1825-0097"
  - name: "The project"
version: 0.1.0
date-released: "2020-01-01"
license: MIT
keywords:
  - China
abstract: >-
  Tables read from
  notices.
"""


def test_a_release_sets_version_date_type_and_licence_and_keeps_the_rest():
    text = release_citation(CFF, "1.2.3", date(2026, 1, 31))
    data = yaml.safe_load(text)
    assert (data["version"], data["date-released"], data["type"], data["license"]) == ("1.2.3", "2026-01-31", "dataset", "MIT")
    assert data["authors"] == yaml.safe_load(CFF)["authors"] and data["abstract"] == "Tables read from notices."


def test_a_missing_key_is_added():
    data = yaml.safe_load(release_citation('cff-version: 1.2.0\ntitle: "x"\nauthors:\n  - name: "y"\n', "1.0.0", date(2026, 1, 1)))
    assert data["version"] == "1.0.0" and data["date-released"] == "2026-01-01"


def test_zenodo_metadata_takes_creators_keywords_and_abstract_from_the_citation():
    meta = json.loads(zenodo_json(yaml.safe_load(CFF), "1.2.3", date(2026, 1, 31)))
    assert meta["creators"] == [{"name": "Li, Hua", "orcid": "0000-0002-1825-0097"}, {"name": "The project"}]
    assert (meta["version"], meta["publication_date"], meta["upload_type"], meta["license"]) == ("1.2.3", "2026-01-31", "dataset", "mit")
    assert meta["keywords"] == ["China"] and meta["description"] == "Tables read from notices."


def test_a_version_is_cited_with_its_authors_year_and_number():
    assert cite_as(yaml.safe_load(CFF), "1.2.3", date(2026, 1, 31)) == \
        "Li, Hua; The project (2026). Notices as data (Version 1.2.3) [Data set]."


def test_the_repositorys_citation_file_is_readable():
    _, data = read_citation(ROOT / "CITATION.cff")
    assert data["title"] and data["authors"]


def test_a_missing_citation_file_is_named(tmp_path):
    with pytest.raises(ProjectError, match="CITATION.cff"):
        read_citation(tmp_path / "CITATION.cff")
