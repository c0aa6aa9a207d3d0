"""Make the starter dataset: digits "drawn" by the program the way a person draws on the canvas.

A fresh clone of MLing ships data.json with these samples (tagged "starter") and a model
trained on them, so the first digit a new user draws is recognised. Nothing here comes from a
third-party data set: every sample is a stroke template (starter/templates.py) varied like a
writer's hand, drawn with the canvas's own brush (images.draw_stroke) on a canvas of the
window's size, and converted by the canvas's own crop / scale / centre step
(images.to_network_input). The same seed always gives the same samples.

Terminal usage (from the repository folder):

    python -m starter.make_starter                        # 800 per digit -> data.json, seed 0
    python -m starter.make_starter --per-digit 50 --out /tmp/small.json --seed 3
    python -m starter.make_starter --preview starter_preview.png   # also save a grid to look at

Any "starter" samples already in the file are replaced; the user's own samples are kept.

How the shipped data.json and model_params.npz were made (about 2.5 minutes on 2 cores:
drawing 90-120 s, copies 8 s, training 25-40 s):

    python -m starter.make_starter      # data.json: 8,000 starter digits, seed 0 (~1 minute)
    python add_noise.py --copies 20     # + 20 augmented copies of each, seed 0 (for training only)
    python train.py                     # train.py's defaults -> model_params.npz
    python add_noise.py --copies 0      # drop the copies again: data.json ships the 8,000 only

Training on the copies too lifts real-handwriting accuracy by about 4 points (20 copies read the
dev set better than 10: 90.0% vs 89.4%); they are left out of the repository to keep data.json
small (8,000 samples are 8.9 MiB; with 20 copies, about 190 MiB).
The same commands give the same data.json byte for byte; the model they train with today's
train.py is another draw of the same recipe (two trainings differ by up to 2 points on real
digits). How well the result reads real handwriting: starter/evaluate_real.py; recipes can be
compared in memory on its development sets with starter/tune.py.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

from mling import images  # noqa: E402  (after the path fix above)
from mling.pixels import IMAGE_SIDE  # noqa: E402
from starter import templates  # noqa: E402

# --- Defaults -------------------------------------------------------------------------------
SEED = 0                        # the shipped data.json is made with this seed
PER_DIGIT = 800                 # samples per digit: 8,000 in all
OUT = ROOT / "data.json"        # where the samples go (other sources in it are kept)
CANVAS_SIZE = 392               # the window's drawing canvas is a square of this many pixels (window/app.py)
GLYPH_HEIGHT = (130.0, 340.0)   # a digit is drawn this many canvas pixels tall (small to large)
PEN_WIDTH = (0.07, 0.2)        # stroke width as a fraction of the digit's height: thin pen to marker
MOUSE_STEP = (4.0, 14.0)        # canvas pixels between two mouse positions (slow to fast hand)
JOBS = os.cpu_count() or 1      # drawing processes; the result is the same for any number
# A drawing must look like real handwriting after the conversion, or it is drawn again. The
# ranges hold 99.8% of 5,000 real MNIST digits as MNIST stores them (their 0.1% and 99.9%
# percentiles; `python -m starter.evaluate_real --stats --set mnist-5k` measures them after
# run.py's image-file conversion, which thins strokes a little: median width 1.80 instead of
# 1.95): the share of the 784 pixels that are mostly ink, and the stroke width in pixels (see
# ink_fraction and stroke_width below).
INK_FRACTION_RANGE = (0.04, 0.30)
STROKE_WIDTH_RANGE = (0.9, 4.4)
MAX_TRIES = 20                  # give up redrawing after this many tries (never reached in practice)


# --- One drawing ------------------------------------------------------------------------------
def to_canvas_strokes(strokes: list[np.ndarray], rng: np.random.Generator
                      ) -> tuple[list[np.ndarray], float]:
    """Glyph-unit strokes -> (mouse positions per stroke in canvas pixels, brush radius).

    Picks the digit's height, its place on the canvas and the pen width, then samples each
    stroke the way a mouse reports it: whole-pixel positions a few pixels apart.
    """
    height = rng.uniform(*GLYPH_HEIGHT)
    radius = max(1.0, rng.uniform(*PEN_WIDTH) * height / 2)
    points = np.concatenate(strokes)
    low, high = points.min(axis=0) * height, points.max(axis=0) * height
    margin = radius + 2
    size = high - low
    # Where the digit sits on the canvas: anywhere it fits; if it is too big, scale it down.
    if (size + 2 * margin > CANVAS_SIZE - 1).any():
        shrink = float(((CANVAS_SIZE - 1 - 2 * margin) / np.maximum(size, 1e-6)).min())
        height, low, size = height * shrink, low * shrink, size * shrink
    room = np.maximum(CANVAS_SIZE - 2 * margin - size, 0.0)           # (2,) free space x, y
    offset = margin + room * rng.random(2) - low                       # (2,) canvas px

    step = rng.uniform(*MOUSE_STEP)
    mouse = []
    for stroke in strokes:
        spaced = templates.resample(stroke * height + offset, step)
        mouse.append(np.round(spaced))                                 # mice report whole pixels
    return mouse, radius


def draw_once(digit: int, rng: np.random.Generator) -> np.ndarray:
    """Draw one digit as a person would -> the network's (28, 28) float32 image."""
    template = templates.pick_template(digit, rng)
    strokes = templates.vary_strokes(template(rng), rng, templates.WIDTH_RANGE.get(digit))
    mouse, radius = to_canvas_strokes(strokes, rng)
    ink = np.zeros((CANVAS_SIZE, CANVAS_SIZE), dtype=np.float32)
    for points in mouse:
        images.draw_stroke(ink, points, radius)
    return images.to_network_input(ink)


