"""The training settings: one row per setting of train.TrainConfig, shown as − value + pickers.

The choices are short lists of values that make sense for this small network, so a beginner can
never type an impossible setting. The window starts with the recipe that made the model in use
(recipe_of: train.config_from_model), so pressing Train makes the same kind of model as the one
it may replace; Defaults brings that recipe back. A new setting is one more row in SETTINGS (the
network and how it learns) or AUGMENTATION (extra copies of each drawing); a strength is one more
row in STRENGTHS.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pygame

import add_noise
import train
from mling.optimizers import OPTIMIZERS
from window import theme
from window.layout import Flex, columns, rows
from window.slider import Slider
from window.status_line import INFO
from window.stepper import VALUE_WIDTH, Stepper

if TYPE_CHECKING:                # for the type hints only: widgets and tabs never need the module itself
    import run
    from window.session import Session



def layers_text(hidden: Sequence[int]) -> str:
    """(64, 32) -> "64 32" (the hidden layers; 784 in and 10 out are always there)."""
    return " ".join(str(size) for size in hidden)


def number_text(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class Setting:
    """One row: which TrainConfig field it changes, how it is called, its choices, how a value reads."""
    field: str
    labels: tuple[str, ...]                 # the longest first: the widest that fits is shown
    choices: tuple
    shown: Callable[[object], str]
    tooltip: str
    value_width: int = VALUE_WIDTH          # design pixels for the value between − and +
    order: Callable[[object], object] | None = None   # where a value not in `choices` goes (a model's own)


SETTINGS = [
    Setting("hidden", ("Hidden layers", "Layers"),
            ((8,), (16,), (16, 16), (32,), (32, 16), (32, 32), (64, 32), (128, 64), (64, 64, 32)),
            layers_text, "How many neurons each hidden layer has, between the 784 pixels and the 10 digits. "
            "More neurons can learn more, but take longer", 96, order=lambda hidden: (sum(hidden), len(hidden))),
    Setting("epochs", ("Epochs (at most)", "Epochs"), (1, 2, 5, 10, 20, 50, 100, 200, 300, 500), str,
            "How many times training goes through all the drawings. It stops earlier when it stops improving"),
    Setting("learning_rate", ("Learning rate", "Rate"), (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0),
            number_text, "How big each learning step is. Too big jumps around, too small crawls", order=float),
    Setting("batch_size", ("Batch size", "Batch"), (1, 8, 16, 32, 64, 128, 256, 512), str,
            "How many drawings one learning step looks at before it changes the weights", order=int),
    Setting("optimizer", ("Optimizer", "Method"), tuple(OPTIMIZERS), lambda name: OPTIMIZERS[name].short_name,
            "How the weights are changed. SGD steps straight downhill, Momentum keeps rolling like a ball, "
            "Adam gives every weight its own step size", 110),
    Setting("weight_decay", ("Weight decay", "Decay"), (0.0, 0.0001, 0.001, 0.01, 0.03, 0.1, 0.3), number_text,
            "Shrinks every weight a little at each step. Small weights work better on new drawings", order=float),
    Setting("seed", ("Starting weights (seed)", "Seed"), tuple(range(10)), str,
            "Which random numbers the weights start from. The same seed gives the same start", 96, order=int),
]
# not a TrainConfig field: where the weights of the next run come from (Session.start_from_model)
START_FROM = Setting("start_from", ("Start from", "From"), (False, True),
                     lambda from_model: "the model" if from_model else "random",
                     "Where the next training begins. Random weights (the seed) learn everything again, "
                     "the model in use goes on from what it knows", 110)
AUGMENTATION = [
    Setting("augment_copies", ("Copies of each drawing", "Copies"), (1, 2, 5, 10, 20, 50), str,
            "How many changed copies of each drawing the network also learns from "
            "(made in memory: data.json stays as it is)",
            order=int),
]
# (kind of change in add_noise.STRENGTHS, label, tooltip)
STRENGTHS = [
    ("move", "Move", "how far each copy is shifted up, down, left or right"),
    ("turn", "Turn", "how far each copy is turned, one way or the other"),
    ("size", "Size", "how much bigger or smaller each copy gets"),
    ("slant", "Slant", "how far each copy leans to the left or right"),
    ("pen", "Pen", "how much thicker or thinner the pen of each copy is"),
    ("noise", "Specks", "how bright the few specks sprinkled on each copy are"),
]
assert [name for name, _, _ in STRENGTHS] == list(add_noise.STRENGTHS)
STRENGTH_STEP, STRENGTH_MOST = 0.25, 2.0
DEFAULT_COPIES = 20          # "Augmentation: on" from a recipe without copies


def strength_text(value: float) -> str:
    """1 -> "normal", 0 -> "off", 1.5 -> "×1.5"."""
    return "normal" if value == 1 else "off" if value == 0 else f"×{value:g}"


def recipe_of(model: run.Model | None) -> train.TrainConfig:
    """The recipe that made `model` (its layer sizes, optimizer, augmentation...), or train.py's defaults."""
    if model is None:
        return train.TrainConfig()
    return train.config_from_model(model.summary or {}, tuple(model.layer_sizes))


