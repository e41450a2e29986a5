"""The merge plan of one imported file: where each parsed episode goes (pure).

Import runs in stages (after beets): read → parse → *plan* → apply.  `keys` says
what the store must be asked about a parsed file (video ids, URL keys, fingerprints,
the ids a new episode could take); the store answers with `StoredFacts`, plain
data; `plan` decides, for each episode, its target (a new id or a stored episode),
its role there (primary / duplicate / preview), the fields to set and whether its
text replaces the stored one.  `store.importing.apply` then writes the plan in the
file's one transaction.

The rules: a copy is recognised by video id, then normalised URL, then shared
text (`dedupe`); a file's episodes never merge into each other; an edited file
keeps the episodes it gave at the same places; the fuller text wins (a preview
never replaces a full text), except that a file stays the truth for the episodes
it is the primary source of; metadata only fills what the store lacks (a stated
title replaces a derived one).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from aiviewer.ingest import dedupe
from aiviewer.model import ParsedEpisode, ParsedSource


@dataclass(frozen=True)
class EpisodeKeys:
    """What identifies one parsed episode, computed once from its text (in a parse
    worker, `ingest/parallel.py`: the keys travel to the writer, so they hold the
    text's digest, not a second copy of the text — that copy was a third of the
    bytes a worker pickled and the writer unpickled)."""

    text_sha: str
    fingerprint: tuple[int, ...]
    video_id: str | None
    url_key: str | None
    base_id: str  # the id it gets when new (`-2`, `-3`… appended when taken)
    words: int


def keys(source: ParsedSource) -> list[EpisodeKeys]:
    """The keys of each parsed episode, in file order."""
    out = []
    texts = [dedupe.episode_text(ep) for ep in source.episodes]
    for ep, text, sample in zip(source.episodes, texts, dedupe.fingerprints(texts),
                                strict=True):
        out.append(EpisodeKeys(text_sha(text), tuple(sample), ep.video_id,
                               dedupe.normalize_url(ep.url), dedupe.episode_id(ep),
                               sum(len(s.text.split()) for s in ep.segments)))
    return out


@dataclass(frozen=True)
class StoredFacts:
    """What the store knows that the plan depends on (read before planning)."""

    previous: dict[str, str] = field(default_factory=dict)  # episode id → role this file had
    previous_at: dict[int, str] = field(default_factory=dict)  # position → episode id
    by_video_id: dict[str, str] = field(default_factory=dict)  # video id → stored episode
    by_url_key: dict[str, str] = field(default_factory=dict)  # URL key → stored episode
    # per parsed episode: (stored episode, shared hashes, its sample size), best first
    candidates: tuple[tuple[tuple[str, int, int], ...], ...] = ()
    rows: dict[str, dict] = field(default_factory=dict)  # stored rows of possible targets
    chapters: dict[str, int] = field(default_factory=dict)  # possible target → chapters stored
    taken_ids: frozenset[str] = frozenset()  # stored ids a new episode's id could clash with


@dataclass(frozen=True)
class EpisodeStep:
    """What to do with one parsed episode."""

    ordinal: int
    episode: ParsedEpisode
    episode_id: str
    new: bool
    role: str  # primary / duplicate / preview
    fields: dict  # columns to insert (new) or update; "show_id" only via `set_show`
    set_show: bool  # set show_id to the episode's show (resolved by the store)
    replace_text: bool  # segments, speakers, fingerprint, chapters, mentions, anchors
    demote_primary: bool  # the other files' primary role for it becomes duplicate
    replace_chapters: bool  # chapters are written (also when the text is not)
    fingerprint: tuple[int, ...] = ()
    outcome: str = "unchanged"  # added / updated / merged / unchanged


@dataclass(frozen=True)
class MergePlan:
    steps: tuple[EpisodeStep, ...]
    abandoned: tuple[str, ...]  # episodes the file gave before and no longer does

    def count(self, outcome: str) -> int:
        return sum(s.outcome == outcome for s in self.steps)


def plan(source: ParsedSource, episode_keys: list[EpisodeKeys], facts: StoredFacts,
         now: str) -> MergePlan:
    """Decide each episode's target, role, fields and text (`now`: the update stamp)."""
    claimed: set[str] = set()
    new_ids: set[str] = set()
    steps = []
    for ordinal, (ep, k) in enumerate(zip(source.episodes, episode_keys, strict=True)):
        target = _match(k, facts, ordinal, claimed)
        if target is None:
            # an edited file: the episode it gave at this place before, if still its own
            before = facts.previous_at.get(ordinal)
            if before and facts.previous.get(before) == "primary" and before not in claimed:
                target = before
        if target is None:
            eid, n = k.base_id, 2
            while eid in facts.taken_ids or eid in new_ids:
                eid, n = f"{k.base_id}-{n}", n + 1
            new_ids.add(eid)
            step = EpisodeStep(
                ordinal, ep, eid, new=True, role="preview" if ep.is_preview else "primary",
                fields={**metadata(ep, source.form), **text_stats(ep, k)}, set_show=True,
                replace_text=True, demote_primary=False, replace_chapters=bool(ep.chapters),
                fingerprint=k.fingerprint, outcome="added")
        else:
            step = _merge(ordinal, ep, k, target, facts, source, now)
        claimed.add(step.episode_id)
        steps.append(step)
    abandoned = tuple(sorted(set(facts.previous) - claimed))
    return MergePlan(tuple(steps), abandoned)


