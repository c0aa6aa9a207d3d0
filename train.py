"""Train the digit network on your data.json and save it to model_params.npz.

    python train.py                       # good defaults: no flags needed
    python train.py --augment 20          # the shipped model's recipe: 20 augmented copies per drawing
    python train.py --epochs 50 --lr 0.01 --batch-size 64
    python train.py --hidden 32 16        # try a bigger first hidden layer
    python train.py --optimizer sgd       # plain gradient descent (also: momentum, adam)
    python train.py --plot curves.png     # also save the loss and accuracy curves
    python train.py --resume              # continue from the saved model
    python train.py --restore model_params.backup-20261201-101500.npz   # go back to an earlier model

Every epoch prints the loss, train and validation accuracy, learning rate and time. The best
epoch by validation accuracy is kept, and training stops early once it stops improving.

A model is never replaced by a worse one: the new model and the saved one are scored on the same
held-out drawings (ones neither trained on). A better (or equal) new model replaces the old one,
which is kept as model_params.backup-<time>.npz; a worse one is kept as model_params.new-<time>.npz
and the old one stays. Ctrl-C (or a SIGTERM) stops cleanly and applies the same rule.

The work is done by plain functions, so the window can train in a thread and tests can call them:
Trainer learns one mini-batch per step(), fit() is a loop over it, train_from_file() does
load -> split -> fit -> compare -> save.
"""
from __future__ import annotations

import argparse
import math
import sys
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from mling import familiarity, model_card, model_files, network, optimizers, plots, run_log, store, terminal
from mling.network import Parameters
from mling.optimizers import OPTIMIZERS
from mling.paths import DATA_PATH, MODEL_PATH
from mling.pixels import IMAGE_PIXELS

# --- defaults: each one a good starting point for thousands of hand-drawn digits -----------
HIDDEN_SIZES = (16, 16)      # neurons in each hidden layer: 784 -> 16 -> 16 -> 10
EPOCHS = 300                 # the most passes over the data; early stopping usually ends near 60
BATCH_SIZE = 128             # images per weight update (32-256 are typical)
OPTIMIZER = "adam"           # "sgd", "momentum" or "adam" (mling/optimizers.py)
LEARNING_RATE = 0.001        # Adam's step size at the start (0.0003-0.01 are typical)
WEIGHT_DECAY = 0.1           # each step shrinks the weights by lr * this: small weights generalise better
USUAL_SETTINGS = {           # optimizer: (learning rate, weight decay) that work well for it here;
    "sgd": (0.1, 0.001),     # lr * weight decay is 1e-4 for each, so they shrink the weights alike
    "momentum": (0.01, 0.01),
    "adam": (LEARNING_RATE, WEIGHT_DECAY),
}
LR_DECAY = 0.5               # the learning rate is multiplied by this when progress stalls...
LR_PATIENCE = 6              # ...for this many epochs without a better validation score
PATIENCE = 20                # stop after this many epochs without a better validation score
MIN_LEARNING_RATE = 1e-5     # never decay below this
VAL_SPLIT = 0.15             # share of your own samples held out to measure real progress
SEED = 0                     # same seed, same data split, same starting weights, same model
AUGMENT_COPIES = 0           # augmented copies of each training drawing made in memory (20 made the
                             # shipped model); drawings that have copies in data.json use those instead
AUGMENT_SEED = 0             # the same seed makes the same copies
MAX_AUGMENT_STRENGTH = 3.0   # a kind of change made at most 3x as strongly as add_noise.py's default
MIN_SAMPLES = 10             # fewer than this is too little to learn anything
OWN_DRAWING_WEIGHT = 3       # mixed with starter/imported samples, each of your drawings counts 3 times
DIVERGED_LOSS_FACTOR = 3.0   # an epoch whose loss is this many times the starting loss (and 1 more)...
CHANCE_EPOCHS = 3            # ...or this many epochs in a row no better than guessing, after at least
CHANCE_MIN_STEPS = 100       # this many steps, with the weights moved far from their start, means the
MOVED_FAR = 0.5              # steps are too big: training stops ("far": by half their own size or more)
CHANCE_MARGIN = 0.05         # "no better than guessing": within this of always guessing the commonest digit


@dataclass
class TrainConfig:
    """Everything that decides how training runs (and nothing about the data)."""
    epochs: int = EPOCHS
    batch_size: int = BATCH_SIZE
    learning_rate: float = LEARNING_RATE
    hidden: tuple[int, ...] = HIDDEN_SIZES
    optimizer: str = OPTIMIZER
    momentum: float = optimizers.MOMENTUM                # only used by "momentum"
    weight_decay: float = WEIGHT_DECAY
    seed: int = SEED
    val_split: float = VAL_SPLIT
    patience: int | None = PATIENCE           # None: never stop early
    lr_patience: int = LR_PATIENCE
    lr_decay: float = LR_DECAY
    clip_norm: float | None = network.GRADIENT_CLIP_NORM  # None: no gradient clipping
    sources: tuple[str, ...] | None = None    # train only on samples from these sources; None: all
    own_weight: int = OWN_DRAWING_WEIGHT      # how many times each of your own drawings counts
    augment_copies: int = AUGMENT_COPIES      # augmented copies per training drawing, made in memory
    augment_seed: int = AUGMENT_SEED
    augment_strengths: dict[str, float] = field(default_factory=dict)   # {"turn": 2.0}: each kind of change
                                              # (add_noise.STRENGTHS) times its default; missing: 1

    def check(self) -> None:
        """Raises TrainingError (naming the setting, in plain words) for settings that cannot work."""
        problem = config_problem(self)
        if problem is not None:
            raise TrainingError(problem[1], setting=problem[0])

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        return (network.LAYER_SIZES[0], *self.hidden, network.LAYER_SIZES[-1])

    def with_optimizer(self, name: str) -> TrainConfig:
        """This recipe with another optimizer and the learning rate and weight decay that suit it."""
        learning_rate, weight_decay = USUAL_SETTINGS[name]
        return replace(self, optimizer=name, learning_rate=learning_rate, weight_decay=weight_decay)


class TrainingError(Exception):
    """Training cannot start or continue; the message is one line that says how to fix it.

    `setting` names the TrainConfig field at fault (e.g. "learning_rate"), so the terminal can
    point at its flag and the window at its control.
    """

    def __init__(self, message: str, setting: str | None = None):
        super().__init__(message)
        self.setting = setting


