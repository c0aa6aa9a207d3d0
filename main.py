"""MLing: draw digits, save them with their labels, train a small neural network, watch it guess.

    python main.py                                 # data.json and model_params.npz next to this file
    python main.py --data my_digits.json           # another dataset
    python main.py --model experiment.npz          # another model file

The window is in window/ (window/main.py runs the loop). The terminal tools keep working on the
same files: train.py, run.py, add_noise.py.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mling.paths import DATA_PATH, MODEL_PATH


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Open the MLing window: draw, label, train and predict.")
    parser.add_argument("--data", type=Path, default=DATA_PATH,
                        help="dataset file to read and write (default: data.json next to main.py)")
    parser.add_argument("--model", type=Path, default=MODEL_PATH,
                        help="model file to load and train (default: model_params.npz next to main.py)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.data.is_dir() or args.model.is_dir():
        print(f"error: {args.data if args.data.is_dir() else args.model} is a folder; give a file name",
              file=sys.stderr)
        return 2
    from window.main import main as run_window  # imported here: `python main.py -h` needs no pygame
    return run_window(args.data, args.model)


if __name__ == "__main__":
    sys.exit(main())
