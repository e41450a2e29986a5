"""Timed caption cues → readable speaker turns and paragraphs.

Captions, subtitles and speech-recognition JSON all arrive as short cues cut
at arbitrary points, often mid-sentence, sometimes repeating the previous cue
("rolling" YouTube captions).  Readers want sentences and paragraphs, search
wants each phrase once, and the player wants times: this module reconciles the
three.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from aiviewer.ingest.clean import CJK_CHAR as _CJK_CHAR
from aiviewer.ingest.clean import join_text, paragraphs, squash_spaces, take_sounds
from aiviewer.ingest.speakers import anonymous
from aiviewer.model import ParsedSegment


@dataclass
class Cue:
    text: str
    start_ms: int | None = None
    end_ms: int | None = None
    speaker: str | None = None  # a name the source gave (voice tag, `Name:`)
    new_turn: bool = False  # the source marks a change of speaker without a name


@lru_cache(maxsize=16384)  # captions repeat the same few thousand words
def _norm(word: str) -> str:
    return word.lower().strip(".,!?;:\"“”’'()-")


def drop_repeat(previous: list[str], words: list[str]) -> list[str]:
    """The words of a cue that are new: rolling captions repeat the end of the
    previous cue at the start of the next.  A whole-cue repeat, or an overlap of
    at least two words, is dropped; a single repeated word is kept (people do
    say "the the")."""
    if not previous or not words:
        return words
    tail = [_norm(w) for w in previous[-len(words) - 1:]]
    if _norm(words[0]) not in tail:
        return words  # every overlap starts with the cue's first word: none here
    head = [_norm(w) for w in words]
    for k in range(min(len(tail), len(head)), 0, -1):
        if tail[-k:] == head[:k] and (k >= 2 or k == len(head)):
            return words[k:]
    return words


@dataclass
class _Turn:
    speaker: str | None
    pieces: list[tuple[int | None, int | None, str]]
    sounds: list[str]


def cues_to_segments(cues: list[Cue], target_words: int = 110) -> list[ParsedSegment]:
    """One segment per speaker turn when the source marks turns (names or `>>`),
    else one per paragraph; times come from the cues each part was built from."""
    turn_marked = any(c.speaker or c.new_turn for c in cues)
    turns: list[_Turn] = []
    previous_words: list[str] = []
    for cue in cues:
        text, sounds = take_sounds(squash_spaces(cue.text))
        words = drop_repeat(previous_words, text.split())
        starts_turn = (not turns or cue.new_turn
                       or (cue.speaker is not None and cue.speaker != turns[-1].speaker))
        if starts_turn and (words or sounds or not turns):
            turns.append(_Turn(cue.speaker, [], []))
        turn = turns[-1]
        if words or not text:  # a rolling repeat repeats its `[Music]` too
            turn.sounds.extend(sounds)
        if words:
            turn.pieces.append((cue.start_ms, cue.end_ms, join_text(words)))
            previous_words = (previous_words + words)[-40:]
    segments: list[ParsedSegment] = []
    # Unnamed turns alternate between two voices.  The alternation counts every
    # turn, named ones too, so the turns on either side of a `- [Lex]` interjection
    # get the same label, different from the one between them.
    n_turns = 0
    for turn in turns:
        if not turn.pieces:
            continue
        parts = _timed_paragraphs(turn.pieces, target_words)
        if turn_marked:
            n_turns += 1
            speaker = turn.speaker
            if speaker is None:
                speaker = anonymous(2 - n_turns % 2)
            start = parts[0][1]
            end = parts[-1][2]
            segments.append(ParsedSegment("\n\n".join(p for p, _, _ in parts), speaker,
                                          start, end, "turn", tuple(turn.sounds)))
        else:
            for i, (text, start, end) in enumerate(parts):
                segments.append(ParsedSegment(text, None, start, end, "paragraph",
                                              tuple(turn.sounds) if i == 0 else ()))
    return segments


# text without word spaces (Chinese, Japanese captions) has nothing `paragraphs`
# can count or cut at, and auto-translated captions often no punctuation either:
# such a run is cut at cue boundaries by time instead
UNSPACED_SHARE = 0.5
PARAGRAPH_MS = 60_000  # at most about a minute a paragraph
SENTENCE_MS = 20_000  # after this long, a sentence end closes a paragraph
GAP_MS = 1_500  # a pause this long closes one after ...
GAP_MIN_MS = 8_000  # ... this long
UNTIMED_CHARS = 300
_SENTENCE_END_CJK = ("。", "！", "？", "!", "?", "…")


def _unspaced(pieces) -> bool:
    text = "".join(p for _, _, p in pieces)
    if not _CJK_CHAR.search(text):
        return False  # the usual case, decided without counting
    letters = len("".join(text.split()))  # str.split() cuts where str.isspace() holds
    return bool(letters) and len(_CJK_CHAR.findall(text)) >= letters * UNSPACED_SHARE


def _unspaced_paragraphs(pieces):
    """Paragraphs of at most about a minute, closed at a sentence end after 20 s or
    at a pause after 8 s; untimed pieces by length (about 300 characters)."""
    out = []
    current: list = []

    def close():
        if current:
            out.append((join_text([p for _, _, p in current]), current[0][0], current[-1][1]))
            current.clear()
    for i, piece in enumerate(pieces):
        start, end, text = piece
        if current and start is not None and current[0][0] is not None \
                and (end if end is not None else start) - current[0][0] > PARAGRAPH_MS:
            close()
        current.append(piece)
        first = current[0][0]
        nxt = pieces[i + 1] if i + 1 < len(pieces) else None
        if first is None or end is None:
            if sum(len(p) for _, _, p in current) >= UNTIMED_CHARS:
                close()
            continue
        took = end - first
        if text.rstrip().endswith(_SENTENCE_END_CJK) and took >= SENTENCE_MS:
            close()
        elif nxt is not None and nxt[0] is not None and nxt[0] - end >= GAP_MS \
                and took >= GAP_MIN_MS:
            close()
    close()
    return out


def _timed_paragraphs(pieces, target_words):
    if _unspaced(pieces):
        return _unspaced_paragraphs(pieces)
    offsets = []
    chunks: list[str] = []
    pos = 0
    for _, _, piece in pieces:
        if chunks and join_text([chunks[-1][-1:], piece[:1]]) != chunks[-1][-1:] + piece[:1]:
            chunks.append(" ")
            pos += 1
        offsets.append(pos)
        chunks.append(piece)
        pos += len(piece)
    text = "".join(chunks)
    out = []
    cursor = 0
    for para in paragraphs(text, target_words):
        at = text.find(para[:40], cursor)
        at = cursor if at < 0 else at
        end_at = at + max(len(para) - 1, 0)
        first = max(bisect_right(offsets, at) - 1, 0)
        last = max(bisect_right(offsets, end_at) - 1, 0)
        out.append((para, pieces[first][0], pieces[last][1]))
        cursor = at + len(para)
    return out