# --- learning, one mini-batch at a time ----------------------------------------------------

class Trainer:
    """Trains the network one mini-batch at a time, so a caller can pause, step and watch.

        trainer = Trainer(X_train, y_train, X_val, y_val, config)
        while not trainer.finished:
            trainer.step()                 # one mini-batch: forward, backward, update
        result = trainer.result()

    X_train (n, 784): floats in [0, 1], or pixel bytes (uint8, 255 = ink) as data.json keeps them;
    y_train (n,) digits. An epoch is one pass over the training data in a fresh random order. After
    an epoch's last batch the trainer scores the validation set, keeps the best weights, halves the
    learning rate when progress stalls, stops early when it stops improving, and stops a run whose
    loss explodes or whose accuracy stays at chance (diverged). Without validation data the
    training data picks the best epoch. Step inside `with single_blas_thread():` for full speed.
    """

    def __init__(self, X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray | None = None,
                 y_val: np.ndarray | None = None, config: TrainConfig | None = None,
                 params: Parameters | None = None):
        self.config = config = config or TrainConfig()
        config.check()
        self.X, self.y = training_arrays(X_train, y_train)
        if X_val is None or y_val is None or len(y_val) == 0:
            X_val, y_val = self.X, self.y
        self.X_val = as_floats(X_val)
        self.y_val = np.asarray(y_val, dtype=np.int64)
        self.chance_accuracy = float(np.bincount(self.y_val, minlength=10).max() / len(self.y_val))
        if params is not None and params.layer_sizes != config.layer_sizes:
            raise TrainingError(f"the model has layers {'-'.join(map(str, params.layer_sizes))} but the "
                                f"settings ask for {'-'.join(map(str, config.layer_sizes))}", setting="hidden")
        self.batches_per_epoch = math.ceil(len(self.y) / config.batch_size)
        self.reset(params=params)

    def step(self) -> BatchStats:
        """One mini-batch of gradient descent; the epoch's bookkeeping follows its last batch."""
        if self.ending:
            raise RuntimeError("training has finished; reset() starts again")
        if self.batch == 0:
            self._start_epoch()
        start = self.batch * self.config.batch_size
        rows = self.order[start:start + self.config.batch_size]
        X, y = network_input(self.X, rows), self.y[rows]
        activations = network.forward(self.params, X)                  # forward: every layer's output
        network.backward(self.params, activations, y, self.grads)       # backward: every gradient
        network.clip_by_global_norm(self.grads, self.config.clip_norm)
        self.optimizer.step(self.params.flat, self.grads.flat, self.learning_rate)   # update
        seen = self.seen[start:start + len(rows)]
        seen[...] = activations[-1]                                    # scored at the epoch's end
        self.batch += 1
        self.steps += 1
        stats = BatchStats(self.epoch + 1, self.batch, self.batches_per_epoch, self.steps, self.learning_rate,
                           seen, y)
        if self.steps == 1:
            self.start_loss = stats.loss
        if self.batch == self.batches_per_epoch:
            stats.epoch_stats = self._finish_epoch()
        return stats

    def run_epoch(self, on_batch: Callable[[BatchStats], None] | None = None,
                  stop_event: threading.Event | None = None) -> EpochStats | None:
        """Steps to the end of the current epoch; returns its stats (None if stopped before)."""
        while not self.finished:
            if stop_event is not None and stop_event.is_set():
                self.stop()
                return None
            stats = self.step()
            if on_batch is not None:
                on_batch(stats)
            if stats.epoch_stats is not None:
                return stats.epoch_stats
        return None

    def reset(self, seed: int | None = None, params: Parameters | None = None) -> None:
        """Start again: new random weights from `seed` (the same seed gives the same start), or `params`."""
        self.seed = self.config.seed if seed is None else seed
        weights_rng, order_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(self.seed).spawn(2))
        self.order_rng = order_rng                          # shuffles each epoch
        self.params = network.init_params(self.config.layer_sizes, weights_rng) if params is None else params.copy()
        self.start_params = self.params.copy()
        self.grads = self.params.zeros_like()
        self.optimizer = make_optimizer(self.config, self.params.flat.size)
        self.learning_rate = self.config.learning_rate
        self.epoch = self.batch = self.steps = 0           # finished epochs, batches of this epoch, all batches
        self.history: list[EpochStats] = []
        self.best_params, self.best_epoch = self.params.copy(), 0
        self.best_score = (-1.0, -math.inf)                # (validation accuracy, -validation loss)
        self.epochs_since_best = self.epochs_since_lr_change = self.epochs_at_chance = 0
        self.start_loss = math.nan
        self.ending = ""                                   # "", "finished", "early", "stopped", "diverged"
        self.message = ""

    def stop(self) -> None:
        """End training now (the stop button, Ctrl-C): the best epoch so far is kept."""
        if not self.ending:
            self.ending = "stopped"

    def carry_on(self) -> None:
        """Let a stopped or finished run go on (the window's "+1 epoch" after Stop); not after divergence.

        The epoch limit and early stopping end it again after the next epoch.
        """
        if self.ending != "diverged":
            self.ending = self.message = ""

    @property
    def finished(self) -> bool:
        return bool(self.ending)

    def result(self) -> TrainResult:
        """The best parameters, the history and how training ended."""
        result = TrainResult(params=self.best_params.copy(), history=[replace(stats) for stats in self.history],
                             best_epoch=self.best_epoch,
                             stopped_early=self.ending == "early", interrupted=self.ending == "stopped",
                             diverged=self.ending == "diverged", steps=self.steps)
        result.message = self.message or describe_ending(result)
        return result

    # --- the epoch's bookkeeping ---

    def _start_epoch(self) -> None:
        self.order = self.order_rng.permutation(len(self.y))   # shuffle an index, not the data
        self.seen = np.empty((len(self.y), self.params.layer_sizes[-1]), dtype=network.DTYPE)
        self.epoch_started = time.perf_counter()
        self.last_good = self.params.flat.copy()

    def _finish_epoch(self) -> EpochStats:
        """Score the epoch, keep the best, adjust the learning rate, decide whether to go on."""
        self.epoch += 1
        self.batch = 0
        labels = self.y[self.order]
        loss = network.cross_entropy(self.seen, labels)
        train_accuracy = float(np.count_nonzero(self.seen.argmax(axis=1) == labels)) / len(labels)
        if not math.isfinite(loss) or not self.params.is_finite():
            self.params.flat[...] = self.last_good
            self._diverged(f"the loss became {loss}")
        val_loss, val_accuracy = evaluate(self.params, self.X_val, self.y_val)
        improved = (val_accuracy, -val_loss) > self.best_score
        if improved:
            self.best_score, self.best_epoch = (val_accuracy, -val_loss), self.epoch
            self.best_params = self.params.copy()
            self.epochs_since_best = self.epochs_since_lr_change = 0
        else:
            self.epochs_since_best += 1
            self.epochs_since_lr_change += 1
        stats = EpochStats(self.epoch, self.config.epochs, loss, train_accuracy, val_loss, val_accuracy,
                           self.learning_rate, time.perf_counter() - self.epoch_started, improved,
                           self.params.copy(), expected_epochs=self.expected_epochs())
        if self.history:
            self.history[-1].params = None                 # only the newest epoch keeps its weights
        self.history.append(stats)
        self._check_divergence(stats)
        if self.finished:
            return stats
        patience = self.config.patience
        if self.epoch >= self.config.epochs:
            self.ending = "finished"
        elif patience is not None and self.epochs_since_best >= patience:
            self.ending = "early"
        elif self.epochs_since_lr_change >= self.config.lr_patience and self.learning_rate > MIN_LEARNING_RATE:
            self.learning_rate = max(self.learning_rate * self.config.lr_decay, MIN_LEARNING_RATE)
            self.epochs_since_lr_change = 0
        return stats

    def expected_epochs(self) -> int:
        """When training will end if nothing improves any more: the best epoch + patience (or the limit)."""
        if self.config.patience is None:
            return self.config.epochs
        return min(self.config.epochs, self.best_epoch + self.config.patience)

    def _check_divergence(self, stats: EpochStats) -> None:
        """Stop a run whose loss explodes or whose accuracy stays at chance: its steps are too big."""
        if self.finished:
            return
        if stats.loss > max(DIVERGED_LOSS_FACTOR * self.start_loss, self.start_loss + 1):
            self._diverged(f"the loss rose from {self.start_loss:.3g} to {stats.loss:.3g}")
            return
        start = self.start_params.flat
        moved = np.linalg.norm(self.params.flat - start) / (np.linalg.norm(start) or 1.0)
        at_chance = stats.val_accuracy <= self.chance_accuracy + CHANCE_MARGIN and moved > MOVED_FAR
        self.epochs_at_chance = self.epochs_at_chance + 1 if at_chance else 0
        if self.epochs_at_chance >= CHANCE_EPOCHS and self.steps >= CHANCE_MIN_STEPS:
            self._diverged(f"the accuracy stayed at chance ({stats.val_accuracy:.0%}) for {CHANCE_EPOCHS} epochs")

    def _diverged(self, what: str) -> None:
        rate = self.config.learning_rate
        self.ending = "diverged"
        self.message = (f"training diverged at epoch {self.epoch} ({what}); the learning rate {rate:g} is probably "
                        f"too large: try {rate / 10:g} (the usual is {USUAL_SETTINGS[self.config.optimizer][0]:g})")


