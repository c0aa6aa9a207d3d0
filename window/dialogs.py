"""An "Are you sure?" box over the window, for the steps that change or lose many things at once.

It covers everything (like the help overlay) until one of its two buttons is pressed: Enter for
yes, Esc for no. Nothing happens unless the user says yes. The Session keeps the open dialogs
(session.open_dialog); the App draws the newest on top and gives it every event.
"""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window import theme
from window.buttons.navigation import CONFIRM_NO, CONFIRM_YES
from window.layout import right_to_left

WIDTH = 640                          # design pixels (smaller windows get a narrower box)


class ConfirmDialog:
    """A question, a longer explanation, and Yes / No; `on_yes()` runs only after Yes."""

    def __init__(self, question: str, explanation: str, yes_label: str, no_label: str,
                 on_yes: Callable[[], None]) -> None:
        self.question, self.explanation = question, explanation
        self.on_yes = on_yes
        self.open = True
        self.yes = CONFIRM_YES.button(self)
        self.no = CONFIRM_NO.button(self)
        self.yes.label, self.no.label = yes_label, no_label
        self.buttons = [self.yes, self.no]
        self.window_rect = pygame.Rect(0, 0, 0, 0)
        self.panel = pygame.Rect(0, 0, 0, 0)
        self._shade: pygame.Surface | None = None

    def lay_out(self, window_rect: pygame.Rect, look: theme.Look) -> None:
        self.window_rect = pygame.Rect(window_rect)
        width = min(look.px(WIDTH), window_rect.width - look.px(40))
        text_width = width - look.px(48)
        height = (look.px(24) + look.heading.get_linesize() + look.px(14)
                  + theme.paragraph_height(look.body, self.explanation, text_width) + look.px(20)
                  + look.px(40) + look.px(22))
        self.panel = pygame.Rect(0, 0, width, min(height, window_rect.height - look.px(20)))
        self.panel.center = self.window_rect.center
        row = pygame.Rect(self.panel.x + look.px(24), self.panel.bottom - look.px(62),
                          self.panel.width - look.px(48), look.px(40))
        widths = [max(look.body_bold.size(button.label)[0] + look.px(32), look.px(120))
                  for button in (self.no, self.yes)]
        self.no.rect, self.yes.rect = right_to_left(row, widths, look.px(16))
        self._shade = pygame.Surface(self.window_rect.size, pygame.SRCALPHA)
        self._shade.fill(theme.OVERLAY)

    def confirm(self) -> None:
        self.open = False
        self.on_yes()

    def close(self) -> None:
        self.open = False

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Every event is the dialog's while it is open (nothing behind it reacts)."""
        for button in self.buttons:
            if button.handle_event(event) and event.type == pygame.KEYDOWN:
                break
        return True

    def update(self, dt: float, look: theme.Look) -> None:
        pass

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        return [("dialog yes", self.yes.rect), ("dialog no", self.no.rect)]

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        surface.blit(self._shade, self.window_rect)
        theme.draw_panel(surface, look, self.panel)
        x, width = self.panel.x + look.px(24), self.panel.width - look.px(48)
        title = theme.draw_text(surface, look, look.heading, self.question, (x, self.panel.y + look.px(24)),
                                theme.WARNING, max_width=width)
        top = title.bottom + look.px(14)
        theme.draw_paragraph(surface, look, look.body, self.explanation,
                             pygame.Rect(x, top, width, self.yes.rect.y - look.px(12) - top))
        for button in self.buttons:
            button.draw(surface, look)
