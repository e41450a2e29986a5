"""Entity mentions per segment: derived rows, rebuilt when texts, the catalog or user entities change.

Mentions are written in the same transaction as an episode's segments (see library.py), so the
reader and the entity panel never see text without its highlights.  When the catalog or the
user's entities change, `recompute_stale` redoes every episode (each in its own short
transaction, so a background job never holds the write lock for long) and
`recompute_for_aliases` only the episodes whose text could contain the changed names.
The matcher's `version` stored in `meta` says which catalog the rows were computed with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlite_utils import Database

from aiviewer.entities import Matcher, default_matcher
from aiviewer.entities.decisions import DecisionSet
from aiviewer.model import EntityCount, Mention, MentionInContext
from aiviewer.progress import CancelToken, ProgressSink, no_progress
from aiviewer.store import decisions as decisions_q

VERSION_KEY = "mentions_version"
CONTEXT_CHARS = 90  # each side of a mention in "everywhere" lists


SEPARATOR = "\n\n"  # between segments when an episode is matched as one text


def match_episode(texts: list[str], matcher: Matcher,
                  speakers: tuple[str, ...] = ()) -> list[list[Mention]]:
    """The mentions `matcher` finds in an episode's segment texts, per segment (offsets
    within the segment), suggestions included.  Pure (no SQL): the import's parse
    workers run it beside the parsing (`library/derive.py`) and the writer stores the
    result; `write_episode_mentions` runs it when they did not.

    The episode is matched as one text (its segments joined by blank lines), because the
    evidence that makes a variant sure is the episode's, not one paragraph's: "Godot" is
    Gato where the episode discusses Gato, a first name is a person the episode named in
    full.  That is also what the development set scores (`find` on whole passages), so
    the figures quoted are the app's.  A mention that would straddle two segments is
    dropped.
    """
    starts, pos = [], 0
    for text in texts:
        starts.append(pos)
        pos += len(text) + len(SEPARATOR)
    whole = SEPARATOR.join(texts)
    per_segment: list[list[Mention]] = [[] for _ in texts]
    i = 0
    for m in matcher.find(whole, seen=matcher.seen_for(speakers), suggestions=True):
        while i + 1 < len(starts) and starts[i + 1] <= m.start:
            i += 1
        offset = starts[i]
        if m.end - offset > len(texts[i]):
            continue  # across a segment boundary
        if offset:  # m._replace(start=…, end=…), without its Python-level call (3x the cost)
            m = _new(Mention, (m[0] - offset, m[1] - offset, *m[2:]))
        per_segment[i].append(m)
    return per_segment


_new = tuple.__new__


def pack(per_segment: list[list[Mention]]) -> list[list[tuple]]:
    """Mentions per segment as plain tuples in `Mention`'s field order, as a parse
    worker sends them to the writer: unpickling 130,000 `Mention`s took the writer
    0.65 s at 20x, the same tuples 0.08 s (and building `Mention`s back, 0.8 s, is
    left to the few segments the reader's decisions touch)."""
    return [list(map(tuple, seg)) for seg in per_segment]  # a Mention is a named tuple


def write_episode_mentions(db: Database, episode_id: str, seg_rows: list[tuple[int, str]],
                           matcher: Matcher | None, speakers: tuple[str, ...] = (),
                           found: list[list[Mention]] | None = None,
                           packed: list[list[tuple]] | None = None) -> int:
    """Replace the episode's mentions with those `matcher` finds in `seg_rows` (id, text)
    (`match_episode`; `found` when that already ran elsewhere with this matcher, or
    `packed`, the same as tuples: `pack`).

    The matcher's suggestions go to their own table, and the reader's decisions for the
    episode are applied to both (`entities/decisions.py`).  Returns the number of
    mentions written.
    """
    db.execute("DELETE FROM mentions WHERE episode_id = ?", [episode_id])
    decided = DecisionSet(decisions_q.for_episode(db, episode_id))
    if found is None and packed is None:
        if matcher is None:
            raise ValueError("no matcher and no mentions found elsewhere")
        found = match_episode([text for _, text in seg_rows], matcher, speakers)
    rows = []
    suggested: list[tuple[int, Mention]] = []
    any_decided = bool(decided)  # asked once, not per segment (most episodes have none)
    per_segment = found if found is not None else packed
    if len(per_segment) != len(seg_rows):
        raise ValueError("mentions found for another number of segments")
    if packed is not None and not any_decided:
        # the import's common case: tuples straight to rows
        for (seg_id, _), in_segment in zip(seg_rows, packed):
            for t in in_segment:
                if t[6]:
                    suggested.append((seg_id, Mention(*t)))
                else:
                    rows.append((seg_id, episode_id, t[3], t[4], t[0], t[1], t[2], int(t[5])))
    else:
        for (seg_id, text), in_segment in zip(seg_rows, per_segment):
            if not in_segment and not any_decided:
                continue  # most segments: nothing to write (a confirmed spelling may add one)
            if found is None:
                in_segment = [Mention(*t) for t in in_segment]
            if any_decided:
                in_segment, maybe = decided.apply(text, in_segment)
            else:
                maybe = [m for m in in_segment if m.suggested]
                if maybe:
                    in_segment = [m for m in in_segment if not m.suggested]
            suggested.extend((seg_id, m) for m in maybe)
            rows.extend([(seg_id, episode_id, m.canonical, m.kind, m.start, m.end, m.surface,
                          int(m.fuzzy)) for m in in_segment])
    decisions_q.write_suggestions(db, episode_id, suggested)
    db.conn.executemany(
        "INSERT INTO mentions (segment_id, episode_id, entity, kind, start, end, surface, fuzzy) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def _episode_speakers(db: Database, episode_id: str) -> tuple[str, ...]:
    """Speaker labels and their display names (a renamed "SPEAKER_00" may be a known person)."""
    out: list[str] = []
    for label, name in db.execute(
            "SELECT label, name FROM speakers WHERE episode_id = ?", [episode_id]):
        out.extend(x for x in (name, label) if x and x not in out)
    return tuple(out)


def recompute_episode(db: Database, episode_id: str, matcher: Matcher) -> int:
    seg_rows = [(r[0], r[1]) for r in db.execute(
        "SELECT id, text FROM segments WHERE episode_id = ? ORDER BY seq", [episode_id])]
    return write_episode_mentions(db, episode_id, seg_rows, matcher,
                                  _episode_speakers(db, episode_id))


def recompute_episodes(db: Database, matcher: Matcher, episode_ids: Iterable[str],
                       progress: ProgressSink | None = None,
                       cancel: CancelToken | None = None,
                       transaction: Callable | None = None) -> int:
    """Recompute the given episodes, each in its own transaction; returns how many were done.

    `transaction` is a context-manager factory (pass the store's `atomic`, which also takes
    its lock); without one, sqlite_utils' `db.atomic` is used.
    """
    ids = list(episode_ids)
    sink = progress or no_progress
    done = 0
    for n, eid in enumerate(ids):
        if cancel is not None and cancel.cancelled:
            break
        sink(n, len(ids), "finding entities")
        with (transaction or db.atomic)():
            recompute_episode(db, eid, matcher)
        done += 1
    sink(done, len(ids), "finding entities")
    return done


def stored_version(db: Database) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [VERSION_KEY]).fetchone()
    return row[0] if row else None


def _set_version(db: Database, version: str) -> None:
    db.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
               "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [VERSION_KEY, version])


def is_stale(db: Database, matcher: Matcher) -> bool:
    """True when the stored mentions were computed with another catalog or user entities."""
    has_episodes = db.execute("SELECT 1 FROM episodes LIMIT 1").fetchone() is not None
    return has_episodes and stored_version(db) != matcher.version


def recompute_all(db: Database, matcher: Matcher, progress: ProgressSink | None = None,
                  cancel: CancelToken | None = None, transaction: Callable | None = None) -> int:
    """Recompute every episode; records the matcher's version when it was not cancelled."""
    ids = [r[0] for r in db.execute("SELECT id FROM episodes ORDER BY id")]
    done = recompute_episodes(db, matcher, ids, progress, cancel, transaction)
    if done == len(ids):
        with (transaction or db.atomic)():
            _set_version(db, matcher.version)
    return done


def recompute_stale(db: Database, matcher: Matcher, progress: ProgressSink | None = None,
                    cancel: CancelToken | None = None,
                    transaction: Callable | None = None) -> int:
    """`recompute_all` if the catalog or user entities changed since the last run, else 0."""
    if not is_stale(db, matcher):
        return 0
    return recompute_all(db, matcher, progress, cancel, transaction)


def mark_current(db: Database, version: str) -> None:
    """Record that the stored mentions match the matcher of `version` (after an import
    into an empty store)."""
    _set_version(db, version)


def episodes_with_words(db: Database, words: Iterable[str]) -> list[str]:
    """Episodes whose text contains any of `words` (case-insensitive substring) or that already
    have mentions of them: the only ones a changed alias can affect."""
    ids: set[str] = set()
    for w in {w for w in words if w}:
        pattern = "%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        ids.update(r[0] for r in db.execute(
            "SELECT DISTINCT episode_id FROM segments WHERE text LIKE ? ESCAPE '\\'", [pattern]))
        ids.update(r[0] for r in db.execute(
            "SELECT DISTINCT episode_id FROM mentions WHERE entity = ? COLLATE NOCASE", [w]))
    return sorted(ids)


