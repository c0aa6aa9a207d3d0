"""The window's side of data.json: save a drawing, undo it, count samples per digit.

All reading and writing goes through store.DataStore. If data.json cannot be read, there is no
DataStore at all, so nothing in the window can write over the file: saving and undo are refused
with a message that says why, until the user fixes or moves the file and restarts.

Writing is done by one background thread, in the order asked. The store rewrites the whole file
atomically on every change; with a big imported dataset (60,000 samples, 70 MB) that takes about
half a second, and the window must not freeze for it. Results come back through a queue that the
App reads once per frame (poll). close() waits until every save asked for is on disk.
"""
from __future__ import annotations

import queue
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

import store
from window.status_line import ERROR, SUCCESS, WARNING, Status

DIGIT_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
DIGIT_PLURALS = ("zeros", "ones", "twos", "threes", "fours", "fives", "sixes", "sevens", "eights", "nines")
# Counters show the user's own samples; noisy copies made by add_noise.py would inflate them.
COUNTED_SOURCES = tuple(source for source in store.SOURCES if source != "augmented")
ADD, UNDO, CHANGE = "add", "undo", "change"   # CHANGE: delete, relabel, put back (window/sample_edits.py)


def how_many(count: int, digit: int) -> str:
    """3, 7 -> "3 sevens"; 1, 7 -> "1 seven"."""
    return f"{count} {DIGIT_NAMES[digit] if count == 1 else DIGIT_PLURALS[digit]}"


def how_many_drawings(count: int) -> str:
    """1 -> "1 drawing"; 42 -> "42 drawings"."""
    return f"{count} drawing" + ("" if count == 1 else "s")


@dataclass
class Done:
    """What the writer thread reports after one change."""
    action: str                        # ADD or UNDO
    status: Status                     # what to tell the user
    sample: store.Sample | None        # the sample added or removed (None if it failed / nothing to undo)
    counts: np.ndarray                 # (10,) samples per digit after the change
    keepsake: object = None            # whatever the caller passed along with an ADD (the canvas ink)


