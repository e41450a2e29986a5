"""The one palette: every colour the reader and the window draw with, per theme, and
the arithmetic that keeps text on colour legible (README.md, "Visual system", explains
the roles; `python -m aiviewer.render.palette` prints its tables with their figures).

Three kinds of mark share the transcript and each has its own *form*, so that no two
can be mistaken for one another even where their hues come close:

- an **entity** mention is text in its kind's colour on a pale tint of it;
- a **search hit** is an outline (no fill), so it reads over an entity's tint instead of
  splitting "reward models" into two tones;
- an **annotation** is a bar in the page margin plus a quiet fill in its tag's colour.

Tag colours are user data: the defaults sit away from the entity colours, and a colour a
user picks too close to one is moved at render time (`annotation_colour`), never in the
store.  This module is Qt-free so the core renderer and the tests can read it; the
arithmetic is hand-written (WCAG 2.1 contrast, CIELAB ΔE*76) because a colour library's
import costs 200–350 ms at start-up on this machine — the tests check these figures
against coloraide (ΔE2000 and colour-vision-deficiency simulation).
"""

from __future__ import annotations

THEMES = ("light", "dark")

KINDS = ("model", "organization", "person", "product", "technique", "benchmark", "dataset",
         "hardware", "paper")

# The surfaces and roles of each theme.  `text` is body text on `page`; `muted` is
# secondary text (times, show notes); `border` frames popovers and popups (≥ 3:1
# against `window` and `page`: WCAG 1.4.11 for what shows where a control ends);
# `hit` outlines search hits (≥ 3:1 against `page` and against every entity tint, whose
# edges the outline runs along: #d84300 had 2.92:1 on the model tint; ΔE2000 ≥ 15 from
# every entity colour);
# the rest are Qt's roles (ui/theme.py maps them).
SURFACES = {
    "light": {
        "page": "#ffffff", "window": "#f3f3f2", "text": "#1f2023", "muted": "#63676d",
        "heading": "#3c4043", "border": "#85898f", "shadow": "#000000", "hit": "#c83d00",
        "accent": "#2f65ad", "error": "#b3261e", "link": "#004e90",
        "alternate": "#f6f6f5", "button": "#ebebea", "selection": "#2f65ad",
        "selection_text": "#ffffff", "card": "#ffffff", "placeholder": "#6f7277",
        "mid": "#c4c6c9",
    },
    "dark": {
        "page": "#17181a", "window": "#202124", "text": "#e8eaed", "muted": "#9aa0a6",
        "heading": "#c9d1d9", "border": "#80868b", "shadow": "#000000", "hit": "#ff5722",
        "accent": "#8ab4f8", "error": "#f28b82", "link": "#95d0ff",
        "alternate": "#232427", "button": "#2a2b2e", "selection": "#3d6fb4",
        "selection_text": "#ffffff", "card": "#2a2b2e", "placeholder": "#8a8d91",
        "mid": "#3a3b3e",
    },
}

# (text colour, background tint) per kind and theme.  Eight hues 40–50° apart on the
# OKLCh circle (blue model, orange organisation, green person, magenta product, olive
# technique, rose benchmark, teal dataset, violet paper; hardware grey), each kind at
# its own lightness of text and tint: a search over those lightnesses kept the kinds
# furthest apart (smallest ΔE2000 between two kinds) under simulated deuteranopia,
# protanopia and tritanopia — 8.2 / 6.8 / 7.1 in light, 8.0 / 7.1 / 6.7 in dark (8.9 for
# tritanopia until paper's dark tint was lifted from #29204d, 1.19:1 against the page, to
# 1.41:1: a review found paper chips faint there), where the earlier palette had 2.7 (model
# vs dataset, deuteranopia).  Checked by
# tests/render/test_palette.py.
ENTITY_COLOURS = {
    "light": {
        "model": ("#004e90", "#bed4eb"), "organization": ("#632b00", "#ffd2a9"),
        "person": ("#004e0f", "#d0f7d6"), "product": ("#722c6e", "#fdcbf8"),
        "technique": ("#6e5e00", "#f7edaf"), "benchmark": ("#99383e", "#ffe1e0"),
        "dataset": ("#00494e", "#aafcff"), "hardware": ("#50565c", "#dfe5ec"),
        "paper": ("#3f2b7b", "#eae6ff"),
    },
    "dark": {
        "model": ("#95d0ff", "#0e375c"), "organization": ("#ffb980", "#453020"),
        "person": ("#a9f3b7", "#334937"), "product": ("#df9ed9", "#5a3156"),
        "technique": ("#c8b962", "#3d360b"), "benchmark": ("#ffcbca", "#662f30"),
        "dataset": ("#7af4fb", "#0b2f31"), "hardware": ("#c9d0d7", "#3d444b"),
        "paper": ("#ddd6ff", "#352968"),
    },
}

