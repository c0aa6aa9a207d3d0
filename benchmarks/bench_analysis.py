"""How fast are the "What did it learn?" tools? Run by hand, not in CI:

    python -m benchmarks.bench_analysis            # ~half a minute
    python -m benchmarks.bench_analysis --quick    # fewer repeats

Uses model_params.npz and the drawings of data.json, repeated up to 60,000 (an MNIST-sized
data file). Prints the time of each tool and, as a yardstick measured in the same run, the time
of one training epoch's maths over the same 60,000 drawings (forward + backward, batches of 128).
Targets: re-projecting the map each epoch costs a small share of an epoch; everything the window
does per frame for one drawing (a damage slider, nearest drawings, "not sure") stays within a
few milliseconds; one fooling search well under a second.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import sys
import time

import numpy as np

import run  # noqa: E402
from mling import damage, familiarity, fooling, hidden_map, neighbours, network, store  # noqa: E402
from mling.paths import DATA_PATH, MODEL_PATH  # noqa: E402

SAMPLES = 60_000     # an MNIST-sized data file
BATCH_SIZE = 128     # train.py's default mini-batch


def median_seconds(work, repeats: int) -> float:
    """Median wall time of `work()` over `repeats` runs (after one warm-up)."""
    work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def epoch_maths(params: network.Parameters, X: np.ndarray, y: np.ndarray) -> None:
    """The yardstick: forward and backward over X in mini-batches, as one training epoch does."""
    grads = params.zeros_like()
    for start in range(0, len(X), BATCH_SIZE):
        activations = network.forward(params, X[start:start + BATCH_SIZE])
        network.backward(params, activations, y[start:start + BATCH_SIZE], grads)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the map, nearest drawings, damage, fooling and not-sure.")
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 7
    params = run.load_model(MODEL_PATH).params
    X_data, y_data = store.DataStore.open(DATA_PATH).arrays()
    copies = int(np.ceil(SAMPLES / len(X_data)))
    X = np.tile(X_data, (copies, 1))[:SAMPLES]
    y = np.tile(y_data, copies)[:SAMPLES]
    one = X[0].reshape(28, 28)
    print(f"{SAMPLES} drawings (data.json's {len(X_data)}, repeated); model {params}")

    epoch = median_seconds(lambda: epoch_maths(params, X, y), max(1, repeats // 3))
    print(f"\nyardstick: one epoch's forward + backward over {SAMPLES}: {epoch * 1000:.0f} ms")

    activations = hidden_map.hidden_activations(params, X)
    points = hidden_map.fit_map(activations).project(activations)
    rows = {
        "map: hidden layer 2 of all": lambda: hidden_map.hidden_activations(params, X),
        "map: PCA fit": lambda: hidden_map.fit_map(activations),
        "map: PCA fit, matched to last epoch": lambda: hidden_map.fit_map(activations, match=points),
        "map: whole re-projection per epoch": lambda: hidden_map.map_points(params, X, match=points),
    }
    print()
    for name, work in rows.items():
        seconds = median_seconds(work, repeats)
        print(f"{name:40} {seconds * 1000:8.1f} ms  ({seconds / epoch:6.1%} of an epoch)")

    query = hidden_map.hidden_activations(params, one)
    check = familiarity.Familiarity.from_summary(familiarity.build_familiarity(X_data[:6800], X_data[6800:]))
    projection = hidden_map.fit_map(activations)
    per_frame = {
        "live marker on the map (one drawing)": lambda: projection.project(hidden_map.hidden_activations(params, one)),
        f"nearest 6 of {SAMPLES} (hidden layer 2)": lambda: neighbours.nearest_drawings(activations, query, k=6),
        "not sure? (one drawing, 6,800 reference)": lambda: check.is_unfamiliar(one),
        **{f"damage: {kind.name} (one drawing)": (lambda kind=kind: kind.apply(one, kind.strengths[-1]))
           for kind in damage.DAMAGES},
    }
    print()
    for name, work in per_frame.items():
        print(f"{name:40} {median_seconds(work, repeats * 20) * 1000:8.3f} ms")

    held_X, held_y = X_data[:1200], y_data[:1200]
    targets = [(image, (label + 1 + k) % 10) for k, (image, label) in enumerate(zip(held_X[:30], held_y[:30]))]
    start = time.perf_counter()
    attacks = [fooling.fool(params, image, target) for image, target in targets]
    fooling_ms = (time.perf_counter() - start) / len(targets) * 1000
    print()
    print(f"{'fooling search (mean of 30)':40} {fooling_ms:8.1f} ms  "
          f"(median ink {np.median([a.ink for a in attacks]):.1f}, all reached: {all(a.reached for a in attacks)})")
    suspects = median_seconds(lambda: neighbours.probably_mislabelled(params, X[:10000], y[:10000], range(10000)),
                              repeats)
    print(f"{'probably mislabelled, 10,000 held out':40} {suspects * 1000:8.1f} ms")
    print(f"{'damage curves, 5 kinds, 1,200 held out':40} "
          f"{median_seconds(lambda: damage.damage_curves(params, held_X, held_y), 1) * 1000:8.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
