"""Keys that recognise one episode across files, and which copy's text wins."""

from __future__ import annotations

from aiviewer.ingest import dedupe
from aiviewer.model import ParsedEpisode, ParsedSegment

ESSAY = " ".join(f"word{i} about reinforcement learning and open models" for i in range(300))


def test_url_normalisation_ignores_scheme_www_query_and_slash():
    a = dedupe.normalize_url("https://www.interconnects.ai/p/ross?utm_source=rss")
    b = dedupe.normalize_url("http://interconnects.ai/p/ross/")
    assert a == b == "interconnects.ai/p/ross"
    assert dedupe.normalize_url("not a url") is None


def test_a_text_contained_in_a_longer_one_is_a_duplicate():
    short = dedupe.fingerprint(ESSAY[: len(ESSAY) // 3])
    full = dedupe.fingerprint("Intro words here. " + ESSAY + " and a long ending " * 50)
    shared = len(set(short) & set(full))
    assert dedupe.is_duplicate(shared, len(short), len(full))


def test_different_texts_are_not_duplicates():
    a = dedupe.fingerprint(ESSAY)
    b = dedupe.fingerprint(" ".join(f"other{i} talk on GPUs, chips and export controls" for i in range(300)))
    assert not dedupe.is_duplicate(len(set(a) & set(b)), len(a), len(b))


def test_preview_never_replaces_full_text_and_longer_wins():
    assert dedupe.fuller(10, False, 5000, True)
    assert not dedupe.fuller(9000, True, 5000, False)
    assert dedupe.fuller(6000, False, 5000, False)
    assert not dedupe.fuller(4000, False, 5000, False)


def test_episode_ids_are_stable_and_prefer_video_id_then_url():
    seg = (ParsedSegment("hello world"),)
    assert dedupe.episode_id(ParsedEpisode("t", seg, video_id="EV7WhVT270Q")) == "yt-EV7WhVT270Q"
    by_url = dedupe.episode_id(ParsedEpisode("t", seg, url="https://x.ai/p/a"))
    assert by_url.startswith("u-") and by_url == dedupe.episode_id(
        ParsedEpisode("other title", seg, url="http://www.x.ai/p/a/"))
    by_text = dedupe.episode_id(ParsedEpisode("t", seg))
    assert by_text.startswith("t-") and by_text == dedupe.episode_id(ParsedEpisode("t2", seg))
