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
import tempfile
from pathlib import Path

import numpy as np

LAYER_SIZES = (784, 16, 16, 10)  # input pixels, hidden layer 1, hidden layer 2, digits
GRADIENT_CLIP_NORM = 5.0  # the gradient is scaled down when its global norm is larger than this
MODEL_FORMAT_VERSION = 2  # version 1 is the original MLing file: W1..b3 only
DTYPE = np.float32  # float32 halves memory traffic; plenty of precision for this network
PROBABILITY_FLOOR = 1e-7  # probabilities are clipped to this before the log, so log(0) never happens


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


class Parameters:
    """The weights and biases of the network, as named views into one flat float32 vector.

    `params["W1"]` reads like the maths: shape (784, 16), one row per input pixel and one column
    per neuron, so a layer is `z = a @ W + b`. `params.flat` is what the optimizer updates: every
    W and b is a view of a piece of it, so changing one changes the other.
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

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]

    def __iter__(self):
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
    for layer in range(1, params.layer_count + 1):
        W = params[f"W{layer}"]
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
    last = params.layer_count
    for layer in range(1, last + 1):
        a = activations[-1]
        z = a @ params[f"W{layer}"] + params[f"b{layer}"]
        activations.append(softmax(z) if layer == last else relu(z))
    return activations


def backward(params: Parameters, activations: list[np.ndarray], targets: np.ndarray,
             grads: Parameters | None = None) -> Parameters:
    """Backpropagation: the gradient of the mean cross-entropy for every parameter.

    Walks the layers from the output back to the input. For layer k with input a (n, fan_in)
    and score gradient delta (n, fan_out):  dW = a.T @ delta,  db = delta summed over the batch,
    and the gradient passed to the layer below is delta @ W.T (then through that layer's ReLU).
    `targets` are digits (n,) or probabilities (n, 10); `grads` may be a buffer to fill.
    """
    grads = params.zeros_like() if grads is None else grads
    delta = softmax_cross_entropy_backward(activations[-1], targets)
    for layer in range(params.layer_count, 0, -1):
        a = activations[layer - 1]
        grads[f"W{layer}"][...] = a.T @ delta
        grads[f"b{layer}"][...] = delta.sum(axis=0)
        if layer > 1:  # the input pixels need no gradient
            delta = relu_backward(delta @ params[f"W{layer}"].T, a)
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
    for layer in range(params.layer_count, 0, -1):
        delta = delta @ params[f"W{layer}"].T
        if layer > 1:
            delta = relu_backward(delta, activations[layer - 1])
    return delta


def predict_probabilities(params: Parameters, X: np.ndarray, batch_size: int = 4096) -> np.ndarray:
    """Probabilities (n, 10) for many images, a chunk at a time to bound memory."""
    X = np.asarray(X, dtype=DTYPE).reshape(len(X), -1)
    chunks = [forward(params, X[start:start + batch_size])[-1]
              for start in range(0, len(X), batch_size)]
    return np.concatenate(chunks) if chunks else np.zeros((0, params.layer_sizes[-1]), DTYPE)


# --- the model file ------------------------------------------------------------------------

def _layer_sizes_in(contents: dict[str, np.ndarray], path: Path, fix: str) -> tuple[int, ...]:
    """The layer sizes a model file describes: its `layer_sizes`, or (original MLing files)
    read off the shapes of W1, W2, ... Raises ModelFileError if they make no sense."""
    layer_count = 0
    while f"W{layer_count + 1}" in contents:
        layer_count += 1
    if layer_count == 0:
        raise ModelFileError(f"{path}: has no weights W1, b1, ...; {fix}")
    if "layer_sizes" in contents:
        sizes = np.ravel(contents["layer_sizes"])
        if not np.issubdtype(sizes.dtype, np.integer) or len(sizes) < 2 or (sizes < 1).any():
            raise ModelFileError(f"{path}: layer_sizes {sizes.tolist()} are not positive whole numbers; {fix}")
        return tuple(int(size) for size in sizes)
    weights = [contents[f"W{layer}"] for layer in range(1, layer_count + 1)]
    if any(w.ndim != 2 for w in weights):
        raise ModelFileError(f"{path}: weights must be 2-D tables (outputs, inputs); {fix}")
    return (weights[0].shape[1],) + tuple(w.shape[0] for w in weights)


def to_file_orientation(name: str, value: np.ndarray) -> np.ndarray:
    """W (inputs, outputs) <-> the file's (outputs, inputs); biases are the same both ways."""
    return value.T if name.startswith("W") else value


def save_model(path: str | os.PathLike, params: Parameters, summary: dict | None = None) -> None:
    """Writes model_params.npz atomically (temporary file, fsync, replace).

    Keeps the original keys W1, b1, ... in their original orientation, and adds
    `layer_sizes`, `format_version` and a training summary so the file describes itself.
    """
    path = Path(path)
    contents = {name: np.ascontiguousarray(to_file_orientation(name, params[name])) for name in params}
    contents["layer_sizes"] = np.array(params.layer_sizes, dtype=np.int64)
    contents["format_version"] = np.array(MODEL_FORMAT_VERSION, dtype=np.int64)
    for key, value in (summary or {}).items():
        contents[f"summary_{key}"] = np.asarray(value)
    handle, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez(file, **contents)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, _permissions_for(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _permissions_for(path: Path) -> int:
    """The old file's permissions, or what a newly created file would get (mkstemp uses 0600)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def load_model(path: str | os.PathLike) -> tuple[Parameters, dict]:
    """Reads a model file (ours or the original MLing's) and checks it thoroughly.

    Returns (params, summary). Raises ModelFileError with a one-line message on any problem.
    """
    path = Path(path)
    if not path.exists():
        raise ModelFileError(f"{path}: no model file yet; train one first (python train.py)")
    try:
        with np.load(path, allow_pickle=False) as file:
            contents = {key: file[key] for key in file.files}
    except Exception:  # zip, pickle or header damage all mean the same to a user
        raise ModelFileError(f"{path}: not a readable model file (damaged, or not made by MLing); "
                             "delete it and train again (python train.py)") from None
    fix = "delete it and train again (python train.py)"
    layer_sizes = _layer_sizes_in(contents, path, fix)
    params = Parameters(layer_sizes)
    for name, shape in params.shapes.items():
        shape = to_file_orientation(name, np.empty(shape)).shape      # as the file stores it
        value = contents.get(name)
        if value is None:
            raise ModelFileError(f"{path}: {name} is missing; {fix}")
        if value.shape != shape:
            raise ModelFileError(f"{path}: {name} has shape {value.shape}, expected {shape} "
                                 f"for layers {'-'.join(map(str, layer_sizes))}; {fix}")
        if not (np.issubdtype(value.dtype, np.floating) or np.issubdtype(value.dtype, np.integer)):
            raise ModelFileError(f"{path}: {name} holds {value.dtype} values, not numbers; {fix}")
        params[name][...] = to_file_orientation(name, value)
    if layer_sizes[0] != LAYER_SIZES[0] or layer_sizes[-1] != LAYER_SIZES[-1]:
        raise ModelFileError(f"{path}: takes {layer_sizes[0]} inputs and gives {layer_sizes[-1]} outputs, "
                             f"expected {LAYER_SIZES[0]} and {LAYER_SIZES[-1]}; train a new model")
    if not params.is_finite():
        raise ModelFileError(f"{path}: contains NaN or infinite weights; {fix}")
    summary = {key[len("summary_"):]: contents[key].item() if contents[key].ndim == 0 else contents[key]
               for key in contents if key.startswith("summary_")}
    return params, summary
