"""The three statements of the environment agree: pyproject.toml, requirements/lock.txt, environment.yml."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import ROOT

NAME_RE = re.compile(r"^([A-Za-z0-9_.\-]+)")
CONDA_NAMES = {"python-igraph": "igraph", "dask-core": "dask", "python-duckdb": "duckdb"}  # conda-forge name → Python distribution name


def direct_dependencies() -> list[str]:
    """Normalised names of pyproject's direct dependencies (runtime and dev)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = project["dependencies"] + project["optional-dependencies"]["dev"]
    return sorted(NAME_RE.match(s).group(1).lower().replace("_", "-") for s in specs)


def locked_versions() -> dict[str, str]:
    """name → version pinned in requirements/lock.txt (the Python 3.11 entry where markers split)."""
    versions = {}
    for line in (ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)(.*)$", line)
        if m and ">= '3.12'" not in m.group(3) and "== '3.12" not in m.group(3):
            versions[m.group(1).lower()] = m.group(2)
    return versions


def conda_versions() -> dict[str, str]:
    """name → version pinned in environment.yml (conda and pip sections)."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    versions = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for pip_dep in dep["pip"]:
                name, version = pip_dep.split("==")
                versions[name.lower()] = version
        elif "=" in dep:
            name, version = dep.split("#")[0].strip().split("=", 1)
            versions[CONDA_NAMES.get(name.lower(), name.lower())] = version
    return versions


def test_every_direct_dependency_is_locked_with_a_hash():
    lock = (ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8")
    versions = locked_versions()
    for name in direct_dependencies():
        assert name in versions, f"{name} is not in requirements/lock.txt"
        block = lock[lock.index(f"\n{name}==") if f"\n{name}==" in lock else lock.index(f"{name}=="):]
        assert "--hash=sha256:" in block.split("\n\n")[0][:2000], f"{name} has no hash"


def test_environment_yml_pins_the_locked_versions():
    locked, conda = locked_versions(), conda_versions()
    for name in direct_dependencies():
        assert name in conda, f"{name} is missing from environment.yml"
        assert conda[name] == locked[name], f"{name}: environment.yml {conda[name]} vs lock {locked[name]}"


def test_environment_yml_is_conda_forge_python_311_with_quarto():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"]
    assert any(str(d).startswith("quarto") for d in env["dependencies"])


def test_locked_versions_satisfy_pyproject_ranges():
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    versions = locked_versions()
    for spec in project["dependencies"] + project["optional-dependencies"]["dev"]:
        requirement = Requirement(spec)
        assert requirement.specifier.contains(versions[requirement.name.lower()], prereleases=True), spec


def test_ci_runs_the_readme_test_command():
    command = "python3.11 tasks.py test"
    assert command in (ROOT / "README.md").read_text(encoding="utf-8")
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_pip_route_pins_quarto_cli_with_a_hash_at_the_conda_environments_quarto():
    pin = (ROOT / "requirements" / "quarto.txt").read_text(encoding="utf-8")
    version = re.search(r"^quarto-cli==(\d+\.\d+)\.\d+ \\\n\s+--hash=sha256:[0-9a-f]{64}$", pin, re.MULTILINE).group(1)
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert f"quarto={version}" in env["dependencies"]
