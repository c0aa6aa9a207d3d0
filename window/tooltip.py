"""Tooltips: what appears next to the mouse when it rests on something.

Three kinds, the first that applies wins:
  1. a card of numbers from the tab (a neuron's sum, a weight: window/hover_cards.py), at once;
  2. a button's explanation with its shortcut, after a moment;
  3. the plain meaning of a word a beginner may not know (window/glossary.py), after a moment,
     for the word under the mouse in any text on screen: a heading, a setting, the status line.
A button whose label has such words (or whose explanation starts with one: a stepper's − and +)
gets their meanings under its own line.
"""
from __future__ import annotations

import pygame

from window import glossary, theme
from window.hover_cards import Card

DELAY_SECONDS = 0.6      # long enough not to flicker while the mouse passes by
PADDING = 6              # design pixels
CARD_WIDTH = 460         # design pixels: the widest a tooltip gets before its lines wrap
MOST_TERMS = 2           # a label with more glossary words explains only the first ones


def word_under(texts: list[tuple[str, pygame.Rect, pygame.font.Font]], position: tuple[int, int]) -> tuple[str, ...]:
    """The glossary term of the text under `position`: the one under the mouse, else the nearest in that line."""
    for text, rect, font in texts:
        if not rect.collidepoint(position):
            continue
        spans = glossary.term_spans(text)
        if spans:
            distances = []
            for _, start, end in spans:
                left, right = rect.x + font.size(text[:start])[0], rect.x + font.size(text[:end])[0]
                distances.append(0 if left <= position[0] <= right else min(abs(position[0] - left),
                                                                            abs(position[0] - right)))
            return (spans[distances.index(min(distances))][0],)
    return ()


def button_term(tooltip: str) -> list[str]:
    """The term a tooltip is about, when it starts with one ("Learning rate: bigger." on a stepper's + button)."""
    spans = glossary.term_spans(tooltip)
    return [spans[0][0]] if spans and spans[0][1] == 0 else []


class Tooltip:
    """Tracks what the mouse rests on and draws its tooltip next to the mouse."""

    def __init__(self) -> None:
        self.button = None
        self.words: tuple[str, ...] = ()    # glossary terms of the text under the mouse
        self.card: Card | None = None       # numbers from the tab, shown at once
        self.resting = 0.0                  # seconds the mouse has rested on the same thing
        self.mouse_position = (0, 0)

    def update(self, dt: float, buttons, mouse_position: tuple[int, int], card: Card | None = None,
               texts: list[tuple[str, pygame.Rect, pygame.font.Font]] = ()) -> None:
        """`card`: the tab's numbers under the mouse; `texts`: (text, rect, font) of what is on screen."""
        hovered = next((button for button in buttons if button.hovered and button.tooltip), None)
        words: tuple[str, ...] = ()
        if hovered is None and card is None:
            words = word_under(texts, mouse_position)
        if hovered is not self.button or words != self.words:
            self.button, self.words, self.resting = hovered, words, 0.0
        else:
            self.resting += dt
        self.card = card
        self.mouse_position = mouse_position

    @property
    def showing(self):
        """What the tooltip on screen is about (a card's text, a button, glossary words), or None."""
        if self.card is not None:
            return self.card.text
        if self.resting < DELAY_SECONDS:
            return None
        if self.button is not None:
            return self.button
        return self.words or None

    def content(self) -> tuple[str, list[str]] | None:
        """(bold first line, lines under it) of the tooltip on screen, or None."""
        if self.card is not None:
            return self.card.title, self.card.lines
        if self.showing is None:
            return None
        if self.button is not None:
            label = self.button.action.label if self.button.action is not None else self.button.label
            terms = glossary.terms_in(label)[:MOST_TERMS] or button_term(self.button.tooltip)
            return self.button.tooltip_text(), [f"{glossary.shown_name(term)}: {glossary.explain(term)}"
                                                for term in terms]
        first, *others = self.words
        return (f"{glossary.shown_name(first)}: {glossary.explain(first)}",
                [f"{glossary.shown_name(term)}: {glossary.explain(term)}" for term in others])

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        content = self.content()
        if content is None:
            return
        title, lines = content
        window = surface.get_rect()
        pad = look.px(PADDING)
        width = min(look.px(CARD_WIDTH), window.width - look.px(40))
        first_font = look.body_bold if self.card is not None else look.small
        under = theme.TEXT if self.card is not None else theme.MUTED_TEXT     # a card's lines are its numbers
        rendered = [look.render(first_font, part, theme.TEXT) for part in theme.wrap_text(first_font, title, width)]
        for line in lines:
            indent = line[:len(line) - len(line.lstrip())]                    # a card's inputs are indented
            rendered += [look.render(look.small, indent + part, under)
                         for part in theme.wrap_text(look.small, line, width - look.px(20))]
        box = pygame.Rect(0, 0, max(part.get_width() for part in rendered) + 2 * pad,
                          sum(part.get_height() for part in rendered) + 2 * pad)
        box.topleft = (self.mouse_position[0] + look.px(14), self.mouse_position[1] + look.px(20))
        box = box.clamp(window)                  # never off the edge of the window
        if box.collidepoint(self.mouse_position):  # never under the mouse: flip above it
            box.bottom = self.mouse_position[1] - look.px(8)
            box = box.clamp(window)
        if box.collidepoint(self.mouse_position):  # a tall card: beside the mouse instead
            box.right = self.mouse_position[0] - look.px(14)
            box = box.clamp(window)
        pygame.draw.rect(surface, theme.BUTTON_PRESSED, box, border_radius=look.px(4))
        pygame.draw.rect(surface, theme.PANEL_BORDER, box, width=1, border_radius=look.px(4))
        y = box.y + pad
        for part in rendered:
            surface.blit(part, (box.x + pad, y))
            y += part.get_height()
