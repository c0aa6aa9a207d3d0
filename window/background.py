"""One piece of slow work (about a second: damage curves, a figure) in a thread, so frames keep coming.

    job = Background("damage-curves")
    job.start(lambda: damage.damage_curves(params, X, y), tag=model)
    done = job.poll()            # each frame: None while it runs, then once Finished(tag, result, error)

The work gets its own copies of what it reads (arrays, weights), never the window's state; a
failure comes back as a one-line error, never a traceback in the window.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Finished:
    tag: Any                 # what the caller said the work was for (e.g. which model)
    result: Any              # what the work returned (None after an error)
    error: str               # "" when it went well


def plain_reason(error: OSError) -> str:
    """ "No space left on device", "File exists: figures" - the system's words, without Python's."""
    where = f": {Path(error.filename).name}" if getattr(error, "filename", None) else ""
    return f"{error.strerror or error}{where}"


class Background:
    """At most one job at a time in a daemon thread; poll() hands back how it ended, once."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.thread: threading.Thread | None = None
        self.tag: Any = None
        self._done: queue.Queue[Finished] = queue.Queue()

    @property
    def busy(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def start(self, work: Callable[[], Any], tag: Any = None) -> None:
        def run() -> None:
            try:
                self._done.put(Finished(tag, work(), ""))
            except OSError as error:            # a full disk, a read-only folder...
                self._done.put(Finished(tag, None, plain_reason(error)))
            except Exception as error:          # a bug must not end the window
                self._done.put(Finished(tag, None, f"{type(error).__name__}: {error}"))
        self.tag = tag
        self.thread = threading.Thread(target=run, name=f"mling-{self.name}", daemon=True)
        self.thread.start()

    def poll(self) -> Finished | None:
        try:
            return self._done.get_nowait()
        except queue.Empty:
            return None

    def join(self, timeout: float) -> bool:
        if self.thread is not None:
            self.thread.join(timeout)
        return not self.busy
