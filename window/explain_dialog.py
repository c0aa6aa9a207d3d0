"""A longer explanation over the window (why a network always names a digit, ...), closed with one key.

The status line and the tabs say things in one short line; when a learner asks "why?", this box
gives the whole answer in plain sentences. Esc, Enter or Got it closes it.
"""
from __future__ import annotations

import pygame

from mling import familiarity
from window import theme
from window.buttons import insight

WIDTH = 640                          # design pixels (smaller windows get a narrower box)


class ExplainDialog:
    """A title and a paragraph or two (separated by blank lines), until Got it."""

    def __init__(self, title: str, text: str) -> None:
        self.title, self.text = title, text
        self.open = True
        self.close_button = insight.GOT_IT.button(self)
        self.buttons = [self.close_button]
        self.window_rect = self.panel = self.text_rect = pygame.Rect(0, 0, 0, 0)
        self._shade: pygame.Surface | None = None

    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.text.split("\n\n") if part.strip()]

    def lay_out(self, window_rect: pygame.Rect, look: theme.Look) -> None:
        self.window_rect = pygame.Rect(window_rect)
        width = min(look.px(WIDTH), window_rect.width - look.px(40))
        text_width = width - look.px(48)
        font = look.body
        paragraphs = self.paragraphs()
        text_height = sum(theme.paragraph_height(font, part, text_width) for part in paragraphs) \
            + look.px(10) * (len(paragraphs) - 1)
        height = look.px(24) + look.heading.get_linesize() + look.px(14) + text_height + look.px(20) + look.px(62)
        self.panel = pygame.Rect(0, 0, width, min(height, window_rect.height - look.px(20)))
        self.panel.center = self.window_rect.center
        label_width = max(look.body_bold.size(self.close_button.label)[0] + look.px(32), look.px(120))
        self.close_button.rect = pygame.Rect(self.panel.right - look.px(24) - label_width,
                                             self.panel.bottom - look.px(62), label_width, look.px(40))
        top = self.panel.y + look.px(24) + look.heading.get_linesize() + look.px(14)
        self.text_rect = pygame.Rect(self.panel.x + look.px(24), top, text_width,
                                     self.close_button.rect.y - look.px(12) - top)
        self._shade = pygame.Surface(self.window_rect.size, pygame.SRCALPHA)
        self._shade.fill(theme.OVERLAY)

    def close(self) -> None:
        self.open = False

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Every event is the dialog's while it is open."""
        self.close_button.handle_event(event)
        return True

    def update(self, dt: float, look: theme.Look) -> None:
        pass

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        return [("explain text", self.text_rect), ("explain close", self.close_button.rect)]

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        surface.blit(self._shade, self.window_rect)
        theme.draw_panel(surface, look, self.panel)
        x = self.panel.x + look.px(24)
        theme.draw_text(surface, look, look.heading, self.title, (x, self.panel.y + look.px(24)), theme.WARNING,
                        max_width=self.panel.width - look.px(48))
        y = self.text_rect.y
        for part in self.paragraphs():
            height = theme.paragraph_height(look.body, part, self.text_rect.width)
            theme.draw_paragraph(surface, look, look.body, part,
                                 pygame.Rect(x, y, self.text_rect.width, min(height, self.text_rect.bottom - y)))
            y += height + look.px(10)
        self.close_button.draw(surface, look)


def why_it_always_guesses() -> ExplainDialog:
    """Why a network that must pick one of ten answers picks one even for a star, and how MLing can
    tell (familiarity.WHY_IT_GUESSES_ANYWAY in two paragraphs, its opening question as the title)."""
    question, _, answer = familiarity.WHY_IT_GUESSES_ANYWAY.partition("? ")
    return ExplainDialog("Why does it always name a digit?" if answer else "Why it guesses anyway",
                         (answer or question).replace(" To say ", "\n\nTo say ", 1))
