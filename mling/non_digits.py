"""Drawings that are NOT digits (crosses, stars, spirals, smileys, scribbles, noise, ...).

They are made the way a person makes them: pen strokes with the canvas's own brush
(images.draw_stroke) on a canvas of the window's size, then the canvas's own conversion
(images.to_network_input). The "not sure" check (mling/familiarity.py) is measured and tested
on them: a network trained on digits should say it does not know these.

    from mling import non_digits
    batch = non_digits.draw_many("star", 50, np.random.default_rng(0))   # (50, 28, 28)

Each kind is a function rng -> list of strokes in "glyph units" (about 0..1 across, y down);
draw() picks a size, a place and a pen width for it like a hand on the canvas would.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mling import images

# --- Defaults: the same ranges as the starter digits (starter/make_starter.py) ----------------
CANVAS_SIZE = 392                  # the window's drawing canvas, in pixels
HEIGHT_RANGE = (130.0, 340.0)      # how tall a shape is drawn, canvas pixels
PEN_WIDTH_RANGE = (0.07, 0.2)      # pen width as a fraction of the shape's height
MOUSE_STEP_RANGE = (4.0, 14.0)     # canvas pixels between two mouse positions
PEN_WIDTH_BY_KIND = {              # thinner pens where a thick one would fill the shape in
    "spiral": (0.03, 0.08), "dots": (0.04, 0.12),
}
NOISE_CELLS_RANGE = (8, 28)        # static is this many random cells across (coarse to fine)

Stroke = np.ndarray                # (k, 2) points (x, y) in glyph units


def _circle(cx: float, cy: float, radius: float, start: float = 0.0, end: float = 2 * np.pi,
            points: int = 40) -> Stroke:
    angles = np.linspace(start, end, points)
    return np.stack([cx + radius * np.cos(angles), cy + radius * np.sin(angles)], axis=1)


def _line(*points: tuple[float, float]) -> Stroke:
    return np.array(points, dtype=np.float64)


def _turned(strokes: list[Stroke], degrees: float) -> list[Stroke]:
    """The strokes turned about (0.5, 0.5)."""
    angle = np.radians(degrees)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return [(stroke - 0.5) @ rotation.T + 0.5 for stroke in strokes]


# --- The kinds: each returns strokes in glyph units ------------------------------------------
def cross(rng: np.random.Generator) -> list[Stroke]:
    """An X: two crossing diagonals (a plain network often calls it an 8)."""
    a, b = rng.uniform(-0.1, 0.1, 2)
    return _turned([_line((0, 0), (1, 1)), _line((1, 0 + a), (0, 1 + b))], rng.uniform(-15, 15))


def plus(rng: np.random.Generator) -> list[Stroke]:
    """A +: one across, one down (often read as a 4)."""
    y, x = rng.uniform(0.35, 0.65, 2)
    return _turned([_line((0, y), (1, y)), _line((x, 0), (x, 1))], rng.uniform(-12, 12))


def tee(rng: np.random.Generator) -> list[Stroke]:
    """A T: a bar and a stem (often read as a 7)."""
    x = rng.uniform(0.4, 0.6)
    return _turned([_line((0, 0), (1, 0)), _line((x, 0), (x, 1.2))], rng.uniform(-10, 10))


def star(rng: np.random.Generator) -> list[Stroke]:
    """A five-pointed star in one stroke, or an asterisk of three or four lines."""
    if rng.random() < 0.5:
        angles = -np.pi / 2 + np.arange(6) * 4 * np.pi / 5 + rng.uniform(-0.1, 0.1)
        return [np.stack([0.5 + 0.5 * np.cos(angles), 0.5 + 0.5 * np.sin(angles)], axis=1)]
    count = int(rng.integers(3, 5))
    angles = rng.uniform(-0.2, 0.2) + np.arange(count) * np.pi / count
    return [_line((0.5 - 0.5 * np.cos(a), 0.5 - 0.5 * np.sin(a)), (0.5 + 0.5 * np.cos(a), 0.5 + 0.5 * np.sin(a)))
            for a in angles]


def spiral(rng: np.random.Generator) -> list[Stroke]:
    """A spiral of two to three and a half turns from the middle outwards."""
    turns = rng.uniform(2.0, 3.5)
    angles = np.linspace(0, 2 * np.pi * turns, int(60 * turns)) * rng.choice([-1, 1]) + rng.uniform(0, 2 * np.pi)
    radius = 0.5 * np.linspace(0.02, 1.0, len(angles))
    return [np.stack([0.5 + radius * np.cos(angles), 0.5 + radius * np.sin(angles)], axis=1)]


def smiley(rng: np.random.Generator) -> list[Stroke]:
    """A face: a circle, two eyes and a smiling mouth."""
    eye_y, eye_gap = rng.uniform(0.3, 0.42), rng.uniform(0.12, 0.2)
    mouth = rng.uniform(0.2, 0.3)
    return [_circle(0.5, 0.5, 0.5), _line((0.5 - eye_gap, eye_y)), _line((0.5 + eye_gap, eye_y)),
            _circle(0.5, 0.5, mouth, 0.2 * np.pi, 0.8 * np.pi, 20) + [0, 0.05]]


def scribble(rng: np.random.Generator) -> list[Stroke]:
    """A random zig-zag scrawl: 6 to 14 random points joined, or smoothed into loops."""
    points = rng.random((int(rng.integers(6, 15)), 2))
    if rng.random() < 0.5:
        return [points]
    # a smooth scrawl: the points joined by a curve through their running averages
    fine = np.linspace(0, len(points) - 1, 20 * len(points))
    smooth = np.stack([np.interp(fine, np.arange(len(points)), points[:, axis]) for axis in (0, 1)], axis=1)
    kernel = np.ones(15) / 15
    smooth = np.stack([np.convolve(np.pad(smooth[:, axis], 7, mode="edge"), kernel, "valid") for axis in (0, 1)],
                      axis=1)
    return [smooth]


def hash_sign(rng: np.random.Generator) -> list[Stroke]:
    """A #: two lines across and two down."""
    a, b = rng.uniform(0.2, 0.4), rng.uniform(0.6, 0.8)
    return _turned([_line((0, a), (1, a)), _line((0, b), (1, b)), _line((a, 0), (a, 1)), _line((b, 0), (b, 1))],
                   rng.uniform(-15, 15))


