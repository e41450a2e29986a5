"""The user's own work through the Library facade: annotations, tags, undo,
re-anchoring, exports.  Every change is one transaction, committed at once, and
recorded as an undoable operation with a label the Edit menu shows."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from aiviewer.annotations import anchoring
from aiviewer.changes import Changes, ChangesWith
from aiviewer.errors import AiviewerError, NotFound
from aiviewer.export.neutral import colour as valid_colour
from aiviewer.ingest import dedupe
from aiviewer.model import Annotation, AnnotationImport, Tag
from aiviewer.store import annotations as annotations_q
from aiviewer.store import episodes as episodes_q
from aiviewer.store import fingerprints as fingerprints_q
from aiviewer.store import mentions as mentions_q
from aiviewer.store import segments as segments_q
from aiviewer.store import tags as tags_q
from aiviewer.store import undo as undo_q
from aiviewer.store.sources import now
from aiviewer.wording import plural

MAX_UNDO = 200


def _changes_of(op: undo_q.Operation) -> Changes:
    """What undoing or redoing `op` changed, for the views to redraw."""
    episodes = (frozenset(e for e, _ in op.before.speakers) | frozenset(op.before.episodes)
                | frozenset(op.before.texts) | frozenset(op.before.details))
    decided = frozenset(k[2] for k in op.before.decisions if k[2])
    noted = frozenset(row["episode_id"] for side in (op.before, op.after)
                      for row, _tags in side.annotations.values() if row)
    return Changes(annotations=True, tags=bool(op.before.tags), speakers=bool(episodes),
                   episodes=episodes | decided | noted, library=bool(episodes),
                   entities=bool(op.before.entities), mentions=bool(op.before.decisions),
                   undo_label=op.label)


class NotesMixin:
    """Mixed into Library; needs `self.store`."""

    # -- reading ------------------------------------------------------------------------

    def annotations(self, episode_id: str | None = None, tag: str | None = None,
                    text: str | None = None, speaker: str | None = None,
                    entity: str | None = None, status: str | None = None) -> list[Annotation]:
        return annotations_q.query(self.store.db, episode_id, tag, text, speaker, entity, status)

    def annotation(self, annotation_id: str) -> Annotation:
        found = annotations_q.get(self.store.db, annotation_id)
        if found is None:
            raise NotFound(f"no annotation {annotation_id!r}")
        return found

    def tags(self) -> list[Tag]:
        return tags_q.all_tags(self.store.db)

    def orphans(self) -> list[Annotation]:
        return self.annotations(status="orphaned")

    # -- undo ---------------------------------------------------------------------------

    @contextmanager
    def op(self, label: str) -> Iterator[None]:
        """Group every change made inside into one transaction and one undo step named
        `label` (one OK in a dialog = one Ctrl+Z).  Nested groups join the outer one."""
        if getattr(self, "_group", None) is not None:
            yield
            return
        self._group: list[undo_q.Operation] | None = []
        try:
            with self.store.atomic():
                yield
                if self._group:  # the step is saved with the change, in its transaction
                    self._push(undo_q.merge(label, self._group))
        finally:
            self._group = None

    def _push(self, operation: undo_q.Operation) -> None:
        """Keep the step in the library's history (shared by the window, its child
        jobs and the CLI beside it)."""
        with self.store.atomic() as db:
            undo_q.push(db, operation, now(), MAX_UNDO)

    def _record(self, label: str, annotation_ids: Iterable[str], tag_ids: Iterable[int], fn,
                speakers: Iterable[tuple[str, str]] = (), episodes: Iterable[str] = (),
                texts: Iterable[str] = (), details: Iterable[str] = ()):
        """Run `fn(db)` in one transaction, remembering the rows it touched."""
        annotation_ids, speakers, episodes = set(annotation_ids), set(speakers), set(episodes)
        texts, details = set(texts), set(details)
        with self.store.atomic() as db:
            before = undo_q.take(db, annotation_ids, set(tag_ids), speakers, episodes, texts,
                                 details)
            high = undo_q.max_tag_id(db)
            result = fn(db)
            new_tags = undo_q.tag_ids_above(db, high)
            after = undo_q.take(db, annotation_ids, set(before.tags) | new_tags, speakers, episodes,
                                texts, details)
            undo_q.widen(before, after)
            operation = undo_q.Operation(label, before, after)
            if getattr(self, "_group", None) is not None:
                self._group.append(operation)
            else:
                self._push(operation)
        return result

    def _record_entities(self, label: str, names: set[str], fn) -> None:
        """Run `fn(db)`, an edit of the user's entity rows for `names`, as one undo
        step saved in the same transaction (the app runs it in a child job, whose step
        the window then undoes like its own)."""
        with self.store.atomic() as db:
            before = undo_q.take_entities(db, names)
            fn(db)
            after = undo_q.take_entities(db, names)
            if after.entities != before.entities:
                self._push(undo_q.Operation(label, before, after))

    def _rederive(self, db, snap: undo_q.Snapshot) -> None:
        """Episodes an undo or redo put back get their mentions and fingerprints again
        (derived rows are not kept in undo snapshots), and so do those a decision on a
        suggestion undone or redone touches."""
        if snap.decisions:
            self._rematch_decided(db, list(snap.decisions))
        for eid, state in snap.episodes.items():
            if state is None:
                continue
            text = segments_q.segment_text(db, eid)
            fingerprints_q.replace(db, eid, dedupe.fingerprint(text))
            labels = tuple(dict.fromkeys(s["speaker"] for s in state["segments"] if s["speaker"]))
            mentions_q.write_episode_mentions(db, eid, segments_q.segment_texts(db, eid),
                                              self.matcher, labels)
            self._embed_within(db, segments_q.segment_texts(db, eid))
        for eid, state in snap.texts.items():  # a turn edit undone or redone
            labels = tuple(dict.fromkeys(s["speaker"] for s in state["segments"] if s["speaker"]))
            mentions_q.write_episode_mentions(db, eid, segments_q.segment_texts(db, eid),
                                              self.matcher, labels)
            self._embed_within(db, segments_q.segment_texts(db, eid))

    def undo_label(self) -> str | None:
        return undo_q.top_label(self.store.db, undone=False)

    def redo_label(self) -> str | None:
        return undo_q.top_label(self.store.db, undone=True)

    def history(self, limit: int = 50) -> list[tuple[str, bool, str]]:
        """The latest steps as (label, undone, when), newest first."""
        return undo_q.history(self.store.db, limit)

    def undo(self) -> Changes:
        return self._step(undone=False)

    def redo(self) -> Changes:
        return self._step(undone=True)

    def _step(self, undone: bool) -> Changes:
        """Undo (or redo) the library's latest step, whichever process made it; the
        read, the restore and the move to the other side are one transaction."""
        with self.store.atomic() as db:
            top = undo_q.take_top(db, undone)
            if top is None:
                return Changes()
            seq, op = top
            state = op.after if undone else op.before
            undo_q.restore(db, state)
            self._rederive(db, state)
            undo_q.mark(db, seq, not undone)
        if op.before.entities:
            self.forget_entities()  # mentions are now stale: the app re-matches them
        return _changes_of(op)

    # -- annotating ---------------------------------------------------------------------

    def annotate(self, episode_id: str, start: int, end: int, note_md: str = "",
                 tags: Iterable[str] = ()) -> ChangesWith[Annotation]:
        """Annotate the span [start, end) of the episode's canonical text."""
        text = segments_q.segment_text(self.store.db, episode_id)
        start, end = max(0, min(start, end)), min(len(text), max(start, end))
        if end <= start:
            raise AiviewerError("select some text to annotate")
        exact, prefix, suffix = anchoring.selector(text, start, end)
        aid = str(uuid.uuid4())
        names = [n for n in (tags_q.normalise(t) for t in tags) if n]
        stamp = now()

        def do(db):
            annotations_q.insert(db, {
                "id": aid, "episode_id": episode_id, "exact": exact, "prefix": prefix,
                "suffix": suffix, "start": start, "end": end, "note_md": note_md or "",
                "colour": None, "created": stamp, "modified": stamp, "status": "anchored"})
            for name in names:
                tags_q.link(db, aid, tags_q.ensure(db, name))
        label = f"Tag “{names[0]}”" if names and not note_md else "Annotate passage"
        self._record(label, {aid}, set(), do)
        return Changes(episodes=frozenset({episode_id}), annotations=True, tags=bool(names),
                       undo_label=label).carrying(self.annotation(aid))

    def annotate_quote(self, episode_id: str, quote: str, note_md: str = "",
                       tags: Iterable[str] = ()) -> ChangesWith[Annotation]:
        """Annotate the first place the episode says `quote` (for the CLI and scripts)."""
        text = segments_q.segment_text(self.store.db, episode_id)
        at = text.find(quote)
        if at < 0:
            at = text.lower().find(quote.lower())
        if at < 0:
            raise NotFound(f"the episode does not contain {quote!r}")
        return self.annotate(episode_id, at, at + len(quote), note_md, tags)

    def set_note(self, annotation_id: str, note_md: str) -> ChangesWith[Annotation]:
        ann = self.annotation(annotation_id)

        def do(db):
            annotations_q.update(db, annotation_id, {"note_md": note_md, "modified": now()})
        self._record("Edit note", {annotation_id}, set(), do)
        return Changes(episodes=frozenset({ann.episode_id}), annotations=True,
                       undo_label="Edit note").carrying(self.annotation(annotation_id))

    def tag(self, annotation_ids: Iterable[str], name: str) -> ChangesWith[int]:
        """Tag the annotations; `.value` is how many."""
        ids = list(annotation_ids)
        name = tags_q.normalise(name)
        if not name or not ids:
            return Changes().carrying(0)

        def do(db):
            tid = tags_q.ensure(db, name)
            stamp = now()
            for aid in ids:
                tags_q.link(db, aid, tid)
                annotations_q.update(db, aid, {"modified": stamp})
        label = f"Tag “{name}” on {plural(len(ids), 'passage')}"
        self._record(label, ids, set(), do)
        return self._annotation_changes(ids, label).carrying(len(ids))

    def untag(self, annotation_ids: Iterable[str], name: str) -> ChangesWith[int]:
        """Take the tag off the annotations; `.value` is how many."""
        ids = list(annotation_ids)
        row = tags_q.get(self.store.db, tags_q.normalise(name))
        if row is None or not ids:
            return Changes().carrying(0)

        def do(db):
            stamp = now()
            for aid in ids:
                tags_q.unlink(db, aid, row["id"])
                annotations_q.update(db, aid, {"modified": stamp})
        label = f"Remove tag “{row['name']}” from {plural(len(ids), 'passage')}"
        self._record(label, ids, {row["id"]}, do)
        return self._annotation_changes(ids, label).carrying(len(ids))

    def delete_annotations(self, annotation_ids: Iterable[str]) -> ChangesWith[int]:
        """Delete the annotations; `.value` is how many there were."""
        ids = list(annotations_q.ids_exist(self.store.db, annotation_ids))
        if not ids:
            return Changes().carrying(0)
        changes = self._annotation_changes(ids, f"Delete {plural(len(ids), 'annotation')}")

        def do(db):
            for aid in ids:
                annotations_q.delete(db, aid)
        self._record(changes.undo_label, ids, set(), do)
        return changes.carrying(len(ids))

    def reattach(self, annotation_id: str, start: int, end: int,
                 episode_id: str | None = None) -> ChangesWith[Annotation]:
        """Give an orphan (or any annotation) a new place: the user selected new text."""
        ann = self.annotation(annotation_id)
        episode_id = episode_id or ann.episode_id
        text = segments_q.segment_text(self.store.db, episode_id)
        exact, prefix, suffix = anchoring.selector(text, start, end)

        def do(db):
            annotations_q.update(db, annotation_id, {
                "episode_id": episode_id, "exact": exact, "prefix": prefix, "suffix": suffix,
                "start": start, "end": end, "status": "anchored", "modified": now()})
        self._record("Re-attach annotation", {annotation_id}, set(), do)
        return Changes(episodes=frozenset({episode_id, ann.episode_id}), annotations=True,
                       undo_label="Re-attach annotation").carrying(self.annotation(annotation_id))

    # -- tags ---------------------------------------------------------------------------

    def rename_tag(self, old: str, new: str) -> ChangesWith[int]:
        """Rename a tag and its children (`a/b` → `c/b`); merging into an existing name
        is `merge_tags`.  `.value` is the number of annotations that now carry a new name."""
        old, new = tags_q.normalise(old), tags_q.normalise(new)
        db = self.store.db
        rows = tags_q.with_children(db, old)
        if not rows:
            raise NotFound(f"no tag {old!r}")
        if not new or new == old:
            return Changes().carrying(0)
        if tags_q.get(db, new):
            return self.merge_tags(old, new)
        affected = tags_q.annotation_ids_with(db, [r["id"] for r in rows])

        def do(db):
            for r in rows:
                tags_q.rename(db, r["id"], new + r["name"][len(old):])
        label = f"Rename tag “{old}” to “{new}”"
        self._record(label, affected, {r["id"] for r in rows}, do)
        return self._tag_changes(affected, label).carrying(len(affected))

    def merge_tags(self, source: str, target: str) -> ChangesWith[int]:
        """Every annotation tagged `source` (or a child) follows into `target`; `.value`
        is how many annotations."""
        source, target = tags_q.normalise(source), tags_q.normalise(target)
        db = self.store.db
        rows = tags_q.with_children(db, source)
        if not rows:
            raise NotFound(f"no tag {source!r}")
        target_row = tags_q.get(db, target)
        affected = tags_q.annotation_ids_with(db, [r["id"] for r in rows])
        scope = {r["id"] for r in rows} | ({target_row["id"]} if target_row else set())

        def do(db):
            for r in sorted(rows, key=lambda r: r["name"]):
                dest = target + r["name"][len(source):]
                dest_id = tags_q.ensure(db, dest, r["colour"])
                for aid in tags_q.annotation_ids_with(db, [r["id"]]):
                    tags_q.link(db, aid, dest_id)
                tags_q.delete(db, r["id"])
        label = f"Merge tag “{source}” into “{target}”"
        self._record(label, affected, scope, do)
        return self._tag_changes(affected, label).carrying(len(affected))

    def delete_tag(self, name: str) -> ChangesWith[int]:
        """Remove a tag and its children from every annotation (the annotations stay);
        `.value` is how many annotations carried it."""
        name = tags_q.normalise(name)
        rows = tags_q.with_children(self.store.db, name)
        if not rows:
            raise NotFound(f"no tag {name!r}")
        affected = tags_q.annotation_ids_with(self.store.db, [r["id"] for r in rows])

        def do(db):
            for r in rows:
                tags_q.delete(db, r["id"])
        label = f"Delete tag “{name}” from {plural(len(affected), 'passage')}"
        changes = self._tag_changes(affected, label)  # before: the rows are still tagged
        self._record(label, affected, {r["id"] for r in rows}, do)
        return changes.carrying(len(affected))

    def tag_usage(self, name: str) -> int:
        """How many annotations a tag (with its children) is on: for the confirm dialog."""
        rows = tags_q.with_children(self.store.db, tags_q.normalise(name))
        return len(tags_q.annotation_ids_with(self.store.db, [r["id"] for r in rows]))

    def set_tag_colour(self, name: str, colour: str) -> Changes:
        """`colour` is `#rgb` or `#rrggbb`; anything else is refused."""
        row = tags_q.get(self.store.db, tags_q.normalise(name))
        if row is None:
            raise NotFound(f"no tag {name!r}")
        if valid_colour(colour) is None:
            raise AiviewerError(f"not a colour: {colour!r} (use #rgb or #rrggbb)")
        label = f"Colour of “{row['name']}”"
        affected = tags_q.annotation_ids_with(self.store.db, [row["id"]])
        self._record(label, affected, {row["id"]},
                     lambda db: tags_q.set_colour(db, row["id"], colour))
        return self._tag_changes(affected, label)

    def _annotation_changes(self, ids: Iterable[str], label: str) -> Changes:
        """What a change to these annotations redraws: their episodes' annotations."""
        return Changes(episodes=annotations_q.episodes_of(self.store.db, ids),
                       annotations=True, undo_label=label)

    def _tag_changes(self, ids: Iterable[str], label: str) -> Changes:
        """What a change to a tag redraws: the tag lists and the annotations carrying it."""
        return self._annotation_changes(ids, label) | Changes(tags=True)

    # -- anchoring after text changes ---------------------------------------------------

    def _reanchor(self, db, episode_id: str) -> None:
        """The episode's text was rewritten: place its annotations again (same
        transaction as the new text)."""
        rows = annotations_q.rows_for_episode(db, episode_id)
        if not rows:
            return
        text = segments_q.segment_text(db, episode_id)
        for row in rows:
            p = anchoring.place(text, row["exact"], row["prefix"], row["suffix"],
                                row["start"], row["end"])
            values = {"start": p.start, "end": p.end, "status": p.status}
            if p.placed and p.status == "fuzzy":
                values["exact"], values["prefix"], values["suffix"] = anchoring.selector(
                    text, p.start, p.end)
            if p.status == "orphaned":
                values = {"status": "orphaned"}  # keep the old positions as a hint
            if any(row[k] != v for k, v in values.items()):
                annotations_q.update(db, row["id"], values)

    # -- export -------------------------------------------------------------------------

    EXPORT_FORMATS = ("markdown", "csv", "w3c", "qdpx", "html")

    def export_annotations(self, fmt: str, path: str | os.PathLike[str] | None = None,
                           episode_id: str | None = None, tag: str | None = None,
                           bom: bool = False) -> str | None:
        """Write annotations in one of EXPORT_FORMATS to `path` (text formats are
        returned when no path is given).  The file is written beside `path` and renamed
        into place; a path that is a folder, symlink or device, or a full disk, raises
        `ExportFailed` and leaves nothing behind (`export.files`)."""
        from aiviewer.export import csv_export, files, html, markdown, qdpx, w3c

        if path is not None:
            files.check_target(path)  # a bad -o fails before any work
        anns = self.annotations(episode_id=episode_id, tag=tag)
        tags = self.tags()
        if fmt == "qdpx":
            if path is None:
                raise AiviewerError("the qdpx format needs an output file (-o)")
            sources = {}
            for eid in dict.fromkeys(a.episode_id for a in anns):
                title = next(a.episode_title for a in anns if a.episode_id == eid)
                sources[eid] = (title, segments_q.segment_text(self.store.db, eid))
            qdpx.write(path, anns, tags, sources)
            return None
        renderers = {"markdown": markdown.render, "csv": csv_export.render,
                     "w3c": w3c.render, "html": html.render}
        if fmt not in renderers:
            raise AiviewerError(f"unknown export format {fmt!r}; choose one of "
                                + ", ".join(self.EXPORT_FORMATS))
        text = csv_export.render(anns, tags, bom=bom) if fmt == "csv" else \
            renderers[fmt](anns, tags)
        if path is None:
            return text
        files.write_text(path, text)
        return None

    # -- import -------------------------------------------------------------------------

    def import_annotations(self, path: str | os.PathLike[str]
                           ) -> ChangesWith[AnnotationImport]:
        """Merge annotations from our W3C JSON-LD export or a REFI-QDA project.

        Idempotent: an id already here is updated only when the file's copy is newer.
        A QDPX from another tool is matched to local episodes by its source text.
        Each annotation is re-anchored against the local text; one that cannot be
        placed is kept as an orphan.  The whole merge is one undoable operation."""
        from aiviewer.export import annotation_import

        incoming = annotation_import.read_file(path)
        annotations = incoming.annotations
        db = self.store.db
        if incoming.format == "qdpx":  # our ids that were not GUIDs come back as uuid5s
            annotations = annotation_import.restore_ids(annotations, annotations_q.all_ids(db))
        if incoming.texts:
            wanted = {k for k in incoming.texts if not self._has_episode(k)}
            if wanted:
                local = {e.id: segments_q.segment_text(db, e.id) for e in self.episodes()}
                annotations = annotation_import.rekey(
                    annotations, annotation_import.match_sources(
                        {k: incoming.texts[k] for k in wanted}, local))
        # another tool's W3C annotations name the episode by its URL
        by_url = {eid: found for eid in {a.episode_id for a in annotations}
                  if annotation_import.is_web_url(eid) and not self._has_episode(eid)
                  and (found := self._episode_for_url(eid))}
        annotations = annotation_import.rekey(annotations, by_url)
        # a QDA tool's copy: new GUIDs, one selection per code → match by span
        annotations = annotation_import.combine_spans(annotations, annotations_q.all_ids(db))
        local = [la for eid in dict.fromkeys(a.episode_id for a in annotations)
                 if self._has_episode(eid) for la in self.annotations(episode_id=eid)]
        annotations, folded, folded_unchanged = annotation_import.absorb(
            annotations, local, now())
        existing = {}
        for a in annotations:
            row = annotations_q.get_row(db, a.id)
            if row is not None:
                existing[a.id] = Annotation(a.id, row["episode_id"], row["exact"],
                                            modified=row["modified"])
        merge = annotation_import.plan(annotations, existing)
        colours = {t.name: t.colour for t in incoming.tags if t.colour}
        texts: dict[str, str | None] = {}
        rows: list[tuple[Annotation, dict]] = []
        orphaned = 0
        for a in folded:  # local annotations that gained the tool's codes or memo
            rows.append((a, {
                "id": a.id, "episode_id": a.episode_id, "exact": a.exact, "prefix": a.prefix,
                "suffix": a.suffix, "start": a.start, "end": a.end, "note_md": a.note_md,
                "colour": a.colour, "created": a.created, "modified": a.modified,
                "status": a.status}))
        for a in (*merge.add, *merge.update):
            if a.episode_id not in texts:
                texts[a.episode_id] = (segments_q.segment_text(db, a.episode_id)
                                       if self._has_episode(a.episode_id) else None)
            text = texts[a.episode_id]
            p = (anchoring.place(text, a.exact, a.prefix, a.suffix, a.start, a.end)
                 if text is not None else anchoring.Placement(None, None, "orphaned"))
            stamp = now()
            rows.append((a, {
                "id": a.id, "episode_id": a.episode_id, "exact": a.exact, "prefix": a.prefix,
                "suffix": a.suffix, "start": p.start if p.placed else a.start,
                "end": p.end if p.placed else a.end, "note_md": a.note_md or "",
                "colour": a.colour, "created": a.created or stamp,
                "modified": a.modified or stamp, "status": p.status}))
            orphaned += p.status == "orphaned"

        def do(db):
            for a, row in rows:
                annotations_q.delete(db, a.id)
                annotations_q.insert(db, row)
                for t in a.tags:
                    tag = tags_q.normalise(t)
                    if tag:
                        tags_q.link(db, a.id, tags_q.ensure(db, tag, colours.get(t)))
        changes = Changes()
        if rows:
            label = f"Import {plural(len(rows), 'annotation')}"
            self._record(label, {a.id for a, _ in rows}, set(), do)
            changes = Changes(episodes=frozenset(a.episode_id for a, _ in rows),
                              annotations=True, tags=True, undo_label=label)
        return changes.carrying(AnnotationImport(
            str(path), added=len(merge.add), updated=len(merge.update) + len(folded),
            unchanged=len(merge.unchanged) + folded_unchanged, orphaned=orphaned))

    def _episode_for_url(self, url: str) -> str | None:
        """The local episode at `url`: by YouTube video id, else by normalised URL."""
        from aiviewer.export.annotation_import import youtube_video_id

        video = youtube_video_id(url)
        if video is not None:
            return episodes_q.find_by_video_id(self.store.db, video)
        key = dedupe.normalize_url(url)
        return episodes_q.find_by_url(self.store.db, key) if key else None

    def _has_episode(self, episode_id: str) -> bool:
        return episodes_q.exists(self.store.db, episode_id)
