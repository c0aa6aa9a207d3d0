"""The robustness lab: damage a drawing on purpose and see when the network stops reading it.

Five kinds of damage, each a plain function (images, strength) -> damaged images, for a batch
(n, 28, 28) or one (28, 28) drawing (about a millisecond for one, so a slider can redraw live):

    noise       share of the pixels knocked up or down at random (0 = none, 0.5 = half of them)
    rotation    degrees, clockwise, about the drawing's centre of mass
    shift       pixels to the right (negative: left)
    thickness   pixels of ink added around every stroke (negative: taken away)
    blur        width of the blur, in pixels (the Gaussian's sigma)

damage_curves() measures the accuracy on the held-out drawings at each strength: how fast does
it fall? A network that only saw neat, centred drawings falls fast; augmented copies
(add_noise.py) teach it to shrug off some of these. save_damage_figure() draws the curves.
The warps and the pen-width steps are add_noise.py's own augmentation functions.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

import add_noise
from mling import held_out, network, plots, store
from mling.pixels import IMAGE_SIDE

NOISE_SEED = 0          # the same noise pattern every time: a slider grows it instead of re-rolling it
NOISE_AMOUNT = 1.0      # a noisy pixel moves by up to this much (on the 0..1 scale), then is clipped


def _as_batch(images: np.ndarray) -> tuple[np.ndarray, bool]:
    """(28, 28), (n, 28, 28) or (n, 784) -> ((n, 28, 28) float32, whether one image was given)."""
    images = np.asarray(images, dtype=np.float32)
    if images.shape in ((IMAGE_SIDE, IMAGE_SIDE), (IMAGE_SIDE * IMAGE_SIDE,)):
        return images.reshape(1, IMAGE_SIDE, IMAGE_SIDE), True
    if images.ndim == 2 and images.shape[1] == IMAGE_SIDE * IMAGE_SIDE:
        return images.reshape(-1, IMAGE_SIDE, IMAGE_SIDE), False
    if images.ndim != 3 or images.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE):
        raise ValueError(f"images must have shape (28, 28), (n, 28, 28) or (n, 784), got {images.shape}")
    return images, False


def _same_shape(damaged: np.ndarray, single: bool) -> np.ndarray:
    return damaged[0] if single else damaged


# --- The five kinds of damage ----------------------------------------------------------------
def noise(images: np.ndarray, strength: float, seed: int = NOISE_SEED) -> np.ndarray:
    """Knock a share `strength` (0..1) of the pixels up or down by up to NOISE_AMOUNT.

    The same seed picks the same pixels in the same order, so a stronger setting keeps every
    pixel a weaker one changed and adds more (add_noise.add_sparse_noise does the work).
    """
    batch, single = _as_batch(images)
    if not 0 <= strength <= 1:
        raise ValueError(f"noise strength is a share of the pixels, 0 to 1, got {strength}")
    noisy = add_noise.add_sparse_noise(batch, np.random.default_rng(seed), fraction=strength, strength=NOISE_AMOUNT)
    return _same_shape(noisy, single)


def rotation(images: np.ndarray, degrees: float) -> np.ndarray:
    """Turn each drawing by `degrees` clockwise about its centre of mass (bilinear, no holes)."""
    batch, single = _as_batch(images)
    angle = np.radians(degrees)
    # In (row, col) with rows pointing down, [[cos, sin], [-sin, cos]] turns the picture clockwise:
    # at 90 degrees the top of the drawing (row -1, col 0) goes to the right (row 0, col +1).
    turn = np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])
    matrices = np.broadcast_to(turn, (len(batch), 2, 2))
    turned = add_noise.affine_warp(batch, matrices, add_noise.centres_of_mass(batch), np.zeros((len(batch), 2)))
    return _same_shape(turned, single)


def shift(images: np.ndarray, pixels: float) -> np.ndarray:
    """Move each drawing `pixels` to the right (negative: left); ink pushed off the edge is lost."""
    batch, single = _as_batch(images)
    identity = np.broadcast_to(np.eye(2), (len(batch), 2, 2))
    shifts = np.tile([0.0, float(pixels)], (len(batch), 1))                       # (row, col)
    moved = add_noise.affine_warp(batch, identity, np.zeros((len(batch), 2)), shifts)
    return _same_shape(moved, single)


def thickness(images: np.ndarray, pixels: float) -> np.ndarray:
    """Add `pixels` of ink around every stroke (a 3x3 dilation per pixel); negative takes it away.

    Fractions blend: 1.5 is one full dilation, then half way to a second. Thinning (erosion)
    also dims a thin stroke's middle, so a thinned drawing is brightened back to its old peak:
    the edges go, the core stays (as add_noise.change_stroke_width does).
    """
    batch, single = _as_batch(images)
    grow = add_noise.dilate if pixels > 0 else add_noise.erode
    remaining = abs(float(pixels))
    changed = batch.copy()
    while remaining > 0:
        step = min(1.0, remaining)
        changed += step * (grow(changed) - changed)
        remaining -= step
    if pixels < 0:
        peak_before = batch.max(axis=(1, 2), keepdims=True)
        peak_after = changed.max(axis=(1, 2), keepdims=True)
        changed *= np.where(peak_after > 0, peak_before / np.where(peak_after > 0, peak_after, 1.0), 1.0)
    return _same_shape(np.clip(changed, 0.0, 1.0), single)


def _blur_matrix(sigma: float) -> np.ndarray:
    """(28, 28) Gaussian weights, each row summing to 1 over the picture: B @ image @ B.T blurs."""
    offsets = np.arange(IMAGE_SIDE)[:, None] - np.arange(IMAGE_SIDE)[None, :]
    weights = np.exp(-offsets**2 / (2.0 * sigma**2)) * (np.abs(offsets) <= 4 * sigma)  # no denormals
    return (weights / weights.sum(axis=1, keepdims=True)).astype(np.float32)


def blur(images: np.ndarray, sigma: float) -> np.ndarray:
    """Blur each drawing with a Gaussian `sigma` pixels wide (0: unchanged). Ink spreads, peaks fade."""
    batch, single = _as_batch(images)
    if sigma < 0:
        raise ValueError(f"blur width must be 0 or more pixels, got {sigma}")
    if sigma == 0:
        return _same_shape(batch.copy(), single)
    weights = _blur_matrix(sigma)
    return _same_shape(np.clip(weights @ batch @ weights.T, 0.0, 1.0), single)


@dataclass(frozen=True)
class Damage:
    """One kind of damage: its function, the strengths the curves (and a slider) run through, its unit."""
    name: str
    apply: Callable[[np.ndarray, float], np.ndarray]
    strengths: tuple[float, ...]
    unit: str


DAMAGES = (
    Damage("noise", noise, tuple(np.round(np.linspace(0, 0.5, 11), 3)), "share of pixels changed"),
    Damage("rotation", rotation, tuple(range(0, 91, 10)), "degrees"),
    Damage("shift", shift, tuple(range(0, 9)), "pixels to the right"),
    Damage("thickness", thickness, (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0), "pixels added around strokes"),
    Damage("blur", blur, (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0), "blur width (pixels)"),
)


# --- Curves -----------------------------------------------------------------------------------
@dataclass
class Curve:
    """Accuracy of one model under one kind of damage, strength by strength."""
    damage: Damage
    strengths: np.ndarray       # (k,)
    accuracies: np.ndarray      # (k,) share of the drawings read right at each strength
    count: int                  # how many drawings were measured


def damage_curves(params: network.Parameters, X: np.ndarray, y: np.ndarray,
                  damages: Sequence[Damage] = DAMAGES) -> list[Curve]:
    """Accuracy on X (n, 784), labels y (n,), under each damage at each of its strengths."""
    batch, _ = _as_batch(np.asarray(X).reshape(-1, IMAGE_SIDE * IMAGE_SIDE))
    y = np.asarray(y, dtype=np.int64)
    curves = []
    for damage in damages:
        accuracies = [float((network.predict_probabilities(params, damage.apply(batch, s).reshape(len(batch), -1))
                             .argmax(axis=1) == y).mean()) if len(y) else float("nan")
                      for s in damage.strengths]
        curves.append(Curve(damage, np.array(damage.strengths, dtype=np.float64), np.array(accuracies), len(y)))
    return curves


def held_out_damage_curves(params: network.Parameters, data: store.DataStore, val_ids: Sequence[str],
                           damages: Sequence[Damage] = DAMAGES) -> list[Curve]:
    """damage_curves on the model's held-out drawings (train.py's val_ids): drawings it never learned from."""
    X, y, _ = held_out.held_out_arrays(data, val_ids)
    if len(y) == 0:
        raise ValueError("the model has no held-out drawings in this data file to measure on; train again")
    return damage_curves(params, X, y, damages)


def save_damage_figure(curves: Sequence[Curve], path: str | os.PathLike) -> None:
    """One small plot per kind of damage: accuracy against strength, written atomically as a PNG."""
    figure = plots.new_figure(3.2 * len(curves), 3.2)      # safe to draw in a background thread
    for axes, curve in zip(np.atleast_1d(figure.subplots(1, len(curves))), curves):
        axes.plot(curve.strengths, curve.accuracies, marker="o")
        axes.set(title=curve.damage.name, xlabel=curve.damage.unit, ylim=(0, 1.01))
        axes.grid(alpha=0.3)
    figure.axes[0].set_ylabel(f"accuracy on {curves[0].count} held-out drawings")
    figure.tight_layout()
    plots.save_png(figure, path)
