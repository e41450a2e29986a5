"""Plain text and Markdown: labelled turns in every common spelling, front
matter and bullet metadata, show notes with chapter lists, `>>` paragraphs."""

from __future__ import annotations

from pathlib import Path

from aiviewer.ingest import labelled
from aiviewer.ingest.pipeline import parse_text, read_file

FIXTURES = Path(__file__).parent / "fixtures"


def _episode(path, form="labelled"):
    read = read_file(path)
    assert read.source.form == form
    [ep] = read.source.episodes
    return ep


def test_front_matter_does_not_override_the_heading():
    ep = _episode(FIXTURES / "frontmatter_h1.md")
    assert ep.title == "The Real Title From The Heading"
    assert not ep.title_derived
    assert ep.date == "2024-03-05"
    assert ep.url == "https://www.youtube.com/watch?v=AbCdEfGhIjK"
    assert ep.video_id == "AbCdEfGhIjK"
    assert ep.show == "Deep Talks"  # from the `- **Channel:**` bullet


def test_label_styles_times_sounds_and_cjk():
    ep = _episode(FIXTURES / "frontmatter_h1.md")
    assert [(s.kind, s.speaker, s.start_ms, s.text) for s in ep.segments] == [
        ("turn", "Ada Lovelace", None, "Welcome to the show."),          # **Name:**
        ("turn", "Charles Babbage", None, "Thanks, Ada. Glad to be here."),  # **Name**:
        ("turn", "Ada Lovelace", 90_000, "So tell me about the engine."),  # Name (h:mm:ss):
        ("turn", "Charles Babbage", 130_000, "It computes. Mostly tables.\n\nIt also prints them."),
        ("turn", "Ada Lovelace", 195_000, "And the 中文 readers? 这是一个测试。"),  # \[03:15\]
    ]
    assert ep.segments[0].sounds == ("laughs",)
    assert ep.segments[3].sounds == ("music",)
    assert ep.segments[2].end_ms == 130_000
    assert ep.speakers == ("Ada Lovelace", "Charles Babbage")
    text = "\n".join(s.text for s in ep.segments)
    for junk in ("**", "\\[", "Channel", "---", "nested"):
        assert junk not in text


def test_show_notes_chapter_styles_html_and_shortcodes():
    ep = _episode(FIXTURES / "shownotes.md")
    assert ep.title == "Show notes in every style"
    assert ep.date == "2023-07-01"  # TOML front matter
    assert [(c.start_ms, c.title) for c in ep.chapters] == [
        (0, "Intro and welcome"),
        (135_000, "Why chapters matter"),
        (340_000, "Dashes as separators"),
        (3_723_000, "Long chapters in HTML"),
        (4_200_000, "The end"),
    ]
    assert [s.text for s in ep.segments] == ["Episode notes with links to papers.",
                                             "Shortcodes go too."]


def test_plain_name_colon_turns_need_a_recurring_name():
    text = ("Note: this transcript was edited.\n\n"
            "Grace Hopper: Let us begin.\n"
            "Alan Turing: Very well.\n"
            "Alan Turing: Shall we?\n"
            "Grace Hopper: Good.\n"
            "Cached Input: $0.50\n"
            "Cached Input: $0.25\n"
            "Kurt Goedel: I speak once, so I am not told apart from a heading.\n")
    [ep] = parse_text(text, "t.txt").episodes
    assert [(s.kind, s.speaker) for s in ep.segments] == [
        ("paragraph", None), ("turn", "Grace Hopper"), ("turn", "Alan Turing"),
        ("turn", "Alan Turing"), ("turn", "Grace Hopper")]
    assert ep.speakers == ("Grace Hopper", "Alan Turing")
    # an unlabelled line after a turn continues it
    assert ep.segments[-1].text.startswith("Good.\n\nCached Input: $0.50\n\nCached Input")


def test_plain_paragraphs_get_a_title_from_the_first_sentence():
    text = "This is a plain essay without any speakers at all. It goes on.\n\nSecond paragraph."
    [ep] = parse_text(text, "essay.txt").episodes
    assert ep.title == "This is a plain essay without any speakers at all"
    assert ep.title_derived
    assert [s.kind for s in ep.segments] == ["paragraph", "paragraph"]


def test_mixed_line_ends():
    text = "Grace Hopper: One.\r\nAlan Turing: Two.\rGrace Hopper: Three.\nAlan Turing: Four.\r\n"
    [ep] = labelled.parse(text).episodes
    assert [s.text for s in ep.segments] == ["One.", "Two.", "Three.", "Four."]


