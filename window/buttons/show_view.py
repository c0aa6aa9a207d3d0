"""The tabs along the bottom: switch between Draw & train, Inside the network, Mistakes, All drawings."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button

TAB_KEYS = ("F2", "F3", "F4", "F5")     # and Tab goes to the next tab (window/views.py)


def create(rect: pygame.Rect, label: str, number: int, tooltip: str, callback: Callable[[], None]) -> Button:
    """The tab for view `number` (0-3); `callback` shows that view."""
    return Button(rect, label, callback, hotkeys=(TAB_KEYS[number],), tooltip=tooltip)
