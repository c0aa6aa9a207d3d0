"""Prompt: let the app ask for the digit you have drawn least, so the dataset stays balanced."""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window.buttons.button import Button

LABEL = "Prompt"
HOTKEYS = ("P",)
TOOLTIP = "Ask for the digit you have drawn least (on or off)"


def create(rect: pygame.Rect, callback: Callable[[], None]) -> Button:
    """The Prompt toggle; `callback` switches prompt mode on or off."""
    return Button(rect, LABEL, callback, HOTKEYS, TOOLTIP)
