"""One learning step on the learner's own drawing, page by page: the state behind the Learn tab.

The maths is mling/learning_step.py's (network.forward and network.backward, exactly as training
does them). This module only keeps what the tab walks through: which drawing, which right digit,
which learning rate, the steps taken so far and the page shown. It works on a COPY of the weights
it starts from (the loaded model, or training's newest weights), so the model file and the model
in use are never changed; Start again goes back to them.

    walk = Walkthrough()
    walk.start(params, image, digit=7, learning_rate=0.003, origin="the saved model")
    walk.next(); walk.back()          # FORWARD -> LOSS -> BLAME -> WEIGHTS -> UPDATE -> AFTER
    walk.more(1); walk.more(10)       # a second step, ... each starting where the last one ended
"""
from __future__ import annotations

import numpy as np

from mling.learning_step import LearningStep, learning_step
from mling.network import Parameters

FORWARD, LOSS, BLAME, WEIGHTS, UPDATE, AFTER = range(6)
PAGE_COUNT = 6
STAGES = ("Forward", "Loss", "Backward", "Update", "After")        # the five stages shown as buttons
STAGE_OF_PAGE = (0, 1, 2, 2, 3, 4)                                 # backward has two pages: neurons, weights
LEARNING_RATES = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
LEARNING_RATE = 0.003   # one step visibly helps a trained 784-16-16-10 model; ten steps usually convince it
MOST_STEPS = 100        # the walkthrough keeps at most this many steps (each holds three copies of the weights)


class Walkthrough:
    """The steps taken on one drawing with one right digit, and the page on screen."""

    def __init__(self) -> None:
        self.steps: list[LearningStep] = []
        self.page = FORWARD
        self.digit: int | None = None
        self.learning_rate = LEARNING_RATE
        self.image: np.ndarray | None = None          # (28, 28) the drawing the steps learn from
        self.start_params: Parameters | None = None   # the copy every step starts from
        self.origin = ""                              # where those weights came from, in words

    @property
    def ready(self) -> bool:
        return bool(self.steps)

    @property
    def step(self) -> LearningStep:
        """The step shown: the newest one."""
        return self.steps[-1]

    @property
    def stage(self) -> int:
        return STAGE_OF_PAGE[self.page]

    def start(self, params: Parameters, image: np.ndarray, digit: int, learning_rate: float | None = None,
              origin: str = "") -> None:
        """One step on a copy of `params` (the page stays where it is)."""
        self.start_params = params.copy()
        self.image = np.array(image, dtype=np.float32).reshape(28, 28)
        self.digit = int(digit)
        self.learning_rate = self.learning_rate if learning_rate is None else float(learning_rate)
        self.origin = origin
        self.steps = [learning_step(self.start_params, self.image, self.digit, self.learning_rate)]

    def again(self) -> None:
        """Back to one step from the same starting weights (Start again, or a new learning rate)."""
        if self.start_params is not None and self.image is not None and self.digit is not None:
            self.steps = [learning_step(self.start_params, self.image, self.digit, self.learning_rate)]

    def set_learning_rate(self, learning_rate: float) -> None:
        """Take the same number of steps again with another step size."""
        count = len(self.steps)
        self.learning_rate = float(learning_rate)
        self.again()
        self.more(count - 1)

    def more(self, count: int) -> None:
        """`count` more steps on the same drawing, each from where the last one ended."""
        for _ in range(max(0, min(count, MOST_STEPS - len(self.steps)))):
            self.steps.append(learning_step(self.step.params_after, self.image, self.digit, self.learning_rate))

    def clear(self) -> None:
        self.steps, self.start_params, self.image = [], None, None

    # --- pages ----------------------------------------------------------------------------------
    def next(self) -> None:
        self.page = min(self.page + 1, PAGE_COUNT - 1)

    def back(self) -> None:
        self.page = max(self.page - 1, 0)

    def go_to_stage(self, stage: int) -> None:
        self.page = STAGE_OF_PAGE.index(stage)

    def chances(self) -> list[float]:
        """The right digit's probability before the first step and after every step."""
        if not self.steps:
            return []
        return [float(self.steps[0].before.probabilities[self.digit])] + [
            float(step.after.probabilities[self.digit]) for step in self.steps]
