"""`aiviewer` on the command line: thin argparse commands over `Library`.

With no subcommand it opens the GUI.  Every command takes `--data-dir`; the
`--json` outputs are a documented, stable contract (README, "JSON output").
Exit status: 0 ok, 1 some input failed or nothing was found, 2 usage or store error.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import signal
import sqlite3
import sys
from collections.abc import Callable, Mapping
from dataclasses import asdict

from aiviewer import __version__, paths
from aiviewer.cli.terminal import clean, echo
from aiviewer.errors import AiviewerError, NotFound, StoreError
from aiviewer.library import Library
from aiviewer.model import Episode, EpisodeSummary, ImportReport
from aiviewer.progress import CancelToken
from aiviewer.wording import format_ms, plural

JSON_VERSION = 1

Command = Callable[[argparse.Namespace, Library], int]
Configure = Callable[[argparse.ArgumentParser], None]
COMMANDS: dict[str, tuple[Command, str, Configure]] = {}


NO_LIBRARY: set[str] = set()  # commands that must not open (or create) a library
# commands that change the library (given their arguments): the file is verified first
WRITES: dict[str, Callable[[argparse.Namespace], bool]] = {}


def command(name: str, help: str, configure: Configure, library: bool = True,
            writes: bool | Callable[[argparse.Namespace], bool] = False):
    """Register a subcommand: its function, its help line and its arguments."""
    def register(fn: Command) -> Command:
        COMMANDS[name] = (fn, help, configure)
        if not library:
            NO_LIBRARY.add(name)
        if writes:
            WRITES[name] = writes if callable(writes) else (lambda args: True)
        return fn
    return register


def _json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable output (see README)")


def _print_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _json_lines_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json-lines", action="store_true",
                   help='for the app: one JSON object a line on stdout, {"progress": [DONE, '
                        'TOTAL, MESSAGE]} as the work goes on, then {"result": {...}} (or '
                        '{"error": MESSAGE})')


def emit_line(obj) -> None:
    """One line of the `--json-lines` protocol (`ui/jobs.py` reads it)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def json_lines_progress(done: int, total: int, message: str) -> None:
    emit_line({"progress": [done, total, message]})


# -- import --------------------------------------------------------------------------


