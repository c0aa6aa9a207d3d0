"""Delete: take the selected drawings out of data.json (Undo puts them back)."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button

LABEL = "Delete"
HOTKEYS = ("Delete", "Backspace")
TOOLTIP = "Remove the selected drawings from data.json"


def create(rect: pygame.Rect, callback: Callable[[], None]) -> Button:
    """The Delete button; `callback` deletes the selected drawings."""
    return Button(rect, LABEL, callback, HOTKEYS, TOOLTIP)
