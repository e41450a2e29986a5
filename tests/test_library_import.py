"""Importing the seeds: the library a new user sees, deduplicated, with no chrome."""

from __future__ import annotations

import re
import shutil

import pytest

from aiviewer.library import Library

CHROME = re.compile(
    r"Back to Podcast Episodes|Transcript preview|AI-powered\s*podcast player|"
    r"Listen to all your favourite podcasts|Kind: captions|Language: en|<br\s*/?>|<a href",
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, seeds_dir):
    lib = Library(tmp_path_factory.mktemp("lib"))
    report = lib.import_paths([seeds_dir]).value
    assert not report.failed, report.failed
    yield lib
    lib.close()


def _by_title(lib, fragment):
    found = [e for e in lib.episodes() if fragment in e.title]
    assert len(found) == 1, [e.title for e in found]
    return found[0]


def test_sixty_four_episodes(seeded):
    assert seeded.counts()["episodes"] == 64


def test_interconnects_feed(seeded):
    feed = [e for e in seeded.episodes() if e.show == "Interconnects"]
    assert len(feed) >= 60


def test_one_lex_fridman_episode_from_two_files(seeded):
    lex = [e for e in seeded.episodes() if e.video_id == "EV7WhVT270Q"]
    assert len(lex) == 1
    e = lex[0]
    assert e.date == "2026-01-31"
    assert "Lex Fridman Podcast #490" in e.title
    ep = seeded.episode(e.id)
    turns = sum(1 for s in ep.segments if s.kind == "turn")
    assert 350 <= turns <= 450
    roles = sorted(s.role for s in ep.sources)
    assert roles == ["preview", "primary"]
    assert ep.sources[0].path.split("/")[-1].startswith("003_")


def test_ross_taylor_2024_interview(seeded):
    candidates = [e for e in seeded.episodes()
                  if set(e.speakers) >= {"Nathan Lambert", "Ross Taylor"} and e.form == "apppage"]
    assert len(candidates) == 1
    ep = seeded.episode(candidates[0].id)
    assert len(ep.chapters) == 13
    assert all(s.start_ms is not None for s in ep.segments if s.kind == "turn")


def test_web_page_is_merged_into_the_feed_episode(seeded):
    ep = [e for e in seeded.episodes() if "Interviewing Ross Taylor on the state of AI" in e.title]
    assert len(ep) == 1
    full = seeded.episode(ep[0].id)
    assert full.chapters, "the web page's chapter outline is kept"
    assert full.summary.n_sources == 2
    assert full.text.startswith("I’m excited to welcome Ross Taylor back")


def test_no_site_chrome_in_any_text(seeded):
    for e in seeded.episodes():
        ep = seeded.episode(e.id)
        assert e.title.strip()
        for seg in ep.segments:
            assert not CHROME.search(seg.text), (e.title, seg.text[:200])


def test_reimport_of_unchanged_files_changes_nothing(seeded, seeds_dir):
    before = [(e.id, e.title, e.n_words) for e in seeded.episodes()]
    report = seeded.import_paths([seeds_dir]).value
    assert report.added == report.updated == report.merged == 0
    assert report.unchanged_files == 5
    assert [(e.id, e.title, e.n_words) for e in seeded.episodes()] == before


def test_changed_file_updates_its_episode_in_place(tmp_path, seed):
    src = tmp_path / "ep.txt"
    shutil.copy(seed("002"), src)
    lib = Library(tmp_path / "lib")
    lib.import_paths([src])
    [before] = lib.episodes()
    text = src.read_text(encoding="utf-8")
    src.write_text(text.replace("Galactica", "Galactica (the science model)", 1), encoding="utf-8")
    report = lib.import_paths([src]).value
    assert report.updated == 1 and report.added == 0
    [after] = lib.episodes()
    assert after.id == before.id
    assert "Galactica (the science model)" in lib.episode(after.id).text + (
        lib.episode(after.id).description or "")


def test_preview_first_then_full_text_gives_one_episode(tmp_path, seed):
    lib = Library(tmp_path / "lib")
    lib.import_paths([seed("004")])
    lib.import_paths([seed("003")])
    [e] = lib.episodes()
    assert e.date == "2026-01-31"
    ep = lib.episode(e.id)
    assert [s.role for s in ep.sources] == ["primary", "preview"]
    assert e.n_words > 25_000


def test_failed_file_leaves_store_untouched(tmp_path, seed):
    lib = Library(tmp_path / "lib")
    lib.import_paths([seed("002")])
    before = lib.counts()
    bad = tmp_path / "bad.vtt"
    bad.write_text("WEBVTT\n\nthis is not a cue\n")
    report = lib.import_paths([bad]).value
    assert len(report.failed) == 1 and "bad.vtt" in report.failed[0].path
    assert lib.counts() == before