def test_chevron_caption_paragraphs_with_front_matter():
    text = ("---\ntitle: Chevron talk\npublished: 2025-01-02\nvideo_id: AbCdEfGhIjK\n---\n"
            "[music] Hello there, welcome. >> Hi, thanks. >> So tell me more. [laughter]\n\n"
            "more from the second speaker here >> and the first again.\n")
    [ep] = parse_text(text, "c.md").episodes
    assert (ep.title, ep.date, ep.video_id) == ("Chevron talk", "2025-01-02", "AbCdEfGhIjK")
    assert [(s.speaker, s.text) for s in ep.segments] == [
        ("Speaker 1", "Hello there, welcome."),
        ("Speaker 2", "Hi, thanks."),
        ("Speaker 1", "So tell me more. more from the second speaker here"),
        ("Speaker 2", "and the first again."),
    ]
    assert ep.segments[0].sounds == ("music",)


def test_corpus_markdown_bold_labels(corpus_dir):
    ep = _episode(corpus_dir / "spk_practicalai_233_fully-connected.md")
    assert ep.speakers == ("Daniel Whitenack", "Chris Benson")
    turns = [s for s in ep.segments if s.kind == "turn"]
    assert len(turns) >= 70
    assert turns[0].text.startswith("Welcome to another Fully Connected episode")
    timed = {s.start_ms for s in turns if s.start_ms is not None}
    assert {369_000, 616_000, 1_440_000} <= timed  # **Name:** \[06:09\] …
    text = "\n".join(s.text for s in ep.segments)
    assert "\\[" not in text and "**" not in text
    assert [(c.start_ms, c.title) for c in ep.chapters] == [(922_000, "Break"),
                                                            (1_667_000, "Break")]
    assert any("laughs" in s.sounds for s in turns)


def test_corpus_show_notes(corpus_dir):
    ep = _episode(corpus_dir / "notes_intoaisafety_e019_chapters.md")
    assert ep.title == "Scaling Democracy w/ Dr. Igor Krawczuk"
    assert ep.date == "2024-05-21"
    assert len(ep.chapters) == 20
    assert ep.chapters[0].start_ms == 152_000 and ep.chapters[0].title == "Introducing Igor"
    assert ep.chapters[-1].title == "Outro" and ep.chapters[-1].start_ms == 10_640_000
    text = "\n".join(s.text for s in ep.segments)
    for junk in ("{{", "}}", "<br", "<div", "<a ", "<!--", "❙", "transistor"):
        assert junk not in text
    assert text.startswith("The *almost* Dr. Igor Krawczuk joins me")


def test_corpus_chevron_transcript_with_front_matter(corpus_dir):
    ep = _episode(corpus_dir / "yt_latent-space_jeff-dean_gemini_transcript.md")
    assert ep.title.startswith("The AI Frontier: from Gemini 3 Deep Think distilling to Flash")
    assert ep.date == "2026-02-12"
    assert ep.video_id == "F_1oDPWxpFQ"
    assert ep.url == "https://www.youtube.com/watch?v=F_1oDPWxpFQ"
    assert ep.show == "Latent Space"
    turns = [s for s in ep.segments if s.kind == "turn"]
    assert len(turns) > 200 and set(ep.speakers) == {"Speaker 1", "Speaker 2"}
    assert turns[0].text.startswith("Hey everyone, welcome to the L in space podcast.")
    assert turns[0].sounds == ("music",)
    text = "\n".join(s.text for s in ep.segments)
    for junk in (">>", "**Channel", "[laughter]", "[music]", "Main:"):
        assert junk not in text


def _parse(text, name="t.txt"):
    [ep] = parse_text(text, name).episodes
    return ep


def test_name_and_time_on_their_own_line():
    ep = _parse("Nathan Lambert  0:03\nHello there, welcome.\n\nRoss Taylor  0:10\nHi. Thanks.\n\n"
                "Nathan Lambert  1:02\nSo.\n\nRoss Taylor  1:05\nYes.\n")
    assert [(s.speaker, s.start_ms, s.end_ms, s.text) for s in ep.segments] == [
        ("Nathan Lambert", 3_000, 10_000, "Hello there, welcome."),
        ("Ross Taylor", 10_000, 62_000, "Hi. Thanks."),
        ("Nathan Lambert", 62_000, 65_000, "So."),
        ("Ross Taylor", 65_000, None, "Yes."),
    ]


def test_anonymous_labels_count_even_once():
    ep = _parse("Speaker 1  0:00\nHello and welcome.\nSpeaker 2  0:05\nThanks.\nSpeaker 1  0:09\nOK.\n")
    assert [(s.speaker, s.start_ms) for s in ep.segments] == [
        ("Speaker 1", 0), ("Speaker 2", 5_000), ("Speaker 1", 9_000)]
    ep = _parse("SPEAKER_00: Hello there.\nSPEAKER_01: Hi.\nSPEAKER_00: Bye now.\n")
    assert [(s.speaker, s.text) for s in ep.segments] == [
        ("Speaker 1", "Hello there."), ("Speaker 2", "Hi."), ("Speaker 1", "Bye now.")]


