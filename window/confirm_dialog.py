"""An "Are you sure?" box over the window, for the one step that removes many drawings at once.

It covers everything (like the help overlay) until one of its two buttons is pressed: Enter for
yes, Esc for no. Nothing happens unless the user says yes.
"""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window import theme
from window.buttons import confirm_choice

WIDTH, HEIGHT = 620, 230


class ConfirmDialog:
    """A question, a longer explanation, and Yes / No; `on_yes()` runs only after Yes."""

    def __init__(self, window_rect: pygame.Rect, question: str, explanation: str, yes_label: str,
                 no_label: str, on_yes: Callable[[], None]) -> None:
        self.window_rect = pygame.Rect(window_rect)
        self.question, self.explanation = question, explanation
        self.on_yes = on_yes
        self.open = True
        self.panel = pygame.Rect(0, 0, WIDTH, HEIGHT)
        self.panel.center = self.window_rect.center
        bottom = self.panel.bottom - 58
        self.no = confirm_choice.create_no(pygame.Rect(self.panel.right - 200, bottom, 176, 40), no_label,
                                           self.close)
        self.yes = confirm_choice.create_yes(pygame.Rect(self.panel.right - 200 - 16 - 196, bottom, 196, 40),
                                             yes_label, self.confirm)
        self.buttons = [self.yes, self.no]
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

    def draw(self, surface: pygame.Surface, fonts: theme.Fonts) -> None:
        surface.blit(self._shade, self.window_rect)
        theme.draw_panel(surface, self.panel)
        theme.draw_text(surface, fonts, fonts.heading, self.question, (self.panel.x + 24, self.panel.y + 20),
                        theme.WARNING, max_width=self.panel.width - 48)
        y = self.panel.y + 58
        for line in theme.wrap_text(fonts.body, self.explanation, self.panel.width - 48)[:4]:
            theme.draw_text(surface, fonts, fonts.body, line, (self.panel.x + 24, y))
            y += fonts.body.get_linesize()
        for button in self.buttons:
            button.draw(surface, fonts)
