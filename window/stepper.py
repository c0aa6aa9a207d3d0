"""A Stepper: a label, a value from a short list, and − / + buttons (or the mouse wheel) to change it.

Picking from a list of sensible values is easier for a beginner than typing a number, and it can
never produce an invalid setting. Used for the brush size, epochs, learning rate and batch size.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from window import theme
from window.buttons.button import Button

STEP_BUTTON_WIDTH = 34      # design pixels
VALUE_WIDTH = 70


class Stepper:
    """Choose one of `options` with − and + buttons; `on_change(value)` runs after every change."""

    def __init__(self, label: str | tuple[str, ...], options: Sequence, value,
                 tooltip: str = "", format_value: Callable[[object], str] = str,
                 hotkeys_down: tuple[str, ...] = (), hotkeys_up: tuple[str, ...] = (),
                 on_change: Callable[[object], None] | None = None,
                 value_width: int = VALUE_WIDTH) -> None:
        self.labels = (label,) if isinstance(label, str) else tuple(label)   # the longest first
        self.label = self.labels[0]
        self.show_label = True
        self.options = sorted(set(options) | {value})   # the default is always one of the choices
        self.index = self.options.index(value)
        self.format_value = format_value
        self.on_change = on_change
        self.value_width = value_width
        self.minus = Button((0, 0, 0, 0), "−", self.decrease, hotkeys_down,
                            tooltip=f"{self.label}: smaller. {tooltip}".strip())
        self.plus = Button((0, 0, 0, 0), "+", self.increase, hotkeys_up,
                           tooltip=f"{self.label}: bigger. {tooltip}".strip())
        self.buttons = [self.minus, self.plus]
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.value_rect = pygame.Rect(0, 0, 0, 0)
        self.hovered = False  # from MOUSEMOTION events: the wheel event itself carries no position

    def lay_out(self, rect: pygame.Rect, look: theme.Look) -> None:
        """The label on the left, then − value + at the right end of `rect`."""
        self.rect = pygame.Rect(rect)
        step = look.px(STEP_BUTTON_WIDTH)
        self.plus.rect = pygame.Rect(self.rect.right - step, self.rect.y, step, self.rect.height)
        self.value_rect = pygame.Rect(self.plus.rect.x - look.px(self.value_width), self.rect.y,
                                      look.px(self.value_width), self.rect.height)
        self.minus.rect = pygame.Rect(self.value_rect.x - step, self.rect.y, step, self.rect.height)
        room = self.minus.rect.x - self.rect.x - look.px(8)
        fitting = [label for label in self.labels if look.body.size(label)[0] <= room]
        self.show_label = bool(fitting)              # too narrow for any: the tooltips still say it
        self.label = fitting[0] if fitting else self.labels[-1]

    def boxes_width(self, look: theme.Look) -> int:
        """The − value + boxes without the label."""
        return look.px(2 * STEP_BUTTON_WIDTH + self.value_width)

    def named_rects(self) -> list[tuple[str, pygame.Rect]]:
        named = [(f"{self.label} −", self.minus.rect), (f"{self.label} value", self.value_rect),
                 (f"{self.label} +", self.plus.rect)]
        if self.show_label:
            named.append((f"{self.label} label", pygame.Rect(self.rect.x, self.rect.y,
                                                             self.minus.rect.x - self.rect.x, self.rect.height)))
        return named

    @property
    def value(self):
        """The chosen value."""
        return self.options[self.index]

    def set_value(self, value) -> None:
        """Show `value` (the nearest choice) without reporting a change."""
        self.index = min(range(len(self.options)), key=lambda i: abs(self.options[i] - value))

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

    def forget_mouse(self) -> None:
        self.hovered = False
        for button in self.buttons:
            button.forget_mouse()

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        if self.show_label:
            theme.draw_text(surface, look, look.body, self.label, (self.rect.x, self.rect.centery),
                            theme.TEXT, max_width=self.minus.rect.x - self.rect.x - look.px(8), anchor="midleft")
        pygame.draw.rect(surface, theme.CANVAS_BACKGROUND, self.value_rect)
        pygame.draw.rect(surface, theme.PANEL_BORDER, self.value_rect, width=1)
        theme.draw_text(surface, look, look.body_bold, self.format_value(self.value),
                        self.value_rect.center, max_width=self.value_rect.width - look.px(6), anchor="center")
        for button in self.buttons:
            button.draw(surface, look)
