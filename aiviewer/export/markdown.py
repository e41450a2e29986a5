"""Annotations as one Markdown document that reads well in Obsidian and on GitHub.

Layout: a `##` heading per episode (show · date · link under it), a `###`
heading per first tag, then each passage as a block quote ending in speaker, time
and a link to the moment, a line of `#tags` (hierarchy kept: `#method/RL/GRPO`),
and the note as written.  Control characters are dropped from every string
(`neutral.clean`); transcript strings (quotes, titles, speakers, tags) are escaped
so nothing in them becomes HTML or Markdown structure; links are http(s) only;
notes are the user's Markdown and are kept, minus raw HTML, images and links that
are not http(s), mailto or a fragment, reference definitions included — checked
by parsing each note with CommonMark and Python-Markdown
(`safe_markdown.to_markdown`).

Worked example (one passage)::

    ## Scaling RL

    The Show · 2025-01-02 · [episode](https://youtu.be/x)

    ### method/RL

    > we use GRPO here
    >
    > — **Nathan**, [0:12:34](https://youtu.be/x?t=754s)

    #method/RL #open-questions

    Why GRPO rather than PPO?
"""

from __future__ import annotations

import re

from aiviewer.export import neutral, passages, safe_markdown
from aiviewer.model import Annotation, Tag

_TAG_UNSAFE = re.compile(r"[^\w/-]+")
# what would end or confuse a link destination in some viewer: percent-encoded
_URL_UNSAFE = str.maketrans({" ": "%20", "\n": "%0A", "\t": "%09", "<": "%3C", ">": "%3E", "(": "%28", ")": "%29",
                             "[": "%5B", "]": "%5D", "`": "%60", '"': "%22"})


escape = safe_markdown.escape  # transcript text shown literally by any viewer


def hashtag(name: str) -> str:
    """`method/RL/GRPO` → `#method/RL/GRPO`; characters Obsidian does not allow in a
    tag (spaces, punctuation) become `-`, so the tag stays one clickable token."""
    parts = [_TAG_UNSAFE.sub("-", p).strip("-") or "-" for p in name.split("/")]
    return "#" + "/".join(parts)


def _link(label: str, url: str | None) -> str:
    url = passages.safe_url(url)
    if not url:
        return escape(label)
    return f"[{escape(label)}]({url.translate(_URL_UNSAFE)})"


def _quote(a: Annotation) -> list[str]:
    body = escape(a.exact.strip()) or "*(empty quote)*"
    lines = [("> " + line) if line.strip() else ">" for line in body.splitlines()]
    who = []
    if a.speaker:
        who.append(f"**{escape(a.speaker)}**")
    if a.start_ms is not None:
        who.append(_link(passages.hms(a.start_ms), passages.time_link(a.url, a.start_ms)))
    if a.status == "orphaned":
        who.append("*(orphaned: its text is no longer in the episode)*")
    if who:
        lines += [">", "> — " + ", ".join(who)]
    return lines


def _passage(a: Annotation) -> list[str]:
    out = _quote(a)
    if a.tags:
        out += ["", " ".join(hashtag(t) for t in sorted(a.tags, key=str.casefold))]
    note = safe_markdown.to_markdown(a.note_md.strip())
    if note:
        out += ["", note]
    return out


def _episode(g: passages.EpisodeGroup) -> list[str]:
    out = [f"## {escape(g.title)}", ""]
    meta = [escape(x) for x in (g.show, g.date) if x]
    if passages.safe_url(g.url):
        meta.append(_link("episode", g.url))
    if meta:
        out += [" · ".join(meta), ""]
    for tag, anns in g.by_tag:
        out += [f"### {escape(tag)}", ""]
        for a in anns:
            out += _passage(a) + [""]
    return out


def render(annotations: list[Annotation], tags: list[Tag] | None = None) -> str:
    """The whole export as one document (`tags` is accepted for a uniform signature;
    Markdown has no colours)."""
    annotations = [neutral.clean(a) for a in annotations]
    groups = passages.group(annotations)
    n_eps = len(groups)
    out = ["# Annotations", "",
           f"*{len(annotations)} passage{'s' * (len(annotations) != 1)} in {n_eps} "
           f"episode{'s' * (n_eps != 1)}, exported from aiviewer*", ""]
    for g in groups:
        out += _episode(g)
    return "\n".join(out).rstrip("\n") + "\n"
