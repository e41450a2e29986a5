"""Episode web pages (seed 000) and podcast-app pages (seed 002): the text the
page is about, without the site's chrome."""

from __future__ import annotations

from aiviewer.ingest import apppage, webpage
from aiviewer.ingest.pipeline import parse_text, read_file


def test_seed_000_web_page(seed):
    read = read_file(seed("000"))
    assert read.source.form == "webpage"
    [ep] = read.source.episodes
    assert ep.title == ("Interviewing Ross Taylor on the state of AI: Chinese open models, "
                        "scaling reasoning, useful tools, and what comes next")
    assert not ep.title_derived
    chapters = [(c.start_ms, c.title) for c in ep.chapters]
    assert len(chapters) >= 3
    assert (0, "Recent AI news") in chapters
    assert (730_000, "“Do and don’t” of LLM training organizations") in chapters
    assert (2_200_000, "Reasoning research and academic blind spots") in chapters
    text = "\n".join(s.text for s in ep.segments)
    assert text.startswith("I’m excited to welcome Ross Taylor back on the podcast")
    for chrome in ("Back to Podcast Episodes", "Podcast Episode Details", "Published on",
                   "Donate", "donating", "Podbriefly"):
        assert chrome not in text
    assert ep.title not in text  # the repeated title line is not body text
    assert ep.date is None  # "1 month, 2 weeks ago" names no day


def test_web_page_published_date_and_outline_styles():
    page = "\n".join([
        "Back to Podcast Episodes", "A Talk About Chapters", "",
        "Published on Mar 5, 2024", "",
        "What we discussed in this episode, in order.", "",
        "(00:00) Opening", "03:10 - The middle part", "1:02:03 Closing words",
        "", "Share", "Donate",
    ])
    [ep] = webpage.parse(page).episodes
    assert ep.title == "A Talk About Chapters"
    assert ep.date == "2024-03-05"
    assert [(c.start_ms, c.title) for c in ep.chapters] == [
        (0, "Opening"), (190_000, "The middle part"), (3_723_000, "Closing words")]
    assert [s.text for s in ep.segments] == ["What we discussed in this episode, in order."]
    assert parse_text(page, "p.html").form == "webpage"


def test_seed_002_app_page(seed):
    read = read_file(seed("002"))
    assert read.source.form == "apppage"
    [ep] = read.source.episodes
    assert ep.speakers == ("Nathan Lambert", "Ross Taylor")
    assert ep.title and "Ross Taylor" in ep.title
    assert len(ep.chapters) == 13
    assert (ep.chapters[0].start_ms, ep.chapters[0].title) == (
        0, "Introduction of Ross Taylor and his background")
    assert (ep.chapters[-1].start_ms, ep.chapters[-1].title) == (
        3_506_000, "Future directions for language model development")
    assert len(ep.mentioned) == 5
    assert ep.mentioned[0] == "Rob Stojnic (co-founder of Papers with Code)"
    turns = ep.segments
    assert all(s.kind == "turn" and s.speaker and s.start_ms is not None for s in turns)
    assert (turns[0].speaker, turns[0].start_ms) == ("Nathan Lambert", 67_000)
    assert turns[0].text.startswith("Today, we're here with Ross.")
    assert turns[0].end_ms == turns[1].start_ms == 101_000
    # a paragraph without a label continues the previous turn
    papers = next(s for s in turns if s.start_ms == 252_000)
    assert papers.speaker == "Ross Taylor"
    assert "\n\nAnother big problem was trying to find the state of the art" in papers.text
    assert turns[-1].text == "Yeah, great to talk, Nathan. Have a good one!"
    assert turns[-1].start_ms == 3_726_000
    text = "\n".join(s.text for s in turns)
    for chrome in ("AI-powered", "Listen to all your favourite podcasts", "Tap your headphones",
                   "smol-podcaster", "Readwise"):
        assert chrome not in text
    notes = ep.description or ""
    assert notes.startswith("Papers with Code serves as a crucial platform")
    assert "AI-powered" not in notes and "podcast player" not in notes
    assert "[00:02:12]" not in notes and "Stojnic" not in notes.split("\n\n")[0]


def test_app_page_short_reply_does_not_end_the_transcript():
    lines = ["Slogan of the app here", "Summary of the episode.", "Chapters",
             "* [00:00:00] Start", "Transcript"]
    for i in range(6):
        lines += [f"Ann Lee [00:0{i}:00]: Question {i}?", f"Bo Chen [00:0{i}:30]: Answer {i}.",
                  "Exactly right"]
    lines += ["Slogan of the app here", "Get it on the store"]
    [ep] = apppage.parse("\n".join(lines)).episodes
    assert len(ep.segments) == 12
    assert ep.segments[-3].text == "Answer 4.\n\nExactly right"
    # after the last turn a short label-like line is taken for the app's footer
    assert ep.segments[-1].text == "Answer 5."
    assert [c.title for c in ep.chapters] == ["Start"]
    assert ep.description == "Summary of the episode."


def test_saved_html_page():
    from pathlib import Path
    read = read_file(Path(__file__).parent / "fixtures" / "episode_page.html")
    [ep] = read.source.episodes
    assert ep.title == "Episode 12: Scaling & Friends"  # the page's <h1>, not its <title>
    assert [(c.start_ms, c.title) for c in ep.chapters] == [(0, "Intro"), (310_000, "Scaling laws")]
    assert [(s.kind, s.speaker, s.text) for s in ep.segments] == [
        ("paragraph", None, "Show notes for the episode."),
        ("heading", None, "Transcript"),
        ("turn", "Ann Lee", "Welcome to the show."),
        ("turn", "Bo Chen", "Thanks for having me."),
        ("turn", "Ann Lee", "Let us start."),
        ("turn", "Bo Chen", "Sure thing."),
    ]
    text = " ".join(s.text for s in ep.segments)
    for junk in ("var x", "color: red", "track()", "Home", "Copyright", "DOCTYPE", "share"):
        assert junk not in text


def test_html_title_when_there_is_no_heading():
    page = ("<html><head><title>Only &amp; Title</title></head><body>"
            "<p>Some text of the page.</p></body></html>")
    [ep] = parse_text(page, "p.html").episodes
    assert ep.title == "Only & Title"
    assert [s.text for s in ep.segments] == ["Some text of the page."]
