"""One-line notes for the terminal: what MLing repaired while reading, or what it is waiting for.

The store never prints and never raises Python warnings: it keeps its notes (`DataStore.notes`),
and each script prints them the same way, as plain `note: ...` lines on stderr:

    data = store.DataStore.open(path, on_wait=notes.say_waiting(path))
    notes.print_notes(data.notes)
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO


def print_notes(notes: Iterable[str], stream: TextIO | None = None) -> None:
    """Print each note as one `note: ...` line (stderr unless `stream` is given)."""
    for note in notes:
        print(f"note: {note}", file=stream or sys.stderr, flush=True)


def waiting_message(path: str | os.PathLike) -> str:
    """What to say while another MLing program is saving the file at `path`."""
    return f"waiting for another MLing program to finish saving {Path(path).name}..."


def say_waiting(path: str | os.PathLike) -> Callable[[], None]:
    """An `on_wait` for DataStore.open in a script: prints waiting_message as a note."""
    return lambda: print_notes([waiting_message(path)])
