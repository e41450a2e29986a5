"""Picking the parser for a text by its content (the file name is only a hint).

Every form module exposes `FORM` (its name), `sniff(text, name) -> float` (0: not
mine … 1: certainly mine, judged from the head of the text) and
`parse(text) -> ParsedSource`.  The form with the highest score wins; the
`labelled` form (plain text or Markdown, with or without `Name:` turns) is the
fallback for everything else.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

FORM_MODULES = (
    "whisperjson",
    "subtitles",
    "captions",
    "apppage",
    "webpage",
    "feeddump",
    "labelled",
)
FALLBACK = "labelled"
SNIFF_CHARS = 64 * 1024


def form_modules() -> list[ModuleType]:
    return [import_module(f"aiviewer.ingest.{name}") for name in FORM_MODULES]


def detect(text: str, name: str = "") -> ModuleType:
    """The form module that should parse `text`."""
    head = text[:SNIFF_CHARS]
    best, best_score = None, 0.0
    for module in form_modules():
        try:
            score = float(module.sniff(head, name))
        except Exception:  # a sniffer bug on odd input only means "not mine"
            score = 0.0
        if score > best_score:
            best, best_score = module, score
    if best is None or best_score <= 0.0:
        return import_module(f"aiviewer.ingest.{FALLBACK}")
    return best
