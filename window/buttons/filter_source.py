"""The source filter of the browser: show or hide the drawings of one source (your own, starter, ...)."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button


def create(rect: pygame.Rect, label: str, tooltip: str, callback: Callable[[], None]) -> Button:
    """An on/off filter button for one source; `callback` switches it."""
    return Button(rect, label, callback, tooltip=tooltip, font_name="small")
