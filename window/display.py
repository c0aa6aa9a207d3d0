"""The window itself: open it resizable, switch full screen on and off, and find out whether there is a screen.

Only these functions call pygame.display.set_mode, so the App asks for full screen without
knowing how, and the tests can run on SDL's dummy driver.
"""
from __future__ import annotations

import contextlib
import os
import warnings

import pygame

from window import theme

INVISIBLE_DRIVERS = ("offscreen", "dummy")    # SDL draws into memory: nobody would see the window


def no_screen_problem() -> str | None:
    """Why the window would be invisible, or None. Call after pygame.display.init().

    Without a screen SDL quietly falls back to its "offscreen" driver. That is only wanted when
    asked for on purpose (the tests set SDL_VIDEODRIVER=dummy).
    """
    driver = pygame.display.get_driver()
    asked = os.environ.get("SDL_VIDEODRIVER", "").strip().lower()
    if driver in INVISIBLE_DRIVERS and asked != driver:
        return ("no screen was found (SDL would draw the window invisibly, with its "
                f"'{driver}' driver). Run MLing on a desktop, or over SSH with 'ssh -X'. "
                "To run it without a screen on purpose, as the tests do, set SDL_VIDEODRIVER=dummy")
    return None


def open_window(size: tuple[int, int] = theme.WINDOW_SIZE) -> pygame.Surface:
    """A resizable window of `size`, which cannot be made smaller than theme.SMALLEST_WINDOW."""
    surface = pygame.display.set_mode(size, pygame.RESIZABLE)
    with warnings.catch_warnings(), contextlib.suppress(AttributeError, pygame.error):
        warnings.simplefilter("ignore", DeprecationWarning)
        pygame.Window.from_display_module().minimum_size = theme.SMALLEST_WINDOW
    return surface


def set_full_screen(on: bool, window_size: tuple[int, int]) -> bool:
    """Full screen at the desktop's own resolution, or back to a window of `window_size`.

    Returns whether the window is now full screen (False if the system refused). pygame makes a
    new window for the switch (pygame.display.toggle_fullscreen keeps the window's size instead of
    the screen's, which on a projector is the wrong one).
    """
    try:
        if on:
            pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        else:
            open_window(window_size)
    except pygame.error:
        with contextlib.suppress(pygame.error):
            open_window(window_size)
        return False
    return on
