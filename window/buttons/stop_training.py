"""Stop: end training early; the best model so far is kept."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button

LABEL = "Stop"
HOTKEYS = ("Escape",)
TOOLTIP = "End training early and keep the best model so far"


def create(rect: pygame.Rect, callback: Callable[[], None]) -> Button:
    """The Stop button; `callback` asks the training thread to stop."""
    return Button(rect, LABEL, callback, HOTKEYS, TOOLTIP)
