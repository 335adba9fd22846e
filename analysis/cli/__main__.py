"""`python -m analysis.cli` runs the `notices` command."""

from analysis.cli import main

main()