def dots(rng: np.random.Generator) -> list[Stroke]:
    """20 to 60 separate clicks spread over an area: speckles."""
    return [point[None] for point in rng.random((int(rng.integers(20, 61)), 2))]


KINDS: dict[str, Callable[[np.random.Generator], list[Stroke]]] = {
    "cross": cross, "plus": plus, "tee": tee, "star": star, "spiral": spiral, "smiley": smiley,
    "scribble": scribble, "hash": hash_sign, "dots": dots,
}
NOISE = "noise"                      # random static over a square of the canvas (no strokes)
ALL_KINDS = (*KINDS, NOISE)


def draw(kind: str, rng: np.random.Generator) -> np.ndarray:
    """One drawing of `kind` (one of ALL_KINDS) as the network sees it: (28, 28) float32 in [0, 1]."""
    if kind not in ALL_KINDS:
        raise ValueError(f"unknown kind of non-digit {kind!r}; choose one of {', '.join(ALL_KINDS)}")
    canvas = np.zeros((CANVAS_SIZE, CANVAS_SIZE), dtype=np.float32)
    height = rng.uniform(*HEIGHT_RANGE)
    if kind == NOISE:
        cells = int(rng.integers(*NOISE_CELLS_RANGE, endpoint=True))
        cell = int(height) // cells
        static = rng.random((cells, cells)) * (rng.random((cells, cells)) < rng.uniform(0.3, 1.0))
        patch = np.kron(static, np.ones((cell, cell))).astype(np.float32)   # each cell a square of pixels
        top, left = rng.integers(0, CANVAS_SIZE - len(patch), 2)
        canvas[top:top + len(patch), left:left + len(patch)] = patch
        return images.to_network_input(canvas)
    strokes = KINDS[kind](rng)
    radius = max(1.0, rng.uniform(*PEN_WIDTH_BY_KIND.get(kind, PEN_WIDTH_RANGE)) * height / 2)
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = height / max(float((high - low).max()), 1e-6)
    margin = radius + 2
    size = (high - low) * scale
    scale *= min(1.0, float(((CANVAS_SIZE - 1 - 2 * margin) / np.maximum(size, 1e-6)).min()))
    size = (high - low) * scale
    offset = margin + np.maximum(CANVAS_SIZE - 2 * margin - size, 0.0) * rng.random(2) - low * scale
    step = rng.uniform(*MOUSE_STEP_RANGE)
    for stroke in strokes:
        mouse = _resample(stroke * scale + offset, step)
        images.draw_stroke(canvas, np.round(mouse), radius)
    return images.to_network_input(canvas)


def _resample(stroke: Stroke, spacing: float) -> Stroke:
    """Points about `spacing` apart along the stroke, as a mouse reports a moving hand."""
    if len(stroke) < 2:
        return stroke
    lengths = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(stroke, axis=0).T))])
    where = np.linspace(0.0, lengths[-1], max(2, int(np.ceil(lengths[-1] / spacing)) + 1))
    return np.stack([np.interp(where, lengths, stroke[:, axis]) for axis in (0, 1)], axis=1)


def draw_many(kind: str, count: int, rng: np.random.Generator) -> np.ndarray:
    """`count` drawings of one kind: (count, 28, 28) float32."""
    return np.stack([draw(kind, rng) for _ in range(count)]) if count else np.zeros((0, 28, 28), np.float32)


def draw_all_kinds(per_kind: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`per_kind` drawings of every kind: (images (n, 28, 28) float32, kinds (n,) str)."""
    rng = np.random.default_rng(seed)
    batch = np.concatenate([draw_many(kind, per_kind, rng) for kind in ALL_KINDS])
    return batch, np.repeat(np.array(ALL_KINDS), per_kind)