class _TerminalProgress:
    """A one-line progress display on a terminal; silent when output is piped."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int, message: str) -> None:
        if not self.tty or not total:
            return
        name = clean(message[-60:], one_line=True)
        sys.stderr.write(f"\r\x1b[K[{done}/{total}] {name}")
        if done == total:
            sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()


def _LineProgress():
    def sink(done: int, total: int, message: str) -> None:
        sys.stderr.write(f"progress {done} {total} {clean(message, one_line=True)}\n")
        sys.stderr.flush()
    return sink


def report_summary(report: ImportReport) -> str:
    parts = [
        f"{plural(report.added, 'episode')} added",
        f"{report.updated} updated",
        f"{report.merged} merged into existing episodes",
        f"{plural(report.unchanged_files, 'file')} unchanged",
        f"{plural(len(report.failed), 'file')} failed",
    ]
    if report.edits_unfit:
        parts.append(f"{plural(report.edits_unfit, 'turn edit')} of yours no longer "
                     "fit the new text (aiviewer turns edits EPISODE)")
    return ", ".join(parts) + (" (cancelled)" if report.cancelled else "")


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--seeds", action="store_true",
                   help="import the bundled sample library (the five seed documents)")
    p.add_argument("--progress-lines", action="store_true",
                   help="print 'progress DONE TOTAL PATH' lines on stderr")
    _json_flag(p)
    _json_lines_flag(p)


@command("import", "import transcript files or folders (recursive)", _import_args, writes=True)
def cmd_import(args: argparse.Namespace, lib: Library) -> int:
    inputs = list(args.paths) + ([str(paths.seeds_dir())] if args.seeds else [])
    if not inputs:
        echo("error: name files or folders to import, or --seeds", file=sys.stderr)
        return 2
    cancel = CancelToken()
    # SIGTERM (the app's Cancel button) stops at once, even in the middle of a
    # large file: that file's transaction is rolled back, the files before it stay
    previous = signal.signal(signal.SIGTERM, lambda *_: cancel.interrupt())
    try:
        progress = (json_lines_progress if args.json_lines else
                    _LineProgress() if args.progress_lines else _TerminalProgress())
        report = lib.import_paths(inputs, progress=progress, cancel=cancel).value
    finally:
        signal.signal(signal.SIGTERM, previous)
    for failure in report.failed:
        echo(f"error: {failure.path}: {failure.error}", file=sys.stderr)
    payload = {
        "version": JSON_VERSION,
        "added": report.added, "updated": report.updated, "merged": report.merged,
        "unchanged_files": report.unchanged_files, "cancelled": report.cancelled,
        "files": [asdict(o) for o in report.outcomes],
    }
    if args.json_lines:
        emit_line({"result": payload})
    elif args.json:
        _print_json(payload)
    else:
        echo(report_summary(report))
    return 1 if report.failed else 0


# -- list / show -----------------------------------------------------------------------


def summary_json(e: EpisodeSummary) -> dict:
    return {
        "id": e.id, "title": e.title, "show": e.show, "date": e.date, "url": e.url,
        "video_id": e.video_id, "form": e.form, "speakers": list(e.speakers),
        "segments": e.n_segments, "words": e.n_words, "duration_ms": e.duration_ms,
        "sources": e.n_sources,
    }


@command("list", "list the episodes in the library", _json_flag)
def cmd_list(args: argparse.Namespace, lib: Library) -> int:
    episodes = lib.episodes()
    if args.json:
        _print_json({"version": JSON_VERSION, "episodes": [summary_json(e) for e in episodes]})
        return 0
    if not episodes:
        echo("The library is empty. Import transcripts with: aiviewer import PATH")
        return 0
    show = object()
    for e in episodes:
        if e.show != show:
            show = e.show
            echo(f"\n{clean(show or '(no show)', one_line=True)}")
        date = e.date or "          "
        who = ", ".join(e.speakers[:3])
        echo(f"  {e.id:<16} {date}  {e.title[:70]}" + (f"  [{who}]" if who else ""),
             one_line=True)
    return 0


def episode_json(ep: Episode) -> dict:
    out = summary_json(ep.summary)
    out.update({
        "description": ep.description,
        "mentioned": list(ep.mentioned),
        "chapters": [{"start_ms": c.start_ms, "title": c.title} for c in ep.chapters],
        "speaker_names": ep.speaker_names,
        "sources": [asdict(s) for s in ep.sources],
        "segments": [
            {"id": s.id, "kind": s.kind, "speaker": s.speaker, "speaker_label": s.speaker_label,
             "start_ms": s.start_ms, "end_ms": s.end_ms, "char_start": s.char_start,
             "text": s.text, "sounds": list(s.sounds)}
            for s in ep.segments
        ],
    })
    return out


def _show_outline(ep: Episode, as_json: bool) -> int:
    """The outline the app's Outline tab shows (`aiviewer.render.outline`)."""
    from aiviewer.render.outline import outline

    entries = outline(ep)
    if as_json:
        _print_json({"version": JSON_VERSION, "episode_id": ep.id,
                     "outline": [asdict(e) for e in entries]})
        return 0
    for e in entries:
        echo(f"{format_ms(e.start_ms) or '':>8}  {e.title}", one_line=True)
    return 0


def _show_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("episode", metavar="EPISODE", help="id, id prefix or part of the title")
    p.add_argument("--outline", action="store_true",
                   help="only the outline: the chapters, or a turn every few minutes")
    _json_flag(p)


@command("show", "show one episode: metadata, chapters, turns", _show_args)
def cmd_show(args: argparse.Namespace, lib: Library) -> int:
    ep = lib.episode(lib.resolve_episode(args.episode))
    if args.outline:
        return _show_outline(ep, args.json)
    if args.json:
        _print_json({"version": JSON_VERSION, "episode": episode_json(ep)})
        return 0
    s = ep.summary
    echo(s.title, one_line=True)
    meta = [x for x in (s.show, s.date, s.url, s.video_id and f"video {s.video_id}") if x]
    echo(" · ".join(meta), one_line=True)
    echo(f"id {s.id} · {plural(s.n_words, 'word')} · {plural(len(ep.segments), 'segment')}")
    if ep.chapters:
        echo("\nChapters")
        for c in ep.chapters:
            echo(f"  {format_ms(c.start_ms):>8}  {c.title}", one_line=True)
    echo()
    for seg in ep.segments:
        if seg.kind == "heading":
            echo(f"\n## {clean(seg.text, one_line=True)}\n")
            continue
        if seg.kind == "turn" and seg.speaker:
            stamp = f" [{format_ms(seg.start_ms)}]" if seg.start_ms is not None else ""
            echo(f"{seg.speaker}{stamp}:", one_line=True)
        echo(f"  {seg.text}\n")
    return 0


