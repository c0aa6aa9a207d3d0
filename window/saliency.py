""""What it looks at": colour the preview's pixels by how much each one pushed the guess up or down.

run.explain gives gradient x input for the predicted digit: for each pixel, roughly how much the
digit's score would drop if that pixel's ink were taken away. Blue pixels made the network say
its answer, orange pixels argued against it, pixels without ink did nothing (they stay as they are).
Every pixel that mattered is clearly coloured (at least MINIMUM_ALPHA opaque), and the colour is
full for the strongest ones; the strength scale is a high percentile, not the single maximum, so
one extreme pixel does not leave all the others nearly invisible.
"""
from __future__ import annotations

import numpy as np
import pygame

import run
from window import colour_scale

STRONGEST_ALPHA = 235     # opacity of the pixels that mattered most (255 would hide the drawing)
MINIMUM_ALPHA = 110       # even a pixel that mattered a little is tinted this much
SCALE_PERCENTILE = 90     # |contribution| at this percentile of the pixels that mattered gets full colour


def explanation(model: run.Model, image: np.ndarray) -> tuple[np.ndarray, int]:
    """(gradient x input (28, 28), predicted digit) for a (28, 28) image."""
    prediction = run.predict(model, image)
    return run.explain(model, prediction), prediction.digit


def overlay_pixels(contribution: np.ndarray) -> np.ndarray:
    """(28, 28) contributions -> (28, 28, 4) RGBA: blue or orange by sign, opacity by size.

    Pixels that did not matter (contribution 0: no ink) stay fully transparent.
    """
    size = np.abs(contribution)
    mattered = size > 1e-12 * max(float(size.max()), 1e-30)
    rgba = np.zeros((28, 28, 4), np.uint8)
    if not mattered.any():
        return rgba
    scale = float(np.percentile(size[mattered], SCALE_PERCENTILE)) or float(size.max())
    strength = np.clip(size / scale, 0.0, 1.0)
    rgba[..., :3] = np.where((contribution >= 0)[..., None], colour_scale.POSITIVE, colour_scale.NEGATIVE)
    alpha = MINIMUM_ALPHA + (STRONGEST_ALPHA - MINIMUM_ALPHA) * strength
    rgba[..., 3] = np.where(mattered, np.rint(alpha), 0).astype(np.uint8)
    return rgba


class LooksAtOverlay:
    """Keeps the overlay for the image shown, recomputed only when the image or the model changes."""

    def __init__(self) -> None:
        self.contribution: np.ndarray | None = None     # (28, 28), for the tests
        self.digit: int | None = None
        self._key: tuple | None = None
        self._small = pygame.Surface((28, 28), pygame.SRCALPHA)

    def update(self, model: run.Model | None, image: np.ndarray | None) -> None:
        """Recompute for `image` with `model` (None for either: nothing to show)."""
        key = (id(model.params) if model is not None else None,
               None if image is None else image.tobytes())
        if key == self._key:
            return
        self._key = key
        if model is None or image is None or not image.any():
            self.contribution, self.digit = None, None
            return
        self.contribution, self.digit = explanation(model, image)
        rgba = overlay_pixels(self.contribution)
        pixels = pygame.surfarray.pixels3d(self._small)
        pixels[...] = rgba[..., :3].transpose(1, 0, 2)                 # surfarray is (x, y)
        del pixels
        alpha = pygame.surfarray.pixels_alpha(self._small)
        alpha[...] = rgba[..., 3].T
        del alpha

    def draw(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """Draw the overlay stretched over `rect` (the preview, or the network view's input)."""
        if self.contribution is not None:
            surface.blit(pygame.transform.scale(self._small, rect.size), rect)
