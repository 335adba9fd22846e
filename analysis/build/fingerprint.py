"""Fingerprints of code and reference data: what a cached output is a function of.

`modules_fingerprint` hashes some modules of the package (each stage declares its own in
`analysis.build.stages`) together with the reference data and dictionaries; `package_fingerprint`
hashes every module of the package — the build record's `code` entry and the notebook runs use it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

from analysis import __version__

PARSER_VERSION = "2"  # bump when a rule changes what a notice yields without a code change a fingerprint would see
PACKAGE = Path(__file__).resolve().parents[1]
REFERENCE_FOLDERS = (("data", "reference"), ("data", "dictionaries"))


def module_path(name: str) -> Path:
    """The file of a package module named by its path inside the package, e.g. 'read/parse'."""
    return PACKAGE / f"{name}.py"


def module_name(path: Path) -> str:
    """A module's path inside the package without '.py' (the inverse of module_path)."""
    return path.resolve().relative_to(PACKAGE).with_suffix("").as_posix()


def reference_files(root: Path) -> list[Path]:
    """Every file of data/reference and data/dictionaries, in a fixed order."""
    files: list[Path] = []
    for parts in REFERENCE_FOLDERS:
        folder = root.joinpath(*parts)
        if folder.is_dir():
            files += sorted(p for p in folder.rglob("*") if p.is_file())
    return files


def modules_fingerprint(root: Path, modules: Iterable[str]) -> str:
    """Hash of some package modules, the package and parser versions, and the reference data under `root`."""
    digest = hashlib.sha256(f"{__version__}:{PARSER_VERSION}".encode())
    for name in sorted(set(modules)):
        digest.update(name.encode())
        digest.update(module_path(name).read_bytes())
    for path in reference_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def package_fingerprint() -> str:
    """Hash of every module of the package (any code change changes it)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