def looks_real(image: np.ndarray) -> bool:
    """True if a (28, 28) image's ink fraction and stroke width are in the real range."""
    ink, width = ink_fraction(image[None])[0], stroke_width(image[None])[0]
    return (INK_FRACTION_RANGE[0] <= ink <= INK_FRACTION_RANGE[1]
            and STROKE_WIDTH_RANGE[0] <= width <= STROKE_WIDTH_RANGE[1])


def draw_digit(digit: int, rng: np.random.Generator) -> np.ndarray:
    """Draw one digit -> (28, 28) float32, again if the first try does not look real (< 1%)."""
    for _ in range(MAX_TRIES):
        image = draw_once(digit, rng)
        if looks_real(image):
            return image
    return image


def draw_digits(labels: np.ndarray, seeds: list[np.random.SeedSequence]) -> np.ndarray:
    """Draw labels[i] with its own generator seeds[i] -> (n, 28, 28) float32.

    One Python step per drawing is unavoidable: each is a handful of pen strokes through the
    canvas brush. Everything inside a drawing is vectorised.
    """
    batch = np.empty((len(labels), IMAGE_SIDE, IMAGE_SIDE), dtype=np.float32)
    for index, (label, seed) in enumerate(zip(np.asarray(labels).tolist(), seeds)):
        batch[index] = draw_digit(label, np.random.default_rng(seed))
    return batch


def generate(per_digit: int = PER_DIGIT, seed: int = SEED, jobs: int = 1
             ) -> tuple[np.ndarray, np.ndarray]:
    """The starter set: (images (n, 28, 28) float32, labels (n,) int64), n = 10 * per_digit.

    Balanced (per_digit of each digit) and in a shuffled order. The same (per_digit, seed)
    always gives the same arrays, whatever `jobs` is: every drawing has its own generator
    spawned from the seed, so it does not matter which process draws it or in what order.
    jobs > 1 draws in that many processes (the drawing is the slow part).
    """
    labels = np.repeat(np.arange(10, dtype=np.int64), per_digit)
    labels = labels[np.random.default_rng(seed).permutation(len(labels))]
    seeds = np.random.SeedSequence(seed).spawn(len(labels))
    if jobs <= 1 or len(labels) < 2 * jobs:
        return draw_digits(labels, seeds), labels
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    bounds = np.linspace(0, len(labels), jobs + 1).astype(int)
    chunks = [(labels[a:b], seeds[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    # "spawn" starts clean processes: forking a program that has threads (a window, BLAS) can hang.
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = list(pool.map(draw_digits, *zip(*chunks)))
    return np.concatenate(parts), labels


# --- Measuring what a drawing looks like (used by the tests and evaluate_real.py) ----------------
def ink_fraction(batch: np.ndarray) -> np.ndarray:
    """Share of the 784 pixels that are mostly ink (> 0.5), per image: (n, 28, 28) -> (n,)."""
    return (np.asarray(batch) > 0.5).reshape(len(batch), -1).mean(axis=1)


def stroke_width(batch: np.ndarray) -> np.ndarray:
    """Typical stroke width in 28x28 pixels per image: (n, 28, 28) -> (n,).

    For a band of length L and width w, area = L*w and outline = 2L + 2w, so 2*area/outline is
    close to w when L >> w. Area counts pixels > 0.5; the outline counts the pixel edges
    between ink and background.
    """
    inked = np.pad(np.asarray(batch) > 0.5, ((0, 0), (1, 1), (1, 1)))
    area = inked.sum(axis=(1, 2))
    outline = (np.diff(inked, axis=1) != 0).sum(axis=(1, 2)) + \
              (np.diff(inked, axis=2) != 0).sum(axis=(1, 2))
    return 2.0 * area / np.maximum(outline, 1)


def save_preview(path: Path, batch: np.ndarray, labels: np.ndarray, per_row: int = 20,
                 rows_per_digit: int = 1) -> None:
    """Save a grid of samples sorted by digit as a PNG (white ink on black), for a quick look."""
    from PIL import Image

    # The first `rows_per_digit` rows' worth of each digit, digits in order.
    shown = np.concatenate([batch[labels == digit][: per_row * rows_per_digit] for digit in range(10)])
    rows = int(np.ceil(len(shown) / per_row))
    grid = np.zeros((rows * 28, per_row * 28), dtype=np.float32)
    for index, image in enumerate(shown):
        r, c = divmod(index, per_row)
        grid[r * 28:(r + 1) * 28, c * 28:(c + 1) * 28] = image
    Image.fromarray((grid * 255).astype(np.uint8)).resize((per_row * 56, rows * 56)).save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make MLing's starter dataset (source 'starter').")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.add_argument("--per-digit", type=int, default=PER_DIGIT,
                        help=f"samples of each digit (default {PER_DIGIT})")
    parser.add_argument("--out", type=Path, default=OUT, help="data file to write (default data.json)")
    parser.add_argument("--jobs", type=int, default=JOBS,
                        help=f"processes that draw at once (default {JOBS}: one per CPU core)")
    parser.add_argument("--preview", type=Path, help="also save a PNG grid of samples here")
    args = parser.parse_args(argv)
    if args.per_digit < 1:
        print("error: --per-digit must be at least 1", file=sys.stderr)
        return 2

    from mling import store

    started = time.perf_counter()
    batch, labels = generate(args.per_digit, args.seed, args.jobs)
    seconds = time.perf_counter() - started
    try:
        data = store.DataStore.open(args.out)
        data.replace_source("starter", batch, labels)
    except store.DataStoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.preview:
        save_preview(args.preview, batch, labels)
    print(f"drew {len(labels)} starter digits ({args.per_digit} per digit, seed {args.seed}) "
          f"in {seconds:.1f} s; {args.out} now holds {len(data)} samples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
