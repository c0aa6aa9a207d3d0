"""The files the repository ships (data.json, model_params.npz), as committed.

A learner who draws, runs add_noise.py or trains has changed the working copies, and tests about
the shipped files must not fail because of that. In a git checkout they read the committed
version (git show HEAD:<file>); without git (a downloaded zip) they read the working copy.
"""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from mling.paths import REPOSITORY

_copies: dict[str, Path] = {}
_folder = tempfile.TemporaryDirectory(prefix="mling-shipped-")    # removed when the test run ends


def shipped_path(name: str) -> Path:
    """Where to read the shipped `name` ("data.json", "model_params.npz") from."""
    if name not in _copies:
        try:
            committed = subprocess.run(["git", "-C", str(REPOSITORY), "show", f"HEAD:{name}"],
                                       capture_output=True, check=True, timeout=60).stdout
        except (OSError, subprocess.SubprocessError):
            _copies[name] = REPOSITORY / name
        else:
            copy = Path(_folder.name) / name
            copy.write_bytes(committed)
            _copies[name] = copy
    return _copies[name]
