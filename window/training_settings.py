"""Epochs, learning rate and batch size: three Steppers that build a train.TrainConfig.

The choices are short lists of values that make sense for this small network; the defaults are
train.py's own, so the window trains exactly like `python train.py` unless the user changes them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

import pygame

import train
from window import theme
from window.stepper import Stepper

EPOCH_CHOICES = (5, 10, 20, 50, 100, 200, 300, 500)
LEARNING_RATE_CHOICES = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1)
BATCH_SIZE_CHOICES = (16, 32, 64, 128, 256)


class TrainingSettings:
    """The three training controls in the right column."""

    def __init__(self, epochs_rect: pygame.Rect, learning_rate_rect: pygame.Rect,
                 batch_size_rect: pygame.Rect,
                 on_change: Callable[[str, object], None] | None = None) -> None:
        """`on_change(name, value)` runs when the user changes one of the settings."""
        defaults = train.TrainConfig()
        self.defaults = defaults
        self.epochs = Stepper(epochs_rect, "Epochs (at most)", EPOCH_CHOICES, defaults.epochs,
                              tooltip="Passes over the data; training stops early when it stops improving.")
        self.learning_rate = Stepper(learning_rate_rect, "Learning rate", LEARNING_RATE_CHOICES,
                                     defaults.learning_rate, format_value=lambda value: f"{value:g}",
                                     tooltip="Step size: too big jumps around, too small crawls.")
        self.batch_size = Stepper(batch_size_rect, "Batch size", BATCH_SIZE_CHOICES, defaults.batch_size,
                                  tooltip="Drawings per weight update.")
        self.steppers = [self.epochs, self.learning_rate, self.batch_size]
        if on_change is not None:
            for stepper, name in ((self.epochs, "Epochs"), (self.learning_rate, "Learning rate"),
                                  (self.batch_size, "Batch size")):
                stepper.on_change = partial(on_change, name)

    def config(self) -> train.TrainConfig:
        """train.py's defaults with the three values chosen in the window."""
        return replace(self.defaults, epochs=int(self.epochs.value),
                       learning_rate=float(self.learning_rate.value), batch_size=int(self.batch_size.value))

    @property
    def buttons(self):
        return [button for stepper in self.steppers for button in stepper.buttons]

    def handle_event(self, event: pygame.event.Event) -> bool:
        used = False
        for stepper in self.steppers:
            used = stepper.handle_event(event) or used
        return used

    def draw(self, surface: pygame.Surface, fonts: theme.Fonts) -> None:
        for stepper in self.steppers:
            stepper.draw(surface, fonts)
