"""`aiviewer bench search` looks here (cli.py); the benchmark lives in aiviewer.bench.search."""

from aiviewer.bench.search import main

__all__ = ["main"]
