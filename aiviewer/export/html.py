"""Annotations as one standalone, printable HTML page.

Self-contained: inline CSS (with print rules: no link colours, passages never
split across pages, a heading kept with the passage under it, URLs printed after
the links of times, episodes and notes), no scripts, no remote resources.
A Content-Security-Policy meta tag forbids scripts and remote loads outright, so
that even a mistake in escaping could not make the page run or fetch anything.

Every transcript string (quote, title, show, speaker, tag) is stripped of control
characters (`neutral.clean`) and goes through `html.escape`, attribute values
included; a colour reaches a `style` attribute only when `neutral.colour` accepts
it (`#rgb`/`#rrggbb`), else the page's default is used; notes are rendered from Markdown by `safe_markdown.to_html`, which
shows raw HTML as text and turns images into links.  Tag colours appear as a
swatch next to the tag name and as the passage's left border.
"""

from __future__ import annotations

from html import escape

from aiviewer.export import neutral, passages, safe_markdown
from aiviewer.model import Annotation, Tag

CSP = ("default-src 'none'; style-src 'unsafe-inline'; "
       "base-uri 'none'; form-action 'none'")

CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --rule: #d9d9de; --accent: #0072b2; }
* { box-sizing: border-box; }
body { font: 16px/1.55 -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
       color: var(--ink); max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 .2rem; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; color: var(--muted); }
.meta, .summary { color: var(--muted); font-size: .9rem; margin: 0 0 1rem; }
a { color: var(--accent); }
.passage { margin: 0 0 1.4rem; padding: .2rem 0 .2rem 1rem;
           border-left: 4px solid var(--colour, var(--rule)); break-inside: avoid; }
blockquote { margin: 0; font-family: Georgia, "Times New Roman", serif; font-size: 1.05rem;
             white-space: pre-wrap; }
.who { color: var(--muted); font-size: .85rem; margin: .3rem 0; }
.tags { margin: .3rem 0; }
.tag { display: inline-block; font-size: .8rem; padding: 0 .45rem; margin: 0 .3rem .2rem 0;
       border: 1px solid var(--rule); border-radius: .7rem; }
.swatch { display: inline-block; width: .6rem; height: .6rem; border-radius: 50%;
          margin-right: .3rem; background: var(--colour, var(--rule)); }
.note { font-size: .95rem; }
.note p { margin: .4rem 0; }
.orphan { color: #b00020; font-size: .85rem; }
.note pre { background: #f5f5f7; padding: .5rem .7rem; overflow-x: auto; white-space: pre-wrap; }
.note code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .88em; }
.note table { border-collapse: collapse; margin: .5rem 0; }
.note th, .note td { border: 1px solid var(--rule); padding: .2rem .5rem; }
.note .footnotes { font-size: .85rem; color: var(--muted); }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  a { color: inherit; text-decoration: none; }
  .who a[href]::after, .note a[href^="http"]::after, .note a[href^="mailto:"]::after,
  .meta a[href]::after { content: " (" attr(href) ")"; font-size: .75rem; word-break: break-all; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  /* a heading travels with the first passage under it: never alone at a page's foot */
  .keep { break-inside: avoid; page-break-inside: avoid; }
  .note pre, .note table { break-inside: avoid; }
}
"""

def _style(colour: str | None) -> str:
    colour = neutral.colour(colour)
    return f' style="--colour: {escape(colour)}"' if colour else ""


def _link(label: str, url: str | None) -> str:
    url = passages.safe_url(url)
    if not url:
        return escape(label)
    return f'<a href="{escape(url)}">{escape(label)}</a>'


def _passage(a: Annotation, colours: dict[str, str]) -> str:
    colour = neutral.colour(a.colour) or \
        next((colours[t] for t in sorted(a.tags, key=str.casefold) if t in colours), None)
    out = [f'<article class="passage"{_style(colour)}>',
           f"<blockquote>{escape(a.exact.strip())}</blockquote>"]
    who = []
    if a.speaker:
        who.append(f"<strong>{escape(a.speaker)}</strong>")
    if a.start_ms is not None:
        who.append(_link(passages.hms(a.start_ms),
                         passages.time_link(passages.episode_url(a), a.start_ms)))
    if who:
        out.append(f'<p class="who">— {", ".join(who)}</p>')
    if a.status == "orphaned":
        out.append('<p class="orphan">Orphaned: this text is no longer in the episode.</p>')
    if a.tags:
        chips = "".join(f'<span class="tag"{_style(colours.get(t))}><span class="swatch">'
                        f"</span>{escape(t)}</span>"
                        for t in sorted(a.tags, key=str.casefold))
        out.append(f'<p class="tags">{chips}</p>')
    note = safe_markdown.to_html(a.note_md)
    if note:
        out.append(f'<div class="note">{note}</div>')
    out.append("</article>")
    return "\n".join(out)


def _episode(g: passages.EpisodeGroup, colours: dict[str, str]) -> str:
    head = [f"<h2>{escape(g.title)}</h2>"]
    meta = [escape(x) for x in (g.show, g.date) if x]
    if passages.safe_url(g.url):
        meta.append(_link("episode", g.url))
    if meta:
        head.append(f'<p class="meta">{" · ".join(meta)}</p>')
    out = ["<section>"]
    for tag, anns in g.by_tag:
        # the headings and the first passage under them are kept together in print
        first = [*head, f"<h3>{escape(tag)}</h3>", _passage(anns[0], colours)]
        out.append('<div class="keep">\n' + "\n".join(first) + "\n</div>")
        out += [_passage(a, colours) for a in anns[1:]]
        head = []
    out.append("</section>")
    return "\n".join(out)


def render(annotations: list[Annotation], tags: list[Tag] | None = None,
           title: str = "Annotations") -> str:
    """The page as text (UTF-8 when written)."""
    annotations = [neutral.clean(a) for a in annotations]
    colours = passages.colours(neutral.clean_tags(tags))
    title = neutral.plain(title)
    groups = passages.group(annotations)
    n, n_eps = len(annotations), len(groups)
    body = "\n".join(_episode(g, colours) for g in groups)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="aiviewer">
<title>{escape(title)}</title>
<style>{CSS}</style>
</head>
<body>
<h1>{escape(title)}</h1>
<p class="summary">{n} passage{"s" * (n != 1)} in {n_eps} episode{"s" * (n_eps != 1)}</p>
{body}
</body>
</html>
"""
