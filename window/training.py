"""Training in a background thread, so the window keeps drawing at 60 frames per second.

The thread runs train.train_from_file, the same function `python train.py` uses. It never touches
pygame or the app's state: it only puts messages into a queue.Queue, and the window reads them
once per frame in App.update. A threading.Event is the stop flag (Stop button, Esc, closing the
window); training checks it after every epoch, keeps the best model so far and saves it.
NumPy releases the GIL inside its matrix products, so a thread is enough; measured in
benchmarks/bench_window.py.
"""
from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import train
from mling import network, store

# Messages from the thread: ("epoch", EpochStats), ("done", TrainResult), ("error", "one line").
EPOCH, DONE, FAILED = "epoch", "done", "error"


class TrainingJob:
    """One training run in a daemon thread, reporting through a queue."""

    def __init__(self, data_path: str | Path, model_path: str | Path, config: train.TrainConfig,
                 before_start: Callable[[], None] | None = None) -> None:
        """`before_start()` runs in the thread first (the window waits there for pending saves)."""
        self.before_start = before_start
        self.data_path = Path(data_path)
        self.model_path = Path(model_path)
        self.config = config
        self.messages: queue.Queue = queue.Queue()
        self.stop_event = threading.Event()
        # daemon: if the thread ever hangs, closing the window still ends the program; the model
        # file is written atomically, so an interrupted save leaves the old file intact.
        self.thread = threading.Thread(target=self._run, name="mling-training", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        """Ask training to end after the current epoch (it keeps and saves the best model)."""
        self.stop_event.set()

    def join(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the thread to end; True if it did."""
        self.thread.join(timeout)
        return not self.thread.is_alive()

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    def poll(self) -> list[tuple[str, object]]:
        """Every message that arrived since the last call (never blocks)."""
        arrived = []
        while True:
            try:
                arrived.append(self.messages.get_nowait())
            except queue.Empty:
                return arrived

    def _run(self) -> None:
        """The thread's body: train, then report how it went. Every error becomes a message."""
        try:
            if self.before_start is not None:
                self.before_start()
            result = train.train_from_file(self.data_path, self.model_path, self.config,
                                           on_epoch=lambda stats: self.messages.put((EPOCH, stats)),
                                           stop_event=self.stop_event, where="window")   # the run log says so
        except (train.TrainingError, store.DataStoreError, network.ModelFileError) as error:
            self.messages.put((FAILED, str(error)))
        except MemoryError:
            self.messages.put((FAILED, "ran out of memory; try a smaller batch size or fewer samples"))
        except Exception as error:  # a bug must not take the window down: report it instead
            self.messages.put((FAILED, f"training failed unexpectedly ({type(error).__name__}: {error})"))
        else:
            self.messages.put((DONE, result))


@dataclass
class TrainingProgress:
    """What the chart and the progress line show: the history so far and the time left."""
    planned_epochs: int = 0
    history: list = field(default_factory=list)           # EpochStats, one per finished epoch
    started: float = 0.0                                   # time.perf_counter() at the start
    finished: bool = False

    def begin(self, planned_epochs: int) -> None:
        self.planned_epochs = planned_epochs
        self.history = []
        self.started = time.perf_counter()
        self.finished = False

    def add(self, stats) -> None:
        self.history.append(stats)

    def seconds_left(self) -> float | None:
        """Average epoch time so far x epochs still planned (early stopping may end sooner)."""
        if not self.history or self.finished:
            return None
        done = len(self.history)
        per_epoch = (time.perf_counter() - self.started) / done
        return per_epoch * max(0, self.planned_epochs - done)


def format_duration(seconds: float) -> str:
    """75.2 -> "1 min 15 s"; 8.4 -> "8 s"."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60:02d} s"
