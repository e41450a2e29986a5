"""The visual system's figures, computed: every text on colour at WCAG AA (4.5:1) for
every kind, tag and theme; entity kinds apart under colour-vision deficiencies; tag
colours kept off entity colours; and the README's "Visual system" showing what the code has.

The palette's own arithmetic is checked against coloraide (a maintained colour
library, test-only: its import is too slow for the app's start-up)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from aiviewer.render import palette as p

coloraide = pytest.importorskip("coloraide")
Color = coloraide.Color

ROOT = Path(__file__).resolve().parents[2]
# the colours a user may have given tags (every default, the old defaults, and some
# picked right on an entity colour)
USER_TAGS = p.TAG_DEFAULTS + ("#cc79a7", "#56b4e9", "#ffffff", "#000000", "#808080") + tuple(
    c for theme in p.THEMES for pair in p.ENTITY_COLOURS[theme].values() for c in pair)


def ratio(a: str, b: str) -> float:
    return Color(a).contrast(b, method="wcag21")


@pytest.mark.parametrize("theme", p.THEMES)
def test_every_entity_text_reads_on_its_tint_and_on_the_page(theme):
    page = p.SURFACES[theme]["page"]
    for kind in p.KINDS:
        fg, bg = p.ENTITY_COLOURS[theme][kind]
        assert ratio(fg, bg) >= p.AA, (theme, kind, ratio(fg, bg))
        assert ratio(fg, page) >= p.AA, (theme, kind)  # suggestions: the colour, no tint


@pytest.mark.parametrize("theme", p.THEMES)
@pytest.mark.parametrize("tag", USER_TAGS)
def test_annotation_fill_keeps_every_text_at_aa(theme, tag):
    """Body text on the fill, and a suggestion's text (an entity colour, no tint) on
    it; entity mentions keep their own tint (the fill goes around them), so the fill
    can be strong enough to see on both themes."""
    s = p.SURFACES[theme]
    colour, t = p.annotation_colour(tag, theme), p.fill_strength(tag, theme)
    assert ratio(s["text"], p.mix(colour, s["page"], t)) >= p.AA
    for kind, (fg, _tint) in p.ENTITY_COLOURS[theme].items():
        assert ratio(fg, p.mix(colour, s["page"], t)) >= p.AA, (kind, tag, t)
    if tag in p.TAG_DEFAULTS:
        assert t >= 0.2, (tag, t)  # was 0.04-0.10 on the dark theme: unseen


@pytest.mark.parametrize("theme", p.THEMES)
@pytest.mark.parametrize("tag", USER_TAGS)
def test_chip_text_and_margin_bar(theme, tag):
    fg, bg = p.chip_colours(tag, theme)
    # was ~2.5:1 on magenta; the dark olive chip's 4.9:1 measured 3.6–3.9:1 on its
    # anti-aliased strokes (blind review): small text on colour is held to 7:1
    assert ratio(fg, bg) >= p.CHIP_TEXT, (tag, fg, bg)
    # the margin bar, and the tag tree's swatch in the same colour
    assert ratio(p.annotation_bar(tag, theme), p.SURFACES[theme]["page"]) >= 3.0


@pytest.mark.parametrize("theme", p.THEMES)
def test_any_colour_a_user_picks_gives_a_readable_chip(theme):
    """Not only the defaults: every hue at every lightness and saturation (a pale
    yellow chip on the dark theme read 4.2:1)."""
    import colorsys
    for h, li, sat in itertools.product(range(0, 360, 15), (0.1, 0.3, 0.5, 0.7, 0.9, 1.0),
                                        (0.0, 0.5, 1.0)):
        colour = p.hex_colour(*(v * 255 for v in colorsys.hls_to_rgb(h / 360, li, sat)))
        fg, bg = p.chip_colours(colour, theme)
        assert p.contrast(fg, bg) >= p.CHIP_TEXT, (colour, fg, bg)


@pytest.mark.parametrize("theme", p.THEMES)
def test_roles_read_on_their_surfaces(theme):
    s = p.SURFACES[theme]
    for role in ("text", "muted", "heading", "link", "error"):
        assert ratio(s[role], s["page"]) >= p.AA, role
        assert ratio(s[role], s["window"]) >= p.AA, role
    assert ratio(s["selection_text"], s["selection"]) >= p.AA
    assert ratio(s["placeholder"], s["page"]) >= 3.0  # a hint, not content
    assert ratio(s["border"], s["window"]) >= 3.0  # popovers' frames (WCAG 1.4.11)
    assert ratio(s["border"], s["page"]) >= 3.0
    assert ratio(s["hit"], s["page"]) >= 3.0  # an outline that must be seen


@pytest.mark.parametrize("theme", p.THEMES)
@pytest.mark.parametrize("vision", [None, "deutan", "protan", "tritan"])
def test_entity_kinds_stay_apart(theme, vision):
    """The smallest ΔE2000 between two kinds' marks (text and tint together) with normal
    vision and with each colour-vision deficiency simulated (coloraide, Brettel)."""
    def seen(c):
        c = Color(c)
        return c if vision is None else c.filter(vision).convert("srgb")

    worst = min(
        (seen(fa).delta_e(seen(fb), method="2000") ** 2
         + seen(ba).delta_e(seen(bb), method="2000") ** 2) ** 0.5
        for (fa, ba), (fb, bb) in itertools.combinations(p.ENTITY_COLOURS[theme].values(), 2))
    assert worst >= (15.0 if vision is None else 6.5), worst


@pytest.mark.parametrize("theme", p.THEMES)
def test_search_hits_are_not_an_entity_colour(theme):
    hit = p.SURFACES[theme]["hit"]
    for fg, bg in p.ENTITY_COLOURS[theme].values():
        assert Color(hit).delta_e(fg, method="2000") >= 15
        assert Color(hit).delta_e(bg, method="2000") >= 15
        # the outline runs along a chip's edges: WCAG 1.4.11, 3:1 against its tint too
        # (the light theme's #d84300 had 2.92:1 on the model tint)
        assert ratio(hit, bg) >= 3.0, (fg, bg)


@pytest.mark.parametrize("tag", USER_TAGS)
def test_tag_colours_are_never_an_entity_colour(tag):
    """Defaults are left alone; a colour picked on an entity's is moved at render time."""
    for theme in p.THEMES:
        rendered = p.annotation_colour(tag, theme)
        assert p._entity_distance(rendered) >= p.MIN_TAG_DISTANCE, (tag, rendered)
    if tag in p.TAG_DEFAULTS:
        assert p.annotation_colour(tag, "light") == tag


def test_own_arithmetic_agrees_with_coloraide():
    for a, b in [("#1f2023", "#ffffff"), ("#cc79a7", "#17181a"), ("#004e90", "#bed4eb")]:
        assert p.contrast(a, b) == pytest.approx(ratio(a, b), rel=1e-3)
        assert p.delta_e(a, b) == pytest.approx(Color(a).delta_e(b, method="76"), rel=1e-2)


def test_unreadable_tag_colours_fall_back():
    assert p.annotation_colour("red; x", "light") == p.TAG_DEFAULTS[0]
    assert p.annotation_colour(None, "dark") == p.TAG_DEFAULTS[0]


def test_the_written_page_shows_the_palette_in_force():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert p.markdown_tables() in readme, "run python -m aiviewer.render.palette and paste"
    design = readme[readme.index("## Design"):].split("\n## ")[0]
    assert "(#visual-system)" in design, "the Design section links it"
