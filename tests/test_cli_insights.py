"""`aiviewer insights` against a three-episode library counted by hand.

tests/insights/fixtures (families on: DeepSeek R1 and V3 count as DeepSeek, Qwen 3 as Qwen):

  one (2025-03-10, Test Show)   p1 Alice: DeepSeek R1, GRPO
                                p2 Bob:   Qwen 3, GRPO, OpenAI
                                p3 Alice: OpenAI, o3
                                p4 Bob:   —
  two (2025-05-02, Test Show)   p1 Alice: GRPO, DeepSeek V3      p2–p4: —
  three (no date, Other Show)   p1 Bob:   Qwen 3, OpenAI, Qwen 3  p2–p4: —

12 passages.  Tags: method/RL on "Qwen 3 also used GRPO" (one) and "GRPO again" (two);
lab on "OpenAI makes o3" (one).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiviewer.cli import main

FIXTURES = Path(__file__).parent / "insights" / "fixtures"


@pytest.fixture(scope="module")
def lib_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("insights")
    assert main(["--data-dir", str(d), "import", str(FIXTURES)]) == 0
    ids = _ids(d)
    for title, quote, tag in (("Insight One", "Qwen 3 also used GRPO", "method/RL"),
                              ("Insight Two", "GRPO again", "method/RL"),
                              ("Insight One", "OpenAI makes o3", "lab")):
        assert main(["--data-dir", str(d), "annotate", ids[title], "--quote", quote,
                     "--tag", tag]) == 0
    return d


def _ids(d) -> dict[str, str]:
    from aiviewer.library import Library

    with Library(d) as lib:
        return {e.title: e.id for e in lib.episodes()}


def _run(capsys, d, *args):
    capsys.readouterr()
    code = main(["--data-dir", str(d), "insights", *args, "--json"])
    out = json.loads(capsys.readouterr().out)
    return code, out


def _cells(out) -> dict[tuple[str, str], dict]:
    return {(c["row"], c["col"]): c for c in out["cells"]}


def _segment_ids(d) -> dict[tuple[str, int], int]:
    """(episode title, passage number from 1) → segment id."""
    from aiviewer.library import Library

    with Library(d) as lib:
        return {(e.title, i + 1): s.id for e in lib.episodes()
                for i, s in enumerate(lib.episode(e.id).segments)}


def test_top_entities(capsys, lib_dir):
    code, out = _run(capsys, lib_dir, "entities")
    assert code == 0 and out["version"] == 1 and out["measure"] == "mentions"
    got = {c["row"]: (c["count"], c["episodes"], len(c["passages"])) for c in out["cells"]}
    assert got == {"GRPO": (3, 2, 3), "OpenAI": (3, 2, 3), "Qwen": (3, 2, 2),
                   "DeepSeek": (2, 2, 2), "o3": (1, 1, 1)}
    assert out["rows"][:3] == ["GRPO", "OpenAI", "Qwen"]  # ties by name
    _, models = _run(capsys, lib_dir, "entities", "--kind", "model")
    assert [(c["row"], c["count"]) for c in models["cells"]] == [
        ("Qwen", 3), ("DeepSeek", 2), ("o3", 1)]
    # the row DeepSeek counts the lab's models here (the lab is an organization): shown so
    assert models["names"] == {"DeepSeek": "DeepSeek models"} and out["names"] == {}
    assert main(["--data-dir", str(lib_dir), "insights", "entities", "--kind", "model"]) == 0
    text = capsys.readouterr().out
    assert "  DeepSeek models · model  (2 mentions" in text
    assert main(["--data-dir", str(lib_dir), "insights", "entities", "--kind", "model",
                 "--csv"]) == 0
    assert "\nDeepSeek models,model,2," in capsys.readouterr().out
    _, members = _run(capsys, lib_dir, "entities", "--kind", "model", "--members")
    assert {c["row"]: c["count"] for c in members["cells"]} == {
        "Qwen 3": 3, "DeepSeek R1": 1, "DeepSeek V3": 1, "o3": 1}


def test_cooccurrence_pmi_and_passages(capsys, lib_dir):
    seg = _segment_ids(lib_dir)
    code, out = _run(capsys, lib_dir, "cooccur")
    cells = out["cells"]
    assert len(cells) == 2  # the other pairs meet in one passage only (min count 2)
    by = {frozenset((c["row"], c["col"])): c for c in cells}
    grpo = by[frozenset(("GRPO", "DeepSeek"))]
    # 2 passages with both; expected 2 · 3 / 12 = 0.5; PMI = log2(2 / 0.5) = 2
    assert grpo["count"] == 2 and grpo["expected"] == 0.5 and grpo["value"] == 2.0
    assert grpo["passages"] == sorted([seg[("Insight One", 1)], seg[("Insight Two", 1)]])
    qwen = by[frozenset(("Qwen", "OpenAI"))]
    assert qwen["passages"] == sorted([seg[("Insight One", 2)], seg[("Insight Three", 1)]])
    _, loose = _run(capsys, lib_dir, "cooccur", "--min-count", "1")
    assert len(loose["cells"]) == 5
    _, focus = _run(capsys, lib_dir, "cooccur", "--entity", "grpo", "--min-count", "1")
    assert focus["rows"] == ["GRPO"]
    assert {c["col"]: c["count"] for c in focus["cells"]} == {"DeepSeek": 2, "Qwen": 1,
                                                             "OpenAI": 1}


def test_speaker_matrix(capsys, lib_dir):
    _, out = _run(capsys, lib_dir, "speakers")
    got = {k: v["count"] for k, v in _cells(out).items()}
    assert got == {("Alice Smith", "DeepSeek"): 2, ("Alice Smith", "GRPO"): 2,
                   ("Alice Smith", "OpenAI"): 1, ("Alice Smith", "o3"): 1,
                   ("Bob Jones", "Qwen"): 3, ("Bob Jones", "GRPO"): 1,
                   ("Bob Jones", "OpenAI"): 2}
    assert out["rows"] == ["Alice Smith", "Bob Jones"]


def test_tag_matrices(capsys, lib_dir):
    _, out = _run(capsys, lib_dir, "tags")
    assert {k: v["count"] for k, v in _cells(out).items()} == {
        ("method/RL", "GRPO"): 2, ("method/RL", "Qwen"): 1,  # OpenAI is outside the quote
        ("lab", "OpenAI"): 1, ("lab", "o3"): 1}
    _, out = _run(capsys, lib_dir, "tags", "--by", "speaker")
    assert {k: v["count"] for k, v in _cells(out).items()} == {
        ("method/RL", "Alice Smith"): 1, ("method/RL", "Bob Jones"): 1,
        ("lab", "Alice Smith"): 1}


def test_timeline_by_month_leaves_undated_out(capsys, lib_dir):
    _, out = _run(capsys, lib_dir, "timeline")
    assert out["cols"] == ["2025-03", "2025-04", "2025-05"]  # a quiet month is shown
    assert out["rows"] == ["GRPO", "DeepSeek", "OpenAI", "o3", "Qwen"]
    assert {k: v["count"] for k, v in _cells(out).items()} == {
        ("GRPO", "2025-03"): 2, ("GRPO", "2025-05"): 1, ("DeepSeek", "2025-03"): 1,
        ("DeepSeek", "2025-05"): 1, ("OpenAI", "2025-03"): 2, ("o3", "2025-03"): 1,
        ("Qwen", "2025-03"): 1}
    assert out["params"]["undated_mentions"] == 3 and out["params"]["undated_episodes"] == 1
    assert "without a date are left out" in out["notes"][0]
    _, chosen = _run(capsys, lib_dir, "timeline", "--entity", "Qwen")
    assert chosen["rows"] == ["Qwen"] and chosen["params"]["undated_mentions"] == 2


def test_timeline_along_an_episode(capsys, lib_dir):
    one = _ids(lib_dir)["Insight One"]
    _, out = _run(capsys, lib_dir, "timeline", "--by", "episode", "--scope", f"episode:{one}")
    # 2:30 is the last mention: 20 bins round up to one minute each
    assert out["cols"] == ["00:00", "01:00", "02:00"]
    assert {k: v["count"] for k, v in _cells(out).items() if k[0] == "OpenAI"} == {
        ("OpenAI", "01:00"): 1, ("OpenAI", "02:00"): 1}


def test_scopes(capsys, lib_dir):
    _, show = _run(capsys, lib_dir, "entities", "--scope", "show:Test Show")
    assert {c["row"]: c["count"] for c in show["cells"]} == {
        "GRPO": 3, "DeepSeek": 2, "OpenAI": 2, "Qwen": 1, "o3": 1}
    _, tag = _run(capsys, lib_dir, "entities", "--scope", "tag:method")  # and below
    assert {c["row"]: c["count"] for c in tag["cells"]} == {
        "GRPO": 2, "DeepSeek": 1, "OpenAI": 1, "Qwen": 1}
    _, found = _run(capsys, lib_dir, "entities", "--scope", "search:Qwen")
    assert {c["row"]: c["count"] for c in found["cells"]} == {
        "Qwen": 3, "OpenAI": 2, "GRPO": 1}


def test_csv_and_bad_input(capsys, lib_dir):
    capsys.readouterr()
    assert main(["--data-dir", str(lib_dir), "insights", "entities", "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "row,column,value,count,episodes,expected,passages"
    assert len(lines) == 6
    for args in (["--scope", "nowhere"], ["--kind", "planet"], ["--scope", "show:Nope"]):
        code = main(["--data-dir", str(lib_dir), "insights", "entities", *args])
        err = capsys.readouterr().err
        assert code in (1, 2) and "error" in err and "Traceback" not in err, args


def test_cache_is_kept_until_the_library_changes(lib_dir):
    from aiviewer.library import Library

    with Library(lib_dir) as lib:
        first = lib.insight("entities")
        assert lib.insight("entities") is first  # cached
        lib.rename_speaker(_ids(lib_dir)["Insight One"], "Bob Jones", "Robert Jones")
        again = lib.insight("speakers")
        assert "Robert Jones" in again.rows and lib.insight("entities") is not first
        lib.undo()  # the other tests count Bob Jones
