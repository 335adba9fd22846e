"""Notebook parameters and corpus slices: the one validator for every value that reaches a notebook.

* Names must be parameters the notebook declares in its cell tagged `parameters` (papermill pastes
  names into code unescaped — raw `papermill -p` runs a crafted name as code), and plain identifiers.
* Values must be ones the corpus knows (`Vocabulary`): notice ids, provinces, signature years, and the
  genres and graphs of the contract; `root` is set by the runner, never on the command line.
* A slice (province, genre, year) is checked by the same `check_value`, whether it comes from
  `notices notebooks --slice`, from a notebook's parameters, or from `views.load_slice` in a kernel.

Everything here raises `ParameterError` (exit code 2 on the command line) before anything runs.
"""

from __future__ import annotations

import ast
import json
import keyword
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analysis.contract.values import GENRE_VALUES, GRAPH_NAMES
from analysis.errors import ProjectError

SLICE_KEYS = ("province", "genre", "year")
INT_PARAMETERS = ("year",)


class ParameterError(ProjectError):
    """A notebook parameter is unknown, unsafe, or has a value the corpus does not know."""


@dataclass(frozen=True)
class Vocabulary:
    """The values the corpus knows, for validating parameters."""

    notice_ids: frozenset
    provinces: frozenset
    years: frozenset

    @classmethod
    def of(cls, notices: pl.DataFrame) -> "Vocabulary":
        """From the notices table (its notice_id, province and signature_date columns)."""
        return cls(frozenset(notices.get_column("notice_id").to_list()),
                   frozenset(notices.get_column("province").drop_nulls().to_list()),
                   frozenset(notices.get_column("signature_date").drop_nulls().dt.year().to_list()))


def declared_parameters(notebook: Path) -> dict[str, object]:
    """Names and default values assigned in the notebook's cell tagged `parameters`."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse("".join(cell["source"]))
            found = {}
            for node in tree.body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    found[node.targets[0].id] = ast.literal_eval(node.value)
            return found
    raise ParameterError(f"{notebook.name} has no cell tagged 'parameters'")


def check_name(notebook: Path, name: object, declared: dict[str, object]) -> str:
    """A parameter name if it is a plain identifier the notebook declares; else ParameterError (names become code)."""
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise ParameterError(f"parameter name {name!r} is not a plain identifier; refused (names are pasted into code)")
    if name not in declared:
        raise ParameterError(f"{notebook.name} has no parameter {name!r}; its parameters are {', '.join(declared)}")
    return name


def check_value(name: str, value: object, vocabulary: Vocabulary) -> None:
    """Refuse a value the corpus does not know for a parameter it constrains (notice_id, province, genre, year, graph;
    root is the runner's); other parameters are only type-checked by `check_parameters`."""
    if name == "notice_id" and (not isinstance(value, str) or value not in vocabulary.notice_ids):
        raise ParameterError(f"unknown notice id {value!r}")
    if name == "province" and (not isinstance(value, str) or value not in vocabulary.provinces):
        raise ParameterError(f"province {value!r} is not in the corpus ({', '.join(sorted(vocabulary.provinces))})")
    if name == "genre" and value not in GENRE_VALUES:
        raise ParameterError(f"genre {value!r} is not one of {', '.join(GENRE_VALUES)}")
    if name == "year" and (not isinstance(value, int) or isinstance(value, bool) or value not in vocabulary.years):
        raise ParameterError(f"year {value!r} is not a signature year of the corpus ({', '.join(map(str, sorted(vocabulary.years)))})")
    if name == "graph" and value not in GRAPH_NAMES:
        raise ParameterError(f"graph {value!r} is not one of {', '.join(GRAPH_NAMES)}")
    if name == "root":
        raise ParameterError("root is set by the runner, not on the command line")


def check_parameters(notebook: Path, parameters: dict, vocabulary: Vocabulary) -> dict:
    """The parameters if every name is declared by the notebook and every value is known; else ParameterError."""
    declared = declared_parameters(notebook)
    for name, value in parameters.items():
        check_name(notebook, name, declared)
        if value is None:
            continue
        check_value(name, value, vocabulary)
        default = declared[name]
        if default is not None and type(value) is not type(default):
            raise ParameterError(f"parameter {name} must be {type(default).__name__}, not {type(value).__name__}")
    return parameters


def check_slice(vocabulary: Vocabulary, province: str | None = None, genre: str | None = None,
                year: int | None = None) -> dict:
    """The parts of a slice that are set (None or empty keeps all notices, as `views.corpus_slice` does), if each is
    a province, genre or signature year of the corpus; else ParameterError (a clear error, not an empty page)."""
    chosen = {key: value for key, value in zip(SLICE_KEYS, (province, genre, year)) if value}
    for key, value in chosen.items():
        check_value(key, value, vocabulary)
    return chosen


def typed_value(name: str, raw: str, default: object) -> object:
    """A command-line value converted to the type of the parameter's default (year: a whole number; else text)."""
    if isinstance(default, bool):
        if raw.lower() not in ("true", "false"):
            raise ParameterError(f"parameter {name} is true or false, not {raw!r}")
        return raw.lower() == "true"
    if isinstance(default, int) or name in INT_PARAMETERS:
        if not re.fullmatch(r"-?\d+", raw.strip()):
            raise ParameterError(f"parameter {name} must be a whole number, not {raw!r}")
        return int(raw)
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError as exc:
            raise ParameterError(f"parameter {name} must be a number, not {raw!r}") from exc
    return raw


def parse_parameters(notebook: Path, texts: list[str]) -> dict:
    """`key=value` arguments → typed parameters; names are checked against the notebook before anything else."""
    declared = declared_parameters(notebook)
    parameters: dict = {}
    for text in texts:
        if "=" not in text:
            raise ParameterError(f"a parameter is key=value, not {text!r}")
        name, raw = text.split("=", 1)
        name = check_name(notebook, name.strip(), declared)
        if name == "root":
            raise ParameterError("root is set by the runner, not on the command line")
        parameters[name] = typed_value(name, raw.strip(), declared[name])
    return parameters


def parse_slice(text: str) -> dict:
    """'province=山东省' / 'genre=audit' / 'year=2024' → a parameter dict (values checked later, against the corpus)."""
    if "=" not in text:
        raise ParameterError(f"a slice is key=value (province=…, genre=…, year=…), not {text!r}")
    key, value = (part.strip() for part in text.split("=", 1))
    if key not in SLICE_KEYS:
        raise ParameterError(f"slices are by province, genre or year, not {key!r}")
    if key == "year":
        if not value.isdigit():
            raise ParameterError(f"year must be a number, not {value!r}")
        return {key: int(value)}
    return {key: value}


def resolve_notebook(notebooks: Path, name: str) -> str:
    """The notebook file a command-line name means: its file name, its stem, or a unique start of its stem."""
    names = sorted(p.name for p in notebooks.glob("*.ipynb"))
    stems = {n[: -len(".ipynb")]: n for n in names}
    if name in names:
        return name
    if name in stems:
        return stems[name]
    matches = [n for stem, n in stems.items() if stem.startswith(name)] if name else []
    if len(matches) == 1:
        return matches[0]
    listing = ", ".join(stems) or "none"
    if matches:
        raise ParameterError(f"{name!r} could be {', '.join(m[:-6] for m in matches)}; say which (notebooks: {listing})")
    raise ParameterError(f"no notebook {name!r} in {notebooks.name}/ (notebooks: {listing})")
