"""The neural network, written from scratch in NumPy: 784 -> 16 -> 16 -> 10.

Everything the network *is* lives here: the layer sizes, how the weights start, the forward
pass (ReLU, ReLU, softmax), the loss (categorical cross-entropy), the backward pass, and
saving/loading `model_params.npz`. `train.py` and `run.py` use it; it never imports pygame.

Shapes, for a batch of n images (each flattened to 784 numbers in [0, 1]):
    X  (n, 784)   input
    W1 (784, 16)  b1 (16,)   h1 = relu(X  @ W1 + b1)      (n, 16)
    W2 (16, 16)   b2 (16,)   h2 = relu(h1 @ W2 + b2)      (n, 16)
    W3 (16, 10)   b3 (10,)   p  = softmax(h2 @ W3 + b3)   (n, 10)
Each W has a row per input and a column per neuron. model_params.npz keeps the original MLing's
orientation, (outputs, inputs): save_model and load_model transpose, so old models still load.

All parameters live in one flat float32 vector (`Parameters.flat`); W1, b1, ... are views into
it. That keeps the maths readable per layer while the optimizer, gradient clipping and the
finite check each touch all parameters in one vectorised step.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from mling.files import atomic_write, remove_stale_temporaries

LAYER_SIZES = (784, 16, 16, 10)  # input pixels, hidden layer 1, hidden layer 2, digits
GRADIENT_CLIP_NORM = 5.0  # the gradient is scaled down when its global norm is larger than this
MODEL_FORMAT_VERSION = 2  # version 1 is the original MLing file: W1..b3 only
DTYPE = np.float32  # float32 halves memory traffic; plenty of precision for this network
PROBABILITY_FLOOR = 1e-7  # probabilities are clipped to this before the log, so log(0) never happens
MAX_LAYER_SIZE = 4096     # neurons in one layer: far more than digits need, and a model file cannot
MAX_LAYERS = 12           # ask for terabytes by claiming a billion neurons
MAX_PARAMETERS = 20_000_000  # 80 MB of float32 weights at most


class ModelFileError(Exception):
    """A model file is missing, damaged or of another architecture (one-line message)."""


def parameter_shapes(layer_sizes: tuple[int, ...]) -> dict[str, tuple[int, ...]]:
    """The name and shape of every parameter: W1 (784, 16), b1 (16,), W2 (16, 16), ...

    W has one row per input and one column per neuron, so a layer reads z = a @ W + b.
    """
    shapes = {}
    for layer, (fan_in, fan_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:]), start=1):
        shapes[f"W{layer}"] = (fan_in, fan_out)
        shapes[f"b{layer}"] = (fan_out,)
    return shapes


def check_layer_sizes(layer_sizes: tuple[int, ...]) -> str | None:
    """What is wrong with these layer sizes (one line), or None if a network can be built from them."""
    if len(layer_sizes) < 2 or len(layer_sizes) > MAX_LAYERS:
        return f"needs 2 to {MAX_LAYERS} layer sizes, got {len(layer_sizes)}"
    if any(not 1 <= size <= MAX_LAYER_SIZE for size in layer_sizes):
        return f"layer sizes must be whole numbers from 1 to {MAX_LAYER_SIZE}, got {list(layer_sizes)}"
    count = sum(fan_in * fan_out + fan_out for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]))
    if count > MAX_PARAMETERS:
        return f"layers {list(layer_sizes)} would need {count:,} weights, more than the {MAX_PARAMETERS:,} allowed"
    return None


class Parameters:
    """The weights and biases of the network, as named views into one flat float32 vector.

    `params["W1"]` reads like the maths: shape (784, 16), one row per input pixel and one column
    per neuron, so a layer is `z = a @ W + b`. `params.flat` is what the optimizer updates: every
    W and b is a view of a piece of it, so changing one changes the other. `params.layers` is the
    list of (W, b) pairs, first layer first.
    """

    def __init__(self, layer_sizes: tuple[int, ...], flat: np.ndarray | None = None):
        self.layer_sizes = tuple(int(size) for size in layer_sizes)
        self.shapes = parameter_shapes(self.layer_sizes)
        total = sum(int(np.prod(shape)) for shape in self.shapes.values())
        self.flat = np.zeros(total, dtype=DTYPE) if flat is None else flat
        if self.flat.shape != (total,):
            raise ValueError(f"flat parameters must have shape ({total},)")
        self.arrays: dict[str, np.ndarray] = {}
        start = 0
        for name, shape in self.shapes.items():
            size = int(np.prod(shape))
            self.arrays[name] = self.flat[start:start + size].reshape(shape)  # a view, not a copy
            start += size
        self.layers = [(self.arrays[f"W{k}"], self.arrays[f"b{k}"]) for k in range(1, self.layer_count + 1)]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.arrays)

    @property
    def layer_count(self) -> int:
        return len(self.layer_sizes) - 1

    def copy(self) -> Parameters:
        return Parameters(self.layer_sizes, self.flat.copy())

    def astype(self, dtype) -> Parameters:
        """The same network in another float type (float64 for precise gradient checks)."""
        return Parameters(self.layer_sizes, self.flat.astype(dtype))

    def zeros_like(self) -> Parameters:
        return Parameters(self.layer_sizes, np.zeros_like(self.flat))

    def is_finite(self) -> bool:
        return bool(np.isfinite(self.flat).all())

    def __repr__(self) -> str:
        sizes = "-".join(str(size) for size in self.layer_sizes)
        return f"Parameters({sizes}, {self.flat.size} numbers)"


def init_params(layer_sizes: tuple[int, ...] = LAYER_SIZES,
                rng: np.random.Generator | None = None) -> Parameters:
    """He initialisation: weights ~ N(0, 2 / fan_in), biases 0.

    The 2/fan_in variance keeps the size of the signal roughly constant through ReLU layers,
    so neither the activations nor the gradients vanish or explode at the start.
    """
    rng = np.random.default_rng(0) if rng is None else rng
    params = Parameters(layer_sizes)
    for W, _ in params.layers:
        fan_in = W.shape[0]
        W[...] = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=W.shape)
    return params


# --- activations and loss: each forward step sits next to its gradient ---------------------

def relu(z: np.ndarray) -> np.ndarray:
    """max(0, z): passes positive signals, blocks negative ones."""
    return np.maximum(z, 0.0)


def relu_backward(grad_a: np.ndarray, a: np.ndarray) -> np.ndarray:
    """d relu / dz is 1 where the neuron fired (a > 0) and 0 elsewhere."""
    return grad_a * (a > 0.0)


def softmax(z: np.ndarray) -> np.ndarray:
    """Turns scores (n, 10) into probabilities that sum to 1 per row.

    Subtracting each row's maximum first changes nothing mathematically (it cancels in the
    fraction) but keeps exp() from overflowing for large scores.
    """
    exp = np.exp(z - z.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    """Digits (n,) -> (n, classes) rows of zeros with a 1 at the digit."""
    targets = np.zeros((len(labels), classes), dtype=DTYPE)
    targets[np.arange(len(labels)), labels] = 1.0
    return targets


def cross_entropy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Mean of -log(probability given to the right digit) over the batch."""
    picked = probabilities[np.arange(len(labels)), labels]
    return float(-np.log(np.maximum(picked, PROBABILITY_FLOOR)).mean())


