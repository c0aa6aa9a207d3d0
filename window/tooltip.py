"""Tooltips: rest the mouse on a button for a moment and a short explanation with its shortcut appears."""
from __future__ import annotations

import pygame

from window import theme

DELAY_SECONDS = 0.6      # long enough not to flicker while the mouse passes by
PADDING = 6


class Tooltip:
    """Tracks which button the mouse rests on and draws its tooltip next to the mouse."""

    def __init__(self, window_rect: pygame.Rect) -> None:
        self.window_rect = pygame.Rect(window_rect)
        self.button = None
        self.resting = 0.0                  # seconds the mouse has rested on self.button
        self.mouse_position = (0, 0)

    def update(self, dt: float, buttons, mouse_position: tuple[int, int]) -> None:
        hovered = next((button for button in buttons if button.hovered and button.tooltip), None)
        if hovered is not self.button:
            self.button, self.resting = hovered, 0.0
        else:
            self.resting += dt
        self.mouse_position = mouse_position

    def draw(self, surface: pygame.Surface, fonts: theme.Fonts) -> None:
        if self.button is None or self.resting < DELAY_SECONDS:
            return
        text = theme.fit_text(fonts.small, self.button.tooltip_text(), self.window_rect.width - 40)
        rendered = fonts.render(fonts.small, text, theme.TEXT)
        box = rendered.get_rect().inflate(2 * PADDING, 2 * PADDING)
        box.topleft = (self.mouse_position[0] + 14, self.mouse_position[1] + 20)
        box = box.clamp(self.window_rect)        # never off the edge of the window
        if box.collidepoint(self.mouse_position):  # never under the mouse: flip above it
            box.bottom = self.mouse_position[1] - 8
            box = box.clamp(self.window_rect)
        pygame.draw.rect(surface, theme.BUTTON_PRESSED, box, border_radius=4)
        pygame.draw.rect(surface, theme.PANEL_BORDER, box, width=1, border_radius=4)
        surface.blit(rendered, rendered.get_rect(center=box.center))
