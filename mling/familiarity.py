"""The "not sure" check: does a drawing look like the digits the network was trained on?

A network that ends in a softmax over ten digits must hand out 100% between those ten, so it
names a digit for anything: an X, a star, random static. Its confidence does not help much: a
typical X gets "8, 77% sure", more than 13% of real MNIST digits get. What does help is to compare the drawing
with the training drawings themselves. If even the most similar one is far away, the drawing is
unlike anything the network learned from, and its answer is only a guess.

How "far" is measured (all NumPy, in features()):
  1. shrink the 28x28 image to 14x14 (the mean of each 2x2 block) and blur it a little, so a
     stroke one pixel to the side still counts as close,
  2. add where its edges are and which way they face (the differences between neighbouring
     pixels, across and down), which tells a T from a 7 better than the ink alone,
  3. scale the whole feature vector to length 1, so a thick pen and a thin one compare alike.
The distance to the nearest of REFERENCE_SIZE training drawings is then compared with a
threshold: the distance that all but 1 in 200 of the held-out drawings stay within.

Measured on the shipped starter set (benchmarks/bench_familiarity.py): 72% of non-digit drawings
flagged (crosses, stars, spirals, #, dots, static: 96-100%; plus signs 82%, scribbles 51%;
smileys and Ts ~1%: they are a 0 and a 7 with a little extra), 4.7% of 5,000 real MNIST digits,
0.5% of the held-out starter drawings. The same test in hidden layer 2 flags only 10% of the
non-digits (the network has learned to ignore what makes a star not a 4), on raw pixels 40%,
with the softmax confidence 14%.

The reference drawings and the threshold live in model_params.npz (summary_familiar_*), so
run.py and the window need nothing but the model file. train.py makes them with
build_familiarity() after training.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# --- Defaults (measured in benchmarks/bench_familiarity.py) ----------------------------------
REFERENCE_SIZE = 8000    # training drawings kept in the model, at most (196 bytes each: 1.3 MB for the
                         # 6,800 of the starter set); a random 2,000 flagged 57-70% of the non-digits
                         # instead of 72%, and k-means centres (prototypes) did worse than drawings
QUANTILE = 0.995         # "not sure" beyond the distance that 99.5% of held-out drawings stay within
HALF = 14                # drawings are compared at half size: 14x14
BLUR_SIGMA = 0.5         # blur of the half-size image, in its pixels (one pixel of 28x28)
EDGE_WEIGHT = 2.0        # how much the edges count next to the ink itself
MIN_CALIBRATION = 20     # fewer held-out drawings than this: calibrate on the training drawings
SUMMARY_DRAWINGS = "familiar_drawings"      # model summary keys (model_params.npz: summary_<key>)
SUMMARY_THRESHOLD = "familiar_threshold"
SUMMARY_QUANTILE = "familiar_quantile"
NOT_SURE = "not sure: this looks unlike your digits"

WHY_IT_GUESSES_ANYWAY = (
    "Why does it still name a digit? The network has exactly ten outputs, one per digit, and the "
    "softmax at the end turns them into ten shares that always add up to 100%. There is no eleventh "
    "answer for \"none of these\", so even a star or a scribble gets split between the ten digits, "
    "and the biggest share can be large: whatever the network saw, one digit matched it a bit "
    "better than the others. It was only ever trained on digits, so it never learned what "
    "\"not a digit\" looks like. To say \"not sure\", MLing asks a different question: is the "
    "drawing close to any of the drawings the network learned from? If even the closest one is "
    "far away, the answer is a guess."
)


# --- Features ---------------------------------------------------------------------------------
def half_size(images: np.ndarray) -> np.ndarray:
    """(n, 28, 28) or (n, 784) or (28, 28) images -> (n, 14, 14) float32: the mean of each 2x2 block."""
    images = np.asarray(images, dtype=np.float32).reshape(-1, 28, 28)
    return images.reshape(len(images), HALF, 2, HALF, 2).mean(axis=(2, 4))


def _blur_matrix(size: int, sigma: float) -> np.ndarray:
    """(size, size) Gaussian weights with rows summing to 1: B @ image @ B.T blurs an image.

    The blur reaches 3 sigma; farther weights are exactly 0 (left in, numbers as tiny as 1e-300
    would make every product with them ~20x slower: "denormal" floats).
    """
    offsets = np.arange(size)[:, None] - np.arange(size)[None, :]
    weights = np.exp(-offsets**2 / (2.0 * sigma**2)) * (np.abs(offsets) <= 3 * sigma)
    return weights / weights.sum(axis=1, keepdims=True)


def _difference_matrix(size: int) -> np.ndarray:
    """(size, size) D with D @ x = np.gradient(x): (x[i+1] - x[i-1]) / 2 inside, one-sided at the ends."""
    return np.gradient(np.eye(size), axis=0)


@lru_cache(maxsize=1)
def feature_matrix() -> np.ndarray:
    """(588, 196) M: features(small) before scaling to length 1 is small.reshape(n, 196) @ M.T.

    Blurring and taking differences are both weighted sums of pixels, so one matrix does all:
        ink     = B @ small @ B.T           (B: the blur)
        across  = ink @ D.T                 (D: differences between neighbours)
        down    = D @ ink
    and for row-by-row flattening, vec(A @ X @ C.T) = kron(A, C) @ vec(X). One (n, 196) x (196, 588)
    product instead of n tiny ones: 6,800 drawings in ~10 ms instead of ~65 ms.
    """
    blur, difference = _blur_matrix(HALF, BLUR_SIGMA), _difference_matrix(HALF)
    return np.concatenate([np.kron(blur, blur),
                           EDGE_WEIGHT * np.kron(blur, difference @ blur),
                           EDGE_WEIGHT * np.kron(difference @ blur, blur)]).astype(np.float32)


def features(small: np.ndarray) -> np.ndarray:
    """(n, 14, 14) half-size drawings -> (n, 588) unit-length vectors: blurred ink, edges across, edges down."""
    small = np.asarray(small, dtype=np.float32)
    vectors = small.reshape(len(small), HALF * HALF) @ feature_matrix().T
    length = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(length, 1e-6)                     # a blank image stays all zeros


def nearest_distances(query: np.ndarray, reference: np.ndarray, batch: int = 2048) -> np.ndarray:
    """Distance from each query feature vector (n, d) to its nearest reference vector (m, d): (n,).

    For vectors of length 1, |a - b|^2 = 2 - 2 a.b, so the nearest is the one with the largest
    dot product; a chunk of queries at a time keeps the (chunk, m) table small.
    """
    out = np.empty(len(query), dtype=np.float32)
    for start in range(0, len(query), batch):
        similarity = query[start:start + batch] @ reference.T
        out[start:start + batch] = np.sqrt(np.maximum(2.0 - 2.0 * similarity.max(axis=1), 0.0))
    return out


# --- The check --------------------------------------------------------------------------------
@dataclass
class Familiarity:
    """The reference drawings and the threshold: everything the "not sure" check needs."""
    drawings: np.ndarray    # (m, 14, 14) float32 in [0, 1]: half-size training drawings
    threshold: float        # farther than this from all of them: "not sure"
    quantile: float = QUANTILE

    def __post_init__(self) -> None:
        self.reference = features(self.drawings)                  # (m, 588)

    def distances(self, images: np.ndarray) -> np.ndarray:
        """(n, 28, 28) or (n, 784) or one (28, 28) image -> (n,) distance to the nearest reference drawing."""
        return nearest_distances(features(half_size(images)), self.reference)

    def is_unfamiliar(self, images: np.ndarray) -> np.ndarray:
        """(n,) bool: True where a drawing is unlike all the reference drawings."""
        return self.distances(images) > self.threshold

    def to_summary(self) -> dict[str, np.ndarray | float]:
        """The entries save_model stores as summary_familiar_* in model_params.npz."""
        return {SUMMARY_DRAWINGS: np.round(self.drawings * 255).astype(np.uint8),
                SUMMARY_THRESHOLD: float(self.threshold), SUMMARY_QUANTILE: float(self.quantile)}

    @classmethod
    def from_summary(cls, summary: dict) -> Familiarity | None:
        """The check stored in a model's summary; None for a model made without one.

        Raises ValueError (one line) if the entries are there but damaged.
        """
        if SUMMARY_DRAWINGS not in summary or SUMMARY_THRESHOLD not in summary:
            return None
        drawings = np.asarray(summary[SUMMARY_DRAWINGS])
        threshold = summary[SUMMARY_THRESHOLD]
        if drawings.ndim != 3 or drawings.shape[1:] != (HALF, HALF) or len(drawings) == 0 \
                or drawings.dtype != np.uint8:
            raise ValueError(f"the model's {SUMMARY_DRAWINGS} are {drawings.dtype} {drawings.shape}, expected "
                             f"uint8 (n, {HALF}, {HALF}); train again (python train.py)")
        if not isinstance(threshold, (int, float)) or not np.isfinite(threshold) or threshold <= 0:
            raise ValueError(f"the model's {SUMMARY_THRESHOLD} is {threshold!r}, not a positive number; "
                             "train again (python train.py)")
        quantile = float(summary.get(SUMMARY_QUANTILE, QUANTILE))
        return cls(drawings.astype(np.float32) / 255.0, float(threshold), quantile)


def build_familiarity(X_train: np.ndarray, X_val: np.ndarray | None = None,
                      rng: np.random.Generator | None = None, reference_size: int = REFERENCE_SIZE,
                      quantile: float = QUANTILE) -> dict[str, np.ndarray | float]:
    """Make the "not sure" check for a model trained on X_train; returns summary entries to save.

    X_train: (n, 784) or (n, 28, 28) training drawings, best WITHOUT augmented copies and repeats
    (a copy is too close to its original to teach what "close" means). X_val: the held-out
    drawings; the threshold is their `quantile` distance to the reference drawings, so about
    1 - quantile of drawings like the learner's are called "not sure". With fewer than
    MIN_CALIBRATION held-out drawings, each training drawing's distance to the nearest OTHER one
    is used instead. Up to `reference_size` training drawings, picked at random, are kept.
    """
    X_train = np.asarray(X_train, dtype=np.float32).reshape(-1, 784)
    X_train = X_train[X_train.max(axis=1) > 0] if len(X_train) else X_train   # blank images teach nothing
    if len(X_train) < 2:
        raise ValueError(f"the not-sure check needs at least 2 training drawings, got {len(X_train)}")
    if not 0.5 <= quantile < 1:
        raise ValueError(f"quantile must be between 0.5 and 1, e.g. {QUANTILE} (got {quantile})")
    rng = np.random.default_rng(0) if rng is None else rng
    keep = rng.permutation(len(X_train))[:reference_size]
    drawings = np.round(half_size(X_train[keep]) * 255) / 255      # as the model file keeps them: bytes
    reference = Familiarity(drawings, threshold=np.inf, quantile=quantile)
    if X_val is not None and len(X_val) >= MIN_CALIBRATION:
        distances = reference.distances(X_val)
    else:
        distances = _distances_to_others(reference.reference)
    return Familiarity(drawings, float(np.quantile(distances, quantile)), quantile).to_summary()


def _distances_to_others(reference: np.ndarray) -> np.ndarray:
    """Each reference vector's distance to the nearest other one (itself excluded): (m,)."""
    similarity = reference @ reference.T
    np.fill_diagonal(similarity, -np.inf)
    return np.sqrt(np.maximum(2.0 - 2.0 * similarity.max(axis=1), 0.0))


_last_made: list = [None, None]   # [summary drawings array, the check made from it]: note() reuses it


def note(summary: dict, image: np.ndarray) -> str:
    """What run.py adds to a prediction's line: " not sure: ..." or "" (familiar, or no check in the model).

    The check made from a summary is kept for the next call with the same summary (making it
    takes ~20 ms for 6,800 reference drawings; checking one drawing ~1 ms).
    """
    try:
        if _last_made[0] is None or _last_made[0] is not summary.get(SUMMARY_DRAWINGS):
            _last_made[:] = [summary.get(SUMMARY_DRAWINGS), Familiarity.from_summary(summary)]
    except ValueError as error:
        _last_made[:] = [None, None]
        return f" (cannot tell whether it looks like your digits: {error})"
    familiarity = _last_made[1]
    if familiarity is None or not familiarity.is_unfamiliar(image)[0]:
        return ""
    return f" {NOT_SURE}"
