"""The store's side of importing one file: the facts a merge plan needs, and
writing the plan (`aiviewer.ingest.merge`).

Both run inside the file's one transaction (`Store.atomic()`), so what the plan
was computed from is what it is applied to.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

from aiviewer.ingest import overlay
from aiviewer.ingest.fingerprint_index import FingerprintIndex
from aiviewer.ingest.merge import EpisodeKeys, MergePlan, StoredFacts
from aiviewer.model import ParsedEpisode, ParsedSource
from aiviewer.store import annotations, episodes, fingerprints, segments, sources, turn_edits

# called with (db, episode id, [(segment id, text)], speaker labels, the parsed episode
# when its text was written exactly as parsed, else None) after an episode's text was
# written: mentions and annotation anchors are derived there
AfterText = Callable[[Database, str, list[tuple[int, str]], tuple[str, ...],
                      ParsedEpisode | None], None]


def read_facts(db: Database, path: str, keys: list[EpisodeKeys],
               index: FingerprintIndex) -> StoredFacts:
    """What the store knows about a file's episodes: what the file gave before,
    the stored episodes sharing a key with one of them, and their rows.  `index`
    holds the stored fingerprints (`fingerprints.every`), as of this transaction."""
    links = sources.previous_links(db, path)
    by_video = {k.video_id: found for k in keys if k.video_id
                and (found := episodes.find_by_video_id(db, k.video_id))}
    by_url = {k.url_key: found for k in keys if k.url_key
              and (found := episodes.find_by_url(db, k.url_key))}
    candidates = tuple(tuple(index.candidates(k.fingerprint)) for k in keys)
    targets = ({eid for eid, _, _ in links} | set(by_video.values()) | set(by_url.values())
               | {eid for c in candidates for eid, _, _ in c})
    rows = {eid: row for eid in sorted(targets) if (row := episodes.get_row(db, eid))}
    # only episodes that exist (an index is current by `fingerprints.generation`; this
    # keeps a plan from ever naming a row that is not there)
    candidates = tuple(tuple(c for c in found if c[0] in rows) for found in candidates)
    taken: set[str] = set()
    for base in {k.base_id for k in keys}:
        taken |= episodes.ids_starting_with(db, base)
    return StoredFacts(
        previous={eid: role for eid, _, role in links},
        previous_at={ordinal: eid for eid, ordinal, _ in links},
        by_video_id=by_video, by_url_key=by_url, candidates=candidates, rows=rows,
        chapters={eid: episodes.count_chapters(db, eid) for eid in rows},
        taken_ids=frozenset(taken))


def apply(db: Database, path: str, sha256: str | None, size: int | None,
          source: ParsedSource, plan: MergePlan, after_text: AfterText,
          index: FingerprintIndex) -> int:
    """Write a file's merge plan: its source row and links, each episode's row,
    text and chapters, and drop the episodes it alone gave and no longer does.
    The user's turn edits are replayed over each text written; returns how many
    of them no longer fit it (kept, marked `unfit`).  `index` is kept up with the
    fingerprints written and dropped (the caller drops it if the transaction fails)."""
    unfit_total = 0
    sid = sources.upsert(db, path, sha256, size, source.form)
    sources.unlink_source(db, sid)
    file_show = episodes.show_id(db, source.show_title, source.show_description)
    for step in plan.steps:
        ep = step.episode
        show = episodes.show_id(db, ep.show) if ep.show else file_show
        fields = {**step.fields, **({"show_id": show} if step.set_show else {})}
        if step.new:
            episodes.insert(db, step.episode_id, fields)
        elif step.demote_primary:
            sources.demote_primary(db, step.episode_id)
        if step.replace_text:
            edits = turn_edits.edits(db, step.episode_id)
            segs, unfit = overlay.apply(ep.segments, edits)
            if edits:
                turn_edits.set_statuses(db, step.episode_id, {e.id for e in unfit})
                unfit_total += len(unfit)
                fields["n_segments"] = len(segs)
            seg_rows = segments.replace_segments(db, step.episode_id, tuple(segs))
            if edits:
                turn_edits.set_segment_count(db, step.episode_id, len(segs))
            labels = tuple(dict.fromkeys(s.speaker for s in segs if s.speaker))
            episodes.ensure_speakers(db, step.episode_id, labels)
            fingerprints.replace(db, step.episode_id, step.fingerprint)
            index.replace(step.episode_id, step.fingerprint)
            if step.replace_chapters:
                episodes.replace_chapters(db, step.episode_id, ep.chapters)
            after_text(db, step.episode_id, seg_rows, labels, None if edits else ep)
        elif step.replace_chapters:
            episodes.replace_chapters(db, step.episode_id, ep.chapters)
        if not step.new:
            episodes.update(db, step.episode_id, fields)
        turn_edits.apply_details(db, step.episode_id)  # the user's details stay theirs
        sources.link(db, step.episode_id, sid, step.ordinal, step.role)
    for gone in plan.abandoned:
        if drop_if_abandoned(db, gone):
            index.remove(gone)
    return unfit_total


def drop_if_abandoned(db: Database, episode_id: str) -> bool:
    """An episode no file provides any more goes, unless the user annotated it;
    returns whether it went."""
    if not sources.has_source(db, episode_id) and not annotations.has_any(db, episode_id):
        episodes.delete(db, episode_id)
        return True
    return False
