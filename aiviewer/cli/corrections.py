"""CLI commands for correcting a transcript: speakers, turns and episode details.

Turns are numbered from 1 in the order `aiviewer turns list` prints them; every
change is stored as the user's edit over the imported text and survives re-imports.
"""

from __future__ import annotations

import argparse
import json
import sys

from aiviewer.cli import JSON_VERSION, _json_flag, _print_json, command
from aiviewer.cli.terminal import clean, echo
from aiviewer.errors import AiviewerError
from aiviewer.library import Library
from aiviewer.wording import format_ms, plural


def _speakers_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("list", "rename"), help="list, or rename LABEL NAME")
    p.add_argument("episode", help="episode id, id prefix or part of the title")
    p.add_argument("label", nargs="?", help="rename: the speaker label (or its current name)")
    p.add_argument("name", nargs="?", help="rename: the new name")
    _json_flag(p)


@command("speakers", "an episode's speakers and the names it suggests; rename one",
         _speakers_args, writes=lambda a: a.action == "rename")
def cmd_speakers(args: argparse.Namespace, lib: Library) -> int:
    eid = lib.resolve_episode(args.episode)
    if args.action == "rename":
        if not args.label or not args.name:
            echo("error: speakers rename EPISODE LABEL NAME", file=sys.stderr)
            return 2
        label = lib.speaker_label(eid, args.label)
        lib.rename_speaker(eid, label, args.name)
        echo(f"{label} is now “{clean(args.name, one_line=True)}”")
        return 0
    ep = lib.episode(eid)
    turns: dict[str, int] = {}
    for seg in ep.segments:
        if seg.speaker_label:
            turns[seg.speaker_label] = turns.get(seg.speaker_label, 0) + 1
    suggestions = lib.speaker_suggestions(eid)
    if args.json:
        _print_json({"version": JSON_VERSION, "episode": eid, "speakers": [
            {"label": lab, "name": ep.speaker_names.get(lab, lab), "turns": n}
            for lab, n in turns.items()], "suggestions": suggestions})
        return 0
    for lab, n in turns.items():
        name = ep.speaker_names.get(lab, lab)
        shown = lab if name == lab else f"{lab} → {name}"
        echo(f"{clean(shown, one_line=True)}  ({plural(n, 'turn')})")
    echo("suggested names: " + clean(", ".join(suggestions), one_line=True))
    return 0


def _turns_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("list", "split", "assign", "merge", "edits"),
                   help="list the turns; split TURN --before TEXT; assign TURN... --speaker "
                        "NAME; merge TURN (into the one before); edits: your edits and "
                        "whether each still fits the text")
    p.add_argument("episode", help="episode id, id prefix or part of the title")
    p.add_argument("turns", nargs="*", type=int, metavar="TURN", help="turn numbers (from 1)")
    p.add_argument("--before", metavar="TEXT",
                   help="split: the new turn starts at the first place the turn says TEXT")
    p.add_argument("--speaker", metavar="NAME", help="assign: the speaker's name")
    _json_flag(p)


@command("turns", "list, split, assign or merge an episode's speaker turns", _turns_args,
         writes=lambda a: a.action in ("split", "assign", "merge"))
def cmd_turns(args: argparse.Namespace, lib: Library) -> int:
    eid = lib.resolve_episode(args.episode)
    seqs = [n - 1 for n in args.turns]
    if args.action == "list":
        ep = lib.episode(eid)
        if args.json:
            _print_json({"version": JSON_VERSION, "episode": eid, "turns": [
                {"turn": s.seq + 1, "kind": s.kind, "speaker": s.speaker,
                 "start_ms": s.start_ms, "text": s.text} for s in ep.segments]})
            return 0
        for s in ep.segments:
            head = " ".join(s.text.split())[:70]
            when = format_ms(s.start_ms) if s.start_ms is not None else ""
            echo(clean(f"{s.seq + 1:>4} {when:>8} {s.speaker or '—'}: {head}", one_line=True))
        return 0
    if args.action == "edits":
        rows = lib.turn_edits(eid)
        if args.json:
            _print_json({"version": JSON_VERSION, "episode": eid, "edits": [
                {**{k: r[k] for k in ("op", "speaker", "status", "created")},
                 "anchor": json.loads(r["anchor"])} for r in rows]})
            return 0
        for r in rows:
            anchor = json.loads(r["anchor"])
            where = anchor.get("after") or anchor.get("head") or ""
            to = f" → {r['speaker']}" if r["speaker"] else ""
            echo(clean(f"{r['status']:>7} {r['op']}{to} at “{where[:40]}”", one_line=True))
        unfit = sum(r["status"] == "unfit" for r in rows)
        echo(f"{plural(len(rows), 'edit')}, {unfit} no longer fit the text")
        return 1 if unfit else 0
    if not seqs:
        raise AiviewerError(f"turns {args.action}: name a turn number (aiviewer turns list)")
    if args.action == "split":
        if not args.before:
            raise AiviewerError("turns split: say where with --before TEXT")
        text = lib.episode(eid).segments[seqs[0]].text if 0 <= seqs[0] < len(
            lib.episode(eid).segments) else ""
        pos = text.find(args.before)
        if pos <= 0:
            raise AiviewerError(f"turn {args.turns[0]} does not say {args.before!r} "
                                "after its first word")
        changes = lib.split_turn(eid, seqs[0], pos)
    elif args.action == "assign":
        if not args.speaker:
            raise AiviewerError("turns assign: name the speaker with --speaker NAME")
        changes = lib.assign_speaker(eid, seqs, args.speaker)
    else:
        changes = lib.merge_turn(eid, seqs[0])
    echo(clean(changes.undo_label or "done", one_line=True))
    return 0


def _details_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("episode", help="episode id, id prefix or part of the title")
    for field in ("title", "show", "date", "url", "description"):
        p.add_argument(f"--{field}", metavar=field.upper(),
                       help=f"set the episode's {field} ('' clears it)")
    _json_flag(p)


@command("details", "an episode's title, show, date, URL and description; set them",
         _details_args, writes=lambda a: any(getattr(a, f) is not None for f in (
             "title", "show", "date", "url", "description")))
def cmd_details(args: argparse.Namespace, lib: Library) -> int:
    eid = lib.resolve_episode(args.episode)
    values = {f: getattr(args, f) for f in ("title", "show", "date", "url", "description")
              if getattr(args, f) is not None}
    if values:
        changes = lib.edit_details(eid, **values)
        if not args.json:
            echo(clean(changes.undo_label or "nothing changed", one_line=True))
    shown = lib.episode_details(eid)
    if args.json:
        _print_json({"version": JSON_VERSION, "episode": eid, **shown})
        return 0
    for field in ("title", "show", "date", "url", "description"):
        mark = " (yours)" if field in shown["edited"] else ""
        value = shown[field] or "—"
        echo(clean(f"{field:>12}{mark}: {value[:200]}", one_line=True))
    return 0
