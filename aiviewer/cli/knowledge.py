"""CLI commands for finding things: search, reindex, entities."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict

from aiviewer.cli import (
    JSON_VERSION,
    _json_flag,
    _json_lines_flag,
    _print_json,
    command,
    emit_line,
    json_lines_progress,
)
from aiviewer.cli.terminal import clean, echo
from aiviewer.entities.catalog import KINDS
from aiviewer.errors import AiviewerError
from aiviewer.library import Library
from aiviewer.wording import family_breakdown, format_ms, plural


def _search_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="+", help="query in the search language (README)")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--offset", type=int, default=0)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--hybrid", dest="hybrid", action="store_true", default=None,
                      help="fuse the word hits with passages close in meaning (the default)")
    mode.add_argument("--words-only", dest="hybrid", action="store_false",
                      help="rank by the words alone")
    _json_flag(p)


@command("search", "search every transcript, title, show note and annotation; "
         '~~"text" searches by meaning', _search_args)
def cmd_search(args: argparse.Namespace, lib: Library) -> int:
    from aiviewer.search.meaning import HYBRID_DEFAULT

    hybrid = HYBRID_DEFAULT if args.hybrid is None else args.hybrid
    results = lib.search(" ".join(args.query), limit=args.limit, offset=args.offset,
                         hybrid=hybrid)
    return _print_results(args, results)


def _print_results(args: argparse.Namespace, results) -> int:
    if args.json:
        _print_json({"version": JSON_VERSION, "query": results.query,
                     "understood": results.understood, "total": results.total,
                     "suggestion": results.suggestion, "error": results.error,
                     **({"notice": results.notice} if results.notice else {}),
                     "facets": results.facets, "hits": [asdict(h) for h in results.hits]})
        return 0 if results.hits else 1
    if results.error:
        echo(f"note: {results.error}; searched as plain words")
    if results.notice:
        echo(f"note: {results.notice}")
    echo(f"{plural(results.total, 'passage')} for {results.understood}")
    if results.suggestion:
        echo(f"did you mean: {results.suggestion}")
    for hit in results.hits:
        where = " · ".join(x for x in (hit.speaker, format_ms(hit.start_ms) or None,
                                       hit.field if hit.field != "transcript" else None,
                                       _matched(hit),
                                       f"heard as '{hit.heard_as}'" if hit.heard_as else None)
                          if x)
        snippet = hit.snippet
        for start, end in sorted(hit.highlights, reverse=True):
            snippet = f"{snippet[:start]}[{snippet[start:end]}]{snippet[end:]}"
        head = f"{hit.episode_title}  ({hit.episode_id})" + (f"  {where}" if where else "")
        echo("\n" + clean(head, one_line=True))
        echo(f"  {snippet}", one_line=True)
    return 0 if results.hits else 1


def _matched(hit) -> str | None:
    """Say how a passage matched when meaning took part."""
    if hit.field != "transcript" or hit.matched == "words":
        return None
    return {"meaning": "by meaning", "both": "words + meaning"}.get(hit.matched)


def _similar_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", nargs="*", help="text (a quote, a selection) to find more like")
    p.add_argument("--segment", type=int, action="append", default=[],
                   help="a passage id (a search hit's segment_id); may repeat")
    p.add_argument("--annotation", help="an annotation id: more like its quote and note")
    p.add_argument("--within", default="", help="a query the results must also match "
                   "(filters such as speaker:, show:, date:, entity:, tag:)")
    p.add_argument("--limit", type=int, default=20)
    _json_flag(p)


@command("similar", "more like this: passages closest in meaning to a text, passage or "
         "annotation", _similar_args)
def cmd_similar(args: argparse.Namespace, lib: Library) -> int:
    text = " ".join(args.text)
    if not (text.strip() or args.segment or args.annotation):
        raise AiviewerError("similar: give a text, --segment ID or --annotation ID")
    results = lib.similar(text, tuple(args.segment), args.annotation, limit=args.limit,
                          within=args.within)
    args.offset = 0
    return _print_results(args, results)


def _reindex_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--entities-if-stale", action="store_true",
                   help="only re-match entities, and only if the catalog or the user's "
                        "entities changed since the mentions were computed")
    _json_flag(p)
    _json_lines_flag(p)


@command("reindex", "rebuild the search index, speller and entity mentions", _reindex_args,
         writes=True)
def cmd_reindex(args: argparse.Namespace, lib: Library) -> int:
    progress = json_lines_progress if args.json_lines else None
    if args.entities_if_stale:
        n = lib.refresh_mentions(progress).value if lib.mentions_stale() else 0
        if args.json_lines:
            emit_line({"result": {"episodes_rematched": n}})
        elif args.json:
            _print_json({"version": JSON_VERSION, "episodes_rematched": n})
        else:
            echo(f"re-matched entities in {plural(n, 'episode')}")
        return 0
    lib.reindex(progress)
    counts = lib.counts()
    if args.json_lines:
        emit_line({"result": {"episodes": counts["episodes"], "segments": counts["segments"]}})
        return 0
    echo(f"reindexed {plural(counts['episodes'], 'episode')}, "
         f"{plural(counts['segments'], 'passage')}")
    return 0


ENTITY_ACTIONS = ("list", "show", "add", "remove", "suggestions", "confirm", "reject")


def _entities_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", nargs="?", choices=ENTITY_ACTIONS, default="list",
                   help="list (default), show NAME, add NAME, remove NAME, suggestions, "
                        "confirm SURFACE ENTITY, reject SURFACE ENTITY")
    p.add_argument("name", nargs="?", help="entity name (show, add, remove); the spelling "
                                           "heard (confirm, reject)")
    p.add_argument("entity", nargs="?", help="the entity a spelling is or is not "
                                             "(confirm, reject)")
    p.add_argument("--episode", help="only this episode (list, suggestions); the decision's "
                                     "scope (confirm, reject)")
    p.add_argument("--library", action="store_true",
                   help="confirm or reject in every episode (the default)")
    p.add_argument("--kind", help="only this kind (list); the kind of a new entity (add)")
    p.add_argument("--alias", action="append", default=[], help="another spelling (add)")
    p.add_argument("--description", default="", help="one line (add)")
    p.add_argument("--parent", help="family, e.g. Claude for Claude Opus 4.5 (add)")
    p.add_argument("--limit", type=int, default=500, help="mentions to list (show)")
    _json_flag(p)
    _json_lines_flag(p)


@command("entities", "entities with mention counts; show, add or remove one", _entities_args,
         writes=lambda args: args.action in ("add", "remove", "confirm", "reject"))
def cmd_entities(args: argparse.Namespace, lib: Library) -> int:
    if args.action == "suggestions":
        return _suggestions(args, lib)
    if args.action in ("confirm", "reject"):
        return _decide(args, lib)
    if args.action != "list" and not args.name:
        echo(f"error: entities {args.action} needs a NAME", file=sys.stderr)
        return 2
    if args.kind is not None and args.kind not in KINDS:
        echo(f"error: unknown kind {args.kind!r}; the kinds are: {', '.join(KINDS)}",
             file=sys.stderr)
        return 1
    progress = json_lines_progress if args.json_lines else None
    if args.action == "add":
        if not args.kind:
            existing = lib.entity(args.name)
            if existing is None:
                echo("error: a new entity needs --kind", file=sys.stderr)
                return 2
            args.kind = existing.kind
        e = lib.add_entity(args.name, args.kind, tuple(args.alias), args.description,
                           args.parent, progress=progress).value
        if args.json_lines:
            emit_line({"result": {"entity": asdict(e)}})
            return 0
        echo(f"added {e.canonical} ({e.kind})" + (f", aliases: {', '.join(e.aliases)}"
                                                   if e.aliases else ""))
        return 0
    if args.action == "remove":
        lib.remove_entity(args.name, progress=progress)
        if args.json_lines:
            emit_line({"result": {"removed": args.name}})
            return 0
        echo(f"removed {args.name}")
        return 0
    if args.action == "show":
        info = lib.entity(args.name)
        canonical = info.canonical if info else args.name
        mentions = lib.entity_mentions(canonical, limit=args.limit)
        if args.json:
            _print_json({"version": JSON_VERSION,
                         "entity": asdict(info) if info else {"canonical": canonical},
                         "mentions": [asdict(m) for m in mentions]})
            return 0 if mentions else 1
        if info:
            echo(f"{info.canonical} ({info.kind})" + (f" — {info.description}"
                                                       if info.description else ""))
        counts = lib.entity_family_counts(canonical)
        total = sum(counts.values())
        echo(f"first {len(mentions)} of {plural(total, 'mention')}" if total > len(mentions)
             else plural(total, "mention"))
        breakdown = family_breakdown(canonical, counts, lib.entity_kind)
        if breakdown:
            echo(breakdown)
        for m in mentions:
            who = " · ".join(x for x in (m.speaker, format_ms(m.start_ms) or None) if x)
            ctx = (m.context[:m.context_start] + "[" + m.context[m.context_start:m.context_end]
                   + "]" + m.context[m.context_end:])
            echo("\n" + clean(m.episode_title + (f"  {who}" if who else ""), one_line=True))
            echo(f"  …{ctx}…", one_line=True)
        return 0 if mentions else 1
    episode = lib.resolve_episode(args.episode) if args.episode else None
    counts = lib.episode_entities(episode, kind=args.kind)
    if args.json:
        _print_json({"version": JSON_VERSION, "episode": episode,
                     "entities": [asdict(c) for c in counts]})
        return 0
    for c in counts:
        echo(f"{c.mentions:6}  {c.episodes:4} ep  {c.kind:<12} {c.canonical}", one_line=True)
    return 0


def _suggestions(args: argparse.Namespace, lib: Library) -> int:
    """`entities suggestions`: spellings the matcher proposes below its confidence bar."""
    episode = lib.resolve_episode(args.episode) if args.episode else None
    found = lib.suggestions(episode)
    if args.json:
        _print_json({"version": JSON_VERSION, "episode": episode,
                     "suggestions": [asdict(s) for s in found]})
        return 0
    if not found:
        echo("no suggestions" + (" in this episode" if episode else ""))
        return 0
    for s in found:
        ctx = (s.context[:s.context_start] + "[" + s.context[s.context_start:s.context_end]
               + "]" + s.context[s.context_end:])
        echo(f"\nheard as “{s.surface}” — {s.entity}? ({s.kind}, {s.count}×)  "
             f"{s.episode_title}  ({s.episode_id})", one_line=True)
        echo(f"  …{ctx}…", one_line=True)
    echo(f"\n{plural(len(found), 'suggestion')}; `aiviewer entities confirm SURFACE ENTITY` "
         "or `reject SURFACE ENTITY` decide (add --episode ID for one episode only)")
    return 0


def _decide(args: argparse.Namespace, lib: Library) -> int:
    """`entities confirm|reject SURFACE ENTITY [--episode ID | --library]`."""
    if not args.name or not args.entity:
        echo(f"error: entities {args.action} needs a SURFACE (the spelling heard) and an "
             "ENTITY, e.g. entities confirm Nemotorn Nemotron", file=sys.stderr)
        return 2
    if args.episode and args.library:
        echo("error: choose --episode ID or --library, not both", file=sys.stderr)
        return 2
    episode = lib.resolve_episode(args.episode) if args.episode else None
    fn = lib.confirm_suggestion if args.action == "confirm" else lib.reject_suggestion
    changes = fn(args.name, args.entity, episode)
    entity = lib.entity(args.entity)
    canonical = entity.canonical if entity else args.entity
    if args.json:
        _print_json({"version": JSON_VERSION, "verdict": args.action, "surface": args.name,
                     "entity": canonical, "episode": episode,
                     "episodes_rematched": sorted(changes.episodes)})
        return 0
    where = f"in {episode}" if episode else "in every episode"
    verb = "confirmed" if args.action == "confirm" else "rejected"
    echo(f"{verb} “{args.name}” as {canonical} {where}; re-matched "
         f"{plural(len(changes.episodes), 'episode')}", one_line=True)
    return 0
