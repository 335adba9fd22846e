"""Rectification notices as data: ingest → parse → extract → indicators → network → reports.

Each stage is a module of small pure functions; `analysis.build.pipeline` wires them
together and `analysis.cli` is the command line (`notices --help`).
"""

__version__ = "0.1.0"
