"""The window's side of data.json: save a drawing, count samples per digit, and Undo.

All reading and writing goes through store.DataStore. If data.json cannot be read, there is no
DataStore at all, so nothing in the window can write over the file: saving and undo are refused
with a message that says why, until the user fixes or moves the file and restarts.

Writing is done by one background thread, in the order asked. The store rewrites the whole file
atomically on every change; with a big imported dataset (60,000 samples, 70 MB) that takes about
half a second, and the window must not freeze for it. Saves asked for while one is being written
are written together in the next one, and a save waits a moment for more (up to twice as long as
the last write took): 100 quick saves into a big file are a few rewrites, not 100. Waiting for
another MLing program that is saving the same file (add_noise.py, an import) happens on that
thread too, and is reported ("Waiting for another MLing program...", a Done with action WAIT).
Results come back through a queue that the App reads once per frame (poll). close() waits until
every save asked for is on disk.

A save that fails (a full disk, a folder that cannot be written) reports Done(ADD, failed=True)
with the label and the canvas ink it was given (`keepsake`), so the drawing can go back on the
canvas and be saved again.

Undo: every change the window makes (a save here; a delete, relabel or the starter set's removal
through window/sample_edits.py) is remembered in one history for the whole session, whichever tab
made it: this is the one home of Undo's memory (where each deleted sample was, too). Ctrl+Z and
every Undo button take back the newest one, wherever you are. Only changes of this session are
remembered, so Undo never touches a drawing that was in data.json before the
window opened. The history is changed only on the writer thread, inside the changes themselves, so
an Undo pressed right after a change always undoes that change, even before it is written.
"""
from __future__ import annotations

import gc
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mling import notes, store
from window.status_line import ERROR, SUCCESS, WARNING, Status

DIGIT_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
DIGIT_PLURALS = ("zeros", "ones", "twos", "threes", "fours", "fives", "sixes", "sevens", "eights", "nines")
ADD, UNDO, CHANGE = "add", "undo", "change"   # CHANGE: delete, relabel (window/sample_edits.py)
WAIT = "wait"          # not a change: the writer is waiting for another MLing program saving the file
SAVE, DELETE, RELABEL = "save", "delete", "relabel"   # the kinds of change Undo takes back
UNDO_LIMIT = 50        # changes of this session remembered for Undo
KEPT_DRAWINGS = 20     # saves whose canvas ink is kept, so Undo can put the drawing back on the canvas
GATHER_FACTOR = 2.0    # a save waits for more saves to write with it, at most twice as long as the last
GATHER_MAX_SECONDS = 1.0   # write took (a small file saves at once, a 70 MB one gathers), and at most this
NOTHING_TO_UNDO = "Nothing to undo: Undo only takes back changes made since MLing opened"


def how_many(count: int, digit: int) -> str:
    """3, 7 -> "3 sevens"; 1, 7 -> "1 seven"."""
    return f"{count} {DIGIT_NAMES[digit] if count == 1 else DIGIT_PLURALS[digit]}"


def how_many_drawings(count: int) -> str:
    """1 -> "1 drawing"; 42 -> "42 drawings"."""
    return f"{count} drawing" + ("" if count == 1 else "s")


@dataclass
class Done:
    """What the writer thread reports after one change (or that it waits for another program: WAIT)."""
    action: str                        # ADD, UNDO, CHANGE or WAIT
    status: Status                     # what to tell the user
    sample: store.Sample | None        # ADD: the sample added; UNDO of a save: the sample taken out
    counts: np.ndarray                 # (10,) samples per digit after the change
    keepsake: object = None            # passed along with an ADD (the canvas ink); back with its UNDO
    failed: bool = False               # ADD: the drawing was NOT saved; keepsake and label bring it back
    label: int | None = None           # ADD: the digit it was saved (or was to be saved) as


