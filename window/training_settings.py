"""Epochs, learning rate and batch size: three Steppers that change the session's train.TrainConfig.

The choices are short lists of values that make sense for this small network; the defaults are
train.py's own, so the window trains exactly like `python train.py` unless the user changes them.
A new setting is one more row in SETTINGS.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from window import theme
from window.layout import rows
from window.status_line import INFO
from window.stepper import Stepper

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    from window.session import Session

READABLE_WIDTH = 420        # design pixels
# (TrainConfig field, label, choices, how the value is shown, tooltip)
SETTINGS = [
    ("epochs", ("Epochs (at most)", "Epochs"), (5, 10, 20, 50, 100, 200, 300, 500), str,
     "Passes over the data; training stops early when it stops improving."),
    ("learning_rate", "Learning rate", (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1), lambda value: f"{value:g}",
     "Step size: too big jumps around, too small crawls."),
    ("batch_size", "Batch size", (16, 32, 64, 128, 256), str, "Drawings per weight update."),
]


class TrainingSettings:
    """The training controls of the Draw & train tab, one Stepper per row of SETTINGS."""

    def __init__(self, session: Session) -> None:
        self.session = session
        config = session.train_config
        self.steppers: list[Stepper] = []
        for name, label, choices, shown, tooltip in SETTINGS:
            stepper = Stepper(label, choices, getattr(config, name), tooltip=tooltip, format_value=shown,
                              on_change=self._reporter(name, label))
            stepper.field = name
            self.steppers.append(stepper)
        self.epochs, self.learning_rate, self.batch_size = self.steppers

    def _reporter(self, name: str, label: str | tuple[str, ...]) -> Callable[[object], None]:
        name_of = label if isinstance(label, str) else label[-1]

        def changed(value) -> None:
            self.session.change_setting(name, value)
            when = ("the current run keeps its settings; this applies next time" if self.session.training
                    else "used the next time you press Train")
            self.session.say(f"{name_of}: {value:g} ({when})", INFO)
        return changed

    def config(self):
        return self.session.train_config

    @property
    def buttons(self):
        return [button for stepper in self.steppers for button in stepper.buttons]

    def lay_out(self, rect: pygame.Rect, look: theme.Look, row_height: int, gap: int) -> None:
        """One stepper per row; on a wide screen no wider than READABLE_WIDTH (the value stays near its name)."""
        rect = pygame.Rect(rect.x, rect.y, min(rect.width, look.px(READABLE_WIDTH)), rect.height)
        for stepper, row in zip(self.steppers, rows(rect, [row_height] * len(self.steppers), gap)):
            stepper.lay_out(row, look)

    def height(self, row_height: int, gap: int) -> int:
        return len(self.steppers) * (row_height + gap) - gap

    def named_rects(self):
        return [named for stepper in self.steppers for named in stepper.named_rects()]

    def handle_event(self, event: pygame.event.Event) -> bool:
        used = False
        for stepper in self.steppers:
            used = stepper.handle_event(event) or used
        return used

    def update(self) -> None:
        """Show the session's settings (another part of the window may have changed them)."""
        for stepper in self.steppers:
            value = getattr(self.session.train_config, stepper.field)
            if stepper.value != value:
                stepper.set_value(value)

    def forget_mouse(self) -> None:
        for stepper in self.steppers:
            stepper.forget_mouse()

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        for stepper in self.steppers:
            stepper.draw(surface, look)
