"""How long the classroom's long runs take: each built-in experiment card, and leave-one-writer-out.

    python -m benchmarks.bench_classroom                 # on data.json (the 8,000 starter digits)
    python -m benchmarks.bench_classroom --data class.json

The reference is one plain training of the same data for the same number of epochs, measured in
the same run: a card trains two variants, so about 2x is expected (more when B learns from more
pictures). Goal: every card and a 3-writer leave-one-writer-out well under a minute on 2 cores.
Leave-one-writer-out runs on the data's own named writers, or, if it has none, on the data plus
three synthetic writers of 200 drawings each (tests/synthetic_writers.py). A card that needs the
learner's own drawings runs on a temporary copy of the data with 300 synthetic ones added.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import train
from mling import experiments, store, writers
from mling.paths import DATA_PATH


def reference_seconds(data: store.DataStore) -> float:
    """One training of 85% of the originals for EXPERIMENT_EPOCHS epochs, as a card's variant A does."""
    training, held_out = experiments.held_out_split(data, None, train.OWN_DRAWING_WEIGHT)
    X, y = experiments.data_arrays(data.samples, training)
    X_val, y_val = experiments.data_arrays(data.samples, held_out)
    config = train.TrainConfig(epochs=experiments.EXPERIMENT_EPOCHS, patience=None)
    started = time.perf_counter()
    train.fit(X, y, X_val, y_val, config)
    return time.perf_counter() - started


def class_samples(data: store.DataStore) -> list:
    """The data's samples; with three synthetic writers added if nobody's name is on them."""
    if writers.writer_names(data.samples):
        return data.samples
    from tests.synthetic_writers import ALIEN, SLANTED, UPRIGHT, writer_samples
    return list(data.samples) + writer_samples({"Ana": UPRIGHT, "Ben": SLANTED, "Zed": ALIEN}, per_class=20)


def data_with_own_drawings(data: store.DataStore, path: Path) -> store.DataStore:
    """A copy of the data with 300 synthetic "drawn" digits added (30 of each)."""
    from tests.synthetic import make_synthetic_digits
    shutil.copyfile(data.path, path)
    copy = store.DataStore.open(path)
    X, y = make_synthetic_digits(per_class=30, seed=1)
    copy.add_many(X.reshape(-1, 28, 28), y, source="drawn")
    return copy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DATA_PATH), help="data file (default: data.json)")
    args = parser.parse_args(argv)
    if not Path(args.data).exists():
        print(f"error: {args.data} not found; give the path of a data file", file=sys.stderr)
        return 1
    data = store.DataStore.open(args.data)
    reference = reference_seconds(data)
    print(f"{data}\nreference: one training, {experiments.EXPERIMENT_EPOCHS} epochs: {reference:.1f} s")
    with tempfile.TemporaryDirectory() as folder:
        with_own = None
        for card in experiments.CARDS.values():
            here = data
            if card.problem(data) and card.needs_own_drawings:
                with_own = with_own or data_with_own_drawings(data, Path(folder) / "data.json")
                here = with_own
            problem = card.problem(here)
            if problem:
                print(f"  {card.key:22s} skipped: {problem}")
                continue
            started = time.perf_counter()
            result = experiments.run_card(card, here, None)
            seconds = time.perf_counter() - started
            print(f"  {card.key:22s} {seconds:5.1f} s  ({seconds / reference:.1f}x)  {result.answer}", flush=True)
    samples = class_samples(data)
    started = time.perf_counter()
    result = writers.leave_one_writer_out(samples)
    seconds = time.perf_counter() - started
    print(f"leave one writer out, {len(result.writers)} writers: {seconds:.1f} s "
          f"({seconds / reference:.1f}x)  {result.answer}")
    for writer in result.writers:
        print(f"  {writer.text} ({writer.seconds:.1f} s)")
    print(f"peak memory: {peak_megabytes():.0f} MB")
    return 0


def peak_megabytes() -> float:
    try:
        import resource
    except ImportError:  # Windows
        return float("nan")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 if sys.platform != "darwin" else \
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


if __name__ == "__main__":
    sys.exit(main())
