"""Undo: take the last saved drawing back out of data.json (a mislabelled 7 is one key away)."""
from __future__ import annotations

from typing import Callable

import pygame

from window.buttons.button import Button

LABEL = "Undo"
HOTKEYS = ("Ctrl+Z",)
TOOLTIP = "Remove the last drawing you saved from data.json"


def create(rect: pygame.Rect, callback: Callable[[], None]) -> Button:
    """The Undo button; `callback` removes the last saved drawing."""
    return Button(rect, LABEL, callback, HOTKEYS, TOOLTIP)
