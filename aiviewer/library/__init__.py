"""The facade the CLI and the UI use: one object over one library directory.

It composes the pure stages (ingest, entities, search) with the store and
returns plain data.  Every mutator (`MUTATORS`, below the class) returns `Changes`
(`ChangesWith[T]` when it has a result too, `aiviewer/changes.py`), so a view can
decide whether to redraw; nothing here knows about Qt.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from aiviewer import paths
from aiviewer.changes import Changes, ChangesWith
from aiviewer.errors import AiviewerError, NotFound, SearchInterrupted, StoreError
from aiviewer.ingest import dedupe, merge, parallel, pipeline, reader
from aiviewer.ingest.fingerprint_index import FingerprintIndex
from aiviewer.library import derive
from aiviewer.library.corrections import CorrectionsMixin
from aiviewer.library.insights import InsightsMixin
from aiviewer.library.meaning import EMBED_BESIDE_INDEX, MeaningMixin
from aiviewer.library.notes import NotesMixin
from aiviewer.library.suggestions import SuggestionsMixin
from aiviewer.model import (
    Entity,
    EntityCount,
    Episode,
    EpisodeSummary,
    ImportOutcome,
    ImportReport,
    Mention,
    MentionInContext,
    SearchHit,
    SearchResults,
    Show,
)
from aiviewer.progress import Cancelled, CancelToken, ProgressSink, no_progress
from aiviewer.store import Store
from aiviewer.store import annotations as annotations_q
from aiviewer.store import backups as backups_q
from aiviewer.store import episodes as episodes_q
from aiviewer.store import fingerprints as fingerprints_q
from aiviewer.store import fts as fts_q
from aiviewer.store import importing as importing_q
from aiviewer.store import mentions as mentions_q
from aiviewer.store import salvage as salvage_q
from aiviewer.store import segments as segments_q
from aiviewer.store import sources as sources_q
from aiviewer.store import user_entities as user_entities_q
from aiviewer.store import vectors as vectors_q
from aiviewer.store.db import is_interrupt


@dataclass
class RestoreResult:
    """What a restore did: where the damaged file went, what the salvage brought
    back into the restored copy, and whether every user table could be read."""

    set_aside: Path | None
    brought_back: dict
    complete: bool

    def __str__(self) -> str:
        b = self.brought_back
        kept = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in b.items() if n) or "nothing"
        where = f" The damaged file is kept as {self.set_aside.name}." if self.set_aside else ""
        return (f"Restored. Brought back from the damaged file: {kept}."
                + ("" if self.complete else " Some of its pages could not be read.") + where)


class _EntityIndex:
    """Entities by name without building the matcher's automaton (about a second):
    enough for descriptions and tooltips while the matcher warms up elsewhere."""

    def __init__(self, user: list[Entity]):
        from aiviewer.entities import load_catalog

        self._by = {e.entity.canonical.casefold(): e.entity for e in load_catalog().entries}
        self._by.update({u.canonical.casefold(): u for u in user})

    def entity(self, canonical: str) -> Entity | None:
        return self._by.get(canonical.casefold())

    def family(self, canonical: str) -> set[str]:
        """The entity and everything below it (Claude → Claude Opus → Claude Opus 4.5)."""
        from aiviewer.entities.catalog import family_of

        return family_of(self._by.values(), canonical)


class Library(CorrectionsMixin, NotesMixin, InsightsMixin, MeaningMixin, SuggestionsMixin):
    """A library directory: the SQLite store and everything derived from it."""

    def __init__(self, data_dir: str | os.PathLike[str] | None = None, *,
                 read_only: bool = False):
        self.data_dir = paths.data_dir(data_dir)
        self.store = Store(self.data_dir / paths.DB_NAME, read_only=read_only)
        self._matcher = None
        self._catalog_version: str | None = None  # `_matcher_version` without a matcher
        self._index: _EntityIndex | None = None
        # the stored fingerprints, searchable (`_fingerprints`), and the generation of
        # the rows it was read from
        self._fingerprint_index: FingerprintIndex | None = None
        self._fingerprint_generation: str | None = None
        try:
            if not self.store.read_only:
                self._refresh_fingerprints()
                self._finish_abandoned_index()
        except BaseException:
            self.store.close()
            raise

    @property
    def read_only(self) -> str:
        """Why this library cannot be changed ("" when it can)."""
        return self.store.read_only_reason

    def wait_for_writers(self, ms: int) -> None:
        """How long a change waits for another process's write before failing with
        `StoreBusy` (the CLI waits ten seconds; the window a moment, then shows it)."""
        self.store.set_busy_timeout(ms)

    @property
    def db_path(self) -> Path:
        return self.store.path

    def publish(self, path: str | os.PathLike[str] | None = None) -> tuple[Path, list[str]]:
        """Write the Datasette metadata for a team's read-only window on this library
        (canned queries: annotations with tags and quotes, passages by entity,
        search) to `path` (default: `datasette.json` beside the library); returns
        the file and the `datasette` command line that serves it."""
        import json

        from aiviewer.export import files
        from aiviewer.store import publish

        target = Path(path) if path is not None else self.data_dir / "datasette.json"
        files.write_text(target, json.dumps(publish.metadata(self.db_path), indent=2,
                                            ensure_ascii=False) + "\n")
        return target, ["datasette", "serve", str(self.db_path), "--metadata", str(target),
                        "--host", "127.0.0.1", "--port", "8001"]

    def _refresh_fingerprints(self) -> None:
        """Duplicate detection compares new files with stored fingerprints; when the
        way they are computed changed, recompute them from the stored text."""
        db = self.store.db
        if episodes_q.fingerprint_version(db) == dedupe.FINGERPRINT_VERSION:
            return
        self._write_fingerprints()

    def _write_fingerprints(self) -> None:
        """Every episode's fingerprint recomputed from its stored text."""
        with self.store.atomic() as db:
            for eid in episodes_q.all_ids(db):
                text = segments_q.segment_text(db, eid)
                fingerprints_q.replace(db, eid, dedupe.fingerprint(text))
            episodes_q.set_fingerprint_version(db, dedupe.FINGERPRINT_VERSION)

    @property
    def matcher(self):
        """The entity matcher over the catalog and the user's entities, built once."""
        if self._matcher is None:
            from aiviewer.entities import Matcher

            self._matcher = Matcher.for_library(self.store)
        return self._matcher

    def _matcher_version(self) -> str:
        """`self.matcher.version`, without building the matcher while the library has no
        entities of the user's own: it is then the catalog's (`Matcher.for_library`).
        An import whose mentions the parse workers matched needs only this (building
        the matcher cost its writer 0.3-2.5 s of CPU, by the machine's load)."""
        if self._matcher is None and not user_entities_q.any_rows(self.store.db):
            if self._catalog_version is None:
                # read once, as the matcher is built once: reading the catalog's files
                # for every imported file cost more than building the matcher
                from aiviewer.entities.catalog import load_catalog

                self._catalog_version = load_catalog().version
            return self._catalog_version
        return self.matcher.version

    def close(self) -> None:
        """Close the connection.  No backup is taken here: the app takes its daily
        copy once it has checked the file (`daily_backup`), the CLI never does."""
        self.store.close()

    # -- health and backups ----------------------------------------------------------

    def verify(self) -> str | None:
        """SQLite's check of the whole file; the problem found, or None.  A damaged
        library is then refused for writing by every connection in the process."""
        return self.store.verify()

    def daily_backup(self) -> Path | None:
        """The app's once-a-day light copy (verified first; never of a damaged file)."""
        return self.store.daily_backup()

    def backups(self) -> list[Path]:
        """Automatic copies of this library, newest first."""
        return backups_q.list_backups(self.store.path)

    @staticmethod
    def restore_backup(data_dir: str | os.PathLike[str] | None, backup: str | os.PathLike[str],
                       progress: ProgressSink | None = None) -> RestoreResult:
        """Replace a damaged library with one of its backups, keeping what the damaged
        file still holds: it is salvaged and merged in, then everything derived is
        rebuilt.  The damaged file is set aside (renamed, never deleted).  Every
        connection to the library in this process must be closed first."""
        db_path = paths.data_dir(data_dir) / paths.DB_NAME
        aside, rescued = backups_q.restore(db_path, Path(backup))
        with Library(data_dir) as lib:
            with lib.store.atomic() as db:
                brought = salvage_q.merge(db, rescued)
            lib.reindex(progress)
        return RestoreResult(aside, brought, rescued.summary()["complete"])

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------

    def episodes(self, speakers: bool = True) -> list[EpisodeSummary]:
        """Every episode's summary; `speakers=False` is the quick list (no speakers)."""
        return episodes_q.summaries(self.store.db, speakers)

    def shows(self) -> list[Show]:
        return episodes_q.shows(self.store.db)

    def counts(self) -> dict[str, int]:
        return episodes_q.counts(self.store.db)

    def is_empty(self) -> bool:
        return self.counts()["episodes"] == 0

    def episode_exists(self, episode_id: str) -> bool:
        return episodes_q.exists(self.store.db, episode_id)

    def resolve_episode(self, ref: str) -> str:
        """An episode id from an id, an id prefix or a unique title fragment."""
        found = episodes_q.resolve(self.store.db, ref)
        if not found:
            raise NotFound(f"no episode matches {ref!r}")
        if len(found) > 1:
            raise NotFound(f"{ref!r} matches {len(found)} episodes; use an id: "
                           + ", ".join(found[:5]))
        return found[0]

    def episode(self, episode_id: str) -> Episode:
        db = self.store.db
        row = episodes_q.get_row(db, episode_id)
        if row is None:
            raise NotFound(f"no episode {episode_id!r}")
        names = episodes_q.speaker_names(db, episode_id)
        summary = episodes_q.summary(db, episode_id)
        assert summary is not None
        return Episode(
            summary=summary,
            description=row["description"],
            segments=segments_q.load_segments(db, episode_id, names),
            chapters=episodes_q.chapters(db, episode_id),
            mentioned=episodes_q.mentioned(row),
            speaker_names=names,
            sources=sources_q.source_refs(db, episode_id),
        )

    # -- entities and search -----------------------------------------------------------

    def segment_mentions(self, episode_id: str,
                         suggestions: bool = False) -> dict[int, list[Mention]]:
        """Stored mentions per segment of an episode, for the reader's highlights; with
        `suggestions`, the episode's suggestions too (`suggested=True`), in text order."""
        found = mentions_q.segment_mentions(self.store.db, episode_id)
        if suggestions:
            for seg, more in self.segment_suggestions(episode_id).items():
                found[seg] = sorted(found.get(seg, []) + more, key=lambda m: m.start)
        return found

    def episode_entities(self, episode_id: str | None = None,
                         kind: str | None = None) -> list[EntityCount]:
        """Entities with mention counts, for one episode or the whole library."""
        return mentions_q.entity_counts(self.store.db, episode_id=episode_id, kind=kind,
                                        matcher=self._matcher or self._entity_index())

    def entity_mentions(self, canonical: str, limit: int = 500) -> list[MentionInContext]:
        """Every mention of an entity (and its family) across the library."""
        return mentions_q.mentions_of(self.store.db, canonical, limit=limit,
                                      matcher=self.matcher)

    def entity_family_counts(self, canonical: str) -> dict[str, int]:
        """Mentions per entity of the family `entity_mentions` lists (those with any)."""
        return mentions_q.family_counts(self.store.db, canonical, matcher=self.matcher)

    def entity(self, canonical: str) -> Entity | None:
        """The catalog or user entity of that canonical name, if any."""
        return (self._matcher or self._entity_index()).entity(canonical)

    def entity_kind(self, canonical: str) -> str | None:
        """The kind of that entity, None when unknown (`family_breakdown`, the insights'
        family names)."""
        e = self.entity(canonical)
        return e.kind if e else None

    def _entity_index(self) -> _EntityIndex:
        if self._index is None:
            self._index = _EntityIndex(user_entities_q.all_user(self.store.db))
        return self._index

    def user_entities(self) -> list[Entity]:
        return user_entities_q.all_user(self.store.db)

    def add_entity(self, canonical: str, kind: str, aliases: tuple[str, ...] = (),
                   description: str = "", parent: str | None = None,
                   progress: ProgressSink | None = None) -> ChangesWith[Entity]:
        """Add (or replace) a user entity, or add aliases to a catalog one; the episodes
        its names can touch are re-matched at once.  `.value` is the entity as stored."""
        canonical = " ".join(canonical.split())
        if not canonical:
            raise AiviewerError("an entity needs a name")
        aliases = tuple(" ".join(a.split()) for a in aliases if a.strip())
        for name in (canonical, *aliases):
            _check_entity_name(name)  # before anything is stored
        existing = self.matcher.entity(canonical)
        old_words = set(existing.aliases) | {existing.canonical} if existing else set()
        if existing is not None and not existing.user and kind == existing.kind:
            aliases = tuple(dict.fromkeys((*existing.aliases, *aliases)))
            description = description or existing.description
            parent = parent or existing.parent
            canonical = existing.canonical
        entity = Entity(canonical, kind, description, tuple(aliases), parent, user=True)
        label = f"{'Edit' if existing else 'New'} entity “{canonical}”"
        self._record_entities(label, {canonical}, lambda db: user_entities_q.upsert(db, entity))
        self._rematch(old_words | set(aliases) | {canonical}, progress)
        return _entity_changes(label).carrying(entity)

    def remove_entity(self, canonical: str, progress: ProgressSink | None = None) -> Changes:
        """Delete a user entity; a catalog entity is hidden instead (and can be re-added)."""
        existing = self.matcher.entity(canonical)
        if existing is None:
            raise NotFound(f"no entity {canonical!r}")
        def remove(db):
            user_entities_q.delete(db, existing.canonical)
            if self._catalog_has(existing.canonical):
                user_entities_q.hide(db, existing.canonical, existing.kind)
        label = f"Remove entity “{existing.canonical}”"
        self._record_entities(label, {existing.canonical}, remove)
        self._rematch({existing.canonical, *existing.aliases}, progress)
        return _entity_changes(label)

    def _catalog_has(self, canonical: str) -> bool:
        from aiviewer.entities import default_matcher

        return default_matcher().entity(canonical) is not None

    def forget_entities(self) -> Changes:
        """Another process changed the user's entities: build lookups afresh.  Returns
        what that can change here (every view showing entities or mentions redraws)."""
        self._matcher = None
        self._index = None
        return Changes(entities=True, mentions=True)

    def _rematch(self, words: set[str], progress: ProgressSink | None) -> None:
        # a name stored before names were checked (100,000 characters) is not looked
        # for: SQLite refuses such a LIKE pattern
        words = {w for w in words if len(w) <= MAX_ENTITY_NAME}
        self._matcher = None
        self._index = None
        mentions_q.recompute_for_aliases(self.store.db, self.matcher, words, progress,
                                         transaction=self.store.atomic)

    def mentions_stale(self) -> bool:
        """The catalog or the user's entities changed since mentions were computed."""
        return mentions_q.is_stale(self.store.db, self.matcher)

    def refresh_mentions(self, progress: ProgressSink | None = None,
                         cancel: CancelToken | None = None) -> ChangesWith[int]:
        """Re-match every episode when stale (in the background in the app); `.value`
        is how many episodes were re-matched."""
        n = mentions_q.recompute_stale(self.store.db, self.matcher, progress, cancel,
                                       transaction=self.store.atomic)
        return Changes(mentions=bool(n), entities=bool(n)).carrying(n)

    def reindex(self, progress: ProgressSink | None = None) -> Changes:
        """Rebuild everything derived: the full-text index, the speller, and entity
        mentions (the store's own data is untouched)."""
        from aiviewer.search import engine

        engine.reindex(self.store)
        self._write_fingerprints()
        self._matcher = None
        mentions_q.recompute_all(self.store.db, self.matcher, progress,
                                 transaction=self.store.atomic)
        self.rebuild_vectors(progress)
        return Changes(library=True, entities=True, mentions=True)

    def prepare_search(self, wait: bool = False) -> None:
        """Build what the first search would otherwise build: the speller, the entity
        names and families, the facet index (cached until the text or mentions change),
        and, in a big library, the impact index of its common words (on a thread of its
        own unless `wait`: search/impacts.py)."""
        from aiviewer.search import engine

        if self._matcher is None:
            self._entity_index()  # what `search` asks families of
        engine.prepare(self.store, wait=wait)

    def search(self, query: str, limit: int = 20, offset: int = 0,
               hybrid: bool = False, stop: threading.Event | None = None) -> SearchResults:
        """Ranked passages for a query in the search language (README); `hybrid` fuses
        them with the passages closest in meaning.  `stop`, once set (from any thread),
        stops it with `SearchInterrupted` at its next few thousand SQLite steps."""
        from aiviewer.search import engine

        try:
            with self.store.stoppable(stop) if stop is not None else contextlib.nullcontext():
                return engine.search(self.store, query, limit=limit, offset=offset,
                                     hybrid=hybrid,
                                     entity_family=(self._matcher
                                                    or self._entity_index()).family)
        except StoreError:
            raise
        except Exception as exc:
            if is_interrupt(exc):
                raise SearchInterrupted(query) from exc
            raise

    def interrupt_search(self) -> None:
        """Stop the search running on this library's connections, from another thread
        (the search box, when the user has typed past it): it raises
        `SearchInterrupted`.  A no-op when no statement runs."""
        self.store.interrupt()

    def first_hits(self, text: str, limit: int = 10) -> tuple[SearchHit, ...] | None:
        """Unranked hits for a half-typed query from the prefix index: what the search
        box shows on a keystroke before the ranked results replace them; a query with
        fields, quotes or operators as the user is likely to finish it; None for what
        only `search` answers (search by meaning, fuzzy words, wildcards)."""
        from aiviewer.search import engine

        return engine.first_hits(self.store, text, limit=limit, ranked_fallback=False)

    # -- mutating --------------------------------------------------------------------

    def rename_speaker(self, episode_id: str, label: str, name: str) -> Changes:
        """Give an episode's speaker label a display name, everywhere it appears."""
        name = name.strip()
        if not name:
            raise ValueError("a speaker name cannot be empty")
        if not episodes_q.exists(self.store.db, episode_id):
            raise NotFound(f"no episode {episode_id!r}")
        undo_label = f"Rename {label} to {name}"
        self._record(undo_label, (), (), lambda db: episodes_q.rename_speaker(
            db, episode_id, label, name), speakers={(episode_id, label)})
        return Changes(episodes=frozenset({episode_id}), speakers=True, library=True,
                       undo_label=undo_label)

    def remove_episode(self, episode_id: str) -> Changes:
        """Remove an episode and its derived data.  Its annotations stay in the store
        (they are not cascaded) and show up as orphans, recoverable on re-import."""
        if not episodes_q.exists(self.store.db, episode_id):
            raise NotFound(f"no episode {episode_id!r}")
        title = episodes_q.get_row(self.store.db, episode_id)["title"]
        noted = [r["id"] for r in annotations_q.rows_for_episode(self.store.db, episode_id)]

        def remove(db):
            annotations_q.orphan_episode(db, episode_id)
            episodes_q.delete(db, episode_id)
            for sid in sources_q.sources_without_episodes(db):
                sources_q.delete(db, sid)
        label = f"Remove “{title[:40]}”"
        self._record(label, noted, (), remove, episodes={episode_id})
        return Changes(episodes=frozenset({episode_id}), library=True, annotations=True,
                       undo_label=label)


    # -- importing -------------------------------------------------------------------

    def import_seeds(self, progress: ProgressSink | None = None,
                     cancel: CancelToken | None = None) -> ChangesWith[ImportReport]:
        return self.import_paths([paths.seeds_dir()], progress, cancel)

    def import_paths(self, inputs: list[str | os.PathLike[str]],
                     progress: ProgressSink | None = None,
                     cancel: CancelToken | None = None) -> ChangesWith[ImportReport]:
        """Import files and folders; each file is one transaction, and a bad file is
        recorded in the report (`.value`) while the others go on.  An import is not an
        undo step (its files are the undo: remove the episode)."""
        progress = progress or no_progress
        report = ImportReport()
        # new episodes are matched with the current matcher: stored mentions that were
        # current stay current (and an empty library's become current)
        current = (self.is_empty()
                   or mentions_q.stored_version(self.store.db) == self._matcher_version())
        # a signal may stop a file part-way (CancelToken.interrupt): it is one
        # transaction, rolled back; listing folders writes nothing
        stoppable = cancel.interruptible if cancel is not None else contextlib.nullcontext
        files: list = []
        try:
            with stoppable():
                # the library's own files (and their backups) are never read as
                # transcripts: reading them with Python's file functions would drop
                # SQLite's locks on the library
                files = [(p, problem) for p, problem in pipeline.expand_paths(inputs)
                         if not self._is_own_file(p)]
            readable = []
            for path, problem in files:
                if problem:
                    report.outcomes.append(ImportOutcome(reader.readable_name(path), "failed",
                                                         error=problem))
                else:
                    readable.append((path, parallel.real_name(path)))
            workers = parallel.workers_for(len(readable))
            if readable and not workers:  # read here: the embedder loads on a thread
                derive.warm_up()  # while this thread loads the matcher
                self.matcher  # noqa: B018 - loaded now, for that overlap
            sizes = _sizes(readable)
            deferred = self._defer_index(sum(size for _, size in sizes))
            # the last files' passages are embedded while the index is built at the end
            later = _embed_later(sizes) if deferred and workers else frozenset()
            prepared = parallel.prepared_in_order(readable, self._known_sha, workers,
                                                  derive.prepare,
                                                  lambda name: {"embed": False} if name in later else {})
            with contextlib.ExitStack() as bulk:
                if deferred:
                    bulk.enter_context(self.store.bulk_load())
                try:
                    for _, name in readable:
                        if cancel is not None and cancel.cancelled:
                            report.cancelled = True
                            break
                        progress(len(report.outcomes), len(files), name)
                        with stoppable():
                            report.outcomes.append(self._import_prepared(next(prepared)))
                finally:
                    prepared.close()  # a cancelled import drops the files not yet read
                    if deferred:
                        progress(len(report.outcomes), len(files), "indexing the text")
                        try:
                            if later and not report.cancelled:
                                self._embed_beside(self._finish_index)
                            else:
                                self._finish_index()
                        except StoreError:
                            self.store.give_back_space()  # the room its log took
                            raise
        except Cancelled:
            report.cancelled = True
        progress(len(files), len(files), "")
        if current and report.added + report.updated:
            with self.store.atomic() as db:
                mentions_q.mark_current(db, self._matcher_version())
        if not report.cancelled:
            # derived, after the files' own transactions: a cancel or a crash here
            # loses no import, and the next import or `reindex` finishes the job
            if self.embed_passages(progress, cancel):
                progress(len(files), len(files), "")  # the import's last word: files done
        return import_changes(report).carrying(report)

    def _defer_index(self, size: int) -> bool:
        """Stop indexing segments file by file when the files (`size` bytes) are large
        against the library (`fts.defer_segment_index`): the import rebuilds the index
        once at the end.  Each file is still its own transaction."""
        # the rebuild at the end is one transaction over all the text: it needs room for
        # the whole index and its log at once (about the library file again plus five
        # times the new text); on a nearly full disk, index file by file as before, so
        # that what fits is imported and searchable
        try:
            free = shutil.disk_usage(self.data_dir).free
        except OSError:
            free = 0
        with self.store.atomic() as db:
            if fts_q.deferred_by(db) is not None:
                return True  # another import deferred it: whichever ends first indexes
            if not fts_q.deferring_pays(db, size):
                return False
            if free < 2 * (fts_q.file_bytes(db) + 5 * size):
                return False
            fts_q.defer_segment_index(db, os.getpid())
        return True

    def _finish_abandoned_index(self) -> None:
        """A bulk import that was killed left its text unindexed: index it now.  One
        still running (its process alive) finishes the job itself."""
        owner = fts_q.deferred_by(self.store.db)
        if owner is None or (owner and _alive(owner)):
            return
        try:
            self._finish_index()
        except StoreError:
            # derived data: with the disk full (or the library busy) the rebuild waits for
            # the next open, import or `reindex`; reading and annotating go on meanwhile,
            # in the room the failed rebuild's log took
            self.store.give_back_space()

    def _finish_index(self) -> None:
        """Index the text a bulk import (this one, or one that was killed) left unindexed."""
        with self.store.atomic() as db:
            fts_q.finish_segment_index(db)

    def _is_own_file(self, path: str | os.PathLike[str]) -> bool:
        stem = Path(paths.DB_NAME).stem + "."
        try:
            p = Path(os.fsdecode(path))
            return p.name.startswith(stem) and p.resolve().parent == self.data_dir.resolve()
        except (OSError, ValueError):
            return False

    def _known_sha(self, name: str) -> str | None:
        """The digest of the file the library last imported from `name` without error."""
        known = sources_q.get_by_path(self.store.db, name)
        return known["sha256"] if known and not known["error"] else None

    def _import_prepared(self, ready: parallel.Prepared) -> ImportOutcome:
        if ready.error is not None:
            return ImportOutcome(ready.name, "failed", error=ready.error)
        # read ahead by a worker: the same file may have been written since
        if ready.unchanged or self._known_sha(ready.name) == ready.read.sha256:
            return ImportOutcome(ready.name, "unchanged")
        try:
            return self._write_source(ready.read, ready.keys, ready.derived)
        except StoreError as exc:  # disk full, lock timeout: this file is rolled back
            return ImportOutcome(ready.name, "failed", error=str(exc))

    def _write_source(self, read: pipeline.ReadFile,
                      keys: list[merge.EpisodeKeys] | None = None,
                      derived: derive.Derived | None = None) -> ImportOutcome:
        """Plan and apply one parsed file in its one transaction; `derived` holds
        passage vectors and entity mentions computed beside the parsing
        (library/derive.py)."""
        source = read.source
        keys = keys if keys is not None else merge.keys(source)
        derived = derived or derive.Derived()
        with self.store.atomic() as db:
            index = self._fingerprints(db)
            self._fingerprint_index = None  # kept up below; current again once committed
            facts = importing_q.read_facts(db, read.path, keys, index)
            plan = merge.plan(source, keys, facts, sources_q.now())
            vectors_ok = derived.vectors and vectors_q.model(db) in (None, derive.MODEL_NAME)
            if vectors_ok:
                vectors_q.set_model(db, derive.MODEL_NAME)  # no-op once recorded
            # a worker's mentions count only if its matcher is the one this library uses
            mentions_ok = (derived.mentions is not None
                           and derived.matcher_version == self._matcher_version())

            # the worker's key of each parsed episode: a text written as parsed is not
            # hashed again (5% of the writer's CPU at 10x)
            parsed_keys = ({id(ep): k for ep, k in zip(source.episodes, derived.keys)}
                           if derived.keys is not None
                           and len(derived.keys) == len(source.episodes) else {})

            def after_text(db, episode_id, seg_rows, speakers, parsed):
                key = None
                if vectors_ok or mentions_ok:
                    key = parsed_keys.get(id(parsed)) if parsed is not None else None
                    if key is None:
                        key = derive.text_key(t for _, t in seg_rows)
                found = derived.mentions.get((key, speakers)) if mentions_ok else None
                if found is not None and len(found) != len(seg_rows):
                    found = None
                self._derive_from_text(db, episode_id, seg_rows, speakers, found)
                blobs = derived.vectors.get(key) if vectors_ok else None
                if blobs is not None and len(blobs) == len(seg_rows):
                    vectors_q.write(db, [(sid, b) for (sid, _), b in zip(seg_rows, blobs)])

            unfit = importing_q.apply(db, read.path, read.sha256, read.size, source, plan,
                                      after_text, index)
            generation = fingerprints_q.generation(db)
        self._fingerprint_index, self._fingerprint_generation = index, generation
        added, updated, merged = (plan.count(k) for k in ("added", "updated", "merged"))
        status = "added" if added else ("updated" if updated or merged else "unchanged")
        return ImportOutcome(read.path, status, episodes_added=added, episodes_updated=updated,
                             episodes_merged=merged, edits_unfit=unfit,
                             added_ids=tuple(s.episode_id for s in plan.steps if s.outcome == "added"))

    def _fingerprints(self, db) -> FingerprintIndex:
        """The stored fingerprints, searchable in memory: read once, kept up by this
        library's imports, read again when anything else changed them (another
        process, an undo, a transaction that failed)."""
        generation = fingerprints_q.generation(db)
        if self._fingerprint_index is None or generation != self._fingerprint_generation:
            self._fingerprint_index = FingerprintIndex(fingerprints_q.every(db))
            self._fingerprint_generation = generation
        return self._fingerprint_index

    def _derive_from_text(self, db, episode_id: str, seg_rows: list[tuple[int, str]],
                          speakers: tuple[str, ...], found: list | None = None) -> None:
        """An episode's text was written: its entity mentions (`found`: as a parse
        worker matched them, packed by `mentions_q.pack`) and the places of its
        annotations follow in the same transaction."""
        # the writer's matcher is built only when it has to match (a worker's
        # mentions come packed: `mentions_q.pack`)
        mentions_q.write_episode_mentions(db, episode_id, seg_rows,
                                          self.matcher if found is None else None, speakers,
                                          packed=found)
        self._reanchor(db, episode_id)


