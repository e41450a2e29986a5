"""Shared clean-up: sentences, paragraphs, glue repair, sounds, titles, CJK."""

from __future__ import annotations

import pytest

from aiviewer.ingest import clean
from aiviewer.ingest.pipeline import parse_text
from aiviewer.ingest.reflow import Cue, cues_to_segments


def test_sentences_keep_closing_quotes_and_brackets():
    text = "He said “Yes.” Then we left. (It was late.) Dr. Who came. U.S. policy too."
    assert clean.sentences(text) == [
        "He said “Yes.”", "Then we left.", "(It was late.)", "Dr. Who came.", "U.S. policy too."]


def test_paragraphs_lose_no_text():
    text = " ".join(["He said “Yes.” Then we left (quietly)."] * 80)
    paras = clean.paragraphs(text)
    assert len(paras) > 1
    assert " ".join(paras) == text


def test_cjk_sentences_and_paragraphs():
    assert clean.sentences("今日は良い天気ですね。明日も晴れるでしょう！ 本当？はい。") == [
        "今日は良い天気ですね。", "明日も晴れるでしょう！", "本当？", "はい。"]
    text = "这是一个关于模型训练的长句子，我们讨论了很多细节。" * 40
    paras = clean.paragraphs(text)
    assert len(paras) > 1
    assert "".join(paras) == text  # no spaces put between Chinese sentences


def test_cjk_cues_join_without_spaces_and_keep_times():
    cues = [Cue("我们今天讨论", 0, 1000), Cue("大型语言模型。", 1000, 2000), Cue("OK then.", 2000, 3000)]
    [seg] = cues_to_segments(cues)
    assert seg.text == "我们今天讨论大型语言模型。 OK then."
    assert (seg.start_ms, seg.end_ms) == (0, 3000)


def test_cjk_plain_text_file():
    text = "主持人: 欢迎收听本期节目。\n嘉宾: 谢谢邀请。\n主持人: 我们开始吧。\n嘉宾: 好的。\n"
    [ep] = parse_text(text, "zh.txt").episodes
    joined = "\n".join(s.text for s in ep.segments)
    for line in text.splitlines():
        assert line.split(": ")[1] in joined
    assert ep.title.strip()


@pytest.mark.parametrize("glued, parts", [
    ("face to face.In this episode", ["face to face.", "In this episode"]),
    ("soon!Nathan Lambert: Hey", ["soon!", "Nathan Lambert: Hey"]),
    ("train with RL?And Ross asserts", ["train with RL?", "And Ross asserts"]),
    ("the post.1. I’ll be in SF", ["the post.", "1. I’ll be in SF"]),
    ("some topics.00:00 Recent news", ["some topics.", "00:00 Recent news"]),
    ("LLMsTranscriptA frontier lab", ["LLMs", "Transcript", "A frontier lab"]),
    ("U.S.A and v0.5 stay whole.", ["U.S.A and v0.5 stay whole."]),
])
def test_unglue(glued, parts):
    assert [p for p in clean.unglue(glued).split("\n") if p] == parts


def test_unglue_words_keeps_brand_names():
    assert clean.unglue_words("newsRelated reading") == "news\nRelated reading"
    assert clean.unglue_words("attention toThe research") == "attention to\nThe research"
    assert clean.unglue_words("DeepSeek OpenAI iPhone gpt-4o") == "DeepSeek OpenAI iPhone gpt-4o"


def test_sounds_are_kept_apart():
    assert clean.take_sounds("Yes [laughter] indeed (applause) ♪ la la ♪ ok") == (
        "Yes indeed ok", ("laughter", "applause", "la la"))
    assert clean.take_sounds("see [1] and (2024)") == ("see [1] and (2024)", ())
    assert clean.take_sounds("the [inaudible 00:14:05] model [crosstalk 01:02]") == (
        "the model", ("inaudible", "crosstalk"))


def test_titles():
    assert clean.title_from_url("https://x.substack.com/p/kimi-k2-and-when-deepseek-moments") == \
        "Kimi k2 and when deepseek moments"
    assert clean.title_from_url("https://example.org/episodes/12345/") == ""
    # a slug cut by the publisher at a word count says so
    assert clean.title_from_url("https://www.interconnects.ai/p/openais-gpt-41-and-separating-the") \
        == "Openais gpt 41 and separating the…"
    assert clean.title_from_url("https://x.org/p/the-american-deepseek-project") == \
        "The american deepseek project"
    assert clean.recase("Openais gpt 41 and separating the…", "OpenAI's GPT 41 and the API") \
        == "OpenAI's GPT 41 and separating the…"
    assert clean.first_sentence_title("It’s finally here! The public version of my talk.") == \
        "The public version of my talk"
    long = "word " * 40
    assert clean.first_sentence_title(long).endswith("…")
    assert len(clean.first_sentence_title(long)) <= 81


def test_strip_markup():
    html = ('<p>One&amp;two<br/>three</p><!-- note --> {{< youtube id="x" >}}'
            '<a href="https://e.org">link</a>\u200b&nbsp;end')
    assert clean.strip_markup(html).split("\n") == ["", "One&two", "three", " link end"]
    assert clean.unescape_markdown(r"\[12:34\] \*bold\* a\_b") == "[12:34] *bold* a_b"


def test_unglue_makes_what_its_patterns_make_in_turn(seed):
    """`unglue` finds its places faster than applying each pattern over the whole text;
    it must make exactly the same text: on random text built to meet every pattern (and
    their near misses), and on the seeds' show notes."""
    import random

    from aiviewer.ingest import clean

    pieces = ["a", "b", "Z", "Ab", "I ", "A ", ".", "!", "?", ":", "*", " ", "  ", "\n", "\t",
              "\xa0", "1", "12", "3.", "00:00", "1:02:03", "”", "’", '"', "“", "‘", "(", ")",
              "]", "%", "Chapters", "Transcript", "Timestamps", "Show notes", "Links",
              "Sources", "U.S.A", "v0.5", "é", "**"]
    rng = random.Random(20261207)
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert clean.unglue(text) == clean._unglue_by_patterns(text), repr(text)
    notes = seed("001").read_text(encoding="utf-8")
    assert clean.unglue(notes) == clean._unglue_by_patterns(notes)
