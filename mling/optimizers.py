"""Optimizers: how a gradient becomes a change of the weights.

Each works on the flat parameter vector (all weights and biases in one array: network.Parameters.flat),
in place, with decoupled weight decay: every step also shrinks each weight by lr * weight_decay of itself.
A new one is a class with step(params, grads, learning_rate) and one entry in OPTIMIZERS; train.py's
--optimizer and the window's Settings list it from there.
"""
from __future__ import annotations

from typing import Protocol

import numpy as np

from mling import network

MOMENTUM = 0.9               # SGD with momentum: share of the last step carried into the next
ADAM_BETAS = (0.9, 0.999)    # Adam's memory for the gradient and for its square
ADAM_EPSILON = 1e-8          # keeps Adam's division safe when a gradient has been ~0


class Optimizer(Protocol):
    short_name: str          # on a button: "Momentum"
    described: str           # in a sentence: "gradient descent with momentum"

    def step(self, params: np.ndarray, grads: np.ndarray, learning_rate: float) -> None: ...


class SGD:
    """Plain gradient descent: w = w - lr * g."""
    short_name, described = "SGD", "plain gradient descent (SGD)"

    def __init__(self, size: int, weight_decay: float = 0.0):
        self.weight_decay = weight_decay

    def step(self, params: np.ndarray, grads: np.ndarray, learning_rate: float) -> None:
        params *= 1 - learning_rate * self.weight_decay            # w = w - lr * decay * w
        params -= learning_rate * grads


class Momentum:
    """SGD with momentum: v = momentum * v + g;  w = w - lr * v.

    The velocity v remembers the recent direction, so steps build up along a consistent slope
    and the zig-zag across a narrow valley cancels out.
    """
    short_name, described = "Momentum", "gradient descent with momentum"

    def __init__(self, size: int, momentum: float = MOMENTUM, weight_decay: float = 0.0):
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.velocity = np.zeros(size, dtype=network.DTYPE)

    def step(self, params: np.ndarray, grads: np.ndarray, learning_rate: float) -> None:
        self.velocity = self.momentum * self.velocity + grads
        params *= 1 - learning_rate * self.weight_decay            # w = w - lr * decay * w
        params -= learning_rate * self.velocity


class Adam:
    """Adam (Kingma & Ba, 2015, Algorithm 1) with AdamW's decoupled weight decay.

    It keeps running averages of each gradient (m, the direction) and of its square (v, how
    noisy it is) and steps by m / sqrt(v): confident parameters move, noisy ones move less.
    Both averages start at 0, so early on they are too small; dividing by 1 - beta^t corrects it.
    Weight decay pulls every parameter a little towards zero (Loshchilov & Hutter's AdamW), so the
    network prefers many small weights to a few large ones, which generalises better.
    """
    short_name, described = "Adam", "Adam"

    def __init__(self, size: int, betas: tuple[float, float] = ADAM_BETAS, epsilon: float = ADAM_EPSILON,
                 weight_decay: float = 0.0):
        self.beta1, self.beta2 = betas
        self.epsilon = epsilon
        self.weight_decay = weight_decay
        self.m = np.zeros(size, dtype=network.DTYPE)
        self.v = np.zeros(size, dtype=network.DTYPE)
        self.t = 0

    def step(self, params: np.ndarray, grads: np.ndarray, learning_rate: float) -> None:
        b1, b2 = self.beta1, self.beta2
        self.t += 1
        self.m = b1 * self.m + (1 - b1) * grads
        self.v = b2 * self.v + (1 - b2) * grads * grads
        m_hat = self.m / (1 - b1 ** self.t)
        v_hat = self.v / (1 - b2 ** self.t)
        params *= 1 - learning_rate * self.weight_decay            # w = w - lr * decay * w
        params -= learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}
