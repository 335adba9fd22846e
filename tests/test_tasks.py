"""tasks.py on a pip-only machine: Quarto from PATH, else the pip route (quarto-cli), said plainly when it fails."""

from __future__ import annotations

import importlib.util
import shutil
import stat
import subprocess

import pytest

from tests.conftest import ROOT

REAL_WHICH = shutil.which


@pytest.fixture
def tasks(tmp_path, monkeypatch):
    """tasks.py loaded as a module, its .venv in a temporary folder, with no `quarto` on PATH and no real pip."""
    spec = importlib.util.spec_from_file_location("tasks_under_test", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "VENV", tmp_path / ".venv")
    monkeypatch.setattr(module, "QUARTO_TARGET", tmp_path / ".venv" / "quarto-cli")
    monkeypatch.setattr(module.shutil, "which", lambda name, path=None: REAL_WHICH(name, path=path) if path else None)
    module.pip_calls = []

    def no_pip(command, **kwargs):
        module.pip_calls.append(command)
        return subprocess.CompletedProcess(command, 1, "", "")

    monkeypatch.setattr(module.subprocess, "run", no_pip)
    return module


def pip_that(tasks, monkeypatch, exit_code: int, output: str = "", installs: bool = False) -> None:
    """Make the pip call exit with `exit_code` and print `output`; `installs`: put a quarto executable where pip would."""
    def fake_pip(command, **kwargs):
        tasks.pip_calls.append(command)
        if installs:
            bin_dir = tasks.pip_quarto_bin()
            bin_dir.mkdir(parents=True)
            (bin_dir / "quarto").write_text("#!/bin/sh\n", encoding="utf-8")
            (bin_dir / "quarto").chmod(0o755 | stat.S_IEXEC)
        return subprocess.CompletedProcess(command, exit_code, output, "")

    monkeypatch.setattr(tasks.subprocess, "run", fake_pip)


def test_a_quarto_on_path_is_used_without_pip(tasks, monkeypatch):
    monkeypatch.setattr(tasks.shutil, "which", lambda name, path=None: "/opt/quarto/bin/quarto")
    assert tasks.quarto_environment([]) is None and tasks.pip_calls == []


def test_a_build_that_renders_no_site_does_not_try_pip(tasks):
    assert tasks.quarto_environment(["--jobs", "1", "--skip-site"]) is None and tasks.pip_calls == []


def test_without_quarto_the_build_tries_the_pinned_quarto_cli(tasks):
    tasks.quarto_environment([])
    (command,) = tasks.pip_calls
    assert command[command.index("-r") + 1] == str(ROOT / "requirements" / "quarto.txt")
    assert "--require-hashes" in command and command[command.index("--target") + 1] == str(tasks.QUARTO_TARGET)


def test_a_failed_pip_route_is_said_plainly_and_the_build_goes_on(tasks, monkeypatch, capsys):
    pip_that(tasks, monkeypatch, 1, "      Error downloading Quarto: <urlopen error [Errno -2] Name or service not known>\n")
    assert tasks.quarto_environment([]) is None
    said = capsys.readouterr().out
    assert "Quarto could not be installed with pip" in said and "(Error downloading Quarto: <urlopen error" in said
    assert "the website is not rendered" in said and "`notices site`" in said and "quarto.org" in said


def test_a_quarto_installed_by_pip_comes_first_on_path(tasks, monkeypatch):
    pip_that(tasks, monkeypatch, 0, installs=True)
    environment = tasks.quarto_environment([])
    assert environment["PATH"].split(":")[0] == str(tasks.pip_quarto_bin())


def test_quarto_installed_by_an_earlier_build_is_used_without_pip(tasks, monkeypatch):
    pip_that(tasks, monkeypatch, 0, installs=True)
    tasks.quarto_environment([])
    tasks.pip_calls.clear()
    assert tasks.quarto_environment([]) is not None and tasks.pip_calls == []
