"""The reader's decisions applied to what the matcher found: pure, text in, mentions out.

A decision says that a spelling heard in a transcript (the *surface*) is, or is not, an
entity, in one episode or in the whole library.  The store keeps them (user data); each
time an episode's mentions are written they pass through `DecisionSet.apply`:

* a rejection removes that surface → entity pairing, also where the matcher was sure;
* a confirmation makes every occurrence of the surface a mention of the entity (so a
  library-wide one works as a new alias of it, in every episode and every re-import);
* the narrower scope wins: a pairing confirmed for the library and rejected in one
  episode is not a mention in that episode;
* a suggestion never overlaps a mention;
* a spelling confirmed in one episode is marked `fuzzy` (heard differently), one confirmed
  for the library is not (it is an alias now, and search uses it as one).

Occurrences of a confirmed spelling are found by one case-insensitive regex per episode
over the few decided spellings, not by the matcher's automaton, so that a decision never
rebuilds the matcher (about a second) and takes effect in the episodes it touches at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aiviewer.model import Mention

CONFIRM, REJECT = "confirm", "reject"


@dataclass(frozen=True)
class Decision:
    surface: str
    entity: str  # canonical name
    kind: str
    verdict: str  # confirm | reject
    episode_id: str | None = None  # None: the whole library


def surface_key(surface: str) -> str:
    """How a spelling is compared: spaces collapsed, case folded, no possessive."""
    s = " ".join(surface.split()).casefold()
    for tail in ("'s", "’s"):
        if s.endswith(tail) and len(s) > len(tail):
            s = s[:-len(tail)]
    return s


def pairing(m: Mention) -> tuple[str, str]:
    return surface_key(m.surface), m.canonical.casefold()


class DecisionSet:
    """The decisions that apply to one episode, ready to apply segment by segment."""

    def __init__(self, decisions: list[Decision]):
        verdicts: dict[tuple[str, str], Decision] = {}
        # library-wide first, so that the episode's own decision on a pairing wins
        for d in sorted(decisions, key=lambda d: d.episode_id is not None):
            verdicts[(surface_key(d.surface), d.entity.casefold())] = d
        self.rejected = {k for k, d in verdicts.items() if d.verdict == REJECT}
        self.confirmed = {k[0]: d for k, d in verdicts.items() if d.verdict == CONFIRM}
        self._pattern = None
        if self.confirmed:
            alts = sorted(self.confirmed, key=len, reverse=True)
            self._pattern = re.compile(
                r"(?<!\w)(" + "|".join(r"\s+".join(map(re.escape, s.split(" "))) for s in alts)
                + r")(?:['’]s)?(?!\w)", re.IGNORECASE)

    def __bool__(self) -> bool:
        return bool(self.rejected or self.confirmed)

    def apply(self, text: str, found: list[Mention]) -> tuple[list[Mention], list[Mention]]:
        """(mentions, suggestions) in text order, from the matcher's `find(...,
        suggestions=True)` output for `text`."""
        rejected = self.rejected
        mentions = [m for m in found if not m.suggested and pairing(m) not in rejected]
        suggested = [m for m in found if m.suggested and pairing(m) not in rejected]
        if self._pattern is not None:
            added = []
            for match in self._pattern.finditer(text):
                d = self.confirmed[surface_key(match.group(1))]
                start, end = match.span()
                if (surface_key(match.group(0)), d.entity.casefold()) in rejected:
                    continue
                if any(m.start < end and start < m.end for m in mentions):
                    continue
                # one episode's confirmation is a spelling heard there (fuzzy); the
                # library's is an alias (exact, and search treats it as one)
                added.append(Mention(start, end, text[start:end], d.entity, d.kind,
                                     fuzzy=d.episode_id is not None))
            if added:
                mentions = sorted(mentions + added, key=lambda m: m.start)
        if suggested and mentions:
            suggested = [s for s in suggested
                         if not any(m.start < s.end and s.start < m.end for m in mentions)]
        return mentions, suggested
