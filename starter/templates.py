"""Stroke templates: how people write each digit, as pen paths a program can vary.

A template is a small function `(rng) -> list of strokes`. A stroke is one pen-down path, an
(n, 2) float array of (x, y) points in "glyph units": y runs from 0 (top of the digit) to 1
(bottom), x from about 0 to 0.6, x to the right. Each template draws its own proportions from
the random generator (how big the loop of a 9 is, where the bar of a 4 sits, ...), so calling
it twice gives two different hands writing the same form.

`vary_strokes` then does what differs between writers and between two digits of one writer:
slant, rotation, width, size of the parts (a smooth random warp), local bends (random moves of
control points along each stroke), a shaky hand (wobble), and pen lifts that land a little off.
`make_starter.py` turns the result into canvas strokes.

The forms cover the common handwritten shapes (see `DIGIT_FORMS`): open and closed 4, 7 with
and without a cross bar, 1 as a plain line, with a flag, with a flag and a base, 2 with and
without a loop, 9 with a straight or a curved tail, 8 in one stroke or as two rings, and so on.
The weights say how often each form is drawn: rough guesses at how common the forms are in
everyday handwriting. The settings below were adjusted by comparing the generated digits with a
development set of real handwriting (5,000 MNIST digits: their widths, lean, stroke widths, and
the digits a model trained here got wrong; see starter/evaluate_real.py). No real digit is
copied, stored or trained on.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

# --- Variation settings (glyph units: the digit is 1 tall) ----------------------------------
SLANT_MEAN = 0.22          # mean forward lean: x moves right by slant * height going up (~12 deg)
SLANT_SPREAD = 0.25        # standard deviation of the lean between writers
SLANT_LIMIT = (-0.5, 0.8)  # no lean beyond these (-27 deg back, +39 deg forward)
ROTATION_DEGREES = 12.0    # the whole digit turns by up to this many degrees either way
# How wide people write each digit, as a fraction of its height before any lean, from narrow
# hands to wide ones (a width is drawn evenly on a log scale between the two). Everyday digits
# are wider than printed ones: a 2 or a 5 is often about as wide as tall, an 8 can be very
# narrow. The 1 has no entry: its width is its flag and its lean.
WIDTH_RANGE = {0: (0.48, 1.18), 2: (0.53, 1.29), 3: (0.44, 1.06), 4: (0.44, 1.06), 5: (0.53, 1.29),
               6: (0.35, 0.95), 7: (0.44, 1.06), 8: (0.31, 1.01), 9: (0.35, 0.95)}
WARP_AMPLITUDE = 0.08      # size of the smooth random warp that changes proportions
WARP_WAVES = 3             # number of random sine waves summed to make the warp
WOBBLE_AMPLITUDE = 0.008   # shaky hand: small smooth sideways drift along each stroke
PEN_LIFT_JITTER = 0.025    # each extra stroke lands up to this far from where it should
KEY_SPACING = 0.3          # control points sit about this far apart along a stroke ...
KEY_JITTER = 0.025         # ... and each moves by about this much (local changes of shape)

Stroke = np.ndarray                       # (n, 2) float64 points (x, y) in glyph units
Template = Callable[[np.random.Generator], list[Stroke]]


# --- Building blocks --------------------------------------------------------------------------
def arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float,
        step_degrees: float = 6.0) -> Stroke:
    """Points along an ellipse from angle `start` to `end` (degrees), (n, 2).

    Angles are measured as on paper: 0 is to the right, 90 is up, so increasing angles go
    counter-clockwise on screen (y grows downwards, hence the minus sign).
    """
    count = max(2, int(np.ceil(abs(end - start) / step_degrees)) + 1)
    angles = np.radians(np.linspace(start, end, count))
    return np.column_stack([cx + rx * np.cos(angles), cy - ry * np.sin(angles)])


def line(*points: tuple[float, float]) -> Stroke:
    """A polyline through the given (x, y) points, (n, 2); corners stay sharp."""
    return np.asarray(points, dtype=np.float64).reshape(-1, 2)


def curve(start: tuple[float, float], pull: tuple[float, float], end: tuple[float, float],
          count: int = 12) -> Stroke:
    """A smooth bend from `start` to `end`, pulled towards `pull` (quadratic Bezier), (count, 2)."""
    t = np.linspace(0.0, 1.0, count)[:, None]
    p0, p1, p2 = (np.asarray(p, dtype=np.float64) for p in (start, pull, end))
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * p1 + t ** 2 * p2


def chain(*pieces: Stroke) -> Stroke:
    """Join pieces into one pen-down stroke (the pen goes straight from one piece to the next)."""
    return np.concatenate(pieces, axis=0)


def _uniform(rng: np.random.Generator):
    """Short name for "a random number between low and high" (either order), used a lot below."""
    return lambda low, high: low + (high - low) * float(rng.random())


# --- 0 ----------------------------------------------------------------------------------------
def zero_oval(rng):
    """An oval started near the top; the pen stops a little short of, or past, the start."""
    u = _uniform(rng)
    start = u(50, 130)
    turn = 360 + u(-25, 35) if rng.random() < 0.5 else -(360 + u(-25, 35))
    return [arc(0.3, 0.5, u(0.16, 0.32), 0.5, start, start + turn)]


def zero_pointed(rng):
    """A narrow 0 with a pointed top, the way fast writers close the loop."""
    u = _uniform(rng)
    rx = u(0.15, 0.27)
    body = arc(0.3, 0.55, rx, 0.45, 100, 440)[:-3]              # round bottom, sides going up
    return [chain(line((0.3 + u(-0.03, 0.03), 0.0)), body[3:], line((0.3 + u(-0.02, 0.05), 0.0)))]


# --- 1 ----------------------------------------------------------------------------------------
def one_plain(rng):
    """A single down stroke (the most common 1)."""
    u = _uniform(rng)
    lean = u(-0.05, 0.2)                                          # a quick stroke leans more
    return [line((0.3 + lean, 0.0), (0.3 + u(-0.05, 0.05), 1.0))]


def one_flag(rng):
    """A 1 with the short up-stroke (flag) at the top."""
    u = _uniform(rng)
    return [line((0.3 - u(0.12, 0.25), u(0.12, 0.3)), (0.3, 0.0), (0.3 + u(-0.03, 0.03), 1.0))]


def one_flag_base(rng):
    """A 1 with a flag and a base line (as printed)."""
    u = _uniform(rng)
    foot = u(0.13, 0.24)
    return [line((0.3 - u(0.12, 0.22), u(0.12, 0.28)), (0.3, 0.0), (0.3, 1.0)),
            line((0.3 - foot, 1.0), (0.3 + foot * u(0.8, 1.2), 1.0))]


# --- 2 ----------------------------------------------------------------------------------------
def _two_top(rng):
    """The top hook of a 2: up, over to the right, and down towards the lower left."""
    u = _uniform(rng)
    rx, ry = u(0.2, 0.3), u(0.12, 0.3)
    return arc(0.3, ry, rx, ry, u(150, 200), u(-50, -20))


def two_curved(rng):
    """Round top, a straight or bowed diagonal, a flat base."""
    u = _uniform(rng)
    top = _two_top(rng)
    base_left = (0.3 - u(0.2, 0.3), 1.0)
    base_right = (0.3 + u(0.22, 0.38), 1.0 - u(-0.03, 0.12))       # flat or rising to the right
    middle = ((base_left[0] + base_right[0]) / 2, 1.0 + u(-0.02, 0.06))  # a slight sag
    # the neck of the 2 is straight or bows out to the lower right (a swan's neck)
    diagonal = curve(top[-1], ((top[-1][0] + base_left[0]) / 2 + u(-0.04, 0.12),
                               (top[-1][1] + 1.0) / 2 + u(0.0, 0.1)), base_left)
    return [chain(top, diagonal, curve(base_left, middle, base_right))]


def two_loop(rng):
    """Round top, and a loop where the diagonal meets the base (cursive 2)."""
    u = _uniform(rng)
    top = _two_top(rng)
    r = u(0.08, 0.2)
    rx = r * u(0.9, 1.5)
    cx, cy = 0.3 - u(0.1, 0.22), 1.0 - r
    # The diagonal arrives at the ring's upper right, the pen goes once round (up, left, down,
    # right) and leaves along the base.
    ring = arc(cx, cy, rx, r, 30, 30 + 360 + u(0, 40))
    neck = curve(top[-1], ((top[-1][0] + ring[0][0]) / 2 + u(-0.03, 0.1),
                           (top[-1][1] + ring[0][1]) / 2 + u(-0.02, 0.08)), ring[0])
    return [chain(top, neck, ring, line((0.3 + u(0.22, 0.36), 1.0 - u(-0.03, 0.08))))]


def two_small_top(rng):
    """A small top hook, a long neck and a big loop on a long base."""
    u = _uniform(rng)
    rx, ry = u(0.15, 0.25), u(0.08, 0.15)
    top = arc(0.3, ry, rx, ry, u(150, 200), u(-60, -20))
    r = u(0.12, 0.22)
    cx, cy = 0.3 - u(0.05, 0.15), 1.0 - r
    ring = arc(cx, cy, r * u(1.0, 1.5), r, 30, 30 + 360 + u(0, 40))
    return [chain(top, line(ring[0]), ring, line((0.3 + u(0.25, 0.4), 1.0 - u(-0.03, 0.08))))]


def two_angular(rng):
    """Flat top with a sharp corner (like a Z with a curve)."""
    u = _uniform(rng)
    left, right = 0.3 - u(0.18, 0.28), 0.3 + u(0.18, 0.28)
    top = chain(arc(0.3, 0.18, right - 0.3, 0.18, u(160, 190), 20), line((right, u(0.2, 0.35))))
    return [chain(top, line((left, 1.0), (0.3 + u(0.2, 0.34), 1.0 - u(-0.03, 0.05))))]


# --- 3 ----------------------------------------------------------------------------------------
def three_round(rng):
    """Two bumps on the right, meeting in the middle (one stroke)."""
    u = _uniform(rng)
    middle = u(0.42, 0.52)
    upper = arc(0.3, middle / 2, u(0.18, 0.26), middle / 2, u(140, 180), -90)
    lower_ry = (1.0 - middle) / 2
    lower = arc(0.3, middle + lower_ry, u(0.22, 0.3), lower_ry, 90, u(-150, -200))
    upper[-1, 0] -= u(0.0, 0.1)                                   # inward cusp in the middle
    lower[0, 0] -= u(0.0, 0.1)
    return [chain(upper, lower)]


def three_flat(rng):
    """Flat top bar, a diagonal back to the middle, then the lower bump (Z-like 3)."""
    u = _uniform(rng)
    middle = u(0.38, 0.48)
    left, right = 0.3 - u(0.18, 0.28), 0.3 + u(0.16, 0.28)
    lower_ry = (1.0 - middle) / 2
    lower = arc(0.3, middle + lower_ry, u(0.22, 0.3), lower_ry, u(90, 120), u(-150, -200))
    return [chain(line((left, u(-0.03, 0.03)), (right, 0.0), (0.3 - u(0.0, 0.08), middle)), lower)]


# --- 4 ----------------------------------------------------------------------------------------
def four_open(rng):
    """Open 4: a down-stroke and a bar, then a long vertical on the right (two strokes)."""
    u = _uniform(rng)
    bar_y = u(0.5, 0.68)
    left_top = (0.3 - u(0.2, 0.3), u(0.0, 0.12))
    left_bottom = (left_top[0] + u(-0.08, 0.02), bar_y)
    stem_x = 0.3 + u(0.02, 0.14)
    bar_end = (stem_x + u(0.05, 0.18), bar_y + u(-0.06, 0.03))
    return [line(left_top, left_bottom, bar_end),
            line((stem_x, u(-0.05, 0.15)), (stem_x + u(-0.04, 0.02), 1.0))]


def four_closed(rng):
    """Closed 4 (as printed): a diagonal, the bar, and the vertical from the same top point."""
    u = _uniform(rng)
    bar_y = u(0.58, 0.72)
    stem_x = 0.3 + u(0.05, 0.15)
    bar_left = 0.3 - u(0.22, 0.32)
    return [line((stem_x, 0.0), (bar_left, bar_y), (stem_x + u(0.1, 0.2), bar_y)),
            line((stem_x, 0.0), (stem_x, 1.0))]


def four_one_stroke(rng):
    """Open 4 in one stroke: down, across, then back up to draw the vertical down to the foot."""
    u = _uniform(rng)
    bar_y = u(0.48, 0.62)
    stem_x = 0.3 + u(0.04, 0.14)
    left = 0.3 - u(0.18, 0.28)
    return [line((left + u(0.0, 0.05), 0.0), (left, bar_y), (stem_x + u(0.05, 0.15), bar_y)),
            line((stem_x, u(0.0, 0.12)), (stem_x, 1.0))]


# --- 5 ----------------------------------------------------------------------------------------
def five_classic(rng):
    """Vertical, then the round belly; the top bar is a separate stroke."""
    u = _uniform(rng)
    neck = u(0.36, 0.52)                                          # where the belly starts
    left = 0.3 - u(0.13, 0.22)
    belly_ry = (1.0 - neck) / 2 + u(0.0, 0.05)
    belly_rx = u(0.2, 0.3)
    # the belly starts at a corner under the neck, going up and to the right
    belly = arc(0.3 + u(-0.02, 0.04), 1.0 - belly_ry, belly_rx, belly_ry, u(130, 165), u(-110, -165))
    body = chain(line((left, 0.02), (left + u(-0.03, 0.03), neck)), belly)
    bar = line((left, 0.0 + u(-0.02, 0.02)), (0.3 + u(0.15, 0.38), u(-0.05, 0.03)))
    return [body, bar]


def five_round_neck(rng):
    """The belly grows straight out of a slanted down-stroke, with a short top bar."""
    u = _uniform(rng)
    neck = u(0.35, 0.5)
    left = 0.3 - u(0.1, 0.2)
    belly_ry = (1.0 - neck) / 2 + u(0.02, 0.06)
    belly = arc(0.3, 1.0 - belly_ry, u(0.22, 0.3), belly_ry, u(125, 150), u(-110, -165))
    body = chain(line((left + u(0.0, 0.06), 0.0)), belly)
    bar = line((left + u(0.0, 0.06), 0.0), (0.3 + u(0.15, 0.35), u(-0.04, 0.04)))
    return [body, bar]


# --- 6 ----------------------------------------------------------------------------------------
def six_curved(rng):
    """A curve coming down the left side that rolls into a loop at the bottom."""
    u = _uniform(rng)
    loop_ry = u(0.2, 0.3)
    loop_rx = u(0.18, 0.28)
    loop_cy = 1.0 - loop_ry
    stem = arc(0.3 + u(0.2, 0.5), loop_cy, u(0.15, 0.4), loop_cy, u(80, 100), 180)
    stem[:, 0] -= stem[-1, 0] - (0.3 - loop_rx)                   # ends on the loop's left side
    loop = arc(0.3, loop_cy, loop_rx, loop_ry, 180, 180 + u(320, 380))
    return [chain(stem, loop)]


def six_straight(rng):
    """A straight slanted stem into the loop."""
    u = _uniform(rng)
    loop_ry = u(0.18, 0.28)
    loop_rx = u(0.18, 0.28)
    loop_cy = 1.0 - loop_ry
    loop = arc(0.3, loop_cy, loop_rx, loop_ry, u(160, 200), u(500, 560))
    return [chain(line((0.3 + u(0.0, 0.25), 0.0)), loop)]


# --- 7 ----------------------------------------------------------------------------------------
def _seven_body(rng):
    u = _uniform(rng)
    left, right = 0.3 - u(0.22, 0.32), 0.3 + u(0.2, 0.3)
    top = u(-0.04, 0.04)
    foot = (0.3 + u(-0.08, 0.15), 1.0)
    bend = u(-0.06, 0.06)                                         # bowed diagonal
    middle = ((right + foot[0]) / 2 + bend, 0.5)
    return left, right, top, foot, middle


def seven_plain(rng):
    """Top bar and a diagonal."""
    left, right, top, foot, middle = _seven_body(rng)
    return [line((left, top), (right, 0.0), middle, foot)]


def seven_hook(rng):
    """A small down-tick at the left end of the bar."""
    u = _uniform(rng)
    left, right, top, foot, middle = _seven_body(rng)
    return [line((left + u(-0.02, 0.03), u(0.08, 0.2)), (left, top), (right, 0.0), middle, foot)]


def seven_crossed(rng):
    """The continental 7 with a bar across the middle."""
    u = _uniform(rng)
    left, right, top, foot, middle = _seven_body(rng)
    cross_y = u(0.45, 0.6)
    t = (cross_y - 0.0) / (1.0 - 0.0)
    cross_x = right + (foot[0] - right) * t
    half = u(0.12, 0.2)
    return [line((left, top), (right, 0.0), middle, foot),
            line((cross_x - half, cross_y + u(-0.02, 0.02)), (cross_x + half, cross_y))]


# --- 8 ----------------------------------------------------------------------------------------
def eight_one_stroke(rng):
    """One stroke: S down and back up, crossing in the middle (a figure-of-eight path)."""
    u = _uniform(rng)
    top_width, bottom_width = u(0.14, 0.24), u(0.17, 0.3)
    middle = u(0.4, 0.55)                                         # height of the crossing
    gamma = np.log(middle) / np.log(0.5)
    direction = 1.0 if rng.random() < 0.7 else -1.0
    t = np.linspace(0.0, 2.0 * np.pi + u(0.0, 0.6), 80) + u(-0.3, 0.3)
    width = (top_width + bottom_width) / 2 - (top_width - bottom_width) / 2 * np.cos(t)
    x = 0.3 - direction * width * np.sin(2.0 * t)
    y = ((1.0 - np.cos(t)) / 2) ** gamma
    return [np.column_stack([x, y])]


def eight_two_rings(rng):
    """Two rings stacked (a snowman); the top one is usually smaller."""
    u = _uniform(rng)
    middle = u(0.4, 0.52)
    top = arc(0.3, middle / 2, u(0.13, 0.22), middle / 2, -90 + u(-20, 20), 270 + u(-10, 30))
    bottom_ry = (1.0 - middle) / 2
    bottom = arc(0.3, middle + bottom_ry, u(0.18, 0.28), bottom_ry, 90 + u(-20, 20), 450 + u(-10, 30))
    return [top, bottom]


# --- 9 ----------------------------------------------------------------------------------------
def _nine_loop(rng):
    u = _uniform(rng)
    ry = u(0.17, 0.27)
    rx = u(0.17, 0.27)
    start = u(-20, 20)
    return arc(0.3, ry, rx, ry, start, start + u(340, 390)), rx, ry


def nine_straight(rng):
    """A loop at the top and a straight stem down from its right side."""
    u = _uniform(rng)
    loop, rx, ry = _nine_loop(rng)
    stem_top = (0.3 + rx * u(0.85, 1.0), ry + u(-0.1, 0.05))
    return [chain(loop, line(stem_top, (stem_top[0] - u(0.0, 0.22), 1.0)))]


def nine_curved(rng):
    """A loop at the top and a stem whose foot curls to the left."""
    u = _uniform(rng)
    loop, rx, ry = _nine_loop(rng)
    stem_x = 0.3 + rx * u(0.85, 1.0)
    curl = u(0.06, 0.14)
    foot = arc(stem_x - curl, 1.0 - curl, curl, curl, 0, u(-100, -160))
    return [chain(loop, line((stem_x, ry)), foot)]


def nine_separate_stem(rng):
    """The loop closed on its own, the stem drawn as a second stroke from the loop's top right."""
    u = _uniform(rng)
    loop, rx, ry = _nine_loop(rng)
    stem_x = 0.3 + rx * u(0.8, 1.0)
    return [loop, line((stem_x, u(0.0, ry)), (stem_x - u(0.0, 0.2), 1.0))]


