"""Replicated, perturbed copies of the seeds: the 10x and 100x libraries benchmarks use.

Each copy k changes video ids, URLs and titles, and rewrites about one word in
ten (chosen by a hash of the word and k, so the same word changes the same way
in every file of one copy).  Copies therefore stay distinct episodes for the
deduplicator, while files of one copy still recognise each other as the seeds do.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from aiviewer.paths import seeds_dir

_WORD = re.compile(r"[A-Za-z]+")
_VIDEO_ID = re.compile(r"\b[A-Za-z0-9_-]{11}\b(?= •)")
# a feed glues the post URL to the text ("…/p/kimi-k2-momentsThe DeepSeek"): the slug is
# lower case, so the copy marker goes where the upper case starts
_URL = re.compile(r"(https?://[^\s\"'<>)]+/p/[a-z0-9-]+)")


def _perturb_word(word: str, previous: str, k: int) -> str:
    # chosen by the word *and the two before it*: about one token in ten whatever its
    # frequency (a choice by word alone would spare or hit every "the", by word pair
    # every "you know"), and the same passage changes the same way wherever it appears
    # in one copy, so 000 still folds into its 001 episode within a copy
    h = hashlib.blake2b(f"{k}:{previous.lower()}:{word.lower()}".encode(), digest_size=2).digest()
    if int.from_bytes(h, "big") % 10:
        return word
    return word[::-1] if word[::-1].lower() != word.lower() else word + "x"


def perturb(text: str, k: int) -> str:
    text = _VIDEO_ID.sub(lambda m: hashlib.sha1(f"{k}{m.group(0)}".encode()).hexdigest()[:11], text)
    text = _URL.sub(lambda m: f"{m.group(1)}-copy{k}", text)
    previous = ["", ""]

    def change(m: re.Match) -> str:
        word = m.group(0)
        out = _perturb_word(word, " ".join(previous), k)
        previous[:] = [previous[1], word]
        return out
    return _WORD.sub(change, text)


def replicate(factor: int, out_dir: Path, source: Path | None = None) -> Path:
    """Write `factor` copies of every seed under out_dir (reusing a complete earlier run)."""
    source = source or seeds_dir()
    files = sorted(p for p in source.iterdir() if p.is_file())
    marker = out_dir / f".complete-{factor}"
    if marker.exists():
        return out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    for k in range(factor):
        copy_dir = out_dir / f"copy{k:03d}"
        copy_dir.mkdir(exist_ok=True)
        for f in files:
            text = f.read_text(encoding="utf-8")
            if k:
                text = perturb(text, k)
                first, _, rest = text.partition("\n")
                text = f"{first} (copy {k})\n{rest}"
            (copy_dir / f.name).write_text(text, encoding="utf-8")
    marker.touch()
    return out_dir


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
