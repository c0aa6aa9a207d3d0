"""Fool the network: the least ink that turns a drawing into another digit, and a game of it.

The input gradient says, for every pixel, how the network's answer would move if that pixel had
a bit more ink. To make the network read a 3 as an 8, keep adding ink where it raises the
probability of "8" most and rubbing it out where that lowers it, a few pixels at a time, until
the network says 8. What it changed is the overlay: +ink and -ink on 28x28.

    attack = fool(params, image, target=8)
    attack.overlay          # (28, 28) in [-1, 1]; image + overlay is read as 8
    attack.ink              # total ink moved, in "pixels' worth" (1.0 = one pixel fully inked)

Often a handful of pixels is enough: the network never learned what an 8 *is*, only which
pixels tend to be on for one. Then the learner tries to flip it with as little ink as they can,
and flip_score() compares their ink with the network's.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mling import network

PIXELS_PER_STEP = 3     # pixels changed in each step: the ones that move the scores most
STEP = 0.25             # how much ink each of them gains or loses per step (on the 0..1 scale)
MAX_STEPS = 400         # give up after this many steps (1,200 pixel changes; 61 were the most
                        # needed for 360 held-out drawings x 9 targets)
MARGIN = 0.5            # stop once the target's score leads every other digit's by this much, so the
                        # result is not balanced on a knife edge (a rounding would undo it)
CHANGED = 0.05          # a pixel counts as changed when its ink moved by more than this


@dataclass
class Attack:
    """The network's own smallest change of ink from one digit to another."""
    overlay: np.ndarray     # (28, 28) ink to add (+) or remove (-); image + overlay stays in [0, 1]
    target: int             # the digit it was asked to become
    reached: bool           # whether image + overlay is read as target (False: gave up)
    steps: int
    ink: float              # sum of |overlay|: pixels' worth of ink moved (L1)
    length: float           # sqrt(sum of overlay^2) (L2)
    pixels: int             # pixels whose ink moved by more than CHANGED
    probabilities: np.ndarray   # (10,) the network's answer for image + overlay


def ink_moved(overlay: np.ndarray) -> tuple[float, float, int]:
    """(L1, L2, pixels changed by more than CHANGED) of an overlay: the three ways to count ink."""
    overlay = np.asarray(overlay, dtype=np.float64)
    return float(np.abs(overlay).sum()), float(np.sqrt((overlay**2).sum())), int((np.abs(overlay) > CHANGED).sum())


def target_gradient(params: network.Parameters, image: np.ndarray, target: int) -> np.ndarray:
    """d log(probability of target) / d pixels, (784,): where more ink makes the network say `target`.

    log p_target = score_target - log(sum_j exp(score_j)), so its gradient with respect to the
    scores is one_hot(target) - probabilities, and with respect to the pixels it is that mix of
    each digit's score gradient (network.score_gradient).
    """
    activations = network.forward(params, np.asarray(image, dtype=network.DTYPE).reshape(1, -1))
    weights = -activations[-1][0]
    weights[target] += 1.0
    return sum(weights[digit] * network.score_gradient(params, activations, digit)[0]
               for digit in range(len(weights)))


def _scores(params: network.Parameters, x: np.ndarray) -> np.ndarray:
    """The last layer's scores before softmax (10,) for one image (784,)."""
    activations = network.forward(params, x.reshape(1, -1))
    last = params.layer_count
    return (activations[last - 1] @ params[f"W{last}"] + params[f"b{last}"])[0]


def _leads(params: network.Parameters, x: np.ndarray, target: int) -> bool:
    """Whether the target's score beats every other digit's by at least MARGIN."""
    scores = _scores(params, x)
    return bool(scores[target] - np.delete(scores, target).max() >= MARGIN)


def near_ink(image: np.ndarray, reach: int) -> np.ndarray:
    """(784,) bool: the pixels at most `reach` pixels (across, down or diagonally) from ink in `image`."""
    mask = np.asarray(image).reshape(28, 28) > CHANGED
    for _ in range(reach):                     # grow by one pixel in all 8 directions per round
        padded = np.pad(mask, 1)
        mask = np.logical_or.reduce([padded[dr:dr + 28, dc:dc + 28] for dr in range(3) for dc in range(3)])
    return mask.reshape(-1)