# Each digit's forms: (name, weight, template). Weights are relative within a digit.
DIGIT_FORMS: dict[int, list[tuple[str, float, Template]]] = {
    0: [("oval", 0.75, zero_oval), ("pointed", 0.25, zero_pointed)],
    1: [("plain", 0.6, one_plain), ("flag", 0.28, one_flag), ("flag and base", 0.12, one_flag_base)],
    2: [("curved", 0.34, two_curved), ("loop", 0.3, two_loop), ("small top", 0.25, two_small_top),
        ("angular", 0.11, two_angular)],
    3: [("round", 0.7, three_round), ("flat top", 0.3, three_flat)],
    4: [("open", 0.45, four_open), ("closed", 0.3, four_closed), ("one stroke", 0.25, four_one_stroke)],
    5: [("classic", 0.6, five_classic), ("round neck", 0.4, five_round_neck)],
    6: [("curved", 0.65, six_curved), ("straight", 0.35, six_straight)],
    7: [("plain", 0.55, seven_plain), ("hook", 0.2, seven_hook), ("crossed", 0.25, seven_crossed)],
    8: [("one stroke", 0.7, eight_one_stroke), ("two rings", 0.3, eight_two_rings)],
    9: [("straight", 0.5, nine_straight), ("curved", 0.25, nine_curved),
        ("separate stem", 0.25, nine_separate_stem)],
}


