"""Training in the window: one run at a time in its own process, and what it reported so far.

The run is an mling.background_training.TrainingJob: train.py's own steps (prepare_training ->
Trainer.step() -> finish_training) in a separate process, so the window keeps its frames and
training runs at train.py's speed (benchmarks/bench_window.py). The window steers it with the
controls of the Draw & train tab: Pause / Resume, Step (one mini-batch), +1 epoch, the speed (from
as fast as it goes down to one batch a second) and Reset (new random weights from a seed); Stop
ends the run and mling.model_files' rule keeps the better model. The Session polls the job once
per frame and keeps here (TrainingProgress) what the charts, the progress line and the pictures
show: the epochs, the batches of slow motion, and the newest weights.
"""
from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from mling import background_training
from mling.background_training import PAUSED, RUNNING, STARTING, Batch, Started, TrainingJob
from mling.network import Parameters

__all__ = ["SPEEDS", "TRAIN_IN_A_PROCESS", "TrainingJob", "TrainingProgress", "format_duration", "speed_text"]

TRAIN_IN_A_PROCESS = True       # False: the job runs in a thread of the window (tests, where a process costs 1 s)
BATCHES_KEPT = 2000             # slow motion's batch losses kept for the chart (it shows the newest few hundred)
# (batches a second or None for as fast as it goes, how the speed control shows it), slowest first
SPEEDS = [(1.0, "1"), (2.0, "2"), (5.0, "5"), (10.0, "10"), (30.0, "30"), (None, "fastest")]
FASTEST = len(SPEEDS) - 1


def speed_text(level: int) -> str:
    """The speed in words for the progress line: "as fast as it goes", "2 batches a second"."""
    rate, _ = SPEEDS[level]
    if rate is None:
        return "as fast as it goes"
    return f"{rate:g} batch{'' if rate == 1 else 'es'} a second"


@dataclass
class TrainingProgress:
    """What the window shows about the run: epochs, batches, where it is, and its newest weights."""
    planned_epochs: int = 0
    history: list = field(default_factory=list)            # train.EpochStats, one per finished epoch
    batches: deque = field(default_factory=lambda: deque(maxlen=BATCHES_KEPT))   # (step, loss) in slow motion
    started: float = 0.0                                    # time.perf_counter() at the start (or Reset)
    finished: bool = False
    state: str = ""                                         # background_training's: starting, running, paused...
    step: int = 0                                           # batches learned since the start (or Reset)
    epoch: int = 0                                          # the epoch of the newest batch (1 = the first)
    batch: int = 0                                          # its number within that epoch
    batches_per_epoch: int = 0
    seed: int | None = None                                 # the starting weights came from this seed
    layer_sizes: tuple[int, ...] = ()
    train_samples: int = 0                                  # rows trained on per epoch (copies included)
    params: Parameters | None = None                        # the newest weights the job sent
    stepped: bool = False                                   # the last command was Step or slow motion
    from_model: bool = False                                # the run went on from the model in use (until Reset)

    def begin(self, planned_epochs: int, from_model: bool = False) -> None:
        """A new run: nothing learned yet (`from_model`: it starts from the model in use)."""
        self.planned_epochs = planned_epochs
        self.restart(None)
        self.from_model = from_model
        self.finished = False
        self.state = STARTING

    def restart(self, seed: int | None) -> None:
        """Reset: new weights, so the curves start again."""
        self.history = []
        self.batches.clear()
        self.started = time.perf_counter()
        self.step = self.epoch = self.batch = 0
        self.seed = seed
        self.params = None

    def add(self, stats) -> None:
        self.history.append(stats)

    def take(self, message) -> bool:
        """Note what one job message says about the run; True if the weights changed."""
        if isinstance(message, Started):
            self.layer_sizes, self.batches_per_epoch = message.layer_sizes, message.batches_per_epoch
            self.train_samples, self.seed = message.train_samples, message.seed
            self.planned_epochs = message.epochs
            self.started = time.perf_counter()
        elif isinstance(message, background_training.State):
            self.state, self.step, self.epoch, self.batch = message.state, message.step, message.epoch, message.batch
        elif isinstance(message, Batch):
            self.batches.append((message.step, message.loss))
            self.step, self.epoch, self.batch = message.step, message.epoch, message.batch
        elif isinstance(message, background_training.Snapshot):
            self.params = message.params
            self.step, self.epoch, self.batch = message.step, message.epoch, message.batch
            return True
        elif isinstance(message, background_training.Restarted):
            self.restart(message.seed)
            self.from_model = False
        return False

    @property
    def by_batch(self) -> bool:
        """Show the loss batch by batch: in slow motion, and after Step."""
        return self.stepped and bool(self.batches)

    def seconds_left(self) -> float | None:
        """Average epoch time so far x epochs still planned (early stopping may end sooner); None when
        paused, in slow motion or not known yet."""
        if not self.history or self.finished or self.state != RUNNING or self.stepped:
            return None
        done = len(self.history)
        expected = getattr(self.history[-1], "expected_epochs", 0) or self.planned_epochs
        per_epoch = (time.perf_counter() - self.started) / done
        return per_epoch * max(0, min(expected, self.planned_epochs) - done)


def close_in_background(job: TrainingJob) -> None:
    """End a job whose run is over (its process has nothing left to save) without making the window wait."""
    threading.Thread(target=job.close, name="mling-training-close", daemon=True).start()


def is_waiting(job: TrainingJob | None) -> bool:
    """Is a run going on that has not ended (starting, learning or paused)?"""
    return job is not None and job.state in (STARTING, RUNNING, PAUSED)


def format_duration(seconds: float) -> str:
    """75.2 -> "1 min 15 s"; 8.4 -> "8 s"."""
    if not math.isfinite(seconds):
        return "?"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60:02d} s"
