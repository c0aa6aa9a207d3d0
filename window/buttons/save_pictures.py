"""Save pictures: training curves, mistakes and weights as PNG files in figures/ next to the data."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button

LABEL = "Save pictures"
HOTKEYS = ("E",)
TOOLTIP = "Save the curves, the mistakes table and the weights as PNGs"


def create(rect: pygame.Rect, callback: Callable[[], None]) -> Button:
    """The export button; `callback` saves the figures in the background."""
    return Button(rect, LABEL, callback, HOTKEYS, TOOLTIP)
