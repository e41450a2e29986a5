"""Annotations, tags and undo through the Library facade, on a real store."""

from __future__ import annotations

import pytest

from aiviewer.library import Library

TRANSCRIPT = """# A talk about RL

Nathan Lambert: The interesting thing about GRPO is that it drops the value model entirely.
Ross Taylor: Yes, and the group baseline does the work the critic used to do.
Nathan Lambert: And DPO is a different story, no reward model at all.
Ross Taylor: Right, DPO optimises preferences directly.
"""


@pytest.fixture
def lib(tmp_path):
    src = tmp_path / "talk.md"
    src.write_text(TRANSCRIPT, encoding="utf-8")
    library = Library(tmp_path / "lib")
    report = library.import_paths([src]).value
    assert not report.failed
    library.src = src
    yield library
    library.close()


def _ep(lib):
    [e] = lib.episodes()
    return lib.episode(e.id)


def _span(ep, quote):
    at = ep.text.index(quote)
    return at, at + len(quote)


def test_annotate_tag_and_note_are_stored_with_context(lib):
    ep = _ep(lib)
    a = lib.annotate(ep.id, *_span(ep, "drops the value model"), note_md="*key* point",
                     tags=["method/RL/GRPO"]).value
    assert a.exact == "drops the value model" and a.tags == ("method/RL/GRPO",)
    assert a.speaker == "Nathan Lambert" and a.episode_title == "A talk about RL"
    assert lib.annotations(tag="method/RL")[0].id == a.id  # a tag matches its children
    assert lib.annotations(text="key")[0].id == a.id
    assert lib.annotations(speaker="nathan lambert")[0].id == a.id
    [t] = lib.tags()
    assert (t.name, t.count) == ("method/RL/GRPO", 1) and t.colour


def test_undo_and_redo_every_change(lib):
    ep = _ep(lib)
    a = lib.annotate(ep.id, *_span(ep, "group baseline"), tags=["GRPO"]).value
    assert lib.undo_label() == "Tag “GRPO”"
    lib.set_note(a.id, "the critic's job")
    lib.tag([a.id], "baselines")
    assert lib.undo_label() == "Tag “baselines” on 1 passage"
    lib.undo()
    assert lib.annotation(a.id).tags == ("GRPO",)
    lib.undo()
    assert lib.annotation(a.id).note_md == ""
    lib.redo()
    assert lib.annotation(a.id).note_md == "the critic's job"
    lib.undo()
    lib.undo()
    assert lib.annotations() == [] and lib.tags() == []
    lib.redo()
    assert lib.annotation(a.id).tags == ("GRPO",)


def test_rename_merge_and_delete_tags_with_undo(lib):
    ep = _ep(lib)
    a = lib.annotate(ep.id, *_span(ep, "DPO is a different story"), tags=["method/DPO"]).value
    b = lib.annotate(ep.id, *_span(ep, "optimises preferences"), tags=["prefs/DPO"]).value
    assert lib.rename_tag("method", "methods").value == 1
    assert lib.annotation(a.id).tags == ("methods/DPO",)
    lib.undo()
    assert lib.annotation(a.id).tags == ("method/DPO",)
    assert lib.merge_tags("prefs", "method").value == 1
    assert lib.annotation(b.id).tags == ("method/DPO",)
    assert {t.name for t in lib.tags()} == {"method/DPO"}
    lib.undo()
    assert lib.annotation(b.id).tags == ("prefs/DPO",)
    assert lib.tag_usage("method") == 1
    assert lib.delete_tag("method").value == 1
    assert lib.annotation(a.id).tags == ()
    lib.undo()
    assert lib.annotation(a.id).tags == ("method/DPO",)


def test_bulk_untag_and_delete_with_undo(lib):
    ep = _ep(lib)
    ids = [lib.annotate(ep.id, *_span(ep, q), tags=["x"]).value.id
           for q in ("GRPO", "critic", "reward model")]
    assert lib.untag(ids, "x").value == 3
    assert all(lib.annotation(i).tags == () for i in ids)
    lib.undo()
    assert all(lib.annotation(i).tags == ("x",) for i in ids)
    assert lib.delete_annotations(ids[:2]).value == 2
    assert lib.undo_label() == "Delete 2 annotations"
    lib.undo()
    assert len(lib.annotations()) == 3


