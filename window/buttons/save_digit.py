"""The ten label buttons 0-9: save the drawing with that label, then clear the canvas."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button


def create(rect: pygame.Rect, digit: int, callback: Callable[[], None]) -> Button:
    """The button for `digit`; `callback` saves the drawing labelled `digit`."""
    return Button(rect, str(digit), callback,
                  hotkeys=(str(digit), f"Keypad {digit}"),
                  tooltip=f"Save the drawing as a {digit}, then clear the canvas",
                  font_name="large")
