"""`aiviewer bench entities`: quality on the labelled sample and matcher throughput.

The implementation lives in `aiviewer.entities.bench` (pure, so the CLI's module map can point
at either); this module is where the benchmark package lists it.
"""

from __future__ import annotations

from aiviewer.entities.bench import main, quality, score, throughput

__all__ = ["main", "quality", "score", "throughput"]
