#!/usr/bin/env python3
"""Set up the pinned environment and run the package's jobs, with only Python 3.11.

    python3.11 tasks.py build   # create .venv from the lock, then `notices build`
    python3.11 tasks.py test    # create .venv from the lock, then run the test suite
    python3.11 tasks.py bench   # create .venv, then the benchmark (benchmarks/run.py; ~20 min)
    python3.11 tasks.py setup   # only create/refresh .venv
    python3.11 tasks.py lock    # maintainers: re-resolve requirements/lock.txt

Arguments after `--` go to the job (`python3.11 tasks.py build -- --jobs 1`).
The environment is rebuilt only when requirements/lock.txt or pyproject.toml
changes (a stamp in .venv records their hash). Standard library only.

Quarto renders the website at the end of `build`. When no `quarto` is on PATH,
`build` tries the pip route first: quarto-cli, pinned with its hash in
requirements/quarto.txt, installed into .venv/quarto-cli/. That package downloads
Quarto from github.com while it installs, so it fails on machines without access
to GitHub's downloads; `build` then says so and builds everything but the site.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements" / "lock.txt"
STAMP = VENV / ".lock-sha256"
QUARTO_PIN = ROOT / "requirements" / "quarto.txt"
QUARTO_TARGET = VENV / "quarto-cli"  # pip --target: outside .venv's packages, so `pip check` never sees it
NO_SITE_OPTIONS = {"--skip-site", "--skip-notebooks", "--dry-run", "-h", "--help"}
QUARTO_PIP_FAILED = """\
tasks.py: Quarto could not be installed with pip: quarto-cli=={version} downloads Quarto from github.com while it
installs, and that failed here{reason}.
The tables and the notebooks are built anyway; the website is not rendered. To render it, install Quarto (the
conda environment of environment.yml has it; https://quarto.org/docs/download/ has installers), then run
`notices site` in .venv (README, "The website").
"""


def venv_bin(name: str) -> Path:
    """Path of an executable inside the project's virtual environment."""
    sub = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return VENV / sub / f"{name}{suffix}"


def environment_fingerprint() -> str:
    """Hash of the files that define the environment."""
    digest = hashlib.sha256()
    for path in (LOCK, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def run(cmd: list[str], **kwargs) -> None:
    """Run a command, echoing it; stop with its exit code if it fails."""
    print("+", " ".join(str(c) for c in cmd), flush=True)
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, **kwargs)
    if result.returncode != 0:
        sys.exit(result.returncode)


def setup() -> None:
    """Create or refresh .venv from the hash-pinned lock file."""
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"tasks.py: the lock is for Python 3.11; this is {sys.version.split()[0]}. "
                 "Run it with python3.11.")
    fingerprint = environment_fingerprint()
    if STAMP.exists() and STAMP.read_text().strip() == fingerprint and venv_bin("notices").exists():
        print("tasks.py: environment is up to date (.venv)", flush=True)
        return
    if not venv_bin("python").exists():
        print("tasks.py: creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    pip = [venv_bin("python"), "-m", "pip", "--disable-pip-version-check"]
    run(pip + ["install", "--quiet", "--require-hashes", "--no-deps", "-r", LOCK])
    run(pip + ["install", "--quiet", "--no-deps", "--no-build-isolation", "--editable", "."])
    run(pip + ["check"])
    STAMP.write_text(fingerprint + "\n")


def pinned_quarto_version() -> str:
    """The quarto-cli version requirements/quarto.txt pins."""
    found = re.search(r"^quarto-cli==([^\s\\]+)", QUARTO_PIN.read_text(encoding="utf-8"), re.MULTILINE)
    if not found:
        sys.exit(f"tasks.py: {QUARTO_PIN.relative_to(ROOT)} pins no quarto-cli version")
    return found.group(1)


def pip_quarto_bin() -> Path:
    """Folder of the quarto executable that the pip route installs."""
    return QUARTO_TARGET / "quarto_cli" / "bin"


def install_quarto_with_pip() -> str | None:
    """pip-install the pinned quarto-cli into .venv/quarto-cli/; None if it worked, else why not (one line)."""
    command = [venv_bin("python"), "-m", "pip", "--disable-pip-version-check", "install", "--quiet", "--require-hashes",
               "--no-deps", "--no-build-isolation", "--upgrade", "--retries", "1", "--timeout", "30",
               "--target", QUARTO_TARGET, "-r", QUARTO_PIN]
    result = subprocess.run([str(c) for c in command], cwd=ROOT, text=True, capture_output=True)
    if result.returncode == 0:
        return None
    output = (result.stdout or "") + (result.stderr or "")
    reasons = [line.strip() for line in output.splitlines() if "Error downloading Quarto" in line or "ERROR:" in line]
    return reasons[0] if reasons else f"pip exited with code {result.returncode}"


def quarto_environment(extra: list[str]) -> dict[str, str] | None:
    """The environment `notices build` runs in: None (the current one) when a `quarto` is on PATH or the site is not
    rendered; else, after the pip route, the current one with pip's Quarto first on PATH — or None, having said
    plainly why Quarto could not be installed."""
    if NO_SITE_OPTIONS & set(extra) or shutil.which("quarto"):
        return None
    version, bin_dir = pinned_quarto_version(), pip_quarto_bin()
    if not shutil.which("quarto", path=str(bin_dir)):
        print(f"tasks.py: no `quarto` on PATH; trying pip: quarto-cli=={version} (it downloads Quarto from github.com)",
              flush=True)
        why = install_quarto_with_pip()
        if why is not None or not shutil.which("quarto", path=str(bin_dir)):
            print(QUARTO_PIP_FAILED.format(version=version, reason=f"\n  ({why})" if why else ""), end="", flush=True)
            return None
    print(f"tasks.py: rendering with Quarto {version} installed by pip ({bin_dir.relative_to(ROOT).as_posix()})", flush=True)
    return {**os.environ, "PATH": str(bin_dir) + os.pathsep + os.environ.get("PATH", "")}


def lock() -> None:
    """Re-resolve requirements/lock.txt from pyproject.toml (needs uv in .venv)."""
    uv = venv_bin("uv")
    if not uv.exists():
        run([venv_bin("python"), "-m", "pip", "install", "--quiet", "uv"])
    run([uv, "pip", "compile", "pyproject.toml", "requirements/build.in", "--extra", "dev",
         "--generate-hashes", "--python-version", "3.11", "--universal", "--no-header",
         "-o", LOCK])


def main(argv: list[str]) -> None:
    """Dispatch `setup`, `build`, `test`, `bench` or `lock`."""
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return
    job, extra = argv[0], argv[1:]
    if extra[:1] == ["--"]:
        extra = extra[1:]
    if job == "setup":
        setup()
    elif job == "build":
        setup()
        run([venv_bin("notices"), "build", *extra], env=quarto_environment(extra))
    elif job == "test":
        setup()
        run([venv_bin("python"), "-m", "pytest", *extra])
    elif job == "bench":
        setup()
        run([venv_bin("python"), ROOT / "benchmarks" / "run.py", *extra])
    elif job == "lock":
        lock()
    else:
        sys.exit(f"tasks.py: unknown job {job!r}; use setup, build, test, bench or lock (see --help)")


if __name__ == "__main__":
    main(sys.argv[1:])
