"""A Slider: a label, a track with a knob you drag (or click, or turn the mouse wheel over), and its value.

Used for the augmentation strengths, where "a bit more" is easier to feel on a track than to
pick from a list. The value snaps to `step`, so it is always one of a few round numbers.
"""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window import theme

KNOB_RADIUS = 8              # design pixels
VALUE_WIDTH = 78
TRACK_HEIGHT = 4


class Slider:
    """Choose a number from `low` to `high` in steps of `step`; `on_change(value)` runs after every change."""

    def __init__(self, label: str, low: float, high: float, step: float, value: float, tooltip: str = "",
                 format_value: Callable[[float], str] = lambda value: f"{value:g}",
                 on_change: Callable[[float], None] | None = None) -> None:
        self.label, self.tooltip = label, tooltip
        self.low, self.high, self.step = low, high, step
        self.format_value = format_value
        self.on_change = on_change
        self.value = self._snapped(value)
        self.enabled = True
        self.rect = self.label_rect = self.track = self.value_rect = pygame.Rect(0, 0, 0, 0)
        self.knob_radius = KNOB_RADIUS
        self.hovered = self.dragging = False

    def _snapped(self, value: float) -> float:
        steps = round((min(max(value, self.low), self.high) - self.low) / self.step)
        return round(self.low + steps * self.step, 10)

    def lay_out(self, rect: pygame.Rect, look: theme.Look, label_width: int) -> None:
        """The label in the first `label_width` pixels, the value at the right end, the track between."""
        self.rect = pygame.Rect(rect)
        self.knob_radius = look.px(KNOB_RADIUS)
        self.label_rect = pygame.Rect(rect.x, rect.y, label_width, rect.height)
        self.value_rect = pygame.Rect(rect.right - look.px(VALUE_WIDTH), rect.y, look.px(VALUE_WIDTH), rect.height)
        left = self.label_rect.right + look.px(8) + self.knob_radius
        right = self.value_rect.x - look.px(8) - self.knob_radius
        self.track = pygame.Rect(left, rect.centery - look.px(TRACK_HEIGHT) // 2, max(1, right - left),
                                 look.px(TRACK_HEIGHT))

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        slide = pygame.Rect(self.track.x - self.knob_radius, self.rect.y, self.track.width + 2 * self.knob_radius,
                            self.rect.height)
        return [(f"{self.label} label", self.label_rect), (f"{self.label} slider", slide),
                (f"{self.label} value", self.value_rect)]

    def tooltip_text(self) -> str:
        return self.tooltip

    @property
    def knob_x(self) -> int:
        return round(self.track.x + (self.value - self.low) / (self.high - self.low) * self.track.width)

    def set_value(self, value: float) -> None:
        """Show `value` (snapped) without reporting a change."""
        self.value = self._snapped(value)

    def _choose(self, value: float) -> None:
        value = self._snapped(value)
        if value != self.value:
            self.value = value
            if self.on_change is not None:
                self.on_change(value)

    def _value_at(self, x: int) -> float:
        share = (x - self.track.x) / self.track.width
        return self.low + share * (self.high - self.low)

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Press on the slide to jump there and drag; the wheel over it moves one step."""
        if not self.enabled:
            self.dragging = False
            return False
        slide = self.track.inflate(2 * self.knob_radius, 2 * self.knob_radius)
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.rect.collidepoint(event.pos)
            if self.dragging:
                self._choose(self._value_at(event.pos[0]))
                return True
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and slide.collidepoint(event.pos):
            self.dragging = True
            self._choose(self._value_at(event.pos[0]))
            return True
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.dragging:
            self.dragging = False
            return True
        elif event.type == pygame.MOUSEWHEEL and self.hovered and event.y != 0:
            self._choose(self.value + (self.step if event.y > 0 else -self.step))
            return True
        return False

    def forget_mouse(self) -> None:
        self.hovered = self.dragging = False

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        colour = theme.TEXT if self.enabled else theme.MUTED_TEXT
        theme.draw_text(surface, look, look.body, self.label, self.label_rect.midleft, colour, anchor="midleft",
                        max_width=self.label_rect.width)
        radius = self.track.height // 2
        pygame.draw.rect(surface, theme.PANEL_BORDER, self.track, border_radius=radius)
        filled = pygame.Rect(self.track.x, self.track.y, self.knob_x - self.track.x, self.track.height)
        if filled.width > 0 and self.enabled:
            pygame.draw.rect(surface, theme.ACCENT_DARK, filled, border_radius=radius)
        knob = (self.knob_x, self.track.centery)
        fill = theme.ACCENT if self.enabled and (self.hovered or self.dragging) else (
            theme.TEXT if self.enabled else theme.BUTTON_DISABLED)
        pygame.draw.circle(surface, fill, knob, self.knob_radius)
        pygame.draw.circle(surface, theme.PANEL_BORDER, knob, self.knob_radius, width=1)
        theme.draw_text(surface, look, look.body_bold, self.format_value(self.value), self.value_rect.midright,
                        colour, anchor="midright", max_width=self.value_rect.width)
