"""What the window remembers between launches (so far: that the tour was offered), in a small file.

The file is mling-settings.json next to the data file (data.json's folder), never data.json
itself: the drawings stay the drawings. It is written with mling.files.atomic_write, so a crash
never leaves half a file; a missing, unreadable or damaged file reads as "nothing remembered".

    settings = read_settings(settings_path(data_path))     # {} the first time
    remember(settings_path(data_path), "tour_offered", True)
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from mling.files import atomic_write

SETTINGS_NAME = "mling-settings.json"
TOUR_OFFERED = "tour_offered"         # True once the first-launch tour has been offered


def settings_path(data_path: str | os.PathLike) -> Path:
    """The settings file that belongs to a data file: beside it."""
    return Path(data_path).resolve().parent / SETTINGS_NAME


def read_settings(path: str | os.PathLike) -> dict:
    """Everything remembered ({} when the file is missing, unreadable or not a JSON object)."""
    try:
        settings = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return settings if isinstance(settings, dict) else {}


def remember(path: str | os.PathLike, key: str, value) -> str | None:
    """Store `key` = `value`, keeping what else is in the file; the reason if it could not be written."""
    settings = {**read_settings(path), key: value}
    text = json.dumps(settings, indent=2, sort_keys=True) + "\n"
    try:
        atomic_write(path, lambda file: file.write(text.encode("utf-8")))
    except OSError as error:
        return f"could not write {Path(path).name}: {error.strerror or error}"
    return None
