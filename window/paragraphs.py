"""Text that adapts to its box: the longest of several wordings that fits, sentence by sentence shorter.

Tabs that explain (Map, Break it, Fool it) say a sentence or three in a box whose size follows the
window. draw_fitting() draws the first version that fits; shorter() makes those versions from a
text by dropping its last sentences one at a time, so at 800x600 the learner still reads the part
that matters most (written first), never a cut-off line.
"""
from __future__ import annotations

import pygame

from window import theme


def shorter(text: str) -> list[str]:
    """`text`, then `text` without its last sentence, and so on down to its first sentence."""
    sentences = [part for part in text.replace(". ", ".\n").split("\n") if part]
    return [" ".join(sentences[:count]) for count in range(len(sentences), 0, -1)]


def fits(font: pygame.font.Font, text: str, rect: pygame.Rect) -> bool:
    return theme.paragraph_height(font, text, rect.width) <= rect.height


def draw_fitting(surface: pygame.Surface, look: theme.Look, font: pygame.font.Font, text: str,
                 rect: pygame.Rect, colour=theme.TEXT, *more: str) -> int:
    """Draw the first of `text` (and its shorter versions), then `more` (and theirs), that fits in `rect`;
    the shortest of all when none does. Returns the lines drawn."""
    versions = [version for whole in (text, *more) for version in shorter(whole)]
    chosen = next((version for version in versions if fits(font, version, rect)), versions[-1] if versions else "")
    return theme.draw_paragraph(surface, look, font, chosen, rect, colour)