def recipe_lines(config: train.TrainConfig) -> tuple[str, ...]:
    """The recipe in one line, from the longest to the shortest (for theme.first_that_fits):
    "layers 16 16 · Adam · learning rate 0.001 · batch 128 · 20 copies" ... "16 16"."""
    layers, optimizer = layers_text(config.hidden), OPTIMIZERS[config.optimizer].short_name
    copies = f"{config.augment_copies} copies" if config.augment_copies else "no copies"
    rate = f"{config.learning_rate:g}"
    return (f"layers {layers} · {optimizer} · learning rate {rate} · batch {config.batch_size} · {copies}",
            f"layers {layers} · {optimizer} · learning rate {rate} · {copies}",
            f"{layers} · {optimizer} · rate {rate} · {copies}", f"{layers} · {optimizer} · {copies}",
            f"{layers} · {optimizer}", layers)


def describe_recipe(config: train.TrainConfig) -> str:
    """The recipe in one line, as the status line and the settings show it."""
    return recipe_lines(config)[0]


class Picker(Stepper):
    """A Stepper over choices in a given order (not sorted), compared by equality.

    A value that is not among the choices (a model trained with --hidden 20 8) is put in its place
    by the row's `order`, so the model's own recipe can always be shown and kept.
    """

    def __init__(self, setting: Setting, value, on_change: Callable[[object], None]) -> None:
        super().__init__(setting.labels, (value,), value, tooltip=setting.tooltip, format_value=setting.shown,
                         on_change=on_change, value_width=setting.value_width)
        self.setting = setting
        self.field = setting.field
        self._choose_from(value)

    def _choose_from(self, value) -> None:
        choices = list(self.setting.choices)
        if value not in choices:
            choices.append(value)
            if self.setting.order is not None:
                choices.sort(key=self.setting.order)
        self.options, self.index = choices, choices.index(value)

    def set_value(self, value) -> None:
        """Show `value` without reporting a change."""
        if value not in self.options:
            self._choose_from(value)
        self.index = self.options.index(value)


