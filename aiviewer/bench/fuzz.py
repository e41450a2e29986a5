"""`aiviewer bench fuzz`: mutated transcripts through `Library.import_paths` and mutated
annotation files through `Library.import_annotations`, counting tracebacks and hangs.

A worker process imports one file per request; this process gives each file a time
limit and, past it, counts a hang and starts a new worker.  Inputs are windows of
the seeds (and `../shared` documents when present) with spans deleted, duplicated,
flipped or spliced with hostile pieces (lone surrogate escapes, malformed URLs,
NULs, huge numbers), under names that are sometimes not UTF-8 or hold a newline.
Annotation files are W3C exports and QDPX projects of a small library, mutated the
same way (QDPX: its project.qde).  The only outcomes allowed are an import or the
file's own error.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from aiviewer.paths import seeds_dir

HOSTILE = [b'\\ud800', b'\\udfff', b'"\\ud83d"', b"https://[oops/ep", b"http://[::1", b"\x00",
           b"\xff\xfe", b"\xed\xa0\x80", b"1e400", b"100000000000000000000", b"-1",
           b"NaN", b"{", b"[", b"}", b"]", b"-->", b"00:00:00,000 --> 99:99:99,999\n",
           b"WEBVTT\n", b"Kind: captions\n", b"---\nurl: https://[x\n---\n", b"\x1b[31m",
           b"Speaker 1: ", b">> ", b"<script>", b"&#xd800;", b"\r", b"\n" * 50]
WINDOW = 16_000
_WORKER = r"""
import json, sys, traceback
from aiviewer.errors import AiviewerError
from aiviewer.library import Library
lib = Library(sys.argv[1])
print("ready", flush=True)
for line in sys.stdin:
    req = json.loads(line)
    try:
        if req["kind"] == "file":
            path = req["path"].encode("utf-8", "surrogateescape") if req.get("bytes") else req["path"]
            report = lib.import_paths([path]).value
            out = {"ok": True, "failed": len(report.failed)}
        else:
            try:
                lib.import_annotations(req["path"])
                out = {"ok": True, "failed": 0}
            except AiviewerError:
                out = {"ok": True, "failed": 1}
    except BaseException:
        out = {"ok": False, "traceback": traceback.format_exc()[-2000:]}
    print(json.dumps(out), flush=True)
