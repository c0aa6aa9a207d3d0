"""The two answers of a "Are you sure?" question: Yes (Enter) and No (Esc)."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button


def create_yes(rect: pygame.Rect, label: str, callback: Callable[[], None]) -> Button:
    """The button that does it; Enter presses it too."""
    return Button(rect, label, callback, hotkeys=("Return", "Keypad Enter"), tooltip="Yes, do it")


def create_no(rect: pygame.Rect, label: str, callback: Callable[[], None]) -> Button:
    """The button that keeps everything as it is; Esc presses it too."""
    return Button(rect, label, callback, hotkeys=("Escape",), tooltip="No, change nothing")
