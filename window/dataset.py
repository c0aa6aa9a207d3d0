"""The window's side of data.json: save a drawing, count samples per digit, and Undo.

All reading and writing goes through store.DataStore. If data.json cannot be read, there is no
DataStore at all, so nothing in the window can write over the file: saving and undo are refused
with a message that says why, until the user fixes or moves the file and restarts.

Writing is done by one background thread, in the order asked. The store rewrites the whole file
atomically on every change; with a big imported dataset (60,000 samples, 70 MB) that takes about
half a second, and the window must not freeze for it. Results come back through a queue that the
App reads once per frame (poll). close() waits until every save asked for is on disk.

Undo: every change the window makes (a save here; a delete, relabel or the starter set's removal
through window/sample_edits.py) is remembered in one history for the whole session, whichever tab
made it. Ctrl+Z and every Undo button take back the newest one, wherever you are. Only changes of
this session are remembered, so Undo never touches a drawing that was in data.json before the
window opened. The history is changed only on the writer thread, inside the changes themselves, so
an Undo pressed right after a change always undoes that change, even before it is written.
"""
from __future__ import annotations

import queue
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mling import store
from window.status_line import ERROR, SUCCESS, WARNING, Status

DIGIT_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
DIGIT_PLURALS = ("zeros", "ones", "twos", "threes", "fours", "fives", "sixes", "sevens", "eights", "nines")
# Counters show the user's own samples; noisy copies made by add_noise.py would inflate them.
COUNTED_SOURCES = tuple(source for source in store.SOURCES if source != "augmented")
ADD, UNDO, CHANGE = "add", "undo", "change"   # CHANGE: delete, relabel (window/sample_edits.py)
SAVE, DELETE, RELABEL = "save", "delete", "relabel"   # the kinds of change Undo takes back
UNDO_LIMIT = 50        # changes of this session remembered for Undo
KEPT_DRAWINGS = 20     # saves whose canvas ink is kept, so Undo can put the drawing back on the canvas
NOTHING_TO_UNDO = "Nothing to undo: Undo only takes back changes made since MLing opened"


def how_many(count: int, digit: int) -> str:
    """3, 7 -> "3 sevens"; 1, 7 -> "1 seven"."""
    return f"{count} {DIGIT_NAMES[digit] if count == 1 else DIGIT_PLURALS[digit]}"


def how_many_drawings(count: int) -> str:
    """1 -> "1 drawing"; 42 -> "42 drawings"."""
    return f"{count} drawing" + ("" if count == 1 else "s")


@dataclass
class Done:
    """What the writer thread reports after one change."""
    action: str                        # ADD, UNDO or CHANGE
    status: Status                     # what to tell the user
    sample: store.Sample | None        # ADD: the sample added; UNDO of a save: the sample taken out
    counts: np.ndarray                 # (10,) samples per digit after the change
    keepsake: object = None            # passed along with an ADD (the canvas ink); back with its UNDO


