"""How fast does MLing train and predict? Run by hand, not in CI:

    python -m benchmarks.bench_train            # about a minute on a 2-core laptop
    python -m benchmarks.bench_train --quick    # fewer repeats

Prints training throughput (samples/s) of 784-16-16-10 on 8,800 samples at batch 64 and at
the default batch size, the time 1,000 epochs would take, and, measured in the same run, a
per-sample pure-NumPy loop like the original MLing's as the reference ratio. Then the time
to predict one drawing, conversion included.
Targets (2-core machine): >= 600,000 samples/s by default; 1,000 epochs <= 15 s; predict <= 1 ms.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

import train  # noqa: E402
from mling import network  # noqa: E402

SAMPLES = 8_800


def fake_digits(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Sparse images like drawings (about 15% ink), float32, with random labels."""
    X = (rng.random((count, 784)) < 0.15).astype(np.float32) * rng.random((count, 784), dtype=np.float32)
    return X, rng.integers(0, 10, count)


def our_throughput(X: np.ndarray, y: np.ndarray, batch_size: int, epochs: int) -> float:
    """Samples per second through train.train_epoch (forward, backward, clipping, Adam)."""
    rng = np.random.default_rng(0)
    params = network.init_params(network.LAYER_SIZES, rng)
    grads, optimizer = params.zeros_like(), train.Adam(params.flat.size)
    best = 0.0
    for _ in range(epochs):
        started = time.perf_counter()
        train.train_epoch(params, grads, optimizer, X, y, rng.permutation(len(y)), batch_size,
                          1e-3, network.GRADIENT_CLIP_NORM)
        best = max(best, len(y) / (time.perf_counter() - started))
    return best


def original_style_throughput(X: np.ndarray, y: np.ndarray, seconds: float = 3.0) -> float:
    """The reference: one sample at a time in float64, like the original MLing's training loop."""
    rng = np.random.default_rng(0)
    W1, b1 = rng.normal(0, np.sqrt(2 / 784), (16, 784)), np.zeros(16)
    W2, b2 = rng.normal(0, np.sqrt(2 / 16), (16, 16)), np.zeros(16)
    W3, b3 = rng.normal(0, np.sqrt(2 / 16), (10, 16)), np.zeros(10)
    X64, done, started = X.astype(np.float64), 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for x, label in zip(X64[:500], y[:500]):
            z1 = W1 @ x + b1
            h1 = np.maximum(z1, 0)
            z2 = W2 @ h1 + b2
            h2 = np.maximum(z2, 0)
            z3 = W3 @ h2 + b3
            p = np.exp(z3 - z3.max())
            p /= p.sum()
            d3 = p.copy()
            d3[label] -= 1
            d2 = (W3.T @ d3) * (z2 > 0)
            d1 = (W2.T @ d2) * (z1 > 0)
            W3 -= 0.01 * np.outer(d3, h2)
            b3 -= 0.01 * d3
            W2 -= 0.01 * np.outer(d2, h1)
            b2 -= 0.01 * d2
            W1 -= 0.01 * np.outer(d1, x)
            b1 -= 0.01 * d1
        done += 500
    return done / (time.perf_counter() - started)


def predict_milliseconds(repeats: int) -> float:
    """Time to turn a 400x400 drawing into a prediction (conversion + forward pass), median."""
    import run
    from mling.images import draw_stroke, to_network_input

    canvas = np.zeros((400, 400), dtype=np.float32)
    draw_stroke(canvas, [(120, 80), (280, 80), (180, 330)], 14)
    model = run.Model(network.init_params(network.LAYER_SIZES, np.random.default_rng(0)))
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run.predict(model, to_network_input(canvas))
        times.append(time.perf_counter() - started)
    return float(np.median(times)) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args(argv)
    epochs = 5 if args.quick else 15
    X, y = fake_digits(SAMPLES, np.random.default_rng(0))
    print(f"training 784-16-16-10 on {SAMPLES:,} samples (best of {epochs} epochs, {os.cpu_count()} cores)")
    with threadpool_limits(limits=1, user_api="blas"):   # what train.fit() does
        reference = original_style_throughput(X, y, seconds=1.5 if args.quick else 3.0)
        print(f"  original-style per-sample loop (reference): {reference:>12,.0f} samples/s")
        for batch_size in sorted({64, train.BATCH_SIZE}):
            ours = our_throughput(X, y, batch_size, epochs)
            label = "default" if batch_size == train.BATCH_SIZE else "       "
            print(f"  MLing, batch {batch_size:>3} {label}:                {ours:>12,.0f} samples/s "
                  f"({ours / reference:.0f}x the reference); 1,000 epochs: {1000 * SAMPLES / ours:.1f} s")
    every_thread = our_throughput(X, y, train.BATCH_SIZE, epochs)
    print(f"  same, BLAS free to use every core:          {every_thread:>12,.0f} samples/s "
          "(why train.fit() asks for one BLAS thread)")
    print(f"predict one drawing (400x400 canvas -> 28x28 -> network): {predict_milliseconds(200):.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
