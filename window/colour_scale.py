"""One colour code for every "plus or minus" picture in the window: blue is positive, orange negative.

Weights, connections and "what it looks at" all use it, so a learner reads them the same way:
blue = "pushes the answer up", orange = "pushes it down", dark = "does not matter".
Blue/orange (not red/green) stays readable for the most common kinds of colour blindness.
"""
from __future__ import annotations

import numpy as np
import pygame

from window import theme

POSITIVE = (92, 170, 255)     # blue: a positive weight, a pixel that pushed the answer up
NEGATIVE = (255, 148, 56)     # orange: a negative weight, a pixel that pushed it down
ZERO = (14, 15, 20)           # near black: zero, no effect
LEGEND_STEPS = 64             # colours in the legend's gradient bar


def robust_scale(values: np.ndarray, percentile: float = 99.0) -> float:
    """The size that maps to full colour: the 99th percentile of |values|, so one extreme value
    does not leave every other one nearly black. Never 0 (an all-zero input stays dark)."""
    values = np.abs(np.asarray(values, dtype=np.float64))
    if values.size == 0:
        return 1.0
    scale = float(np.percentile(values, percentile))
    return scale if scale > 1e-12 else max(float(values.max()), 1e-12)


def diverging(values: np.ndarray, scale: float) -> np.ndarray:
    """Values -> colours (..., 3) uint8: 0 is ZERO, +scale is POSITIVE, -scale is NEGATIVE (linear,
    clipped beyond). Vectorised: a whole 28x28 picture (or 16 of them) in one go."""
    t = np.clip(np.asarray(values, dtype=np.float32) / np.float32(scale), -1.0, 1.0)[..., None]
    zero = np.array(ZERO, np.float32)
    positive = np.array(POSITIVE, np.float32) - zero
    negative = np.array(NEGATIVE, np.float32) - zero
    colours = zero + np.maximum(t, 0.0) * positive + np.maximum(-t, 0.0) * negative
    return np.rint(colours).astype(np.uint8)


def blend(colour: tuple[int, int, int], amount: float,
          background: tuple[int, int, int] = theme.PANEL) -> tuple[int, int, int]:
    """`colour` faded towards `background`: amount 1 is the full colour, 0 is the background."""
    amount = min(max(float(amount), 0.0), 1.0)
    return tuple(round(b + (c - b) * amount) for c, b in zip(colour, background))


def draw_vertical_legend(surface: pygame.Surface, look: theme.Look, rect: pygame.Rect,
                         positive_lines: list[str], negative_lines: list[str], scale: float) -> None:
    """The same legend standing up: blue and its meaning on top, orange and its meaning at the bottom,
    the gradient bar between them with +scale, 0 and -scale written beside it."""
    line = look.small.get_linesize()
    for number, text in enumerate(positive_lines):
        theme.draw_text(surface, look, look.small, text, (rect.x, rect.y + number * line), POSITIVE)
    bottom = rect.bottom - len(negative_lines) * line
    for number, text in enumerate(negative_lines):
        theme.draw_text(surface, look, look.small, text, (rect.x, bottom + number * line), NEGATIVE)
    bar = pygame.Rect(rect.x + look.px(2), rect.y + len(positive_lines) * line + look.px(4), look.px(12), 0)
    bar.height = bottom - look.px(4) - bar.y
    values = np.linspace(1.0, -1.0, LEGEND_STEPS)                  # top is positive
    strip = pygame.Surface((1, LEGEND_STEPS))
    pygame.surfarray.blit_array(strip, diverging(values, 1.0)[None, :, :])
    surface.blit(pygame.transform.scale(strip, bar.size), bar)
    pygame.draw.rect(surface, theme.PANEL_BORDER, bar, width=1)
    x = bar.right + look.px(6)
    for text, anchor, y in ((f"+{scale:.2g}", "topleft", bar.y), ("0", "midleft", bar.centery),
                            (f"−{scale:.2g}", "bottomleft", bar.bottom)):
        theme.draw_text(surface, look, look.small, text, (x, y), theme.MUTED_TEXT, anchor=anchor)


def vertical_legend_height(look: theme.Look, lines: int = 4) -> int:
    """What draw_vertical_legend needs: its text lines and a bar as tall as three labels."""
    return (lines + 3) * look.small.get_linesize() + look.px(8)