def pick_template(digit: int, rng: np.random.Generator) -> Template:
    """Choose one of the digit's forms at random, in proportion to the weights."""
    forms = DIGIT_FORMS[digit]
    weights = np.array([weight for _, weight, _ in forms])
    return forms[int(rng.choice(len(forms), p=weights / weights.sum()))][2]


# --- Variation between writers ----------------------------------------------------------------
def resample(stroke: Stroke, spacing: float) -> Stroke:
    """Points every `spacing` units along the stroke, (m, 2); corners are kept approximately.

    Even spacing makes the wobble and the warp act the same on long and short pieces.
    """
    steps = np.linalg.norm(np.diff(stroke, axis=0), axis=1)
    distance = np.concatenate([[0.0], np.cumsum(steps)])
    if distance[-1] <= 0.0:
        return stroke[:1].copy()
    count = max(2, int(np.ceil(distance[-1] / spacing)) + 1)
    where = np.linspace(0.0, distance[-1], count)
    return np.column_stack([np.interp(where, distance, stroke[:, 0]),
                            np.interp(where, distance, stroke[:, 1])])


def _smooth_noise(length: int, rng: np.random.Generator, waves: int = 3) -> np.ndarray:
    """(length, 2) smooth random drift: a few random low-frequency sines along the stroke."""
    t = np.linspace(0.0, 1.0, length)[:, None, None]                   # (length, 1, 1)
    freq = rng.uniform(0.5, 2.5, size=(1, waves, 2))
    phase = rng.uniform(0.0, 2 * np.pi, size=(1, waves, 2))
    return np.sin(2 * np.pi * freq * t + phase).sum(axis=1) / np.sqrt(waves)


