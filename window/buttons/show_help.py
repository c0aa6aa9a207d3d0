"""Help: show or hide the list of every mouse action and shortcut."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button

LABEL = "Help"
HOTKEYS = ("H", "F1")
TOOLTIP = "Show every shortcut"


def create(rect: pygame.Rect, callback: Callable[[], None]) -> Button:
    """The Help button; `callback` toggles the help overlay."""
    return Button(rect, LABEL, callback, HOTKEYS, TOOLTIP)
