"""Close: close the list of drawings on top of the window (Esc does the same)."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button

LABEL = "Close"
HOTKEYS = ("Escape",)
TOOLTIP = "Close this list"


def create(rect: pygame.Rect, callback: Callable[[], None]) -> Button:
    """The Close button; `callback` closes the list."""
    return Button(rect, LABEL, callback, HOTKEYS, TOOLTIP)