def recompute_for_aliases(db: Database, matcher: Matcher, words: Iterable[str],
                          progress: ProgressSink | None = None,
                          cancel: CancelToken | None = None,
                          transaction: Callable | None = None) -> int:
    """After a user adds, edits or deletes an entity: redo only the episodes it can touch.

    `words` are the entity's old and new names and aliases.  The version is recorded when
    the stored rows were current before, so a later `recompute_stale` has nothing to do.
    """
    was_current = stored_version(db) is not None
    ids = episodes_with_words(db, words)
    done = recompute_episodes(db, matcher, ids, progress, cancel, transaction)
    if done == len(ids) and was_current:
        with (transaction or db.atomic)():
            _set_version(db, matcher.version)
    return done


# -- queries ---------------------------------------------------------------------------


def entity_counts(db: Database, episode_id: str | None = None, kind: str | None = None,
                  matcher: Matcher | None = None) -> list[EntityCount]:
    """Entities with their number of mentions and episodes, most mentioned first."""
    where, params = [], []
    if episode_id is not None:
        where.append("episode_id = ?")
        params.append(episode_id)
    if kind is not None:
        where.append("kind = ?")
        params.append(kind)
    sql = ("SELECT entity, kind, COUNT(*), COUNT(DISTINCT episode_id) FROM mentions "
           + ("WHERE " + " AND ".join(where) if where else "")
           + " GROUP BY entity, kind ORDER BY COUNT(*) DESC, entity")
    matcher = matcher or default_matcher()
    out = []
    for name, k, n, eps in db.execute(sql, params):
        ent = matcher.entity(name)
        out.append(EntityCount(name, k, n, eps, ent.description if ent else ""))
    return out


