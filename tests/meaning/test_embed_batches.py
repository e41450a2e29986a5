"""A passage's vector does not depend on the passages embedded beside it: the
embedder gathers the token ids of a whole batch at once (`meaning/embedder.py`), so
a slip at a boundary between two texts would give one of them the other's tokens."""

import numpy as np
import pytest

from aiviewer.meaning import embedder as embedder_mod


def test_a_batch_embeds_each_text_as_alone():
    try:
        model = embedder_mod.WordLlamaEmbedder()
    except embedder_mod.MeaningUnavailable:
        pytest.skip("wordllama is not installed")
    texts = ["", "GRPO on Qwen", "   ", "the reward model was trained with DPO " * 400,
             "Nathan Lambert talks about RLHF", "", "x"] * 6  # > one step of tokens
    together = model.embed(texts)
    alone = np.vstack([embedder_mod.WordLlamaEmbedder().embed([t]) for t in texts[:7]] * 6)
    assert np.array_equal(together, alone)
    assert not together[0].any() and not together[2].any()  # no tokens: a zero row
