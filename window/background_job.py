"""Long work for a tab in a background thread: an experiment, leave one writer out, an export.

The thread never touches pygame or the Session. The work gets two things: `report(item)`, which
puts a progress item into a queue, and a threading.Event it should check to stop early (train.fit
does, after every batch). The tab calls poll() once per frame: it returns the progress items that
arrived and, once the thread has ended, sets `done` with either `result` or `error` (one line).
NumPy releases the GIL inside its matrix products, so the window keeps drawing at about 60 frames
a second while the thread trains (measured in /work/shared/docs/gui-testing.md).

    job = BackgroundJob(lambda report, stop: experiments.run_card(..., on_progress=report, stop_event=stop),
                        expected=(experiments.ExperimentError,))
    job.start()
    for item in job.poll(): ...           # every frame
    if job.done: job.result or job.error
"""
from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import Any

Work = Callable[[Callable[[Any], None], threading.Event], Any]


class BackgroundJob:
    """One piece of work in a daemon thread, reporting through a queue (see the module docstring)."""

    def __init__(self, work: Work, name: str = "mling-background",
                 expected: tuple[type[BaseException], ...] = ()) -> None:
        """`expected`: exceptions whose message is already one line for the learner (shown as it is)."""
        self.work = work
        self.expected = expected
        self.stop_event = threading.Event()
        self.result: Any = None
        self.error: str | None = None          # why it failed, in one line
        self.done = False                      # True once poll() has seen the thread end
        self.started = 0.0
        self.seconds: float | None = None      # how long the work took
        self._progress: queue.Queue = queue.Queue()
        # daemon: closing the window never waits for an experiment; its files are written atomically
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> BackgroundJob:
        self.started = time.perf_counter()
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the work to end early (it checks the flag between batches)."""
        self.stop_event.set()

    @property
    def stopping(self) -> bool:
        return self.stop_event.is_set()

    @property
    def running(self) -> bool:
        """True from start() until poll() has read the thread's last report."""
        return self._thread.is_alive() or (self.started > 0 and not self.done)

    def join(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the thread to end (tests); True if it did."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def poll(self) -> list:
        """The progress items reported since the last call; sets `done` once the thread has ended."""
        ended = self.started > 0 and not self._thread.is_alive()   # checked first: then every item is queued
        items = []
        while True:
            try:
                items.append(self._progress.get_nowait())
            except queue.Empty:
                break
        if ended:
            self.done = True
        return items

    def _run(self) -> None:
        """The thread's body: every failure becomes a one-line `error`, never a crash of the window."""
        try:
            self.result = self.work(self._progress.put, self.stop_event)
        except self.expected as error:
            self.error = str(error)
        except MemoryError:
            self.error = "ran out of memory; try again with fewer drawings"
        except Exception as error:  # a bug must not take the window down: say what it was
            self.error = f"it failed unexpectedly ({type(error).__name__}: {error})"
        finally:
            self.seconds = time.perf_counter() - self.started