def segment_mentions(db: Database, episode_id: str) -> dict[int, list[Mention]]:
    """Mentions of one episode keyed by segment id, each list in text order."""
    out: dict[int, list[Mention]] = {}
    for seg, start, end, surface, entity, kind, fuzzy in db.execute(
            "SELECT segment_id, start, end, surface, entity, kind, fuzzy FROM mentions "
            "WHERE episode_id = ? ORDER BY segment_id, start", [episode_id]):
        out.setdefault(seg, []).append(Mention(start, end, surface, entity, kind, bool(fuzzy)))
    return out


def mentions_of(db: Database, canonical: str, limit: int | None = 500,
                matcher: Matcher | None = None, family: bool = True) -> list[MentionInContext]:
    """Every mention of an entity (and, with `family`, of its members) across the library,
    in episode and text order, with a snippet of the segment around it."""
    names = _names(canonical, matcher, family)
    marks = ",".join("?" * len(names))
    sql = f"""
        SELECT m.episode_id, e.title, m.segment_id, COALESCE(sp.name, g.speaker), g.start_ms,
               m.surface, m.start, m.end, g.text, g.char_start
        FROM mentions m
        JOIN segments g ON g.id = m.segment_id
        JOIN episodes e ON e.id = m.episode_id
        LEFT JOIN speakers sp ON sp.episode_id = g.episode_id AND sp.label = g.speaker
        WHERE m.entity COLLATE NOCASE IN ({marks})
        ORDER BY e.date IS NULL, e.date, e.title, g.seq, m.start
    """
    params: list = list(names)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    out = []
    for eid, title, seg, speaker, start_ms, surface, start, end, text, char_start in db.execute(
            sql, params):
        lo = max(0, start - CONTEXT_CHARS)
        hi = min(len(text), end + CONTEXT_CHARS)
        out.append(MentionInContext(
            episode_id=eid, episode_title=title, segment_id=seg, speaker=speaker,
            start_ms=start_ms, surface=surface, context=text[lo:hi],
            context_start=start - lo, context_end=end - lo, char_start=char_start + start))
    return out


def _names(canonical: str, matcher: Matcher | None, family: bool) -> list[str]:
    matcher = matcher or default_matcher()
    return sorted(matcher.family(canonical)) if family else [canonical]


def family_counts(db: Database, canonical: str,
                  matcher: Matcher | None = None) -> dict[str, int]:
    """Mentions per entity of `canonical`'s family (itself and its members) that has any,
    by the spelling of the entity's name the rows hold: what `mentions_of` lists, broken
    down."""
    names = _names(canonical, matcher, True)
    marks = ",".join("?" * len(names))
    return dict(db.execute(
        "SELECT m.entity, COUNT(*) FROM mentions m JOIN segments g ON g.id = m.segment_id "
        f"JOIN episodes e ON e.id = m.episode_id WHERE m.entity COLLATE NOCASE IN ({marks}) "
        "GROUP BY m.entity", names).fetchall())


def count_mentions(db: Database) -> int:
    return db.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]