def _merge(ordinal: int, ep: ParsedEpisode, k: EpisodeKeys, target: str, facts: StoredFacts,
           source: ParsedSource, now: str) -> EpisodeStep:
    old = facts.rows[target]
    was_primary_here = facts.previous.get(target) == "primary"
    replace_text = was_primary_here or dedupe.fuller(
        k.words, ep.is_preview, old["n_words"], bool(old["is_preview"]))
    changes: dict = {}
    write_text = False
    replace_chapters = False
    if replace_text:
        if k.text_sha != old["text_sha"]:
            changes.update(text_stats(ep, k))
            changes["form"] = source.form
            write_text = True
            replace_chapters = bool(ep.chapters)
    elif ep.chapters and not facts.chapters.get(target):
        replace_chapters = True
        changes["updated_at"] = now
    role = "primary" if replace_text else ("preview" if ep.is_preview else "duplicate")
    filled = merged_metadata(old, ep, source)
    set_show = filled.pop("show_id", False)
    changes.update(filled)
    if was_primary_here:
        changes.update(refreshed_metadata(old, ep, now))
        replace_chapters = replace_chapters or bool(ep.chapters)
    if target in facts.previous:
        outcome = "updated" if changes or set_show else "unchanged"
    else:
        outcome = "merged"
    return EpisodeStep(ordinal, ep, target, new=False, role=role, fields=changes,
                       set_show=bool(set_show), replace_text=write_text,
                       demote_primary=replace_text, replace_chapters=replace_chapters,
                       fingerprint=k.fingerprint if write_text else (), outcome=outcome)


def _match(k: EpisodeKeys, facts: StoredFacts, ordinal: int, exclude: set[str]) -> str | None:
    """The stored episode this parsed one is a copy of, if any."""
    if k.video_id:
        found = facts.by_video_id.get(k.video_id)
        if found and found not in exclude:
            return found
    if k.url_key:
        found = facts.by_url_key.get(k.url_key)
        if found and found not in exclude:
            return found
    for eid, shared, size in facts.candidates[ordinal]:
        if eid not in exclude and dedupe.is_duplicate(shared, len(k.fingerprint), size):
            return eid
    return None


def text_sha(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def metadata(ep: ParsedEpisode, form: str) -> dict:
    """The episode's own columns (its show is resolved by the store)."""
    return {
        "title": ep.title,
        "title_derived": int(ep.title_derived),
        "date": ep.date,
        "url": ep.url,
        "url_key": dedupe.normalize_url(ep.url),
        "video_id": ep.video_id,
        "description": ep.description,
        "mentioned": json.dumps(list(ep.mentioned)) if ep.mentioned else None,
        "form": form,
    }


def text_stats(ep: ParsedEpisode, k: EpisodeKeys) -> dict:
    times = [t for s in ep.segments for t in (s.end_ms, s.start_ms) if t is not None]
    return {
        "is_preview": int(ep.is_preview),
        "text_sha": k.text_sha,
        "n_segments": len(ep.segments),
        "n_words": k.words,
        "duration_ms": max(times) if times else None,
    }


def merged_metadata(old: dict, ep: ParsedEpisode, source: ParsedSource) -> dict:
    """Fill what the stored episode lacks from the new copy; a stated title replaces
    a derived one.  Nothing the store already knows is overwritten.  `show_id: True`
    means: set it to this copy's show."""
    new = metadata(ep, old["form"])
    out: dict = {}
    if old.get("show_id") is None and (ep.show or source.show_title):
        out["show_id"] = True
    for key in ("date", "url", "url_key", "video_id", "description", "mentioned"):
        if old.get(key) in (None, "") and new.get(key) not in (None, ""):
            out[key] = new[key]
    if old["title_derived"] and not ep.title_derived and ep.title != old["title"]:
        out["title"] = ep.title
        out["title_derived"] = 0
    return out


def refreshed_metadata(old: dict, ep: ParsedEpisode, now: str) -> dict:
    """The file that is an episode's primary source changed: what it says about
    the episode itself (notes, its mention list) is now the truth."""
    new = metadata(ep, old["form"])
    out = {k: new[k] for k in ("description", "mentioned")
           if new[k] not in (None, "") and new[k] != old.get(k)}
    if out:
        out["updated_at"] = now
    return out
