"""A progress bar with its words inside ("B: epoch 12 of 30"), and a paragraph drawn only if it fits.

Used by the Experiments and Class tabs for work that runs in the background.
"""
from __future__ import annotations

import pygame

from window import theme


def draw_progress_bar(surface: pygame.Surface, look: theme.Look, rect: pygame.Rect, fraction: float,
                      text: str, colour=theme.ACCENT_DARK) -> None:
    """A bar filled to `fraction` (0..1) with `text` centred on it (shortened with … when narrow)."""
    radius = look.px(4)
    pygame.draw.rect(surface, theme.CANVAS_BACKGROUND, rect, border_radius=radius)
    filled = pygame.Rect(rect.x, rect.y, round(rect.width * min(max(fraction, 0.0), 1.0)), rect.height)
    if filled.width:
        pygame.draw.rect(surface, colour, filled, border_radius=radius)
    pygame.draw.rect(surface, theme.PANEL_BORDER, rect, width=1, border_radius=radius)
    if text:
        shown = theme.first_that_fits(look.small, (text, theme.fit_text(look.small, text, rect.width - look.px(12))),
                                      rect.width - look.px(12))
        theme.draw_text(surface, look, look.small, shown, rect.center, theme.TEXT, anchor="center")


def paragraph_fits(font: pygame.font.Font, text: str, rect: pygame.Rect) -> bool:
    return theme.paragraph_height(font, text, rect.width) <= rect.height


def draw_paragraph_if_fits(surface: pygame.Surface, look: theme.Look, font: pygame.font.Font, text: str,
                           rect: pygame.Rect, colour=theme.TEXT) -> int:
    """draw_paragraph, but only when all of `text` fits in `rect` (else nothing): for extra words that
    a small window can do without. Returns the height used (0 when left out)."""
    if not text or not paragraph_fits(font, text, rect):
        return 0
    lines = theme.draw_paragraph(surface, look, font, text, rect, colour)
    return lines * font.get_linesize()