def test_reimport_of_an_edited_file_reanchors_and_orphans(lib):
    ep = _ep(lib)
    kept = lib.annotate(ep.id, *_span(ep, "the group baseline does the work"), note_md="n1").value
    gone = lib.annotate(ep.id, *_span(ep, "no reward model at all"), note_md="n2").value
    text = lib.src.read_text(encoding="utf-8")
    lib.src.write_text(text.replace("Nathan Lambert: The", "Nathan Lambert: So, the")
                       .replace(", no reward model at all", ""), encoding="utf-8")
    report = lib.import_paths([lib.src]).value
    assert report.updated == 1
    new = lib.episode(ep.id)
    k = lib.annotation(kept.id)
    assert k.status == "anchored" and new.text[k.start:k.end] == k.exact
    g = lib.annotation(gone.id)
    assert g.status == "orphaned" and g.note_md == "n2"
    assert [o.id for o in lib.orphans()] == [gone.id]
    # re-attach by selecting new text
    at = new.text.index("DPO is a different story")
    r = lib.reattach(gone.id, at, at + len("DPO is a different story")).value
    assert r.status == "anchored" and r.note_md == "n2"


def test_removing_an_episode_keeps_its_annotations(lib):
    ep = _ep(lib)
    a = lib.annotate(ep.id, *_span(ep, "GRPO"), note_md="keep me").value
    lib.remove_episode(ep.id)
    assert lib.annotation(a.id).note_md == "keep me"


def test_annotate_quote_for_scripts(lib):
    ep = _ep(lib)
    a = lib.annotate_quote(ep.id, "group baseline", "note", ["t"]).value
    assert a.exact == "group baseline"


def test_w3c_export_import_round_trip_is_idempotent_and_lossless(lib, tmp_path):
    ep = _ep(lib)
    a = lib.annotate(ep.id, *_span(ep, "group baseline"), note_md="**why** it works",
                     tags=["method/GRPO", "to-read"]).value
    out = tmp_path / "notes.jsonld"
    lib.export_annotations("w3c", out)
    other = Library(tmp_path / "other")
    other.import_paths([lib.src])
    first = other.import_annotations(out).value
    assert (first.added, first.orphaned) == (1, 0)
    again = other.import_annotations(out).value
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
    b = other.annotation(a.id)
    for field in ("id", "episode_id", "exact", "prefix", "suffix", "start", "end", "note_md",
                  "tags", "created", "modified", "status"):
        assert getattr(b, field) == getattr(a, field), field
    # a newer copy in the file updates the older one here
    lib.set_note(a.id, "changed later")
    lib.export_annotations("w3c", out)
    assert other.import_annotations(out).value.updated == 1
    assert other.annotation(a.id).note_md == "changed later"
    other.close()


def test_qdpx_import_into_an_empty_library_keeps_orphans(lib, tmp_path):
    ep = _ep(lib)
    lib.annotate(ep.id, *_span(ep, "DPO optimises preferences"), tags=["prefs"])
    out = tmp_path / "project.qdpx"
    lib.export_annotations("qdpx", out)
    empty = Library(tmp_path / "empty")
    result = empty.import_annotations(out).value
    assert result.added == 1 and result.orphaned == 1
    [o] = empty.orphans()
    assert o.exact == "DPO optimises preferences" and o.tags == ("prefs",)
    empty.close()


def test_a_tags_family_shares_its_colour_and_a_new_family_takes_the_next(lib):
    from aiviewer.render.palette import TAG_DEFAULTS

    ep = _ep(lib)
    a, b = _span(ep, "GRPO")
    lib.annotate(ep.id, a, b, tags=["method/GRPO", "orgs/Ai2"])
    lib.annotate(ep.id, *_span(ep, "DPO is"), tags=["method/DPO", "method", "loose"])
    lib.annotate(ep.id, *_span(ep, "critic"), tags=["Method/critic"])  # another family
    colour = {t.name: t.colour for t in lib.tags()}
    assert colour["method/GRPO"] == colour["method/DPO"] == colour["method"] == TAG_DEFAULTS[0]
    assert colour["orgs/Ai2"] == TAG_DEFAULTS[1]
    assert colour["loose"] == TAG_DEFAULTS[2]
    assert colour["Method/critic"] == TAG_DEFAULTS[3]
