"""The window's side of model_params.npz: load it (again after training) and predict with it.

A missing or incompatible model file is not an error to crash on: the window keeps running and
says what to do (train one with T). Loading and predicting go through run.py, like the terminal.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

import network
import run
from window.status_line import INFO, SUCCESS, WARNING, Status

NO_MODEL_HINT = "No trained model yet: save some drawings of each digit, then press T to train"


class Predictor:
    """Holds the loaded model (or why there is none) and turns 28x28 images into predictions."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.model: run.Model | None = None
        self.problem = NO_MODEL_HINT           # shown instead of a guess while there is no model

    def load(self) -> Status:
        """(Re)load the model file; the returned Status says what happened."""
        self.model = None
        if not self.path.exists():
            self.problem = NO_MODEL_HINT
            return Status(NO_MODEL_HINT, INFO)
        try:
            self.model = run.load_model(self.path)
        except network.ModelFileError as error:
            self.problem = f"The model file cannot be used: {error}. Press T to train a new one."
            return Status(self.problem, WARNING)
        except OSError as error:
            self.problem = f"Cannot read {self.path.name}: {error}. Press T to train a new one."
            return Status(self.problem, WARNING)
        self.problem = ""
        return Status(f"Loaded the model from {self.path.name} ({self.describe()})", SUCCESS)

    def predict(self, image: np.ndarray) -> run.Prediction | None:
        """The network's answer for a (28, 28) image, or None without a model."""
        if self.model is None:
            return None
        return run.predict(self.model, image)

    def describe(self) -> str:
        """One line about the loaded model, e.g. "784-16-16-10, validation accuracy 91%"."""
        if self.model is None:
            return "no model loaded"
        text = "-".join(str(size) for size in self.model.layer_sizes)
        summary = self.model.summary or {}
        accuracy = summary.get("val_accuracy")
        if isinstance(accuracy, (int, float)) and np.isfinite(accuracy):
            text += f", validation accuracy {accuracy:.0%}"
        samples = summary.get("train_samples")
        if isinstance(samples, (int, np.integer)):
            text += f", trained on {int(samples)} drawings"
        return text
