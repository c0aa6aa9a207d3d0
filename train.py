"""Train the digit network on your data.json and save it to model_params.npz.

    python train.py                       # good defaults: no flags needed
    python train.py --epochs 50 --lr 0.01 --batch-size 64
    python train.py --hidden 32 16        # try a bigger first hidden layer
    python train.py --plot curves.png     # also save the loss and accuracy curves
    python train.py --resume              # continue from the saved model

Every epoch prints the loss, train and validation accuracy, learning rate and time. The best
model by validation accuracy is kept, and training stops early once it stops improving.
Ctrl-C stops cleanly and saves the best model so far.

The work is done by plain functions, so the window can train in a thread and tests can call
them directly: split_store() picks the validation samples, fit() trains and returns the
parameters with a per-epoch history, train_from_file() does load -> split -> fit -> save.
"""
from __future__ import annotations

import argparse
import math
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from mling import network, store
from mling.network import Parameters
from mling.paths import DATA_PATH, MODEL_PATH

# --- defaults: each one a good starting point for thousands of hand-drawn digits -----------
HIDDEN_SIZES = (16, 16)      # neurons in each hidden layer: 784 -> 16 -> 16 -> 10
EPOCHS = 300                 # the most passes over the data; early stopping usually ends sooner
BATCH_SIZE = 128             # images per weight update (32-256 are typical)
LEARNING_RATE = 0.001        # Adam's step size at the start (0.0003-0.01 are typical)
LR_DECAY = 0.5               # the learning rate is multiplied by this when progress stalls...
LR_PATIENCE = 6              # ...for this many epochs without a better validation score
PATIENCE = 20                # stop after this many epochs without a better validation score
MIN_LEARNING_RATE = 1e-5     # never decay below this
VAL_SPLIT = 0.15             # share of your own samples held out to measure real progress
SEED = 0                     # same seed, same data split, same starting weights, same model
MIN_SAMPLES = 10             # fewer than this is too little to learn anything
OWN_DRAWING_WEIGHT = 3       # mixed with starter/imported samples, each of your drawings counts 3 times
WEIGHT_DECAY = 0.1           # each step shrinks the weights by lr * this: small weights generalise better
ADAM_BETAS = (0.9, 0.999)    # Adam's memory for the gradient and its square
ADAM_EPSILON = 1e-8          # keeps Adam's division safe when a gradient has been ~0


@dataclass
class TrainConfig:
    """Everything that decides how training runs (and nothing about the data)."""
    epochs: int = EPOCHS
    batch_size: int = BATCH_SIZE
    learning_rate: float = LEARNING_RATE
    hidden: tuple[int, ...] = HIDDEN_SIZES
    seed: int = SEED
    val_split: float = VAL_SPLIT
    patience: int | None = PATIENCE           # None: never stop early
    lr_patience: int = LR_PATIENCE
    lr_decay: float = LR_DECAY
    clip_norm: float | None = network.GRADIENT_CLIP_NORM  # None: no gradient clipping
    weight_decay: float = WEIGHT_DECAY
    sources: tuple[str, ...] | None = None    # train only on samples from these sources; None: all
    own_weight: int = OWN_DRAWING_WEIGHT      # how many times each of your own drawings counts

    def check(self) -> None:
        """Raises TrainingError for settings that cannot work."""
        if self.epochs < 1:
            raise TrainingError(f"--epochs must be at least 1 (got {self.epochs})")
        if self.batch_size < 1:
            raise TrainingError(f"--batch-size must be at least 1 (got {self.batch_size})")
        if not (0 < self.learning_rate < 10) or not math.isfinite(self.learning_rate):
            raise TrainingError(f"--lr must be a small positive number like 0.001 (got {self.learning_rate})")
        if not 0 <= self.val_split < 1:
            raise TrainingError(f"--val-split must be between 0 and 1, e.g. 0.15 (got {self.val_split})")
        if self.patience is not None and self.patience < 1:
            raise TrainingError(f"--patience must be 1 or more, or 0 to never stop early (got {self.patience})")
        if not 0 <= self.weight_decay < 10:
            raise TrainingError(f"--weight-decay must be between 0 and 10, e.g. 0.1 (got {self.weight_decay})")
        if self.clip_norm is not None and not self.clip_norm > 0:
            raise TrainingError(f"--clip-norm must be positive, e.g. 5 (got {self.clip_norm}); --no-clip turns it off")
        if not self.hidden or min(self.hidden) < 1:
            raise TrainingError(f"--hidden needs positive layer sizes like 16 16 (got {self.hidden})")

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        return (network.LAYER_SIZES[0], *self.hidden, network.LAYER_SIZES[-1])


