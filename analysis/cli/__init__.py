"""The `notices` command line: a thin front-end over the build (analysis.build) and the site (analysis.site).

`app` holds the help and shared options; each *_commands module adds its commands to it.
"""

from __future__ import annotations

import sys

from analysis.cli import audit_commands, build_commands, data_commands, release_commands, site_commands  # noqa: F401 — they register the commands
from analysis.cli.app import app, console
from analysis.errors import ProjectError


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except ProjectError as exc:  # raised outside a command's own handling
        console.print(f"[bold red]error:[/] {exc}")
        sys.exit(1)