def fool(params: network.Parameters, image: np.ndarray, target: int, max_steps: int = MAX_STEPS,
         reach: int | None = None) -> Attack:
    """The smallest change of ink (found step by step from the input gradient) that makes `image` a `target`.

    Each step: take the gradient of log(probability of target) with respect to the pixels and
    move the PIXELS_PER_STEP pixels with the largest gradient by STEP its way, clipped to [0, 1].
    A pixel keeps the direction it first moved in (ink added is never rubbed out again), so the
    search cannot go back and forth. It stops when the target's score leads by MARGIN; then the
    overlay is shrunk to the smallest fraction of itself that still gives the target that lead.
    reach: only change pixels this close to the drawing's ink (None: anywhere). Left free, the
    search often puts dots near the border, where no training drawing had ink, so those weights
    were never trained and still hold their random start.
    """
    original = np.asarray(image, dtype=network.DTYPE).reshape(-1)
    if original.size != params.layer_sizes[0]:
        raise ValueError(f"expected a 28x28 image (784 values), got {np.shape(image)}")
    if not 0 <= int(target) < params.layer_sizes[-1]:
        raise ValueError(f"target must be a digit 0 to 9, got {target}")
    target = int(target)
    x = original.copy()
    direction = np.zeros_like(x)              # +1 ink added, -1 ink removed, 0 not touched yet
    allowed = np.ones(x.shape, dtype=bool) if reach is None else near_ink(original, reach)
    steps = 0
    while steps < max_steps and not _leads(params, x, target):
        gradient = target_gradient(params, x, target)
        movable = ((gradient > 0) & (x < 1)) | ((gradient < 0) & (x > 0))
        movable &= allowed & ((direction == 0) | (np.sign(gradient) == direction))
        strength = np.where(movable, np.abs(gradient), 0.0)
        if not strength.any():
            break                                                     # nothing left that helps
        chosen = np.argpartition(strength, -PIXELS_PER_STEP)[-PIXELS_PER_STEP:]
        chosen = chosen[strength[chosen] > 0]
        direction[chosen] = np.sign(gradient[chosen])
        x[chosen] = np.clip(x[chosen] + STEP * direction[chosen], 0.0, 1.0)
        steps += 1
    overlay = _shrink(params, original, x - original, target)
    probabilities = network.predict_probabilities(params, (original + overlay)[None])[0]
    ink, length, pixels = ink_moved(overlay)
    return Attack(overlay.reshape(28, 28), target, bool(probabilities.argmax() == target), steps,
                  ink, length, pixels, probabilities)


def _shrink(params: network.Parameters, original: np.ndarray, overlay: np.ndarray, target: int,
            halvings: int = 12) -> np.ndarray:
    """The smallest fraction t of `overlay` (bisection on t in [0, 1]) that still reaches the target's lead."""
    if not _leads(params, original + overlay, target):
        return overlay
    low, high = 0.0, 1.0
    for _ in range(halvings):
        middle = (low + high) / 2
        low, high = (low, middle) if _leads(params, original + middle * overlay, target) else (middle, high)
    return np.clip(original + high * overlay, 0.0, 1.0) - original    # never outside [0, 1], even by rounding


@dataclass
class FlipScore:
    """How well the learner fooled the network, against the network's own smallest change."""
    flipped: bool           # the learner's drawing is read as the target
    guess: int              # what the network reads it as
    ink: float              # ink the learner moved (sum of |attempt - original|)
    network_ink: float      # ink the network's own smallest change moved
    score: int              # 0 if not flipped; else 100 * network_ink / ink: 100 = as little as the
                            # network, more = less ink than the network needed (the learner beat it)


def flip_score(params: network.Parameters, original: np.ndarray, attempt: np.ndarray, attack: Attack) -> FlipScore:
    """Score the learner's attempt to turn `original` into attack.target with as little ink as possible.

    original, attempt: (28, 28) network inputs (the attempt is the original plus the learner's edits).
    """
    original = np.asarray(original, dtype=network.DTYPE).reshape(-1)
    attempt = np.asarray(attempt, dtype=network.DTYPE).reshape(-1)
    guess = int(network.predict_probabilities(params, attempt[None])[0].argmax())
    ink, _, _ = ink_moved(attempt - original)
    flipped = guess == attack.target
    if not flipped:
        score = 0
    elif ink == 0:
        score = 100                            # it was read as the target already: nothing to beat
    else:
        score = int(round(100 * attack.ink / ink))
    return FlipScore(flipped, guess, ink, attack.ink, score)