@dataclass
class EpochStats:
    """What one epoch achieved; the terminal prints it, the window draws it."""
    epoch: int
    epochs: int                 # the planned maximum, for progress bars
    loss: float                 # mean training loss over the epoch's batches
    train_accuracy: float       # share of training images right during the epoch
    val_loss: float
    val_accuracy: float
    learning_rate: float
    seconds: float              # time this epoch took
    improved: bool              # best validation score so far?
    params: Parameters | None = field(default=None, repr=False, compare=False)
    # ^ a copy of the weights right after this epoch, so the window can show them changing while
    #   training runs; to keep memory small only the newest epoch in a history keeps its copy


@dataclass
class TrainResult:
    params: Parameters                     # the best parameters by validation accuracy
    history: list[EpochStats] = field(default_factory=list)
    best_epoch: int = 0
    stopped_early: bool = False            # early stopping ended it
    interrupted: bool = False              # the stop flag or Ctrl-C ended it
    diverged: bool = False                 # NaN/inf ended it; params are the last good ones
    message: str = ""                      # one line saying how it ended
    val_ids: list[str] = field(default_factory=list)  # train_from_file: ids of the samples held out
    # ^ for validation, so the window can show which of them the network gets wrong

    @property
    def best(self) -> EpochStats | None:
        return next((stats for stats in self.history if stats.epoch == self.best_epoch), None)


class TrainingError(Exception):
    """Training cannot start or continue; the message is one line that says how to fix it."""


# --- data ------------------------------------------------------------------------------------

