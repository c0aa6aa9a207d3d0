"""Where MLing keeps its files by default: next to main.py, in the repository folder.

Every script and the window take --data and --model to use other files; these are the defaults.
"""
from __future__ import annotations

from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
DATA_PATH = REPOSITORY / "data.json"            # the labelled drawings (created on the first save)
MODEL_PATH = REPOSITORY / "model_params.npz"    # the trained network (written by training)
