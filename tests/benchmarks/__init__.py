"""Tests of the scripts in benchmarks/ (not a package: each is loaded from its file)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests.conftest import ROOT


def load_script(filename: str, module_name: str) -> ModuleType:
    """A script of benchmarks/ loaded from its file under `module_name` (registered, so later imports share it)."""
    spec = importlib.util.spec_from_file_location(module_name, ROOT / "benchmarks" / filename)
    module = sys.modules.setdefault(module_name, importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)
    return module
