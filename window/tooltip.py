"""Tooltips: rest the mouse on a button for a moment and a short explanation with its shortcut appears."""
from __future__ import annotations

import pygame

from window import theme

DELAY_SECONDS = 0.6      # long enough not to flicker while the mouse passes by
PADDING = 6              # design pixels


class Tooltip:
    """Tracks which button the mouse rests on and draws its tooltip next to the mouse."""

    def __init__(self) -> None:
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

    @property
    def showing(self):
        """The button whose tooltip is on screen, or None."""
        return self.button if self.button is not None and self.resting >= DELAY_SECONDS else None

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        if self.showing is None:
            return
        window = surface.get_rect()
        pad = look.px(PADDING)
        text = theme.fit_text(look.small, self.button.tooltip_text(), window.width - look.px(40))
        rendered = look.render(look.small, text, theme.TEXT)
        box = rendered.get_rect().inflate(2 * pad, 2 * pad)
        box.topleft = (self.mouse_position[0] + look.px(14), self.mouse_position[1] + look.px(20))
        box = box.clamp(window)                  # never off the edge of the window
        if box.collidepoint(self.mouse_position):  # never under the mouse: flip above it
            box.bottom = self.mouse_position[1] - look.px(8)
            box = box.clamp(window)
        pygame.draw.rect(surface, theme.BUTTON_PRESSED, box, border_radius=look.px(4))
        pygame.draw.rect(surface, theme.PANEL_BORDER, box, width=1, border_radius=look.px(4))
        surface.blit(rendered, rendered.get_rect(center=box.center))