def _control_point_drift(points: Stroke, rng: np.random.Generator) -> np.ndarray:
    """(n, 2) displacement: random moves of control points every KEY_SPACING along the stroke,
    blended smoothly in between, so one part of a stroke bends while the rest stays put."""
    steps = np.linalg.norm(np.diff(points, axis=0), axis=1)
    distance = np.concatenate([[0.0], np.cumsum(steps)])
    keys = max(2, int(np.ceil(distance[-1] / KEY_SPACING)) + 1)
    where = np.linspace(0.0, distance[-1], keys)
    moves = rng.normal(0.0, KEY_JITTER, size=(keys, 2))
    # smoothstep weights between neighbouring control points: no kinks at the control points
    index = np.clip(np.searchsorted(where, distance, side="right") - 1, 0, keys - 2)
    t = (distance - where[index]) / np.maximum(where[index + 1] - where[index], 1e-9)
    t = (t * t * (3 - 2 * t))[:, None]
    return (1 - t) * moves[index] + t * moves[index + 1]


def vary_strokes(strokes: list[Stroke], rng: np.random.Generator,
                 width_range: tuple[float, float] | None = None, spacing: float = 0.02) -> list[Stroke]:
    """Apply one writer's habits to a template's strokes; returns new (m, 2) strokes.

    Order: even resampling -> wobble (along each stroke) -> pen-lift offsets (strokes after the
    first) -> smooth warp (proportions) -> width -> rotation -> slant. All shapes stay in
    glyph units; the caller scales to canvas pixels. `width_range` (fractions of the height,
    see WIDTH_RANGE) sets how wide the digit comes out; None keeps the template's own width.
    """
    out = []
    for index, stroke in enumerate(strokes):
        points = resample(np.asarray(stroke, dtype=np.float64), spacing)
        points = points + WOBBLE_AMPLITUDE * _smooth_noise(len(points), rng)
        points = points + _control_point_drift(points, rng)
        if index > 0:
            points = points + rng.uniform(-PEN_LIFT_JITTER, PEN_LIFT_JITTER, size=2)
        out.append(points)

    # A smooth warp of the plane: sum of random sine waves, so nearby points move together
    # (a bigger upper loop, a longer stem) while the drawing stays one connected shape.
    freq = rng.uniform(0.6, 1.6, size=(WARP_WAVES, 2, 2)) * 2 * np.pi   # (wave, output, input)
    phase = rng.uniform(0.0, 2 * np.pi, size=(WARP_WAVES, 2))
    amplitude = WARP_AMPLITUDE * rng.uniform(0.3, 1.0) / np.sqrt(WARP_WAVES)

    aspect = 1.0
    if width_range is not None:
        width = np.exp(rng.uniform(np.log(width_range[0]), np.log(width_range[1])))
        xs = np.concatenate([points[:, 0] for points in out])
        aspect = width / max(float(xs.max() - xs.min()), 0.1)
    angle = np.radians(rng.uniform(-ROTATION_DEGREES, ROTATION_DEGREES))
    slant = float(np.clip(rng.normal(SLANT_MEAN, SLANT_SPREAD), *SLANT_LIMIT))
    cos, sin = np.cos(angle), np.sin(angle)

    varied = []
    for points in out:
        # warp: each output axis gets sum_w sin(freq_w . p + phase_w)
        waves = np.sin(np.einsum("woi,ni->nwo", freq, points) + phase[None])   # (n, wave, 2)
        points = points + amplitude * waves.sum(axis=1)
        x = (points[:, 0] - 0.3) * aspect
        y = points[:, 1] - 0.5
        x, y = cos * x - sin * y, sin * x + cos * y                        # rotate about centre
        x = x - slant * y                                                   # lean: top goes right
        varied.append(np.column_stack([x, y]))
    return varied
