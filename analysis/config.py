"""Where things live and how a build behaves: passed to every stage, never read from globals."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from analysis.errors import ProjectError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Paths:
    """The project's folders, all derived from its root."""

    root: Path

    @property
    def raw(self) -> Path:
        """Curated raw notices and their hand-kept manifest."""
        return self.root / "data" / "raw"

    @property
    def register(self) -> Path:
        """The hand-kept record of every raw notice."""
        return self.raw / "manifest.csv"

    @property
    def processed(self) -> Path:
        """Tables, texts and exports the build writes."""
        return self.root / "data" / "processed"

    @property
    def annotations(self) -> Path:
        """Hand annotations used by `notices eval`."""
        return self.root / "data" / "annotations"

    @property
    def dictionaries(self) -> Path:
        """Keyword and phrase lists shipped as data (themes, verbs, formulaic language)."""
        return self.root / "data" / "dictionaries"

    @property
    def reference(self) -> Path:
        """Reference tables (administrative divisions, agency gazetteer) with their sources."""
        return self.root / "data" / "reference"

    @property
    def notebooks(self) -> Path:
        """Notebook sources (outputs stripped)."""
        return self.root / "notebooks"

    @property
    def reports(self) -> Path:
        """Executed notebooks and the Quarto website project."""
        return self.root / "reports"


@dataclass(frozen=True)
class NetworkConfig:
    """Options of the network stage (recorded in network_graphs and MANIFEST)."""

    hub_limit: int = 100  # projections do not link through a node with more neighbours than this
    betweenness_budget: int = 50_000_000  # nodes × edges up to which betweenness is exact, not estimated
    seed: int = 20240419  # Louvain and the betweenness sample
    export_edge_limit: int = 250_000  # graphs with more edges get no GraphML/GEXF file (they stay in network_edges)


@dataclass(frozen=True)
class BuildConfig:
    """Options of one build."""

    paths: Paths
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)  # processes for the per-notice stages
    strict: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    use_cache: bool = True
    network: NetworkConfig = field(default_factory=NetworkConfig)
    wait: bool = True  # wait for the lock on data/ when another command holds it (False: fail at once)

    def with_(self, **changes) -> "BuildConfig":
        """A copy with some options changed."""
        return replace(self, **changes)


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` holding pyproject.toml and data/raw."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "pyproject.toml").is_file() and (candidate / "data" / "raw").is_dir():
            return candidate
    raise ProjectError(
        f"no project found at or above {here}: expected a folder with pyproject.toml and data/raw/ "
        "(run the command inside the repository or pass --root)"
    )
