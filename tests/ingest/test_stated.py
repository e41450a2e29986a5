"""Show names and dates a file states in passing (issue 16): title suffixes,
"Published …" lines and dated URLs fill what the parser left empty."""

from __future__ import annotations

from aiviewer.ingest import pipeline, stated


def test_the_seed_lex_episode_names_its_show(seeds_dir):
    [ep] = pipeline.read_file(seeds_dir / "003_2e3fad989d5a5666.txt").source.episodes
    assert ep.show == "Lex Fridman Podcast"
    assert ep.title.endswith("| Lex Fridman Podcast #490")  # the title is left as stated


def test_the_library_lists_the_seed_lex_episode_under_its_show(tmp_path, seeds_dir):
    from aiviewer.library import Library

    with Library(tmp_path / "lib") as lib:
        lib.import_paths([seeds_dir / "003_2e3fad989d5a5666.txt"])
        [summary] = lib.episodes()
        assert summary.show == "Lex Fridman Podcast"


def test_title_suffixes():
    assert stated.show_from_title("Scaling | Dwarkesh Podcast") == "Dwarkesh Podcast"
    assert stated.show_from_title("GPT-5 — The Cognitive Revolution Ep. 12") == \
        "The Cognitive Revolution"
    assert stated.show_from_title("Training at scale | Part 2") is None
    assert stated.show_from_title("A title with no separator #4") is None


def test_dates_from_lines_and_urls():
    assert stated.date_from_text("Title\nPublished: March 3, 2025\nText") == "2025-03-03"
    assert stated.date_from_text("Posted on 14 Sept 2024") == "2024-09-14"
    assert stated.date_from_text("Published 2025-02-30") is None  # no such day
    assert stated.date_from_url("https://ex.com/p/2025/06/21/talk") == "2025-06-21"
    assert stated.date_from_url("https://ex.com/p/2025-talk") is None


def test_a_stated_date_fills_only_what_is_empty():
    text = "# A talk | Some Podcast #3\n\nPublished June 2, 2025\n\nAda: hello there.\n"
    [ep] = pipeline.parse_text(text, "talk.md").episodes
    assert ep.date == "2025-06-02"
    text = "---\ndate: 2024-01-05\n---\n# A talk\n\nPublished June 2, 2025\n\nAda: hello.\n"
    [ep] = pipeline.parse_text(text, "talk.md").episodes
    assert ep.date == "2024-01-05"
