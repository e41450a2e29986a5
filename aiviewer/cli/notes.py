"""CLI commands for the user's own work: annotate, annotations, tags, export and
import of annotations."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict

from aiviewer.cli import JSON_VERSION, _json_flag, _print_json, command
from aiviewer.cli.terminal import echo
from aiviewer.library import Library
from aiviewer.library.notes import NotesMixin


def _annotate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("episode", metavar="EPISODE", help="id, id prefix or part of the title")
    p.add_argument("--quote", required=True, help="text of the passage (first occurrence)")
    p.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    p.add_argument("--note", default="", help="a note in Markdown")
    _json_flag(p)


@command("annotate", "annotate a passage of an episode by quoting it", _annotate_args,
         writes=True)
def cmd_annotate(args: argparse.Namespace, lib: Library) -> int:
    a = lib.annotate_quote(lib.resolve_episode(args.episode), args.quote, args.note, args.tag).value
    if args.json:
        _print_json({"version": JSON_VERSION, "annotation": asdict(a)})
    else:
        echo(f"annotated {a.id} in {a.episode_title}", one_line=True)
    return 0


def _annotations_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--episode")
    p.add_argument("--tag")
    p.add_argument("--text", help="in the quote or the note")
    p.add_argument("--orphans", action="store_true", help="only annotations that lost their text")
    _json_flag(p)


@command("annotations", "list annotations (filter by episode, tag, text)", _annotations_args)
def cmd_annotations(args: argparse.Namespace, lib: Library) -> int:
    episode = lib.resolve_episode(args.episode) if args.episode else None
    anns = lib.annotations(episode_id=episode, tag=args.tag, text=args.text,
                           status="orphaned" if args.orphans else None)
    if args.json:
        _print_json({"version": JSON_VERSION, "annotations": [asdict(a) for a in anns]})
        return 0
    for a in anns:
        tags = f"  [{', '.join(a.tags)}]" if a.tags else ""
        echo(f"{a.id[:8]}  {a.episode_title[:50]}{tags}  ({a.status})", one_line=True)
        echo(f"    “{a.exact[:160]}”", one_line=True)
        if a.note_md:
            echo(f"    {a.note_md[:160]}", one_line=True)
    return 0


@command("tags", "tags with the number of annotations carrying them", _json_flag)
def cmd_tags(args: argparse.Namespace, lib: Library) -> int:
    tags = lib.tags()
    if args.json:
        _print_json({"version": JSON_VERSION, "tags": [asdict(t) for t in tags]})
        return 0
    for t in tags:
        echo(f"{t.count:5}  {t.name}", one_line=True)
    return 0


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", required=True, choices=NotesMixin.EXPORT_FORMATS)
    p.add_argument("--episode")
    p.add_argument("--tag")
    p.add_argument("--bom", action="store_true",
                   help="csv: start with a UTF-8 byte order mark (Excel on Windows)")
    p.add_argument("-o", "--output", help="file to write, replaced only once the export is "
                                          "complete (default or '-': standard output; "
                                          "a file is required for qdpx)")


@command("export", "export annotations: markdown, csv, w3c, qdpx, html", _export_args)
def cmd_export(args: argparse.Namespace, lib: Library) -> int:
    episode = lib.resolve_episode(args.episode) if args.episode else None
    output = None if args.output == "-" else args.output
    text = lib.export_annotations(args.format, output, episode_id=episode, tag=args.tag,
                                  bom=args.bom)
    if text is not None:
        sys.stdout.write(text)
    else:
        echo(f"wrote {args.output}", file=sys.stderr)
    return 0


def _import_annotations_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="W3C Web Annotation JSON-LD (our w3c export) or a .qdpx")
    _json_flag(p)


@command("import-annotations", "merge annotations from a w3c or qdpx export",
         _import_annotations_args, writes=True)
def cmd_import_annotations(args: argparse.Namespace, lib: Library) -> int:
    result = lib.import_annotations(args.file).value
    if args.json:
        _print_json({"version": JSON_VERSION, "result": asdict(result)})
    else:
        echo(result)
    return 0


def _publish_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", help="metadata file to write (default: datasette.json "
                                          "in the data directory)")
    _json_flag(p)


@command("publish", "write Datasette metadata (canned queries) and print the datasette "
                    "command that serves the library read-only", _publish_args)
def cmd_publish(args: argparse.Namespace, lib: Library) -> int:
    import importlib.util
    import shlex
    import shutil

    path, argv = lib.publish(args.output)
    installed = shutil.which("datasette") is not None
    if not installed and importlib.util.find_spec("datasette") is not None:
        installed = True  # in this environment but not on PATH: run it through Python
        argv = [sys.executable, "-m", *argv]
    if args.json:
        _print_json({"version": JSON_VERSION, "metadata": str(path), "command": argv,
                     "datasette_installed": installed})
        return 0
    echo(f"wrote {path}", file=sys.stderr)
    if not installed:
        echo("datasette is not installed: pip install 'aiviewer[datasette]' "
             "(or pip install datasette)", file=sys.stderr)
    print(shlex.join(argv))
    return 0