def split_store(data: store.DataStore, val_split: float = VAL_SPLIT, rng: np.random.Generator | None = None,
                sources: tuple[str, ...] | None = None, own_weight: int = OWN_DRAWING_WEIGHT
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Splits a store into training and validation arrays: X (n, 784) float32, y (n,) int64.

    The validation set is a stratified share of the samples that are not augmented copies
    (the same share of every digit), so it measures how well the network does on drawings it
    never saw. An augmented copy goes wherever its original went: a copy of a validation image
    in the training set would let the network peek at the answers.
    `sources` keeps only samples that come from those sources (a copy counts as its original's
    source), e.g. ("drawn",) trains on your own drawings only. When your drawings are mixed with
    starter or imported samples, each of your training drawings (and its copies) is repeated
    `own_weight` times, so your own handwriting counts more than the starter set.
    """
    training, validation = split_indices(data, val_split, rng, sources, own_weight)
    X, y = data.arrays()
    return X[training], y[training], X[validation], y[validation]


def split_indices(data: store.DataStore, val_split: float = VAL_SPLIT, rng: np.random.Generator | None = None,
                  sources: tuple[str, ...] | None = None, own_weight: int = OWN_DRAWING_WEIGHT
                  ) -> tuple[np.ndarray, np.ndarray]:
    """split_store's choice as positions in data.samples: (training (k,), validation (m,)) int64.

    A training position appears `own_weight` times for a repeated drawing. The window uses the
    validation positions to show which drawings the network gets wrong.
    """
    rng = np.random.default_rng(SEED) if rng is None else rng
    samples = data.samples
    origin = origin_sources(samples)
    kept = np.arange(len(samples)) if sources is None else np.flatnonzero(np.isin(origin, list(sources)))
    y = np.fromiter((samples[i].label for i in kept), dtype=np.int64, count=len(kept))
    originals = np.array([samples[i].source != "augmented" for i in kept], dtype=bool)
    validation = np.zeros(len(kept), dtype=bool)
    for digit in range(10):
        candidates = np.flatnonzero(originals & (y == digit))
        count = int(round(len(candidates) * val_split))
        if val_split > 0 and len(candidates) >= 2:
            count = min(max(count, 1), len(candidates) - 1)  # keep one of each digit for training
        validation[rng.permutation(candidates)[:count]] = True
    held_out_ids = {samples[kept[i]].id for i in np.flatnonzero(validation)}
    copies_of_held_out = np.array([samples[i].parent in held_out_ids for i in kept], dtype=bool)
    training = np.flatnonzero(~validation & ~copies_of_held_out)
    own = origin[kept[training]] == "drawn"
    if own_weight > 1 and own.any() and not own.all():
        training = np.repeat(training, np.where(own, own_weight, 1))  # an index per repeat, not a data copy
    return kept[training], kept[np.flatnonzero(validation)]


def origin_sources(samples: list[store.Sample]) -> np.ndarray:
    """Where each sample ultimately came from: its own source, or its original's for a copy."""
    by_id = {sample.id: sample.source for sample in samples}
    return np.array([by_id.get(sample.parent, sample.source) if sample.source == "augmented" else sample.source
                     for sample in samples], dtype=object)


def check_training_data(y: np.ndarray, source: str = "the data", min_samples: int = MIN_SAMPLES) -> None:
    """Raises TrainingError when the labels y (n,) cannot teach the network anything useful."""
    if len(y) == 0:
        raise TrainingError(f"{source} has no samples; draw some digits first (python main.py)")
    if len(y) < min_samples:
        raise TrainingError(f"{source} has only {len(y)} samples; draw at least {MIN_SAMPLES} "
                            "(a few of each digit) before training")
    digits = np.unique(y)
    if len(digits) < 2:
        raise TrainingError(f"{source} only has the digit {digits[0]}; the network needs at least "
                            "two different digits to learn to tell them apart (ideally all ten)")


# --- optimisation ----------------------------------------------------------------------------

class Adam:
    """Adam: gradient descent where each parameter gets its own step size.

    It keeps running averages of each gradient (m, the direction) and of its square (v, how
    noisy it is) and steps by m / sqrt(v): confident parameters move, noisy ones move less.
    Weight decay then pulls every parameter a little towards zero ("AdamW"), so the network
    prefers many small weights to a few large ones, which generalises better to new handwriting.
    It works on the flat parameter vector, so one update is a handful of vectorised steps.
    """

    def __init__(self, size: int, betas: tuple[float, float] = ADAM_BETAS, epsilon: float = ADAM_EPSILON,
                 weight_decay: float = WEIGHT_DECAY):
        self.beta1, self.beta2 = betas
        self.epsilon = epsilon
        self.weight_decay = weight_decay
        self.m = np.zeros(size, dtype=network.DTYPE)
        self.v = np.zeros(size, dtype=network.DTYPE)
        self.scratch = np.zeros(size, dtype=network.DTYPE)
        self.steps = 0

    def step(self, params: np.ndarray, grads: np.ndarray, learning_rate: float) -> None:
        """One update of the flat parameter vector, in place (no temporary arrays: it runs per batch)."""
        self.steps += 1
        scratch = self.scratch
        np.subtract(grads, self.m, out=scratch)
        scratch *= 1 - self.beta1
        self.m += scratch                                        # m = b1*m + (1-b1)*g
        np.multiply(grads, grads, out=scratch)
        scratch -= self.v
        scratch *= 1 - self.beta2
        self.v += scratch                                        # v = b2*v + (1-b2)*g^2
        # Early on m and v are biased towards their zero start; this corrects for it.
        corrected_rate = learning_rate * math.sqrt(1 - self.beta2 ** self.steps) / (1 - self.beta1 ** self.steps)
        np.sqrt(self.v, out=scratch)
        scratch += self.epsilon
        np.divide(self.m, scratch, out=scratch)
        scratch *= corrected_rate                                # step = rate * m / (sqrt(v) + eps)
        if self.weight_decay:
            params *= 1 - learning_rate * self.weight_decay      # pull every weight a little towards 0
        params -= scratch


def train_epoch(params: Parameters, grads: Parameters, optimizer: Adam, X: np.ndarray, y: np.ndarray,
                order: np.ndarray, batch_size: int, learning_rate: float, clip_norm: float | None
                ) -> tuple[float, float]:
    """One pass over the training data in the given order. Returns (mean loss, accuracy).

    Loss and accuracy come from the probabilities each batch saw before its update; they are
    collected in one array and scored once at the end of the epoch, which is cheaper.
    """
    probabilities_seen = np.empty((len(order), params.layer_sizes[-1]), dtype=network.DTYPE)
    for start in range(0, len(order), batch_size):
        batch = order[start:start + batch_size]
        X_batch, y_batch = X[batch], y[batch]            # a small gathered copy: stays in cache
        activations = network.forward(params, X_batch)
        probabilities_seen[start:start + len(batch)] = activations[-1]
        network.backward(params, activations, y_batch, grads)
        network.clip_by_global_norm(grads, clip_norm)
        optimizer.step(params.flat, grads.flat, learning_rate)
    labels = y[order]
    accuracy = float(np.count_nonzero(probabilities_seen.argmax(axis=1) == labels)) / len(order)
    return network.cross_entropy(probabilities_seen, labels), accuracy


def evaluate(params: Parameters, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(mean cross-entropy loss, accuracy) of the network on X, y."""
    if len(y) == 0:
        return float("nan"), float("nan")
    probabilities = network.predict_probabilities(params, X)
    return network.cross_entropy(probabilities, y), float((probabilities.argmax(axis=1) == y).mean())


def fit(X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray | None = None, y_val: np.ndarray | None = None,
        config: TrainConfig | None = None, params: Parameters | None = None,
        on_epoch: Callable[[EpochStats], None] | None = None,
        stop_event: threading.Event | None = None) -> TrainResult:
    """Trains the network with mini-batch Adam and returns the best parameters and the history.

    X (n, 784) float32 in [0, 1], y (n,) digits. Without validation data the training data
    picks the best epoch. The learning rate is halved when the validation score stalls for
    `lr_patience` epochs; training stops after `patience` epochs without a better score.
    `on_epoch(stats)` is called after every epoch; setting `stop_event` ends training after the
    current batch pass, keeping the best parameters so far.
    """
    config = config or TrainConfig()
    config.check()
    y_train = np.asarray(y_train, dtype=np.int64)
    check_training_data(y_train, "the training set", min_samples=1)  # train_from_file checks the total
    X_train = np.ascontiguousarray(X_train, dtype=network.DTYPE).reshape(len(X_train), -1)
    if X_val is None or y_val is None or len(y_val) == 0:
        X_val, y_val = X_train, y_train
    X_val = np.ascontiguousarray(X_val, dtype=network.DTYPE).reshape(len(X_val), -1)
    y_val = np.asarray(y_val, dtype=np.int64)

    rng = np.random.default_rng(config.seed)
    params = network.init_params(config.layer_sizes, rng) if params is None else params.copy()
    if params.layer_sizes != config.layer_sizes:
        raise TrainingError(f"the model has layers {'-'.join(map(str, params.layer_sizes))} but "
                            f"--hidden asks for {'-'.join(map(str, config.layer_sizes))}")
    # These matrices are small: one BLAS thread beats two that wait for each other (and on a
    # busy machine two threads can be 40x slower). See benchmarks/bench_train.py.
    with threadpool_limits(limits=1, user_api="blas"):
        return _fit_loop(X_train, y_train, X_val, y_val, config, params, rng, on_epoch, stop_event)


def _fit_loop(X_train, y_train, X_val, y_val, config, params, rng, on_epoch, stop_event) -> TrainResult:
    """The epoch loop of fit(): train, check, validate, keep the best, adjust, report."""
    grads = params.zeros_like()
    optimizer = Adam(params.flat.size, weight_decay=config.weight_decay)
    learning_rate = config.learning_rate
    result = TrainResult(params=params.copy())
    best_score = (-1.0, -math.inf)           # (validation accuracy, -validation loss): higher is better
    epochs_since_best = epochs_since_lr_change = 0
    try:
        for epoch in range(1, config.epochs + 1):
            if stop_event is not None and stop_event.is_set():
                result.interrupted = True
                break
            started = time.perf_counter()
            order = rng.permutation(len(y_train))            # shuffle an index, not the data
            last_good = params.flat.copy()
            loss, train_accuracy = train_epoch(params, grads, optimizer, X_train, y_train, order,
                                               config.batch_size, learning_rate, config.clip_norm)
            if not math.isfinite(loss) or not params.is_finite():
                params.flat[...] = last_good
                result.diverged = True
                result.message = (f"training diverged at epoch {epoch} (the loss became {loss}); kept the last good "
                                  f"weights - try a smaller learning rate, e.g. --lr {learning_rate / 10:g}")
                break
            val_loss, val_accuracy = evaluate(params, X_val, y_val)
            score = (val_accuracy, -val_loss)
            improved = score > best_score
            if improved:
                best_score, result.params, result.best_epoch = score, params.copy(), epoch
                epochs_since_best = epochs_since_lr_change = 0
            else:
                epochs_since_best += 1
                epochs_since_lr_change += 1
            stats = EpochStats(epoch, config.epochs, loss, train_accuracy, val_loss, val_accuracy,
                               learning_rate, time.perf_counter() - started, improved, params.copy())
            if result.history:
                result.history[-1].params = None     # only the newest epoch keeps its weights
            result.history.append(stats)
            if on_epoch is not None:
                on_epoch(stats)
            if config.patience is not None and epochs_since_best >= config.patience:
                result.stopped_early = True
                break
            if epochs_since_lr_change >= config.lr_patience and learning_rate > MIN_LEARNING_RATE:
                learning_rate = max(learning_rate * config.lr_decay, MIN_LEARNING_RATE)
                epochs_since_lr_change = 0
    except KeyboardInterrupt:  # Ctrl-C in the terminal: keep the best model so far
        result.interrupted = True
    if not result.message:
        result.message = describe_ending(result)
    return result


def describe_ending(result: TrainResult) -> str:
    """One line saying how training ended and how good the kept model is."""
    best = result.best
    if best is None:
        return "training stopped before the first epoch finished; nothing new to keep"
    how = ("stopped by you" if result.interrupted else
           "stopped early: no progress for a while" if result.stopped_early else "finished")
    return (f"{how} after {len(result.history)} epochs; kept epoch {best.epoch} "
            f"(validation accuracy {best.val_accuracy:.1%})")


def train_from_file(data_path: str | Path = DATA_PATH, model_path: str | Path = MODEL_PATH,
                    config: TrainConfig | None = None, resume: bool = False,
                    on_epoch: Callable[[EpochStats], None] | None = None,
                    stop_event: threading.Event | None = None) -> TrainResult:
    """Loads data.json, splits it, trains, and saves the best model atomically.

    This is what `python train.py` and the window's Train button both run.
    Raises TrainingError (or store.DataStoreError / network.ModelFileError) with one-line messages.
    """
    config = config or TrainConfig()
    config.check()
    data_path, model_path = Path(data_path), Path(model_path)
    if not data_path.exists():
        raise TrainingError(f"{data_path}: no data file; draw and label some digits first (python main.py)")
    check_output_path(model_path, "--model")
    data = store.DataStore.open(data_path)
    rng = np.random.default_rng(config.seed)
    training, validation = split_indices(data, config.val_split, rng, config.sources, config.own_weight)
    X, y = data.arrays()
    X_train, y_train, X_val, y_val = X[training], y[training], X[validation], y[validation]
    del X
    check_training_data(y[np.union1d(training, validation)], str(data_path))  # each sample once
    params = None
    if resume and model_path.exists():
        params, _ = network.load_model(model_path)
        if params.layer_sizes != config.layer_sizes:
            raise TrainingError(
                f"{model_path} has layers {'-'.join(map(str, params.layer_sizes))}, not "
                f"{'-'.join(map(str, config.layer_sizes))}; pass --hidden "
                f"{' '.join(map(str, params.layer_sizes[1:-1]))} or drop --resume to start fresh")
    result = fit(X_train, y_train, X_val, y_val, config, params, on_epoch, stop_event)
    result.val_ids = [data.samples[i].id for i in validation]
    if result.best is not None:
        try:
            network.save_model(model_path, result.params, summary_of(result, config, len(y_train), len(y_val)))
        except OSError as error:
            raise TrainingError(f"{model_path}: could not save the model ({error.strerror or error}); "
                                "check the disk has space and the folder is writable") from None
    return result


def check_output_path(path: Path, option: str) -> None:
    """Raises TrainingError before any training if `path` cannot be written as a file."""
    if path.is_dir():
        raise TrainingError(f"{path} is a folder; give {option} a file name, e.g. {path / 'model_params.npz'}")
    if not path.parent.is_dir():
        raise TrainingError(f"{path}: the folder {path.parent} does not exist; create it or choose another {option}")


def summary_of(result: TrainResult, config: TrainConfig, train_count: int, val_count: int) -> dict:
    """The training summary saved inside model_params.npz."""
    best = result.best
    return {
        "epochs_run": len(result.history), "best_epoch": result.best_epoch,
        "val_accuracy": best.val_accuracy, "train_accuracy": best.train_accuracy, "loss": best.loss,
        "train_samples": train_count, "val_samples": val_count,
        "batch_size": config.batch_size, "learning_rate": config.learning_rate, "seed": config.seed,
        "saved_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


# --- the terminal ----------------------------------------------------------------------------

def format_epoch(stats: EpochStats) -> str:
    width = len(str(stats.epochs))
    return (f"epoch {stats.epoch:>{width}}/{stats.epochs}  loss {stats.loss:.4f}  "
            f"train {stats.train_accuracy:6.1%}  val {stats.val_accuracy:6.1%}  "
            f"lr {stats.learning_rate:.2g}  {stats.seconds * 1000:.0f} ms{'  *best' if stats.improved else ''}")


def save_plot(history: list[EpochStats], path: str | Path) -> None:
    """Writes the loss and accuracy curves as a PNG (matplotlib, no screen needed)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = [stats.epoch for stats in history]
    figure, (loss_axes, accuracy_axes) = plt.subplots(1, 2, figsize=(10, 4))
    loss_axes.plot(epochs, [s.loss for s in history], label="training loss")
    loss_axes.plot(epochs, [s.val_loss for s in history], label="validation loss")
    loss_axes.set(xlabel="epoch", ylabel="cross-entropy loss", title="Loss")
    accuracy_axes.plot(epochs, [s.train_accuracy for s in history], label="training accuracy")
    accuracy_axes.plot(epochs, [s.val_accuracy for s in history], label="validation accuracy")
    accuracy_axes.set(xlabel="epoch", ylabel="accuracy", title="Accuracy", ylim=(0, 1.01))
    for axes in (loss_axes, accuracy_axes):
        axes.legend()
        axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Train the MLing digit network on data.json.")
    parser.add_argument("--data", default=str(DATA_PATH), help="dataset file (default: data.json)")
    parser.add_argument("--model", default=str(MODEL_PATH), help="where to save the model")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help=f"most epochs to run (default {EPOCHS})")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help=f"default {BATCH_SIZE}")
    parser.add_argument("--lr", type=float, default=LEARNING_RATE, help=f"learning rate (default {LEARNING_RATE})")
    parser.add_argument("--hidden", type=int, nargs="+", default=list(HIDDEN_SIZES),
                        help="hidden layer sizes (default 16 16)")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed (default 0)")
    parser.add_argument("--val-split", type=float, default=VAL_SPLIT, help=f"default {VAL_SPLIT}")
    parser.add_argument("--patience", type=int, default=PATIENCE,
                        help=f"stop after this many epochs without progress; 0 never stops early (default {PATIENCE})")
    parser.add_argument("--weight-decay", type=float, default=WEIGHT_DECAY, help=f"default {WEIGHT_DECAY}; 0 turns it off")
    parser.add_argument("--clip-norm", type=float, default=network.GRADIENT_CLIP_NORM,
                        help=f"largest gradient norm before it is scaled down (default {network.GRADIENT_CLIP_NORM})")
    parser.add_argument("--no-clip", action="store_true", help="turn gradient clipping off")
    parser.add_argument("--only", nargs="+", choices=[s for s in store.SOURCES if s != "augmented"],
                        metavar="SOURCE", help="train only on these samples (and their copies), "
                        "e.g. --only drawn for your own drawings; default: all")
    parser.add_argument("--plot", metavar="FILE", help="save loss and accuracy curves to this PNG")
    parser.add_argument("--resume", action="store_true", help="continue training the saved model")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    config = TrainConfig(epochs=args.epochs, batch_size=args.batch_size, learning_rate=args.lr,
                         hidden=tuple(args.hidden), seed=args.seed, val_split=args.val_split,
                         patience=None if args.patience == 0 else args.patience, weight_decay=args.weight_decay,
                         sources=tuple(args.only) if args.only else None,
                         clip_norm=None if args.no_clip else args.clip_norm)
    from tqdm import tqdm

    if args.plot and not args.plot.lower().endswith(".png"):
        print(f"error: --plot needs a .png file name, e.g. curves.png (got {args.plot})", file=sys.stderr)
        return 2
    try:
        if args.plot:
            check_output_path(Path(args.plot), "--plot")
    except TrainingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.resume and not Path(args.model).exists():
        print(f"no model to resume at {args.model}; starting fresh")
    bar = tqdm(total=config.epochs, unit="epoch", disable=None, leave=False)

    def report(stats: EpochStats) -> None:
        line = format_epoch(stats)
        if bar.disable:
            print(line, flush=True)
        else:
            bar.write(line)
            bar.update(1)

    try:
        result = train_from_file(args.data, args.model, config, args.resume, report)
    except KeyboardInterrupt:  # only reached if Ctrl-C lands outside the epoch loop
        bar.close()
        print("\nstopped before the first epoch finished; nothing was saved", file=sys.stderr)
        return 130
    except (TrainingError, store.DataStoreError, network.ModelFileError) as error:
        bar.close()
        print(f"error: {error}", file=sys.stderr)
        return 1
    bar.close()
    print(result.message)
    if result.best is not None:
        print(f"saved the model to {args.model}")
    if args.plot and result.history:
        try:
            save_plot(result.history, args.plot)
        except OSError as error:
            print(f"error: {args.plot}: could not save the curves ({error.strerror or error})", file=sys.stderr)
            return 1
        print(f"saved the curves to {args.plot}")
    return 1 if result.diverged else 0


if __name__ == "__main__":
    sys.exit(main())