@dataclass
class Change:
    """One change made in this session, with what Undo needs to take it back."""
    kind: str                                                   # SAVE, DELETE or RELABEL
    what: str                                                   # names it in messages: "3 drawings"
    added: store.Sample | None = None                           # SAVE: the sample saved
    keepsake: object = None                                     # SAVE: the canvas ink (recent saves only)
    removed: list[store.Sample] = field(default_factory=list)   # DELETE: the samples taken out
    positions: list[int] = field(default_factory=list)          # DELETE: where each one was in the file
    old_labels: dict[str, int] = field(default_factory=dict)    # RELABEL: id -> label before it
    # Any other kind of change brings its own way back (a merge of the class's files takes its
    # drawings out again: window/class_merge.py); it runs on the writer thread like the others.
    take_back: Callable[[store.DataStore], Status] | None = None


class Dataset:
    """data.json seen from the window: a DataStore and its writer thread, or the reason there is none."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.store: store.DataStore | None = None
        self.error: str | None = None         # why data.json could not be read
        self.notes: list[str] = []            # repairs the store made while reading (e.g. clipped values)
        self.counts = np.zeros(10, dtype=np.int64)
        self._results: queue.Queue = queue.Queue()
        try:
            self.store = store.DataStore.open(self.path, on_wait=self._report_waiting)
            self.notes = list(self.store.notes)
            self.counts = self._count()
            self._frozen_reads = 0
            self._keep_samples_out_of_collections()
        except Exception as error:
            self.store = None                 # no store at all, so nothing can write over the file
            self.error = self._why_unreadable(error)
        self._requests: queue.Queue = queue.Queue()
        self._order_before: list[store.Sample] = []   # the samples before a CHANGE ran (writer thread)
        self._writer: threading.Thread | None = None
        self._pending = 0                      # changes asked for and not yet returned by poll()
        self._last_write_seconds = 0.0         # how long the last save took (writer thread)
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

        A deletion remembers where each sample was (its place in the file before the change), so
        Undo puts it back there. Only the newest KEPT_DRAWINGS saves keep their canvas ink: each is
        a few hundred KB.
        """
        if change.kind == DELETE and not change.positions:
            place = {sample.id: index for index, sample in enumerate(self._order_before)}
            change.positions = [place.get(sample.id, len(place)) for sample in change.removed]
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
        """Every finished change (and WAIT report) since the last call; the counters follow them."""
        finished = []
        while True:
            try:
                done = self._results.get_nowait()
            except queue.Empty:
                return finished
            self.counts = done.counts
            if done.action != WAIT:
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
        """The writer thread: every request in the order asked; saves waiting together go in one write."""
        while True:
            batch = self._next_requests()
            adds = [request for request in batch if request is not None and request[0] == ADD]
            if adds:
                self._run(ADD, self._add_all, adds, len(adds))
            for request in batch[len(adds):]:        # what ended the run of saves, if anything
                if request is None:
                    self._requests.task_done()
                    return
                self._run(request[0], self._one, request, 1)

    def _next_requests(self) -> list:
        """The next request, and if it is a save, the saves asked for since or soon after (one write
        for them all: see GATHER_FACTOR), up to and including the first request that is not a save."""
        batch = [self._requests.get()]
        deadline = time.monotonic() + min(GATHER_MAX_SECONDS, GATHER_FACTOR * self._last_write_seconds)
        while batch[-1] is not None and batch[-1][0] == ADD:
            wait = deadline - time.monotonic()
            try:
                batch.append(self._requests.get(timeout=wait) if wait > 0 else self._requests.get_nowait())
            except queue.Empty:
                break
        return batch

    def _run(self, action: str, work: Callable[[object], list[Done]], argument: object, requests: int) -> None:
        """Do `work(argument)` (one Done per request) and report it; a bug must not stop the writer."""
        try:
            finished = work(argument)
        except Exception as error:  # a bug: later saves still happen
            what = {ADD: "save the drawing", UNDO: "undo"}.get(action, f"change {self.path.name}")
            status = Status(f"Could not {what} ({type(error).__name__}: {error})", ERROR)
            if action == ADD:   # the drawings come back, as for any failed save
                finished = [Done(ADD, status, None, self.counts.copy(), keepsake, failed=True, label=label)
                            for _, _, label, keepsake in argument]
            else:
                finished = [Done(action, status, None, self.counts.copy())] * requests
        self.version += 1
        self._keep_samples_out_of_collections()
        for done in finished:
            self._results.put(done)
            self._requests.task_done()

    def _keep_samples_out_of_collections(self) -> None:
        """After data.json was (re)read: collect garbage once, then freeze every object alive, above
        all the store's samples, which live as long as the window and hold no reference cycles.

        Python's collector otherwise rescans all 60,000 samples of a big file now and then, holding
        the interpreter for the scan, wherever it runs. Measured (benchmarks/bench_store.py, 100
        saves into 60,000 samples, one a frame): longest frame 75-148 ms -> 36 ms.
        """
        if self.store is not None and self.store.reads != self._frozen_reads:
            self._frozen_reads = self.store.reads
            gc.collect()
            gc.freeze()

    def _one(self, request: tuple) -> list[Done]:
        handlers = {UNDO: self._undo, CHANGE: self._change}
        return [handlers[request[0]](*request[1:])]

    def _report_waiting(self) -> None:
        """The store's on_wait: another MLing program is saving data.json (called on the writer thread)."""
        message = notes.waiting_message(self.path)
        self._results.put(Done(WAIT, Status(message[0].upper() + message[1:], WARNING), None, self._count()))

    def _add_all(self, requests: list[tuple]) -> list[Done]:
        """Save these drawings in one write (one DataStore.add_many); one Done for each, in order."""
        images = np.stack([request[1] for request in requests])
        labels = [request[2] for request in requests]
        started = time.monotonic()
        try:
            samples = self.store.add_many(images, labels, source="drawn")
            self._last_write_seconds = time.monotonic() - started
        except (store.DataStoreError, OSError, ValueError) as error:
            if isinstance(error, ValueError) and len(requests) > 1:   # one bad image: save the others
                return [done for request in requests for done in self._add_all([request])]
            counts = self._count()
            return [Done(ADD, Status(f"Could not save the drawing: {error}", ERROR), None, counts,
                         keepsake, failed=True, label=label) for _, _, label, keepsake in requests]
        counts = self._count()
        finished = []
        for index, (sample, (_, _, label, keepsake)) in enumerate(zip(samples, requests)):
            self.remember(Change(SAVE, f"the {label} you saved", added=sample, keepsake=keepsake))
            so_far = int(counts[label]) - labels[index + 1:].count(label)   # the count right after this one
            status = Status(f"Saved a {label} — {how_many(so_far, label)} so far", SUCCESS)
            finished.append(Done(ADD, status, sample, counts, keepsake, label=label))
        return finished

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
        if change.take_back is not None:
            return change.take_back(data), None
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
            back = [(sample, position) for sample, position in zip(change.removed, change.positions)
                    if sample.id not in present]
            if back:
                data.restore([sample for sample, _ in back], [position for _, position in back])
            return Status(f"Undone: put {change.what} back into {self.path.name}", SUCCESS), None
        by_label: dict[int, list[str]] = {}
        for id_, label in change.old_labels.items():
            if id_ in present:
                by_label.setdefault(label, []).append(id_)
        for label, ids in by_label.items():        # one save per old label (usually just one)
            data.relabel(ids, label)
        return Status(f"Undone: the labels of {change.what} are as they were", SUCCESS), None

    def _change(self, work: Callable[[store.DataStore], Status]) -> Done:
        self._order_before = list(self.store.samples)   # for remember(): where deleted samples were
        try:
            status = work(self.store)
        except (store.DataStoreError, OSError, ValueError) as error:
            status = Status(f"Could not change {self.path.name}: {error}", ERROR)
        return Done(CHANGE, status, None, self._count())

    def _count(self) -> np.ndarray:
        """(10,) the learner's own samples per digit: augmented copies would inflate the counters."""
        return np.asarray(self.store.counts(store.OWN_SOURCES), dtype=np.int64)
