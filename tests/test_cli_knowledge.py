"""search, entities, annotate, annotations, tags and export from the command line."""

from __future__ import annotations

import json

import pytest

from aiviewer.cli import main


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, seeds_dir):
    d = tmp_path_factory.mktemp("cli")
    assert main(["--data-dir", str(d), "import", str(seeds_dir)]) == 0
    return d


def _json(capsys, argv):
    capsys.readouterr()
    code = main(argv)
    return code, json.loads(capsys.readouterr().out)


def _lex(capsys, d):
    _, listed = _json(capsys, ["--data-dir", str(d), "list", "--json"])
    return next(e["id"] for e in listed["episodes"] if e["video_id"] == "EV7WhVT270Q")


def test_search_json(capsys, data_dir):
    code, out = _json(capsys, ["--data-dir", str(data_dir), "search", 'speaker:"Ross Taylor"',
                               "GRPO", "--json"])
    assert code == 0 and out["total"] >= 1
    assert all(h["speaker"] == "Ross Taylor" for h in out["hits"])
    assert any("GRPO" in h["snippet"] for h in out["hits"])


def test_entities_of_the_lex_episode(capsys, data_dir):
    lex = _lex(capsys, data_dir)
    code, out = _json(capsys, ["--data-dir", str(data_dir), "entities", "--episode", lex,
                               "--json"])
    names = {e["canonical"] for e in out["entities"]}
    for expected in ("Claude Code", "Qwen", "Olmo", "Kimi K2", "DeepSeek R1", "GRPO", "RLVR",
                     "Sebastian Raschka"):
        assert any(n.lower().startswith(expected.lower()) for n in names), expected


def test_entities_show_and_user_entity(capsys, data_dir):
    code, out = _json(capsys, ["--data-dir", str(data_dir), "entities", "show", "GRPO",
                               "--json"])
    assert code == 0 and len(out["mentions"]) >= 3
    assert main(["--data-dir", str(data_dir), "entities", "add", "Galactica model",
                 "--kind", "model", "--alias", "Galactica"]) == 0
    code, out = _json(capsys, ["--data-dir", str(data_dir), "entities", "show",
                               "Galactica model", "--json"])
    assert code == 0 and out["mentions"], "the new entity is found in existing episodes"
    assert main(["--data-dir", str(data_dir), "entities", "remove", "Galactica model"]) == 0


def test_entities_show_says_when_the_limit_cut_the_list(capsys, data_dir):
    d = str(data_dir)
    _, everything = _json(capsys, ["--data-dir", d, "entities", "show", "GRPO", "--json"])
    total = len(everything["mentions"])
    assert total > 2
    _, limited = _json(capsys, ["--data-dir", d, "entities", "show", "GRPO", "--limit", "2",
                                "--json"])
    assert set(limited) == {"version", "entity", "mentions"} and len(limited["mentions"]) == 2
    assert main(["--data-dir", d, "entities", "show", "GRPO", "--limit", "2"]) == 0
    assert f"first 2 of {total} mentions" in capsys.readouterr().out
    assert main(["--data-dir", d, "entities", "show", "GRPO"]) == 0
    out = capsys.readouterr().out
    assert f"\n{total} mentions\n" in out and "first" not in out.split("\n")[1]


def test_entities_show_divides_a_family_between_the_entity_and_its_members(capsys, data_dir):
    d = str(data_dir)
    _, out = _json(capsys, ["--data-dir", d, "entities", "show", "DeepSeek", "--json",
                            "--limit", "100000"])
    total = len(out["mentions"])
    assert main(["--data-dir", d, "entities", "show", "DeepSeek", "--limit", "1"]) == 0
    lines = capsys.readouterr().out.split("\n")
    assert lines[1] == f"first 1 of {total} mentions"
    own, _, rest = lines[2].partition(" of DeepSeek itself, ")
    assert rest.endswith(" of its models and papers") or rest.endswith(" of its models")
    assert int(own.replace(",", "")) + int(rest.split(" ")[0].replace(",", "")) == total


def test_entities_with_an_unknown_kind_names_the_kinds(capsys, data_dir):
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "entities", "--kind", "models"]) == 1
    out = capsys.readouterr()
    assert not out.out
    assert "unknown kind 'models'" in out.err and "model, organization, person" in out.err
    code, listed = _json(capsys, ["--data-dir", str(data_dir), "entities", "--kind", "model",
                                  "--json"])
    assert code == 0 and listed["entities"]
    assert {e["kind"] for e in listed["entities"]} == {"model"}


def test_annotate_list_tags_and_export(capsys, data_dir, tmp_path):
    lex = _lex(capsys, data_dir)
    code, out = _json(capsys, ["--data-dir", str(data_dir), "annotate", lex, "--quote",
                               "Sebastian", "--tag", "people/guests", "--note", "**host** intro",
                               "--json"])
    assert code == 0 and out["annotation"]["tags"] == ["people/guests"]
    code, out = _json(capsys, ["--data-dir", str(data_dir), "tags", "--json"])
    assert [t["name"] for t in out["tags"]] == ["people/guests"]
    code, out = _json(capsys, ["--data-dir", str(data_dir), "annotations", "--tag", "people",
                               "--json"])
    assert len(out["annotations"]) == 1
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "export", "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert "Sebastian" in md and "people/guests" in md
