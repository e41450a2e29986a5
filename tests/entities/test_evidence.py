"""The evidence pass (entities/evidence.py): each rule on small texts of our own, the classes
of false positive found on whole episodes, and the confident / suggested split."""

from __future__ import annotations

import pytest

from aiviewer.entities import default_matcher, find
from aiviewer.entities.evidence import _PERSON_CUES, _URL, _cue_matches, _urls
from aiviewer.entities.lexicon import camel, ordinary


def found(text: str, suggestions: bool = False) -> list[tuple[str, str, bool]]:
    return [(m.surface, m.canonical, m.suggested)
            for m in default_matcher().find(text, suggestions=suggestions)]


def sure(text: str) -> list[tuple[str, str]]:
    return [(s, c) for s, c, _ in found(text)]


# -- the rules -------------------------------------------------------------------------


def test_bare_tier_after_its_family():
    text = "We tried Gemini last week. The flash version is quick, and Pro is better at maths."
    assert ("flash", "Gemini Flash") in sure(text)
    assert ("Pro", "Gemini Pro") in sure(text)


def test_no_tier_without_a_family():
    assert sure("The flash went off and the pro said so.") == []


def test_tier_belongs_to_the_family_named_last():
    # Nemotron is named between Gemini and "Ultra": Ultra is not Gemini Ultra for sure
    text = "Gemini Pro is fine. Nemotron Nano, Super and Ultra are NVIDIA's new family."
    assert ("Ultra", "Gemini Ultra") not in sure(text)
    # ... nor, right after Nemotron, even a suggestion (a blind review: "GPT-5 nano" and
    # "Nemotron-3 Super and Ultra" offered as Gemini Nano and Gemini Ultra)
    assert ("Ultra", "Gemini Ultra", True) not in found(text, suggestions=True)
    # further on, another family's tier may still be what was meant: offered
    far = ("Gemini Pro is fine. Nemotron Nano is NVIDIA's. We talked about small models "
           "for a long while, and then Ultra came up.")
    assert ("Ultra", "Gemini Ultra", True) in found(far, suggestions=True)


def test_first_name_of_an_introduced_person():
    text = ("Today I'm joined by Maria Okonkwo to talk about GPT-4. "
            "Maria works on robot learning.")
    assert ("Maria", "Maria Okonkwo") in sure(text)


def test_first_name_counts_only_after_the_full_name():
    text = "Andrej said hello. We discussed GPT-4 with Andrej Karpathy, and Andrej agreed."
    names = [(m.surface, m.start) for m in find(text) if m.canonical == "Andrej Karpathy"]
    assert ("Andrej", 0) not in names
    assert names[-1][0] == "Andrej"


def test_initials_of_a_person_named_in_full():
    assert ("YL", "Yann LeCun") in sure(
        "Yann LeCun argued for world models. YL also said that LLMs are not enough.")


def test_misspelt_surname_of_a_person_in_the_text():
    assert ("Karpaty", "Andrej Karpathy") in sure(
        "Andrej Karpathy wrote a post. Later Karpaty explained the idea.")


def test_misheard_name_confirmed_by_the_entity():
    text = "We read about Chinchilla first. Later Chinchila came up, and Chinchila again."
    assert sure(text).count(("Chinchila", "Chinchilla")) == 2


def test_misheard_name_without_evidence_is_nothing():
    assert sure("Later Chinchila came up.") == []


def test_links_to_papers_are_papers_and_urls_are_not_matched():
    text = ('See <a href="https://arxiv.org/abs/1706.03762">Attention Is All You Need</a> '
            "and https://openai.com/gpt-4 or sam@openai.com about gpt4.pdf and `GPT-4`.")
    ms = find(text)
    assert [(m.surface, m.kind) for m in ms] == [("Attention Is All You Need", "paper")]


# -- the false-positive classes of whole episodes (all at most suggestions) ------------------


@pytest.mark.parametrize("text, word, entity", [
    # initials that are a frequent word
    ("Results on ImageNet and Vision Transformer IN the paper.", "IN", "ImageNet"),
    # CamelCase or fused spellings are written on purpose
    ("Codex writes code. Their CapEx is huge.", "CapEx", "Codex"),
    # a Title-case word heard as an acronym needs a kind cue to be sure
    ("We love RLHF. Roon method is what we do.", "Roon", "RLHF"),
    # a word that exists on its own (a name, a term) and does not recur
    ("The Parakeet model is small. Pareto efficient, they said.", "Pareto", "Parakeet"),
])
def test_weak_candidates_are_never_confident(text, word, entity):
    assert (word, entity) not in sure(text)
    # but a reader may still want to confirm one: it is offered as a suggestion
    assert (word, entity, True) in found(text, suggestions=True)