@dataclass
class Change:
    """One change made in this session, with what Undo needs to take it back."""
    kind: str                                                   # SAVE, DELETE or RELABEL
    what: str                                                   # names it in messages: "3 drawings"
    added: store.Sample | None = None                           # SAVE: the sample saved
    keepsake: object = None                                     # SAVE: the canvas ink (recent saves only)
    removed: list[store.Sample] = field(default_factory=list)   # DELETE: the samples taken out
    old_labels: dict[str, int] = field(default_factory=dict)    # RELABEL: id -> label before it


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
        except Exception as error:
            self.store = None                 # no store at all, so nothing can write over the file
            self.error = self._why_unreadable(error)
        self._requests: queue.Queue = queue.Queue()
        self._results: queue.Queue = queue.Queue()
        self._writer: threading.Thread | None = None
        self._pending = 0                      # changes asked for and not yet returned by poll()
        self.history: list[Change] = []        # this session's changes, newest last (writer thread only)
        self.version = 0                       # goes up after every change is written (views refresh)

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

    @property
    def can_undo(self) -> bool:
        """True if this session changed something Undo can take back (or a change is still running)."""
        return bool(self.history) or self.busy

    def _why_unreadable(self, error: Exception) -> str:
        """The message for a data.json that could not be opened: the store says why in words;
        anything else (no permission, nested too deeply, out of memory...) is named."""
        if isinstance(error, store.DataStoreError):
            return str(error)
        if isinstance(error, OSError):         # e.g. no permission to read the file
            return f"{self.path}: cannot read it ({error.strerror or error})"
        return f"{self.path}: cannot read it ({type(error).__name__}: {error})"

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
        """Ask for the newest change of this session to be taken back (after any change still running)."""
        if self.store is None:
            return self.refusal()
        if not self.can_undo:
            return Status(NOTHING_TO_UNDO, WARNING)
        self._ask((UNDO,))
        return Status("Undoing…")

    def remember(self, change: Change) -> None:
        """Add a change to the session's history (on the writer thread, right after it was made).

        Only the newest KEPT_DRAWINGS saves keep their canvas ink: each is a few hundred KB.
        """
        self.history = [*self.history[-(UNDO_LIMIT - 1):], change]
        saves = [change for change in self.history if change.keepsake is not None]
        for old in saves[:-KEPT_DRAWINGS]:
            old.keepsake = None

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
                done = handlers[request[0]](*request[1:])
                self.version += 1
                self._results.put(done)
            except Exception as error:  # a bug must not stop the writer: later saves still happen
                what = {ADD: "save the drawing", UNDO: "undo"}.get(request[0], f"change {self.path.name}")
                status = Status(f"Could not {what} ({type(error).__name__}: {error})", ERROR)
                self.version += 1
                self._results.put(Done(request[0], status, None, self.counts.copy()))
            finally:
                self._requests.task_done()

    def _add(self, image: np.ndarray, label: int, keepsake) -> Done:
        try:
            sample = self.store.add(image, label, source="drawn")
        except (store.DataStoreError, OSError, ValueError) as error:
            status = Status(f"Could not save the drawing: {error}", ERROR)
            return Done(ADD, status, None, self._count(), keepsake)
        self.remember(Change(SAVE, f"the {label} you saved", added=sample, keepsake=keepsake))
        counts = self._count()
        status = Status(f"Saved a {label} — {how_many(int(counts[label]), label)} so far", SUCCESS)
        return Done(ADD, status, sample, counts, keepsake)

    def _undo(self) -> Done:
        """Take back the newest change of this session. It leaves the history only once undone."""
        if not self.history:
            return Done(UNDO, Status(NOTHING_TO_UNDO, WARNING), None, self._count())
        change = self.history[-1]
        try:
            status, removed = self._take_back(change)
        except (store.DataStoreError, OSError, ValueError) as error:
            return Done(UNDO, Status(f"Could not undo: {error}", ERROR), None, self._count())
        self.history.pop()
        keepsake = change.keepsake if removed is not None else None
        return Done(UNDO, status, removed, self._count(), keepsake)

    def _take_back(self, change: Change) -> tuple[Status, store.Sample | None]:
        """Undo one change in the store: (what to tell the user, the sample taken out by undoing a save)."""
        data = self.store
        present = {sample.id: sample for sample in data.samples}
        if change.kind == SAVE:
            if change.added.id not in present:
                return Status(f"Nothing to take back: {change.what} is no longer in {self.path.name}",
                              WARNING), None
            label = present[change.added.id].label
            removed = data.remove([change.added.id])[0]
            left = how_many(int(self._count()[label]), label)
            return Status(f"Removed {change.what} — {left} left", SUCCESS), removed
        if change.kind == DELETE:
            back = [sample for sample in change.removed if sample.id not in present]
            if back:
                data.restore(back)
            return Status(f"Undone: put {change.what} back into {self.path.name}", SUCCESS), None
        by_label: dict[int, list[str]] = {}
        for id_, label in change.old_labels.items():
            if id_ in present:
                by_label.setdefault(label, []).append(id_)
        for label, ids in by_label.items():        # one save per old label (usually just one)
            data.relabel(ids, label)
        return Status(f"Undone: the labels of {change.what} are as they were", SUCCESS), None

    def _change(self, work: Callable[[store.DataStore], Status]) -> Done:
        try:
            status = work(self.store)
        except (store.DataStoreError, OSError, ValueError) as error:
            status = Status(f"Could not change {self.path.name}: {error}", ERROR)
        return Done(CHANGE, status, None, self._count())

    def _count(self) -> np.ndarray:
        return np.asarray(self.store.counts(COUNTED_SOURCES), dtype=np.int64)
