"""Podcast feed dumps (seed 001): one glued HTML-stripped entry per line."""

from __future__ import annotations

import pytest

from aiviewer.ingest import feeddump
from aiviewer.ingest.pipeline import read_file


@pytest.fixture(scope="module")
def feed(seed):
    read = read_file(seed("001"))
    assert read.source.form == "feeddump"
    return read.source


def _entry(feed, start):
    [ep] = [e for e in feed.episodes if e.segments[0].text.startswith(start)]
    return ep


def test_show_and_episode_count(feed):
    assert feed.show_title == "Interconnects"
    assert feed.show_description.startswith("Audio essays about the latest developments in AI")
    assert "<a href" not in feed.show_description and "<br" not in feed.show_description
    assert len(feed.episodes) == 62
    assert all(e.show == "Interconnects" and e.title.strip() for e in feed.episodes)


def test_url_slugs_give_titles(feed):
    with_url = [e for e in feed.episodes if e.url]
    assert len(with_url) >= 15
    kimi = next(e for e in with_url if "kimi" in e.url)
    assert kimi.title == "Kimi K2 and when DeepSeek moments"  # spelled as the text spells it
    assert all(not e.segments[0].text.startswith("http") for e in with_url)
    without = [e for e in feed.episodes if not e.url]
    assert all(len(e.title) <= 81 for e in without)  # first sentence, shortened


def test_glued_paragraphs_are_split(feed):
    ross = _entry(feed, "I’m excited to welcome Ross Taylor back")
    texts = [s.text for s in ross.segments]
    assert texts[0].endswith("so it’s exciting to do it face to face.")
    assert texts[1] == "In this episode we cover some of everything:"
    assert texts[2] == "• Recent AI news (Chinese models and OpenAI’s coming releases)"
    assert not any("face.In" in t or "?And Ross" in t for t in texts)


def test_ross_taylor_entry_has_turns_for_both(feed):
    ross = _entry(feed, "I’m excited to welcome Ross Taylor back")
    assert ross.speakers == ("Nathan Lambert", "Ross Taylor")
    turns = [s for s in ross.segments if s.kind == "turn"]
    assert len(turns) > 100
    assert turns[0].speaker == "Nathan Lambert" and turns[0].text.startswith("Hey, Ross.")
    assert not any("Ross Taylor:" in s.text or "Nathan Lambert:" in s.text for s in turns)
    titles = [(c.start_ms, c.title) for c in ross.chapters]
    assert (730_000, "“Do and don’t” of LLM training organizations") in titles
    assert (3_020_000, "Research people aren’t paying enough attention to") in titles


def test_nvidia_entry_turns_have_start_times(feed):
    nv = _entry(feed, "One of the big stories of 2025 for me was how Nvidia")
    assert nv.speakers == ("Nathan Lambert", "Bryan Catanzaro")
    turns = [s for s in nv.segments if s.kind == "turn"]
    bryan = [s for s in turns if s.speaker == "Bryan Catanzaro"]
    assert len(bryan) >= 20
    assert all(s.start_ms is not None for s in turns)
    assert (turns[0].start_ms, turns[1].start_ms) == (6_000, 22_000)
    assert turns[1].text == "Oh, yeah, it’s my honor."
    assert turns[0].end_ms == 22_000
    assert len(nv.chapters) == 9
    assert nv.chapters[4].start_ms == 37 * 60_000 + 29_000  # "0:37:29" in the outline


def test_headings_are_never_speakers(feed):
    for ep in feed.episodes:
        for name in ep.speakers:
            assert name not in {"Cached Input", "Source Catalog", "Guest", "Trinity Manifesto",
                                "Technical Decisions", "System Card", "Google Cloud"}, ep.title
        assert all(s.speaker in ep.speakers for s in ep.segments if s.speaker)
    nv = _entry(feed, "One of the big stories of 2025 for me was how Nvidia")
    assert any(s.text.startswith("Guest: Bryan Catanzaro") and s.kind == "paragraph"
               for s in nv.segments)


def test_name_with_time_glued_to_text(feed):
    ant = _entry(feed, "This is the first of a handful of interviews")
    assert set(ant.speakers) == {"Nathan Lambert", "Richard Bian", "Chen Liang", "Ziqi Liu"}
    turns = [s for s in ant.segments if s.kind == "turn"]
    assert (turns[0].speaker, turns[0].start_ms) == ("Nathan Lambert", 5_000)
    assert turns[0].text.startswith("Hey everybody.")
    late = next(s for s in turns if s.start_ms and s.start_ms >= 3_600_000)
    assert late.start_ms == 3_611_000 and not late.text.startswith("11)")  # (1:00:11)
    assert ant.chapters[-1].title == "A metaphor for our moment in LLMs"


def test_publisher_boilerplate_is_removed(feed):
    for ep in feed.episodes:
        for seg in ep.segments:
            assert "This is a public episode" not in seg.text
            assert "If you'd like to discuss this with other subscribers" not in seg.text
            assert "Consider becoming a subscriber" not in seg.text


def test_small_feed_fixture():
    entry = ("https://example.substack.com/p/why-feeds-glue-text "
             "Feeds glue paragraphs.This is the second one.* A bullet* Another bullet"
             "Chapters00:00 Intro01:30 The middle partTranscriptAnn Lee: Hello there, "
             "welcome.Bo Chen: Thanks for having me.Ann Lee: Let us start.Bo Chen: Sure.")
    entry += " Filler sentence here." * 10
    text = "My Show\nA show about feeds.\n" + entry + "\n" + entry.replace("why-feeds", "two") + "\n"
    source = feeddump.parse(text)
    assert source.show_title == "My Show" and source.show_description == "A show about feeds."
    ep = source.episodes[0]
    assert ep.url == "https://example.substack.com/p/why-feeds-glue-text"
    assert ep.title == "Why feeds glue text"
    assert [s.text for s in ep.segments[:4]] == [
        "Feeds glue paragraphs.", "This is the second one.", "• A bullet", "• Another bullet"]
    assert [(c.start_ms, c.title) for c in ep.chapters] == [(0, "Intro"), (90_000, "The middle part")]
    assert [(s.speaker, s.text) for s in ep.segments if s.kind == "turn"][:3] == [
        ("Ann Lee", "Hello there, welcome."), ("Bo Chen", "Thanks for having me."),
        ("Ann Lee", "Let us start.")]


def test_title_repeated_in_another_spelling_is_not_the_description():
    entry = "Feeds glue paragraphs.This is the second one. " + "Filler sentence here. " * 12
    text = f"My Show\nMy Show (mirror)\nA show about feeds, weekly.\n{entry}\n{entry}x\n"
    source = feeddump.parse(text)
    assert source.show_title == "My Show"
    assert source.show_description == "A show about feeds, weekly."
    assert len(source.episodes) == 2
