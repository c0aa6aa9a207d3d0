"""How the scripts (train.py, run.py) talk to the terminal: plain lines, and no tracebacks.

    say("saved the model")            # stdout
    warn("3 values were clipped")     # stderr, "warning: ..."
    error("data.json: not found")     # stderr, "error: ..."

`python train.py | head -1` closes the pipe after one line; the next print would raise
BrokenPipeError. say() then sends the rest of the output nowhere and the script carries on (a
training run still finishes and saves), instead of ending in a traceback.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from mling import store


def say(text: str) -> None:
    """One line (or a few) on stdout."""
    _write(sys.stdout, text)


def warn(text: str) -> None:
    _write(sys.stderr, f"warning: {text}")


def error(text: str) -> None:
    _write(sys.stderr, f"error: {text}")


def _write(stream, text: str) -> None:
    try:
        print(text, file=stream, flush=True)
    except BrokenPipeError:
        _silence(stream)


def _silence(stream) -> None:
    """Point a stream whose reader has gone at the null device, so later writes (and the final flush) work."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # not a real file (e.g. captured by a test): nothing to redirect
        pass


def open_store(path: str | os.PathLike) -> tuple[store.DataStore, list[str]]:
    """Open a data file and return it with its one-line notes (repairs made while reading).

    The notes come back as plain text for the caller to print or show (never Python's warning format).
    """
    data = store.DataStore.open(Path(path))
    return data, list(data.notes)


@dataclass
class SigtermStop:
    """What stop_on_sigterm() installed: the handler it replaced, and whether a SIGTERM came."""
    previous: object = signal.SIG_DFL
    signalled: bool = False
    installed: bool = False


def stop_on_sigterm(stop: threading.Event) -> SigtermStop:
    """Make SIGTERM (what `kill` and shutting down send) set `stop`, so training ends cleanly.

    Training then stops after its current batch and keeps the better model, as Ctrl-C does.
    Only possible in the main thread; elsewhere SIGTERM keeps its default.
    """
    handle = SigtermStop()
    if threading.current_thread() is not threading.main_thread():
        return handle

    def on_sigterm(signum, frame) -> None:
        handle.signalled = True
        stop.set()

    handle.previous = signal.signal(signal.SIGTERM, on_sigterm)
    handle.installed = True
    return handle


def restore_sigterm(handle: SigtermStop) -> None:
    """Put back what SIGTERM did before stop_on_sigterm()."""
    if handle.installed:
        signal.signal(signal.SIGTERM, handle.previous)


class EpochBar:
    """A progress bar on stderr (when it is a terminal) with the epoch lines printed above it.

    Its length is the epoch training would end at if nothing improves any more (the best epoch
    plus the patience), not the maximum: runs usually stop long before the maximum.
    """

    def __init__(self, expected_epochs: int):
        from tqdm import tqdm

        self.bar = tqdm(total=expected_epochs, unit="epoch", disable=None, leave=False)

    def show(self, line: str, expected_epochs: int) -> None:
        if self.bar.disable:
            say(line)
            return
        try:
            self.bar.total = max(expected_epochs, self.bar.n + 1)
            self.bar.write(line)
            self.bar.update(1)
        except BrokenPipeError:
            _silence(sys.stdout)
            _silence(sys.stderr)

    def close(self) -> None:
        try:
            self.bar.close()
        except BrokenPipeError:
            _silence(sys.stderr)


def epoch_bar(max_epochs: int, patience: int | None = None) -> EpochBar:
    """The bar for a run of at most `max_epochs`; it starts at the patience (the least a run takes)."""
    return EpochBar(min(max_epochs, patience) if patience else max_epochs)
