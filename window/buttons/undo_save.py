"""Undo: take back the newest change of this session (a drawing saved with the wrong digit is back on the canvas)."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button

LABEL = "Undo"
HOTKEYS = ("Ctrl+Z",)
TOOLTIP = "Take back your newest save, delete or relabel"


def create(rect: pygame.Rect, callback: Callable[[], None]) -> Button:
    """The Undo button; `callback` takes back the newest change."""
    return Button(rect, LABEL, callback, HOTKEYS, TOOLTIP)
