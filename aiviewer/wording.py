"""How counts read in every message, the CLI's and the window's alike."""

from __future__ import annotations


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """`1 episode`, `2 episodes`, `0 episodes` (`nouns` for an irregular plural)."""
    return f"{n:,} {noun if n == 1 else (nouns or noun + 's')}"
