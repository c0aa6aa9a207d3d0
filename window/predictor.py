"""The window's side of model_params.npz: load it (again after training) and predict with it.

A missing or incompatible model file is not an error to crash on: the window keeps running and
says what to do (train one with T). Loading and predicting go through run.py, like the terminal.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import run
from mling import network
from window.status_line import INFO, SUCCESS, WARNING, Status

NO_MODEL_HINT = "No trained model yet: save some drawings of each digit, then press T to train"
BROKEN_MODEL_HINT = "The model file cannot be used (see the status line). Press T to train a new one"


class Predictor:
    """Holds the loaded model (or why there is none) and turns 28x28 images into predictions."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.model: run.Model | None = None
        self.problem = NO_MODEL_HINT           # why there is no model, for the status line
        self.hint = NO_MODEL_HINT              # the same, short enough for the prediction panel

    def load(self) -> Status:
        """(Re)load the model file; the returned Status says what happened."""
        self.model = None
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
        return Status(f"Loaded the model from {self.path.name} ({self.describe()})", SUCCESS)

    def predict(self, image: np.ndarray) -> run.Prediction | None:
        """The network's answer for a (28, 28) image, or None without a model."""
        if self.model is None:
            return None
        return run.predict(self.model, image)

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
