"""Annotations as one Markdown document that reads right in Obsidian, GitHub,
MkDocs and Pelican (CommonMark and Python-Markdown alike).

Layout: YAML front matter (Obsidian's properties; MkDocs and Pelican's `meta`
read and drop it): the episode, show, date and URL when the export holds one
episode, the episodes otherwise, and the tags.  Then a `##` heading per episode
(show · date · link under it) and, in transcript order, a `###` heading per
passage — its time, linked to the moment, and the speaker — with the quote as a
block quote, a `Tags: #method/RL/GRPO #open-questions` line (Obsidian's inline
tags; a line *starting* with `#tag` is a heading to Python-Markdown) and the
note, whose own headings are moved three levels down so they sit under their
passage (`safe_markdown.demote_headings`).  Control characters are dropped from
every string (`neutral.clean`); transcript strings (quotes, titles, speakers,
tags) are escaped so nothing in them becomes HTML or Markdown structure; links
are http(s) only; notes are the user's Markdown and are kept — autolinks
`<https://…>` included — minus raw HTML, images and links that are not
http(s), mailto or a fragment, reference definitions included — checked by
parsing each note with CommonMark and Python-Markdown
(`safe_markdown.to_markdown`).

Worked example (one passage)::

    ---
    title: "Annotations"
    episode: "Scaling RL"
    show: "The Show"
    date: "2025-01-02"
    url: "https://youtu.be/x"
    tags: ["method/RL/GRPO", "open questions"]
    ---

    # Annotations

    ## Scaling RL

    The Show · 2025-01-02 · [episode](https://youtu.be/x)

    ### [0:12:34](https://youtu.be/x?t=754s) · Nathan

    > we use GRPO here

    Tags: #method/RL/GRPO #open-questions

    Why GRPO rather than PPO?
"""

from __future__ import annotations

import json
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


def _heading(a: Annotation) -> str:
    """`### [0:12:34](…?t=754s) · Nathan`: the passage's place, linked to the moment."""
    parts = []
    if a.start_ms is not None:
        parts.append(_link(passages.hms(a.start_ms),
                           passages.time_link(passages.episode_url(a), a.start_ms)))
    if a.speaker:
        parts.append(escape(a.speaker))
    if a.status == "orphaned":
        parts.append("orphaned")
    return "### " + (" · ".join(parts) or "Passage")


def _quote(a: Annotation) -> list[str]:
    body = escape(a.exact.strip()) or "*(empty quote)*"
    lines = [("> " + line) if line.strip() else ">" for line in body.splitlines()]
    if a.status == "orphaned":
        lines += [">", "> *(orphaned: its text is no longer in the episode)*"]
    return lines


def _passage(a: Annotation) -> list[str]:
    out = [_heading(a), ""] + _quote(a)
    if a.tags:
        out += ["", "Tags: " + " ".join(hashtag(t) for t in sorted(a.tags, key=str.casefold))]
    note = safe_markdown.to_markdown(a.note_md.strip())
    if note:
        out += ["", safe_markdown.demote_headings(note, 3)]
    return out


def _episode(g: passages.EpisodeGroup) -> list[str]:
    out = [f"## {escape(g.title)}", ""]
    meta = [escape(x) for x in (g.show, g.date) if x]
    url = passages.episode_url(g.annotations[0]) if g.annotations else None
    if passages.safe_url(url):
        meta.append(_link("episode", url))
    if meta:
        out += [" · ".join(meta), ""]
    for a in passages.in_text_order(g.annotations):
        out += _passage(a) + [""]
    return out


def _yaml(value) -> str:
    """A YAML scalar or flow list: JSON strings are valid YAML double-quoted
    strings, and stay on one line (Python-Markdown's `meta` reads one line a key).
    `<`, `>` and `&` are written as `\\u` escapes: the value reads back the same in
    YAML, and no raw HTML is in the file for a viewer that shows front matter."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def front_matter(groups: list[passages.EpisodeGroup], annotations: list[Annotation]) -> list[str]:
    out = ["---", f"title: {_yaml('Annotations')}"]
    if len(groups) == 1:
        g = groups[0]
        out.append(f"episode: {_yaml(g.title)}")
        for key, value in (("show", g.show), ("date", g.date),
                           ("url", passages.safe_url(passages.episode_url(g.annotations[0])))):
            if value:
                out.append(f"{key}: {_yaml(value)}")
    elif groups:
        out.append(f"episodes: {_yaml([g.title for g in groups])}")
    tags = sorted({t for a in annotations for t in a.tags}, key=str.casefold)
    if tags:
        out.append(f"tags: {_yaml(tags)}")
    return out + ["---", ""]


def render(annotations: list[Annotation], tags: list[Tag] | None = None) -> str:
    """The whole export as one document (`tags` is accepted for a uniform signature;
    Markdown has no colours)."""
    annotations = [neutral.clean(a) for a in annotations]
    groups = passages.group(annotations)
    n_eps = len(groups)
    out = front_matter(groups, annotations) + [
        "# Annotations", "",
        f"*{len(annotations)} passage{'s' * (len(annotations) != 1)} in {n_eps} "
        f"episode{'s' * (n_eps != 1)}, exported from aiviewer*", ""]
    for g in groups:
        out += _episode(g)
    return "\n".join(out).rstrip("\n") + "\n"
