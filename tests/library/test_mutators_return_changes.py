"""Every public mutator of `Library` returns `Changes` (issue 13): the window hands
each result to one signal its views redraw from, so a mutator that returned a bare
count or annotation would leave the views stale.  The mutators are listed next to
the class (`library.MUTATORS`); this test also finds every public method that
writes (by what its source calls) so a new one cannot be left off the list."""

from __future__ import annotations

import inspect
import typing

import pytest

from aiviewer.changes import Changes, ChangesWith
from aiviewer.library import MUTATORS, NOT_MUTATORS, Library
from aiviewer.model import Annotation, AnnotationImport, Entity, ImportReport

# what a method's source calls when it writes to the library
WRITES = ("._record(", "._record_entities(", "._push(", "store.atomic", "._decide(",
          "._edit_turns(", "._step(", "._rematch(", "self._matcher = None",
          "self.import_paths(", "self.merge_tags(", "self.annotate(")


def _public_methods():
    for name, fn in inspect.getmembers(Library, callable):
        if not name.startswith("_") and inspect.isfunction(inspect.unwrap(fn)):
            yield name, fn


def test_every_public_method_that_writes_is_listed():
    unlisted = []
    for name, fn in _public_methods():
        src = inspect.getsource(fn)
        if any(w in src for w in WRITES) and name not in MUTATORS and name not in NOT_MUTATORS:
            unlisted.append(name)
    assert unlisted == [], f"add to library.MUTATORS (and return Changes): {unlisted}"
    assert set(MUTATORS) <= {n for n, _ in _public_methods()}
    assert not set(MUTATORS) & set(NOT_MUTATORS)


@pytest.mark.parametrize("name", MUTATORS)
def test_each_mutator_is_annotated_to_return_changes(name):
    hint = typing.get_type_hints(getattr(Library, name))["return"]
    origin = typing.get_origin(hint) or hint
    assert isinstance(origin, type) and issubclass(origin, Changes), (name, hint)


@pytest.fixture
def lib(tmp_path):
    src = tmp_path / "talk.txt"
    src.write_text("Ada: we tried GRPO on Qwen and Nemotorn.\nBob: and DPO on Llama.\n"
                   "Ada: Nemotron was better.\n", encoding="utf-8")
    library = Library(tmp_path / "lib")
    library.import_paths([src])
    yield library
    library.close()


def test_every_mutator_returns_changes_when_called(lib, tmp_path):
    """Each of `MUTATORS` called for real, in an order where each has something to do."""
    seen: dict[str, Changes] = {}

    def call(name, *args, **kw):
        result = getattr(lib, name)(*args, **kw)
        assert isinstance(result, Changes), (name, type(result))
        seen[name] = result
        return result

    eid = lib.episodes()[0].id
    a = call("annotate", eid, 0, 5, note_md="n", tags=["t"])
    assert isinstance(a, ChangesWith) and isinstance(a.value, Annotation)
    assert a.annotations and eid in a.episodes and a.undo_label
    b = call("annotate_quote", eid, "DPO", tags=["u"]).value
    assert call("set_note", a.value.id, "m").value.note_md == "m"
    assert call("tag", [a.value.id, b.id], "x").value == 2
    assert call("untag", [b.id], "x").value == 1
    call("reattach", b.id, 6, 11)
    assert call("rename_tag", "x", "y").tags
    assert call("merge_tags", "y", "t").value == 1
    call("set_tag_colour", "t", "#abc")
    assert call("delete_tag", "u").value == 1
    out = tmp_path / "notes.jsonld"
    lib.export_annotations("w3c", out)
    assert call("delete_annotations", [b.id]).value == 1
    assert isinstance(call("import_annotations", out).value, AnnotationImport)
    assert call("undo").undo_label and call("redo").undo_label
    assert call("rename_speaker", eid, "Ada", "Ada L").speakers
    call("split_turn", eid, 0, 10)
    call("assign_speaker", eid, [1], "Bob")
    call("merge_turn", eid, 1)
    assert call("edit_details", eid, title="A talk").library
    assert isinstance(call("add_entity", "Zorblax", "model", ("Bob",)).value, Entity)
    call("confirm_suggestion", "Nemotorn", "Zorblax", eid)
    call("reject_suggestion", "Nemotorn", "Zorblax")
    assert call("remove_entity", "Zorblax").entities
    assert call("forget_entities").entities
    assert isinstance(call("refresh_mentions").value, int)
    assert call("reindex").library
    report = call("import_paths", [tmp_path / "talk.txt"])
    assert isinstance(report.value, ImportReport)
    assert call("remove_episode", eid).library
    seen["import_seeds"] = Changes()  # `import_paths` of the seeds folder: its type is checked above
    assert set(seen) == set(MUTATORS)


def test_changes_with_a_value_combine_as_changes():
    a = Changes(annotations=True, undo_label="a").carrying(3)
    both = a | Changes(tags=True, episodes=frozenset({"e"}))
    assert type(both) is Changes and both.annotations and both.tags and both.episodes == {"e"}
    assert a.value == 3 and isinstance(a, Changes)
