"""Front matter values as YAML means them: double-quoted strings lose their escapes."""

from __future__ import annotations

import pytest

from aiviewer.ingest.frontmatter import split, yaml_scalar


@pytest.mark.parametrize(("raw", "value"), [
    ('"A \\"quoted\\" title"', 'A "quoted" title'),
    ('"caf\\u00e9 \\\\ back"', "café \\ back"),
    ('"bad \\U00110000 \\ud800"', "bad \ufffd \ufffd"),
    ("'It''s'", "It's"),
    ('plain "inner" text', 'plain "inner" text'),
    ('"unknown \\q escape"', "unknown \\q escape"),
])
def test_yaml_scalars(raw, value):
    assert yaml_scalar(raw) == value


def test_title_in_front_matter():
    meta, body = split('---\ntitle: "Scaling \\"RL\\" \\u2014 part 2"\n---\nText')
    assert meta["title"] == 'Scaling "RL" — part 2' and body == "Text"
