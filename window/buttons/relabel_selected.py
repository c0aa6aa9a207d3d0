"""The ten relabel buttons 0-9 of the browser and the mistakes list: give the selected drawings this label."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button


def create(rect: pygame.Rect, digit: int, callback: Callable[[], None]) -> Button:
    """The button for `digit`; `callback` relabels the selected drawings as `digit`."""
    return Button(rect, str(digit), callback, hotkeys=(str(digit), f"Keypad {digit}"),
                  tooltip=f"Label the selected drawings as {digit}")
