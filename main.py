"""MLing: draw digits, save them with their labels, train a small neural network, watch it guess.

    python main.py                                 # data.json and model_params.npz next to this file
    python main.py --data my_digits.json           # another dataset
    python main.py --model experiment.npz          # another model file
    python main.py --full-screen --large-text      # at a projector: the whole screen, big text
    python main.py --size 1920x1080                # a window of this size (F11: full screen)

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
    parser.add_argument("--full-screen", action="store_true", help="start full screen (F11 switches)")
    parser.add_argument("--large-text", action="store_true", help="start with large text (Ctrl+L switches)")
    parser.add_argument("--size", type=window_size, default=None, metavar="WIDTHxHEIGHT",
                        help="the window's size in pixels, e.g. 1920x1080 (default: 1100x700)")
    return parser.parse_args(argv)


def window_size(text: str) -> tuple[int, int]:
    """"1920x1080" -> (1920, 1080); argparse turns the ValueError into a one-line usage error."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size: write WIDTHxHEIGHT, e.g. 1280x800") from None
    if not (320 <= width <= 16384 and 240 <= height <= 16384):
        raise argparse.ArgumentTypeError(f"{text!r} is too small or too big: from 320x240 to 16384x16384")
    return width, height


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.data.is_dir() or args.model.is_dir():
        print(f"error: {args.data if args.data.is_dir() else args.model} is a folder; give a file name",
              file=sys.stderr)
        return 2
    from window.main import main as run_window  # imported here: `python main.py -h` needs no pygame
    return run_window(args.data, args.model, size=args.size, full_screen=args.full_screen,
                      large_text=args.large_text)


if __name__ == "__main__":
    sys.exit(main())
