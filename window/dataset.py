"""The window's side of data.json: save a drawing, undo it, count samples per digit.

All reading and writing goes through store.DataStore. If data.json cannot be read, there is no
DataStore at all, so nothing in the window can write over the file: saving and undo are refused
with a message that says why, until the user fixes or moves the file and restarts.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

import store
from window.status_line import ERROR, SUCCESS, WARNING, Status

DIGIT_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
DIGIT_PLURALS = ("zeros", "ones", "twos", "threes", "fours", "fives", "sixes", "sevens", "eights", "nines")
# Counters show the user's own samples; noisy copies made by add_noise.py would inflate them.
COUNTED_SOURCES = tuple(source for source in store.SOURCES if source != "augmented")


def how_many(count: int, digit: int) -> str:
    """3, 7 -> "3 sevens"; 1, 7 -> "1 seven"."""
    return f"{count} {DIGIT_NAMES[digit] if count == 1 else DIGIT_PLURALS[digit]}"


def how_many_drawings(count: int) -> str:
    """1 -> "1 drawing"; 42 -> "42 drawings"."""
    return f"{count} drawing" + ("" if count == 1 else "s")


class Dataset:
    """data.json seen from the window: a DataStore, or the reason there is none."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.store: store.DataStore | None = None
        self.error: str | None = None         # why data.json could not be read
        self.notes: list[str] = []            # repairs the store made while reading (e.g. clipped values)
        self.counts = np.zeros(10, dtype=np.int64)
        self.last_added: store.Sample | None = None      # set by save(), for undo to recognise
        self.last_removed: store.Sample | None = None    # set by undo()
        try:
            with warnings.catch_warnings():   # the notes go to the status line instead of the terminal
                warnings.simplefilter("ignore", store.DataStoreWarning)
                self.store = store.DataStore.open(self.path)
            self.notes = list(self.store.warnings)
        except store.DataStoreError as error:
            self.error = str(error)
        except OSError as error:               # e.g. no permission to read the file
            self.error = f"{self.path}: cannot read it ({error.strerror or error})"
        self._recount()

    @property
    def can_save(self) -> bool:
        return self.store is not None

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    def refusal(self) -> Status:
        """Why saving is off, with the fix."""
        return Status(f"Saving is off, so nothing overwrites it: {self.error}; then restart MLing", ERROR)

    def save(self, image: np.ndarray, label: int) -> Status:
        """Add one (28, 28) drawing labelled `label` to data.json (written atomically)."""
        if self.store is None:
            return self.refusal()
        try:
            self.last_added = self.store.add(image, label, source="drawn")
        except (store.DataStoreError, OSError, ValueError) as error:
            return Status(f"Could not save the drawing: {error}", ERROR)
        self._recount()
        return Status(f"Saved a {label} — {how_many(int(self.counts[label]), label)} so far", SUCCESS)

    def undo(self) -> Status:
        """Take the last drawing saved from the window (source "drawn") back out of data.json."""
        if self.store is None:
            return self.refusal()
        self.last_removed = None
        try:
            removed = self.store.remove_last("drawn")
        except (store.DataStoreError, OSError) as error:
            return Status(f"Could not undo: {error}", ERROR)
        self.last_removed = removed
        if removed is None:
            return Status("Nothing to undo: no drawings saved from the window yet", WARNING)
        self._recount()
        label = removed.label
        return Status(f"Removed the last saved {label} — {how_many(int(self.counts[label]), label)} left", SUCCESS)

    def fewest_digit(self) -> int:
        """The digit with the fewest samples (the smallest such digit on a tie): prompt mode asks for it."""
        return int(np.argmin(self.counts))

    def _recount(self) -> None:
        if self.store is not None:
            self.counts = np.asarray(self.store.counts(COUNTED_SOURCES), dtype=np.int64)
