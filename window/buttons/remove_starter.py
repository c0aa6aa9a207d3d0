"""Remove starter set: delete every drawing MLing came with, after asking (Undo puts them back)."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button

LABEL = "Remove starter set…"
TOOLTIP = "Delete all starter drawings (you are asked first)"


def create(rect: pygame.Rect, callback: Callable[[], None]) -> Button:
    """The Remove starter set button; `callback` asks for confirmation."""
    return Button(rect, LABEL, callback, tooltip=TOOLTIP)