@pytest.mark.parametrize("text, word, entity", [
    # months and their abbreviations: never a mishearing
    ("Apple shipped a model. In April we saw it again.", "April", "Apple"),
    ("Apertus is a Swiss model. Released Apr 2025.", "Apr", "Apertus"),
    # a word of English inside a longer proper name
    ("Slack is where we talk. People in Silicon Valley use Slack.", "Silicon", "Slack"),
    ("We discussed Codex with Adam Coates yesterday.", "Coates", "Codex"),
    # a word of English the text uses again and again: the word, not a mishearing
    ("Slack is great. Silicon chips, Silicon wafers, Silicon everywhere.", "Silicon", "Slack"),
    # a word heard as an acronym said letter by letter, with no kind cue after it
    ("We love RLHF. Roon says RLHF is great.", "Roon", "RLHF"),
    # a word capitalised only because it starts a sentence
    ("Bard was Google's. Buried in the card was an evaluation.", "Buried", "Bard"),
    # a part of a longer name: after a first name, in brackets, after a hyphen
    ("Ai2 released Olmo. Awni Hannun was there too.", "Awni", "Ai2"),
    ("Google DeepMind's results on GPQA-Diamond were strong.", "Diamond", "Google DeepMind"),
    # a word of English whose entity the text never names, before a kind cue
    ("They adopted the Apache 2.0 license.", "Apache", "Apple"),
    # a word of English one sound off the name (Metaphone ALS / ALKS, ATB / ATM,
    # TRNTN / TRTN): the word, even where the text names the entity
    ("Alexa answered. So it is like Alice has five apples.", "Alice", "Alexa"),
    ("We used Adam. Then the Adobe editor shipped.", "Adobe", "Adam"),
    ("Triton kernels are fast, as Trenton said at the meetup.", "Trenton", "Triton"),
])
def test_words_of_english_that_only_sound_like_a_name_are_not_even_suggested(text, word, entity):
    """A blind review of the reader: "heard as 'Silicon' — Slack? 12x", "April — Apple?"
    were the noise that made the real suggestions ("Godot" — Gato?) untrustworthy."""
    assert (word, entity) not in [(s, c) for s, c, _ in found(text, suggestions=True)]


def test_a_word_of_english_that_sounds_exactly_like_the_name_is_still_suggested():
    """The other side of the rule above: "Grid" sounds as Gradio does (one Metaphone key,
    KRT), so a reader is still asked."""
    assert ("Grid", "Gradio", True) in found(
        "Gradio is nice for demos. We built the demo in Grid and shipped it.",
        suggestions=True)


def test_lexicon():
    assert ordinary("April") and ordinary("Apr") and ordinary("Silicon") and ordinary("Seattle")
    assert not ordinary("Twimball") and not ordinary("Godot")
    assert camel("CapEx") and camel("RLFor") and not camel("NURPS") and not camel("Godot")


# -- the confident / suggested split -----------------------------------------------------

SAMPLES = [
    "Gemini Pro is fine. Nemotron Nano is NVIDIA's. We talked about small models for a "
    "long while, and then Ultra came up.",
    "The Parakeet model is small. Pareto efficient, they said.",
    "We love RLHF. Roon method is what we do. Codex writes code. Their CapEx is huge.",
    "DeepMind built Gato. Later Godot came up. Gpt-4 and GPT 4o.",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_find_never_returns_suggestions(text):
    assert not any(m.suggested for m in find(text))
    assert not any(m.suggested for m in default_matcher().find(text))


@pytest.mark.parametrize("text", SAMPLES)
def test_suggestions_add_to_the_confident_mentions_without_overlap(text):
    sure_ms = default_matcher().find(text)
    all_ms = default_matcher().find(text, suggestions=True)
    assert [m for m in all_ms if not m.suggested] == sure_ms
    assert any(m.suggested for m in all_ms)
    for a, b in zip(all_ms, all_ms[1:]):
        assert a.end <= b.start


def test_find_never_returns_suggestions_on_the_seeds(seeds_dir):
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(seeds_dir.glob("*.txt"))]
    for text in texts:
        assert not any(m.suggested for m in find(text))


# -- the fast paths give what the regexes gave --------------------------------------------


@pytest.mark.parametrize("text", [
    "", "Joined by Ben Smith", "xjoined by Bo", "I'm your host, Sam Li. My guest today is Al",
    "**Chris Benson:** hi\n[Dan] yes\n- [Al Li] no", "JOINED BY Al", "Welcome back to the show, Igor",
    "Im your host Kim and I am your host Lee", "Talking with Ann. Interview with Bob-Ray Li",
])
def test_cue_matches_equal_the_cue_regex(text):
    assert [m.span() for m in _cue_matches(text)] == [m.span() for m in _PERSON_CUES.finditer(text)]


@pytest.mark.parametrize("text", [
    "", "see https://a.b/c and www.x.y", "ahttps://x", "https://www.a.b(c)", "httpss://z",
    "://", "wwww.a.b http://", "(http://a.b) [www.c.d]",
])
def test_url_spans_equal_the_url_regex(text):
    assert _urls(text) == [m.span() for m in _URL.finditer(text)]


def test_without_the_word_list_letters_alone_only_suggest(monkeypatch):
    """A frozen app built without wordfreq's data must not fail: every word is then taken
    as ordinary, so sound and letters make suggestions only."""
    from aiviewer.entities import Matcher, lexicon

    def clear():
        for f in (lexicon._tier, lexicon.ordinary, lexicon.known, lexicon.frequent):
            f.cache_clear()

    clear()
    monkeypatch.setattr(lexicon, "_tier", lambda k: None)
    try:
        m = Matcher.from_catalog()
        text = "We read about Chinchilla first. Later Chinchila came up, and Chinchila again."
        assert ("Chinchila", "Chinchilla") not in [(x.surface, x.canonical) for x in m.find(text)]
        assert ("Chinchila", "Chinchilla", True) in [
            (x.surface, x.canonical, x.suggested) for x in m.find(text, suggestions=True)]
    finally:
        monkeypatch.undo()
        clear()