# New tags take these in turn (store/tags.py): strong enough for a margin bar, and each
# at least MIN_TAG_DISTANCE from every entity colour in both themes.
TAG_DEFAULTS = ("#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7",
                "#999999", "#8fbc8f", "#b07aa1")

# How much of the tag's colour the annotation's fill takes over the page (the rest is
# page): quiet enough that every text colour on it keeps 4.5:1.
ANNOTATION_FILL = {"light": 0.22, "dark": 0.26}
ANNOTATION_BAR_WIDTH = 4  # px, in the page margin left of the column
MIN_TAG_DISTANCE = 12.0  # ΔE*76 between a rendered tag colour and any entity colour
AA = 4.5  # WCAG 2.1 AA for body text
CHIP_TEXT = 7.0  # WCAG AAA: a chip's small text on colour (chip_colours)


# -- arithmetic ------------------------------------------------------------------------

def rgb(colour: str) -> tuple[int, int, int]:
    """'#rgb' or '#rrggbb' → (r, g, b); ValueError for anything else."""
    h = colour.strip().lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    if len(h) != 6:
        raise ValueError(f"not a colour: {colour!r}")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def hex_colour(r: float, g: float, b: float) -> str:
    return "#" + "".join(f"{max(0, min(255, round(v))):02x}" for v in (r, g, b))


def _linear(v: float) -> float:
    v /= 255
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance."""
    r, g, b = (_linear(v) for v in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio, 1–21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a: str, b: str, t: float) -> str:
    """`t` of colour a over colour b (alpha blending in sRGB, as Qt paints it)."""
    return hex_colour(*(t * x + (1 - t) * y for x, y in zip(rgb(a), rgb(b))))


def lab(colour: str) -> tuple[float, float, float]:
    """CIELAB (D65)."""
    r, g, b = (_linear(v) for v in rgb(colour))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str) -> float:
    """ΔE*76: Euclidean distance in CIELAB; about 2.3 is just noticeable."""
    return sum((p - q) ** 2 for p, q in zip(lab(a), lab(b))) ** 0.5


def _hls(colour: str) -> tuple[float, float, float]:
    import colorsys
    return colorsys.rgb_to_hls(*(v / 255 for v in rgb(colour)))


def _from_hls(h: float, li: float, s: float) -> str:
    import colorsys
    return hex_colour(*(v * 255 for v in colorsys.hls_to_rgb(h % 1.0, li, s)))


# -- roles -------------------------------------------------------------------------------

def surfaces(theme: str) -> dict[str, str]:
    return SURFACES["dark" if theme == "dark" else "light"]


def entity_colours(theme: str) -> dict[str, tuple[str, str]]:
    return ENTITY_COLOURS["dark" if theme == "dark" else "light"]


def _entity_distance(colour: str) -> float:
    return min(delta_e(colour, c) for theme in THEMES
               for pair in ENTITY_COLOURS[theme].values() for c in pair)


def annotation_colour(colour: str | None, theme: str) -> str:
    """The colour an annotation is drawn in for a tag colour the user chose: the same
    colour unless it comes within MIN_TAG_DISTANCE of an entity colour, then the
    nearest hue (in 15° steps, either way round) that does not; an unreadable colour
    becomes the first default."""
    try:
        base = hex_colour(*rgb(colour or ""))
    except ValueError:
        base = TAG_DEFAULTS[0]
    if _entity_distance(base) >= MIN_TAG_DISTANCE:
        return base
    h, li, s = _hls(base)
    s = max(s, 0.55)  # a grey near an entity's grey gets a hue to move with
    li = min(max(li, 0.35), 0.65)
    best, best_d = base, _entity_distance(base)
    for step in range(1, 13):
        for sign in (1, -1):
            cand = _from_hls(h + sign * step / 24, li, s)
            d = _entity_distance(cand)
            if d >= MIN_TAG_DISTANCE:
                return cand
            if d > best_d:
                best, best_d = cand, d
    return best


def fill_strength(colour: str | None, theme: str) -> float:
    """How much of the tag's colour the annotation's fill takes (0–1): ANNOTATION_FILL,
    less where that would bring body text, or a suggestion's text (an entity colour on
    the page), under 4.5:1.  The fill is a band beneath the text, and entity mentions'
    tints are drawn over it (views/marked_text.py): laid over the tints, it had to drop
    to 4–10 % on the dark theme, too faint to see."""
    t = ANNOTATION_FILL["dark" if theme == "dark" else "light"]
    c = annotation_colour(colour, theme)
    s = surfaces(theme)
    pairs = [(s["text"], s["page"])] + [(fg, s["page"])
                                        for fg, _tint in entity_colours(theme).values()]
    t = round(t, 2)
    while t > 0.04 and any(contrast(fg, mix(c, bg, t)) < AA + 0.01 for fg, bg in pairs):
        t = round(t - 0.02, 2)  # checked at the value returned, not at 0.19999…
    return t


def annotation_fill(colour: str | None, theme: str) -> str:
    """The quiet fill behind an annotated passage, as it shows over the page."""
    return mix(annotation_colour(colour, theme), surfaces(theme)["page"],
               fill_strength(colour, theme))


def annotation_bar(colour: str | None, theme: str) -> str:
    """The margin bar: the tag's hue, darkened (light theme) or lightened (dark) until
    it stands 3:1 against the page — WCAG 1.4.11 for a mark that carries meaning."""
    c = annotation_colour(colour, theme)
    page = surfaces(theme)["page"]
    h, li, s = _hls(c)
    step = 0.03 if theme == "dark" else -0.03
    for _ in range(40):
        if contrast(c, page) >= 3.0:
            break
        li = min(1.0, max(0.0, li + step))
        c = _from_hls(h, li, s)
    return c


def chip_colours(colour: str | None, theme: str) -> tuple[str, str]:
    """(text, background) of a tag chip: the tag's colour a little stronger than the
    passage's fill, with whichever of the theme's text or page colour reads better on
    it.  The chip's text is small and anti-aliased on colour, so it is held to
    CHIP_TEXT (7:1), not 4.5:1: at 4.9:1 the dark olive chip measured 3.6–3.9:1 on its
    strokes in a screenshot (blind review; chip text on magenta was once 2.5:1).  A
    colour too bright for that is laid on thinner, down to a tint that still shows."""
    s = surfaces(theme)
    c = annotation_colour(colour, theme)
    t = round(ANNOTATION_FILL["dark" if theme == "dark" else "light"] + 0.12, 2)
    while True:
        bg = mix(c, s["page"], t)
        fg = max((s["text"], s["page"]), key=lambda x: contrast(x, bg))
        if contrast(fg, bg) >= CHIP_TEXT + 0.01 or t <= 0.12:
            return fg, bg
        t = round(t - 0.02, 2)


def readable_on(background: str, theme: str) -> str:
    """The theme's text colour, or the page colour when that reads better."""
    s = surfaces(theme)
    return max((s["text"], s["page"]), key=lambda c: contrast(c, background))