def test_timestamped_lines_are_speech_not_chapters():
    ep = _parse("[00:00:05] Hello and welcome to the show.\n[00:00:09] Today we talk about models.\n"
                "[00:00:15] Why?\n[00:00:16] Let us begin with the first question.\n")
    assert ep.chapters == ()
    [seg] = ep.segments
    assert seg.kind == "paragraph" and seg.start_ms == 5_000
    assert seg.text == ("Hello and welcome to the show. Today we talk about models. Why? "
                        "Let us begin with the first question.")


def test_youtube_transcript_copy_with_times_on_their_own_lines():
    lines = []
    for i in range(60):
        lines += [f"{i // 6}:{(i % 6) * 10:02d}", f"caption fragment number {i} of the talk"]
    ep = _parse("\n".join(lines) + "\n")
    assert ep.chapters == ()
    assert all(s.kind == "paragraph" and s.start_ms is not None for s in ep.segments)
    text = " ".join(s.text for s in ep.segments)
    assert "0:10" not in text and "caption fragment number 59 of the talk" in text
    assert len(ep.segments) >= 2  # reflowed into paragraphs, not one line each
    assert ep.segments[1].start_ms > 0


def test_outlines_in_every_shape_stay_chapters():
    ep = _parse("Notes on the episode.\n\nChapters\n00:00\nIntro\n05:00\nThe middle\n10:00\nEnd\n")
    assert [(c.start_ms, c.title) for c in ep.chapters] == [
        (0, "Intro"), (300_000, "The middle"), (600_000, "End")]
    assert [s.text for s in ep.segments] == ["Notes on the episode."]
    ep = _parse("Notes on the episode.\n\n00:00 Intro\n05:00 The middle part.\n"
                "10:00 Why does it end?\n12:00 I'm convinced, what now?\n")
    assert [c.title for c in ep.chapters] == [
        "Intro", "The middle part.", "Why does it end?", "I'm convinced, what now?"]


def test_host_and_guest_lines_in_notes_are_not_turns():
    ep = _parse("Host: Nathan Lambert\nGuest: Ross Taylor\n\nWe talk about reasoning.\n"
                "More notes here.\n")
    assert all(s.kind == "paragraph" and s.speaker is None for s in ep.segments)
    assert ep.segments[0].text == "Host: Nathan Lambert"


def test_bold_name_with_time_and_bracketed_time_labels():
    ep = _parse("# Talk\n\n**Grace Hopper** (00:12:34): First point.\n\n"
                "**Alan Turing** (00:13:00): Second point.\n\n"
                "Grace Hopper [00:14:10]: Third.\n\n00:15:00 Alan Turing: Fourth.\n", "t.md")
    assert [(s.speaker, s.start_ms, s.text) for s in ep.segments] == [
        ("Grace Hopper", 754_000, "First point."),
        ("Alan Turing", 780_000, "Second point."),
        ("Grace Hopper", 850_000, "Third."),
        ("Alan Turing", 900_000, "Fourth."),
    ]
    assert ep.title == "Talk"


def test_hard_wrapped_lines_and_bare_caption_lines_join_into_paragraphs():
    ep = _parse("A plain essay title\n\nThis paragraph was wrapped at a fixed width, so\n"
                "its sentences run over several lines, which\nmust be read as one.\n\n"
                "A second paragraph.\nA new sentence on its own line stays apart.\n")
    assert [s.text for s in ep.segments] == [
        "A plain essay title",
        "This paragraph was wrapped at a fixed width, so its sentences run over several "
        "lines, which must be read as one.",
        "A second paragraph.",
        "A new sentence on its own line stays apart.",
    ]
    captions = "\n".join(f"so this is caption line {i} and it goes" for i in range(200))
    ep = _parse("Raw captions\n\n" + captions + "\n")
    paras = [s.text for s in ep.segments[1:]]
    assert 5 <= len(paras) <= 20  # joined, then cut into readable paragraphs
    assert " ".join(paras) == captions.replace("\n", " ")


def test_wrapped_turn_lines_continue_the_sentence():
    ep = _parse("Grace Hopper: This answer was wrapped\nat a fixed width.\n"
                "A new paragraph of the same turn.\n\nAlan Turing: Noted.\nGrace Hopper: Good.\n"
                "Alan Turing: Fine.\n")
    assert ep.segments[0].text == ("This answer was wrapped at a fixed width.\n\n"
                                   "A new paragraph of the same turn.")


def test_name_line_then_time_line_then_text():
    ep = _parse("Nathan Lambert\n0:03\nHello there, welcome to the show.\n\n"
                "Ross Taylor\n0:10\nThanks for having me.\n\n"
                "Nathan Lambert\n1:02\nSo tell me.\nmore of it\n\nRoss Taylor\n1:05\nYes.\n")
    assert [(s.speaker, s.start_ms, s.end_ms, s.text) for s in ep.segments] == [
        ("Nathan Lambert", 3_000, 10_000, "Hello there, welcome to the show."),
        ("Ross Taylor", 10_000, 62_000, "Thanks for having me."),
        ("Nathan Lambert", 62_000, 65_000, "So tell me. more of it"),
        ("Ross Taylor", 65_000, None, "Yes."),
    ]
