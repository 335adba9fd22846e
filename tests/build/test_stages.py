"""The declared stage list: it matches the contract's stages, covers every table, and declares every module it runs."""

from __future__ import annotations

from analysis.build.stages import BY_NAME, PIPELINE, STOP_POINTS, corpus_stages, notice_steps, per_notice_modules, stage_modules
from analysis.contract.tables import TABLES, tables_of
from analysis.contract.values import STAGES
from tests.test_layers import GRAPH, MODULES


def closure(modules: tuple[str, ...]) -> set[str]:
    """Package modules (as 'read/parse' paths) reachable by imports from some modules."""
    todo = [f"analysis.{m.replace('/', '.')}".removesuffix(".__init__") for m in modules]
    seen: set[str] = set()
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(GRAPH[module])
    return {path_of(m) for m in seen}


def path_of(module: str) -> str:
    """'analysis.extract' → 'extract/__init__'; 'analysis.read.parse' → 'read/parse'."""
    relative = MODULES[module].relative_to(MODULES["analysis"].parent.parent)
    return relative.with_suffix("").as_posix().removeprefix("analysis/")


def test_the_stage_list_is_the_contracts_stage_vocabulary_in_order():
    assert tuple(stage.name for stage in PIPELINE) == STAGES


def test_every_table_is_written_by_a_declared_stage():
    written = {name for stage in PIPELINE for name in stage.outputs}
    assert written == set(TABLES)


def test_a_corpus_stage_reads_only_tables_of_earlier_stages():
    for stage in PIPELINE:
        earlier = set(tables_of(*STAGES[: STAGES.index(stage.name)]))
        assert set(stage.inputs) <= earlier, stage.name


def test_every_declared_module_exists():
    paths = {path_of(m) for m in MODULES}
    for stage in PIPELINE:
        assert set(stage.modules) <= paths, stage.name


def test_every_stage_declares_every_module_its_code_imports():
    for stage in PIPELINE:
        declared = set(stage_modules(stage))
        missing = sorted(closure(stage_modules(stage)) - declared)
        assert missing == [], f"stage {stage.name} runs code it does not declare (cache fingerprints would miss it): {missing}"


def test_every_module_of_read_and_extract_is_a_per_notice_module():
    per_notice = set(per_notice_modules())
    for module in MODULES:
        path = path_of(module)
        if path.startswith(("read/", "extract/")):
            assert path in per_notice, f"{path} is not declared by a per-notice stage"


def test_until_parse_runs_ingest_and_parse_only():
    assert [name for name, _ in notice_steps("parse")] == ["ingest", "parse"]
    assert corpus_stages("parse") == ()


def test_until_indicators_runs_no_evaluation_nor_network():
    assert [stage.name for stage in corpus_stages("indicators")] == ["indicators"]


def test_every_stop_point_is_a_stage():
    assert set(STOP_POINTS) <= set(BY_NAME) and "ingest" in STOP_POINTS and "network" in STOP_POINTS


def test_the_architecture_page_shows_the_declared_stages():
    from analysis.build.stages import stages_markdown
    from tests.conftest import ROOT

    assert stages_markdown() in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