# -- about -----------------------------------------------------------------------------


@command("about", "version, data directory, library file and counts", _json_flag)
def cmd_about(args: argparse.Namespace, lib: Library) -> int:
    counts = lib.counts()
    info = {"version": __version__, "data_dir": str(lib.data_dir),
            "store": str(lib.store.path), "counts": counts,
            "backups": [str(p) for p in lib.backups()]}
    if args.json:
        _print_json({"version": JSON_VERSION, "about": info})
        return 0
    echo(f"aiviewer {__version__}")
    echo(f"data directory: {lib.data_dir}")
    echo(f"library file:   {lib.store.path}")
    echo("library:        " + ", ".join(plural(v, k[:-1], k) for k, v in counts.items()))
    echo(f"backups:        {len(info['backups'])}")
    if lib.read_only:
        echo(f"read-only:      {lib.read_only}")
    return 0


def _restore_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("backup", nargs="?", help="the backup to restore (default: the newest)")


@command("restore", "replace a damaged library with a backup, keeping what can still be read",
         _restore_args, library=False)
def cmd_restore(args: argparse.Namespace, lib: None) -> int:
    from aiviewer.store import backups as backups_q

    db_path = paths.data_dir(args.data_dir) / paths.DB_NAME
    found = backups_q.list_backups(db_path)
    backup = args.backup or (str(found[0]) if found else None)
    if backup is None:
        echo(f"error: {db_path}: there is no backup to restore", file=sys.stderr)
        return 2
    try:
        result = Library.restore_backup(args.data_dir, backup, progress=_TerminalProgress())
    except StoreError as exc:
        echo(f"error: {exc}", file=sys.stderr)
        return 2
    echo(result)
    return 0


@command("check", "ask SQLite whether the library file is sound (quick_check)", _json_flag)
def cmd_check(args: argparse.Namespace, lib: Library) -> int:
    problem = lib.verify()
    if args.json:
        _print_json({"version": JSON_VERSION, "ok": problem is None, "problem": problem,
                     "read_only": lib.read_only or None})
    else:
        echo(f"{lib.store.path}: " + (f"damaged: {problem}" if problem else "ok")
              + (f" ({lib.read_only})" if lib.read_only else ""))
    return 2 if problem else 0


# -- bench -----------------------------------------------------------------------------

BENCHES = ("import", "entities", "search", "gui", "scale", "insights")
EXTRA_BENCHES = ("fuzz", "semantic")  # not part of `all`


def _bench_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("what", choices=(*BENCHES, *EXTRA_BENCHES, "all"), help="which benchmark")
    p.add_argument("--runs", type=int, default=3, help="repetitions (medians are reported)")
    p.add_argument("--factor", type=int, default=10, help="replication factor of the seeds")
    p.add_argument("--files", type=int, default=2000,
                   help="fuzz: mutated transcripts through import")
    p.add_argument("--annotations", type=int, default=200,
                   help="fuzz: mutated annotation files through import-annotations")
    p.add_argument("--corpus", metavar="DIR",
                   help="scale: an already replicated corpus for the largest factor "
                        "(e.g. the output of an earlier run) instead of replicating the seeds")
    p.add_argument("--only-largest", action="store_true",
                   help="scale: only the row of --factor (not the seeds and 10x rows)")
    p.add_argument("--library", metavar="DIR",
                   help="insights, semantic, gui: measure this library instead of importing "
                        "the replicated seeds (pass a copy: it may be migrated or written to)")


@command("bench", "run a benchmark; prints medians and ratios to a reference", _bench_args,
         library=False)
