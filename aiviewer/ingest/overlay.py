"""The user's corrections to an episode's turns, as replayable edits over imported text.

A transcript file often says too little (captions with `>>` and no names), so the user
splits turns, assigns them to speakers and merges them.  Each correction is kept as an
*edit* anchored by the text around it, not by a segment id or a position: segment ids
change with every write and positions with every earlier edit, while a re-import of an
edited file keeps most of the words.  Replaying the edits in order over freshly parsed
segments gives the user's version again; an edit whose text is gone is reported (as an
orphaned annotation is), never applied somewhere else.

Pure: works on `ParsedSegment`s, knows nothing of the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from aiviewer.model import ParsedSegment

CONTEXT = 40  # characters of text either side of a split point that anchor it
HEAD = 60  # characters at the start of a turn that anchor it


@dataclass(frozen=True)
class TurnEdit:
    """`op` is split | assign | merge.  `anchor` (JSON-able) finds the place again:
    a split's text `before` and `after` the point, a turn's `head` (its first words);
    `seq` is where it was, to choose between repeated text.  `speaker` is the label
    an assign gives."""

    op: str
    anchor: dict = field(default_factory=dict)
    speaker: str | None = None
    id: int | None = None


def split_edit(segments: list[ParsedSegment], seq: int, pos: int) -> TurnEdit:
    """The edit that splits turn `seq` at character `pos` of its text."""
    text = segments[seq].text
    return TurnEdit("split", {"before": text[max(0, pos - CONTEXT):pos],
                              "after": text[pos:pos + CONTEXT], "seq": seq})


def turn_edit(op: str, segments: list[ParsedSegment], seq: int,
              speaker: str | None = None) -> TurnEdit:
    """An assign or merge edit of turn `seq`."""
    return TurnEdit(op, {"head": segments[seq].text[:HEAD], "seq": seq}, speaker)


def _closest(found: list[tuple[int, int]], seq: int) -> tuple[int, int] | None:
    return min(found, key=lambda f: (abs(f[0] - seq), f[1])) if found else None


def _find_split(segments: list[ParsedSegment], anchor: dict) -> tuple[int, int] | None:
    before, after = anchor.get("before", ""), anchor.get("after", "")
    needle = before + after
    if not before.strip() or not after.strip():
        return None
    found = []
    for i, seg in enumerate(segments):
        at = seg.text.find(needle)
        while at >= 0:
            found.append((i, at + len(before)))
            at = seg.text.find(needle, at + 1)
    return _closest(found, int(anchor.get("seq", 0)))


def _find_turn(segments: list[ParsedSegment], anchor: dict) -> int | None:
    head = anchor.get("head", "")
    if not head:
        return None
    whole = len(head) < HEAD  # a short turn: its whole text is the head
    found = [(i, 0) for i, s in enumerate(segments)
             if (s.text == head if whole else s.text.startswith(head))]
    best = _closest(found, int(anchor.get("seq", 0)))
    return best[0] if best else None


def _time_at(seg: ParsedSegment, pos: int) -> int | None:
    """Where in time character `pos` of a timed turn falls (by share of its text)."""
    if seg.start_ms is None or seg.end_ms is None or not seg.text:
        return None
    return seg.start_ms + (seg.end_ms - seg.start_ms) * pos // len(seg.text)


def apply_one(segments: list[ParsedSegment], edit: TurnEdit) -> list[ParsedSegment] | None:
    """The segments with `edit` applied, or None when it no longer fits them."""
    if edit.op == "split":
        where = _find_split(segments, edit.anchor)
        if where is None:
            return None
        i, pos = where
        seg = segments[i]
        left, right = seg.text[:pos].rstrip(), seg.text[pos:].lstrip()
        if not left or not right or seg.kind == "heading":
            return None
        t = _time_at(seg, pos)
        return [*segments[:i], replace(seg, text=left, end_ms=t if t is not None else seg.end_ms),
                replace(seg, text=right, start_ms=t if t is not None else None, sounds=()),
                *segments[i + 1:]]
    i = _find_turn(segments, edit.anchor)
    if i is None:
        return None
    seg = segments[i]
    if edit.op == "assign":
        if not edit.speaker or seg.kind == "heading":
            return None
        kind = "turn" if seg.kind == "paragraph" else seg.kind
        return [*segments[:i], replace(seg, speaker=edit.speaker, kind=kind), *segments[i + 1:]]
    if edit.op == "merge":
        if i == 0 or seg.kind == "heading" or segments[i - 1].kind == "heading":
            return None
        prev = segments[i - 1]
        joined = replace(prev, text=f"{prev.text} {seg.text}",
                         end_ms=seg.end_ms if seg.end_ms is not None else prev.end_ms,
                         sounds=tuple(dict.fromkeys(prev.sounds + seg.sounds)))
        return [*segments[:i - 1], joined, *segments[i + 1:]]
    return None


def apply(segments: list[ParsedSegment] | tuple[ParsedSegment, ...],
          edits: list[TurnEdit]) -> tuple[list[ParsedSegment], list[TurnEdit]]:
    """Replay `edits` in order; returns the segments and the edits that did not fit."""
    out, unfit = list(segments), []
    for edit in edits:
        done = apply_one(out, edit)
        if done is None:
            unfit.append(edit)
        else:
            out = done
    return out, unfit


def shift(old: str, new: str):
    """A function mapping offsets in `old` to offsets in `new`, for a text changed in
    one place (a split or merge changes only the separator at one point): offsets
    before the change stay, those after it move by the change in length."""
    n = min(len(old), len(new))
    head = _agree(lambda k: old[:k] == new[:k], n)
    tail = _agree(lambda k: old[len(old) - k:] == new[len(new) - k:], n - head)
    delta = len(new) - len(old)
    cut = len(old) - tail

    def move(offset: int) -> int:
        if offset <= head:
            return offset
        if offset >= cut:
            return offset + delta
        return min(head + (offset - head), len(new))
    return move


def _agree(same, most: int) -> int:
    """The largest k <= most with same(k), for a `same` true up to some k and false
    after: by halving, so the comparing is done by C slices (a 280,000-character
    episode took 0.4 s character by character)."""
    lo, hi = 0, most
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if same(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo
