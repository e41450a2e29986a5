"""The relevance set behind `aiviewer bench semantic` is what the README says it is:
≥ 30 queries, every judged passage found, paraphrases sharing no word with answers."""

from __future__ import annotations

import re

import pytest
from whoosh.lang.porter import stem

from aiviewer.bench.semantic import load_judgments
from aiviewer.library import Library

STOP = set("a an the of to in on and or is are was be it its that this what do we for "
           "with by as at from could can does".split())
STOP_STEMS = {stem(w) for w in STOP}


def _stems(text: str) -> set[str]:
    return {s for w in re.findall(r"[a-z0-9]+", text.lower())
            if len(s := stem(w)) > 1 and s not in STOP_STEMS}


@pytest.fixture(scope="module")
def texts(tmp_path_factory, seeds_dir, corpus_dir):
    from aiviewer.library import meaning

    path = tmp_path_factory.mktemp("relevance")
    mp = pytest.MonkeyPatch()
    mp.setattr(meaning.MeaningMixin, "embed_passages", lambda self, *a, **k: 0)
    try:
        with Library(path) as lib:
            lib.import_paths([seeds_dir, corpus_dir])
            return lib.passage_texts()
    finally:
        mp.undo()


def test_relevance_set(texts):
    judgments = load_judgments()
    assert len(judgments) >= 30
    paraphrases = [q for q in judgments if q.get("paraphrase")]
    assert len(paraphrases) >= 8
    for q in judgments:
        for piece in q["relevant"]:
            found = [t for t in texts.values() if piece in t]
            assert found, f"{q['q']!r}: no passage holds {piece!r}"
            if q.get("paraphrase"):
                for text in found:
                    shared = _stems(q["q"]) & _stems(text)
                    assert not shared, f"{q['q']!r} shares {shared} with {piece!r}"
