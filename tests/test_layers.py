"""The package's shape: layers that only import downwards, no import cycle, a contract that imports nothing above it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "analysis"
# Lowest first. A module may import from its own layer or a lower one, never from a higher one.
LAYERS = ("__init__", "contract", "errors", "config", "read", "extract", "corpus", "build", "release", "site", "cli")
LONG_REASON_RE = re.compile(r"long (module )?(on purpose|because)", re.IGNORECASE)


def module_of(path: Path) -> str:
    """Dotted module name of a file of the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    """Rank of a module's layer (analysis.read.parse → read)."""
    parts = module.split(".")
    return LAYERS.index(parts[1] if len(parts) > 1 else "__init__")


def type_checking_lines(tree: ast.Module) -> set[int]:
    """Lines inside `if TYPE_CHECKING:` blocks (imports there are for annotations only)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", None)) == "TYPE_CHECKING":
            for child in node.body:
                lines.update(range(child.lineno, child.end_lineno + 1))
    return lines


def imports_of(path: Path) -> set[str]:
    """Modules of the package that a file imports (at any depth in the file, except under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = type_checking_lines(tree)
    here = module_of(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "analysis")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] != "analysis":
                continue
            for alias in node.names:  # `from analysis.build import steps` imports a module
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in MODULES else base)
    return {m for m in found if m in MODULES}


MODULES = {module_of(p): p for p in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {name: imports_of(path) for name, path in MODULES.items()}


def test_every_module_sits_in_a_declared_layer():
    unknown = sorted(name for name in MODULES if name.split(".")[1:2] and name.split(".")[1] not in LAYERS)
    assert unknown == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_nothing_from_a_layer_above_it(module):
    upward = sorted(m for m in GRAPH[module] if layer_of(m) > layer_of(module))
    assert upward == [], f"{module} imports from above its layer: {upward}"


def test_the_contract_imports_nothing_outside_itself():
    outside = sorted({(m, i) for m, imported in GRAPH.items() if m.startswith("analysis.contract")
                      for i in imported if not i.startswith("analysis.contract")})
    assert outside == []


def test_there_is_no_import_cycle():
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for imported in sorted(GRAPH[module]):
            if imported == module:
                continue
            if state.get(imported) == 1:
                cycles.append(path[path.index(imported):] + [imported])
            elif imported not in state:
                visit(imported, path + [imported])
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert cycles == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_long_module_says_why_in_its_docstring(module):
    path = MODULES[module]
    lines = len(path.read_text(encoding="utf-8").splitlines())
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    assert lines <= 420 or LONG_REASON_RE.search(docstring), f"{module} has {lines} lines and no reason in its docstring"


def test_the_cycle_check_finds_a_cycle():
    global GRAPH
    saved = GRAPH
    GRAPH = {**saved, "analysis.read.text": saved["analysis.read.text"] | {"analysis.read.parse"}}
    try:
        with pytest.raises(AssertionError):
            test_there_is_no_import_cycle()
    finally:
        GRAPH = saved
