"""Medians, percentiles and the one-line format every benchmark prints."""

from __future__ import annotations

import os
import statistics


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def p95(xs: list[float]) -> float:
    if not xs:
        return float("nan")
    ordered = sorted(xs)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def line(label: str, value: float, unit: str, reference: float | None = None,
         target: str = "") -> str:
    ratio = f"  ×{value / reference:.2f} of reference" if reference else ""
    goal = f"  (target {target})" if target else ""
    return f"{label:<44} {value:>10.3f} {unit}{ratio}{goal}"


def installed_env(cache: str) -> dict[str, str]:
    """The environment of a child process that runs as an installed app does: with its
    modules' bytecode cached (pip and PyInstaller compile it at install), here in a folder
    of its own rather than the source tree.  The caller runs it once uncounted, which
    compiles.  (With PYTHONDONTWRITEBYTECODE, as some shells set it, every run compiled
    every module first: 0.2-0.3 s of the seeds' import.)"""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = cache
    return env