def cmd_bench(args: argparse.Namespace, lib: Library | None) -> int:
    from importlib import import_module

    modules = {"import": "aiviewer.bench.importing", "entities": "aiviewer.bench.entities",
               "search": "aiviewer.bench.search", "gui": "aiviewer.bench.gui",
               "scale": "aiviewer.bench.scale", "fuzz": "aiviewer.bench.fuzz",
               "insights": "aiviewer.bench.insights",
               "semantic": "aiviewer.bench.semantic"}
    if args.what == "fuzz":
        stats = import_module(modules["fuzz"]).main(files=args.files,
                                                    annotations=args.annotations)
        return 1 if stats["tracebacks"] or stats["hangs"] else 0
    if args.what == "semantic":  # the relevance set; the 100x costs with --factor 100
        import_module(modules["semantic"]).main(runs=args.runs, factor=args.factor
                                                if "--factor" in sys.argv else 1,
                                                library=args.library)
        return 0
    for name in BENCHES if args.what == "all" else (args.what,):
        bench = import_module(modules[name])
        echo(f"== {name}", flush=True)
        if name in ("insights", "gui"):
            bench.main(runs=args.runs, factor=args.factor, library=args.library)
        elif name == "scale":
            bench.main(runs=args.runs, factor=args.factor,
                       corpus=pathlib.Path(args.corpus) if args.corpus else None,
                       only_largest=args.only_largest)
        else:
            bench.main(runs=args.runs, factor=args.factor)
    return 0


# -- GUI and main ----------------------------------------------------------------------


NO_DISPLAY = ("error: no display found: aiviewer needs a desktop session (neither DISPLAY nor "
              "WAYLAND_DISPLAY is set); to run without a screen set QT_QPA_PLATFORM=offscreen "
              "(nothing is shown); the commands (aiviewer --help) work without a display")


def display_missing(environ: Mapping[str, str] | None = None,
                    platform: str = sys.platform) -> bool:
    """True when Qt would look for an X server that is not there: on Linux, with
    QT_QPA_PLATFORM unset or `xcb` and neither DISPLAY nor WAYLAND_DISPLAY set.
    Qt itself then aborts with a misleading "xcb-cursor0 is needed … reinstalling
    may fix this"."""
    env = os.environ if environ is None else environ
    return (platform.startswith("linux")
            and env.get("QT_QPA_PLATFORM", "").strip() in ("", "xcb")
            and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"))


def run_gui(args: argparse.Namespace) -> int:
    if display_missing():
        echo(NO_DISPLAY, file=sys.stderr)
        return 2
    from aiviewer.ui.app import run

    return run(data_dir=args.data_dir)


def build_parser() -> argparse.ArgumentParser:
    data_help = "library directory (default: $AIVIEWER_DATA_DIR or the user data dir)"
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's --data-dir must not reset one given before the command
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=data_help)
    parser = argparse.ArgumentParser(
        prog="aiviewer",
        description="Read, search and annotate AI podcast transcripts. "
                    "With no command, opens the desktop app.")
    parser.add_argument("--data-dir", metavar="DIR", default=None, help=data_help)
    parser.add_argument("--version", action="version", version=f"aiviewer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    for name, (_, help, configure) in COMMANDS.items():
        configure(sub.add_parser(name, parents=[common], help=help, description=help))
    return parser


def _error(args: argparse.Namespace, exc: Exception) -> None:
    echo(f"error: {exc}", file=sys.stderr)
    if getattr(args, "json_lines", False):
        emit_line({"error": str(exc)})


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        return run_gui(args)
    fn = COMMANDS[args.command][0]
    if args.command in NO_LIBRARY:
        return fn(args, None)
    try:
        with Library(args.data_dir) as lib:
            if args.command in WRITES and WRITES[args.command](args):
                lib.store.refuse_if_damaged()
            try:
                return fn(args, lib)
            except sqlite3.DatabaseError as exc:
                # a read that met a damaged page: said once, plainly, never a traceback
                raise lib.store.translate(exc) from exc
    except NotFound as exc:
        _error(args, exc)
        return 1
    except (StoreError, AiviewerError) as exc:
        _error(args, exc)
        return 2
    except BrokenPipeError:
        return 0


# the other command groups register themselves on import
from aiviewer.cli import corrections, history, insights, knowledge, notes  # noqa: E402, F401
