"""Select all: select every drawing the list shows (with the filters you chose)."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button

LABEL = "Select all"
HOTKEYS = ("Ctrl+A",)
TOOLTIP = "Select every drawing shown"


def create(rect: pygame.Rect, callback: Callable[[], None]) -> Button:
    """The Select all button; `callback` selects everything shown."""
    return Button(rect, LABEL, callback, HOTKEYS, TOOLTIP)
