"""How long do imports and exports take? Run by hand, not in CI:

    python -m benchmarks.bench_transfer             # about half a minute on a 2-core laptop
    python -m benchmarks.bench_transfer --count 10000

Makes a synthetic MNIST-sized IDX pair (60,000 sparse 28x28 images, gzip-compressed, like
MNIST's train-*-ubyte.gz downloads) in a temporary folder, then times each command as the
terminal runs it (`python store.py import ...`, store_cli.main): the IDX import into an empty
data.json, the same import again (every sample found already stored), the IDX export, and a
6,000-sample PNG export and re-import.
Target (2-core machine): importing 60,000 IDX images takes a few seconds, not minutes.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from mling import store_cli, transfer

COUNT = 60_000        # MNIST's training set size
PNG_COUNT = 6_000     # PNG export/import is per file, so it is timed on fewer samples


def synthetic_idx_pair(folder: Path, count: int, rng: np.random.Generator) -> tuple[Path, Path]:
    """Write count sparse digit-like images (ink in the middle 20x20, ~20% of it) and labels as .gz IDX."""
    pixels = np.zeros((count, 28, 28), dtype=np.uint8)
    middle = (rng.random((count, 20, 20)) < 0.2) * rng.integers(0, 256, (count, 20, 20))
    pixels[:, 4:24, 4:24] = middle
    images_path, labels_path = folder / "train-images-idx3-ubyte.gz", folder / "train-labels-idx1-ubyte.gz"
    transfer.write_idx(images_path, pixels)
    transfer.write_idx(labels_path, rng.integers(0, 10, count).astype(np.uint8))
    return images_path, labels_path


def timed(label: str, argv: list[str]) -> float:
    """Run one `python store.py` command quietly and print how long it took."""
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        status = store_cli.main(argv)
    seconds = time.perf_counter() - started
    print(f"{label:<48} {seconds:6.2f} s" + ("" if status == 0 else f"   (exit {status}!)"))
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=COUNT, help=f"images in the IDX pair (default {COUNT:,})")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        images_path, labels_path = synthetic_idx_pair(folder, args.count, np.random.default_rng(0))
        data, small = str(folder / "data.json"), str(folder / "small.json")
        timed(f"import idx ({args.count:,} images, .gz)", ["import", "idx", str(images_path), str(labels_path),
                                                          "--data", data])
        timed("import idx again (all already stored)", ["import", "idx", str(images_path), str(labels_path),
                                                         "--data", data])
        timed(f"export idx --gzip ({args.count:,})", ["export", "idx", str(folder / "out"), "--gzip", "--data", data])
        png_count = min(PNG_COUNT, args.count)
        timed(f"import idx --limit {png_count:,} --balance", ["import", "idx", str(images_path), str(labels_path),
                                                            "--limit", str(png_count), "--balance", "--data", small])
        timed(f"export png ({png_count:,} files)", ["export", "png", str(folder / "png"), "--data", small])
        timed(f"import folder ({png_count:,} files)", ["import", "folder", str(folder / "png"),
                                                       "--data", str(folder / "again.json")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
