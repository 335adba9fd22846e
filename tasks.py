#!/usr/bin/env python3
"""Set up the pinned environment and run the package's jobs, with only Python 3.11.

    python3.11 tasks.py build   # create .venv from the lock, then `notices build`
    python3.11 tasks.py test    # create .venv from the lock, then run the test suite
    python3.11 tasks.py bench   # create .venv, then the benchmark (benchmarks/run.py; ~15 min)
    python3.11 tasks.py setup   # only create/refresh .venv
    python3.11 tasks.py lock    # maintainers: re-resolve requirements/lock.txt

Arguments after `--` go to the job (`python3.11 tasks.py build -- --jobs 1`).
The environment is rebuilt only when requirements/lock.txt or pyproject.toml
changes (a stamp in .venv records their hash). Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements" / "lock.txt"
STAMP = VENV / ".lock-sha256"


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
        run([venv_bin("notices"), "build", *extra])
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