"""


def _sources() -> list[bytes]:
    files = sorted(seeds_dir().glob("*.txt"))
    shared = Path(__file__).resolve().parents[2].parent / "shared"
    for sub in ("corpus", "seeds"):
        if (shared / sub).is_dir():
            files += sorted(p for p in (shared / sub).rglob("*") if p.is_file()
                            and p.stat().st_size < 5_000_000)
    return [p.read_bytes() for p in files]


def mutate(data: bytes, rnd: random.Random, window: int = WINDOW) -> bytes:
    if len(data) > window:
        at = rnd.randrange(len(data) - window)
        data = data[:200] + data[at:at + window] if rnd.random() < 0.5 else data[at:at + window]
    buf = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        op = rnd.randrange(5)
        i = rnd.randrange(len(buf) + 1)
        j = min(len(buf), i + rnd.randint(0, 400))
        if op == 0:
            del buf[i:j]
        elif op == 1:
            buf[i:i] = buf[i:j]
        elif op == 2:
            buf[i:j] = bytes(x ^ rnd.randrange(256) for x in buf[i:j])
        else:
            buf[i:i] = rnd.choice(HOSTILE)
    return bytes(buf)


def _name(rnd: random.Random, n: int, suffix: str) -> bytes:
    kind = rnd.random()
    base = f"f{n}".encode()
    if kind < 0.05:
        base += b"\xff\xfe"
    elif kind < 0.08:
        base += b"\nnext"
    elif kind < 0.10:
        base += b"\x1b[31m"
    return base + suffix.encode()


class _Worker:
    def __init__(self, lib_dir: str):
        self.proc = subprocess.Popen([sys.executable, "-c", _WORKER, lib_dir],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "ready"

    def ask(self, req: dict, timeout: float) -> dict | None:
        """The answer, or None when the worker did not answer in time (a hang)."""
        import selectors

        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout):
            return None
        line = self.proc.stdout.readline()
        if not line:
            return {"ok": False, "traceback": "the worker died"}
        return json.loads(line)

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()


def _annotation_sources(tmp: Path) -> list[tuple[str, bytes]]:
    """A W3C export and a QDPX project of a small library with a few annotations."""
    from aiviewer.library import Library

    with Library(tmp / "src-lib") as lib:
        lib.import_paths([sorted(seeds_dir().glob("*.txt"))[0]])
        for ep in lib.episodes()[:3]:
            for k, seg in enumerate(lib.episode(ep.id).segments[:12]):
                quote = seg.text[:60]
                if len(quote) < 10:
                    continue
                a = lib.annotate_quote(ep.id, quote, note_md=f"note {k}").value
                lib.tag([a.id], f"topic/t{k % 3}")
        w3c = lib.export_annotations("w3c").encode()
        lib.export_annotations("qdpx", tmp / "src.qdpx")
    return [("w3c", w3c), ("qdpx", (tmp / "src.qdpx").read_bytes())]


def _mutated_annotation_file(kind: str, data: bytes, rnd: random.Random) -> bytes:
    if kind == "w3c":
        return mutate(data, rnd, window=10**9)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        entries = {i.filename: z.read(i) for i in z.infolist()}
    entries["project.qde"] = mutate(entries["project.qde"], rnd, window=10**9)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in entries.items():
            z.writestr(name, body)
    return out.getvalue()


def run(files: int, annotations: int, seed: int = 12, timeout: float = 20.0,
        budget_s: float | None = None, reset_every: int = 400, log=print) -> dict:
    rnd = random.Random(seed)
    sources = _sources()
    tmp = Path(tempfile.mkdtemp(prefix="aiviewer-fuzz-"))
    stats = {"files": 0, "files_failed": 0, "annotation_files": 0, "annotation_failed": 0,
             "tracebacks": 0, "hangs": 0, "examples": []}
    started = time.monotonic()
    worker = None
    try:
        ann_sources = _annotation_sources(tmp) if annotations else []
        jobs = [("file", i) for i in range(files)] + [("ann", i) for i in range(annotations)]
        for n, (kind, i) in enumerate(jobs):
            if budget_s is not None and time.monotonic() - started > budget_s:
                break
            if worker is None or n % reset_every == 0:
                if worker:
                    worker.close()
                shutil.rmtree(tmp / "lib", ignore_errors=True)
                if kind == "ann":  # the episodes the annotations belong to
                    shutil.copytree(tmp / "src-lib", tmp / "lib")
                worker = _Worker(str(tmp / "lib"))
            folder = tmp / "in"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            if kind == "file":
                data = mutate(rnd.choice(sources), rnd)
                name = _name(rnd, i, rnd.choice([".txt", ".md", ".json", ".vtt", ".srt", ""]))
                path = os.fsencode(folder) + b"/" + name
                req = {"kind": "file", "path": os.fsdecode(path), "bytes": True}
            else:
                akind, adata = ann_sources[i % len(ann_sources)]
                data = _mutated_annotation_file(akind, adata, rnd)
                path = os.fsencode(folder) + b"/" + _name(rnd, i, ".json" if akind == "w3c"
                                                              else ".qdpx")
                req = {"kind": "ann", "path": os.fsdecode(path)}
            with open(path, "wb") as fh:
                fh.write(data)
            answer = worker.ask(req, timeout)
            key = "files" if kind == "file" else "annotation_files"
            stats[key] += 1
            if answer is None or not answer["ok"]:
                # keep the input, count it, and start a fresh worker for the next one
                hang = answer is None
                stats["hangs" if hang else "tracebacks"] += 1
                keep = tmp / f"{'hang' if hang else 'crash'}-{n}"
                keep.write_bytes(data)
                stats["examples"].append(f"hang: {keep}" if hang
                                         else f"{keep}: {answer['traceback'][-400:]}")
                worker.close()
                worker = None
                continue
            stats["files_failed" if kind == "file" else "annotation_failed"] += answer["failed"]
            if n and n % 1000 == 0:
                log(f"  {n} done, {stats['tracebacks']} tracebacks, {stats['hangs']} hangs, "
                    f"{time.monotonic() - started:.0f} s", flush=True)
    finally:
        if worker:
            worker.close()
        if not stats["examples"]:
            shutil.rmtree(tmp, ignore_errors=True)
    stats["seconds"] = round(time.monotonic() - started, 1)
    return stats


def main(files: int = 2000, annotations: int = 200, seed: int = 12, timeout: float = 20.0,
         budget_s: float | None = None, **_) -> dict:
    print(f"fuzz: {files} mutated files through Library.import_paths, {annotations} mutated "
          f"annotation files through import-annotations (seed {seed}, {timeout:g} s per file)",
          flush=True)
    stats = run(files, annotations, seed, timeout, budget_s)
    print(f"  files: {stats['files']} ({stats['files_failed']} refused with their error)")
    print(f"  annotation files: {stats['annotation_files']} "
          f"({stats['annotation_failed']} refused with their error)")
    print(f"  tracebacks: {stats['tracebacks']}, hangs: {stats['hangs']}, "
          f"time: {stats['seconds']} s")
    for example in stats["examples"][:10]:
        print("  " + example)
    return stats
