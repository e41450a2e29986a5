"""Speech-recognition JSON (Whisper, WhisperX, faster-whisper and kin).

`{"text": …, "segments": [{"start": s, "end": s, "text": …, "speaker"?: …}]}`,
minified or indented; extra fields are ignored.  Diarized labels such as
`SPEAKER_00` become anonymous speakers the user can rename.  A bare list of
segments, and `{"results": …}`-style wrappers with the same fields, work too.
"""

from __future__ import annotations

import json
import re

from aiviewer.errors import ParseError
from aiviewer.ingest.clean import strip_markup
from aiviewer.ingest.decode import MAX_LINE_BYTES, longest_line
from aiviewer.ingest.reflow import Cue, cues_to_segments
from aiviewer.ingest.speakers import tidy_label
from aiviewer.model import ParsedEpisode, ParsedSource

FORM = "whisperjson"

_TEXT_KEYS = ("text", "transcript", "content", "sentence")
_JSON_START = re.compile(r'\{\s*(?:"|\}|\Z)|\[\s*(?:[\[{\]]|\Z)')
_LIST_KEYS = ("segments", "utterances", "results", "chunks", "items", "sentences")


def sniff(text: str, name: str) -> float:
    head = text.lstrip("\ufeff \n\t\r")[:2000]
    # an object, or a list of objects or lists: "[music] Hello" and "[00:00:05] Hi"
    # open plain-text transcripts
    if not _JSON_START.match(head):
        # named .json but not JSON: the parser reports where it breaks
        return 0.55 if name.lower().endswith(".json") else 0.0
    if re.search(r'"(?:segments|utterances|chunks)"\s*:', text[:200000]):
        return 0.95
    if re.search(r'"start"\s*:', head) and re.search(r'"text"\s*:', head):
        return 0.9
    return 0.5 if name.lower().endswith(".json") else 0.3


def parse(text: str) -> ParsedSource:
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise ParseError(f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise ParseError("the JSON is nested too deeply") from None
    items = _segment_list(data)
    title = None
    meta = data if isinstance(data, dict) else {}
    for key in ("title", "name", "episode_title"):
        if isinstance(meta.get(key), str) and meta[key].strip():
            title = meta[key].strip()
            break
    cues: list[Cue] = []
    if items:
        scale = _time_scale(items)
        for item in items:
            if not isinstance(item, dict):
                continue
            body = next((item[k] for k in _TEXT_KEYS if isinstance(item.get(k), str)), None)
            if body is None:
                continue
            speaker = item.get("speaker") or item.get("speaker_label") or item.get("spk")
            cues.append(Cue(strip_markup(body),
                            _ms(item.get("start", item.get("start_time")), scale),
                            _ms(item.get("end", item.get("end_time")), scale),
                            tidy_label(str(speaker)) if speaker not in (None, "") else None))
    elif isinstance(meta.get("text"), str):
        if len(meta["text"]) > MAX_LINE_BYTES and longest_line(meta["text"], MAX_LINE_BYTES) \
                > MAX_LINE_BYTES:
            raise ParseError(f'the "text" is one run of {len(meta["text"]) // 2**20} MB with no '
                             'segments and no line breaks: this does not look like a transcript')
        cues.append(Cue(strip_markup(meta["text"])))
    else:
        raise ParseError('the JSON has no "segments" list and no "text" (not a transcript)')
    segments = cues_to_segments(cues)
    if not segments:
        raise ParseError("the JSON transcript holds no text")
    ep = ParsedEpisode(title=title or "", segments=tuple(segments),
                       speakers=tuple(dict.fromkeys(s.speaker for s in segments if s.speaker)),
                       date=meta.get("date") if isinstance(meta.get("date"), str) else None,
                       url=meta.get("url") if isinstance(meta.get("url"), str) else None,
                       title_derived=not title)
    return ParsedSource(FORM, (ep,))


def _segment_list(data) -> list | None:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise ParseError("the JSON is not an object or a list")
    for key in _LIST_KEYS:
        value = data.get(key)
        if isinstance(value, list) and value:
            return value
        if isinstance(value, dict):  # {"results": {"segments": [...]}}
            inner = _segment_list(value) if any(k in value for k in _LIST_KEYS) else None
            if inner:
                return inner
    return None


def _time_scale(items: list) -> float:
    """Seconds (Whisper) or milliseconds (AssemblyAI and others)?  Times are given
    in milliseconds when they are all whole numbers and one of them is beyond a day
    in seconds; a transcript is never that long."""
    values = [item.get(k) for item in items[:5000] if isinstance(item, dict)
              for k in ("start", "end", "start_time", "end_time")]
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if numbers and all(float(v).is_integer() for v in numbers) and max(numbers) > 86_400:
        return 0.001
    return 1.0


def _ms(value, scale: float = 1.0) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        seconds = float(value) * scale
    except (TypeError, ValueError):
        return None
    if seconds != seconds or seconds < 0 or seconds > 1e7:  # NaN, negative, absurd
        return None
    return int(round(seconds * 1000))