class Dataset:
    """data.json seen from the window: a DataStore and its writer thread, or the reason there is none."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.store: store.DataStore | None = None
        self.error: str | None = None         # why data.json could not be read
        self.notes: list[str] = []            # repairs the store made while reading (e.g. clipped values)
        self.counts = np.zeros(10, dtype=np.int64)
        try:
            with warnings.catch_warnings():   # the notes go to the status line instead of the terminal
                warnings.simplefilter("ignore", store.DataStoreWarning)
                self.store = store.DataStore.open(self.path)
            self.notes = list(self.store.warnings)
            self.counts = self._count()
        except store.DataStoreError as error:
            self.error = str(error)
        except OSError as error:               # e.g. no permission to read the file
            self.error = f"{self.path}: cannot read it ({error.strerror or error})"
        self._requests: queue.Queue = queue.Queue()
        self._results: queue.Queue = queue.Queue()
        self._writer: threading.Thread | None = None
        self._pending = 0                      # changes asked for and not yet returned by poll()

    @property
    def can_save(self) -> bool:
        return self.store is not None

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    @property
    def busy(self) -> bool:
        """True while a change asked for has not been reported back by poll() yet."""
        return self._pending > 0

    def refusal(self) -> Status:
        """Why saving is off, with the fix."""
        return Status(f"Saving is off, so nothing overwrites it: {self.error}; then restart MLing", ERROR)

    def fewest_digit(self) -> int:
        """The digit with the fewest samples (the smallest such digit on a tie): prompt mode asks for it."""
        return int(np.argmin(self.counts))

    # --- asking for changes (returns at once) --------------------------------------------
    def save(self, image: np.ndarray, label: int, keepsake=None) -> Status:
        """Ask for one (28, 28) drawing labelled `label` to be added; `keepsake` comes back in Done."""
        if self.store is None:
            return self.refusal()
        self._ask((ADD, np.array(image, dtype=np.float32), int(label), keepsake))
        return Status(f"Saving a {label}…")

    def undo(self) -> Status:
        """Ask for the last drawing saved from the window (source "drawn") to be taken out again."""
        if self.store is None:
            return self.refusal()
        self._ask((UNDO,))
        return Status("Undoing the last save…")

    def change(self, work: Callable[[store.DataStore], Status], waiting: str) -> Status:
        """Ask for any other change (delete, relabel, put back) to run on the writer thread, in order.

        `work(store)` runs there and returns what to tell the user; a DataStoreError, OSError or
        ValueError it raises becomes an error message. Returns `waiting`, to show meanwhile.
        """
        if self.store is None:
            return self.refusal()
        self._ask((CHANGE, work))
        return Status(waiting)

    def poll(self) -> list[Done]:
        """Every finished change since the last call; the counters follow them."""
        finished = []
        while True:
            try:
                done = self._results.get_nowait()
            except queue.Empty:
                return finished
            self.counts = done.counts
            self._pending -= 1
            finished.append(done)

    def wait_until_saved(self) -> None:
        """Block until every change asked for so far is written (the training thread calls this
        first, so a drawing saved just before pressing T is part of the training data)."""
        self._requests.join()

    def close(self, timeout: float) -> bool:
        """Finish the pending saves, then stop the writer thread. True if all was written."""
        if self._writer is None:
            return True
        self._requests.put(None)
        self._writer.join(timeout)
        return not self._writer.is_alive()

    # --- the writer thread -----------------------------------------------------------------
    def _ask(self, request: tuple) -> None:
        if self._writer is None:
            self._writer = threading.Thread(target=self._write_in_order, name="mling-saver", daemon=True)
            self._writer.start()
        self._pending += 1
        self._requests.put(request)

    def _write_in_order(self) -> None:
        while True:
            request = self._requests.get()
            try:
                if request is None:
                    return
                handlers = {ADD: self._add, UNDO: self._undo, CHANGE: self._change}
                self._results.put(handlers[request[0]](*request[1:]))
            except Exception as error:  # a bug must not stop the writer: later saves still happen
                what = {ADD: "save the drawing", UNDO: "undo"}.get(request[0], f"change {self.path.name}")
                status = Status(f"Could not {what} ({type(error).__name__}: {error})", ERROR)
                self._results.put(Done(request[0], status, None, self.counts.copy()))
            finally:
                self._requests.task_done()

    def _add(self, image: np.ndarray, label: int, keepsake) -> Done:
        try:
            sample = self.store.add(image, label, source="drawn")
        except (store.DataStoreError, OSError, ValueError) as error:
            status = Status(f"Could not save the drawing: {error}", ERROR)
            return Done(ADD, status, None, self._count(), keepsake)
        counts = self._count()
        status = Status(f"Saved a {label} — {how_many(int(counts[label]), label)} so far", SUCCESS)
        return Done(ADD, status, sample, counts, keepsake)

    def _undo(self) -> Done:
        try:
            removed = self.store.remove_last("drawn")
        except (store.DataStoreError, OSError) as error:
            return Done(UNDO, Status(f"Could not undo: {error}", ERROR), None, self._count())
        counts = self._count()
        if removed is None:
            status = Status("Nothing to undo: no drawings saved from the window yet", WARNING)
            return Done(UNDO, status, None, counts)
        label = removed.label
        left = how_many(int(counts[label]), label)
        status = Status(f"Removed the last saved {label} — {left} left", SUCCESS)
        return Done(UNDO, status, removed, counts)

    def _change(self, work: Callable[[store.DataStore], Status]) -> Done:
        try:
            status = work(self.store)
        except (store.DataStoreError, OSError, ValueError) as error:
            status = Status(f"Could not change {self.path.name}: {error}", ERROR)
        return Done(CHANGE, status, None, self._count())

    def _count(self) -> np.ndarray:
        return np.asarray(self.store.counts(COUNTED_SOURCES), dtype=np.int64)
