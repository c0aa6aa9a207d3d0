"""Test data for the "what did it learn?" tabs: real-looking digits (the shipped starter set) and a model.

Synthetic bars are too easy for a map or a "not sure" check to mean anything, so these tests use
a few hundred drawings of the starter set that ships in data.json (written through the store) and
a model trained on them in well under a second.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from shipped import shipped_path

import train
from mling import network, store

_STARTER: tuple[np.ndarray, np.ndarray] | None = None


def starter_drawings() -> tuple[np.ndarray, np.ndarray]:
    """The shipped starter set: (X (n, 784) float32, y (n,)); read once per test run."""
    global _STARTER
    if _STARTER is None:
        X, y = store.DataStore.open(shipped_path("data.json")).arrays(sources=["starter"])
        assert len(X) >= 6000, "data.json should ship the starter set (python -m starter.make_starter)"
        _STARTER = (X, y)
    return _STARTER


def pick(per_digit: int, seed: int = 0, skip: int = 0) -> np.ndarray:
    """Indices of `per_digit` starter drawings of every digit (after the first `skip` of each, in a fixed order)."""
    _, y = starter_drawings()
    order = np.random.default_rng(seed).permutation(len(y))
    return np.concatenate([order[y[order] == digit][skip:skip + per_digit] for digit in range(10)])


def write_starter_data(path: Path, per_digit: int = 100, seed: int = 0, wrong_labels: int = 0) -> None:
    """A data.json of starter drawings; `wrong_labels` of them (chosen at random) saved under another digit."""
    X, y = starter_drawings()
    chosen = pick(per_digit, seed)
    labels = y[chosen].copy()
    if wrong_labels:
        rng = np.random.default_rng(seed + 1)
        flipped = rng.choice(len(labels), wrong_labels, replace=False)
        labels[flipped] = (labels[flipped] + rng.integers(1, 10, wrong_labels)) % 10
    store.DataStore.open(path).add_many(X[chosen].reshape(-1, 28, 28), labels, source="starter")


def train_model(data: Path, model: Path, epochs: int = 30) -> train.TrainResult:
    """Train on data.json as the window's Train button does (with the not-sure check in the model)."""
    return train.train_from_file(data, model, train.TrainConfig(epochs=epochs))


def hidden_layer_2(params: network.Parameters, X: np.ndarray) -> np.ndarray:
    """relu(relu(X W1 + b1) W2 + b2), written out: the independent reference for the map and the neighbours."""
    X = np.asarray(X, dtype=np.float64).reshape(-1, 784)
    h1 = np.maximum(X @ params["W1"] + params["b1"], 0.0)
    return np.maximum(h1 @ params["W2"] + params["b2"], 0.0)


def guesses_by_hand(params: network.Parameters, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(digits (n,), probabilities (n, 10)) of the 784-16-16-10 network, written out with NumPy."""
    scores = hidden_layer_2(params, X) @ params["W3"] + params["b3"]
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    probabilities = exp / exp.sum(axis=1, keepdims=True)
    return probabilities.argmax(axis=1), probabilities