def softmax_cross_entropy_backward(probabilities: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Gradient of the mean cross-entropy with respect to the last layer's scores z.

    For softmax followed by cross-entropy the chain rule collapses to a famous short form:
    dL/dz = probabilities - one_hot(labels). Intuition: push the right digit's score up by how
    far its probability is below 1, push every other score down by its probability.
    `targets` are digits (n,), or probabilities (n, 10) to learn from (a teacher network's).
    We divide by n because the loss is a mean over the batch.
    """
    if targets.ndim == 1:
        targets = one_hot(targets, probabilities.shape[1])
    return (probabilities - targets) / len(probabilities)


# --- the network ---------------------------------------------------------------------------

def forward(params: Parameters, X: np.ndarray) -> list[np.ndarray]:
    """Runs the network on X (n, 784) and returns every layer's activations.

    Returns [X, h1, h2, ..., probabilities]: the input, each hidden layer after ReLU,
    and the output probabilities (n, 10). backward() needs them all; the window shows them.
    """
    activations = [X]
    last = params.layer_count - 1
    for layer, (W, b) in enumerate(params.layers):
        a = activations[-1]
        z = a @ W + b
        activations.append(softmax(z) if layer == last else relu(z))
    return activations


def backward(params: Parameters, activations: list[np.ndarray], targets: np.ndarray,
             grads: Parameters | None = None, deltas: list[np.ndarray] | None = None) -> Parameters:
    """Backpropagation: the gradient of the mean cross-entropy for every parameter.

    Walks the layers from the output back to the input. For layer k with input a (n, fan_in)
    and score gradient delta (n, fan_out):  dW = a.T @ delta,  db = delta summed over the batch,
    and the gradient passed to the layer below is delta @ W.T (then through that layer's ReLU).
    `targets` are digits (n,) or probabilities (n, 10); `grads` may be a buffer to fill; a list
    given as `deltas` receives every layer's delta = dL/dz, first layer first.
    """
    grads = params.zeros_like() if grads is None else grads
    delta = softmax_cross_entropy_backward(activations[-1], targets)
    for layer in range(params.layer_count - 1, -1, -1):
        (W, _), (dW, db) = params.layers[layer], grads.layers[layer]
        a = activations[layer]
        if deltas is not None:
            deltas.insert(0, delta)
        dW[...] = a.T @ delta
        db[...] = delta.sum(axis=0)
        if layer > 0:  # the input pixels need no gradient
            delta = relu_backward(delta @ W.T, a)
    return grads


def clip_by_global_norm(grads: Parameters, max_norm: float | None = GRADIENT_CLIP_NORM) -> float:
    """Scales all gradients down together when their combined length exceeds max_norm.

    One unlucky batch can produce a huge gradient that throws the weights far away;
    clipping keeps each step a sensible size without changing its direction.
    Returns the norm before clipping.
    """
    norm = float(np.sqrt(np.dot(grads.flat, grads.flat)))
    if max_norm is not None and norm > max_norm:
        grads.flat *= max_norm / norm
    return norm


def score_gradient(params: Parameters, activations: list[np.ndarray], digit: int) -> np.ndarray:
    """How each input pixel would change the score (the pre-softmax value) of `digit`.

    The same chain rule as backward(), started from "1 for this digit's score" instead of the
    loss, and carried all the way down to the pixels: returns d score / d X, shape (n, 784).
    """
    delta = np.zeros((len(activations[0]), params.layer_sizes[-1]), dtype=DTYPE)
    delta[:, digit] = 1.0
    for layer in range(params.layer_count - 1, -1, -1):
        delta = delta @ params.layers[layer][0].T
        if layer > 0:
            delta = relu_backward(delta, activations[layer])
    return delta


def predict_probabilities(params: Parameters, X: np.ndarray, batch_size: int = 4096) -> np.ndarray:
    """Probabilities (n, 10) for many images, a chunk at a time to bound memory."""
    X = np.asarray(X, dtype=DTYPE).reshape(len(X), -1)
    chunks = [forward(params, X[start:start + batch_size])[-1]
              for start in range(0, len(X), batch_size)]
    return np.concatenate(chunks) if chunks else np.zeros((0, params.layer_sizes[-1]), DTYPE)


# --- the model file ------------------------------------------------------------------------
# model_params.npz holds W1, b1, ... in the original (outputs, inputs) orientation, plus
#   layer_sizes     (k,) int64, e.g. [784, 16, 16, 10]
#   format_version  () int64
#   val_ids         (m,) str: the ids of the data.json samples held out from training (validation)
#   summary_<key>   () numbers or text: how training went and the recipe that made the model

FIX = "delete it and train again (python train.py)"


def to_file_orientation(name: str, value: np.ndarray) -> np.ndarray:
    """W (inputs, outputs) <-> the file's (outputs, inputs); biases are the same both ways."""
    return value.T if name.startswith("W") else value


def save_model(path: str | os.PathLike, params: Parameters, summary: dict | None = None) -> None:
    """Writes model_params.npz atomically (mling.files.atomic_write: all or nothing).

    Keeps the original keys W1, b1, ... in their original orientation, and adds
    `layer_sizes`, `format_version` and the training summary so the file describes itself.
    summary["val_ids"] (the held-out sample ids) is stored as the `val_ids` array.
    """
    contents = {name: np.ascontiguousarray(to_file_orientation(name, params[name])) for name in params}
    contents["layer_sizes"] = np.array(params.layer_sizes, dtype=np.int64)
    contents["format_version"] = np.array(MODEL_FORMAT_VERSION, dtype=np.int64)
    for key, value in (summary or {}).items():
        if key == "val_ids":
            contents["val_ids"] = np.array(list(value), dtype=str)
        elif value is not None:
            contents[f"summary_{key}"] = np.asarray(value)
    atomic_write(path, lambda file: np.savez(file, **contents))


def load_model(path: str | os.PathLike) -> tuple[Parameters, dict]:
    """Reads a model file (ours or the original MLing's) and checks it thoroughly.

    Returns (params, summary): summary holds what training recorded (val_accuracy, the recipe,
    ...) and, when the file has them, "val_ids": the tuple of held-out sample ids.
    Raises ModelFileError with a one-line message on any problem, before allocating anything big.
    """
    path = Path(path)
    if not path.exists():
        raise ModelFileError(f"{path}: no model file yet; train one first (python train.py)")
    remove_stale_temporaries(path)          # what a save killed half-way left behind
    if path.is_dir():
        raise ModelFileError(f"{path} is a folder, not a model file; give the path of a .npz file")
    contents = _read_arrays(path)
    layer_sizes = _layer_sizes_in(contents, path)
    params = Parameters(layer_sizes)
    for name, shape in params.shapes.items():
        value = contents.get(name)
        file_shape = shape[::-1]                                    # as the file stores it
        if value is None:
            raise ModelFileError(f"{path}: {name} is missing; {FIX}")
        if value.shape != file_shape:
            raise ModelFileError(f"{path}: {name} has shape {value.shape}, expected {file_shape} "
                                 f"for layers {'-'.join(map(str, layer_sizes))}; {FIX}")
        if not _holds_real_numbers(value):
            raise ModelFileError(f"{path}: {name} holds {value.dtype} values, not numbers; {FIX}")
        with np.errstate(over="ignore", invalid="ignore"):         # too big for float32: inf, caught below
            params[name][...] = to_file_orientation(name, value)
    if layer_sizes[0] != LAYER_SIZES[0] or layer_sizes[-1] != LAYER_SIZES[-1]:
        raise ModelFileError(f"{path}: takes {layer_sizes[0]} inputs and gives {layer_sizes[-1]} outputs, "
                             f"expected {LAYER_SIZES[0]} and {LAYER_SIZES[-1]}; train a new model")
    if not params.is_finite():
        raise ModelFileError(f"{path}: contains NaN or infinite weights; {FIX}")
    if not gives_finite_outputs(params):
        raise ModelFileError(f"{path}: its weights are so large that its answers overflow (not numbers); {FIX}")
    summary = _summary_in(contents)
    val_ids = _val_ids_in(contents)
    if val_ids is not None:
        summary["val_ids"] = val_ids
    return params, summary


def gives_finite_outputs(params: Parameters) -> bool:
    """Do probe images (blank, all ink, random ink) give finite probabilities?

    Finite weights can still overflow float32 on the way (weights of 1e30 do), which would show
    as "nan%" answers; this finds that once, when the model is loaded.
    """
    rng = np.random.default_rng(0)
    probes = np.concatenate([np.zeros((1, params.layer_sizes[0])), np.ones((1, params.layer_sizes[0])),
                             rng.random((6, params.layer_sizes[0]))]).astype(DTYPE)
    with np.errstate(all="ignore"):
        return bool(np.isfinite(forward(params, probes)[-1]).all())


def _read_arrays(path: Path) -> dict[str, np.ndarray]:
    """Every array in the .npz file; ModelFileError if it is not a readable one."""
    try:
        with np.load(path, allow_pickle=False) as file:
            if not hasattr(file, "files"):                          # a plain .npy: one array, no names
                raise ValueError("not an .npz archive")
            contents = {key: file[key] for key in file.files}
    except Exception:  # zip, pickle or header damage all mean the same to a user
        raise ModelFileError(f"{path}: not a readable model file (damaged, or not made by MLing); {FIX}") from None
    for key, value in contents.items():
        if not isinstance(value, np.ndarray):                        # a zip member that is not an array
            raise ModelFileError(f"{path}: {key} is not an array (the file was not made by MLing); {FIX}")
    version = contents.get("format_version")
    if version is not None and not (version.ndim == 0 and np.issubdtype(version.dtype, np.integer)
                                    and 1 <= version <= MODEL_FORMAT_VERSION):
        raise ModelFileError(f"{path}: format version {version.tolist()!r} is not one this MLing reads "
                             f"(1 to {MODEL_FORMAT_VERSION}); train a new model or update MLing")
    return contents


def _holds_real_numbers(value: np.ndarray) -> bool:
    """Integers or floats (not text, booleans, complex numbers or raw bytes)."""
    return value.dtype.kind in "iuf"


def _layer_sizes_in(contents: dict[str, np.ndarray], path: Path) -> tuple[int, ...]:
    """The layer sizes a model file describes: its `layer_sizes`, or (original MLing files)
    read off the shapes of W1, W2, ... Raises ModelFileError if they make no sense."""
    layer_count = 0
    while f"W{layer_count + 1}" in contents and layer_count < MAX_LAYERS:
        layer_count += 1
    if layer_count == 0:
        raise ModelFileError(f"{path}: has no weights W1, b1, ...; {FIX}")
    if "layer_sizes" in contents:
        sizes = np.ravel(contents["layer_sizes"])
        if sizes.dtype.kind not in "iu" or len(sizes) < 2 or (sizes < 1).any():
            raise ModelFileError(f"{path}: layer_sizes {sizes.tolist()[:MAX_LAYERS]} are not positive whole numbers; "
                                 f"{FIX}")
        layer_sizes = tuple(int(size) for size in sizes[:MAX_LAYERS + 1])
    else:
        weights = [contents[f"W{layer}"] for layer in range(1, layer_count + 1)]
        if any(w.ndim != 2 for w in weights):
            raise ModelFileError(f"{path}: weights must be 2-D tables (outputs, inputs); {FIX}")
        layer_sizes = (weights[0].shape[1],) + tuple(w.shape[0] for w in weights)
    problem = check_layer_sizes(layer_sizes)
    if problem is not None:
        raise ModelFileError(f"{path}: {problem}; {FIX}")
    return layer_sizes


def _summary_in(contents: dict[str, np.ndarray]) -> dict:
    """The summary_<key> entries: finite numbers and short texts as plain Python values, arrays of
    numbers (e.g. the "not sure" check's reference drawings) as arrays.

    Anything else (text tables, a NaN loss, an accuracy of 500% or of "high") is left out, so
    nothing that shows the summary can be tripped up by a damaged file.
    """
    summary = {}
    for key, value in contents.items():
        name = key[len("summary_"):]
        if not key.startswith("summary_") or value.dtype.kind not in "iufbU":
            continue
        if value.ndim > 0:
            if value.dtype.kind != "U" and np.isfinite(value).all():
                summary[name] = value
            continue
        item = value.item()
        is_number = value.dtype.kind != "U"
        if name.endswith(("accuracy", "loss")) and not (is_number and np.isfinite(item)):
            continue
        if name.endswith("accuracy") and not 0 <= item <= 1:
            continue
        if is_number and not np.isfinite(item):
            continue
        summary[name] = item if is_number else item[:200]
    return summary


def _val_ids_in(contents: dict[str, np.ndarray]) -> tuple[str, ...] | None:
    """The held-out sample ids, or None if the file has none (or they are not a list of texts)."""
    ids = contents.get("val_ids")
    if ids is None or ids.ndim != 1 or ids.dtype.kind != "U":
        return None
    return tuple(str(sample_id) for sample_id in ids)
