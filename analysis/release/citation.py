"""Citation metadata of a release: its CITATION.cff, its .zenodo.json and the sentence that cites it.

All three come from the repository's CITATION.cff (title, authors, abstract, keywords, message) with the release's
version and date and the data's licence (`analysis.contract.datapackage.DATA_LICENCE`). The date is given, never read
from the clock, so that a release made twice is the same.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import yaml

from analysis.contract.datapackage import DATA_LICENCE
from analysis.errors import ProjectError

SET_IN_RELEASE = ("type", "version", "date-released", "license")  # top-level CITATION.cff keys a release sets


def read_citation(path: Path) -> tuple[str, dict]:
    """The text of CITATION.cff and what it says; ProjectError if it is missing or unreadable."""
    if not path.is_file():
        raise ProjectError(f"no {path.name} in the repository: a release takes its title, authors and abstract from it")
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProjectError(f"{path.name} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not data.get("title") or not data.get("authors"):
        raise ProjectError(f"{path.name} needs at least a title and authors")
    return text, data


def release_citation(text: str, version: str, released: date) -> str:
    """CITATION.cff of a release: the repository's, with type dataset, this version and date, and the data's licence."""
    values = {"type": "dataset", "version": f'"{version}"', "date-released": f'"{released.isoformat()}"',
              "license": DATA_LICENCE["name"]}
    lines = text.rstrip("\n").split("\n")
    for key in SET_IN_RELEASE:
        pattern = re.compile(rf"^{re.escape(key)}:.*$")
        at = [i for i, line in enumerate(lines) if pattern.match(line)]
        if at:
            lines[at[0]] = f"{key}: {values[key]}"
        else:
            lines.append(f"{key}: {values[key]}")
    return "\n".join(lines) + "\n"


def creator(author: dict) -> dict:
    """A Zenodo creator from a CITATION.cff author (a person or an entity)."""
    if author.get("family-names"):
        name = ", ".join(filter(None, [author.get("family-names"), author.get("given-names")]))
    else:
        name = author.get("name", "")
    out = {"name": name}
    if author.get("affiliation"):
        out["affiliation"] = author["affiliation"]
    if author.get("orcid"):
        out["orcid"] = str(author["orcid"]).rsplit("/", 1)[-1]
    return out


def zenodo_metadata(citation: dict, version: str, released: date) -> dict:
    """.zenodo.json: the deposit's metadata (title, version, date, creators, licence, description, keywords)."""
    description = " ".join(str(citation.get("abstract", "")).split())
    notes = ("The notices themselves are official documents of the bodies that signed them: cite each by its issuing body, "
             "title and signature date (data/processed/notices.csv). Their raw copies are included only where "
             "data/raw/manifest.csv (column terms) says they may be redistributed.")
    return {
        "title": citation["title"],
        "upload_type": "dataset",
        "version": version,
        "publication_date": released.isoformat(),
        "creators": [creator(a) for a in citation["authors"]],
        "description": description,
        "license": DATA_LICENCE["name"].lower(),
        "access_right": "open",
        "keywords": [str(k) for k in citation.get("keywords", [])],
        "notes": notes,
    }


def zenodo_json(citation: dict, version: str, released: date) -> bytes:
    """.zenodo.json as UTF-8 bytes (fixed key order)."""
    return (json.dumps(zenodo_metadata(citation, version, released), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def cite_as(citation: dict, version: str, released: date) -> str:
    """How to cite the release, in one line (the DOI is added by the repository that holds it)."""
    names = "; ".join(creator(a)["name"] for a in citation["authors"])
    return f"{names} ({released.year}). {citation['title']} (Version {version}) [Data set]."
