"""Colours, fonts and a text cache: the whole look of the window in one place.

A calm dark theme: dark grey panels, near-white text, one blue accent for "the network's answer",
green for "saved", amber for "careful", red for "something is wrong". Fonts are loaded only after
pygame.init() (see Fonts), so importing this module opens nothing.
"""
from __future__ import annotations

import pygame

# Window size: fits a 1280x800 laptop screen with room for the title bar and the task bar.
WINDOW_SIZE = (1100, 700)
FRAMES_PER_SECOND = 60

# Colours (R, G, B).
BACKGROUND = (24, 26, 33)
PANEL = (33, 36, 45)
PANEL_BORDER = (56, 61, 75)
CANVAS_BACKGROUND = (10, 11, 14)     # the drawing surface: ink is bright on near-black, like MNIST
INK = (246, 246, 240)
TEXT = (232, 234, 240)
MUTED_TEXT = (158, 165, 182)
ACCENT = (96, 170, 255)              # the network's answer, the training curves
ACCENT_DARK = (46, 86, 140)
SUCCESS = (112, 204, 140)
WARNING = (240, 192, 96)
ERROR = (244, 118, 118)
VALIDATION = (250, 176, 90)          # the validation-accuracy curve, next to ACCENT for training
BUTTON = (50, 55, 69)
BUTTON_HOVER = (66, 73, 92)
BUTTON_PRESSED = (38, 42, 54)
BUTTON_DISABLED = (40, 43, 52)
BUTTON_ACTIVE = (46, 86, 140)        # a toggle that is on, or the digit the app asks for
OVERLAY = (14, 15, 20, 230)          # help overlay, drawn over everything

# Font sizes in points. The body size stays readable at arm's length on a laptop.
SMALL_SIZE = 15
BODY_SIZE = 18
HEADING_SIZE = 20
LARGE_SIZE = 28
HUGE_SIZE = 96

# Fonts tried in order; pygame falls back to its own bundled font when none is installed.
FONT_NAMES = "dejavusans,freesans,liberationsans,arial,helvetica,segoeui"

TEXT_CACHE_LIMIT = 400  # rendered strings kept; text that does not change is not re-rendered


class Fonts:
    """The fonts the window uses, and a cache of rendered text (rendering costs ~0.1 ms each)."""

    def __init__(self) -> None:
        self.small = pygame.font.SysFont(FONT_NAMES, SMALL_SIZE)
        self.body = pygame.font.SysFont(FONT_NAMES, BODY_SIZE)
        self.body_bold = pygame.font.SysFont(FONT_NAMES, BODY_SIZE, bold=True)
        self.heading = pygame.font.SysFont(FONT_NAMES, HEADING_SIZE, bold=True)
        self.large = pygame.font.SysFont(FONT_NAMES, LARGE_SIZE, bold=True)
        self.huge = pygame.font.SysFont(FONT_NAMES, HUGE_SIZE, bold=True)
        self._cache: dict[tuple, pygame.Surface] = {}

    def render(self, font: pygame.font.Font, text: str, colour: tuple[int, int, int]) -> pygame.Surface:
        """Render `text` once and reuse the surface on later frames."""
        key = (id(font), text, colour)
        surface = self._cache.get(key)
        if surface is None:
            if len(self._cache) >= TEXT_CACHE_LIMIT:
                self._cache.clear()
            surface = font.render(text, True, colour)
            self._cache[key] = surface
        return surface


def fit_text(font: pygame.font.Font, text: str, max_width: int) -> str:
    """Shorten `text` with an ellipsis so it fits in `max_width` pixels (long messages never overlap)."""
    if font.size(text)[0] <= max_width:
        return text
    while text and font.size(text + "…")[0] > max_width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap_text(font: pygame.font.Font, text: str, max_width: int) -> list[str]:
    """Split `text` into lines no wider than `max_width` pixels, breaking between words."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and font.size(candidate)[0] > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def draw_text(surface: pygame.Surface, fonts: Fonts, font: pygame.font.Font, text: str,
              position: tuple[int, int], colour=TEXT, max_width: int | None = None,
              anchor: str = "topleft") -> pygame.Rect:
    """Draw one line of text; `anchor` is a pygame.Rect attribute name such as "center"."""
    if max_width is not None:
        text = fit_text(font, text, max_width)
    rendered = fonts.render(font, text, colour)
    rect = rendered.get_rect(**{anchor: position})
    surface.blit(rendered, rect)
    return rect


def draw_panel(surface: pygame.Surface, rect: pygame.Rect) -> None:
    """A rounded panel behind a group of controls."""
    pygame.draw.rect(surface, PANEL, rect, border_radius=8)
    pygame.draw.rect(surface, PANEL_BORDER, rect, width=1, border_radius=8)
