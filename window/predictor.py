"""The window's side of model_params.npz: load it (again after training) and predict with it.

A missing or incompatible model file is not an error to crash on: the window keeps running and
says what to do (train one with T). Loading and predicting go through run.py, like the terminal.

Each prediction also asks the model's "not sure" check (mling/familiarity.py, stored in the model
file by train.py): is the drawing close to any drawing the network learned from? A Guess says so
in `unfamiliar` (None for an older model file made without the check: then nothing extra shows).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import run
from mling import familiarity, network
from window.status_line import INFO, SUCCESS, WARNING, Status
from window.words import a_digit

NO_MODEL_HINT = "No trained model yet: save some drawings of each digit, then press T to train"
BROKEN_MODEL_HINT = "The model file cannot be used (see the status line). Press T to train a new one"
# What the window says about the not-sure check: the full reason is familiarity.WHY_IT_GUESSES_ANYWAY
NOT_SURE_SHORT = "It has ten answers and no \"none of these\", so it always picks one"


@dataclass
class Guess(run.Prediction):
    """run.Prediction plus the not-sure check: is the drawing unlike every drawing the network learned from?"""
    unfamiliar: bool | None = None     # None: the model has no check (an older model file)
    distance: float | None = None      # to the most similar training drawing (bigger: more unlike)
    threshold: float | None = None     # beyond this distance the check says "not sure"


class Predictor:
    """Holds the loaded model (or why there is none) and turns 28x28 images into predictions."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.model: run.Model | None = None
        self.problem = NO_MODEL_HINT           # why there is no model, for the status line
        self.hint = NO_MODEL_HINT              # the same, short enough for the prediction panel
        self.familiarity: familiarity.Familiarity | None = None   # the loaded model's not-sure check
        self.familiarity_problem = ""          # why a model that has a check cannot use it

    def load(self) -> Status:
        """(Re)load the model file; the returned Status says what happened."""
        self.model = None
        self.familiarity, self.familiarity_problem = None, ""
        self.hint = BROKEN_MODEL_HINT
        if not self.path.exists():
            self.problem = self.hint = NO_MODEL_HINT
            return Status(NO_MODEL_HINT, INFO)
        try:
            self.model = run.load_model(self.path)
        except network.ModelFileError as error:
            self.problem = f"The model file cannot be used: {error}. Press T to train a new one."
            return Status(self.problem, WARNING)
        except OSError as error:
            self.problem = f"Cannot read {self.path.name}: {error}. Press T to train a new one."
            return Status(self.problem, WARNING)
        except (ValueError, IndexError, KeyError, MemoryError) as error:
            # load_model turns malformed files into ModelFileError; whatever slips through (odd
            # arrays, layer sizes too big to allocate) is still a bad file, never a crash
            self.problem = (f"The model file cannot be used: {self.path.name} is malformed "
                            f"({type(error).__name__}: {error}). Press T to train a new one.")
            return Status(self.problem, WARNING)
        self.problem = self.hint = ""
        loaded = f"Loaded the model from {self.path.name} ({self.describe()})"
        try:
            self.familiarity = familiarity.Familiarity.from_summary(self.model.summary)
        except ValueError as error:                   # damaged entries: predict anyway, without the check
            self.familiarity_problem = str(error)
            return Status(f"{loaded}. It cannot say \"not sure\": {error}", WARNING)
        return Status(loaded, SUCCESS)

    def predict(self, image: np.ndarray) -> Guess | None:
        """The network's answer for a (28, 28) image with the not-sure check, or None without a model."""
        if self.model is None:
            return None
        prediction = run.predict(self.model, image)
        guess = Guess(prediction.digit, prediction.confidence, prediction.probabilities, prediction.activations)
        if self.familiarity is not None:
            guess.distance = float(self.familiarity.distances(image)[0])
            guess.threshold = self.familiarity.threshold
            guess.unfamiliar = guess.distance > guess.threshold
        return guess

    def after_stroke(self, prediction: run.Prediction, next_step: str) -> str:
        """What the status line says after a stroke: the guess and what to do next, or "not sure" and why."""
        if getattr(prediction, "unfamiliar", None):
            return self.describe_guess(prediction)
        return f"{self.describe_guess(prediction)}. {next_step}"

    def describe_guess(self, prediction: run.Prediction, why: bool = True) -> str:
        """The guess in words for the status line; "not sure" when the drawing is unlike the digits it
        knows (with `why`, a short reason it names a digit anyway)."""
        if getattr(prediction, "unfamiliar", None):
            text = (f"Not sure: this looks unlike your digits — best guess {prediction.digit} "
                    f"({prediction.confidence:.0%})")
            return f"{text}. {NOT_SURE_SHORT}" if why else text
        return f"The network thinks this is {a_digit(prediction.digit)} ({prediction.confidence:.0%} sure)"

    def describe(self, short: bool = False) -> str:
        """One line about the loaded model: "784-16-16-10, 91% validation accuracy" ("784-16-16-10, 91%")."""
        if self.model is None:
            return "no model yet" if short else "no model loaded"
        text = "-".join(str(size) for size in self.model.layer_sizes)
        summary = self.model.summary or {}
        accuracy = summary.get("val_accuracy")
        if isinstance(accuracy, (int, float)) and np.isfinite(accuracy):
            text += f", {accuracy:.0%}" if short else f", {accuracy:.0%} validation accuracy"
        return text
