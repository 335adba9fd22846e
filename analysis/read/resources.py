"""Reference data and dictionaries shipped in the repository, loaded once per process."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

from analysis.read.places import Gazetteer, load_gazetteer


@dataclass(frozen=True)
class AgencyKind:
    """One row of data/reference/agencies.csv: a kind of agency and its names at each level."""

    key: str
    type: str
    forms: dict  # level → name form (central, province, city, county)
    aliases: tuple[str, ...]
    bare: tuple[str, ...]
    needs_prefix: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resources:
    """Everything the per-notice stages read from data/reference and data/dictionaries."""

    gazetteer: Gazetteer
    agency_kinds: dict  # key → AgencyKind
    agency_rules: dict  # alias → (keys, level)
    document_types: tuple  # (ending, doc_type, category), longest ending first
    document_verbs: tuple  # (verb, relation), longest verb first
    document_abbreviations: dict  # abbreviation → canonical title
    sectors: tuple  # (keyword, sector)
    action_verbs: tuple  # verbs that open a measure
    themes: tuple  # (theme, (keywords…)) in file order of first appearance
    formulaic_phrases: tuple  # (phrase, category), longest first


def read_csv(path: Path) -> list[dict]:
    """Rows of a UTF-8 CSV file."""
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


T = TypeVar("T")


def per_resources(cache: dict[int, tuple[Resources, T]], resources: Resources, build: Callable[[Resources], T]) -> T:
    """`build(resources)`, made once per Resources object and kept in `cache` (a module's own dict). The object is kept
    beside what was built from it: a Resources dropped from load_resources' cache could otherwise be freed and its id
    given to another one, which would then be served the first one's patterns."""
    entry = cache.get(id(resources))
    if entry is None or entry[0] is not resources:
        entry = cache[id(resources)] = (resources, build(resources))
    return entry[1]


@lru_cache(maxsize=4)
def load_resources(root: Path) -> Resources:
    """Load reference tables and dictionaries from a project root (cached per process)."""
    reference, dictionaries = root / "data" / "reference", root / "data" / "dictionaries"
    kinds = {}
    for row in read_csv(reference / "agencies.csv"):
        kinds[row["key"]] = AgencyKind(
            row["key"], row["type"],
            {level: row[level] for level in ("central", "province", "city", "county")},
            tuple(a for a in row["aliases"].split("|") if a), tuple(b for b in row["bare"].split("|") if b),
            tuple(n for n in row.get("needs_prefix", "").split("|") if n))
    rules = {row["alias"]: (tuple(row["expands_to"].split("|")), row["level"] or None)
             for row in read_csv(reference / "agency_rules.csv")}
    types = sorted(((r["ending"], r["doc_type"], r["category"]) for r in read_csv(dictionaries / "document_types.csv")),
                   key=lambda t: -len(t[0]))
    verbs = sorted(((r["verb"], r["relation"]) for r in read_csv(dictionaries / "document_verbs.csv")), key=lambda t: -len(t[0]))
    abbreviations = {r["abbreviation"]: r["canonical"] for r in read_csv(dictionaries / "document_abbreviations.csv")}
    sectors = tuple((r["keyword"], r["sector"]) for r in read_csv(dictionaries / "sectors.csv"))
    action_verbs = tuple(sorted((r["verb"] for r in read_csv(dictionaries / "action_verbs.csv")), key=len, reverse=True))
    themes: dict[str, list[str]] = {}
    for r in read_csv(dictionaries / "themes.csv"):
        themes.setdefault(r["theme"], []).append(r["keyword"])
    phrases = tuple(sorted(((r["phrase"], r["category"]) for r in read_csv(dictionaries / "formulaic_phrases.csv")),
                           key=lambda t: -len(t[0])))
    return Resources(load_gazetteer(reference / "admin_divisions.csv"), kinds, rules, tuple(types), tuple(verbs),
                     abbreviations, sectors, action_verbs, tuple((t, tuple(k)) for t, k in themes.items()), phrases)
