"""The digit filter of the browser: show only the drawings labelled with one digit, or all."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button


def create(rect: pygame.Rect, digit: int | None, callback: Callable[[], None]) -> Button:
    """The filter button for `digit` (None: every digit); `callback` applies the filter."""
    label = "All" if digit is None else str(digit)
    tooltip = "Show every digit" if digit is None else f"Show only the drawings labelled {digit}"
    return Button(rect, label, callback, tooltip=tooltip)
