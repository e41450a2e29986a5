"""`aiviewer publish`: the library as a team's read-only window through Datasette.
The metadata's canned queries are checked against SQLite here; a real Datasette is
started on 127.0.0.1 over the seeds library and asked over HTTP (skipped when the
`datasette` extra is not installed)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from aiviewer.library import Library
from aiviewer.store import publish


@pytest.fixture(scope="module")
def seeded(seeded_copy):
    data = seeded_copy("published")
    lib = Library(data)
    ep = next(e for e in lib.episodes()
              if "GRPO" in lib.episode(e.id).text)
    text = lib.episode(ep.id).text
    at = text.index("GRPO")
    lib.annotate(ep.id, at, at + 4, note_md="the method", tags=["method/RL/GRPO", "to read"])
    path, argv = lib.publish()
    lib.close()
    return data, path, argv


def test_publish_writes_metadata_and_the_command(seeded):
    data, path, argv = seeded
    meta = json.loads(path.read_text())
    assert set(meta["databases"]["library"]["queries"]) == {
        "annotations", "passages_by_entity", "search"}
    assert argv[:2] == ["datasette", "serve"] and str(path) in argv
    assert str(data / "library.sqlite") in argv


def test_canned_queries_run_on_sqlite(seeded):
    import sqlite3

    data, _path, _argv = seeded
    db = sqlite3.connect(data / "library.sqlite")
    db.row_factory = sqlite3.Row
    q = publish.QUERIES
    rows = db.execute(q["annotations"]["sql"], {"tag": "method/RL"}).fetchall()
    assert [r["tags"] for r in rows] == ["method/RL/GRPO, to read"]
    assert rows[0]["quote"] == "GRPO" and rows[0]["note"] == "the method"
    assert len(db.execute(q["annotations"]["sql"], {"tag": ""}).fetchall()) == 1
    assert not db.execute(q["annotations"]["sql"], {"tag": "method/R"}).fetchall()
    hits = db.execute(q["search"]["sql"], {"q": "GRPO"}).fetchall()
    assert hits and all("grpo" in r["text"].lower() for r in hits)
    by_entity = db.execute(q["passages_by_entity"]["sql"], {"entity": "deepseek"}).fetchall()
    assert by_entity and all(r["episode"] for r in by_entity)
    db.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(base: str, path: str, **params) -> list[dict]:
    url = f"{base}{path}?{urllib.parse.urlencode({**params, '_shape': 'array'})}"
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


@pytest.mark.slow
def test_a_running_datasette_answers_search_and_annotations(seeded):
    pytest.importorskip("datasette", reason="the datasette extra is not installed")
    data, path, argv = seeded
    port = _free_port()
    cmd = [sys.executable, "-m", "datasette", *argv[1:-4], "--host", "127.0.0.1",
           "--port", str(port)]
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(base, "/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError, ValueError):
                if server.poll() is not None or time.monotonic() > deadline:
                    out = server.stdout.read().decode(errors="replace") if server.stdout else ""
                    pytest.fail(f"datasette did not start: {out[-2000:]}")
                time.sleep(0.3)
        # the table's own search box: Datasette found fts_segments by its declaration
        rows = _get(base, "/library/segments.json", _search="GRPO")
        assert rows and all("grpo" in r["text"].lower() for r in rows)
        hits = _get(base, "/library/search.json", q="GRPO")
        assert hits and {"episode", "speaker", "text"} <= set(hits[0])
        anns = _get(base, "/library/annotations.json", tag="")
        assert [(a["quote"], a["tags"]) for a in anns] == [("GRPO", "method/RL/GRPO, to read")]
        passages = _get(base, "/library/passages_by_entity.json", entity="DeepSeek")
        assert passages
        # read-only: Datasette refuses writes to the library
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(urllib.request.Request(
                f"{base}/library/annotations.json", data=b"tag=", method="POST"), timeout=30)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
