"""`aiviewer insights`: the Insights window's figures on the command line, as a
table, JSON (for a notebook) or CSV.  Every cell lists the passage ids it counts."""

from __future__ import annotations

import argparse
import sys

from aiviewer.cli import JSON_VERSION, _print_json, command
from aiviewer.cli.terminal import echo
from aiviewer.entities.catalog import KINDS
from aiviewer.insights import INSIGHTS, Scope


def _insights_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("insight", choices=INSIGHTS,
                   help="entities: top entities; cooccur: said in the same passage (PMI); "
                        "speakers: speaker × entity; tags: tag × entity or speaker; "
                        "timeline: mentions per month or along an episode")
    p.add_argument("--scope", default="library",
                   help="library (default), show:TITLE, episode:ID, tag:NAME or search:QUERY")
    p.add_argument("--kind", help=f"entities of one kind ({', '.join(KINDS)})")
    p.add_argument("--limit", type=int, help="how many entities (bars, columns, lines)")
    p.add_argument("--min-count", type=int, default=2,
                   help="cooccur: passages a pair needs (default 2)")
    p.add_argument("--entity", action="append", default=[],
                   help="cooccur: one entity against all others; timeline: the entities "
                        "to draw (repeatable)")
    p.add_argument("--by", help="tags: entity (default) or speaker; timeline: month "
                                "(default) or episode")
    p.add_argument("--members", action="store_true",
                   help="count every version apart (Qwen 3, Qwen 2.5) instead of by family")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="machine-readable output (README)")
    out.add_argument("--csv", action="store_true", help="the chart's table as CSV")


def params_for(args: argparse.Namespace) -> dict:
    """The library's insight parameters from the command's arguments."""
    kw: dict = {"families": not args.members}
    if args.limit is not None:
        kw["limit"] = args.limit
    if args.insight in ("entities", "speakers"):
        kw["kind"] = args.kind
    elif args.insight == "cooccur":
        kw["min_count"] = args.min_count
        kw["kinds"] = (args.kind,) if args.kind else None
        if args.entity:
            kw["focus"] = args.entity[0]
    elif args.insight == "tags":
        kw["by"] = args.by or "entity"
    elif args.insight == "timeline":
        kw["by"] = args.by or "month"
        kw["entities"] = tuple(args.entity)
    return kw


@command("insights", "counts behind the Insights view: top entities, co-occurrence, "
         "speakers, tags, timeline", _insights_args)
def cmd_insights(args, lib) -> int:
    if args.kind is not None and args.kind not in KINDS:
        echo(f"error: unknown kind {args.kind!r}; the kinds are: {', '.join(KINDS)}",
             file=sys.stderr)
        return 2
    try:
        scope = Scope.parse(args.scope)
        chart = lib.insight(args.insight, scope, **params_for(args))
    except ValueError as exc:
        echo(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        _print_json({"version": JSON_VERSION, **chart.to_json()})
    elif args.csv:
        sys.stdout.write(chart.to_csv())
    else:
        echo(chart.title)
        for note in chart.notes:
            echo(f"note: {note}")
        for c in chart.cells:
            extra = f"  expected {c.expected:.2f}" if c.expected is not None else ""
            where = f"{len(c.passages)} passages" + (f", {c.episodes} episodes"
                                                     if c.episodes else "")
            unit = "passages with both" if chart.insight == "cooccur" else chart.measure
            echo(f"{c.value:>9.3g}  {chart.name(c.row)} · {c.col}  ({c.count} {unit}, {where}){extra}",
                 one_line=True)
    return 0 if chart.cells else 1
