"""Select none: unselect every drawing."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button

LABEL = "Select none"
HOTKEYS = ("Ctrl+D",)
TOOLTIP = "Unselect every drawing"


def create(rect: pygame.Rect, callback: Callable[[], None]) -> Button:
    """The Select none button; `callback` clears the selection."""
    return Button(rect, LABEL, callback, HOTKEYS, TOOLTIP)
