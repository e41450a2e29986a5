"""The user's corrections to a transcript through the Library facade: splitting,
assigning and merging turns, naming speakers, and editing an episode's details.

Each correction is user data stored as an overlay on the imported text
(`ingest/overlay.py`, `store/turn_edits.py`): the stored segments are rewritten at
once, so search and entity mentions follow, annotation positions are moved with the
text, and an import that rewrites the episode replays the edits.  Each is one
transaction and one undo step."""

from __future__ import annotations

from collections.abc import Iterable

from aiviewer.changes import Changes
from aiviewer.errors import AiviewerError, NotFound
from aiviewer.ingest import overlay
from aiviewer.store import annotations as annotations_q
from aiviewer.store import episodes as episodes_q
from aiviewer.store import mentions as mentions_q
from aiviewer.store import segments as segments_q
from aiviewer.store import turn_edits as turn_edits_q


class CorrectionsMixin:
    """Mixed into Library; needs `self.store`, `self._record`, `self.matcher`."""

    # -- turns ----------------------------------------------------------------------------

    def split_turn(self, episode_id: str, seq: int, pos: int) -> Changes:
        """Split turn `seq` (its index in the episode) at character `pos` of its text."""
        segs = self._turns(episode_id)
        self._check_seq(segs, seq)
        seg = segs[seq]
        if not seg.text[:pos].strip() or not seg.text[pos:].strip():
            raise AiviewerError("put the caret inside the turn's text to split it "
                                "(not at its start or end)")
        if seg.kind == "heading":
            raise AiviewerError("a chapter heading cannot be split")
        return self._edit_turns(episode_id, overlay.split_edit(segs, seq, pos),
                                f"Split turn {seq + 1}")

    def assign_speaker(self, episode_id: str, seqs: Iterable[int], name: str) -> Changes:
        """Credit turns `seqs` to the speaker `name`: one of the episode's speakers (by
        display name or label) or a new one.  All the turns are one undo step."""
        name = " ".join(name.split())
        if not name:
            raise AiviewerError("a speaker name cannot be empty")
        seqs = sorted(set(seqs))
        segs = self._turns(episode_id)
        for seq in seqs:
            self._check_seq(segs, seq)
        label = self.speaker_label(episode_id, name)
        edits = [overlay.turn_edit("assign", segs, seq, label) for seq in seqs
                 if segs[seq].speaker != label and segs[seq].kind != "heading"]
        what = f"turn {seqs[0] + 1}" if len(seqs) == 1 else f"{len(seqs)} turns"
        return self._edit_turns(episode_id, edits, f"Assign {what} to {name}", new_label=(
            label, name))

    def merge_turn(self, episode_id: str, seq: int) -> Changes:
        """Join turn `seq` to the one before it (which keeps its speaker and start)."""
        segs = self._turns(episode_id)
        self._check_seq(segs, seq)
        if seq == 0:
            raise AiviewerError("the first turn has no turn before it to merge with")
        if "heading" in (segs[seq].kind, segs[seq - 1].kind):
            raise AiviewerError("a chapter heading cannot be merged")
        return self._edit_turns(episode_id, overlay.turn_edit("merge", segs, seq),
                                f"Merge turn {seq + 1} with the one before")

    def turn_at(self, episode_id: str, offset: int) -> tuple[int, int]:
        """(turn index, position in its text) of an offset in the episode's text."""
        segs = segments_q.load_segments(self.store.db, episode_id, {})
        for seg in segs:
            if seg.char_start <= offset <= seg.char_end:
                return seg.seq, offset - seg.char_start
        raise AiviewerError("that place is not in the transcript")

    def turn_edits(self, episode_id: str) -> list[dict]:
        """The episode's turn edits in order: op, anchor, speaker, status."""
        return turn_edits_q.edit_rows(self.store.db, episode_id)

    def speaker_label(self, episode_id: str, name: str) -> str:
        """The label turns credited to `name` carry: an existing label or a label whose
        display name is `name` (case-insensitive), else `name` itself (a new speaker)."""
        names = episodes_q.speaker_names(self.store.db, episode_id)
        for label, shown in names.items():
            if shown.casefold() == name.casefold():
                return label
        for label in names:
            if label.casefold() == name.casefold():
                return label
        return name

    def speaker_suggestions(self, episode_id: str) -> list[str]:
        """Names to offer for a speaker: the episode's speakers as named now, then the
        people its title, show notes, own mention list and entity mentions name."""
        ep = self.episode(episode_id)
        out = list(dict.fromkeys(s.speaker for s in ep.segments if s.speaker))
        out += [n for n in ep.speaker_names.values() if n not in out]
        people = [host] if (host := _host(ep.summary.show)) else []
        stated = " \n".join(x for x in (ep.title, ep.summary.show or "", ep.description or "",
                                        " ".join(ep.mentioned)) if x)
        for m in self.matcher.find(stated):
            if m.kind == "person":
                people.append(m.canonical)
        people += [c.canonical for c in self.episode_entities(episode_id, kind="person")]
        out += [p for p in dict.fromkeys(people) if p not in out]
        return out

    # -- episode details -------------------------------------------------------------------

    def episode_details(self, episode_id: str) -> dict[str, str | None]:
        """The details as shown now (title, show, date, url, description) and which
        of them the user set (`edited`: a list of field names)."""
        ep = self.episode(episode_id)
        s = ep.summary
        edited = turn_edits_q.details(self.store.db, episode_id)
        return {"title": s.title, "show": s.show, "date": s.date, "url": s.url,
                "description": ep.description, "edited": sorted(edited)}

    def edit_details(self, episode_id: str, **values: str | None) -> Changes:
        """Set an episode's title, show, date, URL or description as the user's own:
        kept over what any file says, through re-imports.  An empty value clears the
        field (except the title).  One undo step."""
        if not episodes_q.exists(self.store.db, episode_id):
            raise NotFound(f"no episode {episode_id!r}")
        current = self.episode_details(episode_id)
        clean: dict[str, str | None] = {}
        for field, value in values.items():
            if field not in turn_edits_q.DETAIL_FIELDS:
                raise AiviewerError(f"an episode has no detail {field!r}")
            if value is None:
                continue
            value = value.strip() if field == "description" else " ".join(value.split())
            if field == "title" and not value:
                raise AiviewerError("an episode needs a title")
            if field == "date" and value:
                value = _iso_date(value)
            if field == "url" and value and not value.startswith(("http://", "https://")):
                raise AiviewerError(f"{value!r} is not a web address (http:// or https://)")
            if (value or None) != current[field]:
                clean[field] = value or None
        if not clean:
            return Changes()
        names = ", ".join(clean)
        label = f"Edit {names} of “{current['title'][:40]}”"

        def do(db):
            for field, value in clean.items():
                turn_edits_q.set_detail(db, episode_id, field, value)
            turn_edits_q.apply_details(db, episode_id, clean)
        self._record(label, (), (), do, details={episode_id})
        return Changes(episodes=frozenset({episode_id}), library=True, undo_label=label)

    def _turns(self, episode_id: str) -> list:
        if not episodes_q.exists(self.store.db, episode_id):
            raise NotFound(f"no episode {episode_id!r}")
        return turn_edits_q.parsed_segments(self.store.db, episode_id)

    @staticmethod
    def _check_seq(segs: list, seq: int) -> None:
        if not 0 <= seq < len(segs):
            raise AiviewerError(f"no turn {seq + 1}: the episode has {len(segs)} turns")

    def _edit_turns(self, episode_id: str, edits, label: str,
                    new_label: tuple[str, str] | None = None) -> Changes:
        edits = [edits] if isinstance(edits, overlay.TurnEdit) else list(edits)
        noted = [r["id"] for r in annotations_q.rows_for_episode(self.store.db, episode_id)]

        def do(db):
            segs = turn_edits_q.parsed_segments(db, episode_id)
            old_text = segments_q.SEPARATOR.join(s.text for s in segs)
            new, unfit = overlay.apply(segs, edits)
            if unfit:
                raise AiviewerError("the turn has changed; nothing was edited")
            new_text = segments_q.SEPARATOR.join(s.text for s in new)
            seg_rows = segments_q.replace_segments(db, episode_id, tuple(new))
            for edit in edits:
                turn_edits_q.add(db, episode_id, edit)
            turn_edits_q.set_segment_count(db, episode_id, len(new))
            if new_label is not None:
                episodes_q.ensure_speakers(db, episode_id, [new_label[0]])
                if new_label[0] == new_label[1]:
                    episodes_q.rename_speaker(db, episode_id, *new_label)
            if new_text != old_text:  # annotations move with the words they quote
                turn_edits_q.shift_annotations(db, episode_id, overlay.shift(old_text, new_text))
            labels = tuple(dict.fromkeys(s.speaker for s in new if s.speaker))
            mentions_q.write_episode_mentions(db, episode_id, seg_rows, self.matcher, labels)
            self._reanchor(db, episode_id)

        speakers = {(episode_id, new_label[0])} if new_label else set()
        if edits:
            self._record(label, noted, (), do, speakers=speakers, texts={episode_id})
        return Changes(episodes=frozenset({episode_id}), speakers=True, library=True,
                       annotations=bool(noted), undo_label=label)


def _iso_date(text: str) -> str:
    """A date as YYYY-MM-DD from "2025-03-14", "March 14, 2025" or "14 Mar 2025"."""
    from aiviewer.ingest.stated import parse_date

    found = parse_date(text)
    if found is None:
        raise AiviewerError(f"{text!r} is not a date (write it as 2025-03-14)")
    return found


def _host(show: str | None) -> str | None:
    """The person a show is named after ("Lex Fridman Podcast" → "Lex Fridman")."""
    import re

    found = re.fullmatch(r"((?:[A-Z][\w'’.-]+ ){1,2}[A-Z][\w'’-]+) (?:Podcast|Show)", show or "")
    return found.group(1) if found else None
