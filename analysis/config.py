"""Where things live and how a build behaves: passed to every stage, never read from globals."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

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


CLUSTER_KINDS = ("local", "scheduler", "slurm", "pbs")  # where `notices build --cluster/--scheduler` runs the per-notice stage
BATCH_KINDS = ("slurm", "pbs")  # started through dask-jobqueue from a small YAML file
BATCH_REQUIRED = {"cores": int, "memory": str, "walltime": str, "jobs": int}
BATCH_OPTIONAL = {"queue": str, "account": str, "processes": int, "python": str, "job_script_prologue": list,
                  "local_directory": str, "interface": str, "allowed_failures": int}


@dataclass(frozen=True)
class ClusterConfig:
    """Where the per-notice stage runs when not in the local process pool: a Dask LocalCluster, a running scheduler, or a
    batch cluster (Slurm, PBS) started by dask-jobqueue. Chosen on the command line; never read from globals."""

    kind: str  # one of CLUSTER_KINDS
    address: str | None = None  # scheduler: tcp://HOST:PORT
    workers: int | None = None  # local: worker processes (default: BuildConfig.workers)
    cores: int | None = None  # batch: cores per job
    memory: str | None = None  # batch: memory per job, e.g. "16GB"
    walltime: str | None = None  # batch: e.g. "01:00:00"
    jobs: int | None = None  # batch: jobs to submit
    queue: str | None = None  # batch: partition (Slurm) or queue (PBS)
    account: str | None = None
    processes: int | None = None  # batch: worker processes per job (default: one per core)
    python: str | None = None  # batch: the Python of the shared environment on the nodes
    job_script_prologue: tuple[str, ...] = ()  # batch: shell lines run before the worker starts (e.g. activate the env)
    local_directory: str | None = None  # batch: node-local scratch for the workers
    interface: str | None = None  # batch: network interface of the nodes (e.g. ib0)
    allowed_failures: int = 3  # worker deaths a chunk may cause before the build fails (the scheduler's allowed-failures)
    connect_timeout: str = "3s"  # scheduler: how long to try to reach it

    def describe(self) -> str:
        """One line naming the cluster, for messages."""
        if self.kind == "scheduler":
            return f"the Dask scheduler at {self.address}"
        if self.kind == "local":
            return "a Dask LocalCluster" + (f" of {self.workers} workers" if self.workers else "")
        return f"a {self.kind} cluster of {self.jobs} job(s) × {self.cores} cores"


def load_cluster_config(kind: str, path: Path) -> ClusterConfig:
    """A batch cluster's options from a small YAML file (cores, memory, walltime, jobs; optionally queue, account …);
    ProjectError naming the file and the key for anything missing, unknown or of the wrong type."""
    if kind not in BATCH_KINDS:
        raise ProjectError(f"--cluster-config is for --cluster {' or '.join(BATCH_KINDS)}, not {kind!r}")
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProjectError(f"cannot read the cluster configuration {path}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise ProjectError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ProjectError(f"{path} must be a mapping of keys to values (cores, memory, walltime, jobs …)")
    known = {**BATCH_REQUIRED, **BATCH_OPTIONAL}
    unknown = sorted(set(map(str, data)) - set(known))
    if unknown:
        raise ProjectError(f"{path}: unknown key(s) {', '.join(unknown)}; the keys are {', '.join(known)}")
    missing = [key for key in BATCH_REQUIRED if key not in data]
    if missing:
        raise ProjectError(f"{path}: missing key(s) {', '.join(missing)} (required: {', '.join(BATCH_REQUIRED)})")
    for key, value in data.items():
        wanted = known[key]
        if wanted is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = data[key] = str(value)
        if not isinstance(value, wanted) or isinstance(value, bool) or (wanted is int and value < 1):
            kind_name = {int: "a whole number ≥ 1", str: "text", list: "a list of shell lines"}[wanted]
            raise ProjectError(f"{path}: {key} must be {kind_name}, not {value!r}")
    if "job_script_prologue" in data:
        data["job_script_prologue"] = tuple(str(line) for line in data["job_script_prologue"])
    return ClusterConfig(kind=kind, **data)


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
    cluster: ClusterConfig | None = None  # run the per-notice stage on Dask (None: this machine's process pool)

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
