"""Rectification notices as data: ingest → parse → extract → indicators → network → reports.

Each stage is a module of small pure functions; `analysis.build.pipeline` wires them
together and `analysis.cli` is the command line (`notices --help`).
"""

import os
import sys

__version__ = "0.1.0"

POLARS_ALLOCATOR = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0"
"""How polars' allocator (jemalloc) hands freed memory back to the system: within a second, by a background thread. Its
default keeps freed pages for 10 s, so a build that frees a stage's tables and then builds the graphs holds both for a
while: a 10,000-notice build peaked at 1.97 GB with the default, 1.80 GB with this (docs/benchmarks.md). Set only if polars is not loaded yet (the
allocator reads it once) and the user has set nothing; worker processes inherit it."""

if "polars" not in sys.modules:
    os.environ.setdefault("_RJEM_MALLOC_CONF", POLARS_ALLOCATOR)
