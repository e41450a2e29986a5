"""File → decode → detect → parse → validate: everything up to, not including, the store.

The only exceptions that leave this module are `ImportFailed`, naming the file
and the reason; a parser bug on strange input is reported the same way rather
than crashing the import of the other files.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from aiviewer.errors import ImportFailed, ParseError
from aiviewer.ingest.decode import decode_text
from aiviewer.ingest.detect import detect
from aiviewer.model import ParsedEpisode, ParsedSource

TRANSCRIPT_SUFFIXES = {".txt", ".md", ".markdown", ".vtt", ".srt", ".json", ".html", ".htm", ".text"}


@dataclass(frozen=True)
class ReadFile:
    path: str
    sha256: str
    size: int
    source: ParsedSource


def parse_text(text: str, name: str) -> ParsedSource:
    """Detect and parse decoded text; raise ImportFailed (never anything else)."""
    module = detect(text, name)
    try:
        source = module.parse(text)
    except ParseError as exc:
        raise ImportFailed(name, exc.reason) from None
    except ImportFailed:
        raise
    except RecursionError:
        raise ImportFailed(name, f"the {module.FORM} structure is nested too deeply") from None
    except Exception as exc:  # a parser bug on odd input must not stop the import
        raise ImportFailed(
            name, f"could not be read as {module.FORM} ({type(exc).__name__}: {exc})"
        ) from None
    return validate(source, name)


def validate(source: ParsedSource, name: str) -> ParsedSource:
    episodes = []
    for ep in source.episodes:
        segments = tuple(s for s in ep.segments if s.text.strip())
        if not segments and not (ep.description or "").strip():
            continue
        title = ep.title.strip() or Path(name).stem or "Untitled"
        episodes.append(replace(ep, title=title, segments=segments))
    if not episodes:
        raise ImportFailed(name, f"no transcript text found (read as {source.form})")
    return replace(source, episodes=tuple(episodes))


def read_bytes(data: bytes, name: str) -> ReadFile:
    text = decode_text(data, name)
    source = parse_text(text, name)
    return ReadFile(name, hashlib.sha256(data).hexdigest(), len(data), source)


def read_file(path: str | os.PathLike[str]) -> ReadFile:
    path = Path(path)
    name = str(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ImportFailed(name, "is a directory") from None
    except OSError as exc:
        raise ImportFailed(name, f"cannot be read ({exc.strerror or exc})") from None
    return read_bytes(data, name)


def expand_paths(paths: list[str | os.PathLike[str]]) -> Iterator[tuple[Path, str | None]]:
    """Files to import from files and folders (recursive, hidden entries skipped).

    Yields (path, problem): a folder with no transcript files, or a path that does
    not exist, yields the path with the problem so it is reported, not lost.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = False
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path).parts
                if any(part.startswith(".") for part in rel) or not child.is_file():
                    continue
                if child.suffix.lower() in TRANSCRIPT_SUFFIXES or not child.suffix:
                    found = True
                    yield child, None
            if not found:
                yield path, "the folder holds no transcript files (.txt, .md, .vtt, .srt, .json)"
        elif path.exists():
            yield path, None
        else:
            yield path, "no such file or folder"


def word_count(ep: ParsedEpisode) -> int:
    return sum(len(s.text.split()) for s in ep.segments)