def _sizes(readable: list) -> list[tuple[str, int]]:
    """(name, file size) of each (path, name), in import order (0: unreadable now)."""
    sizes = []
    for path, name in readable:
        try:
            sizes.append((name, os.stat(path).st_size))
        except OSError:
            sizes.append((name, 0))
    return sizes


def _embed_later(sizes: list[tuple[str, int]]) -> frozenset[str]:
    """The last files of a bulk import (`sizes`: `_sizes`), about `EMBED_BESIDE_INDEX`
    of its bytes, whose passages are embedded while the index is rebuilt
    (`_embed_beside`) rather than by the parse workers."""
    budget = EMBED_BESIDE_INDEX * sum(size for _, size in sizes)
    later: set[str] = set()
    for name, size in reversed(sizes):
        if budget <= 0:
            break
        later.add(name)
        budget -= size
    return frozenset(later)


MUTATORS = (
    # every public method of Library that changes the library; each returns `Changes`
    # (tests/library/test_mutators_return_changes.py calls each one and checks)
    "annotate", "annotate_quote", "set_note", "tag", "untag", "delete_annotations",
    "reattach", "rename_tag", "merge_tags", "delete_tag", "set_tag_colour",
    "import_annotations", "undo", "redo",
    "rename_speaker", "remove_episode", "split_turn", "assign_speaker", "merge_turn",
    "edit_details", "confirm_suggestion", "reject_suggestion",
    "add_entity", "remove_entity", "forget_entities",
    "import_paths", "import_seeds", "refresh_mentions", "reindex",
)
NOT_MUTATORS = {
    # public methods that write, but nothing a view shows: derived vectors for search by
    # meaning, a backup copy, a file beside the library, a cache handed over
    "embed_passages": "derived passage vectors, no view shows them",
    "rebuild_vectors": "derived passage vectors, no view shows them",
    "daily_backup": "a copy of the file, the library is unchanged",
    "restore_backup": "replaces the file: the app restarts on the restored library",
    "publish": "writes Datasette metadata beside the library, not in it",
    "adopt_matcher": "a cache built elsewhere, no stored data changes",
    "op": "groups the mutators called inside into one step; writes nothing itself",
}


