"""Run: ask the network what the drawing is (it also runs by itself after every stroke)."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button

LABEL = "Run"
HOTKEYS = ("Return", "Keypad Enter", "R")
TOOLTIP = "Ask the network which digit this is"


def create(rect: pygame.Rect, callback: Callable[[], None]) -> Button:
    """The Run button; `callback` predicts the drawing on the canvas."""
    return Button(rect, LABEL, callback, HOTKEYS, TOOLTIP)