def network_input(X: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The network's input for these rows of X: (len(rows), 784) float32 in [0, 1].

    Training data may be pixel bytes (uint8, 255 = ink), as data.json keeps them: a quarter of the
    memory of float32 (136,000 augmented copies: 107 MB instead of 427 MB) at the same speed.
    """
    batch = X[rows]
    if batch.dtype == np.uint8:
        return inplace_bytes_to_inputs(batch)
    return batch


def inplace_bytes_to_inputs(pixels: np.ndarray) -> np.ndarray:
    """Pixel bytes (n, 784) -> floats in [0, 1] for one training batch, multiplying by 1/255 in place.

    store.bytes_to_images divides by 255; multiplying by the reciprocal gives the same numbers to
    within one float32 rounding step (half the 256 values differ by 6e-8) and is faster: a batch of
    128 takes 22 us instead of 33 us, so bytes are gathered and converted as fast as float32 rows
    are gathered (benchmarks/bench_train.py, batch 128: +6% samples/s over dividing).
    """
    inputs = pixels.astype(network.DTYPE)
    inputs *= network.DTYPE(1 / 255)
    return inputs


def as_floats(X: np.ndarray) -> np.ndarray:
    """Whole arrays (validation, comparisons): pixel bytes -> floats exactly as the store converts them."""
    X = np.asarray(X)
    if X.dtype == np.uint8:
        return store.bytes_to_images(np.ascontiguousarray(X), len(X))
    return np.ascontiguousarray(X, dtype=network.DTYPE).reshape(len(X), -1)


def single_blas_thread() -> threadpool_limits:
    """`with single_blas_thread():` around training. These matrices are small: one BLAS thread beats
    two that wait for each other (on a busy machine two threads can be 40x slower; benchmarks/bench_train.py).
    The limit is for the whole process, so the window's training thread uses it too."""
    return threadpool_limits(limits=1, user_api="blas")


def training_arrays(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """X as float32 rows (or the pixel bytes as they are) and y as int64; TrainingError if unusable."""
    y = np.asarray(y, dtype=np.int64)
    check_training_data(y, "the training set", min_samples=1)
    X = np.asarray(X)
    if X.dtype != np.uint8:
        X = np.ascontiguousarray(X, dtype=network.DTYPE)
    return X.reshape(len(X), -1), y


def evaluate(params: Parameters, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(mean cross-entropy loss, accuracy) of the network on X (floats in [0, 1]), y."""
    if len(y) == 0:
        return float("nan"), float("nan")
    probabilities = network.predict_probabilities(params, X)
    return network.cross_entropy(probabilities, y), float((probabilities.argmax(axis=1) == y).mean())


# --- the optimizer: how a gradient becomes a change of the weights (mling/optimizers.py) ------

def make_optimizer(config: TrainConfig, size: int) -> optimizers.Optimizer:
    """The optimizer the config names, for `size` parameters."""
    if config.optimizer == "momentum":
        return optimizers.Momentum(size, momentum=config.momentum, weight_decay=config.weight_decay)
    return OPTIMIZERS[config.optimizer](size, weight_decay=config.weight_decay)


# --- fit: train until done -------------------------------------------------------------------

def fit(X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray | None = None, y_val: np.ndarray | None = None,
        config: TrainConfig | None = None, params: Parameters | None = None,
        on_epoch: Callable[[EpochStats], None] | None = None,
        stop_event: threading.Event | None = None,
        on_batch: Callable[[BatchStats], None] | None = None) -> TrainResult:
    """Trains the network and returns the best parameters and the per-epoch history.

    `on_epoch(stats)` is called after every epoch and `on_batch(stats)` after every mini-batch;
    setting `stop_event` (or Ctrl-C) ends training after the current batch, keeping the best epoch.
    """
    trainer = Trainer(X_train, y_train, X_val, y_val, config, params)
    train_until_done(trainer, on_epoch, stop_event, on_batch)
    return trainer.result()


def train_until_done(trainer: Trainer, on_epoch: Callable[[EpochStats], None] | None = None,
                     stop_event: threading.Event | None = None,
                     on_batch: Callable[[BatchStats], None] | None = None) -> None:
    """Step the trainer epoch after epoch until it finishes, is stopped, or Ctrl-C is pressed."""
    with single_blas_thread():
        try:
            while not trainer.finished:
                stats = trainer.run_epoch(on_batch, stop_event)
                if stats is not None and on_epoch is not None:
                    on_epoch(stats)
        except KeyboardInterrupt:  # Ctrl-C in the terminal: keep the best epoch so far
            trainer.stop()


@dataclass(slots=True)
class BatchStats:
    """One mini-batch: what the window's slow motion shows batch by batch."""
    epoch: int                  # the epoch this batch belongs to (1 = the first)
    batch: int                  # its number within the epoch (1 = the first)
    batches: int                # batches per epoch
    step: int                   # batches since training started
    learning_rate: float
    probabilities: np.ndarray = field(repr=False)   # (b, 10) the network's answers before this batch's update
    labels: np.ndarray = field(repr=False)          # (b,) the right digits
    epoch_stats: EpochStats | None = None           # set on an epoch's last batch

    @property
    def loss(self) -> float:
        """The batch's mean cross-entropy, before its update."""
        return network.cross_entropy(self.probabilities, self.labels)

    @property
    def accuracy(self) -> float:
        return float((self.probabilities.argmax(axis=1) == self.labels).mean())


@dataclass
class EpochStats:
    """What one epoch achieved; the terminal prints it, the window draws it."""
    epoch: int
    epochs: int                 # the planned maximum
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
    expected_epochs: int = 0    # when training ends if nothing improves any more: for progress bars


@dataclass
class TrainResult:
    params: Parameters                     # the best parameters by validation accuracy
    history: list[EpochStats] = field(default_factory=list)
    best_epoch: int = 0
    stopped_early: bool = False            # early stopping ended it
    interrupted: bool = False              # the stop flag, Ctrl-C or SIGTERM ended it
    diverged: bool = False                 # NaN, an exploding loss or chance accuracy ended it
    message: str = ""                      # one line saying how it ended
    steps: int = 0                         # mini-batches trained
    val_ids: list[str] = field(default_factory=list)  # train_from_file: ids of the samples held out
    choice: model_files.Choice | None = None          # train_from_file: which model is in the file now
    notes: list[str] = field(default_factory=list)    # train_from_file: one-line notes about the data
    run_id: str | None = None                          # train_from_file: its entry in the run log (run_log.set_kept)

    @property
    def best(self) -> EpochStats | None:
        return next((stats for stats in self.history if stats.epoch == self.best_epoch), None)


def describe_ending(result: TrainResult) -> str:
    """One line saying how training ended and how good the kept model is."""
    best = result.best
    if best is None:
        return "training stopped before the first epoch finished; nothing new to keep"
    how = ("stopped by you" if result.interrupted else
           "stopped early: no progress for a while" if result.stopped_early else "finished")
    return (f"{how} after {len(result.history)} epochs; kept epoch {best.epoch} "
            f"(validation accuracy {best.val_accuracy:.1%})")


# --- the data: which samples train, which are held out ---------------------------------------

def split_indices(data: store.DataStore, val_split: float = VAL_SPLIT, rng: np.random.Generator | None = None,
                  sources: tuple[str, ...] | None = None, own_weight: int = OWN_DRAWING_WEIGHT,
                  held_out: Collection[str] | None = None, known_until: str | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Positions in data.samples to train on and to hold out: (training (k,), validation (m,)) int64.

    The validation set is a stratified share of the samples that are not augmented copies (the
    same share of every digit), so it measures how well the network does on drawings it never saw.
    An augmented copy goes wherever its original went: a copy of a validation image in the training
    set would let the network peek at the answers.
    With `held_out` (the ids a saved model held out), those samples are held out again, and only
    samples added since that model was trained (created after `known_until`) are split by the rule,
    so the old and the new model can be compared on samples neither trained on.
    `sources` keeps only samples that come from those sources (a copy counts as its original's
    source), e.g. ("drawn",) trains on your own drawings only. When your drawings are mixed with
    starter or imported samples, each of your training drawings (and its copies) appears
    `own_weight` times, so your own handwriting counts more than the starter set.
    """
    rng = np.random.default_rng(SEED) if rng is None else rng
    samples = data.samples
    origin = origin_sources(samples)
    kept = np.arange(len(samples)) if sources is None else np.flatnonzero(np.isin(origin, list(sources)))
    y = np.fromiter((samples[i].label for i in kept), dtype=np.int64, count=len(kept))
    originals = np.array([not samples[i].is_copy for i in kept], dtype=bool)
    validation = np.zeros(len(kept), dtype=bool)
    splittable = originals.copy()
    if held_out is not None:
        held_out = set(held_out)
        validation = originals & np.array([samples[i].id in held_out for i in kept], dtype=bool)
        added = np.array([model_files.added_after(samples[i].created, known_until) for i in kept], dtype=bool)
        splittable = originals & ~validation & added
    for digit in range(10):
        candidates = np.flatnonzero(splittable & (y == digit))
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
    return np.array([by_id.get(sample.parent, sample.source) if sample.is_copy else sample.source
                     for sample in samples], dtype=object)


def check_training_data(y: np.ndarray, source: str = "the data", min_samples: int = MIN_SAMPLES) -> None:
    """Raises TrainingError when the labels y (n,) cannot teach the network anything useful."""
    if len(y) == 0:
        raise TrainingError(f"{source} has no samples; draw some digits first (python main.py)")
    if len(y) < min_samples:
        raise TrainingError(f"{source} has only {len(y)} samples; draw at least {min_samples} "
                            "(a few of each digit) before training")
    digits = np.unique(y)
    if len(digits) < 2:
        raise TrainingError(f"{source} only has the digit {digits[0]}; the network needs at least "
                            "two different digits to learn to tell them apart (ideally all ten)")


def pixel_rows(samples: list[store.Sample], positions: np.ndarray) -> np.ndarray:
    """The samples at these positions as pixel bytes (len(positions), 784) uint8, 255 = ink."""
    pixels = b"".join([samples[i].pixels for i in positions])
    return np.frombuffer(pixels, dtype=np.uint8).reshape(len(positions), IMAGE_PIXELS)


def augmented_copies(samples: list[store.Sample], training: np.ndarray, config: TrainConfig
                     ) -> tuple[np.ndarray, np.ndarray]:
    """config.augment_copies new variants of each training drawing that has no copies in data.json.

    Made with add_noise.py's augmentation (shift, turn, scale, slant, pen width, noise), in memory
    as pixel bytes, never written to data.json. A drawing repeated in `training` (your own, see
    own_weight) has its copies repeated as often. Returns (X (k, 784) uint8, y (k,)).
    """
    import add_noise

    has_copies = {sample.parent for sample in samples if sample.is_copy}
    positions, repeats = np.unique(training, return_counts=True)
    needed = [(i, count) for i, count in zip(positions, repeats)
              if not samples[i].is_copy and samples[i].id not in has_copies]
    copies = config.augment_copies
    if copies == 0 or not needed:
        return np.zeros((0, IMAGE_PIXELS), np.uint8), np.zeros(0, np.int64)
    originals = [samples[i] for i, _ in needed]
    pixels = add_noise.make_copy_pixels(originals, copies, np.random.default_rng(config.augment_seed),
                                        config.augment_strengths)
    X = np.frombuffer(pixels, dtype=np.uint8).reshape(len(originals) * copies, IMAGE_PIXELS)
    y = np.repeat([sample.label for sample in originals], copies).astype(np.int64)
    times = np.repeat([count for _, count in needed], copies)
    if (times > 1).any():
        X, y = np.repeat(X, times, axis=0), np.repeat(y, times)
    return X, y


@dataclass
class TrainingData:
    """What one training run learns from and is checked on."""
    X_train: np.ndarray        # (k, 784) uint8 pixel bytes: training samples, repeats and in-memory copies
    y_train: np.ndarray        # (k,)
    X_val: np.ndarray          # (m, 784) float32 in [0, 1]
    y_val: np.ndarray          # (m,)
    val_positions: np.ndarray  # (m,) positions in data.samples of the held-out samples
    copies_made: int = 0       # how many of the training rows are in-memory augmented copies
    train_positions: np.ndarray | None = None  # (k,) positions in data.samples trained on (repeats included)


def training_data(data: store.DataStore, config: TrainConfig, held_out: Collection[str] | None = None,
                  known_until: str | None = None) -> TrainingData:
    """Split the store (reusing a saved model's held-out samples) and build the arrays to train on."""
    samples = data.samples
    if config.sources is not None:
        check_sources_present(data, config.sources)
    rng = np.random.default_rng(config.seed)
    training, validation = split_indices(data, config.val_split, rng, config.sources, config.own_weight,
                                         held_out, known_until)
    check_training_data(np.array([samples[i].label for i in np.union1d(training, validation)], dtype=np.int64),
                        str(data.path))                                      # each sample once
    X_copies, y_copies = augmented_copies(samples, training, config)
    X_train = np.empty((len(training) + len(y_copies), IMAGE_PIXELS), dtype=np.uint8)
    X_train[:len(training)] = pixel_rows(samples, training)
    X_train[len(training):] = X_copies
    del X_copies
    y_train = np.concatenate([np.array([samples[i].label for i in training], dtype=np.int64), y_copies])
    X_val = as_floats(pixel_rows(samples, validation))
    y_val = np.array([samples[i].label for i in validation], dtype=np.int64)
    return TrainingData(X_train, y_train, X_val, y_val, validation, len(y_copies), training)


def check_sources_present(data: store.DataStore, sources: tuple[str, ...]) -> None:
    """TrainingError naming what the file does have when none of its samples come from `sources`."""
    origin = origin_sources(data.samples)
    if np.isin(origin, list(sources)).any():
        return
    others = {source: int(np.count_nonzero(origin == source)) for source in store.OWN_SOURCES}
    has = ", ".join(f"{count:,} {source}" for source, count in others.items() if count) or "no samples at all"
    wanted = " or ".join(sources)
    raise TrainingError(f"{data.path} has no {wanted} samples (it has {has}); "
                        f"choose other sources, or add some {wanted} samples first", setting="sources")


# --- train_from_file: load -> split -> fit -> compare -> save --------------------------------

def train_from_file(data_path: str | Path = DATA_PATH, model_path: str | Path = MODEL_PATH,
                    config: TrainConfig | None = None, resume: bool = False,
                    on_epoch: Callable[[EpochStats], None] | None = None,
                    stop_event: threading.Event | None = None,
                    on_batch: Callable[[BatchStats], None] | None = None, where: str = "terminal") -> TrainResult:
    """Loads data.json, splits it, trains, and keeps the better of the new and the saved model.

    This is what `python train.py` and the window's Train button both run. The held-out samples of
    the saved model are held out again (new drawings are split as usual), both models are scored
    on the ones neither trained on, and mling.model_files.install applies the rule: a new model at
    least as good replaces the old (kept as a backup), a worse one is kept beside it, the old stays.
    result.choice says which; model_files.keep_new/keep_old/undo change it.
    Every run is added to the run log next to the data (runs.jsonl); `where` says who trained.
    Raises TrainingError (or store.DataStoreError / network.ModelFileError) with one-line messages.
    """
    run = prepare_training(data_path, model_path, config, resume, where)
    train_until_done(run.trainer, on_epoch, stop_event, on_batch)
    return finish_training(run)


@dataclass
class TrainingRun:
    """A training run on a data file, set up by prepare_training: step `trainer` as you like
    (pause, one batch, slow motion), then finish_training(run) keeps the better model."""
    data: store.DataStore
    model_path: Path
    config: TrainConfig
    saved: model_files.SavedModel      # the model the new one may replace
    arrays: TrainingData
    trainer: Trainer
    notes: list[str]                   # one-line notes about data.json (repairs made while reading)
    where: str = "terminal"            # who trains, for the run log: "terminal" or "window"
    started: float = field(default_factory=time.perf_counter)


def prepare_training(data_path: str | Path = DATA_PATH, model_path: str | Path = MODEL_PATH,
                     config: TrainConfig | None = None, resume: bool = False,
                     where: str = "terminal") -> TrainingRun:
    """Read data.json and the saved model, split (reusing its held-out samples), build the Trainer."""
    config = config or TrainConfig()
    config.check()
    data_path, model_path = Path(data_path), Path(model_path)
    if not data_path.exists():
        raise TrainingError(f"{data_path}: no data file; draw and label some digits first (python main.py)")
    check_output_path(model_path, "model file")
    data, notes = terminal.open_store(data_path)
    saved = model_files.read_saved_model(model_path)
    if resume and saved.problem is not None:
        raise network.ModelFileError(saved.problem)
    params = saved.params if resume else None
    if params is not None and params.layer_sizes != config.layer_sizes:
        raise TrainingError(
            f"{model_path} has layers {'-'.join(map(str, params.layer_sizes))}, not "
            f"{'-'.join(map(str, config.layer_sizes))}; train it with hidden layers "
            f"{' '.join(map(str, params.layer_sizes[1:-1]))}, or start fresh", setting="hidden")
    arrays = training_data(data, config, saved.val_ids, saved.summary.get("data_until"))
    trainer = Trainer(arrays.X_train, arrays.y_train, arrays.X_val, arrays.y_val, config, params)
    return TrainingRun(data, model_path, config, saved, arrays, trainer, notes, where)


def finish_training(run: TrainingRun) -> TrainResult:
    """The run's result, with the better of the new and the saved model in the model file."""
    run.config = replace(run.config, seed=run.trainer.seed)    # the seed its weights came from (Reset may change it)
    result = run.trainer.result()
    result.val_ids = [run.data.samples[i].id for i in run.arrays.val_positions]
    result.notes = run.notes
    if result.best is not None:
        comparison = model_files.compare_on_unseen(result.params, run.saved, run.data, run.arrays.val_positions)
        summary = {**summary_of(result, run.config, run.data, len(run.arrays.y_train), run.arrays.copies_made),
                   **model_card.training_counts(run.data.samples, run.arrays.train_positions),
                   **familiarity_of(run)}
        try:
            result.choice = model_files.install(run.model_path, result.params, summary, comparison,
                                                keep_worse=not result.diverged)
        except OSError as error:
            raise TrainingError(f"{run.model_path}: could not save the model ({error.strerror or error}); "
                                "check the disk has space and the folder is writable") from None
    note, result.run_id = log_run(run, result)
    if note is not None:
        result.notes.append(note)
    return result


def log_run(run: TrainingRun, result: TrainResult) -> tuple[str | None, str | None]:
    """Add the run to the run log: (None, or why it was not logged; the entry's id for run_log.set_kept).

    Like run_log.record_training, never raises for the log's sake.
    """
    try:
        entry = run_log.entry_for_training(result, run.config, run.data, run.model_path,
                                           time.perf_counter() - run.started, run.where, len(run.arrays.y_train))
        note = run_log.append(run_log.log_path(run.data.path), entry)
    except Exception as error:  # a log entry must never cost the user their training
        return f"the run log was not updated ({type(error).__name__}: {error}); training is not affected", None
    return note, entry.id if note is None else None


def familiarity_of(run: TrainingRun) -> dict:
    """The "not sure" check for the new model: its original training drawings (no repeats, no
    augmented copies: a copy sits too close to its original) and the held-out ones to calibrate on."""
    samples = run.data.samples
    originals = [i for i in np.unique(run.arrays.train_positions) if not samples[i].is_copy]
    if not originals:
        return {}
    return familiarity.build_familiarity(as_floats(pixel_rows(samples, np.array(originals))), run.arrays.X_val,
                                         np.random.default_rng(run.config.seed))


def check_output_path(path: Path, what: str) -> None:
    """Raises TrainingError before any training if `path` cannot be written as a file."""
    if path.is_dir():
        raise TrainingError(f"{path} is a folder; the {what} needs a file name, e.g. {path / 'model_params.npz'}")
    if not path.parent.is_dir():
        raise TrainingError(f"{path}: the folder {path.parent} does not exist; create it or choose another {what}")


def summary_of(result: TrainResult, config: TrainConfig, data: store.DataStore, train_count: int,
               copies_made: int) -> dict:
    """What model_params.npz records: how training went, the recipe that made it, the held-out ids."""
    best = result.best
    return {
        "epochs_run": len(result.history), "best_epoch": result.best_epoch,
        "val_accuracy": best.val_accuracy, "train_accuracy": best.train_accuracy, "loss": best.loss,
        "val_loss": best.val_loss, "train_samples": train_count, "val_samples": len(result.val_ids),
        "augmented_in_memory": copies_made,
        **recipe_of(config),
        "data_until": model_files.data_time(data.samples),
        "saved_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "val_ids": result.val_ids,
    }


def recipe_of(config: TrainConfig) -> dict:
    """The settings that made a model, as the model file stores them (layer sizes are stored apart)."""
    return {
        "epochs": config.epochs, "batch_size": config.batch_size, "learning_rate": config.learning_rate,
        "optimizer": config.optimizer, "momentum": config.momentum, "weight_decay": config.weight_decay,
        "seed": config.seed, "val_split": config.val_split, "patience": config.patience or 0,
        "lr_patience": config.lr_patience, "lr_decay": config.lr_decay, "clip_norm": config.clip_norm or 0.0,
        "sources": ",".join(config.sources) if config.sources else "all", "own_weight": config.own_weight,
        "augment_copies": config.augment_copies, "augment_seed": config.augment_seed,
        **{f"augment_{name}": float(value) for name, value in config.augment_strengths.items()},
    }


def config_from_model(summary: dict, layer_sizes: tuple[int, ...], **changes) -> TrainConfig:
    """The recipe that made a saved model (its layer sizes, optimizer, augmentation, ...), with `changes`.

    The window trains with this, so T makes the same kind of model as the one it may replace.
    Settings the file does not record keep train.py's defaults.
    """
    defaults = TrainConfig()
    recorded = {}
    for name in ("epochs", "batch_size", "seed", "lr_patience", "own_weight", "augment_copies", "augment_seed"):
        if isinstance(summary.get(name), int):
            recorded[name] = summary[name]
    for name in ("learning_rate", "momentum", "weight_decay", "val_split", "lr_decay"):
        if isinstance(summary.get(name), (int, float)):
            recorded[name] = float(summary[name])
    if summary.get("optimizer") in OPTIMIZERS:
        recorded["optimizer"] = summary["optimizer"]
    if isinstance(summary.get("patience"), int):
        recorded["patience"] = summary["patience"] or None
    if isinstance(summary.get("clip_norm"), (int, float)):
        recorded["clip_norm"] = float(summary["clip_norm"]) or None
    import add_noise
    strengths = {name: float(summary[f"augment_{name}"]) for name in add_noise.STRENGTHS
                 if isinstance(summary.get(f"augment_{name}"), (int, float))}
    if strengths:
        recorded["augment_strengths"] = strengths
    if isinstance(summary.get("sources"), str) and summary["sources"] != "all":
        recorded["sources"] = tuple(summary["sources"].split(","))
    config = replace(defaults, hidden=tuple(layer_sizes[1:-1]), **recorded)
    if config_problem(config) is not None:           # a damaged summary: keep only the layer sizes
        config = replace(defaults, hidden=tuple(layer_sizes[1:-1]))
    return replace(config, **changes)


def config_problem(config: TrainConfig) -> tuple[str, str] | None:
    """(setting, what is wrong in plain words) for the first setting that cannot work, or None."""
    def whole(value, low):
        return isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value >= low

    def number(value):
        return isinstance(value, (int, float, np.number)) and not isinstance(value, bool) and math.isfinite(value)

    import add_noise
    if not whole(config.epochs, 1):
        return "epochs", f"the number of epochs must be a whole number, at least 1 (got {config.epochs!r})"
    if not whole(config.batch_size, 1):
        return "batch_size", f"the batch size must be a whole number, at least 1 (got {config.batch_size!r})"
    if not (number(config.learning_rate) and 0 < config.learning_rate < 10):
        return "learning_rate", ("the learning rate must be a small positive number like 0.001 "
                                 f"(got {config.learning_rate!r})")
    if config.optimizer not in OPTIMIZERS:
        return "optimizer", f"the optimizer must be one of {', '.join(OPTIMIZERS)} (got {config.optimizer!r})"
    if not (number(config.momentum) and 0 <= config.momentum < 1):
        return "momentum", f"momentum must be from 0 up to (not including) 1, e.g. 0.9 (got {config.momentum!r})"
    if not (number(config.val_split) and 0 <= config.val_split < 1):
        return "val_split", ("the share held out for validation must be from 0 up to (not including) 1, "
                             f"e.g. 0.15 (got {config.val_split!r})")
    if config.patience is not None and not whole(config.patience, 1):
        return "patience", ("the patience must be at least 1 epoch, or none to never stop early "
                            f"(got {config.patience!r})")
    if not whole(config.lr_patience, 1) or not (number(config.lr_decay) and 0 < config.lr_decay <= 1):
        return "lr_decay", "the learning-rate decay needs a patience of 1 or more epochs and a factor in (0, 1]"
    if not (number(config.weight_decay) and 0 <= config.weight_decay < 10):
        return "weight_decay", f"weight decay must be from 0 up to 10, e.g. 0.1 (got {config.weight_decay!r})"
    if config.clip_norm is not None and not (number(config.clip_norm) and config.clip_norm > 0):
        return "clip_norm", f"the gradient clip must be a positive number, e.g. 5, or none (got {config.clip_norm!r})"
    if not config.hidden or network.check_layer_sizes(config.layer_sizes) is not None:
        return "hidden", (f"hidden layers need sizes from 1 to {network.MAX_LAYER_SIZE}, like 16 16 "
                          f"(got {list(config.hidden)})")
    if not whole(config.own_weight, 1):
        return "own_weight", f"your own drawings must count at least once (got {config.own_weight!r})"
    if not (whole(config.augment_copies, 0) and config.augment_copies <= add_noise.MAX_COPIES):
        return "augment_copies", (f"augmented copies must be a whole number from 0 to {add_noise.MAX_COPIES} "
                                  f"(got {config.augment_copies!r})")
    strengths = config.augment_strengths
    if not (isinstance(strengths, dict) and set(strengths) <= set(add_noise.STRENGTHS) and all(
            number(value) and 0 <= value <= MAX_AUGMENT_STRENGTH for value in strengths.values())):
        return "augment_strengths", (f"augmentation strengths must be among {', '.join(add_noise.STRENGTHS)}, each "
                                     f"from 0 to {MAX_AUGMENT_STRENGTH:g} (got {strengths!r})")
    if config.sources is not None and (not config.sources or not set(config.sources) <= set(store.OWN_SOURCES)):
        return "sources", f"sources must be among {', '.join(store.OWN_SOURCES)} (got {config.sources!r})"
    return None


# --- the terminal ----------------------------------------------------------------------------

FLAGS = {"epochs": "--epochs", "batch_size": "--batch-size", "learning_rate": "--lr", "hidden": "--hidden",
         "optimizer": "--optimizer", "momentum": "--momentum", "val_split": "--val-split", "patience": "--patience",
         "weight_decay": "--weight-decay", "clip_norm": "--clip-norm", "augment_copies": "--augment",
         "sources": "--only", "seed": "--seed", "plot": "--plot"}


def format_epoch(stats: EpochStats) -> str:
    width = len(str(stats.epochs))
    return (f"epoch {stats.epoch:>{width}}/{stats.epochs}  loss {stats.loss:.4f}  "
            f"train {stats.train_accuracy:6.1%}  val {stats.val_accuracy:6.1%}  "
            f"lr {stats.learning_rate:.2g}  {stats.seconds * 1000:.0f} ms{'  *best' if stats.improved else ''}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Train the MLing digit network on data.json.")
    parser.add_argument("--data", default=str(DATA_PATH), help="dataset file (default: data.json)")
    parser.add_argument("--model", default=str(MODEL_PATH), help="where to save the model")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help=f"most epochs to run (default {EPOCHS})")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help=f"default {BATCH_SIZE}")
    parser.add_argument("--optimizer", choices=list(OPTIMIZERS), default=OPTIMIZER,
                        help=f"how gradients change the weights (default {OPTIMIZER})")
    parser.add_argument("--lr", type=float, help="learning rate (default: the optimizer's usual one, "
                        + ", ".join(f"{name} {rate:g}" for name, (rate, _) in USUAL_SETTINGS.items()) + ")")
    parser.add_argument("--momentum", type=float, default=optimizers.MOMENTUM,
                        help=f"for --optimizer momentum (default {optimizers.MOMENTUM})")
    parser.add_argument("--hidden", type=int, nargs="+", default=list(HIDDEN_SIZES),
                        help="hidden layer sizes (default 16 16)")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed (default 0)")
    parser.add_argument("--val-split", type=float, default=VAL_SPLIT, help=f"default {VAL_SPLIT}")
    parser.add_argument("--patience", type=int, default=PATIENCE,
                        help=f"stop after this many epochs without progress; 0 never stops early (default {PATIENCE})")
    parser.add_argument("--weight-decay", type=float, help="default: the optimizer's usual one; 0 turns it off")
    parser.add_argument("--clip-norm", type=float, default=network.GRADIENT_CLIP_NORM,
                        help=f"largest gradient norm before it is scaled down (default {network.GRADIENT_CLIP_NORM})")
    parser.add_argument("--no-clip", action="store_true", help="turn gradient clipping off")
    parser.add_argument("--augment", type=int, default=AUGMENT_COPIES, metavar="COPIES",
                        help="augmented copies of each training drawing, made in memory (default "
                             f"{AUGMENT_COPIES}; the shipped model used 20)")
    parser.add_argument("--only", nargs="+", choices=list(store.OWN_SOURCES), metavar="SOURCE",
                        help="train only on these samples (and their copies), "
                        "e.g. --only drawn for your own drawings; default: all")
    parser.add_argument("--plot", metavar="FILE", help="save loss and accuracy curves to this PNG")
    parser.add_argument("--resume", action="store_true", help="continue training the saved model")
    parser.add_argument("--restore", metavar="FILE",
                        help="make this model file (a backup, or a new one that was not used) the active model")
    parser.add_argument("--runs", action="store_true", help="list the earlier trainings (runs.jsonl next to the data)")
    return parser.parse_args(argv)


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    usual_rate, usual_decay = USUAL_SETTINGS.get(args.optimizer, (LEARNING_RATE, WEIGHT_DECAY))
    return TrainConfig(epochs=args.epochs, batch_size=args.batch_size, optimizer=args.optimizer,
                       learning_rate=usual_rate if args.lr is None else args.lr, momentum=args.momentum,
                       weight_decay=usual_decay if args.weight_decay is None else args.weight_decay,
                       hidden=tuple(args.hidden), seed=args.seed, val_split=args.val_split,
                       patience=None if args.patience == 0 else args.patience,
                       clip_norm=None if args.no_clip else args.clip_norm, augment_copies=args.augment,
                       sources=tuple(args.only) if args.only else None)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.restore:
        return restore(Path(args.restore), Path(args.model))
    if args.runs:
        return show_runs(Path(args.data))
    config = config_from_args(args)
    try:
        config.check()
        if args.plot:
            if not args.plot.lower().endswith(".png"):
                raise TrainingError(f"the curves file needs a .png name, e.g. curves.png (got {args.plot})",
                                    setting="plot")
            check_output_path(Path(args.plot), "plot")
    except TrainingError as error:
        flag = FLAGS.get(error.setting)
        terminal.error(f"{flag}: {error}" if flag else str(error))
        return 2
    if args.resume and not Path(args.model).exists():
        terminal.say(f"no model to resume at {args.model}; starting fresh")
    in_use = model_files.read_saved_model(args.model).summary or {}
    stop = threading.Event()
    sigterm = terminal.stop_on_sigterm(stop)
    bar = terminal.epoch_bar(config.epochs, config.patience)
    try:
        result = train_from_file(args.data, args.model, config, args.resume,
                                 lambda stats: bar.show(format_epoch(stats), stats.expected_epochs), stop)
    except KeyboardInterrupt:  # only reached if Ctrl-C lands outside the epoch loop
        terminal.error("stopped before the first epoch finished; nothing was saved")
        return 130
    except (TrainingError, store.DataStoreError, network.ModelFileError) as error:
        flag = FLAGS.get(error.setting) if isinstance(error, TrainingError) else None
        terminal.error(f"{flag}: {error}" if flag else str(error))
        return 1
    finally:
        bar.close()
        terminal.restore_sigterm(sigterm)
    report(result, config, in_use)
    if args.plot and result.history:
        try:
            plots.save_training_curves(result.history, args.plot)
        except OSError as error:
            terminal.error(f"{args.plot}: could not save the curves ({error.strerror or error})")
            return 1
        terminal.say(f"saved the curves to {args.plot}")
    if result.diverged:
        return 1
    if result.interrupted:
        return 143 if sigterm.signalled else 130
    return 0


def report(result: TrainResult, config: TrainConfig, in_use: dict) -> None:
    """How training ended and which model is in use now, a line each (plus a hint when it helps)."""
    for note in result.notes:
        terminal.warn(note)
    terminal.say(result.message + (f": python train.py --lr {config.learning_rate / 10:g}" if result.diverged else ""))
    if result.choice is None:
        return
    terminal.say(result.choice.describe(restore_hint="python train.py --restore"))
    copies = in_use.get("augment_copies")
    if (result.choice.kept == "old" and not result.diverged and isinstance(copies, int)
            and copies > config.augment_copies):
        terminal.say(f"hint: the model in use was trained with {copies} augmented copies of each drawing; "
                     f"python train.py --augment {copies} does the same")


def show_runs(data_path: Path) -> int:
    """python train.py --runs: the run log next to the data file, newest first."""
    log = run_log.read_runs(run_log.log_path(data_path))
    if log.problem:
        terminal.error(log.problem)
        return 1
    terminal.say(run_log.format_table(log.runs))
    return 0


def restore(backup: Path, model_path: Path) -> int:
    """python train.py --restore FILE: make FILE the active model; the current one is backed up first."""
    try:
        choice = model_files.restore(backup, model_path)
    except (network.ModelFileError, OSError) as error:
        terminal.error(str(error))
        return 1
    terminal.say(choice.describe(restore_hint="python train.py --restore"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
