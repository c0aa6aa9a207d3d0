"""A Slider: a name, a value shown in words, and a track with a knob to drag (or click, or turn the wheel over).

Used by Break it for the strength of each kind of damage, and by the training settings for the
strength of each kind of augmentation: dragging changes the value at once, so the picture and the
guess (or the preview of copies) follow the hand. It reads everything from the events themselves, so
the headless tests drive it with posted events.
"""
from __future__ import annotations

from collections.abc import Callable

import pygame

from window import theme

KNOB = 8                 # design pixels: the knob's radius
TRACK = 4                # design pixels: the track's thickness


class Slider:
    """Choose a value from `low` to `high` in steps of `step`; `on_change(value)` after every change."""

    def __init__(self, name: str, low: float, high: float, step: float, value: float,
                 describe: Callable[[float], str], on_change: Callable[[float], None], tooltip: str = "",
                 normal: float | None = None) -> None:
        """`normal`: the value that changes nothing, drawn plain (others in the warning colour); by
        default `low`, or 0 when the range spans it."""
        self.name, self.low, self.high, self.step = name, float(low), float(high), float(step)
        self.normal = normal
        self.describe = describe
        self.on_change = on_change
        self.tooltip = tooltip
        self.value = self.snap(value)
        self.rect = self.label_rect = self.value_rect = self.track_rect = pygame.Rect(0, 0, 0, 0)
        self.dragging = False
        self.hovered = False

    def snap(self, value: float) -> float:
        """`value` on the nearest step, within low..high."""
        steps = round((min(max(float(value), self.low), self.high) - self.low) / self.step)
        return round(min(self.high, self.low + steps * self.step), 6)

    def set_value(self, value: float) -> None:
        value = self.snap(value)
        if value != self.value:
            self.value = value
            self.on_change(value)

    def lay_out(self, rect: pygame.Rect, look: theme.Look) -> None:
        """The name and the value in words on one line, the track under them."""
        self.rect = pygame.Rect(rect)
        line = look.small.get_linesize()
        self.label_rect = pygame.Rect(rect.x, rect.y, rect.width, line)
        knob = look.px(KNOB)
        self.track_rect = pygame.Rect(rect.x + knob, self.label_rect.bottom + look.px(2),
                                      rect.width - 2 * knob, max(2 * knob, rect.bottom - self.label_rect.bottom - 2))

    @staticmethod
    def height(look: theme.Look) -> int:
        return look.small.get_linesize() + look.px(2) + 2 * look.px(KNOB) + look.px(2)

    def knob_x(self) -> int:
        share = (self.value - self.low) / (self.high - self.low) if self.high > self.low else 0.0
        return round(self.track_rect.x + share * self.track_rect.width)

    def value_at(self, x: int) -> float:
        share = (x - self.track_rect.x) / max(1, self.track_rect.width)
        return self.low + min(max(share, 0.0), 1.0) * (self.high - self.low)

    def handle_event(self, event: pygame.event.Event) -> bool:
        """True when the slider used the event."""
        grab = self.track_rect.inflate(2 * self.track_rect.height // 2, 0)
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.rect.collidepoint(event.pos)
            if self.dragging:
                self.set_value(self.value_at(event.pos[0]))
                return True
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and grab.collidepoint(event.pos):
            self.dragging = True
            self.set_value(self.value_at(event.pos[0]))
            return True
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.dragging:
            self.dragging = False
            return True
        elif event.type == pygame.MOUSEWHEEL and self.hovered and event.y:
            self.set_value(self.value + self.step * (1 if event.y > 0 else -1))
            return True
        return False

    def forget_mouse(self) -> None:
        self.dragging = self.hovered = False

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        if self.normal is not None:
            changed = self.value != self.normal
        else:
            changed = self.value != self.low and not (self.low < 0 < self.high and self.value == 0)
        words = self.describe(self.value)
        name = theme.draw_text(surface, look, look.small, self.name, self.label_rect.topleft,
                               theme.TEXT, max_width=self.label_rect.width)
        room = self.label_rect.right - name.right - look.px(8)
        if look.small.size(words)[0] <= room:
            theme.draw_text(surface, look, look.small, words, self.label_rect.topright,
                            theme.WARNING if changed else theme.MUTED_TEXT, anchor="topright")
        track = pygame.Rect(self.track_rect.x, self.track_rect.centery - look.px(TRACK) // 2,
                            self.track_rect.width, look.px(TRACK))
        pygame.draw.rect(surface, theme.BUTTON, track, border_radius=look.px(2))
        x = self.knob_x()
        zero_x = round(self.track_rect.x + (0.0 - self.low) / (self.high - self.low) * self.track_rect.width) \
            if self.low < 0 < self.high else track.x
        filled = pygame.Rect(min(zero_x, x), track.y, abs(x - zero_x), track.height)
        pygame.draw.rect(surface, theme.WARNING if changed else theme.BUTTON_HOVER, filled, border_radius=look.px(2))
        colour = theme.TEXT if (self.hovered or self.dragging) else theme.MUTED_TEXT
        pygame.draw.circle(surface, colour, (x, self.track_rect.centery), look.px(KNOB))
        pygame.draw.circle(surface, theme.PANEL_BORDER, (x, self.track_rect.centery), look.px(KNOB), width=1)
