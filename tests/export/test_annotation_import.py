from __future__ import annotations

from dataclasses import replace

import pytest

from aiviewer.errors import ImportFailed
from aiviewer.export import annotation_import as ai
from aiviewer.export import qdpx, w3c


def test_reads_either_format_by_content(tmp_path, annotations, tags, texts):
    j = tmp_path / "a.qdpx"  # a misleading name: the content decides
    j.write_text(w3c.render(annotations, tags), encoding="utf-8")
    got = ai.read_file(j)
    assert got.format == "w3c" and [a.id for a in got.annotations] == [a.id for a in annotations]
    z = tmp_path / "b.json"
    qdpx.write(z, annotations, tags, texts)
    got = ai.read_file(z)
    assert got.format == "qdpx" and len(got.annotations) == 3 and got.texts


def test_missing_and_oversized_files(tmp_path, monkeypatch):
    with pytest.raises(ImportFailed, match="cannot be read"):
        ai.read_file(tmp_path / "nope.json")
    big = tmp_path / "big.json"
    big.write_bytes(b"[" + b" " * 2000 + b"]")
    monkeypatch.setattr(ai.guards, "MAX_JSON_BYTES", 1000)
    with pytest.raises(ImportFailed, match="refused"):
        ai.read_file(big)


def test_merge_is_idempotent_and_newer_wins(annotations):
    a, b = annotations[0], annotations[1]
    newer_a = replace(a, note_md="edited elsewhere", modified="2026-11-23T10:30:00Z")
    first = ai.plan([newer_a, b], {a.id: a})
    assert first.update == (newer_a,) and first.add == (b,) and first.changes == 2
    library = {a.id: newer_a, b.id: b}
    again = ai.plan([newer_a, b], library)
    assert again.changes == 0 and len(again.unchanged) == 2
    older = ai.plan([replace(a, modified="2020-01-01T00:00:00+00:00")], library)
    assert older.changes == 0


def test_duplicates_in_one_file_keep_the_newest(annotations):
    a = annotations[0]
    late = replace(a, modified="2030-01-01T00:00:00+00:00", note_md="late")
    assert ai.plan([late, a], {}).add == (late,)
    assert ai.plan([a, late], {}).add == (late,)


def test_times_compare_across_zone_spellings():
    assert ai.is_newer("2026-11-23T10:00:00+01:00", "2026-11-23T08:59:59Z")
    assert not ai.is_newer("2026-11-23T10:00:00+01:00", "2026-11-23T09:00:00Z")
    assert ai.is_newer("2026-11-23T09:00:00", "")
    assert not ai.is_newer("garbage", "also garbage") and not ai.is_newer("", "")


def test_foreign_sources_match_local_episodes_by_text(annotations):
    texts = {"qdpx:1": ("Interview", "Hello  there,\nworld"), "qdpx:2": ("Other", "nope"),
             "yt-abc123": ("Scaling", "whatever")}
    local = {"t-1": "Hello there, world", "yt-abc123": "local text"}
    mapping = ai.match_sources(texts, local)
    assert mapping == {"qdpx:1": "t-1", "yt-abc123": "yt-abc123"}
    moved = ai.rekey([replace(annotations[0], episode_id="qdpx:1"), annotations[2]], mapping)
    assert [a.episode_id for a in moved] == ["t-1", annotations[2].episode_id]