def import_changes(report: ImportReport) -> Changes:
    """What an import changed (also what the window emits when an import job ends)."""
    wrote = bool(report.added or report.updated or report.merged)
    return Changes(library=wrote, speakers=wrote, annotations=wrote, mentions=wrote)


def _entity_changes(label: str) -> Changes:
    """An entity edit can touch any episode (its names are matched everywhere):
    `entities` and `mentions` with no episode named means every one."""
    return Changes(entities=True, mentions=True, undo_label=label)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process opens the library: no import of its own runs yet
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: alive, someone else's
        return True
    return True


def library_error(exc: BaseException) -> AiviewerError | None:
    """The library's own error for an exception that escaped a read (an SQLite
    error reaching the UI untranslated), or None when it is not about the library."""
    import sqlite3

    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, sqlite3.DatabaseError):
        return StoreError(str(exc))
    return None


MAX_ENTITY_NAME = 200


def _check_entity_name(name: str) -> None:
    """An entity name (or alias) is a short line of text."""
    if len(name) > MAX_ENTITY_NAME:
        raise AiviewerError(f"an entity name is at most {MAX_ENTITY_NAME} characters "
                            f"(this one has {len(name):,})")
    if any(ord(c) < 32 or 127 <= ord(c) < 160 or 0xD800 <= ord(c) <= 0xDFFF for c in name):
        raise AiviewerError("an entity name cannot hold control characters")
