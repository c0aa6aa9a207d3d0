"""One step of gradient descent on one drawing, with every number of it, stage by stage.

This is what "Learn from this drawing" walks through: the network looks at a drawing whose right
digit we know, measures how wrong it is, works out which way every weight should move, moves
them a little, and looks again.

    step = learning_step(params, image, digit=7, learning_rate=0.1)
    step.before.probabilities      # 1. forward: (10,) what the network says now
    step.loss                      # 2. the loss: -log(probability of the right digit)
    step.gradients["W1"]           # 3. backward: (784, 16) dLoss/dWeight, one per connection
    step.input_weight_gradients    #    the same as 16 pictures (16, 28, 28): which pixels change, which way
    step.largest_changes           # 4. the update: new = old - learning rate x gradient, on real numbers
    step.after.probabilities       # 5. after: (10,) again; step.gain: how much likelier the right digit is
    steps = learning_steps(params, image, 7, 0.1, count=10)   # a second step, a tenth ...

The numbers are the network's own: network.forward and network.backward compute them, exactly as
training does (there for a batch, here for a batch of one drawing).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from mling import network
from mling.network import Parameters

LARGEST_CHANGES = 8          # how many of the biggest weight changes a step lists


class Optimizer(Protocol):
    """Anything with train.py's optimizer interface (mling.optimizers: SGD, Momentum, Adam)."""

    def step(self, params: np.ndarray, grads: np.ndarray, learning_rate: float) -> None: ...


@dataclass
class Forward:
    """What the network computes for one drawing, layer by layer."""
    input: np.ndarray                # (784,) the pixels, 0..1
    sums: list[np.ndarray]           # z of each layer, z = a @ W + b: (16,), (16,), (10,) (the last are the scores)
    hidden: list[np.ndarray]         # each hidden layer after ReLU: (16,), (16,)
    probabilities: np.ndarray        # (10,) softmax of the scores

    @property
    def scores(self) -> np.ndarray:
        return self.sums[-1]


@dataclass
class WeightChange:
    """One number of the update: new = old - step (for plain gradient descent, step = lr x gradient)."""
    name: str                        # "W1", "b3", ...
    index: tuple[int, ...]           # W: (input, neuron); b: (neuron,)
    old: float
    gradient: float
    step: float
    new: float


@dataclass
class LearningStep:
    """Every number of one gradient-descent step on one drawing."""
    digit: int                       # the right answer
    learning_rate: float
    before: Forward                  # 1. forward
    loss: float                      # 2. -log(before.probabilities[digit])
    deltas: list[np.ndarray]         # 3. dLoss/dz of every layer, first layer first: (16,), (16,), (10,)
    gradients: Parameters            #    dLoss/dW and dLoss/db of every layer
    params_before: Parameters
    params_after: Parameters         # 4. after the update
    largest_changes: list[WeightChange]
    after: Forward                   # 5. the same drawing through the updated network
    loss_after: float

    @property
    def input_weight_gradients(self) -> np.ndarray:
        """dLoss/dW1 as one 28x28 picture per first-layer neuron: (neurons, 28, 28)."""
        return self.gradients["W1"].T.reshape(-1, 28, 28)

    @property
    def gain(self) -> float:
        """How much the right digit's probability went up (negative: down)."""
        return float(self.after.probabilities[self.digit] - self.before.probabilities[self.digit])


def look(params: Parameters, image: np.ndarray) -> Forward:
    """Stage 1, forward: run one (28, 28) image through the network and keep every number."""
    activations = network.forward(params, _as_row(image))
    sums = [a[0] @ W + b for a, (W, b) in zip(activations[:-1], params.layers)]
    return Forward(activations[0][0], sums, [a[0] for a in activations[1:-1]], activations[-1][0])


def learning_step(params: Parameters, image: np.ndarray, digit: int, learning_rate: float,
                  optimizer: Optimizer | None = None) -> LearningStep:
    """One gradient-descent step on one drawing with its right digit. `params` is not changed.

    Without `optimizer` the update is plain gradient descent, new = old - learning_rate x gradient;
    with one (e.g. optimizers.Adam(size), kept between steps) the optimizer decides the step.
    """
    if not (isinstance(digit, (int, np.integer)) and 0 <= digit < params.layer_sizes[-1]):
        raise ValueError(f"the right digit must be 0 to {params.layer_sizes[-1] - 1}, got {digit!r}")
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"the learning rate must be a positive number, got {learning_rate!r}")
    x, targets = _as_row(image), np.array([digit])
    activations = network.forward(params, x)                              # 1. forward
    loss = network.cross_entropy(activations[-1], targets)               # 2. the loss
    deltas: list[np.ndarray] = []
    gradients = network.backward(params, activations, targets, deltas=deltas)   # 3. backward
    after = params.copy()                                                 # 4. the update
    if optimizer is None:
        after.flat -= learning_rate * gradients.flat
    else:
        optimizer.step(after.flat, gradients.flat, learning_rate)
    changes = largest_changes(params, gradients, after)
    looked_again = look(after, image)                                     # 5. after
    return LearningStep(int(digit), float(learning_rate), look(params, image), loss, [d[0] for d in deltas],
                        gradients, params.copy(), after, changes, looked_again,
                        network.cross_entropy(looked_again.probabilities[None], targets))


def learning_steps(params: Parameters, image: np.ndarray, digit: int, learning_rate: float, count: int,
                   optimizer: Optimizer | None = None) -> list[LearningStep]:
    """`count` steps in a row on the same drawing, each starting where the last one ended."""
    steps = []
    for _ in range(count):
        steps.append(learning_step(params, image, digit, learning_rate, optimizer))
        params = steps[-1].params_after
    return steps


def largest_changes(before: Parameters, gradients: Parameters, after: Parameters,
                    count: int = LARGEST_CHANGES) -> list[WeightChange]:
    """The `count` parameters that moved most, biggest first, with their old and new values."""
    moved = np.abs(after.flat.astype(np.float64) - before.flat)
    picks = np.argsort(moved, kind="stable")[::-1][:count]
    starts, names = {}, []
    offset = 0
    for name, shape in before.shapes.items():
        starts[name] = offset
        names.append(name)
        offset += int(np.prod(shape))
    changes = []
    for pick in picks:
        name = max((n for n in names if starts[n] <= pick), key=lambda n: starts[n])
        index = tuple(int(i) for i in np.unravel_index(pick - starts[name], before.shapes[name]))
        old, new = float(before.flat[pick]), float(after.flat[pick])
        changes.append(WeightChange(name, index, old, float(gradients.flat[pick]), old - new, new))
    return changes


def _as_row(image: np.ndarray) -> np.ndarray:
    """(28, 28) or (784,) pixels in [0, 1] -> (1, 784) float32."""
    image = np.asarray(image, dtype=network.DTYPE)
    if image.size != network.LAYER_SIZES[0] or not np.isfinite(image).all():
        raise ValueError(f"expected a 28x28 image of numbers (784 values), got shape {image.shape}")
    return image.reshape(1, -1)
