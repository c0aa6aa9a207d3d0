"""Wrong?: the network guessed wrong; the next digit you press saves the drawing with the right label."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button

LABEL = "Wrong?"
HOTKEYS = ("W",)
TOOLTIP = "The guess is wrong: then press the right digit to save it"


def create(rect: pygame.Rect, callback: Callable[[], None]) -> Button:
    """The Wrong? button; `callback` asks which digit it really is."""
    return Button(rect, LABEL, callback, HOTKEYS, TOOLTIP)
