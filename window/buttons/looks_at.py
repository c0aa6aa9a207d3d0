"""What it looks at: colour the preview by which pixels pushed the guess up (blue) or down (orange)."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button

LABEL_OFF = "Show what it looks at"
LABEL_ON = "Hide what it looks at"
HOTKEYS = ("L",)
TOOLTIP = "Colour the pixels that made the network say its answer"


def create(rect: pygame.Rect, callback: Callable[[], None]) -> Button:
    """The on/off switch for the overlay; `callback` switches it."""
    return Button(rect, LABEL_OFF, callback, HOTKEYS, TOOLTIP)
