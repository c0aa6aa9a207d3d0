"""A Stepper: a label, a value from a short list, and − / + buttons (or the mouse wheel) to change it.

Picking from a list of sensible values is easier for a beginner than typing a number, and it can
never produce an invalid setting. Used for the brush size, epochs, learning rate and batch size.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from window import theme
from window.buttons.button import Button

STEP_BUTTON_WIDTH = 34
VALUE_WIDTH = 70


class Stepper:
    """Choose one of `options` with − and + buttons; `on_change(value)` runs after every change."""

    def __init__(self, rect: pygame.Rect, label: str, options: Sequence, value,
                 tooltip: str = "", format_value: Callable[[object], str] = str,
                 hotkeys_down: tuple[str, ...] = (), hotkeys_up: tuple[str, ...] = (),
                 on_change: Callable[[object], None] | None = None,
                 value_width: int = VALUE_WIDTH) -> None:
        self.rect = pygame.Rect(rect)
        self.label = label
        self.options = sorted(set(options) | {value})   # the default is always one of the choices
        self.index = self.options.index(value)
        self.format_value = format_value
        self.on_change = on_change
        plus_rect = pygame.Rect(self.rect.right - STEP_BUTTON_WIDTH, self.rect.y,
                                STEP_BUTTON_WIDTH, self.rect.height)
        self.value_rect = pygame.Rect(plus_rect.x - value_width, self.rect.y, value_width, self.rect.height)
        minus_rect = pygame.Rect(self.value_rect.x - STEP_BUTTON_WIDTH, self.rect.y,
                                 STEP_BUTTON_WIDTH, self.rect.height)
        self.minus = Button(minus_rect, "−", self.decrease, hotkeys_down,
                            tooltip=f"{label}: smaller. {tooltip}".strip())
        self.plus = Button(plus_rect, "+", self.increase, hotkeys_up,
                           tooltip=f"{label}: bigger. {tooltip}".strip())
        self.buttons = [self.minus, self.plus]
        self.hovered = False  # from MOUSEMOTION events: the wheel event itself carries no position

    @property
    def value(self):
        """The chosen value."""
        return self.options[self.index]

    def set_index(self, index: int) -> None:
        """Move to option `index` (kept inside the list) and report the change."""
        index = max(0, min(len(self.options) - 1, index))
        if index != self.index:
            self.index = index
            if self.on_change is not None:
                self.on_change(self.value)

    def decrease(self) -> None:
        self.set_index(self.index - 1)

    def increase(self) -> None:
        self.set_index(self.index + 1)

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Buttons first, then the mouse wheel anywhere over the control."""
        used = False
        for button in self.buttons:
            used = button.handle_event(event) or used
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.rect.collidepoint(event.pos)
        elif event.type == pygame.MOUSEWHEEL and self.hovered and event.y != 0:
            self.set_index(self.index + (1 if event.y > 0 else -1))
            return True
        return used

    def draw(self, surface: pygame.Surface, fonts: theme.Fonts) -> None:
        label_width = self.minus.rect.x - self.rect.x - 8
        theme.draw_text(surface, fonts, fonts.body, self.label, (self.rect.x, self.rect.centery),
                        theme.TEXT, max_width=label_width, anchor="midleft")
        pygame.draw.rect(surface, theme.CANVAS_BACKGROUND, self.value_rect)
        pygame.draw.rect(surface, theme.PANEL_BORDER, self.value_rect, width=1)
        theme.draw_text(surface, fonts, fonts.body_bold, self.format_value(self.value),
                        self.value_rect.center, max_width=self.value_rect.width - 6, anchor="center")
        for button in self.buttons:
            button.draw(surface, fonts)
