"""Entity and kind filters checked on a few candidate passages look each one's
mentions up (`per_row`) and pass exactly the passages the whole-set form passes."""

from __future__ import annotations

from aiviewer.search.compile import compile_query
from aiviewer.search.query import parse
from aiviewer.store import fts


def test_per_row_lookups_pass_what_the_whole_set_passes(filled, monkeypatch):
    store, _ = filled
    sizes = []
    every = [i for (i,) in store.db.execute("SELECT id FROM segments")]
    for query in ("kind:model", "entity:Qwen", "entity:DeepSeek OR kind:lab",
                  "-kind:model", "kind:model date:2025", 'entity:"Kimi K2"'):
        where = compile_query(parse(query).tree).where
        monkeypatch.setattr(fts, "PER_ROW_AT_MOST", 0)
        whole = fts.filtered_ids(store.db, where, among=every)
        monkeypatch.setattr(fts, "PER_ROW_AT_MOST", 10_000)
        per_row = fts.filtered_ids(store.db, where, among=every)
        assert per_row == whole, query
        sizes.append(len(whole))
    assert sizes[0] > 0 and sizes[2] > 0 and max(sizes) < len(every)
