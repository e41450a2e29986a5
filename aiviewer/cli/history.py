"""CLI commands over the library's shared history: undo, redo, history, and the
episode removal that used to exist only in the window.  The history is kept in the
library, so `aiviewer undo` undoes the window's last step as readily as its own."""

from __future__ import annotations

import argparse
import sys

from aiviewer.cli import JSON_VERSION, _json_flag, _print_json, command
from aiviewer.cli.terminal import echo
from aiviewer.library import Library


def _step(lib: Library, redo: bool, as_json: bool) -> int:
    label = lib.redo_label() if redo else lib.undo_label()
    verb = "redo" if redo else "undo"
    if label is None:
        if as_json:
            _print_json({"version": JSON_VERSION, verb: None})
        else:
            echo(f"nothing to {verb}", file=sys.stderr)
        return 1
    changes = lib.redo() if redo else lib.undo()
    if changes.entities:
        lib.refresh_mentions()  # the window re-matches in the background; here, now
    if as_json:
        _print_json({"version": JSON_VERSION, verb: label})
    else:
        echo(f"{'redone' if redo else 'undone'}: {label}", one_line=True)
    return 0


@command("undo", "undo the library's latest change (made here or in the window)", _json_flag,
         writes=True)
def cmd_undo(args: argparse.Namespace, lib: Library) -> int:
    return _step(lib, redo=False, as_json=args.json)


@command("redo", "redo the change undone last", _json_flag, writes=True)
def cmd_redo(args: argparse.Namespace, lib: Library) -> int:
    return _step(lib, redo=True, as_json=args.json)


def _history_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=int, default=20, help="steps to list (newest first)")
    _json_flag(p)


@command("history", "the latest changes that undo and redo step through", _history_args)
def cmd_history(args: argparse.Namespace, lib: Library) -> int:
    steps = lib.history(args.limit)
    if args.json:
        _print_json({"version": JSON_VERSION, "steps": [
            {"label": label, "undone": undone, "when": when} for label, undone, when in steps]})
        return 0
    if not steps:
        echo("no changes yet")
    for label, undone, when in steps:
        echo(f"{when[:19].replace('T', ' ')}  {'(undone) ' if undone else ''}{label}",
             one_line=True)
    return 0


def _remove_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("episode", metavar="EPISODE", help="id, id prefix or part of the title")
    _json_flag(p)


@command("remove", "remove an episode (its annotations are kept as orphans; undo brings "
         "it back)", _remove_args, writes=True)
def cmd_remove(args: argparse.Namespace, lib: Library) -> int:
    eid = lib.resolve_episode(args.episode)
    title = lib.episode(eid).title
    changes = lib.remove_episode(eid)
    if args.json:
        _print_json({"version": JSON_VERSION, "removed": eid, "undo": changes.undo_label})
    else:
        echo(f"removed “{title}” — `aiviewer undo` brings it back", one_line=True)
    return 0
