"""Train: train the network on data.json in the background while the window keeps drawing."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button

LABEL = "Train"
HOTKEYS = ("T",)
TOOLTIP = "Learn from every drawing saved in data.json"


def create(rect: pygame.Rect, callback: Callable[[], None]) -> Button:
    """The Train button; `callback` starts training in a background thread."""
    return Button(rect, LABEL, callback, HOTKEYS, TOOLTIP)
