"""Undo (in the browser and the mistakes list): take back the newest change of this session."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button

LABEL = "Undo"
HOTKEYS = ("Ctrl+Z",)
TOOLTIP = "Take back your newest save, delete or relabel"


def create(rect: pygame.Rect, callback: Callable[[], None]) -> Button:
    """The Undo button of a drawing list; `callback` undoes the newest change."""
    return Button(rect, LABEL, callback, HOTKEYS, TOOLTIP)
