"""Clear: wipe the canvas to start a new drawing."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button

LABEL = "Clear"
HOTKEYS = ("C", "Backspace")
TOOLTIP = "Wipe the canvas"


def create(rect: pygame.Rect, callback: Callable[[], None]) -> Button:
    """The Clear button; `callback` wipes the canvas."""
    return Button(rect, LABEL, callback, HOTKEYS, TOOLTIP)