class TrainingSettings:
    """A column of pickers, one per row of `settings`, that read and change the session's train_config."""

    def __init__(self, session: Session, settings: Sequence[Setting] = SETTINGS) -> None:
        self.session = session
        config = session.train_config
        self.pickers = [Picker(setting, getattr(config, setting.field), self._reporter(setting))
                        for setting in settings]
        self.by_field = {picker.field: picker for picker in self.pickers}

    def __getattr__(self, name: str) -> Picker:
        """settings.epochs, settings.learning_rate...: the picker of that field."""
        pickers = self.__dict__.get("by_field", {})
        if name in pickers:
            return pickers[name]
        raise AttributeError(name)

    def _reporter(self, setting: Setting) -> Callable[[object], None]:
        name = setting.labels[0]

        def changed(value) -> None:
            session = self.session
            when = ("this run keeps its settings; it applies the next time you press Train" if session.training
                    else "used the next time you press Train")
            if setting.field == "optimizer":            # each optimizer comes with the step size that suits it
                session.set_train_config(session.train_config.with_optimizer(value))
                config = session.train_config
                session.say(f"{name}: {OPTIMIZERS[value].described}, with its usual learning rate "
                            f"{config.learning_rate:g} and weight decay {config.weight_decay:g} ({when})", INFO)
                return
            session.change_setting(setting.field, value)
            session.say(f"{name}: {setting.shown(value)} ({when})", INFO)
        return changed

    def config(self) -> train.TrainConfig:
        return self.session.train_config

    @property
    def buttons(self):
        return [button for picker in self.pickers for button in picker.buttons]

    def lay_out(self, rect: pygame.Rect, look: theme.Look, row_height: int, gap: int) -> None:
        for picker, row in zip(self.pickers, rows(rect, [row_height] * len(self.pickers), gap)):
            picker.lay_out(row, look)

    def height(self, row_height: int, gap: int) -> int:
        return len(self.pickers) * (row_height + gap) - gap

    def named_rects(self):
        return [named for picker in self.pickers for named in picker.named_rects()]

    def handle_event(self, event: pygame.event.Event) -> bool:
        used = False
        for picker in self.pickers:
            used = picker.handle_event(event) or used
        return used

    def update(self) -> None:
        """Show the session's settings (Defaults or another part of the window may have changed them)."""
        for picker in self.pickers:
            value = getattr(self.session.train_config, picker.field)
            if picker.value != value:
                picker.set_value(value)

    def forget_mouse(self) -> None:
        for picker in self.pickers:
            picker.forget_mouse()

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        for picker in self.pickers:
            picker.draw(surface, look)


class StrengthSliders:
    """One Slider per kind of change (STRENGTHS), two side by side, reading and changing
    train_config.augment_strengths ("normal" = add_noise.py's own amount, drawn plain)."""

    COLUMNS = 2

    def __init__(self, session: Session) -> None:
        self.session = session
        strengths = session.train_config.augment_strengths
        self.sliders = [Slider(label, 0.0, STRENGTH_MOST, STRENGTH_STEP, strengths.get(name, 1.0), strength_text,
                               self._reporter(name, label), tooltip, normal=1.0) for name, label, tooltip in STRENGTHS]
        self.names = [name for name, _, _ in STRENGTHS]

    def _reporter(self, name: str, label: str) -> Callable[[float], None]:
        def changed(value: float) -> None:
            strengths = {**self.session.train_config.augment_strengths, name: value}
            self.session.change_setting("augment_strengths",
                                        {key: amount for key, amount in strengths.items() if amount != 1.0})
            self.session.say(f"{label}: {strength_text(value)} (the preview shows copies made this way)", INFO)
        return changed

    def height(self, look: theme.Look, gap: int) -> int:
        count = -(-len(self.sliders) // self.COLUMNS)
        return count * Slider.height(look) + (count - 1) * gap

    def lay_out(self, rect: pygame.Rect, look: theme.Look, gap: int) -> None:
        count = -(-len(self.sliders) // self.COLUMNS)
        cells = [cell for row in rows(rect, [Slider.height(look)] * count, gap)
                 for cell in columns(row, [Flex()] * self.COLUMNS, look.px(24))]
        for slider, cell in zip(self.sliders, cells):
            slider.lay_out(cell, look)

    def named_rects(self):
        return [(f"{slider.name} slider", slider.rect) for slider in self.sliders]

    def handle_event(self, event: pygame.event.Event) -> bool:
        used = False
        for slider in self.sliders:
            used = slider.handle_event(event) or used
        return used

    def update(self) -> None:
        """Show the session's strengths (Defaults may have changed them), without reporting a change."""
        strengths = self.session.train_config.augment_strengths
        for name, slider in zip(self.names, self.sliders):
            slider.value = slider.snap(strengths.get(name, 1.0))

    def forget_mouse(self) -> None:
        for slider in self.sliders:
            slider.forget_mouse()

    def draw(self, surface: pygame.Surface, look: theme.Look) -> None:
        for slider in self.sliders:
            slider.draw(surface, look)
