"""Meaning: passage vectors from a static embedding model, pure (no SQL, no Qt).

`embedder` loads the model (wordllama's weights and tokenizer from its own wheel,
never from the network) and turns texts into unit vectors; `vectors` packs them
compactly (int8 for re-scoring, sign bits for a Hamming pre-selection) and ranks
them; `fusion` merges a words ranking with a meaning ranking (reciprocal rank
fusion); `learned` is the alternative model measured against wordllama (PPMI +
SVD word vectors learned from the library itself).

numpy and wordllama are imported lazily: a library that never asks for meaning
never loads them.
"""
