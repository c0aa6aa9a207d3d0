"""How fast are drawing, conversion and augmentation? Run by hand, not in CI:

    python -m benchmarks.bench_images            # a few seconds
    python -m benchmarks.bench_images --quick    # fewer repeats

Prints the median time of: one brush segment on a 400x400 canvas (a typical mouse move of
~30 px, and a fast 200 px jump), to_network_input on a 400x400 canvas, and augment on 1,000
images. Targets (2-core machine): a segment well under 1 ms; to_network_input <= 1 ms (the
prediction budget, conversion included, is 1 ms); augment: seconds, not minutes, for 60,000.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import sys
import time

import numpy as np

import add_noise  # noqa: E402
from mling import images  # noqa: E402

CANVAS = 400     # the window's canvas, pixels a side
RADIUS = 14      # the window's brush radius


def median_seconds(work, repeats: int) -> float:
    """Median wall time of `work()` over `repeats` runs (after one warm-up)."""
    work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def segment_time(length: float, repeats: int, rng: np.random.Generator) -> float:
    """Seconds per draw_stroke call with one segment of `length` pixels, random direction."""
    ink = np.zeros((CANVAS, CANVAS), dtype=np.float32)
    middles = rng.uniform(RADIUS + length / 2, CANVAS - RADIUS - length / 2, (repeats, 2))
    angles = rng.uniform(0, 2 * np.pi, repeats)
    half = length / 2 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    starts, ends = middles - half, middles + half
    start = time.perf_counter()
    for a, b in zip(starts.tolist(), ends.tolist()):
        images.draw_stroke(ink, [a, b], RADIUS)
    return (time.perf_counter() - start) / repeats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the brush, the 28x28 conversion and augmentation.")
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args(argv)
    repeats = 50 if args.quick else 500
    rng = np.random.default_rng(0)

    for length in (30, 200):
        print(f"draw_stroke, one {length:3d} px segment, radius {RADIUS}: "
              f"{segment_time(length, repeats, rng) * 1e6:7.0f} us")

    ink = np.zeros((CANVAS, CANVAS), dtype=np.float32)
    images.draw_stroke(ink, [(100, 80), (300, 80), (150, 350)], RADIUS)           # a 7
    images.draw_stroke(ink, [(130, 220), (260, 220)], RADIUS)
    seconds = median_seconds(lambda: images.to_network_input(ink), repeats)
    print(f"to_network_input, {CANVAS}x{CANVAS} canvas:            {seconds * 1e6:7.0f} us")

    digit = images.to_network_input(ink)
    batch = np.repeat(digit[None], 1000, axis=0)
    for name, work in [("augment", add_noise.augment), ("  random_affine", add_noise.random_affine),
                       ("  change_stroke_width", add_noise.change_stroke_width),
                       ("  add_sparse_noise", add_noise.add_sparse_noise)]:
        seconds = median_seconds(lambda work=work: work(batch, rng), max(3, repeats // 50))
        print(f"{name + ', 1,000 images:':45s}{seconds * 1e3:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