# -- the written-down tables -------------------------------------------------------------

# the surface each role's contrast figure is taken against (the others are surfaces)
_AGAINST = {"text": "page", "muted": "page", "heading": "page", "border": "window",
            "hit": "page", "accent": "page", "error": "page", "link": "page",
            "selection_text": "selection", "placeholder": "page"}


def markdown_tables() -> str:
    """The palette with its contrast figures, as the README's "Visual system" shows them."""
    out = ["| role | light | dark |", "| --- | --- | --- |"]
    for role in SURFACES["light"]:
        figures = []
        for theme in THEMES:
            s = SURFACES[theme]
            c = s[role]
            against = _AGAINST.get(role)
            ratio = f" ({contrast(c, s[against]):.1f}:1 on {against})" if against else ""
            figures.append(f"`{c}`{ratio}")
        out.append(f"| {role} | {' | '.join(figures)} |")
    out += ["", "| entity kind | light text on tint | ratio | dark text on tint | ratio |",
            "| --- | --- | --- | --- | --- |"]
    for kind in KINDS:
        cells = []
        for theme in THEMES:
            fg, bg = ENTITY_COLOURS[theme][kind]
            cells += [f"`{fg}` on `{bg}`", f"{contrast(fg, bg):.1f}:1"]
        out.append(f"| {kind} | {' | '.join(cells)} |")
    out += ["", "| default tag | light: bar, fill (text on it) | dark: bar, fill (text on it) |",
            "| --- | --- | --- |"]
    for colour in TAG_DEFAULTS:
        cells = []
        for theme in THEMES:
            fill = annotation_fill(colour, theme)
            cells.append(f"`{annotation_bar(colour, theme)}`, `{fill}` "
                         f"({contrast(SURFACES[theme]['text'], fill):.1f}:1)")
        out.append(f"| `{colour}` | {' | '.join(cells)} |")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown_tables())
