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
from aiviewer.ingest import reader, stated
from aiviewer.ingest.decode import decode_text
from aiviewer.ingest.detect import detect
from aiviewer.ingest.sanitize import clean_source
from aiviewer.model import ParsedEpisode, ParsedSource

TRANSCRIPT_SUFFIXES = reader.TRANSCRIPT_SUFFIXES


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
            name, reader.one_line(f"could not be read as {module.FORM} "
                                  f"({type(exc).__name__}: {exc})")
        ) from None
    return stated.fill(validate(source, name), text)


def validate(source: ParsedSource, name: str) -> ParsedSource:
    """Drop empty episodes and segments; make every string storable (no lone
    surrogates) and every URL one that can be parsed."""
    source = clean_source(source)
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
    """Decode, parse and validate one file's bytes; raise ImportFailed, never anything
    else (a bug in decoding or cleaning on odd input is the file's error too)."""
    try:
        text = decode_text(data, name)
        source = parse_text(text, name)
    except ImportFailed:
        raise
    except RecursionError:
        raise ImportFailed(name, "the file's structure is nested too deeply") from None
    except MemoryError:
        raise ImportFailed(name, "the file needs more memory than is available") from None
    except Exception as exc:
        raise ImportFailed(name, reader.one_line(
            f"could not be read ({type(exc).__name__}: {exc})")) from None
    return ReadFile(name, hashlib.sha256(data).hexdigest(), len(data), source)


def read_file(path: str | os.PathLike[str]) -> ReadFile:
    """Read (bounded, regular files only) and parse one file."""
    name = reader.readable_name(path)
    return read_bytes(reader.read_input(path, name), name)


def expand_paths(paths: list[str | os.PathLike[str]]) -> Iterator[tuple[Path, str | None]]:
    """Files to import from files and folders (recursive, hidden entries skipped).

    Yields (path, problem): a folder with no transcript files or one that cannot be
    read, a path that does not exist, a pipe or a device in a folder, yields the path
    with the problem so it is reported, not lost (see `reader.walk`).
    """
    for path, problem in reader.walk(paths):
        yield Path(path), problem


def word_count(ep: ParsedEpisode) -> int:
    return sum(len(s.text.split()) for s in ep.segments)
