"""Why this guess? The training drawings the network finds most alike, and the suspicious labels.

The network decides from hidden layer 2: 16 numbers that summarise a drawing. Two drawings
with close summaries get the same answer, so the training drawings nearest to a new one in that
space are the examples its guess is "based on". (Nearness here is the network's own view; in
pixels a 7 and a 1 may look nothing alike while the network keeps them close.)

    reference = hidden_map.hidden_activations(params, X_train)          # once per model
    indices, distances = nearest_drawings(reference, hidden_map.hidden_activations(params, image), k=6)

"Probably mislabelled": among the held-out drawings, those the network gets wrong with the
highest loss (it is sure of another digit) are often drawings saved under the wrong label.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mling import held_out, network, store

NEAREST = 6           # training drawings shown beside a guess
SUSPECTS = 12         # held-out drawings listed as "probably mislabelled"


def nearest_drawings(reference: np.ndarray, query: np.ndarray, k: int = NEAREST
                     ) -> tuple[np.ndarray, np.ndarray]:
    """The k reference rows nearest to each query row (Euclidean), nearest first.

    reference: (m, d), e.g. hidden layer 2 of the training drawings; query: (n, d) or one (d,).
    Returns (indices (n, k) into reference, distances (n, k)); k is at most m.
    |q - r|^2 = |q|^2 + |r|^2 - 2 q.r turns all n * m distances into one matrix product.
    """
    reference = np.asarray(reference, dtype=np.float64)
    query = np.asarray(query, dtype=np.float64).reshape(-1, reference.shape[1])
    k = min(int(k), len(reference))
    if k < 1:
        raise ValueError("there are no training drawings to compare with; draw and save some first")
    squared = ((query**2).sum(axis=1)[:, None] + (reference**2).sum(axis=1)[None, :]
               - 2.0 * query @ reference.T)                       # (n, m)
    closest = np.argpartition(squared, k - 1, axis=1)[:, :k]      # the k smallest, in any order
    closest_squared = np.take_along_axis(squared, closest, axis=1)
    order = np.argsort(closest_squared, axis=1, kind="stable")
    indices = np.take_along_axis(closest, order, axis=1)
    distances = np.sqrt(np.maximum(np.take_along_axis(closest_squared, order, axis=1), 0.0))
    return indices, distances


@dataclass
class Suspect:
    """A held-out drawing whose label the network strongly disagrees with."""
    id: str             # the store's sample id (fix it with DataStore.relabel([id], digit))
    label: int          # the digit it was saved as
    guess: int          # the digit the network sees
    loss: float         # -log(probability of the label): how badly the label and the network disagree
    confidence: float   # probability of the guess


def probably_mislabelled(params: network.Parameters, X: np.ndarray, y: np.ndarray, ids: Sequence[str],
                         count: int = SUSPECTS) -> list[Suspect]:
    """The `count` drawings of X (n, 784), labels y (n,), that the network gets wrong, highest loss first."""
    probabilities = network.predict_probabilities(params, X)
    y = np.asarray(y, dtype=np.int64)
    picked = probabilities[np.arange(len(y)), y]
    losses = -np.log(np.maximum(picked, network.PROBABILITY_FLOOR))
    guesses = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(guesses != y)
    worst = wrong[np.argsort(-losses[wrong], kind="stable")][:count]
    return [Suspect(str(ids[i]), int(y[i]), int(guesses[i]), float(losses[i]), float(probabilities[i, guesses[i]]))
            for i in worst]


def mislabelled_held_out(params: network.Parameters, data: store.DataStore, val_ids: Sequence[str],
                         count: int = SUSPECTS) -> list[Suspect]:
    """probably_mislabelled on the model's held-out drawings (the ids train.py recorded as val_ids)."""
    X, y, ids = held_out.held_out_arrays(data, val_ids)
    return probably_mislabelled(params, X, y, ids, count) if len(ids) else []
